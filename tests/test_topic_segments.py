"""Consensus placement of topic boundaries (the rule's count, placed where the row variants agree) and the
opt-in split of a chapter whose halves take distinct titles."""

from __future__ import annotations

import dataclasses

import numpy as np

from vidgist.summarize.topic_segments import TopicParams, transcript_boundaries, voted_boundaries
from vidgist.types import TextSpan


def test_votes_pick_the_times_most_variants_share_and_keep_the_count() -> None:
    runs = [[(30.0, 0.2), (61.0, 0.3)], [(31.5, 0.2), (75.0, 0.3)], [(30.0, 0.1), (62.0, 0.2)]]
    out = voted_boundaries(runs, 2, gap=10.0)
    assert [t for t, _ in out] == [30.0, 61.0]  # 31.5 is too close to 30.0; 75.0 has one vote
    assert out[0][1] > out[1][1] and 0 < out[1][1] <= 1.01


def test_consensus_finds_clear_topic_changes_with_the_rules_count() -> None:
    rng = np.random.default_rng(3)
    topics = rng.normal(size=(4, 24))
    speech, emb = [], []
    for k in range(4):  # four topics of six 5-s sentences each
        for j in range(6):
            t = 30.0 * k + 5.0 * j
            speech.append(TextSpan(t, t + 4.6, f"topic {k} sentence {j}"))
            emb.append(topics[k] + 0.3 * rng.normal(size=24))
    tfidf = np.zeros((len(speech), 3))
    alone = transcript_boundaries(speech, np.array(emb), tfidf, 120.0)
    voted = transcript_boundaries(speech, np.array(emb), tfidf, 120.0, params=TopicParams(consensus=True))
    assert [t for t, _ in voted] == [30.0, 60.0, 90.0]
    assert len(voted) == len(alone)


def test_a_given_count_sets_the_number_of_boundaries() -> None:
    """``TopicParams(count=m)`` returns m boundaries, placed where the topics change, and no more than
    segments of ``min_seconds`` allow."""
    rng = np.random.default_rng(5)
    topics = rng.normal(size=(6, 24))
    speech, emb = [], []
    for k in range(6):  # six topics of four 5-s sentences
        for j in range(4):
            t = 20.0 * k + 5.0 * j
            speech.append(TextSpan(t, t + 4.6, f"topic {k} sentence {j}"))
            emb.append(topics[k] + 0.3 * rng.normal(size=24))
    x, tfidf = np.array(emb), np.zeros((len(speech), 3))
    found = [t for t, _ in transcript_boundaries(speech, x, tfidf, 120.0)]
    assert found == [20.0, 40.0, 60.0, 80.0, 100.0]
    two = [t for t, _ in transcript_boundaries(speech, x, tfidf, 120.0, params=TopicParams(count=2))]
    assert len(two) == 2 and set(two) <= set(found)
    most = [t for t, _ in transcript_boundaries(speech, x, tfidf, 120.0, params=TopicParams(count=50))]
    assert 5 <= len(most) <= 11 and set(found) <= set(most)
    assert min(np.diff([0.0, *most, 120.0])) >= TopicParams().min_seconds


STARS = [
    "Telescopes gather faint light from distant galaxies.",
    "A larger mirror lets a telescope see dimmer stars.",
    "Astronomers point the telescope at the same galaxy for hours.",
    "The telescope mount tracks the stars across the sky.",
    "Cold clear nights give the telescope its sharpest images.",
    "Galaxies and nebulae appear as soft smudges in the eyepiece.",
]
BREAD = [
    "Sourdough bread rises slowly with wild yeast.",
    "Knead the bread dough until it feels smooth and elastic.",
    "A hot oven gives the bread a crisp brown crust.",
    "Let the dough rest overnight so the bread tastes richer.",
    "Flour, water and salt are all the bread needs.",
    "Slice the loaf only after the bread has cooled.",
]


def test_split_margin_splits_a_chapter_whose_halves_take_distinct_titles() -> None:
    from vidgist.backbones.offline import encode_sentences
    from vidgist.summarize.chapters import tfidf_rows

    speech = [TextSpan(5.0 * i + 0.2, 5.0 * i + 4.8, t, "speech") for i, t in enumerate(STARS + BREAD)]
    texts = [s.text for s in speech]
    emb, tfidf = np.asarray(encode_sentences(texts)), tfidf_rows(texts)
    no_count = TopicParams(penalty=2.0, extend_ratio=None)  # the penalty alone keeps no boundary
    assert transcript_boundaries(speech, emb, tfidf, 60.0, (), no_count, encode_sentences) == []
    split = dataclasses.replace(no_count, split_margin=0.1)
    found = transcript_boundaries(speech, emb, tfidf, 60.0, (), split, encode_sentences)
    assert [t for t, _ in found] == [30.2]  # the topic change; each 30-s half stays whole
    assert transcript_boundaries(speech, emb, tfidf, 60.0, (), split) == []  # no encoder: the rule is off


def test_lexically_distinct_accepts_a_boundary_between_sections_that_repeat_their_own_words() -> None:
    """``count_rules.lexically_distinct`` (the opt-in ``lexical_margin``): a boundary passes when each side's
    sentences share words with each other more than with the other side's."""
    from vidgist.summarize.chapters import tfidf_rows
    from vidgist.summarize.count_rules import lexically_distinct

    texts = [
        "The kettle whistles on the old stove.",
        "Fill the kettle with cold water first.",
        "A clean kettle boils faster.",
        "The violin has four strings.",
        "Tune each violin string by ear.",
        "Rosin makes the violin bow grip.",
    ]
    tfidf = np.asarray(tfidf_rows(texts), dtype=np.float64)
    item = np.repeat(np.arange(6), 5)  # five grid points per sentence
    assert lexically_distinct([15], item, tfidf, margin=0.02)
    assert not lexically_distinct([5, 15], item, tfidf, margin=0.02)  # one kettle sentence alone
    assert not lexically_distinct([15], item, tfidf, margin=0.9)


def test_accept_extends_the_count_only_while_it_accepts() -> None:
    from vidgist.summarize.topic_segments import penalised_change_points

    rng = np.random.default_rng(7)
    topics = rng.normal(size=(4, 16))
    x = np.repeat(topics, 30, axis=0) + 0.3 * rng.normal(size=(120, 16))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    found = penalised_change_points(x, 10, 0.08, 0.75)
    assert found == [30, 60, 90]
    assert penalised_change_points(x, 10, 0.08, 0.75, accept=lambda edges, before: False) == found
    assert len(penalised_change_points(x, 10, 0.08, 0.75, accept=lambda edges, before: len(edges) <= 5)) == 5


def test_a_long_lecture_keeps_the_penalty_of_a_talk_of_reference_length() -> None:
    """A 32-minute lecture of eight 4-minute parts: relative to the whole transcript's scatter no boundary
    reaches the penalty (one chapter); with the penalty of a talk of ``reference_seconds`` every part is
    found, within one sentence."""
    rng = np.random.default_rng(13)
    topics = rng.normal(size=(8, 64))
    speech, emb = [], []
    for k in range(8):  # 48 sentences of 5 s per part
        for j in range(48):
            t = 240.0 * k + 5.0 * j
            speech.append(TextSpan(t, t + 4.6, f"part {k} sentence {j}"))
            emb.append(topics[k] + 2.0 * rng.normal(size=64))
    x, tfidf = np.array(emb), np.zeros((len(speech), 3))
    whole = TopicParams(reference_seconds=None)
    assert transcript_boundaries(speech, x, tfidf, 1920.0, params=whole) == []
    found = [t for t, _ in transcript_boundaries(speech, x, tfidf, 1920.0)]
    assert len(found) == 7
    assert all(abs(t - 240.0 * (k + 1)) <= 5.0 for k, t in enumerate(found))


def test_shift_cues_move_a_boundary_onto_the_sentence_that_says_next() -> None:
    """A section's first sentence that reads a little more like the section before but opens with "Next,"
    takes the boundary with ``shift_cues``; one that reads clearly like the section before takes it only
    without the scatter margin. Without cues the boundary follows the rows, one sentence later."""
    from vidgist.summarize.topic_segments import opens_topic_shift

    rng = np.random.default_rng(11)
    topics = rng.normal(size=(2, 24))

    def boundaries(cue_row: np.ndarray, **changes: object) -> list[float]:
        speech, emb = [], []
        for k in range(2):  # two topics of six 5-s sentences each; the second's first says "Next,"
            for j in range(6):
                t = 30.0 * k + 5.0 * j
                speech.append(
                    TextSpan(t, t + 4.6, f"Next, a remark {j}." if (k, j) == (1, 0) else f"Remark {k}.")
                )
                emb.append(cue_row if (k, j) == (1, 0) else topics[k] + 0.2 * rng.normal(size=24))
        params = dataclasses.replace(TopicParams(count=1), **changes)  # type: ignore[arg-type]
        return [
            t for t, _ in transcript_boundaries(speech, np.array(emb), np.zeros((12, 3)), 60.0, params=params)
        ]

    leaning = 0.6 * topics[0] + 0.4 * topics[1]
    assert boundaries(leaning) == [35.0]
    assert boundaries(leaning, shift_cues=True) == [30.0]
    assert boundaries(topics[0], shift_cues=True) == [35.0]  # the move would add too much scatter
    assert boundaries(topics[0], shift_cues=True, shift_margin=None) == [30.0]
    assert opens_topic_shift("Okay, moving on, the second part.") and opens_topic_shift("Let's turn to rice.")
    assert not opens_topic_shift("Next to the door stands a lamp.") and not opens_topic_shift("Nowhere else.")


def test_music_before_and_after_the_talk_does_not_weigh_on_its_first_and_last_sentences() -> None:
    """Six 15-s topics framed by a minute without words at each end (music, titles): the same boundaries,
    shifted by the minute, as the talk alone; read with every grid point (``silence_reach=None``) the
    sentences beside the music weigh a minute more and the boundaries are not the same."""
    rng = np.random.default_rng(21)
    topics = rng.normal(size=(6, 24))

    def talk(offset: float) -> tuple[list[TextSpan], np.ndarray]:
        speech, emb = [], []
        for k in range(6):
            for j in range(3):
                t = offset + 15.0 * k + 5.0 * j
                speech.append(TextSpan(t, t + 4.6, f"topic {k} sentence {j}"))
                emb.append(topics[k] + 0.5 * rng.normal(size=24))
        return speech, np.array(emb)

    speech, x = talk(0.0)
    tfidf = np.zeros((len(speech), 3))
    alone = [t for t, _ in transcript_boundaries(speech, x, tfidf, 90.0)]
    assert alone == [15.0, 30.0, 45.0, 60.0, 75.0]
    framed = [s.__class__(s.start + 60.0, s.end + 60.0, s.text) for s in speech]
    found = [t - 60.0 for t, _ in transcript_boundaries(framed, x, tfidf, 210.0)]
    assert found == alone
    every = TopicParams(silence_reach=None)
    assert [t - 60.0 for t, _ in transcript_boundaries(framed, x, tfidf, 210.0, params=every)] != alone
