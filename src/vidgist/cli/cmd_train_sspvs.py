"""`vidgist pretrain sspvs CONFIG.yaml`, `vidgist train sspvs CONFIG.yaml`: thin over vidgist.train.sspvs_*"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from vidgist.cli.apps import (
    EpochsOption,
    NoAsrOption,
    NoOcrOption,
    command_group,
    config_argument,
    datasets_app,
    run_folder_option,
    train_app,
)

pretrain_app = command_group("pretrain", "Self-supervised pretraining (SSPVS video-text).")

ResumeOption = Annotated[bool, typer.Option("--resume/--no-resume", help="Continue from the run folder.")]
ProgressOption = Annotated[bool, typer.Option("--progress/--no-progress", help="Progress bars on stderr.")]


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.4f}"


@pretrain_app.command("sspvs")
def pretrain_sspvs(
    config: Annotated[Path, config_argument("sspvs_pretrain*.yaml")],
    output: Annotated[Path | None, run_folder_option("runs/NAME/pretrain")] = None,
    epochs: EpochsOption = None,
    resume: ResumeOption = True,
    progress: ProgressOption = True,
) -> None:
    """Pretrain the SSPVS video encoder on unlabelled video-text pairs; write best.safetensors."""
    from vidgist.train.sspvs_config import SSPVSPretrainConfig, load_config
    from vidgist.train.sspvs_pretrain import pretrain

    cfg = load_config(SSPVSPretrainConfig, config, {"epochs": epochs})
    if cfg.threads > 0:
        import torch

        torch.set_num_threads(cfg.threads)
    outdir = output if output is not None else Path("runs") / cfg.name / "pretrain"
    r = pretrain(cfg, outdir, resume=resume, show_progress=progress)
    typer.echo(f"selection: {r['selection_rule']}")
    typer.echo(
        f"{cfg.name}: best epoch {r['best_epoch']} (validation video-text accuracy "
        f"{_fmt(r['best_val_accuracy'])}, {r['n_train']} train / {r['n_val']} held-out videos) "
        f"-> {r['checkpoint']}"
    )


@train_app.command("sspvs")
def train_sspvs(
    config: Annotated[Path, config_argument("sspvs_*.yaml")],
    output: Annotated[Path | None, run_folder_option("runs/NAME/sspvs")] = None,
    epochs: EpochsOption = None,
    stages: Annotated[
        int | None, typer.Option("--stages", help="Progressive stages (1-4 in the paper).")
    ] = None,  # noqa: UP045
    pretrained: Annotated[
        Optional[str], typer.Option("--pretrained", help="Pretraining checkpoint ('' = from scratch).")  # noqa: UP045
    ] = None,
    selection: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--selection", help="validation (default) | test-oracle (the reference's rule; comparison only)."
        ),
    ] = None,
    splits: Annotated[Optional[str], typer.Option("--splits", help="Comma-separated split indices.")] = None,  # noqa: UP045
    resume: ResumeOption = True,
    progress: ProgressOption = True,
) -> None:
    """Fine-tune the SSPVS progressive summarizer on every split; print test figures and selection rule."""
    from vidgist.errors import InputError
    from vidgist.train.sspvs_config import SSPVSTrainConfig, load_config
    from vidgist.train.sspvs_finetune import run_experiment

    try:
        split_ids = None if splits is None else [int(x) for x in splits.split(",") if x.strip()]
    except ValueError:
        raise InputError(f"--splits must be comma-separated integers, got '{splits}'") from None
    overrides = {
        "epochs": epochs,
        "stages": stages,
        "pretrained": pretrained,
        "selection": selection,
        "split_indices": split_ids,
    }
    cfg = load_config(SSPVSTrainConfig, config, overrides)
    outdir = output if output is not None else Path("runs") / cfg.name / "sspvs"
    s = run_experiment(cfg, outdir, resume=resume, show_progress=progress)
    for p in s["per_split"]:
        typer.echo(
            f"split {p['split']} ({p['setting']}): F={_fmt(p['fscore'])} tau={_fmt(p['kendall'])} "
            f"rho={_fmt(p['spearman'])}"
        )
    typer.echo(f"selection ({cfg.selection}): {s['selection_rule']}")
    typer.echo(
        f"{cfg.name} sspvs x{cfg.stages}{' +text' if cfg.text_guidance else ''}: "
        f"mean F={_fmt(s['mean_fscore'])} "
        f"tau={_fmt(s['mean_kendall'])} rho={_fmt(s['mean_spearman'])} ({cfg.aggregation} over users) "
        f"-> {outdir / 'results.json'}"
    )


@datasets_app.command("sspvs-texts")
def sspvs_texts(
    videos: Annotated[Path, typer.Argument(help="Folder of videos (or one video).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder for <key>.json text files.")],
    backbone: Annotated[str, typer.Option("--backbone", help="Backbone of the evidence stage.")] = "offline",
    no_asr: NoAsrOption = False,
    no_ocr: NoOcrOption = False,
    asr_model: Annotated[str, typer.Option("--asr-model", help="tiny.en | base")] = "tiny.en",
) -> None:
    """Write title, transcript and on-screen text per video, for `vidgist pretrain sspvs` (texts:)."""
    from vidgist.datasets.sspvs_texts import build_video_texts

    done = build_video_texts(videos, output, backbone, asr=not no_asr, asr_model=asr_model, ocr=not no_ocr)
    typer.echo(f"wrote {len(done)} text file(s) to {output}")
