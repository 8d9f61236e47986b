"""Per-video text for SSPVS pretraining from the videos themselves: title, transcript, on-screen text.

``build_video_texts(videos, out, ...)`` runs vidgist's evidence stage (decode, speech, OCR) on each video
and writes ``out/<key>.json`` = ``{"title": file name, "transcript": speech, "ocr": on-screen text}``,
keyed like ``vidgist features extract`` (:func:`vidgist.datasets.features.video_key`), so the two outputs
pair up for ``vidgist pretrain sspvs``. Videos whose JSON exists are skipped (resumable); each file is
written atomically.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from vidgist.datasets.features import list_videos, video_key
from vidgist.util.atomic import write_json

__all__ = ["FIELDS", "build_video_texts"]

FIELDS = ("title", "transcript", "ocr")


def build_video_texts(
    videos: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    backbone: str = "offline",
    asr: bool = True,
    asr_model: str = "tiny.en",
    ocr: bool = True,
    fps: float = 1.0,
) -> list[Path]:
    """Write one text JSON per video into ``out``; return the files written (skipped ones excluded)."""
    from vidgist.scorers.sspvs import evidence_fields
    from vidgist.summarize.pipeline import Summarizer
    from vidgist.util.atomic import ensure_writable_dir

    d = ensure_writable_dir(out)
    s = Summarizer(backbone=backbone, fps=fps, asr=asr, asr_model=asr_model, ocr=ocr)
    taken: set[str] = set()
    written: list[Path] = []
    for path in list_videos(videos):
        key = video_key(path, taken)
        taken.add(key)
        target = d / f"{key}.json"
        if target.is_file():
            continue
        evidence, _, _ = s.collect_evidence(path)
        write_json(target, dict(zip(FIELDS, evidence_fields(evidence, FIELDS), strict=True)))
        written.append(target)
    return written
