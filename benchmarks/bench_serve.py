"""`vidgist serve` under load: page and health latency while summary jobs run, with 20 clients polling.

    python benchmarks/bench_serve.py                 # 3 queued jobs on a 30 s clip, 20 polling clients
    python benchmarks/bench_serve.py --clients 50 --jobs 5 --seconds 60

Starts ``vidgist serve`` as its own process on a free loopback port with a temporary --data folder
(one worker: jobs run one at a time, the rest wait in the queue), measures the idle latency of ``/`` and
``/api/health``, then queues ``--jobs`` summary jobs of a generated clip (testsrc2 + tone, 640x360) and,
until the last job is done, runs ``--clients`` threads that each poll one job's status as fast as the
server answers, beside one probe thread that fetches ``/`` and ``/api/health`` every 50 ms. Prints
p50/p95/max per endpoint, idle and loaded side by side, the loaded/idle ratio of the p95, and whether
the p95 of the page and of health stays under 200 ms while a job runs.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

LIMIT_MS = 200.0


def make_clip(path: Path, seconds: int) -> Path:
    import imageio_ffmpeg

    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-y",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=size=640x360:rate=25:duration={seconds}",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:duration={seconds}",
            "-vf",
            "hue=h=mod(floor(t/5)*67\\,360)",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-c:a",
            "aac",
            "-shortest",
            str(path),
        ],
        check=True,
    )
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))] if s else float("nan")


def row(name: str, xs: list[float]) -> str:
    return (
        f"  {name:<28} n={len(xs):>6}  p50 {pct(xs, 0.5):7.1f} ms  p95 {pct(xs, 0.95):7.1f} ms  "
        f"max {max(xs) if xs else float('nan'):7.1f} ms"
    )


def timed_get(client: httpx.Client, path: str) -> float:
    t = time.perf_counter()
    r = client.get(path)
    r.raise_for_status()
    return (time.perf_counter() - t) * 1000


def wait_ready(c: httpx.Client, server: subprocess.Popen) -> None:
    """Poll ``/api/health`` until the server answers; exit if it dies or takes over 60 s."""
    deadline = time.monotonic() + 60
    while True:
        try:
            c.get("/api/health")
            return
        except httpx.TransportError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start") from None
            time.sleep(0.1)


def queue_jobs(c: httpx.Client, clip: Path, jobs: int) -> list[str]:
    """Upload ``clip`` ``jobs`` times as summary jobs; return the job ids."""
    ids = []
    for _ in range(jobs):
        with open(clip, "rb") as f:
            r = c.post(
                "/api/summaries",
                files={"file": ("clip.mp4", f, "video/mp4")},
                data={"query": "a colourful moving test pattern"},
            )
        r.raise_for_status()
        ids.append(r.json()["id"])
    return ids


class Load:
    """Polling clients and a page/health probe; latencies are kept only while a job runs."""

    def __init__(self, base: str, ids: list[str]) -> None:
        self.base = base
        self.ids = ids
        self.loaded: dict[str, list[float]] = {"/": [], "/api/health": [], "status polls": []}
        self.running_now = threading.Event()
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.errors: list[str] = []
        self.threads: list[threading.Thread] = []

    def _record(self, key: str, ms: float) -> None:
        if self.running_now.is_set():
            with self.lock:
                self.loaded[key].append(ms)

    def poller(self, i: int) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as pc:
            while not self.stop.is_set():
                t = time.perf_counter()
                r = pc.get(f"/api/summaries/{self.ids[i % len(self.ids)]}")
                ms = (time.perf_counter() - t) * 1000
                if r.status_code != 200:
                    self.errors.append(f"{r.status_code} {r.text[:80]}")
                self._record("status polls", ms)

    def probe(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as pc:
            while not self.stop.is_set():
                for p in ("/", "/api/health"):
                    self._record(p, timed_get(pc, p))
                time.sleep(0.05)

    def start(self, clients: int) -> None:
        self.threads = [threading.Thread(target=self.poller, args=(i,)) for i in range(clients)]
        self.threads.append(threading.Thread(target=self.probe))
        for t in self.threads:
            t.start()

    def join(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join()


def wait_done(base: str, load: Load, t_queue: float) -> dict[str, float]:
    """Poll every job until it ends; return seconds from queueing to the end of each job."""
    done_at: dict[str, float] = {}
    with httpx.Client(base_url=base, timeout=30) as c:
        while len(done_at) < len(load.ids):
            states = {i: c.get(f"/api/summaries/{i}").json() for i in load.ids if i not in done_at}
            if any(s["status"] == "running" for s in states.values()):
                load.running_now.set()
            for i, s in states.items():
                if s["status"] in ("done", "failed", "cancelled"):
                    done_at[i] = time.perf_counter() - t_queue
                    if s["status"] != "done":
                        load.errors.append(f"job {i}: {s['status']} {s['error']}")
            time.sleep(0.2)
    return done_at


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def report(
    args: argparse.Namespace,
    idle: dict[str, list[float]],
    loaded: dict[str, list[float]],
    done_at: dict[str, float],
    errors: list[str],
) -> int:
    """Print the idle and loaded latencies side by side; 1 when any request or job failed."""
    print(
        f"vidgist serve, 1 worker, {args.jobs} jobs queued at once on a {args.seconds} s 640x360 clip, "
        f"{args.clients} clients polling status; CPU cores: {os.cpu_count()}"
    )
    print("idle (no job):")
    for p, xs in idle.items():
        print(row(p, xs))
    print("while a job runs:")
    for p, xs in loaded.items():
        print(row(p, xs))
    total = sum(len(x) for x in loaded.values())
    span = max(done_at.values())
    print(f"  requests answered while jobs ran: {total} in {span:.1f} s ({total / span:.0f}/s)")
    print("  jobs done after (s, from queueing): " + ", ".join(f"{t:.1f}" for t in sorted(done_at.values())))
    for p in ("/", "/api/health"):
        ratio = pct(loaded[p], 0.95) / max(pct(idle[p], 0.95), 1e-9)
        ok = "under" if pct(loaded[p], 0.95) < LIMIT_MS else "OVER"
        print(f"  {p}: p95 loaded/idle = {ratio:.2f}x; p95 {ok} {LIMIT_MS:.0f} ms")
    if errors:
        print(f"errors ({len(errors)}): {errors[:5]}")
        return 1
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=30, help="length of the generated clip")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="vidgist-bench-serve-"))
    clip = make_clip(work / "clip.mp4", args.seconds)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "vidgist", "serve", "--port", str(port), "--data", str(work / "data")],
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(base_url=base, timeout=30) as c:
            wait_ready(c, server)
            idle = {p: [timed_get(c, p) for _ in range(200)] for p in ("/", "/api/health")}
            t_queue = time.perf_counter()
            ids = queue_jobs(c, clip, args.jobs)
        load = Load(base, ids)
        load.start(args.clients)
        done_at = wait_done(base, load, t_queue)
        load.join()
    finally:
        stop_server(server)
    return report(args, idle, load.loaded, done_at, load.errors)


if __name__ == "__main__":
    sys.exit(main())
