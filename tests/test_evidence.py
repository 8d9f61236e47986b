"""vidgist.summarize.evidence: frames, labels, on-screen text and speech of a real video, gathered by three
threads that are all gone afterwards; RowBuffer fills in place and grows when the guess is short."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from vidgist.backbones import load_backbone
from vidgist.media.video import probe
from vidgist.summarize.evidence import RowBuffer, collect


def test_row_buffer_in_place_and_growing() -> None:
    buf = RowBuffer(expected_rows=4)
    buf.extend(np.ones((3, 2)))
    first = buf.array()
    buf.extend(np.full((2, 2), 2.0))
    assert np.shares_memory(first, buf.array())  # within the guess (+8 spare rows): no copy
    for _ in range(10):
        buf.extend(np.full((3, 2), 3.0))  # past it: grows, keeps every row
    out = buf.array()
    assert out.shape == (35, 2) and out.dtype == np.float32
    assert out[:3].sum() == 6 and out[3:5].sum() == 8 and out[5:].sum() == 180
    assert RowBuffer(10).array().shape == (0, 0)


@pytest.mark.parametrize("with_text", [True, False])
def test_collect_narrated_demo(narrated_demo, with_text: bool) -> None:
    video, truth = narrated_demo
    info = probe(video)
    bb = load_backbone("offline")
    ev, thumbs, stages = collect(info, bb, 1.0, ocr=with_text, asr_model="tiny.en" if with_text else None)
    n = len(ev.frames.times)
    assert abs(n - info.duration) <= 1  # one sample per second
    assert np.all(np.diff(ev.frames.times) > 0)
    assert ev.frames.vectors.shape == (n, 1280) and ev.frames_in_text_space.shape == (n, 384)
    np.testing.assert_allclose(np.linalg.norm(ev.frames.vectors, axis=1), 1.0, atol=1e-4)
    assert len(thumbs) == 10
    sources = {s.source for s in ev.spans}
    assert "label" in sources
    if with_text:
        # the demo shows no on-screen text, but OCR ran
        assert "speech" in sources and {"asr (after decoding)", "ocr (after decoding)"} <= set(stages)
        speech = " ".join(s.text.lower() for s in ev.spans if s.source == "speech")
        # the bicycle part's narration, as any Whisper compute type hears it (not one borderline word)
        assert {"bicycle", "bicycles", "mountain", "trail"} & set(speech.replace(".", " ").split())
    else:
        assert not {"speech", "ocr"} & sources and set(stages) == {"decode+embed"}
    assert not [t for t in threading.enumerate() if t.name in ("vidgist-ocr", "vidgist-prefetch")]
