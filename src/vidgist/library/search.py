"""Search the library: hits ranked by the summarizer's calibrated relevance, the matching stretch each.

``search(conn, vectors, texts, query, options, live) -> list[Hit]``, best first:

1. Candidates (``vidgist.library.candidates``): BM25 and dense lists over spans and frames, fused by
   reciprocal rank fusion, name the videos worth scoring (all of them when the library, or ``within``,
   holds at most ``CANDIDATE_VIDEOS``); each video's generated search queries rank videos only.
2. Relevance (``vidgist.library.moments``): per candidate video, ``vidgist.summarize.relevance`` on the
   evidence the library stored, the value ``vidgist summarize -q`` computes for the same query and
   moment, with its threshold (``relevance.MIN_RELEVANCE``): a moment under it is no answer.
3. Hits: each video's matching stretches (runs over the threshold, padded to whole sentences, at most
   ``max_seconds``), at most ``per_video`` per video, ranked by relevance plus a small video prior
   (``VIDEO_PRIOR`` x the share of the query's words in the video's best-matching generated query) that
   orders videos only where relevance ties. With ``weak`` the runs under the threshold follow, flagged.

No stretch over the threshold anywhere: no hit ("no moment matches", as ``summarize`` says).
"""

from __future__ import annotations

import fnmatch
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np

from vidgist.library.candidates import CHANNELS, candidates
from vidgist.library.moments import (
    Reason,
    StoredTexts,
    load_evidence,
    remember_span_vectors,
    stretches,
    video_relevance,
)
from vidgist.library.vectors import VectorIndex, change_stamp
from vidgist.summarize.relevance import MIN_RELEVANCE

#: videos scored exactly per search (the candidates' best)
CANDIDATE_VIDEOS = 8
#: weight of the video-level prior (generated queries); below any relevance difference that matters
VIDEO_PRIOR = 0.02
#: default most hits per video
PER_VIDEO = 3
#: default longest hit (seconds)
MAX_HIT_SECONDS = 30.0

__all__ = ["CHANNELS", "Hit", "LiveVideos", "Reason", "SearchOptions", "search"]


@dataclass(frozen=True)
class Hit:
    """One matching stretch: video path, start/end seconds, calibrated relevance in [0, 1] (the largest in
    the stretch), ranking ``score``, the stretch's own evidence (``evidence``), the generated query that
    describes the whole video (``about``, ranking videos only), and ``weak`` (under the threshold)."""

    video: str
    start: float
    end: float
    relevance: float
    score: float
    evidence: tuple[Reason, ...] = field(default_factory=tuple)
    video_id: int = 0
    best_time: float = 0.0
    weak: bool = False
    about: tuple[Reason, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, object]:
        return {
            "video": self.video,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "best_time": round(self.best_time, 3),
            "relevance": round(self.relevance, 4),
            "weak": self.weak,
            "evidence": [{"channel": e.channel, "text": e.text} for e in self.evidence],
            "video_evidence": [{"channel": e.channel, "text": e.text} for e in self.about],
        }


@dataclass(frozen=True)
class SearchOptions:
    """``k`` hits; ``within``: a glob over video paths; ``channels``: the evidence used (``CHANNELS``:
    'said', 'shown', 'seen' for moments, 'query' for the video prior); ``threshold``: the no-match line
    (``summarize``'s); ``weak``: also list stretches under it, flagged; ``per_video``: most hits per
    video; ``max_seconds``: longest hit."""

    k: int = 10
    within: str | None = None
    channels: Collection[str] | None = None
    threshold: float = MIN_RELEVANCE
    weak: bool = False
    per_video: int = PER_VIDEO
    max_seconds: float = MAX_HIT_SECONDS


class LiveVideos:
    """The searchable videos (status 'ok', not deleted) as ``{id: path}``, optionally limited by a glob,
    read again only when the file changed (``vectors.change_stamp``). At 10,000 videos reading the table
    costs ~10 ms, as much as the rest of a search's SQL, so a ``Library`` keeps one of these across
    searches."""

    def __init__(self) -> None:
        self._key: tuple[int, int] | None = None
        self._all: dict[int, str] = {}
        self._within: dict[str, dict[int, str]] = {}

    def get(self, conn: sqlite3.Connection, within: str | None = None) -> dict[int, str]:
        key = change_stamp(conn)
        if key != self._key:
            self._all = {
                int(i): str(p)
                for i, p in conn.execute("SELECT id, path FROM videos WHERE status = 'ok' AND deleted = 0")
            }
            self._within = {}
            self._key = key
        if not within:
            return self._all
        if within not in self._within:
            if len(self._within) >= 32:
                self._within.clear()
            self._within[within] = {i: p for i, p in self._all.items() if fnmatch.fnmatch(p, within)}
        return self._within[within]


def video_queries(conn: sqlite3.Connection, query: str, video_ids: Collection[int]) -> dict[int, Reason]:
    """Per video, its generated query sharing most of ``query``'s content words (none: left out)."""
    from vidgist.scorers.zero_shot import lexical_overlap

    ids = list(video_ids)
    if not ids:
        return {}
    best: dict[int, Reason] = {}
    for v, text in conn.execute(
        "SELECT video_id, text FROM spans WHERE channel = 'query' "
        f"AND video_id IN ({','.join('?' * len(ids))})",
        ids,
    ):
        share = lexical_overlap(query, text)
        if share > 0 and (int(v) not in best or share > best[int(v)].score):
            best[int(v)] = Reason("about", text, share)
    return best


def search(
    conn: sqlite3.Connection,
    vectors: VectorIndex,
    texts: StoredTexts,
    query: str,
    options: SearchOptions | None = None,
    live: LiveVideos | None = None,
) -> list[Hit]:
    """Ranked hits for ``query`` (module docstring and ``SearchOptions``); ``texts`` is the library's
    backbone with its stored text vectors; ``live`` caches the video table between searches."""
    opt = options or SearchOptions()
    videos = (live or LiveVideos()).get(conn, opt.within)
    if not videos:
        return []
    chans = set(opt.channels) if opt.channels is not None else set(CHANNELS)
    qvec = np.asarray(texts.encode_texts([query]), np.float32)[0]
    found = candidates(conn, vectors, qvec, query, videos, chans)
    pool = list(videos) if len(videos) <= CANDIDATE_VIDEOS else found.videos(CANDIDATE_VIDEOS)
    remember_span_vectors(conn, texts, pool)
    about = video_queries(conn, query, pool) if "query" in chans else {}
    moment_chans = chans - {"query"}
    hits: list[Hit] = []
    for v in pool:
        if not moment_chans:
            break
        hits += _video_hits(conn, v, videos[v], query, texts, opt, moment_chans, about.get(v))
    return sorted(hits, key=lambda h: (h.weak, -h.score))[: opt.k]


def _video_hits(
    conn: sqlite3.Connection,
    video_id: int,
    path: str,
    query: str,
    texts: StoredTexts,
    opt: SearchOptions,
    chans: set[str],
    about: Reason | None,
) -> list[Hit]:
    """The hits of one video (module docstring, steps 2-3)."""
    evidence = load_evidence(conn, video_id, path)
    if not len(evidence.frames.times):
        return []
    rel, raw = video_relevance(evidence, query, texts, chans)
    found = stretches(rel, evidence, raw, opt.threshold, opt.max_seconds, opt.weak, query, texts)
    prior = VIDEO_PRIOR * (about.score if about is not None else 0.0)
    strong = [s for s in found if not s.weak][: opt.per_video]
    weak = [s for s in found if s.weak][: max(0, opt.per_video - len(strong))]
    return [
        Hit(
            path,
            s.start,
            s.end,
            s.relevance,
            s.relevance + prior,
            s.reasons,
            video_id,
            s.best_time,
            s.weak,
            (about,) if about is not None else (),
        )
        for s in strong + weak
    ]
