"""``vidgist batch summarize``: one summary folder per video (the files of ``summarize``) and ``batch.json``.

``OUTDIR/NAME/`` holds summary.json, summary.mp4 and scores.png of one video (NAME is the file's stem,
with 8 hex digits of its path's hash when two inputs share a stem). A worker writes a video's folder
beside its final name and renames it into place (``util.atomic.atomic_dir``), so a folder is complete
or absent. The driver alone writes ``OUTDIR/batch.json`` (atomically, after every video): the settings
and, per video, its size, mtime, status and reason. Running the same command again skips every video
whose entry matches its file's (size, mtime) and whose folder exists, so a killed run resumes; a video
that failed for its own reasons stays failed until the file changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidgist.batch.engine import EngineSpec, Failure
from vidgist.batch.pool import open_pool
from vidgist.errors import InputError
from vidgist.library.fingerprint import stat_key
from vidgist.library.library import walk
from vidgist.summarize import DEFAULT_BUDGET
from vidgist.util.atomic import atomic_dir, ensure_writable_dir, write_json
from vidgist.util.progress import Progress

BATCH_FILE = "batch.json"


class SummarizeJob:
    """``run((video, folder)) -> outcome dict``: summarize one video and write its folder."""

    def __init__(
        self,
        summarizer: Any,
        queries: list[str] | None,
        budget: float | None,
        max_seconds: float | None,
        save: dict[str, Any],
        select: dict[str, Any] | None = None,
    ) -> None:
        self.summarizer = summarizer
        self.queries = queries
        self.budget = budget
        self.max_seconds = max_seconds
        self.save = save
        self.select = dict(select or {})  # Summarizer.summarize's min_relevance / fill

    def run(self, item: tuple[str, str]) -> dict[str, Any]:
        video, folder = item
        clock = time.perf_counter()
        result = self.summarizer.summarize(
            video, queries=self.queries, budget=self.budget, max_seconds=self.max_seconds, **self.select
        )
        with atomic_dir(folder) as tmp:
            result.save(tmp, **self.save)
        return {
            "status": "ok",
            "duration": round(result.info.duration, 3),
            "segments": len(result.segments),
            "summary_seconds": round(result.summary_seconds, 3),
            "seconds": round(time.perf_counter() - clock, 3),
        }


@dataclass
class BatchReport:
    """What one batch run did; ``entries`` is batch.json's per-video list."""

    outdir: Path
    done: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    video_seconds: float = 0.0
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)


def folder_names(files: list[Path]) -> dict[str, str]:
    """video path -> output folder name (stem; stem-HASH8 when stems collide)."""
    stems = Counter(f.stem for f in files)
    out = {}
    for f in files:
        name = f.stem
        if stems[f.stem] > 1:
            name += "-" + hashlib.blake2b(str(f).encode(), digest_size=4).hexdigest()
        out[str(f)] = name
    return out


def _previous(path: Path, settings: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Entries of an earlier run with the same settings, by video path ({} if none or unreadable)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if doc.get("settings") != settings:
        return {}
    return {e["video"]: e for e in doc.get("videos", []) if isinstance(e, dict) and "video" in e}


def summarize_collection(
    paths: Sequence[str | os.PathLike[str]],
    outdir: str | os.PathLike[str],
    spec: EngineSpec,
    summarizer: Any,
    queries: list[str] | None = None,
    budget: float | None = DEFAULT_BUDGET,
    max_seconds: float | None = None,
    save: dict[str, Any] | None = None,
    progress: bool = False,
    select: dict[str, Any] | None = None,
) -> BatchReport:
    """Summarize every video under ``paths`` into ``outdir`` on the engine ``spec`` (module docstring)."""
    clock = time.perf_counter()
    files, _ = walk(paths)
    if not files:
        raise InputError(f"{' '.join(map(str, paths))}: no video files found (looked for .mp4, .mkv, ...)")
    out = ensure_writable_dir(outdir)
    save = dict(save or {})
    select = dict(select or {})
    settings = {
        "queries": queries,
        "budget": budget,
        "max_seconds": max_seconds,
        "select": select,
        "summarizer": {
            k: getattr(summarizer, k, None)
            for k in ("backbone_spec", "scorer_spec", "fps", "asr", "asr_model", "ocr", "shots")
        },
        "save": save,
    }
    names = folder_names(files)
    before = _previous(out / BATCH_FILE, settings)
    report = BatchReport(out)
    todo: list[tuple[str, str]] = []
    for f in files:
        video = str(f)
        try:
            size, mtime = stat_key(f)
        except OSError as exc:
            report.failed.append((video, f"cannot read the file ({exc.strerror}); check permissions"))
            continue
        entry = {"video": video, "folder": names[video], "size": size, "mtime_ns": mtime}
        old = before.get(video)
        if (
            old
            and (old.get("size"), old.get("mtime_ns")) == (size, mtime)
            and (
                old.get("status") == "failed"
                or (old.get("status") == "ok" and (out / names[video] / "summary.json").is_file())
            )
        ):
            report.entries[video] = old
            report.skipped += 1
            if old.get("status") == "failed":
                report.failed.append((video, str(old.get("reason", ""))))
            continue
        report.entries[video] = {**entry, "status": "pending"}
        todo.append((video, str(out / names[video])))

    def flush() -> None:
        doc = {
            "settings": settings,
            "videos": [report.entries[str(f)] for f in files if str(f) in report.entries],
        }
        write_json(out / BATCH_FILE, doc)

    flush()
    if todo:
        job = SummarizeJob(summarizer, queries, budget, max_seconds, save, select)
        pool = open_pool(spec, job, len(todo))
        try:
            pool.check_readable([v for v, _ in todo])
            with Progress(progress) as prog:
                task = prog.add("summarize", total=len(todo))
                for (video, _folder), res in pool.map(todo):
                    entry = report.entries[video]
                    if isinstance(res, Failure):
                        entry.update(status="failed", reason=res.reason, attempts=res.attempts)
                        report.failed.append((video, res.reason))
                    else:
                        entry.update(res)
                        entry.pop("reason", None)
                        report.done += 1
                        report.video_seconds += float(res.get("duration", 0.0))
                    flush()
                    prog.advance(task, 1)
        finally:
            pool.close()
    report.seconds = time.perf_counter() - clock
    return report
