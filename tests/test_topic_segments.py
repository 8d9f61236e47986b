"""Consensus placement of topic boundaries: the rule's count, placed where the row variants agree."""

from __future__ import annotations

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
