"""Write the summary video: the selected spans of the source, in time order, video and audio.

Smart mode (default, ``mode="smart"``) gives the exact mode's result below while re-encoding only what it
must: a span's whole GOPs (its first key frame at or after its start to its last key frame at or before its
end, ``smart_pieces``) are copied packet for packet, and only the start of the span up to that first key
frame and the end from that last key frame are decoded and re-encoded (the end's packets are copied too up
to the last few frames, ``vidgist.media.cut_tail``), by one x264 encoder per piece (no
B-frames, so each piece starts with an IDR frame and carries its SPS/PPS in band; its packets are turned
from Annex B into length-prefixed NAL units); each copied run starts with the source's own SPS/PPS in band,
so a decoder switches back. The re-encoded pieces are made side by side on ``BRIDGE_WORKERS`` threads
(several per core; one single-threaded decoder and encoder each) while the writer copies the GOPs between
them; each piece decodes from the key frame before its start and skips the non-reference frames until
``SKIP_MARGIN`` seconds before it. Re-encoded packets get the source's decoding delay, so decoding times keep
increasing across joins. AAC sound is copied packet by packet, within half a packet of the picture
(``vidgist.media.cut_audio``); other sound is re-encoded as in the exact mode. Sources that are not
H.264 8-bit 4:2:0 with an avcC record and a key-frame index, and summaries whose spans hold no key frame,
are re-encoded (exact mode).

Exact mode (``mode="reencode"``) re-encodes: for each span ``[a, b)`` the picture shown at ``a`` (the last
frame at or before ``a``) is placed at the span's output start and every later frame ``t < b`` at
``offset + (t - a)``; the audio keeps exactly ``round(b*sr) - round(a*sr)`` samples of ``[a, b)`` (silence
fills any hole), so sound and picture stay in sync span after span and all timestamps increase. Video
is H.264 (libx264, CRF 20, preset ``PRESET`` = ultrafast with frame threads; MPEG-4 part 2 if PyAV's
FFmpeg lacks libx264), audio AAC at the source rate, mono or stereo as the source. Rotation metadata is
kept. Ultrafast encodes 720p about 1.9x faster than veryfast for files about 2.5x larger (60 s of
1280x720 testsrc2, ``benchmarks/bench_components.py``: 5.7 s / 52 MB vs 10.6 s / 21 MB); pass
``preset="veryfast"`` (CLI ``--video-preset``) for smaller files.
``preset`` only matters for libx264 (the mpeg4 fallback has a fixed bit rate). The source
is decoded in a background thread while the encoder runs.

Fast mode (``mode="copy"``, ``fast=True``) copies the compressed packets without re-encoding: each span
starts at the key frame at or before ``a`` (so spans begin up to one GOP early) and ends after the last
frame before ``b``; a span whose key frame falls inside the previous span is joined to it (no picture is
copied twice).
It is I/O bound, but cuts are only at key frames.

All modes stream: the source is read span by span (a seek per span, or decoding through short gaps),
one frame at a time; nothing holds the whole video. Overlapping or touching spans are merged first.
The output is written atomically (temp file, then rename).
"""

from __future__ import annotations

import heapq
import itertools
import math
import os
import re
from collections.abc import Callable, Generator, Iterator, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.errors import InputError, OutputError
from vidgist.media.cut_audio import copied_audio
from vidgist.media.cut_tail import copy_tails
from vidgist.media.damage import tolerant_frames
from vidgist.media.prefetch import prefetch
from vidgist.media.video import probe, stream_fps, time_origin
from vidgist.util.atomic import atomic_path

OUT_TIME_BASE = Fraction(1, 90000)
SEEK_GAP = 8.0  # seconds: decode through shorter gaps between spans instead of seeking
#: smart mode: threads that decode and re-encode the pieces at the cuts (three per core, at least 4, at
#: most 16: pieces differ in length, from one frame to a whole GOP, so with one thread per core a core sits
#: idle while the last long piece runs; with more, the OS shares every core until all are done), and the
#: pieces made ahead of the writer (bounds the packets held)
BRIDGE_WORKERS = max(4, min(16, 3 * (os.cpu_count() or 2)))
BRIDGE_AHEAD = BRIDGE_WORKERS
#: smart mode decodes the reference frames alone up to this many seconds before a cut (the frames
#: shown from the cut on depend on those only; the decoder's reordering delay is far shorter)
SKIP_MARGIN = 1.0
EPS = 1e-6
#: libx264 preset of the exact mode (see module docstring)
PRESET = "ultrafast"
X264_PRESETS = (
    "ultrafast",
    "superfast",
    "veryfast",
    "faster",
    "fast",
    "medium",
    "slow",
    "slower",
    "veryslow",
)
AAC_RATES = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000)


def normalise_spans(spans: Sequence[tuple[float, float]], duration: float) -> list[tuple[float, float]]:
    """Sort, clip to ``[0, duration]``, merge overlapping/touching spans, drop empty ones."""
    clipped = sorted((max(0.0, float(a)), min(float(duration), float(b))) for a, b in spans)
    out: list[tuple[float, float]] = []
    for a, b in clipped:
        if b - a <= EPS:
            continue
        if out and a <= out[-1][1] + EPS:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _out_format(path: Path) -> str:
    suffix = path.suffix.lower()
    return {".mov": "mov", ".mkv": "matroska", ".m4v": "mp4"}.get(suffix, "mp4")


def _video_codec() -> str:
    import av

    for name in ("libx264", "mpeg4"):
        try:
            av.codec.Codec(name, "w")
            return name
        except Exception:  # noqa: BLE001 - codec absent from this FFmpeg build
            continue
    raise OutputError(
        "no H.264 or MPEG-4 encoder in PyAV's FFmpeg; reinstall av (pip install --force-reinstall av)"
    )


def check_video_preset(preset: str) -> None:
    """Raise InputError unless ``preset`` is an x264 preset name."""
    if preset not in X264_PRESETS:
        raise InputError(f"--video-preset {preset}: choose one of {', '.join(X264_PRESETS)}")


MODES = ("smart", "reencode", "copy")


def write_summary_video(
    src: str | os.PathLike[str],
    spans: Sequence[tuple[float, float]],
    out_path: str | os.PathLike[str],
    fast: bool = False,
    preset: str = PRESET,
    mode: str | None = None,
    used: dict[str, str] | None = None,
) -> Path:
    """Write the ``spans`` (seconds, the media.video clock) of ``src`` in time order to ``out_path``.

    ``mode``: "smart" (default: whole GOPs copied, the ends re-encoded, exact cuts; a source smart cut
    cannot handle is re-encoded), "reencode" (everything re-encoded) or "copy" (key-frame cuts, no
    re-encoding; ``fast=True`` means "copy"). The container is mp4 unless ``out_path`` ends in .mov or .mkv.
    ``used``: a dict that receives ``"mode"``, the mode the file was written in.

    Raises InputError for an unusable source or when no span is inside the video, OutputError when the
    output cannot be written. Returns ``out_path``.
    """
    import av

    check_video_preset(preset)
    mode = mode or ("copy" if fast else "smart")
    if mode not in MODES:
        raise InputError(f"cut mode {mode}: choose one of {', '.join(MODES)}")
    src_p = Path(src)
    info = probe(src_p)
    norm = normalise_spans(spans, info.duration)
    if not norm:
        raise InputError(f"{src_p}: no span to cut inside 0..{info.duration:.2f} s; check the segments")
    out_p = Path(out_path)
    try:
        with atomic_path(out_p) as tmp:
            if mode == "copy":
                _copy_spans(src_p, norm, tmp, _out_format(out_p))
            elif mode == "reencode" or not _smart_spans(src_p, norm, tmp, _out_format(out_p), preset):
                _reencode_spans(src_p, norm, tmp, _out_format(out_p), preset)
                mode = "reencode"
    except OSError as exc:
        why = exc.strerror or str(exc)
        raise OutputError(f"{out_p}: cannot write the summary video ({why}); choose another path") from None
    except av.error.FFmpegError as exc:  # the source is damaged beyond what the tolerant reader skips
        raise InputError(f"{src_p}: cannot read the video to cut the summary ({exc}); re-export it") from None
    if used is not None:
        used["mode"] = mode
    return out_p


def _seek_before(
    container: Any, stream: Any, t: float, first: Callable[[], tuple[float, Any] | None]
) -> tuple[float, Any] | None:
    """Seek ``stream`` so that the first item read (``first()``: time and item) is at or before ``t``.

    The first seek targets ``t`` itself (key frame at or before ``t``). Containers without an exact index
    (MPEG-TS, some MKV) may land after it; then seek again further back (0.1 s, 0.4 s, 1.6 s, ... before
    ``t``) until the first item is early enough or the target is the file start. Returns that first
    item (or None at end of stream).
    """
    tb = stream.time_base or Fraction(1, 90000)
    back = 0.0
    while True:
        target = max(0.0, t - back)
        container.seek(int(target / tb), stream=stream, backward=True, any_frame=False)
        x = first()
        if x is None or x[0] <= t + EPS or target <= 0.0:
            return x
        back = 0.1 if back == 0.0 else back * 4


# ---------------------------------------------------------------- exact mode: decode, cut, re-encode


class _FrameReader:
    """Decoded video frames with one frame of push-back and seeking (times in seconds)."""

    def __init__(self, container: Any, stream: Any, full_from: float = -math.inf) -> None:
        self.c = container
        self.s = stream
        self.full_from = full_from  # before this time the decoder may skip non-reference frames
        self.skipping = "off"  # "armed" after a seek, "on" while skipping, "off"
        self.it: Iterator[Any] | None = None
        self.pending: tuple[float, Any] | None = None
        self.last: tuple[float, Any] | None = None  # last consumed frame

    def _skip(self, state: str) -> None:
        """Skip non-reference frames (state "on") or decode every frame; set after the key frame, so
        no skipped frame lies in the reordering window of one shown."""
        if (state == "on") != (self.skipping == "on"):
            self.s.codec_context.skip_frame = "NONREF" if state == "on" else "DEFAULT"
        self.skipping = state

    @property
    def pos(self) -> float:
        return self.last[0] if self.last is not None else -math.inf

    def seek(self, t: float) -> None:
        def first() -> tuple[float, Any] | None:
            self._skip("armed" if self.full_from > -math.inf else "off")
            self.it = tolerant_frames(self.c, self.s)
            self.pending = None
            self.last = None
            return self.next()

        x = _seek_before(self.c, self.s, t, first)
        if x is not None:
            self.push_back(x)

    def next(self) -> tuple[float, Any] | None:
        if self.pending is not None:
            x, self.pending = self.pending, None
            return x
        assert self.it is not None
        for fr in self.it:
            if fr.pts is None:
                continue
            t = float(fr.pts * fr.time_base)
            if self.skipping == "armed":  # the key frame: skip only when it lies before full_from
                self._skip("on" if t < self.full_from else "off")
            elif self.skipping == "on" and t >= self.full_from:
                self._skip("off")  # every frame from here on
            if self.last is not None and t <= self.last[0]:
                continue
            return t, fr
        return None

    def consume(self, x: tuple[float, Any]) -> None:
        self.last = x

    def push_back(self, x: tuple[float, Any]) -> None:
        self.pending = x


def _span_frames(
    reader: _FrameReader, a: float, b: float, offset: float, seek_gap: float = SEEK_GAP
) -> Iterator[tuple[float, int, Any]]:
    """(output time, 0, frame) of the source span ``[a, b)`` (container clock) placed at ``offset``: the
    picture shown at ``a`` first, then every later frame before ``b`` (module docstring)."""
    if reader.it is None or a - reader.pos > seek_gap or a < reader.pos - EPS:
        reader.seek(a)
        held = None
    else:
        held = reader.last if reader.last is not None and reader.last[0] <= a + EPS else None
    started = False
    while (x := reader.next()) is not None:
        t, fr = x
        if t <= a + EPS:
            held = x
            reader.consume(x)
            continue
        if t >= b - EPS:
            reader.push_back(x)
            break
        if not started:
            started = True
            if held is None:  # nothing at or before a (stream starts late): start with this frame
                reader.consume(x)
                yield offset, 0, fr
                continue
            yield offset, 0, held[1]
        reader.consume(x)
        yield offset + (t - a), 0, fr
    if not started and held is not None:
        yield offset, 0, held[1]


def _video_items(src: Path, spans: list[tuple[float, float]]) -> Iterator[tuple[float, int, Any]]:
    """(output time, 0, decoded frame) for every output video frame, in output order."""
    import av

    with av.open(str(src)) as c:
        vs = c.streams.video[0]
        vs.thread_type = "AUTO"
        reader = _FrameReader(c, vs)
        offset = 0.0
        origin = time_origin(c)
        for a, b in ((a0 + origin, b0 + origin) for a0, b0 in spans):
            yield from _span_frames(reader, a, b, offset)
            offset += b - a


class _SpanAudio:
    """Collects exactly ``target`` samples of one span starting at source time ``a`` (silence fills holes)."""

    def __init__(self, a: float, target: int, rate: int, channels: int) -> None:
        self.a, self.target, self.rate, self.channels = a, target, rate, channels
        self.got = 0
        self.pieces: list[np.ndarray] = []

    @property
    def full(self) -> bool:
        return self.got >= self.target

    def take(self, arr: np.ndarray, t0: float) -> None:
        """Add decoded samples ``arr`` (channels, n) whose first sample is at source time ``t0``."""
        pos = int(round((t0 - self.a) * self.rate))
        if pos + arr.shape[1] <= self.got or self.full:
            return
        if pos > self.got:
            self.pieces.append(np.zeros((self.channels, pos - self.got), np.float32))
            self.got = pos
        arr = arr[:, self.got - pos :][:, : self.target - self.got]
        self.pieces.append(arr.astype(np.float32, copy=False))
        self.got += arr.shape[1]

    def drain(self, final: bool) -> list[np.ndarray]:
        if final and self.got < self.target:
            self.pieces.append(np.zeros((self.channels, self.target - self.got), np.float32))
            self.got = self.target
        out, self.pieces = self.pieces, []
        return out


def _audio_items(
    src: Path, spans: list[tuple[float, float]], rate: int, layout: str, frame_size: int
) -> Iterator[tuple[float, int, Any]]:
    """(output time, 1, AudioFrame of ``frame_size`` samples, fltp) covering exactly the span lengths."""
    import av

    channels = 1 if layout == "mono" else 2
    buf = np.zeros((channels, 0), dtype=np.float32)
    written = 0  # samples handed out as frames

    def frames(pieces: list[np.ndarray], flush: bool) -> Iterator[tuple[float, int, Any]]:
        nonlocal buf, written
        if pieces:
            buf = np.concatenate([buf, *pieces], axis=1)
        while buf.shape[1] >= frame_size or (flush and buf.shape[1] > 0):
            n = min(frame_size, buf.shape[1])
            chunk = np.ascontiguousarray(buf[:, :n])
            buf = buf[:, n:]
            af = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=layout)
            af.sample_rate = rate
            af.pts = written
            af.time_base = Fraction(1, rate)
            yield written / rate, 1, af
            written += n

    with av.open(str(src)) as c:
        ast = c.streams.audio[0]
        tb = ast.time_base or Fraction(1, rate)
        offset = 0.0
        origin = time_origin(c)
        for a, b in ((a0 + origin, b0 + origin) for a0, b0 in spans):
            span = _SpanAudio(a, round((offset + (b - a)) * rate) - round(offset * rate), rate, channels)
            decoded: Iterator[Any] = iter(())

            def first() -> tuple[float, Any] | None:
                nonlocal decoded
                decoded = tolerant_frames(c, ast)
                for fr in decoded:
                    if fr.pts is not None:
                        return float(fr.pts * tb), fr
                return None

            x = _seek_before(c, ast, a - 0.15, first)  # start a little early: AAC needs a primed decoder
            resampler = av.AudioResampler(format="fltp", layout=layout, rate=rate)
            for fr in itertools.chain([x[1]] if x is not None else [], decoded):
                t_in = float(fr.pts * tb) if fr.pts is not None else None
                for out in resampler.resample(fr):
                    t0 = float(out.pts * out.time_base) if out.pts is not None and out.time_base else t_in
                    if t0 is not None:
                        span.take(out.to_ndarray().reshape(channels, -1), t0)
                if span.full or (t_in is not None and t_in >= b):
                    break
                yield from frames(span.drain(False), False)
            yield from frames(span.drain(True), False)
            offset += b - a
        yield from frames([], True)


class _Source:
    """What the writers need to know about the source's streams (read once, first frame decoded)."""

    def __init__(self, src: Path) -> None:
        import av

        with av.open(str(src)) as c:
            vin = c.streams.video[0]
            first = next(tolerant_frames(c, vin), None)
            if first is None:
                raise InputError(f"{src}: no video frame decodes; re-download or re-export it")
            cc = vin.codec_context
            self.rotation = first.rotation
            self.width = cc.width or first.width
            self.height = cc.height or first.height
            self.pix_fmt = str(cc.pix_fmt or first.format.name)
            self.codec = str(cc.name)
            self.extradata = bytes(cc.extradata or b"")
            self.rate = Fraction(stream_fps(vin) or 25.0)
            self.sar = vin.sample_aspect_ratio
            self.time_base = vin.time_base or OUT_TIME_BASE
            self.keys = _key_times(vin)
            ain = c.streams.audio[0] if c.streams.audio else None
            self.has_audio = ain is not None
            self.a_rate = int(ain.rate) if ain is not None and ain.rate else 0
            self.a_channels = ain.channels if ain is not None else 0


def _x264_options(preset: str) -> dict[str, str]:
    return {"preset": preset, "crf": "20"}


def _add_audio(out: Any, src: Path, info: _Source, spans: list[tuple[float, float]]) -> Any:
    """The AAC output stream and the audio items of ``spans`` (``_audio_items``), or (None, None)."""
    if not info.has_audio:
        return None, None
    out_rate = info.a_rate if info.a_rate in AAC_RATES else 48000
    layout = "mono" if info.a_channels == 1 else "stereo"
    ao = out.add_stream("aac", rate=out_rate, layout=layout)
    ao.options = {"aac_coder": "fast"}  # FFmpeg's fast coder: ~3x quicker than twoloop, same rate
    ao.time_base = Fraction(1, out_rate)
    frame_size = ao.codec_context.frame_size or 1024
    return ao, _audio_items(src, spans, out_rate, layout, frame_size)


def _mux_all(items: Iterator[tuple[float, int, Any]], handlers: dict[int, Callable[[Any], Any]]) -> None:
    """Hand each merged item to the handler of its kind (0 video, 1 audio)."""
    for _t, kind, item in items:
        handlers[kind](item)


def _encode_frame(
    encoder: Any, fr: Any, t: float, size: tuple[int, int], last_pts: int
) -> tuple[list[Any], int]:
    """Encode decoded frame ``fr`` at output time ``t`` (seconds); return its packets and its pts."""
    import av

    tb = encoder.time_base
    out = fr.reformat(width=size[0], height=size[1], format="yuv420p")
    pts = max(int(round(t / tb)), last_pts + 1)
    out.pts = pts
    out.time_base = tb
    out.pict_type = av.video.frame.PictureType.NONE
    return list(encoder.encode(out)), pts


def _reencode_spans(
    src: Path, spans: list[tuple[float, float]], tmp: Path, fmt: str, preset: str = PRESET
) -> None:
    """Write ``spans`` re-encoded (exact mode): the source decoded in one thread, the audio decoded and
    encoded in another, the video encoded in this one."""
    import av

    info = _Source(src)
    w2, h2 = info.width - info.width % 2, info.height - info.height % 2
    with av.open(str(tmp), "w", format=fmt) as out:
        vcodec = _video_codec()
        vo: Any = out.add_stream(vcodec, rate=Fraction(info.rate).limit_denominator(100000))
        vo.width, vo.height = w2, h2
        vo.pix_fmt = "yuv420p"
        vo.time_base = OUT_TIME_BASE
        vo.codec_context.time_base = OUT_TIME_BASE
        if info.sar is not None and info.sar > 0:
            vo.codec_context.sample_aspect_ratio = info.sar
        if vcodec == "libx264":
            vo.options = _x264_options(preset)
            vo.codec_context.thread_type = "FRAME"
            vo.codec_context.thread_count = 0
        else:
            vo.codec_context.bit_rate = 4_000_000
        if info.rotation:
            vo.set_display_rotation(info.rotation)
        video_frames = prefetch(lambda: _video_items(src, spans), 16)  # closed below: its thread is joined
        ao, audio = _add_audio(out, src, info, spans)
        packets = prefetch(lambda: _encoded(ao, audio), 256) if audio is not None else None  # own thread
        streams = [video_frames] + ([packets] if packets is not None else [])
        last = [-1]

        def video(item: tuple[float, Any]) -> None:
            pkts, last[0] = _encode_frame(vo.codec_context, item[1], item[0], (w2, h2), last[0])
            for pkt in pkts:
                out.mux(pkt)

        try:
            merged = heapq.merge(*streams, key=lambda x: (x[0], x[1]))
            timed = ((t, k, (t, x) if k == 0 else x) for t, k, x in merged)
            _mux_all(timed, {0: video, 1: out.mux})
            for pkt in vo.encode():
                out.mux(pkt)
        finally:
            video_frames.close()
            if packets is not None:
                packets.close()


# ---------------------------------------------------------------- smart mode: copy GOPs, re-encode the ends


def smart_pieces(spans: list[tuple[float, float]], keys: np.ndarray) -> list[tuple[str, float, float]]:
    """The spans (container clock, in order) as ``("encode" | "copy", start, end)`` pieces: each span's
    whole GOPs (from its first key frame at or after its start to its last key frame at or before its end)
    are copied, the rest (start to that first key frame, last key frame to end) is re-encoded; a span
    holding one key frame is re-encoded in two pieces split there (``copy_tails`` copies most of the
    second); a span holding none is re-encoded entirely."""
    pieces: list[tuple[str, float, float]] = []
    for a, b in spans:
        i = int(np.searchsorted(keys, a - EPS, side="left"))
        j = int(np.searchsorted(keys, b + EPS, side="right")) - 1
        if i >= len(keys) or j < i:
            pieces.append(("encode", a, b))
            continue
        if j == i:
            k = float(keys[i])
            pieces += [("encode", x, y) for x, y in ((a, k), (k, b)) if y > x + EPS]
            continue
        k1, kb = float(keys[i]), float(keys[j])
        if k1 > a + EPS:
            pieces.append(("encode", a, k1))
        pieces.append(("copy", k1, kb))
        if b > kb + EPS:
            pieces.append(("encode", kb, b))
    return pieces


def _nal_size(avcc: bytes) -> int:
    """Bytes of each NAL unit's length prefix in an avcC record."""
    return (avcc[4] & 3) + 1


def _parameter_sets(avcc: bytes) -> bytes:
    """The SPS and PPS NAL units of an avcC record, length-prefixed as the samples are."""
    n = _nal_size(avcc)
    out, pos = [], 5
    for mask in (0x1F, 0xFF):  # the SPS count shares its byte with reserved bits; the PPS count does not
        count = avcc[pos] & mask
        pos += 1
        for _ in range(count):
            size = int.from_bytes(avcc[pos : pos + 2], "big")
            out.append(size.to_bytes(n, "big") + avcc[pos + 2 : pos + 2 + size])
            pos += 2 + size
    return b"".join(out)


def annexb_to_lengths(data: bytes, nal_size: int = 4) -> bytes:
    """H.264 Annex B (start codes) to length-prefixed NAL units (MP4 samples)."""
    out = []
    for nal in re.split(b"\x00\x00\x01", data):
        nal = nal.rstrip(b"\x00")  # a 4-byte start code's first zero; NAL units end in a non-zero byte
        if nal:
            out.append(len(nal).to_bytes(nal_size, "big") + nal)
    return b"".join(out)


def can_smart_cut(info: _Source) -> bool:
    """Smart cut needs H.264 8-bit 4:2:0 in an avcC record, a key-frame index and libx264."""
    return (
        info.codec == "h264"
        and info.pix_fmt == "yuv420p"
        and len(info.extradata) > 6
        and info.extradata[0] == 1
        and info.keys is not None
        and _video_codec() == "libx264"
    )


class _SmartVideo:
    """Video packets of the smart cut in output order: copied GOPs and re-encoded ends (one encoder per
    piece, so each re-encoded piece starts with an IDR frame and carries its own SPS/PPS in band; each
    copied run starts with the source's SPS/PPS in band, so a decoder switches back).

    The re-encoded pieces are independent: ``BRIDGE_WORKERS`` threads decode and encode them (each its
    own reader, single-threaded decoder and encoder) up to ``BRIDGE_AHEAD`` pieces ahead of the writer,
    which copies the GOPs between them meanwhile."""

    def __init__(self, src: Path, info: _Source, out_stream: Any, preset: str) -> None:
        self.src, self.info, self.vo, self.preset = src, info, out_stream, preset
        self.tb = info.time_base
        self.delay = 0  # the source's decoding delay (pts - dts), given to the re-encoded packets too
        self.params = _parameter_sets(info.extradata)
        self.nal = _nal_size(info.extradata)

    def items(self, pieces: list[tuple[str, float, float]]) -> Generator[tuple[float, int, Any], None, None]:
        """(dts seconds, 0, packet) in decoding order."""
        import av

        offsets = list(itertools.accumulate((b - a for _, a, b in pieces), initial=0.0))
        with av.open(str(self.src)) as dmx:
            self.delay = _decode_delay(dmx)
            bridges = _Bridges(self, pieces, offsets)
            try:
                last_dts = -(2**62)
                for i, (kind, a, b) in enumerate(pieces):
                    made = self._copy(dmx, a, b, offsets[i]) if kind == "copy" else iter(bridges.result(i))
                    for t, k, pkt in made:
                        if pkt.dts <= last_dts:  # a join the delays do not line up at: keep dts increasing
                            pkt.dts = last_dts + 1
                            pkt.pts = max(pkt.pts, pkt.dts)
                        last_dts = pkt.dts
                        yield t, k, pkt
            finally:
                bridges.close()

    def _packet(self, data: bytes, pts: int, dts: int, key: bool) -> Any:
        import av

        pkt = av.Packet(data)
        pkt.pts, pkt.dts, pkt.time_base = pts, dts, self.tb
        pkt.is_keyframe = key
        pkt.stream = self.vo
        return pkt

    def encode(self, a: float, b: float, offset: float) -> list[tuple[float, int, Any]]:
        """The re-encoded piece ``[a, b)`` placed at ``offset``: its packets (``items``' form). Decodes
        from the key frame at or before ``a``, skipping the non-reference frames well before ``a``."""
        import av

        enc: Any = av.CodecContext.create("libx264", "w")
        enc.width, enc.height = self.info.width, self.info.height
        enc.pix_fmt = "yuv420p"
        enc.time_base = self.tb
        enc.framerate = self.info.rate.limit_denominator(100000)
        if self.info.sar is not None and self.info.sar > 0:
            enc.sample_aspect_ratio = self.info.sar
        enc.options = {**_x264_options(self.preset), "bframes": "0"}  # output order = input order
        enc.thread_count = 1  # pieces run side by side: one thread each
        last = -(2**62)
        size = (self.info.width, self.info.height)
        out: list[tuple[float, int, Any]] = []
        with av.open(str(self.src)) as dec:
            vs = dec.streams.video[0]
            vs.thread_count = 1  # skip_frame is then read packet by packet (no frame threads)
            reader = _FrameReader(dec, vs, full_from=a - SKIP_MARGIN)
            for t, _k, fr in _span_frames(reader, a, b, offset):
                pkts, last = _encode_frame(enc, fr, t, size, last)
                out.extend(self._rewrap(pkts))
        out.extend(self._rewrap(list(enc.encode())))
        return out

    def _rewrap(self, pkts: list[Any]) -> Iterator[tuple[float, int, Any]]:
        for p in pkts:
            data = annexb_to_lengths(bytes(p), self.nal)
            dts = p.pts - self.delay  # the source's delay: copied GOPs around it keep their own dts
            yield float(dts * self.tb), 0, self._packet(data, p.pts, dts, p.is_keyframe)

    def _copy(self, c: Any, k1: float, kb: float, offset: float) -> Iterator[tuple[float, int, Any]]:
        vin = c.streams.video[0]
        c.seek(int(round(k1 / self.tb)), stream=vin, backward=True, any_frame=False)
        shift = int(round((offset - k1) / self.tb))
        started = False
        for pkt in c.demux(vin):
            if pkt.size == 0 or pkt.pts is None or pkt.dts is None:
                continue
            t = float(pkt.pts * self.tb)
            if not started:
                if not (pkt.is_keyframe and abs(t - k1) <= 1e-3):
                    continue
                started = True
                data = self.params + bytes(pkt)  # the source's parameter sets back in band
            elif t >= kb - (1e-3 if pkt.is_keyframe else EPS):
                return  # the next key frame, or (a run that ends inside a GOP) a frame shown after it
            elif t < k1 - EPS:
                continue  # a leading picture of an open GOP: it belongs before the cut
            else:
                data = bytes(pkt)
            out = self._packet(data, pkt.pts + shift, pkt.dts + shift, bool(pkt.is_keyframe))
            out.duration = pkt.duration
            yield float(out.dts * self.tb), 0, out


class _Bridges:
    """The re-encoded pieces of a smart cut, made by a thread pool in piece order, at most
    ``BRIDGE_AHEAD`` pieces ahead of the one asked for (bounds the packets held)."""

    def __init__(
        self, video: _SmartVideo, pieces: list[tuple[str, float, float]], offsets: list[float]
    ) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.video, self.offsets = video, offsets
        self.todo = [i for i, (kind, _, _) in enumerate(pieces) if kind == "encode"]
        self.pieces = pieces
        self.pool = ThreadPoolExecutor(max_workers=BRIDGE_WORKERS, thread_name_prefix="vidgist-bridge")
        self.futures: dict[int, Any] = {}
        self.next = 0  # index into todo of the next piece to submit
        self._fill(-1)

    def _fill(self, upto: int) -> None:
        while self.next < len(self.todo) and (self.next <= upto or len(self.futures) < BRIDGE_AHEAD):
            i = self.todo[self.next]
            _, a, b = self.pieces[i]
            self.futures[i] = self.pool.submit(self.video.encode, a, b, self.offsets[i])
            self.next += 1

    def result(self, i: int) -> list[tuple[float, int, Any]]:
        """Piece ``i``'s packets (waits for them; re-raises the worker's error)."""
        self._fill(self.todo.index(i))
        done = self.futures.pop(i).result()
        self._fill(-1)
        return done

    def close(self) -> None:
        """Drop the pieces not started and wait for those running."""
        self.pool.shutdown(wait=True, cancel_futures=True)


def _key_pts(src: Path, index_times: np.ndarray, spans: list[tuple[float, float]]) -> np.ndarray:
    """Presentation times of the key frames inside or at the edges of ``spans`` (the container index
    gives decoding times: one seek and a packet or two per key frame tells its presentation time)."""
    import av

    near = [t for t in index_times if any(a - 1.0 <= t <= b + 1.0 for a, b in spans)]
    out: list[float] = []
    with av.open(str(src)) as c:
        vin = c.streams.video[0]
        tb = vin.time_base
        if tb is None:  # a stream without a time base has no index to read
            return np.zeros(0)
        for t in near:
            c.seek(int(round(t / tb)), stream=vin, backward=True, any_frame=False)
            for pkt in c.demux(vin):
                if pkt.dts is None or pkt.pts is None or pkt.size == 0:
                    continue
                if pkt.is_keyframe and float(pkt.dts * tb) >= t - 1e-4:
                    out.append(float(pkt.pts * tb))
                    break
                if float(pkt.dts * tb) > t + 1.0:
                    break
    return np.unique(np.asarray(out, dtype=np.float64))


def _decode_delay(c: Any) -> int:
    """pts - dts of the first key frame (time-base units): the decoding delay B-frames add, which every
    key frame of a closed-GOP stream shares."""
    vin = c.streams.video[0]
    for i, pkt in enumerate(c.demux(vin)):
        if pkt.pts is not None and pkt.dts is not None and pkt.is_keyframe:
            return max(0, int(pkt.pts - pkt.dts))
        if i >= 256:
            break
    return 0


def _smart_spans(
    src: Path, spans: list[tuple[float, float]], tmp: Path, fmt: str, preset: str = PRESET
) -> bool:
    """Write ``spans`` by smart cut (see module docstring); False (nothing written) when the source does
    not allow it (``can_smart_cut``) or no span holds a key frame."""
    import av

    info = _Source(src)
    if not can_smart_cut(info):
        return False
    assert info.keys is not None
    with av.open(str(src)) as c:
        origin = time_origin(c)
    spans_abs = [(a + origin, b + origin) for a, b in spans]
    keys = _key_pts(src, info.keys, spans_abs)
    pieces = copy_tails(src, smart_pieces(spans_abs, keys), keys)
    if not any(kind == "copy" for kind, _, _ in pieces):
        return False
    with av.open(str(src)) as c, av.open(str(tmp), "w", format=fmt) as out:
        vo = out.add_stream_from_template(c.streams.video[0])
        vo.time_base = info.time_base
        if info.rotation:
            vo.set_display_rotation(info.rotation)
        writer = _SmartVideo(src, info, vo, preset)
        packets = _smart_audio(out, c, src, info, spans, spans_abs)
        video = writer.items(pieces)
        try:
            streams = [video] + ([packets] if packets is not None else [])
            _mux_all(heapq.merge(*streams, key=lambda x: (x[0], x[1])), {0: out.mux, 1: out.mux})
        finally:
            video.close()  # on an error: the piece threads are stopped and joined
            if packets is not None:
                packets.close()  # joins the thread
    return True


def _smart_audio(
    out: Any,
    c: Any,
    src: Path,
    info: _Source,
    spans: list[tuple[float, float]],
    spans_abs: list[tuple[float, float]],
) -> Generator[tuple[float, int, Any], None, None] | None:
    """The smart cut's audio packets: AAC copied packet by packet (``media.cut_audio``) when the source
    allows, else decoded and re-encoded in a thread of its own, beside the pieces at the cuts."""
    copied = copied_audio(src, spans_abs) if info.has_audio else None
    if copied is not None:
        ao = out.add_stream_from_template(c.streams.audio[0])
        ao.time_base = copied[0][2].time_base if copied else Fraction(1, info.a_rate or 48000)
        for _t, _k, pkt in copied:
            pkt.stream = ao
        return (x for x in copied)
    ao, audio = _add_audio(out, src, info, spans)
    return prefetch(lambda: _encoded(ao, audio), 256) if audio is not None else None


def _encoded(encoder: Any, frames: Iterator[tuple[float, int, Any]]) -> Iterator[tuple[float, int, Any]]:
    """(time s, kind, packet) of ``frames`` (``(time s, kind, frame)``) through ``encoder``, flushed at
    the end."""
    t, kind = 0.0, 1
    for t, kind, frame in frames:
        for pkt in encoder.encode(frame):
            yield t, kind, pkt
    for pkt in encoder.encode():
        yield t, kind, pkt


# ---------------------------------------------------------------- fast mode: packet copy at key frames


def _copy_spans(src: Path, spans: list[tuple[float, float]], tmp: Path, fmt: str) -> None:
    """Write ``spans`` by packet copy from the key frame at or before each start (see module docstring)."""
    import av

    with av.open(str(src)) as c, av.open(str(tmp), "w", format=fmt) as out:
        vin = c.streams.video[0]
        ain = c.streams.audio[0] if c.streams.audio else None
        try:
            vo = out.add_stream_from_template(vin)
            ao = out.add_stream_from_template(ain) if ain is not None else None
        except ValueError as exc:
            raise InputError(
                f"{src}: fast mode copies the original streams and {exc}; "
                f"drop --fast (re-encode) or write a .mkv"
            ) from None
        copier = _SpanCopier(c, out, vin, ain, vo, ao)
        offset = 0.0
        origin = time_origin(c)
        spans_abs = [(a + origin, b + origin) for a, b in spans]
        for a, b in _merge_by_key_frames(spans_abs, _key_times(vin)):
            offset += copier.span(a, b, offset)


class _SpanCopier:
    """Copies the packets of one span after another (fast mode), each from the key frame at or before
    its start, shifted onto the output clock with strictly increasing decoding times."""

    def __init__(self, c: Any, out: Any, vin: Any, ain: Any | None, vo: Any, ao: Any | None) -> None:
        self.c, self.out, self.vin, self.ain, self.vo, self.ao = c, out, vin, ain, vo, ao
        self.selected = (vin, ain) if ain is not None else (vin,)
        self.last_dts: dict[int, int] = {}
        self.packets: Iterator[Any] = iter(())
        self.early: list[Any] = []  # audio packets demuxed before the key frame

    def _first(self) -> tuple[float, Any] | None:
        """Demux up to the first video key frame; keep the audio met on the way."""
        self.packets = iter(self.c.demux(*self.selected))
        self.early.clear()
        for pkt in self.packets:
            if pkt.size == 0 or pkt.pts is None or pkt.dts is None:
                continue
            if pkt.stream.index != self.vin.index:
                self.early.append(pkt)
            elif pkt.is_keyframe:
                return float(pkt.pts * pkt.time_base), pkt
        return None

    def span(self, a: float, b: float, offset: float) -> float:
        """Copy the span ``[a, b)`` (container clock) to output time ``offset``; returns its output length
        (0 when no key frame is found)."""
        x = _seek_before(self.c, self.vin, a, self._first)
        if x is None:
            return 0.0
        key_t, key_pkt = x
        span_end = key_t
        v_done = False
        a_done = self.ain is None
        for pkt in itertools.chain(self.early, [key_pkt], self.packets):
            if pkt.size == 0 or pkt.pts is None or pkt.dts is None:
                continue
            if pkt.stream.index == self.vin.index:
                end = self._video_packet(pkt, b, offset - key_t)
                if end is None:
                    v_done = True
                else:
                    span_end = max(span_end, end)
            elif self._audio_packet(pkt, key_t, b, offset - key_t):
                a_done = True
            if v_done and a_done:
                break
        return span_end - key_t

    def _video_packet(self, pkt: Any, b: float, shift: float) -> float | None:
        """Copy a video packet presented before ``b``; returns the end of what is copied so far (its
        presentation end, or -inf when it is not copied), None once decoding reaches ``b``."""
        if float(pkt.dts * pkt.time_base) >= b - EPS:
            return None
        t = float(pkt.pts * pkt.time_base)
        if t >= b - EPS:
            return -math.inf
        dur = float(pkt.duration * pkt.time_base) if pkt.duration else 0.0
        _shift_mux(self.out, [pkt], self.vo, shift, self.last_dts)
        return t + dur

    def _audio_packet(self, pkt: Any, key_t: float, b: float, shift: float) -> bool:
        """Copy an audio packet inside ``[key_t, b)``; True when this one is at or after ``b``."""
        t = float(pkt.pts * pkt.time_base)
        if t >= b - EPS:
            return True
        if t >= key_t - EPS:
            _shift_mux(self.out, [pkt], self.ao, shift, self.last_dts)
        return False


def _key_times(stream: Any) -> np.ndarray | None:
    """Key-frame presentation times (s) from the container index, or None when there is no index."""
    try:
        entries = stream.index_entries
        stamps = [e.timestamp for e in entries if e.is_keyframe]
    except Exception:  # noqa: BLE001 - containers without an index
        return None
    if not stamps:
        return None
    return np.sort(np.array(stamps, dtype=np.float64) * float(stream.time_base))


def _merge_by_key_frames(
    spans: list[tuple[float, float]], keys: np.ndarray | None
) -> list[tuple[float, float]]:
    """In copy mode a span really starts at its key frame; join it to the previous span when that key
    frame lies before the previous span's end (else the same pictures would be copied twice)."""
    if keys is None:
        return spans
    out: list[tuple[float, float]] = []
    for a, b in spans:
        i = int(np.searchsorted(keys, a + EPS, side="right")) - 1
        k = float(keys[i]) if i >= 0 else 0.0
        if out and k < out[-1][1] - EPS:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _shift_mux(out: Any, pkts: Sequence[Any], ostream: Any, shift_s: float, last_dts: dict[int, int]) -> None:
    """Shift packets by ``shift_s`` seconds onto ``ostream``, keeping its dts strictly increasing."""
    for pkt in pkts:
        if pkt.pts is None or pkt.dts is None:
            continue
        tb = pkt.time_base
        shift = int(round(shift_s / tb))
        pts = pkt.pts + shift
        dts = pkt.dts + shift
        key = ostream.index
        if key in last_dts and dts <= last_dts[key]:
            bump = last_dts[key] + 1 - dts
            dts += bump
            pts = max(pts + bump, dts)
        pts = max(pts, dts)
        last_dts[key] = dts
        pkt.pts, pkt.dts = pts, dts
        pkt.stream = ostream
        out.mux(pkt)
