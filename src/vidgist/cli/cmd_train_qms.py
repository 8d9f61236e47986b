"""`vidgist train qms CONFIG.yaml` and `vidgist eval qms DATA`: thin over vidgist.train.qms_run."""

from __future__ import annotations

from pathlib import Path

import typer

from vidgist.cli.apps import datasets_app, eval_app, train_app


@train_app.command("qms")
def train_qms_cmd(
    config: Path = typer.Argument(..., help="YAML config (see configs/qms_*.yaml)."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Run folder (default: the config's 'out')."),
    variant: str | None = typer.Option(None, "--variant", help="qms | bart_text | bart_mm (overrides the config)."),
    epochs: int | None = typer.Option(None, "--epochs", help="Override the number of epochs."),
    data: Path | None = typer.Option(None, "--data", help="QMS layout folder or table (overrides the config)."),
    no_retrieval: bool = typer.Option(False, "--no-retrieval", help="Skip the retrieval metrics."),
) -> int:
    """Train QMS (or a BART baseline) with validation selection, then report on the test split."""
    from vidgist.train.qms import load_train_config
    from vidgist.train.qms_run import run_training

    cfg = load_train_config(config)
    if variant:
        cfg.variant = variant
    if epochs:
        cfg.epochs = epochs
    if data:
        cfg.data = str(data)
    run_training(cfg, output or cfg.out, retrieval=not no_retrieval)
    return 0


@eval_app.command("qms")
def eval_qms_cmd(
    data: Path = typer.Argument(..., help="QMS layout folder or table."),
    checkpoint: Path | None = typer.Option(None, "--checkpoint", help="QMS checkpoint folder (omit: Lead only)."),
    split: str = typer.Option("test", "--split", help="train | eval | test."),
    output: Path = typer.Option(Path("qms_results.json"), "-o", "--output", help="Results JSON."),
    lang: str = typer.Option("en", "--lang", help="Metric tokenisation: en (words) or zh (characters)."),
    no_retrieval: bool = typer.Option(False, "--no-retrieval", help="Skip the retrieval metrics."),
) -> int:
    """Generation (BLEU-1..4, ROUGE-L, CIDEr) and retrieval metrics of a checkpoint and of Lead."""
    from vidgist.train.qms_run import run_eval

    run_eval(data, checkpoint, split=split, out=output, lang=lang, retrieval=not no_retrieval)
    return 0


@datasets_app.command("make-qms")
def make_qms_cmd(
    video_dir: Path = typer.Argument(..., help="Folder holding the videos named in the log."),
    log: Path = typer.Argument(..., help="Query log: CSV or JSONL with video, query (and optional split) fields."),
    output: Path = typer.Option(..., "-o", "--output", help="Layout folder to write."),
    backbone: str = typer.Option("offline", "--backbone", help="Frame feature backbone (auto, offline, clip...)."),
    asr_model: str = typer.Option("base", "--asr-model", help="Whisper weights: base or tiny.en."),
    seed: int = typer.Option(0, "--seed", help="Seed of the hash split (when the log has no split column)."),
) -> int:
    """Build a QMS layout (features + transcripts extracted once, cached) from videos and a query log."""
    import sys

    from vidgist.data.qms_build import build_qms_layout

    table, skipped = build_qms_layout(video_dir, log, output, backbone=backbone, asr_model=asr_model, seed=seed)
    for s in skipped:
        print(f"vidgist: skipped {s}", file=sys.stderr)
    print(f"wrote {table}")
    return 2 if skipped else 0
