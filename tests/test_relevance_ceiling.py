"""The text-model ceiling (``benchmarks/relevance_ceiling_judge.py``): its units and queries come from the
development set's definitions, and its balanced operating point is the best single threshold."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from relevance_ceiling_judge import oracle, talk_text  # noqa: E402
from relevance_devset import devset_spec  # noqa: E402


def test_every_present_query_has_text_in_its_part() -> None:
    counts = {"fit": [0, 0], "held-out": [0, 0]}
    for video in devset_spec():
        units, queries = talk_text(video, windows=True)
        parts = {j for _, j in units}
        for q in queries:
            if q["kind"] == "present":
                assert q["part"] in parts
                counts[video["split"]][0 if q["paraphrase"] else 1] += 1
        if video.get("section"):  # three sentences a part: three units and two windows each
            assert len(units) == 5 * len(video["parts"])
    assert counts["fit"] == counts["held-out"] and min(counts["fit"]) > 0


def test_oracle_picks_the_best_balanced_threshold() -> None:
    para = {"best": np.array([0.9, 0.8, 0.7, 0.4]), "hit": np.array([True, True, False, True])}
    absent = np.array([0.1, 0.2, 0.3, 0.75])
    got = oracle(para, absent)
    # any t in (0.4, 0.7]: matched with a hit 2/4; absent below t 3/4 -> min 0.5; t in (0.3, 0.4]: 3/4, 3/4
    assert got["min"] == 0.75 and 0.3 < got["t"] <= 0.4
    assert got["at_absent_0.9"] == 0.5  # absent no-match 1.0 needs t > 0.75: only 0.9 and 0.8 match
    assert got["no_match_at_absent_0.9"] == 0.5  # and then 0.7 and 0.4 fall below t
