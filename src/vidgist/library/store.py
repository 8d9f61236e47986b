"""The one writer: puts ``VideoRecord``s into the library, one transaction per video.

Every function that changes the file runs inside ``transaction(conn)`` (BEGIN IMMEDIATE ... COMMIT), so
a kill at any moment leaves either the old rows of a video or all of its new ones, never part of them.
Deleting a video's rows bumps ``meta.vector_generation`` (the vector index rebuilds then); adding rows
does not (the index only appends the new vector ids).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from vidgist.library.records import FileStamp, VideoRecord
from vidgist.library.text import indexed_tokens


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on any exception)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@dataclass(frozen=True)
class KnownFile:
    """What the library holds about a path."""

    id: int
    size: int
    mtime_ns: int
    fingerprint: str
    status: str
    deleted: bool
    settings: str


def lookup(conn: sqlite3.Connection, path: str) -> KnownFile | None:
    row = conn.execute(
        "SELECT id, size, mtime_ns, fingerprint, status, deleted, settings FROM videos WHERE path = ?",
        (path,),
    ).fetchone()
    return KnownFile(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6]) if row else None


def gone_with_fingerprint(conn: sqlite3.Connection, fingerprint: str) -> list[tuple[int, str]]:
    """(id, path) of indexed videos with this content hash (the caller checks which paths are gone)."""
    return [
        (int(i), str(p))
        for i, p in conn.execute(
            "SELECT id, path FROM videos WHERE fingerprint = ? AND status = 'ok'", (fingerprint,)
        )
    ]


def _delete_rows(conn: sqlite3.Connection, video_id: int) -> None:
    conn.execute(
        "DELETE FROM spans_fts WHERE rowid IN (SELECT id FROM spans WHERE video_id = ?)", (video_id,)
    )
    n_vec = conn.execute("SELECT count(*) FROM vectors WHERE video_id = ?", (video_id,)).fetchone()[0]
    conn.execute("DELETE FROM videos WHERE id = ?", (video_id,))  # moments, spans, vectors cascade
    if n_vec:
        bump_vector_generation(conn)


def meta(conn: sqlite3.Connection, key: str) -> str | None:
    """The library's ``meta`` value for ``key`` (None when unset)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_meta(conn: sqlite3.Connection, key: str, value: object) -> None:
    """Set ``meta[key]`` (inside the caller's transaction)."""
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, str(value)))


def bump_vector_generation(conn: sqlite3.Connection) -> None:
    """Mark the stored vectors changed: the vector index rebuilds on its next use (``vectors``)."""
    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'vector_generation'")


def write(conn: sqlite3.Connection, rec: VideoRecord) -> int:
    """Replace whatever the library holds for ``rec.stamp.path`` with ``rec``; returns the video id."""
    s = rec.stamp
    with transaction(conn):
        old = conn.execute("SELECT id FROM videos WHERE path = ?", (s.path,)).fetchone()
        if old:
            _delete_rows(conn, int(old[0]))
        cur = conn.execute(
            "INSERT INTO videos (path, size, mtime_ns, fingerprint, duration, width, height, has_audio, "
            "status, reason, settings, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                s.path,
                s.size,
                s.mtime_ns,
                s.fingerprint,
                rec.duration,
                rec.width,
                rec.height,
                int(rec.has_audio),
                "ok" if rec.ok else "failed",
                rec.reason or rec.warning,  # an indexed file's reason: what its damage lost
                json.dumps(rec.settings, sort_keys=True),
                time.time(),
            ),
        )
        vid = int(cur.lastrowid or 0)
        vec_rows: list[tuple[int, str, int, bytes]] = []
        for m in rec.moments:
            mid = conn.execute(
                "INSERT INTO moments (video_id, start, end, labels, thumb) VALUES (?, ?, ?, ?, ?)",
                (vid, m.start, m.end, m.labels, m.thumb),
            ).lastrowid
            if m.vector is not None:
                vec_rows.append((vid, "frame", int(mid or 0), blob(m.vector)))
        for sp in rec.spans:
            sid = conn.execute(
                "INSERT INTO spans (video_id, channel, start, end, text) VALUES (?, ?, ?, ?, ?)",
                (vid, sp.channel, sp.start, sp.end, sp.text),
            ).lastrowid
            fts = indexed_tokens(sp.text, sp.channel)
            conn.execute("INSERT INTO spans_fts (rowid, tokens) VALUES (?, ?)", (sid, fts))
            if sp.vector is not None:
                vec_rows.append((vid, "text", int(sid or 0), blob(sp.vector)))
        conn.executemany("INSERT INTO vectors (video_id, kind, ref, vec) VALUES (?, ?, ?, ?)", vec_rows)
        if rec.evidence is not None:
            conn.execute("INSERT INTO evidence (video_id, data) VALUES (?, ?)", (vid, rec.evidence))
    return vid


def move(conn: sqlite3.Connection, video_id: int, stamp: FileStamp) -> None:
    """Point an indexed video's rows at its new path (a renamed or moved file): nothing is decoded."""
    with transaction(conn):
        conn.execute("DELETE FROM videos WHERE path = ? AND id != ?", (stamp.path, video_id))
        conn.execute(
            "UPDATE videos SET path = ?, size = ?, mtime_ns = ?, deleted = 0 WHERE id = ?",
            (stamp.path, stamp.size, stamp.mtime_ns, video_id),
        )


def touch(conn: sqlite3.Connection, video_id: int, stamp: FileStamp) -> None:
    """Same content, new mtime (e.g. copied back): refresh the stat key, keep the rows."""
    with transaction(conn):
        conn.execute(
            "UPDATE videos SET size = ?, mtime_ns = ?, deleted = 0 WHERE id = ?",
            (stamp.size, stamp.mtime_ns, video_id),
        )


def set_deleted(conn: sqlite3.Connection, ids: Sequence[int], deleted: bool = True) -> None:
    with transaction(conn):
        conn.executemany("UPDATE videos SET deleted = ? WHERE id = ?", [(int(deleted), i) for i in ids])


def remove(conn: sqlite3.Connection, ids: Sequence[int]) -> None:
    """Drop the rows of these videos (``--prune``, ``library remove``)."""
    with transaction(conn):
        for i in ids:
            _delete_rows(conn, int(i))


def blob(v: np.ndarray) -> bytes:
    """A vector as stored: float16 bytes (``unblob`` reads it back)."""
    return np.asarray(v, dtype=np.float16).tobytes()


def unblob(b: bytes) -> np.ndarray:
    """A stored vector as float32."""
    return np.frombuffer(b, dtype=np.float16).astype(np.float32)
