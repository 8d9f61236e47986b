"""QMS on the synthetic micro-video set at a fixed seed: orderings against Lead, BART (MM) and the ablations.

All runs share one data set, one Eq. 14 distribution (MiniLM, computed once), the same tiny BART
architecture, seed and schedule; epochs are selected on the 'eval' split, scores are on 'test'.
"""

from __future__ import annotations

from typing import Any

import pytest

from vidgist.data.qms_items import by_split
from vidgist.data.synthetic_qms import ENTITIES, GENERIC, is_gap_video
from vidgist.qms.encode import query_distributions
from vidgist.train.qms import caption_metrics, lead_texts
from vidgist.train.qms_synthetic import run_parallel, synthetic_items

RUN_NAMES = ("qms", "no_entity", "no_query_sampling", "bart_mm", "no_scores")  # longest first


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, Any]]:
    items = synthetic_items(0)
    probs = query_distributions(by_split(items, "train"), 0.75, None)
    test = by_split(items, "test")
    out: dict[str, dict[str, Any]] = {"lead": dict(caption_metrics(lead_texts(test), test))}
    out.update(run_parallel(RUN_NAMES, probs, seed=0, workers=2))  # the two CPU cores
    return out


def test_synthetic_set_has_the_three_challenges() -> None:
    items = synthetic_items(0)
    train = by_split(items, "train")
    gap = sum(is_gap_video(it) for it in train) / len(train)
    assert 0.25 < gap < 0.45  # C2: transcript unrelated to the visuals
    it = next(i for i in train if not is_gap_video(i))
    words = it.transcript.split()
    ents = [w for w in words if w in ENTITIES]
    assert len(words) >= 3 * len(ents) and len(set(ents)) >= 4  # C1: key entities hidden among distractors
    assert all(any(q in GENERIC for q in i.queries) for i in train)  # C3: generic queries everywhere
    assert len({i.split for i in items}) == 3


def test_qms_beats_lead_and_bart_mm(results: dict[str, dict[str, Any]]) -> None:
    q = results["qms"]
    for base in ("lead", "bart_mm"):
        assert q["BLEU-4"] > results[base]["BLEU-4"], (base, q, results[base])
        assert q["CIDEr"] > results[base]["CIDEr"], (base, q, results[base])


@pytest.mark.parametrize("ablation", ["no_entity", "no_scores", "no_query_sampling"])
def test_each_ablation_costs_score(results: dict[str, dict[str, Any]], ablation: str) -> None:
    q, a = results["qms"], results[ablation]
    assert q["CIDEr"] - a["CIDEr"] > 0.01, (ablation, q["CIDEr"], a["CIDEr"])
