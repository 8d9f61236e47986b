"""`vidgist features extract VIDEO_DIR -o feats.h5`: cache frame and description text features once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vidgist.cli.apps import features_app


@features_app.command("extract")
def extract(
    videos: Annotated[Path, typer.Argument(help="A folder of videos (or one video file).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The h5 cache to create or complete.")],
    backbone: Annotated[
        str, typer.Option("--backbone", help="auto | offline | clip[:MODEL[:PATH]]")
    ] = "offline",
    fps: Annotated[float, typer.Option("--fps", help="Frames sampled per second.")] = 2.0,
    max_side: Annotated[int, typer.Option("--max-side", help="Longest side of decoded frames (px).")] = 320,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Progress bar on stderr.")
    ] = True,
) -> None:
    """Extract features of every video not yet complete in OUTPUT; resumes after an interruption.

    A file that cannot be used is reported and skipped; the run goes on and exits with code 2 at the end."""
    from vidgist.cli.failures import error_line
    from vidgist.datasets.features import extract_features
    from vidgist.summarize.pipeline import MAX_FPS
    from vidgist.util.ranges import check_range

    check_range("--fps", fps, 0, MAX_FPS, noun="number of frames per second")
    check_range("--max-side", max_side, 32, None, low_inclusive=True, noun="number of pixels", integer=True)

    def failed(key: str, reason: str) -> None:
        typer.echo(error_line(f"{reason} (skipped)"), err=True)

    rep = extract_features(
        videos,
        output,
        backbone=backbone,
        fps=fps,
        max_side=max_side,
        show_progress=progress,
        on_failure=failed,
    )
    for warning in rep.damaged.values():
        typer.echo(f"vidgist: warning: {warning}", err=True)
    typer.echo(
        f"{len(rep.extracted)} extracted, {len(rep.skipped)} already complete, "
        f"{len(rep.failed)} failed -> {rep.out}"
    )
    if rep.failed:
        raise typer.Exit(2)
