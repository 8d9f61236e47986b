"""SSPVS on a synthetic generic-summarization world: does pretraining help with few labels, do stages help?

    python benchmarks/bench_sspvs.py                 # about 15 minutes on 2 busy shared cores
    python benchmarks/bench_sspvs.py --quick         # a smaller smoke run (about 6 minutes there)

Data (:mod:`vidgist.data.synthetic_sspvs`): 64-d frame features of shots of named concepts, per-concept
importance as ground truth, and the text vidgist would extract (title, narrated transcript) that names
the concepts but never their importance. An *unlabelled* library of ``--unlabelled`` videos is used for
pretraining only (text encoder: the bundled all-MiniLM-L6-v2); a separate *labelled* pool of 30 videos
gives 5 splits with 8 training videos each (2 of them carved out for validation) and 22 test videos.

Compared on the same splits, all selected on validation (never test): SSPVS pretrained with N stages,
SSPVS with N stages from scratch, SSPVS pretrained with 1..4 stages, CLIP-It (texts = MiniLM sentence
embeddings of title and transcript) and the zero-shot rule (cosine similarity in shared dimensions,
uninformative here since frames and texts live in unrelated spaces). Also printed: a linear probe of
the frame importance on the encoder's outputs (pretrained vs. the same encoder before pretraining:
pretraining, the from-scratch model and the probe all start from the weights of seed 0), which shows
*why* pretraining helps or not. The last line is one JSON object with F-score, Kendall tau and Spearman rho.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

STAGES = 3


def write_data(d: Path, n_unlabelled: int, seed: int = 0) -> dict[str, Path]:
    from vidgist.data.h5 import write_eccv16
    from vidgist.data.splits import Split, write_splits
    from vidgist.data.sspvs_text import write_video_texts
    from vidgist.data.synthetic_sspvs import make_videos, make_world

    world = make_world(seed=seed)
    unl, unl_t = make_videos(world, n_unlabelled, seed + 1, prefix="u")
    lab, lab_t = make_videos(world, 30, seed + 2, prefix="l")
    paths = {"unlabelled": d / "unlabelled.h5", "labelled": d / "labelled.h5", "texts": d / "texts"}
    write_eccv16(paths["unlabelled"], unl)
    write_eccv16(paths["labelled"], lab)
    write_video_texts(paths["texts"], {**unl_t, **lab_t})
    keys = [v.name for v in lab]
    rng = np.random.default_rng(seed + 3)
    splits = []
    for _ in range(5):
        order = rng.permutation(len(keys))
        splits.append(
            Split(
                train_keys=tuple(keys[i] for i in sorted(order[:8])),
                test_keys=tuple(keys[i] for i in sorted(order[8:])),
            )
        )
    paths["splits"] = write_splits(d / "splits.json", splits)
    paths["text_features"] = _text_features(d / "text_features.h5", lab_t)
    return paths


def _text_features(path: Path, texts: dict[str, dict[str, str]]) -> Path:
    """MiniLM sentence embeddings (mean-pooled, L2-normalised) of each video's title and transcript."""
    import torch

    from vidgist.backbones.hf_text import load_text_encoder
    from vidgist.data.synthetic_summ import write_text_features

    model, tok = load_text_encoder("minilm")
    out = {}
    with torch.no_grad():
        for k, t in texts.items():
            enc = tok([t["title"], t["transcript"]], padding=True, return_tensors="pt")
            h = model(**enc).last_hidden_state
            m = enc["attention_mask"][..., None].float()
            e = torch.nn.functional.normalize((h * m).sum(1) / m.sum(1), dim=-1)
            out[k] = e.numpy().astype(np.float32)
    return write_text_features(path, out)


def pretrain(paths: dict[str, Path], out: Path, epochs: int) -> tuple[Path, dict[str, Any]]:
    from vidgist.train.sspvs_config import SSPVSPretrainConfig
    from vidgist.train.sspvs_pretrain import pretrain as run

    cfg = SSPVSPretrainConfig(
        name="bench",
        features=str(paths["unlabelled"]),
        texts=str(paths["texts"]),
        backbone="synthetic",
        text_encoder="minilm",
        text_fields={"title": 6, "transcript": 40},
        clip_len=64,
        epochs=epochs,
        batch_size=16,
        lr=2e-4,
        val_fraction=0.1,
        model={"heads": 8, "layers": 3, "match_hidden": 256, "match_hidden2": 128},
    )
    r = run(cfg, out, resume=False)
    return Path(r["checkpoint"]), r


def finetune(paths: dict[str, Path], out: Path, pretrained: str, stages: int, epochs: int) -> dict[str, Any]:
    from vidgist.train.sspvs_config import SSPVSTrainConfig
    from vidgist.train.sspvs_finetune import run_experiment

    cfg = SSPVSTrainConfig(
        name="bench",
        dataset=str(paths["labelled"]),
        splits=str(paths["splits"]),
        backbone="synthetic",
        pretrained=pretrained,
        stages=stages,
        clip_len=128,
        epochs=epochs,
        batch_size=2,
        lr=5e-4,
        eval_every=2,
        model={"heads": 8, "layers": 3, "stage_dropout": [0.1]},
    )
    return run_experiment(cfg, out, resume=False)


def baseline(paths: dict[str, Path], out: Path, model: str, epochs: int) -> dict[str, Any]:
    from vidgist.train.clip_it import run_experiment
    from vidgist.train.clip_it_config import ClipItTrainConfig

    cfg = ClipItTrainConfig(
        name="bench",
        model=model,
        dataset=str(paths["labelled"]),
        splits=str(paths["splits"]),
        text_features=str(paths["text_features"]),
        backbone="synthetic",
        label_rule="keyshot",
        epochs=epochs,
        batch_size=2,
        lr=1e-3,
        eval_every=2,
        clip_it={"d_model": 64, "ff": 128, "layers": 2},
    )
    return run_experiment(cfg, out, resume=False, show_progress=False)


def probe(paths: dict[str, Path], ckpt: Path | None) -> float:
    """Spearman rho on the test videos of split 0 of a ridge probe of gtscore on encoder step outputs."""
    import torch
    from scipy.stats import spearmanr

    from vidgist.data.h5 import read_eccv16
    from vidgist.data.splits import load_splits
    from vidgist.models.sspvs import SSPVSConfig, VideoEncoder

    vids = read_eccv16(paths["labelled"])
    sp = load_splits(paths["splits"])[0]
    torch.manual_seed(0)
    enc = VideoEncoder(SSPVSConfig(frame_dim=64, heads=8, layers=3, pe_weight=0.1))
    if ckpt is not None:
        from vidgist.scorers.sspvs import load_sspvs_checkpoint

        pre, _, _ = load_sspvs_checkpoint(ckpt)
        enc.load_state_dict(pre.video.state_dict())
    enc.eval()

    def feats(keys: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        xs, ys = [], []
        with torch.no_grad():
            for k in keys:
                _, h = enc(torch.from_numpy(vids[k].features)[None])
                xs.append(h[0].numpy())
                ys.append(vids[k].gtscore)
        return np.concatenate(xs), np.concatenate(ys)  # type: ignore[arg-type]

    xtr, ytr = feats(sp.train_keys)
    xte, yte = feats(sp.test_keys)
    a = np.c_[xtr, np.ones(len(xtr))]
    w = np.linalg.solve(a.T @ a + 1.0 * np.eye(a.shape[1]), a.T @ ytr)
    return float(spearmanr(np.c_[xte, np.ones(len(xte))] @ w, yte)[0])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--unlabelled", type=int, default=200, help="videos in the unlabelled library")
    ap.add_argument("--pretrain-epochs", type=int, default=6)
    ap.add_argument("--epochs", type=int, default=12, help="fine-tuning epochs")
    ap.add_argument("--quick", action="store_true", help="small smoke run")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1: best on shared cores)")
    a = ap.parse_args()
    if a.quick:
        a.unlabelled, a.pretrain_epochs, a.epochs = 48, 2, 6
    import torch

    torch.set_num_threads(a.threads)
    t_all = time.perf_counter()
    res: dict[str, dict[str, float | None]] = {}

    def row(name: str, s: dict[str, Any], secs: float) -> None:
        res[name] = {"f": s["mean_fscore"], "tau": s["mean_kendall"], "rho": s["mean_spearman"]}

        def f(x: float | None) -> str:
            return "  n/a " if x is None else f"{x:6.3f}"

        print(
            f"  {name:14s} F={f(s['mean_fscore'])}  tau={f(s['mean_kendall'])}  rho={f(s['mean_spearman'])}"
            f"  ({secs:5.1f} s)",
            flush=True,
        )

    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        paths = write_data(d, a.unlabelled)
        print(
            f"data: {a.unlabelled} unlabelled videos (pretraining), 30 labelled; 5 splits of 8 train "
            "(2 carved out for validation) / 22 test; 64-d frames, 16 concepts",
            flush=True,
        )
        t0 = time.perf_counter()
        ckpt, pr = pretrain(paths, d / "pre", a.pretrain_epochs)
        print(
            f"pretrain: {a.pretrain_epochs} epochs, best epoch {pr['best_epoch']} by held-out video-text "
            f"accuracy {pr['best_val_accuracy']:.3f} ({time.perf_counter() - t0:.1f} s)",
            flush=True,
        )
        print(
            "selection rule (every trained model): " + "epoch with the highest mean validation F-score "
            "(validation carved from the training videos); test never used for selection"
        )
        runs: list[tuple[str, str, int]] = [("sspvs", str(ckpt), STAGES), ("no_pretrain", "", STAGES)]
        runs += [(f"stages_{n}" if n != 1 else "one_stage", str(ckpt), n) for n in (1, 2, 4)]
        for name, pre, n in runs:
            t0 = time.perf_counter()
            s = finetune(paths, d / name, pre, n, a.epochs)
            row(name if name != "sspvs" else f"sspvs (N={STAGES})", s, time.perf_counter() - t0)
        res["sspvs"] = res.pop(f"sspvs (N={STAGES})")
        for model, name in (("clip-it", "clip_it"), ("zero-shot", "zero_shot")):
            t0 = time.perf_counter()
            row(name, baseline(paths, d / name, model, a.epochs), time.perf_counter() - t0)
        p_pre, p_rand = probe(paths, ckpt), probe(paths, None)
        print(
            f"probe (split 0, ridge on encoder outputs -> gtscore, test Spearman rho): pretrained encoder "
            f"{p_pre:.3f}, the same encoder before pretraining {p_rand:.3f}"
        )
        by_stage = {1: res["one_stage"], 2: res["stages_2"], STAGES: res["sspvs"], 4: res["stages_4"]}
        stage_figs = ", ".join(f"N={k}: F={v['f']:.3f}" for k, v in sorted(by_stage.items()))
        print(f"stages (pretrained): {stage_figs}")
        f_pre, f_scr = res["sspvs"]["f"], res["no_pretrain"]["f"]
        if f_pre is not None and f_scr:
            print(f"pretrained / from scratch F-score ratio: {f_pre / f_scr:.3f}")
        print(f"total {time.perf_counter() - t_all:.1f} s")
    keys = ("sspvs", "no_pretrain", "one_stage", "clip_it", "zero_shot")
    print(json.dumps({k: res[k] for k in keys}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
