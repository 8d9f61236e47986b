"""Summary clips that begin and end in a pause or, failing that, between syllables, and chapters that start
before their first word: not in a word's loudest part.

Contract: ``snap_to_pauses(segments, evidence, keep, params) -> list[Segment]``: the same segments (same
types and fields, only ``start`` and ``end`` changed), in the same order. Only edges inside speech move
(within ``pad`` s of a speech span, outside every quiet stretch of the sound: ``vidgist.media.loudness``);
edges at the start or end of the video or touching the next clip stay. A clip is never longer than
selected (so the summary's budget holds), overlaps no other clip and still holds each time of ``keep`` it
held (a query's best moment). Without the sound's loudness (``Evidence.loudness`` None: no audio, or
speech not analysed) nothing moves.

Per clip ``[s, e)`` of length ``L``, an edge that needs a move:

1. The start goes to the nearest moment ``lead`` s before speech resumes after a quiet stretch (``max(a,
   b - lead)`` of a stretch ``(a, b)``) within ``shift = min(L / 2, max_shift)`` of ``s``, not before the
   previous clip's end; failing that, to the quietest ``FRAME`` within ``reach`` s (ties: the nearest).
2. The end ``t = min(s' + L, next clip's start, duration)`` goes to ``min(a + tail, b, t)`` of the latest
   quiet stretch ``(a, b)`` starting between ``s' + keep_share * L`` and ``t``; failing that, to the
   quietest frame within ``reach`` s before ``t``.
3. An end still inside speech: the whole clip moves later so that it ends at ``min(a + tail, b)`` of the
   first quiet stretch starting within ``shift`` after it, when its start then is at most ``shift_db``
   louder than before and the clip stays clear of the next one.

``chapter_onsets(chapters, evidence, params) -> ChapterSet``: a chapter start (not the first) inside
speech moves back to ``lead`` s before the sound resumes after the latest quiet stretch ending within
``onset_back`` s before it, failing that to the quietest frame within ``reach`` s before it; the chapter
before ends there, and topic parts that began or ended at the old start follow. Starts never move later, so
a viewer who jumps to a chapter hears its first word whole. ``phrase_onsets(times, evidence, params)`` moves
any times so (a library search hit's start).
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from vidgist.media.loudness import FRAME, quiet_stretches
from vidgist.summarize.chapters import ChapterSet
from vidgist.types import Channel, Evidence, Segment

S = TypeVar("S", bound=Segment)


@dataclass(frozen=True)
class EdgeParams:
    """Constants of the placement (module docstring)."""

    lead: float = 0.1  # a clip moved into a pause starts this long before speech resumes
    tail: float = 0.2  # and ends this long after speech stops
    max_shift: float = 1.0  # how far a start may move to a pause (at most half the clip)
    keep_share: float = 0.8  # a clip whose end moves to a pause keeps at least this share of its length
    reach: float = 0.2  # how far an edge may move to the quietest frame near it
    onset_back: float = 1.0  # how far back a chapter start may move to the onset of its sound
    shift_db: float = 3.0  # a clip shifted to end in a pause may start at most this much louder
    pad: float = 0.3  # a speech span's edges are known to within this (the recogniser's word timings)


class _Sound:
    """Where speech is, where the sound is quiet and how loud it is, with lookups by time."""

    def __init__(self, evidence: Evidence, levels: np.ndarray, pad: float) -> None:
        self.levels = levels
        self.quiet = list(quiet_stretches(levels))
        self.quiet_starts = [a for a, _ in self.quiet]
        spans = sorted(
            (x.start - pad, x.end + pad) for x in evidence.spans if x.source == Channel.SPEECH and x.text
        )
        self.speech = spans
        self.speech_starts = [a for a, _ in spans]

    def in_pause(self, t: float) -> bool:
        i = bisect.bisect_right(self.quiet_starts, t) - 1
        return i >= 0 and self.quiet[i][0] <= t <= self.quiet[i][1]

    def in_speech(self, t: float) -> bool:
        i = bisect.bisect_right(self.speech_starts, t)
        return any(b >= t for _, b in self.speech[max(0, i - 8) : i])

    def needs_move(self, t: float) -> bool:
        return self.in_speech(t) and not self.in_pause(t)

    def level(self, t: float) -> float:
        """The level (dBFS) of the frame holding ``t``."""
        if not len(self.levels):
            return 0.0
        return float(self.levels[min(max(int(t / FRAME + 1e-6), 0), len(self.levels) - 1)])

    def pauses_between(self, lo: float, hi: float) -> list[tuple[float, float]]:
        """Quiet stretches starting before ``hi`` and ending after ``lo``."""
        return [q for q in self.quiet[: bisect.bisect_left(self.quiet_starts, hi)] if q[1] > lo]

    def quietest(self, t: float, lo: float, hi: float) -> float:
        """The start of the quietest frame in ``[lo, hi]`` (ties: nearest ``t``); ``t`` when none."""
        i0, i1 = max(0, int(np.ceil(lo / FRAME))), min(len(self.levels), int(np.floor(hi / FRAME)) + 1)
        if i1 <= i0:
            return t
        idx = np.arange(i0, i1)
        lv = self.levels[i0:i1]
        best = idx[lv <= lv.min() + 1e-6]
        return float(best[np.argmin(np.abs(best * FRAME - t))] * FRAME)


def _sound(evidence: Evidence, params: EdgeParams) -> _Sound | None:
    """The lookups over ``evidence``'s sound, or None when its loudness was not measured."""
    if evidence.loudness is None:
        return None
    return _Sound(evidence, np.asarray(evidence.loudness, np.float32), params.pad)


def _start(s: float, length: float, low: float, latest: float, sound: _Sound, p: EdgeParams) -> float:
    """Step 1 of the module docstring, the start kept in ``[low, latest]``."""
    if not sound.needs_move(s):
        return s
    shift = min(0.5 * length, p.max_shift)
    near = [max(a, b - p.lead) for a, b in sound.pauses_between(s - shift, s + shift + p.lead)]
    near = [x for x in near if low - 1e-9 <= x <= latest + 1e-9 and abs(x - s) <= shift + 1e-9]
    if near:
        return min(near, key=lambda x: abs(x - s))
    return sound.quietest(s, max(low, s - p.reach), min(s + p.reach, latest))


def _end(start: float, length: float, high: float, earliest: float, sound: _Sound, p: EdgeParams) -> float:
    """Step 2 of the module docstring, the end kept at or after ``earliest``."""
    t = min(start + length, high)
    if t >= high - 1e-6 or not sound.needs_move(t):
        return t
    after = max(start + p.keep_share * length, earliest)
    inside = [q for q in sound.pauses_between(after, t) if q[0] > start and min(q[0] + p.tail, q[1]) >= after]
    if inside:
        return min(inside[-1][0] + p.tail, inside[-1][1], t)
    return sound.quietest(t, max(start, t - p.reach, earliest), t)


def snap_to_pauses(
    segments: Sequence[S], evidence: Evidence, keep: Sequence[float] = (), params: EdgeParams = EdgeParams()
) -> list[S]:
    """``segments`` with their edges out of the words' loudest parts (module docstring); a clip holding a
    time of ``keep`` (a query's best moment) still holds it."""
    sound = _sound(evidence, params) if segments else None
    if sound is None:
        return list(segments)
    duration = float(evidence.info.duration)
    out: list[S] = []
    for k, seg in enumerate(segments):
        s, e = float(seg.start), float(seg.end)
        low = out[-1].end if out else 0.0
        high = min(float(segments[k + 1].start) if k + 1 < len(segments) else duration, duration)
        held = [t for t in keep if s - 1e-6 <= t <= e + 1e-6]
        latest, earliest = (min(held), max(held)) if held else (e, s)
        fixed = s <= 1e-6 or (bool(out) and abs(out[-1].end - s) < 1e-6)  # at 0 or touching: stays
        placed = (s, e)
        for s2 in dict.fromkeys([s if fixed else _start(s, e - s, low, latest, sound, params), s]):
            e2 = _end(s2, e - s, high, earliest, sound, params)
            if low - 1e-9 <= s2 < e2 and s2 <= latest + 1e-9 and e2 >= earliest - 1e-9:
                placed = (s2, e2)
                break
        placed = _shifted_to_a_pause(placed, low, high, latest, earliest, sound, params)
        out.append(seg if placed == (s, e) else dataclasses.replace(seg, start=placed[0], end=placed[1]))
    return out


def _shifted_to_a_pause(
    clip: tuple[float, float],
    low: float,
    high: float,
    latest: float,
    earliest: float,
    sound: _Sound,
    p: EdgeParams,
) -> tuple[float, float]:
    """Step 3 of the module docstring: ``clip`` moved later, whole, so its end falls in the next pause."""
    s, e = clip
    if e >= high - 1e-6 or not sound.needs_move(e):
        return clip
    length = e - s
    ahead = [q for q in sound.pauses_between(e, e + min(0.5 * length, p.max_shift)) if q[0] > e]
    if not ahead:
        return clip
    end = min(ahead[0][0] + p.tail, ahead[0][1])
    start = end - length
    if end > high + 1e-9 or start < low - 1e-9 or start > latest + 1e-9 or end < earliest - 1e-9:
        return clip
    if sound.level(start) > sound.level(s) + p.shift_db:
        return clip
    return (start, end)


def _onset(t: float, low: float, sound: _Sound, p: EdgeParams) -> float:
    """Where a chapter starting at ``t`` (inside speech) starts instead, not before ``low``."""
    before = [q for q in sound.pauses_between(t - p.onset_back, t + 1e-9) if q[1] <= t + 1e-9]
    if before:
        return max(before[-1][0], before[-1][1] - p.lead, low)
    return sound.quietest(t, max(low, t - p.reach), t)


def phrase_onsets(
    times: Sequence[float], evidence: Evidence, params: EdgeParams = EdgeParams()
) -> list[float]:
    """Each of ``times`` moved back to its phrase's onset as a chapter start is (module docstring), or as
    it is when it is not inside speech or the sound's loudness is unknown."""
    sound = _sound(evidence, params) if times else None  # a video without hits: no sound to read
    if sound is None:
        return [float(t) for t in times]
    return [_onset(float(t), 0.0, sound, params) if sound.needs_move(float(t)) else float(t) for t in times]


def chapter_onsets(chapters: ChapterSet, evidence: Evidence, params: EdgeParams = EdgeParams()) -> ChapterSet:
    """``chapters`` with their starts before their first word (module docstring)."""
    sound = _sound(evidence, params) if len(chapters.chapters) > 1 else None
    if sound is None:
        return chapters
    out = [chapters.chapters[0]]
    moved: dict[float, float] = {}
    for ch in chapters.chapters[1:]:
        t = ch.start
        new = _onset(t, out[-1].start + 1e-3, sound, params) if sound.needs_move(t) else t
        if new < t - 1e-9:
            moved[t] = new
            out[-1] = dataclasses.replace(out[-1], end=new)
            ch = dataclasses.replace(ch, start=new)
        out.append(ch)
    if not moved:
        return chapters

    def follow(x: float) -> float:
        return next((v for k, v in moved.items() if abs(k - x) < 1e-6), x)

    parts = tuple((follow(a), follow(b)) for a, b in chapters.parts)
    return dataclasses.replace(chapters, chapters=tuple(out), parts=tuple(p for p in parts if p[1] > p[0]))
