"""Generic video summarization metrics: key-shot F-score (eccv16 protocol) and rank correlation.

Key-shot F-score (Zhang et al., ECCV 2016, "Video summarization with LSTM"; code of KSUMM
``vsum_tools.py``, VASNet, DSNet ``src/helpers/vsumm_helper.py``):

1. upsample the scores of the sampled frames (``picks``) to every frame: frame ``f`` with
   ``picks[i] <= f < picks[i+1]`` gets ``scores[i]``, the last pick holds until ``n_frames``;
2. a shot's value is the mean frame score inside ``change_points[k] = [first, last]`` (inclusive);
3. 0/1 knapsack over shots, weight = ``n_frame_per_seg``, capacity = ``int(n_frames * 0.15)``;
4. the summary is the 0/1 frame vector of the chosen shots; precision = overlap / |summary|,
   recall = overlap / |user summary|, F = 2PR/(P+R) (0 when overlap is 0), against every user;
5. aggregate over users: ``"mean"`` (TVSum convention, KSUMM's ``'avg'``) or ``"max"`` (SumMe);
   with ``"max"``, P and R are those of the best user, as in KSUMM;
6. mean over the test videos of a split, then mean over splits.

Shot values are float means (KSUMM/VASNet); DSNet's ``int(1000 * mean)`` rounding is available with
``value_scale=1000``. Ties in the knapsack are broken deterministically by ``vidgist.util.knapsack``.

Rank correlation (Otani et al., CVPR 2019, "Rethinking the evaluation of video summaries";
code mayu-ot/rethinking-evs): Kendall's tau-b and Spearman's rho between the predicted frame
scores and each annotator's raw importance scores, averaged over annotators, then over videos.
``stride`` sets the resolution: 1 = every frame (the paper), 15 = every 15th frame (as several
follow-ups do). The TVSum human baseline compares every annotator with every other annotator
(20 x 19 ordered pairs, equivalently the 190 unordered ones), mean per video, mean over the 50
videos: tau 0.177, rho 0.204 at frame level.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from vidgist.errors import DataError, InputError
from vidgist.util.knapsack import knapsack

Aggregation = Literal["mean", "max"]
RankMethod = Literal["kendall", "spearman"]

AGGREGATIONS: tuple[str, ...] = ("mean", "max")
KSUMM_AGGREGATION_NAMES = {"avg": "mean", "mean": "mean", "max": "max"}


class EvalVideo(Protocol):
    """What the F-score needs of one eccv16 video (``vidgist.data.h5.H5Video`` fits)."""

    @property
    def picks(self) -> np.ndarray: ...
    @property
    def n_frames(self) -> int: ...
    @property
    def change_points(self) -> np.ndarray: ...
    @property
    def n_frame_per_seg(self) -> np.ndarray: ...
    @property
    def user_summary(self) -> np.ndarray | None: ...


def _check_aggregation(aggregation: str) -> Aggregation:
    agg = KSUMM_AGGREGATION_NAMES.get(aggregation)
    if agg is None:
        raise InputError(f"aggregation {aggregation!r}: use 'mean' (TVSum) or 'max' (SumMe)")
    return agg  # type: ignore[return-value]


def _finite(a: np.ndarray, what: str) -> np.ndarray:
    if not np.all(np.isfinite(a)):
        bad = int(np.flatnonzero(~np.isfinite(a.ravel()))[0])
        raise DataError(f"{what}: non-finite value (NaN or inf) at index {bad}; fix the scores")
    return a


def upsample_scores(scores: ArrayLike, picks: ArrayLike, n_frames: int) -> np.ndarray:
    """Scores of sampled frames -> one score per frame (step function, KSUMM ``generate_summary``).

    Frame ``f`` in ``[picks[i], picks[i+1])`` gets ``scores[i]``; the last pick holds to ``n_frames``;
    frames before ``picks[0]`` get 0. Returns float64 of length ``n_frames``.
    """
    s = np.asarray(scores, dtype=np.float64).ravel()
    p = np.asarray(picks).ravel().astype(np.int64)
    if s.shape != p.shape:
        raise DataError(f"scores ({s.size}) and picks ({p.size}) differ in length")
    _finite(s, "scores")
    n = int(n_frames)
    out = np.zeros(n, dtype=np.float64)
    if s.size == 0:
        return out
    if np.any(np.diff(p) < 0) or p[0] < 0:
        raise DataError("picks must be non-negative and increasing")
    bounds = np.append(p, n)
    for i in range(s.size):
        lo, hi = int(bounds[i]), int(min(bounds[i + 1], n))
        if lo < hi:
            out[lo:hi] = s[i]
    return out


def keyshot_summary(
    frame_scores: ArrayLike,
    change_points: ArrayLike,
    n_frame_per_seg: ArrayLike,
    budget: float = 0.15,
    value_scale: float | None = None,
) -> np.ndarray:
    """0/1 key-shot summary per frame: knapsack on shots under ``int(n_frames * budget)`` frames.

    ``change_points`` is (n_shots, 2) inclusive [first, last] frames; shot value = mean frame score
    (``int(value_scale * mean)`` if ``value_scale`` is given, DSNet uses 1000); weight = ``n_frame_per_seg``.
    """
    fs = _finite(np.asarray(frame_scores, dtype=np.float64).ravel(), "frame scores")
    cps = np.asarray(change_points).reshape(-1, 2).astype(np.int64)
    nfps = np.asarray(n_frame_per_seg).ravel().astype(np.int64)
    if cps.shape[0] != nfps.size:
        raise DataError(f"change_points ({cps.shape[0]} shots) and n_frame_per_seg ({nfps.size}) differ")
    n_frames = fs.size
    values = np.empty(cps.shape[0], dtype=np.float64)
    for k, (first, last) in enumerate(cps):
        seg = fs[int(first) : int(last) + 1]
        m = float(seg.mean()) if seg.size else 0.0
        values[k] = float(int(value_scale * m)) if value_scale is not None else m
    chosen = knapsack(values, nfps, int(n_frames * budget))
    summary = np.zeros(n_frames, dtype=np.float64)
    for k in chosen:
        first, last = cps[k]
        summary[int(first) : int(last) + 1] = 1.0
    return summary


def summary_fscore(
    pred_summary: ArrayLike, user_summary: ArrayLike, aggregation: str = "mean"
) -> tuple[float, float, float]:
    """(F, precision, recall) of a 0/1 frame summary against the user summaries (KSUMM ``evaluate_summary``).

    Both are binarised (> 0); the prediction is cut or zero-padded to the users' length. ``"mean"``
    averages F, P, R over users; ``"max"`` takes the best user's F and that user's P and R.
    """
    agg = _check_aggregation(aggregation)
    users = np.asarray(user_summary, dtype=np.float64)
    if users.ndim == 1:
        users = users[None, :]
    if users.ndim != 2 or users.shape[0] == 0:
        raise DataError(f"user_summary must be (n_users, n_frames), got shape {users.shape}")
    _finite(users, "user_summary")
    pred = _finite(np.asarray(pred_summary, dtype=np.float64).ravel(), "summary")
    n = users.shape[1]
    pred = pred[:n] if pred.size >= n else np.pad(pred, (0, n - pred.size))
    pb = pred > 0
    ub = users > 0
    overlap = (ub & pb[None, :]).sum(axis=1).astype(np.float64)
    n_pred = float(pb.sum())
    n_user = ub.sum(axis=1).astype(np.float64)
    prec = np.where(n_pred > 0, overlap / max(n_pred, 1.0), 0.0)
    rec = np.where(n_user > 0, overlap / np.maximum(n_user, 1.0), 0.0)
    denom = prec + rec
    f = np.where(overlap > 0, 2 * prec * rec / np.where(denom > 0, denom, 1.0), 0.0)
    if agg == "mean":
        return float(f.mean()), float(prec.mean()), float(rec.mean())
    i = int(np.argmax(f))
    return float(f[i]), float(prec[i]), float(rec[i])


def evaluate_video_fscore(
    scores: ArrayLike,
    picks: ArrayLike,
    n_frames: int,
    change_points: ArrayLike,
    n_frame_per_seg: ArrayLike,
    user_summary: ArrayLike,
    aggregation: str = "mean",
    budget: float = 0.15,
) -> float:
    """F-score of one video from the scores of its sampled frames (steps 1-5 of the module doc)."""
    frame_scores = upsample_scores(scores, picks, n_frames)
    summ = keyshot_summary(frame_scores, change_points, n_frame_per_seg, budget)
    return summary_fscore(summ, user_summary, aggregation)[0]


def evaluate_videos_fscore(
    videos: Mapping[str, EvalVideo],
    preds: Mapping[str, ArrayLike],
    keys: Iterable[str] | None = None,
    aggregation: str = "mean",
    budget: float = 0.15,
    source: str = "predictions",
    dataset_source: str = "dataset",
) -> dict[str, float]:
    """Per-video F-scores for ``keys`` (default: every video with a prediction).

    ``videos`` maps key -> eccv16 video (H5Video), ``preds`` key -> scores of the sampled frames.
    Raises DataError naming ``source`` (or ``dataset_source``) and the key when a prediction is
    missing or malformed (or the video has no user summaries).
    """
    agg = _check_aggregation(aggregation)
    out: dict[str, float] = {}
    for key in sorted(keys if keys is not None else preds.keys()):
        if key not in videos:
            raise DataError(f"{source}: video {key!r} is not in {dataset_source}; check the keys")
        if key not in preds:
            raise DataError(f"{source}: no prediction for video {key!r}; predict every test video")
        v = videos[key]
        if v.user_summary is None:
            raise DataError(
                f"{dataset_source}: video {key!r} has no user_summary; the F-score needs annotator summaries"
            )
        s = np.asarray(preds[key], dtype=np.float64).ravel()
        if s.size != np.asarray(v.picks).size:
            raise DataError(
                f"{source}: video {key!r} has {s.size} scores but {np.asarray(v.picks).size} picks"
            )
        if not np.all(np.isfinite(s)):
            raise DataError(f"{source}: video {key!r} has NaN or inf scores")
        out[key] = evaluate_video_fscore(
            s, v.picks, int(v.n_frames), v.change_points, v.n_frame_per_seg, v.user_summary, agg, budget
        )
    return out


def evaluate_splits_fscore(
    videos: Mapping[str, EvalVideo],
    preds: Mapping[str, ArrayLike],
    splits: Sequence[Iterable[str]],
    aggregation: str = "mean",
    budget: float = 0.15,
    source: str = "predictions",
    dataset_source: str = "dataset",
) -> dict[str, Any]:
    """Mean F over the test videos of each split, then mean over splits.

    ``splits`` is a list of test-key collections (one per split). Returns ``{"f_score", "per_split",
    "per_video", "aggregation", "budget", "protocol"}``.
    """
    agg = _check_aggregation(aggregation)
    per_split: list[float] = []
    per_video: dict[str, float] = {}
    for i, test_keys in enumerate(splits):
        keys = list(test_keys)
        if not keys:
            raise DataError(f"split {i} has no test keys")
        fs = evaluate_videos_fscore(videos, preds, keys, agg, budget, source, dataset_source)
        per_video.update(fs)
        per_split.append(float(np.mean(list(fs.values()))))
    return {
        "f_score": float(np.mean(per_split)) if per_split else float("nan"),
        "per_split": per_split,
        "per_video": per_video,
        "aggregation": agg,
        "budget": budget,
        "protocol": f"eccv16 key-shot F, knapsack at {budget:.0%}, {agg} over users, "
        "mean over videos, then over splits",
    }


# ----------------------------------------------------------------------------------------------
# Rank correlation (Otani et al., CVPR 2019)


def _kendall_tau_b(x: np.ndarray, y: np.ndarray) -> float:
    """Kendall's tau-b, equal to ``scipy.stats.kendalltau`` (variant 'b').

    For series with few distinct values (annotator scores 1-5) it counts concordant and discordant
    pairs from the contingency table in O(n + kx*ky); otherwise it calls scipy.
    """
    ux, ix = np.unique(x, return_inverse=True)
    uy, iy = np.unique(y, return_inverse=True)
    if ux.size * uy.size > 4096:
        if x.size < 2 or ux.size < 2 or uy.size < 2:
            return float("nan")
        return float(stats.kendalltau(x, y)[0])
    return _tau_b_codes(ix, ux.size, iy, uy.size)


def _tau_b_codes(ix: np.ndarray, kx: int, iy: np.ndarray, ky: int) -> float:
    """Tau-b from value codes (``np.unique`` inverses) via the kx-by-ky contingency table."""
    n = ix.size
    if n < 2 or kx < 2 or ky < 2:
        return float("nan")
    table = np.bincount(ix * ky + iy, minlength=kx * ky).reshape(kx, ky).astype(np.float64)
    # cells strictly below-right of (i, j): suffix sums over rows and columns
    br = table[::-1, ::-1].cumsum(0).cumsum(1)[::-1, ::-1]
    below_right = np.zeros_like(table)
    below_right[:-1, :-1] = br[1:, 1:]
    # cells strictly below-left of (i, j): suffix sums over rows, prefix sums over columns
    bl = table[::-1, :].cumsum(0)[::-1, :].cumsum(1)
    below_left = np.zeros_like(table)
    below_left[:-1, 1:] = bl[1:, :-1]
    concordant = float((table * below_right).sum())
    discordant = float((table * below_left).sum())
    n0 = n * (n - 1) / 2.0
    cx = table.sum(1)
    cy = table.sum(0)
    n1 = float((cx * (cx - 1) / 2.0).sum())
    n2 = float((cy * (cy - 1) / 2.0).sum())
    d = (n0 - n1) * (n0 - n2)
    return (concordant - discordant) / math.sqrt(d) if d > 0 else float("nan")


def _spearman_rho(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rho (Pearson on average ranks), equal to ``scipy.stats.spearmanr``."""
    rx = stats.rankdata(x)
    ry = stats.rankdata(y)
    rx = rx - rx.mean()
    ry = ry - ry.mean()
    d = math.sqrt(float((rx * rx).sum()) * float((ry * ry).sum()))
    return float((rx * ry).sum() / d) if d > 0 else float("nan")


def _corr(x: np.ndarray, y: np.ndarray, method: str) -> float:
    if method == "kendall":
        return _kendall_tau_b(x, y)
    if method == "spearman":
        return _spearman_rho(x, y)
    raise InputError(f"rank correlation method {method!r}: use 'kendall' or 'spearman'")


def rank_correlation(
    pred_frame_scores: ArrayLike, user_scores: ArrayLike, method: str = "kendall", stride: int = 1
) -> float:
    """Mean over annotators of Kendall tau-b / Spearman rho between prediction and each annotator.

    ``pred_frame_scores`` has one score per frame (use ``upsample_scores`` first for sampled scores);
    ``user_scores`` is (n_users, n_frames) raw importance scores. ``stride`` keeps every stride-th
    frame of both (1 = frame level as Otani et al.). Returns NaN when the prediction is constant
    (the correlation is undefined, as in scipy).
    """
    if stride < 1:
        raise InputError(f"stride must be >= 1, got {stride}")
    pred = _finite(np.asarray(pred_frame_scores, dtype=np.float64).ravel(), "predicted scores")
    users = np.asarray(user_scores, dtype=np.float64)
    if users.ndim == 1:
        users = users[None, :]
    if users.ndim != 2 or users.shape[1] != pred.size:
        raise DataError(f"predicted scores have {pred.size} frames but user scores have shape {users.shape}")
    _finite(users, "user scores")
    p = pred[::stride]
    vals = [_corr(p, u[::stride], method) for u in users]
    return float(np.mean(vals))


def evaluate_videos_correlation(
    pred_frame_scores: Mapping[str, ArrayLike],
    user_scores: Mapping[str, ArrayLike],
    stride: int = 1,
    source: str = "predictions",
) -> dict[str, Any]:
    """Kendall tau and Spearman rho averaged over annotators, then over videos (Otani et al. 2019).

    Every key of ``user_scores`` must have a prediction. Returns the two means, per-video values
    and the resolution used.
    """
    per_video: dict[str, dict[str, float]] = {}
    for key in sorted(user_scores):
        if key not in pred_frame_scores:
            raise DataError(f"{source}: no prediction for video {key!r}")
        pred = np.asarray(pred_frame_scores[key], dtype=np.float64).ravel()
        users = np.asarray(user_scores[key], dtype=np.float64)
        if pred.size != users.shape[-1]:
            raise DataError(
                f"{source}: video {key!r} has {pred.size} frame scores, annotations have {users.shape[-1]}"
            )
        if not np.all(np.isfinite(pred)):
            raise DataError(f"{source}: video {key!r} has NaN or inf scores")
        per_video[key] = {
            "kendall_tau": rank_correlation(pred, users, "kendall", stride),
            "spearman_rho": rank_correlation(pred, users, "spearman", stride),
        }
    return {
        "kendall_tau": float(np.mean([v["kendall_tau"] for v in per_video.values()])),
        "spearman_rho": float(np.mean([v["spearman_rho"] for v in per_video.values()])),
        "per_video": per_video,
        "resolution": _resolution(stride),
        "stride": stride,
        "protocol": "Otani et al. CVPR 2019: mean over annotators, then over videos",
    }


def _resolution(stride: int) -> str:
    return "frame level (every frame)" if stride == 1 else f"every {stride}th frame"


def load_tvsum_user_scores(anno_path: str | Path) -> dict[str, np.ndarray]:
    """Per-video (n_users, n_frames) raw scores from the TVSum anno tsv(.gz) (``vidgist.data.tvsum``)."""
    from vidgist.data.tvsum import read_tvsum_annotations  # numpy-only parser, shared with vidgist.data

    path = Path(anno_path)
    if not path.is_file():
        raise InputError(f"{path}: no such file; give ydata-tvsum50-anno.tsv.gz")
    return {k: v.astype(np.float64) for k, v in read_tvsum_annotations(path).items()}


def human_baseline(user_scores: Mapping[str, ArrayLike], stride: int = 1) -> dict[str, Any]:
    """Leave-one-annotator-out human figures: each annotator vs every other annotator.

    For each video, the mean of the correlation over all ordered pairs (i, j), i != j (the measures
    are symmetric, so the mean over the unordered pairs); then the mean over videos. This is the
    protocol of Otani et al.'s ``HumanEvaluator`` (notebook "rank order statistics").
    """
    per_video: dict[str, dict[str, float]] = {}
    n_users = set()
    for key in sorted(user_scores):
        u = np.asarray(user_scores[key], dtype=np.float64)[:, ::stride]
        n_users.add(u.shape[0])
        if u.shape[0] < 2:
            raise DataError(f"video {key!r} has {u.shape[0]} annotator(s); need at least 2")
        ranks = stats.rankdata(u, axis=1)
        rho_m = np.corrcoef(ranks)  # Spearman rho = Pearson on average ranks, all pairs at once
        codes = [np.unique(row, return_inverse=True) for row in u]
        taus, rhos = [], []
        for i in range(u.shape[0]):
            for j in range(i + 1, u.shape[0]):
                (ux, ix), (uy, iy) = codes[i], codes[j]
                if ux.size * uy.size > 4096:
                    taus.append(_kendall_tau_b(u[i], u[j]))
                else:
                    taus.append(_tau_b_codes(ix, ux.size, iy, uy.size))
                rhos.append(float(rho_m[i, j]))
        per_video[key] = {"kendall_tau": float(np.mean(taus)), "spearman_rho": float(np.mean(rhos))}
    return {
        "kendall_tau": float(np.mean([v["kendall_tau"] for v in per_video.values()])),
        "spearman_rho": float(np.mean([v["spearman_rho"] for v in per_video.values()])),
        "n_videos": len(per_video),
        "n_annotators": sorted(n_users),
        "per_video": per_video,
        "resolution": _resolution(stride),
        "stride": stride,
        "protocol": "each annotator vs every other annotator, mean per video, mean over videos "
        "(Otani et al. CVPR 2019, HumanEvaluator)",
    }


def tvsum_human_baseline(anno_path: str | Path, stride: int = 1) -> dict[str, Any]:
    """Human baseline on the TVSum annotation file; published: tau 0.177, rho 0.204 (frame level)."""
    res = human_baseline(load_tvsum_user_scores(anno_path), stride)
    res["dataset"] = "tvsum"
    res["published"] = {"kendall_tau": 0.177, "spearman_rho": 0.204, "source": "Otani et al. CVPR 2019"}
    return res
