"""QVHighlights jsonl: the real files parse; malformed lines are reported with file and line number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SHARED

from vidgist.data.qvhighlights import (
    QVHPrediction,
    check_predictions,
    read_predictions,
    read_qvhighlights,
    write_predictions,
)
from vidgist.errors import DataError

QVH = SHARED / "data" / "qvhighlights"


@pytest.mark.parametrize(
    ("name", "n"), [("data_highlight_val_release.jsonl", 1550), ("data_highlight_test_with_gt.jsonl", 1542)]
)
def test_real_files_parse(name: str, n: int) -> None:
    recs = read_qvhighlights(QVH / name, require_gt=True)
    assert len(recs) == n and len({r.qid for r in recs}) == n
    for r in recs:
        assert r.has_gt and r.relevant_clip_ids is not None and r.saliency_scores is not None
        assert len(r.saliency_scores) == len(r.relevant_clip_ids)
        assert all(len(s) == 3 and all(0 <= x <= 4 for x in s) for s in r.saliency_scores)
        assert all(0 <= a <= b <= r.duration for a, b in r.relevant_windows or ())
    first = json.loads((QVH / name).open().readline())
    assert recs[0].to_dict() == {k: first[k] for k in recs[0].to_dict()}


def _write(p: Path, lines: list[str]) -> Path:
    p.write_text("\n".join(lines) + "\n")
    return p


def test_malformed_annotation_line(tmp_path: Path) -> None:
    src = (QVH / "data_highlight_val_release.jsonl").open().readlines()[:3]
    p = _write(tmp_path / "gt.jsonl", [s.rstrip("\n") for s in src[:2]] + ['{"qid": 5, "query": "x", "vid"'])
    with pytest.raises(DataError, match=r"gt\.jsonl: line 3: invalid JSON"):
        read_qvhighlights(p)
    bad = json.loads(src[2])
    bad["saliency_scores"] = bad["saliency_scores"][:-1]
    p = _write(tmp_path / "gt2.jsonl", [s.rstrip("\n") for s in src[:2]] + [json.dumps(bad)])
    with pytest.raises(DataError, match=rf"gt2\.jsonl: line 3 \(qid {bad['qid']}\): 'saliency_scores' has"):
        read_qvhighlights(p)


def test_predictions_round_trip_and_errors(tmp_path: Path) -> None:
    gts = read_qvhighlights(QVH / "data_highlight_val_release.jsonl")[:2]
    preds = [QVHPrediction(g.qid, ((0.0, 10.0, 0.9), (20.0, 30.0, 0.5)), tuple([0.1] * 75)) for g in gts]
    out = write_predictions(tmp_path / "pred.jsonl", preds)
    assert read_predictions(out) == preds
    check_predictions(preds, gts, out)
    with pytest.raises(DataError, match=r"pred\.jsonl: prediction for unknown qid 123456789"):
        check_predictions([QVHPrediction(123456789, ((0.0, 1.0, 1.0),))], gts, out)
    p = _write(
        tmp_path / "p.jsonl",
        [
            '{"qid": 1, "pred_relevant_windows": [[0, 2, 0.5]]}',
            '{"qid": 2, "pred_saliency_scores": [0.1, NaN]}',
        ],
    )
    pat = r"p\.jsonl: line 2 \(qid 2\): pred_saliency_scores\[1\] must be finite"
    with pytest.raises(DataError, match=pat):
        read_predictions(p)
    p = _write(tmp_path / "p2.jsonl", ['{"qid": 1, "pred_relevant_windows": [[0, 2]]}'])
    with pytest.raises(DataError, match=r"p2\.jsonl: line 1 \(qid 1\): pred_relevant_windows\[0\]"):
        read_predictions(p)
