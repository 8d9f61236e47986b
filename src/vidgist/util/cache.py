"""vidgist's writable cache folder (assembled model files, label embeddings)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def cache_dir() -> Path:
    """$VIDGIST_CACHE, else $XDG_CACHE_HOME/vidgist, else ~/.cache/vidgist (not created here)."""
    env = os.environ.get("VIDGIST_CACHE", "").strip()
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "vidgist"


def cached_array(path: Path, shape: tuple[int, ...], compute: Callable[[], np.ndarray]) -> np.ndarray:
    """The array saved at ``path`` when its shape starts with ``shape``, else ``compute()``, saved there
    (atomically) for the next process; a cache file that cannot be read or written is simply recomputed."""
    import numpy as np

    from vidgist.util.atomic import atomic_path

    try:
        arr = np.load(path, allow_pickle=False)
        if arr.shape[: len(shape)] != shape:
            raise ValueError("stale cache")
        return arr
    except (OSError, ValueError):
        arr = compute()
    try:
        with atomic_path(path) as tmp:
            np.save(tmp, arr, allow_pickle=False)
    except OSError:
        pass
    return arr
