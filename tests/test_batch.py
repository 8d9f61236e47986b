"""``vidgist batch summarize`` and the engine options on the local engine (Ray: ``test_batch_ray.py``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from librarygen import Part, make_clip
from videogen import make_truncated

from vidgist.batch import parse_engine
from vidgist.batch.raypool import pool_size
from vidgist.batch.summarize import folder_names
from vidgist.cli.main import main
from vidgist.errors import InputError

ARGS = ["--no-asr", "--no-ocr", "--backbone", "offline", "-q", "dark screen"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("videos")
    for i, c in enumerate(["0x336699", "0x884422"]):
        make_clip(d / f"clip{i}.mp4", [Part(2, color=c), Part(2, color="0x101010")], size=(320, 180))
    make_truncated(d / "clip0.mp4", d / "broken.mp4", keep=0.3)
    return d


def test_engine_specs() -> None:
    assert parse_engine("local").kind == "local"
    assert parse_engine("ray").address is None
    assert parse_engine("ray:auto").address == "auto"
    assert parse_engine("ray:ray://10.0.0.5:10001").address == "ray://10.0.0.5:10001"
    for bad in ("spark", "local:x", ""):
        with pytest.raises(InputError, match="--engine"):
            parse_engine(bad)
    bad_options = {
        "--workers 0: must be an integer >= 1": {"workers": 0},
        "--threads -1: must be an integer >= 1": {"threads": -1},
        "--threads 0: must be an integer >= 1": {"threads": 0},  # refused, not taken for "not given"
        "--timeout 0: must be a positive number of seconds": {"timeout": 0.0},
        "--retries -1: must be a non-negative integer": {"retries": -1},
        "--timeout -5: must be a positive number of seconds": {"timeout": -5.0},
    }
    for message, options in bad_options.items():
        with pytest.raises(InputError) as e:
            parse_engine("ray", **options)
        assert str(e.value) == message
    assert parse_engine("ray", timeout=float("inf")).timeout == float("inf")  # no timeout
    assert parse_engine("ray").threads == 1 and parse_engine("ray", threads=None).threads == 1


def test_pool_size_rule() -> None:
    assert pool_size(2, 1, None, started_here=True) == 1  # 2 CPUs here: one worker, one CPU for the rest
    assert pool_size(2, 1, None, started_here=False) == 2
    assert pool_size(3, 1, 20, started_here=False) == 3  # 3 nodes of 1 CPU
    assert pool_size(16, 4, 20, started_here=True) == 3
    assert pool_size(64, 1, 5, started_here=False) == 5  # never more workers than videos
    assert pool_size(1, 1, 5, started_here=True) == 1


def test_folder_names_stay_apart() -> None:
    names = folder_names([Path("/a/talk.mp4"), Path("/b/talk.mp4"), Path("/b/intro.mkv")])
    assert names["/b/intro.mkv"] == "intro"
    assert len({names["/a/talk.mp4"], names["/b/talk.mp4"]}) == 2
    assert all(names[p].startswith("talk-") for p in ("/a/talk.mp4", "/b/talk.mp4"))


def test_batch_summarize_local_then_resume(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["batch", "summarize", str(folder), "-o", str(out), *ARGS]) == 0
    err = capsys.readouterr().err
    assert "broken.mp4" in err
    doc = json.loads((out / "batch.json").read_text())
    status = {e["folder"]: e["status"] for e in doc["videos"]}
    assert status == {"broken": "failed", "clip0": "ok", "clip1": "ok"}
    for name in ("clip0", "clip1"):
        assert {p.name for p in (out / name).iterdir()} == {"summary.json", "summary.mp4", "scores.png"}
        summary = json.loads((out / name / "summary.json").read_text())
        assert summary["queries"] == ["dark screen"] and summary["segments"]
    assert not list(out.glob(".*partial*"))
    # the same command again: nothing redone, the damaged file is not tried again
    assert main(["batch", "summarize", str(folder), "-o", str(out), *ARGS, "--json"]) == 0
    assert "summarized 0" not in capsys.readouterr().out
    again = json.loads((out / "batch.json").read_text())
    assert again["videos"] == doc["videos"]
    # a changed file is done again; the others are skipped
    st = (folder / "clip1.mp4").stat()
    os.utime(folder / "clip1.mp4", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert main(["batch", "summarize", str(folder), "-o", str(out), *ARGS]) == 0
    assert "summarized 1, skipped 2" in capsys.readouterr().out


def test_bad_engine_and_missing_path_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", "summarize", str(tmp_path / "nope"), "-o", str(tmp_path / "o")]) == 2
    assert "nope: no such file or folder" in capsys.readouterr().err
    assert main(["index", str(tmp_path), "--db", str(tmp_path / "l.sqlite"), "--engine", "spark"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--engine spark" in err


def test_records_are_written_in_plan_order_whatever_order_workers_finish() -> None:
    from vidgist.batch.engine import Failure
    from vidgist.batch.index import in_plan_order
    from vidgist.library.records import FileStamp, VideoRecord

    todo = [FileStamp(f"/v/{i}.mp4", 10 + i, 100 + i, f"fp{i}") for i in range(4)]
    settings = {"asr": "tiny.en", "ocr": True, "fps": None}
    done = [(todo[2], VideoRecord(stamp=todo[2], reason="x", settings=settings))]
    done += [
        (todo[0], Failure("broken")),
        (todo[3], VideoRecord(stamp=todo[3], reason="y", settings=settings)),
    ]
    done += [(todo[1], VideoRecord(stamp=todo[1], reason="z", settings=settings))]
    seen = []
    for rec in in_plan_order(todo, iter(done), settings):
        seen.append(rec.stamp.path)
    assert seen == [s.path for s in todo]
    first = next(in_plan_order(todo, iter(done), settings))
    assert first.reason == "broken" and first.settings == settings
