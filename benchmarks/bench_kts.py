"""Run time and peak memory of KTS (``vidgist.summarize.shots.kts_change_points``) on long feature sequences.

Usage: python benchmarks/bench_kts.py [--n 14400] [--dim 1280] [--mean-shot 20]
Features are synthetic: one random direction per planted shot (shot lengths uniform in
[mean/2, 3*mean/2] samples) plus noise, so the planted change points are known; prints the time, the
peak traced memory, and how many planted cuts were found within one sample.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=14_400)
    ap.add_argument("--dim", type=int, default=1280)
    ap.add_argument("--mean-shot", type=int, default=20)
    args = ap.parse_args()

    from vidgist.summarize.shots import kts_change_points

    rng = np.random.default_rng(0)
    lengths = rng.integers(args.mean_shot // 2, args.mean_shot * 3 // 2 + 1, size=args.n)
    cps = np.cumsum(lengths)
    cps = cps[cps < args.n - 1]
    bounds = [0, *cps.tolist(), args.n]
    x = np.empty((args.n, args.dim), dtype=np.float32)
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        x[a:b] = np.abs(rng.normal(size=args.dim))  # non-negative, like CNN features
    x += 0.3 * np.abs(rng.normal(size=x.shape)).astype(np.float32)

    tracemalloc.start()
    t = time.perf_counter()
    found = kts_change_points(x)
    dt = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    hit = int((np.abs(cps[:, None] - found[None, :]).min(axis=1) <= 1).sum()) if found.size else 0
    print(
        f"N={args.n} d={args.dim}: {dt:.2f} s, peak {peak / 2**20:.0f} MiB, "
        f"{found.size} change points, {hit}/{cps.size} planted found within one sample"
    )


if __name__ == "__main__":
    main()
