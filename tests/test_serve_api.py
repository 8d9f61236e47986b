"""The HTTP API on a real uvicorn server (no browser): every endpoint's happy path and its errors."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import psutil
import pytest
import videogen as vg
from conftest import VIDEOS
from librarygen import long_moving_clip
from servekit import FAST, finished, library_db, raw_get, running_server, upload, wait_for

from vidgist.serve import ServeConfig
from vidgist.summarize import DEFAULT_BUDGET
from vidgist.version import __version__

PARTS = [
    {"duration": 3, "color": (200, 40, 40), "pattern": "noise"},
    {"duration": 3, "color": (40, 40, 200), "pattern": "moving"},
]
SECRET = "top-secret-outside-data"


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clips") / "clip.mp4"
    vg.make_video(path, PARTS, fps=10, size=(160, 120), audio=False)
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    root = tmp_path_factory.mktemp("serve")
    (root / "secret.txt").write_text(SECRET)  # beside --data: nothing may ever read it
    data = root / "data"
    with running_server(ServeConfig(data=data, summarize=FAST, max_upload=3_000_000)) as base:
        yield base, data


@pytest.fixture(scope="module")
def library_site(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A server with a library (--db) holding the narrated demo."""
    db = library_db(tmp_path_factory, VIDEOS / "narrated_demo_24s.mp4")
    with running_server(ServeConfig(data=tmp_path_factory.mktemp("serve-lib") / "data", db=db)) as base:
        yield base


@pytest.fixture()
def client(server: tuple[str, Path]) -> httpx.Client:
    with httpx.Client(base_url=server[0], timeout=60) as c:
        yield c


def job_files(data: Path) -> set[str]:
    return {str(p.relative_to(data)) for p in data.rglob("*")}


def test_health(client: httpx.Client) -> None:
    r = client.get("/api/health")
    assert r.status_code == 200 and r.json() == {"status": "ok", "version": __version__}
    assert "/api/summaries" in client.get("/openapi.json").json()["paths"]
    assert client.get("/docs").status_code == 200


def test_summary_job_and_outputs(client: httpx.Client, clip: Path, server: tuple[str, Path]) -> None:
    r = upload(client, clip, ["a small white square moving"], max_seconds=2)
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    assert len(job_id) == 32
    seen = wait_for(client, job_id, lambda s: s["status"] != "queued")
    assert seen["status"] in ("running", "done")
    state = wait_for(client, job_id, finished)
    assert state["status"] == "done", state
    assert state["progress"] == 1.0 and state["filename"] == "clip.mp4"
    doc = state["result"]
    assert doc["queries"] == ["a small white square moving"]
    assert 0 < doc["summary_seconds"] <= 2.0 + 1e-6 and doc["segments"]
    assert abs(doc["duration"] - 6.0) < 0.2

    video = client.get(f"/api/summaries/{job_id}/video")
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    part = client.get(f"/api/summaries/{job_id}/video", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == video.content[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(video.content)}"
    source = client.get(f"/api/summaries/{job_id}/source", headers={"Range": "bytes=0-"})
    assert source.status_code == 206 and source.content == clip.read_bytes()
    png = client.get(f"/api/summaries/{job_id}/scores.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert client.get(f"/api/summaries/{job_id}/summary.json").json() == doc
    for i in range(len(doc["segments"])):
        thumb = client.get(f"/api/summaries/{job_id}/thumbnails/{i}")
        assert thumb.status_code == 200 and thumb.content.startswith(b"\xff\xd8")
    assert client.get(f"/api/summaries/{job_id}/thumbnails/{len(doc['segments'])}").status_code == 404
    assert job_id in [j["id"] for j in client.get("/api/summaries").json()["jobs"]]

    page = client.get("/")
    assert page.status_code == 200 and "<title>vidgist</title>" in page.text
    assert 'id="budget"' in page.text and f'value="{DEFAULT_BUDGET:g}"' in page.text and "{{" not in page.text
    assert "function" in client.get("/static/app.js").text

    gone = client.delete(f"/api/summaries/{job_id}")  # a finished job is deleted with its files
    assert gone.status_code == 200 and gone.json()["status"] == "done" and gone.json()["result"] is None
    assert client.get(f"/api/summaries/{job_id}").status_code == 404
    assert not (server[1] / "jobs" / job_id).exists()


def test_chapter_count_reaches_the_job(client: httpx.Client, clip: Path, server: tuple[str, Path]) -> None:
    """A valid chapter_count and spoken_transitions are stored with the job the worker runs, and the job
    completes; a spoken_transitions that is no yes/no answers 422."""
    job_id = upload(client, clip, chapter_count=2, spoken_transitions="true").json()["id"]
    stored = json.loads((server[1] / "jobs" / job_id / "job.json").read_text(encoding="utf-8"))
    assert stored["chapter_count"] == 2 and stored["spoken_transitions"] is True
    bad = upload(client, clip, spoken_transitions="often")
    assert bad.status_code == 422 and "spoken_transitions 'often'" in bad.json()["error"]
    assert wait_for(client, job_id, finished)["status"] == "done"


def test_no_match_then_fill(client: httpx.Client, clip: Path) -> None:
    """A query nothing matches gives a done job with no segment and no summary video; fill=true fills."""
    query = ["a string quartet playing violins in a cathedral"]
    empty = wait_for(client, upload(client, clip, query).json()["id"], finished)
    assert empty["status"] == "done", empty
    doc = empty["result"]
    assert doc["segments"] == [] and doc["match"]["matched"] is False and doc["summary_video"] is None
    assert client.get(f"/api/summaries/{empty['id']}/video").status_code == 404
    assert client.get(f"/api/summaries/{empty['id']}/scores.png").status_code == 200
    filled = wait_for(client, upload(client, clip, query, fill="true").json()["id"], finished)
    assert filled["status"] == "done" and filled["result"]["segments"], filled
    assert client.get(f"/api/summaries/{filled['id']}/video").status_code == 200
    assert "fill 'maybe'" in upload(client, clip, query, fill="maybe").json()["error"]


def test_not_a_video_is_422_with_the_cli_message(
    client: httpx.Client, server: tuple[str, Path], tmp_path: Path
) -> None:
    notes = tmp_path / "notes.mp4"
    vg.make_not_video(notes)
    before = job_files(server[1])
    r = upload(client, notes)
    assert r.status_code == 422
    message = r.json()["error"]
    assert message.startswith("notes.mp4: not a video") and "\n" not in message
    assert str(server[1]) not in message  # no server path leaks
    cli = subprocess.run(
        [sys.executable, "-m", "vidgist.cli.main", "summarize", "notes.mp4"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 2 and cli.stderr.strip() == f"vidgist: error: {message}"
    assert job_files(server[1]) == before  # the rejected upload left nothing


def test_bad_fields_are_422(client: httpx.Client, clip: Path) -> None:
    assert "budget" in upload(client, clip, budget=3).json()["error"]
    assert upload(client, clip, budget="many").status_code == 422
    assert (
        "chapter-count 0: must be a whole number of chapters"
        in upload(client, clip, chapter_count=0).json()["error"]
    )
    assert upload(client, clip, chapter_count=2.5).status_code == 422
    assert "query is empty" in upload(client, clip, ["   "]).json()["error"]
    r = client.post("/api/summaries", data={"query": "x"}, files={"other": ("a.txt", b"hi")})
    assert r.status_code == 422 and "'file'" in r.json()["error"]
    assert client.post("/api/summaries", json={"file": "x"}).status_code == 415


def test_oversized_upload_is_refused_while_streaming(client: httpx.Client, server: tuple[str, Path]) -> None:
    before = job_files(server[1])
    big = os.urandom(4_000_000)  # the server's limit is 3 MB
    r = client.post("/api/summaries", files={"file": ("big.mp4", big, "video/mp4")})
    assert r.status_code == 413 and "3.0 MB" in r.json()["error"]

    # chunked (no Content-Length), so the server can only count while it streams; read the answer
    # between chunks: it must come while the body is still being sent
    host, port = server[0].removeprefix("http://").split(":")
    boundary, chunk, n_chunks = "vidgistboundary", b"\0" * 65536, 400  # up to 26 MB
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\n'
        f"Content-Type: video/mp4\r\n\r\n"
    ).encode()
    answer, sent = b"", 0
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(
            f"POST /api/summaries HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n".encode()
        )
        try:
            sock.sendall(b"%x\r\n%s\r\n" % (len(head), head))
            while sent < n_chunks and not select.select([sock], [], [], 0.01)[0]:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += 1
        except OSError:
            pass  # the server closed after answering
        try:
            while piece := sock.recv(65536):  # the server closes after its answer (Connection: close)
                answer += piece
        except ConnectionResetError:
            pass  # closing with body bytes still unread resets the connection once the answer is out
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"3.0 MB" in answer
    assert sent < n_chunks / 2  # refused while streaming (3 MB is 46 chunks), not after the whole body
    time.sleep(0.2)
    assert job_files(server[1]) == before


def _quiet_at(video: Path, t: float) -> bool:
    """Whether the sound of ``video`` at ``t`` is at least 30 dB under its loud level (a pause)."""
    from vidgist.media.loudness import FRAME, frame_levels
    from vidgist.media.video import AUDIO_RATE, extract_audio

    audio = extract_audio(video)
    assert audio is not None
    levels = frame_levels(audio, AUDIO_RATE)
    return bool(levels[int(t / FRAME)] <= np.percentile(levels, 95) - 30)


def test_search_the_library(library_site: str) -> None:
    client = httpx.Client(base_url=library_site, timeout=60)
    q = "riders race their bicycles down the mountain trail"  # shares words with every transcript heard
    r = client.get("/api/search", params={"q": q, "k": 5})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["query"] == q
    best = doc["hits"][0]
    assert best["video"].endswith("narrated_demo_24s.mp4")
    assert best["start"] < 16.0 and best["end"] > 8.0  # the narration of the bicycle part is at 8-16 s
    assert _quiet_at(VIDEOS / "narrated_demo_24s.mp4", best["start"])  # a jump there hears the first word
    heard = ("bicycles", "mountain trail")  # tiny.en mishears "bicycles" on some CPUs
    assert any(e["channel"] == "said" and any(w in e["text"] for w in heard) for e in best["evidence"])
    assert all(
        e["channel"] != "about" for h in doc["hits"] for e in h["evidence"]
    )  # a video's, not a moment's
    assert not any(h["weak"] for h in doc["hits"]) and all(h["relevance"] >= 0.5 for h in doc["hits"])
    assert all(h["end"] - h["start"] <= 30.0 for h in doc["hits"])
    absent = client.get("/api/search", params={"q": "submarine volcano eruption"}).json()["hits"]
    assert absent == []
    weak = client.get("/api/search", params={"q": "submarine volcano eruption", "weak": "true"}).json()
    assert weak["hits"] and all(h["weak"] and h["relevance"] < 0.5 for h in weak["hits"])
    source = client.get(f"/api/videos/{best['video_id']}/source", headers={"Range": "bytes=0-1023"})
    assert source.status_code == 206
    assert source.content == (VIDEOS / "narrated_demo_24s.mp4").read_bytes()[:1024]
    thumb = client.get(f"/api/videos/{best['video_id']}/thumbnail", params={"t": best["start"]})
    assert thumb.status_code == 200 and thumb.content.startswith(b"\xff\xd8")
    assert client.get("/api/videos/999999/source").status_code == 404
    assert client.get("/api/videos/999999/thumbnail", params={"t": 0}).status_code == 404
    assert client.get("/api/search", params={"q": "x", "k": 0}).status_code == 422
    assert client.get("/api/search").status_code == 422
    assert "query is empty" in client.get("/api/search", params={"q": "  "}).json()["error"]


def test_search_without_a_library_is_503(tmp_path: Path) -> None:
    with running_server(ServeConfig(data=tmp_path / "data")) as base, httpx.Client(base_url=base) as c:
        r = c.get("/api/search", params={"q": "bicycles"})
        assert r.status_code == 503 and "--db" in r.json()["error"]
        assert c.get("/api/videos/1/source").status_code == 404


def test_unknown_ids_are_404(client: httpx.Client) -> None:
    missing = "0" * 32
    for path in ("", "/video", "/source", "/scores.png", "/summary.json", "/thumbnails/0"):
        r = client.get(f"/api/summaries/{missing}{path}")
        assert r.status_code == 404 and "error" in r.json(), path
    assert client.delete(f"/api/summaries/{missing}").status_code == 404
    assert client.get("/api/nothing-here").json()["error"] == "/api/nothing-here: not found"


EVIL = [
    "..",
    "../../secret.txt",
    "..%2F..%2Fsecret.txt",
    "%2e%2e%2f%2e%2e%2fsecret.txt",
    "..%5c..%5csecret.txt",
    "%2Fetc%2Fpasswd",
    "....//....//secret.txt",
]


@pytest.mark.parametrize("evil", EVIL)
def test_path_traversal_in_every_path_parameter(server: tuple[str, Path], evil: str) -> None:
    base, _ = server
    paths = [
        f"/api/summaries/{evil}",
        f"/api/summaries/{evil}/video",
        f"/api/summaries/{evil}/source",
        f"/api/summaries/{evil}/scores.png",
        f"/api/summaries/{evil}/summary.json",
        f"/api/summaries/{evil}/thumbnails/0",
        f"/api/summaries/{'0' * 32}/thumbnails/{evil}",
        f"/api/videos/{evil}/source",
        f"/api/videos/{evil}/thumbnail",
        f"/static/{evil}",
    ]
    for path in paths:
        status, body = raw_get(base, path)
        assert status == 404, (path, status, body[:200])
        assert SECRET.encode() not in body and b"root:" not in body


def test_path_traversal_with_a_library(library_site: str) -> None:
    """The library's video ids are looked up, never joined to a path, with a library behind them too."""
    for evil in EVIL + ["1/../../secret.txt", "1%2F..%2F..%2Fetc%2Fpasswd", "-1", "1.0", "0x1"]:
        for path in (f"/api/videos/{evil}/source", f"/api/videos/{evil}/thumbnail"):
            status, body = raw_get(library_site, path)
            assert status == 404, (path, status, body[:200])
            assert b"root:" not in body


def test_token_required(tmp_path: Path) -> None:
    with running_server(ServeConfig(data=tmp_path / "data", token="s3cret")) as base:
        with httpx.Client(base_url=base, timeout=30) as c:
            for path in ("/api/health", "/", "/api/summaries", "/docs"):
                r = c.get(path)
                assert r.status_code == 401 and "token" in r.json()["error"], path
            assert c.get("/api/health", headers={"Authorization": "Bearer wrong"}).status_code == 401
            assert c.get("/api/health", headers={"Authorization": "Bearer s3cret"}).status_code == 200
            r = c.get("/?token=s3cret")
            assert r.status_code == 200 and "vidgist_token=s3cret" in r.headers["set-cookie"]
            assert c.get("/api/health").status_code == 200  # the cookie the page got


def worker_processes() -> list[psutil.Process]:
    return [
        p
        for p in psutil.Process().children(recursive=True)
        if "vidgist.serve.worker" in " ".join(p.cmdline())
    ]


def test_cancel_during_decoding_leaves_nothing(tmp_path: Path) -> None:
    long_clip = long_moving_clip(tmp_path / "long.mp4")
    data = tmp_path / "data"
    with (
        running_server(ServeConfig(data=data, summarize=FAST)) as base,
        httpx.Client(base_url=base, timeout=60) as c,
    ):
        job_id = upload(c, long_clip, ["a moving square"]).json()["id"]
        state = wait_for(c, job_id, lambda s: s["stage"].startswith("decoding") or finished(s))
        assert state["status"] == "running", state
        assert worker_processes()
        r = c.delete(f"/api/summaries/{job_id}")
        assert r.status_code == 200 and r.json()["status"] == "cancelled"
        assert c.get(f"/api/summaries/{job_id}").json()["status"] == "cancelled"
        assert sorted(p.name for p in (data / "jobs" / job_id).iterdir()) == ["job.json"]
        assert not worker_processes()
        assert c.get(f"/api/summaries/{job_id}/source").status_code == 404


def test_jobs_survive_a_restart(tmp_path: Path, clip: Path) -> None:
    """Done jobs are served again; a job whose server died while it ran is failed with the reason."""
    data = tmp_path / "data"
    config = ServeConfig(data=data, summarize=FAST)
    with running_server(config) as base, httpx.Client(base_url=base, timeout=60) as c:
        done_id = upload(c, clip).json()["id"]
        assert wait_for(c, done_id, finished)["status"] == "done"
        running_id = upload(c, clip).json()["id"]
        wait_for(c, running_id, lambda s: s["status"] == "running")
        record = data / "jobs" / running_id / "job.json"
        crashed = record.read_text()  # what a killed server leaves on disk
    assert json.loads(crashed)["status"] == "running"
    record.write_text(crashed)
    with running_server(config) as base, httpx.Client(base_url=base, timeout=60) as c:
        again = c.get(f"/api/summaries/{done_id}").json()
        assert again["status"] == "done" and again["result"]["segments"]
        assert c.get(f"/api/summaries/{done_id}/video").status_code == 200
        lost = c.get(f"/api/summaries/{running_id}").json()
        assert lost["status"] == "failed" and "server stopped" in lost["error"]


def test_cli_serve(tmp_path: Path) -> None:
    """`vidgist serve` starts on loopback and answers; beyond loopback it needs a token (exit 2)."""
    from servekit import free_port

    refused = subprocess.run(
        [sys.executable, "-m", "vidgist", "serve", "--host", "0.0.0.0", "--data", str(tmp_path / "d")],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "VIDGIST_TOKEN"},
    )
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "vidgist: error: --host 0.0.0.0: binding beyond loopback needs --token (or $VIDGIST_TOKEN)"
    )
    assert not (tmp_path / "d").exists()
    bad = subprocess.run(
        [sys.executable, "-m", "vidgist", "serve", "--max-upload", "lots", "--data", str(tmp_path / "d")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "--max-upload lots" in bad.stderr and not (tmp_path / "d").exists()
    port = free_port()
    env = {**os.environ, "VIDGIST_LIBRARY": str(tmp_path / "no-library.sqlite")}  # no default library
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "vidgist",
            "serve",
            "--port",
            str(port),
            "--data",
            str(tmp_path / "data"),
            "--max-upload",
            "500M",
        ],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert httpx.get(f"http://127.0.0.1:{port}/api/health").json()["version"] == __version__
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "vidgist serve did not start"
                time.sleep(0.1)
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C: a clean stop
        _, err = server.communicate(timeout=30)
    assert server.returncode in (0, 130) and "Traceback" not in err, err
    assert f"http://localhost:{port}/" in err and "no library" in err
    assert (tmp_path / "data" / "jobs").is_dir()
