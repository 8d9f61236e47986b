"""Entry point: register every command module, map VidgistError to one stderr line and exit 2."""

from __future__ import annotations

import sys

import click

from vidgist.cli.apps import app
from vidgist.errors import VidgistError


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
    """Run the CLI; return the exit code (0 ok, 2 bad input, 1 usage handled by click)."""
    _register()
    try:
        rv = app(args=argv, standalone_mode=False, prog_name="vidgist")
    except VidgistError as err:
        print(f"vidgist: error: {err}", file=sys.stderr)
        return 2
    except click.exceptions.Abort:
        print("vidgist: aborted", file=sys.stderr)
        return 130
    except click.exceptions.ClickException as err:
        err.show()
        return 2
    except click.exceptions.Exit as ex:
        return int(ex.exit_code or 0)
    return int(rv) if isinstance(rv, int) else 0


if __name__ == "__main__":
    sys.exit(main())
