"""Text embeddings kept on disk between processes: an SQLite file in the cache folder, one row per text.

``lookup`` returns the vectors a file already holds, ``keep`` adds new ones. Keys are a hash of the text,
so the file holds no text. A file that is not a database is replaced; one that cannot be opened, read or
written is simply not used (the caller computes the vectors again); past ``MAX_ROWS`` rows the oldest are
dropped. Several processes may share
the file (SQLite's own locking, a short busy timeout).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

#: rows kept per file (about 1.5 KiB each for 384 float32 dimensions)
MAX_ROWS = 200_000
_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vec BLOB NOT NULL)"


def _key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


def _open(path: Path, retry: bool = True) -> sqlite3.Connection | None:
    """The file's connection, with its table; a file that is not a database is replaced once."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=2.0)
    except (OSError, sqlite3.Error):
        return None
    try:
        conn.execute(_SCHEMA)
        return conn
    except sqlite3.DatabaseError as exc:
        conn.close()
        if retry and "not a database" in str(exc):
            path.unlink(missing_ok=True)
            return _open(path, retry=False)
        return None


def lookup(path: Path, texts: Sequence[str], dim: int) -> dict[str, np.ndarray]:
    """The vectors of ``texts`` the file at ``path`` holds (float32, ``dim`` wide), by text."""
    conn = _open(path)
    if conn is None or not texts:
        return {}
    keys = {_key(t): t for t in texts}
    found: dict[str, np.ndarray] = {}
    try:
        with conn:
            listed = list(keys)
            for i in range(0, len(listed), 500):
                part = listed[i : i + 500]
                marks = ",".join("?" * len(part))
                for key, vec in conn.execute(f"SELECT key, vec FROM vectors WHERE key IN ({marks})", part):
                    row = np.frombuffer(vec, np.float32)
                    if row.size == dim:
                        found[keys[bytes(key)]] = row.copy()
    except sqlite3.Error:
        return {}
    finally:
        conn.close()
    return found


def keep(path: Path, texts: Sequence[str], vectors: np.ndarray) -> None:
    """Add each text's vector (rows of ``vectors``) to the file at ``path``; errors are ignored."""
    conn = _open(path)
    if conn is None or not texts:
        return
    rows = [(_key(t), np.asarray(v, np.float32).tobytes()) for t, v in zip(texts, vectors, strict=True)]
    try:
        with conn:
            conn.executemany("INSERT OR IGNORE INTO vectors (key, vec) VALUES (?, ?)", rows)
            last = conn.execute("SELECT max(rowid) FROM vectors").fetchone()[0] or 0
            if last > MAX_ROWS:
                conn.execute("DELETE FROM vectors WHERE rowid <= ?", (last - MAX_ROWS,))
    except sqlite3.Error:
        pass
    finally:
        conn.close()
