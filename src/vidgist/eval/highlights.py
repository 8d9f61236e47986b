"""Moment retrieval and highlight detection metrics.

QVHighlights (Lei et al., NeurIPS 2021): the protocol of the authors' standalone evaluator
(jayleicn/moment_detr ``standalone_eval/eval.py`` + ``utils.py``), re-implemented with numpy only:

- MR-mAP: per query, the first 10 predicted windows (submission order) are sorted by score (stable)
  and greedily matched to ground-truth windows at each IoU threshold 0.5:0.05:0.95 (ActivityNet
  style: a prediction takes the unmatched GT window of highest IoU >= threshold); AP is the
  VOC-2011 interpolated AP; mAP is the mean over queries with at least one predicted window; the
  ``average`` key is the mean over the 10 thresholds.
- MR-R1@t: IoU of the *first* predicted window with the GT window it overlaps most, >= t.
- Length ranges by GT window length (short (0, 10], middle (10, 30], long (30, 150] seconds, full):
  only GT windows in range are kept, and only queries that keep one.
- HL: GT saliency of every 2-second clip (0 for clips outside ``relevant_clip_ids``), binarised at
  >= 2 (Fair), >= 3 (Good), >= 4 (VeryGood) for each of the 3 annotators. HL-mAP: per query and
  annotator, the AP of ``video2gif`` (sklearn precision-recall curve, interpolated, mean precision
  where recall changes; all-negative labels give 0, all-positive 1), predictions cut/zero-padded
  to the clip count; mean over queries and annotators. HL-Hit1: the top-scored clip (first argmax)
  is positive for at least one annotator, mean over queries.
- All figures are percentages rounded to 2 decimals, as the official evaluator prints them; the
  ``brief`` block has the same keys. A length range with no query gives NaN (as the official code).

TVSum highlight detection (the protocol of UMT, Liu et al. CVPR 2022, ``datasets/tvsum.py``, kept
by QD-DETR ``compute_hl_results``): over the 2-second clips of a video, for each of the 20
annotators, a clip is positive when its score is above that annotator's (lower) median over the
video's clips (``torch.median``); clips are ranked by predicted score (descending, ties by clip
order) and the AP of the top 5 is accumulated with the trapezoid rule (precision starts at 1; no
positive in the top 5 gives 0). Mean over annotators, over the videos of a domain, then the mean
over domains.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from vidgist.errors import DataError

IOU_THRESHOLDS = [float(f"{e:.2f}") for e in np.linspace(0.5, 0.95, 10)]
LENGTH_RANGES = {"short": (0.0, 10.0), "middle": (10.0, 30.0), "long": (30.0, 150.0), "full": (0.0, 150.0)}
SALIENCY_THRESHOLDS = {"Fair": 2, "Good": 3, "VeryGood": 4}
CLIP_SECONDS = 2.0
MAX_PRED_WINDOWS = 10


def _pct(v: float) -> float:
    return float(f"{100 * v:.2f}")


# ---------------------------------------------------------------------------------------------
# moment retrieval


def iou_cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, M) temporal IoU of windows ``a`` (N, 2) and ``b`` (M, 2); 0 where the union is empty."""
    right = np.minimum(a[:, None, 1], b[None, :, 1])
    inter = np.clip(right - np.maximum(a[:, None, 0], b[None, :, 0]), 0, None)
    union = (a[:, 1] - a[:, 0])[:, None] + (b[:, 1] - b[:, 0])[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def _iou_paired(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of row-paired windows with the evaluator's union max(end) - min(start)."""
    inter = np.maximum(0, np.minimum(a[:, 1], b[:, 1]) - np.maximum(a[:, 0], b[:, 0]))
    union = np.maximum(a[:, 1], b[:, 1]) - np.minimum(a[:, 0], b[:, 0])
    return np.divide(inter, union, out=np.zeros_like(inter), where=union != 0)


def interpolated_ap(precision: np.ndarray, recall: np.ndarray) -> float:
    """VOC-2011 interpolated average precision of a precision/recall sequence."""
    mp = np.concatenate([[0.0], precision, [0.0]])
    mr = np.concatenate([[0.0], recall, [1.0]])
    mp = np.maximum.accumulate(mp[::-1])[::-1]
    idx = np.flatnonzero(mr[1:] != mr[:-1]) + 1
    return float(np.sum((mr[idx] - mr[idx - 1]) * mp[idx]))


def detection_ap(
    gt_windows: np.ndarray, pred_windows: np.ndarray, thresholds: Sequence[float] = IOU_THRESHOLDS
) -> np.ndarray:
    """AP of one query's predictions (N, 3: start, end, score) vs GT windows (M, 2), per threshold."""
    ap = np.zeros(len(thresholds))
    if len(pred_windows) == 0:
        return ap
    order = sorted(range(len(pred_windows)), key=lambda i: -pred_windows[i][2])  # stable, like list.sort
    preds = np.asarray(pred_windows, dtype=np.float64)[order]
    gts = np.asarray(gt_windows, dtype=np.float64).reshape(-1, 2)
    n_pred, n_gt = len(preds), len(gts)
    tp = np.zeros((len(thresholds), n_pred))
    fp = np.zeros((len(thresholds), n_pred))
    locked = np.full((len(thresholds), n_gt), -1)
    ious = iou_cross(preds[:, :2], gts)
    for i in range(n_pred):
        by_iou = ious[i].argsort()[::-1]
        for t, thr in enumerate(thresholds):
            for j in by_iou:
                if ious[i, j] < thr:
                    fp[t, i] = 1
                    break
                if locked[t, j] >= 0:
                    continue
                tp[t, i] = 1
                locked[t, j] = i
                break
            if tp[t, i] == 0 and fp[t, i] == 0:
                fp[t, i] = 1
    tp_c = np.cumsum(tp, axis=1)
    fp_c = np.cumsum(fp, axis=1)
    recall = tp_c / float(n_gt)
    precision = tp_c / (tp_c + fp_c)
    for t in range(len(thresholds)):
        ap[t] = interpolated_ap(precision[t], recall[t])
    return ap


def _mr_map(submission: list[dict[str, Any]], ground_truth: list[dict[str, Any]]) -> dict[str, float]:
    gt_by_qid = {d["qid"]: np.asarray(d["relevant_windows"], dtype=np.float64) for d in ground_truth}
    aps = []
    for d in submission:
        wins = d["pred_relevant_windows"][:MAX_PRED_WINDOWS]
        if not wins:
            continue
        gt = gt_by_qid.get(d["qid"], np.zeros((0, 2)))
        aps.append(detection_ap(gt, np.asarray(wins, dtype=np.float64)))
    if not aps:  # no query in this length range (the official code gives NaN too)
        return {str(t): float("nan") for t in IOU_THRESHOLDS} | {"average": float("nan")}
    per_thd = np.mean(np.stack(aps), axis=0)
    out = {str(t): _pct(v) for t, v in zip(IOU_THRESHOLDS, per_thd, strict=True)}
    out["average"] = _pct(float(np.mean(per_thd)))
    return out


def _mr_r1(submission: list[dict[str, Any]], ground_truth: list[dict[str, Any]]) -> dict[str, float]:
    if not submission:
        return {str(t): float("nan") for t in IOU_THRESHOLDS}
    first = {d["qid"]: np.asarray(d["pred_relevant_windows"][0][:2], dtype=np.float64) for d in submission}
    best_gt: dict[Any, np.ndarray] = {}
    for d in ground_truth:
        gts = np.asarray(d["relevant_windows"], dtype=np.float64).reshape(-1, 2)
        if d["qid"] not in first:
            continue
        j = int(np.argmax(iou_cross(first[d["qid"]][None, :], gts)[0])) if len(gts) else 0
        best_gt[d["qid"]] = gts[j]
    qids = list(first)
    iou = _iou_paired(np.stack([first[q] for q in qids]), np.stack([best_gt[q] for q in qids]))
    return {str(t): _pct(float(np.mean(iou >= t))) for t in IOU_THRESHOLDS}


def _in_range(
    submission: list[dict[str, Any]], ground_truth: list[dict[str, Any]], lo: float, hi: float
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    if lo == 0 and hi == 150:
        return submission, ground_truth
    gts = []
    for d in ground_truth:
        kept = [w for w in d["relevant_windows"] if lo < w[1] - w[0] <= hi]
        if kept:
            d = copy.copy(d)
            d["relevant_windows"] = kept
            gts.append(d)
    keep = {d["qid"] for d in gts}
    return [d for d in submission if d["qid"] in keep], gts


def eval_moment_retrieval(
    submission: list[dict[str, Any]], ground_truth: list[dict[str, Any]]
) -> dict[str, dict[str, dict[str, float]]]:
    """``{range: {"MR-mAP": {thd: ap, "average": ...}, "MR-R1": {thd: r1}}}`` for short/middle/long/full."""
    out = {}
    for name, (lo, hi) in LENGTH_RANGES.items():
        sub, gt = _in_range(submission, ground_truth, lo, hi)
        out[name] = {"MR-mAP": _mr_map(sub, gt), "MR-R1": _mr_r1(sub, gt)}
    return out


# ---------------------------------------------------------------------------------------------
# highlight detection (QVHighlights)


def video2gif_ap(y_true: np.ndarray, y_score: np.ndarray) -> float:
    """Interpolated AP of the video2gif / Moment-DETR ``get_ap`` (sklearn precision-recall curve)."""
    y_true = np.asarray(y_true, dtype=np.float64)
    y_score = np.asarray(y_score, dtype=np.float64)
    if len(set(y_true.tolist())) == 1:
        return 0.0 if y_true[0] == 0 else 1.0
    order = np.argsort(y_score, kind="mergesort")[::-1]
    ys, yt = y_score[order], y_true[order]
    thr_idx = np.r_[np.flatnonzero(np.diff(ys)), yt.size - 1]
    tps = np.cumsum(yt)[thr_idx]
    fps = 1 + thr_idx - tps
    precision = np.r_[(tps / (tps + fps))[::-1], 1.0]
    recall = np.r_[(tps / tps[-1])[::-1], 0.0].astype(np.float32)
    precision = np.maximum.accumulate(precision)
    return float(np.mean(precision[np.flatnonzero(np.diff(recall))]))


def gt_clip_scores(gt: Mapping[str, Any], clip_seconds: float = CLIP_SECONDS) -> np.ndarray:
    """(n_clips, n_annotators) saliency of every clip (0 outside ``relevant_clip_ids``); QVH has 3."""
    n = int(gt["duration"] / clip_seconds)
    ids = np.asarray(gt["relevant_clip_ids"], dtype=np.int64).ravel()
    scores = np.asarray(gt["saliency_scores"], dtype=np.float64)
    scores = scores.reshape(len(ids), -1) if ids.size else np.zeros((0, 3))
    full = np.zeros((n, scores.shape[1]))
    if ids.size and ids.max() >= n:
        raise DataError(f"ground truth qid {gt['qid']!r}: relevant clip {int(ids.max())} beyond {n} clips")
    full[ids] = scores
    return full


def eval_highlight(
    submission: list[dict[str, Any]], ground_truth: list[dict[str, Any]]
) -> dict[str, dict[str, float]]:
    """``{"HL-min-Fair": {"HL-mAP", "HL-Hit1"}, "HL-min-Good": ..., "HL-min-VeryGood": ...}``."""
    gt_full = {d["qid"]: gt_clip_scores(d) for d in ground_truth}
    out = {}
    for name, min_score in SALIENCY_THRESHOLDS.items():
        hits, aps = [], []
        for d in submission:
            binary = (gt_full[d["qid"]] >= min_score).astype(np.float64)
            pred = np.asarray(d["pred_saliency_scores"], dtype=np.float64)
            top = int(np.argmax(pred))
            hits.append(float(np.max(binary[top])) if top < len(binary) else 0.0)
            n = len(binary)
            p = pred[:n] if len(pred) >= n else np.r_[pred, np.zeros(n - len(pred))]
            for w in range(binary.shape[1]):
                aps.append(video2gif_ap(binary[:, w], p))
        out[f"HL-min-{name}"] = {"HL-mAP": _pct(float(np.mean(aps))), "HL-Hit1": _pct(float(np.mean(hits)))}
    return out


def _validate(
    submission: Sequence[Mapping[str, Any]],
    ground_truth: Sequence[Mapping[str, Any]],
    match_number: bool,
    pred_source: str,
    gt_source: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Check the submission against the ground truth (qids, fields, window shapes); copies of both, the
    ground truth limited to the predicted qids, in its order."""
    if not submission:
        raise DataError(f"{pred_source}: no predictions")
    gt_qids = {}
    for g in ground_truth:
        if "relevant_windows" not in g or not g["relevant_windows"]:
            raise DataError(f"{gt_source}: qid {g.get('qid')!r} has no relevant_windows (not a GT file?)")
        gt_qids[g["qid"]] = g
    seen = _predicted_qids(submission, set(gt_qids), pred_source, gt_source)
    if match_number and seen != set(gt_qids):
        missing = sorted(set(gt_qids) - seen, key=str)
        raise DataError(
            f"{pred_source}: no prediction for qid {missing[0]!r} of {gt_source} ({len(missing)} missing); "
            "predict every query or evaluate with --no-match-number"
        )
    subs = [dict(d) for d in submission]
    gts = [dict(gt_qids[q]) for q in gt_qids if q in seen]
    for key in ("pred_relevant_windows", "pred_saliency_scores"):
        has = [key in d and d[key] is not None for d in subs]
        if any(has) and not all(has):
            q = subs[has.index(False)]["qid"]
            raise DataError(f"{pred_source}: qid {q!r} lacks {key!r} that other predictions have")
    for d in subs:
        _check_prediction(d, pred_source)
    return subs, gts


def _predicted_qids(
    submission: Sequence[Mapping[str, Any]], gt_qids: set[Any], pred_source: str, gt_source: str
) -> set[Any]:
    """The qids predicted, each once and each in the ground truth."""
    seen = set()
    for d in submission:
        q = d.get("qid")
        if q not in gt_qids:
            raise DataError(f"{pred_source}: prediction for unknown qid {q!r} (not in {gt_source})")
        if q in seen:
            raise DataError(f"{pred_source}: qid {q!r} predicted twice")
        seen.add(q)
    return seen


def _check_prediction(d: Mapping[str, Any], pred_source: str) -> None:
    """One prediction's windows are finite [start, end, score] rows and its saliency finite numbers."""
    wins = d.get("pred_relevant_windows")
    if wins is not None:
        if len(wins) == 0:
            raise DataError(f"{pred_source}: qid {d['qid']!r} has an empty pred_relevant_windows")
        arr = np.asarray(wins, dtype=np.float64)
        ok = arr.ndim == 2 and arr.shape[1] == 3 and bool(np.all(np.isfinite(arr)))
        if not ok or np.any(arr[:, 1] < arr[:, 0]):
            raise DataError(
                f"{pred_source}: qid {d['qid']!r}: give finite [start, end, score] windows, start <= end"
            )
    sal = d.get("pred_saliency_scores")
    if sal is not None:
        arr = np.asarray(sal, dtype=np.float64)
        if arr.ndim != 1 or arr.size == 0 or not np.all(np.isfinite(arr)):
            raise DataError(f"{pred_source}: qid {d['qid']!r}: pred_saliency_scores must be finite numbers")


def eval_submission(
    preds: Sequence[Mapping[str, Any]],
    gts: Sequence[Mapping[str, Any]],
    match_number: bool = True,
    pred_source: str = "predictions",
    gt_source: str = "ground truth",
) -> dict[str, Any]:
    """QVHighlights evaluation; returns ``{"brief": {...}, "full": ..., "short": ..., "HL-min-Fair": ...}``.

    ``preds`` and ``gts`` are the official jsonl dicts. Unknown or duplicate qids, missing predictions
    (unless ``match_number=False``), NaN scores -> DataError naming ``pred_source`` and the qid.
    """
    subs, gt = _validate(preds, gts, match_number, pred_source, gt_source)
    metrics: dict[str, Any] = {}
    brief: dict[str, float] = {}
    if subs[0].get("pred_relevant_windows") is not None:
        mr = eval_moment_retrieval(subs, gt)
        metrics.update(mr)
        mr_brief = {
            "MR-full-mAP": mr["full"]["MR-mAP"]["average"],
            "MR-full-mAP@0.5": mr["full"]["MR-mAP"]["0.5"],
            "MR-full-mAP@0.75": mr["full"]["MR-mAP"]["0.75"],
            "MR-short-mAP": mr["short"]["MR-mAP"]["average"],
            "MR-middle-mAP": mr["middle"]["MR-mAP"]["average"],
            "MR-long-mAP": mr["long"]["MR-mAP"]["average"],
            "MR-full-R1@0.5": mr["full"]["MR-R1"]["0.5"],
            "MR-full-R1@0.7": mr["full"]["MR-R1"]["0.7"],
        }
        brief.update(sorted(mr_brief.items()))
    if subs[0].get("pred_saliency_scores") is not None:
        hl = eval_highlight(subs, gt)
        metrics.update(hl)
        for k, v in hl.items():
            for sub_k, val in v.items():
                brief[f"{k}-{sub_k.split('-')[1]}"] = val
    out: dict[str, Any] = {"brief": brief}
    out.update(sorted(metrics.items()))
    return out


# ---------------------------------------------------------------------------------------------
# TVSum highlight detection (UMT / QD-DETR)


def tvsum_top5_ap(pred: Sequence[float] | np.ndarray, label: np.ndarray, k: int = 5) -> float:
    """Mean over annotators of the top-``k`` AP of one video; ``label`` is (n_clips, n_annotators)."""
    lab = np.asarray(label, dtype=np.float64)
    p = np.asarray(pred, dtype=np.float64)[: len(lab)]
    if p.size < len(lab):
        raise DataError(f"{p.size} clip scores for a video of {len(lab)} clips")
    order = np.argsort(-p, kind="stable")
    aps = []
    for i in range(lab.shape[1]):
        col = lab[:, i]
        lower_median = np.sort(col)[(col.size - 1) // 2]
        top = (col > lower_median).astype(np.float64)[order][:k]
        num_gt = top.sum()
        if num_gt == 0:
            aps.append(0.0)
            continue
        hits = ap = rec = 0.0
        prc = 1.0
        for j, g in enumerate(top):
            hits += g
            r, pr = hits / num_gt, hits / (j + 1)
            ap += (r - rec) * (prc + pr) / 2
            rec, prc = r, pr
        aps.append(ap)
    return float(np.mean(aps))


def eval_tvsum_highlights(
    preds: Mapping[str, Sequence[float] | np.ndarray],
    labels: Sequence[Mapping[str, Any]],
    k: int = 5,
    pred_source: str = "predictions",
) -> dict[str, Any]:
    """Top-5 mAP per domain and their mean for QD-DETR's TVSum highlight jsonl records.

    ``labels``: dicts with ``qid``, ``domain`` and ``label`` (n_clips x 20); ``preds``: qid -> clip scores.
    """
    per_domain: dict[str, list[float]] = {}
    per_video: dict[str, float] = {}
    for rec in labels:
        q = str(rec["qid"])
        if q not in preds:
            raise DataError(f"{pred_source}: no prediction for TVSum video {q!r}")
        scores = np.asarray(preds[q], dtype=np.float64)
        if not np.all(np.isfinite(scores)):
            raise DataError(f"{pred_source}: video {q!r} has NaN or inf scores")
        try:
            ap = tvsum_top5_ap(scores, np.asarray(rec["label"], dtype=np.float64), k)
        except DataError as err:
            raise DataError(f"{pred_source}: video {q!r}: {err}") from None
        per_video[q] = ap
        per_domain.setdefault(str(rec["domain"]), []).append(ap)
    unknown = sorted(set(map(str, preds)) - set(per_video))
    if unknown:
        raise DataError(f"{pred_source}: prediction for unknown TVSum video {unknown[0]!r}")
    dom = {d: float(np.mean(v)) for d, v in sorted(per_domain.items())}
    return {
        "mAP": float(np.mean(list(dom.values()))),
        "per_domain": dom,
        "per_video": per_video,
        "top_k": k,
        "protocol": "UMT/QD-DETR TVSum: top-5 AP per annotator (label > lower median), mean over "
        "annotators, videos of a domain, then domains",
    }
