"""A learned text score beside relevance equation 3, on the fit half only (``bench_relevance.py --learned``).

The text channels score a query ``q`` against a spoken or on-screen line ``u`` by relevance eq. 3,
``x3 = cos_mpnet(u, q) + 0.5 [u holds every content word of q] - b(q)``. The candidate replaces it by a
logistic regression over generic per-(query, line) features (``FEATURES``):

- ``x3``: eq. 3 itself;
- ``minilm``: all-MiniLM-L6-v2 cosine minus the query's mean cosine with the same 1000-label bank in MiniLM;
- ``cover_query``: soft coverage of the query by the line, the mean over the query's content words of
  each word's best cosine among the line's content words (single words embedded by MiniLM), so "roller
  skating" on an ice-skating line leaves "roller" uncovered; ``cover_line``: the reverse;
- ``exact``: every content word of the query in the line; ``query_words``: the query's content words;
- ``video_z``: the query's mpnet cosine to the line as a z-score over the video's lines,
  ``(c - mean) / (std + 0.05)``.

Two forms: *free*, ``s = w . f + c`` (all weights learned); *anchored*, ``s = x3 + sum_k (w_k / w_x3) f_k``
(the same regression, divided by its ``x3`` weight and without its intercept, so ``x3`` alone is eq. 3
exactly and folds share one scale). The regression is class-balanced with an L2 penalty (``C``) on
standardised features. Examples, per talk: positives are a spoken or captioned query's best line (by eq. 3)
in its own part and channel; negatives, with ``examples="all"``, every line of each absent query and the
part queries' lines outside their part; with ``examples="hard"``, only paraphrased queries are positives
and each absent query's best line (by eq. 3) is its negative.

Scores of a fit-half talk come from weights fitted on the other two folds' talks (3 folds: the k-th of
every 3 talks in name order). The table gives, per variant, the AUC of a paraphrase's best line in its
part and channel against an absent query's best line (the AUC ``--specificity`` uses), its paired bootstrap
gain over eq. 3 on the same cross-validated talks, the decoy AUC (absent queries sharing a word with a
line), and, for information only, the held-out AUC with weights fitted on the whole fit half. A reference
row gives eq. 3 on what each part really says or shows (its sentence or caption, not the transcript or OCR
text): how much of the gap is reading, which no text score can recover.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

#: the features, in order (module docstring)
FEATURES = ("x3", "minilm", "cover_query", "cover_line", "exact", "query_words", "video_z")
#: the variants side by side: (form, examples, features besides x3, C)
VARIANTS: tuple[tuple[str, str, tuple[str, ...], float], ...] = tuple(
    [("free", ex, (), c) for ex in ("all", "hard") for c in (0.1, 1.0)]
    + [("free", ex, FEATURES[1:], c) for ex in ("all", "hard") for c in (0.1, 1.0)]
    + [
        ("anchored", ex, extra, c)
        for ex in ("all", "hard")
        for extra in (
            ("minilm",),
            ("cover_query",),
            ("cover_line",),
            ("video_z",),
            ("query_words",),
            FEATURES[1:],
        )
        for c in (0.1, 1.0)
    ]
)
#: how ``--learned`` decides (written before any of these figures were measured)
LEARNED_RULE = (
    "fit half only, cross-validated scores (3 folds of talks): a learned score replaces eq. 3 only if (a) "
    "the bench's fit cost absent matched/0.10 + paraphrase unmatched/0.10 is lower, (b) the paired "
    "bootstrap 95% interval (2000 resamples) of its fit-half AUC gain over eq. 3 lies above 0, (c) no "
    "fit-half word-sharing or long-video figure falls below its target; (b) is checked first, and (a) and "
    "(c) are run only for a variant that passes it; held-out AUC is information, never a choice"
)
#: the variants judged for replacing eq. 3 (the best two by fit AUC on the 8-talk fit half, and the full
#: model); the other rows of ``VARIANTS`` are printed for reference
CANDIDATES: tuple[tuple[str, str, tuple[str, ...], float], ...] = (
    ("anchored", "hard", ("video_z",), 0.1),
    ("anchored", "all", ("cover_line",), 1.0),
    ("free", "all", FEATURES[1:], 0.1),
)
BOOTSTRAP = 2000
CHANNEL_OF_KIND = {"speech": "speech", "caption": "ocr"}


def _words(text: str) -> list[str]:
    from vidgist.scorers.zero_shot import content_words

    return sorted(content_words(text))


class WordVectors:
    """Single words embedded by all-MiniLM-L6-v2, remembered."""

    def __init__(self) -> None:
        self.known: dict[str, np.ndarray] = {}

    def __call__(self, words: Sequence[str]) -> np.ndarray:
        from vidgist.backbones.offline_nets import encode_sentences

        missing = [w for w in dict.fromkeys(words) if w not in self.known]
        if missing:
            for w, v in zip(missing, np.asarray(encode_sentences(missing), np.float64), strict=True):
                self.known[w] = v
        return np.array([self.known[w] for w in words]) if words else np.zeros((0, 384))


def coverage(
    queries: Sequence[str], lines: Sequence[str], vectors: WordVectors
) -> tuple[np.ndarray, np.ndarray]:
    """(cover_query, cover_line), each (n_lines, n_queries): the mean over one side's content words of each
    word's best cosine among the other side's (0 when either has none)."""
    cq, cl = np.zeros((len(lines), len(queries))), np.zeros((len(lines), len(queries)))
    lv = [vectors(_words(u)) for u in lines]
    for j, q in enumerate(queries):
        qv = vectors(_words(q))
        for k, v in enumerate(lv):
            if len(qv) and len(v):
                s = qv @ v.T
                cq[k, j], cl[k, j] = s.max(axis=1).mean(), s.max(axis=0).mean()
    return cq, cl


def line_features(
    queries: Sequence[str], lines: Sequence[str], vectors: WordVectors
) -> dict[str, np.ndarray]:
    """Every ``FEATURES`` entry, (n_lines, n_queries), for one video's text lines (speech and on-screen)."""
    from vidgist.backbones.label_cache import prompt_label_embeddings, relevance_label_embeddings
    from vidgist.backbones.mpnet import encode_mpnet
    from vidgist.backbones.offline_nets import encode_sentences
    from vidgist.scorers.zero_shot import lexical_overlap

    qm, um = (np.asarray(encode_mpnet(list(x)), np.float64) for x in (queries, lines))
    ql, ul = (np.asarray(encode_sentences(list(x)), np.float64) for x in (queries, lines))
    b_mp = (relevance_label_embeddings().astype(np.float64) @ qm.T).mean(axis=0)
    b_ml = (prompt_label_embeddings().astype(np.float64) @ ql.T).mean(axis=0)
    cos = um @ qm.T
    exact = np.array([[float(lexical_overlap(q, u) >= 1 - 1e-9) for q in queries] for u in lines])
    cq, cl = coverage(queries, lines, vectors)
    n_words = np.array([len(_words(q)) for q in queries], np.float64)
    return {
        "x3": cos + 0.5 * exact - b_mp[None, :],
        "minilm": ul @ ql.T - b_ml[None, :],
        "cover_query": cq,
        "cover_line": cl,
        "exact": exact,
        "query_words": np.broadcast_to(n_words[None, :], cos.shape).copy(),
        "video_z": (cos - cos.mean(axis=0)) / (cos.std(axis=0) + 0.05),
    }


def talk_features(
    video: dict[str, Any], evidence: Any, queries: list[dict[str, Any]], vectors: WordVectors
) -> dict[str, Any]:
    """One talk's text lines with their features for ``queries`` (``relevance_core.all_queries`` rows)."""
    lines = [s for src in ("speech", "ocr") for s in evidence.spans if s.source == src and s.text.strip()]
    feats = line_features([q["query"] for q in queries], [s.text for s in lines], vectors)
    return {
        "name": video["name"],
        "split": video["split"],
        "queries": queries,
        "source": [s.source for s in lines],
        "times": [(s.start, s.end) for s in lines],
        "features": feats,
    }


def true_text_talk(
    video: dict[str, Any], queries: list[dict[str, Any]], vectors: WordVectors
) -> dict[str, Any]:
    """``talk_features`` with each spoken or captioned part's own sentence or caption as its one line (what
    is really said or shown: no speech or OCR reading errors)."""
    parts = [p for p in video["parts"] if p["kind"] in CHANNEL_OF_KIND]
    texts = [p.get("say") or p.get("text") for p in parts]
    return {
        "name": video["name"],
        "split": video["split"],
        "queries": queries,
        "source": [CHANNEL_OF_KIND[p["kind"]] for p in parts],
        "times": [tuple(p["span"]) for p in parts],
        "features": line_features([q["query"] for q in queries], texts, vectors),
    }


def _in_part(talk: dict[str, Any], j: int) -> list[int]:
    """The lines of query ``j``'s own channel that overlap its part."""
    q = talk["queries"][j]
    lo, hi = q["span"]
    return [
        k
        for k, (a, b) in enumerate(talk["times"])
        if talk["source"][k] == CHANNEL_OF_KIND[q["kind"]] and min(b, hi) - max(a, lo) > 0
    ]


def _outside(talk: dict[str, Any], j: int) -> list[int]:
    lo, hi = talk["queries"][j]["span"]
    return [k for k, (a, b) in enumerate(talk["times"]) if min(b, hi) - max(a, lo) <= 0]


def examples(
    talks: Sequence[dict[str, Any]], names: Sequence[str], kind: str
) -> tuple[np.ndarray, np.ndarray]:
    """Training rows (features ``names``) and labels of ``talks`` (module docstring: ``kind`` all | hard)."""
    rows, labels = [], []
    for talk in talks:
        f = np.stack([talk["features"][n] for n in names], axis=-1)
        x3 = talk["features"]["x3"]
        for j, q in enumerate(talk["queries"]):
            if q["kind"] == "absent":
                lines = [int(np.argmax(x3[:, j]))] if kind == "hard" else range(len(x3))
                rows += [f[k, j] for k in lines]
                labels += [0] * len(lines)
            elif q["kind"] in CHANNEL_OF_KIND and (q["paraphrase"] or kind == "all"):
                inside = _in_part(talk, j)
                if inside:
                    rows.append(f[max(inside, key=lambda k: x3[k, j]), j])
                    labels.append(1)
                if kind == "all":
                    rows += [f[k, j] for k in _outside(talk, j)]
                    labels += [0] * len(_outside(talk, j))
    return np.array(rows), np.array(labels)


def fit_weights(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """Class-balanced L2 logistic regression on standardised ``x`` (loss ``C x sum_i w_i logloss_i +
    |beta|^2 / 2``, ``w_i = n / (2 n_class)``), returned as (weights, intercept) in ``x``'s own units."""
    from scipy.optimize import minimize

    mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mu) / sd
    cw = np.where(y == 1, len(y) / (2 * max(1, y.sum())), len(y) / (2 * max(1, (1 - y).sum())))

    def loss(p: np.ndarray) -> tuple[float, np.ndarray]:
        t = z @ p[:-1] + p[-1]
        g = cw * (1 / (1 + np.exp(-t)) - y)
        val = c * float(np.sum(cw * (np.logaddexp(0, t) - y * t))) + 0.5 * float(p[:-1] @ p[:-1])
        return val, np.concatenate([c * (z.T @ g) + p[:-1], [c * g.sum()]])

    p = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B").x
    w = p[:-1] / sd
    return w, float(p[-1] - np.sum(p[:-1] * mu / sd))


def scorer(
    variant: tuple[str, str, tuple[str, ...], float], train: Sequence[dict[str, Any]]
) -> Callable[[dict[str, Any]], np.ndarray]:
    """The learned score of ``variant`` fitted on ``train``: talk -> (n_lines, n_queries)."""
    form, kind, extra, c = variant
    names = ("x3", *extra)
    w, b = fit_weights(*examples(train, names, kind), c)

    def score(talk: dict[str, Any]) -> np.ndarray:
        f = np.stack([talk["features"][n] for n in names], axis=-1)
        if form == "anchored":
            return talk["features"]["x3"] + f[..., 1:] @ (w[1:] / w[0])
        return f @ w + b

    return score


def best_lines(talk: dict[str, Any], s: np.ndarray) -> tuple[list[float], list[float], list[float]]:
    """(each paraphrase's best score in its part and channel, each absent query's best, each decoy's best)."""
    para, absent, decoy = [], [], []
    for j, q in enumerate(talk["queries"]):
        if q["kind"] == "absent":
            absent.append(float(s[:, j].max()))
        elif q["kind"] == "decoy":
            decoy.append(float(s[:, j].max()))
        elif q["kind"] in CHANNEL_OF_KIND and q["paraphrase"]:
            inside = _in_part(talk, j)
            para.append(float(s[inside, j].max()) if inside else -1e9)
    return para, absent, decoy


def auc(p: np.ndarray, a: np.ndarray) -> float:
    """Share of (paraphrase, absent) pairs whose paraphrase best is the higher: the AUC."""
    return float((p[:, None] > a[None, :]).mean())


def pooled(talks: Sequence[dict[str, Any]], scores: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    """(paraphrase bests, absent bests, decoy bests) over ``talks`` under ``scores`` (per talk name)."""
    out: tuple[list[float], list[float], list[float]] = ([], [], [])
    for talk in talks:
        for acc, got in zip(out, best_lines(talk, scores[talk["name"]]), strict=True):
            acc += got
    return tuple(np.array(v) for v in out)


def paired_gain(
    new: tuple[np.ndarray, ...],
    old: tuple[np.ndarray, ...],
    seed: int = 0,
    rng: np.random.Generator | None = None,
) -> list[float]:
    """Percentile 95% interval of AUC(new) - AUC(old), resampling paraphrases and absent queries together
    (draws from ``rng`` when given, else from a generator seeded with ``seed``)."""
    rng = np.random.default_rng(seed) if rng is None else rng
    (p, a), (p0, a0) = new[:2], old[:2]
    gains = []
    for _ in range(BOOTSTRAP):
        ip, ia = rng.integers(0, len(p), len(p)), rng.integers(0, len(a), len(a))
        gains.append(auc(p[ip], a[ia]) - auc(p0[ip], a0[ia]))
    return [round(float(g), 3) for g in np.quantile(gains, [0.025, 0.975])]


def cross_validated(
    variant: tuple[str, str, tuple[str, ...], float], talks: Sequence[dict[str, Any]], folds: int = 3
) -> dict[str, np.ndarray]:
    """Per talk name, its scores from weights fitted on the other folds' talks."""
    names = sorted(t["name"] for t in talks)
    out: dict[str, np.ndarray] = {}
    for k in range(folds):
        held = set(names[k::folds])
        score = scorer(variant, [t for t in talks if t["name"] not in held])
        out.update({t["name"]: score(t) for t in talks if t["name"] in held})
    return out


def fold_auc(
    talks: Sequence[dict[str, Any]], scores: dict[str, np.ndarray], folds: int = 3
) -> dict[str, float]:
    """The AUC within each of ``folds`` disjoint sets of talks (the k-th of every ``folds`` in name order):
    their mean and sample standard deviation."""
    names = sorted(t["name"] for t in talks)
    got = [
        auc(*pooled([t for t in talks if t["name"] in set(names[k::folds])], scores)[:2])
        for k in range(folds)
    ]
    return {"mean": round(float(np.mean(got)), 3), "sd": round(float(np.std(got, ddof=1)), 3)}


def _held_row(held: Sequence[dict[str, Any]], scores: dict[str, np.ndarray]) -> dict[str, Any]:
    """The held-out AUC and its folds, or nothing when the run has no held-out talks."""
    if not held:
        return {}
    return {
        "held_out_auc": round(auc(*pooled(held, scores)[:2]), 3),
        "held_out_auc_folds": fold_auc(held, scores),
    }


def _eq3_row(talks: Sequence[dict[str, Any]]) -> dict[str, Any]:
    fit = [t for t in talks if t["split"] == "fit"]
    held = [t for t in talks if t["split"] == "held-out"]
    x3 = {t["name"]: t["features"]["x3"] for t in talks}
    base_fit = pooled(fit, x3)
    return {
        "fit_auc": round(auc(*base_fit[:2]), 3),
        "fit_auc_folds": fold_auc(fit, x3),
        "fit_decoy_auc": round(auc(base_fit[0], base_fit[2]), 3),
        **_held_row(held, x3),
    }


def with_true_feature(
    talks: Sequence[dict[str, Any]], true_text: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Copies of ``talks`` with one more feature, ``true_x3``: each line's eq. 3 on what its part really says
    or shows (its own x3 outside every part). It needs the truth, so it can never ship: it only checks that
    the cross-validation and the bootstrap can detect a feature known to carry signal."""
    truth = {t["name"]: t for t in true_text}
    out = []
    for talk in talks:
        ref = truth[talk["name"]]
        true = talk["features"]["x3"].copy()
        for k, (a, b) in enumerate(talk["times"]):
            hits = [i for i, (lo, hi) in enumerate(ref["times"]) if min(b, hi) - max(a, lo) > 0]
            if hits:
                true[k] = ref["features"]["x3"][hits[0]]
        out.append({**talk, "features": {**talk["features"], "true_x3": true}})
    return out


def _variant_row(
    variant: tuple[str, str, tuple[str, ...], float],
    fit: Sequence[dict[str, Any]],
    held: Sequence[dict[str, Any]],
    base_fit: tuple[np.ndarray, ...],
) -> dict[str, Any]:
    """One variant's cross-validated fit-half figures and its held-out AUC (weights: the whole fit half)."""
    cv_scores = cross_validated(variant, fit)
    cv = pooled(fit, cv_scores)
    whole = scorer(variant, fit)
    return {
        "fit_auc": round(auc(*cv[:2]), 3),
        "fit_auc_folds": fold_auc(fit, cv_scores),
        "fit_gain_95": paired_gain(cv, base_fit),
        "fit_decoy_auc": round(auc(cv[0], cv[2]), 3),
        **_held_row(held, {t["name"]: whole(t) for t in held}),
    }


#: the power check's variants (``with_true_feature``): (form, examples, features besides x3, C)
POWER_CHECK = tuple(("anchored", ex, ("true_x3",), c) for ex in ("all", "hard") for c in (0.1, 1.0))


def _name(variant: tuple[str, str, tuple[str, ...], float]) -> str:
    form, kind, extra, c = variant
    return f"{form}, {kind} examples, x3{''.join(' + ' + e for e in extra)}, C={c}"


def compare(talks: Sequence[dict[str, Any]], true_text: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """Every ``VARIANTS`` entry against eq. 3 (module docstring); prints the table and the verdict.
    ``true_text`` (``true_text_talk``) adds eq. 3 on what is really said or shown and the power check
    (``with_true_feature``), for reference only."""
    fit = [t for t in talks if t["split"] == "fit"]
    held = [t for t in talks if t["split"] == "held-out"]
    base_fit = pooled(fit, {t["name"]: t["features"]["x3"] for t in fit})
    out: dict[str, Any] = {"eq. 3": _eq3_row(talks)}
    for variant in VARIANTS:
        out[_name(variant)] = _variant_row(variant, fit, held, base_fit)
    if true_text:
        out["eq. 3 on the text really said or shown"] = _eq3_row(true_text)
        plus = with_true_feature(talks, true_text)
        fit_plus = [t for t in plus if t["split"] == "fit"]
        held_plus = [t for t in plus if t["split"] == "held-out"]
        for variant in POWER_CHECK:
            out["power check: " + _name(variant)] = _variant_row(variant, fit_plus, held_plus, base_fit)
    print(
        f"\n{'variant':72s} {'fit AUC (CV)':>12s} {'folds':>13s} {'gain 95%':>16s} {'decoy':>6s} "
        f"{'held-out AUC':>12s} {'folds':>13s}"
    )
    for name, row in out.items():
        gain = row.get("fit_gain_95")
        ff = row["fit_auc_folds"]
        gain_cell = str(gain) if gain else "-"
        held_cell = "(no held-out talks in this run)"
        if "held_out_auc" in row:
            hf = row["held_out_auc_folds"]
            held_cell = f"{row['held_out_auc']:12.3f} {hf['mean']:6.3f}+-{hf['sd']:.3f}"
        print(
            f"{name:72s} {row['fit_auc']:12.3f} {ff['mean']:6.3f}+-{ff['sd']:.3f} {gain_cell:>16s} "
            f"{row['fit_decoy_auc']:6.3f} {held_cell}"
        )
    passing = [
        n for n, r in out.items() if r.get("fit_gain_95", [0.0])[0] > 0 and not n.startswith("power check")
    ]
    candidates = [_name(v) for v in CANDIDATES]
    passing_candidates = [n for n in candidates if n in passing]
    print(f"rule: {LEARNED_RULE}\n-> {passing[0] if passing else 'eq. 3 (no learned score passes (b))'}")
    print(f"candidates ({'; '.join(candidates)}) passing (b): {passing_candidates or 'none'}")
    return {
        "variants": out,
        "passing_b": passing,
        "candidates": candidates,
        "candidates_passing_b": passing_candidates,
    }
