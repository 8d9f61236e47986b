"""YAML configurations of ``vidgist pretrain sspvs`` and ``vidgist train sspvs`` (validated, one-line errors).

Relative paths are resolved against the folder of the YAML file. See configs/sspvs_*.yaml.

Pretraining (:class:`SSPVSPretrainConfig`)::

    name: my-library
    features: data/library_features.h5     # `vidgist features extract` output, or eccv16 h5 (or a list)
    texts: data/library_texts/              # <key>.json {title, transcript, ocr} or <key>.txt per video
    backbone: offline                       # recorded in the checkpoint (frame features' backbone)
    text_encoder: minilm                    # minilm (bundled) | hub name (bert-base-uncased) | folder
    text_fields: {title: 8, transcript: 48, ocr: 16}   # tokens per field (reference: 2/2/5/50)
    clip_len: 256
    epochs: 200
    repeat: 8                               # passes over the videos per epoch (the authors' split * 8)
    batch_size: 8
    lr: 1.0e-6

Fine-tuning (:class:`SSPVSTrainConfig`)::

    name: tvsum-canonical
    dataset: data/eccv16_dataset_tvsum_google_pool5.h5
    splits: data/tvsum_splits_5fold.json    # canonical, augmented or transfer split file
    pretrained: runs/pretrain/best.safetensors   # "" = train from scratch
    stages: 4                               # per setting, from the authors' cfgs/ (configs/sspvs_*.yaml)
    lr: 5.0e-5                              # plain Adam (weight_decay 0, no gradient clipping)
    epochs: 40
    batch_size: 4
    set_multiply: 1                         # passes over the training videos per epoch
    text_guidance: false                    # true: needs texts (and uses the checkpoint's text encoder)
    selection: validation                   # validation | test-oracle (the reference's, for comparison only)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

from vidgist.errors import InputError
from vidgist.train.config_file import SplitRunOptions, resolve_path

__all__ = ["SSPVSPretrainConfig", "SSPVSTrainConfig", "load_config", "SELECTIONS"]

SELECTIONS = ("validation", "test-oracle")


def _default_fields() -> dict[str, int]:
    return {"title": 8, "transcript": 48, "ocr": 16}


@dataclass
class _Base:
    name: str = "sspvs"
    backbone: str = "unknown"
    texts: str = ""
    text_encoder: str = "minilm"
    text_fields: dict[str, int] = field(default_factory=_default_fields)
    model: dict[str, Any] = field(default_factory=dict)  # SSPVSConfig overrides (heads, layers, ...)
    threads: int = 0
    base_dir: str = ""

    def resolve(self, p: str) -> str:
        """Resolve a path relative to the YAML file's folder (hub names without a slash stay as given)."""
        return resolve_path(self.base_dir, p)

    def resolve_text_encoder(self) -> str:
        """The text encoder spec: ``minilm`` or a hub name as given, a relative folder resolved."""
        t = self.text_encoder
        if t in ("", "minilm", "offline"):
            return "minilm"
        local = Path(self.resolve(t))
        return str(local) if local.exists() else t

    def _check_common(self, where: str) -> None:
        if not self.text_fields or any(int(v) < 0 for v in self.text_fields.values()):
            raise InputError(f"{where}: text_fields must map field names to token counts >= 0")


@dataclass
class SSPVSPretrainConfig(_Base):
    """Options of one pretraining run (see module doc)."""

    features: str | list[str] = ""
    clip_len: int = 256
    epochs: int = 200
    repeat: int = 8  # passes over the training videos per epoch (the authors' list is split * 8)
    batch_size: int = 8
    lr: float = 1e-6
    val_fraction: float = 0.1
    seed: int = 0
    eval_every: int = 1

    def feature_files(self) -> list[str]:
        fs = [self.features] if isinstance(self.features, str) else list(self.features)
        return [self.resolve(f) for f in fs if f]

    def validate(self, where: str) -> None:
        self._check_common(where)
        if not self.feature_files() or not self.texts:
            raise InputError(f"{where}: pretraining needs 'features' (h5) and 'texts' (folder or JSON)")
        if self.clip_len < 2 or self.epochs < 0 or self.batch_size < 2 or self.repeat < 1:
            raise InputError(
                f"{where}: clip_len >= 2, epochs >= 0, batch_size >= 2 and repeat >= 1 are required"
            )
        if not 0.0 <= self.val_fraction < 1.0:
            raise InputError(f"{where}: val_fraction must be in [0, 1)")


@dataclass
class SSPVSTrainConfig(_Base, SplitRunOptions):
    """Options of one fine-tuning/evaluation run over a split file (see module doc): the split-run options
    of :class:`SplitRunOptions` and the fields below. Defaults are the authors' canonical TVSum setting
    (4 stages, Adam at 5e-5 without weight decay or clipping, 40 epochs, batch 4, crops of 512 steps);
    ``set_multiply`` repeats the training videos within an epoch (the authors' ``set_multiply``)."""

    pretrained: str = ""
    stages: int = 4
    text_guidance: bool = False
    selection: str = "validation"
    clip_len: int = 512
    epochs: int = 40
    lr: float = 5e-5
    weight_decay: float = 0.0  # L2 term of torch's Adam; the authors' 0
    grad_clip: float = 0.0  # the authors clip nothing
    set_multiply: int = 1

    def validate(self, where: str) -> None:
        self._check_common(where)
        if not self.dataset or not self.splits:
            raise InputError(f"{where}: fine-tuning needs 'dataset' (eccv16 h5) and 'splits' (split file)")
        if not 1 <= self.stages <= 8:
            raise InputError(f"{where}: stages must be in 1..8 (the paper uses 1-4), got {self.stages}")
        if self.selection not in SELECTIONS:
            raise InputError(f"{where}: selection must be one of {', '.join(SELECTIONS)}")
        if self.text_guidance and not self.texts:
            raise InputError(f"{where}: text_guidance needs 'texts' (per-video text folder or JSON)")
        if self.aggregation not in ("mean", "max"):
            raise InputError(f"{where}: aggregation must be mean (TVSum) or max (SumMe)")
        if (
            self.epochs < 0
            or self.batch_size < 1
            or not self.seeds
            or self.clip_len < 2
            or self.set_multiply < 1
        ):
            raise InputError(
                f"{where}: epochs >= 0, batch_size >= 1, clip_len >= 2, set_multiply >= 1 and a seed "
                "are required"
            )
        if not 0.0 <= self.val_fraction < 1.0:
            raise InputError(f"{where}: val_fraction must be in [0, 1)")


C = TypeVar("C", SSPVSPretrainConfig, SSPVSTrainConfig)


def load_config(cls: type[C], path: str | os.PathLike[str], overrides: dict[str, Any] | None = None) -> C:
    """Read and validate a YAML config of type ``cls``; ``overrides`` (not None) win over the file."""
    from vidgist.train.config_file import read_yaml_mapping

    p = Path(path)
    raw = read_yaml_mapping(p)
    raw.update({k: v for k, v in (overrides or {}).items() if v is not None})
    known = {f.name for f in fields(cls)} - {"base_dir"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise InputError(f"{p}: unknown option(s) {', '.join(unknown)}")
    try:
        cfg = cls(**raw)
    except TypeError as exc:
        raise InputError(f"{p}: {exc}") from None
    cfg.base_dir = str(p.resolve().parent)
    cfg.validate(str(p))
    return cfg
