"""Write the summary video: the selected spans of the source, in time order, video and audio.

Exact mode (default) re-encodes: for each span ``[a, b)`` the picture shown at ``a`` (the last frame at
or before ``a``) is placed at the span's output start and every later frame ``t < b`` at
``offset + (t - a)``; the audio keeps exactly ``round(b*sr) - round(a*sr)`` samples of ``[a, b)`` (silence
fills any hole), so sound and picture stay in sync span after span and all timestamps increase. Video
is H.264 (libx264, CRF 20, preset veryfast; MPEG-4 part 2 if PyAV's FFmpeg lacks libx264), audio AAC at
the source rate, mono or stereo as the source. Rotation metadata is kept.

Fast mode (``fast=True``) copies the compressed packets without re-encoding: each span starts at the key
frame at or before ``a`` (so spans begin up to one GOP early) and ends after the last frame before ``b``;
a span whose key frame falls inside the previous span is joined to it (no picture is copied twice).
It is I/O bound, but cuts are only at key frames.

Both modes stream: the source is read span by span (a seek per span, or decoding through short gaps),
one frame at a time; nothing holds the whole video. Overlapping or touching spans are merged first.
The output is written atomically (temp file, then rename).
"""

from __future__ import annotations

import heapq
import math
import os
from collections.abc import Iterator, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.atomic import atomic_path
from vidgist.errors import InputError, OutputError
from vidgist.video import probe

OUT_TIME_BASE = Fraction(1, 90000)
SEEK_GAP = 8.0  # seconds: decode through shorter gaps between spans instead of seeking
EPS = 1e-6
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
    raise OutputError("no H.264 or MPEG-4 encoder in PyAV's FFmpeg; reinstall av (pip install --force av)")


def write_summary_video(
    src: str | os.PathLike[str],
    spans: Sequence[tuple[float, float]],
    out_path: str | os.PathLike[str],
    fast: bool = False,
) -> Path:
    """Write the ``spans`` (seconds) of ``src`` in time order to ``out_path`` (mp4 unless .mov/.mkv).

    Raises InputError for an unusable source or when no span is inside the video, OutputError when the
    output cannot be written. Returns ``out_path``.
    """
    src_p = Path(src)
    info = probe(src_p)
    norm = normalise_spans(spans, info.duration)
    if not norm:
        raise InputError(f"{src_p}: no span to cut inside 0..{info.duration:.2f} s; check the selected segments")
    out_p = Path(out_path)
    try:
        with atomic_path(out_p) as tmp:
            if fast:
                _copy_spans(src_p, norm, tmp, _out_format(out_p))
            else:
                _reencode_spans(src_p, norm, tmp, _out_format(out_p))
    except OSError as exc:
        raise OutputError(f"{out_p}: cannot write the summary video ({exc.strerror or exc}); choose another path") from None
    return out_p


# ---------------------------------------------------------------- exact mode: decode, cut, re-encode


class _FrameReader:
    """Decoded video frames with one frame of push-back and seeking (times in seconds)."""

    def __init__(self, container: Any, stream: Any) -> None:
        self.c = container
        self.s = stream
        self.it: Iterator[Any] | None = None
        self.pending: tuple[float, Any] | None = None
        self.last: tuple[float, Any] | None = None  # last consumed frame

    @property
    def pos(self) -> float:
        return self.last[0] if self.last is not None else -math.inf

    def seek(self, t: float) -> None:
        target = max(0.0, t - 0.1)
        self.c.seek(int(target / self.s.time_base), stream=self.s, backward=True, any_frame=False)
        self.it = iter(self.c.decode(self.s))
        self.pending = None
        self.last = None

    def next(self) -> tuple[float, Any] | None:
        if self.pending is not None:
            x, self.pending = self.pending, None
            return x
        assert self.it is not None
        for fr in self.it:
            if fr.pts is None:
                continue
            t = float(fr.pts * fr.time_base)
            if self.last is not None and t <= self.last[0]:
                continue
            return t, fr
        return None

    def consume(self, x: tuple[float, Any]) -> None:
        self.last = x

    def push_back(self, x: tuple[float, Any]) -> None:
        self.pending = x


def _video_items(src: Path, spans: list[tuple[float, float]]) -> Iterator[tuple[float, int, Any]]:
    """(output time, 0, decoded frame) for every output video frame, in output order."""
    import av

    with av.open(str(src)) as c:
        vs = c.streams.video[0]
        vs.thread_type = "AUTO"
        reader = _FrameReader(c, vs)
        offset = 0.0
        for a, b in spans:
            if reader.it is None or a - reader.pos > SEEK_GAP:
                reader.seek(a)
                held = None
            else:
                held = reader.last if reader.last is not None and reader.last[0] <= a + EPS else None
            started = False
            while True:
                x = reader.next()
                if x is None:
                    break
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
                    if held is not None:
                        yield offset, 0, held[1]
                    else:  # nothing at or before a (stream starts late): start with this frame
                        reader.consume(x)
                        yield offset, 0, fr
                        continue
                reader.consume(x)
                yield offset + (t - a), 0, fr
            if not started and held is not None:
                yield offset, 0, held[1]
            offset += b - a


def _audio_items(
    src: Path, spans: list[tuple[float, float]], rate: int, layout: str, frame_size: int
) -> Iterator[tuple[float, int, Any]]:
    """(output time, 1, AudioFrame of ``frame_size`` samples, fltp) covering exactly the span lengths."""
    import av

    channels = 1 if layout == "mono" else 2
    buf = np.zeros((channels, 0), dtype=np.float32)
    written = 0  # samples handed out as frames

    def frames(flush: bool) -> Iterator[tuple[float, int, Any]]:
        nonlocal buf, written
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
        offset = 0.0
        for a, b in spans:
            target = round((offset + (b - a)) * rate) - round(offset * rate)
            got = 0
            c.seek(int(max(0.0, a - 0.25) / ast.time_base), stream=ast, backward=True, any_frame=False)
            resampler = av.AudioResampler(format="fltp", layout=layout, rate=rate)
            pieces: list[np.ndarray] = []

            def take(arr: np.ndarray, t0: float) -> None:
                nonlocal got
                pos = int(round((t0 - a) * rate))
                if pos + arr.shape[1] <= got or got >= target:
                    return
                if pos > got:  # hole in the source audio: silence
                    pieces.append(np.zeros((channels, pos - got), np.float32))
                    got = pos
                arr = arr[:, got - pos :]
                arr = arr[:, : target - got]
                pieces.append(arr.astype(np.float32, copy=False))
                got += arr.shape[1]

            for fr in c.decode(ast):
                t_in = float(fr.pts * fr.time_base) if fr.pts is not None else None
                for out in resampler.resample(fr):
                    t0 = float(out.pts * out.time_base) if out.pts is not None and out.time_base else t_in
                    if t0 is None:
                        continue
                    take(out.to_ndarray().reshape(channels, -1), t0)
                if got >= target or (t_in is not None and t_in >= b):
                    break
                if pieces:
                    buf = np.concatenate([buf, *pieces], axis=1)
                    pieces.clear()
                    yield from frames(False)
            if got < target:
                pieces.append(np.zeros((channels, target - got), np.float32))
            if pieces:
                buf = np.concatenate([buf, *pieces], axis=1)
            yield from frames(False)
            offset += b - a
        yield from frames(True)


def _reencode_spans(src: Path, spans: list[tuple[float, float]], tmp: Path, fmt: str) -> None:
    import av

    with av.open(str(src)) as probe_c:
        vin = probe_c.streams.video[0]
        first = next(probe_c.decode(vin))
        rotation = first.rotation
        width = vin.codec_context.width or first.width
        height = vin.codec_context.height or first.height
        rate = vin.average_rate or vin.guessed_rate or Fraction(25)
        sar = vin.sample_aspect_ratio
        ain = probe_c.streams.audio[0] if probe_c.streams.audio else None
        a_rate = int(ain.rate) if ain is not None and ain.rate else 0
        a_channels = ain.channels if ain is not None else 0
    w2, h2 = width - width % 2, height - height % 2
    with av.open(str(tmp), "w", format=fmt) as out:
        vcodec = _video_codec()
        vo: Any = out.add_stream(vcodec, rate=Fraction(rate).limit_denominator(100000))
        vo.width, vo.height = w2, h2
        vo.pix_fmt = "yuv420p"
        vo.time_base = OUT_TIME_BASE
        vo.codec_context.time_base = OUT_TIME_BASE
        if sar is not None and sar > 0:
            vo.codec_context.sample_aspect_ratio = sar
        if vcodec == "libx264":
            vo.options = {"preset": "veryfast", "crf": "20"}
        else:
            vo.codec_context.bit_rate = 4_000_000
        if rotation:
            vo.set_display_rotation(rotation)
        streams: list[Iterator[tuple[float, int, Any]]] = [_video_items(src, spans)]
        ao: Any = None
        if ain is not None:
            out_rate = a_rate if a_rate in AAC_RATES else 48000
            layout = "mono" if a_channels == 1 else "stereo"
            ao = out.add_stream("aac", rate=out_rate, layout=layout)
            ao.time_base = Fraction(1, out_rate)
            frame_size = ao.codec_context.frame_size or 1024
            streams.append(_audio_items(src, spans, out_rate, layout, frame_size))
        last_pts = -1
        for t, kind, item in heapq.merge(*streams, key=lambda x: (x[0], x[1])):
            if kind == 0:
                fr = item.reformat(width=w2, height=h2, format="yuv420p")
                pts = max(int(round(t / OUT_TIME_BASE)), last_pts + 1)
                last_pts = pts
                fr.pts = pts
                fr.time_base = OUT_TIME_BASE
                fr.pict_type = av.video.frame.PictureType.NONE
                for pkt in vo.encode(fr):
                    out.mux(pkt)
            else:
                for pkt in ao.encode(item):
                    out.mux(pkt)
        for pkt in vo.encode():
            out.mux(pkt)
        if ao is not None:
            for pkt in ao.encode():
                out.mux(pkt)


# ---------------------------------------------------------------- fast mode: packet copy at key frames


def _copy_spans(src: Path, spans: list[tuple[float, float]], tmp: Path, fmt: str) -> None:
    import av

    with av.open(str(src)) as c, av.open(str(tmp), "w", format=fmt) as out:
        vin = c.streams.video[0]
        ain = c.streams.audio[0] if c.streams.audio else None
        vo = out.add_stream_from_template(vin)
        ao = out.add_stream_from_template(ain) if ain is not None else None
        last_dts: dict[int, int] = {}
        offset = 0.0
        for a, b in _merge_by_key_frames(spans, _key_times(vin)):
            c.seek(int(a / vin.time_base), stream=vin, backward=True, any_frame=False)
            key_t: float | None = None
            span_end = a
            early_audio: list[Any] = []
            v_done = False
            a_done = ain is None
            selected = (vin, ain) if ain is not None else (vin,)
            for pkt in c.demux(*selected):
                if pkt.size == 0 or pkt.pts is None or pkt.dts is None:
                    continue
                tb = pkt.time_base
                t = float(pkt.pts * tb)
                td = float(pkt.dts * tb)
                if pkt.stream.index == vin.index:
                    if key_t is None:
                        if not pkt.is_keyframe:
                            continue
                        key_t = t
                    if td >= b - EPS:
                        v_done = True
                    elif t < b - EPS:
                        dur = float(pkt.duration * tb) if pkt.duration else 0.0
                        span_end = max(span_end, t + dur)
                        _shift_mux(out, pkt, vo, offset - key_t, last_dts)
                else:
                    if key_t is None:
                        early_audio.append(pkt)
                        continue
                    for ap in (*early_audio, pkt):
                        ta = float(ap.pts * ap.time_base)
                        if key_t - EPS <= ta < b - EPS:
                            _shift_mux(out, ap, ao, offset - key_t, last_dts)
                        elif ta >= b - EPS:
                            a_done = True
                    early_audio.clear()
                if v_done and a_done:
                    break
            if key_t is not None:
                offset += span_end - key_t


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


def _shift_mux(out: Any, pkt: Any, ostream: Any, shift_s: float, last_dts: dict[int, int]) -> None:
    tb = pkt.time_base
    shift = int(round(shift_s / tb))
    pts = pkt.pts + shift
    dts = pkt.dts + shift
    key = ostream.index
    if key in last_dts and dts <= last_dts[key]:
        bump = last_dts[key] + 1 - dts
        dts += bump
        pts = max(pts + bump, dts)
    if pts < dts:
        pts = dts
    last_dts[key] = dts
    pkt.pts, pkt.dts = pts, dts
    pkt.stream = ostream
    out.mux(pkt)
