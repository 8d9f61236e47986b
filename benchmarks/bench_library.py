"""Benchmark the video library: answer quality, search latency at scale, indexing throughput.

One run prints, side by side:

1. Answers on the development set (``library_devset``: EN/ZH micro-videos, English composites of spoken,
   captioned and visual 7-second parts, distractor talks of 2-8 minutes, absent queries; optionally
   ../shared/videos as more distractors), indexed with speech (Whisper base), per half (fit / held-out):

   - part hit@1 per kind (search ``--in`` the composite): the top hit lies mostly (> half its length)
     inside the part the query names; hit precision: the share of the top hit's time inside that part;
     the same for the summarizer (``summarize -q`` on the same evidence: it matches and its best moment
     is inside the part; also without the threshold) and how often search's and the summarizer's best
     moments fall in the same part;
   - video R@1 per language: the top hit of a micro-video's query (whole library) is that video;
   - absent queries: the share answered with no hit, and the mean number of hits;
   - median hit length against the true part length (top hits of part queries);
   - whether each search (which skips videos by a bound) gave the hits of scoring every candidate;
   - the part queries missed or with precision under 0.9, one line each;
   - the searched-set nulls side by side (``search.NULLS``: each video's own line, the line of the videos
     scored together, that scaled to every video searched): absent no-hit, video R@1, part hit@1 in the
     video and library-wide, per half, and the one of least fit-half cost (``NULL_COST``), which the
     library's ``search.SEARCHED_NULL`` must be;
   - search latency on this library.

   The set is indexed into ``--workdir`` one video at a time (``index_devset``): an interrupted run
   keeps what it finished and the next one goes on; the figures need every video indexed (``--partial``
   measures on those that are).
2. Scale with synthetic rows (clustered random unit vectors: frames in the offline backbone's 384
   dimensions, spoken spans in the relevance text model's 768; text from a 5,000-word vocabulary, 100
   moments of 5 s per video; no video decoded, but each video's evidence stored as indexing stores it:
   a sample every 2 s, the spoken spans) at 10k / 100k / 1M moments (a library kept with ``--keep`` from
   an older run gets 768-dimension text vectors in place): library file size, build time,
   the median and p95 latency of 100 end-to-end searches with the library's no-match line (and of 100
   others with each video's own line, under which more of them end in a hit); beside it the vector
   search alone, exact
   (numpy) against the IVF index, with the IVF's recall@10.
3. Real-video indexing throughput (video seconds per wall second) on the 10-minute 1280x720 benchmark
   video of ``bench_summarize.py``, without and with speech (Whisper base).

A section skipped (``--skip answers`` or ``scale``) keeps its figures from the results file of the run
before, named in the results' config.

    python benchmarks/bench_library.py [--workdir /tmp/vidgist-bench-library] [--scales 10000,100000,1000000]
        [--skip answers,scale,throughput] [--shared] [--quick] [--keep] [--no-index] [--partial]

Rates come with 95% Wilson intervals and 95% bootstrap intervals (queries resampled, ``BOOTSTRAP``
times), the hit precision with its bootstrap interval. Nothing in ``vidgist.library`` is fitted on this
set: the relevance and its threshold are the summarizer's.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.library.text_model import TEXT_DIM  # the synthetic text vectors' dimension

HERE = Path(__file__).resolve().parent
SHARED_VIDEOS = HERE.parents[0].parent / "shared" / "videos"
sys.path.insert(0, str(HERE))

KINDS = ("spoken", "captioned", "visual")
#: the absent queries' groups (``library_devset.absent_group``)
ABSENT_GROUPS = ("first list", "added, same field", "added, unrelated")


def wilson(k: int, n: int, z: float = 1.96) -> list[float]:
    """95% Wilson interval of a rate k/n."""
    if n == 0:
        return [float("nan"), float("nan")]
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return [round(c - h, 3), round(c + h, 3)]


#: bootstrap resamples of the queries behind each figure
BOOTSTRAP = 2000


def bootstrap(values: list[float], seed: int = 0) -> list[float]:
    """95% percentile-bootstrap interval of the mean of ``values`` (queries resampled with replacement)."""
    if not values:
        return [float("nan"), float("nan")]
    x = np.asarray(values, np.float64)
    means = x[np.random.default_rng(seed).integers(0, len(x), (BOOTSTRAP, len(x)))].mean(axis=1)
    return [round(float(np.percentile(means, 2.5)), 3), round(float(np.percentile(means, 97.5)), 3)]


def _rate(flags: list[bool]) -> dict[str, Any]:
    return {
        "rate": float(np.mean(flags)) if flags else float("nan"),
        "n": len(flags),
        "ci95": wilson(sum(flags), len(flags)),
        "bootstrap95": bootstrap([float(f) for f in flags]),
    }


def _mean(values: list[float]) -> dict[str, Any]:
    return {
        "mean": float(np.mean(values)) if values else float("nan"),
        "n": len(values),
        "bootstrap95": bootstrap(values),
    }


def _overlap(a: float, b: float, c: float, d: float) -> float:
    return max(0.0, min(b, d) - max(a, c))


def _part_of(t: float, starts: list[float], length: float) -> int:
    return int(np.searchsorted(np.array(starts) + length, t, side="right"))


def _summarizer_best(lib: Any, summarizer: Any, path: Path, query: str) -> tuple[float, bool] | None:
    """The summarizer's best moment for ``query`` on the evidence the library stored for ``path``, and
    whether it matches (relevance at least the threshold; else ``summarize -q`` says no moment matches)."""
    stored = lib.stored_evidence(path, "offline", None, True, True)
    if stored is None:
        return None
    (evidence, fps, thumbs), _ = stored
    result = summarizer.summarize_evidence(evidence, fps, thumbs, [query])
    return float(result.match.best_time), bool(result.match.matched)


def _part_query(lib: Any, summarizer: Any, folder: Path, r: Any) -> dict[str, Any]:
    import library_devset as ds

    hits = lib.search(r.query, k=5, within=f"*/{r.file}")
    top = hits[0] if hits else None
    row: dict[str, Any] = {
        "query": r.query,
        "file": r.file,
        "part": [r.start, r.end],
        "kind": r.kind,
        "half": r.half,
        "hit": False,
        "precision": None,
        "length": None,
        "top": None,
        "same as exhaustive": _same(hits, lib.search(r.query, k=5, within=f"*/{r.file}", exhaustive=True)),
    }
    if top is not None:
        inside = _overlap(top.start, top.end, r.start, r.end)
        row.update(
            hit=inside > 0.5 * (top.end - top.start),
            precision=inside / max(top.end - top.start, 1e-9),
            length=top.end - top.start,
            top=[round(top.start, 2), round(top.end, 2), round(top.relevance, 3)],
        )
    found = _summarizer_best(lib, summarizer, folder / r.file, r.query)
    best = found[0] if found is not None else None
    row["summarizer_best_in_part"] = best is not None and r.start <= best < r.end
    row["summarizer_hit"] = row["summarizer_best_in_part"] and found is not None and found[1]
    if best is not None and top is not None:
        starts = [j * ds.PART_SECONDS for j in range(5)]
        row["agree"] = _part_of(best, starts, ds.PART_SECONDS) == _part_of(
            top.best_time, starts, ds.PART_SECONDS
        )
    everywhere = lib.search(r.query, k=1)
    row["same as exhaustive"] &= _same(everywhere, lib.search(r.query, k=1, exhaustive=True))
    row["library_hit"] = bool(
        everywhere
        and Path(everywhere[0].video).name == r.file
        and _overlap(everywhere[0].start, everywhere[0].end, r.start, r.end)
        > 0.5 * (everywhere[0].end - everywhere[0].start)
    )
    return row


def _same(a: list[Any], b: list[Any]) -> bool:
    """Two hit lists name the same stretches with the same relevance."""
    key = [(h.video, round(h.start, 3), round(h.end, 3), round(h.relevance, 4)) for h in a]
    return key == [(h.video, round(h.start, 3), round(h.end, 3), round(h.relevance, 4)) for h in b]


def _folds(flags: list[bool], n: int = 3) -> dict[str, Any]:
    """The rate of ``flags`` on ``n`` disjoint folds (every n-th item from 0, 1, ...): each, their mean and
    standard deviation."""
    rates = [float(np.mean(flags[i::n])) for i in range(n) if flags[i::n]]
    return {
        "folds": rates,
        "mean": float(np.mean(rates)) if rates else float("nan"),
        "sd": float(np.std(rates, ddof=1)) if len(rates) > 1 else float("nan"),
        "n": [len(flags[i::n]) for i in range(n)],
    }


def _summarise(rows: list[dict[str, Any]], part_seconds: float) -> dict[str, Any]:
    """Figures of one half from the per-query rows."""
    import library_devset as ds

    out: dict[str, Any] = {}
    for kind in KINDS:
        rs = [x for x in rows if x.get("kind") == kind]
        prec = [x["precision"] for x in rs if x["precision"] is not None]
        out[kind] = {
            "part hit@1": _rate([x["hit"] for x in rs]),
            "hit precision": float(np.mean(prec)) if prec else float("nan"),
            "hit precision bootstrap95": bootstrap(prec),
            "no hit": sum(x["precision"] is None for x in rs),
            "summarizer hit@1": _rate([x["summarizer_hit"] for x in rs]),
            "summarizer best moment in part (threshold ignored)": _rate(
                [x["summarizer_best_in_part"] for x in rs]
            ),
            "same part as summarizer": _rate([x["agree"] for x in rs if "agree" in x]),
            "library-wide part hit@1": _rate([x["library_hit"] for x in rs]),
        }
    parts = [x for x in rows if x.get("kind") in KINDS]
    lengths = [x["length"] for x in parts if x["length"] is not None]
    prec = [x["precision"] for x in parts if x["precision"] is not None]
    out["hit precision (all kinds)"] = float(np.mean(prec)) if prec else float("nan")
    out["hit precision (all kinds) bootstrap95"] = bootstrap(prec)
    out["median hit length s"] = float(np.median(lengths)) if lengths else float("nan")
    out["median hit length / part length"] = out["median hit length s"] / part_seconds
    for lang in ("en", "zh"):
        out[f"video R@1 {lang}"] = _rate(
            [x["video_hit"] for x in rows if x.get("kind") == "micro" and x["lang"] == lang]
        )
    absent = [x for x in rows if x.get("kind") == "absent"]
    out["absent: no hit"] = _rate([x["n_hits"] == 0 for x in absent])
    for group in ABSENT_GROUPS:
        out[f"absent: no hit, {group}"] = _rate(
            [x["n_hits"] == 0 for x in absent if ds.absent_group(x["query"]) == group]
        )
    out["absent: no hit, 3 folds"] = _folds([x["n_hits"] == 0 for x in absent])
    out["absent: mean hits"] = float(np.mean([x["n_hits"] for x in absent])) if absent else float("nan")
    out["absent: no hit en"] = _rate([x["n_hits"] == 0 for x in absent if x["lang"] == "en"])
    out["absent: no hit zh"] = _rate([x["n_hits"] == 0 for x in absent if x["lang"] == "zh"])
    out["pruned search = exhaustive"] = _rate([x["same as exhaustive"] for x in rows])
    return out


def index_devset(lib: Any, folder: Path, extra: list[Path]) -> None:
    """Index the development set into ``lib`` one file at a time, smallest first, each committed on its
    own: an interrupted run keeps what it finished and the next run (same ``--workdir``) goes on from
    there; files indexed already are skipped without being read. The Chinese micro-videos are indexed
    without speech: Whisper base hears espeak-ng's Mandarin as a repetition loop (e.g. "มา 3 5 4 4 4 ...",
    448 tokens, minutes per 6-s clip) that carries no words; their captions carry them."""
    files = sorted(folder.glob("*.mp4"), key=lambda p: p.stat().st_size)
    clock = time.perf_counter()
    for i, f in enumerate(files + extra, 1):
        rep = lib.index([f], asr=not f.name.startswith("zh_"), asr_model="base")
        state = "indexed" if rep.indexed else "kept" if rep.skipped else f"failed {rep.failed}"
        print(
            f"  [{i}/{len(files) + len(extra)}] {f.name}: {state} ({time.perf_counter() - clock:.0f} s)",
            flush=True,
        )


def _query_rows(lib: Any, summarizer: Any, folder: Path, refs: list[Any]) -> list[dict[str, Any]]:
    """One row per reference query (part, micro-video or absent), with whether the pruned search gave
    the exhaustive one's hits."""
    rows: list[dict[str, Any]] = []
    for r in refs:
        if r.kind in KINDS:
            rows.append(_part_query(lib, summarizer, folder, r))
            continue
        hits = lib.search(r.query, k=10)
        row = {
            "query": r.query,
            "kind": r.kind,
            "half": r.half,
            "lang": r.lang,
            "same as exhaustive": _same(hits, lib.search(r.query, k=10, exhaustive=True)),
        }
        if r.kind == "micro":
            row["video_hit"] = bool(hits and Path(hits[0].video).name == r.file)
            row["top"] = [Path(hits[0].video).name, round(hits[0].relevance, 3)] if hits else None
        else:
            row["n_hits"] = len(hits)
            row["top"] = [Path(hits[0].video).name, round(hits[0].relevance, 2)] if hits else None
        rows.append(row)
    return rows


#: cost of a searched-set null on the fit half (chosen before any figure was seen): absent queries that
#: get a hit / 0.10 + micro-video and part queries whose top hit (whole library) is not the right one / 0.05
NULL_COST = "absent with a hit / 0.10 + right answer not the top hit (micro and parts, library-wide) / 0.05"
#: which nulls the rule chooses among: those whose bar does not rise with the library's size
NULL_CHOICES = "among search.SIZE_FREE_NULLS (a bar that rises with the library's size is not a default)"


def _null_row(lib: Any, r: Any, null: str) -> dict[str, Any]:
    """One reference query searched with the searched-set null ``null`` (``search.NULLS``)."""
    hits = lib.search(r.query, k=10, null=null)
    row: dict[str, Any] = {"kind": r.kind, "half": r.half, "hits": len(hits)}
    if r.kind == "absent":
        import library_devset as ds

        row["group"] = ds.absent_group(r.query)
        return row
    top = hits[0] if hits else None
    row["right"] = bool(
        top
        and Path(top.video).name == r.file
        and (r.kind == "micro" or _overlap(top.start, top.end, r.start, r.end) > 0.5 * (top.end - top.start))
    )
    if r.kind in KINDS:
        inside = lib.search(r.query, k=1, within=f"*/{r.file}", null=null)
        t = inside[0] if inside else None
        row["part hit"] = bool(t and _overlap(t.start, t.end, r.start, r.end) > 0.5 * (t.end - t.start))
    return row


def compare_nulls(lib: Any, refs: list[Any]) -> dict[str, Any]:
    """Every searched-set null (``search.NULLS``) on both halves, the one of least ``NULL_COST`` on the
    fit half among ``search.SIZE_FREE_NULLS`` (ties: the earlier, less strict one) and what the library
    uses (``search.SEARCHED_NULL``)."""
    from vidgist.library.search import NULLS, SEARCHED_NULL, SIZE_FREE_NULLS

    out: dict[str, Any] = {
        "rule": f"least fit-half cost: {NULL_COST}, {NULL_CHOICES}",
        "in use": SEARCHED_NULL,
    }
    for null in NULLS:
        rows = [_null_row(lib, r, null) for r in refs]
        out[null] = {}
        for half in ("fit", "held-out"):
            rs = [x for x in rows if x["half"] == half]
            absent = [x for x in rs if x["kind"] == "absent"]
            answered = [x for x in rs if x["kind"] != "absent"]
            fig: dict[str, Any] = {
                "absent: no hit": _rate([x["hits"] == 0 for x in absent]),
                "absent: mean hits": float(np.mean([x["hits"] for x in absent])) if absent else float("nan"),
                "absent: no hit, 3 folds": _folds([x["hits"] == 0 for x in absent]),
                **{
                    f"absent: no hit, {g}": _rate([x["hits"] == 0 for x in absent if x["group"] == g])
                    for g in ABSENT_GROUPS
                },
                "video R@1": _rate([x["right"] for x in rs if x["kind"] == "micro"]),
                "cost": sum(x["hits"] > 0 for x in absent) / 0.10
                + sum(not x["right"] for x in answered) / 0.05,
            }
            for kind in KINDS:
                fig[f"{kind} part hit@1"] = _rate([x["part hit"] for x in rs if x["kind"] == kind])
                fig[f"{kind} library-wide"] = _rate([x["right"] for x in rs if x["kind"] == kind])
            out[null][half] = fig
    out["chosen on fit"] = min(SIZE_FREE_NULLS, key=lambda n: (out[n]["fit"]["cost"], NULLS.index(n)))
    print(f"\nsearched-set null (search.NULLS), rule: {out['rule']}")
    for null in NULLS:
        for half in ("fit", "held-out"):
            f = out[null][half]
            print(
                f"  {null:8s} {half:8s} cost {f['cost']:5.1f}  "
                f"absent no hit {f['absent: no hit']['rate']:.3f} "
                f"{f['absent: no hit']['ci95']} (mean hits {f['absent: mean hits']:.2f}; folds "
                f"{f['absent: no hit, 3 folds']['mean']:.2f} +- {f['absent: no hit, 3 folds']['sd']:.2f}; "
                + ", ".join(
                    f"{g} {f[f'absent: no hit, {g}']['rate']:.2f} n={f[f'absent: no hit, {g}']['n']}"
                    for g in ABSENT_GROUPS
                )
                + ")  video R@1 "
                f"{f['video R@1']['rate']:.3f}  part hit@1 "
                + " ".join(
                    f"{k} {f[f'{k} part hit@1']['rate']:.2f}/{f[f'{k} library-wide']['rate']:.2f}"
                    for k in KINDS
                )
                + " (in the video / library-wide)"
            )
    print(f"  chosen on the fit half: {out['chosen on fit']}; the library uses: {SEARCHED_NULL}")
    return out


def answers(
    workdir: Path, shared: bool = False, index: bool = True, partial: bool = False, flite: bool = False
) -> dict[str, Any]:
    """Section 1 of the module docstring; returns the figures per half. Every video of the set must be
    in the library (``partial``: measure on those that are, leaving the others' queries out). ``flite``:
    the set spoken by CMU Flite voices (``library_devset.build``), in its own library file."""
    import library_devset as ds

    from vidgist.library import Library
    from vidgist.summarize.pipeline import Summarizer

    refs = ds.build(ds.DEFAULT_OUT, flite=flite)
    folder = ds.set_folder(ds.DEFAULT_OUT, flite)
    db = workdir / f"devset-v{ds.VERSION}{'-shared' if shared else ''}{'-flite' if flite else ''}.sqlite"
    extra = [SHARED_VIDEOS] if shared and SHARED_VIDEOS.is_dir() else []
    with Library(db, backbone="offline") as lib:
        if index:
            print(f"indexing the development set into {db}")
            index_devset(lib, folder, extra)
        st = lib.stats()
        print(f"library: {st.videos} videos, {st.moments} moments")
        indexed = {Path(v.path).name for v in lib.videos() if v.status == "ok" and not v.deleted}
        missing = sorted({r.file for r in refs if r.file and r.file not in indexed})
        if missing and not partial:
            sys.exit(f"bench_library: {len(missing)} videos not indexed yet ({missing}); run again to go on")
        if missing:
            print(f"not in the library, their queries left out: {missing}")
        refs = [r for r in refs if not r.file or r.file in indexed]
        summarizer = Summarizer(backbone="offline", asr_model="base")
        rows = _query_rows(lib, summarizer, folder, refs)
        nulls = compare_nulls(lib, refs)
        lat = []
        for r in refs:
            t = time.perf_counter()
            lib.search(r.query, k=10)
            lat.append((time.perf_counter() - t) * 1e3)
    figures: dict[str, Any] = {
        half: _summarise([x for x in rows if x["half"] == half], ds.PART_SECONDS)
        for half in ("fit", "held-out")
    }
    figures["all"] = _summarise(rows, ds.PART_SECONDS)
    figures["library"] = {
        "videos": st.videos,
        "moments": st.moments,
        "shared distractors": shared,
        "left out (not indexed)": missing,
        "videos indexed": sorted(indexed),
    }
    figures["search ms on this library"] = {
        "median": float(np.median(lat)),
        "p95": float(np.percentile(lat, 95)),
        "load average": os.getloadavg()[0],
    }
    figures["searched-set null"] = nulls
    figures["absent hits"] = [(x["query"], x["top"]) for x in rows if x["kind"] == "absent" and x["top"]]
    figures["misses"] = [
        {k: x[k] for k in ("query", "kind", "half", "file", "part", "top", "precision")}
        for x in rows
        if x["kind"] in KINDS and (not x["hit"] or (x["precision"] or 0.0) < 0.9)
    ]
    _print_answers(figures)
    return figures


def _print_answers(figures: dict[str, Any]) -> None:
    print("\nanswers on the development set (rate [95% interval], n)")
    print(
        "targets (held-out): part hit@1 >= 0.95 spoken/captioned, visual >= the summarizer's; "
        "hit precision >= 0.9;"
    )
    print("  absent -> no hit >= 0.90; median hit length <= 1.5x the part length")
    for half in ("fit", "held-out", "all"):
        f = figures[half]
        print(f"  [{half}]")
        for kind in KINDS:
            k = f[kind]
            print(
                f"    {kind:10s} part hit@1 {k['part hit@1']['rate']:.3f} {k['part hit@1']['ci95']} "
                f"n={k['part hit@1']['n']}"
                f"  precision {k['hit precision']:.3f}  no hit {k['no hit']}"
                f"  summarizer hit@1 {k['summarizer hit@1']['rate']:.3f}"
                f" (threshold ignored "
                f"{k['summarizer best moment in part (threshold ignored)']['rate']:.3f})"
                f"  same part {k['same part as summarizer']['rate']:.3f}"
                f"  library-wide {k['library-wide part hit@1']['rate']:.3f}"
            )
        for lang in ("en", "zh"):
            v = f[f"video R@1 {lang}"]
            print(f"    video R@1 {lang}: {v['rate']:.3f} {v['ci95']} n={v['n']}")
        a = f["absent: no hit"]
        print(
            f"    absent: no hit {a['rate']:.3f} {a['ci95']} n={a['n']} "
            f"(en {f['absent: no hit en']['rate']:.3f},"
            f" zh {f['absent: no hit zh']['rate']:.3f}); mean hits {f['absent: mean hits']:.2f}"
        )
        folds = f["absent: no hit, 3 folds"]
        print(
            f"      3 folds {' '.join(f'{x:.2f}' for x in folds['folds'])} (mean {folds['mean']:.3f} "
            f"+- {folds['sd']:.3f}); "
            + "; ".join(
                f"{g} {f[f'absent: no hit, {g}']['rate']:.3f} {f[f'absent: no hit, {g}']['ci95']} "
                f"n={f[f'absent: no hit, {g}']['n']}"
                for g in ABSENT_GROUPS
            )
        )
        print(
            f"    hit precision (all kinds) {f['hit precision (all kinds)']:.3f}; median hit length "
            f"{f['median hit length s']:.2f} s = {f['median hit length / part length']:.2f}x the part"
        )
    s = figures["search ms on this library"]
    print(
        f"  search on this library: median {s['median']:.0f} ms, p95 {s['p95']:.0f} ms "
        f"(load average {s['load average']:.1f})"
    )
    print(f"  absent queries that got a hit: {figures['absent hits']}")
    print(
        "  part queries missed or with precision < 0.9 (query, kind, half, file, part, top hit, precision):"
    )
    for m in figures["misses"]:
        print(f"    {m}")
    for half in ("fit", "held-out"):
        same = figures[half]["pruned search = exhaustive"]
        print(f"  [{half}] pruned search gave the exhaustive search's hits: {same['rate']:.3f} n={same['n']}")


def _vocab(rng: np.random.Generator) -> list[str]:
    return [f"w{i}" + "".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), 4)) for i in range(5000)]


def _synthetic_library(db: Path, n_moments: int, rng: np.random.Generator, vocab: list[str]) -> float:
    """A library of ``n_moments`` synthetic moments (100 per video, a speech span per 4 moments, vectors
    clustered around 2,000 topic centres), written in bulk into the real schema; returns the seconds taken.
    The file is marked complete (meta 'synthetic_moments') so ``--keep`` can reuse it."""
    from vidgist.library.schema import open_db
    from vidgist.library.store import transaction
    from vidgist.library.text import indexed_tokens

    zipf = 1.0 / np.arange(1, len(vocab) + 1)
    zipf /= zipf.sum()
    centres = _unit_rows(rng.standard_normal((2000, 384)).astype(np.float32))
    text_centres = _unit_rows(rng.standard_normal((2000, TEXT_DIM)).astype(np.float32))
    conn = open_db(db)
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('backbone', 'offline')")
    _mark_text_model(conn)
    clock = time.perf_counter()
    per_video, batch = 100, 10_000
    vec_id = span_id = 0
    for first in range(0, n_moments, batch):
        ids = np.arange(first, min(first + batch, n_moments))
        topic = rng.integers(0, len(centres), len(ids))
        vecs = _unit_rows(centres[topic] + 0.04 * rng.standard_normal((len(ids), 384)).astype(np.float32))
        vecs16 = vecs.astype(np.float16)
        text16 = _text_vectors(text_centres, topic[::4], rng)
        with transaction(conn):
            for v in range(ids[0] // per_video, ids[-1] // per_video + 1):
                conn.execute(
                    "INSERT INTO videos (id, path, size, mtime_ns, fingerprint, duration, status, settings, "
                    "indexed_at) VALUES (?, ?, 1, 1, ?, ?, 'ok', '{}', 0)",
                    (v + 1, f"/synthetic/{v:06d}.mp4", f"{v:032x}", per_video * 5.0),
                )
            conn.executemany(
                "INSERT INTO moments (id, video_id, start, end, labels) VALUES (?, ?, ?, ?, '')",
                [
                    (int(i) + 1, int(i) // per_video + 1, (i % per_video) * 5.0, (i % per_video) * 5.0 + 5)
                    for i in ids
                ],
            )
            rows_v = [
                (vec_id + j + 1, int(i) // per_video + 1, "frame", int(i) + 1, vecs16[j].tobytes())
                for j, i in enumerate(ids)
            ]
            vec_id += len(ids)
            spans, fts = [], []
            starts = ids[::4]
            words = rng.choice(len(vocab), (len(starts), 12), p=zipf)
            for j, i in enumerate(starts):
                span_id += 1
                vid = int(i) // per_video + 1
                text = " ".join(vocab[w] for w in words[j])
                spans.append((span_id, vid, (i % per_video) * 5.0, (i % per_video) * 5.0 + 20, text))
                fts.append((span_id, indexed_tokens(text, "said")))
                vec_id += 1
                rows_v.append((vec_id, vid, "text", span_id, text16[j].tobytes()))
            conn.executemany(
                "INSERT INTO spans (id, video_id, channel, start, end, text) VALUES (?, ?, 'said', ?, ?, ?)",
                spans,
            )
            conn.executemany("INSERT INTO spans_fts (rowid, tokens) VALUES (?, ?)", fts)
            conn.executemany(
                "INSERT INTO vectors (id, video_id, kind, ref, vec) VALUES (?, ?, ?, ?, ?)", rows_v
            )
    with transaction(conn):
        conn.execute("INSERT INTO meta (key, value) VALUES ('synthetic_moments', ?)", (str(n_moments),))
    conn.close()
    return time.perf_counter() - clock


def _unit_rows(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _text_vectors(centres: np.ndarray, topic: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """float16 unit vectors in the relevance text model's dimension, clustered around ``centres``."""
    noise = 0.04 * rng.standard_normal((len(topic), centres.shape[1])).astype(np.float32)
    return _unit_rows(centres[topic] + noise).astype(np.float16)


def _mark_text_model(conn: Any) -> None:
    """Name the relevance text model in ``meta`` as indexing does (``library.text_model``)."""
    from vidgist.library.text_model import TEXT_DIM, TEXT_MODEL

    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('text_model', ?)", (TEXT_MODEL,))
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('text_dim', ?)", (str(TEXT_DIM),))


def _synthetic_text_model(db: Path, rng: np.random.Generator) -> float:
    """Give a synthetic library kept from an earlier run (text vectors in an older model's dimension) text
    vectors of ``TEXT_DIM`` dimensions, clustered as ``_synthetic_library`` writes them, and name the
    model; the vector generation moves (the IVF caches rebuild). Returns the seconds taken."""
    from vidgist.library.schema import open_db
    from vidgist.library.store import transaction

    clock = time.perf_counter()
    conn = open_db(db)
    centres = _unit_rows(rng.standard_normal((2000, TEXT_DIM)).astype(np.float32))
    ids = [i for (i,) in conn.execute("SELECT id FROM vectors WHERE kind = 'text' ORDER BY id")]
    for first in range(0, len(ids), 20_000):
        part = ids[first : first + 20_000]
        vecs = _text_vectors(centres, rng.integers(0, len(centres), len(part)), rng)
        with transaction(conn):
            conn.executemany(
                "UPDATE vectors SET vec = ? WHERE id = ?",
                [(v.tobytes(), i) for v, i in zip(vecs, part, strict=True)],
            )
    with transaction(conn):
        _mark_text_model(conn)
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'vector_generation'")
    conn.close()
    return time.perf_counter() - clock


#: the synthetic videos' stored evidence: one sample every this many seconds (the library's rate for videos
#: over a minute, ``extract.library_fps``)
SYNTHETIC_STEP = 2.0


def _synthetic_evidence(db: Path, rng: np.random.Generator) -> float:
    """Store every synthetic video's evidence as indexing does (``evidence_store.pack``): a sample every
    ``SYNTHETIC_STEP`` s whose text-space frame vector is its moment's plus noise, and the video's spoken
    spans; so search reads and scores what it would on a real library. Returns the seconds taken; marks
    the file (meta 'synthetic_evidence') so ``--keep`` reuses it."""
    from vidgist.library.evidence_store import pack
    from vidgist.library.schema import open_db
    from vidgist.library.store import transaction, unblob
    from vidgist.types import Evidence, Features, TextSpan, VideoInfo

    conn = open_db(db)
    clock = time.perf_counter()
    n_videos = int(conn.execute("SELECT max(id) FROM videos").fetchone()[0])
    for first in range(1, n_videos + 1, 200):
        ids = list(range(first, min(first + 200, n_videos + 1)))
        marks = ",".join("?" * len(ids))
        moments: dict[int, list[tuple[float, float, bytes]]] = {}
        for v, a, b, vec in conn.execute(
            "SELECT m.video_id, m.start, m.end, x.vec FROM moments m JOIN vectors x ON x.kind = 'frame' "
            f"AND x.ref = m.id WHERE m.video_id IN ({marks}) ORDER BY m.video_id, m.start",
            ids,
        ):
            moments.setdefault(int(v), []).append((float(a), float(b), vec))
        spans: dict[int, list[TextSpan]] = {}
        for v, a, b, text in conn.execute(
            f"SELECT video_id, start, end, text FROM spans WHERE video_id IN ({marks}) AND channel = 'said'",
            ids,
        ):
            spans.setdefault(int(v), []).append(TextSpan(float(a), float(b), str(text), "speech"))
        rows = []
        for v in ids:
            ms = moments.get(v, [])
            if not ms:
                continue
            duration = ms[-1][1]
            times = np.arange(SYNTHETIC_STEP / 2, duration, SYNTHETIC_STEP)
            starts = np.array([a for a, _, _ in ms])
            which = np.searchsorted(starts, times, side="right") - 1
            vecs = np.stack([unblob(vec) for _, _, vec in ms])[which]
            vecs = vecs + 0.02 * rng.standard_normal(vecs.shape).astype(np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            info = VideoInfo(
                Path(f"/synthetic/{v - 1:06d}.mp4"), duration, 25.0, int(duration * 25), 640, 360, 0, True
            )
            ev = Evidence(
                info, Features(times, np.zeros((len(times), 0), np.float32)), vecs, tuple(spans.get(v, []))
            )
            rows.append((v, pack(ev, 1 / SYNTHETIC_STEP, [])))
        with transaction(conn):
            conn.executemany("INSERT OR REPLACE INTO evidence (video_id, data) VALUES (?, ?)", rows)
    with transaction(conn):
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('synthetic_evidence', '1')")
    conn.close()
    return time.perf_counter() - clock


def _meta(db: Path, key: str) -> str | None:
    """``db``'s meta value ``key`` (None: no such key, or not a library)."""
    import sqlite3

    if not db.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        conn.close()
    except sqlite3.DatabaseError:
        return None
    return None if row is None else str(row[0])


def _complete(db: Path, n_moments: int) -> bool:
    """``db`` holds a finished synthetic library of ``n_moments`` moments (from an earlier --keep run)."""
    return _meta(db, "synthetic_moments") == str(n_moments)


#: the synthetic vocabulary's most frequent words stand for stop words (queries leave them out, as
#: ``library.text.match_expression`` leaves out English ones)
SYNTHETIC_STOPWORDS = 100


def _said_queries(conn: Any, rng: np.random.Generator, vocab: list[str], n: int) -> list[str]:
    """``n`` queries that match: three words of a random spoken span each, its first three that are not
    stop words (``SYNTHETIC_STOPWORDS``), so that span's video is scored in full, as for a query a user
    finds."""
    stop = set(vocab[:SYNTHETIC_STOPWORDS])
    (spans,) = conn.execute("SELECT max(id) FROM spans").fetchone()
    out = []
    for sid in rng.integers(1, int(spans) + 1, n):
        words = conn.execute("SELECT text FROM spans WHERE id = ?", (int(sid),)).fetchone()[0].split()
        first = int(rng.integers(0, len(words)))
        words = words[first:] + words[:first]
        out.append(" ".join([w for w in words if w not in stop][:3] or words[:3]))
    return out


def _with_hits(cpu: list[float], found: list[bool]) -> dict[str, float]:
    """The share of the scale queries answered with a hit, and the CPU p95 and median over those alone."""
    mine = [c for c, f in zip(cpu, found, strict=True) if f]
    return {
        "queries with a hit": float(np.mean(found)),
        "e2e cpu p95 ms, queries with a hit": float(np.percentile(mine, 95)) if mine else None,
        "e2e cpu median ms, queries with a hit": float(np.median(mine)) if mine else None,
    }


def _timed_searches(lib: Any, texts: list[str], null: str) -> tuple[list[float], list[float], list[bool]]:
    """Per query: wall ms, this process's CPU ms, and whether it got a hit, searching with ``null``."""
    wall, cpu, found = [], [], []
    for text in texts:
        t, c = time.perf_counter(), time.process_time()
        found.append(bool(lib.search(text, k=10, null=null)))
        wall.append((time.perf_counter() - t) * 1e3)
        cpu.append((time.process_time() - c) * 1e3)
    return wall, cpu, found


def scale(workdir: Path, scales: list[int], keep: bool = False) -> dict[str, Any]:
    from vidgist.library import Library
    from vidgist.library.search import SEARCHED_NULL
    from vidgist.library.vectors import VectorIndex, load_rows

    print(
        "\nscale (synthetic rows; 100 queries each; end-to-end = embed + BM25 + vectors + fusion + re-score)"
    )
    print(
        f"  {'moments':>9s} {'file MB':>8s} {'write s':>8s} {'ivf build s':>11s} {'e2e med ms':>10s} "
        f"{'e2e p95 ms':>10s} {'exact med ms':>12s} {'ivf med ms':>10s} {'ivf p95 ms':>10s} {'ivf R@10':>8s} "
        f"{'e2e cpu med':>11s} {'e2e cpu p95':>11s}"
    )
    figures: dict[str, Any] = {}
    for n in scales:
        rng = np.random.default_rng(n)
        vocab = _vocab(rng)
        db = workdir / f"scale-{n}.sqlite"
        reused = keep and _complete(db, n)
        if not reused:
            for f in workdir.glob(f"scale-{n}.sqlite*"):
                f.unlink()
            write_s = _synthetic_library(db, n, rng, vocab)
        if _meta(db, "synthetic_evidence") is None:
            write_s = (0.0 if reused else write_s) + _synthetic_evidence(db, np.random.default_rng(n + 2))
            reused = False
        if _meta(db, "text_dim") != str(TEXT_DIM):
            write_s = (0.0 if reused else write_s) + _synthetic_text_model(db, np.random.default_rng(n + 3))
            reused = False
        rng = np.random.default_rng(n + 1)  # the queries: the same whether the file was reused or not
        with Library(db) as lib:
            conn = lib.conn
            ids, mat = load_rows(conn, "frame")
            queries = mat[rng.choice(len(mat), 100, replace=False)] + 0.02 * rng.standard_normal(
                (100, 384)
            ).astype(np.float32)
            queries /= np.linalg.norm(queries, axis=1, keepdims=True)
            exact_ms, exact_top = [], []
            for q in queries:
                t = time.perf_counter()
                sims = mat @ q
                top = np.argpartition(-sims, 9)[:10]
                exact_ms.append((time.perf_counter() - t) * 1e3)
                exact_top.append(set(ids[top].tolist()))
            del mat
            vi = VectorIndex(conn, db)
            clock = time.perf_counter()
            vi.refresh("frame")
            vi.refresh("text")
            build_s = time.perf_counter() - clock
            ivf_ms, recall = [], []
            for q, truth in zip(queries, exact_top, strict=True):
                t = time.perf_counter()
                got = vi.search(q, "frame", 10)
                ivf_ms.append((time.perf_counter() - t) * 1e3)
                recall.append(len(truth & {i for i, _ in got}) / 10)
            lib._vectors = vi
            texts = _said_queries(conn, rng, vocab, 100)
            lib.search(texts[0])  # loads the text model
            e2e, cpu, found = _timed_searches(lib, texts, SEARCHED_NULL)
            # 100 other queries of the same kind (the first ones' encodings are remembered now)
            own = (
                _timed_searches(lib, _said_queries(conn, rng, vocab, 100), "video")
                if SEARCHED_NULL != "video"
                else (e2e, cpu, found)
            )
        size = sum(f.stat().st_size for f in workdir.glob(f"scale-{n}.sqlite*")) / 1e6
        figures[str(n)] = {
            "file MB": size,
            "e2e median ms": statistics.median(e2e),
            "e2e p95 ms": float(np.percentile(e2e, 95)),
            "e2e cpu p95 ms": float(np.percentile(cpu, 95)),
            **_with_hits(cpu, found),
            "each video's own line": {
                "e2e median ms": statistics.median(own[0]),
                "e2e p95 ms": float(np.percentile(own[0], 95)),
                "e2e cpu median ms": statistics.median(own[1]),
                "e2e cpu p95 ms": float(np.percentile(own[1], 95)),
                **_with_hits(own[1], own[2]),
            },
            "ivf recall@10": float(np.mean(recall)),
            "load average": os.getloadavg()[0],
        }
        written = "reused" if reused else f"{write_s:.1f}"
        print(
            f"  {n:>9d} {size:>8.0f} {written:>8s} {build_s:>11.1f} {statistics.median(e2e):>10.1f} "
            f"{np.percentile(e2e, 95):>10.1f} {statistics.median(exact_ms):>12.2f} "
            f"{statistics.median(ivf_ms):>10.2f} "
            f"{np.percentile(ivf_ms, 95):>10.2f} {np.mean(recall):>8.3f} {statistics.median(cpu):>11.1f} "
            f"{np.percentile(cpu, 95):>11.1f}"
        )
        f = figures[str(n)]
        o = f["each video's own line"]
        print(
            f"  {'':>9s} queries with a hit: {f['queries with a hit']:.2f} (no-match line {SEARCHED_NULL}); "
            f"with each video's own line: wall median {o['e2e median ms']:.1f} ms, p95 {o['e2e p95 ms']:.1f} "
            f"ms, cpu median {o['e2e cpu median ms']:.1f} ms, p95 {o['e2e cpu p95 ms']:.1f} ms, queries with "
            f"a hit {o['queries with a hit']:.2f} "
            f"(their cpu p95 {o['e2e cpu p95 ms, queries with a hit'] or float('nan'):.1f} ms)"
        )
        print(
            "  (ivf columns at 10k: exact search, the index switches to IVF above 65,536 vectors)"
            if n <= 65536
            else "",
            end="\n" if n <= 65536 else "",
        )
        if not keep:
            for f in workdir.glob(f"scale-{n}.sqlite*"):
                f.unlink()
    print("  target: end-to-end p95 < 100 ms at 1M moments")
    print(
        f"  load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
        "(wall times include "
        "waiting for a core; the cpu columns are this process's CPU time per search)"
    )
    return figures


def throughput(workdir: Path, with_asr: bool = True) -> None:
    import bench_summarize

    from vidgist.library import Library
    from vidgist.media.video import keyframe_gap, probe

    video = bench_summarize.make_video(Path("/tmp/vidgist-bench") / "bench_10min.mp4", 10)
    # the same picture with a key frame every 2 s (phones, streaming): the library decodes key frames only
    video_gop2 = bench_summarize.make_video(Path("/tmp/vidgist-bench") / "bench_10min_gop2s.mp4", 10, gop=50)
    runs = [(video, False), (video_gop2, False)] + ([(video, True)] if with_asr else [])
    for path, asr in runs:
        duration = probe(path).duration
        db = workdir / f"throughput-{asr}.sqlite"
        for f in workdir.glob(db.name + "*"):
            f.unlink()
        with Library(db, backbone="offline") as lib:
            clock, cpu = time.perf_counter(), time.process_time()
            lib.index([path], asr=asr, asr_model="base")
            secs, cpu = time.perf_counter() - clock, time.process_time() - cpu
            st = lib.stats()
        print(
            f"\nindexing throughput on {path.name} ({duration:.0f} s, 1280x720, key frames every "
            f"{keyframe_gap(path):.0f} s)\n"
            f"  {'with' if asr else 'without'} ASR: {secs:.1f} s wall = {duration / secs:.1f}x real time "
            f"({st.moments} moments, spans {st.spans}; {cpu:.0f} CPU s = {duration / cpu:.1f}x per CPU "
            "second; "
            f"load average {os.getloadavg()[0]:.1f})" + ("   target >= 30x" if not asr else "")
        )


def _keep_skipped(figures: dict[str, Any], skip: set[str]) -> dict[str, Any]:
    """Sections skipped in this run (answers, scale) keep their figures from the results file of the run
    before, which is named (command, commit, date) in the returned dict."""
    from results_io import load_results

    try:
        before = load_results("library")
    except (OSError, ValueError):
        return {}
    kept: dict[str, Any] = {}
    for section in ("answers", "scale"):
        if section in skip and section in before.get("figures", {}):
            figures[section] = before["figures"][section]
            earlier = before.get("config", {}).get("kept from an earlier run", {}).get(section)
            kept[section] = earlier or {k: before.get(k) for k in ("command", "commit", "date")}
    return kept


def main() -> None:
    from results_io import write_results

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/vidgist-bench-library"))
    ap.add_argument("--scales", default="10000,100000,1000000")
    ap.add_argument("--skip", default="", help="comma-separated: answers, scale, throughput")
    ap.add_argument("--no-throughput-asr", action="store_true", help="throughput: without speech only")
    ap.add_argument(
        "--keep",
        action="store_true",
        help="scale: keep the synthetic libraries in --workdir and reuse them (and their IVF caches)",
    )
    ap.add_argument(
        "--shared", action="store_true", help="answers: index ../shared/videos as distractors too"
    )
    ap.add_argument("--quick", action="store_true", help="CI size: scale at 10k only, no throughput")
    ap.add_argument(
        "--no-index", action="store_true", help="answers: search the library as it is (no indexing)"
    )
    ap.add_argument(
        "--partial",
        action="store_true",
        help="answers: measure even when some videos are not indexed yet (their queries left out)",
    )
    ap.add_argument(
        "--unseen-voices",
        action="store_true",
        help="answers only, on the set spoken by CMU Flite voices no constant was chosen with "
        "(writes library_unseen_voices.json)",
    )
    args = ap.parse_args()
    clock = time.perf_counter()
    args.workdir.mkdir(parents=True, exist_ok=True)
    skip = set(filter(None, args.skip.split(",")))
    if args.unseen_voices:
        skip |= {"scale", "throughput"}
    if args.quick:
        skip.add("throughput")
        args.scales = "10000"
    figures: dict[str, Any] = {}
    if "answers" not in skip:
        figures["answers"] = answers(
            args.workdir,
            shared=args.shared,
            index=not args.no_index,
            partial=args.partial,
            flite=args.unseen_voices,
        )
    if "scale" not in skip:
        figures["scale"] = scale(args.workdir, [int(x) for x in args.scales.split(",")], keep=args.keep)
    if "throughput" not in skip:
        throughput(args.workdir, with_asr=not args.no_throughput_asr)
    shutil.rmtree(args.workdir / "unused", ignore_errors=True)
    config: dict[str, Any] = {"skip": sorted(skip), "scales": args.scales, "shared": args.shared}
    config["asr_model"] = "base"
    if not args.quick and not args.unseen_voices:
        config["kept from an earlier run"] = _keep_skipped(figures, skip)
    path = write_results(
        "library_unseen_voices" if args.unseen_voices else "library",
        figures,
        config=config,
        wall_s=time.perf_counter() - clock,
        quick=args.quick,
    )
    import json

    held = figures.get("answers", {}).get("held-out", {})
    print(
        json.dumps(
            {
                "results": str(path),
                "held-out": {
                    k: (v["part hit@1"]["rate"] if isinstance(v, dict) and "part hit@1" in v else v)
                    for k, v in held.items()
                    if not isinstance(v, dict) or "part hit@1" in v
                },
                "scale p95 ms": {n: f["e2e p95 ms"] for n, f in figures.get("scale", {}).items()},
            }
        )
    )


if __name__ == "__main__":
    main()
