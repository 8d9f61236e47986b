"""Sentence windows as extra text units (``bench_relevance.py --windows``, ``WINDOWS_RULE``).

A window is k consecutive spans of one text channel within ``WINDOW_GAP`` s, joined (``WINDOW_VARIANTS``).
``judge_windows`` judges each variant on the fit half (AUC, paired gain, decoy AUC, CV cost with refitted
constants); ``probe_windows`` measures ``PROBE_VARIANTS`` on the probe set of
``relevance_windows_devset.py`` (information only); ``write_windows`` writes both to
``relevance_windows.json``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np
from relevance_core import channel_values, evidence_for, pooled_bests, print_rows
from relevance_cv import cross_validate, matched
from results_io import write_results

#: how ``--windows`` decides whether window units join the text channels (printed with its table)
WINDOWS_RULE = (
    "fit half only: a window unit is the text of k consecutive spans of one text channel whose gaps are "
    "each <= WINDOW_GAP s, joined, scored by eq. 3 and covering the spans' time; the channel's value at a "
    "moment is the max over the spans and windows covering it, and its n_c counts the windows too; a "
    "variant (WINDOW_VARIANTS) is kept when the paired bootstrap 95% interval of its fit-half AUC gain "
    "(paraphrase best in its part and channel vs absent best in the text channels) lies above 0, the "
    "paraphrase-vs-decoy AUC does not fall, and its CV cost (--fit --cv 5 rule, constants refitted with "
    "the windows) is lower than without windows"
)

#: variant -> {channel: window sizes}
WINDOW_VARIANTS: dict[str, dict[str, tuple[int, ...]]] = {
    "S2": {"speech": (2,)},
    "S23": {"speech": (2, 3)},
    "O2": {"ocr": (2,)},
    "O23": {"ocr": (2, 3)},
}


def windowed_talk(
    summarizer: Any, video: dict[str, Any], workdir: Path, variant: str | None
) -> dict[str, Any]:
    """``channel_values`` of one talk with ``variant``'s windows (None: none) added to its text channels:
    each channel's value is the max over spans and windows, and every query's ``units`` of that channel
    grow by the number of windows."""
    from vidgist.summarize.relevance import span_windows, text_baseline, unit_similarities

    talk = channel_values(summarizer, video, workdir, windows=False)  # utterances alone, as judged
    if variant is None:
        return talk
    ev, _, _ = evidence_for(summarizer, video, workdir)
    queries = [q["query"] for q in talk["queries"]]
    for name, sizes in WINDOW_VARIANTS[variant].items():
        spans = [s for s in ev.spans if s.source == name and s.text.strip()]
        wins = span_windows(spans, sizes)
        if not wins or name not in talk["channels"]:
            continue
        x = unit_similarities(wins, queries, summarizer.backbone, talk["times"])
        x = x - text_baseline(queries, summarizer.backbone)[:, None]
        talk["channels"][name] = np.fmax(talk["channels"][name], x)
        for u in talk["units"]:
            u[name] = u[name] + len(wins)
        talk.setdefault("windows", {})[name] = len(wins)
    return talk


def judge_windows(summarizer: Any, spec: list[dict[str, Any]], workdir: Path, k: int = 5) -> dict[str, Any]:
    """``WINDOWS_RULE`` on the fit half: per variant the AUCs, the paired gains over spans alone and the
    CV costs (``cross_validate`` with ``k`` folds); prints the table and the pick."""
    from relevance_learned import auc, paired_gain

    fit_half = [v for v in spec if v["split"] == "fit"]
    out: dict[str, Any] = {}
    base: dict[str, np.ndarray] = {}
    for variant in (None, *WINDOW_VARIANTS):
        talks = [windowed_talk(summarizer, v, workdir, variant) for v in fit_half]
        b = pooled_bests(talks)
        cv = cross_validate(talks, k)
        name = variant or "spans"
        row: dict[str, Any] = {
            "auc": round(auc(b["paraphrase"], b["absent"]), 3),
            "decoy_auc": round(auc(b["paraphrase"], b["decoy"]), 3),
            "windows": int(sum(sum(t.get("windows", {}).values()) for t in talks)),
            "cv_cost": cv["chosen"]["cv_cost"],
            "in_sample_cost": cv["chosen"]["in_sample_cost"],
            "alphas": [cv["chosen"]["text_alpha"], cv["chosen"]["visual_alpha"]],
            "constants": cv["constants"],
        }
        if variant is None:
            base = b
        else:
            row["gain_95"] = paired_gain((b["paraphrase"], b["absent"]), (base["paraphrase"], base["absent"]))
            row["decoy_gain"] = round(row["decoy_auc"] - out["spans"]["decoy_auc"], 3)
            row["lifted_paraphrases"] = int((b["paraphrase"] > base["paraphrase"] + 1e-9).sum())
            row["lifted_absent"] = int((b["absent"] > base["absent"] + 1e-9).sum())
            row["kept"] = bool(
                row["gain_95"][0] > 0
                and row["decoy_gain"] >= 0
                and row["cv_cost"] < out["spans"]["cv_cost"] - 1e-9
            )
        out[name] = row
    print_rows(out, ("windows", "auc", "decoy_auc", "cv_cost", "in_sample_cost", "alphas", "gain_95"))
    print_rows(out, ("lifted_paraphrases", "lifted_absent"))
    kept = [n for n in WINDOW_VARIANTS if out[n]["kept"]]
    print(f"rule: {WINDOWS_RULE}\n-> kept: {kept or 'none (spans alone)'}")
    return out


#: the window variants ``--windows`` also measures on the probe set (relevance_windows_devset.py)
PROBE_VARIANTS = ("S2", "S23")


def probe_row(talks: list[dict[str, Any]], table: dict[str, Any]) -> dict[str, float]:
    """On ``windowed_talk``s under the constants ``table`` ({channel: Calibration}): shares of part queries
    and absent queries matched, and hit@1 (the top calibrated moment inside the part)."""
    from vidgist.summarize.relevance import spread

    part, absent, hit = [], [], []
    for talk in talks:
        t = talk["times"]
        for i, q in enumerate(talk["queries"]):
            if q["kind"] == "absent":
                absent.append(matched(talk, i, table))
                continue
            r = np.zeros(len(t))
            for name, x in talk["channels"].items():
                if name in table and not np.all(np.isnan(x[i])):
                    curve = table[name].logistic(talk["units"][i][name])
                    r = np.maximum(r, np.where(np.isnan(x[i]), 0.0, curve(np.nan_to_num(x[i], nan=-1.0))))
            top = float(t[int(np.argmax(spread(t, r[None, :])[0]))])
            part.append(matched(talk, i, table))
            hit.append(q["span"][0] <= top < q["span"][1])
    return {
        "part_matched": round(float(np.mean(part)), 3),
        "absent_matched": round(float(np.mean(absent)), 3),
        "hit@1": round(float(np.mean(hit)), 3),
    }


def probe_windows(summarizer: Any, judged: dict[str, Any]) -> dict[str, Any]:
    """The probe of ``WINDOWS_RULE`` (information only): on ``relevance_windows_devset``'s talks, whose
    parts are several sentences named together, each of spans alone and ``PROBE_VARIANTS``' AUC, paired gain
    over spans alone and ``probe_row`` under its constants refitted on the main fit half (``judged``:
    ``judge_windows``' output)."""
    import relevance_windows_devset as probe
    from relevance_learned import auc, paired_gain

    from vidgist.summarize.relevance import Calibration

    spec = probe.build(probe.DEFAULT_OUT)
    out: dict[str, Any] = {}
    base: dict[str, np.ndarray] = {}
    for variant in (None, *PROBE_VARIANTS):
        talks = [windowed_talk(summarizer, v, probe.DEFAULT_OUT, variant) for v in spec]
        b = pooled_bests(talks)
        name = variant or "spans"
        consts = judged[name]["constants"]
        table = {c: Calibration(v["slope"], v["mu"], v["sigma"], v["alpha"]) for c, v in consts.items()}
        row: dict[str, Any] = {"auc": round(auc(b["paraphrase"], b["absent"]), 3), **probe_row(talks, table)}
        row["windows"] = int(sum(sum(t.get("windows", {}).values()) for t in talks))
        if variant is None:
            base = b
        else:
            row["gain_95"] = paired_gain((b["paraphrase"], b["absent"]), (base["paraphrase"], base["absent"]))
        out[name] = row
    print(f"\nprobe ({len(spec)} talks, parts of several sentences named together):")
    print_rows(out, ("windows", "auc", "part_matched", "absent_matched", "hit@1", "gain_95"))
    return out


def write_windows(summarizer: Any, spec: list[dict[str, Any]], workdir: Path, started: float) -> None:
    """``--windows``: ``judge_windows`` on the fit half, then ``probe_windows``; figures to
    ``relevance_windows.json`` (``started``: the run's start on ``time.perf_counter``)."""
    from vidgist.summarize.relevance import WINDOW_GAP

    out = judge_windows(summarizer, spec, workdir)
    probed = probe_windows(summarizer, out)
    fit_rows = {n: {k: v[k] for k in v if k != "constants"} for n, v in out.items()}
    write_results(
        "relevance_windows",
        {"fit": fit_rows, "probe": probed},
        config={"rule": WINDOWS_RULE, "gap_s": WINDOW_GAP, "variants": WINDOW_VARIANTS},
        wall_s=time.perf_counter() - started,
    )
    print(json.dumps(fit_rows | {"probe": probed}))
