"""`vidgist query VIDEO...`: search-query suggestions per video (thin over QueryGenerator)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from vidgist.cli.apps import app
from vidgist.errors import VidgistError


@app.command("query")
def query_cmd(
    videos: Annotated[list[Path], typer.Argument(help="Video files.")],
    checkpoint: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--checkpoint", help="A QMS checkpoint folder (else zero-shot)."),
    ] = None,
    n: Annotated[int, typer.Option("-n", min=1, max=20, help="Suggestions per video.")] = 5,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON line per video (always for several).")
    ] = False,
    asr_model: Annotated[
        str, typer.Option("--asr-model", help="Whisper: base (multilingual) or tiny.en.")
    ] = "base",
    no_ocr: Annotated[bool, typer.Option("--no-ocr", help="Skip on-screen text.")] = False,
) -> int:
    """Suggest the search queries people would type to find each video.

    Keeps going past a file that cannot be used (reported on stderr) and exits with code 2 at the end.
    """
    from vidgist.qms.query import QueryGenerator

    gen = QueryGenerator(checkpoint=checkpoint, asr_model=asr_model, ocr=not no_ocr)
    failed = 0
    json_lines = as_json or len(videos) > 1
    for v in videos:
        try:
            res = gen.suggest(v, n=n)
        except VidgistError as err:
            failed += 1
            print(f"vidgist: error: {err}", file=sys.stderr)
            continue
        if json_lines:
            print(json.dumps(res.to_json(), ensure_ascii=False), flush=True)
        else:
            print(f"{v} ({res.mode}, backbone {res.backbone})")
            for i, (q, s) in enumerate(res.suggestions, 1):
                print(f"  {i}. {q}    [{s:.3f}]")
            if not res.suggestions:
                print("  (no suggestions: no speech, on-screen text or recognisable objects found)")
    if failed:
        print(f"vidgist: {failed} of {len(videos)} video(s) failed", file=sys.stderr)
        return 2
    return 0
