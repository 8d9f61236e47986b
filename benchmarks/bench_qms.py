"""QMS benchmarks on this CPU: query-generation latency per video, training throughput, synthetic quality.

    python benchmarks/bench_qms.py latency [VIDEO...]     # keyframes + transcript + generation, per video
    python benchmarks/bench_qms.py throughput             # training videos/s for the tiny and cpu presets
    python benchmarks/bench_qms.py synthetic OUT_DIR      # write the synthetic set as a QMS layout folder
    python benchmarks/bench_qms.py quality [--quick]      # 5 seeds: Lead, random, QMS;
                                                          # Eq. 18 beta sweep (3 seeds)
    python benchmarks/bench_qms.py paper-config           # configs/qms_paper.yaml for one epoch

Latency runs the zero-shot generator and a QMS checkpoint of the 'cpu' preset with untrained weights
(timing does not depend on the weights; the checkpoint is made in a temp folder). Figures are printed.
Quality writes benchmarks/results/qms_quality.json (``--quick``: qms_quality.quick.json) and prints its
last line as JSON: mean and s.d. over seeds per method and per beta.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEFAULT_VIDEOS = [
    SHARED / "videos" / n for n in ("narrated_demo_24s.mp4", "bikes_10s.mp4", "bigbuckbunny_30s_360p.mp4")
]


def _untrained_checkpoint(folder: Path, frame_dim: int) -> Path:
    import torch

    from vidgist.models.qms import QMSConfig, new_qms_model, preset
    from vidgist.models.qms_tokenize import HFTokenizer, minilm_tokenizer_path
    from vidgist.qms.checkpoint import save_checkpoint

    torch.manual_seed(0)
    tok = HFTokenizer(minilm_tokenizer_path())
    cfg = QMSConfig.from_dict({**preset("cpu"), "tokenizer": "minilm", "frame_dim": frame_dim})
    model = new_qms_model(cfg, tok.vocab_size, tok.pad_id, tok.bos_id, tok.eos_id)
    return save_checkpoint(folder / "ck", model, tok, {"feature_backbone": "offline"})


def latency(videos: list[Path], asr: str) -> None:
    from vidgist.qms.query import QueryGenerator

    zs = QueryGenerator(asr_model=asr, backbone="offline")
    with tempfile.TemporaryDirectory() as tmp:
        ck = _untrained_checkpoint(Path(tmp), int(zs.backbone.frame_dim))
        qms = QueryGenerator(checkpoint=ck, asr_model=asr)
        zs.suggest(videos[0], n=5)  # warm-up: model loading is not per-video latency
        qms.suggest(videos[0], n=5)
        print(
            f"{'video':<28}{'mode':<11}{'dur s':>7}{'frames':>8}{'keyfr':>8}{'asr':>8}{'ocr':>8}{'feat':>8}"
            f"{'gen':>8}{'total':>8}"
        )
        for v in videos:
            from vidgist.media.video import probe

            dur = probe(v).duration
            for name, g in (("zero-shot", zs), ("qms", qms)):
                t0 = time.perf_counter()
                r = g.suggest(v, n=5)
                total = time.perf_counter() - t0
                s = r.seconds
                print(
                    f"{v.name[:27]:<28}{name:<11}{dur:7.1f}{r.n_keyframes:8d}{s.get('keyframes', 0):8.2f}"
                    f"{s.get('transcript', 0):8.2f}{s.get('ocr', 0):8.2f}{s.get('features', 0):8.2f}"
                    f"{s.get('generation', 0):8.2f}{total:8.2f}"
                )


def throughput() -> None:
    from vidgist.data.synthetic_qms import SyntheticQMSSpec, make_qms_dataset
    from vidgist.qms.encode import query_distributions
    from vidgist.train.qms import QMSTrainConfig, train_qms

    long_text = {"transcript_words": (150, 180), "frame_dim": 1280}
    for name, spec, model, bs, epochs in (
        ("tiny", SyntheticQMSSpec(n_train=128, n_eval=16, n_test=0), {"frame_dim": 32}, 32, 2),
        (
            "cpu",
            SyntheticQMSSpec(n_train=64, n_eval=8, n_test=0, **long_text),
            {"frame_dim": 1280, "tokenizer": "minilm"},
            32,
            2,
        ),
        (
            "paper",
            SyntheticQMSSpec(n_train=16, n_eval=4, n_test=0, **long_text),
            {"frame_dim": 1280, "tokenizer": "minilm"},
            8,
            1,
        ),
    ):
        items = make_qms_dataset(spec)
        probs = query_distributions([i for i in items if i.split == "train"], 0.75, None, uniform=True)
        for variant, flags in (("qms", {}), ("bart_mm", {})):  # qms: + 2 greedy unimodal decodes per step
            cfg = QMSTrainConfig(
                variant=variant,
                preset=name,
                model={**model, **flags},
                epochs=epochs,
                batch_size=bs,
                lr=1e-3,
                select_every=100,
                eval_beams=1,
            )
            tr = train_qms(items, cfg, probs=probs, progress=False)
            print(
                f"preset {name:<5} variant {variant:<8} params {tr.model.n_parameters() / 1e6:6.2f} M  "
                f"train {tr.videos_per_second:7.1f} videos/s (batch {bs}, {epochs} epoch(s))"
            )


def _stats(table: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, Any]]:
    """mean and sample s.d. (n - 1) of each figure list, with the per-seed values."""
    import statistics

    def sd(xs: list[float]) -> float:
        return round(statistics.stdev(xs), 2) if len(xs) > 1 else 0.0

    return {
        name: {
            **{f"{k}_mean": round(statistics.fmean(v), 2) for k, v in row.items()},
            **{f"{k}_sd": sd(v) for k, v in row.items()},
            "per_seed": row,
        }
        for name, row in table.items()
    }


def paper_config_run(config: Path) -> dict[str, Any]:
    """One epoch of configs/qms_paper.yaml on 16 synthetic videos with 512-d frames: every setting of the
    file (preset, beta, regulariser, lr, batch, tau, lambda, mu, lengths, beams, query encoder) except the
    pretrained Chinese BART, whose weights are not installable offline: the same architecture starts
    from random weights, the bundled WordPiece tokenizer replaces BART's, and metrics are in English."""
    from vidgist.data.qms_items import save_items
    from vidgist.data.synthetic_qms import SyntheticQMSSpec, make_qms_dataset
    from vidgist.train.qms import evaluate_qms, load_train_config, train_qms

    with tempfile.TemporaryDirectory() as tmp:
        items = make_qms_dataset(SyntheticQMSSpec(n_train=16, n_eval=4, n_test=4, frame_dim=512))
        data = save_items(Path(tmp) / "qms", items)
        cfg = load_train_config(config, {"data": str(data), "epochs": 1})
        cfg.model = {**cfg.model, "backbone": "scratch", "tokenizer": "minilm"}
        cfg.lang, cfg.out = "en", str(Path(tmp) / "run")
        t0 = time.perf_counter()
        tr = train_qms(items, cfg, progress=False)
        res = evaluate_qms(tr, items, "test", retrieval=False, num_beams=cfg.eval_beams)
        return {
            "config": str(config.name),
            "epochs": 1,
            "parameters_M": round(tr.model.n_parameters() / 1e6, 1),
            "beta": cfg.model.get("beta"),
            "regularizer": cfg.model.get("regularizer"),
            "seconds": round(time.perf_counter() - t0, 1),
            "test_cider": round(100 * float(res["generation"]["CIDEr"]), 2),
            "note": "random-weight BART of the paper's size (no pretrained weights offline); checks the "
            "config runs, not its quality",
        }


def quality(quick: bool, workers: int) -> None:
    import json

    from results_io import write_results

    from vidgist.train.qms import QMSTrainConfig, selection_rule
    from vidgist.train.qms_synthetic import QUALITY_SPEC, QUALITY_TRAIN, SWEEP_BETAS, quality_report

    t0 = time.perf_counter()
    rule = selection_rule(QMSTrainConfig(**QUALITY_TRAIN))
    seeds, sweep_seeds = ((0, 1), (0,)) if quick else ((0, 1, 2, 3, 4), (0, 1, 2))
    betas = (0.005, 0.5) if quick else SWEEP_BETAS
    runs = ("qms",)  # Lead and random beside it; BART (MM) is in the CI check
    print(
        f"QMS quality on the synthetic set ({QUALITY_SPEC.n_train} train / {QUALITY_SPEC.n_eval} eval / "
        f"{QUALITY_SPEC.n_test} test videos per seed; {QUALITY_TRAIN['epochs']} epochs; BLEU-4 and CIDEr "
        f"x 100 on test, mean +- s.d. over seeds {list(seeds)})\nCheckpoint selection: {rule}",
        flush=True,
    )
    rep = quality_report(seeds, sweep_seeds, betas, runs, workers)
    methods, sweep = _stats(rep["methods"]), _stats(rep["beta_sweep"])
    for name, r in methods.items():
        b4 = f"B-4 {r['bleu4_mean']:6.2f} +- {r['bleu4_sd']:5.2f}"
        print(f"  {name:<12} {b4}  CIDEr {r['cider_mean']:6.2f} +- {r['cider_sd']:5.2f}")
    print(f"Eq. 18 as printed (beta ||Theta||_F in the loss), seeds {list(sweep_seeds)}:")
    for b, r in sweep.items():
        print(f"  beta={b:<8} CIDEr {r['cider_mean']:6.2f} +- {r['cider_sd']:5.2f}")
    figures = {"methods": methods, "beta_sweep": sweep, "training_cpu_s": rep["cpu_s"]}
    config = {
        "spec": QUALITY_SPEC.__dict__,
        "train": QUALITY_TRAIN,
        "selection": rule,
        "runs": list(runs),
        "betas": list(betas),
    }
    write_results(
        "qms_quality",
        figures,
        seeds=list(seeds),
        config={**config, "sweep_seeds": list(sweep_seeds)},
        wall_s=time.perf_counter() - t0,
        quick=quick,
    )
    keys = ("cider_mean", "cider_sd", "bleu4_mean", "bleu4_sd")
    last = {
        "selection": rule,
        "methods": {k: {m: v[m] for m in keys} for k, v in methods.items()},
        "beta_sweep": {k: {m: v[m] for m in keys[:2]} for k, v in sweep.items()},
    }
    print(json.dumps(last))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["latency", "throughput", "quality", "synthetic", "paper-config"])
    ap.add_argument("videos", nargs="*", type=Path)
    ap.add_argument("--asr", default="base")
    ap.add_argument("--seed", type=int, default=0, help="synthetic: the data seed")
    ap.add_argument("--workers", type=int, default=2, help="parallel training processes (quality)")
    ap.add_argument("--quick", action="store_true", help="quality: 2 seeds, 2 betas on 1 seed (CI-sized)")
    a = ap.parse_args()
    import torch

    torch.set_num_threads(2)
    if a.what == "latency":
        latency(a.videos or DEFAULT_VIDEOS, a.asr)
    elif a.what == "throughput":
        throughput()
    elif a.what == "synthetic":
        from vidgist.data.qms_items import save_items
        from vidgist.train.qms_synthetic import synthetic_items

        if len(a.videos) != 1:
            ap.error("synthetic needs one OUT_DIR")
        print(save_items(a.videos[0], synthetic_items(a.seed)))
    elif a.what == "paper-config":
        import json

        from results_io import write_results

        t0 = time.perf_counter()
        r = paper_config_run(Path(__file__).resolve().parents[1] / "configs" / "qms_paper.yaml")
        write_results(
            "qms_paper_config",
            r,
            seeds=[0],
            config={"config": "configs/qms_paper.yaml"},
            wall_s=time.perf_counter() - t0,
        )
        print(json.dumps(r))
    else:
        quality(a.quick, a.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
