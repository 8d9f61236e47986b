"""One summary job in its own process: ``python -m vidgist.serve.worker JOBDIR``.

Reads ``JOBDIR/job.json``, runs ``Summarizer(**options).summarize(...)`` on the upload, writes the outputs
to a temp folder that becomes ``JOBDIR/out`` when complete (``util.atomic.atomic_dir``: ``out`` is complete
or absent), plus a JPEG thumbnail per selected segment in ``out/thumbs/<i>.jpg``. Reports on stdout, one
JSON object a line: ``{"stage": ..., "progress": 0..1}`` as the pipeline moves, ``{"error": "<one line>"}``
for bad input (exit 2). Anything else the libraries print goes to stderr (the job's worker.log). The
process exits when its stdin closes (the server died).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO, Any

#: (prefix of a Progress task description, stage shown to users, overall progress at its start and end)
STAGES = [
    ("load backbone", "loading models", 0.02, 0.08),
    ("decode + embed", "decoding and embedding frames", 0.08, 0.65),
    ("on-screen text", "reading on-screen text", 0.65, 0.72),
    ("speech to text", "transcribing speech", 0.72, 0.8),
    ("write summary.mp4", "writing the summary video", 0.85, 0.95),
]
THUMB_HEIGHT = 90


class Reporter:
    """Turns Progress events into throttled ``{"stage", "progress"}`` lines on ``out``."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.stage = ""
        self.progress = 0.0

    def emit(self, stage: str, progress: float) -> None:
        progress = max(self.progress, min(1.0, progress))
        if stage == self.stage and progress - self.progress < 0.01:
            return
        self.stage, self.progress = stage, progress
        self.out.write(json.dumps({"stage": stage, "progress": round(progress, 3)}) + "\n")
        self.out.flush()

    def __call__(self, description: str, done: float, total: float | None, finished: bool) -> None:
        for prefix, stage, lo, hi in STAGES:
            if description.startswith(prefix):
                frac = min(0.98, done / total) if total else 0.0
                if finished and prefix != "write summary.mp4":
                    self.emit("scoring and selecting key shots", hi)  # until the next task starts
                else:
                    self.emit(stage, lo + (hi - lo) * frac)
                return


def run(folder: Path, out: IO[str]) -> int:
    """Run the job in ``folder``; 0 when done, 2 on bad input (the message is reported)."""
    from vidgist.errors import VidgistError
    from vidgist.summarize.pipeline import Summarizer
    from vidgist.util.atomic import atomic_dir
    from vidgist.util.progress import set_listener

    job = json.loads((folder / "job.json").read_text(encoding="utf-8"))
    source = folder / job["source"]
    report = Reporter(out)
    set_listener(report)
    try:
        report.emit("loading models", 0.01)
        options: dict[str, Any] = dict(job.get("options") or {})
        preset = str(options.pop("video_preset", "ultrafast"))
        summarizer = Summarizer(**options)
        result = summarizer.summarize(
            source,
            queries=job.get("queries"),
            budget=job.get("budget"),
            max_seconds=job.get("max_seconds"),
            fill=bool(job.get("fill")),
            chapter_count=job.get("chapter_count"),
            spoken_transitions=bool(job.get("spoken_transitions")),
        )
        with atomic_dir(folder / "out") as tmp:
            result.save(tmp, video_preset=preset)
            report.emit("writing thumbnails", 0.96)
            mids = [(s.start + s.end) / 2 for s in result.segments]
            write_thumbnails(source, mids, tmp / "thumbs")
        report.emit("done", 1.0)
        return 0
    except VidgistError as err:
        message = str(err).replace(str(source), job.get("filename") or source.name)
        out.write(json.dumps({"error": message}) + "\n")
        out.flush()
        return 2


def write_thumbnails(video: Path, times: list[float], folder: Path, height: int = THUMB_HEIGHT) -> None:
    """``folder/<i>.jpg``: the frame shown at ``times[i]`` s, ``height`` pixels high (atomic writes)."""
    import av

    from vidgist.util.atomic import atomic_path

    folder.mkdir(parents=True, exist_ok=True)
    with av.open(str(video)) as container:
        vs = container.streams.video[0]
        base = vs.time_base
        for i, t in enumerate(times):
            container.seek(int(max(t, 0.0) / base) if base else 0, stream=vs, backward=True)
            shown = None
            for frame in container.decode(vs):
                if shown is not None and frame.time is not None and frame.time > t:
                    break
                shown = frame
            if shown is None:
                continue
            img = shown.to_image()
            img.thumbnail((height * 4, height))
            with atomic_path(folder / f"{i}.jpg") as tmp:
                img.save(tmp, format="JPEG", quality=85)


def exit_with_parent() -> None:
    """Exit as soon as stdin closes: the server holds its end, so a killed server takes its jobs along."""
    import threading

    def watch() -> None:
        while os.read(0, 4096):  # the raw fd: no buffered-reader lock to trip over at shutdown
            pass
        os._exit(3)

    threading.Thread(target=watch, name="vidgist-parent-watch", daemon=True).start()


def main(argv: list[str]) -> int:
    """Entry point: events go to the real stdout; everything else printed goes to stderr."""
    exit_with_parent()
    events = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return run(Path(argv[0]), events)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
