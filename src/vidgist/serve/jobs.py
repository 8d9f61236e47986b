"""Summary jobs: records on disk, a FIFO queue, worker threads, cancel.

Each job lives in ``DATA/jobs/<id>/``: ``job.json`` (the record), ``source<.ext>`` (the upload), ``out/``
(summary.json, summary.mp4, scores.png, thumbs/) once done, ``worker.log`` (the child's stderr). ``<id>`` is
32 hex digits the server generates; a request's id is only ever looked up in the manager's table, never
joined to a path. ``workers`` threads take jobs in order and run each in a child process
(``python -m vidgist.serve.worker JOBDIR``) that reports ``{"stage", "progress"}`` lines on stdout, so a job
never blocks the server (nor its GIL) and cancel is killing that process. A cancelled job keeps only
``job.json``. On start, jobs found ``running`` are marked failed with the reason (their process died with the
previous server) and ``queued`` ones are queued again.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from vidgist.serve.errors import ApiError, NotFound
from vidgist.util.atomic import write_json

#: a job id as the server makes them (uuid4 hex)
ID_PATTERN = re.compile(r"[0-9a-f]{32}")
FINISHED = ("done", "failed", "cancelled")
#: the outputs a client may fetch, by name: (path inside the job folder, media type)
OUTPUTS = {
    "video": ("out/summary.mp4", "video/mp4"),
    "scores.png": ("out/scores.png", "image/png"),
    "summary.json": ("out/summary.json", "application/json"),
}
#: seconds between two writes of job.json while only the progress moves
PERSIST_EVERY = 1.0
STOPPED = "the server stopped while this job was running; upload the video again"


@dataclass
class Job:
    """One summary request and its state; ``to_dict`` is what ``job.json`` holds."""

    id: str
    filename: str  # the client's file name, for display only
    source: str  # the upload's file name inside the job folder (server-made)
    queries: list[str] | None
    budget: float | None
    max_seconds: float | None
    fill: bool = False  # with queries: fill the budget even with moments under the relevance threshold
    chapter_count: int | None = None  # chapters from speech cut into this many; None: found
    spoken_transitions: bool = False  # chapters from speech may start on a spoken "Next, ..."
    options: dict[str, Any] = field(default_factory=dict)
    status: str = "queued"
    stage: str = "queued"
    progress: float = 0.0
    error: str | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None
    cancel_requested: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("cancel_requested")
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Job:
        names = cls.__dataclass_fields__.keys()
        return cls(**{k: v for k, v in d.items() if k in names})


def new_id() -> str:
    """A fresh job id: 32 random hex digits."""
    return uuid.uuid4().hex


class JobManager:
    """The job table, its queue and its worker threads (see module docstring)."""

    def __init__(self, data: Path, workers: int = 1) -> None:
        self.root = Path(data) / "jobs"
        self.root.mkdir(parents=True, exist_ok=True)
        self.workers = max(1, int(workers))
        self._jobs: dict[str, Job] = {}
        self._procs: dict[str, subprocess.Popen[str]] = {}
        self._ended: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._closing = False

    # -- life cycle -------------------------------------------------------------------------------------
    def start(self) -> None:
        """Load the jobs on disk (recovering interrupted ones) and start the worker threads."""
        for record in sorted(self.root.glob("*/job.json")):
            if not ID_PATTERN.fullmatch(record.parent.name):
                continue
            try:
                job = Job.from_dict(json.loads(record.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                continue  # a foreign or damaged record: not ours to serve
            if job.id != record.parent.name:
                continue
            if job.status == "running":
                job.status, job.error, job.finished = "failed", STOPPED, time.time()
                self._remove_outputs(job.id)
            self._jobs[job.id] = job
            self._persist(job)
            if job.status == "queued":
                self._ended[job.id] = threading.Event()
                self._queue.put(job.id)
        for i in range(self.workers):
            t = threading.Thread(target=self._work, name=f"vidgist-job-worker-{i}", daemon=True)
            t.start()
            self._threads.append(t)

    def close(self) -> None:
        """Stop the workers; a running job is killed and marked failed (the server is stopping)."""
        with self._lock:
            self._closing = True
            running = list(self._procs.items())
        for _ in self._threads:
            self._queue.put(None)
        for _job_id, proc in running:
            _kill(proc)
        for t in self._threads:
            t.join(timeout=10)
        self._threads.clear()

    # -- the table --------------------------------------------------------------------------------------
    def new_folder(self) -> tuple[str, Path]:
        """A fresh id and its (new, empty) job folder, for an upload to be streamed into."""
        job_id = new_id()
        folder = self.root / job_id
        folder.mkdir()
        return job_id, folder

    def discard_folder(self, job_id: str) -> None:
        """Remove the folder of an upload that never became a job."""
        if ID_PATTERN.fullmatch(job_id) and job_id not in self._jobs:
            shutil.rmtree(self.root / job_id, ignore_errors=True)

    def submit(self, job: Job) -> None:
        """Record ``job`` (its folder holds the upload) and queue it."""
        with self._lock:
            self._jobs[job.id] = job
            self._ended[job.id] = threading.Event()
            self._persist(job)
        self._queue.put(job.id)

    def get(self, job_id: str) -> Job:
        """A copy of the job ``job_id``; NotFound for an unknown or malformed id."""
        with self._lock:
            job = self._jobs.get(job_id) if ID_PATTERN.fullmatch(job_id) else None
            if job is None:
                raise NotFound(f"no summary job {job_id[:64]!r}; check the id")
            return Job.from_dict(job.to_dict())

    def folder(self, job_id: str) -> Path:
        """The folder of a known job (NotFound otherwise); built from the stored id, not the request."""
        return self.root / self.get(job_id).id

    def output(self, job_id: str, name: str) -> Path:
        """The path of output ``name`` (an ``OUTPUTS`` key) of a finished job; NotFound if absent."""
        job = self.get(job_id)
        rel = OUTPUTS.get(name)
        path = self.root / job.id / rel[0] if rel is not None else None
        if path is None or job.status != "done" or not path.is_file():
            raise NotFound(f"summary job {job.id} has no {name} (status {job.status})")
        return path

    def source(self, job_id: str) -> Path:
        """The uploaded video of a job; NotFound once it is gone (cancelled jobs keep nothing)."""
        job = self.get(job_id)
        path = self.root / job.id / job.source
        if not path.is_file():
            raise NotFound(f"summary job {job.id} has no source video any more (status {job.status})")
        return path

    def thumbnail(self, job_id: str, index: str) -> Path:
        """Thumbnail ``index`` (decimal digits) of a done job's segments; NotFound otherwise."""
        job = self.get(job_id)
        path = self.root / job.id / "out" / "thumbs" / f"{int(index)}.jpg" if index.isdigit() else None
        if path is None or len(index) > 5 or job.status != "done" or not path.is_file():
            raise NotFound(f"summary job {job.id} has no thumbnail {index[:16]!r}")
        return path

    def result(self, job_id: str) -> dict[str, Any] | None:
        """The summary.json document of a done job, else None."""
        try:
            return dict(json.loads(self.output(job_id, "summary.json").read_text(encoding="utf-8")))
        except NotFound:
            return None

    def list(self) -> list[Job]:
        """All jobs, newest first."""
        with self._lock:
            jobs = [Job.from_dict(j.to_dict()) for j in self._jobs.values()]
        return sorted(jobs, key=lambda j: -j.created)

    # -- cancel -----------------------------------------------------------------------------------------
    def cancel(self, job_id: str, wait: float = 15.0) -> Job:
        """Cancel a queued or running job (its files are removed, ``job.json`` stays, status cancelled);
        a finished job is deleted with its files. Waits up to ``wait`` s for a running job to stop."""
        with self._lock:
            job = self._jobs.get(job_id) if ID_PATTERN.fullmatch(job_id) else None
            if job is None:
                raise NotFound(f"no summary job {job_id[:64]!r}; check the id")
            if job.status in FINISHED:
                del self._jobs[job.id]
                self._ended.pop(job.id, None)
                shutil.rmtree(self.root / job.id, ignore_errors=True)
                return Job.from_dict(job.to_dict())
            job.cancel_requested = True
            if job.status == "queued":
                self._end(job, "cancelled", None)
            proc = self._procs.get(job.id)
            ended = self._ended.get(job.id)
        if proc is not None:
            _kill(proc)
        if ended is not None and not ended.wait(wait):
            raise ApiError(f"summary job {job_id} did not stop within {wait:.0f} s; try again", 503)
        return self.get(job_id)

    # -- workers ----------------------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            job_id = self._queue.get()
            if job_id is None:
                return
            with self._lock:
                job = self._jobs.get(job_id)
                if job is None or job.status != "queued" or self._closing:
                    continue
                job.status, job.stage, job.progress = "running", "starting", 0.0
                self._persist(job)
                folder = self.root / job.id
                log = open(folder / "worker.log", "w", encoding="utf-8")  # noqa: SIM115 - closed below
                proc = subprocess.Popen(
                    [sys.executable, "-m", "vidgist.serve.worker", str(folder)],
                    stdout=subprocess.PIPE,
                    stderr=log,
                    stdin=subprocess.PIPE,
                    text=True,
                    env=_child_env(),
                    start_new_session=True,
                )
                self._procs[job.id] = proc
            try:
                error = self._follow(job, proc)
            finally:
                proc.wait()
                log.close()
                if proc.stdin is not None:
                    proc.stdin.close()
            with self._lock:
                self._procs.pop(job.id, None)
                if job.cancel_requested:
                    self._end(job, "cancelled", None)
                elif self._closing:
                    self._end(job, "failed", STOPPED)
                elif proc.returncode == 0 and error is None:
                    self._end(job, "done", None)
                else:
                    crashed = f"the summary worker stopped (exit code {proc.returncode}); see its worker.log"
                    self._end(job, "failed", error or crashed)

    def _follow(self, job: Job, proc: subprocess.Popen[str]) -> str | None:
        """Read the child's event lines into ``job`` until it exits; returns its error message, if any."""
        assert proc.stdout is not None
        error = None
        last_write = 0.0
        for line in proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            with self._lock:
                if "error" in event:
                    error = str(event["error"])
                if "stage" in event:
                    changed = event["stage"] != job.stage
                    job.stage = str(event["stage"])
                    job.progress = max(job.progress, min(1.0, float(event.get("progress", job.progress))))
                    if changed or time.monotonic() - last_write > PERSIST_EVERY:
                        self._persist(job)
                        last_write = time.monotonic()
        return error

    def _end(self, job: Job, status: str, error: str | None) -> None:
        """Set a final status (lock held); cancelled jobs lose every file but job.json."""
        job.status, job.error, job.finished = status, error, time.time()
        if status == "done":
            job.stage, job.progress = "done", 1.0
        elif status == "cancelled":
            job.stage = "cancelled"
            self._remove_outputs(job.id, keep_source=False)
        else:
            self._remove_outputs(job.id)
        self._persist(job)
        ended = self._ended.get(job.id)
        if ended is not None:
            ended.set()

    def _remove_outputs(self, job_id: str, keep_source: bool = True) -> None:
        """Delete a job's partial outputs (and, unless ``keep_source``, everything but job.json)."""
        folder = self.root / job_id
        keep = {"job.json"}
        if keep_source and job_id in self._jobs:
            keep |= {self._jobs[job_id].source, "worker.log"}
        for entry in folder.iterdir() if folder.is_dir() else ():
            if entry.name in keep:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)

    def _persist(self, job: Job) -> None:
        write_json(self.root / job.id / "job.json", job.to_dict())


def _child_env() -> dict[str, str]:
    """The environment of a job process: this one's, with this vidgist's source folder first on the path."""
    env = dict(os.environ)
    here = str(Path(__file__).resolve().parents[2])  # the folder holding this vidgist package
    env["PYTHONPATH"] = os.pathsep.join([here] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


def _kill(proc: subprocess.Popen[str]) -> None:
    """Kill a job process and its process group (it runs in its own session)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
