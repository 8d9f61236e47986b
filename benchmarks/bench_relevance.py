"""Query-focused relevance on the development set: hit@1, precision, recall per kind, relevant-only vs --fill.

Builds (once, cached) the 24 composite videos of ``relevance_devset.py``, collects each video's evidence
once with the offline backbone (cached as a pickle beside the videos: a benchmark cache, never shipped),
then for every part query (kinds: speech, caption = on-screen text, visual) and every absent query runs
the Summarizer's query stage twice in one run: the relevant-only default and ``fill=True``. Reports:

- hit@1: the top moment (largest relevance; largest score for --fill) lies in the named part;
- precision: share of summary time inside the named part; recall: share of the part the summary covers
  (the budget is 15% of 18 s = 2.7 s, so recall is at most 0.45 for a 6-s part);
- no-match: share of queries answered "no moment matches" (wanted: absent >= 0.9, present <= 0.05).

Figures are given for all 24 videos, the fit and held-out halves, the first set (videos 0-11) and the
photo set (videos 12-23). The shipped constants (``vidgist.summarize.relevance.CALIBRATION``) were fitted
on the fit half only: the spoken and on-screen-text ones on videos 0-7 (before the photo set existed),
the visual one on videos 0-7 and 12-19 (when the bridge went back to the centre crop).

``--fit`` fits the logistic of every channel on the fit half (videos 0-7 and 12-19) and prints the
constants it would give ``CALIBRATION``: the slope of a class-balanced logistic
regression of "moment inside the part the query names" on the raw similarity, and as midpoint the cut
between the best in-part moment of the channel's own queries and the best moment of the absent queries
with the least cost weighted by the targets' tolerances (``query_threshold``); the visual midpoint is then
checked on whole summaries (``check_visual_mid``, which says the rule).

``--visual-norm zt`` measures the cohort-normalised visual value instead (``use_cohort_norm``).

    python benchmarks/bench_relevance.py [--fit] [--visual-norm z|zt] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import pickle
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from relevance_devset import DEFAULT_OUT, build  # noqa: E402

from vidgist.summarize.relevance import MIN_RELEVANCE  # noqa: E402

KINDS = ("speech", "caption", "visual")
CHANNEL_OF_KIND = {"speech": "speech", "caption": "ocr", "visual": "visual"}


def evidence_fingerprint() -> str:
    """A digest of the code that makes evidence (media/, backbones/, summarize/evidence.py): a cached
    evidence pickle is only reused while that code is unchanged (a stale cache once kept OCR lines from
    before glued words were split, and the constants were fitted on them)."""
    import hashlib

    import vidgist

    src = Path(vidgist.__file__).resolve().parent
    files = sorted(
        [
            *(src / "media").rglob("*.py"),
            *(src / "backbones").rglob("*.py"),
            src / "summarize" / "evidence.py",
        ]
    )
    h = hashlib.sha256()
    for f in files:
        h.update(f.relative_to(src).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:10]


def evidence_for(summarizer: Any, video: dict[str, Any], workdir: Path) -> tuple[Any, float, list[Any]]:
    """(evidence, fps, thumbnails) of one dev video, from the cache when there (see evidence_fingerprint)."""
    spec = re.sub(r"[^A-Za-z0-9._-]+", "_", str(summarizer.backbone_spec))  # "clip:NAME:/path" too
    cache = workdir / f"{Path(video['path']).stem}.{spec}.{evidence_fingerprint()}.evidence.pkl"
    if cache.exists():
        with cache.open("rb") as f:
            return pickle.load(f)  # noqa: S301 - our own cache file
    out = summarizer.collect_evidence(video["path"])
    with cache.open("wb") as f:
        pickle.dump(out, f)
    return out


def all_queries(video: dict[str, Any]) -> list[tuple[str, str, list[float] | None]]:
    """(kind, query, span) of each part query, then ("absent", query, None) for each absent query."""
    return [(p["kind"], p["query"], p["span"]) for p in video["parts"]] + [
        ("absent", q, None) for q in video["absent"]
    ]


def fit_logistic(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Class-balanced logistic regression of y on x: (slope, mid) with p = sigmoid(slope * (x - mid))."""
    from scipy.optimize import minimize

    w = np.where(y == 1, 0.5 / max(1, int(y.sum())), 0.5 / max(1, int((1 - y).sum())))

    def loss(p: np.ndarray) -> float:
        z = p[0] * x + p[1]
        return float(np.sum(w * (np.logaddexp(0, z) - y * z)) + 1e-4 * p[0] ** 2)

    res = minimize(
        loss,
        np.array([10.0, -3.0]),
        method="Nelder-Mead",
        options={"xatol": 1e-6, "fatol": 1e-10, "maxiter": 4000},
    )
    a, b = res.x
    return float(a), float(-b / a)


#: the issue's tolerances: absent queries matched <= 10%; present ones unmatched <= 5% of all present
#: queries, i.e. <= 15% of one kind's (each kind is a third of the present queries)
ABSENT_TOLERANCE, KIND_TOLERANCE = 0.10, 0.15


def query_threshold(present: np.ndarray, absent: np.ndarray) -> tuple[float, float]:
    """The cut between queries' best moments with the least cost ``absent matched / ABSENT_TOLERANCE +
    present unmatched / KIND_TOLERANCE`` (ties: the highest cut), halfway between neighbouring values.
    Returns (cut, cost)."""
    values = np.unique(np.concatenate([present, absent]))
    cuts = np.concatenate([[values[0] - 1e-3], 0.5 * (values[1:] + values[:-1]), [values[-1] + 1e-3]])
    cost = [np.mean(absent > c) / ABSENT_TOLERANCE + np.mean(present <= c) / KIND_TOLERANCE for c in cuts]
    best = min(range(len(cuts)), key=lambda k: (round(cost[k], 9), -k))
    return float(cuts[best]), float(cost[best])


def fit(summarizer: Any, spec: list[dict[str, Any]], workdir: Path) -> None:
    """Print the fitted logistic of each channel (fit half only; see module docstring), then check the
    visual midpoint at the level of whole summaries (``check_visual_mid``)."""
    from vidgist.summarize.relevance import Logistic, relevance_channels

    fitted: dict[str, Logistic] = {}

    xs: dict[str, list[float]] = {"speech": [], "ocr": [], "visual": []}
    ys: dict[str, list[int]] = {"speech": [], "ocr": [], "visual": []}
    absent_max: dict[str, list[float]] = {"speech": [], "ocr": [], "visual": []}
    present_max: dict[str, list[float]] = {"speech": [], "ocr": [], "visual": []}
    for video in spec:
        if video["split"] != "fit":
            continue
        ev, _, _ = evidence_for(summarizer, video, workdir)
        t = ev.frames.times
        qs = all_queries(video)
        ch = relevance_channels(ev, [q for _, q, _ in qs], summarizer.backbone)
        for i, (kind, _q, span) in enumerate(qs):
            inside = np.zeros(len(t), bool) if span is None else (t >= span[0]) & (t < span[1])
            for name, x in ch.items():
                if kind == "absent" and not np.all(np.isnan(x[i])):
                    absent_max[name].append(float(np.nanmax(x[i])))
                if kind != "absent" and CHANNEL_OF_KIND[kind] == name and not np.all(np.isnan(x[i][inside])):
                    present_max[name].append(float(np.nanmax(x[i][inside])))
                keep = ~np.isnan(x[i])
                target = kind != "absent" and CHANNEL_OF_KIND[kind] == name
                if kind != "absent" and not target:
                    keep &= ~inside  # the part holds what another channel is asked about
                xs[name].extend(x[i][keep].tolist())
                ys[name].extend((inside[keep] & target).astype(int).tolist())
    for name in xs:
        x, y = np.array(xs[name]), np.array(ys[name])
        if y.sum() == 0:
            print(f"{name}: no positives")
            continue
        slope, _ = fit_logistic(x, y)
        mid, acc = query_threshold(np.array(present_max[name]), np.array(absent_max[name]))
        print(
            f"{name}: n={len(x)} positives={int(y.sum())} pos mean {x[y == 1].mean():.3f} "
            f"neg mean {x[y == 0].mean():.3f}; query-level cost {acc:.2f} (1 = both at tolerance) -> "
            f"Logistic(slope={slope:.2f}, mid={mid:.3f})"
        )
        fitted[name] = Logistic(slope=round(slope, 2), mid=round(mid, 3))
    if "visual" in fitted:
        check_visual_mid(summarizer, [v for v in spec if v["split"] == "fit"], workdir, fitted)


#: offsets tried around the query-level visual midpoint by ``check_visual_mid``
MID_OFFSETS = (-0.8, -0.6, -0.4, -0.2, 0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2)


def check_visual_mid(
    summarizer: Any, spec: list[dict[str, Any]], workdir: Path, fitted: dict[str, Any]
) -> None:
    """The query-level cut ignores what a visual match does to *other* queries' summaries (a spoken or
    captioned query whose visual value clears the midpoint in another part loses precision). So, on the
    fit videos given, run whole summaries (the shipped spoken and on-screen-text constants, the fitted
    visual slope) for visual midpoints around the fitted one and print the trade-off. The rule, among
    midpoints that keep spoken and captioned queries at their targets (precision >= 0.9, hit@1 1.0):
    absent queries answered no-match >= 0.90 first (a confident summary of something absent misleads; a
    no-match answer says so and points to --fill), then the fewest visual queries answered no-match, then
    the least cost ``absent matched / 0.10 + visual unmatched / 0.15``; when no midpoint reaches 0.90,
    the least cost."""
    from vidgist.summarize import relevance as rel

    kind = "joint" if summarizer.backbone.joint else "bridge"
    saved = dict(rel.CALIBRATION[kind])
    best: tuple[tuple[bool, bool, float, float], float] | None = None
    print(
        "visual midpoint on the fit videos (whole summaries): absent no-match | visual no-match | "
        "spoken, captioned hit@1/precision | cost"
    )
    try:
        for off in MID_OFFSETS:
            mid = round(fitted["visual"].mid + off, 3)
            rel.CALIBRATION[kind]["visual"] = rel.Logistic(slope=fitted["visual"].slope, mid=mid)
            rows = evaluate(summarizer, spec, workdir, modes=(False,))

            def mean(key: str, k: str, rows: list[dict[str, Any]] = rows) -> float:
                return float(np.nanmean([r[key] for r in rows if r["kind"] == k]))

            ok = all(mean("hit", k) == 1.0 and mean("precision", k) >= 0.9 for k in ("speech", "caption"))
            absent, visual = mean("no_match", "absent"), mean("no_match", "visual")
            cost = (1 - absent) / ABSENT_TOLERANCE + visual / KIND_TOLERANCE
            print(
                f"  mid {mid:.3f}: {absent:.2f} | {visual:.2f} | "
                f"{mean('hit', 'speech'):.2f}/{mean('precision', 'speech'):.2f}, "
                f"{mean('hit', 'caption'):.2f}/{mean('precision', 'caption'):.2f} | "
                f"{cost:.2f}{'' if ok else ' (spoken/captioned targets missed)'}"
            )
            met = absent >= 1 - ABSENT_TOLERANCE - 1e-9
            key = (not ok, not met, round(visual, 9) if met else 0.0, round(cost, 9))
            if best is None or key < best[0]:
                best = (key, mid)
    finally:
        rel.CALIBRATION[kind].clear()
        rel.CALIBRATION[kind].update(saved)
    if best is not None:
        missed = " (no midpoint keeps spoken/captioned at target: not a recommendation)" if best[0][0] else ""
        print(f"-> visual: Logistic(slope={fitted['visual'].slope:.2f}, mid={best[1]:.3f}){missed}")


def _in_part(start: float, end: float, span: list[float]) -> float:
    return max(0.0, min(end, span[1]) - max(start, span[0]))


def evaluate(
    summarizer: Any, spec: list[dict[str, Any]], workdir: Path, modes: tuple[bool, ...] = (False, True)
) -> list[dict[str, Any]]:
    """One row per (video, query, mode) with hit, precision, recall, no-match; ``modes``: fill or not."""
    rows = []
    for video in spec:
        ev, fps, thumbs = evidence_for(summarizer, video, workdir)
        for kind, query, span in all_queries(video):
            for fill in modes:
                r = summarizer.summarize_evidence(ev, fps, thumbs, queries=query, budget=0.15, fill=fill)
                row: dict[str, Any] = {
                    "video": video["name"],
                    "split": video["split"],
                    "set": video["set"],
                    "kind": kind,
                    "query": query,
                    "mode": "fill" if fill else "relevant",
                    "no_match": not r.match.matched and not fill,
                    "best": r.match.best_relevance,
                }
                if span is not None:
                    t = r.timeline.times
                    top = r.relevance.overall if not fill else r.timeline.scores
                    tt = float(t[int(np.argmax(top))])
                    row["hit"] = float(span[0] <= tt < span[1])
                    total = r.summary_seconds
                    inside = sum(_in_part(s.start, s.end, span) for s in r.segments)
                    row["precision"] = inside / total if total > 0 else float("nan")
                    row["recall"] = inside / (span[1] - span[0])
                rows.append(row)
    return rows


#: the groups ``report`` prints: (title, which rows)
GROUPS: tuple[tuple[str, Callable[[dict[str, Any]], bool]], ...] = (
    ("all videos", lambda r: True),
    (
        "fit half, videos 0-7 and 12-19 (the visual constants were fitted here, the text ones on 0-7)",
        lambda r: r["split"] == "fit",
    ),
    ("held-out half, videos 8-11 and 20-23 (never seen when fitting)", lambda r: r["split"] == "held-out"),
    ("first set, videos 0-11 (visual parts from ../shared/videos clips)", lambda r: r["set"] == "first"),
    ("photo set, videos 12-23 (visual parts from photographs)", lambda r: r["set"] == "photo"),
)


def report(rows: list[dict[str, Any]], title: str, keep: Callable[[dict[str, Any]], bool]) -> None:
    """Print the table of mean figures per kind and mode for the rows ``keep`` keeps."""
    sel = [r for r in rows if keep(r)]
    n_videos = len({r["video"] for r in sel})
    print(f"\n{title} ({n_videos}):")
    print(f"{'kind':8s} {'mode':9s} {'n':>3s} {'hit@1':>6s} {'prec':>6s} {'recall':>6s} {'no-match':>8s}")
    for kind in (*KINDS, "absent"):
        for mode in ("relevant", "fill"):
            g = [r for r in sel if r["kind"] == kind and r["mode"] == mode]
            if not g:
                continue

            def m(key: str, g: list[dict[str, Any]] = g) -> str:
                v = [r[key] for r in g if key in r and not np.isnan(r[key])]
                return f"{np.mean(v):6.2f}" if v else "     -"

            nm = np.mean([r["no_match"] for r in g]) if mode == "relevant" else float("nan")
            print(
                f"{kind:8s} {mode:9s} {len(g):3d} {m('hit')} {m('precision')} {m('recall')} "
                f"{'' if np.isnan(nm) else f'{nm:8.2f}'}"
            )
    present = [r for r in sel if r["kind"] != "absent" and r["mode"] == "relevant"]
    print(
        f"present queries answered no-match: {np.mean([r['no_match'] for r in present]):.3f} "
        f"({sum(r['no_match'] for r in present)}/{len(present)})"
    )
    tradeoff(sel)


#: thresholds (``--min-relevance``) of the trade-off table
CURVE = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def tradeoff(sel: list[dict[str, Any]]) -> None:
    """Print, per threshold, the share of absent queries answered no-match (want >= 0.90) and of present
    queries wrongly answered no-match (want <= 0.05; also visual ones alone): a query is answered
    no-match when its best relevance is under the threshold."""
    rel = [r for r in sel if r["mode"] == "relevant"]
    absent = np.array([r["best"] for r in rel if r["kind"] == "absent"])
    present = np.array([r["best"] for r in rel if r["kind"] != "absent"])
    visual = np.array([r["best"] for r in rel if r["kind"] == "visual"])
    print(
        "trade-off over --min-relevance: absent no-match (want >= 0.90) | present no-match "
        "(want <= 0.05) | visual no-match"
    )
    for t in CURVE:
        print(
            f"  {t:.1f}{'*' if abs(t - MIN_RELEVANCE) < 1e-9 else ' '}  {np.mean(absent < t):5.2f} | "
            f"{np.mean(present < t):5.3f} | {np.mean(visual < t):5.2f}"
        )


#: the visual constants fitted for ``--visual-norm zt`` (``--fit --visual-norm zt``, fit half only)
ZT_VISUAL = (2.49, 0.935)


def use_cohort_norm() -> None:
    """The alternative measured with ``--visual-norm zt``: the offline visual value in query units is
    cohort-normalised per frame (ZT-norm): minus the mean, over the std, of the same frame's units for the
    1000 labels taken as impostor queries, so a frame close to every label is discounted. Wraps
    ``relevance_channels`` for this process and sets the visual logistic to ``ZT_VISUAL``."""
    from vidgist.backbones.offline import prompt_label_embeddings
    from vidgist.summarize import relevance as rel

    plain = rel.relevance_channels
    e = prompt_label_embeddings().astype(np.float64)
    ee = e @ e.T
    mu, sd = ee.mean(axis=0), ee.std(axis=0)

    def channels(
        evidence: Any, queries: Any, backbone: Any, similarities: Any = None
    ) -> dict[str, np.ndarray]:
        out = plain(evidence, queries, backbone, similarities)
        if "visual" in out and not backbone.joint:
            units = (np.asarray(evidence.frames_in_text_space, dtype=np.float64) @ e.T - mu) / sd
            out["visual"] = (out["visual"] - units.mean(axis=1)[None, :]) / np.maximum(
                units.std(axis=1)[None, :], 1e-6
            )
        return out

    rel.relevance_channels = channels  # type: ignore[assignment]
    rel.CALIBRATION["bridge"]["visual"] = rel.Logistic(*ZT_VISUAL)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--fit", action="store_true", help="fit the channel logistics on the fit half")
    ap.add_argument("--backbone", default="offline")
    ap.add_argument("--verbose", action="store_true", help="print every query's row")
    ap.add_argument(
        "--visual-norm",
        choices=("z", "zt"),
        default="z",
        help="offline visual value: query units (z, shipped) or cohort-normalised (zt, measured)",
    )
    args = ap.parse_args()
    from vidgist import Summarizer

    spec = build(args.workdir)
    summarizer = Summarizer(backbone=args.backbone)
    if args.visual_norm == "zt":
        use_cohort_norm()
    clock = time.perf_counter()
    if args.fit:
        fit(summarizer, spec, args.workdir)
        return
    rows = evaluate(summarizer, spec, args.workdir)
    if args.verbose:
        for r in rows:
            print({k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()})
    print(
        f"backbone {args.backbone}; visual value {args.visual_norm}; selection rule: shipped constants "
        f"fitted on the fit half only (text channels on videos 0-7, visual on 0-7 and 12-19; slope: "
        f"class-balanced logistic fit of moments; mid: the cut "
        f"between present and absent queries' best moments of least tolerance-weighted cost, the visual "
        f"one checked on whole summaries); "
        f"threshold MIN_RELEVANCE; {time.perf_counter() - clock:.0f} s"
    )
    for title, keep in GROUPS:
        report(rows, title, keep)


if __name__ == "__main__":
    main()
