"""Entry point: register every command module; vidgist.cli.failures maps what escapes to line + exit code."""

from __future__ import annotations

import sys

from vidgist.cli.apps import app
from vidgist.cli.failures import report_failure


def _register() -> None:
    # Importing a command module registers its commands on the shared apps.
    from vidgist.cli import (  # noqa: F401
        cmd_datasets,
        cmd_eval,
        cmd_features,
        cmd_query,
        cmd_summarize,
        cmd_train,
        cmd_train_qms,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 ok, 2 bad input or usage, 130 aborted)."""
    _register()
    try:
        rv = app(args=argv, standalone_mode=False, prog_name="vidgist")
    except Exception as exc:
        code = report_failure(exc)
        if code is None:
            raise
        return code
    return int(rv) if isinstance(rv, int) else 0


if __name__ == "__main__":
    sys.exit(main())
