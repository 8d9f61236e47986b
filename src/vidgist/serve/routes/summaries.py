"""``/api/summaries``: create a summary job from an upload, watch it, cancel it, fetch its outputs.

Thin over ``vidgist.serve.jobs.JobManager`` (the queue) and ``vidgist.summarize.pipeline`` (validation).
Files are served with HTTP Range support (Starlette's FileResponse), so players can seek.
"""

from __future__ import annotations

import math

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from vidgist.errors import InputError
from vidgist.serve.config import ServeConfig
from vidgist.serve.jobs import Job, JobManager
from vidgist.serve.models import ERRORS, JobCreated, JobList, JobState
from vidgist.serve.uploads import receive
from vidgist.summarize import DEFAULT_BUDGET

router = APIRouter(prefix="/api/summaries", tags=["summaries"], responses=ERRORS)

_FORM = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "The video."},
                        "query": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "What you care about; repeat the field for several.",
                        },
                        "budget": {
                            "type": "number",
                            "description": f"Summary length as a ratio (default {DEFAULT_BUDGET}).",
                        },
                        "max_seconds": {"type": "number", "description": "Summary length cap in seconds."},
                        "chapter_count": {
                            "type": "integer",
                            "minimum": 1,
                            "description": "How many chapters the speech is cut into, when you know the "
                            "number of sections (default: found).",
                        },
                        "spoken_transitions": {
                            "type": "boolean",
                            "description": "Let chapters from speech start on a sentence that opens a new "
                            'topic aloud ("Next, ...", "Moving on, ..."), for talks that say them '
                            "(default: false).",
                        },
                        "fill": {
                            "type": "boolean",
                            "description": "With queries: fill the length with the best "
                            "moments even when few match (default: only moments that match).",
                        },
                    },
                }
            }
        },
    }
}


def _jobs(request: Request) -> JobManager:
    jobs: JobManager = request.app.state.jobs
    return jobs


def _number(fields: dict[str, list[str]], name: str) -> float | None:
    values = [v.strip() for v in fields.get(name, []) if v.strip()]
    if not values:
        return None
    try:
        x = float(values[-1])
    except ValueError:
        raise InputError(f"{name} {values[-1][:40]!r}: must be a number") from None
    if not math.isfinite(x):
        raise InputError(f"{name} {values[-1][:40]!r}: must be a finite number")
    return x


def _flag(fields: dict[str, list[str]], name: str) -> bool:
    values = [v.strip().lower() for v in fields.get(name, []) if v.strip()]
    if not values:
        return False
    if values[-1] not in ("true", "false", "1", "0", "on", "off", "yes", "no"):
        raise InputError(f"{name} {values[-1][:40]!r}: must be true or false")
    return values[-1] in ("true", "1", "on", "yes")


def state(jobs: JobManager, job: Job, with_result: bool = True) -> JobState:
    """The API view of a job (with the summary.json document once done, when ``with_result``)."""
    return JobState(
        id=job.id,
        status=job.status,  # type: ignore[arg-type]
        stage=job.stage,
        progress=job.progress,  # type: ignore[arg-type]
        error=job.error,
        filename=job.filename,
        queries=job.queries,
        created=job.created,
        result=jobs.result(job.id) if with_result and job.status == "done" else None,
    )


@router.post("", status_code=202, response_model=JobCreated, openapi_extra=_FORM)
async def create_summary(request: Request) -> JobCreated:
    """Upload a video (streamed to disk, size-limited, probed) and queue a summary job for it."""
    from vidgist.media.video import probe
    from vidgist.summarize.pipeline import check_chapter_count, checked_budget, normalize_queries

    config: ServeConfig = request.app.state.config
    jobs = _jobs(request)
    job_id, folder = jobs.new_folder()
    try:
        up = await receive(request, folder, config.max_upload)
        assert up.path is not None
        queries = normalize_queries(up.fields.get("query") or None)
        budget, max_seconds = _number(up.fields, "budget"), _number(up.fields, "max_seconds")
        budget = checked_budget(budget, max_seconds)
        fill = _flag(up.fields, "fill")
        transitions = _flag(up.fields, "spoken_transitions")
        count = _number(up.fields, "chapter_count")
        check_chapter_count(count)
        try:
            await run_in_threadpool(probe, up.path)
        except InputError as err:  # the CLI's message, naming the client's file instead of ours
            raise InputError(str(err).replace(str(up.path), up.filename)) from None
    except BaseException:
        jobs.discard_folder(job_id)
        raise
    jobs.submit(
        Job(
            id=job_id,
            filename=up.filename,
            source=up.path.name,
            queries=queries,
            budget=budget,
            max_seconds=max_seconds,
            fill=fill,
            chapter_count=None if count is None else int(count),
            spoken_transitions=transitions,
            options=dict(config.summarize),
        )
    )
    return JobCreated(id=job_id)


@router.get("", response_model=JobList)
def list_summaries(request: Request) -> JobList:
    """Every job the server knows, newest first (without results)."""
    jobs = _jobs(request)
    return JobList(jobs=[state(jobs, j, with_result=False) for j in jobs.list()])


@router.get("/{job_id}", response_model=JobState)
def get_summary(job_id: str, request: Request) -> JobState:
    """Status, stage and progress of a job; the summary.json document once done."""
    jobs = _jobs(request)
    return state(jobs, jobs.get(job_id))


@router.delete("/{job_id}", response_model=JobState)
async def cancel_summary(job_id: str, request: Request) -> JobState:
    """Cancel a queued or running job (status cancelled, its files removed); delete a finished one."""
    jobs = _jobs(request)
    job = await run_in_threadpool(jobs.cancel, job_id)
    return state(jobs, job)  # a finished job is gone from the table, so its result is None


@router.get("/{job_id}/video", response_class=FileResponse)
def summary_video(job_id: str, request: Request) -> FileResponse:
    """summary.mp4 (Range requests supported)."""
    return FileResponse(_jobs(request).output(job_id, "video"), media_type="video/mp4")


@router.get("/{job_id}/source", response_class=FileResponse)
def summary_source(job_id: str, request: Request) -> FileResponse:
    """The uploaded video (Range requests supported)."""
    path = _jobs(request).source(job_id)
    return FileResponse(path, media_type=_video_type(path.suffix))


@router.get("/{job_id}/scores.png", response_class=FileResponse)
def summary_plot(job_id: str, request: Request) -> FileResponse:
    """scores.png: the score timeline with the selected segments."""
    return FileResponse(_jobs(request).output(job_id, "scores.png"), media_type="image/png")


@router.get("/{job_id}/summary.json", response_class=FileResponse)
def summary_json(job_id: str, request: Request) -> FileResponse:
    """summary.json as a file (the same document as ``result``)."""
    return FileResponse(_jobs(request).output(job_id, "summary.json"), media_type="application/json")


@router.get("/{job_id}/thumbnails/{index}", response_class=FileResponse)
def summary_thumbnail(job_id: str, index: str, request: Request) -> FileResponse:
    """A JPEG of the middle of selected segment ``index`` (0-based)."""
    return FileResponse(_jobs(request).thumbnail(job_id, index), media_type="image/jpeg")


def _video_type(suffix: str) -> str:
    return {
        ".webm": "video/webm",
        ".mkv": "video/x-matroska",
        ".mov": "video/quicktime",
        ".ogv": "video/ogg",
    }.get(suffix.lower(), "video/mp4")
