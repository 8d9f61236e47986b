"""Chapters written where people use them: WebVTT, YouTube description lines, FFmpeg metadata, and a copy
of the source video carrying them as container chapters.

Contract: ``write_chapters(path, chapters, duration, source=None) -> str`` writes one file, its format
chosen by the suffix (``CHAPTER_FORMATS``), atomically (nothing is left half-written), and returns the
format's name; a suffix it does not know, or a video copy without ``source``, raises ``InputError``.

- ``.vtt``: WebVTT chapters (the W3C WebVTT format the HTML5 ``<track kind="chapters">`` reads): the
  ``WEBVTT`` header, then per chapter a cue ``N``, ``hh:mm:ss.ttt --> hh:mm:ss.ttt`` and its title.
- ``.txt``: YouTube-style description lines ``00:00 Title`` (``h:mm:ss`` from an hour on; the first at
  00:00). YouTube shows chapters when there are at least three, each at least 10 s long.
- ``.ffmeta`` / ``.ffmetadata``: FFmpeg's metadata file (``;FFMETADATA1``, one ``[CHAPTER]`` per chapter,
  ``TIMEBASE=1/1000``, ``=;#\\`` and newlines escaped with a backslash), for
  ``ffmpeg -i VIDEO -i FILE -map_metadata 1 -map_chapters 1 -c copy OUT``.
- ``.mp4`` / ``.m4v`` / ``.mov`` / ``.mkv``: the source video's streams copied (no re-encoding) into a new
  file whose container holds the chapters (``ffprobe -show_chapters`` and players list them).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from vidgist.errors import InputError
from vidgist.summarize.chapters import Chapter, youtube_lines
from vidgist.summarize.result import format_timestamp as vtt_time  # WebVTT's hh:mm:ss.ttt
from vidgist.util.atomic import atomic_path

VIDEO_SUFFIXES = (".mp4", ".m4v", ".mov", ".mkv")
CHAPTER_FORMATS = {
    ".vtt": "WebVTT chapters",
    ".txt": "YouTube description lines",
    ".ffmeta": "FFmpeg metadata",
    ".ffmetadata": "FFmpeg metadata",
    **{s: "source copy with chapters" for s in VIDEO_SUFFIXES},
}


def _clean(title: str) -> str:
    # a cue's text ends at a blank line and may not hold "-->"; one line keeps every reader happy
    return " ".join(title.replace("-->", "->").split()) or "Chapter"


def webvtt(chapters: Sequence[Chapter], duration: float) -> str:
    """The chapters as a WebVTT file (module docstring); the last cue ends at ``duration``."""
    lines = ["WEBVTT", ""]
    for k, c in enumerate(chapters):
        end = duration if k == len(chapters) - 1 else c.end
        lines += [
            str(k + 1),
            f"{vtt_time(0.0 if k == 0 else c.start)} --> {vtt_time(end)}",
            _clean(c.title),
            "",
        ]
    return "\n".join(lines)


def youtube(chapters: Sequence[Chapter], duration: float) -> str:
    """The chapters as YouTube description lines, one per chapter."""
    return (
        "\n".join(youtube_lines([Chapter(c.start, c.end, _clean(c.title)) for c in chapters], duration))
        + "\n"
    )


def _ff_escape(text: str) -> str:
    out = text
    for ch in ("\\", "=", ";", "#", "\n"):
        out = out.replace(ch, "\\" + ch)
    return out


def ffmetadata(chapters: Sequence[Chapter], duration: float) -> str:
    """The chapters as an FFmpeg metadata file (module docstring), times in milliseconds."""
    lines = [";FFMETADATA1"]
    for k, c in enumerate(chapters):
        start = 0 if k == 0 else int(round(c.start * 1000))
        end = int(round((duration if k == len(chapters) - 1 else c.end) * 1000))
        lines += [
            "",
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={start}",
            f"END={end}",
            f"title={_ff_escape(c.title)}",
        ]
    return "\n".join(lines) + "\n"


def copy_with_chapters(
    source: str | os.PathLike[str], out: Path, chapters: Sequence[Chapter], duration: float
) -> None:
    """Copy ``source``'s video and audio streams (no re-encoding) into ``out`` with the chapters set."""
    import av

    tb = Fraction(1, 1000)
    marks = [
        {
            "id": k + 1,
            "start": 0 if k == 0 else int(round(c.start * 1000)),
            "end": int(round((duration if k == len(chapters) - 1 else c.end) * 1000)),
            "time_base": tb,
            "metadata": {"title": _clean(c.title)},
        }
        for k, c in enumerate(chapters)
    ]
    with av.open(str(source)) as inp, av.open(str(out), "w") as dst:
        streams = {
            s.index: dst.add_stream_from_template(s) for s in inp.streams if s.type in ("video", "audio")
        }
        dst.set_chapters(marks)  # type: ignore[arg-type]
        for packet in inp.demux(*[inp.streams[i] for i in streams]):
            if packet.dts is None:  # the demuxer's flush packet
                continue
            packet.stream = streams[packet.stream.index]
            dst.mux(packet)


def write_chapters(
    path: str | os.PathLike[str],
    chapters: Sequence[Chapter],
    duration: float,
    source: str | os.PathLike[str] | None = None,
) -> str:
    """Write ``chapters`` to ``path`` in the format its suffix names (module docstring); return that name."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in CHAPTER_FORMATS:
        known = ", ".join(CHAPTER_FORMATS)
        raise InputError(f"{target}: unknown chapters format {suffix or '(no suffix)'}; use one of {known}")
    if suffix in VIDEO_SUFFIXES:
        if source is None:
            raise InputError(f"{target}: a video copy with chapters needs the source video")
        with atomic_path(target) as tmp:
            copy_with_chapters(source, tmp, chapters, duration)
        return CHAPTER_FORMATS[suffix]
    text = {".vtt": webvtt, ".txt": youtube}.get(suffix, ffmetadata)(chapters, duration)
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return CHAPTER_FORMATS[suffix]


def check_chapters_out(paths: Sequence[str | os.PathLike[str]]) -> None:
    """Raise ``InputError`` before any work when a path's format is unknown or its folder cannot be
    written."""
    for p in paths:
        target = Path(p)
        if target.suffix.lower() not in CHAPTER_FORMATS:
            known = ", ".join(CHAPTER_FORMATS)
            raise InputError(
                f"{target}: unknown chapters format {target.suffix or '(no suffix)'}; use one of {known}"
            )
        folder = target.parent if str(target.parent) else Path(".")
        if target.is_dir() or (folder.exists() and not os.access(folder, os.W_OK | os.X_OK)):
            raise InputError(f"{target}: cannot write the chapters there; choose another --chapters-out")
