"""Entry point: register every command module; vidgist.cli.failures maps what escapes to line + exit code;
Ctrl-C prints ``vidgist: interrupted`` and exits 130."""

from __future__ import annotations

import signal
import sys
import time

from vidgist.cli.apps import app
from vidgist.cli.failures import EXIT_ABORTED, report_failure


def _register() -> None:
    # Importing a command module registers its commands on the shared apps.
    from vidgist.cli import (  # noqa: F401
        cmd_batch,
        cmd_datasets,
        cmd_eval,
        cmd_features,
        cmd_library,
        cmd_prepare,
        cmd_query,
        cmd_serve,
        cmd_summarize,
        cmd_train,
        cmd_train_qms,
        cmd_train_sspvs,
    )


#: seconds after a Ctrl-C during which another one is ignored (see ``_on_sigint``)
REPEAT_S = 5.0


class Interrupted(BaseException):
    """Ctrl-C, raised in the main thread by ``_on_sigint``. Not a KeyboardInterrupt, which typer turns
    into a silent exit 130; a BaseException, so no ``except Exception`` swallows it."""


_first_sigint: list[float] = []


def _on_sigint(signum: int, frame: object) -> None:
    # A second Ctrl-C within REPEAT_S is ignored: the cleanup (stopping and joining the decoding, OCR
    # and speech threads, removing temp files) takes a second or two and must not be cut short. A later
    # one raises again, in case native code swallowed the first.
    now = time.monotonic()
    if _first_sigint and now - _first_sigint[0] < REPEAT_S:
        return
    _first_sigint[:] = [now]
    raise Interrupted


def main(argv: list[str] | None = None, exiting: bool = False) -> int:
    """Run the CLI; return the exit code (0 ok, 2 bad input or usage, 130 aborted or Ctrl-C).

    ``exiting``: the process ends after this call (``run``): Ctrl-C stays ignored once the command is
    done, so a late one (while the interpreter tears down decoding threads and models) cannot turn a
    finished run, its outputs written, into a process killed by SIGINT. Otherwise (tests, embedding)
    Python's own Ctrl-C handling is restored."""
    from vidgist.util.threads import passive_openmp

    passive_openmp()  # before any command loads Whisper or torch (vidgist.util.threads)
    in_main_thread = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    if in_main_thread:
        signal.signal(signal.SIGINT, _on_sigint)
    try:
        _register()
        rv = app(args=argv, standalone_mode=False, prog_name="vidgist")
    except (Interrupted, KeyboardInterrupt):
        print("vidgist: interrupted", file=sys.stderr)
        return EXIT_ABORTED
    except Exception as exc:
        code = report_failure(exc)
        if code is None:
            raise
        return code
    finally:
        if in_main_thread:
            signal.signal(signal.SIGINT, signal.SIG_IGN if exiting else signal.default_int_handler)
    return int(rv) if isinstance(rv, int) else 0


def run() -> None:
    """The ``vidgist`` command and ``python -m vidgist``: ``main`` and the process's exit with its code."""
    sys.exit(main(exiting=True))


if __name__ == "__main__":
    run()
