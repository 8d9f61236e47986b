"""Chapters in a real browser: Playwright for Python driving Debian's Chromium (/usr/bin/chromium, launched
with ``executable_path``, never ``playwright install``); every server listens on 127.0.0.1.

1. The ``chapters.vtt`` that ``--chapters-out`` writes, on a ``<track kind="chapters">`` of a small page
   served over HTTP: Chromium loads its cues with the right times and titles (non-ASCII included).
2. The web page (``vidgist serve``): after a summary, the source video carries a chapters track whose cues
   are the summary's chapters, and the chapter bar under the timeline seeks the source video.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from servekit import FAST, chromium, finished, running_server, upload, wait_for
from videogen import make_video

from vidgist.serve import ServeConfig
from vidgist.summarize.chapters import Chapter
from vidgist.summarize.chapters_export import write_chapters

CHAPTERS = (Chapter(0.0, 4.0, "Opening"), Chapter(4.0, 9.5, "Café au lait"), Chapter(9.5, 12.0, "总结"))
PAGE = """<!doctype html><meta charset="utf-8">
<video id="v" src="talk.mp4" preload="auto" muted>
  <track id="t" kind="chapters" src="chapters.vtt" srclang="en" default>
</video>"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def _three_parts(path: Path, seconds: int) -> Path:
    """Three coloured parts of ``seconds`` each, no sound."""
    parts = [
        {"duration": seconds, "color": (200, 40, 40), "pattern": "noise"},
        {"duration": seconds, "color": (40, 180, 60), "pattern": "bars"},
        {"duration": seconds, "color": (40, 60, 200), "pattern": "moving"},
    ]
    make_video(path, parts, fps=4, size=(320, 180), audio=False)
    return path


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three coloured parts of 4 s (no sound): a real video the page can play."""
    return _three_parts(tmp_path_factory.mktemp("chapters-clip") / "talk.mp4", 4)


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three coloured parts of 12 s without speech: the page's summary gets chapters from the shots."""
    return _three_parts(tmp_path_factory.mktemp("chapters-long") / "parts.mp4", 12)


@pytest.fixture(scope="module")
def static_site(clip: Path) -> Iterator[str]:
    """The clip, its chapters.vtt (written by the exporter) and a page with the track, over HTTP."""
    folder = clip.parent
    write_chapters(folder / "chapters.vtt", CHAPTERS, 12.0)
    (folder / "index.html").write_text(PAGE, encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep the test output clean
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


CUES_JS = """(id) => {
  const t = document.getElementById(id).track;
  return t && t.cues && t.cues.length ? Array.from(t.cues).map(c => [c.startTime, c.endTime, c.text]) : null;
}"""


def test_chromium_reads_the_exported_chapters_track(browser: Any, static_site: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(static_site + "/index.html")
    page.evaluate("document.getElementById('t').track.mode = 'hidden'")  # load the cues
    page.wait_for_function(f"({CUES_JS})('t') !== null", timeout=15_000)
    cues = page.evaluate(f"({CUES_JS})('t')")
    assert cues == [[0.0, 4.0, "Opening"], [4.0, 9.5, "Café au lait"], [9.5, 12.0, "总结"]]
    assert page.evaluate("document.getElementById('t').track.kind") == "chapters"
    assert not errors, errors
    page.close()


def test_web_page_shows_chapters_on_the_source_video(browser: Any, long_clip: Path, tmp_path: Path) -> None:
    with running_server(ServeConfig(data=tmp_path / "data")) as base:
        with httpx.Client(base_url=base, timeout=60) as client:
            job = upload(client, long_clip, **FAST).json()["id"]
            state = wait_for(client, job, finished, timeout=50)
            assert state["status"] == "done", state
            chapters = client.get(f"/api/summaries/{job}/summary.json").json()["chapters"]
        assert len(chapters) >= 2
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{base}/#job={job}")
        page.wait_for_selector("#job-status.done", timeout=30_000)
        page.wait_for_selector("#chapter-bar button.chapter")
        js = """() => {
          const t = document.querySelector('#source-player track[kind=chapters]');
          const c = t && t.track.cues;
          return c && c.length ? Array.from(c).map(x => [x.startTime, x.text]) : null;
        }"""
        page.wait_for_function(f"({js})() !== null", timeout=15_000)
        cues = page.evaluate(f"({js})()")
        assert [text for _, text in cues] == [c["title"] for c in chapters]
        assert [round(t, 2) for t, _ in cues[1:]] == [round(c["start"], 2) for c in chapters[1:]]
        labels = page.eval_on_selector_all(
            "#chapter-bar button.chapter", "els => els.map(e => e.textContent)"
        )
        assert labels == [c["title"] for c in chapters]
        page.evaluate("document.getElementById('source-player').pause()")
        page.locator("#chapter-bar button.chapter").nth(1).click()
        target = chapters[1]["start"]
        page.wait_for_function(
            f"Math.abs(document.getElementById('source-player').currentTime - {target}) < 0.3", timeout=15_000
        )
        assert not errors, errors
        page.close()
