"""Candidate generation for library search: which videos and moments are worth scoring exactly.

``candidates(conn, vectors, texts, query, videos, channels) -> Candidates``. Four ranked lists, each a
named helper below; every list item points at moments:

- ``bm25_spans``: BM25 (FTS5) over the 'said' / 'shown' / 'seen' spans -> the moments each span overlaps;
- ``dense_spans``: cosine of the query to the text-span vectors (both in the relevance text model,
  ``texts.encode_relevance_texts``) -> the moments each span overlaps;
- ``dense_frames``: cosine of the query to the moment (frame) vectors (both in the backbone's text space,
  ``texts.encode_texts``);
- ``bm25_video_queries``: BM25 over the 'query' spans (each video's generated search queries). These
  describe a whole video, so they rank *videos* only (``Candidates.video_rank``), never moments.

The moment lists are fused by reciprocal rank fusion (Cormack et al. 2009),
``rrf(m) = sum_lists 1 / (RRF_K + rank of m's best item)``; the videos of the best fused moments,
then the videos the generated queries found, are the candidates the calibrated relevance scores
(``vidgist.library.moments``). Chinese text and Chinese queries skip the dense lists (the text model
reads English only: unrelated Chinese strings reach cosine 0.9 there).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from vidgist.library.text import channel_filter, has_cjk, match_expression
from vidgist.library.vectors import VectorIndex

CHANNELS = ("said", "shown", "seen", "query")
RRF_K = 60
#: items read from each list
DEPTH = 200
#: videos whose generated queries are read (video-level list)
VIDEO_DEPTH = 60


@dataclass
class Candidates:
    """Fused moment scores (``rrf``: moment id -> score), the moments' videos (``video_of``), and the
    videos ranked by their generated queries (``video_rank``: video id -> rank from 0)."""

    rrf: dict[int, float] = field(default_factory=dict)
    video_of: dict[int, int] = field(default_factory=dict)
    video_rank: dict[int, int] = field(default_factory=dict)

    def videos(self, limit: int) -> list[int]:
        """Up to ``limit`` videos: those of the best fused moments first, then the generated queries'."""
        order = sorted(self.rrf, key=lambda m: -self.rrf[m])
        out = list(dict.fromkeys(self.video_of[m] for m in order))[:limit]
        extra = sorted(self.video_rank, key=lambda v: self.video_rank[v])
        return list(dict.fromkeys(out + extra))[: limit + max(0, limit // 3)]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def span_moments(
    conn: sqlite3.Connection, span_ids: list[int], channels: Collection[str] | None = None
) -> list[tuple[int, int, int]]:
    """(span, moment, video) for every moment each span overlaps (a span of length 0 counts as
    1 ms), by moment start; ``channels`` keeps only spans of those channels.

    A video's moments partition it (never overlap), so the first moment a span touches is the last one
    starting at or before the span: found by one index seek, the scan then runs to the span's end only."""
    if not span_ids:
        return []
    chan = sorted(channels) if channels is not None else []
    where = f" AND s.channel IN ({_marks(len(chan))})" if chan else ""
    return conn.execute(
        "SELECT s.id, m.id, m.video_id FROM spans s JOIN moments m ON m.video_id = s.video_id "
        "AND m.start >= coalesce((SELECT p.start FROM moments p WHERE p.video_id = s.video_id "
        "AND p.start <= s.start ORDER BY p.start DESC LIMIT 1), -1e300) "
        "AND m.start < max(s.end, s.start + 0.001) AND m.end > s.start "
        f"WHERE s.id IN ({_marks(len(span_ids))}){where} ORDER BY m.start",
        (*span_ids, *chan),
    ).fetchall()


def group(
    rows: list[tuple[int, int, int]], order: list[int], videos: dict[int, str], video_of: dict[int, int]
) -> list[list[int]]:
    """(item, moment, video) rows -> per item, in ``order``: its moment ids, keeping only moments of
    ``videos`` (and noting each moment's video in ``video_of``)."""
    by_item: dict[int, list[int]] = {}
    for item, moment, video in rows:
        if int(video) in videos:
            by_item.setdefault(int(item), []).append(int(moment))
            video_of[int(moment)] = int(video)
    return [by_item[i] for i in dict.fromkeys(order) if i in by_item]


def bm25_spans(
    conn: sqlite3.Connection, expr: str, chans: set[str], videos: dict[int, str], video_of: dict[int, int]
) -> list[list[int]]:
    """BM25 over the spans of ``chans`` ('said', 'shown', 'seen'), best first, as moment lists."""
    sids = [
        int(i)
        for (i,) in conn.execute(
            f"SELECT rowid FROM spans_fts WHERE spans_fts MATCH ? ORDER BY bm25(spans_fts) LIMIT {DEPTH}",
            (channel_filter(expr, chans, CHANNELS),),
        )
    ]
    return group(span_moments(conn, sids), sids, videos, video_of)


def bm25_video_queries(conn: sqlite3.Connection, expr: str, videos: dict[int, str]) -> dict[int, int]:
    """Videos whose generated queries match ``expr`` by BM25: video id -> rank (best 0)."""
    rows = conn.execute(
        "SELECT s.video_id FROM spans_fts f JOIN spans s ON s.id = f.rowid "
        f"WHERE spans_fts MATCH ? ORDER BY bm25(spans_fts) LIMIT {DEPTH}",
        (channel_filter(expr, {"query"}, CHANNELS),),
    ).fetchall()
    found = list(dict.fromkeys(int(v) for (v,) in rows if int(v) in videos))[:VIDEO_DEPTH]
    return {v: i for i, v in enumerate(found)}


def _nearest(
    conn: sqlite3.Connection, vectors: VectorIndex, qvec: np.ndarray, kind: str
) -> tuple[list[int], dict[int, tuple[int, int]]]:
    """The ``kind`` vectors nearest the query vector, best first, and per vector its (ref, video)."""
    nearest = [i for i, _ in vectors.search(qvec, kind, DEPTH)]
    if not nearest:
        return [], {}
    rows = conn.execute(
        f"SELECT id, ref, video_id FROM vectors WHERE id IN ({_marks(len(nearest))})", nearest
    ).fetchall()
    return nearest, {int(i): (int(ref), int(v)) for i, ref, v in rows}


def dense_spans(
    conn: sqlite3.Connection,
    vectors: VectorIndex,
    qvec: np.ndarray,
    chans: set[str],
    videos: dict[int, str],
    video_of: dict[int, int],
) -> list[list[int]]:
    """The text spans (of ``chans``: 'said', 'shown') nearest the query vector, as moment lists."""
    nearest, ref = _nearest(conn, vectors, qvec, "text")
    sids = [ref[i][0] for i in nearest if i in ref]
    return group(span_moments(conn, sids, chans), sids, videos, video_of)


def dense_frames(
    conn: sqlite3.Connection,
    vectors: VectorIndex,
    qvec: np.ndarray,
    videos: dict[int, str],
    video_of: dict[int, int],
) -> list[list[int]]:
    """The moments whose frame vector is nearest the query vector, as one-moment lists."""
    nearest, ref = _nearest(conn, vectors, qvec, "frame")
    rows = [(i, *ref[i]) for i in nearest if i in ref]
    return group(rows, nearest, videos, video_of)


def fuse(lists: list[list[list[int]]]) -> dict[int, float]:
    """Reciprocal rank fusion of ranked moment lists (module docstring)."""
    fused: dict[int, float] = {}
    for ranked in lists:
        best: dict[int, int] = {}
        for rank, ms in enumerate(ranked):
            for m in ms:
                best.setdefault(m, rank)
        for m, rank in best.items():
            fused[m] = fused.get(m, 0.0) + 1.0 / (RRF_K + rank + 1)
    return fused


def candidates(
    conn: sqlite3.Connection,
    vectors: VectorIndex,
    texts: Any,
    query: str,
    videos: dict[int, str],
    chans: set[str],
    meanwhile: Callable[[Candidates], None] | None = None,
) -> Candidates:
    """The fused candidate moments and the video-level ranking for ``query`` (module docstring); ``texts``
    encodes the query (``moments.StoredTexts``). The query's relevance-model vector, the slowest step,
    is encoded on another thread while the BM25 lists and the frame list are read (ONNX Runtime and
    SQLite release the GIL) and ``meanwhile`` is called with the candidates those lists give (to read
    what the likely candidates need); the lists are fused in the same order either way."""
    out = Candidates()
    expr = match_expression(query)
    dense = not has_cjk(query)
    # the pool's thread is joined on leaving the block: no thread outlives the search that started it
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="vidgist-query") as aside:
        pending = (
            aside.submit(texts.encode_relevance_texts, [query])
            if dense and chans & {"said", "shown"}
            else None
        )
        bm25: list[list[list[int]]] = []
        frames: list[list[list[int]]] = []
        if expr is not None and chans - {"query"}:
            bm25.append(bm25_spans(conn, expr, chans - {"query"}, videos, out.video_of))
        if expr is not None and "query" in chans:
            out.video_rank = bm25_video_queries(conn, expr, videos)
        if dense and "seen" in chans:
            qframe = np.asarray(texts.encode_texts([query]), np.float32)[0]
            frames.append(dense_frames(conn, vectors, qframe, videos, out.video_of))
        spans: list[list[list[int]]] = []
        if pending is not None and meanwhile is not None:
            meanwhile(Candidates(fuse(bm25 + frames), out.video_of, out.video_rank))
        if pending is not None:
            qtext = np.asarray(pending.result(), np.float32)[0]
            spans.append(dense_spans(conn, vectors, qtext, chans & {"said", "shown"}, videos, out.video_of))
    out.rrf = fuse(bm25 + spans + frames)
    return out
