"""The library behind ``/api/search``: one read-only ``vidgist.library.Library``, used from one thread.

``Library`` is not shared between threads (its SQLite connection and vector index belong to the thread
that opened them), so every call runs on this class's single worker thread, in order; the event loop
awaits it without blocking. The library is opened on first use, so a server without searches never
loads the text model. Video ids come from the library's own rows; a request's id is only compared
with them, and the file served is the path the library indexed.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from vidgist.serve.errors import NotFound

T = TypeVar("T")
_VIDEO_ID = re.compile(r"[0-9]{1,12}")


class Catalog:
    """Search hits, video files and moment thumbnails of the library at ``db``."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="vidgist-library")
        self._lib: Any = None

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(*args)`` on the library thread."""
        return await asyncio.wrap_future(self._pool.submit(fn, *args))

    def close(self) -> None:
        def shut() -> None:
            if self._lib is not None:
                self._lib.close()
                self._lib = None

        self._pool.submit(shut).result()
        self._pool.shutdown()

    @property
    def lib(self) -> Any:
        if self._lib is None:
            from vidgist.library import Library

            self._lib = Library(self.db, readonly=True)
        return self._lib

    # -- on the library thread ------------------------------------------------------------------------
    def search(self, query: str, k: int, weak: bool = False) -> dict[str, Any]:
        """``vidgist search --json``'s document, each hit with its ``video_id`` added."""
        hits = self.lib.search(query, k=k, weak=weak)
        return {"query": query, "hits": [{**h.to_json(), "video_id": int(h.video_id)} for h in hits]}

    def _video_id(self, video_id: str) -> int:
        if not _VIDEO_ID.fullmatch(video_id):
            raise NotFound(f"no library video {video_id[:64]!r}; use an id from /api/search")
        return int(video_id)

    def video_path(self, video_id: str) -> Path:
        """The indexed file of video ``video_id``; NotFound for an unknown id or a file gone since."""
        vid = self._video_id(video_id)
        path = self.lib.video_file(vid)
        if path is None:
            raise NotFound(f"no library video {vid}; use an id from /api/search")
        if not path.is_file():
            raise NotFound(f"library video {vid} is gone from {path.name}; re-index the library")
        return path

    def thumbnail(self, video_id: str, t: float) -> bytes:
        """The JPEG thumbnail of the moment of ``video_id`` nearest ``t`` seconds."""
        vid = self._video_id(video_id)
        if self.lib.video_file(vid) is None:
            raise NotFound(f"no library video {vid}; use an id from /api/search")
        jpeg = self.lib.thumbnail(vid, t)
        if jpeg is None:
            raise NotFound(f"library video {vid} has no thumbnails")
        return jpeg
