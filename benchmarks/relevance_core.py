"""The relevance benchmark's shared machinery: the development videos' evidence (collected once, cached),
their queries, each query's raw channel values, and the per-group bests the judges compare.

- ``evidence_for``: (evidence, fps, thumbnails) of one video, cached beside it, keyed by the backbone, the
  speech model and the code that makes evidence (``evidence_fingerprint``);
- ``all_queries``: a talk's part, word-sharing, absent and decoy queries;
- ``channel_values``: what does not depend on the constants, per talk (raw channel values and ``n_c``);
- ``talk_bests`` / ``pooled_bests``: paraphrase, absent and decoy bests in the text channels (AUC inputs);
- ``print_rows``: a judge's table, one line per variant.

Used by ``bench_relevance.py`` and its judges (``relevance_*_judge.py``); imports none of them.
"""

from __future__ import annotations

import functools
import pickle
import re
from pathlib import Path
from typing import Any

import numpy as np

KINDS = ("speech", "caption", "visual")
CHANNEL_OF_KIND = {"speech": "speech", "caption": "ocr", "visual": "visual"}

#: backbone modules that only score (compare queries with the evidence) and never make it
SCORING_ONLY = ("backbones/mpnet.py",)


@functools.lru_cache(maxsize=1)
def evidence_fingerprint() -> str:
    """A digest of the code that makes evidence (media/, backbones/ except ``SCORING_ONLY``,
    summarize/evidence.py) as the run found it at its first lookup: a cached evidence pickle is only
    reused while that code is unchanged, and an edit during a run does not change the run's key."""
    import hashlib

    import vidgist

    src = Path(vidgist.__file__).resolve().parent
    files = sorted(
        [
            *(src / "media").rglob("*.py"),
            *(
                f
                for f in (src / "backbones").rglob("*.py")
                if f.relative_to(src).as_posix() not in SCORING_ONLY
            ),
            src / "summarize" / "evidence.py",
        ]
    )
    h = hashlib.sha256()
    for f in files:
        h.update(f.relative_to(src).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:10]


def evidence_for(summarizer: Any, video: dict[str, Any], workdir: Path) -> tuple[Any, float, list[Any]]:
    """(evidence, fps, thumbnails) of one dev video, from the cache when there: the cache is keyed by the
    backbone, the speech model (``Summarizer.asr_model``) and the code (see evidence_fingerprint)."""
    spec = re.sub(r"[^A-Za-z0-9._-]+", "_", str(summarizer.backbone_spec))
    asr = re.sub(r"[^A-Za-z0-9._-]+", "_", summarizer.asr_model if summarizer.asr else "no-asr")
    cache = workdir / f"{Path(video['path']).stem}.{spec}.{asr}.{evidence_fingerprint()}.evidence.pkl"
    if cache.exists():
        with cache.open("rb") as f:
            return pickle.load(f)  # noqa: S301 - our own cache file
    out = summarizer.collect_evidence(video["path"])
    with cache.open("wb") as f:
        pickle.dump(out, f)
    return out


def all_queries(video: dict[str, Any]) -> list[dict[str, Any]]:
    """Each part query (kind, span, paraphrase), each section part's word-sharing query, then each absent
    query (kind "absent"), then each decoy (kind "decoy": absent, but sharing a word with a line; never
    used in fitting the null or slope)."""
    out = [
        {"kind": p["kind"], "query": p["query"], "span": p["span"], "paraphrase": p.get("paraphrase", False)}
        for p in video["parts"]
    ]
    out += [  # a section talk's word-sharing query of a part
        {"kind": p["kind"], "query": p["also"], "span": p["span"], "paraphrase": False}
        for p in video["parts"]
        if p.get("also")
    ]
    out += [{"kind": "absent", "query": q, "span": None, "paraphrase": False} for q in video["absent"]]
    return out + [{"kind": "decoy", "query": q, "span": None, "paraphrase": False} for q in video["decoys"]]


def channel_values(
    summarizer: Any, video: dict[str, Any], workdir: Path, windows: bool = True
) -> dict[str, Any]:
    """What does not depend on the constants, for one talk: its queries (``all_queries``), the moments'
    times, the raw channel values ``relevance_channels`` gives the calibration ({channel: (n_queries,
    n_moments)}, NaN = no evidence) and per query its evidence units ``n_c`` (``evidence_units`` of that
    query's row alone, as the summarizer counts them for a single query)."""
    from vidgist.summarize.relevance import evidence_units, relevance_channels

    ev, _, _ = evidence_for(summarizer, video, workdir)
    qs = all_queries(video)
    ch = relevance_channels(ev, [q["query"] for q in qs], summarizer.backbone, windows=windows)
    t, duration = ev.frames.times, ev.info.duration
    units = [evidence_units(t, {c: x[i : i + 1] for c, x in ch.items()}, duration) for i in range(len(qs))]
    return {"name": video["name"], "times": t, "queries": qs, "channels": ch, "units": units}


def talk_bests(talk: dict[str, Any]) -> dict[str, list[float]]:
    """The groups of ``relevance_compare_judge.text_bests`` for one talk (``channel_values``, with or without
    window units), and decoys: each decoy's best anywhere in the text channels."""
    out: dict[str, list[float]] = {"paraphrase": [], "absent": [], "decoy": []}
    t, ch = talk["times"], talk["channels"]
    for i, q in enumerate(talk["queries"]):
        if q["kind"] in ("absent", "decoy"):
            vals = [
                np.nanmax(ch[c][i]) for c in ("speech", "ocr") if c in ch and not np.all(np.isnan(ch[c][i]))
            ]
            out[q["kind"]].append(float(max(vals)) if vals else -1.0)
        elif q["paraphrase"]:
            x = ch.get(CHANNEL_OF_KIND[q["kind"]])
            inside = (t >= q["span"][0]) & (t < q["span"][1])
            known = None if x is None else x[i][inside & ~np.isnan(x[i])]
            out["paraphrase"].append(float(known.max()) if known is not None and known.size else -1.0)
    return out


def pooled_bests(talks: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    """``talk_bests`` of every talk of ``talks``, pooled per group (paraphrase, absent, decoy)."""
    got: dict[str, list[float]] = {"paraphrase": [], "absent": [], "decoy": []}
    for talk in talks:
        for key, vals in talk_bests(talk).items():
            got[key] += vals
    return {key: np.array(v) for key, v in got.items()}


def print_rows(out: dict[str, dict[str, Any]], columns: tuple[str, ...]) -> None:
    """One line per variant of ``out`` with its ``columns`` ("-" where it has none)."""
    print("\n" + " | ".join(["variant", *columns]))
    for name, row in out.items():
        print(" | ".join([name, *(str(row.get(c, "-")) for c in columns)]))
