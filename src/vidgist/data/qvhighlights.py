"""QVHighlights (Lei et al., NeurIPS 2021) annotation and prediction JSON Lines.

Annotation line (train/val/test-with-GT)::

    {"qid": 8737, "query": "...", "duration": 126, "vid": "bP5KfdFJzC4_660.0_810.0",
     "relevant_windows": [[0, 16]], "relevant_clip_ids": [0, 1, ...],
     "saliency_scores": [[4, 1, 1], ...]}          # one row of annotator scores 0..4 per relevant clip

Clips are 2 seconds long, ids from 0. Prediction line (the format of Moment-DETR's standalone_eval)::

    {"qid": 8737, "pred_relevant_windows": [[start, end, score], ...],
     "pred_saliency_scores": [s_0, s_1, ...]}

Any malformed line raises DataError naming the file and the line number. ``to_dict()`` returns the
official dict form, which is what the evaluator in ``vidgist.eval.highlights`` consumes.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from vidgist.data.jsonl import iter_jsonl, write_jsonl
from vidgist.errors import DataError

T = TypeVar("T", "QVHRecord", "QVHPrediction")

CLIP_SECONDS = 2.0

QID = int | str


@dataclass(frozen=True)
class QVHRecord:
    """One query of an annotation file; ground-truth fields are None when absent (e.g. the test release)."""

    qid: QID
    query: str
    duration: float
    vid: str
    relevant_windows: tuple[tuple[float, float], ...] | None = None
    relevant_clip_ids: tuple[int, ...] | None = None
    saliency_scores: tuple[tuple[int, ...], ...] | None = None

    @property
    def has_gt(self) -> bool:
        return self.relevant_windows is not None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"qid": self.qid, "query": self.query, "duration": self.duration, "vid": self.vid}
        if self.relevant_windows is not None:
            d["relevant_windows"] = [list(w) for w in self.relevant_windows]
        if self.relevant_clip_ids is not None:
            d["relevant_clip_ids"] = list(self.relevant_clip_ids)
        if self.saliency_scores is not None:
            d["saliency_scores"] = [list(s) for s in self.saliency_scores]
        return d


@dataclass(frozen=True)
class QVHPrediction:
    """One prediction line: ranked windows (start, end, score) and/or per-clip saliency scores."""

    qid: QID
    pred_relevant_windows: tuple[tuple[float, float, float], ...] | None = None
    pred_saliency_scores: tuple[float, ...] | None = None
    query: str | None = None
    vid: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"qid": self.qid}
        if self.query is not None:
            d["query"] = self.query
        if self.vid is not None:
            d["vid"] = self.vid
        if self.pred_relevant_windows is not None:
            d["pred_relevant_windows"] = [list(w) for w in self.pred_relevant_windows]
        if self.pred_saliency_scores is not None:
            d["pred_saliency_scores"] = list(self.pred_saliency_scores)
        return d


def _num(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _qid(obj: dict[str, Any], where: str) -> QID:
    if "qid" not in obj:
        raise DataError(f"{where}: missing 'qid'")
    q = obj["qid"]
    if isinstance(q, bool) or not isinstance(q, int | str):
        raise DataError(f"{where}: 'qid' must be an integer or string, got {q!r}")
    return q


def parse_record(obj: dict[str, Any], where: str, require_gt: bool = False) -> QVHRecord:
    """Validate one annotation object; ``where`` ('file: line N') prefixes every error."""
    qid = _qid(obj, where)
    w = f"{where} (qid {qid})"
    query, vid, duration = obj.get("query"), obj.get("vid"), obj.get("duration")
    dur = float(duration) if isinstance(duration, int | float) and _num(duration) else 0.0
    if not isinstance(query, str):
        raise DataError(f"{w}: 'query' must be a string")
    if not isinstance(vid, str) or not vid:
        raise DataError(f"{w}: 'vid' must be a non-empty string")
    if dur <= 0:
        raise DataError(f"{w}: 'duration' must be a positive number, got {duration!r}")
    wins_raw = obj.get("relevant_windows")
    clips_raw = obj.get("relevant_clip_ids")
    sal_raw = obj.get("saliency_scores")
    if wins_raw is None:
        if require_gt:
            raise DataError(f"{w}: no ground truth ('relevant_windows'); evaluation needs a file with GT")
        return QVHRecord(qid, query, dur, vid)
    wins = _windows(wins_raw, w)
    clips = _clip_ids(clips_raw, w, require_gt)
    sal = _saliency(sal_raw, clips, w, require_gt)
    return QVHRecord(qid, query, dur, vid, wins, clips, sal)


def _windows(wins_raw: Any, w: str) -> tuple[tuple[float, float], ...]:
    """``relevant_windows``: a non-empty list of [start, end] with start <= end."""
    if not isinstance(wins_raw, list) or not wins_raw:
        raise DataError(f"{w}: 'relevant_windows' must be a non-empty list of [start, end]")
    wins: list[tuple[float, float]] = []
    for i, win in enumerate(wins_raw):
        if not (isinstance(win, list) and len(win) == 2 and all(_num(x) for x in win) and win[0] <= win[1]):
            raise DataError(f"{w}: relevant_windows[{i}]={win!r} is not [start, end] with start <= end")
        wins.append((float(win[0]), float(win[1])))
    return tuple(wins)


def _clip_ids(clips_raw: Any, w: str, require_gt: bool) -> tuple[int, ...] | None:
    """``relevant_clip_ids``: non-negative integers (None when absent and not required)."""
    if clips_raw is None:
        if require_gt:
            raise DataError(f"{w}: missing 'relevant_clip_ids'")
        return None
    if not isinstance(clips_raw, list) or not all(
        isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in clips_raw
    ):
        raise DataError(f"{w}: 'relevant_clip_ids' must be a list of non-negative integers")
    return tuple(clips_raw)


def _saliency(
    sal_raw: Any, clips: tuple[int, ...] | None, w: str, require_gt: bool
) -> tuple[tuple[int, ...], ...] | None:
    """``saliency_scores``: one row of annotator scores per relevant clip (None when absent, not required)."""
    if sal_raw is None:
        if require_gt:
            raise DataError(f"{w}: missing 'saliency_scores'")
        return None
    if not isinstance(sal_raw, list) or not all(
        isinstance(r, list) and r and all(_num(s) for s in r) for r in sal_raw
    ):
        raise DataError(f"{w}: 'saliency_scores' must be a list of per-clip lists of annotator scores")
    if clips is None or len(sal_raw) != len(clips):
        raise DataError(
            f"{w}: 'saliency_scores' has {len(sal_raw)} rows but 'relevant_clip_ids' has "
            f"{0 if clips is None else len(clips)}; they must match"
        )
    if len({len(r) for r in sal_raw}) > 1:
        raise DataError(f"{w}: 'saliency_scores' rows have different numbers of annotators")
    return tuple(tuple(int(s) for s in r) for r in sal_raw)


def _read_unique(
    path: str | os.PathLike[str], parse: Callable[[dict[str, Any], str], T], used: str, what: str
) -> list[T]:
    """Parse every line of a jsonl with ``parse``; a qid seen twice or an empty file -> DataError."""
    p = Path(path)
    out: list[T] = []
    seen: dict[QID, int] = {}
    for lineno, obj in iter_jsonl(p):
        where = f"{p}: line {lineno}"
        item = parse(obj, where)
        qid = item.qid
        if qid in seen:
            raise DataError(f"{where}: qid {qid!r} already {used} on line {seen[qid]}")
        seen[qid] = lineno
        out.append(item)
    if not out:
        raise DataError(f"{p}: no {what}")
    return out


def read_qvhighlights(path: str | os.PathLike[str], require_gt: bool = False) -> list[QVHRecord]:
    """Read and validate an annotation jsonl; duplicate qids and malformed lines -> DataError (file, line)."""
    return _read_unique(path, lambda obj, where: parse_record(obj, where, require_gt), "used", "records")


def parse_prediction(obj: dict[str, Any], where: str) -> QVHPrediction:
    """Validate one prediction object (NaN or infinite scores are errors)."""
    qid = _qid(obj, where)
    w = f"{where} (qid {qid})"
    wins_raw, sal_raw = obj.get("pred_relevant_windows"), obj.get("pred_saliency_scores")
    if wins_raw is None and sal_raw is None:
        raise DataError(f"{w}: needs 'pred_relevant_windows' and/or 'pred_saliency_scores'")
    wins: tuple[tuple[float, float, float], ...] | None = None
    if wins_raw is not None:
        if not isinstance(wins_raw, list):
            raise DataError(f"{w}: 'pred_relevant_windows' must be a list of [start, end, score]")
        acc: list[tuple[float, float, float]] = []
        for i, win in enumerate(wins_raw):
            ok = isinstance(win, list) and len(win) == 3 and all(_num(x) for x in win)
            if not (ok and win[0] <= win[1]):
                raise DataError(
                    f"{w}: pred_relevant_windows[{i}]={win!r} is not [start, end, score] of finite numbers "
                    "with start <= end"
                )
            acc.append((float(win[0]), float(win[1]), float(win[2])))
        wins = tuple(acc)
    sal: tuple[float, ...] | None = None
    if sal_raw is not None:
        if not isinstance(sal_raw, list) or not all(_num(s) for s in sal_raw):
            bad = None
            if isinstance(sal_raw, list):
                bad = next((i for i, s in enumerate(sal_raw) if not _num(s)), None)
            at = f"[{bad}]" if bad is not None else ""
            raise DataError(f"{w}: pred_saliency_scores{at} must be finite numbers (NaN/inf/text found)")
        sal = tuple(float(s) for s in sal_raw)
    q, v = obj.get("query"), obj.get("vid")
    return QVHPrediction(qid, wins, sal, q if isinstance(q, str) else None, v if isinstance(v, str) else None)


def read_predictions(path: str | os.PathLike[str]) -> list[QVHPrediction]:
    """Read and validate a prediction jsonl; malformed lines and duplicate qids -> DataError (file, line)."""
    return _read_unique(path, parse_prediction, "predicted", "predictions")


def check_predictions(
    preds: Sequence[QVHPrediction],
    gts: Sequence[QVHRecord],
    pred_path: str | os.PathLike[str] = "<predictions>",
) -> None:
    """Every prediction's qid must exist in the ground truth, and saliency lists must cover the video's clips.

    Raises DataError naming the prediction file and the qid.
    """
    by_qid = {g.qid: g for g in gts}
    for pr in preds:
        g = by_qid.get(pr.qid)
        if g is None:
            raise DataError(
                f"{pred_path}: prediction for unknown qid {pr.qid!r} (not in the ground-truth file)"
            )
        if pr.pred_saliency_scores is not None and g.relevant_clip_ids:
            need = max(g.relevant_clip_ids) + 1
            if len(pr.pred_saliency_scores) < need:
                raise DataError(
                    f"{pred_path}: qid {pr.qid!r}: {len(pr.pred_saliency_scores)} saliency scores but the "
                    f"video has relevant clip {need - 1}; give one score per {CLIP_SECONDS:g}-second clip"
                )


def write_predictions(path: str | os.PathLike[str], preds: Iterable[QVHPrediction]) -> Path:
    """Atomically write predictions in the official jsonl format."""
    return write_jsonl(path, (p.to_dict() for p in preds))
