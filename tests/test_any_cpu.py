"""The same results whatever the thread count and Whisper compute type (a CI matrix in one test file).

Tolerances: the frame and text models (ONNX Runtime) with 1 and 2 threads agree within 1e-5 per
feature and give the same top labels; Whisper tiny.en with 1 and 2 threads gives the same text for a
compute type, and every compute type (int8, int8_float32, float32) hears every key word of a clearly
narrated clip, its words differing from int8's in at most a quarter of them (word error rate).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from vidgist.backbones.offline import FrameNet, TextNet
from vidgist.media import speech

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_asr import edits, words  # noqa: E402  (the speech benchmark's WER: one definition)

NARRATION = (
    "A red kite flies high above the hill. A small dog runs along the beach. The baker opens the oven."
)
KEY_WORDS = {"kite", "hill", "dog", "beach", "oven"}  # "baker" is heard as "maker" by int8


def _wer(ref: list[str], hyp: list[str]) -> float:
    return edits(ref, hyp) / max(len(ref), 1)


@pytest.fixture(scope="module")
def narration(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    exe = shutil.which("espeak-ng")
    assert exe, "espeak-ng is not installed: scripts/check_system.sh test installs it"
    wav = tmp_path_factory.mktemp("any-cpu") / "n.wav"
    subprocess.run([exe, "-v", "en-us", "-s", "140", "-w", str(wav), NARRATION], check=True)
    with wave.open(str(wav)) as w:
        rate = w.getframerate()
        x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768
    n = int(len(x) * speech.SAMPLE_RATE / rate)
    return np.interp(np.arange(n) * rate / speech.SAMPLE_RATE, np.arange(len(x)), x).astype(np.float32)


@pytest.fixture(scope="module")
def transcripts(narration: np.ndarray) -> dict[tuple[str, int], str]:
    out = {}
    for compute in speech.COMPUTE_TYPES:
        for threads in (1, 2):
            t = speech.transcribe_checked(narration, "tiny.en", compute=compute, threads=threads)
            out[compute, threads] = " ".join(s.text for s in t.spans)
    return out


@pytest.mark.parametrize("compute", speech.COMPUTE_TYPES)
def test_whisper_one_and_two_threads_agree(transcripts: dict, compute: str) -> None:
    assert transcripts[compute, 1] == transcripts[compute, 2]


@pytest.mark.parametrize("compute", speech.COMPUTE_TYPES)
def test_every_compute_type_hears_the_key_words(transcripts: dict, compute: str) -> None:
    heard = words(transcripts[compute, 2])
    assert KEY_WORDS <= set(heard), transcripts[compute, 2]
    assert _wer(words(transcripts["int8", 2]), heard) <= 0.25, transcripts


def _frames(n: int = 12) -> np.ndarray:
    """Smooth coloured images with a moving disc: like decoded video, not noise."""
    yy, xx = np.mgrid[0:224, 0:224]
    out = np.zeros((n, 224, 224, 3), np.uint8)
    for i in range(n):
        disc = (xx - 20 - 15 * i) ** 2 + (yy - 112) ** 2 < 40**2
        out[i] = (np.array([30 + 17 * i, 120, 200 - 13 * i]) * (0.6 + 0.4 * yy[..., None] / 224)).astype(
            np.uint8
        )
        out[i][disc] = (240, 220, 40)
    return out


def test_frame_model_one_and_two_threads_agree() -> None:
    crops = _frames()
    one, two = FrameNet("onnx", 1), FrameNet("onnx", 2)
    assert one.engine == two.engine == "onnx"
    (p1, l1), (p2, l2) = one(crops), two(crops)
    np.testing.assert_allclose(p1, p2, rtol=0, atol=1e-5)
    np.testing.assert_allclose(l1, l2, rtol=0, atol=1e-4)
    assert (np.argsort(-l1, axis=1)[:, :5] == np.argsort(-l2, axis=1)[:, :5]).all()


def test_text_model_one_and_two_threads_agree() -> None:
    texts = [NARRATION, "kite", "a dog on the beach", "fresh bread from the oven"] * 3
    one, two = TextNet("onnx", 1), TextNet("onnx", 2)
    np.testing.assert_allclose(one(texts), two(texts), rtol=0, atol=1e-5)
