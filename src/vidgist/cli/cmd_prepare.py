"""`vidgist prepare`: build every model cache once, ahead of the first summary or search."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from vidgist.cli.apps import app


@app.command("prepare")
def prepare(
    speech: Annotated[
        bool,
        typer.Option("--speech/--no-speech", help="Also assemble the multilingual Whisper base model."),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the steps as JSON on stdout.")] = False,
) -> None:
    """Build every model cache (ONNX exports, label banks, title nouns, OCR and speech models) in the cache
    folder ($VIDGIST_CACHE, else ~/.cache/vidgist), so the first summary or search does not pay for them.
    Offline: every weight comes from an installed package. Safe to run again: made caches are kept."""
    from vidgist.summarize.prepare import PreparedStep, prepare_models
    from vidgist.util.cache import cache_dir

    def report(step: PreparedStep) -> None:
        done = f"skipped: {step.skipped}" if step.skipped else f"ready ({step.seconds:.1f} s)"
        typer.echo(f"{step.name}: {done}", err=True)

    steps = prepare_models(speech=speech, on_step=report)
    if as_json:
        rows = [{"step": s.name, "seconds": round(s.seconds, 3), "skipped": s.skipped} for s in steps]
        typer.echo(json.dumps({"cache": str(cache_dir()), "steps": rows}))
    else:
        typer.echo(f"model caches ready in {cache_dir()}")
