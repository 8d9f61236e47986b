"""Import an optional heavy dependency, or fail with a one-line ModelError saying what to install."""

from __future__ import annotations

import importlib
from types import ModuleType

from vidgist.errors import ModelError


def require(module: str, pip_name: str, who: str) -> ModuleType:
    """``importlib.import_module(module)``, or a ModelError naming ``who`` and the pip line to install.

    ``pip_name`` is the requirement to install (with a pin where vidgist pins it)."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        missing = exc.name or module
        raise ModelError(f"{who}: {missing} is not installed; pip install {pip_name}") from None
