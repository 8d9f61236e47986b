"""What reusing near-identical samples' features (``vidgist.summarize.evidence.REUSE_MAX_DIFF``) changes
on the relevance development set (``relevance_devset.py``): frames embedded vs reused, the frame stage's
CPU seconds, the visual (label) channel of every visual query, and the KTS shot boundaries, each against
the same evidence collected with reuse switched off (threshold 0).

    python benchmarks/bench_frame_reuse.py [--devset DIR] [--quick]

Figures per half (fit = even-numbered videos, held-out = odd): max / mean absolute change of the raw
visual cosine and of the visual channel in query units, max absolute change of the calibrated relevance
of the visual queries, the largest distance (in samples) from a shot boundary to the nearest boundary of
the other run, and CPU seconds of evidence collection with and without reuse.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
from relevance_devset import DEFAULT_OUT
from results_io import write_results


def _collect(
    summarizer: Any, path: str, max_diff: float | None
) -> tuple[Any, float, Any, dict[str, int], float]:
    from vidgist.summarize import evidence

    kept = evidence.REUSE_MAX_DIFF
    evidence.REUSE_MAX_DIFF = kept if max_diff is None else max_diff
    try:
        c0 = time.process_time()
        ev, fps, thumbs = summarizer.collect_evidence(path)
        cpu = time.process_time() - c0
    finally:
        evidence.REUSE_MAX_DIFF = kept
    return ev, fps, thumbs, dict(summarizer._frames), cpu


def _boundary_gap(a: list[tuple[float, float]], b: list[tuple[float, float]], step: float) -> float:
    """Largest distance, in samples, from a shot boundary of either list to the other's nearest one."""
    ea = np.array([s for s, _ in a[1:]])
    eb = np.array([s for s, _ in b[1:]])
    if len(ea) == 0 and len(eb) == 0:
        return 0.0
    if len(ea) == 0 or len(eb) == 0:
        return float("inf")
    d1 = np.abs(ea[:, None] - eb[None, :]).min(axis=1).max()
    d2 = np.abs(eb[:, None] - ea[None, :]).min(axis=1).max()
    return float(max(d1, d2) / step)


def compare(summarizer: Any, video: dict[str, Any]) -> dict[str, Any]:
    """One dev video's figures (see module docstring)."""
    from vidgist.scorers.zero_shot import ZeroShotScorer
    from vidgist.summarize.relevance import relevance_channels

    runs = [_collect(summarizer, video["path"], d) for d in (None, 0.0)]
    queries = [p["query"] for p in video["parts"] if p["kind"] == "visual"]
    raw, units, overall, shots = [], [], [], []
    for ev, fps, thumbs, _, _ in runs:
        sims = ZeroShotScorer().channel_similarities(ev, queries, summarizer.backbone)
        raw.append(sims["visual"])
        units.append(relevance_channels(ev, queries, summarizer.backbone, sims)["visual"])
        r = summarizer.summarize_evidence(ev, fps, thumbs, queries=queries)
        overall.append(r.relevance.per_query)
        shots.append(r.shots)
    (_, fps, _, frames, cpu), (_, _, _, frames_off, cpu_off) = runs
    return {
        "embedded": frames["embedded"],
        "reused": frames["reused"],
        "raw_max": float(np.abs(raw[0] - raw[1]).max()),
        "raw_mean": float(np.abs(raw[0] - raw[1]).mean()),
        "units_max": float(np.abs(units[0] - units[1]).max()),
        "relevance_max": float(np.abs(overall[0] - overall[1]).max()),
        "shot_gap_samples": _boundary_gap(shots[0], shots[1], 1.0 / fps),
        "cpu_s": cpu,
        "cpu_s_no_reuse": cpu_off,
    }


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals and worst cases of a list of per-video rows."""
    return {
        "videos": len(rows),
        "embedded": sum(r["embedded"] for r in rows),
        "reused": sum(r["reused"] for r in rows),
        "raw_max": max(r["raw_max"] for r in rows),
        "raw_mean": float(np.mean([r["raw_mean"] for r in rows])),
        "units_max": max(r["units_max"] for r in rows),
        "relevance_max": max(r["relevance_max"] for r in rows),
        "shot_gap_samples_max": max(r["shot_gap_samples"] for r in rows),
        "cpu_s": round(sum(r["cpu_s"] for r in rows), 2),
        "cpu_s_no_reuse": round(sum(r["cpu_s_no_reuse"] for r in rows), 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--devset", type=Path, default=DEFAULT_OUT, help="built by relevance_devset.py")
    ap.add_argument("--quick", action="store_true", help="the first 4 videos")
    args = ap.parse_args()
    from vidgist.summarize.evidence import REUSE_MAX_DIFF
    from vidgist.summarize.pipeline import Summarizer

    t0 = time.perf_counter()
    spec = [v for v in json.loads((args.devset / "devset.json").read_text()) if v["name"].startswith("talk")]
    spec = spec[:4] if args.quick else spec
    summarizer = Summarizer(backbone="offline", asr=False, ocr=False)
    rows = {"fit": [], "held-out": []}
    for video in spec:
        rows[video["split"]].append(compare(summarizer, video))
    figures = {half: summarise(r) for half, r in rows.items() if r}
    for half, f in figures.items():
        print(f"{half:9s} " + "  ".join(f"{k} {v:.4g}" for k, v in f.items()))
    write_results(
        "frame_reuse",
        figures,
        config={"reuse_max_diff": REUSE_MAX_DIFF, "backbone": "offline", "queries": "visual parts"},
        wall_s=time.perf_counter() - t0,
        quick=args.quick,
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
