"""The HTTP API and the web page of ``vidgist serve`` (FastAPI; imported only when serving).

``create_app(ServeConfig(data=...))`` builds the app: an app factory that holds its state (job manager,
library path) on ``app.state``, one router per resource (``routes/``), typed request and response models
(``models``), a job queue whose workers run each summary in a child process (``jobs``, ``worker``),
streamed uploads with a size limit (``uploads``), token auth (``auth``) and JSON errors (``errors``).
Request paths never reach the filesystem: every file is found from an id the server generated.
"""

from __future__ import annotations

from vidgist.serve.config import ServeConfig

__all__ = ["ServeConfig", "create_app"]


def create_app(config: ServeConfig):  # type: ignore[no-untyped-def]  # fastapi is imported lazily
    """The FastAPI app for ``config`` (see ``vidgist.serve.app``)."""
    from vidgist.serve.app import create_app as _create

    return _create(config)
