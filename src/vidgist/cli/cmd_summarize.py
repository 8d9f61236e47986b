"""`vidgist summarize`: thin over vidgist.summarize.pipeline.Summarizer."""

from __future__ import annotations

import json
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vidgist.cli.apps import (
    AutoAsrModelOption,
    FillOption,
    MaxSecondsOption,
    MinRelevanceOption,
    NoAsrOption,
    NoOcrOption,
    app,
)
from vidgist.cli.wording import plural
from vidgist.summarize import DEFAULT_BUDGET

if TYPE_CHECKING:
    from vidgist.summarize.result import SummaryResult


@app.command("summarize")
def summarize(
    video: Annotated[Path, typer.Argument(help="Video file (mp4, mkv, webm, mov, avi, ...), any length.")],
    query: Annotated[
        list[str] | None, typer.Option("-q", "--query", help="What you care about; repeat for several.")
    ] = None,
    budget: Annotated[
        float | None, typer.Option(help=f"Summary length as a ratio of the video (default {DEFAULT_BUDGET}).")
    ] = None,
    max_seconds: MaxSecondsOption = None,
    min_relevance: MinRelevanceOption = None,
    fill: FillOption = False,
    fps: Annotated[
        float | None, typer.Option(help="Sampling rate (default: 1/s under 60 s, else 2/s).")
    ] = None,
    backbone: Annotated[
        str, typer.Option(help="auto | offline | clip[:MODEL[:PRETRAINED_OR_PATH]]")
    ] = "auto",
    scorer: Annotated[
        str, typer.Option(help="zero-shot | PATH to a vidgist checkpoint (CLIP-It, SSPVS)")
    ] = "zero-shot",
    shots: Annotated[str, typer.Option(help="kts | uniform:SECONDS")] = "kts",
    no_asr: NoAsrOption = False,
    asr_model: AutoAsrModelOption = "auto",
    no_ocr: NoOcrOption = False,
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder.")] = Path("vidgist-out"),
    fast: Annotated[
        bool, typer.Option("--fast", help="Stream-copy summary.mp4, cutting at key frames.")
    ] = False,
    no_video: Annotated[bool, typer.Option("--no-video", help="Do not write summary.mp4.")] = False,
    video_preset: Annotated[
        str,
        typer.Option(
            help="x264 preset of summary.mp4: ultrafast (fastest) ... veryfast (about 2.5x "
            "smaller files, about 1.8x slower) ... veryslow."
        ),
    ] = "ultrafast",
    as_json: Annotated[bool, typer.Option("--json", help="Print summary.json to stdout.")] = False,
    chapters: Annotated[
        bool,
        typer.Option("--chapters", help="Print the chapters to stdout as YouTube-style lines (00:00 Title)."),
    ] = False,
    chapters_out: Annotated[
        list[Path] | None,
        typer.Option(
            "--chapters-out",
            help="Also write the chapters to FILE, by suffix: .vtt (WebVTT, <track kind=chapters>), "
            ".txt (YouTube lines), .ffmeta (FFmpeg metadata), .mp4/.mkv/.mov (a copy of VIDEO with "
            "chapters); repeat for several.",
        ),
    ] = None,
    chapter_count: Annotated[
        int | None,
        typer.Option(
            "--chapter-count",
            help="Cut the speech into this many chapters when you know the number of sections (an agenda, "
            "a table of contents); used where chapters come from speech alone. Default: found.",
        ),
    ] = None,
    spoken_transitions: Annotated[
        bool,
        typer.Option(
            "--spoken-transitions",
            help='Let chapters from speech start on a sentence that opens a new topic aloud ("Next, ...", '
            '"Moving on, ..."), for talks that say them. Off by default: a misheard word can read as one.',
        ),
    ] = False,
    protocol: Annotated[
        bool,
        typer.Option(
            "--protocol",
            help="Without queries: pick key shots by the TVSum/SumMe knapsack "
            "on mean shot scores (the evaluation protocol) instead of covering every chapter.",
        ),
    ] = False,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Video library to reuse evidence from (default: $VIDGIST_LIBRARY, else the "
            "user data dir's, when it exists); see `vidgist index`.",
        ),
    ] = None,
    no_library: Annotated[bool, typer.Option("--no-library", help="Always decode the video.")] = False,
) -> None:
    """Score every moment of VIDEO for the queries, pick key shots, write summary.json/.mp4 and scores.png."""
    from vidgist.util.threads import single_thread_blas

    single_thread_blas()  # before numpy loads: its workers spun beside decoding (1.8 CPU s per 10 min)
    from vidgist.media.cut import check_video_preset
    from vidgist.summarize.pipeline import (
        Summarizer,
        check_chapter_count,
        check_min_relevance,
        checked_budget,
        normalize_queries,
    )
    from vidgist.util.atomic import check_writable_dir

    queries = normalize_queries(query)
    budget = checked_budget(budget, max_seconds)
    check_min_relevance(min_relevance)
    check_chapter_count(chapter_count)
    check_writable_dir(output)
    check_video_preset(video_preset)
    from vidgist.summarize.chapters_export import check_chapters_out, write_chapters

    check_chapters_out(chapters_out or [])
    s = Summarizer(
        backbone=backbone,
        scorer=scorer,
        fps=fps,
        asr=not no_asr,
        asr_model=asr_model,
        ocr=not no_ocr,
        shots=shots,
        progress=True,
    )
    collected = None
    if not no_library:
        from vidgist.library.reuse import evidence_from_library

        found = evidence_from_library(db, video, s)
        if found is not None:
            collected, note = found
            print(note, file=sys.stderr)
    # the same selection runs on evidence collected above or on the video decoded now
    run = partial(s.summarize_evidence, *collected) if collected is not None else partial(s.summarize, video)
    result = run(
        queries=queries,
        budget=budget,
        max_seconds=max_seconds,
        min_relevance=min_relevance,
        fill=fill,
        protocol=protocol,
        chapter_count=chapter_count,
        spoken_transitions=spoken_transitions,
    )
    if result.damage is not None:
        print(f"vidgist: warning: {result.damage.warning()}", file=sys.stderr)
    from vidgist.summarize.result import no_match_message

    no_match = no_match_message(result)
    paths = result.save(
        output, video=not no_video and no_match is None, fast=fast, progress=True, video_preset=video_preset
    )
    if max_seconds is not None and max_seconds >= result.info.duration:
        print(
            f"note: --max-seconds {max_seconds:g} is not shorter than the video "
            f"({result.info.duration:.2f} s), so it does not limit the summary",
            file=sys.stderr,
        )
    _chapter_notes(result, chapter_count, spoken_transitions)
    for target in chapters_out or []:
        if result.chapters is not None:
            kind = write_chapters(target, result.chapters.chapters, result.info.duration, source=video)
            print(f"chapters ({kind}): {target}", file=sys.stderr)
    _report(result, paths, as_json, chapters)


def _chapter_notes(result: SummaryResult, chapter_count: int | None, spoken_transitions: bool) -> None:
    """Notes on stderr where a chapter option does not apply or cannot be met, and a hint where the count
    of chapters from speech alone is the rule's estimate."""
    from vidgist.summarize.topic_segments import TopicParams

    basis = result.chapters.basis if result.chapters is not None else "transcript"
    from_speech = basis.startswith("transcript")
    if not from_speech:
        for given, flag in (
            (chapter_count is not None, "--chapter-count"),
            (spoken_transitions, "--spoken-transitions"),
        ):
            if given:
                print(
                    f"note: {flag} applies to chapters from speech alone; these come from {basis}",
                    file=sys.stderr,
                )
    n_chapters = len(result.chapters.chapters) if result.chapters is not None else 0
    if chapter_count is not None and from_speech and n_chapters < chapter_count:
        print(
            f"note: --chapter-count {chapter_count}: the speech makes {plural(n_chapters, 'chapter')}; "
            f"a chapter starts at a sentence and lasts at least {TopicParams().min_seconds:g} s",
            file=sys.stderr,
        )
    estimated = result.chapters is not None and from_speech and "count said" not in basis
    if estimated and chapter_count is None and result.info.duration >= 3 * TopicParams().min_seconds:
        print(
            "hint: the number of chapters from speech alone is an estimate (a talk of many short "
            "sections may get fewer); if you know how many sections it has, add --chapter-count N",
            file=sys.stderr,
        )


def _report(result: SummaryResult, paths: dict[str, Path], as_json: bool, chapters: bool = False) -> None:
    """The segments on stdout (summary.json with --json, else the chapters as YouTube lines with --chapters);
    backbone, scorer, the no-match answer, unmatched queries, file paths and the chapter count on stderr."""
    from vidgist.summarize.result import format_timestamp, no_match_message, unmatched_queries

    err = sys.stderr
    print(
        f"backbone: {result.backbone} ({result.backbone_reason})"
        if result.backbone_reason
        else f"backbone: {result.backbone}",
        file=err,
    )
    print(
        f"scorer: {result.scorer}; {plural(len(result.segments), 'segment')}, {result.summary_seconds:.2f} s "
        f"of {result.info.duration:.2f} s",
        file=err,
    )
    no_match = no_match_message(result)
    if no_match is not None:
        print(no_match, file=err)
    for q in unmatched_queries(result):
        print(f'no moment matches "{q}"; the other queries share the summary', file=err)
    for name, p in paths.items():
        print(f"{name}: {p}", file=err)
    if result.chapters is not None:
        print(f"chapters: {len(result.chapters.chapters)} from {result.chapters.basis}", file=err)
    if as_json:
        print(json.dumps(json.loads(paths["json"].read_text(encoding="utf-8")), indent=2, ensure_ascii=False))
        return
    if chapters and result.chapters is not None:
        from vidgist.summarize.chapters import youtube_lines

        print("\n".join(youtube_lines(result.chapters.chapters, result.info.duration)))
        return
    for seg in result.segments:
        rel = f"  relevance {seg.relevance:.2f}" if hasattr(seg, "relevance") else ""
        print(f"{format_timestamp(seg.start)} - {format_timestamp(seg.end)}  score {seg.score:.3f}{rel}")
