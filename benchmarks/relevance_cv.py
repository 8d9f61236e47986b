"""The alphas chosen by K-fold cross-validation over the fit half's talks (``bench_relevance.py --fit --cv
K``, ``CV_RULE``), from each query's raw channel values computed once.

- ``matched``: whether a query matches under a table of constants; ``alpha_cost``: the cost of a table;
- ``cross_validate``: per alpha pair the left-out folds' costs, the chosen pair and the constants refitted
  with it (the window and transcript judges refit with it too); ``print_cross_validation``: its table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from relevance_fitting import TEXT_ALPHAS, VISUAL_ALPHAS, fit_constants, fit_nulls

#: how ``--fit --cv K`` chooses the constants (printed with its table)
CV_RULE = (
    "fit half only, K folds of its talks contiguous in talk order (a talk's absent queries include two of "
    "the next talk of its group, so neighbours stay together): for each (text alpha, visual alpha) of "
    "TEXT_ALPHAS x VISUAL_ALPHAS, mu and sigma are fitted on K-1 folds and the cost absent matched/0.10 + "
    "spoken and captioned paraphrases unmatched/0.10 is counted on the left-out fold; the pair with the "
    "least cost summed over the folds wins (ties to the smaller text, then visual alpha); mu, sigma and "
    "the slopes are then refitted on the whole fit half with that pair"
)


def matched(talk: dict[str, Any], i: int, table: dict[str, Any]) -> bool:
    """Whether query ``i`` of ``talk`` (``channel_values``) matches under the constants ``table``
    ({channel: Calibration}): its calibrated relevance reaches ``MIN_RELEVANCE`` somewhere (steps 1-3 of
    relevance's docstring; the maximum over moments is the logistic of the largest raw value)."""
    from vidgist.summarize.relevance import MIN_RELEVANCE

    for name, x in talk["channels"].items():
        cal = table.get(name)
        if cal is None or np.all(np.isnan(x[i])):
            continue
        if cal.logistic(talk["units"][i][name])(np.nanmax(x[i])) >= MIN_RELEVANCE:
            return True
    return False


def alpha_cost(talks: list[dict[str, Any]], table: dict[str, Any]) -> dict[str, float]:
    """On ``talks``: the share of absent queries matched, of spoken and captioned paraphrases unmatched, and
    the cost ``absent matched / 0.10 + paraphrases unmatched / 0.10``."""
    absent, para = [], []
    for talk in talks:
        for i, q in enumerate(talk["queries"]):
            if q["kind"] == "absent":
                absent.append(matched(talk, i, table))
            elif q["paraphrase"]:
                para.append(not matched(talk, i, table))
    a, p = float(np.mean(absent)), float(np.mean(para))
    return {"absent_matched": a, "paraphrase_unmatched": p, "cost": a / 0.10 + p / 0.10}


def null_table(nulls: dict[str, tuple[float, float, int]], a_text: float, a_vis: float) -> dict[str, Any]:
    """{channel: Calibration} of the fitted nulls with the alpha pair (the slope is 1: whether a query
    matches does not depend on it, only on the midpoint of equation 1)."""
    from vidgist.summarize.relevance import Calibration

    return {
        name: Calibration(1.0, mu, sigma, a_vis if name == "visual" else a_text)
        for name, (mu, sigma, _) in nulls.items()
    }


def cross_validate(talks: list[dict[str, Any]], k: int) -> dict[str, Any]:
    """``CV_RULE`` on the fit half's ``talks`` (``channel_values``): per alpha pair the left-out folds'
    costs, their sum and the in-sample cost; the chosen pair; the constants refitted with it."""
    order = sorted(talks, key=lambda t: t["name"])
    folds = [list(f) for f in np.array_split(np.arange(len(order)), k)]
    fold_nulls = [fit_nulls([order[j] for j in range(len(order)) if j not in set(f)]) for f in folds]
    whole = fit_nulls(order)
    pairs: dict[str, Any] = {}
    for a_text in TEXT_ALPHAS:
        for a_vis in VISUAL_ALPHAS:
            per_fold = [
                alpha_cost([order[j] for j in f], null_table(n, a_text, a_vis))
                for f, n in zip(folds, fold_nulls, strict=True)
            ]
            pairs[f"{a_text}/{a_vis}"] = {
                "text_alpha": a_text,
                "visual_alpha": a_vis,
                "folds": [round(c["cost"], 2) for c in per_fold],
                "cv_cost": round(sum(c["cost"] for c in per_fold), 3),
                "cv_absent_matched": round(float(np.mean([c["absent_matched"] for c in per_fold])), 3),
                "cv_paraphrase_unmatched": round(
                    float(np.mean([c["paraphrase_unmatched"] for c in per_fold])), 3
                ),
                "in_sample_cost": round(alpha_cost(order, null_table(whole, a_text, a_vis))["cost"], 3),
            }
    chosen = min(pairs.values(), key=lambda p: (round(p["cv_cost"], 9), p["text_alpha"], p["visual_alpha"]))
    alphas = {name: chosen["visual_alpha"] if name == "visual" else chosen["text_alpha"] for name in whole}
    return {
        "folds": [[order[j]["name"] for j in f] for f in folds],
        "pairs": pairs,
        "chosen": chosen,
        "constants": fit_constants(order, alphas),
    }


def print_cross_validation(out: dict[str, Any]) -> None:
    """The table of ``cross_validate``: per alpha pair its fold costs, CV cost and in-sample cost."""
    print(f"\nfolds: {out['folds']}")
    print(
        f"{'text/visual alpha':18s} {'CV cost':>8s} {'absent matched':>14s} {'para unmatched':>14s} "
        f"{'in-sample':>9s}   left-out fold costs"
    )
    for key, p in out["pairs"].items():
        print(
            f"{key:18s} {p['cv_cost']:8.2f} {p['cv_absent_matched']:14.3f} "
            f"{p['cv_paraphrase_unmatched']:14.3f} {p['in_sample_cost']:9.2f}   {p['folds']}"
        )
    c = out["chosen"]
    print(f"rule: {CV_RULE}\n-> alpha: text {c['text_alpha']}, visual {c['visual_alpha']}")
    for name, v in out["constants"].items():
        print(
            f"{name}: Calibration(slope={v['slope']:.2f}, mu={v['mu']:.4f}, sigma={v['sigma']:.4f}, "
            f"alpha={v['alpha']}) ({v['n_absent']} absent bests)"
        )
