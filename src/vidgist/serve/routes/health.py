"""``GET /api/health``."""

from __future__ import annotations

from fastapi import APIRouter

from vidgist.serve.models import Health
from vidgist.version import __version__

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health", response_model=Health)
def health() -> Health:
    """The server answers; its vidgist version."""
    return Health(version=__version__)
