"""``vidgist index --engine ray``: the library's incremental index with the analysis on an engine.

The library plans (stat skip, hash reuse on rename) and writes, in the driver, one transaction per
video as results arrive; ``EngineRunner`` only moves the analysis (``library.extract.Analyser``) into
the engine's workers. A driver killed mid-run loses only the videos in flight: the same command again
skips every video already written (the library's fingerprints).

Records are written in the order of the plan (the library's sorted walk), whatever order the workers
finish in: a finished video waits for the ones before it, so the library's row ids, and with them the
order of equally ranked search hits, are the same on every engine and worker count.
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
        # the three settings the library compares, without loading a model in the driver
        settings = {"asr": analyser.asr_model, "ocr": analyser.ocr, "fps": analyser.summarizer.fps}
        try:
            pool.check_readable([s.path for s in todo])
            yield from in_plan_order(todo, pool.map(todo), settings)
        finally:
            pool.close()


def in_plan_order(
    todo: list[FileStamp], done: Iterator[tuple[FileStamp, Any]], settings: dict[str, Any]
) -> Iterator[VideoRecord]:
    """The records of ``done`` (pairs in completion order) in the order of ``todo`` (module docstring)."""
    waiting: dict[int, VideoRecord] = {}
    position = {s: i for i, s in enumerate(todo)}  # FileStamp is frozen: equal stamps, one file
    nxt = 0
    for stamp, out in done:
        rec = (
            VideoRecord(stamp=stamp, reason=out.reason, settings=settings)
            if isinstance(out, Failure)
            else out
        )
        waiting[position[stamp]] = rec
        while nxt in waiting:
            yield waiting.pop(nxt)
            nxt += 1


def index_on(
    lib: Library, spec: EngineSpec, paths: Sequence[str | os.PathLike[str]], **options: Any
) -> IndexReport:
    """``lib.index(paths, **options)`` with the analysis on ``spec`` (local: the library's own threads)."""
    if spec.kind == "local":
        return lib.index(paths, **options)
    return lib.index(paths, runner=EngineRunner(spec), **options)
