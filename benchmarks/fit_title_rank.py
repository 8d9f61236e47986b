"""Fit and judge the learned title ranker (``vidgist.summarize.title_rank``) on the talks development set.

Usage: PYTHONPATH=src python benchmarks/fit_title_rank.py [--half fit|held-out] [--bigrams] [--weights W,...]

For every talk of the half and every regeneration (cached evidence only, as ``bench_generic --cached-only``):
the chapters of the current segmentation (``ChapterParams()``) and the true sections; per chapter the
candidate pool and features (``keyphrases.chapter_pools``) and each candidate's target, the sentence-model
cosine of its title to the true title(s) that ``eval.chapters.title_similarity`` pairs with the chapter.

- ``--half fit`` (default): leave-one-talk-out over the half's talks (a talk's regenerations stay together):
  weights fitted on the other talks, titles of the left-out talk chosen by them; title similarity and title
  word F1 per talk-regeneration paired against the current rule (``KeyphraseParams()``) with 95% bootstrap
  intervals, on the chapters (the keep rule's figure) and on the true sections; then the weights fitted on
  the whole half (``title_rank.WEIGHTS``).
- ``--weights shipped`` (or comma-separated weights): score the half with fixed weights, paired against
  the current rule: how the held-out half is reported once the weights are fixed.
- Variants (printed only): ``--bigrams`` (common word pairs join the pools), ``--listwise`` (ListNet),
  ``--expected`` (the expected target, from the current rule), ``--grid talk|words|both|word_share`` (the
  current rule plus one or two terms, chosen per fold), ``--in-sample`` (weights fitted on every talk).

Writes ``results/title_rank.json`` (fit half, leave-one-talk-out, with the weights fitted on the whole half)
or ``results/title_rank_held_out.json`` (``--half held-out --weights shipped``).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

RIDGE = 1e-3
TEMPERATURE = 0.05
L2 = 1e-3
CACHE = Path("/tmp/vidgist-title-rank")


def _pairing(edges: list[float], secs: list[tuple[float, float, str]]) -> list[list[str]]:
    """Per chapter the true titles scored against its title (``eval.chapters.chapter_of_sections``)."""
    from vidgist.eval.chapters import chapter_of_sections

    out: list[list[str]] = [[] for _ in edges[1:]]
    chapters = list(zip(edges, edges[1:], strict=False))
    for (_a, _b, title), i in zip(
        secs, chapter_of_sections(chapters, [(a, b) for a, b, _t in secs]), strict=True
    ):
        out[i].append(title)
    return out


class _Memo:
    """The sentence encoder with a per-text memory (targets and scoring encode the same titles often)."""

    def __init__(self) -> None:
        from vidgist.backbones.offline import encode_sentences

        self.encode = encode_sentences
        self.rows: dict[str, np.ndarray] = {}

    def __call__(self, texts: list[str]) -> np.ndarray:
        new = sorted({t for t in texts if t not in self.rows})
        if new:
            vecs = np.asarray(self.encode(new), dtype=np.float64)
            vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
            self.rows.update(zip(new, vecs, strict=True))
        return np.stack([self.rows[t] for t in texts])


def prepare(half: tuple[str, ...], bigrams: bool, memo: _Memo) -> list[dict[str, Any]]:
    """Per talk-regeneration and chapter set: texts, edges, the current rule's titles, pools and targets."""
    import lecturegen
    from bench_generic import evidence_of, evidence_path, talk_specs, talks_folder

    from vidgist.backbones.offline import encode_sentences
    from vidgist.summarize.chapters import ChapterParams, find_chapters, sentences
    from vidgist.summarize.keyphrases import KeyphraseParams, _capital, chapter_keyphrases, chapter_pools
    from vidgist.summarize.pipeline import Summarizer
    from vidgist.summarize.shots import kts_change_points, shots_from_change_points

    s = Summarizer(backbone="offline", ocr=False, asr_model="tiny.en", progress=False)
    items = []
    for k in (0, 1, 2):
        for spec in talk_specs(half, k):
            video, truth = lecturegen.cached_talk(talks_folder(k), spec)
            cache = video.parent / "evidence"
            if not evidence_path(s, video, truth, cache).is_file():
                print(f"skipped (evidence not cached): {video}", file=sys.stderr)
                continue
            ev, _fps, _th = evidence_of(s, video, truth, cache)
            shots = shots_from_change_points(
                ev.frames.times, kts_change_points(ev.frames.vectors), ev.info.duration
            )
            chs = find_chapters(ev, shots, encode_sentences, ChapterParams()).chapters
            speech = sentences(sorted((x for x in ev.spans if x.source == "speech"), key=lambda x: x.start))
            secs = [(x["start"], x["end"], x["title"]) for x in truth["sections"]]
            for which, starts in (("chapters", [c.start for c in chs]), ("true", [a for a, _b, _t in secs])):
                edges = [*starts, secs[-1][1]]
                texts = [
                    [x.text for x in speech if a <= 0.5 * (x.start + x.end) < b]
                    for a, b in zip(edges, edges[1:], strict=False)
                ]
                pools = chapter_pools(texts, encode_sentences, KeyphraseParams(rank=True, bigrams=bigrams))
                targets = []
                for (phrases, _x), truths in zip(pools, _pairing(edges, secs), strict=True):
                    if phrases and truths:
                        sims = memo([_capital(p) for p in phrases]) @ memo(truths).T
                        targets.append(sims.mean(1))
                    else:
                        targets.append(np.zeros(len(phrases)))
                items.append(
                    {
                        "talk": spec.name,
                        "regeneration": k,
                        "which": which,
                        "edges": edges,
                        "secs": secs,
                        "current": chapter_keyphrases(texts, encode_sentences, KeyphraseParams()),
                        "pools": pools,
                        "targets": targets,
                        "weights": [len(t) for t in _pairing(edges, secs)],
                    }
                )
            print(f"prepared {spec.name} r{k}", file=sys.stderr)
    return items


def _chapter_groups(
    items: list[dict[str, Any]],
) -> tuple[list[tuple[np.ndarray, np.ndarray, int]], np.ndarray]:
    """(features, targets, paired sections) of every chapter with a paired section and two or more
    candidates, and the features' standard deviations over them (at least 1e-9)."""
    groups = [
        (x, y, w)
        for it in items
        for (_p, x), y, w in zip(it["pools"], it["targets"], it["weights"], strict=True)
        if w and len(y) > 1
    ]
    return groups, np.maximum(np.concatenate([x for x, _y, _w in groups]).std(0), 1e-9)


def fit(items: list[dict[str, Any]], ridge: float = RIDGE) -> np.ndarray:
    """Weighted least squares of the chapter-centred targets on the chapter-centred features (ridge)."""
    groups, _scale = _chapter_groups(items)
    x = np.concatenate([np.sqrt(w) * (x - x.mean(0)) for x, _y, w in groups])
    y = np.concatenate([np.sqrt(w) * (y - y.mean()) for _x, y, w in groups])
    scale = np.maximum(x.std(0), 1e-9)
    xn = x / scale
    w = np.linalg.solve(xn.T @ xn + ridge * len(xn) * np.eye(x.shape[1]), xn.T @ y)
    return w / scale


def fit_listwise(items: list[dict[str, Any]], temperature: float = TEMPERATURE, l2: float = L2) -> np.ndarray:
    """ListNet (Cao et al. 2007, top-one probabilities): per chapter the cross-entropy between
    softmax(target / temperature) and softmax(w . f), summed with the chapter's weight, plus ``l2 |w|^2``
    on standardised features; L-BFGS."""
    from scipy.optimize import minimize

    groups, scale = _chapter_groups(items)
    data = []
    for x, y, w in groups:
        q = np.exp((y - y.max()) / temperature)
        data.append((x / scale, q / q.sum(), w))
    total = sum(w for _x, _q, w in data)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        value, grad = l2 * float(theta @ theta), 2 * l2 * theta
        for xn, q, w in data:
            s = xn @ theta
            p = np.exp(s - s.max())
            p /= p.sum()
            value -= w / total * float(q @ np.log(p + 1e-300))
            grad -= w / total * (xn.T @ (q - p))
        return value, grad

    theta = minimize(loss, np.zeros(len(scale)), jac=True, method="L-BFGS-B").x
    return theta / scale


def current_like() -> np.ndarray:
    """Weights that rank as the current rule does on the pool: the cosine to the chapter's centre, a listed
    noun ahead within 0.02 (``vocab_margin``), less 0.03 per unknown share (``unknown_penalty``)."""
    from vidgist.summarize.title_rank import FEATURES

    w = np.zeros(len(FEATURES))
    w[FEATURES.index("centre")], w[FEATURES.index("listed")], w[FEATURES.index("unknown")] = 1.0, 0.02, -0.03
    return w


def fit_expected(items: list[dict[str, Any]], temperature: float = 0.01, l2: float = L2) -> np.ndarray:
    """The expected target of the chosen title, the choice softened to softmax(w . f / temperature) per
    chapter (weighted by the chapter's paired sections), maximised by L-BFGS from ``current_like()`` with
    ``l2 |w - w0|^2`` on standardised features: the current rule, moved where the fit half says."""
    from scipy.optimize import minimize

    groups, scale = _chapter_groups(items)
    total = sum(w for _x, _y, w in groups)
    w0 = current_like()

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        d = (theta - w0) * scale
        value, grad = l2 * float(d @ d), 2 * l2 * d * scale
        for x, y, w in groups:
            s = x @ theta / temperature
            p = np.exp(s - s.max())
            p /= p.sum()
            e = float(p @ y)
            value -= w / total * e
            grad -= w / total * (x.T @ (p * (y - e))) / temperature
        return value, grad

    return minimize(loss, w0, jac=True, method="L-BFGS-B").x


BETAS = tuple(round(0.1 * k, 1) for k in range(11))
GAMMAS = tuple(round(0.01 * k, 2) for k in range(11))
DELTAS = tuple(round(0.02 * k, 2) for k in range(11))


def rule_weights(beta: float, gamma: float, delta: float = 0.0) -> np.ndarray:
    """The current rule plus ``beta`` times the cosine to the talk's mean, less ``gamma`` per word after
    the first, plus ``delta`` times the share of the chapter's sentences saying the phrase's words."""
    from vidgist.summarize.title_rank import FEATURES

    w = current_like()
    w[FEATURES.index("word_share")] += delta
    w[FEATURES.index("talk")] += beta
    w[FEATURES.index("two_words")] -= gamma
    w[FEATURES.index("three_words")] -= 2 * gamma
    return w


def fit_grid(
    items: list[dict[str, Any]], memo: _Memo, betas: tuple, gammas: tuple, deltas: tuple = (0.0,)
) -> np.ndarray:
    """``rule_weights`` of the grid point with the best mean title similarity over ``items``."""

    def mean_sim(w: np.ndarray) -> float:
        return float(np.mean([figures(it, titles_by(it, w), memo)[0] for it in items]))

    return max((rule_weights(b, g, d) for b in betas for g in gammas for d in deltas), key=mean_sim)


def titles_by(item: dict[str, Any], weights: np.ndarray) -> list[str]:
    from vidgist.summarize.keyphrases import _capital

    return [_capital(p[int(np.argmax(x @ weights))]) if p else "" for p, x in item["pools"]]


def figures(item: dict[str, Any], titles: list[str], memo: _Memo) -> tuple[float, float]:
    from vidgist.eval.chapters import title_overlap, title_similarity

    e = item["edges"]
    chs = list(zip(e, e[1:], titles, strict=False))
    return title_similarity(chs, item["secs"], memo), title_overlap(chs, item["secs"])


def paired(rows: list[dict[str, Any]], which: str) -> dict[str, Any]:
    from bench_generic import bootstrap_interval

    sel = [r for r in rows if r["which"] == which]
    out: dict[str, Any] = {"n": len(sel)}
    for key in ("sim", "f1"):
        d = [r[f"{key}_new"] - r[f"{key}_cur"] for r in sel]
        lo, hi = bootstrap_interval(d)
        out[key] = {
            "current": float(np.mean([r[f"{key}_cur"] for r in sel])),
            "ranker": float(np.mean([r[f"{key}_new"] for r in sel])),
            "gain": float(np.mean(d)),
            "ci": [lo, hi],
        }
    if "sim_oracle" in sel[0]:
        out["sim"]["oracle"] = float(np.mean([r["sim_oracle"] for r in sel]))
    return out


def _args() -> argparse.Namespace:
    ap = argparse.ArgumentParser()
    ap.add_argument("--half", default="fit", choices=("fit", "held-out"))
    ap.add_argument("--bigrams", action="store_true", help="common word pairs join the pools")
    ap.add_argument(
        "--weights", default="", help="comma-separated weights, or 'shipped' (title_rank.WEIGHTS): score only"
    )
    ap.add_argument("--ridge", type=float, default=RIDGE)
    ap.add_argument("--l2", type=float, default=L2, help="--listwise / --expected: L2 weight")
    ap.add_argument("--listwise", action="store_true", help="fit by ListNet instead of least squares")
    ap.add_argument("--expected", action="store_true", help="fit the expected target from the current rule")
    ap.add_argument(
        "--grid", default="", choices=("", "talk", "words", "both", "word_share"), help="one/two-term grid"
    )
    ap.add_argument("--in-sample", action="store_true", help="score with weights fitted on every talk")
    ap.add_argument("--no-write", action="store_true", help="print only (variants): no results file")
    ap.add_argument("--reuse-pools", action="store_true", help=f"reuse the pools of the last run ({CACHE})")
    return ap.parse_args()


def _items(args: argparse.Namespace, memo: _Memo) -> list[dict[str, Any]]:
    """The half's prepared items, kept in ``CACHE`` for ``--reuse-pools`` (variants on the same pools)."""
    import talks_devset

    half = talks_devset.FIT if args.half == "fit" else talks_devset.HELD_OUT
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{args.half}{'-bigrams' if args.bigrams else ''}.pkl"
    if args.reuse_pools and path.is_file():
        items, rows = pickle.loads(path.read_bytes())  # noqa: S301 - our own file, written below
        memo.rows.update(rows)
        return items
    items = prepare(half, args.bigrams, memo)
    path.write_bytes(pickle.dumps((items, memo.rows)))
    return items


def _fitter(args: argparse.Namespace, items: list[dict[str, Any]], memo: _Memo) -> Any:
    """The weights for a list of training items, as the arguments ask."""

    def fitter(chosen: list[dict[str, Any]]) -> np.ndarray:
        chosen = items if args.in_sample else chosen
        if args.grid:
            betas = BETAS if args.grid in ("talk", "both") else (0.0,)
            gammas = GAMMAS if args.grid in ("words", "both") else (0.0,)
            deltas = DELTAS if args.grid == "word_share" else (0.0,)
            return fit_grid(chosen, memo, betas, gammas, deltas)
        if args.expected:
            return fit_expected(chosen, l2=args.l2)
        return fit_listwise(chosen, l2=args.l2) if args.listwise else fit(chosen, args.ridge)

    return fitter


def score_rows(items: list[dict[str, Any]], weights_for: Any, memo: _Memo) -> tuple[list[dict], dict]:
    """Per item the current rule's and the ranker's figures (and the pool's best), the ranker's weights
    from ``weights_for(training items)`` with the item's talk left out."""
    from vidgist.summarize.title_rank import FEATURES

    rows, folds = [], {}
    for name in sorted({it["talk"] for it in items}):
        w = weights_for([it for it in items if it["talk"] != name])
        folds[name] = dict(zip(FEATURES, np.round(w, 4).tolist(), strict=True))
        for it in (it for it in items if it["talk"] == name):
            sim_c, f1_c = figures(it, it["current"], memo)
            sim_n, f1_n = figures(it, titles_by(it, w), memo)
            best = [_best_title(p, y) for (p, _x), y in zip(it["pools"], it["targets"], strict=True)]
            row = {"talk": name, "regeneration": it["regeneration"], "which": it["which"]}
            row.update({"sim_cur": sim_c, "sim_new": sim_n, "f1_cur": f1_c, "f1_new": f1_n})
            row.update({"sim_oracle": figures(it, best, memo)[0], "titles": titles_by(it, w)})
            row["current_titles"] = it["current"]
            rows.append(row)
    return rows, folds


def main() -> None:
    import time

    from results_io import write_results

    from vidgist.summarize.title_rank import FEATURES

    t0 = time.perf_counter()
    args = _args()
    memo = _Memo()
    items = _items(args, memo)
    if args.weights:
        from vidgist.summarize.title_rank import WEIGHTS

        fixed = (
            WEIGHTS if args.weights == "shipped" else np.array([float(v) for v in args.weights.split(",")])
        )
        rows, folds = score_rows(items, lambda _chosen: fixed, memo)
    else:
        rows, folds = score_rows(items, _fitter(args, items, memo), memo)
    for r in rows:
        print(json.dumps(r))
    result: dict[str, Any] = {"half": args.half, "bigrams": args.bigrams, "folds": folds}
    result["paired_chapters"] = paired(rows, "chapters")
    result["paired_true"] = paired(rows, "true")
    if not args.weights:
        result["weights"] = dict(
            zip(FEATURES, _fitter(args, items, memo)(items).round(4).tolist(), strict=True)
        )
    print(json.dumps(result))
    variant = args.listwise or args.expected or args.grid or args.in_sample or args.bigrams
    if not (args.no_write or variant):
        name = "title_rank" if args.half == "fit" else "title_rank_held_out"
        config = {
            "ridge": args.ridge,
            "bigrams": args.bigrams,
            "protocol": "leave one talk out" if not args.weights else "fixed weights",
        }
        write_results(
            name, _table(result, rows), seeds=[0, 1, 2], config=config, wall_s=time.perf_counter() - t0
        )


def _table(result: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The results file's figures: per chapter set and measure, the current rule, the ranker, the paired
    gain with its 95% interval (and the pool's best title); per talk-regeneration the title similarity on
    the chapters; the fitted weights."""
    out: dict[str, Any] = {"talk_regenerations": result["paired_chapters"]["n"]}
    table = {}
    for which, label in (("paired_chapters", "chapters"), ("paired_true", "true sections")):
        for key, measure in (("sim", "title similarity"), ("f1", "title word F1")):
            d = result[which][key]
            table[f"{label}: {measure}"] = {
                "current rule": d["current"],
                "ranker": d["ranker"],
                "gain": d["gain"],
                "ci_low": d["ci"][0],
                "ci_high": d["ci"][1],
                "best in pool": d.get("oracle"),
            }
    out["paired"] = table
    out["per_talk_chapters"] = {
        f"{r['talk']} r{r['regeneration']}": {
            "current rule": r["sim_cur"],
            "ranker": r["sim_new"],
            "best in pool": r["sim_oracle"],
        }
        for r in rows
        if r["which"] == "chapters"
    }
    if "weights" in result:
        out["weights"] = result["weights"]
    return out


def _best_title(phrases: list[str], target: np.ndarray) -> str:
    from vidgist.summarize.keyphrases import _capital

    return _capital(phrases[int(np.argmax(target))]) if phrases else ""


if __name__ == "__main__":
    main()
