"""On-screen text with RapidOCR (PP-OCRv4 Chinese+English ONNX models shipped inside the wheel, no network).

Contract: ``read_onscreen_text(frames, every=1.0) -> list[TextSpan]`` where ``frames`` are ``(time, RGB uint8
(H, W, 3))`` pairs in time order, sampled about ``every`` seconds apart. Each text line read in a frame at
time ``t`` gives a span ``[t, t + every)``; a line read again in the next frame(s) extends its span instead of
starting a new one, so a caption shown for 5 s becomes one span. Spans: ``source="ocr"``, sorted by start,
``size`` = the tallest box of the line as a share of the frame height (large text: titles; small: captions).

Per frame: the image is downscaled so its long side is at most ``MAX_SIDE`` (960); frames whose small grey
thumbnail barely differs from the last OCR'd frame's (fewer than ``CHANGE_FRACTION`` of thumbnail pixels
moved by more than ``CHANGE_LEVEL`` grey levels) reuse its result instead of running OCR again; lines with
recognition confidence below ``MIN_SCORE`` (0.5), or with no letter or digit (stray glyphs such as a lone
"■"), are dropped; the rest go through ``vidgist.media.ocr_text.clean_line`` (glued English words split
back, "GROCERYBUDGET" -> "GROCERY BUDGET"; one-character and low-confidence two-character lines
dropped). The engine loads once per process (``THREADS`` = 1 thread) and detects text at the
(downscaled) frame's own size, never upscaling it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import Any

import numpy as np

from vidgist.errors import InputError, ModelError
from vidgist.media.image import as_rgb8
from vidgist.media.ocr_text import clean_line
from vidgist.types import TextSpan

MAX_SIDE = 960
MIN_SCORE = 0.5
THUMB_W = 160
CHANGE_LEVEL = 24          # grey levels (0..255) a thumbnail pixel must move to count as changed
CHANGE_FRACTION = 0.002    # below this fraction of changed thumbnail pixels a frame counts as unchanged
THREADS = 1          # ONNX Runtime threads: the pipeline runs OCR beside decoding and the frame model

_lock = threading.Lock()
_engine: Any = None


def get_engine() -> Any:
    """The RapidOCR engine (det + cls + rec ONNX models from rapidocr-onnxruntime), loaded once."""
    global _engine
    with _lock:
        if _engine is None:
            import logging

            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as exc:
                raise ModelError(f"ocr: {exc.name} is not installed; "
                                 "pip install rapidocr-onnxruntime==1.4.4") from None
            logging.getLogger("RapidOCR").setLevel(logging.WARNING)
            try:
                # detect at the frame's own size (capped at MAX_SIDE): the default upscales the short side
                # to 736, which costs ~4x the time on pipeline-sized frames without reading more.
                _engine = RapidOCR(intra_op_num_threads=THREADS, inter_op_num_threads=1,
                                   det_limit_type="max", det_limit_side_len=MAX_SIDE)
            except Exception as exc:  # noqa: BLE001 - any failure to build the sessions is a model problem
                raise ModelError(f"ocr: RapidOCR models cannot be loaded ({type(exc).__name__}: {exc}); "
                                 "reinstall rapidocr-onnxruntime") from None
        return _engine


def _downscale(rgb: np.ndarray, max_side: int = MAX_SIDE) -> np.ndarray:
    h, w = rgb.shape[:2]
    if max(h, w) <= max_side:
        return rgb
    from PIL import Image

    s = max_side / max(h, w)
    size = (max(1, round(w * s)), max(1, round(h * s)))
    return np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.BILINEAR))


def _thumb(rgb: np.ndarray) -> np.ndarray:
    from PIL import Image

    h, w = rgb.shape[:2]
    size = (THUMB_W, max(1, round(h * THUMB_W / w)))
    grey = Image.fromarray(rgb).convert("L").resize(size, Image.Resampling.BILINEAR)
    return np.asarray(grey, dtype=np.int16)


def _unchanged(a: np.ndarray | None, b: np.ndarray) -> bool:
    if a is None or a.shape != b.shape:
        return False
    return float(np.mean(np.abs(a - b) > CHANGE_LEVEL)) < CHANGE_FRACTION


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def read_sized_lines(rgb: np.ndarray, min_score: float = MIN_SCORE) -> list[tuple[str, float]]:
    """``(text, height)`` of each text line of one RGB image in reading order (top to bottom, left to
    right), score >= min_score; ``height`` is the line box's height as a share of the image height."""
    result, _ = get_engine()(np.ascontiguousarray(rgb[:, :, ::-1]))   # RapidOCR takes arrays as BGR
    lines: dict[str, float] = {}
    for box, text, score in result or []:
        t = clean_line(_clean(str(text)), float(score))
        if t and float(score) >= min_score:
            ys = [float(p[1]) for p in box]
            lines[t] = max(lines.get(t, 0.0), (max(ys) - min(ys)) / max(rgb.shape[0], 1))
    return list(lines.items())


def read_lines(rgb: np.ndarray, min_score: float = MIN_SCORE) -> list[str]:
    """Text lines of one RGB image in reading order (top to bottom, left to right), score >= min_score."""
    return [t for t, _ in read_sized_lines(rgb, min_score)]


def read_onscreen_text(frames: Iterable[tuple[float, np.ndarray]], every: float = 1.0) -> list[TextSpan]:
    """On-screen text lines as TextSpan(source="ocr") (see module docstring)."""
    if every <= 0:
        raise InputError(f"ocr: every={every}: must be > 0 seconds")
    open_spans: dict[str, list[float]] = {}   # text -> [start, end, line index, height] while it shows
    done: list[tuple[float, float, TextSpan]] = []
    prev_thumb: np.ndarray | None = None
    prev_lines: list[tuple[str, float]] = []
    for i, (t, img) in enumerate(frames):
        t = float(t)
        rgb = _downscale(as_rgb8(img, f"ocr: frame {i}"))
        thumb = _thumb(rgb)
        if _unchanged(prev_thumb, thumb):
            lines = prev_lines
        else:
            lines = read_sized_lines(rgb)
            prev_thumb, prev_lines = thumb, lines
        seen = {text for text, _ in lines}
        for text in list(open_spans):
            if text not in seen:
                s, e, k, size = open_spans.pop(text)
                done.append((s, k, TextSpan(s, e, text, "ocr", size=size)))
        for k, (text, size) in enumerate(lines):
            if text in open_spans:
                open_spans[text][1] = t + every
                open_spans[text][3] = max(open_spans[text][3], size)
            else:
                open_spans[text] = [t, t + every, float(k), size]
    for text, (s, e, k, size) in open_spans.items():
        done.append((s, k, TextSpan(s, e, text, "ocr", size=size)))
    done.sort(key=lambda x: (x[0], x[1]))
    return [span for _, _, span in done]
