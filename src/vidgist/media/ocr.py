"""On-screen text with RapidOCR (PP-OCRv4 Chinese+English ONNX models shipped inside the wheel, no network).

Contract: ``read_onscreen_text(frames, every=1.0) -> list[TextSpan]`` where ``frames`` are ``(time, RGB uint8
(H, W, 3))`` pairs in time order, sampled about ``every`` seconds apart. Each text line read in a frame at
time ``t`` gives a span ``[t, t + every)``; a line read again in the next frame(s) extends its span instead of
starting a new one, so a caption shown for 5 s becomes one span. Spans: ``source="ocr"``, sorted by start,
``size`` = the tallest box of the line as a share of the frame height (large text: titles; small: captions).

Per frame: the image is downscaled so its long side is at most ``MAX_SIDE`` (960); frames whose small grey
thumbnail barely differs from the last OCR'd frame's (fewer than ``CHANGE_FRACTION`` of thumbnail pixels
moved by more than ``CHANGE_LEVEL`` grey levels) reuse its result instead of running OCR again. Otherwise
text boxes are detected, and a box that sits where one of the previous OCR'd frame's boxes sat (same size
and place within a few pixels) and shows the same glyphs reuses that box's reading instead of running
the recogniser again: "same glyphs" = the glyph pixels of the two frames inside the boxes (Otsu's
binarisation, the side it puts in the minority: strokes cover less of a text box than the background,
whether the text is light or dark) overlap with intersection over union at least ``REUSE_IOU`` over the
whole box and in every slice of it ``REUSE_SLICE`` times the box's height wide (about one glyph: a slide's
page number "2/8" -> "3/8" changes one). On the on-screen-text development set (``benchmarks/
ocr_devset.py``: captions over moving video, and slide decks with titles, bullets and page numbers at the
same places from slide to slide) this reuses 258 of 297 box pairs that read the same and none of 40 that
read differently. Lines
with recognition confidence below ``MIN_SCORE`` (0.5), or with no letter or digit (stray glyphs such as
a lone "■"), are dropped; the rest go through ``vidgist.media.ocr_text.clean_line`` (glued English words
split back, "GROCERYBUDGET" -> "GROCERY BUDGET"; one-character and low-confidence two-character lines
dropped). The engine loads once per process (``THREADS`` = 1 thread) and detects text at the
(downscaled) frame's own size, never upscaling it. Its detector and recogniser are the shipped PP-OCRv4
models with their hardswish and affine chains folded (``vidgist.media.ocr_graph``: the same outputs
to float rounding, about 30% / 45% less CPU), made once in the cache. ``LineReader`` reads successive
frames of one video with that reuse; ``read_sized_lines`` reads one image.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.errors import InputError, ModelError
from vidgist.media.image import as_rgb8
from vidgist.media.ocr_text import clean_line
from vidgist.types import TextSpan

MAX_SIDE = 960
MIN_SCORE = 0.5
THUMB_W = 160
CHANGE_LEVEL = 24  # grey levels (0..255) a thumbnail pixel must move to count as changed
CHANGE_FRACTION = 0.002  # below this fraction of changed thumbnail pixels a frame counts as unchanged
THREADS = 1  # ONNX Runtime threads: the pipeline runs OCR beside decoding and the frame model
REUSE_IOU = 0.75  # a box whose binarised glyphs overlap the previous frame's this much reuses its reading
REUSE_SLICE = 0.5  # ... and so much in every slice of the box this many box heights wide
REUSE_SHIFT = 6  # pixels a reused box may move (each edge), or grow by (plus 10% of its size)
DET_MODEL = "ch_PP-OCRv4_det_infer.onnx"  # the detector and recogniser rapidocr-onnxruntime 1.4 ships
REC_MODEL = "ch_PP-OCRv4_rec_infer.onnx"

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
                raise ModelError(
                    f"ocr: {exc.name} is not installed; pip install rapidocr-onnxruntime==1.4.4"
                ) from None
            logging.getLogger("RapidOCR").setLevel(logging.WARNING)
            try:
                # detect at the frame's own size (capped at MAX_SIDE): the default upscales the short side
                # to 736, which costs ~4x the time on pipeline-sized frames without reading more.
                _engine = RapidOCR(
                    intra_op_num_threads=THREADS,
                    inter_op_num_threads=1,
                    det_limit_type="max",
                    det_limit_side_len=MAX_SIDE,
                    **_folded_models(),
                )
            except Exception as exc:  # noqa: BLE001 - any failure to build the sessions is a model problem
                raise ModelError(
                    f"ocr: RapidOCR models cannot be loaded ({type(exc).__name__}: {exc}); "
                    "reinstall rapidocr-onnxruntime"
                ) from None
            # LineReader runs the engine's own crop / angle / recognition steps after detection
            if not all(hasattr(_engine, a) for a in ("get_crop_img_list", "text_cls", "text_rec", "use_cls")):
                _engine = None
                raise ModelError(
                    "ocr: this rapidocr-onnxruntime lacks the 1.4 API vidgist uses; "
                    "pip install rapidocr-onnxruntime==1.4.4"
                )
        return _engine


def _folded_models() -> dict[str, str]:
    """``det_model_path`` / ``rec_model_path`` of the shipped detector and recogniser with their
    elementwise chains folded (``vidgist.media.ocr_graph``; made once in the cache); empty when the
    shipped files are not where rapidocr-onnxruntime 1.4 keeps them."""
    import rapidocr_onnxruntime

    from vidgist.media.ocr_graph import folded_copy
    from vidgist.util.cache import cache_dir

    shipped = Path(rapidocr_onnxruntime.__file__).parent / "models"
    out = {}
    for key, name in (("det_model_path", DET_MODEL), ("rec_model_path", REC_MODEL)):
        if (shipped / name).is_file():
            out[key] = str(folded_copy(shipped / name, cache_dir() / "ocr"))
    return out


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


Rect = tuple[float, float, float, float]  # x0, y0, x1, y1


def _rect(quad: np.ndarray) -> Rect:
    return float(quad[:, 0].min()), float(quad[:, 1].min()), float(quad[:, 0].max()), float(quad[:, 1].max())


def _near(a: Rect, b: Rect) -> bool:
    """Same place and size within REUSE_SHIFT pixels (plus 10% of the box's width / height)."""
    tol_x = REUSE_SHIFT + 0.1 * (a[2] - a[0])
    tol_y = REUSE_SHIFT + 0.1 * (a[3] - a[1])
    return all(abs(a[k] - b[k]) <= (tol_x if k % 2 == 0 else tol_y) for k in range(4))


def _glyphs(grey: np.ndarray) -> np.ndarray:
    """Glyph pixels of one grey text region: the side of Otsu's threshold that holds fewer pixels."""
    import cv2

    _, mask = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    glyphs = np.asarray(mask, dtype=bool)
    return ~glyphs if np.count_nonzero(glyphs) > glyphs.size / 2 else glyphs


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    union = int(np.count_nonzero(a | b))
    return np.count_nonzero(a & b) / union if union else 1.0


def same_glyphs(grey_a: np.ndarray, grey_b: np.ndarray, a: Rect, b: Rect) -> bool:
    """Do two frames (grey, same size) show the same text inside boxes ``a`` and ``b``? (module docstring)"""
    h, w = grey_a.shape[:2]
    x0, y0 = max(0, int(min(a[0], b[0])) - 2), max(0, int(min(a[1], b[1])) - 2)
    x1, y1 = min(w, int(max(a[2], b[2])) + 3), min(h, int(max(a[3], b[3])) + 3)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return False
    ma, mb = _glyphs(grey_a[y0:y1, x0:x1]), _glyphs(grey_b[y0:y1, x0:x1])
    if not np.any(ma | mb) or _overlap(ma, mb) < REUSE_IOU:
        return False
    step = max(2, int(REUSE_SLICE * (y1 - y0)))
    for c in range(0, x1 - x0, step):
        sa, sb = ma[:, c : c + step], mb[:, c : c + step]
        if np.count_nonzero(sa | sb) >= 0.02 * sa.size and _overlap(sa, sb) < REUSE_IOU:
            return False  # one glyph changed: "Slide 2" -> "Slide 3"
    return True


class LineReader:
    """Reads the text lines of successive frames of one video, reusing the readings of boxes that did not
    change since the previous frame read (see module docstring). ``recognised`` counts the boxes that
    went through the recogniser."""

    def __init__(self, min_score: float = MIN_SCORE) -> None:
        self.min_score = min_score
        self.recognised = 0
        self._grey: np.ndarray | None = None
        self._boxes: list[tuple[Rect, str, float]] = []  # the previous frame's boxes: rect, text, score

    def _reuse(self, grey: np.ndarray, rect: Rect) -> tuple[str, float] | None:
        if self._grey is None or self._grey.shape != grey.shape:
            return None
        for old, text, score in self._boxes:
            if _near(rect, old) and same_glyphs(self._grey, grey, old, rect):
                return text, score
        return None

    def read(self, rgb: np.ndarray) -> list[tuple[str, float]]:
        """``(text, height)`` of each line of one RGB frame in reading order (top to bottom, left to
        right), score >= min_score; ``height`` is the line box's height as a share of the frame height."""
        import cv2

        engine = get_engine()
        bgr = np.ascontiguousarray(rgb[:, :, ::-1])  # RapidOCR takes arrays as BGR
        boxes, _ = engine(bgr, use_cls=False, use_rec=False)  # 4-point boxes in reading order
        grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
        quads = [np.asarray(b, dtype=np.float32).reshape(4, 2) for b in boxes or []]
        rects = [_rect(q) for q in quads]
        found = [self._reuse(grey, r) for r in rects]
        todo = [i for i, f in enumerate(found) if f is None]
        if todo:  # the same steps RapidOCR's own call runs after detection: crop, angle, recognise
            crops = engine.get_crop_img_list(bgr, [quads[i] for i in todo])
            if engine.use_cls:
                crops, _, _ = engine.text_cls(crops)
            readings, _ = engine.text_rec(crops)
            for i, (text, score) in zip(todo, readings, strict=True):
                found[i] = (str(text), float(score))
            self.recognised += len(todo)
        self._grey = grey
        self._boxes = [(r, f[0], f[1]) for r, f in zip(rects, found, strict=True) if f is not None]
        lines: dict[str, float] = {}
        for (_x0, y0, _x1, y1), text, score in self._boxes:
            t = clean_line(_clean(text), score)
            if t and score >= self.min_score:
                lines[t] = max(lines.get(t, 0.0), (y1 - y0) / max(rgb.shape[0], 1))
        return list(lines.items())


def read_sized_lines(rgb: np.ndarray, min_score: float = MIN_SCORE) -> list[tuple[str, float]]:
    """``(text, height)`` of each text line of one RGB image in reading order (top to bottom, left to
    right), score >= min_score; ``height`` is the line box's height as a share of the image height."""
    return LineReader(min_score).read(rgb)


def read_lines(rgb: np.ndarray, min_score: float = MIN_SCORE) -> list[str]:
    """Text lines of one RGB image in reading order (top to bottom, left to right), score >= min_score."""
    return [t for t, _ in read_sized_lines(rgb, min_score)]


def read_onscreen_text(frames: Iterable[tuple[float, np.ndarray]], every: float = 1.0) -> list[TextSpan]:
    """On-screen text lines as TextSpan(source="ocr") (see module docstring)."""
    if every <= 0:
        raise InputError(f"ocr: every={every}: must be > 0 seconds")
    open_spans: dict[str, list[float]] = {}  # text -> [start, end, line index, height] while it shows
    done: list[tuple[float, float, TextSpan]] = []
    prev_thumb: np.ndarray | None = None
    prev_lines: list[tuple[str, float]] = []
    reader = LineReader()
    for i, (t, img) in enumerate(frames):
        t = float(t)
        rgb = _downscale(as_rgb8(img, f"ocr: frame {i}"))
        thumb = _thumb(rgb)
        if _unchanged(prev_thumb, thumb):
            lines = prev_lines
        else:
            lines = reader.read(rgb)
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
