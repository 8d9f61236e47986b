"""`vidgist summarize` from the command line: outputs, --json, and every bad input -> one line, exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import QUICK_FLAGS, VIDEOS

VIDGIST = [sys.executable, "-m", "vidgist.cli.main"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*VIDGIST, *args], capture_output=True, text=True, timeout=600)


def assert_clean_failure(p: subprocess.CompletedProcess[str], *words: str) -> None:
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert "Traceback" not in p.stderr, p.stderr
    lines = [ln for ln in p.stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, p.stderr
    for w in words:
        assert w.lower() in lines[0].lower(), (w, lines[0])


def test_cli_summarize_json_and_outputs(tmp_path: Path):
    out = tmp_path / "out"
    p = run(
        "summarize",
        str(VIDEOS / "bikes_10s.mp4"),
        "-q",
        "bicycle",
        *QUICK_FLAGS,
        "-o",
        str(out),
        "--json",
    )
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert doc["backbone"] == "offline" and doc["scorer"] == "zero-shot"
    assert doc["segments"] and doc["queries"] == ["bicycle"]
    stages = doc["timings_s"]  # wall seconds per stage, for users tuning long runs
    assert {"decode+embed", "score", "write video", "plot"} <= set(stages)
    assert all(v >= 0 for v in stages.values()) and stages["decode+embed"] > 0
    # every sample embedded or given a near-identical earlier sample's features
    assert doc["frames"]["embedded"] >= 1 and doc["frames"]["reused"] >= 0
    assert doc["frames"]["embedded"] + doc["frames"]["reused"] == len(doc["timeline"]["t"])
    assert doc["summary_video"]["mode"] in (  # the mode used: smart cut, or re-encoding when it cannot copy
        "smart cut: exact cuts, copied between key frames (x264 ultrafast at the cuts)",
        "re-encoded, exact cuts (x264 ultrafast)",
    )
    assert sorted(x.name for x in out.iterdir()) == ["scores.png", "summary.json", "summary.mp4"]
    assert "score" in p.stderr  # the chosen segments are listed for the user
    assert "findfont" not in p.stderr  # no font warnings from drawing scores.png (CJK fonts installed)


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory) -> dict[str, Path]:
    from videogen import make_audio_only, make_video

    d = tmp_path_factory.mktemp("bad")
    text = d / "notes.mp4"
    text.write_text("this is not a video\n" * 50)
    good = VIDEOS / "bigbuckbunny_5s.mp4"
    trunc = d / "truncated.mp4"
    trunc.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    empty = d / "empty.mp4"
    empty.write_bytes(b"")
    audio = d / "speech.m4a"
    make_audio_only(audio, seconds=2.0)
    zero = d / "zero.mp4"
    make_video(zero, [{"duration": 0, "color": (0, 0, 0)}], audio=False)
    return {"text": text, "trunc": trunc, "empty": empty, "audio": audio, "zero": zero}


@pytest.mark.parametrize(
    "case,words",
    [
        ("missing", ["nope.mp4"]),
        ("text", ["notes.mp4"]),
        ("trunc", ["truncated.mp4"]),
        ("empty", ["empty.mp4"]),
        ("audio", ["speech.m4a"]),
        ("zero", ["zero.mp4"]),
    ],
)
def test_bad_video_files(bad_inputs, tmp_path, case, words):
    video = tmp_path / "nope.mp4" if case == "missing" else bad_inputs[case]
    out = tmp_path / "out"
    p = run("summarize", str(video), "-q", "x", "--backbone", "offline", "-o", str(out))
    assert_clean_failure(p, *words)
    assert not out.exists() or not any(out.iterdir()), "partial output left behind"


@pytest.mark.parametrize(
    "args,words",
    [
        (["--budget", "0"], ["budget"]),
        (["--budget", "1.5"], ["budget"]),
        (["-q", "   "], ["query"]),
        (["--fps", "-1"], ["fps"]),
        (["--video-preset", "fastest"], ["video-preset", "ultrafast"]),
    ],
)
def test_bad_options(tmp_path, args, words):
    p = run(
        "summarize",
        str(VIDEOS / "bigbuckbunny_5s.mp4"),
        "--backbone",
        "offline",
        "-o",
        str(tmp_path / "o"),
        *args,
    )
    assert_clean_failure(p, *words)


def test_unwritable_output_dir(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    os.chmod(ro, 0o500)
    target = ro / "sub" if os.geteuid() == 0 else ro
    if os.geteuid() == 0:  # root ignores permissions: use a path under a regular file instead
        blocker = tmp_path / "file"
        blocker.write_text("x")
        target = blocker / "out"
    p = run("summarize", str(VIDEOS / "bigbuckbunny_5s.mp4"), "--backbone", "offline", "-o", str(target))
    assert_clean_failure(p, str(target.name))


def test_checkpoint_that_is_not_vidgist(tmp_path):
    bogus = tmp_path / "model.safetensors"
    bogus.write_bytes(b"\x00" * 64)
    p = run(
        "summarize",
        str(VIDEOS / "bigbuckbunny_5s.mp4"),
        "--backbone",
        "offline",
        "--no-asr",
        "--scorer",
        str(bogus),
        "-o",
        str(tmp_path / "o"),
    )
    assert_clean_failure(p, "model.safetensors")
