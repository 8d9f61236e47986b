"""Opt-in chapter-count rules on perfect text: 5-fold leave-talks-out choice of each rule's constant.

Usage: python benchmarks/count_rules_fit.py [--regenerations 0,1,2] [--half fit|held-out]
       [--text perfect|whisper] [--rules split_by_title,count_constants]

For every talk-regeneration of the half, ``generic_ceiling``'s perfect transcript (the true sentences on the
generator's timeline, no video; ``--text whisper``: the Whisper tiny.en evidence ``bench_generic.py``
cached, with the pipeline's shots) goes through the product's ``find_chapters`` with the shipped
``TopicParams`` and with each grid value of the opt-in count rules (``TopicParams.split_margin``,
``vidgist.summarize.count_rules``; ``count_constants``: the shipped count's ``penalty`` and
``extend_ratio`` re-chosen together; the lexical-chain and novelty floors judged beside it are at commit
eacd14c). Per rule the constant is chosen by 5-fold leave-talks-out cross-validation (talks sorted by name,
fold = position mod 5; the value with the best mean F1@3s on the other folds, ties to the first), and each
talk-regeneration is scored with its fold's value.
Printed and written (``benchmarks/results/count_rules_HALF[_whisper][_RULES].json``, RULES when not all):
per rule the out-of-fold F1@3s and share of counts within +-25% against the shipped rule's, the paired
F1@3s gain with its bootstrap 95% interval over talk-regenerations (``bench_generic.bootstrap_interval``),
and that gain per family of talks.
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

#: each rule's TopicParams field(s) and its grid (fixed before measuring); a tuple of fields takes tuples
GRIDS: dict[str, tuple[str | tuple[str, ...], tuple[Any, ...]]] = {
    "split_by_title": ("split_margin", (0.0, 0.05, 0.10)),
    "split_by_title_wide": ("split_margin", (0.30, 0.20, 0.15, 0.10)),
    "count_constants": (
        ("penalty", "extend_ratio"),
        # the shipped cell first: ties go to it
        ((0.08, 0.75),)
        + tuple(
            (p, r)
            for p in (0.06, 0.07, 0.08, 0.09)
            for r in (None, 0.6, 0.65, 0.7, 0.75, 0.8)
            if (p, r) != (0.08, 0.75)
        ),
    ),
}
FOLDS = 5
ALL_RULES = tuple(GRIDS)


def talk_evidence(spec: Any, regeneration: int, text: str) -> tuple[Any, list, dict[str, Any]] | None:
    """(evidence, shots, truth) of one talk: its perfect text (``generic_ceiling``) or its cached Whisper
    evidence (``bench_generic.py`` writes it; None when missing) with the pipeline's shots."""
    import pickle

    from bench_generic import talks_folder
    from generic_ceiling import perfect_evidence, perfect_transcript

    from vidgist.summarize.shots import kts_change_points, shots_from_change_points

    if text == "perfect":
        spans, truth = perfect_transcript(spec)
        return perfect_evidence(spans, truth["duration"]), [(0.0, truth["duration"])], truth
    folder = talks_folder(regeneration)
    truth_path = folder / f"{spec.name}.truth.json"
    if not truth_path.is_file():
        return None
    truth = json.loads(truth_path.read_text())
    found = sorted((folder / "evidence").glob(f"{spec.name}.{truth['key']}.*.noocr.pkl"))
    if not found:
        return None
    with found[-1].open("rb") as f:
        ev = pickle.load(f)[0]  # noqa: S301 - bench_generic's own cache file
    cps = kts_change_points(ev.frames.vectors)
    return ev, shots_from_change_points(ev.frames.times, cps, ev.info.duration), truth


def _setting(field: str | tuple[str, ...], value: Any) -> Any:
    from vidgist.summarize.topic_segments import TopicParams

    changes = dict(zip(field, value, strict=True)) if isinstance(field, tuple) else {field: value}
    return dataclasses.replace(TopicParams(), **changes)


def run_talk(spec: Any, memo: Any, regeneration: int = 0, text: str = "perfect") -> dict[str, Any] | None:
    """F1@3s and count ratio of the shipped rule and of every grid value on one talk's perfect text or
    Whisper evidence (None when that evidence is not cached)."""
    from bench_generic import chapter_figures
    from generic_ceiling import memo_encoder

    from vidgist.summarize.chapters import ChapterParams, find_chapters
    from vidgist.summarize.topic_segments import TopicParams

    got = talk_evidence(spec, regeneration, text)
    if got is None:
        return None
    ev, shots, truth = got
    encode = memo_encoder(memo)
    row: dict[str, Any] = {"name": spec.name, "n_sections": len(truth["sections"])}
    settings = {"shipped": TopicParams()}
    for rule, (field, grid) in GRIDS.items():
        for value in grid:
            settings[f"{rule}={value}"] = _setting(field, value)
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


def _family_gains(rows: list[dict[str, Any]], diffs: list[float]) -> dict[str, float]:
    """The mean out-of-fold F1@3s gain per family of talks (``talks_devset.FAMILIES``)."""
    import talks_devset

    return {
        family: float(np.mean([d for r, d in zip(rows, diffs, strict=True) if r["name"] in names]))
        for family, names in talks_devset.FAMILIES.items()
        if any(r["name"] in names for r in rows)
    }


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
            "per_family_gain": _family_gains(rows, diffs),
            "per_value_f1_3s": {
                str(v): float(np.mean([r[f"{rule}={v}"]["f1_3s"] for r in rows])) for v in grid
            },
        }
        print(
            f"{rule:<16} F1@3s {np.mean(base):.3f} -> {np.mean(f1):.3f}  gain {np.mean(diffs):+.3f} "
            f"[{low:+.3f}, {high:+.3f}]  within25 {base_within:.3f} -> {within:.3f}  chosen {chosen}  "
            f"per family {out[rule]['per_family_gain']}  per value {out[rule]['per_value_f1_3s']}"
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--regenerations", default="0,1,2")
    ap.add_argument("--half", default="fit", choices=("fit", "held-out"))
    ap.add_argument("--text", default="perfect", choices=("perfect", "whisper"))
    ap.add_argument("--rules", default=",".join(ALL_RULES), help="comma-separated rules of GRIDS")
    args = ap.parse_args()
    for rule in set(GRIDS) - set(args.rules.split(",")):
        del GRIDS[rule]

    import talks_devset
    from bench_generic import talk_specs
    from fit_title_rank import _Memo
    from results_io import write_and_report

    t0 = time.perf_counter()
    names = talks_devset.FIT if args.half == "fit" else talks_devset.HELD_OUT
    regens = [int(k) for k in args.regenerations.split(",")]
    memo = _Memo()
    rows = []
    for k in regens:
        for spec in talk_specs((), k):
            if spec.name not in names:
                continue
            row = run_talk(spec, memo, k, args.text)
            if row is None:
                continue
            row["regeneration"] = k
            rows.append(row)
            figs = " ".join(
                f"{key} {v['n']}/{v['f1_3s']:.2f}" for key, v in row.items() if isinstance(v, dict)
            )
            print(f"{spec.name} r{k} ({row['n_sections']} sections): {figs}", flush=True)
    out = summary(rows)
    wall = time.perf_counter() - t0
    config: dict[str, Any] = {"grids": {k: [str(v) for v in g] for k, (_f, g) in GRIDS.items()}}
    if args.text == "perfect":
        config.update({"timing": "words * 60 / speed per line", "asr": "none (true sentences)"})
    else:
        config.update({"asr": "Whisper tiny.en (bench_generic's cached evidence)"})
    name = f"count_rules_{args.half}" + ("_whisper" if args.text == "whisper" else "")
    name += "" if args.rules == ",".join(ALL_RULES) else "_" + "_".join(args.rules.split(","))
    write_and_report(name, {"rules": out, "videos": rows}, seeds=regens, config=config, wall_s=wall)


if __name__ == "__main__":
    main()
