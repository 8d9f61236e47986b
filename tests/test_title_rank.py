"""The opt-in learned title ranker: its features on sentences embedded by the real sentence model, and
the titles it picks."""

from __future__ import annotations

import numpy as np
import pytest

from vidgist.summarize.keyphrases import KeyphraseParams, chapter_keyphrases, chapter_pools, topic_nouns
from vidgist.summarize.title_rank import FEATURES, WEIGHTS, rank_scores

CHAPTERS = [
    [
        "Hornets build their paper nests under the roof.",
        "A hornet nest can hold hundreds of hornets by late summer.",
        "Never knock a hornet nest down with a broom.",
    ],
    [
        "The canoe paddle should reach your chin.",
        "Hold the paddle with both hands apart.",
        "A longer paddle suits a wide canoe.",
    ],
    [
        "Sourdough starter needs flour and water every day.",
        "Keep the starter jar warm on the kitchen counter.",
        "A lively starter doubles in a few hours.",
    ],
]


@pytest.fixture(scope="module")
def pools() -> list[tuple[list[str], np.ndarray]]:
    from vidgist.backbones.offline import encode_sentences

    return chapter_pools(CHAPTERS, encode_sentences, KeyphraseParams(rank=True))


def _row(pools: list, i: int, phrase: str) -> dict[str, float]:
    phrases, x = pools[i]
    assert phrase in phrases, phrases
    return dict(zip(FEATURES, x[phrases.index(phrase)], strict=True))


def test_features_read_the_chapter_and_its_neighbours(pools: list) -> None:
    assert len(WEIGHTS) == len(FEATURES)
    for phrases, x in pools:
        assert x.shape == (len(phrases), len(FEATURES)) and len(phrases) == len(set(phrases))
    paddle = _row(pools, 1, "paddle")
    assert paddle["said_share"] == 1.0 and paddle["first"] == 0.0 and paddle["listed"] == 0.0
    assert paddle["margin"] > 0.15  # closer to its own chapter than to the hornets' or the bread's
    assert paddle["centre"] > _row(pools, 1, "chin")["centre"]  # the topic, not a side word
    starter = _row(pools, 2, "starter jar")
    assert 0.3 < starter["said_share"] < 0.4 and starter["two_words"] == 1.0
    assert starter["word_share"] == pytest.approx((1.0 + 1 / 3) / 2)  # "starter" in all three, "jar" in one
    phrases, x = pools[0]
    listed = [p for p, row in zip(phrases, x, strict=True) if row[FEATURES.index("listed")] == 1.0]
    assert listed and all(p in topic_nouns() for p in listed), listed
    assert all(
        _row(pools, 0, p)["said_share"] == 0.0 for p in listed if p not in " ".join(CHAPTERS[0]).lower()
    )


def test_the_ranker_titles_each_chapter_by_its_topic(pools: list) -> None:
    from vidgist.backbones.offline import encode_sentences

    titles = chapter_keyphrases(CHAPTERS, encode_sentences, KeyphraseParams(rank=True))
    assert [t.lower() for t in titles] == [p[int(np.argmax(rank_scores(x)))] for p, x in pools]
    assert "hornet" in titles[0].lower() and "paddle" in titles[1].lower() and "starter" in titles[2].lower()
    assert all(1 <= len(t.split()) <= 3 and t[0].isupper() for t in titles), titles
    # the weights matter: with only the side-word direction (the first mention late) a side word wins
    side = np.zeros(len(FEATURES))
    side[FEATURES.index("first")] = 1.0
    phrases, x = pools[1]
    assert phrases[int(np.argmax(rank_scores(x, side)))] != "paddle"


def test_pick_rules_score_as_documented() -> None:
    from vidgist.summarize import title_pick

    e = np.eye(3)
    rows = [e[[0, 1]], e[[2]]]  # chapter 0 says two sentences, chapter 1 one
    v = np.array([0.8, 0.6, 0.0])
    assert title_pick.auc(v, 0, rows) == 1.0 and title_pick.auc(e[2], 0, rows) == 0.0
    assert title_pick.auc(v, 0, [e[[0, 1]]]) == 1.0  # no other chapter: nothing to rank against
    said = np.array([e[0], e[1], e[2]])  # medians per sentence: 0 for both of chapter 0's
    assert title_pick.coverage(v, rows[0], said) == 1.0 and title_pick.coverage(e[0], rows[0], said) == 0.5
    lines = ["Sharpen the pencil stub.", "Keep the eraser clean.", "The desk stays."]
    assert title_pick.said_in_lead("pencil stub", lines) and not title_pick.said_in_lead("desk", lines)
    assert not title_pick.said_in_lead("pen", lines)  # whole words only
    options = [(0.5, "pencil stub", v), (0.4, "desk", e[2])]
    assert title_pick.rescored("centre", 0, options, rows, lines, said) == [
        (0.5, "pencil stub"),
        (0.4, "desk"),
    ]
    lead = title_pick.rescored("lead", 0, options, rows, lines, said)
    assert lead[0] == (0.5 + title_pick.LEAD_BONUS, "pencil stub") and lead[1] == (0.4, "desk")
    # a trimmed centre drops the sentence far from the plain mean (chapters of 3 or more sentences)
    r = np.array([[1.0, 0.0, 0.0], [0.96, 0.28, 0.0], [0.0, 0.0, 1.0]])
    plain = r.mean(0) / np.linalg.norm(r.mean(0))
    trimmed = title_pick.trimmed_centres([r], plain[None, :])[0]
    assert trimmed[2] == 0.0 and trimmed @ r[0] > plain @ r[0]
    assert KeyphraseParams().pick == "centre" and "centre" in title_pick.PICKS
