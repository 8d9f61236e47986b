"""`vidgist query`'s Whisper choice (qms.asr_choice) on real speech with the wheel-shipped models: tiny.en
for English, multilingual base when the screen shows Chinese, says too little to tell, or tiny.en fails."""

from __future__ import annotations

import io
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from vidgist.errors import ModelError
from vidgist.media.speech import detect_spoken_language, transcribe_checked
from vidgist.media.video import extract_audio
from vidgist.qms.asr_choice import SpeechJob
from vidgist.qms.query import QueryGenerator


@pytest.fixture(scope="module")
def english(narrated_demo: tuple[Path, dict]) -> np.ndarray:
    audio = extract_audio(narrated_demo[0])
    assert audio is not None
    return audio[: 8 * 16000]  # "Meet the big white rabbit who lives in the green forest."


@pytest.fixture(scope="module")
def spanish() -> np.ndarray:
    """Three Spanish sentences (espeak-ng, slow): English-only tiny.en makes up English for them. Long enough
    that base's language detection is sure (p(es) > 0.9 under every compute type; one short sentence
    was a near tie with Japanese)."""
    say = (
        "Hoy vamos a preparar una tortilla de patatas. Primero pelamos las patatas y las cortamos en "
        "rodajas finas. Después batimos los huevos con un poco de sal."
    )
    cmd = ["espeak-ng", "-v", "es", "-s", "140", "--stdout", say]
    wav = subprocess.run(cmd, capture_output=True, check=True).stdout
    with wave.open(io.BytesIO(wav)) as w:
        rate = w.getframerate()
        x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768.0
    n = int(round(x.size * 16000 / rate))
    return np.interp(np.arange(n) * rate / 16000, np.arange(x.size), x).astype(np.float32)


SPANISH_WORDS = {"tortilla", "patatas", "huevos", "rodajas", "preparar", "batimos"}


def _text(t: object) -> str:
    return " ".join(s.text for s in t.spans).lower()  # type: ignore[attr-defined]


def test_english_on_screen_text_keeps_tiny_en(english: np.ndarray) -> None:
    job = SpeechJob(english)
    heard = job.finish("en")
    assert heard.model == "tiny.en" and heard.language == "en" and not heard.doubtful
    assert "rabbit" in _text(heard) and job.route == "tiny.en: English on-screen text"


def test_chinese_on_screen_text_switches_to_multilingual_base(english: np.ndarray) -> None:
    job = SpeechJob(english)
    heard = job.finish("zh")
    assert heard.model == "base" and job.route == "base: Chinese on-screen text"
    assert heard.language == "en" and "rabbit" in _text(heard)  # base detects the speech's language


def test_no_on_screen_text_asks_base_which_language_it_hears(english: np.ndarray) -> None:
    assert detect_spoken_language(english) == "en"
    assert detect_spoken_language(np.zeros(3 * 16000, np.float32)) is None  # silence: no speech
    job = SpeechJob(english)
    heard = job.finish(None)
    assert heard.model == "tiny.en" and "base heard English" in job.route and "rabbit" in _text(heard)


def test_a_failed_tiny_en_transcript_falls_back_to_base(english: np.ndarray, spanish: np.ndarray) -> None:
    assert not transcribe_checked(english, "tiny.en", beam_size=1).doubtful
    guess = transcribe_checked(spanish, "tiny.en", beam_size=1)
    assert guess.doubtful and not SPANISH_WORDS & set(_text(guess).split())  # made-up English, unsure
    job = SpeechJob(spanish)
    heard = job.finish("en")  # e.g. an English title over Spanish speech
    assert heard.model == "base" and job.route == "base: tiny.en's transcript looked failed"
    assert heard.language == "es" and len(SPANISH_WORDS & set(_text(heard).replace(".", " ").split())) >= 2


def test_explicit_models_run_alone_and_unknown_ones_fail_at_once(english: np.ndarray) -> None:
    job = SpeechJob(english, "base")
    heard = job.finish("en")
    assert heard.model == "base" and job.route == "base (asked for)"
    with pytest.raises(ModelError, match="--asr-model bogus: unknown; use auto, tiny.en, base"):
        QueryGenerator(asr_model="bogus")
