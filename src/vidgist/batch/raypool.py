"""Per-video work in Ray Core actors: each actor loads the models once, the driver hands out videos.

Why Core actors and not Ray Data ``map_batches``: a video is one long, uneven unit of work (seconds to
hours), the results go to one writer in the driver as they arrive, and each video needs its own
timeout and retry count. A driver-side loop over actors gives exactly that with no Arrow/pandas
dependency (plain ``ray``, no ``ray[data]``), and no streaming executor that can stall when the actors
hold every CPU of a small machine.

The loop (``RayPool.map``): every idle actor gets the next video; ``ray.wait`` returns finished ones.
- a result -> yielded; the item's own error (InputError in the worker) -> ``Failure``, not retried;
- the actor's process or node died (``RayActorError``, ``NodeDiedError``, ...) -> the video goes back
  to the queue (at most ``retries`` times) and a replacement actor is started; Ray places it on any
  node with a free CPU, and it gets work only once it answers a ping (a lost node does not stall us);
- a video over ``timeout`` seconds -> its actor is killed and replaced, the video is a ``Failure``;
- a ModelError in a worker stops the run (as it does locally).

A Ray instance started here (``--engine ray``) binds 127.0.0.1 only, has no dashboard, a 256 MB
object store, usage statistics off and token authentication (a fresh random token unless
``RAY_AUTH_TOKEN`` is set); it is shut down by ``close``. ``ray:auto`` / ``ray:ray://HOST:PORT`` join a
running cluster and leave it running.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any

from vidgist.batch.engine import LOCAL_OBJECT_STORE, EngineSpec, Failure, check_readable_here, cpu_count
from vidgist.errors import InputError, ModelError, VidgistError

#: seconds to wait for a first actor to start before giving up with a clear error
START_TIMEOUT = 300.0


def _local_env(spec: EngineSpec) -> None:
    """Environment of a Ray instance started here: no usage reports, token auth, no RAY_ADDRESS."""
    import sys

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if spec.address is not None or ("ray" in sys.modules and sys.modules["ray"].is_initialized()):
        return
    os.environ.pop("RAY_ADDRESS", None)
    os.environ.setdefault("RAY_AUTH_MODE", "token")
    if os.environ["RAY_AUTH_MODE"] == "token":
        os.environ.setdefault("RAY_AUTH_TOKEN", secrets.token_hex(32))
    if "ray" in sys.modules:  # Ray read its configuration on import: read it again
        from ray._raylet import Config  # type: ignore[attr-defined]

        Config.initialize("")


def start_local_ray(num_cpus: int | None = None) -> None:
    """``ray.init`` of a Ray instance on this machine: 127.0.0.1 only, no dashboard, small object store."""
    from vidgist.batch.engine import EngineSpec

    _local_env(EngineSpec("ray"))
    import ray

    ray.init(
        address="local",
        num_cpus=num_cpus or cpu_count(),
        include_dashboard=False,
        object_store_memory=LOCAL_OBJECT_STORE,
        _node_ip_address="127.0.0.1",
        log_to_driver=False,
        logging_level=logging.ERROR,
    )


def pool_size(cluster_cpus: float, threads: int, n_items: int | None, started_here: bool) -> int:
    """Actors to start: ``floor((CPUs - reserve) / threads)``, at least 1, at most one per video.

    ``reserve`` is 1 CPU on a Ray instance started here (the driver, Ray's GCS and raylet share that
    machine: on 2 CPUs this gives one worker, not two that starve everything else), 0 on a cluster."""
    reserve = 1.0 if started_here else 0.0
    n = int((cluster_cpus - reserve) // max(threads, 1))
    n = max(1, n)
    return min(n, n_items) if n_items else n


#: settings of the driver's environment a worker takes over (on a cluster, workers do not inherit it)
FORWARDED_ENV = ("VIDGIST_ASR_COMPUTE", "VIDGIST_ENGINE")


def forwarded_env() -> dict[str, str]:
    """The driver's values of FORWARDED_ENV that are set."""
    return {k: os.environ[k] for k in FORWARDED_ENV if os.environ.get(k)}


class _Worker:
    """One Ray actor: holds the job (and so its models) for its lifetime."""

    def __init__(self, job: Any, threads: int, env: dict[str, str] | None = None) -> None:
        os.environ.update(env or {})
        os.environ["OMP_NUM_THREADS"] = str(threads)
        try:
            import torch

            torch.set_num_threads(threads)
        except ImportError:  # pragma: no cover - torch is a core dependency
            pass
        self.job = job

    def ready(self) -> tuple[str, int]:
        import ray

        return ray.get_runtime_context().get_node_id(), os.getpid()

    def check(self, paths: list[str]) -> list[str]:
        return check_readable_here(paths)

    def peak_rss(self) -> int:
        """This worker's peak resident memory in bytes."""
        import resource

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024

    def run(self, item: Any) -> Any:
        from vidgist.batch.engine import run_one

        return run_one(self.job, item)


class RayPool:
    """Actors running ``job.run`` on the Ray engine ``spec`` (see module docstring)."""

    def __init__(self, spec: EngineSpec, job: Any, n_items: int | None = None) -> None:
        _local_env(spec)  # before Ray reads its configuration
        import ray

        self.spec = spec
        self.job = job
        self.started_here = False
        self.lost = 0  # videos sent again because their worker died
        self.worker_peaks: list[int] = []  # peak RSS (bytes) of each worker alive at ``close``
        self.nodes: dict[Any, tuple[str, int]] = {}  # actor id -> (node id, pid), once it answered
        self._idle: list[Any] = []
        self._starting: dict[Any, Any] = {}  # ping ref -> actor
        self._inflight: dict[Any, tuple[Any, Any, int, float]] = {}  # ref -> (actor, item, tries, t0)
        if not ray.is_initialized():
            self._init(spec)
        cpus = float(ray.cluster_resources().get("CPU", 0))
        if cpus < spec.threads:
            self.close()
            raise InputError(f"the Ray cluster has {cpus:g} CPUs, fewer than --threads {spec.threads}")
        self.workers = spec.workers or pool_size(cpus, spec.threads, n_items, self.started_here)
        self._cls: Any = ray.remote(_Worker)
        for _ in range(self.workers):
            self._spawn()

    # -- lifecycle --------------------------------------------------------------------------------
    def _init(self, spec: EngineSpec) -> None:
        import ray

        if spec.address is None:
            start_local_ray()
            self.started_here = True
        else:
            try:
                ray.init(address=spec.address, log_to_driver=False, logging_level=logging.ERROR)
            except (ConnectionError, RuntimeError, ValueError) as err:
                raise InputError(
                    f"--engine ray:{spec.address}: cannot join the Ray cluster ({err}); "
                    "check the address and that `ray status` works there"
                ) from err

    def close(self) -> None:
        """Stop the actors; shut Ray down if it was started here."""
        import ray

        if not ray.is_initialized():
            return
        try:
            self.worker_peaks = ray.get([a.peak_rss.remote() for a in self._idle], timeout=30)
        except ray.exceptions.RayError:
            pass
        for actor in [*self._idle, *self._starting.values(), *(a for a, *_ in self._inflight.values())]:
            try:
                ray.kill(actor, no_restart=True)
            except Exception:  # noqa: BLE001 - the actor may be gone with its node
                pass
        self._idle, self._starting, self._inflight = [], {}, {}
        if self.started_here:
            ray.shutdown()

    def _spawn(self) -> None:
        actor: Any = self._cls.options(num_cpus=self.spec.threads, max_restarts=0).remote(
            self.job, self.spec.threads, forwarded_env()
        )
        self._starting[actor.ready.remote()] = actor

    def _await_start(self, want: int) -> None:
        """Block until ``want`` actors answered (or none can start within START_TIMEOUT)."""
        import ray

        deadline = time.monotonic() + START_TIMEOUT
        while len(self._idle) < want and self._starting:
            left = deadline - time.monotonic()
            if left <= 0:
                if self._idle:
                    return
                raise VidgistError(
                    f"no Ray worker started within {START_TIMEOUT:.0f} s; check "
                    "`ray status` for free CPUs and that vidgist is installed on every node"
                )
            ready, _ = ray.wait(list(self._starting), num_returns=1, timeout=min(left, 5.0))
            for ref in ready:
                self._started(ref)

    def _started(self, ref: Any) -> None:
        import ray

        actor = self._starting.pop(ref)
        try:
            node, pid = ray.get(ref)
        except ray.exceptions.RayError:
            return  # died while starting (its node went away); the pool shrinks by one
        self.nodes[actor._actor_id] = (node, pid)
        self._idle.append(actor)

    # -- work -------------------------------------------------------------------------------------
    def check_readable(self, paths: Sequence[str]) -> None:
        """Raise InputError naming the first path a worker node cannot read (one check per node)."""
        import ray

        self._await_start(self.workers)
        by_node: dict[str, Any] = {}
        for actor in self._idle:
            by_node.setdefault(self.nodes[actor._actor_id][0], actor)
        results = ray.get([a.check.remote(list(paths)) for a in by_node.values()])
        for node, bad in zip(by_node, results, strict=True):
            if bad:
                raise InputError(
                    f"{bad[0]}: not readable by the Ray worker on node {node[:12]}; every worker must see "
                    "the videos at the same path (shared filesystem or object-storage mount)"
                )

    def in_flight(self) -> list[tuple[Any, str, int]]:
        """(item, node id, worker pid) of every video being worked on now."""
        return [(item, *self.nodes[a._actor_id]) for a, item, _, _ in self._inflight.values()]

    def map(self, items: Sequence[Any]) -> Iterator[tuple[Any, Any]]:
        """``(item, job.run(item) or Failure)`` for every item, in completion order (module docstring)."""
        import ray

        queue: deque[tuple[Any, int]] = deque((it, 0) for it in items)
        if queue:
            self._await_start(1)
        while queue or self._inflight:
            while self._idle and queue:
                actor = self._idle.pop()
                item, tries = queue.popleft()
                self._inflight[actor.run.remote(item)] = (actor, item, tries, time.monotonic())
            if not self._inflight:  # every actor was lost: wait for a replacement, or give up
                if not self._starting:
                    self._spawn()
                self._await_start(1)  # VidgistError when none starts within START_TIMEOUT
                continue
            refs = [*self._inflight, *self._starting]
            ready, _ = ray.wait(refs, num_returns=1, timeout=1.0)
            for ref in ready:
                if ref in self._starting:
                    self._started(ref)
                    continue
                actor, item, tries, _t0 = self._inflight.pop(ref)
                outcome = self._collect(ref, actor, item, tries, queue)
                if outcome is not None:
                    yield item, outcome
            yield from self._expire()

    def _collect(self, ref: Any, actor: Any, item: Any, tries: int, queue: deque[tuple[Any, int]]) -> Any:
        import ray

        try:
            result = ray.get(ref)
        except ray.exceptions.RayTaskError as err:  # raised by the job itself: the video's own fault
            self._idle.append(actor)
            cause = getattr(err, "cause", None)
            if isinstance(cause, ModelError):
                raise cause from None
            return Failure(f"{type(cause).__name__ if cause else 'error'}: {cause or err}", tries + 1)
        except ray.exceptions.RayError as err:  # the worker process or its node died
            self.lost += 1
            self._spawn()
            if tries + 1 > self.spec.retries:
                return Failure(
                    f"worker lost {tries + 1} times while on this video ({type(err).__name__})", tries + 1
                )
            queue.appendleft((item, tries + 1))
            return None
        self._idle.append(actor)
        return result

    def _expire(self) -> Iterator[tuple[Any, Any]]:
        import ray

        now = time.monotonic()
        for ref, (actor, item, tries, t0) in list(self._inflight.items()):
            if now - t0 > self.spec.timeout:
                del self._inflight[ref]
                ray.kill(actor, no_restart=True)
                self._spawn()
                yield item, Failure(f"timed out after {self.spec.timeout:g} s (--timeout)", tries + 1)
