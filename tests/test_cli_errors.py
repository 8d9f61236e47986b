"""What a new user hits: each usage error and bad value -> exit 2 and one clear first line, never a traceback.

One table: (arguments, expected exit code, expected start of the first stderr line, text the error must name).
The commands run in-process through ``vidgist.cli.main.main`` (the same function the ``vidgist`` script runs);
two run as real processes to cover ``python -m vidgist`` and the offline hub path.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import QUICK_FLAGS, REPO, VIDEOS, synthetic_clip_it

from vidgist.cli.main import main
from vidgist.version import __version__

BIKES = str(VIDEOS / "bikes_10s.mp4")
E = "vidgist: error: "


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Inputs the table refers to: a still image named .mp4, a silent clip, a CLIP-It dataset + config."""
    from PIL import Image
    from videogen import make_video

    d = tmp_path_factory.mktemp("clierr")
    Image.new("RGB", (64, 48), (200, 10, 10)).save(d / "photo.png")
    (d / "photo.mp4").write_bytes((d / "photo.png").read_bytes())
    make_video(
        d / "silent.mp4", [{"duration": 2.0, "color": (40, 120, 200)}], fps=10, size=(160, 120), audio=False
    )
    _, cfg = synthetic_clip_it(d, epochs=1)
    (d / "cfg.yaml").write_text(yaml.safe_dump(cfg))
    (d / "nodata.yaml").write_text(yaml.safe_dump({**cfg, "dataset": "nowhere/x.h5"}))
    (d / "qms.yaml").write_text("data: nowhere/qms\nout: qms-run\n")
    return {
        "dir": d,
        "photo": d / "photo.mp4",
        "silent": d / "silent.mp4",
        "cfg": d / "cfg.yaml",
        "nodata": d / "nodata.yaml",
        "qms": d / "qms.yaml",
    }


# (args with {placeholders}, exit code, first stderr line starts with, the error line contains)
TABLE: list[tuple[list[str], int, str, str]] = [
    (
        ["summarize", "--bogus", "x"],
        2,
        "Usage: vidgist summarize [OPTIONS]",
        "Error: No such option: --bogus",
    ),
    (["summarize"], 2, "Usage: vidgist summarize [OPTIONS]", "Error: Missing argument"),
    (["nosuchcmd"], 2, "Usage: vidgist [OPTIONS] COMMAND", "Error: No such command 'nosuchcmd'"),
    (["query", "X", "-n", "0"], 2, E + "-n 0: must be an integer in [1, 20]", ""),
    (["summarize", "{dir}/missing.mp4", "--no-asr"], 2, E + "{dir}/missing.mp4", ""),
    (["summarize", "{photo}", "--no-asr"], 2, E + "{photo}: a still image (PNG), not a video", ""),
    (["summarize", BIKES, "--budget", "5"], 2, E + "--budget 5: must be a ratio in (0, 1]", ""),
    (["summarize", BIKES, "--budget", "nan"], 2, E + "--budget nan: must be a ratio in (0, 1]", ""),
    (
        ["summarize", BIKES, "--chapter-count", "0"],
        2,
        E + "--chapter-count 0: must be a whole number of chapters >= 1",
        "",
    ),
    (
        ["summarize", BIKES, "--max-seconds", "-1"],
        2,
        E + "--max-seconds -1: must be a positive number of seconds",
        "",
    ),
    (
        ["summarize", BIKES, "--fps", "1000"],
        2,
        E + "--fps 1000: must be a number of frames per second in (0, 60]",
        "",
    ),
    (["summarize", "{silent}", "--asr-model", "bogus"], 2, E + "--asr-model bogus: unknown", "tiny.en, base"),
    (["summarize", BIKES, "--shots", "uniform:0"], 2, E + "--shots 'uniform:0'", ""),
    (
        ["eval", "summary", "--h5", "a.h5", "--pred", "p.json", "--splits", "s.json", "--budget", "-1"],
        2,
        E + "--budget -1: must be a ratio in (0, 1]",
        "",
    ),
    (
        ["eval", "summary", "--h5", "a.h5", "--pred", "p.json", "--splits", "s.json", "--budget", "5"],
        2,
        E + "--budget 5: must be a ratio in (0, 1]",
        "",
    ),
    (
        ["eval", "human-baseline", "--anno", "a.tsv", "--stride", "0"],
        2,
        E + "--stride 0: must be an integer >= 1",
        "",
    ),
    (
        ["features", "extract", "{dir}", "-o", "{dir}/f.h5", "--fps", "1000"],
        2,
        E + "--fps 1000: must be a number of frames per second in (0, 60]",
        "",
    ),
    (
        ["datasets", "make-h5", "{dir}", "a.csv", "-o", "{dir}/m.h5", "--budget", "1.5"],
        2,
        E + "--budget 1.5: must be a ratio in (0, 1)",
        "",
    ),
    (["datasets", "check", "{dir}/nowhere"], 2, E + "{dir}/nowhere: no such folder", ""),
    (
        ["search", "x", "--db", "{dir}/lib.sqlite", "--line", "everywhere"],
        2,
        E + "--line everywhere",
        "scored",
    ),
    (["train", "clip-it", "{cfg}", "--model", "foo"], 2, E + "--model foo: unknown", "clip-it, pgl-sum"),
    (["train", "clip-it", "{cfg}", "--epochs", "0"], 2, E + "--epochs 0: must be an integer >= 1", ""),
    (
        ["train", "clip-it", "{cfg}", "--splits", "9", "-o", "{dir}/run-splits"],
        2,
        E + "{dir}/data/synthetic_splits.json: has 2 splits, numbered 0..1; --splits",
        "",
    ),
    (
        ["train", "clip-it", "{nodata}", "-o", "{dir}/run-nodata"],
        2,
        E + "{nodata}: dataset {dir}/nowhere/x.h5 not found",
        "relative paths are read from {dir}",
    ),
    (["train", "qms", "{qms}"], 2, E + "{qms}: data {dir}/nowhere/qms not found", ""),
    (["train", "qms", "{qms}", "--variant", "bart"], 2, E + "--variant bart: unknown", "bart_text"),
]


def _fill(s: str, files: dict[str, Path]) -> str:
    return s.format(**{k: str(v) for k, v in files.items()})


@pytest.mark.parametrize("args,code,first,contains", TABLE, ids=[" ".join(t[0][:3]) for t in TABLE])
def test_cli_table(
    args: list[str],
    code: int,
    first: str,
    contains: str,
    files: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # nothing may be written into the working directory either
    rc = main([_fill(a, files) for a in args])
    out = capsys.readouterr()
    lines = [ln for ln in out.err.splitlines() if ln.strip()]
    assert rc == code, out.err
    assert "Traceback" not in out.err
    assert lines and lines[0].startswith(_fill(first, files)), lines
    assert _fill(contains, files) in out.err
    if lines[0].startswith("vidgist: error:"):
        assert len(lines) == 1, lines  # one line, nothing else
    else:  # click's usage error: usage line, "Try ... --help", the error line
        assert lines[1].startswith("Try 'vidgist") and lines[-1].startswith("Error: "), lines
    assert list(tmp_path.iterdir()) == []
    assert not any(p.name.startswith("run-") for p in files["dir"].iterdir())  # no empty run folders


def test_version_and_bare_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"vidgist {__version__}"
    assert main([]) == 2  # click: no command -> help on stderr, usage exit code
    out = capsys.readouterr()
    assert "Usage: vidgist [OPTIONS] COMMAND" in out.out + out.err


def test_module_entry_point_passes_the_exit_code(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    p = subprocess.run(
        [sys.executable, "-m", "vidgist", "summarize", "--bogus", "x"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert p.stderr.splitlines()[0].startswith("Usage: vidgist summarize")


def test_clip_offline_fails_at_once_with_one_line(tmp_path: Path) -> None:
    """No network and no cached weights: one line naming the cause, no retry messages from the hub client."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "HF_HOME": str(tmp_path / "hf"),
        "HF_HUB_CACHE": str(tmp_path / "hf" / "hub"),
        "HF_ENDPOINT": "http://127.0.0.1:9",
    }
    env.pop("VIDGIST_CLIP", None)
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "vidgist",
            "summarize",
            BIKES,
            "--backbone",
            "clip",
            "--no-asr",
            "-o",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    err = [
        ln
        for ln in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", p.stderr).splitlines()
        if ln.strip() and "load backbone" not in ln
    ]  # the progress line of the loading step
    assert p.returncode == 2, p.stderr
    expect = E + "openai/clip-vit-base-patch32: CLIP weights not in the local Hugging Face cache"
    assert len(err) == 1 and err[0].startswith(expect), err
    assert not (tmp_path / "out").exists()


def test_summarize_prints_segments_on_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(
        [
            "summarize",
            BIKES,
            "-q",
            "bicycle",
            *QUICK_FLAGS,
            "--no-video",
            "--max-seconds",
            "1e9",
            "-o",
            str(tmp_path / "o"),
        ]
    )
    out = capsys.readouterr()
    assert "note: --max-seconds 1e+09 is not shorter than the video (10.00 s)" in out.err
    assert rc == 0, out.err
    doc = json.loads((tmp_path / "o" / "summary.json").read_text())
    rows = out.out.strip().splitlines()
    assert len(rows) == len(doc["segments"]) >= 1
    for row, seg in zip(rows, doc["segments"], strict=True):
        assert row.startswith(f"{seg['timestamps'][0]} - {seg['timestamps'][1]}  score {seg['score']:.3f}")
    n = len(doc["segments"])
    assert f"; {n} segment{'' if n == 1 else 's'}," in out.err
    assert doc["transcript"] == [] and doc["onscreen_text"] == []  # documented keys, even when empty
    assert doc["summary_video"] is None  # --no-video


def test_eval_without_output_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    hyp, ref = tmp_path / "h.jsonl", tmp_path / "r.jsonl"
    hyp.write_text('{"id": 1, "text": "a red car"}\n')
    ref.write_text('{"id": 1, "text": "a red car on a road"}\n')
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert main(["eval", "text", "--hyp", str(hyp), "--ref", str(ref)]) == 0
    out = capsys.readouterr()
    assert "BLEU-1" in out.out and "add -o FILE.json" in out.err
    assert list(work.iterdir()) == []
    assert main(["eval", "text", "--hyp", str(hyp), "--ref", str(ref), "-o", "res.json"]) == 0
    rec = json.loads((work / "res.json").read_text())
    assert "git_commit" in rec and rec["metrics"]["n"] == 1


def test_plural() -> None:
    from vidgist.cli.wording import plural

    assert [plural(n, "segment") for n in (0, 1, 2)] == ["0 segments", "1 segment", "2 segments"]
    assert plural(1, "query", "queries") == "1 query" and plural(3, "query", "queries") == "3 queries"


def test_range_wording_is_shared() -> None:
    from vidgist.errors import InputError
    from vidgist.util.ranges import check_range

    check_range("--x", None)  # not given: fine
    check_range("--x", 1, 1, 20, low_inclusive=True, integer=True)
    for bad in (0, 21, 1.5, float("inf")):
        with pytest.raises(InputError, match=r"^--x .*: must be an integer in \[1, 20\]$"):
            check_range("--x", bad, 1, 20, low_inclusive=True, noun="integer", integer=True)


def test_query_says_why_it_returned_fewer_than_asked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", BIKES, "-n", "20", "--asr-model", "tiny.en", "--no-ocr"]) == 0
    out = capsys.readouterr()
    got = len([ln for ln in out.out.splitlines() if re.match(r"\s+\d+\. ", ln)])
    assert 0 < got < 20  # a 10-s clip without speech has fewer distinct phrases than that
    assert f"{got} suggestion{'' if got == 1 else 's'} of the 20 asked for: only {got} distinct" in out.err
