"""``vidgist index --engine ray``: the library's incremental index with the analysis on an engine.

The library plans (stat skip, hash reuse on rename) and writes, in the driver, one transaction per
video as results arrive; ``EngineRunner`` only moves the analysis (``library.extract.Analyser``) into
the engine's workers. A driver killed mid-run loses only the videos in flight: the same command again
skips every video already written (the library's fingerprints).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

from vidgist.batch.engine import EngineSpec, Failure
from vidgist.batch.pool import open_pool
from vidgist.library import IndexReport, Library
from vidgist.library.records import FileStamp, VideoRecord


class AnalyseJob:
    """``run(stamp) -> VideoRecord`` with one ``Analyser`` (models load on the worker, once)."""

    def __init__(self, analyser: Any) -> None:
        self.analyser = analyser

    def run(self, stamp: FileStamp) -> VideoRecord:
        return self.analyser.analyse(stamp)  # type: ignore[no-any-return]


class EngineRunner:
    """A ``Library.index(runner=...)`` that analyses on ``spec``'s engine; ``pool`` is the live pool."""

    def __init__(self, spec: EngineSpec) -> None:
        self.spec = spec
        self.pool: Any = None

    def __call__(self, todo: list[FileStamp], analyser: Any) -> Iterator[VideoRecord]:
        pool = open_pool(self.spec, AnalyseJob(analyser), len(todo))
        self.pool = pool
        try:
            pool.check_readable([s.path for s in todo])
            for stamp, out in pool.map(todo):
                if isinstance(out, Failure):
                    # the three settings the library compares, without loading a model in the driver
                    a = analyser
                    settings = {"asr": a.asr_model, "ocr": a.ocr, "fps": a.summarizer.fps}
                    yield VideoRecord(stamp=stamp, reason=out.reason, settings=settings)
                else:
                    yield out
        finally:
            pool.close()


def index_on(
    lib: Library, spec: EngineSpec, paths: Sequence[str | os.PathLike[str]], **options: Any
) -> IndexReport:
    """``lib.index(paths, **options)`` with the analysis on ``spec`` (local: the library's own threads)."""
    if spec.kind == "local":
        return lib.index(paths, **options)
    return lib.index(paths, runner=EngineRunner(spec), **options)
