"""summary.mp4 plays to the end in a real browser: Debian's Chromium driven by Playwright for Python.

The smart cut mixes copied GOPs of the source with re-encoded pieces (each with its own parameter sets);
a browser's demuxer and decoder must play across every join. Chromium is launched with
``executable_path`` (never ``playwright install``); the file is served from 127.0.0.1 with byte ranges,
as a web server serves it.
"""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import pytest
from conftest import VIDEOS
from servekit import chromium

from vidgist.media.cut import write_summary_video
from vidgist.media.video import probe

SPANS = [(1.3, 5.7), (9.1, 12.2), (20.4, 26.0)]


class _RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with ``Range: bytes=a-b`` answered by 206 (media elements seek with it)."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        path = Path(self.translate_path(self.path))
        m = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if not path.is_file() or m is None:
            super().do_GET()
            return
        size = path.stat().st_size
        start, end = int(m.group(1)), int(m.group(2) or size - 1)
        end = min(end, size - 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        with path.open("rb") as fh:
            fh.seek(start)
            self.wfile.write(fh.read(end - start + 1))


#: shared clips (H.264 + AAC) and their picture size: the first one's AAC time stamps stray, so its sound
#: is re-encoded; the second one's sound is copied packet by packet
CLIPS = {"bigbuckbunny_30s_360p.mp4": (640, 360), "world_30s.mp4": (480, 270)}


@pytest.fixture(scope="module", params=sorted(CLIPS))
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path, str]]:
    """The smart cut of a shared clip and the URL it is served at."""
    d = tmp_path_factory.mktemp("playback")
    out = write_summary_video(VIDEOS / request.param, SPANS, d / "summary.mp4")
    (d / "index.html").write_text('<!doctype html><video id="v" src="summary.mp4" muted playsinline></video>')

    def handler(*args: Any) -> _RangeHandler:
        return _RangeHandler(*args, directory=str(d))

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html", out, request.param
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


PLAY = """async () => {
  const v = document.getElementById('v');
  await new Promise((ok, bad) => {
    if (v.readyState >= 1) ok(); else { v.onloadedmetadata = ok; v.onerror = () => bad(v.error); }
  });
  v.playbackRate = 4;
  const ended = new Promise((ok, bad) => {
    v.onended = ok; v.onerror = () => bad(String(v.error && v.error.message));
  });
  await v.play();
  await ended;
  const q = v.getVideoPlaybackQuality();
  return {duration: v.duration, time: v.currentTime, error: v.error ? v.error.code : null,
          frames: q.totalVideoFrames, width: v.videoWidth, height: v.videoHeight};
}"""


def test_smart_cut_plays_to_the_end_in_chromium(browser: Any, served: tuple[str, Path, str]) -> None:
    url, path, clip = served
    with av.open(str(path)) as c:  # the file really is a smart cut: it holds copied key frames
        n_keys = sum(1 for p in c.demux(c.streams.video[0]) if p.is_keyframe and p.size)
    assert n_keys >= 4
    total = sum(b - a for a, b in SPANS)
    page = browser.new_page()
    try:
        page.goto(url)
        got = page.evaluate(PLAY)
    finally:
        page.close()
    assert got["error"] is None
    assert got["duration"] == pytest.approx(total, abs=0.15)
    assert got["time"] == pytest.approx(got["duration"], abs=0.05)  # reached the end
    assert (got["width"], got["height"]) == CLIPS[clip]
    assert (
        got["frames"] >= 0.8 * total * probe(VIDEOS / clip).fps
    )  # every frame went through the decoder (shown or dropped)
