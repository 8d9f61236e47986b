"""Results records: every figure is stored with what it was computed on and how it was selected.

A record holds the metrics plus ``dataset``, ``split``, ``setting`` (canonical / augmented /
transfer ...), ``aggregation`` (for F-scores), ``seed``, ``selection_rule`` (how the model or epoch
was chosen: a validation split carved from training data, never the test split), the vidgist
``version``, the ``git_commit`` of the source tree (None outside a git checkout) and a UTC
``created`` time. Files are written atomically; NaN and inf become ``null`` so the JSON is valid.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import subprocess
from pathlib import Path
from typing import Any

from vidgist.util.atomic import write_json

NO_SELECTION = "none: fixed model, no model or epoch selection"


def git_commit(start: str | os.PathLike[str] | None = None) -> str | None:
    """The HEAD commit of the git checkout holding ``start`` (default: this package), or None."""
    here = Path(start) if start is not None else Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    sha = out.stdout.strip()
    return sha if out.returncode == 0 and len(sha) == 40 else None


def _clean(obj: Any) -> Any:
    """JSON-safe copy: NaN/inf -> None, numpy scalars/arrays -> Python, tuples/sets -> lists."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, set | frozenset):
        return [_clean(v) for v in sorted(obj, key=str)]
    if hasattr(obj, "tolist") and not isinstance(obj, str):
        return _clean(obj.tolist())
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, Path):
        return str(obj)
    return obj


def results_record(
    metrics: dict[str, Any],
    dataset: str,
    split: str | None = None,
    setting: str | None = None,
    aggregation: str | None = None,
    seed: int | None = None,
    selection_rule: str = NO_SELECTION,
    task: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A JSON-ready results record (see module docstring); ``extra`` keys are stored as given."""
    from vidgist.version import __version__

    rec: dict[str, Any] = {
        "task": task,
        "dataset": dataset,
        "split": split,
        "setting": setting,
        "aggregation": aggregation,
        "seed": seed,
        "selection_rule": selection_rule,
        "vidgist_version": __version__,
        "git_commit": git_commit(),
        "created": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "metrics": metrics,
    }
    rec.update(extra)
    return _clean(rec)


def write_results(path: str | os.PathLike[str], record: dict[str, Any]) -> Path:
    """Atomically write ``record`` as JSON to ``path`` and return the path."""
    write_json(path, _clean(record))
    return Path(path)
