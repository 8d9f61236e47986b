"""`vidgist index`, `vidgist search`, `vidgist library {stats,list,remove}`: thin over ``Library``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from vidgist.cli.apps import (
    EngineOption,
    NoAsrOption,
    NoOcrOption,
    TimeoutOption,
    WorkersOption,
    app,
    command_group,
)
from vidgist.cli.wording import plural

library_app = command_group("library", "Inspect and edit the video library (see `vidgist index`).")

DbOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--db", help="Library file (default: $VIDGIST_LIBRARY, else library.sqlite in the user data dir)."
    ),
]


def _fmt(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


@app.command("index")
def index_cmd(
    paths: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Argument(
            help="Video files and folders (walked recursively); none: only bring the library file up to date."
        ),
    ] = None,
    db: DbOption = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Videos analysed at a time.")] = 1,
    no_asr: NoAsrOption = False,
    asr_model: Annotated[str, typer.Option(help="base (multilingual) | tiny.en (English)")] = "base",
    no_ocr: NoOcrOption = False,
    backbone: Annotated[
        str, typer.Option(help="auto | offline | clip[:MODEL[:PATH]] (new libraries)")
    ] = "auto",
    prune: Annotated[bool, typer.Option("--prune", help="Drop the rows of files that are gone.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    engine: EngineOption = "local",
    workers: WorkersOption = None,
    timeout: TimeoutOption = 3600.0,
) -> int:
    """Index videos once (incremental: unchanged files are skipped, renamed files are not decoded again)."""
    from vidgist.batch import index_on, parse_engine
    from vidgist.library import Library

    spec = parse_engine(engine, workers=workers, timeout=timeout)
    with Library(db, backbone=backbone) as lib:
        rep = index_on(
            lib,
            spec,
            paths or [],
            jobs=jobs,
            asr=not no_asr,
            asr_model=asr_model,
            ocr=not no_ocr,
            prune=prune,
            progress=not as_json,
        )
    if as_json:
        print(json.dumps(rep.to_json(), ensure_ascii=False))
    else:
        if rep.reembedded:
            print(f"re-embedded {rep.reembedded} stored texts for search")
        print(
            f"indexed {rep.indexed}, skipped {rep.skipped} unchanged, moved {rep.moved}, "
            f"flagged {rep.deleted} gone, pruned {rep.pruned}, failed {len(rep.failed)} "
            f"({rep.seconds:.1f} s) -> {lib.path}"
        )
    for path, reason in rep.failed:
        print(f"vidgist: failed: {path}: {reason}", file=sys.stderr)
    for _, warning in rep.damaged:
        print(f"vidgist: warning: {warning}", file=sys.stderr)
    return 0


@app.command("search")
def search_cmd(
    query: Annotated[str, typer.Argument(help="What you are looking for, in a few words.")],
    db: DbOption = None,
    k: Annotated[int, typer.Option("-k", min=1, max=1000, help="Hits to show.")] = 10,
    within: Annotated[
        Optional[str], typer.Option("--in", help="Only videos whose path matches this glob.")  # noqa: UP045
    ] = None,
    export: Annotated[
        Optional[Path], typer.Option("--export", help="Cut every hit to an mp4 in this folder.")  # noqa: UP045
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the hits as JSON.")] = False,
    weak: Annotated[
        bool, typer.Option("--weak", help="Also list stretches under the no-match line, marked weak.")
    ] = False,
    per_video: Annotated[int, typer.Option("--per-video", min=1, help="Most hits from one video.")] = 3,
    max_seconds: Annotated[float, typer.Option("--max-seconds", help="Longest hit, in seconds.")] = 30.0,
    line: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--line",
            help="The no-match line: each video's own (video), or counted over the videos the search "
            "scores (scored, the default) or the whole library (library, stricter in large libraries).",
        ),
    ] = None,
) -> int:
    """Find the stretches that match QUERY across every indexed video, with why each matched.

    A hit's relevance is the one `vidgist summarize -q` computes for the same query and moment; stretches
    under the no-match line (--line) are left out unless --weak."""
    from vidgist.errors import InputError
    from vidgist.library import Library
    from vidgist.library.search import NULLS, SEARCHED_NULL

    line = line or SEARCHED_NULL
    if line not in NULLS:
        raise InputError(f"--line {line}: choose one of {', '.join(NULLS)}")
    with Library(db, readonly=True) as lib:
        hits = lib.search(
            query, k=k, within=within, weak=weak, per_video=per_video, max_seconds=max_seconds, null=line
        )
        exported = lib.export(hits, export) if export is not None and hits else []
    if as_json:
        print(json.dumps({"query": query, "hits": [h.to_json() for h in hits]}, ensure_ascii=False, indent=2))
    elif not hits:
        print(f"no moment matches {query!r} in {lib.path}")
    for i, h in enumerate(hits if not as_json else [], 1):
        label = "  (weak: under the no-match line of this search)" if h.weak else ""
        print(f"{i:2d}. {h.video}  {_fmt(h.start)}-{_fmt(h.end)}  relevance {h.relevance:.2f}{label}")
        for e in h.evidence:
            print(f"      {e}")
        for e in h.about:
            print(f"      (the whole video) {e}")
    for p in exported:
        print(f"exported: {p}", file=sys.stderr)
    return 0


@library_app.command("stats")
def stats_cmd(
    db: DbOption = None, as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False
) -> int:
    """Counts: videos, hours, moments, text spans per channel, vectors, file size."""
    from dataclasses import asdict

    from vidgist.library import Library

    with Library(db, readonly=True) as lib:
        st = lib.stats()
    if as_json:
        print(json.dumps(asdict(st), ensure_ascii=False))
        return 0
    print(
        f"{st.path} (schema {st.schema_version}): {plural(st.videos, 'video')} ({st.hours:.2f} h), "
        f"{st.failed} failed, "
        f"{st.deleted} gone; {st.moments} moments, spans {st.spans}, {st.vectors} vectors, "
        f"{st.bytes / 1e6:.1f} MB"
    )
    return 0


@library_app.command("list")
def list_cmd(db: DbOption = None) -> int:
    """Every file the library knows, with its status."""
    from vidgist.library import Library

    with Library(db, readonly=True) as lib:
        for v in lib.videos():
            state = "gone" if v.deleted else v.status
            extra = f"  ({v.reason})" if v.reason else ""
            print(f"{state:6s} {_fmt(v.duration)} {v.moments:4d} moments  {v.path}{extra}")
    return 0


@library_app.command("remove")
def remove_cmd(
    path: Annotated[Path, typer.Argument(help="A file or folder in the library.")], db: DbOption = None
) -> int:
    """Drop a file's rows (or every file under a folder) from the library."""
    from vidgist.library import Library

    with Library(db) as lib:
        n = lib.remove(path)
    print(f"removed {plural(n, 'video')} from {lib.path}")
    return 0
