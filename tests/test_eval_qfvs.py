"""QFVS semantic F1 (Sharghi et al. 2017): oracle vs itself, hand-checked IoU matching, errors."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SHARED
from hypothesis import given, settings
from hypothesis import strategies as st

from vidgist.data.qfvs import load_qfvs
from vidgist.errors import DataError
from vidgist.eval.qfvs import concept_iou, evaluate_qfvs, qfvs_references, semantic_prf

QFVS = SHARED / "data" / "qfvs"


@pytest.fixture(scope="module")
def qfvs():  # type: ignore[no-untyped-def]
    data = load_qfvs(QFVS)
    return data, *qfvs_references(data)


def test_oracle_against_itself(qfvs) -> None:  # type: ignore[no-untyped-def]
    data, tags, refs = qfvs
    assert sorted(refs) == ["P01", "P02", "P03", "P04"] and all(len(q) == 45 for q in refs.values())
    oracle = {v: {q: r[0] for q, r in qs.items()} for v, qs in refs.items()}
    res = evaluate_qfvs(oracle, tags, refs)
    # a shot without any concept has IoU 0 even with itself (as in the reference code), so each query
    # scores exactly the share of its oracle shots that carry tags
    for v, qs in refs.items():
        expect = np.mean([np.mean([tags[v][s].any() for s in r[0]]) for r in qs.values()])
        assert res["per_video"][v]["f1"] == pytest.approx(expect, abs=1e-12)
    assert 0.999 < res["f1"] <= 1.0
    full = [(v, q) for v, qs in refs.items() for q, r in qs.items() if all(tags[v][s].any() for s in r[0])]
    assert len(full) > 150
    v, q = full[0]
    assert semantic_prf(refs[v][q][0], refs[v][q][0], tags[v]) == (1.0, 1.0, 1.0)


def test_hand_checked_matching() -> None:
    tags = np.array(
        [
            [1, 1, 0, 0],  # shot 0: {a, b}
            [1, 0, 0, 0],  # shot 1: {a}
            [0, 0, 1, 1],  # shot 2: {c, d}
            [0, 0, 1, 0],  # shot 3: {c}
            [0, 0, 0, 0],  # shot 4: no tags
        ]
    )
    assert concept_iou(tags[[0]], tags[[1]])[0, 0] == 0.5
    # pred {0, 3}, ref {1, 2}: IoU 0-1 = 1/2, 0-2 = 0, 3-1 = 0, 3-2 = 1/2 -> matched weight 1
    p, r, f = semantic_prf([0, 3], [1, 2], tags)
    assert (p, r, f) == (0.5, 0.5, 0.5)
    # pred {0, 1, 3} vs ref {1}: best single match weight 1 -> P 1/3, R 1, F 0.5
    p, r, f = semantic_prf([0, 1, 3], [1], tags)
    assert p == pytest.approx(1 / 3) and r == 1.0 and f == pytest.approx(0.5)
    assert semantic_prf([4], [4], tags) == (0.0, 0.0, 0.0)
    assert semantic_prf([], [1], tags) == (0.0, 0.0, 0.0)


def test_users_reference_and_errors(qfvs) -> None:  # type: ignore[no-untyped-def]
    data, tags, refs = qfvs
    tags_u, refs_u = qfvs_references(data, "users")
    oracle = {v: {q: r[0] for q, r in qs.items()} for v, qs in refs.items()}
    res = evaluate_qfvs(oracle, tags_u, refs_u)
    assert 0.6 < res["f1"] < 0.9  # the oracle agrees well but not perfectly with each user
    with pytest.raises(DataError, match="p.json: unknown video 'P09'"):
        evaluate_qfvs({**oracle, "P09": {}}, tags, refs, source="p.json")
    bad = {**oracle, "P01": {**oracle["P01"], "Nope_Query": [1]}}
    with pytest.raises(DataError, match="unknown query 'Nope_Query'"):
        evaluate_qfvs(bad, tags, refs)
    missing = {**oracle, "P02": {}}
    with pytest.raises(DataError, match="'P02': no prediction for query"):
        evaluate_qfvs(missing, tags, refs)
    out_of_range = {**oracle, "P03": {**oracle["P03"], next(iter(refs["P03"])): [99999]}}
    with pytest.raises(DataError, match="shot index 99999"):
        evaluate_qfvs(out_of_range, tags, refs)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=1, max_size=10, unique=True), st.permutations(list(range(10))))
def test_identical_tagged_summaries_give_one_and_order_is_irrelevant(
    shots: list[int], perm: list[int]
) -> None:
    tags = np.eye(10, dtype=np.uint8)
    tags[:, 0] = 1  # every shot tagged
    assert semantic_prf(shots, shots, tags) == pytest.approx((1.0, 1.0, 1.0))
    refs = {"v": {"q": [shots]}, "w": {"q": [[perm[0]]]}}
    t = {"v": tags, "w": tags}
    preds = {"v": {"q": perm[:3]}, "w": {"q": shots}}
    a = evaluate_qfvs(preds, t, refs)
    b = evaluate_qfvs({"w": preds["w"], "v": preds["v"]}, t, {"w": refs["w"], "v": refs["v"]})
    assert a["f1"] == b["f1"]
