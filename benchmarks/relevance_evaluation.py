"""The relevance benchmark's measurements (definitions: ``bench_relevance.py``'s docstring).

- ``evaluate``: every query of the talks through the summarizer's query stage, one row each (``query_row``:
  hit, precision, best-in-summary, no-match);
- ``evaluate_long``: every absent query on the long videos;
- ``summarise``: figures per split, kind and paraphrase vs word-sharing, with bootstrap 95% intervals;
  ``summarise_folds``: ``FOLD_GROUPS`` over three disjoint sets of talks; ``summarise_long``: absent
  no-match per length;
- ``speech_wer``: the word error rate of the collected speech on the spoken parts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from relevance_core import KINDS, all_queries, evidence_for


def query_row(r: Any, q: dict[str, Any]) -> dict[str, Any]:
    """hit, precision, best-in-summary and no-match of one summary ``r`` for the query ``q``."""
    row: dict[str, Any] = {"no_match": not r.match.matched, "best": r.match.best_relevance}
    rel = r.relevance.overall
    t = r.relevance.times
    if r.match.matched:
        at_max = t[rel >= rel.max() - 1e-9]
        row["best_in_summary"] = float(
            any(s.start - 1e-6 <= x <= s.end + 1e-6 for s in r.segments for x in at_max)
        )
    span = q["span"]
    if span is not None:
        top = float(t[int(np.argmax(rel))])
        row["hit"] = float(span[0] <= top < span[1])
        total = r.summary_seconds
        if total > 0:
            row["precision"] = sum(_in_part(s.start, s.end, span) for s in r.segments) / total
    return row


def _in_part(start: float, end: float, span: list[float]) -> float:
    return max(0.0, min(end, span[1]) - max(start, span[0]))


def evaluate(summarizer: Any, spec: list[dict[str, Any]], workdir: Path) -> list[dict[str, Any]]:
    """One row per (video, query) of the talks."""
    rows = []
    for video in spec:
        ev, fps, thumbs = evidence_for(summarizer, video, workdir)
        for q in all_queries(video):
            r = summarizer.summarize_evidence(ev, fps, thumbs, queries=q["query"])
            row = {"video": video["name"], "split": video["split"], "section": bool(video.get("section"))}
            rows.append(row | q | query_row(r, q))
    return rows


def evaluate_long(summarizer: Any, specs: list[dict[str, Any]], workdir: Path) -> list[dict[str, Any]]:
    """One row per (long video, absent query): no-match, best relevance."""
    rows = []
    for video in specs:
        ev, fps, thumbs = evidence_for(summarizer, video, workdir)
        for query, split in video["absent"]:
            r = summarizer.summarize_evidence(ev, fps, thumbs, queries=query)
            rows.append(
                {"minutes": video["minutes"], "split": split, "query": query, "no_match": not r.match.matched}
                | {"best": r.match.best_relevance, "best_time": r.match.best_time}
            )
    return rows


def speech_wer(summarizer: Any, spec: list[dict[str, Any]], workdir: Path) -> dict[str, Any]:
    """Per split, the word error rate of the collected speech on the spoken parts (the transcript's
    utterances that overlap a part, joined, against the sentence read there; ``bench_asr`` word rules), and
    the share of those sentences heard word for word."""
    from bench_asr import edits, words

    out: dict[str, Any] = {}
    for split in ("fit", "held-out"):
        errs = n = exact = parts = 0
        for video in (v for v in spec if v["split"] == split):
            ev, _, _ = evidence_for(summarizer, video, workdir)
            for part in (p for p in video["parts"] if p["kind"] == "speech"):
                heard = " ".join(
                    s.text
                    for s in ev.spans
                    if s.source == "speech" and _in_part(s.start, s.end, part["span"]) > 0
                )
                ref, hyp = words(part["say"]), words(heard)
                e = edits(ref, hyp)
                errs, n, exact, parts = errs + e, n + len(ref), exact + (e == 0), parts + 1
        out[split] = {"wer": round(errs / max(1, n), 3), "exact": round(exact / max(1, parts), 3), "n": parts}
    return out


def _mean(rows: list[dict[str, Any]], key: str) -> float | None:
    v = [float(r[key]) for r in rows if key in r and r[key] is not None]
    return round(float(np.mean(v)), 3) if v else None


#: bootstrap resamples of a group's queries for the 95% intervals
BOOTSTRAP = 2000


def _interval(rows: list[dict[str, Any]], key: str, seed: int = 0) -> list[float] | None:
    """Percentile bootstrap 95% interval of the mean of ``key`` over the group's queries."""
    v = np.array([float(r[key]) for r in rows if key in r and r[key] is not None])
    if v.size == 0:
        return None
    means = np.random.default_rng(seed).choice(v, size=(BOOTSTRAP, v.size)).mean(axis=1)
    return [round(float(x), 3) for x in np.quantile(means, [0.025, 0.975])]


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Figures per split, kind and (spoken, captioned) paraphrase vs word-sharing."""
    out: dict[str, Any] = {}
    for split in ("fit", "held-out"):
        groups: dict[str, list[dict[str, Any]]] = {}
        for r in rows:
            if r["split"] != split:
                continue
            tag = "paraphrase" if r["paraphrase"] else "word-sharing"
            keys = [r["kind"]]
            if r["kind"] in ("speech", "caption"):
                keys += [f"{r['kind']} {tag}", f"spoken+captioned {tag}"]
            if r.get("section"):  # the section talks apart as well
                keys.append(f"sections: {tag if r['kind'] == 'speech' else r['kind']}")
            for key in keys:
                groups.setdefault(key, []).append(r)
        out[split] = {
            g: {
                "n": len(v),
                "hit@1": _mean(v, "hit"),
                "precision": _mean(v, "precision"),
                "best_in_summary": _mean(v, "best_in_summary"),
                "no_match": _mean(v, "no_match"),
                "hit@1_95": _interval(v, "hit"),
                "no_match_95": _interval(v, "no_match"),
            }
            for g, v in sorted(groups.items())
        }
    return out


#: the groups ``summarise_folds`` reports: (name, row filter, key)
FOLD_GROUPS: tuple[tuple[str, Any, str], ...] = (
    ("paraphrase hit@1", lambda r: r["kind"] in ("speech", "caption") and r["paraphrase"], "hit"),
    ("paraphrase no-match", lambda r: r["kind"] in ("speech", "caption") and r["paraphrase"], "no_match"),
    ("word-sharing hit@1", lambda r: r["kind"] in ("speech", "caption") and not r["paraphrase"], "hit"),
    (
        "word-sharing precision",
        lambda r: r["kind"] in ("speech", "caption") and not r["paraphrase"],
        "precision",
    ),
    ("absent no-match", lambda r: r["kind"] == "absent", "no_match"),
    ("decoy no-match", lambda r: r["kind"] == "decoy", "no_match"),
    ("best-in-summary", lambda r: r["kind"] in KINDS, "best_in_summary"),
)


def summarise_folds(rows: list[dict[str, Any]], folds: int = 3) -> dict[str, Any]:
    """Per split, ``FOLD_GROUPS`` over ``folds`` disjoint sets of talks (the k-th of every ``folds`` talks
    in name order): each fold's mean, their mean and sample standard deviation."""
    out: dict[str, Any] = {}
    for split in ("fit", "held-out"):
        talks = sorted({r["video"] for r in rows if r["split"] == split})
        parts = [set(talks[k::folds]) for k in range(folds)]
        for name, keep, key in FOLD_GROUPS:
            vals = [_mean([r for r in rows if r["video"] in part and keep(r)], key) for part in parts]
            got = [v for v in vals if v is not None]
            out.setdefault(split, {})[name] = {
                "folds": vals,
                "mean": round(float(np.mean(got)), 3) if got else None,
                "sd": round(float(np.std(got, ddof=1)), 3) if len(got) > 1 else None,
            }
    return out


def summarise_long(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Absent no-match per length and split."""
    out: dict[str, Any] = {}
    for m in sorted({r["minutes"] for r in rows}):
        for split in ("fit", "held-out"):
            g = [r for r in rows if r["minutes"] == m and r["split"] == split]
            wrong = sorted((r for r in g if not r["no_match"]), key=lambda r: -r["best"])
            out.setdefault(f"{m} min", {})[split] = {
                "n": len(g),
                "no_match": _mean(g, "no_match"),
                "no_match_95": _interval(g, "no_match"),
                "matched": [f"{r['query']} ({r['best']:.2f} at {r['best_time']:.0f} s)" for r in wrong[:5]],
            }
    return out
