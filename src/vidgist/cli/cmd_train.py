"""`vidgist train clip-it CONFIG.yaml`: train and evaluate CLIP-It or a baseline over every split.

Thin over :func:`vidgist.train.clip_it.run_experiment`. (The `qms` command lives in cmd_train_qms.py.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from vidgist.cli.apps import EpochsOption, config_argument, run_folder_option, train_app


@train_app.command("clip-it")
def clip_it(
    config: Annotated[Path, config_argument("clip_it_*.yaml")],
    output: Annotated[Path | None, run_folder_option("runs/NAME/MODEL")] = None,
    model: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--model",
            help="clip-it | dsnet-af | pgl-sum | random | uniform | zero-shot (overrides the config).",
        ),
    ] = None,
    epochs: EpochsOption = None,
    seeds: Annotated[str | None, typer.Option("--seeds", help="Comma-separated seeds, e.g. 0,1,2.")] = None,  # noqa: UP045
    splits: Annotated[
        str | None, typer.Option("--splits", help="Comma-separated split indices (default all).")
    ] = None,  # noqa: UP045
    resume: Annotated[
        bool, typer.Option("--resume/--no-resume", help="Continue from the run folder.")
    ] = True,
    threads: Annotated[int, typer.Option("--threads", help="Torch CPU threads (0 = torch default).")] = 0,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Progress bars on stderr.")
    ] = True,
) -> None:
    """Train (when trainable) and test on every split; write per-split results and results.json."""
    from vidgist.errors import InputError
    from vidgist.train.clip_it import run_experiment
    from vidgist.train.clip_it_config import load_train_config
    from vidgist.util.ranges import check_range

    check_range("--epochs", epochs, 1, None, low_inclusive=True, noun="integer", integer=True)
    check_range("--threads", threads, 0, None, low_inclusive=True, noun="integer", integer=True)

    def ints(s: str | None, what: str) -> list[int] | None:
        if s is None:
            return None
        try:
            return [int(x) for x in s.split(",") if x.strip()]
        except ValueError:
            raise InputError(f"--{what} must be comma-separated integers, got '{s}'") from None

    overrides = {
        "model": model,
        "epochs": epochs,
        "seeds": ints(seeds, "seeds"),
        "split_indices": ints(splits, "splits"),
    }
    cfg = load_train_config(config, overrides)
    if threads > 0:
        import torch

        torch.set_num_threads(threads)
    outdir = output if output is not None else Path("runs") / cfg.name / cfg.model
    summary = run_experiment(cfg, outdir, resume=resume, show_progress=progress)

    def fmt(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.4f}"

    for p in summary["per_split"]:
        typer.echo(
            f"split {p['split']} ({p['setting']}): F={fmt(p['fscore'])} tau={fmt(p['kendall'])} "
            f"rho={fmt(p['spearman'])}"
        )
    typer.echo(
        f"{cfg.name} {cfg.model}: mean F={fmt(summary['mean_fscore'])} tau={fmt(summary['mean_kendall'])} "
        f"rho={fmt(summary['mean_spearman'])} ({summary['aggregation']} over users)"
        f" -> {outdir / 'results.json'}"
    )
