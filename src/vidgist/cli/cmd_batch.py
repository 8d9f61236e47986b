"""`vidgist batch summarize`: thin over vidgist.batch.summarize_collection."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from vidgist.cli.apps import (
    AutoAsrModelOption,
    EngineOption,
    FillOption,
    MaxSecondsOption,
    MinRelevanceOption,
    NoAsrOption,
    NoOcrOption,
    TimeoutOption,
    WorkersOption,
    command_group,
)
from vidgist.summarize import DEFAULT_BUDGET

batch_app = command_group("batch", "Whole collections, on this machine or a Ray cluster.")


@batch_app.command("summarize")
def batch_summarize(
    paths: Annotated[list[Path], typer.Argument(help="Video files and folders (walked recursively).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder: one folder per video.")],
    query: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("-q", "--query", help="What you care about; repeat for several."),
    ] = None,
    budget: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(help=f"Summary length as a ratio of each video (default {DEFAULT_BUDGET})."),
    ] = None,
    max_seconds: MaxSecondsOption = None,
    min_relevance: MinRelevanceOption = None,
    fill: FillOption = False,
    fps: Annotated[Optional[float], typer.Option(help="Sampling rate (default: as summarize).")] = None,  # noqa: UP045
    backbone: Annotated[str, typer.Option(help="auto | offline | clip[:MODEL[:PATH]]")] = "auto",
    scorer: Annotated[str, typer.Option(help="zero-shot | PATH to a CLIP-It checkpoint")] = "zero-shot",
    no_asr: NoAsrOption = False,
    asr_model: AutoAsrModelOption = "auto",
    no_ocr: NoOcrOption = False,
    no_video: Annotated[bool, typer.Option("--no-video", help="Do not write summary.mp4.")] = False,
    fast: Annotated[bool, typer.Option("--fast", help="Stream-copy summary.mp4 at key frames.")] = False,
    engine: EngineOption = "local",
    workers: WorkersOption = None,
    threads: Annotated[int, typer.Option("--threads", help="CPU threads per Ray worker.")] = 1,
    timeout: TimeoutOption = 3600.0,
    retries: Annotated[int, typer.Option("--retries", help="Resends of a video whose worker died.")] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="Print batch.json to stdout.")] = False,
) -> int:
    """Summarize every video under PATHS into OUTPUT/NAME/ (as `summarize`) and OUTPUT/batch.json.

    Run the same command again to resume: finished videos are skipped."""
    from vidgist.batch import parse_engine, summarize_collection
    from vidgist.summarize.pipeline import Summarizer, check_min_relevance, checked_budget, normalize_queries

    queries = normalize_queries(query)
    budget = checked_budget(budget, max_seconds)
    check_min_relevance(min_relevance)
    spec = parse_engine(engine, workers=workers, threads=threads, timeout=timeout, retries=retries)
    summarizer = Summarizer(
        backbone=backbone, scorer=scorer, fps=fps, asr=not no_asr, asr_model=asr_model, ocr=not no_ocr
    )
    rep = summarize_collection(
        paths,
        output,
        spec,
        summarizer,
        queries,
        budget,
        max_seconds,
        save={"video": not no_video, "fast": fast},
        progress=not as_json,
        select={"min_relevance": min_relevance, "fill": fill},
    )
    if as_json:
        print((rep.outdir / "batch.json").read_text(encoding="utf-8"))
    else:
        print(
            f"summarized {rep.done}, skipped {rep.skipped} done before, failed {len(rep.failed)} "
            f"({rep.seconds:.1f} s) -> {rep.outdir}"
        )
    for path, reason in rep.failed:
        print(f"vidgist: failed: {path}: {reason}", file=sys.stderr)
    return 0
