"""Silence transformers' per-load chatter ("Loading weights" bars, load reports) while a model loads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quiet_transformers() -> Iterator[None]:
    """Within the block: no transformers tqdm bars and only errors from its loggers; restored afterwards.

    Hub download bars (huggingface_hub) are left as they are, so a real download still shows progress.
    """
    try:
        import transformers.utils.logging as tlog
    except ImportError:
        yield
        return
    verbosity = tlog.get_verbosity()
    had_flag = hasattr(tlog, "_tqdm_active")
    bars = bool(getattr(tlog, "_tqdm_active", True))
    tlog.set_verbosity_error()
    if had_flag:
        tlog._tqdm_active = False
    try:
        yield
    finally:
        tlog.set_verbosity(verbosity)
        if had_flag:
            tlog._tqdm_active = bars
