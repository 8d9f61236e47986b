"""`vidgist train qms`, `vidgist eval qms`, `vidgist datasets make-qms` end to end on small real data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SHARED

from vidgist.cli.main import main
from vidgist.data.qms_items import load_items, save_items
from vidgist.data.synthetic_qms import SyntheticQMSSpec, make_qms_dataset


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    items = make_qms_dataset(SyntheticQMSSpec(n_train=24, n_eval=6, n_test=8, seed=3))
    folder = tmp_path_factory.mktemp("qms_layout")
    save_items(folder, items)
    return folder


def test_layout_round_trip(layout: Path) -> None:
    items = load_items(layout)
    again = make_qms_dataset(SyntheticQMSSpec(n_train=24, n_eval=6, n_test=8, seed=3))
    assert [i.item_id for i in items] == [i.item_id for i in again]
    assert items[5].queries == again[5].queries and items[5].transcript == again[5].transcript
    assert items[5].features.shape == again[5].features.shape


def test_train_then_eval_writes_results(layout: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "qms.yaml"
    cfg.write_text(
        f"data: {layout}\nout: {tmp_path / 'run'}\npreset: tiny\nmodel:\n  frame_dim: 32\n  beta: 0.0\n"
        "epochs: 2\nbatch_size: 8\nlr: 1.0e-3\nthreads: 1\neval_beams: 4\n"
    )
    assert main(["train", "qms", str(cfg)]) == 0
    res = json.loads((tmp_path / "run" / "results.json").read_text())
    assert "validation" in res["selection_rule"] and "test split unused" in res["selection_rule"]
    assert res["split"] == "test" and res["task"] == "qms"
    gen = res["metrics"]["qms"]["generation"]
    assert set(gen) >= {"BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4", "ROUGE-L", "CIDEr"}
    assert set(res["metrics"]["qms"]["retrieval"]) == {"bm25", "dense"}
    assert (
        "R@1" in res["metrics"]["qms"]["retrieval"]["bm25"]
        and "Acc@30" in res["metrics"]["lead"]["retrieval"]["dense"]
    )
    assert res["training"]["best_epoch"] in (1, 2)
    out = tmp_path / "eval.json"
    rc = main(
        [
            "eval",
            "qms",
            str(layout),
            "--checkpoint",
            str(tmp_path / "run" / "checkpoint"),
            "-o",
            str(out),
            "--no-retrieval",
        ]
    )
    assert rc == 0
    ev = json.loads(out.read_text())
    assert ev["metrics"]["checkpoint"]["generation"]["CIDEr"] == pytest.approx(gen["CIDEr"], abs=1e-9)


def test_bad_config_key_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("data: x\nepochz: 3\n")
    assert main(["train", "qms", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert "epochz" in err and "Traceback" not in err


def test_make_qms_from_videos_and_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "video,query\nnarrated_demo_24s.mp4,white rabbit forest\nnarrated_demo_24s.mp4,bicycle race\n"
        "bikes_10s,mountain bike\nmissing_clip.mp4,nothing here\n"
    )
    make_qms = [
        "datasets",
        "make-qms",
        str(SHARED / "videos"),
        str(log),
        "-o",
        str(tmp_path / "L"),
        "--asr-model",
        "tiny.en",
    ]
    rc = main(make_qms)
    assert rc == 2  # one logged video is missing: reported, not fatal
    assert "missing_clip.mp4" in capsys.readouterr().err
    items = {i.item_id: i for i in load_items(tmp_path / "L")}
    assert set(items) == {"narrated_demo_24s.mp4", "bikes_10s"}
    demo = items["narrated_demo_24s.mp4"]
    assert demo.queries == ("white rabbit forest", "bicycle race")
    assert demo.features.shape == (24, 1280) and "rabbit" in demo.transcript.lower()
    meta = json.loads((tmp_path / "L" / "features.json").read_text())
    assert meta["backbone"] == "offline" and meta["frame_dim"] == 1280
    # a second build re-uses the cache (no new cache files)
    n_cache = len(list((tmp_path / "L" / "cache").iterdir()))
    main(make_qms)
    assert len(list((tmp_path / "L" / "cache").iterdir())) == n_cache
