"""The text model behind the library's 'said' and 'shown' vectors, and bringing an older file up to it.

The calibrated relevance compares a query with spoken and on-screen text in one model
(``vidgist.backbones.relevance_text_encoder``: all-mpnet-base-v2, ``TEXT_DIM`` dimensions), whichever
backbone sees the frames. The library stores every such span's vector in that model at index time and
names the model in ``meta`` ('text_model', 'text_dim'), so a search compares the query with the very
vectors ``vidgist summarize -q`` would compute. Frame vectors ('frame') stay in the backbone's text space.

A file whose text vectors come from another model (written before the library recorded one: the
backbone's own text model, e.g. all-MiniLM-L6-v2 with 384 dimensions) cannot be searched as it is:

- ``check(conn, path)`` raises ``InputError`` naming the file and the command that updates it;
- ``update(conn, progress)`` (``vidgist index``, which writes anyway) re-embeds the stored span texts in
  batches, no video decoded: each batch is committed with its place (meta 'text_reembed_after'), so an
  interrupted run goes on where it stopped; the last step records the model and moves
  ``vector_generation`` (the vector index rebuilds its text part). A file with no text vectors yet is
  simply marked.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np

from vidgist.errors import InputError
from vidgist.library.store import blob, bump_vector_generation, meta, set_meta, transaction
from vidgist.util.progress import Progress

#: the model name recorded in ``meta``; its vectors have ``TEXT_DIM`` dimensions
TEXT_MODEL = "all-mpnet-base-v2"
TEXT_DIM = 768
#: span texts re-embedded (and committed) at a time
BATCH = 256
_MARK = "text_reembed_after"


def stored_model(conn: sqlite3.Connection) -> str | None:
    """What the file's text vectors come from: None when they are ``TEXT_MODEL``'s or there are none, else
    a description of the other model ("all-MiniLM-L6-v2 (384 dimensions)", or "an older text model (384
    dimensions)" for a file that recorded none)."""
    name = meta(conn, "text_model")
    if name == TEXT_MODEL:
        return None
    row = conn.execute("SELECT length(vec) FROM vectors WHERE kind = 'text' LIMIT 1").fetchone()
    if row is None and name is None:
        return None
    dims = meta(conn, "text_dim") or (str(int(row[0]) // 2) if row else "?")
    return f"{name or 'an older text model'} ({dims} dimensions)"


def check(conn: sqlite3.Connection, path: str | Path) -> None:
    """Raise InputError when the file's text vectors are not ``TEXT_MODEL``'s (module docstring)."""
    old = stored_model(conn)
    if old is not None:
        n = conn.execute("SELECT count(*) FROM vectors WHERE kind = 'text'").fetchone()[0]
        raise InputError(
            f"{path}: its text vectors come from {old}, this version compares text with {TEXT_MODEL}; "
            f"run `vidgist index --db {path}` once (re-embeds its {n} stored texts, no video is decoded)"
        )


def update(conn: sqlite3.Connection, progress: bool = False) -> int:
    """Bring the file's text vectors to ``TEXT_MODEL`` (module docstring); returns how many were
    re-embedded (0: nothing to do)."""
    if stored_model(conn) is None:
        if meta(conn, "text_model") is None:
            with transaction(conn):
                set_meta(conn, "text_model", TEXT_MODEL)
                set_meta(conn, "text_dim", TEXT_DIM)
        return 0
    from vidgist.backbones import relevance_text_encoder

    encode = relevance_text_encoder()
    after = int(meta(conn, _MARK) or 0)
    total = conn.execute("SELECT count(*) FROM vectors WHERE kind = 'text' AND id > ?", (after,)).fetchone()[
        0
    ]
    done = 0
    with Progress(progress) as prog:
        task = prog.add(f"re-embedding stored texts with {TEXT_MODEL}", total=total)
        while True:
            rows = conn.execute(
                "SELECT x.id, s.text FROM vectors x JOIN spans s ON s.id = x.ref "
                f"WHERE x.kind = 'text' AND x.id > ? ORDER BY x.id LIMIT {BATCH}",
                (after,),
            ).fetchall()
            if not rows:
                break
            vecs = np.asarray(encode([" ".join(t.split()) for _, t in rows]), np.float64)
            vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
            after = int(rows[-1][0])
            with transaction(conn):
                conn.executemany(
                    "UPDATE vectors SET vec = ? WHERE id = ?",
                    [(blob(v), int(i)) for (i, _), v in zip(rows, vecs, strict=True)],
                )
                set_meta(conn, _MARK, after)
            done += len(rows)
            prog.advance(task, len(rows))
    with transaction(conn):
        set_meta(conn, "text_model", TEXT_MODEL)
        set_meta(conn, "text_dim", TEXT_DIM)
        conn.execute("DELETE FROM meta WHERE key = ?", (_MARK,))
        bump_vector_generation(conn)
    return done
