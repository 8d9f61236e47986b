"""How far a linear reading of the offline sentence encoders' similarities can place chapter boundaries.

Usage: python benchmarks/boundary_ceiling.py [--text perfect|whisper] [--cv] [--sets minilm,mpnet,e5,all]
       [--decoder threshold|shipped_count|mean_count] [--stack] [--family all|tips|topics]
       [--regenerations 0,1,2]

Each talk-regeneration of ``talks_devset`` (``--family``: one family of ``talks_devset.FAMILIES``) is
read as perfect text (``--text perfect``: ``generic_ceiling.perfect_transcript``, the true sentences on the
generator's timeline) or as the product hears it (``--text whisper``: the Whisper tiny.en evidence
``bench_generic.py`` cached), split into
sentences as ``find_chapters`` splits them. Each gap between two sentences is described by what the
encoders say about the sentences around it: per encoder (all-MiniLM-L6-v2, all-mpnet-base-v2,
multilingual-e5-small) the cosine of the mean rows of ``w`` sentences on either side (``w`` = 1..4), each
minus the talk's median, and the TextTiling depth of the ``w`` = 2 and 3 curves; and the tf-idf cosine of 1
and 2 sentences (``gap_features``). No pause and no time: the development talks draw longer pauses before a
section, a cue real talks do not promise. A gap is positive when it is the one nearest a true section start
(within ``LABEL_TOLERANCE`` s).

An L2 logistic regression (balanced classes, standardised features) scores the gaps; the decoder keeps the
most probable gaps at or above a threshold (a 0.02 grid), at least ``MIN_SECONDS`` apart and from either
end (the product's ``TopicParams.min_seconds``). ``--decoder shipped_count`` keeps as many as the shipped
rule found; ``mean_count`` the mean of that and the threshold's count; ``--stack`` adds the shipped rule's
boundaries as a feature.

Without ``--cv`` (the held-out half), per encoder set: ``honest`` (scorer and threshold fitted on the fit
half), ``bound`` (fitted on the held-out half itself, i.e. on the answers it is scored against: what this
scorer family cannot exceed) and ``bound_true_count`` (the bound's scorer keeping the true number of
boundaries), each with its bootstrap 95% interval, beside the product's shipped rule on the same text.
With ``--cv`` (the fit half only): 5-fold leave-talks-out out-of-fold figures against the shipped rule,
paired, and whether the keep rule passes (gain interval above 0 and the share of counts within +-25% not
lower). Written to ``benchmarks/results/boundary_ceiling_TEXT[_cv][_stack][_DECODER].json``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

MIN_SECONDS = 10.0
LABEL_TOLERANCE = 3.0
FOLDS = 5
DECODER = "threshold"
WINDOWS = (1, 2, 3, 4)
DEPTH_WINDOWS = (2, 3)
THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.02, 0.99, 0.02))
ENCODER_SETS = {"minilm": ("minilm",), "mpnet": ("mpnet",), "e5": ("e5",), "all": ("minilm", "mpnet", "e5")}


def encoders() -> dict[str, Callable[[list[str]], np.ndarray]]:
    """The offline sentence encoders by name, each ``texts -> (n, d)`` unit rows with a per-text memory."""
    from vidgist.backbones import relevance_text_encoder
    from vidgist.backbones.offline import encode_sentences
    from vidgist.qms.phrases import e5_encoders

    _query, passage = e5_encoders()
    raw = {"minilm": encode_sentences, "mpnet": relevance_text_encoder(), "e5": passage}
    out = {}
    for name, fn in raw.items():
        memory: dict[str, np.ndarray] = {}

        def encode(texts: list[str], fn: Any = fn, memory: dict[str, np.ndarray] = memory) -> np.ndarray:
            new = sorted({t for t in texts if t not in memory})
            if new:
                v = np.asarray(fn(new), dtype=np.float64)
                v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
                memory.update(zip(new, v, strict=True))
            return np.stack([memory[t] for t in texts])

        out[name] = encode
    return out


def _window_cosines(rows: np.ndarray, w: int) -> np.ndarray:
    """Per gap ``g`` (a new part would start at sentence ``g``, 1..n-1): the cosine of the mean rows of up
    to ``w`` sentences before and after it."""
    n = len(rows)
    out = np.zeros(n - 1)
    for g in range(1, n):
        a = rows[max(0, g - w) : g].mean(0)
        b = rows[g : min(n, g + w)].mean(0)
        out[g - 1] = float(a @ b / max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-12))
    return out


def _depth(curve: np.ndarray) -> np.ndarray:
    """TextTiling depth: per gap the rise to the highest cosine on its left plus that on its right, each
    followed while the curve climbs."""
    out = np.zeros(len(curve))
    for i, v in enumerate(curve):
        left = right = v
        j = i
        while j > 0 and curve[j - 1] >= left:
            j -= 1
            left = curve[j]
        j = i
        while j + 1 < len(curve) and curve[j + 1] >= right:
            j += 1
            right = curve[j]
        out[i] = (left - v) + (right - v)
    return out


def gap_features(rows_by_encoder: dict[str, np.ndarray], tfidf: np.ndarray) -> dict[str, np.ndarray]:
    """Per encoder name: the (n-1, f) gap features of the module docstring; ``"tfidf"``: the lexical ones."""
    out = {}
    for name, rows in rows_by_encoder.items():
        cols = []
        for w in WINDOWS:
            c = _window_cosines(rows, w)
            cols += [c, c - np.median(c)]
            if w in DEPTH_WINDOWS:
                cols.append(_depth(c))
        out[name] = np.stack(cols, 1)
    out["tfidf"] = np.stack([_window_cosines(tfidf, w) for w in (1, 2)], 1)
    return out


def speech_rows(
    speech: list[Any], truth: dict[str, Any], encode: dict[str, Callable[[list[str]], np.ndarray]], name: str
) -> dict[str, Any]:
    """One talk-regeneration's gap features, labels (the gap nearest each true section start, within
    ``LABEL_TOLERANCE`` s) and truth, from its sentences."""
    from vidgist.summarize.chapters import tfidf_rows

    texts = [s.text for s in speech]
    starts = np.array([s.start for s in speech])
    tfidf = np.asarray(tfidf_rows(texts), dtype=np.float64)
    tfidf /= np.maximum(np.linalg.norm(tfidf, axis=1, keepdims=True), 1e-12)
    feats = gap_features({k: f(texts) for k, f in encode.items()}, tfidf)
    labels = np.zeros(len(starts) - 1, dtype=bool)
    for sec in truth["sections"][1:]:
        g = int(np.argmin(np.abs(starts[1:] - sec["start"])))
        labels[g] |= abs(starts[1 + g] - sec["start"]) <= LABEL_TOLERANCE
    return {"name": name, "feats": feats, "labels": labels, "starts": starts[1:], "truth": truth}


def talk_rows(
    spec: Any, regeneration: int, text: str, encode: dict[str, Callable[[list[str]], np.ndarray]]
) -> dict[str, Any] | None:
    """``speech_rows`` of the talk's perfect text or cached Whisper evidence
    (``count_rules_fit.talk_evidence``), with the product's chapters' F1@3s on it; None when the
    evidence is not cached."""
    from count_rules_fit import talk_evidence

    from vidgist.summarize.chapters import sentences

    got = talk_evidence(spec, regeneration, text)
    if got is None:
        return None
    ev, shots, truth = got
    speech = sentences(
        sorted((s for s in ev.spans if s.source == "speech" and s.text.strip()), key=lambda s: s.start)
    )
    row = speech_rows(speech, truth, encode, spec.name)
    row["shipped"] = shipped_f1(ev, shots, truth)
    return row


def _design(row: dict[str, Any], names: Sequence[str]) -> np.ndarray:
    return np.hstack([row["feats"][k] for k in (*names, "tfidf")])


def decode(
    probs: np.ndarray, starts: np.ndarray, duration: float, threshold: float, most: int | None
) -> list[float]:
    """Gap start times by falling probability, at least ``MIN_SECONDS`` apart and from either end, those at
    or above ``threshold`` (or the ``most`` best when given)."""
    kept: list[float] = []
    for i in np.argsort(-probs, kind="stable"):
        t = float(starts[i])
        if most is None and probs[i] < threshold:
            break
        if most is not None and len(kept) >= most:
            break
        if MIN_SECONDS <= t <= duration - MIN_SECONDS and all(abs(t - k) >= MIN_SECONDS for k in kept):
            kept.append(t)
    return sorted(kept)


def _f1(pred: list[float], truth: dict[str, Any]) -> float:
    from vidgist.eval.chapters import boundary_f1

    return float(boundary_f1(pred, [s["start"] for s in truth["sections"][1:]], tol=3.0)[2])


def fit_scorer(rows: list[dict[str, Any]], names: Sequence[str]) -> Any:
    """Standardised L2 logistic regression on every gap of ``rows``."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x = np.vstack([_design(r, names) for r in rows])
    y = np.concatenate([r["labels"] for r in rows])
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000))
    return model.fit(x, y)


def scored(
    rows: list[dict[str, Any]], model: Any, names: Sequence[str], threshold: float | None
) -> list[tuple[float, float]]:
    """Per row the decoder's (F1@3s, count ratio) (``threshold`` None: the true count)."""
    out = []
    for r in rows:
        p = model.predict_proba(_design(r, names))[:, 1]
        most = len(r["truth"]["sections"]) - 1 if threshold is None else None
        if DECODER == "shipped_count" and threshold is not None:
            most = len(r["shipped"]["starts"])
        pred = decode(p, r["starts"], r["truth"]["duration"], threshold or 0.0, most)
        if DECODER == "mean_count" and threshold is not None:
            most = round(0.5 * (len(pred) + len(r["shipped"]["starts"])))
            pred = decode(p, r["starts"], r["truth"]["duration"], 0.0, most)
        out.append((_f1(pred, r["truth"]), (len(pred) + 1) / len(r["truth"]["sections"])))
    return out


def best_threshold(rows: list[dict[str, Any]], model: Any, names: Sequence[str]) -> float:
    """The grid threshold with the best mean F1@3s on ``rows`` (ties to the lower)."""
    return max(THRESHOLDS, key=lambda t: (float(np.mean([f for f, _ in scored(rows, model, names, t)])), -t))


def cross_validated(rows: list[dict[str, Any]], names: Sequence[str]) -> list[tuple[float, float]]:
    """Out-of-fold (F1@3s, count ratio) per row: talks sorted by name, fold = position mod ``FOLDS``; each
    fold scored by the scorer and threshold fitted on the other folds."""
    talks = sorted({r["name"] for r in rows})
    fold = {t: i % FOLDS for i, t in enumerate(talks)}
    out: list[tuple[float, float]] = [(0.0, 0.0)] * len(rows)
    for k in range(FOLDS):
        train = [r for r in rows if fold[r["name"]] != k]
        model = fit_scorer(train, names)
        t = best_threshold(train, model, names)
        test = [i for i, r in enumerate(rows) if fold[r["name"]] == k]
        for i, fig in zip(test, scored([rows[i] for i in test], model, names, t), strict=True):
            out[i] = fig
    return out


def shipped_f1(evidence: Any, shots: list[tuple[float, float]], truth: dict[str, Any]) -> dict[str, float]:
    """F1@3s and count ratio of the product's chapters (shipped ``TopicParams``) on ``evidence``."""
    from vidgist.backbones.offline import encode_sentences
    from vidgist.summarize.chapters import ChapterParams, find_chapters

    chs = find_chapters(evidence, shots, encode_sentences, ChapterParams()).chapters
    starts = [c.start for c in chs[1:]]
    return {"f1_3s": _f1(starts, truth), "count_ratio": len(chs) / len(truth["sections"]), "starts": starts}


def _auc(model: Any, rows: list[dict[str, Any]], names: Sequence[str]) -> float:
    from sklearn.metrics import roc_auc_score

    x = np.vstack([_design(r, names) for r in rows])
    y = np.concatenate([r["labels"] for r in rows])
    return float(roc_auc_score(y, model.predict_proba(x)[:, 1]))


def _within(ratios: Sequence[float]) -> float:
    return float(np.mean([abs(x - 1) <= 0.25 for x in ratios]))


def judge(fit: list[dict[str, Any]], held: list[dict[str, Any]], names: Sequence[str]) -> dict[str, Any]:
    """The three settings of the module docstring for one encoder set."""
    from bench_generic import bootstrap_interval

    out: dict[str, Any] = {}
    honest = fit_scorer(fit, names)
    t_fit = best_threshold(fit, honest, names)
    bound = fit_scorer(held, names)
    t_held = best_threshold(held, bound, names)
    for key, model, t in (
        ("honest", honest, t_fit),
        ("bound", bound, t_held),
        ("bound_true_count", bound, None),
    ):
        figs = scored(held, model, names, t)
        f1 = [f for f, _ in figs]
        low, high = bootstrap_interval(f1)
        out[key] = {
            "f1_3s": float(np.mean(f1)),
            "ci": [low, high],
            "threshold": t,
            "within_25pct": _within([r for _, r in figs]),
        }
    out["auc_held_in_sample"] = _auc(bound, held, names)
    out["auc_held_honest"] = _auc(honest, held, names)
    return out


def judge_cv(fit: list[dict[str, Any]], names: Sequence[str]) -> dict[str, Any]:
    """The fit half's out-of-fold figures of the scorer against the shipped rule, paired."""
    from bench_generic import bootstrap_interval

    figs = cross_validated(fit, names)
    base = [r["shipped"]["f1_3s"] for r in fit]
    diffs = [f - b for (f, _), b in zip(figs, base, strict=True)]
    low, high = bootstrap_interval(diffs)
    within = _within([r for _, r in figs])
    base_within = _within([r["shipped"]["count_ratio"] for r in fit])
    return {
        "f1_3s": float(np.mean([f for f, _ in figs])),
        "shipped_f1_3s": float(np.mean(base)),
        "gain": float(np.mean(diffs)),
        "gain_ci": [low, high],
        "within_25pct": within,
        "shipped_within_25pct": base_within,
        "passes": bool(low > 0 and within >= base_within),
        "count_ratio": float(np.mean([r for _, r in figs])),
        "shipped_count_ratio": float(np.mean([r["shipped"]["count_ratio"] for r in fit])),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--regenerations", default="0,1,2")
    ap.add_argument("--text", default="perfect", choices=("perfect", "whisper"))
    ap.add_argument(
        "--cv", action="store_true", help="fit half only: out-of-fold scorer against the shipped rule"
    )
    ap.add_argument("--sets", default=",".join(ENCODER_SETS))
    ap.add_argument(
        "--family", default="all", choices=("all", "tips", "topics"), help="talks_devset.FAMILIES"
    )
    ap.add_argument("--decoder", default="threshold", choices=("threshold", "shipped_count", "mean_count"))
    ap.add_argument("--stack", action="store_true", help="the shipped rule's boundaries as a feature")
    args = ap.parse_args()

    import talks_devset
    from bench_generic import bootstrap_interval, talk_specs
    from results_io import write_and_report

    t0 = time.perf_counter()
    regens = [int(k) for k in args.regenerations.split(",")]
    sets = {k: (*ENCODER_SETS[k], *(("shipped",) if args.stack else ())) for k in args.sets.split(",")}
    global DECODER
    DECODER = args.decoder
    encode = encoders()
    fit, held = [], []
    for k in regens:
        for spec in talk_specs((), k):
            if args.cv and spec.name not in talks_devset.FIT:
                continue
            if args.family != "all" and spec.name not in talks_devset.FAMILIES[args.family]:
                continue
            row = talk_rows(spec, k, args.text, encode)
            if row is None:
                continue
            row["regeneration"] = k
            row["feats"]["shipped"] = np.array(
                [[float(any(abs(t - u) < 0.5 for u in row["shipped"]["starts"]))] for t in row["starts"]]
            )
            (fit if spec.name in talks_devset.FIT else held).append(row)
    out: dict[str, Any] = {}
    if args.cv:
        for label, names in sets.items():
            out[label] = r = judge_cv(fit, names)
            print(
                f"{label:<7} fit out-of-fold F1@3s {r['shipped_f1_3s']:.3f} -> {r['f1_3s']:.3f}  "
                f"gain {r['gain']:+.3f} [{r['gain_ci'][0]:+.3f}, {r['gain_ci'][1]:+.3f}]  "
                f"within25 {r['shipped_within_25pct']:.3f} -> "
                f"{r['within_25pct']:.3f}  ratio {r['shipped_count_ratio']:.2f} -> {r['count_ratio']:.2f}  "
                f"passes {r['passes']}",
                flush=True,
            )
    else:
        base = [r["shipped"]["f1_3s"] for r in held]
        low, high = bootstrap_interval(base)
        out["shipped"] = {
            "f1_3s": float(np.mean(base)),
            "ci": [low, high],
            "within_25pct": _within([r["shipped"]["count_ratio"] for r in held]),
        }
        print(f"shipped rule (held-out {len(held)}): F1@3s {np.mean(base):.3f} [{low:.3f}, {high:.3f}]")
        for label, names in sets.items():
            out[label] = judge(fit, held, names)
            figs = "  ".join(
                f"{k} {v['f1_3s']:.3f} [{v['ci'][0]:.3f}, {v['ci'][1]:.3f}] w{v['within_25pct']:.2f}"
                for k, v in out[label].items()
                if isinstance(v, dict)
            )
            print(f"{label:<7} {figs}  AUC in-sample {out[label]['auc_held_in_sample']:.3f}", flush=True)
    wall = time.perf_counter() - t0
    config = {
        "text": args.text,
        "mode": "fit-half 5-fold leave-talks-out" if args.cv else "held-out: honest / bound",
        "windows": WINDOWS,
        "depth_windows": DEPTH_WINDOWS,
        "min_seconds": MIN_SECONDS,
        "scorer": "L2 logistic regression, C=1, balanced, standardised",
        "fit_talks": len(fit),
        "held_out_talks": len(held),
    }
    name = f"boundary_ceiling_{args.text}" + ("_cv" if args.cv else "")
    name += ("_stack" if args.stack else "") + ("" if DECODER == "threshold" else f"_{DECODER}")
    write_and_report(name, out, seeds=regens, config=config, wall_s=wall)


if __name__ == "__main__":
    main()
