"""Chapters of Chinese talks without title cards, on perfect text: which sentence model reads Chinese speech.

Usage: python benchmarks/bench_chapters_zh.py [--regenerations 0,1,2] [--half fit|held-out|both]
       [--variants minilm,e5,e5_centred] [--against minilm]

Each talk of ``talks_devset_zh`` (Chinese talks of 3-10 sections, two families as in ``talks_devset``) is
laid on a speaking timeline per regeneration ``k`` (``timeline``: 3.8-5.0 characters a second per talk,
each sentence within 10% of that, pauses of 0.15-0.7 s between sentences and 0.3-1.2 s before a section,
seeded by talk and ``k``) and read by the product's ``find_chapters`` as a perfect transcript. No Chinese
speech synthesizer that Whisper understands runs offline, so these figures are for text, not speech.

Variants (``VARIANTS``): the sentence model that embeds the sentences for the segmentation rows and ranks
the title candidates. ``minilm``: all-MiniLM-L6-v2 (English); ``e5``: multilingual-e5-small (passage
form); ``e5_centred``: the same with each row minus the talk's mean sentence
(``ChapterParams.chinese_centre``: e5's cosines sit high for any pair); ``e5_centred_words``: also
tf-idf rows over jieba's content words instead of characters (``ChapterParams.chinese_words``; added
after the first fit-half run, which chose ``e5_centred``); ``e5_centred_words_head``: also title candidates
that end on a word jieba tags as a noun (``KeyphraseParams.chinese_head``), judged with ``--against
e5_centred_words`` by the same rule (the boundaries do not change, so the title gain decides).

Figures per half and variant: boundary F1 at 3 s, count / sections and the share of talks within +-25%,
title character F1 (``eval.chapters.title_overlap``: CJK characters are the words), each with a bootstrap
95% interval over talk-regenerations, and the paired gain over ``--against`` (default ``minilm``).
Rule, written before the first run: Chinese chapters change model only if, on the fit half, the paired
gain of F1@3s has its 95% interval above 0, or that of the title character F1 has while the F1@3s gain's
mean is at least 0; and the share of counts within +-25% does not fall. Among the variants passing, the
higher fit F1@3s. The held-out half is reported once, after that choice. Written to
``benchmarks/results/chapters_zh.json`` (``_vs_NAME`` with ``--against NAME``).
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
sys.path.insert(0, str(REPO / "benchmarks"))

#: characters a second a talk is spoken at (drawn per talk and regeneration), and pauses (s)
RATE = (3.8, 5.0)
SENTENCE_JITTER = 0.1
PAUSE = (0.15, 0.7)
SECTION_PAUSE = (0.3, 1.2)
LEAD, TAIL = 0.5, 1.0
#: variant name -> (the Chinese model, ``ChapterParams`` fields); ``None``: no Chinese model, Chinese read
#: as English is (all-MiniLM-L6-v2, character tf-idf): the product before this choice
VARIANTS: dict[str, tuple[str | None, dict[str, Any]]] = {
    "minilm": (None, {}),
    "e5": ("e5", {"chinese_centre": False, "chinese_words": False}),
    "e5_centred": ("e5", {"chinese_centre": True, "chinese_words": False}),
    "e5_centred_words": ("e5", {"chinese_centre": True, "chinese_words": True}),
    "e5_centred_words_head": ("e5", {"chinese_centre": True, "chinese_words": True, "chinese_head": True}),
}
KEYS = ("f1_3s", "count_ratio", "within_25pct", "title_char_f1")


def timeline(
    talk: dict[str, Any], k: int, index: int, rate_range: tuple[float, float] = RATE
) -> tuple[list[Any], dict[str, Any]]:
    """(one speech span per sentence, the truth: duration and sections) of ``talk`` for regeneration ``k``
    (module docstring; ``rate_range``: characters a second); an intro belongs to the first section, a recap
    to the last."""
    from vidgist.types import TextSpan

    rng = np.random.default_rng(7919 * k + index)
    rate = float(rng.uniform(*rate_range))
    lines = [(0, talk["intro"])] if talk.get("intro") else []
    for i, (_title, sents) in enumerate(talk["sections"]):
        lines += [(i, s) for s in sents]
    if talk.get("recap"):
        lines.append((len(talk["sections"]) - 1, talk["recap"]))
    t, spans, bounds = LEAD, [], []
    for j, (sec, text) in enumerate(lines):
        if j:
            new = sec != lines[j - 1][0]
            t += float(rng.uniform(*(SECTION_PAUSE if new else PAUSE)))
            if new:
                bounds.append(round(t, 3))
        length = len(text) / rate * float(rng.uniform(1 - SENTENCE_JITTER, 1 + SENTENCE_JITTER))
        spans.append(TextSpan(round(t, 3), round(t + length, 3), text, "speech"))
        t += length
    duration = round(t + TAIL, 3)
    edges = [0.0, *bounds, duration]
    sections = [
        {"start": edges[i], "end": edges[i + 1], "title": title}
        for i, (title, _s) in enumerate(talk["sections"])
    ]
    return spans, {"duration": duration, "sections": sections}


def encoders() -> dict[str, Callable[[Sequence[str]], np.ndarray]]:
    """The sentence models by name."""
    from vidgist.backbones.e5 import e5_passage
    from vidgist.backbones.offline import encode_sentences

    return {"minilm": encode_sentences, "e5": e5_passage}


def run_talk(talk: dict[str, Any], k: int, index: int, variants: Sequence[str]) -> dict[str, Any]:
    """Figures of every variant on one talk-regeneration."""
    from generic_ceiling import perfect_evidence

    from vidgist.eval.chapters import boundary_f1, title_overlap
    from vidgist.summarize.chapters import ChapterParams, find_chapters
    from vidgist.summarize.keyphrases import KeyphraseParams

    spans, truth = timeline(talk, k, index)
    duration = truth["duration"]
    secs = [(s["start"], s["end"], s["title"]) for s in truth["sections"]]
    true_bounds = [s["start"] for s in truth["sections"][1:]]
    evidence = perfect_evidence(spans, duration)
    encode = encoders()
    row: dict[str, Any] = {"name": talk["name"], "family": talk["family"], "regeneration": k}
    row["n_sections"] = len(secs)
    for name in variants:
        model, fields = VARIANTS[name]
        chinese = encode[model] if model else None
        keyphrases = KeyphraseParams(chinese_head=fields.get("chinese_head", False))
        params = ChapterParams(
            **{key: v for key, v in fields.items() if key != "chinese_head"}, keyphrases=keyphrases
        )
        shots = [(0.0, duration)]
        chapters = find_chapters(
            evidence, shots, encode["minilm"], params, chinese_encode_texts=chinese
        ).chapters
        found = [c.start for c in chapters[1:]]
        _p, _r, f1 = boundary_f1(found, true_bounds, 3.0)
        ratio = len(chapters) / len(secs)
        row[name] = {
            "f1_3s": f1,
            "count_ratio": ratio,
            "within_25pct": float(abs(ratio - 1.0) <= 0.25 + 1e-9),
            "title_char_f1": title_overlap([(c.start, c.end, c.title) for c in chapters], secs),
            "chapters": [[c.start, c.title] for c in chapters],
        }
    row["truth"] = [[a, t] for a, _b, t in secs]
    return row


def variant_list(against: str, variants: str, known: dict[str, Any]) -> list[str]:
    """``against`` first, then the comma-separated ``variants``; exits naming any ``known`` lacks."""
    out = [against, *(v for v in variants.split(",") if v and v != against)]
    unknown = [v for v in out if v not in known]
    if unknown:
        raise SystemExit(f"unknown variant(s) {unknown}; known: {', '.join(known)}")
    return out


def paired_figures(
    sel: list[dict[str, Any]], name: str, against: str, keys: Sequence[str]
) -> dict[str, float]:
    """Over the rows ``sel``: per key of variant ``name`` its mean with a bootstrap 95% interval, and
    (unless ``name`` is ``against``) the paired gain over ``against`` with its interval."""
    from bench_generic import bootstrap_interval

    fig: dict[str, float] = {"n": len(sel)}
    for key in keys:
        vals = [r[name][key] for r in sel]
        fig[key] = float(np.mean(vals))
        fig[f"{key}_ci_low"], fig[f"{key}_ci_high"] = bootstrap_interval(vals)
        if name != against:
            diffs = [r[name][key] - r[against][key] for r in sel]
            fig[f"{key}_gain"] = float(np.mean(diffs))
            fig[f"{key}_gain_ci_low"], fig[f"{key}_gain_ci_high"] = bootstrap_interval(diffs)
    return fig


def summarise(rows: list[dict[str, Any]], variants: Sequence[str], against: str = "minilm") -> dict[str, Any]:
    """Per half and variant the means with bootstrap 95% intervals, and the paired gains over ``against``."""
    out: dict[str, Any] = {}
    for half in sorted({r["half"] for r in rows}):
        sel = [r for r in rows if r["half"] == half]
        for name in variants:
            fig = paired_figures(sel, name, against, KEYS)
            for family in ("tips", "topics"):
                fam = [r for r in sel if r["family"] == family]
                if fam:
                    fig[f"{family}_f1_3s"] = float(np.mean([r[name]["f1_3s"] for r in fam]))
                    fig[f"{family}_title_char_f1"] = float(np.mean([r[name]["title_char_f1"] for r in fam]))
            out[f"{half} {name}"] = fig
    return out


def rule(groups: dict[str, Any], variants: Sequence[str], against: str = "minilm") -> dict[str, Any]:
    """The fit-half decision of the module docstring against ``against``: which variants pass, and the one
    chosen."""
    base = groups.get(f"fit {against}")
    passing = []
    for name in variants:
        fig = groups.get(f"fit {name}")
        if name == against or fig is None or base is None:
            continue
        f1_up = fig["f1_3s_gain_ci_low"] > 0
        titles_up = fig["title_char_f1_gain_ci_low"] > 0 and fig["f1_3s_gain"] >= 0
        count_kept = fig["within_25pct"] >= base["within_25pct"]
        if (f1_up or titles_up) and count_kept:
            passing.append(name)
    chosen = max(passing, key=lambda n: groups[f"fit {n}"]["f1_3s"], default=against)
    return {"passing": passing, "chosen": chosen}


def _print(groups: dict[str, Any]) -> None:
    print(f"{'half variant':<22} {'F1@3s':>22} {'count':>6} {'within':>7} {'title chars':>22}")
    for key, g in groups.items():
        f1 = f"{g['f1_3s']:.3f} [{g['f1_3s_ci_low']:.2f},{g['f1_3s_ci_high']:.2f}]"
        tc = f"{g['title_char_f1']:.3f} [{g['title_char_f1_ci_low']:.2f},{g['title_char_f1_ci_high']:.2f}]"
        print(f"{key:<22} {f1:>22} {g['count_ratio']:>6.2f} {g['within_25pct']:>7.2f} {tc:>22}")
        if "f1_3s_gain" in g:
            print(
                f"{'':<22} gain F1 {g['f1_3s_gain']:+.3f} [{g['f1_3s_gain_ci_low']:+.3f}, "
                f"{g['f1_3s_gain_ci_high']:+.3f}]  titles {g['title_char_f1_gain']:+.3f} "
                f"[{g['title_char_f1_gain_ci_low']:+.3f}, {g['title_char_f1_gain_ci_high']:+.3f}]"
            )


def main() -> None:
    import talks_devset_zh
    from results_io import write_and_report

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--regenerations", default="0,1,2", help="comma-separated regenerations (timing seeds)")
    ap.add_argument("--half", default="fit", choices=("fit", "held-out", "both"))
    ap.add_argument("--against", default="minilm", help="the variant the gains and the rule are paired with")
    ap.add_argument("--variants", default=",".join(VARIANTS), help=f"comma-separated, of {list(VARIANTS)}")
    args = ap.parse_args()
    against = args.against
    variants = variant_list(against, args.variants, VARIANTS)
    halves = {"fit", "held-out"} if args.half == "both" else {args.half}
    regens = [int(x) for x in args.regenerations.split(",")]
    t0 = time.perf_counter()
    rows = []
    for k in regens:
        for index, talk in enumerate(talks_devset_zh.TALKS):
            half = "fit" if talk["name"] in talks_devset_zh.FIT else "held-out"
            if half not in halves:
                continue
            row = run_talk(talk, k, index, variants)
            row["half"] = half
            rows.append(row)
            scores = " ".join(f"{v} {row[v]['f1_3s']:.2f}/{row[v]['title_char_f1']:.2f}" for v in variants)
            print(f"{talk['name']} r{k} ({half}, {len(talk['sections'])} sections): {scores}", flush=True)
    groups = summarise(rows, variants, against)
    _print(groups)
    decision = rule(groups, variants, against)
    if "fit" in halves:
        print(f"rule (fit half): passing {decision['passing'] or 'none'}; chosen {decision['chosen']}")
    else:
        print("rule: not applied (it reads the fit half, which this run left out)")
    wall = time.perf_counter() - t0
    config = {
        "text": "perfect (the talks' sentences on a seeded speaking timeline)",
        "rate_chars_per_s": RATE,
        "pauses_s": {"sentence": PAUSE, "section": SECTION_PAUSE},
        "variants": variants,
        "against": against,
        "half": args.half,
        "rule": "fit half: F1@3s gain CI > 0, or title char F1 gain CI > 0 with F1@3s gain >= 0; "
        "within-25% share not lower; the higher fit F1@3s among passing",
    }
    name = "chapters_zh" if args.half == "both" else f"chapters_zh_{args.half}"
    name += "" if against == "minilm" else f"_vs_{against}"
    write_and_report(
        name,
        {"groups": groups, "decision": decision, "videos": rows},
        seeds=regens,
        config=config,
        wall_s=wall,
    )


if __name__ == "__main__":
    main()
