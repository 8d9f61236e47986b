"""The six shipped SSPVS fine-tuning configs hold the authors' per-setting values and each trains.

The values are those of the authors' ``cfgs/{ts,sm}_{c,a,t}.yaml`` (stages = ``iter``, ``lr``,
``max_epochs``, ``batch_size_train``, ``set_multiply`` (1 when absent)); every config runs 2 epochs on a
tiny synthetic dataset with its own optimiser settings (data, width and epochs overridden)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vidgist.train.sspvs_config import SSPVSTrainConfig, load_config

CONFIGS = Path(__file__).resolve().parents[1] / "configs"

#: config -> (stages, lr, epochs, batch, set_multiply)
AUTHORS: dict[str, tuple[int, float, int, int, int]] = {
    "sspvs_tvsum_canonical.yaml": (4, 5e-5, 40, 4, 1),
    "sspvs_summe_canonical.yaml": (3, 1e-4, 40, 2, 4),
    "sspvs_tvsum_augmented.yaml": (1, 1e-4, 40, 4, 2),
    "sspvs_summe_augmented.yaml": (2, 1e-4, 40, 2, 2),
    "sspvs_tvsum_transfer.yaml": (2, 2e-6, 10, 16, 1),
    "sspvs_summe_transfer.yaml": (2, 5e-5, 10, 4, 2),
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from vidgist.data.synthetic_summ import write_synthetic_dataset

    return write_synthetic_dataset(tmp_path_factory.mktemp("sspvs-cfg"), n_videos=6, n_splits=2, seed=0)


@pytest.mark.parametrize("name", sorted(AUTHORS))
def test_config_has_the_authors_setting_and_trains_two_epochs(
    name: str, tiny: dict[str, Path], tmp_path: Path
) -> None:
    from vidgist.train.sspvs_finetune import run_experiment

    cfg = load_config(SSPVSTrainConfig, CONFIGS / name)
    stages, lr, epochs, batch, multiply = AUTHORS[name]
    assert (cfg.stages, cfg.epochs, cfg.batch_size, cfg.set_multiply) == (stages, epochs, batch, multiply)
    assert cfg.lr == pytest.approx(lr) and cfg.weight_decay == 0.0 and cfg.grad_clip == 0.0
    assert cfg.model["stage_dropout"] == [0.1] and cfg.selection == "validation"
    small: dict[str, Any] = {
        "dataset": str(tiny["dataset"]),
        "splits": str(tiny["splits"]),
        "backbone": "synthetic",
        "pretrained": "",
        "text_guidance": False,
        "epochs": 2,
        "seeds": [0],
        "split_indices": [0],
        "clip_len": 16,
        "user_scores": "",
        "model": {**cfg.model, "heads": 2, "layers": 1, "ff_mult": 1},
    }
    run = load_config(SSPVSTrainConfig, CONFIGS / name, small)
    res = run_experiment(run, tmp_path / "run", resume=False)
    assert res["stages"] == stages and res["config_used"]["set_multiply"] == multiply
    assert res["config_used"]["lr"] == pytest.approx(lr)
    assert 0.0 <= res["mean_fscore"] <= 1.0
    import json

    r0 = json.loads((tmp_path / "run" / "split0_seed0" / "result.json").read_text())
    assert r0["epochs"] == 2 and 1 <= r0["best_epoch"] <= 2
