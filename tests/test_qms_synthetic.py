"""QMS on a CI-sized synthetic micro-video set (seed 0): it learns, beating Lead and BART (MM) by a margin.

One set of ``QUALITY_SPEC`` size, one Eq. 14 distribution (MiniLM, computed once), QMS and BART (MM)
trained in parallel with identical settings (``CI_TRAIN``: 12 epochs); epochs selected on 'eval', scores on
'test'. The several-seed comparison with the ablations and the Eq. 18 sweep is
``python benchmarks/bench_qms.py quality``.
"""

from __future__ import annotations

from typing import Any

import pytest

from vidgist.data.qms_items import by_split
from vidgist.data.synthetic_qms import ENTITIES, GENERIC, is_gap_video
from vidgist.train.qms_synthetic import CI_TRAIN, quality_set, run_jobs, synthetic_items, untrained_baselines


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, Any]]:
    items, probs = quality_set(0)
    out = untrained_baselines(items, 0)
    jobs = [("qms", "qms", 0, None), ("bart_mm", "bart_mm", 0, None)]
    done = run_jobs(jobs, {0: probs}, workers=2, train=CI_TRAIN)
    out.update(done)
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


def test_qms_beats_lead_random_and_bart_mm_by_a_margin(results: dict[str, dict[str, Any]]) -> None:
    q = results["qms"]["CIDEr"]
    for base in ("lead", "random", "bart_mm"):
        margin = 0.05 if base == "bart_mm" else 0.02
        assert q > results[base]["CIDEr"] + margin, (base, q, results[base]["CIDEr"])
    assert results["qms"]["BLEU-4"] > results["lead"]["BLEU-4"]
