"""On-screen text: text drawn with PIL is read back by RapidOCR with the right time span."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from conftest import SHARED

from vidgist.errors import InputError
from vidgist.media import ocr
from vidgist.media.video import iter_frames


def _font(size: int):
    import matplotlib
    from PIL import ImageFont

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans-Bold.ttf"
    return ImageFont.truetype(str(path), size)


def _frame(
    text: str | None,
    w: int = 640,
    h: int = 360,
    size: int = 48,
    seed: int = 0,
    bg: tuple[int, int, int] = (30, 60, 90),
) -> np.ndarray:
    """A flat background with mild noise (like decoded video) and ``text`` in white."""
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (w, h), bg)
    if text:
        ImageDraw.Draw(im).text((w // 16, h // 2 - size // 2), text, font=_font(size), fill=(255, 255, 255))
    a = np.asarray(im).astype(np.int16)
    a += np.random.default_rng(seed).integers(-3, 4, a.shape, dtype=np.int16)
    return np.clip(a, 0, 255).astype(np.uint8)


def _words(s: str) -> str:
    return s.lower().replace(" ", "")


def test_text_is_read_back_with_its_time_span() -> None:
    # 0-2 s nothing, 2-5 s "GIANT RABBIT", 5-7 s "Mountain 2024", 7-8 s nothing (frames every 1 s)
    script = [None, None] + ["GIANT RABBIT"] * 3 + ["Mountain 2024"] * 2 + [None]
    frames = [(float(t), _frame(txt, seed=t)) for t, txt in enumerate(script)]
    ocr.get_engine()
    t0 = time.perf_counter()
    spans = ocr.read_onscreen_text(frames, every=1.0)
    ms = (time.perf_counter() - t0) * 1000 / len(frames)
    print(f"OCR {ms:.0f} ms/frame over {len(frames)} 640x360 frames (unchanged frames reuse the last result)")
    assert [(_words(s.text), s.start, s.end, s.source) for s in spans] == [
        ("giantrabbit", 2.0, 5.0, "ocr"),
        ("mountain2024", 5.0, 7.0, "ocr"),
    ]


def test_large_frame_is_downscaled_and_still_read() -> None:
    big = _frame("SUMMER FESTIVAL", w=1920, h=1080, size=120)
    assert max(ocr._downscale(big).shape[:2]) == ocr.MAX_SIDE
    spans = ocr.read_onscreen_text([(3.0, big)], every=0.5)
    assert [(_words(s.text), s.start, s.end) for s in spans] == [("summerfestival", 3.0, 3.5)]
    assert 0.08 < spans[0].size < 0.25  # 120-px letters on a 1080-px frame: the box's share of the height


def test_frames_without_text_give_nothing() -> None:
    plain = [(float(t), _frame(None, seed=t, bg=(20 * t, 120, 200 - 20 * t))) for t in range(3)]
    assert ocr.read_onscreen_text(plain) == []
    assert ocr.read_onscreen_text([]) == []


def test_unchanged_frames_reuse_the_previous_result(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = ocr.LineReader.read

    def counting(self: ocr.LineReader, rgb: np.ndarray) -> list[tuple[str, float]]:
        calls.append(1)
        return real(self, rgb)

    monkeypatch.setattr(ocr.LineReader, "read", counting)
    frames = [(float(t), _frame("HELLO", seed=t)) for t in range(4)] + [(4.0, _frame("GOODBYE", seed=9))]
    spans = ocr.read_onscreen_text(frames, every=1.0)
    assert len(calls) == 2  # noise-only changes are skipped, the new text is read
    assert [(_words(s.text), s.start, s.end) for s in spans] == [("hello", 0.0, 4.0), ("goodbye", 4.0, 5.0)]


def test_a_caption_over_changing_video_is_recognised_once_per_caption() -> None:
    # the background changes every frame, so every frame is detected; the recogniser runs only when the
    # glyphs in a box change: LISTEN (3 frames), then its anagram SILENT in the same box (2: only the
    # glyph comparison tells them apart), then a longer line
    script = ["LISTEN"] * 3 + ["SILENT"] * 2 + ["SEE YOU TOMORROW"]
    frames = [_frame(txt, seed=t, bg=(30 + 30 * t, 60 + 10 * t, 90)) for t, txt in enumerate(script)]
    reader = ocr.LineReader()
    read = [[_words(text) for text, _ in reader.read(im)] for im in frames]
    assert read == [["listen"]] * 3 + [["silent"]] * 2 + [["seeyoutomorrow"]]
    assert reader.recognised == 3
    # one image alone reads the same as the reader does
    assert [_words(t) for t, _ in ocr.read_sized_lines(frames[3])] == ["silent"]


def test_real_video_without_text_gives_nothing_and_bad_input_is_refused() -> None:
    # the narrated demo has no on-screen text; at 640 px OCR once read a stray "■" there, now filtered
    frames = list(iter_frames(SHARED / "videos" / "narrated_demo_24s.mp4", fps=1.0, max_side=640))
    assert len(frames) >= 10
    assert ocr.read_onscreen_text(frames) == []
    with pytest.raises(InputError, match="frame 0"):
        ocr.read_onscreen_text([(0.0, np.zeros((4, 4, 5), np.uint8))])
    with pytest.raises(InputError, match="every"):
        ocr.read_onscreen_text([(0.0, _frame(None))], every=0)


def test_folded_models_give_the_shipped_outputs_and_are_made_once(tmp_path: Path) -> None:
    """The detector and recogniser with their elementwise chains folded answer as the shipped models do
    (to float rounding) on a real text frame, with fewer nodes; the copy is made once; a file that is no
    ONNX model is used as it is."""
    import onnx
    import onnxruntime as ort
    import rapidocr_onnxruntime

    from vidgist.media.ocr_graph import fold_model, folded_copy

    shipped = Path(rapidocr_onnxruntime.__file__).parent / "models"
    img = _frame("ORBIT 42", size=40).astype(np.float32) / 127.5 - 1.0
    inputs = {
        ocr.DET_MODEL: img[:320, :640].transpose(2, 0, 1)[None],
        ocr.REC_MODEL: np.stack([img[160:208, :320].transpose(2, 0, 1)] * 3),
    }
    for name, x in inputs.items():
        done = fold_model(shipped / name, tmp_path / name)
        assert min(done.values()) >= 8  # every rewrite found its pattern many times
        assert len(onnx.load(str(tmp_path / name)).graph.node) < len(
            onnx.load(str(shipped / name)).graph.node
        )
        outs = []
        for path in (shipped / name, tmp_path / name):
            sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
            outs.append(sess.run(None, {sess.get_inputs()[0].name: x})[0])
        assert np.abs(outs[0] - outs[1]).max() <= 1e-4 * max(1.0, float(np.abs(outs[0]).max()))
    cache = tmp_path / "cache"
    first = folded_copy(shipped / ocr.DET_MODEL, cache)
    assert first.parent == cache
    stamp = first.stat().st_mtime_ns
    assert folded_copy(shipped / ocr.DET_MODEL, cache) == first and first.stat().st_mtime_ns == stamp
    junk = tmp_path / "junk.onnx"
    junk.write_bytes(b"not a model")
    assert folded_copy(junk, cache) == junk
    assert [p.name for p in cache.iterdir()] == [first.name]  # nothing half-written left behind


def _slide(title: str, page: str, seed: int) -> np.ndarray:
    """A light slide (mild noise) with a dark title at the top left and a page number at the bottom right."""
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (640, 360), (242, 238, 228))
    draw = ImageDraw.Draw(im)
    draw.text((40, 40), title, font=_font(44), fill=(30, 40, 60))
    draw.text((540, 310), page, font=_font(26), fill=(60, 60, 60))
    a = np.asarray(im).astype(np.int16)
    a += np.random.default_rng(seed).integers(-3, 4, a.shape, dtype=np.int16)
    return np.clip(a, 0, 255).astype(np.uint8)


def test_dark_text_on_a_light_slide_is_read_again_when_it_changes() -> None:
    # the next slide's title sits where the last one sat, about as wide, and its page number differs in
    # one glyph: the reader must see both changes (the glyphs are the dark side here, the minority)
    script = [("Garden ponds", "4/9")] * 2 + [("Roof gutters", "5/9")] * 2
    reader = ocr.LineReader()
    read = [[_words(text) for text, _ in reader.read(_slide(*s, seed=t))] for t, s in enumerate(script)]
    assert read == [["gardenponds", "4/9"]] * 2 + [["roofgutters", "5/9"]] * 2
    assert reader.recognised == 4  # each slide's two lines once; the repeated slide reuses them
