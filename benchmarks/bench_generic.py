"""Chapters and generic (no-query) summaries on generated talks with known sections.

Usage: python benchmarks/bench_generic.py [--quick] [--budget 0.15] [--no-cards] [--cached-only]
       [--regenerations 0,1,2] [--asr-model tiny.en|base] [--baseline OLD_generic.json] [--consensus]
       [--true-count] [--topic-param FIELD=VALUE]...
       [--grid | --count-grid | --part-grid fit | --title-grid fit]

Two development sets, each video made once into a folder under /tmp (never committed), its evidence
(frames through the offline backbone, Whisper tiny.en or, with ``--asr-model base``, Whisper base, OCR)
computed once per model and kept beside it (delete the ``evidence`` folder after changing the evidence
code); a run on base writes ``results/generic_base.json``:

- ``benchmarks/talks_devset.py``: 45 talks without title cards (the topic changes only in speech), espeak-ng
  and festival voices, 3-14 sections of 10 s to 3 minutes, some with a spoken intro or recap that is not a
  section;
  split into ``FIT`` (constants chosen there only) and ``HELD_OUT`` (the figures the targets are judged on);
  regeneration k > 0 (``talks_devset.regenerated``, folder ``/tmp/vidgist-devset-talks-rK``) speaks the same
  talks with other voices, pauses and pictures, so the recogniser's errors differ: every figure is reported
  per regeneration with its spread over regenerations (default 0, 1 and 2); ``--regenerations 9`` speaks them
  with CMU Flite voices no constant was chosen with (``talks_devset.unseen_voices``) and writes
  ``results/generic_unseen_voices.json``; ``--regenerations 8`` speaks them with spoken transitions
  ("Next, ...", "Moving on, ..." at most section starts, "Now, ..." at some other sentences;
  ``talks_devset.transitions``) and writes ``results/generic_transitions.json``;
- ``tests/lecturegen.py`` ``DEV_SET``: 7 videos of 3.4-4 minutes, three with FFmpeg-drawn title cards,
  two with the section title spoken, one without speech (``--no-cards`` skips it).

Per video: boundary F1 within 3 s and within 10% of the shorter neighbouring section
(``vidgist.eval.chapters.boundary_f1``), chapters vs sections, title word F1 and title similarity (the
sentence model's cosine between each true section name and the title of the chapter overlapping it most),
and section coverage of the 15% summary (sections touched by at least 1 s); per talk also the transcript's
word error rate against the narration's text (``wer``). Per half (all regenerations
pooled): means, the standard deviation over videos and a bootstrap 95% interval of the mean (videos
resampled; the rules are deterministic, so the spread comes from which talks and voices were drawn); per
regeneration the half's mean, with mean, s.d., min and max over regenerations; ``--baseline`` adds the
paired differences against an earlier results file (videos matched by name and regeneration). The grids
print what each constant was chosen by:
``--grid`` the fit-half boundary F1 of the topic-segmentation constants, ``--count-grid`` that of the count
extension (``TopicParams.extend_ratio``, ties broken on lecturegen's videos without cards),
``--part-grid`` the coverage for each ``ChapterParams.part_penalty`` and ``--title-grid`` the title
similarity for each ``KeyphraseParams.vocab_margin`` and ``unknown_penalty`` (chapters only, no summary
file written). Grids pool the regenerations asked for (``--regenerations``).
``--topic-param FIELD=VALUE`` runs the summaries' chapters with that ``TopicParams`` field set (e.g.
``shift_cues=True``; the results file's name gains ``_FIELD``), a comparison against the default rule on
the same evidence (with ``--cached-only --baseline``).
Writes ``benchmarks/results/generic.json`` (``generic.quick.json`` with ``--quick``).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

TALKS_FOLDER = Path("/tmp/vidgist-devset-talks")
LECTURES_FOLDER = Path("/tmp/vidgist-devset-generic")
QUICK = ("home_network", "weather", "dog_training", "chess_openings")


def talks_folder(regeneration: int) -> Path:
    """Where the talks of ``talks_devset.regenerated(regeneration)`` and their evidence are kept."""
    return (
        TALKS_FOLDER if regeneration == 0 else TALKS_FOLDER.with_name(f"{TALKS_FOLDER.name}-r{regeneration}")
    )


def talk_specs(names: tuple[str, ...] = (), regeneration: int = 0) -> list[Any]:
    """``lecturegen.TalkSpec`` of every talk of ``talks_devset.regenerated(regeneration)`` (or of
    ``names``)."""
    import lecturegen
    import talks_devset

    return [
        lecturegen.TalkSpec(
            name=t["name"],
            sections=t["sections"],
            voice=t["voice"],
            speed=t.get("speed", 165),
            intro=t.get("intro", ""),
            recap=t.get("recap", ""),
            seed=t["seed"],
        )
        for t in talks_devset.regenerated(regeneration)
        if not names or t["name"] in names
    ]


def evidence_path(s: Any, video: Path, truth: dict, cache: Path) -> Path:
    """Where ``evidence_of`` keeps a video's evidence."""
    from vidgist.version import __version__

    tag = ("" if s.ocr else ".noocr") + ("" if s.asr_model == "tiny.en" else f".{s.asr_model}")
    return cache / f"{video.stem}.{truth['key']}.{__version__}{tag}.pkl"


def evidence_of(s: Any, video: Path, truth: dict, cache: Path) -> tuple[Any, float, list]:
    """``s.collect_evidence(video)``, kept in ``cache`` (a pickle this script wrote, keyed by the video's
    generator key, the vidgist version, whether OCR ran and the Whisper model, tiny.en's files untagged): a
    changed chapter or selection rule reruns in seconds."""
    import pickle

    path = evidence_path(s, video, truth, cache)
    if path.is_file():
        with path.open("rb") as f:
            return pickle.load(f)  # noqa: S301 - our own cache file, written below
    out = s.collect_evidence(video)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as f:
        pickle.dump(out, f)
    tmp.replace(path)
    return out


def tolerance_10pct(sections: list[dict]) -> list[float]:
    """Per true boundary: 10% of the shorter of the two sections it separates."""
    return [
        0.1 * min(a["end"] - a["start"], b["end"] - b["start"])
        for a, b in zip(sections, sections[1:], strict=False)
    ]


def chapter_figures(chapters: Any, truth: dict, encode: Any) -> dict[str, float]:
    """Boundary, count and title figures of one video's chapters against its truth."""
    from vidgist.eval.chapters import boundary_f1, title_overlap, title_similarity

    secs = truth["sections"]
    true_b = [x["start"] for x in secs[1:]]
    pred_b = [c.start for c in chapters[1:]]
    chs = [(c.start, c.end, c.title) for c in chapters]
    truth_t = [(x["start"], x["end"], x["title"]) for x in secs]
    p, r, f1 = boundary_f1(pred_b, true_b, tol=3.0)
    return {
        "p3": p,
        "r3": r,
        "f1_3s": f1,
        "f1_10pct": boundary_f1(pred_b, true_b, tol=tolerance_10pct(secs))[2],
        "n_sections": len(secs),
        "n_chapters": len(chapters),
        "count_ratio": len(chapters) / len(secs),
        "title_word_f1": title_overlap(chs, truth_t),
        "title_similarity": title_similarity(chs, truth_t, encode),
    }


MEAN_KEYS = ("f1_3s", "f1_10pct", "count_ratio", "title_word_f1", "title_similarity", "coverage", "wer")


BOOTSTRAP_DRAWS = 2000


def bootstrap_interval(values: list[float], seed: int = 0) -> tuple[float, float]:
    """95% percentile interval of the mean over videos drawn with replacement (``BOOTSTRAP_DRAWS``
    resamples, fixed seed): the spread a different draw of talks of the same kind would give."""
    x = np.asarray(values, dtype=np.float64)
    rng = np.random.default_rng(seed)
    means = x[rng.integers(0, len(x), size=(BOOTSTRAP_DRAWS, len(x)))].mean(1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


PAIRED_KEYS = ("f1_3s", "title_similarity", "coverage", "wer")


def _key(row: dict) -> tuple[str, int]:
    return row["name"], int(row.get("regeneration", 0))


def paired_differences(rows: list[dict], baseline: Path) -> dict[str, dict[str, float]]:
    """Per half and figure: the mean of (this run - ``baseline``'s results file) over the videos both
    measured, with a bootstrap 95% interval of that mean (videos resampled together)."""
    old = {_key(v): v for v in json.loads(baseline.read_text())["figures"]["videos"]}
    out: dict[str, dict[str, float]] = {}
    for half in ("fit", "held-out"):
        both = [r for r in rows if r.get("half") == half and _key(r) in old]
        for k in PAIRED_KEYS:
            diffs = [r[k] - old[_key(r)][k] for r in both if k in old[_key(r)]]
            if diffs:
                low, high = bootstrap_interval(diffs)
                out[f"{half} {k}"] = {"diff": float(np.mean(diffs)), "ci_low": low, "ci_high": high}
    return out


def group_means(rows: list[dict]) -> dict[str, float]:
    """Means of the figures over ``rows``, with the share of videos whose chapter count is within 25%,
    the standard deviation over videos and a bootstrap 95% interval of the mean."""
    out = {k: float(np.mean([r[k] for r in rows])) for k in MEAN_KEYS if rows and k in rows[0]}
    if rows:
        out["count_within_25pct"] = float(np.mean([abs(r["count_ratio"] - 1) <= 0.25 for r in rows]))
        for k in ("f1_3s", "title_similarity", "coverage"):  # the spread over the videos
            vals = [r[k] for r in rows]
            out[f"{k}_std"] = float(np.std(vals))
            out[f"{k}_ci_low"], out[f"{k}_ci_high"] = bootstrap_interval(vals)
        out["videos"] = len(rows)
    return out


def family_groups(rows: list[dict]) -> dict[str, dict[str, float]]:
    """``group_means`` per half and family of talks (``talks_devset.FAMILIES``: tips within one theme,
    sections of distinct topics)."""
    import talks_devset

    return {
        f"{half.replace('-', '_')}_{family}": group_means(
            [r for r in rows if r["half"] == half and r["name"] in names]
        )
        for half in ("fit", "held-out")
        for family, names in talks_devset.FAMILIES.items()
    }


def narration(spec: Any) -> str:
    """What a ``lecturegen.TalkSpec`` says, in order: intro, every section's sentences, recap."""
    return " ".join([spec.intro, *(x for _t, sents in spec.sections for x in sents), spec.recap]).strip()


def word_error_rate(evidence: Any, reference: str) -> float:
    """Word-level edit distance of the evidence's transcript to ``reference`` over the reference's words
    (lower-cased, punctuation dropped: ``bench_asr.words``)."""
    from bench_asr import edits, words

    spoken = sorted((x for x in evidence.spans if x.source == "speech"), key=lambda x: x.start)
    ref = words(reference)
    return edits(ref, words(" ".join(x.text for x in spoken))) / max(len(ref), 1)


def run_video(
    s: Any,
    video: Path,
    truth: dict,
    cache: Path,
    budget: float,
    encode: Any,
    reference: str = "",
    true_count: bool = False,
) -> dict[str, Any]:
    """All figures of one video (chapters + the coverage summary; with ``reference``, the narration's
    text, also the transcript's word error rate; with ``true_count``, the chapters cut to the number of
    true sections, as ``--chapter-count`` does)."""
    from vidgist.eval.chapters import section_coverage

    clock = time.perf_counter()
    evidence, fps, thumbs = evidence_of(s, video, truth, cache)
    t_ev = time.perf_counter() - clock
    count = len(truth["sections"]) if true_count else None
    r = s.summarize_evidence(evidence, fps, thumbs, None, budget, chapter_count=count)
    assert r.chapters is not None
    row: dict[str, Any] = {"name": video.stem, "duration": truth["duration"], "evidence_s": round(t_ev, 1)}
    row.update(chapter_figures(r.chapters.chapters, truth, encode))
    row["coverage"] = section_coverage(
        [(g.start, g.end) for g in r.segments], [(x["start"], x["end"]) for x in truth["sections"]]
    )
    row["basis"] = r.chapters.basis
    row["chapters"] = [[round(c.start, 1), c.title] for c in r.chapters.chapters]
    row["truth"] = [[round(x["start"], 1), x["title"]] for x in truth["sections"]]
    if reference:
        row["wer"] = word_error_rate(evidence, reference)
    return row


def _print_row(row: dict[str, Any]) -> None:
    print(
        f"{row['name']:<20} {row.get('kind', ''):<30} {row['n_sections']:>4} {row['n_chapters']:>4} "
        f"{row['f1_3s']:>6.2f} {row['f1_10pct']:>6.2f} {row['title_word_f1']:>6.2f} "
        f"{row['title_similarity']:>6.2f} {row['coverage']:>6.2f}"
        + (f" {row['wer']:>6.3f}" if "wer" in row else "")
    )


def _print_head() -> None:
    head = (
        f"{'video':<20} {'kind':<30} {'sect':>4} {'chap':>4} {'F1@3s':>6} {'F1@10%':>6} "
        f"{'wordF1':>6} {'tsim':>6} {'cover':>6} {'WER':>6}"
    )
    print(head + "\n" + "-" * len(head))


def grid(s: Any, videos: list[tuple[Path, dict]]) -> list[dict[str, Any]]:
    """Fit-half boundary F1 (3 s) and count ratio for a small grid of the topic constants."""
    from vidgist.backbones import sentence_encoder
    from vidgist.eval.chapters import boundary_f1
    from vidgist.summarize.chapters import ChapterParams, find_chapters
    from vidgist.summarize.shots import kts_change_points, shots_from_change_points

    enc = sentence_encoder(s.backbone)
    prepared = []
    for video, truth in videos:
        ev, _fps, _th = evidence_of(s, video, truth, video.parent / "evidence")
        cps = kts_change_points(ev.frames.vectors)
        prepared.append((ev, shots_from_change_points(ev.frames.times, cps, ev.info.duration), truth))
    out = []
    base = ChapterParams()
    for mv, ew, pen, low in itertools.product((0, 1), (0.7, 0.85), (0.07, 0.08, 0.09), (8.0, 10.0)):
        topics = dataclasses.replace(
            base.topics, move_sentences=mv, embed_weight=ew, penalty=pen, min_seconds=low
        )
        params = dataclasses.replace(base, topics=topics)
        f1s, ratios = [], []
        for ev, shots, truth in prepared:
            chs = find_chapters(ev, shots, enc, params).chapters
            true_b = [x["start"] for x in truth["sections"][1:]]
            f1s.append(boundary_f1([c.start for c in chs[1:]], true_b, 3.0)[2])
            ratios.append(len(chs) / len(truth["sections"]))
        row = {"move_sentences": mv, "embed_weight": ew, "penalty": pen, "min_seconds": low}
        row["f1_3s"] = float(np.mean(f1s))
        row["count_ratio"] = float(np.mean(ratios))
        out.append(row)
        print(json.dumps(row))
    return out


EXTEND_RATIOS = (None, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9)


def count_grid(s: Any, videos: list[tuple[Path, dict]]) -> list[dict[str, Any]]:
    """Boundary F1 (3 s) for each ``TopicParams.extend_ratio`` (None: the penalty alone) on the fit half and
    on ``lecturegen``'s development videos without cards (cached evidence only). The rule: the best
    fit-half F1; ties broken by those videos (talks of up to 12 sections, which the fit half lacks), then
    the largest ratio (the fewest extensions)."""
    import lecturegen

    from vidgist.backbones.offline import encode_sentences
    from vidgist.eval.chapters import boundary_f1
    from vidgist.summarize.chapters import ChapterParams, find_chapters
    from vidgist.summarize.shots import kts_change_points, shots_from_change_points

    ls = lecture_summarizer(s.asr_model)
    lectures = [
        (v, t)
        for v, t in lecturegen.development_set(LECTURES_FOLDER)
        if t["cards"] == "none"
        and t["speech"]
        and evidence_path(ls, v, t, LECTURES_FOLDER / "evidence").is_file()
    ]
    prepared = []
    for group, summ, vids in (("fit", s, videos), ("lectures", ls, lectures)):
        for video, truth in vids:
            ev, _fps, _th = evidence_of(summ, video, truth, video.parent / "evidence")
            cps = kts_change_points(ev.frames.vectors)
            shots = shots_from_change_points(ev.frames.times, cps, ev.info.duration)
            name = f"{video.parent.name}/{video.stem}"
            prepared.append((group, name, ev, shots, [x["start"] for x in truth["sections"][1:]]))
    out = []
    for ratio in EXTEND_RATIOS:
        base = ChapterParams()
        params = dataclasses.replace(base, topics=dataclasses.replace(base.topics, extend_ratio=ratio))
        row: dict[str, Any] = {"extend_ratio": ratio}
        f1s: dict[str, list[float]] = {"fit": [], "lectures": []}
        for group, name, ev, shots, true_b in prepared:
            chs = find_chapters(ev, shots, encode_sentences, params).chapters
            f1s[group].append(boundary_f1([c.start for c in chs[1:]], true_b, 3.0)[2])
            row[name] = f"{len(chs)}/{len(true_b) + 1}"
        row.update({f"f1_3s_{g}": float(np.mean(v)) for g, v in f1s.items() if v})
        out.append(row)
        print(json.dumps(row))
    return out


def lecture_summarizer(asr_model: str = "tiny.en") -> Any:
    """The pipeline as ``_lecture_rows`` runs it on ``lecturegen``'s set (OCR on)."""
    from vidgist.summarize.pipeline import Summarizer

    return Summarizer(backbone="offline", asr_model=asr_model, progress=False)


PART_PENALTIES = (1.0, 0.75, 0.5, 0.35, 0.25)


def part_grid(s: Any, videos: list[tuple[Path, dict]], budget: float) -> list[dict[str, Any]]:
    """Section coverage of the covering summary (and clips per minute) for each ``part_penalty``: the
    timeline and shots of the pipeline, the chapters' topic parts from ``find_chapters``."""
    from vidgist.backbones.offline import encode_sentences
    from vidgist.eval.chapters import section_coverage
    from vidgist.summarize.chapters import ChapterParams, find_chapters
    from vidgist.summarize.coverage import select_covering

    prepared = []
    for video, truth in videos:
        ev, fps, th = evidence_of(s, video, truth, video.parent / "evidence")
        r = s.summarize_evidence(ev, fps, th, None, budget)
        prepared.append((ev, r, {**truth, "name": f"{video.parent.name}/{video.stem}"}))
    out = []
    for share in PART_PENALTIES:
        params = dataclasses.replace(ChapterParams(), part_penalty=share)
        row: dict[str, Any] = {"part_penalty": share}
        for ev, r, truth in prepared:
            chs = find_chapters(ev, r.shots, encode_sentences, params)
            segs = select_covering(
                r.timeline.times, r.timeline.scores, chs.cover_ranges(), r.budget_seconds, chs.key_spans
            )
            row[truth["name"]] = section_coverage(
                [(g.start, g.end) for g in segs], [(x["start"], x["end"]) for x in truth["sections"]]
            )
            row.setdefault("clips", []).append(len(segs) * 60 / ev.info.duration)
        row["coverage"] = float(np.mean([row[t["name"]] for _e, _r, t in prepared]))
        row["clips_per_min"] = float(np.mean(row.pop("clips")))
        out.append(row)
        print(json.dumps(row))
    return out


VOCAB_MARGINS = (None, 0.05, 0.02, 0.0, -0.02, -0.05)
UNKNOWN_PENALTIES = (0.0, 0.03, 0.06, 0.1, 0.2)


def title_grid(s: Any, videos: list[tuple[Path, dict]]) -> list[dict[str, Any]]:
    """Title similarity for each ``KeyphraseParams.vocab_margin`` (None: said words only) and each
    ``unknown_penalty`` (the other constant at its default), on the true sections and on the pipeline's
    chapters; the rule keeps, per constant, the value with the best mean of the two."""
    from vidgist.backbones.offline import encode_sentences
    from vidgist.eval.chapters import title_similarity
    from vidgist.summarize.chapters import ChapterParams, find_chapters, sentences
    from vidgist.summarize.keyphrases import KeyphraseParams, chapter_keyphrases
    from vidgist.summarize.shots import kts_change_points, shots_from_change_points

    prepared = []
    for video, truth in videos:
        ev, _fps, _th = evidence_of(s, video, truth, video.parent / "evidence")
        shots = shots_from_change_points(
            ev.frames.times, kts_change_points(ev.frames.vectors), ev.info.duration
        )
        chs = find_chapters(ev, shots, encode_sentences, ChapterParams()).chapters
        speech = sentences(sorted((x for x in ev.spans if x.source == "speech"), key=lambda x: x.start))
        secs = [(x["start"], x["end"], x["title"]) for x in truth["sections"]]
        prepared.append(
            (speech, secs, {"true": [a for a, _b, _t in secs], "chapters": [c.start for c in chs]})
        )
    out = []
    settings = [{"vocab_margin": m} for m in VOCAB_MARGINS]
    settings += [{"unknown_penalty": u} for u in UNKNOWN_PENALTIES]
    for setting in settings:
        params = dataclasses.replace(KeyphraseParams(), **setting)
        row: dict[str, Any] = dict(setting)
        for which in ("true", "chapters"):
            sims = []
            for speech, secs, starts in prepared:
                edges = [*starts[which], secs[-1][1]]
                texts = [
                    [x.text for x in speech if a <= 0.5 * (x.start + x.end) < b]
                    for a, b in zip(edges, edges[1:], strict=False)
                ]
                titles = chapter_keyphrases(texts, encode_sentences, params)
                sims.append(
                    title_similarity(
                        list(zip(edges, edges[1:], titles, strict=False)), secs, encode_sentences
                    )
                )
            row[f"title_similarity_{which}"] = float(np.mean(sims))
        out.append(row)
        print(json.dumps(row))
    return out


def _run_grid(args: argparse.Namespace, s: Any, talks: list[tuple[Path, dict]]) -> bool:
    """Run the grid the arguments ask for (on its half's talks, every regeneration pooled); False when
    none is asked."""
    import talks_devset

    fit = [(v, t) for v, t in talks if v.stem in talks_devset.FIT]
    if args.grid:
        grid(s, fit)
    elif args.count_grid:
        count_grid(s, fit)
    elif args.part_grid or args.title_grid:
        half = talks_devset.FIT if "fit" in (args.part_grid, args.title_grid) else talks_devset.HELD_OUT
        chosen = [(v, t) for v, t in talks if v.stem in half]
        if args.part_grid:
            part_grid(s, chosen, args.budget)
        else:
            title_grid(s, chosen)
    else:
        return False
    return True


def _lecture_rows(args: argparse.Namespace, skipped: list[str]) -> list[dict[str, Any]]:
    """Figures of the ``lecturegen`` development set (title cards, spoken titles, none), printed as they
    come; videos without cached evidence go to ``skipped`` with ``--cached-only``."""
    import lecturegen

    from vidgist.backbones.offline import encode_sentences

    s = lecture_summarizer(args.asr_model)
    out = []
    for video, truth in lecturegen.development_set(LECTURES_FOLDER):
        if args.lectures and video.stem not in args.lectures.split(","):
            continue
        if args.cached_only and not evidence_path(s, video, truth, LECTURES_FOLDER / "evidence").is_file():
            skipped.append(video.stem)
            continue
        row = run_video(s, video, truth, LECTURES_FOLDER / "evidence", args.budget, encode_sentences)
        row["kind"] = _lecture_kind(truth)
        out.append(row)
        _print_row(row)
    return out


def _talk_rows(
    args: argparse.Namespace, s: Any, talks: list[tuple[Path, dict, int]], skipped: list[str]
) -> list[dict[str, Any]]:
    """Figures of every talk (``regeneration`` k in each row), printed as they come."""
    import talks_devset

    from vidgist.backbones.offline import encode_sentences

    said = {(spec.name, k): narration(spec) for k in {k for _v, _t, k in talks} for spec in talk_specs((), k)}
    rows = []
    for video, truth, k in talks:
        cache = video.parent / "evidence"
        if args.cached_only and not evidence_path(s, video, truth, cache).is_file():
            skipped.append(f"{video.parent.name}/{video.stem}")
            continue
        row = run_video(
            s, video, truth, cache, args.budget, encode_sentences, said[(video.stem, k)], args.true_count
        )
        row["half"] = "fit" if video.stem in talks_devset.FIT else "held-out"
        row["regeneration"] = k
        row["kind"] = f"r{k} {row['half']}, {truth['voice']}" + (", intro" if truth["intro"] else "")
        row["kind"] += ", recap" if truth["recap"] else ""
        rows.append(row)
        _print_row(row)
    return rows


SPREAD_KEYS = ("f1_3s", "f1_10pct", "count_ratio", "title_word_f1", "title_similarity", "coverage", "wer")


def regeneration_spread(rows: list[dict]) -> dict[str, dict[str, Any]]:
    """Per half and figure: the half's mean in each regeneration, their mean, standard deviation, min and
    max (the spread a new draw of voices, pauses and pictures gives)."""
    out: dict[str, dict[str, Any]] = {}
    regens = sorted({r["regeneration"] for r in rows})
    for half in ("fit", "held-out"):
        for k in SPREAD_KEYS:
            per = [
                float(np.mean([r[k] for r in rows if r["half"] == half and r["regeneration"] == g]))
                for g in regens
                if any(r["half"] == half and r["regeneration"] == g for r in rows)
            ]
            if per:
                out[f"{half} {k}"] = {
                    "per_regeneration": per,
                    "mean": float(np.mean(per)),
                    "std": float(np.std(per)),
                    "min": min(per),
                    "max": max(per),
                }
    return out


def _report(figures: dict[str, Any]) -> dict[str, bool]:
    """Print the groups, the spread over regenerations and the held-out targets; return the targets."""
    print()
    for name, g in figures["groups"].items():
        if g:
            print(f"{name:<22} " + " ".join(f"{k} {v:.2f}" for k, v in g.items()))
    for k, d in figures["regenerations"].items():
        per = " ".join(f"{x:.3f}" for x in d["per_regeneration"])
        print(f"regenerations {k:<28} {per}  mean {d['mean']:.3f} sd {d['std']:.3f}")
    targets = held_out_targets(figures["groups"]["held_out"])
    print("held-out targets: " + ", ".join(f"{k}: {'met' if v else 'NOT met'}" for k, v in targets.items()))
    for name, group in figures["groups"].items():
        if name.startswith("held_out_") and group:
            met = held_out_targets(group)
            print(f"  {name}: " + ", ".join(f"{k}: {'met' if v else 'NOT met'}" for k, v in met.items()))
    return targets


def held_out_targets(group: dict[str, float]) -> dict[str, bool]:
    """The issue's targets on one group's means."""
    return {
        "f1_3s >= 0.7": group.get("f1_3s", 0) >= 0.7,
        "count within 25% (mean ratio)": abs(group.get("count_ratio", 0) - 1) <= 0.25,
        "title_similarity >= 0.6": group.get("title_similarity", 0) >= 0.6,
        "coverage >= 0.9": group.get("coverage", 0) >= 0.9,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", type=float, default=0.15)
    ap.add_argument("--quick", action="store_true", help=f"only the talks {', '.join(QUICK)}")
    ap.add_argument("--no-cards", action="store_true", help="skip the lecturegen set (title cards)")
    ap.add_argument(
        "--lectures", default="", help="comma-separated lecturegen videos (default: all narrated)"
    )
    ap.add_argument("--grid", action="store_true", help="fit-half grid of the topic constants only")
    ap.add_argument("--part-grid", default="", help="coverage grid of part_penalty on a half: fit|held-out")
    ap.add_argument("--title-grid", default="", help="title grid of vocab_margin on a half: fit|held-out")
    ap.add_argument("--count-grid", action="store_true", help="fit-half grid of the topic count extension")
    ap.add_argument("--cached-only", action="store_true", help="skip videos whose evidence is not cached")
    ap.add_argument(
        "--asr-model",
        default="tiny.en",
        choices=("tiny.en", "base"),
        help="the Whisper model of the evidence",
    )
    ap.add_argument("--baseline", default="", help="a generic.json of an earlier run: paired differences")
    ap.add_argument(
        "--consensus",
        action="store_true",
        help="summary chapters with TopicParams.consensus (not with the grids)",
    )
    ap.add_argument(
        "--topic-param",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="summary chapters with this TopicParams field set (a Python literal; repeatable); the results "
        "file's name gains _FIELD",
    )
    ap.add_argument(
        "--true-count",
        action="store_true",
        help="the talks' chapters cut to their true number of sections (--chapter-count): "
        "writes generic_true_count.json",
    )
    ap.add_argument(
        "--regenerations", default="0,1,2", help="comma-separated regenerations of the talks (0: as written)"
    )
    args = ap.parse_args()

    import lecturegen
    import talks_devset
    from results_io import write_results

    from vidgist.summarize.pipeline import Summarizer

    t0 = time.perf_counter()
    if args.consensus:
        use_topic_params(consensus=True)
    if args.topic_param:
        import ast

        use_topic_params(**{k: ast.literal_eval(v) for k, v in (c.split("=", 1) for c in args.topic_param)})
    regens = [int(k) for k in args.regenerations.split(",")]
    talks = [
        (*lecturegen.cached_talk(talks_folder(k), spec), k)
        for k in regens
        for spec in talk_specs(QUICK if args.quick else (), k)
    ]
    # the talks have no on-screen text: their evidence is collected without OCR (a third of the time)
    s = Summarizer(backbone="offline", ocr=False, asr_model=args.asr_model, progress=False)
    if _run_grid(args, s, [(v, t) for v, t, _k in talks]):
        return
    _print_head()
    skipped: list[str] = []
    rows = _talk_rows(args, s, talks, skipped)
    card_rows = [] if args.no_cards or args.quick else _lecture_rows(args, skipped)
    groups = {
        "fit": group_means([r for r in rows if r["half"] == "fit"]),
        "held_out": group_means([r for r in rows if r["half"] == "held-out"]),
        **family_groups(rows),
        "lectures_title_cards": group_means(
            [r for r in card_rows if "cards" in r["kind"] and "no cards" not in r["kind"]]
        ),
        "lectures_no_cards": group_means([r for r in card_rows if "no cards" in r["kind"]]),
    }
    figures: dict[str, Any] = {"groups": groups, "regenerations": regeneration_spread(rows)}
    figures["targets_held_out"] = targets = _report(figures)
    wall = time.perf_counter() - t0
    if skipped:
        print("skipped (evidence not cached): " + ", ".join(skipped))
    figures.update({"videos": rows + card_rows, "skipped": skipped})
    if args.baseline:
        figures["paired_vs_baseline"] = paired_differences(rows, Path(args.baseline))
        for k, d in figures["paired_vs_baseline"].items():
            print(f"paired {k:<26} {d['diff']:+.3f} [{d['ci_low']:+.3f}, {d['ci_high']:+.3f}]")
    config = {
        "budget": args.budget,
        "backbone": "offline",
        "asr": args.asr_model,
        "boundary_tolerance_s": 3.0,
    }
    config["bootstrap_draws"] = BOOTSTRAP_DRAWS
    config["chapter_count"] = "true number of sections" if args.true_count else "found"
    name = "generic" if args.asr_model == "tiny.en" else f"generic_{args.asr_model.replace('.', '_')}"
    name += "_true_count" if args.true_count else ""
    name += "_unseen_voices" if regens == [talks_devset.UNSEEN_VOICES] else ""
    name += "_transitions" if regens == [talks_devset.TRANSITIONS] else ""
    name += "".join(f"_{c.split('=')[0]}" for c in args.topic_param)
    write_results(name, figures, seeds=regens, config=config, wall_s=wall, quick=args.quick)
    ho = groups["held_out"]
    print(json.dumps({"held_out": ho, "fit": groups["fit"], "targets": targets, "wall_s": round(wall, 1)}))


def use_topic_params(**changes: Any) -> None:
    """Make the pipeline's chapter constants (``pipeline.chapter_params``) of this run use ``TopicParams``
    with ``changes``: a comparison run against the default rule."""
    from vidgist.summarize import pipeline

    shipped = pipeline.chapter_params

    def changed(chapter_count: int | None, spoken_transitions: bool = False) -> Any:
        base = shipped(chapter_count, spoken_transitions)
        return dataclasses.replace(base, topics=dataclasses.replace(base.topics, **changes))

    pipeline.chapter_params = changed  # type: ignore[assignment]


def _lecture_kind(truth: dict) -> str:
    cards = "no cards" if truth["cards"] == "none" else f"{truth['cards']} cards"
    return (
        ("speech, " if truth["speech"] else "no speech, ")
        + cards
        + (", titles said" if truth["spoken_titles"] else "")
    )


if __name__ == "__main__":
    main()
