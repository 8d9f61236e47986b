"""Key-shot F-score and rank correlation: hand-checked cases, properties, the TVSum human baseline."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from conftest import SHARED
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from vidgist.errors import DataError
from vidgist.eval.summary import (
    _kendall_tau_b,
    evaluate_splits_fscore,
    evaluate_video_fscore,
    evaluate_videos_correlation,
    keyshot_summary,
    rank_correlation,
    summary_fscore,
    tvsum_human_baseline,
    upsample_scores,
)

TVSUM_ANNO = SHARED / "data" / "tvsum" / "ydata-tvsum50-anno.tsv.gz"


@dataclass
class V:
    picks: np.ndarray
    n_frames: int
    change_points: np.ndarray
    n_frame_per_seg: np.ndarray
    user_summary: np.ndarray | None


def _users() -> np.ndarray:
    u = np.zeros((3, 10))
    u[0, 6:10] = 1  # the shot the knapsack picks
    u[1, 0:4] = 1  # disjoint
    u[2, 5:9] = 1  # 3 of 4 frames overlap
    return u


CPS = np.array([[0, 3], [4, 5], [6, 9]])
NFPS = np.array([4, 2, 4])
PICKS = np.array([0, 2, 4, 6, 8])
SCORES = np.array([0.1, 0.9, 0.2, 0.8, 0.3])


def test_upsample_is_a_step_function_holding_to_n_frames() -> None:
    up = upsample_scores(SCORES, PICKS, 10)
    assert up.tolist() == pytest.approx([0.1, 0.1, 0.9, 0.9, 0.2, 0.2, 0.8, 0.8, 0.3, 0.3])
    assert upsample_scores([1.0, 2.0], [2, 5], 7).tolist() == [0, 0, 1, 1, 1, 2, 2]


def test_hand_checked_keyshot_and_fscore() -> None:
    # shot means 0.5, 0.2, 0.55; capacity int(10 * 0.5) = 5 -> only one 4-frame shot fits: shot 2
    summ = keyshot_summary(upsample_scores(SCORES, PICKS, 10), CPS, NFPS, budget=0.5)
    assert summ.tolist() == [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]
    # DSNet rounds shot values to int(1000 * mean): same choice here
    dsnet = keyshot_summary(upsample_scores(SCORES, PICKS, 10), CPS, NFPS, budget=0.5, value_scale=1000)
    assert dsnet.tolist() == summ.tolist()
    f, p, r = summary_fscore(summ, _users(), "mean")
    assert f == pytest.approx((1 + 0 + 0.75) / 3)
    assert p == pytest.approx((1 + 0 + 0.75) / 3)
    assert r == pytest.approx((1 + 0 + 0.75) / 3)
    assert summary_fscore(summ, _users(), "max") == (1.0, 1.0, 1.0)
    # KSUMM's name for the mean aggregation is accepted too
    assert summary_fscore(summ, _users(), "avg")[0] == pytest.approx(f)
    # with budget 0.6 (capacity 6) shot 0 + shot 1 (value 0.7) beat shot 2 + shot 1 (0.75)? no: 0.75 wins
    summ6 = keyshot_summary(upsample_scores(SCORES, PICKS, 10), CPS, NFPS, budget=0.6)
    assert summ6.tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    f6 = evaluate_video_fscore(SCORES, PICKS, 10, CPS, NFPS, _users(), "mean", budget=0.6)
    # user0: P 4/6 R 1 -> 0.8; user1: 0; user2: overlap 4 (5..8), P 4/6, R 1 -> 0.8
    assert f6 == pytest.approx((0.8 + 0 + 0.8) / 3)


def test_default_budget_is_15_percent_of_frames() -> None:
    n = 40  # capacity int(40 * 0.15) = 6
    cps = np.array([[0, 5], [6, 12], [13, 39]])
    nfps = cps[:, 1] - cps[:, 0] + 1
    scores = np.r_[np.full(6, 0.2), np.full(7, 0.9), np.full(27, 1.0)]
    summ = keyshot_summary(scores, cps, nfps)
    assert summ.size == n and summ.sum() == 6 and summ[:6].all()  # the 7- and 27-frame shots do not fit


def test_prediction_is_cut_or_padded_to_user_length() -> None:
    users = np.array([[1, 1, 0, 0]])
    assert summary_fscore([1, 1, 0, 0, 1, 1], users)[0] == 1.0
    assert summary_fscore([1, 1], users)[0] == 1.0


def test_splits_mean_of_video_means_and_errors() -> None:
    v = V(PICKS, 10, CPS, NFPS, _users())
    videos = {"a": v, "b": v, "c": v}
    good = SCORES
    bad = np.array([0.9, 0.1, 0.1, 0.1, 0.1])  # picks shot 0 under budget .5
    preds = {"a": good, "b": bad, "c": good}
    res = evaluate_splits_fscore(videos, preds, [["a"], ["b", "c"]], "max", budget=0.5)
    fa = 1.0
    fb = summary_fscore(keyshot_summary(upsample_scores(bad, PICKS, 10), CPS, NFPS, 0.5), _users(), "max")[0]
    assert fb == 1.0  # user 1 has exactly shot 0
    assert res["f_score"] == pytest.approx(np.mean([fa, np.mean([fb, 1.0])]))
    assert res["aggregation"] == "max" and len(res["per_split"]) == 2
    with pytest.raises(DataError, match="'b'.*NaN"):
        evaluate_splits_fscore(videos, {**preds, "b": np.full(5, np.nan)}, [["b"]], "mean", source="p.h5")
    with pytest.raises(DataError, match="p.h5.*'c'.*4 scores but 5 picks"):
        evaluate_splits_fscore(videos, {**preds, "c": SCORES[:4]}, [["c"]], "mean", source="p.h5")
    with pytest.raises(DataError, match="no prediction for video 'a'"):
        evaluate_splits_fscore(videos, {"b": good}, [["a"]], "mean")
    with pytest.raises(DataError, match="no user_summary"):
        evaluate_splits_fscore({"a": V(PICKS, 10, CPS, NFPS, None)}, preds, [["a"]], "mean")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=60).filter(any))
def test_identical_summary_gives_f_one(bits: list[bool]) -> None:
    s = np.array(bits, dtype=float)
    assert summary_fscore(s, s[None, :], "mean") == (1.0, 1.0, 1.0)
    assert summary_fscore(s, np.stack([s, s]), "max")[0] == 1.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.booleans(), min_size=2, max_size=60).filter(lambda b: any(b) and not all(b)))
def test_disjoint_summary_gives_f_zero(bits: list[bool]) -> None:
    s = np.array(bits, dtype=float)
    assert summary_fscore(s, (1 - s)[None, :], "mean")[0] == 0.0
    assert summary_fscore(s, (1 - s)[None, :], "max")[0] == 0.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-10, 10), min_size=2, max_size=50).filter(lambda x: len(set(x)) > 1))
def test_tau_and_rho_of_a_series_with_itself_is_one(x: list[float]) -> None:
    a = np.array(x)
    assert rank_correlation(a, a[None, :], "kendall") == pytest.approx(1.0)
    assert rank_correlation(a, a[None, :], "spearman") == pytest.approx(1.0)
    assert rank_correlation(a, -a[None, :], "kendall") == pytest.approx(-1.0)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(1, 5), min_size=3, max_size=80),
    st.integers(0, 2**31 - 1),
)
def test_fast_tau_b_equals_scipy(xs: list[int], seed: int) -> None:
    x = np.array(xs, dtype=float)
    y = np.random.default_rng(seed).integers(1, 6, x.size).astype(float)
    ours = _kendall_tau_b(x, y)
    ref = stats.kendalltau(x, y)[0]
    assert (np.isnan(ours) and np.isnan(ref)) or ours == pytest.approx(ref, abs=1e-12)


@settings(max_examples=20, deadline=None)
@given(st.permutations(["v1", "v2", "v3", "v4"]))
def test_metrics_invariant_to_video_order(order: list[str]) -> None:
    rng = np.random.default_rng(3)
    users = {k: rng.integers(1, 6, (4, 30)).astype(float) for k in ["v1", "v2", "v3", "v4"]}
    preds = {k: rng.random(30) for k in users}
    ref = evaluate_videos_correlation(preds, users)
    shuffled = evaluate_videos_correlation({k: preds[k] for k in order}, {k: users[k] for k in order})
    assert shuffled["kendall_tau"] == ref["kendall_tau"]
    assert shuffled["spearman_rho"] == ref["spearman_rho"]
    v = V(PICKS, 10, CPS, NFPS, _users())
    fpreds = {k: rng.random(5) for k in users}
    a = evaluate_splits_fscore({k: v for k in users}, fpreds, [list(users)], "mean")
    b = evaluate_splits_fscore({k: v for k in order}, {k: fpreds[k] for k in order}, [order], "mean")
    assert a["f_score"] == b["f_score"]


def test_rank_correlation_hand_checked_and_stride() -> None:
    pred = np.array([1.0, 2.0, 3.0, 4.0])
    users = np.array([[1.0, 2.0, 3.0, 4.0], [1.0, 3.0, 2.0, 4.0]])
    # user 2: pairs 6, one discordant (2,3) -> tau (5-1)/6 = 2/3; rho = 1 - 6*2/(4*15) = 0.8
    assert rank_correlation(pred, users, "kendall") == pytest.approx((1 + 2 / 3) / 2)
    assert rank_correlation(pred, users, "spearman") == pytest.approx((1 + 0.8) / 2)
    # stride 2 keeps frames 0 and 2 -> both users agree fully
    assert rank_correlation(pred, users, "kendall", stride=2) == pytest.approx(1.0)
    with pytest.raises(DataError, match="4 frames"):
        rank_correlation(pred, users[:, :3], "kendall")
    with pytest.raises(DataError, match="NaN"):
        rank_correlation(np.array([1.0, np.nan, 2, 3]), users, "kendall")
    out = evaluate_videos_correlation({"a": pred}, {"a": users}, stride=15)
    assert out["resolution"] == "every 15th frame"


def test_tvsum_human_baseline_reproduces_otani_et_al() -> None:
    res = tvsum_human_baseline(TVSUM_ANNO)
    assert res["n_videos"] == 50 and res["n_annotators"] == [20]
    assert round(res["kendall_tau"], 3) == 0.177
    assert round(res["spearman_rho"], 3) == 0.204
    assert res["resolution"].startswith("frame level")
