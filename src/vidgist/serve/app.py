"""The app factory: ``create_app(config)`` -> a FastAPI app holding its own state (no module globals).

``app.state.config`` is the ServeConfig, ``app.state.jobs`` the JobManager (its worker threads start and
stop with the app's lifespan) and ``app.state.catalog`` the library (None without ``--db``); two apps in
one process never share jobs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from vidgist.serve.config import ServeConfig
from vidgist.version import __version__


def create_app(config: ServeConfig) -> Any:
    """Build the app for ``config`` (the data folder is created here)."""
    from fastapi import FastAPI

    from vidgist.serve.auth import TokenAuth
    from vidgist.serve.catalog import Catalog
    from vidgist.serve.errors import install_handlers
    from vidgist.serve.jobs import JobManager
    from vidgist.serve.routes import health, page, search, summaries

    config.data.mkdir(parents=True, exist_ok=True)
    jobs = JobManager(config.data, config.workers)
    catalog = Catalog(config.db) if config.db is not None else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        jobs.start()
        try:
            yield
        finally:
            jobs.close()
            if catalog is not None:
                catalog.close()

    app = FastAPI(
        title="vidgist",
        version=__version__,
        lifespan=lifespan,
        description="Query-focused video summaries and library search, offline on a CPU.",
    )
    app.state.config = config
    app.state.jobs = jobs
    app.state.catalog = catalog
    install_handlers(app)
    for module in (health, summaries, search, page):
        app.include_router(module.router)
    if config.token:
        app.add_middleware(TokenAuth, token=config.token)
    return app
