"""One BLAS thread while a search runs.

A search multiplies small matrices: one query vector against a video's few hundred frame or sentence
vectors, or against the relevance's bank of 1000 labels. OpenBLAS splits such a product over its threads,
and when the cores are busy (the query encoder's own threads, another process) those threads wait for
each other: the 1000 x 768 label-bank product took 12 ms on two threads against 0.3 ms on one at load
average 5, eight times per search. On one thread each output element is still one dot product computed
in the same order, so the values are the same bits.

``one_blas_thread()`` limits every BLAS library loaded in the process to one thread while any search of
the process runs (counted, so searches overlapping in threads restore the original limits only when the
last one ends). Other threads of the process get one BLAS thread meanwhile too: slower, same values.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_active = 0
_limiter: Any = None
_controller: Any = None

__all__ = ["one_blas_thread"]


def _limit() -> Any:
    """Every loaded BLAS limited to one thread; the handle that restores the limits (None without
    threadpoolctl)."""
    global _controller
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - a dependency of the install; without it searches are slower
        return None
    if _controller is None:
        _controller = ThreadpoolController()  # ~0.4 ms: which BLAS libraries are loaded, once per process
    return _controller.limit(limits=1, user_api="blas")


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with one BLAS thread (module docstring)."""
    global _active, _limiter
    with _lock:
        if _active == 0:
            _limiter = _limit()
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _limiter is not None:
                _limiter.restore_original_limits()
                _limiter = None
