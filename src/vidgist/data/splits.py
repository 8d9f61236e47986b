"""Split files of the video summarization benchmarks: canonical, augmented and transfer settings.

Accepted files (JSON or YAML), all a list of splits, each a mapping with ``train_keys`` and ``test_keys``
(and optionally ``val_keys`` and a ``key``/``name``):

* the eccv16/PGL-SUM/CA-SUM style 5-fold files (``tvsum_splits_5fold.json``): keys ``video_1`` ...;
* DSNet's ``*.yml``/``*.json``: keys prefixed by the h5 file,
  ``../datasets/eccv16_dataset_tvsum_google_pool5.h5/video_10``;
* VASNet's ``*_splits.json`` / ``*_aug_splits.json``: keys prefixed by the dataset name without ``.h5``,
  ``eccv16_dataset_tvsum_google_pool5/video_10``.

A top-level ``{"splits": [...]}`` and a single split mapping are accepted too. The setting is never
hard-coded: *canonical* (train and test on one dataset), *augmented* (train also on other datasets'
videos, their keys prefixed by the h5 file) and *transfer* (test on a dataset absent from training) are
all just split files; :func:`split_setting` names which one a file is.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from vidgist.errors import DataError

if TYPE_CHECKING:
    from vidgist.data.h5 import H5Video


@dataclass(frozen=True)
class Split:
    """One train/test split (keys exactly as written in the split file)."""

    train_keys: tuple[str, ...]
    test_keys: tuple[str, ...]
    val_keys: tuple[str, ...] = ()
    name: str = ""


def _read_structured(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"{path}: split file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read split file ({exc})") from None
    if path.suffix.lower() in (".yml", ".yaml"):
        import yaml

        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" line {mark.line + 1}" if mark is not None else ""
            raise DataError(f"{path}:{where} invalid YAML split file") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: line {exc.lineno}: invalid JSON split file ({exc.msg})") from None


def _keys(path: Path, i: int, entry: dict[str, Any], field: str, required: bool) -> tuple[str, ...]:
    if field not in entry:
        if required:
            raise DataError(
                f"{path}: split {i} has no '{field}'; each split needs 'train_keys' and 'test_keys'"
            )
        return ()
    vals = entry[field]
    if not isinstance(vals, list) or not all(isinstance(k, str) for k in vals):
        raise DataError(f"{path}: split {i}: '{field}' must be a list of video keys (strings)")
    if len(set(vals)) != len(vals):
        dup = next(k for k in vals if vals.count(k) > 1)
        raise DataError(f"{path}: split {i}: '{field}' lists '{dup}' twice")
    return tuple(vals)


def parse_splits(obj: Any, path: str | os.PathLike[str] = "<splits>") -> list[Split]:
    """Validate an already-parsed split structure (see module docstring) into Splits."""
    p = Path(path)
    if isinstance(obj, dict) and "splits" in obj:
        obj = obj["splits"]
    if isinstance(obj, dict) and "train_keys" in obj:
        obj = [obj]
    if not isinstance(obj, list) or not obj:
        raise DataError(f"{p}: expected a non-empty list of splits with 'train_keys' and 'test_keys'")
    out: list[Split] = []
    for i, entry in enumerate(obj):
        if not isinstance(entry, dict):
            raise DataError(f"{p}: split {i} is not a mapping with 'train_keys' and 'test_keys'")
        train = _keys(p, i, entry, "train_keys", True)
        test = _keys(p, i, entry, "test_keys", True)
        val = _keys(p, i, entry, "val_keys", False)
        if not test:
            raise DataError(f"{p}: split {i} has an empty 'test_keys'")
        leak = set(test) & (set(train) | set(val))
        if leak:
            raise DataError(
                f"{p}: split {i}: test video '{sorted(leak)[0]}' is also in train/val keys; "
                "test must be held out"
            )
        if set(train) & set(val):
            both = sorted(set(train) & set(val))[0]
            raise DataError(f"{p}: split {i}: video '{both}' is in both train and val")
        name = entry.get("key", entry.get("name", ""))
        out.append(Split(train, test, val, str(name) if name is not None else ""))
    return out


def load_splits(path: str | os.PathLike[str]) -> list[Split]:
    """Read a split file (JSON or YAML, formats in the module docstring); raise DataError naming the file."""
    p = Path(path)
    return parse_splits(_read_structured(p), p)


def write_splits(path: str | os.PathLike[str], splits: Sequence[Split]) -> Path:
    """Atomically write splits as JSON in the common ``[{"train_keys", "test_keys"[, "val_keys"]}]`` form."""
    from vidgist.util.atomic import write_json

    rows: list[dict[str, Any]] = []
    for s in splits:
        row: dict[str, Any] = {"train_keys": list(s.train_keys), "test_keys": list(s.test_keys)}
        if s.val_keys:
            row["val_keys"] = list(s.val_keys)
        if s.name:
            row["key"] = s.name
        rows.append(row)
    write_json(path, rows)
    return Path(path)


def carve_validation(
    train_keys: Sequence[str], fraction: float = 0.2, seed: int = 0
) -> tuple[list[str], list[str]]:
    """Deterministically hold out ``ceil(fraction * n)`` training videos (>= 1 when n >= 2) for validation.

    Model and epoch selection must use this validation part, never the test split. The choice depends
    only on the set of keys and the seed (not their order); both outputs keep the input order.
    """
    if not 0.0 <= fraction < 1.0:
        raise ValueError(f"fraction must be in [0, 1), got {fraction}")
    keys = list(train_keys)
    n = len(keys)
    if n < 2 or fraction == 0.0:
        return keys, []
    n_val = min(n - 1, max(1, math.ceil(fraction * n)))
    order = np.random.default_rng(seed).permutation(n)
    canonical = sorted(keys)
    val_set = {canonical[int(j)] for j in order[:n_val]}
    return [k for k in keys if k not in val_set], [k for k in keys if k in val_set]


def split_keys(split: Split, val_fraction: float, seed: int) -> tuple[list[str], list[str], list[str]]:
    """Train, validation and test keys of ``split``: its own validation keys when the file gives them,
    else a validation part carved from its training keys (:func:`carve_validation` with ``val_fraction``
    and ``seed``); the test keys are never used for validation."""
    if split.val_keys:
        return list(split.train_keys), list(split.val_keys), list(split.test_keys)
    train, val = carve_validation(list(split.train_keys), val_fraction, seed)
    return train, val, list(split.test_keys)


@dataclass(frozen=True)
class SplitsSummary:
    """What a list of splits is: sizes, whether the test sets form a k-fold partition."""

    n_splits: int
    n_videos: int  # distinct keys over all splits
    test_sizes: tuple[int, ...]
    tests_disjoint: bool  # no video is tested in two splits
    tests_cover_all: bool  # every video is tested in some split
    n_tested: int  # distinct videos that occur in some test set
    settings: tuple[str, ...]  # split_setting of each split

    @property
    def is_kfold(self) -> bool:
        return self.tests_disjoint and self.tests_cover_all


def summarize_splits(splits: Sequence[Split], default_dataset: str = "") -> SplitsSummary:
    """Describe splits; random 80/20 splits (the eccv16 originals) are not k-fold: tests overlap."""
    all_keys: set[str] = set()
    tested: set[str] = set()
    overlap = False
    for s in splits:
        all_keys |= set(s.train_keys) | set(s.test_keys) | set(s.val_keys)
        if tested & set(s.test_keys):
            overlap = True
        tested |= set(s.test_keys)
    return SplitsSummary(
        n_splits=len(splits),
        n_videos=len(all_keys),
        test_sizes=tuple(len(s.test_keys) for s in splits),
        tests_disjoint=not overlap,
        tests_cover_all=tested == all_keys,
        n_tested=len(tested),
        settings=tuple(split_setting(s, default_dataset) for s in splits),
    )


def make_kfold_splits(keys: Sequence[str], k: int = 5, seed: int = 0) -> list[Split]:
    """k splits whose test sets partition ``keys`` (sizes differ by <= 1); deterministic in (set, seed)."""
    uniq = sorted(set(keys))
    if not 2 <= k <= len(uniq):
        raise ValueError(f"k must be in [2, {len(uniq)}], got {k}")
    order = [uniq[int(i)] for i in np.random.default_rng(seed).permutation(len(uniq))]
    folds = [sorted(order[i::k]) for i in range(k)]
    return [
        Split(tuple(x for x in uniq if x not in set(f)), tuple(f), (), f"fold_{i}")
        for i, f in enumerate(folds)
    ]


def split_key(key: str) -> tuple[str | None, str]:
    """Split ``'prefix/video_3'`` into (prefix, 'video_3'); (None, key) when the key has no dataset prefix."""
    if "/" not in key:
        return None, key
    prefix, video = key.rsplit("/", 1)
    return prefix, video


def _dataset_of(key: str, default: str) -> str:
    prefix, _ = split_key(key)
    if prefix is None:
        return default
    name = Path(prefix).name
    return name[:-3] if name.endswith(".h5") else name


def split_setting(split: Split, default_dataset: str = "") -> str:
    """Name the protocol setting of a split: 'canonical', 'augmented' or 'transfer'.

    canonical: every key from one dataset; augmented: training also uses other datasets and the test
    dataset is among the training datasets; transfer: the test dataset does not occur in training.
    """
    train_ds = {_dataset_of(k, default_dataset) for k in split.train_keys + split.val_keys}
    test_ds = {_dataset_of(k, default_dataset) for k in split.test_keys}
    if not test_ds <= train_ds:
        return "transfer"
    if len(train_ds | test_ds) > 1:
        return "augmented"
    return "canonical"


def resolve_key(
    key: str, default_h5: str | os.PathLike[str] | None = None, base_dir: str | os.PathLike[str] | None = None
) -> tuple[Path, str]:
    """Return (h5 file, video key) for a split key.

    Unprefixed keys belong to ``default_h5``. A prefix is an h5 path (DSNet, '.h5' kept) or a dataset
    name (VASNet, '.h5' appended); a relative prefix is tried as given, then as its file name in
    ``base_dir`` and in the folder of ``default_h5``.
    """
    prefix, video = split_key(key)
    if prefix is None:
        if default_h5 is None:
            raise DataError(f"split key '{key}' names no h5 file; pass the dataset h5 the split refers to")
        return Path(default_h5), video
    fname = prefix if prefix.endswith(".h5") else prefix + ".h5"
    cands = [Path(fname)]
    dirs = [Path(d) for d in (base_dir, Path(default_h5).parent if default_h5 else None) if d is not None]
    for d in dirs:
        cands += [d / fname, d / Path(fname).name]
    for c in cands:
        if c.is_file():
            return c, video
    raise DataError(
        f"split key '{key}': h5 file '{fname}' not found "
        f"(looked in {', '.join(str(c.parent) for c in cands)}); "
        "put it beside the split file or pass its folder"
    )


def load_keyed_videos(
    keys: Iterable[str],
    default_h5: str | os.PathLike[str] | None = None,
    base_dir: str | os.PathLike[str] | None = None,
) -> dict[str, H5Video]:
    """Read the videos named by split keys (possibly from several h5 files), keyed as in the split file."""
    from vidgist.data.h5 import read_eccv16

    wanted: dict[Path, list[tuple[str, str]]] = {}
    for k in keys:
        f, v = resolve_key(k, default_h5, base_dir)
        wanted.setdefault(f, []).append((k, v))
    out: dict[str, H5Video] = {}
    for f, pairs in wanted.items():
        vids = read_eccv16(f, keys=[v for _, v in pairs])
        for k, v in pairs:
            out[k] = vids[v]
    return out
