"""YAML training configs: one reader and one path convention for every config (CLIP-It and QMS).

* Relative paths in a config are read from the **config file's folder**, whatever the working
  directory (``dataset: ../data/x.h5`` in ``configs/a.yaml`` means ``<checkout>/data/x.h5``).
* A config may say how its inputs are made: ``prepare: python {config_dir}/../benchmarks/x.py ...``
  (``{config_dir}`` becomes the config's absolute folder). A missing input is reported with that
  command, before anything is written.
* A run folder remembers the config that made it (``config.json`` with a fingerprint); resuming in it
  with a config that computes something else is refused (:func:`check_run_config`).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from vidgist.errors import InputError
from vidgist.util.atomic import write_json


@dataclass
class SplitRunOptions:
    """The options every run over a split file shares (CLIP-It and SSPVS fine-tuning): where the labelled
    videos and splits are, the training schedule, validation and evaluation."""

    dataset: str = ""  # eccv16 h5 (default file for unprefixed split keys)
    splits: str = ""  # split file (canonical / augmented / transfer)
    split_indices: list[int] | None = None  # None = all splits in the file
    val_fraction: float = 0.2  # carved from each split's training videos when it names no validation keys
    seeds: list[int] = field(default_factory=lambda: [0])
    epochs: int = 50
    batch_size: int = 4
    lr: float = 5e-4
    weight_decay: float = 1e-4
    grad_clip: float = 5.0
    eval_every: int = 1
    aggregation: str = "mean"  # over annotators: mean (TVSum) | max (SumMe)
    budget: float = 0.15
    rank_stride: int = 1
    user_scores: str = ""  # TVSum ydata-tvsum50-anno.tsv(.gz): per-user scores for tau/rho (video_i order)


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


def config_dir(path: str | os.PathLike[str]) -> Path:
    """The absolute folder of a config file: the base of its relative paths."""
    return Path(path).resolve().parent


def resolve_path(base_dir: str | os.PathLike[str] | None, p: str) -> str:
    """``p`` with ``~`` expanded, relative to ``base_dir`` unless absolute ("" stays "")."""
    if not p:
        return p
    q = Path(os.path.expanduser(p))
    return str(q if q.is_absolute() or not base_dir else Path(base_dir) / q)


def prepare_command(prepare: str | None, base_dir: str | os.PathLike[str]) -> str | None:
    """The config's ``prepare`` command with ``{config_dir}`` filled in (None when the config has none)."""
    if not prepare:
        return None
    words = str(prepare).split()
    return " ".join(
        os.path.normpath(w.replace("{config_dir}", str(base_dir))) if "{config_dir}" in w else w
        for w in words
    )


def check_inputs(config: str | os.PathLike[str], inputs: Mapping[str, str], prepare: str | None) -> None:
    """InputError for the first input (key -> resolved path; "" = unset) that does not exist.

    The message names the config, the key, the path it resolved to and what makes it (``prepare``), or
    else how relative paths are read.
    """
    for key, path in inputs.items():
        if path and not Path(path).exists():
            base = config_dir(config)
            shown = os.path.normpath(path)
            if prepare:
                how = f"make it first: {prepare}"
            else:
                how = f"fix '{key}' (relative paths are read from {base})"
            raise InputError(f"{config}: {key} {shown} not found; {how}")


def config_fingerprint(cfg: Any, resumable: Collection[str], paths: Collection[str]) -> str:
    """sha256 (16 hex digits) of the options of the dataclass ``cfg`` that change what a run computes: all
    but ``resumable``, with the ``paths`` options resolved (``cfg.resolve``) so that the same file named
    from another folder gives the same fingerprint."""
    d = {k: v for k, v in asdict(cfg).items() if k not in resumable}
    d.update({k: cfg.resolve(getattr(cfg, k)) for k in paths})
    return hashlib.sha256(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()[:16]


def check_run_config(folder: Path, fingerprint: str) -> None:
    """InputError when ``folder`` holds a ``config.json`` written for another fingerprint (no file: fine)."""
    f = folder / "config.json"
    if f.is_file():
        old = json.loads(f.read_text(encoding="utf-8")).get("fingerprint")
        if old != fingerprint:
            raise InputError(
                f"{folder}: this run folder was made with a different config; use another -o or --no-resume"
            )


def write_run_config(folder: Path, fingerprint: str, cfg: Any) -> None:
    """Record the config (a dataclass) and its fingerprint in ``folder/config.json``."""
    write_json(folder / "config.json", {"fingerprint": fingerprint, "config": asdict(cfg)})


#: what one (split, seed) run leaves in its folder
RUN_FILES = ("last.pt", "log.jsonl", "result.json", "config.json")


def open_run(
    folder: Path, fingerprint: str, cfg: Any, resume: bool, finished: Callable[[dict[str, Any]], bool]
) -> dict[str, Any] | None:
    """Make ``folder`` ready for one (split, seed) run of ``cfg``. With ``resume``: a folder made with
    another config is refused (``check_run_config``), and its ``result.json`` is returned when
    ``finished(result)`` says it still stands (nothing to run). Without: what an earlier run left is
    removed. Otherwise the folder is created with its ``config.json`` and None is returned."""
    result = folder / "result.json"
    if resume:
        check_run_config(folder, fingerprint)
        if result.is_file():
            prev: dict[str, Any] = json.loads(result.read_text(encoding="utf-8"))
            if finished(prev):
                return prev
    elif folder.exists():
        for name in RUN_FILES:
            (folder / name).unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    write_run_config(folder, fingerprint, cfg)
    return None
