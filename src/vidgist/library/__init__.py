"""The searchable video library: index folders once, then find moments across every video.

``Library(db).index(paths)``, ``Library(db).search(query, k) -> list[Hit]``; see ``library.py``.
Layout: ``schema`` (SQLite tables, version, migrations), ``fingerprint`` (stat key, content hash),
``records`` (rows of one video), ``extract`` (one video -> rows), ``store`` (the one writer),
``text`` (FTS tokens, Chinese segmentation), ``vectors`` (nearest neighbours), ``candidates`` (BM25,
vectors, fusion), ``moments`` (calibrated relevance, matching stretches), ``search`` (hits).
"""

from __future__ import annotations

from vidgist.library.library import IndexReport, Library, LibraryStats, VideoEntry, default_db_path
from vidgist.library.search import Hit, Reason

__all__ = ["Library", "IndexReport", "LibraryStats", "VideoEntry", "Hit", "Reason", "default_db_path"]
