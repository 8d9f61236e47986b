"""`vidgist query VIDEO...`: search-query suggestions per video (thin over QueryGenerator)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from vidgist.cli.apps import NoOcrOption, app
from vidgist.cli.failures import error_line
from vidgist.cli.wording import plural
from vidgist.errors import VidgistError

#: most suggestions one call returns
MAX_SUGGESTIONS = 20


@app.command("query")
def query_cmd(
    videos: Annotated[list[Path], typer.Argument(help="Video files.")],
    checkpoint: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--checkpoint", help="A QMS checkpoint folder (else zero-shot)."),
    ] = None,
    n: Annotated[int, typer.Option("-n", help=f"Suggestions per video (1..{MAX_SUGGESTIONS}).")] = 5,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON line per video (always for several).")
    ] = False,
    asr_model: Annotated[
        str,
        typer.Option(
            "--asr-model",
            help="Whisper: auto (tiny.en for English, multilingual base when "
            "the on-screen text is Chinese or too sparse to tell), base (always multilingual, "
            "slower), tiny.en, or a CTranslate2 model folder.",
        ),
    ] = "auto",
    no_ocr: NoOcrOption = False,
    asr_beam: Annotated[
        int, typer.Option("--asr-beam", help="Whisper beam width 1..10 (1: greedy, fastest).")
    ] = 1,
) -> int:
    """Suggest the search queries people would type to find each video.

    Keeps going past a file that cannot be used (reported on stderr) and exits with code 2 at the end.
    """
    from vidgist.util.threads import single_thread_blas

    single_thread_blas()  # before numpy loads: its small products run best on one thread, not spinning two
    from vidgist.qms.query import QueryGenerator
    from vidgist.util.memory import hold_freed_memory
    from vidgist.util.ranges import check_range

    hold_freed_memory()  # a short run of large models: reuse freed buffers instead of faulting in new ones

    check_range("-n", n, 1, MAX_SUGGESTIONS, low_inclusive=True, noun="integer", integer=True)
    check_range("--asr-beam", asr_beam, 1, 10, low_inclusive=True, noun="integer", integer=True)
    gen = QueryGenerator(checkpoint=checkpoint, asr_model=asr_model, ocr=not no_ocr, asr_beam=asr_beam)
    failed = 0
    json_lines = as_json or len(videos) > 1
    for v in videos:
        try:
            res = gen.suggest(v, n=n)
        except VidgistError as err:
            failed += 1
            print(error_line(str(err)), file=sys.stderr)
            continue
        if res.damage is not None:
            d = res.damage
            audio = "" if d["audio_s"] is None else f", audio {d['audio_s']:.2f} s"
            print(
                f"vidgist: warning: {v}: damaged file, decoded around the damage (lost: video "
                f"{d['video_s']:.2f} s{audio})",
                file=sys.stderr,
            )
        if json_lines:
            print(json.dumps(res.to_json(), ensure_ascii=False), flush=True)
        else:
            print(f"{v} ({res.mode}, backbone {res.backbone})")
            for i, (q, s) in enumerate(res.suggestions, 1):
                print(f"  {i}. {q}    [{s:.3f}]")
            if not res.suggestions:
                print("  (no suggestions: no speech, on-screen text or recognisable objects found)")
        if 0 < len(res.suggestions) < n:
            print(f"vidgist: {v}: {shortfall(len(res.suggestions), n, res.mode)}", file=sys.stderr)
    if failed:
        print(f"vidgist: {failed} of {plural(len(videos), 'video')} failed", file=sys.stderr)
        return 2
    return 0


def shortfall(got: int, asked: int, mode: str) -> str:
    """Why fewer than ``-n`` suggestions came back (suggestions are never padded with repeats)."""
    source = (
        "distinct phrases in the speech, on-screen text and frame labels"
        if mode == "zero-shot"
        else "distinct queries among the beam-search results"
    )
    return f"{plural(got, 'suggestion')} of the {asked} asked for: only {got} {source}"
