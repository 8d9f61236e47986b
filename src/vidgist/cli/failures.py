"""The one place that turns an exception escaping a command into its stderr line and exit code.

* ``VidgistError`` (bad input, data, model or output): ``vidgist: error: MESSAGE``, exit 2.
* click usage errors (unknown option or command, missing argument, value out of range): printed as
  click prints them (usage line, ``Try 'vidgist ... --help'``, ``Error: ...``), exit 2.
* ``typer.Exit(code)``: that code, nothing printed. ``typer.Abort``: ``vidgist: aborted``, exit 130.

Anything else is a bug and is re-raised (its traceback is wanted).
"""

from __future__ import annotations

import sys
from typing import TextIO

import typer
from typer.exceptions import TyperException

from vidgist.errors import VidgistError

#: exit code of bad input and of usage errors (click's own convention)
EXIT_BAD_INPUT = 2
#: exit code after an abort (128 + SIGINT, as shells report it)
EXIT_ABORTED = 130


def error_line(message: str) -> str:
    """The one stderr line of a VidgistError (also used by commands that keep going past a bad file)."""
    return f"vidgist: error: {message}"


def report_failure(exc: BaseException, stream: TextIO | None = None) -> int | None:
    """Print ``exc`` for the user and return the exit code, or None when ``exc`` is not a user error."""
    err = stream if stream is not None else sys.stderr
    if isinstance(exc, VidgistError):
        print(error_line(str(exc)), file=err)
        return EXIT_BAD_INPUT
    if isinstance(exc, typer.Exit):
        return int(exc.exit_code or 0)
    if isinstance(exc, typer.Abort):
        print("vidgist: aborted", file=err)
        return EXIT_ABORTED
    if isinstance(exc, TyperException):  # click's ClickException family (typer vendors click)
        show = getattr(exc, "show", None)
        if callable(show):
            show(file=err)
        else:
            print(f"Error: {exc.format_message()}", file=err)
        code = int(getattr(exc, "exit_code", 1))
        # click gives usage errors 2; a plain ClickException (1) is still the user's input here
        return code if code else EXIT_BAD_INPUT
    return None
