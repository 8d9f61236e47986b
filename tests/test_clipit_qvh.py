"""Query-focused CLIP-It training on QVHighlights-format annotations (real annotations,
made-up clip features)."""

from __future__ import annotations

import json
from pathlib import Path

import h5py
import numpy as np
import yaml
from conftest import SHARED

from vidgist.cli.main import main

QVH = SHARED / "data" / "qvhighlights"


def test_qvhighlights_training_reports_fscore_rank_and_highlight_metrics(tmp_path: Path) -> None:
    lines = (QVH / "data_highlight_val_release.jsonl").read_text().splitlines()[:14]
    recs = [json.loads(x) for x in lines]
    (tmp_path / "train.jsonl").write_text("\n".join(lines[:10]) + "\n")
    (tmp_path / "test.jsonl").write_text("\n".join(lines[10:]) + "\n")
    rng = np.random.default_rng(0)
    with h5py.File(tmp_path / "clips.h5", "w") as f:
        for r in recs:
            if r["vid"] not in f:
                n = int(r["duration"] // 2)
                f.create_group(r["vid"]).create_dataset(
                    "features", data=rng.standard_normal((n, 16)).astype("f4")
                )
    with h5py.File(tmp_path / "queries.h5", "w") as f:
        for r in recs:
            f.create_group(str(r["qid"])).create_dataset(
                "text_features", data=rng.standard_normal((1, 8)).astype("f4")
            )
    cfg = {
        "name": "qvh",
        "format": "qvhighlights",
        "annotations_train": "train.jsonl",
        "annotations_test": "test.jsonl",
        "video_features": "clips.h5",
        "query_features": "queries.h5",
        "backbone": "test",
        "epochs": 2,
        "batch_size": 4,
        "clip_it": {"d_model": 16, "ff": 32, "layers": 1},
    }
    (tmp_path / "cfg.yaml").write_text(yaml.safe_dump(cfg))
    rc = main(["train", "clip-it", str(tmp_path / "cfg.yaml"), "-o", str(tmp_path / "run"), "--no-progress"])
    assert rc == 0
    res = json.loads((tmp_path / "run" / "split0_seed0" / "result.json").read_text())
    assert res["setting"] == "query-focused" and res["n_test"] == 4 and res["n_train"] + res["n_val"] == 10
    assert 0.0 <= res["test_fscore"] <= 1.0 and -1.0 <= res["test_kendall"] <= 1.0
    hl = res["highlight"]["HL-min-VeryGood"]
    assert 0.0 <= hl["HL-mAP"] <= 100.0 and 0.0 <= hl["HL-Hit1"] <= 100.0
    summary = json.loads((tmp_path / "run" / "results.json").read_text())
    assert summary["format"] == "qvhighlights" and "highlight" in summary["per_split"][0]
