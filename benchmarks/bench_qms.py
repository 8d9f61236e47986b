"""QMS benchmarks on this CPU: query-generation latency per video, training throughput, synthetic quality.

    python benchmarks/bench_qms.py latency [VIDEO...]     # keyframes + transcript + generation, per video
    python benchmarks/bench_qms.py throughput             # training videos/s for the tiny and cpu presets
    python benchmarks/bench_qms.py synthetic OUT_DIR      # write the synthetic set as a QMS layout folder
    python benchmarks/bench_qms.py quality [--epochs N]   # Eq. 18 settings; harder set: all runs

Latency runs the zero-shot generator and a QMS checkpoint of the 'cpu' preset with untrained weights
(timing does not depend on the weights; the checkpoint is made in a temp folder). Figures are printed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["latency", "throughput", "quality", "synthetic"])
    ap.add_argument("videos", nargs="*", type=Path)
    ap.add_argument("--asr", default="base")
    ap.add_argument(
        "--epochs",
        type=int,
        default=0,
        help="epochs of every run (default: 24 on the default set, 48 on the harder set)",
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2, help="parallel training processes (quality)")
    ap.add_argument("--beta-settings", default="", help="quality: BETA_SETTINGS names, comma-separated")
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
    else:
        import json

        from vidgist.train.qms_synthetic import quality_report

        print(
            "QMS quality on the synthetic sets (test split; epoch selected by validation CIDEr on 'eval'; "
            "BLEU-4 and CIDEr x 100)"
        )
        betas = a.beta_settings.split(",") if a.beta_settings else None
        report = quality_report(seed=a.seed, epochs=a.epochs or None, workers=a.workers, beta_settings=betas)
        for k, v in report.items():
            if k != "harder":
                print(f"  {k:<14} B-4 {v['bleu4']:6.2f}  CIDEr {v['cider']:7.2f}")
        print("  harder set:")
        for k, v in report["harder"].items():
            print(f"    {k:<18} B-4 {v['bleu4']:6.2f}  CIDEr {v['cider']:7.2f}")
        print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
