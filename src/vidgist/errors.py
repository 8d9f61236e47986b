"""The VidgistError family: one-line messages a user can act on.

Every message names the file (or option) at fault and what to do. The CLI prints
``str(err)`` on stderr and exits with code 2; any other exception is a bug.
"""

from __future__ import annotations


class VidgistError(Exception):
    """Base class: a problem with the user's input or environment, not a bug."""


class InputError(VidgistError):
    """A video, annotation or option given by the user cannot be used."""


class DataError(VidgistError):
    """A dataset file is missing, malformed or inconsistent (message names file and record)."""


class ModelError(VidgistError):
    """A model or checkpoint cannot be loaded or does not match the running backbone."""


class OutputError(VidgistError):
    """An output location cannot be written."""
