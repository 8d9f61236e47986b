"""Summary clips cut in pauses, not inside words: the placement rules on a sound track of known shape, and
the loudness measured from real audio."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vidgist.media.loudness import FRAME, frame_levels, quiet_stretches
from vidgist.summarize.select import QuerySegment
from vidgist.summarize.speech_edges import snap_to_pauses
from vidgist.types import Evidence, Features, Segment, TextSpan, VideoInfo

DURATION = 20.0


def _levels(loud: list[tuple[float, float]], dips: tuple[float, ...] = ()) -> np.ndarray:
    """-90 dBFS everywhere, -20 inside ``loud`` stretches, -45 in the 10-ms frames at ``dips``."""
    lv = np.full(int(DURATION / FRAME), -90.0, np.float32)
    for a, b in loud:
        lv[int(round(a / FRAME)) : int(round(b / FRAME))] = -20.0
    for t in dips:
        lv[int(round(t / FRAME))] = -45.0
    return lv


def _evidence(levels: np.ndarray | None, speech: list[tuple[float, float]]) -> Evidence:
    info = VideoInfo(Path("talk.mp4"), DURATION, 25.0, 500, 640, 360, 0, True)
    spans = tuple(TextSpan(a, b, "words said here", "speech") for a, b in speech)
    return Evidence(info, Features(np.zeros(0), np.zeros((0, 4), np.float32)), None, spans, loudness=levels)


# two sentences, 2-6 s and 6.5-11 s, with a comma pause at 8.0-8.3 s; a short dip at 4.0 s inside a word
SENTENCES = [(2.0, 6.0), (6.5, 8.0), (8.3, 11.0)]
SPEECH = [(2.0, 6.0), (6.5, 11.0)]


def test_a_clip_starting_mid_sentence_moves_into_the_pause_before_the_next_phrase() -> None:
    ev = _evidence(_levels(SENTENCES), SPEECH)
    (seg,) = snap_to_pauses([Segment(8.6, 10.6, 0.7)], ev)
    assert abs(seg.start - 8.2) < 1e-6  # 0.1 s before the phrase after the comma pause (8.3 s) starts
    assert seg.end <= 10.2 + 1e-9 and seg.end - seg.start <= 2.0 + 1e-9
    assert seg.score == 0.7


def test_an_edge_with_no_pause_near_moves_to_the_quietest_sound_within_reach() -> None:
    ev = _evidence(_levels(SENTENCES, dips=(4.1,)), SPEECH)
    (seg,) = snap_to_pauses([Segment(4.0, 5.5, 0.5)], ev)
    assert abs(seg.start - 4.1) < 1e-6  # the dip, 0.1 s away; no pause within 0.75 s
    assert seg.end - seg.start <= 1.5 + 1e-9


def test_edges_in_silence_touching_clips_and_missing_loudness_stay() -> None:
    segs = [Segment(0.0, 2.5, 0.1), Segment(2.5, 4.5, 0.2), QuerySegment(12.0, 13.0, 0.3, 0.9, (0,))]
    ev = _evidence(_levels(SENTENCES, dips=(4.4,)), SPEECH)
    out = snap_to_pauses(segs, ev)
    assert out[0] == segs[0]  # starts at 0; ends where the next clip starts
    assert out[1].start == 2.5 and out[1].end <= 4.5  # the start touches the clip before: it stays
    assert out[2] == segs[2] and isinstance(out[2], QuerySegment)  # 12-13 s: no speech there
    assert snap_to_pauses(segs, _evidence(None, SPEECH)) == segs
    # never longer, never overlapping: the budget and the order hold
    total = sum(s.end - s.start for s in out)
    assert total <= sum(s.end - s.start for s in segs) + 1e-9
    assert all(a.end <= b.start + 1e-9 for a, b in zip(out, out[1:], strict=False))


def test_quiet_stretches_of_real_narration(narrated_demo) -> None:
    from vidgist.media.video import AUDIO_RATE, extract_audio

    video, truth = narrated_demo
    audio = extract_audio(video)
    assert audio is not None
    levels = frame_levels(audio, AUDIO_RATE)
    assert abs(len(levels) * FRAME - len(audio) / AUDIO_RATE) < FRAME
    assert levels.dtype == np.float32 and np.array_equal(levels, levels.astype(np.float16).astype(np.float32))
    quiet = quiet_stretches(levels)
    # each part says one sentence of about 4 s in its 8 s: the silence that ends each of the first two
    # parts is a quiet stretch
    for part in truth["parts"][:2]:
        end = part["span"][1]
        assert any(q0 <= end - 1.0 and q1 >= end - 0.1 for q0, q1 in quiet), (quiet, part)
    assert quiet_stretches(np.full(500, -120.0, np.float32)) == ()  # silence: no cut point claimed


def test_the_library_keeps_the_loudness_as_measured() -> None:
    from vidgist.library.evidence_store import pack, unpack

    levels = frame_levels(np.sin(np.linspace(0, 900, 48000)).astype(np.float32) * 0.3, 16000)
    ev = _evidence(levels, SPEECH)
    back, _fps, _thumbs = unpack(pack(ev, 2.0, []), ev.info)
    assert back.loudness is not None and np.array_equal(back.loudness, levels)
    assert unpack(pack(_evidence(None, SPEECH), 2.0, []), ev.info)[0].loudness is None


def test_a_clip_keeps_the_best_moment_it_holds() -> None:
    ev = _evidence(_levels(SENTENCES), SPEECH)
    moved = snap_to_pauses([Segment(8.6, 10.6, 0.7)], ev)[0]
    assert moved.end < 10.5  # free to move, the clip shifts to 8.2-10.2 s (the first test)
    kept = snap_to_pauses([Segment(8.6, 10.6, 0.7)], ev, keep=[10.5])[0]
    assert kept.start <= 10.5 <= kept.end and kept.end - kept.start <= 2.0 + 1e-9
    early = snap_to_pauses([Segment(8.6, 10.6, 0.7)], ev, keep=[8.6])[0]
    assert early.start <= 8.6 <= early.end


def test_a_chapter_starts_before_its_first_word() -> None:
    from vidgist.summarize.chapters import Chapter, ChapterSet
    from vidgist.summarize.speech_edges import chapter_onsets

    ev = _evidence(_levels(SENTENCES, dips=(4.4,)), SPEECH)
    chapters = ChapterSet(
        (
            Chapter(0.0, 4.5, "Intro"),
            Chapter(4.5, 8.4, "Soil"),
            Chapter(8.4, 12.0, "Seeds"),
            Chapter(12.0, 20.0, "End"),
        ),
        "transcript",
        parts=((0.0, 4.5), (4.5, 8.4), (8.4, 10.0), (10.0, 12.0), (12.0, 20.0)),
    )
    out = chapter_onsets(chapters, ev)
    starts = [c.start for c in out.chapters]
    assert abs(starts[1] - 4.4) < 1e-6  # no pause within 1 s before 4.5 s: the quietest moment before it
    assert abs(starts[2] - 8.2) < 1e-6  # 0.1 s before the phrase after the pause at 8.0-8.3 s
    assert starts[3] == 12.0  # in silence: stays
    assert all(a.end == b.start for a, b in zip(out.chapters, out.chapters[1:], strict=False))
    assert [c.title for c in out.chapters] == ["Intro", "Soil", "Seeds", "End"]
    assert out.parts[1][0] == out.chapters[1].start and out.parts[2] == (out.chapters[2].start, 10.0)
    assert chapter_onsets(chapters, _evidence(None, SPEECH)) is chapters


def test_an_end_inside_speech_shifts_the_clip_to_end_in_the_next_pause() -> None:
    # the clip 9.5-10.6 s starts and ends inside the phrase 8.3-11 s; the pause after it starts at 11 s
    ev = _evidence(_levels(SENTENCES), SPEECH)
    (seg,) = snap_to_pauses([Segment(9.5, 10.6, 0.4)], ev)
    assert abs(seg.end - 11.2) < 1e-6 and abs((seg.end - seg.start) - 1.1) < 1e-6  # 0.2 s into the pause
    # a start in a pause never moves off it: the clip 8.1-10.0 s keeps its start in the comma pause
    (kept,) = snap_to_pauses([Segment(8.1, 10.0, 0.4)], ev)
    assert kept.start == 8.1 and kept.end <= 10.0
