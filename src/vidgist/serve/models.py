"""Typed request and response bodies of the HTTP API (pydantic; they appear in the OpenAPI at /docs)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]


class ErrorBody(BaseModel):
    error: str = Field(description="One line saying what is wrong and what to do.")


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str


class JobCreated(BaseModel):
    id: str = Field(description="The job id (32 hex digits).")


class JobState(BaseModel):
    id: str
    status: JobStatus
    stage: str = Field(description="What the job is doing now (queued, decoding and embedding frames, ...).")
    progress: float = Field(ge=0.0, le=1.0)
    error: str | None = None
    filename: str = Field(description="The uploaded file's name, for display.")
    queries: list[str] | None = None
    created: float = Field(description="Unix time the job was queued.")
    result: dict[str, Any] | None = Field(
        default=None, description="The summary.json document once status is done."
    )


class JobList(BaseModel):
    jobs: list[JobState]


ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorBody} for code in (401, 404, 413, 415, 422)}


class HitEvidence(BaseModel):
    channel: str = Field(description="Why it matched: said, on screen, looks like; about (the whole video).")
    text: str


class SearchHit(BaseModel):
    video: str = Field(description="The indexed file.")
    video_id: int = Field(description="Use with /api/videos/{video_id}/source and /thumbnail.")
    start: float = Field(description="The matching stretch, seconds.")
    end: float
    best_time: float = Field(description="The stretch's most relevant moment, seconds.")
    relevance: float = Field(description="The calibrated relevance summarize -q gives the best moment.")
    weak: bool = Field(
        description="Under the no-match line of the search (the threshold, counted over the videos scored);"
        " listed only when weak=true is asked."
    )
    evidence: list[HitEvidence] = Field(description="The stretch's own evidence.")
    video_evidence: list[HitEvidence] = Field(
        description="The video's generated query the search shares words with (ranks videos only)."
    )


class SearchResult(BaseModel):
    query: str
    hits: list[SearchHit]
