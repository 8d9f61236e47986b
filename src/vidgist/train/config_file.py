"""Read a YAML training config file into a plain mapping, with one-line errors."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from vidgist.errors import InputError


def read_yaml_mapping(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The top-level mapping of a YAML file; InputError naming the file when missing or malformed."""
    import yaml

    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: config file not found")
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"{p}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(raw, dict):
        raise InputError(f"{p}: the config must be a mapping of options at the top level")
    return raw
