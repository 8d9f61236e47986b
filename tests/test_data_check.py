"""`vidgist datasets check`: a good folder (exit 0) and a broken one (exit 2, file and line named)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import SHARED

from tests.test_data_h5 import _video
from vidgist.cli.main import main
from vidgist.data.h5 import write_eccv16
from vidgist.data.qms_layout import QMSRecord, write_qms
from vidgist.data.splits import make_kfold_splits, write_splits
from vidgist.datasets.check import check_dataset

SHARED = SHARED / "data"


def _good(root: Path) -> Path:
    root.mkdir()
    write_eccv16(root / "mine.h5", [_video(f"video_{i}") for i in range(1, 6)])
    write_splits(root / "mine_splits.json", make_kfold_splits([f"video_{i}" for i in range(1, 6)], k=5))
    src = (SHARED / "qvhighlights" / "data_highlight_val_release.jsonl").read_text().splitlines()[:20]
    (root / "qvh_val.jsonl").write_text("\n".join(src) + "\n")
    write_qms(
        root / "qms",
        [
            QMSRecord("a", ["q1", "q2"], "hello", np.ones((4, 3)), "train"),
            QMSRecord("b", ["q3"], "", np.ones((2, 3)), "test"),
        ],
    )
    return root


def test_check_good_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _good(tmp_path / "good")
    rc = main(["datasets", "check", str(root)])
    out = capsys.readouterr().out
    assert rc == 0
    assert "OK        mine.h5 [eccv16 h5] 5 videos, features 8-d" in out
    assert "mine_splits.json [splits] 5 splits over 5 videos, k-fold" in out
    assert "qvh_val.jsonl [qvhighlights] 20 queries" in out
    assert "qms/items.jsonl [qms table] 2 videos (1 train, 0 eval, 1 test)" in out
    assert "MALFORMED" not in out


def test_check_broken_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _good(tmp_path / "bad")
    lines = (root / "qvh_val.jsonl").read_text().splitlines()
    lines[6] = lines[6][:-5]  # truncate line 7
    (root / "qvh_val.jsonl").write_text("\n".join(lines) + "\n")
    write_eccv16(root / "nosum.h5", [_video("video_1", with_summary=False)])
    other = [{"train_keys": ["video_1"], "test_keys": ["video_9"]}]
    (root / "other_splits.json").write_text(json.dumps(other))
    rc = main(["datasets", "check", str(root)])
    out = capsys.readouterr().out
    assert rc == 2
    assert "MALFORMED qvh_val.jsonl [qvhighlights]" in out and "qvh_val.jsonl: line 7: invalid JSON" in out
    assert "MISSING   nosum.h5 [eccv16 h5]" in out and "no 'user_summary'" in out
    report = check_dataset(root)
    assert [f.path.name for f in report.malformed] == ["qvh_val.jsonl"]
    # keys of a split file that the h5 files beside it lack are reported (two h5 here: not checkable)
    assert any(f.path.name == "other_splits.json" for f in report.findings)


def test_check_split_keys_against_h5(tmp_path: Path) -> None:
    root = tmp_path / "d"
    root.mkdir()
    write_eccv16(root / "only.h5", [_video("video_1"), _video("video_2")])
    (root / "s.json").write_text(json.dumps([{"train_keys": ["video_1"], "test_keys": ["video_9"]}]))
    f = next(f for f in check_dataset(root).findings if f.path.name == "s.json")
    assert f.status == "missing" and "'video_9'" in f.detail


def test_check_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["datasets", "check", str(tmp_path / "nope")]) == 2
    assert "no such folder" in capsys.readouterr().err
