"""Whole collections on an engine: this process (``local``) or a Ray cluster (``ray[:ADDRESS]``).

``index_on(lib, parse_engine("ray"), paths)`` indexes into the library with the analysis in Ray actors;
``summarize_collection(paths, outdir, spec, ...)`` writes one summary folder per video and
``batch.json``. Layout: ``engine`` (spec, local pool, failures), ``pool`` (choose a pool), ``raypool``
(actors, retries, timeouts), ``index`` (library runner), ``summarize`` (batch summaries, resume file).
"""

from __future__ import annotations

from vidgist.batch.engine import EngineSpec, Failure, parse_engine
from vidgist.batch.index import EngineRunner, index_on
from vidgist.batch.summarize import BatchReport, summarize_collection

__all__ = [
    "EngineSpec",
    "Failure",
    "parse_engine",
    "EngineRunner",
    "index_on",
    "BatchReport",
    "summarize_collection",
]
