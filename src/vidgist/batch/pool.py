"""``open_pool(spec, job, n_items)``: the pool of the engine ``spec`` names (``engine.Pool``)."""

from __future__ import annotations

from typing import Any

from vidgist.batch.engine import EngineSpec, LocalPool, Pool


def open_pool(spec: EngineSpec, job: Any, n_items: int | None = None) -> Pool:
    """A pool for ``job`` on the engine ``spec`` (``n_items`` caps the number of workers)."""
    if spec.kind == "local":
        return LocalPool(job)
    from vidgist.batch.raypool import RayPool

    return RayPool(spec, job, n_items)
