"""Hybrid search over the library: BM25 over text, dense search over text and frame vectors, fused.

``search(conn, vectors, encode, query, k, within)`` -> ``list[Hit]``, best first:

1. Candidate lists, each ranked: BM25 (FTS5) over the 'said'/'shown'/'seen' spans; BM25 over the
   'query' spans (the video's generated search queries); cosine over the text-span vectors; cosine over
   the moment (frame) vectors. Every list item points at moments: a span at the moments it overlaps, a
   generated query at the moment of its video whose frame or text vector is closest to the query.
2. Reciprocal rank fusion (Cormack et al. 2009): ``rrf(m) = sum_lists 1 / (RRF_K + rank of m's best item)``.
3. Relevance of each of the best ``RESCORE`` moments, from its own evidence: per overlapping span
   ``cos(span, query) + LEXICAL * share of the query's content words in the span`` (the zero-shot
   scorer's span rule) and, for the moment's frame vector, ``cos(frame, query)``; Chinese text, and any
   Chinese query, takes the lexical share alone and skips the dense lists (the text models read English
   only: unrelated Chinese strings reach cosine 0.9 there); each mapped to [0, 1]
   by the channel's line ``(x - lo) / (hi - lo)`` (``CALIBRATION``, set on generated development clips,
   never on ../shared/videos), the best channel kept. Final score: ``relevance + rrf / max rrf``.
4. Moments of one video that touch (gap at most ``MERGE_GAP`` s), are both candidates and are nearly as
   relevant (``MERGE_SHARE``) merge into one time range with the best score and the union of their
   evidence. Hits below ``MIN_RELEVANCE`` are dropped, so a query that matches nothing returns nothing.
"""

from __future__ import annotations

import fnmatch
import sqlite3
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

import numpy as np

from vidgist.library.store import unblob
from vidgist.library.text import channel_filter, has_cjk, match_expression
from vidgist.library.vectors import VectorIndex, change_stamp
from vidgist.scorers.zero_shot import content_words, lexical_overlap

CHANNELS = ("said", "shown", "seen", "query")
RRF_K = 60
DEPTH = 200
RESCORE = 60
LEXICAL = 0.5
MERGE_GAP = 0.5
MERGE_SHARE = 0.7
MIN_RELEVANCE = 0.2
#: a generated query (whole video) counts this much of its lexical overlap towards a moment's relevance
VIDEO_LEVEL = 0.3
#: (lo, hi) per channel: the raw value mapped to relevance 0 and 1
CALIBRATION = {"said": (0.15, 0.85), "shown": (0.15, 0.85), "seen": (0.15, 0.85), "frame": (0.25, 0.6)}
_LABEL = {"said": "said", "shown": "on screen", "seen": "seen", "query": "about", "frame": "looks like"}


@dataclass(frozen=True)
class Evidence:
    """Why a moment matched: ``channel`` ('said', 'on screen', 'seen', 'about', 'looks like') and text."""

    channel: str
    text: str
    score: float = 0.0

    def __str__(self) -> str:
        return (
            f"{self.channel}: {self.text}"
            if self.channel in ("seen", "looks like")
            else f'{self.channel}: "{self.text}"'
        )


@dataclass(frozen=True)
class Hit:
    """One ranked moment range: video path, start/end seconds, relevance in [0, 1], evidence."""

    video: str
    start: float
    end: float
    relevance: float
    score: float
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    video_id: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "video": self.video,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "relevance": round(self.relevance, 4),
            "evidence": [{"channel": e.channel, "text": e.text} for e in self.evidence],
        }


@dataclass(frozen=True)
class SearchOptions:
    """``k`` hits; ``within``: a glob over video paths; ``channels``: the evidence searched (``CHANNELS``;
    frame vectors count as 'seen'); ``fusion``: rank by "rrf+relevance" (default), "rrf" or "relevance"."""

    k: int = 10
    within: str | None = None
    channels: Collection[str] | None = None
    fusion: str = "rrf+relevance"


@dataclass
class _Cand:
    moment: int
    video: int
    start: float
    end: float
    rrf: float = 0.0
    relevance: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)


def _calibrate(channel: str, x: float) -> float:
    lo, hi = CALIBRATION[channel]
    return min(1.0, max(0.0, (x - lo) / (hi - lo)))


def snippet(text: str, query: str, width: int = 90) -> str:
    """``text`` cut to about ``width`` characters around its first query word."""
    if len(text) <= width:
        return text
    low = text.lower()
    pos = min((low.find(w) for w in content_words(query) if low.find(w) >= 0), default=0)
    a = max(0, min(pos - width // 3, len(text) - width))
    return ("..." if a else "") + text[a : a + width].strip() + ("..." if a + width < len(text) else "")


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


def search(
    conn: sqlite3.Connection,
    vectors: VectorIndex,
    encode: Callable[[Sequence[str]], np.ndarray],
    query: str,
    options: SearchOptions | None = None,
    live: LiveVideos | None = None,
) -> list[Hit]:
    """Ranked hits for ``query`` (see module docstring and ``SearchOptions``); ``live`` caches the video
    table between searches (a fresh one each call when None)."""
    opt = options or SearchOptions()
    k, within, channels, fusion = opt.k, opt.within, opt.channels, opt.fusion
    videos = (live or LiveVideos()).get(conn, within)
    if not videos:
        return []
    qvec = np.asarray(encode([query]), np.float32)[0]
    chans = set(channels) if channels is not None else set(CHANNELS)
    dense = not has_cjk(query)  # the text models read English only: a Chinese query's vector is noise
    lists: list[list[list[int]]] = []  # per list, per rank: the moment ids it points at
    expr = match_expression(query)
    if expr is not None:
        said_shown_seen = chans - {"query"}
        if said_shown_seen:
            sids = [
                int(i)
                for (i,) in conn.execute(
                    "SELECT rowid FROM spans_fts WHERE spans_fts MATCH ? "
                    f"ORDER BY bm25(spans_fts) LIMIT {DEPTH}",
                    (channel_filter(expr, said_shown_seen, CHANNELS),),
                )
            ]
            lists.append(_group(_span_moments(conn, sids), sids, videos))
        if "query" in chans:
            rows = conn.execute(
                "SELECT s.video_id FROM spans_fts f JOIN spans s ON s.id = f.rowid "
                f"WHERE spans_fts MATCH ? ORDER BY bm25(spans_fts) LIMIT {DEPTH}",
                (channel_filter(expr, {"query"}, CHANNELS),),
            ).fetchall()
            found = list(dict.fromkeys(int(v) for (v,) in rows if int(v) in videos))[:RESCORE]
            lists.append([[m] for m in _best_moment_per_video(conn, qvec, found)])
    if dense and chans & {"said", "shown"}:
        nearest = [i for i, _ in vectors.search(qvec, "text", DEPTH)]
        if nearest:
            span_of = dict(
                conn.execute(
                    f"SELECT id, ref FROM vectors WHERE id IN ({','.join('?' * len(nearest))})", nearest
                ).fetchall()
            )
            sids = [int(span_of[i]) for i in nearest if i in span_of]
            rows = _span_moments(conn, sids, chans & {"said", "shown"})
            lists.append(_group(rows, sids, videos))
    if dense and "seen" in chans:
        nearest = [i for i, _ in vectors.search(qvec, "frame", DEPTH)]
        if nearest:
            rows = conn.execute(
                f"SELECT id, ref, video_id FROM vectors WHERE id IN ({','.join('?' * len(nearest))})", nearest
            ).fetchall()
            lists.append(_group(rows, nearest, videos))

    fused: dict[int, float] = {}
    for ranked in lists:
        best: dict[int, int] = {}
        for rank, ms in enumerate(ranked):
            for m in ms:
                best.setdefault(m, rank)
        for m, rank in best.items():
            fused[m] = fused.get(m, 0.0) + 1.0 / (RRF_K + rank + 1)
    if not fused:
        return []
    top = sorted(fused, key=lambda m: -fused[m])[:RESCORE]
    cands = _rescore(conn, top, fused, query, qvec, chans)
    max_rrf = max(c.rrf for c in cands)
    merged = _merge([c for c in cands if c.relevance >= MIN_RELEVANCE], videos, max_rrf, fusion)
    return sorted(merged, key=lambda h: -h.score)[:k]


def _span_moments(
    conn: sqlite3.Connection, span_ids: list[int], channels: Collection[str] | None = None
) -> list[tuple[int, int, int]]:
    """(span, moment, video) for every moment each span overlaps (a span of length 0 counts as
    1 ms), by moment start; ``channels`` keeps only spans of those channels.

    A video's moments partition it (never overlap), so the first moment a span touches is the last one
    starting at or before the span: found by one index seek, the scan then runs to the span's end only
    (not from the video's first moment)."""
    if not span_ids:
        return []
    chan = sorted(channels) if channels is not None else []
    where = f" AND s.channel IN ({','.join('?' * len(chan))})" if chan else ""
    return conn.execute(
        "SELECT s.id, m.id, m.video_id FROM spans s JOIN moments m ON m.video_id = s.video_id "
        "AND m.start >= coalesce((SELECT p.start FROM moments p WHERE p.video_id = s.video_id "
        "AND p.start <= s.start ORDER BY p.start DESC LIMIT 1), -1e300) "
        "AND m.start < max(s.end, s.start + 0.001) AND m.end > s.start "
        f"WHERE s.id IN ({','.join('?' * len(span_ids))}){where} ORDER BY m.start",
        (*span_ids, *chan),
    ).fetchall()


def _group(rows: list[tuple[int, int, int]], order: list[int], videos: dict[int, str]) -> list[list[int]]:
    """(item, moment, video) rows -> per item, in ``order``: its moment ids, keeping only moments of
    ``videos``."""
    by_item: dict[int, list[int]] = {}
    for item, moment, video in rows:
        if int(video) in videos:
            by_item.setdefault(int(item), []).append(int(moment))
    return [by_item[i] for i in dict.fromkeys(order) if i in by_item]


def _best_moment_per_video(conn: sqlite3.Connection, qvec: np.ndarray, video_ids: list[int]) -> list[int]:
    """For each video (in order): its moment whose frame vector is closest to the query, else its first
    moment. One read for all of them (the caller passes at most ``RESCORE`` videos)."""
    if not video_ids:
        return []
    marks = ",".join("?" * len(video_ids))
    refs: dict[int, list[int]] = {}
    blobs: dict[int, list[bytes]] = {}
    for v, ref, vec in conn.execute(
        f"SELECT video_id, ref, vec FROM vectors WHERE kind = 'frame' AND video_id IN ({marks})", video_ids
    ):
        refs.setdefault(int(v), []).append(int(ref))
        blobs.setdefault(int(v), []).append(vec)
    bare = [v for v in video_ids if v not in blobs]  # no frame vectors: the first moment (SQLite's
    # bare column of a min() aggregate comes from the row holding the minimum)
    first = {
        int(v): int(m)
        for v, m, _ in conn.execute(
            f"SELECT video_id, id, min(start) FROM moments WHERE video_id IN ({','.join('?' * len(bare))}) "
            "GROUP BY video_id",
            bare,
        )
    }
    out: list[int] = []
    for v in video_ids:
        if v in blobs:
            sims = np.frombuffer(b"".join(blobs[v]), np.float16).reshape(len(blobs[v]), -1) @ qvec
            out.append(refs[v][int(np.argmax(sims))])
        elif v in first:
            out.append(int(first[v]))
    return out


def _rescore(
    conn: sqlite3.Connection,
    moments: list[int],
    rrf: dict[int, float],
    query: str,
    qvec: np.ndarray,
    chans: set[str],
) -> list[_Cand]:
    """Relevance and evidence of each moment from the channels in ``chans`` (module docstring, step 3)."""
    dense = not has_cjk(query)
    marks = ",".join("?" * len(moments))
    cands = {
        int(m): _Cand(int(m), int(v), float(a), float(b), rrf[int(m)])
        for m, v, a, b in conn.execute(
            f"SELECT id, video_id, start, end FROM moments WHERE id IN ({marks})", moments
        )
    }
    best: dict[int, dict[str, Evidence]] = {m: {} for m in cands}
    lex_cache: dict[str, float] = {}

    def lex(text: str) -> float:
        if text not in lex_cache:
            lex_cache[text] = lexical_overlap(query, text)
        return lex_cache[text]

    def offer(m: int, channel: str, text: str, rel: float) -> None:
        if rel > 0 and (channel not in best[m] or rel > best[m][channel].score):
            best[m][channel] = Evidence(_LABEL[channel], text, rel)

    rows = conn.execute(
        "SELECT m.id, s.channel, s.text, x.vec FROM moments m JOIN spans s ON s.video_id = m.video_id "
        "AND s.start < m.end AND s.end > m.start AND s.channel != 'query' "
        f"LEFT JOIN vectors x ON x.kind = 'text' AND x.ref = s.id WHERE m.id IN ({marks})",
        moments,
    ).fetchall()
    for m, channel, text, vec in rows:
        if channel not in chans:
            continue
        if vec is not None and dense and not has_cjk(text):
            rel = _calibrate(channel, float(unblob(vec) @ qvec) + LEXICAL * lex(text))
        else:
            rel = lex(text)
        offer(int(m), channel, snippet(text, query), rel)
    if dense and "seen" in chans:
        for m, labels, vec in conn.execute(
            "SELECT m.id, m.labels, x.vec FROM moments m JOIN vectors x ON x.kind = 'frame' AND x.ref = m.id "
            f"WHERE m.id IN ({marks}) AND m.labels != ''",
            moments,
        ):
            offer(int(m), "seen", labels, _calibrate("frame", float(unblob(vec) @ qvec)))
    if "query" in chans:
        vids = sorted({c.video for c in cands.values()})
        per_video: dict[int, list[str]] = {}
        vmarks = ",".join("?" * len(vids))
        for v, text in conn.execute(
            f"SELECT video_id, text FROM spans WHERE channel = 'query' AND video_id IN ({vmarks})", vids
        ):
            per_video.setdefault(int(v), []).append(text)
        for c in cands.values():
            for text in per_video.get(c.video, []):
                offer(c.moment, "query", text, VIDEO_LEVEL * lex(text))
    for m, c in cands.items():
        c.evidence = sorted(best[m].values(), key=lambda e: -e.score)
        c.relevance = max((e.score for e in c.evidence), default=0.0)
    return [cands[m] for m in moments if m in cands]


def _merge(cands: list[_Cand], videos: dict[int, str], max_rrf: float, fusion: str) -> list[Hit]:
    """Neighbouring candidate moments of a video become one hit (see module docstring, step 4).

    Seeds are taken best first; a seed takes in the candidate moments touching it on either side while
    their relevance is at least ``MERGE_SHARE`` of the seed's, so one strong moment does not swallow a
    whole video of weak ones."""

    def score(c: _Cand) -> float:
        rrf = c.rrf / max(max_rrf, 1e-12)
        return rrf if fusion == "rrf" else c.relevance if fusion == "relevance" else c.relevance + rrf

    by_video: dict[int, list[_Cand]] = {}
    for c in cands:
        by_video.setdefault(c.video, []).append(c)
    for items in by_video.values():
        items.sort(key=lambda c: c.start)
    used: set[int] = set()
    out: list[Hit] = []
    for seed in sorted(cands, key=lambda c: -score(c)):
        if seed.moment in used:
            continue
        row = by_video[seed.video]
        i = row.index(seed)
        lo = hi = i
        while (
            lo > 0
            and row[lo - 1].moment not in used
            and row[lo - 1].end >= row[lo].start - MERGE_GAP
            and row[lo - 1].relevance >= MERGE_SHARE * seed.relevance
        ):
            lo -= 1
        while (
            hi + 1 < len(row)
            and row[hi + 1].moment not in used
            and row[hi + 1].start <= row[hi].end + MERGE_GAP
            and row[hi + 1].relevance >= MERGE_SHARE * seed.relevance
        ):
            hi += 1
        group = row[lo : hi + 1]
        used.update(g.moment for g in group)
        ev: dict[tuple[str, str], Evidence] = {}
        for g in group:
            for e in g.evidence:
                key = (e.channel, e.text)
                if key not in ev or ev[key].score < e.score:
                    ev[key] = e
        evidence = sorted(ev.values(), key=lambda e: -e.score)[:4]
        out.append(
            Hit(
                videos[seed.video],
                group[0].start,
                group[-1].end,
                seed.relevance,
                score(seed),
                tuple(evidence),
                seed.video,
            )
        )
    return out
