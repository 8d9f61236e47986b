"""Search the library: hits ranked by the summarizer's calibrated relevance, the matching stretch each.

``search(conn, vectors, texts, query, options, live) -> list[Hit]``, best first:

1. Candidates (``vidgist.library.candidates``): BM25 and dense lists over spans and frames, fused by
   reciprocal rank fusion, name the videos worth scoring (all of them when the library, or ``within``,
   holds at most ``CANDIDATE_VIDEOS``); each video's generated search queries rank videos only.
2. Relevance (``vidgist.library.moments``): per candidate video, ``vidgist.summarize.relevance`` on the
   evidence the library stored, the value ``vidgist summarize -q`` computes for the same query and
   moment, with its threshold (``relevance.MIN_RELEVANCE``): a moment under it is no answer.
3. Hits: each video's matching stretches (runs over the threshold, padded to whole sentences, at most
   ``max_seconds``; a start inside speech moved back to its phrase's onset,
   ``summarize.speech_edges.phrase_onsets``), at most ``per_video`` per video, ranked by relevance plus a
   small video prior (``VIDEO_PRIOR`` x the share of the query's words in the video's best-matching
   generated query) that orders videos only where relevance ties. With ``weak`` the runs under the
   threshold follow, flagged.
4. The searched set's line: the summarizer's threshold holds for one video (an absent query's best
   evidence unit reaches it with chance ``alpha``, equation 1 of ``summarize.relevance``), but a search
   judging many videos gives an absent query as many chances. ``SearchOptions.null`` (``NULLS``) says
   how the line counts them: "video", each video's own line; "scored", a stretch must also clear the
   threshold under the null of every video scored (``n_c`` = their evidence units together: the
   candidates, at most ``CANDIDATE_VIDEOS``); "library", those units scaled to every video searched. The
   default ``SEARCHED_NULL`` is chosen on the fit half of ``benchmarks/library_devset.py`` by
   ``bench_library.py`` among ``SIZE_FREE_NULLS``, the lines whose bar does not rise with the number of
   videos in the library (under "library" a paraphrase that shares no word with a sentence needs a
   raw score of 0.66 in a library of 10,000 talks against 0.37 in one video). Searching one video
   (``within`` one file) is the summarizer's line exactly; the relevance shown is always the video's
   own. A stretch that clears only its video's line is weak.

No stretch over the threshold anywhere: no hit ("no moment matches", as ``summarize`` says).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import sqlite3
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np

from vidgist.library.blas import one_blas_thread
from vidgist.library.candidates import CHANNELS, Candidates, candidates
from vidgist.library.moments import (
    Reason,
    StoredTexts,
    Stretch,
    load_evidence,
    peak_relevance,
    remember_span_vectors,
    searched_relevance,
    stretches,
    video_channels,
    video_relevance,
    video_units,
)
from vidgist.library.vectors import VectorIndex, change_stamp
from vidgist.summarize.relevance import MIN_RELEVANCE, SPREAD
from vidgist.summarize.speech_edges import phrase_onsets
from vidgist.types import Evidence

#: videos scored exactly per search (the candidates' best)
CANDIDATE_VIDEOS = 8
#: videos whose evidence is read while the query is encoded, the best of the candidates the BM25 and
#: frame lists give (on the 1M-moment benchmark these 5 were scored in 60 searches of 60, the next 3 in 1)
READ_AHEAD = 5
#: weight of the video-level prior (generated queries); below any relevance difference that matters
VIDEO_PRIOR = 0.02
#: default most hits per video
PER_VIDEO = 3
#: default longest hit (seconds)
MAX_HIT_SECONDS = 30.0
#: how the no-match line counts the videos searched (``SearchOptions.null``, module docstring step 4):
#: "video": each video's own null (``summarize``'s line); "scored": the evidence units of the videos
#: scored; "library": those scaled to every video searched
NULLS = ("video", "scored", "library")
#: the lines whose bar does not depend on how many videos the library holds; the default is one of them
SIZE_FREE_NULLS = ("video", "scored")
SEARCHED_NULL = "scored"
#: bytes of unpacked evidence a ``LiveVideos`` keeps between searches (about 340 videos of 8 minutes)
EVIDENCE_CACHE = 128 * 2**20

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
    video; ``max_seconds``: longest hit; ``exhaustive``: score every candidate video in full (the same
    hits, slower; for checking the bound ``search`` prunes with); ``null``: how the no-match line counts
    the videos searched (``NULLS``)."""

    k: int = 10
    within: str | None = None
    channels: Collection[str] | None = None
    threshold: float = MIN_RELEVANCE
    weak: bool = False
    per_video: int = PER_VIDEO
    max_seconds: float = MAX_HIT_SECONDS
    exhaustive: bool = False
    null: str = SEARCHED_NULL


class LiveVideos:
    """The searchable videos (status 'ok', not deleted) as ``{id: path}``, optionally limited by a glob,
    and the evidence of the videos searched lately (``evidence``, at most ``EVIDENCE_CACHE`` bytes),
    read again only when the file changed (``vectors.change_stamp``). At 10,000 videos reading the table
    costs ~10 ms, as much as the rest of a search's SQL, and unpacking one video's stored evidence ~3 ms,
    so a ``Library`` keeps one of these across searches."""

    def __init__(self) -> None:
        self._key: tuple[int, int] | None = None
        self._all: dict[int, str] = {}
        self._within: dict[str, dict[int, str]] = {}
        self._evidence: OrderedDict[int, tuple[Evidence, int]] = OrderedDict()
        self._bytes = 0

    def get(self, conn: sqlite3.Connection, within: str | None = None) -> dict[int, str]:
        key = change_stamp(conn)
        if key != self._key:
            self._all = {
                int(i): str(p)
                for i, p in conn.execute("SELECT id, path FROM videos WHERE status = 'ok' AND deleted = 0")
            }
            self._within = {}
            self._evidence.clear()
            self._bytes = 0
            self._key = key
        if not within:
            return self._all
        if within not in self._within:
            if len(self._within) >= 32:
                self._within.clear()
            self._within[within] = {i: p for i, p in self._all.items() if fnmatch.fnmatch(p, within)}
        return self._within[within]

    def evidence(self, conn: sqlite3.Connection, video_id: int, path: str) -> Evidence:
        """The stored evidence of one video (``moments.load_evidence``), kept until the file changes
        (call ``get`` first: it checks the stamp); the least recently used is dropped first."""
        kept = self._evidence.pop(video_id, None)
        if kept is None:
            ev = load_evidence(conn, video_id, path)
            size = ev.frames.times.nbytes + (
                ev.frames_in_text_space.nbytes if ev.frames_in_text_space is not None else 0
            )
            kept = (ev, size + 200 * len(ev.spans))
            self._bytes += kept[1]
            while self._evidence and self._bytes > EVIDENCE_CACHE:
                self._bytes -= self._evidence.popitem(last=False)[1][1]
        self._evidence[video_id] = kept
        return kept[0]


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
    backbone with its stored text vectors; ``live`` caches the video table and evidence between searches.

    Each candidate video's largest relevance (``moments.peak_relevance``, exact and cheap) bounds its
    hits' scores: videos are scored in full best bound first, a video under the threshold not at all
    (unless ``weak``), and scoring stops once ``k`` hits score at least the next video's bound. The hits
    are those of scoring every candidate in full (``exhaustive``), only found sooner. BLAS runs on one
    thread meanwhile (``blas.one_blas_thread``: the same values, no waiting between threads)."""
    with one_blas_thread():
        return _search(conn, vectors, texts, query, options or SearchOptions(), live or LiveVideos())


def _search(
    conn: sqlite3.Connection,
    vectors: VectorIndex,
    texts: StoredTexts,
    query: str,
    opt: SearchOptions,
    live: LiveVideos,
) -> list[Hit]:
    """``search``'s body."""
    videos = live.get(conn, opt.within)
    chans = set(opt.channels) if opt.channels is not None else set(CHANNELS)
    moment_chans = chans - {"query"}
    if not videos or not moment_chans:
        return []

    def pool_of(c: Candidates) -> list[int]:
        return list(videos) if len(videos) <= CANDIDATE_VIDEOS else c.videos(CANDIDATE_VIDEOS)

    def read_ahead(likely: Candidates) -> None:  # while the query is encoded: the likely pool's evidence
        for v in pool_of(likely)[:READ_AHEAD]:
            live.evidence(conn, v, videos[v])

    pool = pool_of(candidates(conn, vectors, texts, query, videos, chans, read_ahead))
    remember_span_vectors(conn, texts, pool)
    about = video_queries(conn, query, pool) if "query" in chans else {}
    joint = bool(texts.joint)
    scored: list[_Scored] = []
    for v in pool:
        ev = live.evidence(conn, v, videos[v])
        if len(ev.frames.times):
            raw = video_channels(ev, query, texts, moment_chans)
            prior = VIDEO_PRIOR * (about[v].score if v in about else 0.0)
            scored.append(_Scored(peak_relevance(ev, raw, joint), prior, v, ev, raw))
    units = searched_units(scored, len(videos), opt.null)
    prune = not (opt.weak or opt.exhaustive)
    hits: list[Hit] = []
    for s in sorted(scored, key=lambda s: -(s.peak + s.prior)):
        line = _line(s, units, joint)
        if prune and (s.peak < opt.threshold or float(line.max(initial=0.0)) < opt.threshold):
            continue
        if prune and len(hits) >= opt.k and sorted(h.score for h in hits)[-opt.k] >= s.peak + s.prior:
            break
        hits += _video_hits(s, videos[s.video_id], query, texts, opt, about.get(s.video_id), line)
    return sorted(hits, key=lambda h: (h.weak, -h.score))[: opt.k]


def searched_units(scored: list[_Scored], searched: int, null: str) -> dict[str, float] | None:
    """Evidence units per channel of the searched set (module docstring, step 4) under ``null``
    (``NULLS``); None for "video" (each video's own)."""
    if null not in NULLS:
        raise ValueError(f"null={null!r}: choose one of {', '.join(NULLS)}")
    if null == "video" or not scored:
        return None
    total: dict[str, float] = {}
    for s in scored:
        for name, n in video_units(s.evidence, s.raw).items():
            total[name] = total.get(name, 0.0) + n
    scale = max(1.0, searched / len(scored)) if null == "library" else 1.0
    return {name: n * scale for name, n in total.items()}


def _line(s: _Scored, units: dict[str, float] | None, joint: bool) -> np.ndarray:
    """Per moment of ``s``, the relevance the searched set's null gives it (``moments.searched_relevance``;
    the video's own relevance timeline's values are the line when ``units`` is None)."""
    if units is None:
        return np.full(len(s.evidence.frames.times), s.peak)
    return searched_relevance(s.evidence, s.raw, joint, units)


@dataclass(frozen=True)
class _Scored:
    """A candidate video with its channel similarities for the query and its relevance bound."""

    peak: float
    prior: float
    video_id: int
    evidence: Evidence
    raw: dict[str, np.ndarray]


def _clears(times: np.ndarray, line: np.ndarray, x: Stretch, threshold: float) -> bool:
    """Some moment of stretch ``x`` or within ``SPREAD`` of it (the nearest to its best moment when none
    is) reaches ``threshold`` on ``line``."""
    inside = (times >= x.start - SPREAD) & (times <= x.end + SPREAD)  # the window of relevance step 3
    if not inside.any():
        inside = np.abs(times - x.best_time) == np.abs(times - x.best_time).min()
    return bool(line[inside].max() >= threshold)


def _video_hits(
    s: _Scored,
    path: str,
    query: str,
    texts: StoredTexts,
    opt: SearchOptions,
    about: Reason | None,
    line: np.ndarray,
) -> list[Hit]:
    """The hits of one video (module docstring, steps 2-4); ``line``: each moment's relevance under the
    searched set's null (``_line``): a stretch none of whose moments reaches the threshold on it is weak."""
    rel = video_relevance(s.evidence, query, texts, raw=s.raw)
    found = stretches(rel, s.evidence, s.raw, opt.threshold, opt.max_seconds, opt.weak, query, texts)
    t = np.asarray(s.evidence.frames.times, np.float64)
    found = [
        x if x.weak or _clears(t, line, x, opt.threshold) else dataclasses.replace(x, weak=True)
        for x in found
    ]
    if not opt.weak:
        found = [x for x in found if not x.weak]
    strong = [x for x in found if not x.weak][: opt.per_video]
    weak = [x for x in found if x.weak][: max(0, opt.per_video - len(strong))]
    starts = phrase_onsets([x.start for x in strong + weak], s.evidence)  # a jump there hears the first word
    return [
        Hit(
            path,
            start,
            x.end,
            x.relevance,
            x.relevance + s.prior,
            x.reasons,
            s.video_id,
            x.best_time,
            x.weak,
            (about,) if about is not None else (),
        )
        for x, start in zip(strong + weak, starts, strict=True)
    ]
