"""`vidgist prepare`: every model cache made (or found) in the cache folder, and one clear line when the
folder cannot be written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vidgist.backbones.mpnet import MPNET, MPNET_EXPANDED
from vidgist.cli.main import main
from vidgist.summarize.prepare import STEPS
from vidgist.util.cache import cache_dir


def test_prepare_reports_every_step_and_leaves_the_caches(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prepare", "--json"]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert Path(report["cache"]) == cache_dir()
    assert [row["step"] for row in report["steps"]] == [name for name, _, _ in STEPS]
    assert all(row["skipped"] == "" for row in report["steps"])  # the test extras install every model
    assert all(f"{name}: ready" in err for name, _, _ in STEPS)
    onnx = {p.name.split("-")[0] for p in (cache_dir() / "onnx").glob("*.onnx")}
    assert {"efficientnet", "all"} <= onnx
    for model in (MPNET, MPNET_EXPANDED):
        assert list((cache_dir() / "onnx").glob(f"{model.name}-*.onnx")), model.name
    assert list(cache_dir().glob("imagenet-prompts-all-mpnet-base-v2*.npy"))
    assert list(cache_dir().glob("topic-nouns-*.npy"))
    assert len(list((cache_dir() / "ocr").glob("*.onnx"))) == 2
    assert (cache_dir() / "whisper-base" / "model.bin").is_file()


def test_an_unwritable_cache_folder_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("VIDGIST_CACHE", str(blocker / "cache"))
    assert main(["prepare", "--no-speech"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert str(blocker / "cache") in err[0] and "VIDGIST_CACHE" in err[0]
