"""Make real test videos with PyAV: coloured parts with known cut times, text, tones, and bad inputs.

Every function writes a real file that FFmpeg/PyAV can read (or, for the ``make_*_bad`` helpers, a file
that is broken in one known way), and returns the ground truth the tests check against.

A *part* is a dict:

- ``duration`` (float seconds, required)
- ``color``: RGB tuple, default grey
- ``pattern``: ``"solid"`` (default) | ``"noise"`` (colour + seeded noise) | ``"bars"`` (vertical colour bars)
  | ``"moving"`` (a white square sliding across the colour)
- ``noise``: noise amplitude 0..255 for ``"noise"`` (default 40)
- ``text``: big text drawn in the middle with DejaVuSans (optional)
- ``tone``: sine frequency in Hz for this part's audio (optional; silence when absent)
- ``fps``: frame rate of this part (optional; parts with different rates make a variable-frame-rate file)
- ``clip``: ``(path, start_seconds)`` of a real video whose frames (resized to the output size) make this
  part instead of ``color``/``pattern``
- ``text_window``: ``(start, end)`` seconds inside the part when ``text`` is on screen (default: all of it)
- ``text_fit``: when true, the text's font shrinks (not below 12 px) until the text fits the frame width;
  by default a long text runs off both edges
- ``say``: a sentence spoken by espeak-ng from ``say_at`` seconds into the part (default 0.3), over any tone
"""

from __future__ import annotations

import functools
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)

VIDEO_TIME_BASE = Fraction(1, 90000)


def font_path() -> str:
    """A TrueType font that exists here: system DejaVu, else matplotlib's bundled DejaVuSans."""
    for cand in FONT_CANDIDATES:
        if Path(cand).exists():
            return cand
    import matplotlib

    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")


@functools.lru_cache(maxsize=8)
def _font(size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.truetype(font_path(), size=size)


def _frame_image(
    part: dict[str, Any],
    size: tuple[int, int],
    k: int,
    n: int,
    rng: np.random.Generator,
    t_in_part: float = 0.0,
) -> np.ndarray:
    w, h = size
    color = np.array(part.get("color", (128, 128, 128)), dtype=np.int16)
    pattern = "clip" if "clip" in part else part.get("pattern", "solid")
    img = np.empty((h, w, 3), dtype=np.int16)
    img[:] = color
    if pattern == "clip":
        src, start = part["clip"]
        img = _clip_frame(str(src), float(start) + t_in_part, size).astype(np.int16)
    elif pattern == "noise":
        amp = int(part.get("noise", 40))
        img = img + rng.integers(-amp, amp + 1, size=img.shape, dtype=np.int16)
    elif pattern == "bars":
        n_bars = 6
        for b in range(n_bars):
            x0, x1 = b * w // n_bars, (b + 1) * w // n_bars
            img[:, x0:x1] = (color + b * 40) % 256
    elif pattern == "moving":
        side = max(4, h // 4)
        x = int((w - side) * (k / max(1, n - 1)))
        y = (h - side) // 2
        img[y : y + side, x : x + side] = 255
    elif pattern != "solid":
        raise ValueError(f"unknown pattern {pattern!r}")
    out = np.clip(img, 0, 255).astype(np.uint8)
    text = part.get("text")
    window = part.get("text_window")
    if window is not None and not (float(window[0]) <= t_in_part < float(window[1])):
        text = None
    if text:
        from PIL import Image, ImageDraw

        im = Image.fromarray(out)
        draw = ImageDraw.Draw(im)
        size_px = max(12, h // 6)
        font = _font(size_px)
        box = draw.textbbox((0, 0), text, font=font)
        while part.get("text_fit") and size_px > 12 and box[2] - box[0] > w - 20:
            size_px -= 1
            font = _font(size_px)
            box = draw.textbbox((0, 0), text, font=font)
        tw, th = box[2] - box[0], box[3] - box[1]
        xy = ((w - tw) // 2 - box[0], (h - th) // 2 - box[1])
        pad = 6
        rect = (xy[0] - pad, xy[1] - pad, xy[0] + tw + pad + box[0], xy[1] + th + pad + box[1])
        draw.rectangle(rect, fill=(0, 0, 0))
        draw.text(xy, text, font=font, fill=(255, 255, 255))
        out = np.asarray(im)
    return out


@functools.lru_cache(maxsize=2)
def _clip_frames(src: str, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """All frames of the video ``src`` resized to ``size`` (w, h): (times (n,), frames (n, h, w, 3))."""
    import av
    from PIL import Image

    times, frames = [], []
    with av.open(src) as c:
        for f in c.decode(video=0):
            times.append(float(f.time or 0.0))
            frames.append(np.asarray(f.to_image().resize(size, Image.Resampling.BILINEAR)))
    return np.asarray(times), np.stack(frames)


def _clip_frame(src: str, t: float, size: tuple[int, int]) -> np.ndarray:
    """The frame of ``src`` shown at ``t`` seconds (looping past its end), resized to ``size``."""
    times, frames = _clip_frames(src, size)
    period = float(times[-1]) + (float(times[-1] - times[-2]) if len(times) > 1 else 1.0)
    t = t % period
    i = int(np.clip(np.searchsorted(times, t + 1e-6, side="right") - 1, 0, len(times) - 1))
    return frames[i]


@functools.lru_cache(maxsize=64)
def speak(text: str, sample_rate: int = 22050, speed: int = 150) -> np.ndarray:
    """``text`` spoken by espeak-ng (English voice) as mono float32 at ``sample_rate`` Hz."""
    import io
    import subprocess
    import wave

    wav = subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", str(speed), "--stdout", text], capture_output=True, check=True
    ).stdout
    with wave.open(io.BytesIO(wav)) as w:
        rate = w.getframerate()
        x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768.0
    if rate != sample_rate:
        n = int(round(x.size * sample_rate / rate))
        x = np.interp(np.arange(n) * rate / sample_rate, np.arange(x.size), x).astype(np.float32)
    return x


def _part_times(parts: list[dict[str, Any]], fps: float) -> list[tuple[int, float, list[float]]]:
    """Per part: (index, start time, frame times) with each part's own rate."""
    out = []
    t0 = 0.0
    for i, part in enumerate(parts):
        rate = float(part.get("fps", fps))
        dur = float(part["duration"])
        n = max(1, int(round(dur * rate))) if dur > 0 else 0  # a 0-s part has no frame
        out.append((i, t0, [t0 + j / rate for j in range(n)]))
        t0 += dur
    return out


def make_video(
    path: str | Path,
    parts: list[dict[str, Any]],
    fps: float = 25,
    size: tuple[int, int] = (320, 240),
    audio: bool = True,
    codec: str = "libx264",
    sample_rate: int = 44100,
    rotation: int = 0,
    gop: int | None = None,
    seed: int = 0,
) -> list[float]:
    """Write ``parts`` one after another to ``path`` and return the cut times (part starts after 0).

    Parts of duration 0 have no frame; if no part has a frame the file is a valid mp4 with no
    video track (what encoding zero frames gives), i.e. a zero-length video.

    ``rotation`` is a display rotation in degrees *counter-clockwise* (PyAV/FFmpeg display-matrix
    convention, the value ``VideoFrame.rotation`` reads back); players turn the picture by it.
    ``gop`` sets the key-frame interval in frames (default: x264's). Frame timestamps are exact
    multiples of each part's 1/fps in a 1/90000 time base, so a part with its own ``fps`` makes a VFR file.
    """
    import av

    path = Path(path)
    rng = np.random.default_rng(seed)
    w, h = size
    with av.open(str(path), "w") as out:
        vs: Any = out.add_stream(codec, rate=Fraction(fps).limit_denominator(1001))
        vs.width, vs.height = w, h
        vs.pix_fmt = "yuv420p"
        vs.time_base = VIDEO_TIME_BASE
        vs.codec_context.time_base = VIDEO_TIME_BASE
        opts: dict[str, str] = {"preset": "ultrafast", "crf": "20"} if codec in ("libx264", "h264") else {}
        if gop is not None:
            vs.codec_context.gop_size = gop
            if codec in ("libx264", "h264"):
                opts["x264-params"] = f"keyint={gop}:min-keyint={gop}:scenecut=0"
        vs.options = opts
        if rotation:
            vs.set_display_rotation(rotation)
        writer = _AudioWriter(out, sample_rate, audio_signal(parts, sample_rate)) if audio else None
        for i, t0, times in _part_times(parts, fps):
            part = parts[i]
            for k, t in enumerate(times):
                img = _frame_image(part, size, k, len(times), rng, t - t0)
                frame = av.VideoFrame.from_ndarray(img, format="rgb24").reformat(format="yuv420p")
                frame.pts = int(round(t / VIDEO_TIME_BASE))
                frame.time_base = VIDEO_TIME_BASE
                for pkt in vs.encode(frame):
                    out.mux(pkt)
                if writer is not None:
                    writer.write_until(t + 0.5)  # keep audio interleaved with video
        for pkt in vs.encode():
            out.mux(pkt)
        if writer is not None:
            writer.finish()
        out.start_encoding()  # no-op when packets were written; else an empty (zero-length) file
    cuts = []
    acc = 0.0
    for p in parts[:-1]:
        acc += float(p["duration"])
        cuts.append(acc)
    return cuts


def audio_signal(parts: list[dict[str, Any]], sample_rate: int) -> np.ndarray:
    """The mono float32 signal ``make_video`` writes: each part's speech, tone (amplitude 0.5) or silence."""
    pieces = []
    for p in parts:
        n = int(round(float(p["duration"]) * sample_rate))
        t = np.arange(n) / sample_rate
        f = p.get("tone")
        piece = (0.5 * np.sin(2 * np.pi * float(f) * t)) if f else np.zeros(n)
        if p.get("say"):
            voice = speak(str(p["say"]), sample_rate)
            a = int(round(float(p.get("say_at", 0.3)) * sample_rate))
            piece[a : a + voice.size] = voice[: max(0, n - a)]
        pieces.append(piece)
    return np.concatenate(pieces).astype(np.float32) if pieces else np.zeros(0, np.float32)


class _AudioWriter:
    """Encode a mono float signal as AAC in frame-size chunks, on demand up to a time."""

    def __init__(self, out: Any, sample_rate: int, signal: np.ndarray) -> None:
        self.out = out
        self.stream: Any = out.add_stream("aac", rate=sample_rate, layout="mono")
        self.sr = sample_rate
        self.sig = signal
        self.pos = 0

    def write_until(self, t: float) -> None:
        import av

        fs = self.stream.codec_context.frame_size or 1024
        stop = min(self.sig.size, int(t * self.sr))
        while self.pos < stop:
            chunk = np.ascontiguousarray(self.sig[self.pos : self.pos + fs])
            frame = av.AudioFrame.from_ndarray(chunk[None, :], format="fltp", layout="mono")
            frame.sample_rate = self.sr
            frame.pts = self.pos
            frame.time_base = Fraction(1, self.sr)
            for pkt in self.stream.encode(frame):
                self.out.mux(pkt)
            self.pos += chunk.size

    def finish(self) -> None:
        self.write_until(self.sig.size / self.sr + 1.0)
        for pkt in self.stream.encode():
            self.out.mux(pkt)


def make_audio_only(
    path: str | Path,
    duration: float = 2.0,
    tone: float = 440.0,
    sample_rate: int = 44100,
    seconds: float | None = None,
) -> None:
    """An .m4a/.mp4 file with one AAC audio stream and no video stream (``seconds`` = ``duration``)."""
    import av

    if seconds is not None:
        duration = seconds
    signal = audio_signal([{"duration": duration, "tone": tone}], sample_rate)
    with av.open(str(path), "w") as out:
        _AudioWriter(out, sample_rate, signal).finish()


def make_zero_length(path: str | Path, size: tuple[int, int] = (320, 240)) -> None:
    """What encoding zero frames to mp4 gives: a valid container whose (empty) video track was dropped."""
    import av

    with av.open(str(path), "w") as out:
        vs: Any = out.add_stream("libx264", rate=25)
        vs.width, vs.height = size
        vs.pix_fmt = "yuv420p"
        out.start_encoding()


def make_truncated(src: str | Path, dst: str | Path, keep: float = 0.5) -> None:
    """Copy the first ``keep`` fraction of the bytes of ``src`` to ``dst`` (a download cut short)."""
    data = Path(src).read_bytes()
    Path(dst).write_bytes(data[: int(len(data) * keep)])


def make_faststart(src: str | Path, dst: str | Path) -> None:
    """Remux ``src`` with the index (moov) at the front, as web videos are (imageio-ffmpeg binary)."""
    import subprocess

    import imageio_ffmpeg

    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-v",
            "error",
            "-y",
            "-i",
            str(src),
            "-c",
            "copy",
            "-movflags",
            "+faststart",
            str(dst),
        ],
        check=True,
    )


def remux(src: str | Path, dst: str | Path, *codec_args: str) -> None:
    """Convert ``src`` with the imageio-ffmpeg binary; the container follows ``dst``'s suffix.

    Without ``codec_args`` the streams are copied (e.g. mp4 -> MPEG-TS, whose clock starts at 1.4 s);
    e.g. ``"-c:v", "libvpx", "-c:a", "libvorbis"`` re-encodes (a WebM).
    """
    import subprocess

    import imageio_ffmpeg

    args = list(codec_args) or ["-c", "copy"]
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(src), *args, str(dst)], check=True
    )


def make_not_video(path: str | Path) -> None:
    """A text file with a video suffix."""
    Path(path).write_text("this is not a video\n" * 50, encoding="utf-8")


def ffmpeg_first_frame(path: str | Path, width: int, height: int) -> np.ndarray:
    """The first frame as the imageio-ffmpeg binary shows it (its auto-rotation applied), RGB uint8.

    ``width``/``height`` are the expected display size (after rotation).
    """
    import subprocess

    import imageio_ffmpeg

    raw = subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-v",
            "error",
            "-i",
            str(path),
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(height, width, 3)


def x264_with_b_frames(out: Any, size: tuple[int, int], gop: int, crf: int = 18, rate: int = 25) -> Any:
    """An H.264 stream on the open output ``out``: x264 veryfast, up to 3 B-frames, a key frame every
    ``gop`` frames, ``size`` = (width, height)."""
    vs = out.add_stream("libx264", rate=rate)
    vs.width, vs.height, vs.pix_fmt = size[0], size[1], "yuv420p"
    vs.options = {"preset": "veryfast", "crf": str(crf), "g": str(gop), "keyint_min": str(gop), "bf": "3"}
    return vs


def encode_images(out: Any, stream: Any, images: Any) -> None:
    """Encode the RGB uint8 ``images`` (frame i at pts i) on ``stream`` of ``out``, then flush it."""
    import av

    for i, img in enumerate(images):
        frame = av.VideoFrame.from_ndarray(img, format="rgb24")
        frame.pts = i
        for pkt in stream.encode(frame):
            out.mux(pkt)
    for pkt in stream.encode():
        out.mux(pkt)
