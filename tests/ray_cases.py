"""Ray engine cases on a real local Ray instance; run only by ``test_batch_ray.py`` inside a network
namespace that holds nothing but loopback (so no Ray socket can leave 127.0.0.1).

Clips come from ``librarygen`` (short solid-colour parts); the backbone is the offline one, speech and
on-screen text are off: the engine is under test here, not the models.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import QUICK_FLAGS
from librarygen import Part, make_clip
from test_library import content_digest
from videogen import make_truncated

from vidgist.batch import EngineRunner, parse_engine
from vidgist.cli.main import main
from vidgist.library import Library

REPO = Path(__file__).resolve().parents[1]
COLORS = ["0x336699", "0x884422", "0x228844", "0x664488", "0x886622", "0x226688"]
FLAGS = [*QUICK_FLAGS, "--json"]


def clips(folder: Path, n: int, seconds: float = 2.0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        make_clip(
            folder / f"clip{i}.mp4",
            [Part(seconds, color=COLORS[i % 6]), Part(seconds, color="0x101010")],
            size=(320, 180),
        )
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four short clips and one damaged file."""
    d = tmp_path_factory.mktemp("videos")
    good = clips(d, 4)
    make_truncated(good[0], d / "broken.mp4", keep=0.3)
    return d


def _cli(args: list[str]) -> str:
    """What ``vidgist ARGS`` prints on stdout (in process); it must exit 0."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(args) == 0
    return buf.getvalue()


@pytest.fixture(scope="module")
def folder_local(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The library of ``folder`` indexed here without Ray, and `vidgist index`'s JSON report."""
    db = tmp_path_factory.mktemp("local") / "local.sqlite"
    return db, _index(folder, db)


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    import ray

    from vidgist.batch.raypool import start_local_ray

    start_local_ray(num_cpus=2)
    yield
    ray.shutdown()


def _index_in_background(lib: Library, folder: Path, runner: EngineRunner) -> tuple[threading.Thread, dict]:
    """Start ``lib.index([folder])`` on ``runner`` in a thread; its IndexReport lands in ``result["rep"]``."""
    result: dict = {}
    t = threading.Thread(
        target=lambda: result.update(rep=lib.index([folder], asr=False, ocr=False, runner=runner))
    )
    t.start()
    return t, result


def test_only_loopback_here() -> None:
    assert [name for _, name in socket.if_nameindex()] == ["lo"]


def _ray_pids() -> set[int]:
    """Processes of Ray's own services (GCS, raylet) on this machine."""
    pids = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                cmd = (d / "cmdline").read_bytes()
            except OSError:
                continue
            if b"gcs_server" in cmd or b"raylet" in cmd:
                pids.add(int(d.name))
    return pids


def _rows(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as c:
            return int(c.execute("SELECT count(*) FROM videos WHERE status = 'ok'").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_driver_killed_with_sigkill_then_rerun_completes_the_rest(
    folder: Path, folder_local: tuple[Path, dict], tmp_path: Path
) -> None:
    videos = folder
    db = tmp_path / "killed.sqlite"
    cmd = [
        sys.executable,
        "-m",
        "vidgist",
        "index",
        str(videos),
        "--db",
        str(db),
        *FLAGS,
        "--engine",
        "ray",
        "--workers",
        "1",
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    before = _ray_pids()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline and proc.poll() is None and _rows(db) < 1:
        time.sleep(0.05)
    assert proc.poll() is None, "indexing finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = _rows(db)
    assert 1 <= done < 4
    deadline = time.monotonic() + 60  # Ray's reaper takes the killed driver's services down
    while _ray_pids() - before and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _ray_pids() - before, "Ray services outlived their killed driver"
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    rep = json.loads(rerun.stdout)
    # broken.mp4 sorts first: with one worker it was recorded as failed before any clip, and stays so
    assert rep["skipped"] == done + 1 and rep["indexed"] == 4 - done and not rep["failed"]
    clean, report = folder_local
    assert report["indexed"] == 4
    assert content_digest(db) == content_digest(clean)


def test_node_removed_mid_video_still_does_every_video_once(folder: Path, tmp_path: Path) -> None:
    import ray
    from ray.cluster_utils import Cluster

    videos = folder
    node = {
        "num_cpus": 1,
        "node_ip_address": "127.0.0.1",
        "object_store_memory": 80 * 2**20,
        "include_dashboard": False,
    }
    cluster = Cluster(initialize_head=True, head_node_args=node)
    workers = [cluster.add_node(**node) for _ in range(2)]
    try:
        cluster.wait_for_nodes()
        ray.init(address=cluster.address, log_to_driver=False)
        assert len([n for n in ray.nodes() if n["Alive"]]) == 3
        runner = EngineRunner(parse_engine("ray", workers=3, retries=2))
        with Library(tmp_path / "lib.sqlite", backbone="offline") as lib:
            t, result = _index_in_background(lib, videos, runner)
            by_id = {w.node_id: w for w in workers}
            victim = None
            deadline = time.monotonic() + 120
            while victim is None and time.monotonic() < deadline and t.is_alive():
                busy = [n for _, n, _ in (runner.pool.in_flight() if runner.pool else []) if n in by_id]
                victim = by_id[busy[0]] if busy else None
                time.sleep(0.02)
            assert victim is not None, "no video was seen in flight on a worker node"
            cluster.remove_node(victim, allow_graceful=False)
            t.join(timeout=240)
            assert not t.is_alive()
            rep = result["rep"]
            assert runner.pool.lost >= 1
            assert rep.indexed == 4 and [Path(p).name for p, _ in rep.failed] == ["broken.mp4"]
            assert [v.status for v in lib.videos()] == ["failed"] + ["ok"] * 4
    finally:
        ray.shutdown()
        cluster.shutdown()


def _index(folder: Path, db: Path, *extra: str) -> dict:
    """`vidgist index FOLDER --db DB` (no speech, no on-screen text, offline frames): its JSON report."""
    return json.loads(_cli(["index", str(folder), "--db", str(db), *FLAGS, *extra]))


def test_index_ray_equals_local_and_damaged_file_fails_once(
    folder: Path,
    folder_local: tuple[Path, dict],
    tmp_path: Path,
    local_ray: None,
) -> None:
    local_db, local = folder_local
    on_ray = _index(folder, tmp_path / "ray.sqlite", "--engine", "ray", "--workers", "2")
    assert local["indexed"] == on_ray["indexed"] == 4
    assert [Path(f["path"]).name for f in on_ray["failed"]] == ["broken.mp4"]
    assert "broken.mp4" in on_ray["failed"][0]["reason"]
    assert content_digest(tmp_path / "ray.sqlite") == content_digest(local_db)
    again = _index(folder, tmp_path / "ray.sqlite", "--engine", "ray")
    assert again["indexed"] == 0 and again["skipped"] == 5  # the damaged file is not tried again


def _strip(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k not in ("timings_s", "vidgist_version")}


def test_batch_summarize_ray_equals_local(
    folder: Path, tmp_path: Path, local_ray: None, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "batch",
        "summarize",
        str(folder),
        "-q",
        "blue screen",
        "--fill",
        "--no-asr",
        "--no-ocr",
        "--backbone",
        "offline",
        "--json",
    ]
    assert main([*args, "-o", str(tmp_path / "local")]) == 0
    assert main([*args, "-o", str(tmp_path / "ray"), "--engine", "ray", "--workers", "2"]) == 0
    capsys.readouterr()
    docs = {}
    for run in ("local", "ray"):
        batch = json.loads((tmp_path / run / "batch.json").read_text())
        docs[run] = {e["folder"]: (e["status"], e.get("segments")) for e in batch["videos"]}
        assert docs[run]["broken"][0] == "failed"
        for name in [f"clip{i}" for i in range(4)]:
            assert {p.name for p in (tmp_path / run / name).iterdir()} == {
                "summary.json",
                "summary.mp4",
                "scores.png",
            }
    assert docs["ray"] == docs["local"]
    for i in range(4):
        a = json.loads((tmp_path / "local" / f"clip{i}" / "summary.json").read_text())
        b = json.loads((tmp_path / "ray" / f"clip{i}" / "summary.json").read_text())
        assert _strip(a) == _strip(b) and a["segments"]


def test_worker_process_killed_mid_video_is_retried(folder: Path, tmp_path: Path, local_ray: None) -> None:
    runner = EngineRunner(parse_engine("ray", workers=1, retries=2))
    with Library(tmp_path / "lib.sqlite", backbone="offline") as lib:
        t, result = _index_in_background(lib, folder, runner)
        killed = _kill_one_worker(runner)
        t.join(timeout=120)
        rep = result["rep"]
        assert killed and runner.pool.lost >= 1
        assert rep.indexed == 4 and [Path(p).name for p, _ in rep.failed] == ["broken.mp4"]
        assert lib.stats().videos == 4


def _kill_one_worker(runner: EngineRunner) -> bool:
    """SIGKILL the actor process of the first video seen in flight."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        busy = runner.pool.in_flight() if runner.pool is not None else []
        if busy:
            os.kill(busy[0][2], signal.SIGKILL)
            return True
        time.sleep(0.02)
    return False


# Six two-part clips, each part captioned and narrated, and twelve queries that paraphrase the parts.
TOPICS = [
    ("WARM LOAVES", "The baker pulls a tray of warm loaves from the hot oven."),
    ("SNOW STORM", "Heavy snow is falling on the empty streets of the village."),
    ("GUITAR LESSON", "Press the strings firmly and strum the guitar with your thumb."),
    ("SOCCER MATCH", "The striker kicks the ball past the goalkeeper into the net."),
    ("TRAIN STATION", "Passengers wait on the platform as the evening train arrives."),
    ("BEE HIVE", "Bees carry pollen back to the hive in the warm afternoon."),
    ("CHESS GAME", "The player moves her queen across the board to check the king."),
    ("SAILING BOAT", "A white sailing boat glides over the calm blue lake."),
    ("VEGETABLE SOUP", "Chop the carrots and celery and add them to the boiling soup."),
    ("MOUNTAIN HIKE", "Hikers climb the rocky path toward the snowy summit."),
    ("PAINTING CLASS", "Students mix blue and yellow paint to make a bright green."),
    ("CITY NIGHT", "Neon signs light up the busy street long after midnight."),
]
QUERIES = [
    "loaf from the oven",
    "winter weather in town",
    "learning to play guitar",
    "scoring a goal",
    "waiting for a train",
    "insects bringing pollen home",
    "chess checkmate",
    "boat on a lake",
    "making soup",
    "climbing a mountain",
    "art class colours",
    "nightlife in the city",
]


@pytest.fixture(scope="module")
def six_narrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("six")
    for i in range(6):
        (c1, n1), (c2, n2) = TOPICS[2 * i], TOPICS[2 * i + 1]
        parts = [Part(3.5, c1, n1, color=COLORS[i]), Part(3.5, c2, n2, color="0x202020")]
        make_clip(d / f"topic{i}.mp4", parts, size=(320, 180))
    return d


def _search_all(db: Path) -> list[bytes]:
    """The bytes `vidgist search --json -k 3 --line video` prints for each of QUERIES (each video's own
    line, so that almost every query has hits to compare; the searched set's line is stricter)."""
    return [
        _cli(["search", q, "--db", str(db), "-k", "3", "--line", "video", "--json"]).encode() for q in QUERIES
    ]


#: speech (tiny.en) and on-screen text on, the offline frame model
NARRATED_FLAGS = ["--asr-model", "tiny.en", "--backbone", "offline", "--json"]


@pytest.fixture(scope="module")
def local_library(six_narrated: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[bytes]]:
    """(content digest, search results of QUERIES) of the six clips indexed by `vidgist index` without Ray."""
    db = tmp_path_factory.mktemp("local") / "local.sqlite"
    assert json.loads(_cli(["index", str(six_narrated), "--db", str(db), *NARRATED_FLAGS]))["indexed"] == 6
    return content_digest(db), _search_all(db)


def test_local_index_of_six_narrated_clips_answers_the_queries(
    local_library: tuple[str, list[bytes]],
) -> None:
    """The reference the Ray runs are compared with finds moments for (almost) every query."""
    _, results = local_library
    assert sum(bool(json.loads(doc)["hits"]) for doc in results) >= 10


def test_search_results_identical_on_ray_workers_of_one_thread(
    six_narrated: Path,
    local_library: tuple[str, list[bytes]],
    tmp_path: Path,
    local_ray: None,
) -> None:
    """`vidgist index --engine ray --workers 2` (one thread each): the same library and byte-identical
    `vidgist search --json` results for 12 queries as the local index."""
    db = tmp_path / "ray-1.sqlite"
    report = _cli(
        ["index", str(six_narrated), "--db", str(db), *NARRATED_FLAGS, "--engine", "ray", "--workers", "2"]
    )
    assert json.loads(report)["indexed"] == 6
    assert (content_digest(db), _search_all(db)) == local_library


def test_search_results_identical_on_a_ray_worker_of_two_threads(
    six_narrated: Path,
    local_library: tuple[str, list[bytes]],
    tmp_path: Path,
    local_ray: None,
) -> None:
    """One Ray worker with 2 threads (no CLI flag for index: the Python API): the same as the local index."""
    db = tmp_path / "ray-2.sqlite"
    with Library(db, backbone="offline") as lib:
        runner = EngineRunner(parse_engine("ray", workers=1, threads=2))
        assert lib.index([six_narrated], asr_model="tiny.en", runner=runner).indexed == 6
    assert (content_digest(db), _search_all(db)) == local_library
