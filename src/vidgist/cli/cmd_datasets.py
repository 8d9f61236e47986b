"""`vidgist datasets check|make-h5`: thin over vidgist.datasets.check and vidgist.datasets.make_h5."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from vidgist.cli.apps import datasets_app
from vidgist.cli.wording import plural


@datasets_app.command("check")
def check(
    folder: Annotated[Path, typer.Argument(help="Dataset folder (or one file) to inspect.")],
) -> None:
    """Say what FOLDER holds (h5, split files, jsonl, QFVS, QMS tables) and what is missing or malformed.

    Exit code 2 when anything is malformed.
    """
    from vidgist.datasets.check import check_dataset

    report = check_dataset(folder)
    for line in report.lines():
        print(line)
    n_bad = len(report.malformed)
    n_missing = sum(f.status == "missing" for f in report.findings)
    print(
        f"{plural(len(report.findings), 'item')}: {n_bad} malformed, {n_missing} with something missing",
        file=sys.stderr,
    )
    if n_bad:
        raise typer.Exit(code=2)


@datasets_app.command("make-h5")
def make_h5_cmd(
    video_dir: Annotated[Path, typer.Argument(help="Folder holding your videos.")],
    annotations: Annotated[
        Path,
        typer.Argument(
            help="Importance annotations: CSV/JSONL rows video,start,end,score,annotator (seconds), or JSON "
            "{video: {frame_scores: [[...] per annotator], rate: N}}."
        ),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="The eccv16-style .h5 to write.")],
    fps: Annotated[float, typer.Option(help="Sampling rate of the picks (frames per second).")] = 2.0,
    backbone: Annotated[str, typer.Option(help="Frame features: offline | clip[:MODEL[:PATH]]")] = "offline",
    budget: Annotated[float, typer.Option(help="Key-shot budget of user_summary (ratio of frames).")] = 0.15,
    max_change_points: Annotated[int | None, typer.Option(help="Cap on KTS shot changes per video.")] = None,
) -> None:
    """Turn VIDEO_DIR plus ANNOTATIONS into an eccv16 h5 (vidgist's own sampling, features, KTS shots)."""
    from vidgist.data.h5 import read_eccv16
    from vidgist.datasets.make_h5 import make_h5

    path, unannotated = make_h5(
        video_dir,
        annotations,
        output,
        fps=fps,
        backbone=backbone,
        budget=budget,
        max_change_points=max_change_points,
        progress=True,
    )
    vids = read_eccv16(path)
    for key, v in vids.items():
        n_users = 0 if v.user_summary is None else v.user_summary.shape[0]
        print(
            f"{key}: {v.video_name}  {plural(v.n_frames, 'frame')}, {plural(v.n_steps, 'pick')}, "
            f"{plural(v.change_points.shape[0], 'shot')}, {plural(n_users, 'annotator')}"
        )
        empty = 0 if v.user_summary is None else int((v.user_summary.sum(axis=1) == 0).sum())
        if empty:
            summaries = plural(empty, "empty user summary", "empty user summaries")
            print(
                f"warning: {key} ({v.video_name}): {summaries} - every shot is longer than the {budget:g} "
                "budget; raise --budget or use a longer video",
                file=sys.stderr,
            )
    if unannotated:
        print(f"skipped (no annotations): {', '.join(unannotated)}", file=sys.stderr)
    print(f"wrote {path}", file=sys.stderr)
