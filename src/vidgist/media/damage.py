"""Tolerant decoding: decode through what can be decoded, count what could not, refuse only past a rule.

As FFmpeg's own command line does, a packet that fails to decode is skipped and decoding goes on with
the next one; a read error in the container is retried from where the reader stands (at most
``MAX_READ_RETRIES`` times in a row); a stream that ends early (a cut-short download) ends the decoding
there. What was skipped is kept per stream as time ranges on the media.video clock:

- a packet that failed to decode: ``[pts, pts + duration)`` of the packet (its neighbour's time when the
  damage hit its timestamp);
- a stream that ends before its stated end (``stream_end``: more than ``TAIL_SLACK_S`` short of its own
  header duration, or ``CONTAINER_SLACK_S`` short of the container's): ``[end, stated end)``;
- frames the decoder produced with errors concealed (FFmpeg's ``corrupt`` flag; H.264 fills a damaged
  slice from the previous picture) are decoded, shown and used: they are counted (``concealed_frames``),
  not added to the lost ranges, which is what ``ffmpeg -i FILE -f null -`` also keeps.

The rule (``MAX_DAMAGE_SHARE``): a stream whose lost seconds exceed 10 % of the video's duration is
refused (InputError, one line, raised as soon as the share is passed, so a wrecked file is not decoded to
the end); below it the run goes on and the caller reports the damage. Nothing decoding at all is refused
by the callers (``vidgist.media.video``).

Containers and cut-short files: MP4/MOV with the index (moov) before the data (``-movflags +faststart``),
Matroska/WebM, MPEG-TS, AVI and FLV are read up to where the data ends; an MP4/MOV whose index sits at the
end loses it when cut short and cannot be opened (refused, as FFmpeg does). ``probe`` reads the lost share
of a cut-short MP4 from its index (``index_loss``) without decoding.

API (used by media.video, media.cut, the summarizer and the video library)::

    damage = DamageReport(path, duration)
    for frame in damage.video.decode(container, stream, origin):   # or damage.audio
        ...
    damage.video.finish()                       # records a cut-short tail, applies the rule
    damage.to_json(), damage.warning()          # the summary.json ``damage`` key, the CLI's line

``vidgist.media.video.scan_damage(path)`` decodes every stream of a file (no conversion) and returns
its DamageReport.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidgist.errors import InputError
from vidgist.util.intervals import merge_ranges

#: a stream losing more than this share of the video's duration is refused
MAX_DAMAGE_SHARE = 0.10
#: a stream ending this much (seconds) before its stated end counts the rest as lost
TAIL_SLACK_S = 0.5
#: the same, when only the container's duration is known (streams may legitimately end earlier)
CONTAINER_SLACK_S = 2.0
#: read errors in a row after which the rest of the file counts as unreadable
MAX_READ_RETRIES = 16
#: times the reader seeks past a point where it stopped early
MAX_RESUMES = 64
#: longest time one failed packet is taken to cover (its duration field may be damaged too)
MAX_PACKET_S = 1.0
#: ranges closer than this (seconds) are merged in reports
MERGE_GAP_S = 0.05


@dataclass
class _Read:
    """Where ``StreamDamage.decode`` is in a stream."""

    packets: Iterator[Any]
    last: float = 0.0  # end of the last decoded frame or damaged packet (seconds)
    resumed_at: float | None = None  # after a resume: frames before this were already given
    attempt: int = 0  # seeks since the last frame given (0: the next seek goes back to a key frame)
    resumes: int = 0


class StreamDamage:
    """What one stream ("video" or "audio") lost while being decoded (see module docstring).

    ``limit_s``: lost seconds above which ``decode``/``finish`` raise InputError (None: never).
    """

    def __init__(self, kind: str, path: Path, duration: float, limit_s: float | None) -> None:
        self.kind, self.path, self.duration, self.limit_s = kind, path, duration, limit_s
        self.checked = False  # decoded (fully or until refused), so the figures mean something
        self.failed_packets = 0
        self.skipped_s = 0.0  # summed durations of the failed packets
        self.read_errors = 0
        self.concealed_frames = 0
        self.decoded_frames = 0
        self.end_s: float | None = None  # end of the last decoded frame
        self._ranges: list[tuple[float, float]] = []
        self._tail: tuple[float, float] | None = None
        self._end: tuple[float, float] | None = None

    @property
    def ranges(self) -> list[tuple[float, float]]:
        """Lost time ranges (seconds), merged and sorted."""
        return merge_ranges(self._ranges + ([self._tail] if self._tail else []), MERGE_GAP_S)

    @property
    def lost_s(self) -> float:
        """Seconds lost (length of the union of ``ranges``)."""
        return float(sum(b - a for a, b in self.ranges))

    def add(self, start: float, end: float) -> None:
        """Record ``[start, end)`` as lost, then apply the rule."""
        self._ranges.append((max(0.0, start), max(start, end)))
        self._check()

    def _check(self) -> None:
        if self.limit_s is None or self.lost_s <= self.limit_s:
            return
        lost, share = self.lost_s, 100.0 * MAX_DAMAGE_SHARE
        if self._tail is not None and self._tail[1] - self._tail[0] >= lost / 2:
            what = (
                f"truncated or corrupt file: the {self.kind} data ends at {self._tail[0]:.2f} s of "
                f"{self.duration:.2f} s"
            )
        else:
            what = (
                f"damaged {self.kind}: {lost:.2f} s of {self.duration:.2f} s cannot be decoded "
                f"({self.failed_packets} bad packets)"
            )
        raise InputError(
            f"{self.path}: {what}, more than the {share:.0f}% vidgist decodes through; "
            "re-download or re-export it"
        )

    def decode(
        self,
        container: Any,
        stream: Any,
        origin: float = 0.0,
        stop: threading.Event | None = None,
        sparse: bool = False,
    ) -> Iterator[Any]:
        """Decoded frames of ``stream`` in order, skipping (and recording) what fails to decode.

        ``origin``: the container start time (``media.video.time_origin``), subtracted from all times.
        ``stop``: when set, decoding ends before the next packet. When the reader stops before the
        stream's end (``stream_end``; a damaged sample table, a read error), it seeks past the point and
        reads on (``MAX_RESUMES`` times at most): first to the key frame before it, then to key frames
        ever further after it; what lies in between is recorded as lost. Call ``finish`` afterwards.
        ``sparse``: the decoder was told to skip frames (key frames only): a packet that decodes without
        error counts as read up to its end even when no frame comes out of it, so the seconds after the
        last key frame are not taken for a cut-short stream.
        """
        import av

        self.checked = True
        tb = stream.time_base
        step = _packet_step(stream)
        self._end = stream_end(container, stream, origin)
        end, slack = self._end if self._end is not None else (0.0, 0.0)
        cur = _Read(container.demux(stream))
        while stop is None or not stop.is_set():
            try:
                packet = next(cur.packets)
            except StopIteration:
                if not self._resume(container, stream, cur, origin, (end, slack)):
                    break
                continue
            except av.error.FFmpegError:  # the container itself is damaged here: read on
                self.read_errors += 1
                if self.read_errors > MAX_READ_RETRIES:
                    break
                cur.packets = container.demux(stream)
                continue
            try:
                frames = stream.decode(packet)
            except av.error.FFmpegError:
                self._bad_packet(packet, tb, cur, origin, end, step)
                continue
            if sparse and cur.resumed_at is None and packet.pts is not None and tb:
                t = float(packet.pts * tb) - origin
                cur.last = max(cur.last, t + (float(packet.duration * tb) if packet.duration else step))
                self.end_s = cur.last
            yield from self._take(frames, cur, origin, step)

    def _resume(
        self, container: Any, stream: Any, cur: _Read, origin: float, end_slack: tuple[float, float]
    ) -> bool:
        """The reader stopped: seek past ``cur.last`` and read on (see ``decode``); False when it is done."""
        import av

        tb = stream.time_base
        end, slack = end_slack
        if cur.resumes >= MAX_RESUMES or cur.last >= end - slack or not tb:
            return False
        jump = 0.0 if cur.attempt == 0 else 0.5 * 2 ** (cur.attempt - 1)
        if cur.last + jump >= end:
            return False
        try:
            container.seek(
                int(round((cur.last + jump + origin) / tb)),
                stream=stream,
                backward=cur.attempt == 0,
                any_frame=False,
            )
        except av.error.FFmpegError:
            return False
        cur.attempt, cur.resumes, cur.resumed_at = cur.attempt + 1, cur.resumes + 1, cur.last
        cur.packets = container.demux(stream)
        return True

    def _bad_packet(self, packet: Any, tb: Any, cur: _Read, origin: float, end: float, step: float) -> None:
        """Record a packet that failed to decode (once, even when met again after a resume)."""
        t = float(packet.pts * tb) - origin if packet.pts is not None and tb else cur.last
        if cur.resumed_at is not None and t < cur.resumed_at:
            return  # met again after a resume: counted already
        self.failed_packets += 1
        # the packet's own timing may be damaged too: keep it inside the stream, at most 1 s long
        t = min(max(t, 0.0), max(end, cur.last))
        d = min(float(packet.duration * tb), MAX_PACKET_S) if packet.duration and tb else step
        self.skipped_s += d
        self.add(t, t + d)
        cur.last = max(cur.last, t + d)

    def _take(self, frames: Any, cur: _Read, origin: float, step: float) -> Iterator[Any]:
        """The decoded ``frames`` of one packet that were not given before a resume, counted."""
        for frame in frames:
            timed = frame.pts is not None and bool(frame.time_base)
            t = float(frame.pts * frame.time_base) - origin if timed else cur.last
            if cur.resumed_at is not None:
                if t < cur.resumed_at - 1e-3:
                    continue  # given before the resume
                if t > cur.resumed_at + 2 * step:
                    self.add(cur.resumed_at, t)  # what the resume jumped over
                cur.resumed_at, cur.attempt = None, 0
            self.decoded_frames += 1
            if frame.is_corrupt:
                self.concealed_frames += 1
            cur.last = max(cur.last, t + _frame_step(frame, step))
            self.end_s = cur.last
            yield frame

    def finish(self) -> None:
        """The decoding ended: a stream that stopped short of its end (``stream_end``) lost its tail.
        Applies the rule."""
        got = self.end_s or 0.0
        if self.decoded_frames and self._end is not None and self._end[0] - got > self._end[1]:
            self._tail = (got, self._end[0])
        self._check()

    def to_json(self) -> dict[str, Any]:
        """``{"seconds", "ranges", "bad_packets", "read_errors", "concealed_frames"}`` (seconds rounded)."""
        return {
            "seconds": round(self.lost_s, 3),
            "ranges": [[round(a, 3), round(b, 3)] for a, b in self.ranges],
            "bad_packets": self.failed_packets,
            "read_errors": self.read_errors,
            "concealed_frames": self.concealed_frames,
        }


class DamageReport:
    """Damage of one file: ``video`` and ``audio`` StreamDamage, sharing the rule (see module docstring)."""

    def __init__(self, path: str | os.PathLike[str], duration: float = 0.0, enforce: bool = True) -> None:
        self.path = Path(path)
        self.enforce = enforce
        self.video = StreamDamage("video", self.path, 0.0, None)
        self.audio = StreamDamage("audio", self.path, 0.0, None)
        self.set_duration(duration)

    def set_duration(self, duration: float) -> None:
        """The video's duration, which the rule is a share of (for a report made before probing)."""
        self.duration = float(duration)
        for s in (self.video, self.audio):
            s.duration = self.duration
            s.limit_s = MAX_DAMAGE_SHARE * self.duration if self.enforce else None

    @property
    def damaged(self) -> bool:
        """True when anything was lost or concealed."""
        return any(s.lost_s > 0 or s.concealed_frames or s.read_errors for s in (self.video, self.audio))

    def to_json(self) -> dict[str, Any]:
        """summary.json's ``damage``: ``video_s``, ``audio_s`` (None when the audio was not decoded),
        the lost ``ranges`` of each, the rule, and the per-stream counts."""
        doc: dict[str, Any] = {
            "video_s": round(self.video.lost_s, 3),
            "audio_s": round(self.audio.lost_s, 3) if self.audio.checked else None,
            "rule": f"refused above {100 * MAX_DAMAGE_SHARE:.0f}% of the duration lost per stream",
            "video": self.video.to_json(),
        }
        if self.audio.checked:
            doc["audio"] = self.audio.to_json()
        return doc

    def warning(self) -> str:
        """One line for the user: what was lost and where."""
        parts = []
        for s in (self.video, self.audio):
            if not s.checked or not (s.lost_s or s.concealed_frames or s.read_errors):
                continue
            where = ", ".join(f"{a:.2f}-{b:.2f} s" for a, b in s.ranges[:3]) + (
                ", ..." if len(s.ranges) > 3 else ""
            )
            text = f"{s.kind} {s.lost_s:.2f} s lost" + (f" at {where}" if where else "")
            if s.concealed_frames:
                text += f", {s.concealed_frames} frames concealed"
            parts.append(text)
        return f"{self.path}: damaged file, decoded around the damage ({'; '.join(parts)})"


def stream_end(container: Any, stream: Any, origin: float = 0.0) -> tuple[float, float] | None:
    """(where ``stream`` should end on the video clock, the slack allowed) from the headers, or None.

    The stream's own duration (MP4/MOV, AVI, FLV) allows ``TAIL_SLACK_S``; without one (Matroska, WebM,
    MPEG-TS) the container's duration, which may be another stream's, allows ``CONTAINER_SLACK_S``.
    """
    tb = stream.time_base
    if stream.duration and tb and stream.duration > 0:
        start = float(stream.start_time * tb) if stream.start_time is not None else origin
        return start - origin + float(stream.duration * tb), TAIL_SLACK_S
    if container.duration and container.duration > 0:
        return float(container.duration) / 1e6, CONTAINER_SLACK_S
    return None


def _packet_step(stream: Any) -> float:
    """Seconds one packet usually spans: a frame for video, ``frame_size`` samples for audio."""
    if stream.type == "audio":
        rate = stream.rate or 48000
        size = getattr(stream.codec_context, "frame_size", 0) or 1024
        return float(size) / float(rate)
    rate = stream.average_rate or stream.guessed_rate
    return 1.0 / float(rate) if rate and 0 < float(rate) <= 500 else 0.04


def _frame_step(frame: Any, fallback: float) -> float:
    rate = getattr(frame, "sample_rate", 0)
    if rate:
        return float(frame.samples) / float(rate)
    if frame.duration and frame.time_base:
        return float(frame.duration * frame.time_base)
    return fallback


def tolerant_frames(container: Any, stream: Any) -> Iterator[Any]:
    """Frames of ``stream`` decoded through damage, with nothing recorded or refused (for readers of a
    file already checked, such as the summary video writer; times stay the container's own)."""
    yield from StreamDamage(stream.type, Path(str(container.name)), 0.0, None).decode(container, stream)
