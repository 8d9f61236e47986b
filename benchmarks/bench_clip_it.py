"""CLIP-It on this CPU: training throughput, inference latency, and the synthetic quality benchmark.

    python benchmarks/bench_clip_it.py                  # all three, prints figures
    python benchmarks/bench_clip_it.py --only speed     # throughput + latency only
    python benchmarks/bench_clip_it.py --write-data data/synthetic   # data for configs/clip_it_synthetic.yaml
    python benchmarks/bench_clip_it.py --unsupervised [--quick]    # unsupervised CLIP-It vs untrained rules

Speed uses the default-size model of configs/clip_it_tvsum_canonical.yaml (d_model 256, 2 layers) on
feature sequences shaped like eccv16 TVSum (GoogLeNet 1024-d frames, ~320 steps, 7 sentences of 512-d)
and, for latency, 1,000 sampled frames with the offline backbone's dims (1280-d frames, 384-d texts).
Quality trains on the synthetic benchmark (vidgist.data.synthetic_summ) over 5 splits and compares
CLIP-It with the zero-shot rule, random, uniform and the PGL-SUM-style baseline through the same code.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np


def bench_speed(threads: list[int]) -> None:
    import torch

    from vidgist.models.blocks import pad_sequences
    from vidgist.models.clip_it import ClipIt, ClipItConfig, clip_it_losses

    for th in threads:
        torch.set_num_threads(th)
        torch.manual_seed(0)
        cfg = ClipItConfig(frame_dim=1024, text_dim=512, d_model=256, layers=2, ff=512, heads=4, attn_heads=4)
        model = ClipIt(cfg).train()
        opt = torch.optim.AdamW(model.parameters(), lr=5e-4)
        rng = np.random.default_rng(0)
        vids = [
            torch.from_numpy(rng.standard_normal((int(rng.integers(200, 450)), 1024)).astype(np.float32))
            for _ in range(32)
        ]
        texts = [torch.from_numpy(rng.standard_normal((7, 512)).astype(np.float32)) for _ in vids]
        labels = [(torch.rand(len(v)) < 0.15).float()[:, None] for v in vids]

        def epoch(model=model, opt=opt, vids=vids, texts=texts, labels=labels, cfg=cfg) -> None:  # type: ignore[no-untyped-def]
            for i in range(0, len(vids), 4):
                f, fm = pad_sequences(vids[i : i + 4])
                t, tm = pad_sequences(texts[i : i + 4])
                y, _ = pad_sequences(labels[i : i + 4])
                loss = clip_it_losses(model(f, fm, t, tm), f, fm, y[..., 0], cfg)["total"]
                opt.zero_grad()
                loss.backward()
                opt.step()

        epoch()  # warm-up
        t0 = time.perf_counter()
        epoch()
        dt = time.perf_counter() - t0
        print(
            f"train  threads={th}: {len(vids) / dt:7.1f} videos/s  (TVSum-shaped: 200-450 steps x 1024-d, "
            f"7 x 512-d sentences, batch 4, d_model 256, 2 layers)"
        )

        m = ClipIt(ClipItConfig(frame_dim=1280, text_dim=384, d_model=256, layers=2, ff=512)).eval()
        x = torch.from_numpy(rng.standard_normal((1, 1000, 1280)).astype(np.float32))
        q = torch.from_numpy(rng.standard_normal((1, 7, 384)).astype(np.float32))
        with torch.no_grad():
            m(x, None, q, None)
            times = []
            for _ in range(10):
                t0 = time.perf_counter()
                m(x, None, q, None)
                times.append(time.perf_counter() - t0)
        print(
            f"infer  threads={th}: {1000 * statistics.median(times):7.1f} ms per video of 1,000 frames "
            f"(median of 10; 1280-d frames, 7 x 384-d sentences)"
        )


def _run_on_synthetic(
    paths: dict[str, Path], workdir: Path, label: str, **settings: Any
) -> tuple[dict[str, Any], float]:
    """One ``run_experiment`` on a written synthetic dataset with the tiny model sizes of these benchmarks;
    ``settings`` are ClipItTrainConfig fields (``clip_it`` adds to the tiny sizes). Returns (results, s)."""
    from vidgist.train.clip_it import run_experiment
    from vidgist.train.clip_it_config import ClipItTrainConfig

    clip_it = {"d_model": 64, "ff": 128, "layers": 2, **settings.pop("clip_it", {})}
    cfg = ClipItTrainConfig(
        dataset=str(paths["dataset"]),
        splits=str(paths["splits"]),
        text_features=str(paths["text_features"]),
        backbone="synthetic",
        batch_size=8,
        lr=2e-3,
        clip_it=clip_it,
        **settings,
    )
    t0 = time.perf_counter()
    res = run_experiment(cfg, workdir / f"run-{label}", resume=False, show_progress=False)
    return res, time.perf_counter() - t0


def bench_quality(workdir: Path) -> dict[str, Any]:
    """Supervised CLIP-It beside PGL-SUM style, zero-shot and the untrained rules: F-score, tau and rho
    per fold (5 disjoint test folds), mean +- s.d. over folds."""
    import torch

    from vidgist.data.synthetic_summ import write_synthetic_dataset

    torch.set_num_threads(1)
    paths = write_synthetic_dataset(workdir, n_videos=100, n_splits=5, seed=0)
    print(
        "quality: synthetic benchmark, 100 videos, 5 disjoint test folds (80 train incl. 20% validation / "
        "20 test), seed 0; mean +- s.d. over folds",
        flush=True,
    )
    out: dict[str, Any] = {}
    for model in ("clip-it", "pgl-sum", "zero-shot", "typicality", "mmr", "k-medoids", "random", "uniform"):
        res, seconds = _run_on_synthetic(
            paths,
            workdir,
            model,
            name="synthetic",
            model=model,
            label_rule="threshold:0.5",
            epochs=15,
            pgl_sum={"d_model": 64, "segments": 4},
        )
        out[model] = fold_stats(res)
        r = out[model]
        print(f"  {model:10s} F={r['f']:6.3f} +- {r['f_sd']:5.3f}  ({seconds:5.1f} s)", flush=True)
    return out


UNSUPERVISED_RUNS: dict[str, tuple[str, dict[str, Any]]] = {
    "unsup_clip_it": ("clip-it", {"supervised": False, "unsupervised_objective": "coverage"}),
    "unsup_clip_it_paper": ("clip-it", {"supervised": False, "unsupervised_objective": "paper"}),
    "typicality": ("typicality", {}),
    "mmr": ("mmr", {}),
    "k_medoids": ("k-medoids", {}),
    "random": ("random", {}),
    "uniform": ("uniform", {}),
}


def fold_stats(res: dict[str, Any]) -> dict[str, Any]:
    """F-score per fold (mean over the fold's seeds) with mean and sample s.d. over folds."""
    vals = [float(p["fscore"]) for p in res["per_split"]]
    return {
        "f": round(statistics.fmean(vals), 4),
        "f_sd": round(statistics.stdev(vals), 4) if len(vals) > 1 else None,
        "f_folds": [round(v, 4) for v in vals],
    }


def _write(name: str, methods: dict[str, Any], config: dict[str, Any], t0: float, quick: bool) -> None:
    """results/NAME.json and the last printed line (mean and s.d. per method)."""
    import json

    from results_io import write_results

    write_results(
        name, {"methods": methods}, seeds=[0], config=config, wall_s=time.perf_counter() - t0, quick=quick
    )
    print(json.dumps({k: {"f": v["f"], "f_sd": v["f_sd"]} for k, v in methods.items()}))


def bench_unsupervised(workdir: Path, quick: bool) -> dict[str, Any]:
    """Unsupervised CLIP-It (both objectives) beside the untrained rules over the same frame features, on
    the coverage set: 5 disjoint test folds; unsupervised runs read no labels to train or select."""
    import torch

    from vidgist.data.synthetic_summ import write_synthetic_dataset

    torch.set_num_threads(1)
    n_videos, epochs = (30, 2) if quick else (40, 5)
    paths = write_synthetic_dataset(
        workdir, n_videos=n_videos, n_splits=5, seed=0, name="coverage", kind="coverage"
    )
    print(
        f"unsupervised: synthetic coverage set (synthetic_summ.make_coverage_videos), {n_videos} "
        f"videos, 5 disjoint test folds, {epochs} epochs; F-score mean +- s.d. over folds",
        flush=True,
    )
    out: dict[str, Any] = {}
    for label, (model, clip_it) in UNSUPERVISED_RUNS.items():
        res, seconds = _run_on_synthetic(
            paths, workdir, label, name="coverage", model=model, epochs=epochs, clip_it=clip_it
        )
        out[label] = fold_stats(res)
        print(
            f"  {label:20s} F={out[label]['f']:6.3f} +- {out[label]['f_sd']:5.3f}  ({seconds:5.1f} s; "
            f"selection: {res['selection_rule']})",
            flush=True,
        )
    return {"methods": out, "n_videos": n_videos, "epochs": epochs}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=("speed", "quality"))
    ap.add_argument(
        "--unsupervised",
        action="store_true",
        help="unsupervised CLIP-It beside typicality, MMR, k-medoids, random (results/clip_it_unsupervised)",
    )
    ap.add_argument("--quick", action="store_true", help="with --unsupervised: CI-sized")
    ap.add_argument("--threads", default="1,2", help="comma-separated torch thread counts for the speed test")
    ap.add_argument("--write-data", type=Path, help="write the synthetic dataset here and exit")
    a = ap.parse_args()
    if a.write_data is not None:
        from vidgist.data.synthetic_summ import write_synthetic_dataset

        for k, p in write_synthetic_dataset(a.write_data, n_videos=100, n_splits=5).items():
            print(f"{k}: {p}")
        return 0
    t0 = time.perf_counter()
    if a.unsupervised:
        with tempfile.TemporaryDirectory() as d:
            rep = bench_unsupervised(Path(d), a.quick)
        config = {"n_videos": rep["n_videos"], "epochs": rep["epochs"], "folds": 5, "set": "coverage"}
        _write("clip_it_unsupervised", rep["methods"], config, t0, a.quick)
        return 0
    if a.only in (None, "speed"):
        bench_speed([int(t) for t in a.threads.split(",")])
    if a.only in (None, "quality"):
        with tempfile.TemporaryDirectory() as d:
            methods = bench_quality(Path(d))
        _write("clip_it_quality", methods, {"n_videos": 100, "epochs": 15, "folds": 5}, t0, False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
