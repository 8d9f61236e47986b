"""The web page: ``/`` (index.html) and ``/static/app.js``, ``/static/app.css``, read from package data.

Only these three names are served (a fixed table, so no request path reaches the filesystem). The page's
defaults come from the Python API (``{{DEFAULT_BUDGET}}`` in index.html is
``vidgist.summarize.DEFAULT_BUDGET``).
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import Response

from vidgist.serve.errors import NotFound

router = APIRouter(include_in_schema=False)

_TYPES = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
    "chapters.js": "text/javascript; charset=utf-8",
}


def _asset(name: str, fill: dict[str, str] | None = None) -> Response:
    """The packaged file ``name``, with each ``{{KEY}}`` of ``fill`` replaced by its value."""
    if name not in _TYPES:
        raise NotFound(f"/static/{name[:64]}: not found")
    data = (resources.files("vidgist.serve") / "static" / name).read_bytes()
    for key, value in (fill or {}).items():
        data = data.replace(f"{{{{{key}}}}}".encode(), value.encode())
    return Response(data, media_type=_TYPES[name], headers={"cache-control": "no-cache"})


@router.get("/")
def index() -> Response:
    from vidgist.summarize import DEFAULT_BUDGET

    return _asset("index.html", {"DEFAULT_BUDGET": f"{DEFAULT_BUDGET:g}"})


@router.get("/static/{name}")
def static(name: str) -> Response:
    return _asset(name if name != "index.html" else "")
