"""Split files: the shared 5-fold files, DSNet/VASNet prefixed keys, settings, validation carving."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import SHARED

from vidgist.data.h5 import read_eccv16, write_eccv16
from vidgist.data.splits import (
    Split,
    carve_validation,
    load_keyed_videos,
    load_splits,
    make_kfold_splits,
    resolve_key,
    split_setting,
    summarize_splits,
    write_splits,
)
from vidgist.errors import DataError

SHARED = SHARED / "data"


@pytest.mark.parametrize(
    ("name", "n_videos", "n_tested"),
    [("tvsum/tvsum_splits_5fold.json", 50, 34), ("summe/summe_splits_5fold.json", 25, 18)],
)
def test_shared_split_files(name: str, n_videos: int, n_tested: int) -> None:
    """The shared files hold 5 random 80/20 splits (eccv16 originals), NOT a k-fold partition.

    Each split is disjoint and covers every video; across splits the test sets overlap and leave
    some videos never tested. summarize_splits says so; make_kfold_splits builds a true 5-fold.
    """
    splits = load_splits(SHARED / name)
    assert len(splits) == 5
    everything = {f"video_{i}" for i in range(1, n_videos + 1)}
    for s in splits:
        assert not set(s.train_keys) & set(s.test_keys)
        assert set(s.train_keys) | set(s.test_keys) == everything
        assert split_setting(s) == "canonical"
    info = summarize_splits(splits)
    assert info.n_videos == n_videos and info.test_sizes == (n_videos // 5,) * 5
    assert not info.tests_disjoint and not info.tests_cover_all and info.n_tested == n_tested
    assert not info.is_kfold
    folds = make_kfold_splits(sorted(everything), k=5, seed=0)
    tests = [set(f.test_keys) for f in folds]
    assert all(not tests[i] & tests[j] for i in range(5) for j in range(i + 1, 5))
    assert set().union(*tests) == everything
    assert summarize_splits(folds).is_kfold
    assert make_kfold_splits(sorted(everything), 5, 0) == folds


def test_carve_validation_deterministic_and_disjoint() -> None:
    keys = [f"video_{i}" for i in range(1, 41)]
    tr, va = carve_validation(keys, 0.2, seed=0)
    assert len(va) == 8 and len(tr) == 32 and not set(tr) & set(va) and set(tr) | set(va) == set(keys)
    assert carve_validation(keys, 0.2, seed=0) == (tr, va)
    # independent of input order (same set, same seed -> same validation set)
    tr2, va2 = carve_validation(list(reversed(keys)), 0.2, seed=0)
    assert set(va2) == set(va)
    assert set(carve_validation(keys, 0.2, seed=1)[1]) != set(va)
    assert carve_validation(["a"], 0.2) == (["a"], [])


def _tiny_h5(path: Path, names: list[str]) -> Path:
    from tests.test_data_h5 import _video

    return write_eccv16(path, [_video(n) for n in names])


def test_dsnet_yaml_and_vasnet_prefixes(tmp_path: Path) -> None:
    ds = tmp_path / "datasets"
    ds.mkdir()
    _tiny_h5(ds / "eccv16_dataset_tvsum_google_pool5.h5", ["video_1", "video_2", "video_3"])
    _tiny_h5(ds / "eccv16_dataset_summe_google_pool5.h5", ["video_1", "video_2"])
    # DSNet augmented style: keys prefixed with the h5 path
    aug = [
        {
            "train_keys": [
                "../datasets/eccv16_dataset_tvsum_google_pool5.h5/video_1",
                "../datasets/eccv16_dataset_summe_google_pool5.h5/video_1",
                "../datasets/eccv16_dataset_summe_google_pool5.h5/video_2",
            ],
            "test_keys": ["../datasets/eccv16_dataset_tvsum_google_pool5.h5/video_2"],
        }
    ]
    (tmp_path / "tvsum_aug.yml").write_text(yaml.safe_dump(aug))
    s = load_splits(tmp_path / "tvsum_aug.yml")[0]
    assert split_setting(s) == "augmented"
    vids = load_keyed_videos(s.test_keys + s.train_keys, base_dir=ds)
    assert set(vids) == set(s.test_keys + s.train_keys)
    assert vids[s.test_keys[0]].name == "video_2"
    # VASNet transfer style: dataset names without .h5
    tr = {
        "key": "summe_transfer_0",
        "train_keys": ["eccv16_dataset_tvsum_google_pool5/video_1"],
        "test_keys": ["eccv16_dataset_summe_google_pool5/video_1"],
    }
    (tmp_path / "summe_transfer.json").write_text(json.dumps([tr]))
    t = load_splits(tmp_path / "summe_transfer.json")[0]
    assert t.name == "summe_transfer_0" and split_setting(t) == "transfer"
    f, v = resolve_key(t.test_keys[0], base_dir=ds)
    assert f.name == "eccv16_dataset_summe_google_pool5.h5" and v == "video_1"
    assert read_eccv16(f, keys=[v])[v].n_frames == 300
    with pytest.raises(DataError, match="not found"):
        resolve_key("nowhere_dataset/video_1", base_dir=ds)


def test_round_trip_and_bad_files(tmp_path: Path) -> None:
    splits = [Split(("a", "b"), ("c",), ("d",), "s0")]
    out = write_splits(tmp_path / "s.json", splits)
    assert load_splits(out) == splits
    (tmp_path / "leak.json").write_text(json.dumps([{"train_keys": ["a", "b"], "test_keys": ["b"]}]))
    with pytest.raises(DataError, match=r"leak\.json: split 0: test video 'b'"):
        load_splits(tmp_path / "leak.json")
    (tmp_path / "nokeys.json").write_text(json.dumps([{"train": ["a"]}]))
    with pytest.raises(DataError, match="no 'train_keys'"):
        load_splits(tmp_path / "nokeys.json")
    (tmp_path / "broken.json").write_text('[{\n  "train_keys": [\n}')
    with pytest.raises(DataError, match=r"broken\.json: line 3"):
        load_splits(tmp_path / "broken.json")
