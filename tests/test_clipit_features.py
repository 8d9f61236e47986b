"""`vidgist features extract`: real clips, offline backbone, resume, and no half-written output."""

from __future__ import annotations

import shutil
from pathlib import Path

import h5py
import numpy as np
import pytest
from conftest import VIDEOS

from vidgist.cli.main import main
from vidgist.data.h5 import read_eccv16
from vidgist.datasets.features import extract_features
from vidgist.errors import InputError
from vidgist.train.clip_it_data import read_text_features

CLIPS = ("bigbuckbunny_5s.mp4", "city_8s_360p.mp4")


@pytest.fixture(scope="module")
def backbone():  # type: ignore[no-untyped-def]
    from vidgist.backbones import load_backbone

    return load_backbone("offline")


@pytest.fixture()
def video_dir(tmp_path: Path) -> Path:
    d = tmp_path / "videos"
    d.mkdir()
    for c in CLIPS:
        (d / c).symlink_to(VIDEOS / c)
    return d


def test_extract_then_resume_skips_complete_videos(video_dir: Path, tmp_path: Path, backbone) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "feats.h5"
    rep = extract_features(video_dir, out, backbone=backbone, fps=1.0, show_progress=False)
    assert rep.extracted == ["bigbuckbunny_5s", "city_8s_360p"] and rep.skipped == []
    vids = read_eccv16(out)  # a valid eccv16 features-only file
    assert set(vids) == {"bigbuckbunny_5s", "city_8s_360p"}
    v = vids["city_8s_360p"]
    assert v.features.shape[1] == backbone.frame_dim and 7 <= v.n_steps <= 9
    assert (
        np.all(np.diff(v.picks) > 0)
        and v.change_points[0, 0] == 0
        and v.change_points[-1, 1] == v.n_frames - 1
    )
    texts = read_text_features(out)
    assert all(t.shape[1] == backbone.text_dim and t.shape[0] >= 1 for t in texts.values())
    with h5py.File(out, "r") as f:
        g = f["bigbuckbunny_5s"]
        assert g.attrs["complete"] == 1 and g.attrs["backbone"] == "offline" and g.attrs["fps"] == 1.0
        assert len(g["descriptions"]) == len(g["text_features"])
        assert np.allclose(g["times"][:], np.arange(len(g["times"])), atol=0.1)
    before = out.read_bytes()
    rep2 = extract_features(video_dir, out, backbone=backbone, fps=1.0, show_progress=False)
    assert rep2.extracted == [] and rep2.skipped == ["bigbuckbunny_5s", "city_8s_360p"]
    assert out.read_bytes() == before
    with pytest.raises(InputError, match="fps"):
        extract_features(video_dir, out, backbone=backbone, fps=2.0, show_progress=False)


def test_unreadable_file_is_recorded_and_the_run_goes_on_and_resumes(
    video_dir: Path, tmp_path: Path, backbone
) -> None:  # type: ignore[no-untyped-def]
    (video_dir / CLIPS[1]).unlink()
    (video_dir / "aa_broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"garbage" * 100)
    out = tmp_path / "feats.h5"
    failures: list[str] = []
    rep0 = extract_features(
        video_dir,
        out,
        backbone=backbone,
        fps=1.0,
        show_progress=False,
        on_failure=lambda key, reason: failures.append(key),
    )
    # the broken file (first in the folder) is recorded with its reason; the good one after it is done
    assert rep0.extracted == ["bigbuckbunny_5s"] and list(rep0.failed) == ["aa_broken"] == failures
    assert "aa_broken.mp4" in rep0.failed["aa_broken"]
    assert set(read_eccv16(out)) == {"bigbuckbunny_5s"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    (video_dir / "aa_broken.mp4").unlink()
    shutil.copy(VIDEOS / CLIPS[0], video_dir / "zz_copy.mp4")
    rep = extract_features(video_dir, out, backbone=backbone, fps=1.0, show_progress=False)
    assert rep.extracted == ["zz_copy"] and rep.skipped == ["bigbuckbunny_5s"]
    vids = read_eccv16(out)
    assert set(vids) == {"bigbuckbunny_5s", "zz_copy"}
    assert np.allclose(vids["zz_copy"].features, vids["bigbuckbunny_5s"].features, atol=1e-5)


def test_cli_extract(video_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.h5"
    (video_dir / CLIPS[1]).unlink()
    rc = main(["features", "extract", str(video_dir), "-o", str(out), "--fps", "1", "--no-progress"])
    assert rc == 0 and "1 extracted" in capsys.readouterr().out
    assert list(read_eccv16(out)) == ["bigbuckbunny_5s"]
    assert main(["features", "extract", str(tmp_path / "nope"), "-o", str(out)]) == 2
    assert "no such file or folder" in capsys.readouterr().err
