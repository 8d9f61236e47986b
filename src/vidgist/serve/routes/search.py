"""``/api/search`` and ``/api/videos/{id}/...``: the library (``--db``) behind the page's search tab.

Thin over ``vidgist.serve.catalog.Catalog`` (one read-only Library on its own thread).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response

from vidgist.serve.catalog import Catalog
from vidgist.serve.errors import ApiError, NotFound
from vidgist.serve.models import ERRORS, SearchResult

router = APIRouter(prefix="/api", tags=["search"], responses=ERRORS)


def _catalog(request: Request, video_id: str | None = None) -> Catalog:
    """The library; without one, 503 for a search and 404 for a video (no id can name one)."""
    catalog: Catalog | None = request.app.state.catalog
    if catalog is None and video_id is not None:
        raise NotFound(f"no library video {video_id[:64]!r}: this server has no library (--db)")
    if catalog is None:
        raise ApiError(
            "this server has no library: start it with --db FILE (build one with vidgist index)", 503
        )
    return catalog


@router.get("/search", response_model=SearchResult)
async def search(
    request: Request,
    q: Annotated[str, Query(max_length=500, description="What to find.")],
    k: Annotated[int, Query(ge=1, le=100, description="How many hits.")] = 10,
    weak: Annotated[bool, Query(description="Also list stretches under the no-match line.")] = False,
) -> SearchResult:
    """The library's matching stretches for ``q`` (the JSON of ``vidgist search --json``, plus
    ``video_id``); no hit when no stretch clears the no-match line."""
    catalog = _catalog(request)
    return SearchResult(**await catalog.run(catalog.search, q, k, weak))


@router.get("/videos/{video_id}/source", response_class=FileResponse)
async def video_source(video_id: str, request: Request) -> FileResponse:
    """The indexed video file of a hit (Range requests supported, so the player seeks to the hit)."""
    catalog = _catalog(request, video_id)
    path = await catalog.run(catalog.video_path, video_id)
    return FileResponse(path, media_type="video/webm" if path.suffix.lower() == ".webm" else "video/mp4")


@router.get("/videos/{video_id}/thumbnail")
async def video_thumbnail(
    video_id: str,
    request: Request,
    t: Annotated[float, Query(ge=0, description="Seconds into the video.")] = 0.0,
) -> Response:
    """A JPEG of the library's moment nearest ``t``."""
    catalog = _catalog(request, video_id)
    data = await catalog.run(catalog.thumbnail, video_id, t)
    return Response(data, media_type="image/jpeg", headers={"cache-control": "max-age=3600"})
