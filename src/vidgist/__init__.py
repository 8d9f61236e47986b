"""vidgist: find the gist of a video.

Public API: ``Summarizer`` (query-focused summaries), ``QueryGenerator`` (search-query
suggestions for micro-videos), ``Library`` (index videos once, search moments across them),
``load_backbone``. Heavy imports happen lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vidgist.version import __version__

__all__ = ["Summarizer", "QueryGenerator", "Library", "load_backbone", "__version__"]

if TYPE_CHECKING:
    from vidgist.backbones import load_backbone
    from vidgist.library import Library
    from vidgist.qms.query import QueryGenerator
    from vidgist.summarize.pipeline import Summarizer


def __getattr__(name: str) -> Any:
    if name == "Summarizer":
        from vidgist.summarize.pipeline import Summarizer

        return Summarizer
    if name == "QueryGenerator":
        from vidgist.qms.query import QueryGenerator

        return QueryGenerator
    if name == "Library":
        from vidgist.library import Library

        return Library
    if name == "load_backbone":
        from vidgist.backbones import load_backbone

        return load_backbone
    raise AttributeError(name)
