"""Nearest-neighbour search over the library's vectors (cosine on unit vectors), exact or approximate.

The vectors live in SQLite (``vectors`` table, float16): the file stays the only truth and a kill never
leaves two stores out of step. This module keeps a search structure per kind ('frame', 'text'):

- up to ``EXACT_MAX`` vectors: the float32 matrix in memory, exact brute force (numpy);
- above: a FAISS IVF index with 8-bit scalar quantisation (``nlist = 4 sqrt(n)`` lists, at most
  ``MAX_LISTS``, ``NPROBE`` probed), saved beside the library as ``<db>.<kind>.faiss`` (npz: the
  index and its stamp in one file). It is a cache: when the stamp's ``vector_generation`` differs
  from the file's (rows were deleted) it is rebuilt; when only rows were added it appends the ids
  above its stamp. Appends are saved only once they reach ``RESAVE_SHARE`` of the saved index (and on
  ``flush``), not after each search that finds a few new rows: re-serialising a million-vector index
  takes seconds, while appending the rows above the stamp on the next load is cheap. A folder that
  cannot be written keeps the index in memory only (``writable=False`` asks for that). Chosen by measurement
  (``benchmarks/bench_library.py`` prints the alternatives
  side by side; Python's sqlite3 here cannot load extensions, so sqlite-vec's ``MATCH`` form is not
  available in-process).

Threads: one search is one query vector, too little work to share between cores, and on a busy machine
a second thread only waits for a core (and OpenMP/OpenBLAS threads spin while they wait). So a search
runs on the calling thread alone: the exact product with ``np.einsum`` (no BLAS threads) and FAISS with
``omp_set_num_threads(1)``; only building the IVF index (k-means) uses every core.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.util.atomic import atomic_path

EXACT_MAX = 65_536
NPROBE = 16
TRAIN_MAX = 40_000
#: at most this many IVF lists: k-means training stays within a minute on 2 cores at 1M vectors
MAX_LISTS = 1024
#: rows appended since the last save, as a share of the saved index, that make ``refresh`` save again
RESAVE_SHARE = 0.10


def change_stamp(conn: sqlite3.Connection) -> tuple[int, int]:
    """What changes whenever the library file changes: (``PRAGMA data_version``, which moves when another
    connection commits; ``total_changes``, which moves when this one writes). Caches of the file's rows
    compare it with the stamp they were read at."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0]), conn.total_changes


def generation(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT value FROM meta WHERE key = 'vector_generation'").fetchone()[0])


def load_rows(conn: sqlite3.Connection, kind: str, after: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(ids int64 (n,), float32 (n, d)) of the ``kind`` vectors with id > ``after``, by id."""
    rows = conn.execute(
        "SELECT id, vec FROM vectors WHERE kind = ? AND id > ? ORDER BY id", (kind, after)
    ).fetchall()
    if not rows:
        return np.zeros(0, np.int64), np.zeros((0, 0), np.float32)
    ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    mat = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float16).reshape(len(rows), -1)
    return ids, mat.astype(np.float32)


@dataclass
class _Part:
    generation: int = -1
    max_id: int = 0
    ids: np.ndarray | None = None
    mat: np.ndarray | None = None
    ivf: Any = None
    seen: tuple[int, int] = (-1, -1)  # ``change_stamp`` at the last refresh
    saved: int = 0  # rows in the index file's copy (0: none saved by this process)


class VectorIndex:
    """``search(query, kind, k) -> [(vector id, cosine)]``; ``db_path`` None keeps nothing on disk;
    ``writable=False`` reads a saved index but never writes one. ``Library`` writes it even when the
    library file is opened read-only (the cache is not the library; searches open it read-only)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        db_path: Path | None,
        exact_max: int = EXACT_MAX,
        writable: bool = True,
    ) -> None:
        self.conn = conn
        self.db_path = db_path
        self.exact_max = exact_max
        self.writable = writable
        self._parts: dict[str, _Part] = {}

    def _file(self, kind: str) -> Path | None:
        return None if self.db_path is None else self.db_path.with_name(f"{self.db_path.name}.{kind}.faiss")

    def refresh(self, kind: str) -> _Part:
        """Bring the ``kind`` structure up to date with the file (see module docstring)."""
        part = self._parts.setdefault(kind, _Part())
        key = change_stamp(self.conn)
        if part.seen == key:
            return part  # nobody wrote to the file since the last look
        part.seen = key
        gen = generation(self.conn)
        if part.generation != gen:
            self._parts[kind] = part = _Part(generation=gen, seen=key)
            self._load_ivf(kind, part)
        ids, mat = load_rows(self.conn, kind, part.max_id)
        if len(ids):
            part.max_id = int(ids[-1])
            if part.ivf is not None:
                part.ivf.add_with_ids(mat, ids)
                if part.ivf.ntotal - part.saved >= RESAVE_SHARE * max(part.saved, 1):
                    self._save_ivf(kind, part)
            else:
                part.ids = ids if part.ids is None else np.concatenate([part.ids, ids])
                part.mat = mat if part.mat is None else np.concatenate([part.mat, mat])
                if len(part.ids) > self.exact_max:
                    self._build_ivf(part)
                    self._save_ivf(kind, part)
        return part

    def search(self, query: np.ndarray, kind: str, k: int) -> list[tuple[int, float]]:
        part = self.refresh(kind)
        q = np.asarray(query, np.float32).reshape(1, -1)
        if part.ivf is not None:
            import faiss

            faiss.omp_set_num_threads(1)  # see module docstring: one query, one thread
            scores, ids = part.ivf.search(q, k)
            return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
        if part.mat is None or not len(part.mat):
            return []
        sims = np.einsum("ij,j->i", part.mat, q[0])  # not BLAS: no threads (see module docstring)
        k = min(k, len(sims))
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.argsort(-sims[top], kind="stable")]
        assert part.ids is not None
        return [(int(part.ids[i]), float(sims[i])) for i in top]

    # -- the approximate index ------------------------------------------------------------------
    def _build_ivf(self, part: _Part) -> None:
        import faiss

        assert part.mat is not None and part.ids is not None
        n, d = part.mat.shape
        nlist = int(min(MAX_LISTS, max(16, 4 * np.sqrt(n))))
        quantizer = faiss.IndexFlatIP(d)
        ivf = faiss.IndexIVFScalarQuantizer(
            quantizer, d, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        rng = np.random.default_rng(0)
        sample = part.mat[rng.choice(n, min(n, max(TRAIN_MAX, 40 * nlist)), replace=False)]
        faiss.omp_set_num_threads(os.cpu_count() or 1)
        try:
            ivf.train(sample)
            ivf.add_with_ids(part.mat, part.ids)
        finally:
            faiss.omp_set_num_threads(1)
        ivf.nprobe = NPROBE
        part.ivf, part.mat, part.ids = ivf, None, None

    def flush(self) -> None:
        """Save every index with rows appended since its last save (``Library.close`` calls this)."""
        for kind, part in self._parts.items():
            if part.ivf is not None and part.ivf.ntotal != part.saved:
                self._save_ivf(kind, part)

    def _save_ivf(self, kind: str, part: _Part) -> None:
        """Write the index and its stamp into one file (atomically), so they can never disagree; a
        folder that cannot be written leaves the index in memory only (it is a cache)."""
        path = self._file(kind)
        if path is None or part.ivf is None or not self.writable:
            return
        import faiss

        try:
            with atomic_path(path, suffix=".npz") as tmp, open(tmp, "wb") as f:
                np.savez(
                    f,
                    index=faiss.serialize_index(part.ivf),
                    stamp=np.array([part.generation, part.max_id], np.int64),
                )
        except OSError:
            return
        part.saved = int(part.ivf.ntotal)

    def _load_ivf(self, kind: str, part: _Part) -> bool:
        path = self._file(kind)
        if path is None or not path.is_file():
            return False
        import faiss

        try:
            with np.load(path, allow_pickle=False) as z:
                gen, max_id = (int(x) for x in z["stamp"])
                if gen != part.generation:
                    return False
                ivf = faiss.deserialize_index(z["index"])
        except (OSError, ValueError, KeyError, RuntimeError):
            return False  # a damaged cache: rebuilt from the library
        faiss.extract_index_ivf(ivf).nprobe = NPROBE
        part.ivf, part.max_id, part.saved = ivf, max_id, int(ivf.ntotal)
        return True
