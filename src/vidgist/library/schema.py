"""The library's SQLite schema, its version, and the migrations that bring an older file up to date.

``open_db(path)`` opens (or creates) the library file in WAL mode with foreign keys on, and applies
every migration above the file's ``PRAGMA user_version`` in one transaction each, so a library written by
an older vidgist opens in a newer one. ``SCHEMA_VERSION`` is the version this code writes; a file from a
newer vidgist is refused with a clear message instead of being misread.

Tables (version 1):

- ``videos``: one row per file ever seen: path, size, mtime_ns, content hash (``fingerprint``), probe
  facts, ``status`` ('ok' or 'failed' with ``reason``; an 'ok' file's ``reason``: what its damage
  lost), ``deleted`` (file gone; hidden from search until
  it comes back or ``--prune`` drops it), the settings it was indexed with.
- ``moments``: the searchable pieces of a video (shots cut by KTS, split to at most ``MAX_MOMENT``
  seconds), with their frame labels and one JPEG thumbnail.
- ``spans``: text tied to a time range: channel 'said' (speech), 'shown' (on-screen text), 'seen'
  (frame labels) or 'query' (the video's generated search queries, whole video).
- ``spans_fts``: FTS5 over ``spans.tokens`` (BM25); rowid = ``spans.id``. Chinese text is stored
  jieba-segmented, so the default unicode61 tokenizer sees words.
- ``vectors``: float16 unit vectors in the text space, ``kind`` 'frame' (one per moment, the moment's
  mean frame) or 'text' (one per said/shown span); ``ref`` is the moment or span id.
- ``evidence`` (version 2): per video, the pipeline's evidence as npz bytes (``evidence_store``).
- (version 3) ``spans_fts.tokens`` end with the span's channel token (``text.channel_token``), so a
  search filters channels inside the full-text index.
- ``meta``: key/value (the vector generation counter that tells the vector index it is stale).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from vidgist.errors import InputError
from vidgist.library.text import CHANNEL_PREFIX

SCHEMA_VERSION = 3
#: the part of the library file read through a memory map (address space only, not memory)
MMAP_BYTES = 1 << 34

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE videos (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    duration REAL NOT NULL DEFAULT 0,
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    has_audio INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    reason TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    settings TEXT NOT NULL DEFAULT '{}',
    indexed_at REAL NOT NULL
);
CREATE INDEX videos_fingerprint ON videos (fingerprint);
CREATE TABLE moments (
    id INTEGER PRIMARY KEY,
    video_id INTEGER NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    start REAL NOT NULL,
    end REAL NOT NULL,
    labels TEXT NOT NULL DEFAULT '',
    thumb BLOB
);
CREATE INDEX moments_video ON moments (video_id, start);
CREATE TABLE spans (
    id INTEGER PRIMARY KEY,
    video_id INTEGER NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    channel TEXT NOT NULL CHECK (channel IN ('said', 'shown', 'seen', 'query')),
    start REAL NOT NULL,
    end REAL NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX spans_video ON spans (video_id, start);
CREATE VIRTUAL TABLE spans_fts USING fts5 (tokens, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE vectors (
    id INTEGER PRIMARY KEY,
    video_id INTEGER NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('frame', 'text')),
    ref INTEGER NOT NULL,
    vec BLOB NOT NULL
);
CREATE INDEX vectors_video ON vectors (video_id, kind);
CREATE INDEX vectors_ref ON vectors (kind, ref);
INSERT INTO meta (key, value) VALUES ('vector_generation', '0');
"""

# version 2: the pipeline's evidence per video (``evidence_store``), so `vidgist summarize` can reuse it
_V2 = """
CREATE TABLE evidence (
    video_id INTEGER PRIMARY KEY REFERENCES videos (id) ON DELETE CASCADE,
    data BLOB NOT NULL
);
"""

# version 3: the channel token at the end of every span's FTS tokens (``text.indexed_tokens``)
_V3 = f"""
UPDATE spans_fts SET tokens = tokens || ' {CHANNEL_PREFIX}' ||
    (SELECT channel FROM spans WHERE spans.id = spans_fts.rowid);
"""

#: SQL script i brings a file from version i to i + 1 (index 0: an empty file to version 1); each runs in
#: one transaction together with its ``user_version`` bump, so a crash leaves the old version or the new
MIGRATIONS: list[str] = [_V1, _V2, _V3]
assert len(MIGRATIONS) == SCHEMA_VERSION


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version written in the file (0 for a new file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def open_db(path: str | Path, readonly: bool = False) -> sqlite3.Connection:
    """Open the library at ``path`` (created with its folder when missing, unless ``readonly``).

    Applies pending migrations; raises InputError for a file that is not a vidgist library or
    comes from a newer vidgist.
    """
    p = Path(path).expanduser()
    if readonly and not p.is_file():
        raise InputError(f"{p}: no library there; build one with `vidgist index FOLDER --db {p}`")
    if not readonly:
        p.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(p, timeout=30.0, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        # reads through a memory map, not read() calls: a search touches a few hundred scattered pages
        # (measured at 1M moments: the span -> moment join 2.2 -> 1.6 ms CPU)
        conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        version = user_version(conn)
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{p}: not a vidgist library ({exc}); give another --db path") from None
    if version > SCHEMA_VERSION:
        conn.close()
        raise InputError(
            f"{p}: library schema version {version} is newer than this vidgist's "
            f"({SCHEMA_VERSION}); upgrade vidgist"
        )
    if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        conn.close()
        raise InputError(f"{p}: an SQLite file that is not a vidgist library; give another --db path")
    while version < SCHEMA_VERSION:
        conn.executescript(f"BEGIN; {MIGRATIONS[version]} PRAGMA user_version = {version + 1}; COMMIT;")
        version += 1
    return conn
