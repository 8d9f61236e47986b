"""Semantic precision / recall / F1 of query-focused summaries (Sharghi et al., CVPR 2017).

Protocol (the QFVS evaluation, as in the authors' release and the Python port in
facebookresearch/EgoVLPv2 ``QFVS/semantic_evaluation.py``):

1. every 5-second shot has a 0/1 vector of the 48 concepts (``Tags.mat``);
2. the similarity of two shots is the IoU of their concept sets, |a AND b| / |a OR b| (0 when both
   are empty: so a summary compared with itself scores the share of its shots that carry tags,
   0.9997 for the QFVS oracles, exactly as the reference code);
3. predicted and reference shots form a weighted bipartite graph; a maximum-weight matching
   (``scipy.optimize.linear_sum_assignment``, maximize; equal in total weight to networkx's
   ``max_weight_matching`` on these non-negative weights) gives the matched weight W;
4. precision = W / |predicted|, recall = W / |reference|, F1 = 2PR / (P + R) (0 when P + R = 0, and
   all three 0 for an empty prediction);
5. per query; the figures of a video are the mean over its queries, the overall figure the mean
   over videos.

The reference summary is the query's oracle summary (as in the published comparisons); with
``reference="users"`` the figures are averaged over the user summaries instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from vidgist.errors import DataError, InputError


def concept_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(len(a), len(b)) IoU of 0/1 concept vectors (rows)."""
    a = np.asarray(a, dtype=np.float64) > 0
    b = np.asarray(b, dtype=np.float64) > 0
    inter = a.astype(np.float64) @ b.T.astype(np.float64)
    union = a.sum(1)[:, None] + b.sum(1)[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def semantic_prf(
    pred_shots: Iterable[int], ref_shots: Iterable[int], tags: np.ndarray
) -> tuple[float, float, float]:
    """(precision, recall, F1) of 0-based predicted vs reference shot indices of one video."""
    pred = sorted(set(int(s) for s in pred_shots))
    ref = sorted(set(int(s) for s in ref_shots))
    n = len(tags)
    for s in pred + ref:
        if not 0 <= s < n:
            raise DataError(f"shot index {s} outside 0..{n - 1}")
    if not pred or not ref:
        return 0.0, 0.0, 0.0
    w = concept_iou(tags[pred], tags[ref])
    rows, cols = linear_sum_assignment(w, maximize=True)
    matched = float(w[rows, cols].sum())
    p, r = matched / len(pred), matched / len(ref)
    f = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return p, r, f


def evaluate_qfvs(
    preds: Mapping[str, Mapping[str, Iterable[int]]],
    tags: Mapping[str, np.ndarray],
    references: Mapping[str, Mapping[str, Sequence[Iterable[int]]]],
    source: str = "predictions",
) -> dict[str, Any]:
    """Semantic P/R/F1 per query, mean per video, mean over videos.

    ``preds[video][query]`` and each ``references[video][query][i]`` are 0-based shot indices;
    ``tags[video]`` the (n_shots, n_concepts) matrix. Each query's figures are averaged over its
    references (one for the oracle protocol). Every reference query must be predicted; a prediction
    for an unknown video or query is a DataError naming ``source``.
    """
    per_video: dict[str, dict[str, float]] = {}
    per_query: dict[str, dict[str, dict[str, float]]] = {}
    for video in sorted(preds):
        if video not in references or video not in tags:
            known = ", ".join(sorted(references))
            raise DataError(f"{source}: unknown video {video!r}; expected one of {known}")
        unknown = sorted(set(preds[video]) - set(references[video]))
        if unknown:
            raise DataError(f"{source}: video {video!r}: unknown query {unknown[0]!r}")
    for video in sorted(references):
        if video not in preds:
            raise DataError(f"{source}: no predictions for video {video!r}")
        rows = []
        per_query[video] = {}
        for query in sorted(references[video]):
            if query not in preds[video]:
                raise DataError(f"{source}: video {video!r}: no prediction for query {query!r}")
            refs = references[video][query]
            if not refs:
                raise DataError(f"video {video!r}: query {query!r} has no reference summary")
            try:
                prf = np.mean([semantic_prf(preds[video][query], ref, tags[video]) for ref in refs], axis=0)
            except DataError as err:
                raise DataError(f"{source}: video {video!r}, query {query!r}: {err}") from None
            per_query[video][query] = {
                "precision": float(prf[0]),
                "recall": float(prf[1]),
                "f1": float(prf[2]),
            }
            rows.append(prf)
        m = np.mean(rows, axis=0)
        per_video[video] = {
            "precision": float(m[0]),
            "recall": float(m[1]),
            "f1": float(m[2]),
            "n_queries": len(rows),
        }
    if not per_video:
        raise DataError(f"{source}: nothing to evaluate")
    return {
        "precision": float(np.mean([v["precision"] for v in per_video.values()])),
        "recall": float(np.mean([v["recall"] for v in per_video.values()])),
        "f1": float(np.mean([v["f1"] for v in per_video.values()])),
        "per_video": per_video,
        "per_query": per_query,
        "protocol": "Sharghi et al. CVPR 2017 semantic F1: concept IoU, max-weight bipartite matching, "
        "mean over queries per video, then over videos",
    }


def qfvs_references(data: Any, reference: str = "oracle") -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Tags and reference summaries from a ``vidgist.data.qfvs.QFVSData`` (query key ``"C1_C2"``)."""
    if reference not in ("oracle", "users"):
        raise InputError(f"reference {reference!r}: use 'oracle' or 'users'")
    tags = {name: v.tags for name, v in data.videos.items()}
    refs: dict[str, dict[str, list[Iterable[int]]]] = {}
    for name, v in data.videos.items():
        refs[name] = {}
        for key, q in v.queries.items():
            qname = "_".join(key)
            refs[name][qname] = [q.oracle] if reference == "oracle" else list(q.users)
    return tags, refs
