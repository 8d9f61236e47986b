"""Throughput of ``vidgist index`` on the local engine vs ``--engine ray`` with 1 and 2 workers.

    PYTHONPATH=src:tests python benchmarks/bench_batch.py [--copies 20] [--seconds 120] [--backbone auto]

Generates one narrated-free, captioned clip of ``--seconds`` (solid colour parts with drawn captions,
``tests/librarygen.py``), copies it ``--copies`` times, then indexes the copies into a fresh library once
per configuration, each in its own process (so peak memory is that run's). Speech is off (``--no-asr``)
as in the issue's 30x-real-time figure; on-screen text is on. Prints, side by side: wall seconds,
throughput (hours of video per hour of wall time), Ray's start-up (``ray.init`` until the first actor
answers) and shut-down, the driver's peak RSS and each Ray worker's peak RSS.

Run it inside a loopback-only namespace to keep Ray off the network, e.g.
``unshare -n sh -c 'ip link set lo up && exec python benchmarks/bench_batch.py'`` (as root).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def make_data(folder: Path, copies: int, seconds: float) -> Path:
    sys.path.insert(0, str(REPO / "tests"))
    from librarygen import Part, make_clip

    colors = ["0x336699", "0x884422", "0x228844", "0x664488", "0x886622", "0x226688"]
    words = ["BUDGET", "GUITAR", "PLANE", "TEA", "KNAPSACK", "SORTING"]
    n = max(1, int(seconds // 10))
    parts = [Part(seconds / n, f"{words[i % 6]} PART {i}", color=colors[i % 6]) for i in range(n)]
    src = make_clip(folder / "source.mp4", parts, fps=25, size=(640, 360))
    videos = folder / "videos"
    videos.mkdir()
    for i in range(copies):
        shutil.copyfile(src, videos / f"copy{i:02d}.mp4")
    return videos


def one(args: argparse.Namespace) -> None:
    """Child: index ``args.videos`` on one engine; print a JSON line of measurements."""
    from vidgist.batch import EngineRunner, parse_engine
    from vidgist.library import Library

    out: dict[str, object] = {"engine": args.one, "workers": args.workers}
    runner = None
    if args.one == "ray":
        import ray

        from vidgist.batch.raypool import RayPool, start_local_ray

        clock = time.perf_counter()
        start_local_ray()
        probe = RayPool(parse_engine("ray", workers=1), job=None)
        probe._await_start(1)
        out["ray_start_s"] = round(time.perf_counter() - clock, 2)
        probe.close()
        runner = EngineRunner(parse_engine("ray", workers=args.workers))
    with Library(Path(args.db), backbone=args.backbone) as lib:
        clock = time.perf_counter()
        rep = lib.index([args.videos], asr=False, ocr=True, runner=runner)
        wall = time.perf_counter() - clock
    out.update(
        wall_s=round(wall, 1),
        video_h=round(rep.video_seconds / 3600, 3),
        x_real_time=round(rep.video_seconds / wall, 1),
        indexed=rep.indexed,
        failed=len(rep.failed),
        driver_peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    )
    if runner is not None:
        out["worker_peak_mb"] = [round(b / 2**20) for b in runner.pool.worker_peaks]
        import ray

        clock = time.perf_counter()
        ray.shutdown()
        out["ray_shutdown_s"] = round(time.perf_counter() - clock, 2)
    print(json.dumps(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=120.0)
    ap.add_argument("--backbone", default="auto")
    ap.add_argument("--one", choices=["local", "ray"], help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--videos", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        one(args)
        return
    tmp = Path(tempfile.mkdtemp(prefix="vgbench"))
    try:
        clock = time.perf_counter()
        videos = make_data(tmp, args.copies, args.seconds)
        print(
            f"data: {args.copies} copies of a {args.seconds:g} s 640x360 clip "
            f"({time.perf_counter() - clock:.0f} s to generate); backbone {args.backbone}; no ASR; "
            f"{os.cpu_count()} CPUs",
            flush=True,
        )
        rows = []
        for engine, workers in (("local", 1), ("ray", 1), ("ray", 2)):
            db = tmp / f"{engine}{workers}.sqlite"
            cmd = [
                sys.executable,
                __file__,
                "--one",
                engine,
                "--workers",
                str(workers),
                "--videos",
                str(videos),
                "--db",
                str(db),
                "--backbone",
                args.backbone,
            ]
            env = {**os.environ, "RAY_TMPDIR": str(tmp / "ray")}
            done = subprocess.run(cmd, capture_output=True, text=True, env=env)
            if done.returncode != 0:
                print(done.stderr[-3000:], file=sys.stderr)
                raise SystemExit(f"{engine} x{workers} failed")
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(json.dumps(rows[-1]), flush=True)
        print()
        print(
            f"{'engine':<8}{'workers':>8}{'wall s':>9}{'x real time':>13}{'Ray start s':>13}"
            f"{'driver MB':>11}  worker MB"
        )
        for r in rows:
            print(
                f"{r['engine']:<8}{r['workers']:>8}{r['wall_s']:>9}{r['x_real_time']:>13}"
                f"{r.get('ray_start_s', '-'):>13}{r['driver_peak_mb']:>11}  {r.get('worker_peak_mb', '-')}"
            )
        base = rows[0]["x_real_time"]
        for r in rows[1:]:
            print(f"ray x{r['workers']} / local throughput: {r['x_real_time'] / base:.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
