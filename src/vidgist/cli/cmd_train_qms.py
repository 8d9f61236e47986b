"""`vidgist train qms`, `vidgist eval qms`, `vidgist datasets make-qms`: thin over vidgist.train.qms_run."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from vidgist.cli.apps import (
    EpochsOption,
    config_argument,
    datasets_app,
    eval_app,
    run_folder_option,
    train_app,
)


@train_app.command("qms")
def train_qms_cmd(
    config: Annotated[Path, config_argument("qms_*.yaml")],
    output: Annotated[Path | None, run_folder_option("config 'out'")] = None,
    variant: Annotated[Optional[str], typer.Option("--variant", help="qms | bart_text | bart_mm.")] = None,  # noqa: UP045
    epochs: EpochsOption = None,
    data: Annotated[Optional[Path], typer.Option("--data", help="QMS layout folder or table.")] = None,  # noqa: UP045
    no_retrieval: Annotated[bool, typer.Option("--no-retrieval", help="Skip the retrieval metrics.")] = False,
) -> int:
    """Train QMS (or a BART baseline) with validation selection, then report on the test split."""
    from vidgist.train.qms import load_train_config
    from vidgist.train.qms_run import run_training
    from vidgist.util.atomic import check_writable_dir
    from vidgist.util.ranges import check_range

    check_range("--epochs", epochs, 1, None, low_inclusive=True, noun="integer", integer=True)
    cfg = load_train_config(
        config, {"variant": variant, "epochs": epochs, "data": str(data.resolve()) if data else None}
    )
    check_writable_dir(output or cfg.out)
    run_training(cfg, output or cfg.out, retrieval=not no_retrieval)
    return 0


@eval_app.command("qms")
def eval_qms_cmd(
    data: Annotated[Path, typer.Argument(help="QMS layout folder or table.")],
    checkpoint: Annotated[Optional[Path], typer.Option("--checkpoint", help="QMS checkpoint folder.")] = None,  # noqa: UP045
    split: Annotated[str, typer.Option("--split", help="train | eval | test.")] = "test",
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("-o", "--output", help="Results JSON to write (default: print the table only)."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Metric tokens: en (words) or zh (characters).")] = "en",
    no_retrieval: Annotated[bool, typer.Option("--no-retrieval", help="Skip the retrieval metrics.")] = False,
) -> int:
    """Generation (BLEU-1..4, ROUGE-L, CIDEr) and retrieval metrics of a checkpoint and of Lead."""
    from vidgist.train.qms_run import run_eval

    run_eval(data, checkpoint, split=split, out=output, lang=lang, retrieval=not no_retrieval)
    return 0


@datasets_app.command("make-qms")
def make_qms_cmd(
    video_dir: Annotated[Path, typer.Argument(help="Folder holding the videos named in the log.")],
    log: Annotated[Path, typer.Argument(help="Query log: CSV or JSONL with video, query (optional split).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Layout folder to write.")],
    backbone: Annotated[
        str, typer.Option("--backbone", help="Frame features: offline, auto, clip...")
    ] = "offline",
    asr_model: Annotated[str, typer.Option("--asr-model", help="Whisper weights: base or tiny.en.")] = "base",
    seed: Annotated[int, typer.Option("--seed", help="Seed of the hash split (no split column).")] = 0,
) -> int:
    """Build a QMS layout (features + transcripts extracted once, cached) from videos and a query log."""
    from vidgist.datasets.qms_build import build_qms_layout

    table, skipped = build_qms_layout(
        video_dir, log, output, backbone=backbone, asr_model=asr_model, seed=seed
    )
    for s in skipped:
        print(f"vidgist: skipped {s}", file=sys.stderr)
    print(f"wrote {table}")
    return 2 if skipped else 0
