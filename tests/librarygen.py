"""Narrated, captioned development clips for the video library, in English and Chinese.

``long_moving_clip(path)`` writes a silent 150-s clip of a moving square (long enough to cancel a job while
it decodes). ``make_clip(path, parts, fps=10)`` writes an H.264/AAC mp4: each part is ``Part(seconds, caption,
narration, lang, color, voice, photo)``, shown as a solid colour (or ``photo``, an image file fitted to the
frame) with the caption drawn by FFmpeg's drawtext (WenQuanYi Zen Hei for Chinese, DejaVu otherwise) and
spoken from the part's start by espeak-ng (voice ``en`` or ``cmn``) or, with ``voice="festival"``, by
Festival's ``text2wave`` (English only). ``fonts-wqy-zenhei``, ``espeak-ng`` and ``festival`` are Debian
packages (.ci/run installs them).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
LATIN_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
RATE = 16000


@dataclass(frozen=True)
class Part:
    seconds: float
    caption: str = ""
    narration: str = ""
    lang: str = "en"  # "en", "zh" (captions and speech) or another espeak-ng voice (speech: "es", "de")
    color: str = "0x336699"
    voice: str = "espeak"  # "espeak", "festival" or "flite:VOICE" (English)
    photo: str = ""  # an image file shown instead of the colour


def ffmpeg() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def _font(lang: str) -> str:
    for f in CJK_FONTS if lang == "zh" else LATIN_FONTS:
        if Path(f).exists():
            return f
    raise RuntimeError(f"no font for {lang}: apt-get install fonts-wqy-zenhei fonts-dejavu-core")


def speak(text: str, lang: str, folder: Path, voice: str = "espeak") -> np.ndarray:
    """The speech of ``text`` (espeak-ng; Festival's text2wave when ``voice`` is "festival"; a CMU Flite
    voice when it is "flite:VOICE", English only) as mono float32 at 16 kHz."""
    wav = folder / "speech.wav"
    if voice.startswith("flite:"):
        from flitevoice import flite_wav

        flite_wav(text, voice.split(":", 1)[1], wav)
    elif voice == "festival":
        exe = shutil.which("text2wave")
        if exe is None:
            raise RuntimeError("festival is not installed: apt-get install festival festvox-kallpc16k")
        src = folder / "speech.txt"
        src.write_text(text, encoding="utf-8")
        subprocess.run([exe, str(src), "-o", str(wav)], check=True, capture_output=True)
    else:
        exe = shutil.which("espeak-ng")
        if exe is None:
            raise RuntimeError("espeak-ng is not installed: apt-get install espeak-ng")
        subprocess.run(
            [exe, "-v", {"zh": "cmn"}.get(lang, lang), "-s", "150", "-w", str(wav), text],
            check=True,
            capture_output=True,
        )
    with wave.open(str(wav)) as w:
        rate, n = w.getframerate(), w.getnframes()
        x = np.frombuffer(w.readframes(n), dtype=np.int16).astype(np.float32) / 32768
    if rate != RATE:
        x = np.interp(np.arange(int(len(x) * RATE / rate)) * rate / RATE, np.arange(len(x)), x).astype(
            np.float32
        )
    return x


def make_clip(path: Path, parts: list[Part], fps: int = 10, size: tuple[int, int] = (640, 360)) -> Path:
    """Write the clip (see module docstring); returns ``path``. Parts longer than their speech stay silent."""
    total = sum(p.seconds for p in parts)
    audio = np.zeros(int(total * RATE) + RATE, np.float32)
    with tempfile.TemporaryDirectory(prefix="vidgist-clip-") as tmp:
        folder = Path(tmp)
        filters, t = [], 0.0
        inputs: list[str] = []
        for i, p in enumerate(parts):
            if p.photo:
                inputs += ["-loop", "1", "-framerate", str(fps), "-t", f"{p.seconds}", "-i", p.photo]
            else:
                inputs += [
                    "-f",
                    "lavfi",
                    "-i",
                    f"color=c={p.color}:s={size[0]}x{size[1]}:r={fps}:d={p.seconds}",
                ]
            if p.narration:
                x = speak(p.narration, p.lang, folder, p.voice)[: int(p.seconds * RATE)]
                a = int(t * RATE)
                audio[a : a + len(x)] += x
            if p.caption:
                tf = folder / f"caption{i}.txt"
                tf.write_text(p.caption, encoding="utf-8")
                filters.append(
                    f"drawtext=fontfile={_font(p.lang)}:textfile={tf}:fontsize=44:fontcolor=white:"
                    f"box=1:boxcolor=black@0.6:x=(w-text_w)/2:y=(h-text_h)/2:"
                    f"enable='between(t,{t:.2f},{t + p.seconds - 0.01:.2f})'"
                )
            t += p.seconds
        pcm = (np.clip(audio[: int(total * RATE)], -1, 1) * 32767).astype(np.int16)
        with wave.open(str(folder / "audio.wav"), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(pcm.tobytes())
        n = len(parts)
        w, h = size
        fit = f"scale={w}:{h}:force_original_aspect_ratio=decrease,pad={w}:{h}:(ow-iw)/2:(oh-ih)/2,"
        graph = "".join(
            f"[{i}:v]{fit if p.photo else ''}setsar=1,format=yuv420p[p{i}];" for i, p in enumerate(parts)
        )
        graph += "".join(f"[p{i}]" for i in range(n)) + f"concat=n={n}:v=1:a=0[base]"
        graph += ";[base]" + (",".join(filters) if filters else "null") + "[v]"
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(path.stem + ".part.mp4")
        subprocess.run(
            [
                ffmpeg(),
                "-y",
                "-loglevel",
                "error",
                *inputs,
                "-i",
                str(folder / "audio.wav"),
                "-filter_complex",
                graph,
                "-map",
                "[v]",
                "-map",
                f"{n}:a",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
                "-g",
                str(fps * 2),
                "-c:a",
                "aac",
                "-b:a",
                "48k",
                "-shortest",
                str(part),
            ],
            check=True,
        )
        part.replace(path)
    return path


def long_moving_clip(path: Path) -> Path:
    """A silent 150-s 128x96 clip at 8 fps of a moving square (module docstring); returns ``path``."""
    import videogen

    videogen.make_video(
        path,
        [{"duration": 150, "color": (90, 160, 60), "pattern": "moving"}],
        fps=8,
        size=(128, 96),
        audio=False,
    )
    return path
