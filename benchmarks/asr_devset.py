"""Development set of the speech benchmark: narrated English sentences from two speech synthesizers.

Each sentence is spoken by espeak-ng (two voices) and by Festival (``kal_diphone``), as mono float32 at
16 kHz, with a seeded speaking rate, a seeded pitch (espeak-ng voices) and a little seeded white noise:
each seed is a regeneration of every clip. Sentences are everyday narration
written for this set (no numbers: Whisper writes them as digits or words); none come from
../shared/videos or the tests. The first half of the sentences is the fit half (where the default is
chosen), the second half is held out.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE = 16000

SENTENCES = [
    "Pour the warm milk slowly into the bowl of flour and stir until it is smooth.",
    "The old lighthouse keeper climbs the stairs every evening to light the lamp.",
    "Children are building a sandcastle next to the waves on a sunny beach.",
    "Tighten the screws on the shelf before you put the heavy books on it.",
    "A small fishing boat leaves the harbor early in the morning fog.",
    "The chef slices fresh tomatoes and onions for a summer salad.",
    "Our team practices passing the football across the wet grass field.",
    "She waters the tomato plants in the garden before it gets too hot.",
    "The train to the city was late because of snow on the tracks.",
    "Turn the camera on its side to film the waterfall from below.",
    "A family of ducks swims across the quiet pond in the park.",
    "He paints the kitchen wall a pale shade of yellow with a wide brush.",
    "The library stays open late on weekdays for students who need to study.",
    "Firefighters pull the long hose toward the burning barn.",
    "Knead the dough on a clean table and let it rest under a towel.",
    "The pilot checks the weather before the small plane takes off.",
]

VOICES = ("espeak:en-us", "espeak:en-gb-scotland", "festival:kal_diphone")


@dataclass(frozen=True)
class Clip:
    sentence: int  # index into SENTENCES
    voice: str
    audio: np.ndarray  # mono float32 at 16 kHz

    @property
    def seconds(self) -> float:
        return self.audio.size / RATE


def footage() -> list[tuple[str, float, float]]:
    """No footage from ../shared/videos: the clips are synthesized."""
    return []


def strings() -> list[str]:
    """Every narration line the set speaks."""
    return list(SENTENCES)


def fit_half() -> list[int]:
    return list(range(0, len(SENTENCES), 2))


def held_out_half() -> list[int]:
    return list(range(1, len(SENTENCES), 2))


def _read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        rate, n = w.getframerate(), w.getnframes()
        x = np.frombuffer(w.readframes(n), dtype=np.int16).astype(np.float32) / 32768.0
        if w.getnchannels() > 1:
            x = x.reshape(-1, w.getnchannels()).mean(axis=1)
    if rate != RATE:
        m = int(round(x.size * RATE / rate))
        x = np.interp(np.arange(m) * rate / RATE, np.arange(x.size), x).astype(np.float32)
    return x


def speak(text: str, voice: str, speed: float, folder: Path, pitch: int = 50) -> np.ndarray:
    """``text`` spoken by ``voice`` ("espeak:VOICE" or "festival:VOICE") at ``speed`` (1 = normal);
    ``pitch`` (0-99, espeak-ng's default 50) applies to espeak-ng voices."""
    engine, _, name = voice.partition(":")
    wav = folder / "s.wav"
    if engine == "espeak":
        exe = shutil.which("espeak-ng")
        if exe is None:
            raise RuntimeError("espeak-ng is not installed: apt-get install espeak-ng")
        cmd = [exe, "-v", name, "-s", str(int(160 * speed)), "-p", str(pitch), "-w", str(wav), text]
        subprocess.run(cmd, check=True, capture_output=True)
    else:
        exe = shutil.which("text2wave")
        if exe is None:
            raise RuntimeError("festival is not installed: apt-get install festival festvox-kallpc16k")
        script = f"(voice_{name})\n(Parameter.set 'Duration_Stretch {1.0 / speed:.3f})"
        (folder / "text.txt").write_text(text)
        cmd = [exe, "-eval", script, "-o", str(wav), str(folder / "text.txt")]
        subprocess.run(cmd, check=True, capture_output=True)
    return _read_wav(wav)


def clips(seed: int, sentences: list[int] | None = None, voices: tuple[str, ...] = VOICES) -> list[Clip]:
    """Every (sentence, voice) clip for ``seed``: speaking rate in [0.9, 1.1], espeak-ng pitch in [35, 65],
    noise at about 30 dB SNR, half a second of silence either side."""
    rng = np.random.default_rng(seed)
    out = []
    with tempfile.TemporaryDirectory(prefix="asr-dev-") as tmp:
        for i in sentences if sentences is not None else range(len(SENTENCES)):
            for v in voices:
                speed, pitch = float(rng.uniform(0.9, 1.1)), int(rng.integers(35, 66))
                x = speak(SENTENCES[i], v, speed, Path(tmp), pitch)
                pad = np.zeros(RATE // 2, np.float32)
                x = np.concatenate([pad, x / max(1e-6, float(np.abs(x).max())) * 0.5, pad])
                noise = rng.normal(0.0, 0.5 * 10 ** (-30 / 20) / np.sqrt(2), x.size)
                out.append(Clip(i, v, (x + noise).astype(np.float32)))
    return out
