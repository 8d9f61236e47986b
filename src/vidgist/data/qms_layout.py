"""The QMS data layout (query generation for micro-videos): a table plus one feature file per video.

Table (CSV with a header row, or JSON Lines), one row per video:

===========  ==============================================================================
column       meaning
===========  ==============================================================================
item_id      unique video id (string)
kw_less      the users' search queries for this video, comma-separated (ASCII ',');
             in JSONL a list of strings is accepted too
asr_pure     the speech transcript (may be empty)
path         a ``.npy`` file of frame features, shape (n, d) with 1 <= n <= 32, float, finite;
             relative paths are relative to the table's folder
type         ``train``, ``eval`` (validation) or ``test``
===========  ==============================================================================

A layout folder holds the table as ``items.jsonl`` (or ``items.csv``, or exactly one other
``*.jsonl``/``*.csv``) and, as written by :func:`write_qms`, the features in ``features/``.
Every error names the table file and line (CSV: the line where the row starts).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.data.jsonl import iter_jsonl, write_jsonl
from vidgist.errors import DataError
from vidgist.util.atomic import atomic_path

COLUMNS = ("item_id", "kw_less", "asr_pure", "path", "type")
TYPES = ("train", "eval", "test")
MAX_FRAMES = 32
TABLE_NAMES = ("items.jsonl", "items.csv")


@dataclass(frozen=True, eq=False)
class QMSRecord:
    """One video of the layout; ``features`` is None when read with ``load_features=False``."""

    item_id: str
    queries: Sequence[str]  # stored as a tuple
    transcript: str
    features: np.ndarray | None = None
    split: str = "train"
    path: Path | None = None  # the feature file (absolute after reading)

    def __post_init__(self) -> None:
        object.__setattr__(self, "queries", tuple(self.queries))


def split_queries(kw_less: Any) -> tuple[str, ...]:
    """``'q1,q2, q3'`` (or a list) -> ('q1', 'q2', 'q3'); blanks dropped, order and duplicates kept out."""
    parts = kw_less if isinstance(kw_less, list) else str(kw_less or "").split(",")
    out: list[str] = []
    for q in parts:
        q = str(q).strip()
        if q and q not in out:
            out.append(q)
    return tuple(out)


def find_table(path: str | os.PathLike[str]) -> Path:
    """The table file: ``path`` itself, or the layout table inside the folder ``path``."""
    p = Path(path)
    if p.is_file():
        return p
    if not p.is_dir():
        raise DataError(f"{p}: no such QMS table or folder")
    for name in TABLE_NAMES:
        if (p / name).is_file():
            return p / name
    cands = sorted([*p.glob("*.jsonl"), *p.glob("*.csv")])
    if len(cands) == 1:
        return cands[0]
    if not cands:
        raise DataError(f"{p}: no QMS table (items.jsonl or items.csv) in the folder")
    names = ", ".join(c.name for c in cands)
    raise DataError(f"{p}: several tables ({names}); name one or call it items.jsonl")


def _rows(table: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    if table.suffix.lower() == ".csv":
        try:
            with table.open("r", encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
                if missing:
                    raise DataError(f"{table}: line 1: header lacks column(s) {', '.join(missing)}")
                start = 2
                for row in reader:
                    if None in row:
                        raise DataError(f"{table}: line {start}: more fields than header columns")
                    yield start, row
                    start = reader.line_num + 1
        except csv.Error as exc:
            raise DataError(f"{table}: malformed CSV ({exc})") from None
        except UnicodeDecodeError:
            raise DataError(f"{table}: not UTF-8 text") from None
    else:
        for lineno, obj in iter_jsonl(table):
            missing = [c for c in COLUMNS if c not in obj]
            if missing:
                raise DataError(f"{table}: line {lineno}: missing field(s) {', '.join(missing)}")
            yield lineno, obj


def read_feature_file(path: Path, where: str) -> np.ndarray:
    """Load and check one feature file: (n, d), 1 <= n <= 32, finite."""
    if not path.is_file():
        raise DataError(f"{where}: feature file {path} not found")
    try:
        arr = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise DataError(f"{where}: feature file {path} is not a readable .npy ({exc})") from None
    if arr.ndim != 2 or not 1 <= arr.shape[0] <= MAX_FRAMES or arr.shape[1] < 1:
        raise DataError(
            f"{where}: features {path.name} have shape {arr.shape}; expected (n <= {MAX_FRAMES}, d)"
        )
    if not np.issubdtype(arr.dtype, np.number) or not np.all(np.isfinite(arr)):
        raise DataError(f"{where}: features {path.name} hold non-numeric, NaN or infinite values")
    return arr.astype(np.float32)


def read_qms(path: str | os.PathLike[str], load_features: bool = True) -> list[QMSRecord]:
    """Read and validate a QMS table (file or layout folder) in row order.

    Raises DataError naming the table and line for a missing column, a duplicate ``item_id``, an unknown
    ``type``, a missing or malformed feature file, or feature widths that differ between videos.
    """
    table = find_table(path)
    out: list[QMSRecord] = []
    seen: dict[str, int] = {}
    dim: tuple[int, int] | None = None  # (d, line)
    for lineno, row in _rows(table):
        where = f"{table}: line {lineno}"
        item_id = str(row["item_id"] if row["item_id"] is not None else "").strip()
        if not item_id:
            raise DataError(f"{where}: empty item_id")
        if item_id in seen:
            raise DataError(f"{where}: item_id '{item_id}' already used on line {seen[item_id]}")
        seen[item_id] = lineno
        typ = str(row["type"] or "").strip()
        if typ not in TYPES:
            raise DataError(f"{where}: type '{typ}' must be one of {', '.join(TYPES)}")
        rel = str(row["path"] or "").strip()
        if not rel:
            raise DataError(f"{where}: empty feature path for item '{item_id}'")
        fpath = Path(rel) if Path(rel).is_absolute() else table.parent / rel
        feats = None
        if load_features:
            feats = read_feature_file(fpath, where)
            if dim is None:
                dim = (feats.shape[1], lineno)
            elif feats.shape[1] != dim[0]:
                raise DataError(
                    f"{where}: features of '{item_id}' are {feats.shape[1]}-d but {dim[0]}-d on line {dim[1]}"
                )
        elif not fpath.is_file():
            raise DataError(f"{where}: feature file {fpath} not found")
        out.append(
            QMSRecord(
                item_id,
                split_queries(row["kw_less"]),
                str(row["asr_pure"] or ""),
                feats,
                typ,
                fpath.resolve(),
            )
        )
    if not out:
        raise DataError(f"{table}: the QMS table has no rows")
    return out


def _safe_name(item_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", item_id)[:120] or "item"


def _save_npy(path: Path, arr: np.ndarray) -> None:
    with atomic_path(path) as tmp:
        with tmp.open("wb") as fh:
            np.save(fh, arr, allow_pickle=False)


def write_qms(
    folder: str | os.PathLike[str], records: Iterable[QMSRecord], table_format: str = "jsonl"
) -> Path:
    """Write a layout folder: ``features/<item_id>.npy`` per record and ``items.jsonl``/``items.csv``.

    Records without ``features`` must carry an existing ``path``, which is written as given. Every file is
    written atomically; returns the table path.
    """
    if table_format not in ("jsonl", "csv"):
        raise ValueError("table_format must be 'jsonl' or 'csv'")
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    used: dict[str, str] = {}
    for rec in records:
        where = f"{root}: item '{rec.item_id}'"
        if rec.split not in TYPES:
            raise DataError(f"{where}: split '{rec.split}' must be one of {', '.join(TYPES)}")
        if rec.item_id in used:
            raise DataError(f"{where}: duplicate item_id")
        if rec.features is not None:
            arr = np.asarray(rec.features, dtype=np.float32)
            if arr.ndim != 2 or not 1 <= arr.shape[0] <= MAX_FRAMES or not np.all(np.isfinite(arr)):
                raise DataError(
                    f"{where}: features must be finite (n <= {MAX_FRAMES}, d), got shape {arr.shape}"
                )
            name = _safe_name(rec.item_id)
            k = 1
            while name in used.values():
                name = f"{_safe_name(rec.item_id)}_{k}"
                k += 1
            rel = f"features/{name}.npy"
            _save_npy(root / rel, arr)
        elif rec.path is not None and Path(rec.path).is_file():
            name, rel = rec.item_id, str(rec.path)
        else:
            raise DataError(f"{where}: no features and no existing feature path to write")
        used[rec.item_id] = name
        rows.append(
            {
                "item_id": rec.item_id,
                "kw_less": ",".join(q.replace(",", " ") for q in rec.queries),
                "asr_pure": rec.transcript,
                "path": rel,
                "type": rec.split,
            }
        )
    if table_format == "jsonl":
        return write_jsonl(root / "items.jsonl", rows)
    target = root / "items.csv"
    with atomic_path(target) as tmp:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(COLUMNS))
            w.writeheader()
            w.writerows(rows)
    return target
