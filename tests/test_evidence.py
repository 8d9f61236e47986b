"""vidgist.summarize.evidence: frames, labels, on-screen text and speech of a real video, gathered by three
threads that are all gone afterwards; RowBuffer fills in place and grows when the guess is short."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest

from vidgist.backbones import load_backbone
from vidgist.media.video import probe
from vidgist.summarize import evidence
from vidgist.summarize.evidence import RowBuffer, collect
from vidgist.util.progress import set_listener


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
    events: list[tuple[str, float, float | None, bool]] = []
    set_listener(lambda *e: events.append(e))
    try:
        ev, thumbs, stages = collect(info, bb, 1.0, ocr=with_text, asr_model="tiny.en" if with_text else None)
    finally:
        set_listener(None)
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
        # the speech bar counts seconds of audio: it reaches the last word, then fills at the end
        said = [e for e in events if e[0].startswith("speech to text")]
        assert said and said[0][2] == pytest.approx(info.duration)
        last_word = max(s.end for s in ev.spans if s.source == "speech")
        assert max(e[1] for e in said if not e[3]) >= last_word - 1.0
        assert said[-1][3] and said[-1][1] == pytest.approx(info.duration)
        speech = " ".join(s.text.lower() for s in ev.spans if s.source == "speech")
        # the bicycle part's narration, as any Whisper compute type hears it (not one borderline word)
        assert {"bicycle", "bicycles", "mountain", "trail"} & set(speech.replace(".", " ").split())
    else:
        assert not {"speech", "ocr"} & sources
        assert set(stages) == {"decode+embed", "frames embedded", "frames reused"}
        assert stages["frames embedded"] + stages["frames reused"] == n
    assert not [t for t in threading.enumerate() if t.name in ("vidgist-ocr", "vidgist-prefetch")]


@pytest.fixture(scope="module")
def still_then_moving(tmp_path_factory) -> Path:
    """6 s of a still picture (SMPTE bars, x264-coded: its noise is real) then 4 s of a moving pattern."""
    out = tmp_path_factory.mktemp("reuse") / "still_then_moving.mp4"
    graph = (
        "smptebars=size=640x360:rate=25:duration=6[a];testsrc2=size=640x360:rate=25:duration=4[b];"
        "[a][b]concat=n=2:v=1:a=0,format=yuv420p[v]"
    )
    cmd = [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-y",
        "-loglevel",
        "error",
        "-filter_complex",
        graph,
        "-map",
        "[v]",
    ]
    subprocess.run([*cmd, "-c:v", "libx264", "-preset", "ultrafast", "-crf", "28", str(out)], check=True)
    return out


def test_still_frames_reuse_features(still_then_moving: Path, monkeypatch) -> None:
    """Samples of the still part reuse the first one's rows and labels; the moving part is embedded
    sample by sample; every row and label score stays within 0.02 of embedding every sample."""
    info = probe(still_then_moving)
    bb = load_backbone("offline")
    ev, _, stages = collect(info, bb, 2.0, ocr=False, asr_model=None)
    monkeypatch.setattr(evidence, "REUSE_MAX_DIFF", 0.0)
    full, _, full_stages = collect(info, bb, 2.0, ocr=False, asr_model=None)
    n = len(ev.frames.times)
    assert full_stages["frames reused"] == 0 and full_stages["frames embedded"] == n
    assert stages["frames reused"] >= 10 and stages["frames embedded"] >= 8  # 12 still, 8 moving samples
    assert stages["frames embedded"] + stages["frames reused"] == n
    np.testing.assert_array_equal(ev.frames.times, full.frames.times)
    # a label-channel score is a cosine with this row: it moves by at most the row's change
    bridged_change = np.linalg.norm(ev.frames_in_text_space - full.frames_in_text_space, axis=1).max()
    assert bridged_change < 0.02
    moving = ev.frames.times >= 6.0
    np.testing.assert_allclose(ev.frames.vectors[moving], full.frames.vectors[moving], atol=1e-5)
    labels = {(s.start, s.text) for s in ev.spans}
    labels_full = {(s.start, s.text) for s in full.spans}
    assert len(labels ^ labels_full) <= 0.1 * len(labels_full)
