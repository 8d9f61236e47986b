"""`vidgist serve`: thin over vidgist.serve (FastAPI on uvicorn)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer

from vidgist.cli.apps import app
from vidgist.errors import InputError


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost'."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_size(text: str) -> int:
    """'2G', '500M', '1.5GB', '1000000' -> bytes (decimal units). InputError otherwise."""
    t = text.strip().upper().removesuffix("B")
    scale = {"K": 1000, "M": 1000**2, "G": 1000**3, "T": 1000**4}.get(t[-1:], 1)
    try:
        n = float(t[:-1] if scale > 1 else t) * scale
    except ValueError:
        n = -1
    if not n > 0:
        raise InputError(f"--max-upload {text}: give a size such as 500M or 2G")
    return int(n)


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to bind; any but loopback needs --token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    db: Annotated[
        Path | None,
        typer.Option(
            help="Library the search tab searches (default: vidgist index's default library, if it exists).",
        ),
    ] = None,
    data: Annotated[Path, typer.Option(help="Folder for jobs, uploads and outputs.")] = Path("vidgist-data"),
    token: Annotated[
        str | None,
        typer.Option(
            envvar="VIDGIST_TOKEN",
            help="Every request must carry it (Bearer header, or open /?token=...).",
        ),
    ] = None,
    workers: Annotated[int, typer.Option(help="Summary jobs run at once.")] = 1,
    max_upload: Annotated[str, typer.Option(help="Largest upload accepted, e.g. 500M, 2G.")] = "2G",
    no_asr: Annotated[bool, typer.Option("--no-asr", help="Skip speech transcription in jobs.")] = False,
    no_ocr: Annotated[bool, typer.Option("--no-ocr", help="Skip on-screen text in jobs.")] = False,
    backbone: Annotated[str, typer.Option(help="auto | offline | clip[:MODEL[:PATH]]")] = "auto",
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the web page: upload, summarize, search the library."""
    from vidgist.util.atomic import ensure_writable_dir
    from vidgist.util.ranges import check_range

    if not is_loopback(host) and not token:
        raise InputError(f"--host {host}: binding beyond loopback needs --token (or $VIDGIST_TOKEN)")
    check_range("--port", port, 1, 65535, low_inclusive=True, noun="port number", integer=True)
    check_range("--workers", workers, 1, low_inclusive=True, noun="integer", integer=True)
    upload_limit = parse_size(max_upload)
    if db is not None and not db.is_file():
        raise InputError(f"{db}: no such library file; build it with vidgist index VIDEO_DIR --db {db}")
    if db is None:
        from vidgist.library import default_db_path

        db = default_db_path() if default_db_path().is_file() else None
    ensure_writable_dir(data)
    import uvicorn

    from vidgist.serve import ServeConfig, create_app

    config = ServeConfig(
        data=data.resolve(),
        db=db.resolve() if db else None,
        token=token or None,
        max_upload=upload_limit,
        workers=workers,
        summarize={"asr": not no_asr, "ocr": not no_ocr, "backbone": backbone},
    )
    shown = "localhost" if is_loopback(host) else host
    typer.echo(
        f"vidgist serve: http://{shown}:{port}/  (API docs at /docs; data in {config.data}; "
        + (f"library {config.db})" if config.db else "no library: give --db to search)"),
        err=True,
    )
    uvicorn.run(
        create_app(config),
        host=host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=5,
        env_file=None,
    )
