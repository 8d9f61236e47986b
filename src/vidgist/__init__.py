"""vidgist: find the gist of a video.

Public API: ``Summarizer`` (query-focused summaries), ``QueryGenerator`` (search-query
suggestions for micro-videos), ``load_backbone``. Heavy imports happen lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Summarizer", "QueryGenerator", "load_backbone", "__version__"]

if TYPE_CHECKING:
    from vidgist.backbones import load_backbone
    from vidgist.pipeline import Summarizer
    from vidgist.query import QueryGenerator


def __getattr__(name: str) -> Any:
    if name == "Summarizer":
        from vidgist.pipeline import Summarizer

        return Summarizer
    if name == "QueryGenerator":
        from vidgist.query import QueryGenerator

        return QueryGenerator
    if name == "load_backbone":
        from vidgist.backbones import load_backbone

        return load_backbone
    raise AttributeError(name)
