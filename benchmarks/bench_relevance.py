"""Query-focused relevance on the development set: hit@1, precision, best moment in summary, no-match.

Builds (once, cached) the talks of ``relevance_devset.py`` and its 1-, 5- and 20-minute videos,
collects each video's evidence once with the offline backbone (cached as a pickle beside the videos, keyed
by the code that makes evidence: a benchmark cache, never shipped; the long videos are sampled at 0.5
frames/s), then runs the Summarizer's query stage (relevant-only selection, default budget) for every
query. Per split (fit / held-out), kind (spoken, captioned, visual, absent) and, for spoken and captioned
queries, paraphrase (no content word shared with what is said or shown) vs word-sharing:

- hit@1: the top-relevance moment lies in the named part;
- precision: share of summary time inside the named part (matched queries);
- best-in-summary: the summary holds a moment at the query's relevance maximum (matched queries);
- no-match: share of queries answered "no moment matches" (absent: want >= 0.9; present: want small).

Then, for every absent query of the set, no-match on the 1-, 5- and 20-minute videos (split by the half
the query belongs to). Figures go to ``benchmarks/results/relevance.json``.

``--fit`` fits the channel constants of ``vidgist.summarize.relevance.CALIBRATION`` on the fit half only
(module docstring there) and prints them. ``--asr-model`` picks the Whisper model whose transcripts the
evidence holds (tiny.en, the summarizer's default, or base; the evidence cache is keyed by it); figures of a
model other than tiny.en go to ``relevance_asr_MODEL.json``. ``--refit`` first fits the text channels'
constants and text alpha on the fit half of that evidence (the ``--fit`` rules) and runs with them
(``..._refit.json``). Every run also prints the word error rate of the collected speech on the spoken
parts.

``--fit --cv K`` chooses the alphas by ``CV_RULE`` instead (K folds of the fit half's talks: the null fitted
on K-1, the cost counted on the left-out fold, from each query's raw channel values computed once), refits
the constants with them and writes ``relevance_cv.json``. ``--phonetic`` judges a phonetic mention for
misheard spoken words on the fit half by ``PHONETIC_RULE``. ``--windows`` judges sentence windows (k
consecutive spans of a text channel within ``WINDOW_GAP`` s, joined, as extra units of that channel) on the
fit half by ``WINDOWS_RULE``, then measures them on the probe set of ``relevance_windows_devset.py`` (parts
of several sentences named together; information only) and writes ``relevance_windows.json``.

``--asr-judge`` judges two transcripts (tiny.en and base) as units of the speech channel on the fit
half, beside the speech channel of the true narration (``relevance_asr_judge.py``, ``ASR_RULE``), and
writes ``relevance_asr_judge.json``.

``--unseen-voices`` builds the same set with every part spoken by CMU Flite voices (slt, rms, awb), which
no constant was chosen with, into its own folder, and writes ``relevance_unseen_voices.json``.

``--ceiling`` measures the text-model ceiling on the set's own text (no video, speech recognition or
OCR: ``relevance_ceiling_judge.py``) and writes ``relevance_ceiling.json``.

``--learned`` puts a learned text score (``relevance_learned.py``: a logistic regression over several
generic features, cross-validated on the fit half) beside eq. 3 (``relevance_learned.json``).

    python benchmarks/bench_relevance.py [--fit [--cv K]] [--asr-model tiny.en|base] [--refit] [--quick]
    python benchmarks/bench_relevance.py --compare | --specificity | --learned | --phonetic | --windows
    python benchmarks/bench_relevance.py --asr-judge | --ceiling
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

# Shared by the bench and its judges: relevance_core (evidence cache, queries, channel values, pooled
# bests), relevance_evaluation (per-query rows, summaries), relevance_fitting (--fit), relevance_cv (--fit
# --cv). Each judge behind a flag is its own module: relevance_compare_judge (--compare),
# relevance_specificity_judge (--specificity), relevance_phonetic_judge (--phonetic), relevance_learned
# (--learned), relevance_windows_judge (--windows), relevance_asr_judge (--asr-judge),
# relevance_ceiling_judge (--ceiling). Imports run one way:
# this entry point imports the judges, the judges import the shared modules, never this file.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from relevance_asr_judge import write_judged  # noqa: E402
from relevance_ceiling_judge import write_ceiling  # noqa: E402
from relevance_compare_judge import compare_text_models  # noqa: E402
from relevance_core import all_queries, channel_values, evidence_for  # noqa: E402
from relevance_cv import CV_RULE, cross_validate, print_cross_validation  # noqa: E402
from relevance_devset import DEFAULT_OUT, LONG_MINUTES, build, build_long  # noqa: E402
from relevance_evaluation import (  # noqa: E402
    evaluate,
    evaluate_long,
    speech_wer,
    summarise,
    summarise_folds,
    summarise_long,
)
from relevance_fitting import choose_alpha, fit, refit_text  # noqa: E402
from relevance_phonetic_judge import compare_phonetic  # noqa: E402
from relevance_specificity_judge import compare_specificity  # noqa: E402
from relevance_windows_judge import write_windows  # noqa: E402
from results_io import write_results  # noqa: E402

#: how the constants these figures run with were chosen (printed with the figures)
SELECTION_RULE = (
    "fit half only: per channel mu, sigma by maximum likelihood of absent queries' best units, slope by "
    "class-balanced logistic regression (--fit); text alpha and visual alpha from the grid by least "
    "cost absent matched/0.10 + paraphrase unmatched/0.10, ties to the smaller; text model "
    "all-mpnet-base-v2 by --compare (highest fit-half AUC of paraphrase best vs absent best on the "
    "collected text, speech cut into utterances: MiniLM 0.893, mpnet 0.939, their mean 0.926; mpnet "
    "also has the least fit cost); the query-specificity term b(q) "
    "(relevance eq. 3) kept (fit AUC 0.974 at weight 1 vs 0.948 without, collected text); words count "
    "only as an exact mention, 0.5 when a span holds every content word of the query (decoys sharing "
    "a word with a line: fit-half AUC of paraphrase vs decoy 0.893 with 0.5 x overlap, 1.000 with no "
    "overlap term or the exact-mention term, which tie on every fit-half figure; the exact mention keeps "
    "a one-word query that is said, e.g. a name, matching); no within-video contrast or bank-rank variant "
    "of eq. 3 (--specificity: none has a fit-half AUC gain whose paired 95% interval lies above 0); "
    "refitted after speech spans became utterances (text alpha 0.03: fit cost 2.50 against 2.71 for 0.02, "
    "0.05 and 0.1) and again after glued caption words are split by everyday word counts (ocr slope 20.28, "
    "sigma 0.1222; text alpha 0.03: fit cost 1.67 against 1.88 for 0.02, 2.29 for 0.05, 2.92 for 0.1); "
    "speech model tiny.en: Whisper base with its own refit (--asr-model base --refit) has fit cost 2.92 "
    "against 2.50 (evidence before that split); refitted again on the 20-talk fit half (12 talks added): "
    "speech slope 11.83, mu -0.0247, sigma 0.1498; ocr 9.63, -0.0077, 0.1419; visual 0.77, 0.1881, 1.2687; "
    "text alpha 0.05, visual 0.005 (fit cost 3.08 against 3.17 with the 8-talk constants, guards held); "
    "alphas then chosen by 5-fold cross-validation over the fit half's talks (--fit --cv 5, CV_RULE): text "
    "0.05, visual 0.005 (CV cost 15.83, tied with text 0.1, against 18.33 for 0.03/0.005), slopes refitted "
    "centred at those alphas: speech 13.36, ocr 10.47, visual 0.42; speech windows (two neighbouring "
    "utterances within 2 s joined, eq. 3; kept by WINDOWS_RULE on the fit half enlarged by 6 section talks: "
    "AUC gain [0.001, 0.032], decoy AUC +0.012, CV cost 16.78 against 18.33) and all constants refitted "
    "with them by --fit --cv 5 on that 26-talk half (n_c = runs of the windowed timeline; CV cost 16.44, "
    "alphas 0.05/0.005): speech 10.05, -0.0483, 0.1565; ocr unchanged; visual 0.43, 0.1708, 1.2632; "
    "no learned text score (--learned) and not the MiniLM+mpnet mean (--compare) on that half: no paired "
    "fit-half AUC gain interval above 0"
)
LONG_FPS = 0.5


def compare_learned(summarizer: Any, spec: list[dict[str, Any]], workdir: Path, started: float) -> None:
    """``relevance_learned.compare`` on every talk's collected text; figures to ``relevance_learned.json``
    (``started``: the run's start on ``time.perf_counter``)."""
    import relevance_learned as learned

    vectors = learned.WordVectors()
    talks, true_text = [], []
    for video in spec:
        ev, _, _ = evidence_for(summarizer, video, workdir)
        queries = [q for q in all_queries(video) if q["kind"] != "visual"]
        talks.append(learned.talk_features(video, ev, queries, vectors))
        true_text.append(learned.true_text_talk(video, queries, vectors))
    out = learned.compare(talks, true_text)
    write_results(
        "relevance_learned",
        out,
        config={"features": list(learned.FEATURES), "rule": learned.LEARNED_RULE, "videos": len(spec)},
        wall_s=time.perf_counter() - started,
    )
    print(json.dumps({"passing_b": out["passing_b"], "eq. 3": out["variants"]["eq. 3"]}))


def print_tables(figures: dict[str, Any], long: dict[str, Any]) -> None:
    for split, groups in figures.items():
        print(f"\n{split} half:")
        print(
            f"{'group':34s} {'n':>3s} {'hit@1':>6s} {'prec':>6s} {'best-in':>7s} {'no-match':>8s}   "
            "95% intervals: hit@1, no-match"
        )
        for g, v in groups.items():
            cells = [v[k] for k in ("hit@1", "precision", "best_in_summary", "no_match")]
            ci = " ".join(
                "-" if c is None else f"[{c[0]:.2f}, {c[1]:.2f}]" for c in (v["hit@1_95"], v["no_match_95"])
            )
            print(
                f"{g:34s} {v['n']:3d} "
                + " ".join(f"{'-' if c is None else f'{c:.2f}':>6s}" for c in cells)
                + f"   {ci}"
            )
    print("\nabsent queries on long videos: no-match (fit | held-out)")
    for m, v in long.items():
        print(
            f"  {m:7s} {v['fit']['no_match']} | {v['held-out']['no_match']}   "
            f"held-out matched: {v['held-out']['matched']}"
        )


def parse_args() -> argparse.Namespace:
    """The command line (module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--fit", action="store_true", help="fit the channel constants on the fit half")
    ap.add_argument(
        "--cv",
        type=int,
        default=0,
        metavar="K",
        help="with --fit: choose the alphas by K-fold cross-validation over the fit half's talks (CV_RULE)",
    )
    ap.add_argument(
        "--compare", action="store_true", help="text models side by side, each fitted on the fit half"
    )
    ap.add_argument(
        "--specificity",
        action="store_true",
        help="variants of the text channels' x (contrast within the video, bank rank) side by side",
    )
    ap.add_argument(
        "--learned",
        action="store_true",
        help="a learned text score (several features, cross-validated on the fit half) beside eq. 3",
    )
    ap.add_argument(
        "--phonetic",
        action="store_true",
        help="judge a phonetic mention for misheard spoken words on the fit half (PHONETIC_RULE)",
    )
    ap.add_argument(
        "--windows",
        action="store_true",
        help="judge sentence windows as extra text units on the fit half (WINDOWS_RULE)",
    )
    ap.add_argument(
        "--asr-judge",
        action="store_true",
        help="judge two transcripts (tiny.en and base) as speech units on the fit half, beside the "
        "true-narration ceiling (relevance_asr_judge.ASR_RULE)",
    )
    ap.add_argument(
        "--ceiling",
        action="store_true",
        help="the text-model ceiling on the set's own sentences and captions (no video; both halves)",
    )
    ap.add_argument(
        "--fit-half-only",
        action="store_true",
        help="the bench, --compare and --learned on the fit half's talks only (the held-out half is not "
        "read; the bench then writes no results file)",
    )
    ap.add_argument("--backbone", default="offline")
    ap.add_argument(
        "--asr-model", default="tiny.en", choices=("tiny.en", "base"), help="speech model of the evidence"
    )
    ap.add_argument(
        "--refit",
        action="store_true",
        help="first fit the text channels' constants and text alpha on the fit half of this evidence",
    )
    ap.add_argument("--quick", action="store_true", help="the talks and the 1-minute video only")
    ap.add_argument("--verbose", action="store_true", help="print every query's row")
    ap.add_argument(
        "--unseen-voices",
        action="store_true",
        help="every part spoken by CMU Flite voices no constant was chosen with (built into WORKDIR-flite; "
        "writes relevance_unseen_voices.json)",
    )
    args = ap.parse_args()
    if args.unseen_voices:
        args.workdir = args.workdir.with_name(args.workdir.name + "-flite")
    return args


def main() -> None:
    """The bench (``run``), or the constants' fit, or the one judge a flag names; each hook runs alone."""
    args = parse_args()
    from vidgist import Summarizer

    clock = time.perf_counter()
    if args.ceiling:  # reads relevance_devset's definitions only: no video is built
        write_ceiling(clock)
        return
    spec = build(args.workdir, flite=args.unseen_voices)
    summarizer = Summarizer(backbone=args.backbone, asr_model=args.asr_model)
    if args.fit and args.cv:
        fit_cross_validated(summarizer, spec, args.workdir, args.cv, clock)
        return
    if args.fit:
        choose_alpha(summarizer, spec, args.workdir, fit(summarizer, spec, args.workdir))
        return
    if args.fit_half_only:
        spec = [v for v in spec if v["split"] == "fit"]
    if args.compare:
        out = compare_text_models(summarizer, spec, args.workdir)
        print(json.dumps({n: {k: v[k] for k in v if k != "figures"} for n, v in out.items()}))
        return
    if args.specificity:
        compare_specificity(summarizer, spec, args.workdir)
        return
    if args.phonetic:
        compare_phonetic(summarizer, spec, args.workdir)
        return
    if args.learned:
        compare_learned(summarizer, spec, args.workdir, clock)
        return
    if args.asr_judge:
        write_judged(summarizer, spec, args.workdir, clock)
        return
    if args.windows:
        write_windows(summarizer, spec, args.workdir, clock)
        return
    run(args, summarizer, spec, clock)


def fit_cross_validated(
    summarizer: Any, spec: list[dict[str, Any]], workdir: Path, k: int, started: float
) -> dict[str, Any]:
    """``--fit --cv K``: ``cross_validate`` on the fit half's talks; the table, then the figures to
    ``relevance_cv.json``."""
    talks = [channel_values(summarizer, v, workdir) for v in spec if v["split"] == "fit"]
    out = cross_validate(talks, k)
    print_cross_validation(out)
    write_results(
        "relevance_cv",
        out,
        config={"rule": CV_RULE, "k": k, "talks": len(talks), "asr_model": summarizer.asr_model},
        wall_s=time.perf_counter() - started,
    )
    print(json.dumps({"chosen": out["chosen"], "constants": out["constants"]}))
    return out


def run(args: argparse.Namespace, summarizer: Any, spec: list[dict[str, Any]], clock: float) -> None:
    """The bench itself (module docstring): every query of ``spec``, then the long videos; figures to
    ``relevance[_asr_MODEL][_refit].json``, unless ``--fit-half-only`` (then printed only)."""
    from vidgist import Summarizer

    refitted = refit_text(summarizer, spec, args.workdir) if args.refit else None
    rows = evaluate(summarizer, spec, args.workdir)
    minutes = LONG_MINUTES[:1] if args.quick else LONG_MINUTES
    long_rows = evaluate_long(
        Summarizer(backbone=args.backbone, asr_model=args.asr_model, fps=LONG_FPS),
        build_long(args.workdir, minutes, flite=args.unseen_voices),
        args.workdir,
    )
    if args.fit_half_only:
        long_rows = [r for r in long_rows if r["split"] == "fit"]
    wer = speech_wer(summarizer, spec, args.workdir)
    if args.verbose:
        for r in rows + long_rows:
            print({k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()})
    figures, long, folds = summarise(rows), summarise_long(long_rows), summarise_folds(rows)
    print_tables(figures, long)
    print("\nthree folds of each half's talks: mean +- sd (folds)")
    for split, groups in folds.items():
        for name, v in groups.items():
            print(f"  {split:9s} {name:24s} {v['mean']} +- {v['sd']}  {v['folds']}")
    print(f"\nspeech word error rate on the spoken parts ({args.asr_model}): {wer}")
    print(f"\nselection rule: {SELECTION_RULE}")
    if refitted is not None:
        print(f"refitted on this evidence's fit half: {refitted[0]}, text alpha {refitted[1]}")
    wall = time.perf_counter() - clock
    if args.fit_half_only:
        print(json.dumps({"fit": figures.get("fit"), "absent_by_length": long}))
        return
    name = "relevance" if args.asr_model == "tiny.en" else f"relevance_asr_{args.asr_model}"
    name += "_unseen_voices" if args.unseen_voices else ""
    write_results(
        name + ("_refit" if args.refit else ""),
        {"talks": figures, "folds": folds, "absent_by_length": long, "speech_wer": wer},
        config={
            "backbone": args.backbone,
            "asr_model": args.asr_model,
            "refit": None if refitted is None else {"text": refitted[0], "text_alpha": refitted[1]},
            "videos": len(spec),
            "long_minutes": list(minutes),
            "long_fps": LONG_FPS,
            "selection_rule": SELECTION_RULE,
        },
        wall_s=wall,
        quick=args.quick,
    )
    print(
        json.dumps(
            {
                "held_out": figures["held-out"],
                "absent_by_length": {m: v["held-out"]["no_match"] for m, v in long.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
