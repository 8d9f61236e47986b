"""Progress bars on stderr (rich), or nothing when disabled. One small wrapper for every stage.

A process may also install one listener (``set_listener``): it sees every task's description, completed
count, total and end, whether bars are shown or not (the server's job worker reports stages through it).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from types import TracebackType
from typing import Any

#: ``listener(description, completed, total, finished)``; total None for a step of unknown length
Listener = Callable[[str, float, "float | None", bool], None]
_listener: Listener | None = None
_ids = itertools.count(1)


def set_listener(listener: Listener | None) -> None:
    """Install (or with None remove) the process-wide observer of every Progress task."""
    global _listener
    _listener = listener


class Progress:
    """Context manager: ``add(description, total)`` -> task id, ``advance``, ``finish``.

    With ``enabled=False`` every call is a no-op, so library code can always report progress.
    ``total=None`` shows a spinner for steps of unknown length.
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._p: Any = None
        self._seen: dict[int, list[Any]] = {}  # task id -> [description, completed, total], for the listener

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
        """Start a task; returns its id (0 when disabled and no listener is installed)."""
        task = int(self._p.add_task(description, total=total)) if self._p is not None else 0
        if _listener is not None:
            task = task if self._p is not None else next(_ids)
            self._seen[task] = [description, 0.0, total]
            _listener(description, 0.0, total, False)
        return task

    def advance(self, task: int, n: float = 1) -> None:
        if self._p is not None:
            self._p.advance(task, n)
        seen = self._seen.get(task)
        if seen is not None and _listener is not None:
            seen[1] += n
            _listener(seen[0], seen[1], seen[2], False)

    def finish(self, task: int) -> None:
        """Mark a task complete (fills the bar even when the total was an estimate)."""
        seen = self._seen.pop(task, None)
        if seen is not None and _listener is not None:
            done = seen[2] if seen[2] is not None else max(seen[1], 1.0)
            _listener(seen[0], done, done, True)
        if self._p is not None:
            t = self._p.tasks[[x.id for x in self._p.tasks].index(task)]
            total = max(t.completed, 1) if t.total is None or t.completed > t.total else t.total
            self._p.update(task, total=total, completed=total)
