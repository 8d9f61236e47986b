"""make-h5: annotation formats -> per-frame scores, and the full build on real videos."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import VIDEOS

from vidgist.datasets.make_h5 import (
    VideoAnnotation,
    annotation_frame_scores,
    change_points_in_frames,
    read_annotations,
)
from vidgist.errors import DataError


def test_segment_csv_to_frame_scores(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_text(
        "video,start,end,score,annotator\nclip.mp4,0,1,1,anna\nclip.mp4,1,2,5,anna\nclip,0.5,1.5,3,ben\n"
    )
    anns = read_annotations(p)
    assert set(anns) == {"clip.mp4", "clip"}
    merged = VideoAnnotation("clip.mp4", anns["clip.mp4"].segments + anns["clip"].segments)
    s = annotation_frame_scores(merged, n_frames=20, fps=10.0)  # frames at 0.0, 0.1, ..., 1.9 s
    assert s.shape == (2, 20)
    np.testing.assert_array_equal(s[0], [1] * 10 + [5] * 10)  # anna
    np.testing.assert_array_equal(s[1], [0] * 5 + [3] * 10 + [0] * 5)  # ben: 0 where unmarked


def test_frame_json_with_rate(tmp_path: Path) -> None:
    p = tmp_path / "a.json"
    p.write_text(json.dumps({"v.mp4": {"frame_scores": [[1, 2, 3], [3, 3, 1]], "rate": 1}}))
    s = annotation_frame_scores(read_annotations(p)["v.mp4"], n_frames=6, fps=2.0)  # frames at 0..2.5 s
    np.testing.assert_array_equal(s, [[1, 1, 2, 2, 3, 3], [3, 3, 3, 3, 1, 1]])


def test_bad_annotations(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_text("video,start,end,score\nv.mp4,0,2,1\nv.mp4,3,2,1\n")
    with pytest.raises(DataError, match=r"a\.csv: line 3: need 0 <= start < end"):
        read_annotations(p)
    p.write_text("video,begin,end,score\n")
    with pytest.raises(DataError, match=r"a\.csv: line 1: header lacks column\(s\) start"):
        read_annotations(p)
    q = tmp_path / "a.jsonl"
    q.write_text('{"video": "v", "start": 0, "end": 1, "score": NaN}\n')
    with pytest.raises(DataError, match=r"a\.jsonl: line 1: 'score' is NaN"):
        read_annotations(q)


def test_change_points_in_frames() -> None:
    picks = np.arange(0, 300, 15)
    cps = change_points_in_frames([0, 5, 12], picks, 300)
    np.testing.assert_array_equal(cps, [[0, 74], [75, 179], [180, 299]])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int, str]:
    """make-h5 through the CLI on two real clips (one annotated per segment, one per frame)."""
    from vidgist.cli.main import main

    root = tmp_path_factory.mktemp("mk")
    vids = root / "videos"
    vids.mkdir()
    for name in ("bigbuckbunny_5s.mp4", "bikes_10s.mp4"):
        shutil.copy(VIDEOS / name, vids / name)
    (vids / "notes.txt").write_text("not a video")
    anno = root / "anno.json"
    rng = np.random.default_rng(0)
    anno.write_text(
        json.dumps(
            {
                "bikes_10s": {"frame_scores": rng.integers(1, 6, (3, 250)).tolist()},  # per frame, 25 fps
                "bigbuckbunny_5s.mp4": {
                    "segments": [
                        {"start": 0, "end": 2.0, "score": 1, "annotator": "a"},
                        {"start": 2.0, "end": 5.28, "score": 5, "annotator": "a"},
                        {"start": 0, "end": 5.28, "score": 2, "annotator": "b"},
                    ]
                },
            }
        )
    )
    out = root / "mine.h5"
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = main(["datasets", "make-h5", str(vids), str(anno), "-o", str(out)])
    return out, anno, rc, buf.getvalue()


def test_make_h5_real_videos(built: tuple[Path, Path, int, str]) -> None:
    from vidgist.data.h5 import read_eccv16, require_user_summary
    from vidgist.media.video import probe

    out, _, rc, stdout = built
    assert rc == 0 and out.is_file()
    vids = read_eccv16(out)  # validates every eccv16 field and length
    assert list(vids) == ["video_1", "video_2"]
    bunny, bikes = vids["video_1"], vids["video_2"]
    assert bunny.video_name == "bigbuckbunny_5s.mp4" and bikes.video_name == "bikes_10s.mp4"
    for v, n_users in ((bunny, 2), (bikes, 3)):
        info = probe(VIDEOS / str(v.video_name))
        assert v.n_frames == info.n_frames
        # 2 samples per second -> about duration * 2 picks, every ~12.5 frames at 25 fps
        assert abs(v.n_steps - info.duration * 2) <= 1
        assert np.all(np.abs(np.diff(v.picks) - info.fps / 2) <= 1)
        assert v.features.shape == (v.n_steps, 1280)  # offline backbone
        assert v.change_points[0, 0] == 0 and v.change_points[-1, 1] == v.n_frames - 1
        assert np.all(v.change_points[1:, 0] == v.change_points[:-1, 1] + 1)  # contiguous shots
        us = require_user_summary(v, out)
        assert us.shape == (n_users, v.n_frames)
        assert np.all(us.sum(axis=1) <= np.floor(0.15 * v.n_frames))
        assert v.gtscore is not None and v.gtscore.min() == 0.0 and v.gtscore.max() == 1.0
        assert v.user_scores is not None and v.user_scores.shape == (n_users, v.n_frames)
    # annotator "a" scored 2 s..end at 5: the frames at those times carry 5
    assert bunny.user_scores is not None
    assert bunny.user_scores[0, 0] == 1 and bunny.user_scores[0, 60] == 5 and bunny.user_scores[0, -1] == 5
    assert "video_1: bigbuckbunny_5s.mp4" in stdout


def test_make_h5_unknown_video(
    built: tuple[Path, Path, int, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from vidgist.cli.main import main

    out, _, _, _ = built
    anno = tmp_path / "a.csv"
    anno.write_text("video,start,end,score\nmissing.mp4,0,1,3\n")
    rc = main(["datasets", "make-h5", str(out.parent / "videos"), str(anno), "-o", str(tmp_path / "x.h5")])
    assert rc == 2
    assert "video 'missing.mp4' is not in" in capsys.readouterr().err
    assert not (tmp_path / "x.h5").exists()
