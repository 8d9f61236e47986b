"""The channel constants of ``vidgist.summarize.relevance.CALIBRATION`` fitted on the fit half
(``bench_relevance.py --fit``; the rules: ``vidgist.summarize.relevance``'s docstring).

- ``fit``: per channel mu and sigma by maximum likelihood of the absent queries' best units (``fit_nulls``,
  ``fit_null``) and the slope by class-balanced logistic regression (``fit_slope``, ``fit_logistic``);
- ``choose_alpha``: the text and visual alpha from ``TEXT_ALPHAS`` x ``VISUAL_ALPHAS`` by the least fit-half
  cost;
- ``refit_text``: the text channels' constants and text alpha refitted for this process (``--refit``,
  ``--compare``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from relevance_core import CHANNEL_OF_KIND, channel_values
from relevance_evaluation import evaluate


def fit_logistic(x: np.ndarray, y: np.ndarray) -> float:
    """Slope of the class-balanced logistic regression ``p = sigmoid(slope * x)`` (x already centred)."""
    from scipy.optimize import minimize_scalar

    w = np.where(y == 1, 0.5 / max(1, int(y.sum())), 0.5 / max(1, int((1 - y).sum())))

    def loss(a: float) -> float:
        z = a * x
        return float(np.sum(w * (np.logaddexp(0, z) - y * z)))

    return float(minimize_scalar(loss, bounds=(0.1, 200.0), method="bounded").x)


def fit_null(best: np.ndarray, units: np.ndarray) -> tuple[float, float]:
    """Maximum likelihood (mu, sigma) of ``best[i]`` = the largest of ``units[i]`` draws of N(mu, sigma^2)
    (density ``n phi(z) Phi(z)^(n-1) / sigma``)."""
    from scipy.optimize import minimize
    from scipy.special import log_ndtr

    def nll(p: np.ndarray) -> float:
        mu, log_s = p
        s = np.exp(log_s)
        z = (best - mu) / s
        ll = np.log(units) - 0.5 * z**2 - 0.5 * np.log(2 * np.pi) - log_s + (units - 1) * log_ndtr(z)
        return float(-np.sum(ll))

    res = minimize(
        nll, np.array([float(np.mean(best)), np.log(float(np.std(best)) + 1e-3)]), method="Nelder-Mead"
    )
    return float(res.x[0]), float(np.exp(res.x[1]))


def fit_nulls(talks: list[dict[str, Any]]) -> dict[str, tuple[float, float, int]]:
    """Per channel, (mu, sigma, number of bests) by ``fit_null`` on the best unit of each absent query of
    each talk (``channel_values``) where the channel has evidence."""
    best: dict[str, list[float]] = {}
    units: dict[str, list[float]] = {}
    for talk in talks:
        for name, x in talk["channels"].items():
            for i, q in enumerate(talk["queries"]):
                if q["kind"] == "absent" and not np.all(np.isnan(x[i])):
                    best.setdefault(name, []).append(float(np.nanmax(x[i])))
                    units.setdefault(name, []).append(talk["units"][i][name])
    out = {}
    for name in best:
        mu, sigma = fit_null(np.array(best[name]), np.array(units[name]))
        out[name] = (mu, sigma, len(best[name]))
    return out


def fit_slope(talks: list[dict[str, Any]], name: str, mu: float, sigma: float, alpha: float) -> float:
    """``fit_logistic`` on ``x - m_c(n_c)`` (equation 1 with this ``alpha``) of every moment of channel
    ``name`` with evidence; target: inside the part a query of this channel names (parts another channel is
    asked about are left out for that query; absent queries: never inside; decoys: not used)."""
    from vidgist.summarize.relevance import Calibration

    xs, ys = [], []
    null = Calibration(1.0, mu, sigma, alpha)
    for talk in talks:
        if name not in talk["channels"]:
            continue
        t, x = talk["times"], talk["channels"][name]
        for i, q in enumerate(talk["queries"]):
            if q["kind"] == "decoy":
                continue
            keep = ~np.isnan(x[i])
            inside = np.zeros(len(t), bool) if q["span"] is None else (t >= q["span"][0]) & (t < q["span"][1])
            target = q["kind"] != "absent" and CHANNEL_OF_KIND[q["kind"]] == name
            if q["kind"] != "absent" and not target:
                keep &= ~inside  # the part holds what another channel is asked about
            xs.extend((x[i][keep] - null.mid(talk["units"][i][name])).tolist())
            ys.extend((inside[keep] & target).astype(int).tolist())
    return fit_logistic(np.array(xs), np.array(ys))


def fit_constants(talks: list[dict[str, Any]], alphas: dict[str, float]) -> dict[str, Any]:
    """The constants of every channel on ``talks`` (``channel_values``): the null by ``fit_nulls``, then the
    slope by ``fit_slope`` with the channel's ``alphas`` entry (``ALPHA`` when it has none)."""
    from vidgist.summarize.relevance import ALPHA

    out = {}
    for name, (mu, sigma, n) in fit_nulls(talks).items():
        alpha = alphas.get(name, ALPHA)
        slope = fit_slope(talks, name, mu, sigma, alpha)
        out[name] = {"slope": round(slope, 2), "mu": round(mu, 4), "sigma": round(sigma, 4), "n_absent": n}
        out[name]["alpha"] = alpha
    return out


def fit(summarizer: Any, spec: list[dict[str, Any]], workdir: Path) -> dict[str, Any]:
    """The constants of every channel on the fit half (``fit_constants``, slopes centred at ``ALPHA``)."""
    talks = [channel_values(summarizer, v, workdir) for v in spec if v["split"] == "fit"]
    out = fit_constants(talks, {})
    for name, v in out.items():
        print(
            f"{name}: Calibration(slope={v['slope']:.2f}, mu={v['mu']:.4f}, sigma={v['sigma']:.4f}) "
            f"({v['n_absent']} absent bests)"
        )
    return out


#: the false-match chances ``--fit`` tries for the text channels' and the visual channel's ``alpha``
TEXT_ALPHAS = (0.02, 0.03, 0.05, 0.1)
VISUAL_ALPHAS = (0.005, 0.01, 0.03, 0.1, 0.2)


def choose_alpha(
    summarizer: Any,
    spec: list[dict[str, Any]],
    workdir: Path,
    fitted: dict[str, Any],
    visual_alphas: tuple[float, ...] = VISUAL_ALPHAS,
) -> tuple[float, float]:
    """The channels' ``alpha`` on the fit half with the ``fitted`` constants: (text, visual) from
    ``TEXT_ALPHAS`` x ``VISUAL_ALPHAS`` with the least cost ``absent matched / 0.10 + spoken and captioned
    paraphrases unmatched / 0.10`` (the two targets' tolerances), ties to the smaller chances. Visual
    queries unmatched are printed, not weighed: on the fit half, each step that lets more of them match
    lets more absent queries match too."""
    from vidgist.summarize import relevance as rel

    kind = "joint" if summarizer.backbone.joint else "bridge"
    saved = dict(rel.CALIBRATION[kind])
    best: tuple[float, tuple[float, float]] | None = None
    fit_half = [v for v in spec if v["split"] == "fit"]
    try:
        for a_text in TEXT_ALPHAS:
            for a_vis in visual_alphas:
                rel.CALIBRATION[kind].update(
                    {
                        k: rel.Calibration(
                            v["slope"], v["mu"], v["sigma"], a_vis if k == "visual" else a_text
                        )
                        for k, v in fitted.items()
                    }
                )
                rows = evaluate(summarizer, fit_half, workdir)
                absent = float(np.mean([r["no_match"] for r in rows if r["kind"] == "absent"]))
                para = float(np.mean([r["no_match"] for r in rows if r["paraphrase"]]))
                vis = float(np.mean([r["no_match"] for r in rows if r["kind"] == "visual"]))
                cost = (1 - absent) / 0.10 + para / 0.10
                print(
                    f"  alpha text {a_text}, visual {a_vis}: absent no-match {absent:.3f}, paraphrase "
                    f"no-match {para:.3f}, visual no-match {vis:.3f}, cost {cost:.2f}"
                )
                if best is None or cost < best[0] - 1e-9:
                    best = (cost, (a_text, a_vis))
    finally:
        rel.CALIBRATION[kind].clear()
        rel.CALIBRATION[kind].update(saved)
    assert best is not None
    print(f"-> alpha: text {best[1][0]}, visual {best[1][1]}")
    return best[1]


def refit_text(summarizer: Any, spec: list[dict[str, Any]], workdir: Path) -> tuple[dict[str, Any], float]:
    """Fit the text channels' constants (``fit``) and the text alpha (``choose_alpha``, the visual alpha as
    it is) on the fit half of this evidence and use them for the rest of this process (the visual channel
    keeps its constants); returns (text constants, text alpha)."""
    from vidgist.summarize import relevance as rel

    table = rel.CALIBRATION["joint" if summarizer.backbone.joint else "bridge"]
    fitted = {k: v for k, v in fit(summarizer, spec, workdir).items() if k != "visual"}
    a_text, _ = choose_alpha(summarizer, spec, workdir, fitted, (table["visual"].alpha,))
    table.update({k: rel.Calibration(v["slope"], v["mu"], v["sigma"], a_text) for k, v in fitted.items()})
    return fitted, a_text
