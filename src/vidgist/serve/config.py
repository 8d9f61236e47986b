"""The server's settings: one frozen dataclass the app factory and the job workers read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: the default upload limit: 2 GB
DEFAULT_MAX_UPLOAD = 2 * 1000**3


@dataclass(frozen=True)
class ServeConfig:
    """``data``: folder for jobs, uploads and outputs (created); ``db``: the library database searched by
    ``/api/search`` (None: no library); ``token``: required on every request when set; ``max_upload``:
    bytes per uploaded video; ``workers``: jobs run at once; ``summarize``: options passed to
    ``vidgist.summarize.pipeline.Summarizer`` by the job worker (e.g. ``{"asr": False}``)."""

    data: Path
    db: Path | None = None
    token: str | None = None
    max_upload: int = DEFAULT_MAX_UPLOAD
    workers: int = 1
    summarize: dict[str, object] = field(default_factory=dict)
