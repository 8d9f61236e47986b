"""The typer apps every command module registers on. Keep this import-light."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

app = typer.Typer(
    name="vidgist",
    help="Find the gist of a video: query-focused summaries and search-query suggestions, offline on a CPU.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def command_group(name: str, help: str) -> typer.Typer:
    """The group ``vidgist NAME COMMAND``, registered on ``app``; given no command it prints its help."""
    group = typer.Typer(help=help, no_args_is_help=True)
    app.add_typer(group, name=name)
    return group


train_app = command_group("train", "Train models (CLIP-It frame scorer, QMS query generator).")
eval_app = command_group("eval", "Evaluate with the field's reference protocols.")
datasets_app = command_group("datasets", "Build and check benchmark dataset files.")
features_app = command_group("features", "Extract and cache frame and text features.")


def _print_version(value: bool) -> None:
    if value:
        from vidgist.version import __version__

        typer.echo(f"vidgist {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", callback=_print_version, is_eager=True),
    ] = False,
) -> None:
    """Find the gist of a video: query-focused summaries and search-query suggestions, offline on a CPU."""


#: options that several training commands share, declared once
EpochsOption = Annotated[Optional[int], typer.Option("--epochs", help="Override the number of epochs.")]  # noqa: UP045


def config_argument(pattern: str) -> typer.models.ArgumentInfo:
    """The positional YAML config argument of a training command; ``pattern`` names the examples."""
    return typer.Argument(help=f"YAML config (see configs/{pattern}).")


def run_folder_option(default: str) -> typer.models.OptionInfo:
    """``-o/--output``: the run folder; ``default`` says where it goes when omitted."""
    return typer.Option("-o", "--output", help=f"Run folder (default: {default}).")


#: evidence-stage switches that every command decoding a video shares
NoAsrOption = Annotated[bool, typer.Option("--no-asr", help="Skip speech transcription.")]
#: the speech model of ``summarize`` and ``batch summarize`` (``media.speech.transcribe_auto`` for auto)
AutoAsrModelOption = Annotated[
    str,
    typer.Option(help="auto (tiny.en; multilingual base for speech in another language) | tiny.en | base"),
]
NoOcrOption = Annotated[bool, typer.Option("--no-ocr", help="Skip on-screen text.")]

#: where per-video work runs (``vidgist index``, ``vidgist batch summarize``); see vidgist.batch
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        help="local (this process) | ray (a Ray instance on this machine, 127.0.0.1 only) | ray:auto | "
        "ray:ray://HOST:PORT (an existing cluster; videos must be at the same path on every node).",
    ),
]
WorkersOption = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--workers", help="Ray actors (default: (cluster CPUs - 1 if started here) / --threads)."),
]
TimeoutOption = Annotated[
    float, typer.Option("--timeout", help="Seconds one video may take on a Ray worker before it fails.")
]


#: summary-length and selection options that `summarize` and `batch summarize` share
MaxSecondsOption = Annotated[
    Optional[float], typer.Option(help="Summary length cap in seconds (instead of --budget).")  # noqa: UP045
]
MinRelevanceOption = Annotated[
    Optional[float],  # noqa: UP045
    typer.Option(
        "--min-relevance",
        help="With -q: keep only moments whose calibrated relevance (0-1, the "
        "same in every video) is at least this (default 0.5).",
    ),
]
FillOption = Annotated[
    bool,
    typer.Option(
        "--fill",
        help="With -q: fill the whole budget with the best-scoring shots, "
        "relevant or not (TVSum/SumMe protocol).",
    ),
]
