"""The web page in a real browser: Playwright for Python driving Debian's Chromium (/usr/bin/chromium).

Chromium is launched with ``executable_path`` (never ``playwright install``); without Chromium or
Playwright these tests fail and say how to install them. Every test fails on any console error of the
page (a resource that fails to load included) or uncaught exception. Screenshots of both tabs go to
``test-output/serve/`` (git-ignored), or ``$VIDGIST_SCREENSHOTS``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, VIDEOS
from librarygen import long_moving_clip
from servekit import CHROMIUM, chromium, console_errors, library_db, running_server

from vidgist.serve import ServeConfig

QUERY = "bicycles racing down a mountain trail"
SHOTS = Path(os.environ.get("VIDGIST_SCREENSHOTS") or REPO / "test-output" / "serve")


def _missing(reason: str) -> None:
    pytest.fail(
        f"{reason}: install Debian's chromium (`sudo apt-get install chromium`) and "
        "`pip install playwright` to run the browser tests"
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).is_file():
        _missing(f"no Chromium at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("Playwright for Python is not installed")
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def site_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data folder of the ``site`` server (its jobs)."""
    return tmp_path_factory.mktemp("serve-browser") / "data"


@pytest.fixture(scope="module")
def site(site_data: Path) -> Iterator[str]:
    with running_server(ServeConfig(data=site_data)) as base:
        yield base


@pytest.fixture(scope="module")
def library_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server whose library (--db) holds the narrated demo."""
    db = library_db(tmp_path_factory, VIDEOS / "narrated_demo_24s.mp4")
    data = tmp_path_factory.mktemp("serve-browser-lib") / "data"
    with running_server(ServeConfig(data=data, db=db)) as base:
        yield base


def current_time(page: Any, player: str) -> float:
    return float(page.evaluate(f"document.getElementById('{player}').currentTime"))


def test_summarize_in_the_browser(browser: Any, site: str, site_data: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 1100})
    errors = console_errors(page)
    page.goto(site + "/")
    page.set_input_files("#file", str(VIDEOS / "narrated_demo_24s.mp4"))
    page.fill("input.query", QUERY)
    page.check("#spoken-transitions")  # the narration says "Next, ..." and "Finally, ..."
    page.click("#submit")
    page.wait_for_selector("#job-status.running, #job-status.queued, #job-status.done", timeout=30_000)
    assert "#job=" in page.url  # the job id is in the address, so a reload finds it again
    job = json.loads((site_data / "jobs" / page.url.split("#job=")[1] / "job.json").read_text("utf-8"))
    assert job["spoken_transitions"] is True and job["queries"] == [QUERY]
    page.wait_for_selector("#job-status.done", timeout=240_000)
    page.wait_for_selector("li.segment")

    segments = page.eval_on_selector_all(
        "li.segment", "els => els.map(e => [Number(e.dataset.start), Number(e.dataset.end)])"
    )
    # mostly inside the bicycle part (8-16 s): a cut may fall a shot boundary before the narration starts
    inside = [i for i, (a, b) in enumerate(segments) if min(b, 16.0) - max(a, 8.0) >= 0.75 * (b - a)]
    assert inside, f"no segment mostly inside 8-16 s: {segments}"
    target = segments[inside[-1]][0]
    page.locator("li.segment").nth(inside[-1]).click()
    page.wait_for_function(
        f"Math.abs(document.getElementById('source-player').currentTime - {target}) < 0.6", timeout=15_000
    )
    assert page.locator("li.segment img").first.evaluate("img => img.complete && img.naturalWidth > 0")

    page.evaluate("document.getElementById('source-player').pause()")
    box = page.locator("#timeline").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 20.0 / 24.0, box["y"] + box["height"] / 2)  # 20 s of 24
    page.wait_for_function(
        "Math.abs(document.getElementById('source-player').currentTime - 20) < 0.6", timeout=15_000
    )

    page.evaluate("document.getElementById('summary-player').play()")
    page.wait_for_function("document.getElementById('summary-player').readyState >= 2", timeout=15_000)
    assert page.get_attribute("#dl-video", "href", timeout=5_000).endswith("/video")
    page.screenshot(path=str(SHOTS / "summarize-tab.png"), full_page=True)

    page.reload()  # progress and results survive a reload
    page.wait_for_selector("#job-status.done", timeout=30_000)
    assert page.locator("li.segment").count() == len(segments)
    assert not errors, errors
    page.close()


def test_page_loads_without_console_errors(browser: Any, site: str) -> None:
    page = browser.new_page()
    errors = console_errors(page)
    page.goto(site + "/")
    page.wait_for_load_state("networkidle")
    page.click("#tab-search")
    page.click("#tab-summarize")
    assert page.is_visible("#panel-summarize")
    assert not errors, errors
    page.close()


def test_search_the_library_in_the_browser(browser: Any, library_site: str) -> None:
    site = library_site
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = console_errors(page)
    page.goto(site + "/")
    page.click("#tab-search")
    assert page.is_hidden("#panel-summarize") and page.is_visible("#panel-search")
    # a phrase the narration says at 8-16 s, with words every Whisper compute type hears
    page.fill("#search-q", "riders race their bicycles down the mountain trail")
    page.click("#search-go")
    page.wait_for_selector("li.hit", timeout=120_000)
    groups = page.eval_on_selector_all(
        "li.video-group",
        "gs => gs.map(g => [g.querySelector('.name').textContent, "
        "[...g.querySelectorAll('li.hit')].map(h => Number(h.dataset.relevance))])",
    )
    names = [name for name, _ in groups]
    assert len(names) == len(set(names)), groups  # one group per video
    assert all(rel == sorted(rel, reverse=True) for _, rel in groups), groups  # best moment first
    assert [g[1][0] for g in groups] == sorted((g[1][0] for g in groups), reverse=True), groups
    first = page.locator("li.hit").first
    assert names[0] == "narrated_demo_24s.mp4", groups
    text = first.inner_text()  # tiny.en hears "bicycles" as "nearby signals" on some CPUs
    assert ("bicycles" in text or "mountain trail" in text) and "said: " in text  # its own sentence
    start = float(first.get_attribute("data-start") or "nan")
    end = float(first.get_attribute("data-end") or "nan")
    assert 0.0 < start < 16.0 and end > 8.0 and end - start <= 30.0
    first.click()
    page.wait_for_function(
        f"(p => p.readyState >= 2 && Math.abs(p.currentTime - {start}) < 0.6)"
        "(document.getElementById('search-player'))",
        timeout=20_000,
    )
    assert first.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    page.screenshot(path=str(SHOTS / "search-tab.png"), full_page=True)

    page.fill("#search-q", "submarine volcano eruption")  # nothing in the library
    page.click("#search-go")
    page.wait_for_function("document.getElementById('search-info').textContent.startsWith('No moment')")
    assert page.locator("li.hit").count() == 0
    page.check("#search-weak")
    page.click("#search-go")
    page.wait_for_selector("li.hit.weak", timeout=30_000)
    assert page.locator("li.hit:not(.weak)").count() == 0
    assert page.locator("li.hit .weak-badge").first.is_visible()
    assert not errors, errors
    page.close()


def test_cancel_in_the_browser(browser: Any, site: str, tmp_path: Path) -> None:
    long_clip = long_moving_clip(tmp_path / "long.mp4")
    page = browser.new_page()
    errors = console_errors(page)
    page.goto(site + "/")
    page.set_input_files("#file", str(long_clip))
    page.click("#submit")
    page.wait_for_function(
        "document.getElementById('job-stage').textContent.startsWith('decoding')", timeout=60_000
    )
    assert 0 < float(page.evaluate("document.getElementById('job-progress').value")) < 1
    page.click("#cancel")
    page.wait_for_selector("#job-status.cancelled", timeout=30_000)
    assert page.is_hidden("#cancel") and page.is_hidden("#result")
    assert not errors, errors
    page.close()


def test_token_in_the_browser(browser: Any, tmp_path: Path) -> None:
    """Opening /?token=... once lets the page's own requests (fetch, media) carry the token as a cookie."""
    with running_server(ServeConfig(data=tmp_path / "data", token="s3cret")) as base:
        stranger = browser.new_context()
        page = stranger.new_page()
        assert page.goto(base + "/").status == 401
        stranger.close()
        context = browser.new_context()
        page = context.new_page()
        assert page.goto(base + "/?token=s3cret").status == 200
        assert page.evaluate("fetch('/api/summaries').then(r => r.status)") == 200
        assert page.evaluate("fetch('/static/app.js').then(r => r.status)") == 200
        assert page.is_visible("#tab-search")  # the script and style loaded with the cookie
        context.close()
