"""File identity for incremental indexing: a cheap stat key and a content hash that survives renames.

``stat_key(path) -> (size, mtime_ns)``: a file whose key is unchanged is not read again (rclip's rule).
``content_hash(path)``: BLAKE2b over the size and three 1 MiB samples (start, middle, end). Reading
whole multi-gigabyte videos to notice a rename would cost as much as decoding them; container headers
and the sampled bytes differ between any two real encodes, so equal hashes mean the same file in practice.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

SAMPLE = 1 << 20


def stat_key(path: str | os.PathLike[str]) -> tuple[int, int]:
    """(size in bytes, mtime in nanoseconds)."""
    st = os.stat(path)
    return int(st.st_size), int(st.st_mtime_ns)


def content_hash(path: str | os.PathLike[str]) -> str:
    """Hex BLAKE2b-128 of the size and up to three 1 MiB samples of the file (see module docstring)."""
    p = Path(path)
    size = p.stat().st_size
    h = hashlib.blake2b(digest_size=16)
    h.update(str(size).encode())
    with open(p, "rb") as f:
        offsets = [0] if size <= 3 * SAMPLE else [0, size // 2 - SAMPLE // 2, size - SAMPLE]
        for off in offsets:
            f.seek(off)
            h.update(f.read(SAMPLE if len(offsets) > 1 else size))
    return h.hexdigest()
