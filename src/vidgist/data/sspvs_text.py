"""Per-video text for SSPVS: named text fields (title, transcript, on-screen text, ...) per video key.

Two layouts, both UTF-8:

- a folder with one file per video (a split key with an h5 prefix,
  ``eccv16_dataset_ovp_google_pool5/video_3``, is looked up in the subfolder of that name first, then by
  its bare name): ``<key>.json`` = ``{"title": "...", "transcript": "...", "ocr": "..."}``
  (any field names; strings, or lists of strings joined by spaces) or ``<key>.txt`` = the text of the
  field ``description`` (the eccv16 h5 plus a text file per video);
- one ``.json`` file ``{"<key>": {field: text, ...}, ...}``.

``read_video_texts(path, keys, fields, defaults)`` returns ``{key: [text of each field in order]}``;
a field missing for a video is ``defaults[key][field]`` if given (e.g. the title from the h5's
``video_name``), else empty. A key with no entry at all is a DataError naming the file and key.
``write_video_texts(folder, texts)`` writes the folder layout atomically, one JSON per video.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from vidgist.errors import DataError
from vidgist.util.atomic import write_json

__all__ = ["read_video_texts", "write_video_texts"]


def _as_text(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, (list, tuple)):
        return " ".join(_as_text(x) for x in v)
    return "" if v is None else str(v)


def _read_json(p: Path) -> Any:
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(
            f"{p}: not a readable JSON text file ({type(exc).__name__}); fix or remove it"
        ) from None


def _entry(root: Path, key: str, table: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if table is not None:
        e = table.get(key)
        return None if e is None else (e if isinstance(e, dict) else {"description": e})
    for name in dict.fromkeys((key, Path(key).name)):  # "h5 stem/video_3" -> subfolder, then the bare name
        j, t = root / f"{name}.json", root / f"{name}.txt"
        if j.is_file():
            e = _read_json(j)
            if not isinstance(e, dict):
                raise DataError(f"{j}: must hold a mapping of field name to text")
            return e
        if t.is_file():
            return {"description": t.read_text(encoding="utf-8", errors="replace")}
    return None


def read_video_texts(
    path: str | os.PathLike[str],
    keys: Sequence[str],
    fields: Sequence[str],
    defaults: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, list[str]]:
    """``{key: [field texts]}`` for ``keys`` (see module doc)."""
    root = Path(path)
    if not root.exists():
        raise DataError(f"{root}: text folder or file not found; fix 'texts' in the config")
    table: dict[str, Any] | None = None
    if root.is_file():
        t = _read_json(root)
        if not isinstance(t, dict):
            raise DataError(f"{root}: must hold a mapping of video key to its text fields")
        table = t
    out: dict[str, list[str]] = {}
    for k in keys:
        e = _entry(root, k, table)
        d = dict((defaults or {}).get(k, {}))
        if e is None and not d:
            raise DataError(f"{root}: no text for video '{k}' (looked for {Path(k).name}.json/.txt); add it")
        e = e or {}
        out[k] = [_as_text(e.get(f, d.get(f, ""))) for f in fields]
    return out


def write_video_texts(folder: str | os.PathLike[str], texts: Mapping[str, Mapping[str, str]]) -> Path:
    """Write ``<folder>/<key>.json`` for each video (atomic per file); returns the folder."""
    d = Path(folder)
    d.mkdir(parents=True, exist_ok=True)
    for k, fields in texts.items():
        f = d / f"{k}.json"
        f.parent.mkdir(parents=True, exist_ok=True)
        write_json(f, dict(fields))
    return d
