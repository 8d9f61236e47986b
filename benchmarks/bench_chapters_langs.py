"""Chapters of talks in other languages than English and Chinese: how such speech is read.

Usage: python benchmarks/bench_chapters_langs.py [--regenerations 0,1,2] [--half fit|held-out|both]
       [--text perfect|whisper] [--languages es,fr,...]
       [--variants english,stopwords,nolinks,e5,e5_titles,e5_rows] [--against english]

Each talk of ``talks_devset_langs`` (Spanish, Portuguese, French, Italian, German and Dutch talks of 4-10
sections, two families as in ``talks_devset``) is laid on a speaking timeline per regeneration ``k``
(``bench_chapters_zh.timeline`` at 13-16 characters a second) and read by the product's ``find_chapters``
as a perfect transcript; with ``--text whisper``, spoken by espeak-ng's voice of its language over
generated pictures (``talks_devset_langs.spoken``, videos and evidence kept in
``/tmp/vidgist-devset-langs-rK``) and read from the pipeline's evidence (Whisper ``auto``: base in the
language it detects; no OCR), written to ``chapters_langs_whisper*.json``.

Variants (``VARIANTS``, ``ChapterParams`` fields): ``english``: every language but Chinese read as English
is (English stop words and word list, all-MiniLM-L6-v2); ``stopwords``: the language found by its stop
words (``vidgist.summarize.languages``), title candidates and tf-idf rows from that language's words,
the English-only title steps off, MiniLM; ``nolinks``: the same without a linking preposition inside a
title; ``e5``: also multilingual-e5-small for the sentence rows (minus the talk's mean sentence) and the
titles; ``e5_titles``: MiniLM rows, e5 titles; ``e5_rows``: e5 rows, MiniLM titles.

Figures per half and variant: boundary F1 at 3 s, count / sections and the share within +-25%, title word F1
(``eval.chapters.title_overlap`` with the talk's stop words dropped), title similarity (e5 query-form cosine
of the chapter's title to the true section name; for information only, as e5 also ranks the titles of the e5
variants). Each with a bootstrap 95% interval over talk-regenerations, and the paired gain over ``--against``.
Rule, written before the first run: a variant ships for such speech if, on the fit half, the paired gain has
(a) a title word-F1 interval above 0 and an F1@3s mean of at least -0.01, or (b) an F1@3s interval above 0 and
a title word-F1 mean of at least 0; and the share of counts within +-25% does not fall. Among the passing, the
higher fit F1@3s + title word F1. The held-out half is reported once, after that choice. Written to
``benchmarks/results/chapters_langs.json`` (``_HALF`` for one half).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

#: characters a second the talks are spoken at (drawn per talk and regeneration)
RATE = (13.0, 16.0)
_ENGLISH = {
    "other_words": False,
    "other_rows": False,
    "other_titles": False,
    "keyphrases": {"other_languages": False},
}
_READ = {**_ENGLISH, "other_words": True, "keyphrases": {"other_languages": True}}
#: variant name -> ``ChapterParams`` fields (``keyphrases``: ``KeyphraseParams`` fields)
VARIANTS: dict[str, dict[str, Any]] = {
    "english": _ENGLISH,
    "stopwords": _READ,
    "nolinks": {**_READ, "keyphrases": {"other_languages": True, "links": False}},
    "e5": {**_READ, "other_rows": True, "other_titles": True},
    "e5_titles": {**_READ, "other_titles": True},
    "e5_rows": {**_READ, "other_rows": True},
}
KEYS = ("f1_3s", "count_ratio", "within_25pct", "title_word_f1", "title_similarity")


def params_of(name: str) -> Any:
    """The ``ChapterParams`` of variant ``name``."""
    from vidgist.summarize.chapters import ChapterParams
    from vidgist.summarize.keyphrases import KeyphraseParams

    fields = dict(VARIANTS[name])
    keyphrases = KeyphraseParams(**fields.pop("keyphrases", {}))
    return ChapterParams(**fields, keyphrases=keyphrases)


def title_word_f1(
    chapters: list[tuple[float, float, str]], secs: list[tuple[float, float, str]], lang: str
) -> float:
    """``title_overlap``'s mean word F1 with the words of ``lang`` (``languages.words``) minus its stop
    words, a trailing "s" dropped."""
    from vidgist.eval.chapters import chapter_of_sections
    from vidgist.summarize.languages import stop_words_of, words

    stop = stop_words_of(lang)

    def bag(title: str) -> set[str]:
        return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words(title) if w not in stop}

    scores = []
    for sec, j in zip(secs, chapter_of_sections(chapters, secs), strict=True):
        tw, pw = bag(sec[2]), bag(chapters[j][2]) if j >= 0 else set()
        m = len(tw & pw)
        scores.append(2 * m / (len(tw) + len(pw)) if m else 0.0)
    return float(np.mean(scores)) if scores else 0.0


def title_similarity(chapters: list[tuple[float, float, str]], secs: list[tuple[float, float, str]]) -> float:
    """Mean e5 query-form cosine of each section's name and the title of the chapter overlapping it most."""
    from vidgist.backbones.e5 import e5_query
    from vidgist.eval.chapters import chapter_of_sections

    pairs = [(s[2], chapters[j][2]) for s, j in zip(secs, chapter_of_sections(chapters, secs), strict=True)]
    vecs = np.asarray(e5_query([x for p in pairs for x in p]), dtype=np.float64)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return float(np.mean([vecs[2 * i] @ vecs[2 * i + 1] for i in range(len(pairs))]))


def talks_folder(k: int) -> Path:
    """Where the spoken talks of regeneration ``k`` and their evidence are kept."""
    return Path(f"/tmp/vidgist-devset-langs-r{k}")


def spoken_evidence(talk: dict[str, Any], k: int) -> tuple[Any, list[tuple[float, float]], dict[str, Any]]:
    """(the pipeline's evidence, its shots, the truth) of ``talk`` spoken for regeneration ``k`` (espeak-ng,
    or festival in ``talks_devset_langs.FESTIVAL_REGENERATIONS``; ``talks_devset_langs.spoken``): Whisper as
    the pipeline runs it (``auto``: base, the language detected), no OCR; the evidence is kept beside the
    video (``bench_generic.evidence_of``)."""
    import lecturegen
    import talks_devset_langs
    from bench_generic import evidence_of

    from vidgist.summarize.pipeline import Summarizer
    from vidgist.summarize.shots import kts_change_points, shots_from_change_points

    spec = next(x for x in talks_devset_langs.spoken(k) if x["name"] == f"{talk['name']}_r{k}")
    video, truth = lecturegen.cached_talk(talks_folder(k), lecturegen.TalkSpec(**spec))
    s = Summarizer(backbone="offline", asr_model="auto", ocr=False, progress=False)
    evidence, _fps, _thumbs = evidence_of(s, video, truth, talks_folder(k) / "evidence")
    cps = kts_change_points(evidence.frames.vectors)
    shots = shots_from_change_points(evidence.frames.times, cps, evidence.info.duration)
    return evidence, shots, truth


def run_talk(
    talk: dict[str, Any], k: int, index: int, variants: list[str], text: str = "perfect"
) -> dict[str, Any]:
    """Figures of every variant on one talk-regeneration, read from perfect ``text`` or Whisper's."""
    from bench_chapters_zh import timeline
    from generic_ceiling import perfect_evidence

    from vidgist.backbones.e5 import e5_passage
    from vidgist.backbones.offline import encode_sentences
    from vidgist.eval.chapters import boundary_f1
    from vidgist.summarize.chapters import find_chapters

    if text == "whisper":
        evidence, shots, truth = spoken_evidence(talk, k)
    else:
        spans, truth = timeline(talk, k, index, RATE)
        evidence = perfect_evidence(spans, truth["duration"])
        shots = [(0.0, truth["duration"])]
    secs = [(s["start"], s["end"], s["title"]) for s in truth["sections"]]
    true_bounds = [s["start"] for s in truth["sections"][1:]]
    row: dict[str, Any] = {"name": talk["name"], "family": talk["family"], "regeneration": k}
    row["language"], row["n_sections"] = talk["language"], len(secs)
    for name in variants:
        found = find_chapters(evidence, shots, encode_sentences, params_of(name), e5_passage)
        chapters = [(c.start, c.end, c.title) for c in found.chapters]
        _p, _r, f1 = boundary_f1([c[0] for c in chapters[1:]], true_bounds, 3.0)
        ratio = len(chapters) / len(secs)
        row[name] = {
            "f1_3s": f1,
            "count_ratio": ratio,
            "within_25pct": float(abs(ratio - 1.0) <= 0.25 + 1e-9),
            "title_word_f1": title_word_f1(chapters, secs, talk["language"]),
            "title_similarity": title_similarity(chapters, secs),
            "chapters": [[c[0], c[2]] for c in chapters],
        }
    row["truth"] = [[a, t] for a, _b, t in secs]
    return row


def summarise(rows: list[dict[str, Any]], variants: list[str], against: str) -> dict[str, Any]:
    """Per half and variant the means with bootstrap 95% intervals, and the paired gains over ``against``."""
    from bench_chapters_zh import paired_figures

    out: dict[str, Any] = {}
    for half in sorted({r["half"] for r in rows}):
        sel = [r for r in rows if r["half"] == half]
        for name in variants:
            out[f"{half} {name}"] = paired_figures(sel, name, against, KEYS)
    return out


def rule(groups: dict[str, Any], variants: list[str], against: str) -> dict[str, Any]:
    """The fit-half decision of the module docstring: which variants pass, and the one chosen."""
    base = groups.get(f"fit {against}")
    passing = []
    for name in variants:
        fig = groups.get(f"fit {name}")
        if name == against or fig is None or base is None:
            continue
        titles_up = fig["title_word_f1_gain_ci_low"] > 0 and fig["f1_3s_gain"] >= -0.01
        bounds_up = fig["f1_3s_gain_ci_low"] > 0 and fig["title_word_f1_gain"] >= 0
        if (titles_up or bounds_up) and fig["within_25pct"] >= base["within_25pct"]:
            passing.append(name)
    chosen = max(
        passing,
        key=lambda n: groups[f"fit {n}"]["f1_3s"] + groups[f"fit {n}"]["title_word_f1"],
        default=against,
    )
    return {"passing": passing, "chosen": chosen}


def _print(groups: dict[str, Any]) -> None:
    head = f"{'half variant':<20} {'F1@3s':>20} {'count':>6} {'within':>7}"
    print(f"{head} {'title word F1':>20} {'title sim':>10}")
    for key, g in groups.items():
        f1 = f"{g['f1_3s']:.3f} [{g['f1_3s_ci_low']:.2f},{g['f1_3s_ci_high']:.2f}]"
        tw = f"{g['title_word_f1']:.3f} [{g['title_word_f1_ci_low']:.2f},{g['title_word_f1_ci_high']:.2f}]"
        counts = f"{g['count_ratio']:>6.2f} {g['within_25pct']:>7.2f}"
        print(f"{key:<20} {f1:>20} {counts} {tw:>20} {g['title_similarity']:>10.3f}")
        if "f1_3s_gain" in g:
            print(
                f"{'':<20} gain F1 {g['f1_3s_gain']:+.3f} [{g['f1_3s_gain_ci_low']:+.3f}, "
                f"{g['f1_3s_gain_ci_high']:+.3f}]  title words {g['title_word_f1_gain']:+.3f} "
                f"[{g['title_word_f1_gain_ci_low']:+.3f}, {g['title_word_f1_gain_ci_high']:+.3f}]"
            )


def main() -> None:
    import talks_devset_langs
    from bench_chapters_zh import variant_list
    from results_io import write_and_report

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--regenerations", default="0,1,2", help="comma-separated regenerations (timing seeds)")
    ap.add_argument("--half", default="fit", choices=("fit", "held-out", "both"))
    ap.add_argument("--text", default="perfect", choices=("perfect", "whisper"), help="whose transcript")
    ap.add_argument(
        "--languages", default="", help="comma-separated ISO codes: only these talks (default all)"
    )
    ap.add_argument("--against", default="english", help="the variant the gains and the rule are paired with")
    ap.add_argument("--variants", default=",".join(VARIANTS), help=f"comma-separated, of {list(VARIANTS)}")
    args = ap.parse_args()
    against = args.against
    variants = variant_list(against, args.variants, VARIANTS)
    halves = {"fit", "held-out"} if args.half == "both" else {args.half}
    regens = [int(x) for x in args.regenerations.split(",")]
    t0 = time.perf_counter()
    rows = []
    for k in regens:
        said = {x["name"] for x in talks_devset_langs.spoken(k)}  # festival's regeneration: Italian only
        for index, talk in enumerate(talks_devset_langs.TALKS):
            half = "fit" if talk["name"] in talks_devset_langs.FIT else "held-out"
            if half not in halves or (args.languages and talk["language"] not in args.languages.split(",")):
                continue
            if f"{talk['name']}_r{k}" not in said:
                continue
            row = run_talk(talk, k, index, variants, args.text)
            row["half"] = half
            rows.append(row)
            scores = " ".join(f"{v} {row[v]['f1_3s']:.2f}/{row[v]['title_word_f1']:.2f}" for v in variants)
            print(f"{talk['name']} r{k} ({half}, {len(talk['sections'])} sections): {scores}", flush=True)
    groups = summarise(rows, variants, against)
    _print(groups)
    decision = rule(groups, variants, against)
    if "fit" in halves:
        print(f"rule (fit half): passing {decision['passing'] or 'none'}; chosen {decision['chosen']}")
    else:
        print("rule: not applied (it reads the fit half, which this run left out)")
    config = {
        "text": "perfect (the talks' sentences on a seeded speaking timeline)"
        if args.text == "perfect"
        else "whisper (espeak-ng voices of the language, festival's Italian voices in regenerations "
        f"{talks_devset_langs.FESTIVAL_REGENERATIONS}; Whisper auto: base, language detected; no OCR)",
        "rate_chars_per_s": RATE,
        "variants": variants,
        "against": against,
        "half": args.half,
        "languages": args.languages or "all",
        "rule": "fit half: title word F1 gain CI > 0 with F1@3s gain >= -0.01, or F1@3s gain CI > 0 with "
        "title word F1 gain >= 0; within-25% share not lower; the higher fit F1@3s + title word F1",
    }
    name = "chapters_langs" + ("_whisper" if args.text == "whisper" else "")
    name += "" if args.half == "both" else f"_{args.half}"
    name += "" if against == "english" else f"_vs_{against}"
    name += f"_{args.languages.replace(',', '_')}" if args.languages else ""
    write_and_report(
        name,
        {"groups": groups, "decision": decision, "videos": rows},
        seeds=regens,
        config=config,
        wall_s=time.perf_counter() - t0,
    )


if __name__ == "__main__":
    main()
