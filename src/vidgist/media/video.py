"""Video input with PyAV: probe a file, stream sampled RGB frames, read the audio track.

Times are seconds from the start of the file: presentation timestamps (``pts * time_base``) exactly as
the file states them, minus the container start time (``time_origin``: 0 for mp4/mkv/webm, often 1.4 s
for MPEG-TS), so they line up with a player's position and with ``vidgist.media.cut`` (same clock).

Sampling rule (``iter_frames``): sampling instants are ``t_first + k / fps`` where ``t_first`` is the
time of the first decoded frame; for each instant the first decoded frame at or after it is returned
(once: when frames are sparser than ``1/fps``, as in variable-frame-rate files, instants that fall in
a gap share nothing and are skipped, so every returned frame is distinct and times strictly increase).
Sampling is by time, never by frame index, so variable-frame-rate files are handled.

Cost: only what the sampling needs is decoded (``decode_skip``): with sparse sampling
(``skip_nonref``) the decoder skips the B-frames (H.264: all of them, bit-exact for the frames kept;
other codecs: the non-reference ones) or, when key frames are at most one sampling step apart, every
frame but the key frames (phone and streaming videos with a key frame every 1-2 s then decode a few
frames per second of video). Only the sampled frames are converted to RGB and resized, inside FFmpeg's
swscale, straight to the size the caller asks (``SampledFrame.rgb``), with one single-threaded scaler
per thread reused across frames. Decoding is frame/slice threaded (``thread_type = "AUTO"``).
Memory is one decoded frame at a time: nothing holds the whole video.

Key frames only (``keyframes_only``) forces the key-frame mode whatever the gaps (the video library's
sparse sampling); the sampling rule is the same over the frames decoded.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from vidgist.errors import InputError
from vidgist.media.damage import MAX_DAMAGE_SHARE, DamageReport
from vidgist.types import VideoInfo

if TYPE_CHECKING:
    import av.container

SHORT_CLIP_SECONDS = 60.0


def default_fps(duration: float) -> float:
    """Sampling rate for a video of ``duration`` seconds.

    Rule: 1 frame per second for clips shorter than 60 s (the QMS micro-video protocol: "one frame per
    second"), 2 frames per second otherwise (the TVSum/SumMe feature protocol: one frame every 15 frames of
    30 fps video, as in the eccv16 h5 files used by DSNet/VASNet). A 2-hour video gives 14,400 samples.
    """
    return 1.0 if duration < SHORT_CLIP_SECONDS else 2.0


def _open(path: Path) -> av.container.InputContainer:
    import av

    if not path.exists():
        raise InputError(f"{path}: file not found; check the path")
    if not path.is_file():
        raise InputError(f"{path}: is not a file; give a video file")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: file is empty (0 bytes); give a complete video file")
    try:
        return av.open(str(path), metadata_errors="ignore")
    except av.error.FFmpegError as exc:
        msg = str(exc)
        if _looks_like_mp4(path):
            raise InputError(
                f"{path}: corrupt or truncated MP4/MOV (FFmpeg: {_short(msg)}); re-download or re-export it"
            ) from None
        raise InputError(
            f"{path}: not a video FFmpeg can read (FFmpeg: {_short(msg)}); give an mp4/mkv/webm/mov/avi file"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc}); check the file and its permissions") from None


@contextmanager
def open_input(path: str | os.PathLike[str]) -> Iterator[av.container.InputContainer]:
    """The opened container of ``path`` (closed on exit); InputError (one line) when it cannot be opened."""
    container = _open(Path(path))
    try:
        yield container
    finally:
        container.close()


def _no_video(p: Path, container: Any) -> InputError:
    if container.streams.audio:
        return InputError(f"{p}: audio-only file (no video stream); give a video file")
    return InputError(f"{p}: contains no video stream (zero-length or empty container); give a video file")


#: FFmpeg demuxers of single images (a photo renamed to .mp4 opens as one of these)
_IMAGE_FORMATS = ("image2", "image2pipe")


def _check_still_image(p: Path, container: Any, vs: Any) -> None:
    """Raise InputError when FFmpeg opened ``p`` as a still image (png_pipe, jpeg_pipe, image2...)."""
    fmt = str(getattr(container.format, "name", ""))
    if fmt.endswith("_pipe") or fmt in _IMAGE_FORMATS:
        codec = vs.codec_context.name.upper() if vs.codec_context is not None else "image"
        raise InputError(f"{p}: a still image ({codec}), not a video; give a video file (mp4, mkv, webm...)")


def _zero_length(p: Path) -> InputError:
    return InputError(f"{p}: zero-length video (the video stream holds no frames); give a non-empty video")


def _nothing_decoded(p: Path, damage: DamageReport) -> InputError:
    d = damage.video
    if d.failed_packets or d.read_errors:
        return InputError(
            f"{p}: corrupt video: no frame decodes ({d.failed_packets} bad packets, "
            f"{d.read_errors} read errors); re-download or re-export it"
        )
    return _zero_length(p)


def _short(msg: str) -> str:
    line = msg.splitlines()[0] if msg else "unknown error"
    if line.startswith("[Errno") and "] " in line:
        line = line.split("] ", 1)[1]
    # PyAV appends ": '<path>'"; the path is already at the front of our message.
    cut = line.find(": '")
    return (line[:cut] if cut > 0 else line)[:160]


def _looks_like_mp4(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(12)
    except OSError:
        return False
    return len(head) >= 8 and head[4:8] in (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip")


def time_origin(container: Any) -> float:
    """The container start time in seconds (FFmpeg ``start_time``), the zero of vidgist's clock."""
    st = container.start_time
    return float(st) / 1_000_000.0 if st is not None and st > 0 else 0.0


def _frame_time(frame: Any, fallback: float) -> float:
    pts = frame.pts
    if pts is None:
        return fallback
    return float(pts * frame.time_base)


def display_rotation(frame_rotation: int | float) -> int:
    """Clockwise degrees (0/90/180/270) a player turns the picture, from ``VideoFrame.rotation``.

    ``VideoFrame.rotation`` is FFmpeg's display-matrix angle, counter-clockwise in [-180, 180]; FFmpeg's
    ``-autorotate`` turns the picture clockwise by its negation (``transpose=clock`` for -90).
    """
    return int(round(-float(frame_rotation) / 90.0)) % 4 * 90


def _rotate(img: np.ndarray, cw_degrees: int) -> np.ndarray:
    if cw_degrees == 0:
        return img
    # np.rot90 turns counter-clockwise for positive k.
    return np.ascontiguousarray(np.rot90(img, k=-(cw_degrees // 90)))


def index_loss(path: Path, stream: Any, duration: float) -> float:
    """Seconds at the end of ``stream`` whose data the container index places past the end of the file
    (a cut-short download with its index in front: MP4 faststart, MKV with cues); 0 without an index."""
    try:
        entries = stream.index_entries
        n = len(entries)
    except Exception:  # noqa: BLE001 - containers without an index simply skip this check
        return 0.0
    if n == 0 or not stream.time_base:
        return 0.0
    size = os.path.getsize(path)
    last = entries[n - 1]
    if not (last.pos > 0 and last.pos + last.size > size):
        return 0.0
    lo, hi = 0, n - 1  # the first entry past the end (entries are in file order for one stream)
    while lo < hi:
        mid = (lo + hi) // 2
        if entries[mid].pos + entries[mid].size > size:
            hi = mid
        else:
            lo = mid + 1
    t = float(entries[lo].timestamp * stream.time_base) - float((stream.start_time or 0) * stream.time_base)
    return max(0.0, duration - max(0.0, t))


def _check_complete(path: Path, stream: Any, duration: float) -> None:
    """Raise InputError when the index says more than ``MAX_DAMAGE_SHARE`` of the video lies past the
    end of the file (cut-short download); a shorter loss is decoded up to where the data ends."""
    lost = index_loss(path, stream, duration)
    if duration > 0 and lost > MAX_DAMAGE_SHARE * duration:
        raise InputError(
            f"{path}: truncated or corrupt video (the index places {lost:.2f} s of {duration:.2f} s past "
            f"the end of the file); re-download or re-export it"
        )


def probe(path: str | os.PathLike[str]) -> VideoInfo:
    """Read what the container says about ``path`` and check it can be decoded.

    Decodes the first video frame (to read the rotation and prove the stream decodes) and checks the
    container index against the file size (to catch truncated files). Raises InputError (one line) for:
    missing file, not a video / unreadable, truncated or corrupt file, zero-length video, audio-only file.
    """
    import av

    p = Path(path)
    container = _open(p)
    try:
        vstreams = container.streams.video
        if not vstreams:
            raise _no_video(p, container)
        vs = vstreams[0]
        _check_still_image(p, container, vs)
        duration = stream_duration(container, vs)
        _check_complete(p, vs, duration)
        cc = vs.codec_context
        vs.thread_type = "AUTO"
        first = None
        damage = DamageReport(p, duration)
        try:
            for frame in damage.video.decode(container, vs, time_origin(container)):
                first = frame
                break
        except av.error.FFmpegError as exc:
            msg = _short(str(exc))
            raise InputError(f"{p}: corrupt video stream (FFmpeg: {msg}); re-export it") from None
        if first is None:
            raise _nothing_decoded(p, damage)
        rotation = display_rotation(first.rotation)
        if duration <= 0:
            raise InputError(f"{p}: zero-length video (duration 0 s); give a non-empty video")
        fps = stream_fps(vs)
        n_frames = int(round(duration * fps))
        if vs.frames and (fps <= 0 or abs(vs.frames - n_frames) <= 0.5 * n_frames + 10):
            n_frames = int(vs.frames)  # the header's count, unless implausible (some MKV tags)
        sar = vs.sample_aspect_ratio
        width, height = _display_size(cc.width or first.width, cc.height or first.height, sar)
        size = (height, width) if rotation in (90, 270) else (width, height)
        # VideoInfo's fields in order: path, duration, fps, n_frames, width, height, rotation, has_audio
        return VideoInfo(p, duration, fps, n_frames, *size, rotation, bool(container.streams.audio))
    finally:
        container.close()


def stream_fps(vs: Any) -> float:
    """Average frame rate; falls back to FFmpeg's guessed/base rate when the header's value is absurd."""
    for rate in (vs.average_rate, vs.guessed_rate, vs.base_rate):
        if rate and 0 < float(rate) <= 500:
            return float(rate)
    return 0.0


def stream_duration(container: Any, vs: Any) -> float:
    """Stream duration in seconds (stream header, else container header)."""
    if vs.duration is not None and vs.time_base is not None and vs.duration > 0:
        return float(vs.duration * vs.time_base)
    if container.duration is not None and container.duration > 0:
        return float(container.duration) / 1_000_000.0
    return 0.0


def _display_size(width: int, height: int, sar: Fraction | None) -> tuple[int, int]:
    """Display size for non-square pixels (width scaled by the sample aspect ratio)."""
    if sar is not None and sar > 0 and sar != 1:
        width = max(1, int(round(width * float(sar))))
    return int(width), int(height)


def _target_size(width: int, height: int, max_side: int | None) -> tuple[int, int]:
    """(w, h) with the longer side at most ``max_side``, aspect kept, both even and >= 2."""
    if max_side is None or max(width, height) <= max_side:
        return width, height
    scale = max_side / max(width, height)
    w = max(2, int(round(width * scale / 2)) * 2)
    h = max(2, int(round(height * scale / 2)) * 2)
    return w, h


class SampledFrame:
    """One sampled video frame not yet converted to RGB: ``time`` (seconds), ``rgb()`` (the picture).

    Converting is left to whoever calls ``rgb``, so a decoding thread can hand frames over and keep
    decoding while another thread converts them. Holds one decoded frame (about 1.4 MB at 720p).
    """

    __slots__ = ("time", "_frame", "_size", "_rot", "_display")

    def __init__(
        self, time: float, frame: Any, size: tuple[int, int], rot: int, display: tuple[int, int]
    ) -> None:
        self.time = time
        self._frame, self._size, self._rot, self._display = frame, size, rot, display

    def rgb(self, short_side: int | None = None) -> np.ndarray:
        """RGB uint8 (H, W, 3), turned as a player shows it. Size: what ``iter_sampled`` was asked for, or
        with ``short_side`` the display size scaled so its shorter side is ``short_side`` (FFmpeg's area
        filter does the scaling, in the same pass as the colour conversion)."""
        size = self._size
        if short_side is not None:
            dw, dh = self._display
            scale = short_side / max(1, min(dw, dh))
            size = (max(1, round(dw * scale)), max(1, round(dh * scale)))
        out = _reformatter().reformat(
            self._frame, width=size[0], height=size[1], format="rgb24", interpolation="AREA", threads=1
        )
        return _rotate(out.to_ndarray(), self._rot)


_local = threading.local()


def _reformatter() -> Any:
    """This thread's FFmpeg scaler: one per thread, kept across frames, single-threaded. (A frame's own
    ``to_ndarray(width=, height=)`` builds a scaler per frame, which starts its own threads each time.)"""
    r = getattr(_local, "reformatter", None)
    if r is None:
        from av.video.reformatter import VideoReformatter

        r = _local.reformatter = VideoReformatter()
    return r


def keyframe_gap(path: str | os.PathLike[str], seconds: float = 120.0) -> float | None:
    """The longest time (s) between consecutive key frames over the first ``seconds`` of the video stream
    (the last gap runs to where the scan or the stream ends), read from the packets' key flags without
    decoding; None when that cannot be told (no timestamps, no key frame, an unreadable file)."""
    import av

    p = Path(path)
    try:
        container = _open(p)
    except InputError:
        return None
    try:
        if not container.streams.video:
            return None
        vs = container.streams.video[0]
        if vs.time_base is None:
            return None
        keys: list[float] = []
        last = -math.inf
        for packet in container.demux(vs):
            if packet.pts is None or packet.size == 0:
                continue
            t = float(packet.pts * vs.time_base)
            last = max(last, t)
            if packet.is_keyframe:
                keys.append(t)
            if keys and t - keys[0] > seconds:
                break
        if not keys:
            return None
        keys.sort()
        points = [*keys, max(last, keys[-1])]
        return max((b - a for a, b in zip(points, points[1:], strict=False)), default=0.0)
    except (av.error.FFmpegError, OSError, ValueError):
        return None
    finally:
        container.close()


#: codecs whose B-frames no other frame predicts from, whatever the encoder's B-pyramid (H.264: x264 and
#: the hardware encoders predict P-frames from I/P only; MPEG-2 / MPEG-4 part 2: B-frames are never
#: references); HEVC, VP9 and AV1 are left out (their "B" or hidden frames can be references)
BIDIR_CODECS = ("h264", "mpeg2video", "mpeg4")
#: skip every B-frame only when the stream has at least this many frames per sampling step
BIDIR_MIN_FRAMES_PER_STEP = 8


def decode_skip(
    path: Path, vs: Any, fps: float, skip_nonref: bool = True, keyframes_only: bool = False
) -> str | None:
    """Which frames the decoder may skip (FFmpeg ``skip_frame``) when sampling ``fps`` frames a second.

    ``keyframes_only`` -> ``"NONKEY"``. With ``skip_nonref``: ``"NONKEY"`` when the key frames are at most
    one sampling step apart (``keyframe_gap``: every sampling instant still gets a frame); else
    ``"BIDIR"`` (all B-frames, about 55% of a typical H.264 stream) for the ``BIDIR_CODECS`` when the
    stream has ``BIDIR_MIN_FRAMES_PER_STEP`` frames per step (I/P frames then still land within a few
    frames of every instant, and they decode bit-exactly: nothing predicts from a B-frame); else
    ``"NONREF"`` (the B-frames nothing references). None: decode everything.
    """
    if keyframes_only:
        return "NONKEY"
    if not skip_nonref:
        return None
    step = 1.0 / fps
    gap = keyframe_gap(path)
    if gap is not None and 0 < gap <= step:
        return "NONKEY"
    name = vs.codec_context.name if vs.codec_context is not None else ""
    if name in BIDIR_CODECS and stream_fps(vs) * step >= BIDIR_MIN_FRAMES_PER_STEP:
        return "BIDIR"
    return "NONREF"


def iter_frames(
    path: str | os.PathLike[str], fps: float, max_side: int | None = 320, **sampling: Any
) -> Iterator[tuple[float, np.ndarray]]:
    """Yield ``(time_seconds, rgb_uint8_HxWx3)`` for one frame per ``1/fps`` seconds, streaming.

    The frame for instant ``t_first + k/fps`` is the first decoded frame at or after it; its time is the
    exact presentation time. Rotation metadata is applied (the image is turned as a player shows it);
    ``max_side`` bounds the longer side of the returned image (None keeps the display size).
    ``sampling``: the keyword options of ``iter_sampled`` (``skip_nonref``, ``damage``).
    ``skip_nonref=True`` lets the decoder skip what the sampling does not need (``decode_skip``: B-frames,
    or all but the key frames when they are dense enough) and the H.264 deblocking filter of the frames
    it decodes (pictures carry slightly more block edges, invisible at the 224-448 px the frame models and
    OCR see); a sample may then fall a few frames after its instant (its reported time is still that
    frame's exact presentation time). Used when sampling is sparse (the pipeline enables it when fps is
    at most a quarter of the stream rate). Damaged packets are skipped and recorded in ``damage``
    (``vidgist.media.damage``).
    Raises InputError for unusable files (see ``probe``) and when the damage passes the rule.
    """
    for frame in iter_sampled(path, fps, max_side, **sampling):
        yield frame.time, frame.rgb()


def iter_sampled(
    path: str | os.PathLike[str],
    fps: float,
    max_side: int | None = 320,
    skip_nonref: bool = False,
    damage: DamageReport | None = None,
    keyframes_only: bool = False,
) -> Iterator[SampledFrame]:
    """``iter_frames`` without the RGB conversion: yields ``SampledFrame`` objects (same rule, same times).

    ``keyframes_only``: decode the key frames alone (see the module docstring: worth it when
    ``keyframe_gap`` is at most ``1 / fps``); the sampling rule is the same over the frames decoded.

    Decoding is tolerant (``vidgist.media.damage``): packets that fail to decode are skipped and
    recorded in ``damage.video`` (a fresh report when None); InputError once the loss passes the rule.
    """

    if not (fps > 0 and math.isfinite(fps)):
        raise InputError(f"fps must be a positive number, got {fps}")
    p = Path(path)
    container = _open(p)
    try:
        if not container.streams.video:
            raise _no_video(p, container)
        vs = container.streams.video[0]
        duration = stream_duration(container, vs)
        _check_complete(p, vs, duration)
        if damage is None:
            damage = DamageReport(p, duration)
        vs.thread_type = "AUTO"
        vs.codec_context.thread_count = 0
        skipping = decode_skip(p, vs, fps, skip_nonref, keyframes_only)
        if skipping is not None:
            vs.codec_context.skip_frame = skipping  # type: ignore[assignment]
        if skipping in ("NONREF", "BIDIR"):
            vs.codec_context.options = {"skip_loop_filter": "all"}
        step = 1.0 / fps
        eps = 1e-6
        origin = time_origin(container)
        t_first: float | None = None
        k = 0  # index of the next sampling instant
        last_t = -math.inf
        size: tuple[int, int] | None = None
        display = (0, 0)
        rot = 0
        native = stream_fps(vs)
        fallback_dt = 1.0 / native if native > 0 else step
        n_out = 0
        for frame in damage.video.decode(container, vs, origin, sparse=skipping in ("NONKEY", "BIDIR")):
            guess = last_t + fallback_dt if math.isfinite(last_t) else 0.0  # used when pts is missing
            t = _frame_time(frame, guess + origin) - origin
            if t <= last_t:
                # Duplicate or out-of-order timestamp (broken muxing): never go back in time.
                continue
            last_t = t
            if t_first is None:
                t_first = t
                rot = display_rotation(frame.rotation)
                dw, dh = _display_size(frame.width, frame.height, vs.sample_aspect_ratio)
                display = (dw, dh)
                if rot in (90, 270):
                    tw, th = _target_size(dh, dw, max_side)
                    size = (th, tw)  # decode-orientation size, turned afterwards
                else:
                    size = _target_size(dw, dh, max_side)
            instant = t_first + k * step
            if t + eps < instant:
                continue
            assert size is not None
            yield SampledFrame(t, frame, size, rot, display)
            n_out += 1
            # next instant strictly after t
            k = int(math.floor((t - t_first) / step + eps)) + 1
        if n_out == 0:
            raise _nothing_decoded(p, damage)
        damage.video.finish()
    finally:
        container.close()


class _Samples:
    """Mono float32 samples laid end to end in a preallocated buffer, grown by half when full."""

    def __init__(self, expected: int) -> None:
        self.buf = np.zeros(max(expected, 1), dtype=np.float32)
        self.end = 0

    def reserve(self, n: int) -> None:
        """Room for ``n`` samples in all (zeros past ``end``)."""
        if n > self.buf.size:
            grown = np.zeros(max(n, int(self.buf.size * 1.5)), dtype=np.float32)
            grown[: self.end] = self.buf[: self.end]
            self.buf = grown

    def silence(self, n: int) -> None:
        """``n`` samples of silence (the buffer is zero-filled)."""
        self.reserve(self.end + n)
        self.end += n

    def put(self, arr: np.ndarray) -> None:
        self.reserve(self.end + arr.size)
        self.buf[self.end : self.end + arr.size] = arr
        self.end += arr.size

    def array(self) -> np.ndarray:
        out = self.buf[: self.end]
        np.clip(out, -1.0, 1.0, out=out)
        return out.copy() if out.size < self.buf.size // 2 else out


class _Converter:
    """Frames of any format, rate and layout to mono float at ``sr``: a resampler is made for one input
    format (and may pass matching frames through untouched), so a new format (the first frame, or joined
    recordings with another rate or layout) drains the old one and gets a new one."""

    def __init__(self, sr: int, out: _Samples) -> None:
        self.sr, self.out = sr, out
        self.resampler: Any = None
        self.layout: tuple[str, str, int] | None = None

    def drain(self) -> None:
        """Put what the resampler still holds (nothing, if it never took a frame)."""
        import av

        if self.layout is None:
            return
        try:
            for out in self.resampler.resample(None):
                self.out.put(out.to_ndarray().reshape(-1))
        except (av.error.FFmpegError, ValueError):
            pass

    def convert(self, frame: Any) -> bool:
        """Convert one frame; False when it is rejected (damaged: the resampler is drained and reset)."""
        import av

        fmt = (frame.format.name, frame.layout.name, int(frame.sample_rate or 0))
        if fmt != self.layout:
            self.drain()
            self.resampler = av.AudioResampler(format="flt", layout="mono", rate=self.sr)
            self.layout = fmt
        try:
            outs = self.resampler.resample(frame)
        except (av.error.FFmpegError, ValueError):
            self.drain()  # the sound before it first
            self.layout = None  # a fresh resampler for the next frame
            return False
        for out in outs:
            self.out.put(out.to_ndarray().reshape(-1))
        return True


#: the sample rate ``extract_audio`` gives by default (the speech recogniser's)
AUDIO_RATE = 16000


def extract_audio(
    path: str | os.PathLike[str],
    sr: int = AUDIO_RATE,
    damage: DamageReport | None = None,
    stop: threading.Event | None = None,
) -> np.ndarray | None:
    """The first audio stream as mono float32 in [-1, 1] at ``sr`` Hz, or None when there is no audio.

    Sample ``i`` is at time ``i / sr`` on the video clock: a stream starting after 0 is padded with leading
    silence, so transcript times line up with frame times; packets that fail to decode are skipped,
    recorded in ``damage.audio`` (a fresh report when None) and replaced by silence of their duration,
    so later sound stays in place (InputError once the loss passes the rule, ``vidgist.media.damage``);
    a change of sample rate or channel layout mid-stream (joined recordings) is converted, not lost.
    Samples are laid end to end otherwise: timestamps inside a damaged file can be damaged too.
    ``stop``: when set (from another thread), decoding ends early and None is returned. Decoding
    streams frame by frame into a preallocated buffer (grown if the header under-states the duration):
    memory is the output array
    (4 bytes x sr x seconds: 460 MB for 2 h at 16 kHz) plus one decoded frame.
    """
    p = Path(path)
    with open_input(p) as container:
        if not container.streams.audio:
            return None
        ast = container.streams.audio[0]
        origin = time_origin(container)
        if damage is None:
            vs = container.streams.video
            duration = stream_duration(container, vs[0]) if vs else (container.duration or 0) / 1e6
            damage = DamageReport(p, duration)
        samples = _Samples(int(stream_duration(container, ast) * sr) + sr)
        conv = _Converter(sr, samples)
        started = False
        skipped = 0.0  # seconds of failed packets already left as silence
        last_rate = int(ast.codec_context.sample_rate or sr)  # the last converted frame's (first: stream's)
        for frame in damage.audio.decode(container, ast, origin, stop):
            if not started:  # leading silence
                samples.silence(max(0, int(round((_frame_time(frame, origin) - origin) * sr))))
                started = True
            if damage.audio.skipped_s > skipped:  # silence for the packets skipped since the last frame
                samples.silence(int(round((damage.audio.skipped_s - skipped) * sr)))
                skipped = damage.audio.skipped_s
            if conv.convert(frame):
                last_rate = int(frame.sample_rate or last_rate)
                continue
            n = int(round(frame.samples * sr / (frame.sample_rate or last_rate)))  # lost: left as silence
            damage.audio.add(samples.end / sr, (samples.end + n) / sr)
            samples.silence(n)
        if stop is not None and stop.is_set():
            return None
        conv.drain()
        damage.audio.finish()
        return samples.array() if started else None


def scan_damage(path: str | os.PathLike[str], audio: bool = True, enforce: bool = False) -> DamageReport:
    """Decode every frame of the first video (and audio) stream of ``path``; return what was lost.

    No pixel or sample conversion, so this costs one decode pass. ``enforce=True`` raises InputError
    as soon as a stream passes the rule. Raises InputError for files that cannot be opened.
    """
    p = Path(path)
    with open_input(p) as container:
        vs = container.streams.video
        duration = stream_duration(container, vs[0]) if vs else (container.duration or 0) / 1e6
        report = DamageReport(p, duration, enforce=enforce)
        origin = time_origin(container)
        streams = [("video", vs)] + ([("audio", container.streams.audio)] if audio else [])
        for kind, found in streams:
            if not found:
                continue
            container.seek(0)
            dmg = report.video if kind == "video" else report.audio
            for _ in dmg.decode(container, found[0], origin):
                pass
            dmg.finish()
    return report
