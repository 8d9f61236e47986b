"""Atomic file output: write to a temp file (or folder) in the same folder, then rename.

A crash or an error never leaves a half-written output behind.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from vidgist.errors import OutputError


def check_writable_dir(path: str | os.PathLike[str]) -> Path:
    """Check, without creating anything, that ``path`` is or can become a writable folder."""
    p = Path(path)
    probe = p
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and (not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK)):
        what = "is not a folder" if not probe.is_dir() else "is not writable"
        raise OutputError(f"{p}: cannot write output there ({probe} {what}); choose another -o")
    return p


def ensure_writable_dir(path: str | os.PathLike[str]) -> Path:
    """Create ``path`` if needed and check it is a writable folder, else raise OutputError."""
    p = Path(path)
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{p}: cannot create output folder ({exc.strerror}); choose another -o") from None
    if not p.is_dir() or not os.access(p, os.W_OK | os.X_OK):
        raise OutputError(f"{p}: output folder is not writable; choose another -o")
    return p


@contextmanager
def atomic_path(path: str | os.PathLike[str], suffix: str | None = None) -> Iterator[Path]:
    """Yield a temp path beside ``path``; rename it onto ``path`` only if the block succeeds.

    ``suffix`` defaults to the target's suffix, so tools that pick a format by extension work.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=suffix if suffix is not None else target.suffix, dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs get the usual permissions
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_dir(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield an empty temp folder beside the folder ``path``; if the block succeeds, it replaces ``path``,
    so ``path`` is the new folder or the old one whole, never a mix; else the temp folder is removed.

    An older folder at ``path`` is renamed aside, the new one renamed into place, and only then is the
    old one deleted (put back if the second rename fails). The temp names hold the process id:
    processes writing folders side by side do not collide."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.partial-{os.getpid()}")
    aside = target.with_name(f".{target.name}.old-{os.getpid()}")
    for leftover in (tmp, aside):  # left by a killed run of a process with the same id
        shutil.rmtree(leftover, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        yield tmp
        had_old = target.exists()
        if had_old:
            os.replace(target, aside)
        try:
            os.replace(tmp, target)
        except BaseException:
            if had_old:
                os.replace(aside, target)
            raise
        if had_old:
            shutil.rmtree(aside, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Atomically write ``text`` (UTF-8) to ``path``."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json(path: str | os.PathLike[str], obj: Any) -> None:
    """Atomically write ``obj`` as indented JSON to ``path``."""
    write_text(path, json.dumps(obj, indent=2, ensure_ascii=False) + "\n")
