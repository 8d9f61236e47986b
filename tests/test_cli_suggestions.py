"""Advice in error messages leads somewhere: every flag or command a message suggests exists, and each
suggestion that can be run is run once and gets past the error.

Two parts:

* a walk over every ``InputError/DataError/ModelError/OutputError/VidgistError(...)`` message in ``src/``
  that suggests an action ("pass", "use" or a ``--flag``): each ``--flag`` it names is an option of the
  ``vidgist`` command it names (or of some command), and each ``vidgist CMD`` it names exists;
* a table of messages produced for real, whose suggestion (a flag, a value from the message, or the
  command the config's ``prepare`` names) is taken out of the message text and run.
"""

from __future__ import annotations

import ast
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import yaml
from conftest import REPO, VIDEOS, synthetic_clip_it

from vidgist.cli.main import _register, main

ERRORS = {"InputError", "DataError", "ModelError", "OutputError", "VidgistError"}
ADVICE = re.compile(r"\b(pass|use)\b|--[a-z]")
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
COMMAND = re.compile(r"\bvidgist ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?")


def _text(node: ast.expr) -> str | None:
    """The literal text of a message argument; formatted values become ``{}``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)  # type: ignore[misc]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        a, b = _text(node.left), _text(node.right)
        return None if a is None or b is None else a + b
    return None


def advice_messages() -> list[tuple[str, str]]:
    """(file:line, message text) of every error message in src/ that suggests an action (or names an option
    checked by ``check_range``)."""
    out = []
    for py in sorted((REPO / "src" / "vidgist").rglob("*.py")):
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
                continue
            msg = _text(node.args[0])
            if node.func.id == "check_range" and msg:  # its InputError reads "OPTION VALUE: must be ..."
                msg = f"{msg} {{}}: must be in range"
            elif node.func.id not in ERRORS:
                continue
            if msg is not None and ADVICE.search(msg):
                out.append((f"{py.relative_to(REPO)}:{node.lineno}", msg))
    return out


def command_options() -> dict[str, set[str]]:
    """{"summarize": {"--budget", ...}, "eval summary": {...}, ...} from the real click command tree."""
    _register()
    from vidgist.cli.apps import app

    root = typer.main.get_command(app)
    out: dict[str, set[str]] = {}

    def walk(cmd: typer.core.TyperGroup | typer.core.TyperCommand, path: str) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, f"{path} {name}".strip())
        else:
            out[path] = {o for p in cmd.params for o in (*p.opts, *p.secondary_opts) if o.startswith("--")}

    walk(root, "")
    return out


def test_the_walk_finds_the_messages() -> None:
    msgs = [m for _, m in advice_messages()]
    assert len(msgs) >= 30  # the walk really reads the package
    assert any("--no-match-number" in m for m in msgs) and any("--budget" in m for m in msgs)


def test_every_suggested_flag_and_command_exists() -> None:
    opts = command_options()
    every_flag = set().union(*opts.values()) | {"--help", "--version"}
    commands = {c.split()[0] for c in opts} | set(opts)
    problems = []
    for where, msg in advice_messages():
        named = [" ".join(x for x in m.groups() if x) for m in COMMAND.finditer(msg)]
        for cmd in named:
            full = cmd if cmd in opts else cmd.split()[0]
            if full not in commands:
                problems.append(f"{where}: names 'vidgist {cmd}', which does not exist: {msg}")
        for flag in FLAG.findall(msg.split("pip install")[0]):  # pip's own flags are pip's business
            own = [c for c in named if c in opts]
            allowed = set().union(*(opts[c] for c in own)) if own else every_flag
            if flag not in allowed:
                problems.append(f"{where}: suggests {flag}, not an option of {own or 'any command'}: {msg}")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------------
# suggestions run once


def _err(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().err.strip()


@pytest.fixture(scope="module")
def summ(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A small eccv16 set + splits + predictions, and a CLIP-It config that uses them."""
    from vidgist.data.h5 import read_eccv16

    d = tmp_path_factory.mktemp("advice")
    paths, cfg = synthetic_clip_it(d)
    preds = {k: v.gtscore.tolist() for k, v in read_eccv16(paths["dataset"]).items()}
    (d / "pred.json").write_text(json.dumps(preds))
    (d / "cfg.yaml").write_text(yaml.safe_dump(cfg))
    return {"dir": d, "cfg": d / "cfg.yaml", "pred": d / "pred.json", **paths}


def test_budget_example_value_works(summ: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "eval",
        "summary",
        "--h5",
        str(summ["dataset"]),
        "--pred",
        str(summ["pred"]),
        "--splits",
        str(summ["splits"]),
    ]
    assert main([*args, "--budget", "5"]) == 2
    value = re.search(r"e\.g\. ([0-9.]+)", _err(capsys)).group(1)  # type: ignore[union-attr]
    assert main([*args, "--budget", value]) == 0, _err(capsys)


def test_splits_and_model_advice_works(summ: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    run = ["train", "clip-it", str(summ["cfg"]), "-o", str(summ["dir"] / "run"), "--no-progress"]
    assert main([*run, "--splits", "9"]) == 2
    msg = _err(capsys)
    assert "split_indices" not in msg.split(";")[-1].split("(")[0]  # the flag is named, not the field
    last = re.search(r"numbered 0\.\.(\d+)", msg).group(1)  # type: ignore[union-attr]
    assert re.search(r"--splits\b", msg)
    assert main([*run, "--model", "foo"]) == 2
    choices = re.search(r"use one of (.*)$", _err(capsys)).group(1).split(", ")  # type: ignore[union-attr]
    assert "uniform" in choices
    assert main([*run, "--splits", last, "--model", "uniform"]) == 0, _err(capsys)


def test_match_number_advice_works(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gt = [
        {
            "qid": q,
            "query": f"query {q}",
            "vid": f"v{q}",
            "duration": 150,
            "relevant_windows": [[10, 20]],
            "relevant_clip_ids": [5, 6, 7, 8, 9],
            "saliency_scores": [[2, 3, 4]] * 5,
        }
        for q in (1, 2)
    ]
    (tmp_path / "gt.jsonl").write_text("".join(json.dumps(r) + "\n" for r in gt))
    pred = {
        "qid": 1,
        "vid": "v1",
        "pred_relevant_windows": [[10, 20, 0.9]],
        "pred_saliency_scores": [0.1] * 75,
    }
    (tmp_path / "pred.jsonl").write_text(json.dumps(pred) + "\n")
    args = [
        "eval",
        "qvhighlights",
        "--pred",
        str(tmp_path / "pred.jsonl"),
        "--gt",
        str(tmp_path / "gt.jsonl"),
    ]
    assert main(args) == 2
    flags = FLAG.findall(_err(capsys))
    assert flags == ["--no-match-number"]
    assert main([*args, *flags]) == 0, _err(capsys)


def _run_prepare(msg: str, tmp: Path) -> None:
    """Run the command after 'make it first:' with this interpreter (the message says ``python``)."""
    cmd = shlex.split(msg.split("make it first: ", 1)[1])
    assert cmd[0] == "python"
    p = subprocess.run(
        [sys.executable, *cmd[1:]],
        capture_output=True,
        text=True,
        cwd=tmp,
        timeout=600,
        env={**__import__("os").environ, "PYTHONPATH": str(REPO / "src")},
    )
    assert p.returncode == 0, p.stderr


def _config_copy(tmp: Path, name: str) -> Path:
    """configs/NAME in a fresh folder beside a link to benchmarks/, as in a checkout."""
    (tmp / "configs").mkdir(parents=True)
    (tmp / "benchmarks").symlink_to(REPO / "benchmarks")
    dst = tmp / "configs" / name
    dst.write_text((REPO / "configs" / name).read_text())
    return dst


def _prepare_from_elsewhere(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    run: list[str],
    missing: str,
) -> Path:
    """``run`` + configs/NAME (copied into tmp_path/checkout) from another working directory: exit 2, the
    error names ``missing`` and the command that makes it, nothing is written; then that command is run.
    ``run[-1]`` is NAME; returns the copied config."""
    cfg = _config_copy(tmp_path / "checkout", run[-1])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the convention: paths are relative to the config, not the working dir
    assert main([*run[:-1], str(cfg)]) == 2
    msg = _err(capsys)
    assert f"{missing} not found; make it first: python " in msg
    assert list(elsewhere.iterdir()) == []  # inputs checked before anything is written
    _run_prepare(msg, elsewhere)
    return cfg


def test_clip_it_config_names_what_makes_its_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = ["train", "clip-it", "--model", "uniform", "--splits", "0", "--no-progress", "-o", "run"]
    cfg = _prepare_from_elsewhere(
        tmp_path, monkeypatch, capsys, [*run, "clip_it_synthetic.yaml"], "synthetic.h5"
    )
    assert (tmp_path / "checkout" / "data" / "synthetic" / "synthetic.h5").is_file()
    assert main([*run, str(cfg)]) == 0, _err(capsys)
    assert json.loads((tmp_path / "elsewhere" / "run" / "results.json").read_text())["git_commit"] is not None


def test_qms_config_names_what_makes_its_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from vidgist.data.qms_items import load_items
    from vidgist.train.qms import load_train_config

    run = ["train", "qms", "qms_synthetic.yaml"]
    cfg = _prepare_from_elsewhere(tmp_path, monkeypatch, capsys, run, "qms_synthetic")
    loaded = load_train_config(cfg)  # the error is gone: data found beside the config, out beside it too
    assert Path(loaded.data) == tmp_path / "checkout" / "data" / "qms_synthetic"
    assert Path(loaded.out) == tmp_path / "checkout" / "runs" / "qms_synthetic"
    assert len(load_items(loaded.data)) > 0


def test_asr_model_choice_works(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    video = str(VIDEOS / "bikes_10s.mp4")
    run = ["summarize", video, "--no-ocr", "--no-video", "--backbone", "offline", "-o", str(tmp_path / "o")]
    assert main([*run, "--asr-model", "bogus"]) == 2
    choice = re.search(r"use one of ([^ ,]+)", _err(capsys)).group(1)  # type: ignore[union-attr]
    assert main([*run, "--asr-model", choice]) == 0, _err(capsys)


def test_checkpoint_for_synthetic_features_suggests_no_backbone_that_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from vidgist.models.clip_it import ClipIt, ClipItConfig
    from vidgist.scorers.checkpoint import save_checkpoint

    ckpt = tmp_path / "synthetic.safetensors"
    model = ClipIt(ClipItConfig(frame_dim=32, text_dim=24, d_model=16, ff=32, layers=1))
    save_checkpoint(ckpt, model, "clip-it", "synthetic", 32, 24)
    rc = main(
        [
            "summarize",
            str(VIDEOS / "bikes_10s.mp4"),
            "--scorer",
            str(ckpt),
            "--backbone",
            "offline",
            "--no-asr",
            "--no-ocr",
            "--no-video",
            "-o",
            str(tmp_path / "o"),
        ]
    )
    msg = _err(capsys)
    assert rc == 2 and "--backbone synthetic" not in msg
    assert "no --backbone computes 'synthetic' features" in msg
    for flag in FLAG.findall(msg):
        assert flag in command_options()["features extract"] | command_options()["summarize"]
