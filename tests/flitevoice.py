"""CMU Flite speech for the development sets: a third synthesizer, whose voices no constant was chosen
with (the ``flite`` Debian package; ``make system-bench`` installs it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

#: the Flite voices the development sets take in turn for their unseen-voice runs
FLITE_VOICES = ("slt", "rms", "awb")


def flite_voice(k: int) -> str:
    """The ``k``-th voice of ``FLITE_VOICES`` in turn, as a development-set voice name (``"flite:slt"``)."""
    return f"flite:{FLITE_VOICES[k % len(FLITE_VOICES)]}"


def flite_wav(text: str, voice: str, wav: Path, speed: int = 165) -> None:
    """Write ``text`` spoken by the Flite ``voice`` (``slt``, ``rms``, ``awb``, ...) to ``wav``; ``speed`` in
    words a minute relative to espeak-ng's default 165 (durations stretched by 165 / speed)."""
    exe = shutil.which("flite")
    if exe is None:
        raise RuntimeError("flite is not installed: apt-get install -y flite")
    stretch = f"duration_stretch={165 / speed:.3f}"
    cmd = [exe, "-voice", voice, "--setf", stretch, "-t", text, "-o", str(wav)]
    subprocess.run(cmd, check=True, capture_output=True)
