"""``/api/search`` and ``/api/videos/{id}/source``: the library (``--db``) behind the page's search tab."""

from __future__ import annotations

from fastapi import APIRouter, Request

from vidgist.serve.config import ServeConfig
from vidgist.serve.errors import ApiError
from vidgist.serve.models import ERRORS

router = APIRouter(prefix="/api", tags=["search"], responses=ERRORS)


def _db(request: Request) -> object:
    config: ServeConfig = request.app.state.config
    if config.db is None:
        raise ApiError("this server has no library: start it with --db FILE (see vidgist index)", 503)
    return config.db
