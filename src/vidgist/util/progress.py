"""Progress bars on stderr (rich), or nothing when disabled. One small wrapper for every stage."""

from __future__ import annotations

from types import TracebackType
from typing import Any


class Progress:
    """Context manager: ``add(description, total)`` -> task id, ``advance``, ``finish``.

    With ``enabled=False`` every call is a no-op, so library code can always report progress.
    ``total=None`` shows a spinner for steps of unknown length.
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._p: Any = None

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as RichProgress

            self._p = RichProgress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self._p.__enter__()
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._p is not None:
            self._p.__exit__(et, ev, tb)

    def add(self, description: str, total: float | None) -> int:
        """Start a task; returns its id (0 when disabled)."""
        return int(self._p.add_task(description, total=total)) if self._p is not None else 0

    def advance(self, task: int, n: float = 1) -> None:
        if self._p is not None:
            self._p.advance(task, n)

    def finish(self, task: int) -> None:
        """Mark a task complete (fills the bar even when the total was an estimate)."""
        if self._p is not None:
            t = self._p.tasks[[x.id for x in self._p.tasks].index(task)]
            total = max(t.completed, 1) if t.total is None or t.completed > t.total else t.total
            self._p.update(task, total=total, completed=total)
