"""Speech to text on the narrated 24 s demo with the wheel-shipped Whisper models (tiny.en and base)."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import VIDEOS

from vidgist.errors import InputError, ModelError
from vidgist.media import speech
from vidgist.media.video import extract_audio
from vidgist.types import TextSpan

# Words each demo part's narration may be heard as, by index of the part: every Whisper model and compute
# type hears at least one of each set ("bicycles" itself is misheard by tiny.en on some CPUs), and a span
# holding one of them overlaps its own part most.
PART_WORDS = (
    {"rabbit", "forest"},
    {"bicycles", "bicycle", "mountain", "trail"},
    {"earth", "planet", "space", "spinning"},
)


@pytest.fixture(scope="module")
def demo_audio(narrated_demo: tuple[Path, dict]) -> tuple[np.ndarray, dict]:
    video, truth = narrated_demo
    audio = extract_audio(video)
    assert audio is not None and audio.dtype == np.float32
    return audio, truth


@pytest.fixture(scope="module")
def base_cache(tmp_path_factory: pytest.TempPathFactory):
    cache = tmp_path_factory.mktemp("vidgist-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VIDGIST_CACHE", str(cache))
        yield cache


def _overlap(span: TextSpan, part: dict) -> float:
    lo, hi = part["span"]
    return max(0.0, min(span.end, hi) - max(span.start, lo))


def _check_keywords(spans: list[TextSpan], truth: dict) -> None:
    assert spans and all(s.source == "speech" and s.end > s.start for s in spans)
    assert all(a.start <= b.start for a, b in zip(spans, spans[1:], strict=False))
    parts = truth["parts"]
    for k, accepted in enumerate(PART_WORDS):
        hits = [s for s in spans if accepted & set(re.findall(r"[a-z]+", s.text.lower()))]
        assert hits, f"none of {sorted(accepted)} transcribed: {[s.text for s in spans]}"
        for s in hits:  # the span saying the word overlaps the right part most
            best = max(range(len(parts)), key=lambda i: _overlap(s, parts[i]))
            assert best == k, (accepted, s, parts[k]["span"])


def test_tiny_en_words_land_in_the_right_part(demo_audio: tuple[np.ndarray, dict]) -> None:
    audio, truth = demo_audio
    t0 = time.perf_counter()
    spans, lang = speech.transcribe_with_language(audio, "tiny.en")
    rtf = (time.perf_counter() - t0) / (len(audio) / speech.SAMPLE_RATE)
    print(f"tiny.en real-time factor {rtf:.3f} (includes loading on first use)")
    assert lang == "en"
    _check_keywords(spans, truth)
    assert spans[-1].end <= len(audio) / speech.SAMPLE_RATE + 0.5
    # cached model: same object, and a second call is deterministic
    assert speech.load_model("tiny.en") is speech.load_model("tiny.en")
    assert speech.transcribe(audio, "tiny.en") == spans


def test_base_is_assembled_once_and_detects_english(
    demo_audio: tuple[np.ndarray, dict], base_cache: Path
) -> None:
    audio, truth = demo_audio
    spans, lang = speech.transcribe_with_language(audio, "base")
    assert lang == "en"
    _check_keywords(spans, truth)
    folder = speech.base_model_dir()
    assert folder == base_cache / "whisper-base"
    assert sorted(p.name for p in folder.iterdir()) == [
        "config.json",
        "model.bin",
        "tokenizer.json",
        "vocabulary.json",
    ]
    assert not [p for p in base_cache.iterdir() if p.name.startswith(".")]  # no temp folder left behind
    stamp = (folder / "model.bin").stat().st_mtime_ns
    assert speech.base_model_dir() == folder and (folder / "model.bin").stat().st_mtime_ns == stamp


def test_truncated_base_cache_is_rebuilt(base_cache: Path) -> None:
    folder = speech.base_model_dir()
    size = (folder / "model.bin").stat().st_size
    with open(folder / "model.bin", "r+b") as f:
        f.truncate(1000)
    assert speech.base_model_dir() == folder
    assert (folder / "model.bin").stat().st_size == size


def test_unknown_model_and_bad_input(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="large-v9"):
        speech.transcribe(np.zeros(16000, np.float32), model="large-v9")
    with pytest.raises(ModelError, match=str(tmp_path)):
        speech.load_model(str(tmp_path))  # a folder without a model.bin
    with pytest.raises(InputError, match="English-only"):
        speech.transcribe(np.zeros(16000, np.float32), model="tiny.en", language="de")
    with pytest.raises(InputError, match="mono"):
        speech.transcribe(np.zeros((2, 16000), np.float32))


def test_compute_type_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(speech.COMPUTE_ENV, "float32")
    assert speech.asr_compute() == "float32"
    monkeypatch.setenv(speech.COMPUTE_ENV, "float16")
    with pytest.raises(ModelError, match="VIDGIST_ASR_COMPUTE=float16"):
        speech.transcribe(np.zeros(16000, np.float32))
    monkeypatch.delenv(speech.COMPUTE_ENV)
    assert speech.asr_compute() == speech.DEFAULT_COMPUTE


def test_silence_gives_no_spans() -> None:
    spans, lang = speech.transcribe_with_language(np.zeros(3 * 16000, np.float32), "tiny.en")
    assert spans == []
    assert speech.transcribe(np.zeros(100, np.float32)) == []


def test_cache_dir_honours_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("VIDGIST_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert speech.cache_dir() == tmp_path / "vidgist"
    monkeypatch.setenv("VIDGIST_CACHE", os.fspath(tmp_path / "v"))
    assert speech.cache_dir() == tmp_path / "v"


def test_same_audio_same_transcript_on_repetitive_speech() -> None:
    """Looped narration makes repetitive windows, where faster-whisper's default temperature fallback
    samples at random; vidgist decodes at temperature 0 only, so two runs agree exactly."""
    demo = VIDEOS / "narrated_demo_24s.mp4"
    audio = extract_audio(demo)
    assert audio is not None
    looped = np.concatenate([audio] * 4)  # 96 s of the same three sentences
    first = speech.transcribe(looped)
    assert len(first) >= 6
    assert speech.transcribe(looped) == first


def test_a_segment_is_cut_at_sentence_ends_and_long_pauses() -> None:
    from faster_whisper.transcribe import Segment, Word

    words = [
        Word(0.2, 0.6, " Turn", 0.9),
        Word(0.7, 1.1, " the", 0.9),
        Word(1.2, 1.8, " key.", 0.9),
        Word(2.0, 2.4, " Lift", 0.9),
        Word(2.5, 3.0, " it", 0.9),
        Word(18.2, 18.8, " brass", 0.9),  # after a long silence, no punctuation before it
        Word(18.9, 19.5, " bells", 0.9),
    ]
    text = "".join(w.word for w in words)
    seg = Segment(0, 0, 0.2, 19.5, text, [], -0.2, 1.2, 0.01, words, 0.0)
    spans = speech.utterances(seg)
    assert [(s.start, s.end, s.text) for s in spans] == [
        (0.2, 1.8, "Turn the key."),
        (2.0, 3.0, "Lift it"),
        (18.2, 19.5, "brass bells"),
    ]
    no_words = Segment(0, 0, 1.0, 2.0, " hello there", [], -0.2, 1.2, 0.01, None, 0.0)
    assert speech.utterances(no_words) == [TextSpan(1.0, 2.0, "hello there", "speech")]


def test_auto_keeps_tiny_en_for_english_and_turns_to_base_for_spanish(
    demo_audio: tuple[np.ndarray, dict], tmp_path: Path
) -> None:
    """``transcribe_auto`` (the summarizer's default): English speech is tiny.en's transcript; Spanish
    speech (espeak-ng), which tiny.en would turn into a repetition loop, is transcribed by base in
    Spanish."""
    from librarygen import Part, make_clip

    audio, truth = demo_audio
    english = speech.transcribe_auto(audio)
    assert english.model == "tiny.en" and not english.doubtful
    _check_keywords(list(english.spans), truth)

    clip = make_clip(
        tmp_path / "spanish.mp4",
        [
            Part(9, narration="El panadero amasa la harina con agua y sal antes del amanecer.", lang="es"),
            Part(9, narration="Después hornea el pan durante cuarenta minutos en el horno.", lang="es"),
        ],
    )
    spanish_audio = extract_audio(clip)
    assert spanish_audio is not None
    heard = speech.transcribe_auto(spanish_audio)
    words = set(re.findall(r"\w+", " ".join(s.text for s in heard.spans).lower()))
    assert heard.model == "base" and heard.language == "es", heard
    assert len(words & {"agua", "sal", "pan", "después", "minutos", "horno", "harina"}) >= 3, words
