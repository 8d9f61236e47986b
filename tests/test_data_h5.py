"""eccv16 h5 reader/writer: round trip, validation errors naming file and video key."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pytest

from vidgist.data.h5 import H5Video, read_eccv16, require_user_summary, write_eccv16
from vidgist.errors import DataError


def _video(name: str = "video_1", n_frames: int = 300, with_summary: bool = True) -> H5Video:
    rng = np.random.default_rng(0)
    picks = np.arange(0, n_frames, 15)
    cps = np.array([[0, 99], [100, 219], [220, n_frames - 1]])
    us = np.zeros((3, n_frames), dtype=np.float32)
    us[:, 100:140] = 1
    return H5Video(
        name=name,
        features=rng.standard_normal((picks.size, 8)).astype(np.float32),
        picks=picks,
        n_frames=n_frames,
        change_points=cps,
        n_frame_per_seg=cps[:, 1] - cps[:, 0] + 1,
        user_summary=us if with_summary else None,
        gtscore=rng.random(picks.size).astype(np.float32),
        user_scores=rng.integers(1, 6, (3, n_frames)).astype(np.float32),
        video_name="my clip",
        extras={"fps": np.asarray(30.0)},
    )


def test_round_trip(tmp_path: Path) -> None:
    vids = [_video("video_1"), _video("video_2", n_frames=451)]
    out = write_eccv16(tmp_path / "d.h5", vids)
    back = read_eccv16(out)
    assert list(back) == ["video_1", "video_2"]
    for v in vids:
        b = back[v.name]
        np.testing.assert_array_equal(b.features, v.features)
        np.testing.assert_array_equal(b.picks, v.picks)
        np.testing.assert_array_equal(b.change_points, v.change_points)
        np.testing.assert_array_equal(b.n_frame_per_seg, v.n_frame_per_seg)
        assert v.user_summary is not None and b.user_summary is not None
        np.testing.assert_array_equal(b.user_summary, v.user_summary)
        np.testing.assert_allclose(b.gtscore, v.gtscore)  # type: ignore[arg-type]
        np.testing.assert_allclose(b.user_scores, v.user_scores)  # type: ignore[arg-type]
        assert b.n_frames == v.n_frames and b.video_name == "my clip" and b.n_steps == v.picks.size
        assert float(b.extras["fps"]) == 30.0
    # no temp files left beside the output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.h5"]


def test_missing_user_summary_allowed_at_read_refused_for_eval(tmp_path: Path) -> None:
    path = write_eccv16(tmp_path / "nosum.h5", [_video(with_summary=False)])
    v = read_eccv16(path)["video_1"]
    assert v.user_summary is None
    with pytest.raises(DataError, match=r"nosum\.h5: video 'video_1': no 'user_summary'"):
        require_user_summary(v, path)


def test_missing_required_field_names_file_and_key(tmp_path: Path) -> None:
    path = write_eccv16(tmp_path / "d.h5", [_video("video_7")])
    with h5py.File(path, "a") as f:
        del f["video_7/picks"]
    with pytest.raises(DataError, match=r"d\.h5: video 'video_7': missing required field 'picks'"):
        read_eccv16(path)


@pytest.mark.parametrize(
    ("field", "value", "pattern"),
    [
        ("gtscore", np.zeros(3, np.float32), "'gtscore' has shape"),
        ("user_summary", np.zeros((2, 10), np.float32), "'user_summary' has shape"),
        ("n_frame_per_seg", np.array([100, 120, 81]), "'n_frame_per_seg'\\[2\\]=81 disagrees"),
        ("picks", np.arange(0, 300, 30), "'picks' has shape"),
    ],
)
def test_mismatched_lengths(tmp_path: Path, field: str, value: np.ndarray, pattern: str) -> None:
    path = write_eccv16(tmp_path / "bad.h5", [_video("video_3")])
    with h5py.File(path, "a") as f:
        del f[f"video_3/{field}"]
        f[f"video_3/{field}"] = value
    with pytest.raises(DataError, match=r"bad\.h5: video 'video_3': " + pattern):
        read_eccv16(path)


def test_not_h5_and_missing(tmp_path: Path) -> None:
    (tmp_path / "x.h5").write_text("hello")
    with pytest.raises(DataError, match="not a readable HDF5"):
        read_eccv16(tmp_path / "x.h5")
    with pytest.raises(DataError, match="not found"):
        read_eccv16(tmp_path / "none.h5")


def test_write_refuses_invalid(tmp_path: Path) -> None:
    v = _video()
    bad = H5Video(**{**v.__dict__, "gtscore": np.zeros(2, np.float32)})
    with pytest.raises(DataError, match="'gtscore'"):
        write_eccv16(tmp_path / "o.h5", [bad])
    assert not list(tmp_path.iterdir())


def test_lenient_reading_of_quirky_files(tmp_path: Path) -> None:
    path = write_eccv16(tmp_path / "q.h5", [_video("video_1")])
    with h5py.File(path, "a") as f:
        del f["video_1/user_summary"]
        f["video_1/user_summary"] = np.zeros((3, 299), np.float32)  # one frame short
    with pytest.raises(DataError, match="'user_summary' has shape"):
        read_eccv16(path)
    v = read_eccv16(path, strict=False)["video_1"]
    assert v.user_summary is not None and v.user_summary.shape == (3, 299)
