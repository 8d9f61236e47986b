"""Opt-in chapter-count rules on perfect text: 5-fold leave-talks-out choice of each rule's constant.

Usage: python benchmarks/count_rules_fit.py [--regenerations 0,1,2] [--half fit|held-out]

For every talk-regeneration of the half, ``generic_ceiling``'s perfect transcript (the true sentences on the
generator's timeline, no video) goes through the product's ``find_chapters`` with the shipped
``TopicParams`` and with each grid value of the opt-in count rules (``TopicParams.split_margin``,
``vidgist.summarize.count_rules``; the lexical-chain and novelty floors judged beside it are at commit
eacd14c). Per rule the constant is chosen by 5-fold leave-talks-out cross-validation (talks sorted by name,
fold = position mod 5; the value with the best mean F1@3s on the other folds, ties to the first), and each
talk-regeneration is scored with its fold's value.
Printed and written (``benchmarks/results/count_rules_HALF.json``): per rule the out-of-fold F1@3s and
share of counts within +-25% against the shipped rule's, and the paired F1@3s gain with its bootstrap 95%
interval over talk-regenerations (``bench_generic.bootstrap_interval``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

#: each rule's TopicParams field and its grid (fixed before measuring, /work/notes/count.md)
GRIDS: dict[str, tuple[str, tuple[Any, ...]]] = {
    "split_by_title": ("split_margin", (0.0, 0.05, 0.10)),
}
FOLDS = 5


def run_talk(spec: Any, memo: Any) -> dict[str, Any]:
    """F1@3s and count ratio of the shipped rule and of every grid value on one talk's perfect text."""
    from bench_generic import chapter_figures
    from generic_ceiling import memo_encoder, perfect_evidence, perfect_transcript

    from vidgist.summarize.chapters import ChapterParams, find_chapters
    from vidgist.summarize.topic_segments import TopicParams

    spans, truth = perfect_transcript(spec)
    ev = perfect_evidence(spans, truth["duration"])
    encode = memo_encoder(memo)
    shots = [(0.0, truth["duration"])]
    row: dict[str, Any] = {"name": spec.name, "n_sections": len(truth["sections"])}
    settings = {"shipped": TopicParams()}
    for rule, (field, grid) in GRIDS.items():
        for value in grid:
            settings[f"{rule}={value}"] = dataclasses.replace(TopicParams(), **{field: value})
    for key, tp in settings.items():
        chapters = find_chapters(ev, shots, encode, ChapterParams(topics=tp)).chapters
        fig = chapter_figures(chapters, truth, memo)
        row[key] = {"f1_3s": fig["f1_3s"], "count_ratio": fig["count_ratio"], "n": len(chapters)}
    return row


def cross_validated(rows: list[dict[str, Any]], rule: str) -> tuple[list[float], list[float], dict[str, Any]]:
    """Per row the out-of-fold F1@3s and count ratio of ``rule`` and the value each fold chose."""
    talks = sorted({r["name"] for r in rows})
    fold = {t: i % FOLDS for i, t in enumerate(talks)}
    values = GRIDS[rule][1]
    f1, ratio, chosen = [0.0] * len(rows), [0.0] * len(rows), {}
    for k in range(FOLDS):
        train = [r for r in rows if fold[r["name"]] != k]
        best = max(
            values, key=lambda v: (np.mean([r[f"{rule}={v}"]["f1_3s"] for r in train]), -values.index(v))
        )
        chosen[str(k)] = best
        for i, r in enumerate(rows):
            if fold[r["name"]] == k:
                f1[i] = r[f"{rule}={best}"]["f1_3s"]
                ratio[i] = r[f"{rule}={best}"]["count_ratio"]
    return f1, ratio, chosen


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per rule the out-of-fold figures against the shipped rule (module docstring)."""
    from bench_generic import bootstrap_interval

    base = [r["shipped"]["f1_3s"] for r in rows]
    base_within = float(np.mean([abs(r["shipped"]["count_ratio"] - 1) <= 0.25 for r in rows]))
    out: dict[str, Any] = {"shipped": {"f1_3s": float(np.mean(base)), "count_within_25pct": base_within}}
    for rule, (_field, grid) in GRIDS.items():
        f1, ratio, chosen = cross_validated(rows, rule)
        diffs = [a - b for a, b in zip(f1, base, strict=True)]
        low, high = bootstrap_interval(diffs)
        within = float(np.mean([abs(x - 1) <= 0.25 for x in ratio]))
        out[rule] = {
            "chosen_per_fold": chosen,
            "f1_3s": float(np.mean(f1)),
            "count_within_25pct": within,
            "count_ratio": float(np.mean(ratio)),
            "gain_f1_3s": float(np.mean(diffs)),
            "gain_ci_low": low,
            "gain_ci_high": high,
            "passes": bool(low > 0 and within >= base_within),
            "per_value_f1_3s": {
                str(v): float(np.mean([r[f"{rule}={v}"]["f1_3s"] for r in rows])) for v in grid
            },
        }
        print(
            f"{rule:<16} F1@3s {np.mean(base):.3f} -> {np.mean(f1):.3f}  gain {np.mean(diffs):+.3f} "
            f"[{low:+.3f}, {high:+.3f}]  within25 {base_within:.3f} -> {within:.3f}  chosen {chosen}  "
            f"per value {out[rule]['per_value_f1_3s']}"
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--regenerations", default="0,1,2")
    ap.add_argument("--half", default="fit", choices=("fit", "held-out"))
    args = ap.parse_args()

    import talks_devset
    from bench_generic import talk_specs
    from fit_title_rank import _Memo
    from results_io import write_results

    t0 = time.perf_counter()
    names = talks_devset.FIT if args.half == "fit" else talks_devset.HELD_OUT
    regens = [int(k) for k in args.regenerations.split(",")]
    memo = _Memo()
    rows = []
    for k in regens:
        for spec in talk_specs((), k):
            if spec.name not in names:
                continue
            row = run_talk(spec, memo)
            row["regeneration"] = k
            rows.append(row)
            figs = " ".join(
                f"{key} {v['n']}/{v['f1_3s']:.2f}" for key, v in row.items() if isinstance(v, dict)
            )
            print(f"{spec.name} r{k} ({row['n_sections']} sections): {figs}", flush=True)
    out = summary(rows)
    wall = time.perf_counter() - t0
    config = {"timing": "words * 60 / speed per line", "asr": "none (true sentences)", "grids": GRIDS}
    path = write_results(
        f"count_rules_{args.half}", {"rules": out, "videos": rows}, seeds=regens, config=config, wall_s=wall
    )
    print(json.dumps({"written": str(path), "wall_s": round(wall, 1)}))


if __name__ == "__main__":
    main()
