"""The untrained summary rules over frame features: typicality, MMR and k-medoids."""

from __future__ import annotations

import numpy as np

from vidgist.models.baselines import kmedoids_scores, mmr_scores, typicality_scores


def _clusters() -> np.ndarray:
    """Three tight clusters of 12, 6 and 2 frames around orthogonal directions, plus one outlier."""
    rng = np.random.default_rng(0)
    dirs = np.eye(8)
    rows = [dirs[c] + 0.05 * rng.standard_normal(8) for c, m in ((0, 12), (1, 6), (2, 2)) for _ in range(m)]
    rows.append(dirs[3])
    return np.asarray(rows)


def test_typicality_ranks_the_big_cluster_first_and_the_outlier_last() -> None:
    t = typicality_scores(_clusters())
    assert t.max() == 1.0 and t[:12].min() > t[12:18].max() > t[18:20].max() > t[20]


def test_mmr_covers_each_cluster_before_repeating_one() -> None:
    s = mmr_scores(_clusters(), lam=0.5)
    first3 = np.argsort(-s)[:3]
    groups = {0 if i < 12 else 1 if i < 18 else 2 if i < 20 else 3 for i in first3}
    assert len(groups) == 3, first3  # three picks, three different clusters
    assert np.argmax(s) < 12  # the first pick is in the biggest cluster
    assert len(set(np.round(s, 9))) == len(s)  # a strict order


def test_kmedoids_scores_one_medoid_per_group_biggest_first() -> None:
    s = kmedoids_scores(_clusters(), k=4)
    medoids = np.flatnonzero(s >= 0.5)
    assert {0 if i < 12 else 1 if i < 18 else 2 if i < 20 else 3 for i in medoids} == {0, 1, 2, 3}
    assert np.argmax(s) < 12  # the biggest cluster's medoid ranks first
    assert (s[np.setdiff1d(np.arange(len(s)), medoids)] < 0.5).all()
