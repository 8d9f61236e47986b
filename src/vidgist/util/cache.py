"""vidgist's writable cache folder (assembled model files, label embeddings)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """$VIDGIST_CACHE, else $XDG_CACHE_HOME/vidgist, else ~/.cache/vidgist (not created here)."""
    env = os.environ.get("VIDGIST_CACHE", "").strip()
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "vidgist"
