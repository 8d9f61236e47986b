"""Where per-video work runs: in this process (``local``) or in Ray actors (``ray[:ADDRESS]``).

``parse_engine("ray:auto")`` -> ``EngineSpec``; ``pool.open_pool(spec, job)`` -> a pool whose
``map(items)`` yields ``(item, result)`` in completion order, ``result`` being ``job.run(item)`` or a
``Failure`` (the item's own fault, a timeout, or a worker lost more often than ``retries`` allows).
A job is any picklable object with ``run(item)``; it loads its models on first use, so each worker
loads them once. Only the caller (the driver) writes results anywhere shared, such as the SQLite library.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from vidgist.errors import InputError, ModelError
from vidgist.util.ranges import check_range

#: seconds one video may take in a worker before it is recorded as failed (``--timeout``)
DEFAULT_TIMEOUT = 3600.0
#: times a video is sent again after its worker process or node died under it
DEFAULT_RETRIES = 2
#: object store of a Ray instance started here (bytes): per-video results are small rows
LOCAL_OBJECT_STORE = 256 * 1024 * 1024


@dataclass(frozen=True)
class EngineSpec:
    """``kind`` 'local' | 'ray'; ``address`` None (start a local Ray), 'auto' or 'ray://HOST:PORT'."""

    kind: str
    address: str | None = None
    workers: int | None = None  # None: sized from the cluster (``sizing.pool_size``)
    threads: int = 1  # CPU threads (and Ray CPUs claimed) per worker
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES


@dataclass(frozen=True)
class Failure:
    """A video that did not produce a result, and why (one line)."""

    reason: str
    attempts: int = 1


class Pool(Protocol):
    workers: int

    def map(self, items: Sequence[Any]) -> Iterator[tuple[Any, Any]]: ...

    def check_readable(self, paths: Sequence[str]) -> None: ...

    def close(self) -> None: ...


def parse_engine(text: str, **options: Any) -> EngineSpec:
    """'local' | 'ray' | 'ray:auto' | 'ray:ray://HOST:PORT' | 'ray:HOST:PORT' -> EngineSpec."""
    raw = (text or "").strip()
    kind, _, address = raw.partition(":")
    kind = kind.lower()
    if kind not in ("local", "ray") or (kind == "local" and address):
        raise InputError(
            f"--engine {text}: use local, ray (a Ray instance on this machine), ray:auto or "
            "ray:ray://HOST:PORT (an existing cluster)"
        )
    workers = options.get("workers")
    check_range("--workers", workers, 1, low_inclusive=True, noun="integer", integer=True)
    threads = options.get("threads")
    threads = 1 if threads is None else threads  # not given: 1; 0 is refused, not taken for "not given"
    check_range("--threads", threads, 1, low_inclusive=True, noun="integer", integer=True)
    threads = int(threads)
    timeout = options.get("timeout")
    timeout = DEFAULT_TIMEOUT if timeout is None else float(timeout)
    if not timeout > 0:  # by hand: inf (no timeout) is allowed, check_range refuses non-finite values
        raise InputError(f"--timeout {timeout:g}: must be a positive number of seconds")
    retries = int(options.get("retries", DEFAULT_RETRIES))
    check_range("--retries", retries, 0, low_inclusive=True, noun="integer", integer=True)
    return EngineSpec(kind, address or None, workers, threads, timeout, retries)


def check_readable_here(paths: Sequence[str]) -> list[str]:
    """The paths this process cannot open for reading."""
    bad = []
    for p in paths:
        try:
            with open(p, "rb") as f:
                f.read(1)
        except OSError:
            bad.append(p)
    return bad


class LocalPool:
    """The job in this process, one item at a time (timeouts are not enforced here)."""

    def __init__(self, job: Any) -> None:
        self.job = job
        self.workers = 1

    def map(self, items: Sequence[Any]) -> Iterator[tuple[Any, Any]]:
        for item in items:
            yield item, run_one(self.job, item)

    def check_readable(self, paths: Sequence[str]) -> None:
        bad = check_readable_here(paths)
        if bad:
            raise InputError(f"{bad[0]}: cannot read the file; check permissions")

    def close(self) -> None:
        pass


def run_one(job: Any, item: Any) -> Any:
    """``job.run(item)``; the item's own problem (InputError) becomes a Failure, a model error stops."""
    try:
        return job.run(item)
    except ModelError:
        raise
    except InputError as err:
        return Failure(str(err))


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
