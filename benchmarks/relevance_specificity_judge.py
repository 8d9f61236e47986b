"""Variants of relevance eq. 3 that hold back a same-field query (``bench_relevance.py --specificity``,
``SPECIFICITY_RULE``): contrast within the video, bank rank and a query-scaled null
(``specificity_variants``); each variant's AUC per half and its paired fit-half gain over eq. 3.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from relevance_core import CHANNEL_OF_KIND, all_queries, evidence_for

#: how ``--specificity`` decides whether a variant of x replaces relevance eq. 3 (printed with its table)
SPECIFICITY_RULE = (
    "fit half only: a variant replaces eq. 3 only when the paired bootstrap 95% interval (2000 resamples of "
    "the paraphrases and the absent queries) of its fit-half AUC gain over eq. 3 lies above 0; AUC of a "
    "spoken or captioned paraphrase's best span in its part and channel against an absent query's best "
    "span in either text channel"
)


def _loo(x: np.ndarray, reduce: Any) -> np.ndarray:
    """Per span (rows) and query (columns): ``reduce`` over the video's other spans, 0 when there are none,
    floored at 0 (only a query above its bank baseline across the video is held back)."""
    out = np.zeros_like(x)
    for k in range(len(x)):
        others = np.delete(x, k, axis=0)
        if len(others):
            out[k] = np.maximum(reduce(others, axis=0), 0.0)
    return out


def specificity_variants() -> dict[str, Any]:
    """Variants of relevance eq. 3 over all text spans of a video, ``(x, ctx) -> x`` with ``x`` the spans'
    eq. 3 values (n_spans, n_queries) and ``ctx`` the span-label cosines (n_spans, 1000), the spans'
    cosines (n_spans, n_queries) and the queries' label cosines (1000, n_queries):

    - "contrast median/max, lam": x minus lam x the median (largest) x of the same query at the video's
      other spans: a same-field query is about as close to every line of a one-topic video;
    - "bank rank, g": x minus g x the share of the 1000 labels closer to the span than the query is: the
      query must beat the bank's things on its own span;
    - "query z": (cos - b(q)) / std_l cos(q, l) x 0.06 (a query-scaled null; 0.06 is about the mean std)."""

    def contrast(reduce: Any, lam: float) -> Any:
        return lambda x, ctx: x - lam * _loo(x, reduce)

    def bank_rank(g: float) -> Any:
        return lambda x, ctx: x - g * (ctx["span_bank"][:, :, None] > ctx["cos"][:, None, :]).mean(axis=1)

    def query_z(x: np.ndarray, ctx: dict[str, np.ndarray]) -> np.ndarray:
        return x / ctx["query_bank"].std(axis=0)[None, :] * 0.06

    return {
        "eq. 3": lambda x, ctx: x,
        "contrast median, 0.5": contrast(np.median, 0.5),
        "contrast median, 1": contrast(np.median, 1.0),
        "contrast max, 0.5": contrast(np.max, 0.5),
        "bank rank, 1": bank_rank(1.0),
        "bank rank, 2": bank_rank(2.0),
        "query z": query_z,
    }


def span_values(summarizer: Any, video: dict[str, Any], workdir: Path) -> dict[str, Any]:
    """The text spans of one talk with eq. 3 per variant (``specificity_variants``) for its paraphrases
    and absent queries: {"queries", "source" (per span), "times" (per span), variant: (n_spans, n_q)}."""
    from vidgist.backbones import relevance_text_encoder
    from vidgist.backbones.label_cache import relevance_label_embeddings
    from vidgist.scorers.zero_shot import ZeroShotScorer
    from vidgist.summarize.relevance import text_baseline

    ev, _, _ = evidence_for(summarizer, video, workdir)
    qs = [q for q in all_queries(video) if q["kind"] == "absent" or q["paraphrase"]]
    queries = [q["query"] for q in qs]
    _, text = ZeroShotScorer()._channels(ev, queries, summarizer.backbone, relevance=True)
    spans = [s for src in ("speech", "ocr") if src in text for s in text[src][0]]
    x = (
        np.vstack([text[src][1] for src in ("speech", "ocr") if src in text])
        - text_baseline(queries)[None, :]
    )
    encode, bank = relevance_text_encoder(), relevance_label_embeddings().astype(np.float64)
    e = np.asarray(encode([s.text for s in spans]), np.float64)
    q = np.asarray(encode(queries), np.float64)
    ctx = {"span_bank": e @ bank.T, "cos": e @ q.T, "query_bank": bank @ q.T}
    out: dict[str, Any] = {"queries": qs, "source": [s.source for s in spans]}
    out["times"] = [(s.start, s.end) for s in spans]
    for name, f in specificity_variants().items():
        out[name] = f(x, ctx)
    return out


def _pairs(v: dict[str, Any], name: str) -> tuple[list[float], list[float]]:
    """(paraphrase best in its part and channel, absent best) of one talk under variant ``name``."""
    para, absent = [], []
    for i, q in enumerate(v["queries"]):
        col = v[name][:, i]
        if q["kind"] == "absent":
            absent.append(float(col.max()))
            continue
        lo, hi = q["span"]
        inside = [
            k
            for k, (a, b) in enumerate(v["times"])
            if v["source"][k] == CHANNEL_OF_KIND[q["kind"]] and min(b, hi) - max(a, lo) > 0
        ]
        para.append(float(col[inside].max()) if inside else -1.0)
    return para, absent


def compare_specificity(summarizer: Any, spec: list[dict[str, Any]], workdir: Path) -> dict[str, Any]:
    """Each ``specificity_variants`` entry's AUC per half, and on the fit half its paired bootstrap gain over
    eq. 3; prints the table and the pick by ``SPECIFICITY_RULE``."""
    from relevance_learned import auc, paired_gain

    values = {v["name"]: (v["split"], span_values(summarizer, v, workdir)) for v in spec}
    rng = np.random.default_rng(0)
    out: dict[str, Any] = {}
    base: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in specificity_variants():
        row: dict[str, Any] = {}
        for split in ("fit", "held-out"):
            pa = [_pairs(v, name) for s, v in values.values() if s == split]
            p = np.array([x for a, _ in pa for x in a])
            a = np.array([x for _, b in pa for x in b])
            row[split] = round(auc(p, a), 3)
            if name == "eq. 3":
                base[split] = (p, a)
            elif split == "fit":
                row["fit_gain_95"] = paired_gain((p, a), base["fit"], rng=rng)
        out[name] = row
    print(f"\n{'variant':22s} {'fit AUC':>7s} {'held-out AUC':>12s}   fit gain over eq. 3 (95%)")
    for name, row in out.items():
        gain = row.get("fit_gain_95")
        print(f"{name:22s} {row['fit']:7.3f} {row['held-out']:12.3f}   {gain if gain else '-'}")
    kept = [n for n, r in out.items() if r.get("fit_gain_95", [0.0])[0] > 0]
    print(f"rule: {SPECIFICITY_RULE}\n-> {kept[0] if kept else 'eq. 3 (no variant passes)'}")
    return out
