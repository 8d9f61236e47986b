"""YAML configuration of ``vidgist train clip-it`` (one dataclass, validated with one-line errors).

Example (configs/clip_it_tvsum_canonical.yaml)::

    name: tvsum-canonical
    model: clip-it  # see MODELS
    dataset: data/eccv16_dataset_tvsum_google_pool5.h5
    splits: data/tvsum_splits_5fold.json   # canonical, augmented or transfer split file
    text_features: data/tvsum_text.h5      # <video key>/text_features (N, d_t) per video
    backbone: googlenet-pool5              # recorded in checkpoints
    aggregation: mean                      # TVSum: mean over users; SumMe: max
    epochs: 50
    seeds: [0]
    clip_it: {d_model: 128, layers: 2}

Relative paths are resolved against the folder of the YAML file (``vidgist.train.config_file``);
``prepare`` may give the command that makes missing inputs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from vidgist.errors import InputError
from vidgist.train.config_file import SplitRunOptions

__all__ = ["ClipItTrainConfig", "load_train_config", "MODELS"]

#: trainable models, then untrained rules (frame features only, or text similarity for zero-shot)
MODELS = (
    "clip-it",
    "pgl-sum",
    "dsnet-af",
    "random",
    "uniform",
    "zero-shot",
    "typicality",
    "mmr",
    "k-medoids",
)


@dataclass
class ClipItTrainConfig(SplitRunOptions):
    """Everything one training/evaluation run needs (the split-run options of :class:`SplitRunOptions`
    and the fields below). See module doc for the YAML form."""

    name: str = "clip-it"
    model: str = "clip-it"
    format: str = "eccv16"  # "eccv16" | "qvhighlights"
    text_features: str | dict[str, str] = ""  # one h5, or {h5 file name or dataset name: h5}
    backbone: str = "unknown"
    label_rule: str = "keyshot"
    clip_it: dict[str, Any] = field(default_factory=dict)
    pgl_sum: dict[str, Any] = field(default_factory=dict)
    dsnet_af: dict[str, Any] = field(default_factory=dict)
    # query-focused (QVHighlights-format annotations)
    annotations_train: str = ""
    annotations_test: str = ""
    video_features: str = ""  # h5: <vid>/features (n_clips, d_v)
    query_features: str = ""  # h5: <qid>/text_features (N, d_t)
    prepare: str = ""  # shell command that makes the inputs ({config_dir}: this file's folder)
    base_dir: str = ""  # folder of the YAML file (set by the loader)
    source: str = ""  # the YAML file itself, as given (set by the loader; names it in errors)

    def resolve(self, p: str) -> str:
        """Resolve a path relative to the YAML file's folder."""
        from vidgist.train.config_file import resolve_path

        return resolve_path(self.base_dir, p)

    def input_paths(self) -> dict[str, str]:
        """Every input file the run reads, by config key, resolved ("" when unset)."""
        keys = [
            "dataset",
            "splits",
            "user_scores",
            "annotations_train",
            "annotations_test",
            "video_features",
            "query_features",
        ]
        out = {k: self.resolve(str(getattr(self, k))) for k in keys}
        if str(self.query_features).startswith("backbone:"):  # encoded at run time, not a file
            del out["query_features"]
        if isinstance(self.text_features, dict):
            out.update({f"text_features[{k}]": self.resolve(v) for k, v in self.text_features.items()})
        else:
            out["text_features"] = self.resolve(self.text_features)
        return out

    def check_inputs(self) -> None:
        """InputError naming the first missing input and what makes it (the config's ``prepare``)."""
        from vidgist.train.config_file import check_inputs, prepare_command

        prepare = prepare_command(self.prepare, self.base_dir)
        check_inputs(self.source or "<config>", self.input_paths(), prepare)

    def validate(self, where: str = "<config>") -> None:
        if self.model not in MODELS:
            raise InputError(f"{where}: model must be one of {', '.join(MODELS)}, got '{self.model}'")
        if self.format not in ("eccv16", "qvhighlights"):
            raise InputError(f"{where}: format must be eccv16 or qvhighlights, got '{self.format}'")
        if self.aggregation not in ("mean", "max"):
            raise InputError(
                f"{where}: aggregation must be mean (TVSum) or max (SumMe), got '{self.aggregation}'"
            )
        if self.format == "eccv16" and (not self.dataset or not self.splits):
            raise InputError(f"{where}: eccv16 training needs 'dataset' (h5) and 'splits' (split file)")
        if self.format == "qvhighlights" and not (
            self.annotations_train and self.annotations_test and self.video_features and self.query_features
        ):
            raise InputError(
                f"{where}: qvhighlights training needs annotations_train, annotations_test, "
                "video_features and query_features"
            )
        if self.epochs < 0 or self.batch_size < 1 or not self.seeds:
            raise InputError(f"{where}: epochs >= 0, batch_size >= 1 and at least one seed are required")
        if not 0.0 <= self.val_fraction < 1.0:
            raise InputError(f"{where}: val_fraction must be in [0, 1)")


def load_train_config(
    path: str | os.PathLike[str], overrides: dict[str, Any] | None = None
) -> ClipItTrainConfig:
    """Read and validate a YAML config; ``overrides`` (e.g. from CLI options) win over the file."""
    from vidgist.train.config_file import config_dir, read_yaml_mapping

    p = Path(path)
    raw = read_yaml_mapping(p)
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    if "model" in given and given["model"] not in MODELS:
        raise InputError(f"--model {given['model']}: unknown; use one of {', '.join(MODELS)}")
    raw.update(given)
    known = {f.name for f in fields(ClipItTrainConfig)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise InputError(f"{p}: unknown option(s) {', '.join(unknown)}")
    cfg = ClipItTrainConfig(**raw)
    cfg.base_dir, cfg.source = str(config_dir(p)), str(p)
    cfg.validate(str(p))
    return cfg
