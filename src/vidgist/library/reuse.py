"""Reuse a library's stored evidence for one video (``vidgist summarize`` on a file already indexed)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from vidgist.library.library import Library, default_db_path


def evidence_from_library(
    db: str | os.PathLike[str] | None, video: str | os.PathLike[str], summarizer: Any
) -> tuple[tuple[Any, float, list[Any]], str] | None:
    """((evidence, fps, thumbnails), note) from the library ``db`` (default path when None) when it holds
    ``video`` with the settings ``summarizer`` would use; None when there is no library or no match.

    Loads the summarizer's backbone (to compare its name with the library's), which summarizing needs anyway.
    """
    path = Path(db).expanduser() if db is not None else default_db_path()
    if not path.is_file() or not Path(video).is_file():
        return None
    with Library(path, readonly=True) as lib:
        if lib.conn.execute("SELECT count(*) FROM videos").fetchone()[0] == 0:
            return None
        return lib.stored_evidence(
            video, str(summarizer.backbone.name), summarizer.fps, summarizer.asr, summarizer.ocr
        )
