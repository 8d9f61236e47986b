"""TVSum annotation parsing on the real files, and the eccv16 ground-truth construction."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest
from conftest import SHARED

from vidgist.data.tvsum import (
    eccv16_ground_truth,
    eccv16_keys,
    keyshot_user_summary,
    read_tvsum_annotations,
    read_tvsum_categories,
    read_tvsum_info,
)
from vidgist.errors import DataError

TVSUM = SHARED / "data" / "tvsum"


@pytest.fixture(scope="module")
def anno() -> dict[str, np.ndarray]:
    return read_tvsum_annotations(TVSUM / "ydata-tvsum50-anno.tsv.gz")


def test_fifty_videos_twenty_users_frame_counts(anno: dict[str, np.ndarray]) -> None:
    info = read_tvsum_info(TVSUM / "ydata-tvsum50-info.derived.tsv")
    assert len(anno) == 50 and len(info) == 50
    assert [i.video_id for i in info] == list(anno)
    for row in info:
        u = anno[row.video_id]
        assert u.shape == (20, row.n_frames)
        assert u.min() >= 1 and u.max() <= 5
    cats = read_tvsum_categories(TVSUM / "ydata-tvsum50-anno.tsv.gz")
    assert {c for c in cats.values()} == {"VT", "VU", "GA", "MS", "PK", "PR", "FM", "BK", "BT", "DS"}
    assert all(cats[i.video_id] == i.category for i in info)
    assert eccv16_keys(list(anno))["video_1"] == "AwmHb44_ouw"


def test_ground_truth_construction(anno: dict[str, np.ndarray]) -> None:
    u = anno["AwmHb44_ouw"]
    n = u.shape[1]
    bounds = np.linspace(0, n, 41).astype(int)
    cps = np.stack([bounds[:-1], bounds[1:] - 1], axis=1)
    picks = np.arange(0, n, 15)
    gtscore, us = eccv16_ground_truth(u, cps, picks)
    assert gtscore.shape == picks.shape and gtscore.min() == 0.0 and gtscore.max() == 1.0
    assert us.shape == (20, n) and set(np.unique(us)) <= {0.0, 1.0}
    assert np.all(us.sum(axis=1) <= np.floor(0.15 * n))
    assert np.all(us.sum(axis=1) > 0.10 * n)  # ~40 equal shots of 2.5%: knapsack fills 5-6 of them
    # each selected frame lies in whole shots
    for row in us:
        for a, b in cps:
            assert row[a : b + 1].min() == row[a : b + 1].max()


def test_keyshot_user_summary_hand_case() -> None:
    scores = np.array([1, 1, 5, 5, 1, 1, 1, 1, 3, 3] * 2)  # 20 frames, budget 15% -> 3 frames
    cps = np.array([[0, 1], [2, 3], [4, 7], [8, 9], [10, 11], [12, 13], [14, 17], [18, 19]])
    s = keyshot_user_summary(scores, cps)
    assert s.sum() == 2 and s[2] == 1 and s[3] == 1  # one shot of 2 fits; the best is [2, 3]


def test_malformed_line_reports_line(tmp_path: Path) -> None:
    p = tmp_path / "anno.tsv.gz"
    with gzip.open(p, "wt") as fh:
        fh.write("v1\tVT\t1,2,3\nv1\tVT\t1,2,3\nv1\tVT\t1,x,3\n")
    with pytest.raises(DataError, match=r"anno\.tsv\.gz: line 3: scores must be"):
        read_tvsum_annotations(p)
    p2 = tmp_path / "anno.tsv"
    p2.write_text("v1\tVT\t1,2,3\nv1\tVT\t1,2\n")
    with pytest.raises(DataError, match=r"line 2: video 'v1' has 2 frame scores here but 3 on line 1"):
        read_tvsum_annotations(p2)
