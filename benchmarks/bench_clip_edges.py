"""Do the summary's clips and chapter starts cut speech? The generic summaries of the development talks with
clip edges and chapter starts as placed and moved into pauses (``vidgist.summarize.speech_edges``), side by
side.

Usage: python benchmarks/bench_clip_edges.py [--regenerations 0] [--half fit|held-out|both] [--budget 0.15]

For each talk of ``talks_devset`` (``bench_generic``'s videos and cached evidence, with the loudness of
the talk's audio added as the pipeline adds it, ``vidgist.media.loudness.frame_levels``), the 15% summary
is made twice on the same evidence: without the loudness (clips and chapter starts as placed) and as
shipped. Per video:

- edges in sound: the share of clip edges (not at 0 or the end of the video) where the source audio's RMS
  over +-``HALF_WINDOW`` s is above ``AUDIBLE_DBFS`` (the talks' pauses are digital silence, so this is
  the speech itself, whatever the pipeline's own relative threshold);
- edge level: the mean RMS level over +-``HALF_WINDOW`` s at those edges, in dB under the talk's loud
  level (its 95th-percentile 10-ms level; higher is quieter, 60 for digital silence);
- chapter starts in sound: the same for the chapters' starts (not the first), and the chapters' boundary F1
  within 3 s (``vidgist.eval.chapters.boundary_f1``), which the move must not lower;
- coverage: sections touched by at least 1 s of the summary (``vidgist.eval.chapters.section_coverage``);
- the summary's seconds over the budget, the number of clips and their mean length.

Per half: means, and the paired difference (shipped - as selected) with a bootstrap 95% interval over
videos. Writes ``benchmarks/results/clip_edges.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

HALF_WINDOW = 0.03
AUDIBLE_DBFS = -60.0
SR = 16000


def edge_levels(audio: np.ndarray, times: list[float]) -> list[float]:
    """The RMS level (dBFS) over +-``HALF_WINDOW`` s at each time."""
    out = []
    for t in times:
        seg = audio[max(int((t - HALF_WINDOW) * SR), 0) : min(int((t + HALF_WINDOW) * SR), len(audio))]
        out.append(
            10 * np.log10(float(np.mean(np.square(seg, dtype=np.float64))) + 1e-12) if len(seg) else -120.0
        )
    return out


def edge_figures(segments: list[Any], audio: np.ndarray, loud: float, duration: float) -> dict[str, float]:
    """Edges in sound, edge level, clip count and mean length of one summary."""
    edges = [x for g in segments for x in (g.start, g.end) if 0.05 < x < duration - 0.05]
    levels = edge_levels(audio, edges)
    return {
        "edges_in_sound": float(np.mean([lv > AUDIBLE_DBFS for lv in levels])) if levels else 0.0,
        "edge_level_db": float(np.mean([min(loud - lv, 60.0) for lv in levels])) if levels else 60.0,
        "clips": float(len(segments)),
        "mean_clip_s": float(np.mean([g.end - g.start for g in segments])) if segments else 0.0,
    }


def video_row(s: Any, video: Path, truth: dict, budget: float) -> dict[str, Any]:
    """Both summaries' figures for one talk."""
    from bench_generic import evidence_of

    from vidgist.eval.chapters import boundary_f1, section_coverage
    from vidgist.media.loudness import frame_levels
    from vidgist.media.video import extract_audio

    evidence, fps, thumbs = evidence_of(s, video, truth, video.parent / "evidence")
    audio = extract_audio(video, SR)
    assert audio is not None
    levels = frame_levels(audio, SR)
    loud = float(np.percentile(levels, 95))
    evidence = dataclasses.replace(evidence, loudness=levels)
    sections = [(x["start"], x["end"]) for x in truth["sections"]]
    row: dict[str, Any] = {"name": video.stem}
    for tag, ev in (("selected", dataclasses.replace(evidence, loudness=None)), ("shipped", evidence)):
        r = s.summarize_evidence(ev, fps, thumbs, None, budget)
        figs = edge_figures(list(r.segments), audio, loud, truth["duration"])
        figs["coverage"] = section_coverage([(g.start, g.end) for g in r.segments], sections)
        assert r.chapters is not None
        starts = [c.start for c in r.chapters.chapters[1:]]
        figs["chapter_starts_in_sound"] = (
            float(np.mean([lv > AUDIBLE_DBFS for lv in edge_levels(audio, starts)])) if starts else 0.0
        )
        true_b = [x["start"] for x in truth["sections"][1:]]
        figs["f1_3s"] = boundary_f1(starts, true_b, tol=3.0)[2]
        figs["over_budget_s"] = max(0.0, r.summary_seconds - r.budget_seconds)
        row.update({f"{tag} {k}": v for k, v in figs.items()})
    return row


KEYS = (
    "edges_in_sound",
    "edge_level_db",
    "chapter_starts_in_sound",
    "f1_3s",
    "coverage",
    "clips",
    "mean_clip_s",
    "over_budget_s",
)


def half_figures(rows: list[dict]) -> dict[str, Any]:
    """Means per variant and the paired differences with their bootstrap intervals."""
    from bench_generic import bootstrap_interval

    out: dict[str, Any] = {"videos": len(rows)}
    for k in KEYS:
        a = [r[f"selected {k}"] for r in rows]
        b = [r[f"shipped {k}"] for r in rows]
        diffs = [y - x for x, y in zip(a, b, strict=True)]
        low, high = bootstrap_interval(diffs)
        out[k] = {
            "selected": float(np.mean(a)),
            "shipped": float(np.mean(b)),
            "diff": float(np.mean(diffs)),
            "ci_low": low,
            "ci_high": high,
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--regenerations", default="0")
    ap.add_argument("--half", choices=("fit", "held-out", "both"), default="fit")
    ap.add_argument("--budget", type=float, default=0.15)
    args = ap.parse_args()

    import lecturegen
    import talks_devset
    from bench_generic import talk_specs, talks_folder
    from results_io import write_results

    from vidgist.summarize.pipeline import Summarizer

    t0 = time.perf_counter()
    halves = ("fit", "held-out") if args.half == "both" else (args.half,)
    s = Summarizer(backbone="offline", ocr=False, progress=False)
    rows = []
    for k in (int(x) for x in args.regenerations.split(",")):
        for spec in talk_specs((), k):
            half = "fit" if spec.name in talks_devset.FIT else "held-out"
            if half not in halves:
                continue
            video, truth = lecturegen.cached_talk(talks_folder(k), spec)
            row = video_row(s, video, truth, args.budget)
            row.update(half=half, regeneration=k)
            rows.append(row)
            pairs = "  ".join(
                f"{key} {row[f'selected {key}']:.2f} -> {row[f'shipped {key}']:.2f}"
                for key in ("edges_in_sound", "edge_level_db", "chapter_starts_in_sound", "f1_3s", "coverage")
            )
            print(f"{spec.name:<22} r{k} {half:<8} {pairs}", flush=True)
    figures = {h: half_figures([r for r in rows if r["half"] == h]) for h in halves}
    for h, f in figures.items():
        print(
            f"\n{h} ({f['videos']} talk-regenerations): selected -> shipped, paired difference [95% interval]"
        )
        for k in KEYS:
            x = f[k]
            print(
                f"  {k:<16} {x['selected']:.3f} -> {x['shipped']:.3f}  "
                f"{x['diff']:+.3f} [{x['ci_low']:+.3f}, {x['ci_high']:+.3f}]"
            )
    write_results(
        "clip_edges",
        {"halves": figures, "videos": rows},
        config={"budget": args.budget, "regenerations": args.regenerations, "audible_dbfs": AUDIBLE_DBFS},
        wall_s=time.perf_counter() - t0,
        command="python benchmarks/bench_clip_edges.py " + " ".join(sys.argv[1:]),
    )


if __name__ == "__main__":
    main()
