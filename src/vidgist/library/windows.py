"""The speech windows' vectors a library stores, so a search scores windows as ``vidgist summarize -q`` does.

``summarize.relevance`` scores every two neighbouring utterances joined (``speech_windows``) as well as
each one. Encoding every candidate video's windows at search time would cost seconds per query, so the
library encodes them at index time (``encoded``: the (text, vector) pairs of ``VideoRecord.windows``) and
a search reads them back with the span vectors (``moments.remember_span_vectors``).

A file written before schema version 4 holds videos without them: ``pending(conn)`` is True
until ``update(conn, progress)`` (run by ``vidgist index``) has encoded those videos' windows from their
stored evidence, committing each video with its place so an interrupted run goes on where it stopped.
Until then a search scores utterances alone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import numpy as np

from vidgist.library.moments import load_evidence
from vidgist.library.store import meta, set_meta, transaction, write_windows
from vidgist.summarize.relevance import speech_windows
from vidgist.types import TextSpan
from vidgist.util.progress import Progress

#: meta key of a file still waiting for its windows: the last video id done
PENDING = "windows_pending"


def encoded(spans: Sequence[TextSpan]) -> tuple[tuple[str, np.ndarray], ...]:
    """(text, unit vector in the relevance text model) of every distinct speech window of ``spans``;
    the text is whitespace-normalised, as the library stores span texts."""
    texts = list(dict.fromkeys(" ".join(w.text.split()) for w in speech_windows(spans)))
    if not texts:
        return ()
    from vidgist.backbones import relevance_text_encoder

    vecs = np.asarray(relevance_text_encoder()(texts), np.float64)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    return tuple(zip(texts, vecs, strict=True))


def pending(conn: sqlite3.Connection) -> bool:
    """True while some stored video has no window vectors yet (module docstring)."""
    return meta(conn, PENDING) is not None


def update(conn: sqlite3.Connection, progress: bool = False) -> int:
    """Encode the windows of every stored video that lacks them (module docstring); returns how many
    videos were done (0: nothing pending)."""
    mark = meta(conn, PENDING)
    if mark is None:
        return 0
    rows = conn.execute(
        "SELECT id, path FROM videos WHERE id > ? AND status = 'ok' ORDER BY id", (int(mark),)
    ).fetchall()
    with Progress(progress) as prog:
        task = prog.add("encoding the speech windows of stored videos", total=len(rows))
        for vid, path in rows:
            wins = encoded(load_evidence(conn, int(vid), str(path)).spans)
            with transaction(conn):
                write_windows(conn, int(vid), wins)
                set_meta(conn, PENDING, int(vid))
            prog.advance(task)
    with transaction(conn):
        conn.execute("DELETE FROM meta WHERE key = ?", (PENDING,))
    return len(rows)
