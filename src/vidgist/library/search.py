"""Hybrid search over the library: BM25 over text, dense search over text and frame vectors, fused.

``search(conn, vectors, encode, query, k, within)`` -> ``list[Hit]``, best first:

1. Candidate lists, each ranked: BM25 (FTS5) over the 'said'/'shown'/'seen' spans; BM25 over the
   'query' spans (the video's generated search queries); cosine over the text-span vectors; cosine over
   the moment (frame) vectors. Every list item points at moments: a span at the moments it overlaps, a
   generated query at the moment of its video whose frame or text vector is closest to the query.
2. Reciprocal rank fusion (Cormack et al. 2009): ``rrf(m) = sum_lists 1 / (RRF_K + rank of m's best item)``.
3. Relevance of each of the best ``RESCORE`` moments, from its own evidence: per overlapping span
   ``cos(span, query) + LEXICAL * share of the query's content words in the span`` (the zero-shot
   scorer's span rule) and, for the moment's frame vector, ``cos(frame, query)``; each mapped to [0, 1]
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
from vidgist.library.text import match_expression
from vidgist.library.vectors import VectorIndex
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
    return float(np.clip((x - lo) / (hi - lo), 0.0, 1.0))


def snippet(text: str, query: str, width: int = 90) -> str:
    """``text`` cut to about ``width`` characters around its first query word."""
    if len(text) <= width:
        return text
    low = text.lower()
    pos = min((low.find(w) for w in content_words(query) if low.find(w) >= 0), default=0)
    a = max(0, min(pos - width // 3, len(text) - width))
    return ("..." if a else "") + text[a : a + width].strip() + ("..." if a + width < len(text) else "")


def search(
    conn: sqlite3.Connection,
    vectors: VectorIndex,
    encode: Callable[[Sequence[str]], np.ndarray],
    query: str,
    k: int = 10,
    within: str | None = None,
    channels: Collection[str] | None = None,
) -> list[Hit]:
    """Ranked hits for ``query`` (see module docstring); ``within`` is a glob over video paths;
    ``channels`` limits the evidence searched (``CHANNELS``; frame vectors count as 'seen')."""
    videos = {
        int(i): str(p)
        for i, p in conn.execute("SELECT id, path FROM videos WHERE status = 'ok' AND deleted = 0")
    }
    if within:
        videos = {i: p for i, p in videos.items() if fnmatch.fnmatch(p, within)}
    if not videos:
        return []
    qvec = np.asarray(encode([query]), np.float32)[0]
    lists: list[list[list[int]]] = []  # per list, per rank: the moment ids it points at

    def moments_over(video: int, start: float, end: float) -> list[int]:
        return [
            int(r[0])
            for r in conn.execute(
                "SELECT id FROM moments WHERE video_id = ? AND start < ? AND end > ? ORDER BY start",
                (video, max(end, start + 1e-3), start),
            )
        ]

    chans = set(channels) if channels is not None else set(CHANNELS)
    expr = match_expression(query)
    if expr is not None:
        said_shown_seen = sorted(chans - {"query"})
        if said_shown_seen:
            rows = conn.execute(
                "SELECT s.video_id, s.start, s.end FROM spans_fts f JOIN spans s ON s.id = f.rowid "
                f"WHERE spans_fts MATCH ? AND s.channel IN ({','.join('?' * len(said_shown_seen))}) "
                "ORDER BY bm25(spans_fts) LIMIT ?",
                (expr, *said_shown_seen, DEPTH),
            ).fetchall()
            lists.append([moments_over(int(v), float(a), float(b)) for v, a, b in rows if int(v) in videos])
        if "query" in chans:
            rows = conn.execute(
                "SELECT s.video_id FROM spans_fts f JOIN spans s ON s.id = f.rowid "
                "WHERE spans_fts MATCH ? AND s.channel = 'query' ORDER BY bm25(spans_fts) LIMIT ?",
                (expr, DEPTH),
            ).fetchall()
            found = [int(v) for (v,) in rows if int(v) in videos]
            lists.append([[m] for m in _best_moment_per_video(conn, qvec, found)])
    for kind in ("text", "frame"):
        if kind == "frame" and "seen" not in chans or kind == "text" and not chans & {"said", "shown"}:
            continue
        nearest = vectors.search(qvec, kind, DEPTH)
        if not nearest:
            continue
        ids = [i for i, _ in nearest]
        ref = {
            int(i): (int(v), int(r))
            for i, v, r in conn.execute(
                f"SELECT id, video_id, ref FROM vectors WHERE id IN ({','.join('?' * len(ids))})", ids
            )
        }
        ranked_m: list[list[int]] = []
        for i, _ in nearest:
            if i not in ref or ref[i][0] not in videos:
                continue
            v, r = ref[i]
            if kind == "frame":
                ranked_m.append([r])
            else:
                row = conn.execute("SELECT channel, start, end FROM spans WHERE id = ?", (r,)).fetchone()
                if row[0] in chans:
                    ranked_m.append(moments_over(v, float(row[1]), float(row[2])))
        lists.append(ranked_m)

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
    cands = [_rescore(conn, m, fused[m], query, qvec, chans) for m in top]
    max_rrf = max(c.rrf for c in cands)
    merged = _merge([c for c in cands if c.relevance >= MIN_RELEVANCE], videos, max_rrf)
    return sorted(merged, key=lambda h: -h.score)[:k]


def _best_moment_per_video(conn: sqlite3.Connection, qvec: np.ndarray, video_ids: list[int]) -> list[int]:
    """For each video (in order, once): its moment whose frame vector is closest to the query."""
    out: list[int] = []
    for v in dict.fromkeys(video_ids):
        rows = conn.execute(
            "SELECT ref, vec FROM vectors WHERE video_id = ? AND kind = 'frame'", (v,)
        ).fetchall()
        if rows:
            sims = [float(unblob(b) @ qvec) for _, b in rows]
            out.append(int(rows[int(np.argmax(sims))][0]))
        else:
            row = conn.execute(
                "SELECT id FROM moments WHERE video_id = ? ORDER BY start LIMIT 1", (v,)
            ).fetchone()
            if row:
                out.append(int(row[0]))
    return out


def _rescore(
    conn: sqlite3.Connection, moment: int, rrf: float, query: str, qvec: np.ndarray, chans: set[str]
) -> _Cand:
    """The moment's relevance and evidence from the channels in ``chans`` (module docstring, step 3)."""
    vid, start, end, labels = conn.execute(
        "SELECT video_id, start, end, labels FROM moments WHERE id = ?", (moment,)
    ).fetchone()
    c = _Cand(moment, int(vid), float(start), float(end), rrf)
    vecs = {
        int(r): unblob(b)
        for r, b in conn.execute(
            "SELECT ref, vec FROM vectors WHERE video_id = ? AND kind = 'text' AND ref IN "
            "(SELECT id FROM spans WHERE video_id = ? AND start < ? AND end > ?)",
            (vid, vid, end, start),
        )
    }
    best: dict[str, Evidence] = {}

    def offer(channel: str, text: str, rel: float) -> None:
        if rel > 0 and (channel not in best or rel > best[channel].score):
            best[channel] = Evidence(_LABEL[channel], text, rel)

    for sid, channel, text in conn.execute(
        "SELECT id, channel, text FROM spans WHERE video_id = ? AND channel != 'query' "
        "AND start < ? AND end > ?",
        (vid, end, start),
    ):
        if channel not in chans:
            continue
        lex = lexical_overlap(query, text)
        rel = _calibrate(channel, float(vecs[sid] @ qvec) + LEXICAL * lex) if sid in vecs else float(lex)
        offer(channel, snippet(text, query), rel)
    frame = conn.execute("SELECT vec FROM vectors WHERE kind = 'frame' AND ref = ?", (moment,)).fetchone()
    if frame is not None and labels and "seen" in chans:
        offer("seen", labels, _calibrate("frame", float(unblob(frame[0]) @ qvec)))
    if "query" in chans:
        for (text,) in conn.execute(
            "SELECT text FROM spans WHERE video_id = ? AND channel = 'query'", (vid,)
        ):
            offer("query", text, VIDEO_LEVEL * lexical_overlap(query, text))
    c.evidence = sorted(best.values(), key=lambda e: -e.score)
    c.relevance = max((e.score for e in c.evidence), default=0.0)
    return c


def _merge(cands: list[_Cand], videos: dict[int, str], max_rrf: float) -> list[Hit]:
    """Neighbouring candidate moments of a video become one hit (see module docstring, step 4).

    Seeds are taken best first; a seed takes in the candidate moments touching it on either side while
    their relevance is at least ``MERGE_SHARE`` of the seed's, so one strong moment does not swallow a
    whole video of weak ones."""

    def score(c: _Cand) -> float:
        return c.relevance + c.rrf / max(max_rrf, 1e-12)

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
