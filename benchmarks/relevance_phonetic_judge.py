"""A phonetic mention for misheard spoken words (``bench_relevance.py --phonetic``, ``PHONETIC_RULE``).

In the speech channel, eq. 3's exact mention also counts a query content word whose metaphone key equals a
span word's (P1) or is within one edit of it (P2); each variant is judged on the fit half by the paired AUC
gain of spoken word-sharing queries against absent queries and decoys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from relevance_core import CHANNEL_OF_KIND, all_queries, evidence_for

#: how ``--phonetic`` decides whether a phonetic mention joins relevance eq. 3 (printed with its table)
PHONETIC_RULE = (
    "fit half only: in the speech channel, eq. 3's exact mention also counts a query content word whose "
    "phonetic key (jellyfish.metaphone) equals a span word's (P1), or is within one edit of it for keys of "
    "3 or more letters (P2); a variant is kept when the paired bootstrap 95% interval of its fit-half AUC "
    "gain over eq. 3, spoken word-sharing queries' best in their part against absent queries' and decoys' "
    "bests (pooled), lies above 0 and the fit-half paraphrase AUC (against absent bests) does not fall"
)
PHONETIC_VARIANTS = ("P1 equal key", "P2 key within one edit")


def phonetic_words_match(word: str, other: str, variant: str) -> bool:
    """Whether a query word and a span word count as the same word under ``variant`` (PHONETIC_VARIANTS)."""
    import jellyfish
    from rapidfuzz.distance import Levenshtein

    if word == other:
        return True
    a, b = jellyfish.metaphone(word), jellyfish.metaphone(other)
    if not a or not b:
        return False
    if a == b:
        return True
    return variant.startswith("P2") and min(len(a), len(b)) >= 3 and Levenshtein.distance(a, b) <= 1


def phonetic_mention(query: str, text: str, variant: str) -> bool:
    """Every content word of ``query`` is in ``text`` or sounds like one of its content words."""
    from vidgist.scorers.zero_shot import content_words

    q, t = content_words(query), content_words(text)
    return bool(q) and all(any(phonetic_words_match(w, v, variant) for v in t) for w in q)


def speech_channel(
    ev: Any, queries: list[str], backbone: Any, variant: str | None
) -> tuple[np.ndarray, np.ndarray]:
    """(speech channel x of eq. 3 per query and moment, with the phonetic mention of ``variant`` when given;
    the exact mention only when None), and how many (span, query) pairs the variant lifted."""
    from vidgist.scorers.zero_shot import ZeroShotScorer, ZeroShotWeights, lexical_overlap, moment_values
    from vidgist.summarize.relevance import text_baseline

    t = ev.frames.times
    _, text = ZeroShotScorer()._channels(ev, queries, backbone, relevance=True)
    if "speech" not in text:
        return np.full((len(queries), len(t)), np.nan), np.zeros(1)
    spans, vals = text["speech"]
    lift = np.zeros_like(vals)
    if variant is not None:
        lift = np.array(
            [
                [
                    lexical_overlap(q, s.text) < 1.0 - 1e-9 and phonetic_mention(q, s.text, variant)
                    for q in queries
                ]
                for s in spans
            ],
            dtype=float,
        )
    vals = vals + ZeroShotWeights().exact_mention * lift
    x = moment_values(t, spans, vals)
    return x - text_baseline(queries, backbone)[:, None], lift.sum(axis=0)


def phonetic_bests(
    summarizer: Any, spec: list[dict[str, Any]], workdir: Path, variant: str | None
) -> dict[str, np.ndarray]:
    """On ``spec``'s talks: bests of x (eq. 3, speech channel as ``speech_channel`` gives it) per group:
    "spoken word-sharing" (best inside its part, speech channel), "paraphrase" (spoken or captioned, best
    inside its part in its channel), "absent" and "decoy" (best anywhere in the text channels); "lifted":
    per query, the number of spans the variant lifted."""
    from vidgist.summarize.relevance import relevance_channels

    out: dict[str, list[float]] = {"spoken word-sharing": [], "paraphrase": [], "absent": [], "decoy": []}
    lifted: dict[str, list[float]] = {k: [] for k in out}
    for video in spec:
        ev, _, _ = evidence_for(summarizer, video, workdir)
        qs = [q for q in all_queries(video) if q["kind"] != "visual"]
        queries = [q["query"] for q in qs]
        ch = relevance_channels(ev, queries, summarizer.backbone)
        ch["speech"], n_lifted = speech_channel(ev, queries, summarizer.backbone, variant)
        t = ev.frames.times
        for i, q in enumerate(qs):
            if q["kind"] in ("absent", "decoy"):
                group = q["kind"]
                vals = [
                    np.nanmax(ch[c][i])
                    for c in ("speech", "ocr")
                    if c in ch and not np.all(np.isnan(ch[c][i]))
                ]
                best = max(vals) if vals else -1.0
            else:
                group = (
                    "paraphrase"
                    if q["paraphrase"]
                    else "spoken word-sharing"
                    if q["kind"] == "speech"
                    else ""
                )
                if not group:
                    continue
                x = ch.get(CHANNEL_OF_KIND[q["kind"]])
                inside = (t >= q["span"][0]) & (t < q["span"][1])
                known = None if x is None else x[i][inside & ~np.isnan(x[i])]
                best = float(known.max()) if known is not None and known.size else -1.0
            out[group].append(float(best))
            lifted[group].append(float(n_lifted[i]))
    res = {k: np.array(v) for k, v in out.items()}
    res.update({f"lifted {k}": np.array(v) for k, v in lifted.items()})
    return res


def compare_phonetic(summarizer: Any, spec: list[dict[str, Any]], workdir: Path) -> dict[str, Any]:
    """``PHONETIC_RULE`` on ``spec``'s fit-half talks: each variant's AUCs and paired gains over eq. 3."""
    from relevance_learned import auc, paired_gain

    fit_half = [v for v in spec if v["split"] == "fit"]
    base = phonetic_bests(summarizer, fit_half, workdir, None)
    out: dict[str, Any] = {"eq. 3": _phonetic_aucs(base)}
    for variant in PHONETIC_VARIANTS:
        got = phonetic_bests(summarizer, fit_half, workdir, variant)
        row = _phonetic_aucs(got)
        neg, neg0 = (np.concatenate([b["absent"], b["decoy"]]) for b in (got, base))
        ws, ws0 = got["spoken word-sharing"], base["spoken word-sharing"]
        row["gain_95"] = paired_gain((ws, neg), (ws0, neg0))
        row["gain_95_absent"] = paired_gain((ws, got["absent"]), (ws0, base["absent"]))
        row["gain_95_decoy"] = paired_gain((ws, got["decoy"]), (ws0, base["decoy"]))
        row["paraphrase_gain"] = round(
            auc(got["paraphrase"], got["absent"]) - auc(base["paraphrase"], base["absent"]), 3
        )
        row["lifted"] = {k[7:]: int((got[k] > 0).sum()) for k in got if k.startswith("lifted ")}
        row["kept"] = row["gain_95"][0] > 0 and row["paraphrase_gain"] >= 0
        out[variant] = row
    print(
        f"\n{'text score':24s} {'ws vs neg':>9s} {'vs absent':>9s} {'vs decoy':>8s} {'para':>6s}   "
        "gain 95% (pooled)"
    )
    for name, row in out.items():
        print(
            f"{name:24s} {row['ws_vs_negatives']:9.3f} {row['ws_vs_absent']:9.3f} {row['ws_vs_decoy']:8.3f} "
            f"{row['paraphrase']:6.3f}   {row.get('gain_95', '-')} absent {row.get('gain_95_absent', '-')} "
            f"decoy {row.get('gain_95_decoy', '-')} para gain {row.get('paraphrase_gain', '-')} "
            f"queries lifted {row.get('lifted', '-')}"
        )
    kept = [v for v in PHONETIC_VARIANTS if out[v]["kept"]]
    pick = max(kept, key=lambda v: out[v]["gain_95"][0]) if kept else "eq. 3 (no variant passes)"
    print(f"rule: {PHONETIC_RULE}\n-> {pick}")
    return out


def _phonetic_aucs(b: dict[str, np.ndarray]) -> dict[str, float]:
    from relevance_learned import auc

    ws = b["spoken word-sharing"]
    return {
        "ws_vs_negatives": round(auc(ws, np.concatenate([b["absent"], b["decoy"]])), 3),
        "ws_vs_absent": round(auc(ws, b["absent"]), 3),
        "ws_vs_decoy": round(auc(ws, b["decoy"]), 3),
        "paraphrase": round(auc(b["paraphrase"], b["absent"]), 3),
        "n": {k: len(v) for k, v in b.items() if not k.startswith("lifted")},
    }
