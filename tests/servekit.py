"""Helpers for the server tests: a real uvicorn server on a free loopback port, raw HTTP, job polling."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from vidgist.serve import ServeConfig, create_app

#: Chromium flags for this closed network (no sandbox as root, no GPU, no background traffic)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHROMIUM = "/usr/bin/chromium"
#: jobs in most tests skip speech and on-screen text: the HTTP layer is under test, not the pipeline
FAST = {"asr": False, "ocr": False}


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (``executable_path``; never ``playwright install``)."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).is_file(), f"no Chromium at {CHROMIUM}: apt-get install chromium"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(config: ServeConfig) -> Iterator[str]:
    """Serve ``create_app(config)`` with uvicorn on 127.0.0.1 in a thread; yield its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(config), host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="test-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def raw_get(base: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """GET ``path`` exactly as written (no client-side normalisation of '..' or %2F)."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def upload(
    client: httpx.Client, video: Path, queries: list[str] | None = None, **fields: Any
) -> httpx.Response:
    data: dict[str, Any] = {k: str(v) for k, v in fields.items()}
    if queries:
        data["query"] = queries
    with open(video, "rb") as f:
        return client.post("/api/summaries", data=data, files={"file": (video.name, f, "video/mp4")})


def wait_for(client: httpx.Client, job_id: str, until: Any, timeout: float = 180) -> dict[str, Any]:
    """Poll the job until ``until(state)`` is true; return that state (fails on timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        state = client.get(f"/api/summaries/{job_id}").json()
        if until(state):
            return dict(state)
        assert time.monotonic() < deadline, f"job {job_id} stuck: {state}"
        time.sleep(0.1)


def finished(state: dict[str, Any]) -> bool:
    return state["status"] in ("done", "failed", "cancelled")


def console_errors(page: Any) -> list[str]:
    """A list that collects every console error (a failed resource load included) and uncaught exception
    of ``page`` from now on."""
    errors: list[str] = []
    page.on(
        "console",
        lambda m: errors.append(f"console: {m.text} at {m.location}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    return errors


def library_db(tmp_path_factory: Any, video: Path) -> Path:
    """A library holding ``video`` (speech by Whisper tiny.en) and a small captioned clip (a second
    video for the hits to be grouped by), built once per test session."""
    from librarygen import Part, make_clip

    from vidgist.library import Library

    folder = tmp_path_factory.getbasetemp() / "serve-library"
    db = folder / "library.sqlite"
    if not db.exists():
        folder.mkdir(exist_ok=True)
        clip = make_clip(
            folder / "clips" / "repair.mp4",
            [Part(3, "BICYCLE REPAIR", color="0x226688"), Part(3, "TIRE PRESSURE", color="0x884422")],
        )
        with Library(folder / "building.sqlite") as lib:
            report = lib.index([video, clip], asr_model="tiny.en")
        assert report.indexed == 2, report
        for part in folder.glob("building.sqlite*"):
            part.rename(folder / part.name.replace("building", "library"))
    return db
