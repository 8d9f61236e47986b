"""QFVS layout: 4 videos, 48 concepts, 45 two-concept queries each with oracle and 3 user summaries."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import SHARED

from vidgist.data.qfvs import load_qfvs, read_dense_tags
from vidgist.errors import DataError

QFVS = SHARED / "data" / "qfvs"


def test_load_real_layout() -> None:
    d = load_qfvs(QFVS)
    assert len(d.concepts) == 48 and d.concepts[0] == "Baby" and d.concepts[-1] == "Window"
    assert list(d.videos) == ["P01", "P02", "P03", "P04"]
    assert [v.n_shots for v in d.videos.values()] == [2783, 3692, 2152, 3588]
    for v in d.videos.values():
        assert v.tags.shape == (v.n_shots, 48) and set(np.unique(v.tags)) <= {0, 1}
        assert len(v.queries) == 45
        for q in v.queries.values():
            assert len(q.users) == 3 and q.oracle
            assert max(q.oracle | set().union(*q.users)) < v.n_shots and min(q.oracle) >= 0
        assert v.global_oracle and len(v.global_users) == 3
        # Tags.mat and the dense per-shot text agree (up to one cell per video in the release)
        dense_file = QFVS / "data/origin_data/Dense_per_shot_tags" / v.name / f"{v.name}.txt"
        dense = read_dense_tags(dense_file, d.concepts)
        assert dense.shape == v.tags.shape and int((dense != v.tags).sum()) <= 1
    # 1-based shot numbers in the files -> 0-based indices
    oracle = QFVS / "data/origin_data/Query-Focused_Summaries/Oracle_Summaries/P01/Book_Street_oracle.txt"
    first = int(oracle.read_text().split()[0])
    assert first - 1 == min(d.videos["P01"].queries[("Book", "Street")].oracle)


def test_bad_shot_line_reported(tmp_path: Path) -> None:
    root = tmp_path / "qfvs"
    shutil.copytree(QFVS / "data" / "origin_data", root / "origin_data")
    for q in [root, *root.rglob("*")]:
        q.chmod(0o755 if q.is_dir() else 0o644)
    f = root / "origin_data/Query-Focused_Summaries/User_Summaries/P02/Hall_Park_user2.txt"
    lines = f.read_text().splitlines()
    lines[3] = "99999"
    f.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=r"Hall_Park_user2\.txt: line 4: shot 99999 outside 1\.\.3692"):
        load_qfvs(root)
    with pytest.raises(DataError, match="no QFVS layout"):
        load_qfvs(tmp_path)
