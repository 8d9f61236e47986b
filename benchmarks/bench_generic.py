"""Generic (no-query) summaries and chapters on long generated videos with known sections (issue 19).

Usage: python benchmarks/bench_generic.py [--folder /tmp/vidgist-devset-generic] [--budget 0.15]

The development set (``tests/lecturegen.py``, ``DEV_SET``): 7 videos of 3.4-4 minutes with 6-12 sections,
six narrated by espeak-ng (title cards drawn by FFmpeg on three, the section title spoken on two,
unrelated stock-like pictures cut every 4-12 s) and one without speech (sections differ by look and title).
Videos are made once into ``--folder`` (never committed); each video's evidence (frames through the
backbone, Whisper tiny.en, OCR) is computed once and kept in ``--folder``/evidence (delete it after changing
the evidence code), then summarized both ways:

- ``coverage``: the new default (``vidgist summarize VIDEO``: chapters + coverage-aware selection);
- ``protocol``: ``vidgist summarize VIDEO --protocol`` (the TVSum/SumMe knapsack on mean shot scores).

Per video and on average it prints: section coverage of the summary (share of true sections touched by at
least 1 s, ``vidgist.eval.chapters.section_coverage``), chapter boundary precision/recall/F1 within 3 s,
and title word F1 against the true titles (chapters are the same in both modes).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folder", type=Path, default=Path("/tmp/vidgist-devset-generic"))
    ap.add_argument("--budget", type=float, default=0.15)
    ap.add_argument("--only", default="", help="comma-separated video names (default: all)")
    args = ap.parse_args()

    import lecturegen

    from vidgist.eval.chapters import boundary_f1, section_coverage, title_overlap
    from vidgist.summarize.pipeline import Summarizer

    t0 = time.perf_counter()
    videos = lecturegen.development_set(args.folder)
    print(
        f"development set: {len(videos)} videos in {args.folder} "
        f"({time.perf_counter() - t0:.0f} s to make or reuse)"
    )
    s = Summarizer(progress=False)
    rows = []
    for video, truth in videos:
        if args.only and video.stem not in args.only.split(","):
            continue
        clock = time.perf_counter()
        evidence, fps, thumbs = _evidence(s, video, truth, args.folder / "evidence")
        t_evidence = time.perf_counter() - clock
        sections = [(x["start"], x["end"]) for x in truth["sections"]]
        true_bounds = [x["start"] for x in truth["sections"][1:]]
        row = {
            "name": video.stem,
            "kind": _kind(truth),
            "n": len(sections),
            "dur": truth["duration"],
            "evidence_s": t_evidence,
        }
        for mode, protocol in (("coverage", False), ("protocol", True)):
            r = s.summarize_evidence(evidence, fps, thumbs, None, args.budget, protocol=protocol)
            row[f"cov_{mode}"] = section_coverage([(g.start, g.end) for g in r.segments], sections)
            row[f"sum_{mode}"] = r.summary_seconds
        assert r.chapters is not None
        chs = r.chapters.chapters
        row["p"], row["r"], row["f1"] = boundary_f1([c.start for c in chs[1:]], true_bounds, tol=3.0)
        row["title"] = title_overlap(
            [(c.start, c.end, c.title) for c in chs],
            [(x["start"], x["end"], x["title"]) for x in truth["sections"]],
        )
        row["n_pred"] = len(chs)
        row["basis"] = r.chapters.basis
        rows.append(row)
        print(
            f"\n{video.stem} ({row['kind']}, {row['dur']:.0f} s, {row['n']} sections; "
            f"evidence {t_evidence:.0f} s)"
        )
        print(f"  chapters ({r.chapters.basis}): " + " | ".join(f"{c.start:.0f} {c.title}" for c in chs))
        print("  truth: " + " | ".join(f"{x['start']:.0f} {x['title']}" for x in truth["sections"]))
    print(f"\nbudget {args.budget:.0%}; boundary tolerance 3 s; coverage = sections touched by >= 1 s\n")
    head = (
        f"{'video':<20} {'kind':<33} {'sect':>4} {'chap':>4} {'cov new':>7} {'cov --protocol':>14} "
        f"{'bP':>5} {'bR':>5} {'bF1':>5} {'title':>5}"
    )
    print(head)
    print("-" * len(head))
    for row in rows:
        print(f"{row['name']:<20} {row['kind']:<33} {row['n']:>4} " + _figures(row["n_pred"], [row]))
    narrated = [r for r in rows if r["kind"].startswith("speech")]
    groups = {
        "all": rows,
        "narrated, title cards": [r for r in narrated if "no cards" not in r["kind"]],
        "narrated, no cards": [r for r in narrated if "no cards" in r["kind"]],
        "no speech": [r for r in rows if r["kind"].startswith("no speech")],
    }
    print("-" * len(head))
    for name, g in groups.items():
        if g:
            print(f"{'mean ' + name:<59} " + _figures(np.mean([r["n_pred"] for r in g]), g))
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")


def _evidence(s: Any, video: Path, truth: dict, cache: Path) -> tuple[Any, float, list]:
    """``s.collect_evidence(video)``, kept in ``cache`` (a pickle this script wrote, keyed by the video's
    generator key and the vidgist version): a changed chapter or selection rule reruns in seconds."""
    import pickle

    from vidgist.version import __version__

    path = cache / f"{video.stem}.{truth['key']}.{__version__}.pkl"
    if path.is_file():
        with path.open("rb") as f:
            return pickle.load(f)  # noqa: S301 - our own cache file, written below
    out = s.collect_evidence(video)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as f:
        pickle.dump(out, f)
    tmp.replace(path)
    return out


def _figures(n_pred: float, rows: list[dict]) -> str:
    """The figure columns (means over ``rows``)."""
    keys = ("cov_coverage", "cov_protocol", "p", "r", "f1", "title")
    m = {k: float(np.mean([r[k] for r in rows])) for k in keys}
    return (
        f"{n_pred:>4.1f} {m['cov_coverage']:>7.2f} {m['cov_protocol']:>14.2f} "
        f"{m['p']:>5.2f} {m['r']:>5.2f} {m['f1']:>5.2f} {m['title']:>5.2f}"
    )


def _kind(truth: dict) -> str:
    if not truth["speech"]:
        return "no speech, " + ("no cards" if truth["cards"] == "none" else f"{truth['cards']} cards")
    cards = "no cards" if truth["cards"] == "none" else f"{truth['cards']} cards"
    return f"speech, {cards}" + (", titles said" if truth["spoken_titles"] else "")


if __name__ == "__main__":
    main()
