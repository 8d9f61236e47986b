"""Text models side by side (``bench_relevance.py --compare``, ``TEXT_MODEL_RULE``).

Each of ``TEXT_MODELS`` replaces the relevance text encoder and the b(q) label bank (``use_text_model``), has
its text constants and text alpha fitted on the fit half (``refit_text``) and is evaluated on both halves;
beside that, the AUC of paraphrase bests against absent bests (``text_auc``) and, on the fit half, its
paired gain over all-mpnet-base-v2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from relevance_core import CHANNEL_OF_KIND, all_queries, evidence_for
from relevance_evaluation import evaluate, summarise
from relevance_fitting import refit_text

#: the text models ``--compare`` puts side by side ("mean": the average of the two cosines)
TEXT_MODELS = ("minilm", "mpnet", "mean")

#: how ``--compare`` picks one (printed with its table)
TEXT_MODEL_RULE = (
    "fit half only: another text model replaces all-mpnet-base-v2 only when the paired bootstrap 95% "
    "interval of its fit-half AUC gain (paraphrase best vs absent best, x of relevance eq. 3 on the "
    "collected speech and on-screen text) lies above 0 and its alpha cost (absent matched/0.10 + "
    "paraphrase unmatched/0.10, constants fitted on the fit half) is lower"
)


def use_text_model(name: str) -> None:
    """Make relevance compare queries with speech and on-screen text in ``name`` (one of
    ``TEXT_MODELS``) for the rest of this process: ``relevance_text_encoder`` and the b(q) label bank."""
    from vidgist import backbones
    from vidgist.backbones import label_cache
    from vidgist.backbones.mpnet import encode_mpnet
    from vidgist.backbones.offline import encode_sentences

    if not hasattr(label_cache, "_mpnet_bank"):
        label_cache._mpnet_bank = label_cache.relevance_label_embeddings  # type: ignore[attr-defined]
    mp_bank = label_cache._mpnet_bank  # type: ignore[attr-defined]

    def mean_enc(texts: Any) -> np.ndarray:
        return np.hstack([encode_sentences(texts), encode_mpnet(texts)]) / np.sqrt(2.0)

    def mean_bank() -> np.ndarray:
        return np.hstack([label_cache.prompt_label_embeddings(), mp_bank()]) / np.sqrt(2.0)

    enc, bank = {
        "mpnet": (encode_mpnet, mp_bank),
        "minilm": (encode_sentences, label_cache.prompt_label_embeddings),
        "mean": (mean_enc, mean_bank),
    }[name]
    backbones.relevance_text_encoder = lambda: enc  # type: ignore[assignment]
    label_cache.relevance_label_embeddings = bank  # type: ignore[assignment]
    from vidgist.summarize import relevance

    relevance._label_bank.cache_clear()  # relevance keeps the bank it converted last


def text_bests(
    summarizer: Any, spec: list[dict[str, Any]], workdir: Path, split: str
) -> tuple[np.ndarray, np.ndarray]:
    """On one split: (each spoken or captioned paraphrase's best x inside its part, in its channel; each
    absent query's best x anywhere in the text channels), x: relevance eq. 3, uncalibrated."""
    from vidgist.summarize.relevance import relevance_channels

    para, absent = [], []
    for video in (v for v in spec if v["split"] == split):
        ev, _, _ = evidence_for(summarizer, video, workdir)
        qs = [q for q in all_queries(video) if q["kind"] == "absent" or q["paraphrase"]]
        ch = relevance_channels(ev, [q["query"] for q in qs], summarizer.backbone)
        t = ev.frames.times
        for i, q in enumerate(qs):
            if q["kind"] == "absent":
                vals = [np.nanmax(ch[c][i]) for c in ("speech", "ocr") if c in ch]
                absent.append(max(v for v in vals if not np.isnan(v)))
                continue
            x = ch.get(CHANNEL_OF_KIND[q["kind"]])
            inside = (t >= q["span"][0]) & (t < q["span"][1])
            known = None if x is None else x[i][inside & ~np.isnan(x[i])]
            para.append(float(known.max()) if known is not None and known.size else -1.0)
    return np.array(para), np.array(absent)


def text_auc(
    summarizer: Any, spec: list[dict[str, Any]], workdir: Path
) -> tuple[dict[str, float], dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Per split present in ``spec``, the AUC of "a spoken or captioned paraphrase's best x inside its part,
    in its channel" against "an absent query's best x anywhere in the text channels" (``text_bests``), and
    those bests."""
    from relevance_learned import auc as pair_auc

    auc, bests = {}, {}
    for split in sorted({v["split"] for v in spec}):
        bests[split] = text_bests(summarizer, spec, workdir, split)
        auc[split] = round(pair_auc(*bests[split]), 3)
    return auc, bests


def compare_text_models(summarizer: Any, spec: list[dict[str, Any]], workdir: Path) -> dict[str, Any]:
    """Per text model: fit the constants and the text alpha on the fit half (visual alpha as frozen),
    evaluate both halves; print the table and the pick by ``TEXT_MODEL_RULE``."""
    from vidgist.summarize import relevance as rel

    kind = "joint" if summarizer.backbone.joint else "bridge"
    saved = dict(rel.CALIBRATION[kind])
    out: dict[str, Any] = {}
    try:
        bests = {}
        for name in TEXT_MODELS:
            use_text_model(name)
            auc, bests[name] = text_auc(summarizer, spec, workdir)
            fitted, a_text = refit_text(summarizer, spec, workdir)
            figures = summarise(evaluate(summarizer, spec, workdir))
            out[name] = {"constants": fitted, "text_alpha": a_text, "figures": figures, "auc": auc}
            rel.CALIBRATION[kind].clear()
            rel.CALIBRATION[kind].update(saved)
    finally:
        use_text_model("mpnet")
    from relevance_learned import paired_gain

    for name in TEXT_MODELS:
        if name != "mpnet":
            out[name]["fit_gain_95_over_mpnet"] = paired_gain(bests[name]["fit"], bests["mpnet"]["fit"])
    print(
        f"\n{'model':8s} {'half':9s} {'AUC':>5s} {'para hit@1':>10s} {'para no-match':>13s} {'ws hit@1':>8s} "
        f"{'ws prec':>7s} {'absent no-match':>15s} {'cost':>6s}"
    )
    for name, v in out.items():
        for split, g in v["figures"].items():
            if "spoken+captioned paraphrase" not in g:
                continue
            para, ws = g["spoken+captioned paraphrase"], g["spoken+captioned word-sharing"]
            absent = g["absent"]["no_match"]
            cost = (1 - absent) / 0.1 + para["no_match"] / 0.1 + (1 - para["hit@1"]) / 0.1
            v.setdefault("cost", {})[split] = round(cost, 2)
            v.setdefault("fit_cost", {})[split] = round((1 - absent) / 0.1 + para["no_match"] / 0.1, 2)
            print(
                f"{name:8s} {split:9s} {v['auc'][split]:5.3f} {para['hit@1']:10.2f} "
                f"{para['no_match']:13.2f} {ws['hit@1']:8.2f} {ws['precision']:7.2f} "
                f"{absent:15.2f} {cost:6.2f}  (alpha cost {v['fit_cost'][split]:.2f})"
            )
    for name in TEXT_MODELS:
        if name != "mpnet":
            print(
                f"fit-half AUC gain of {name} over mpnet, paired 95%: {out[name]['fit_gain_95_over_mpnet']}"
            )
    passing = [
        n
        for n in TEXT_MODELS
        if n != "mpnet"
        and out[n]["fit_gain_95_over_mpnet"][0] > 0
        and out[n]["fit_cost"]["fit"] < out["mpnet"]["fit_cost"]["fit"]
    ]
    best = max(passing, key=lambda n: out[n]["fit_gain_95_over_mpnet"][0]) if passing else "mpnet"
    print(f"rule: {TEXT_MODEL_RULE}\n-> {best}")
    return out
