"""SSPVS checkpoints (pretraining and progressive summarizer) and the SSPVS frame scorer.

Checkpoint format: the vidgist checkpoint of :mod:`vidgist.scorers.checkpoint` (one safetensors file,
metadata key ``"vidgist"``) with ``model`` = ``"sspvs-pretrain"`` or ``"sspvs"``, ``model_config`` =
:class:`vidgist.models.sspvs.SSPVSConfig`, and ``text_encoder`` = ``{"spec": hub name | folder |
"minilm", "config": the Hugging Face config dict}`` (absent when the model has no text encoder). The
text encoder's weights are in the file (they change in pretraining); its tokenizer is loaded from
``spec``. Loading builds the modules from the stored configs and reads tensors only: no code runs.

:class:`SSPVSScorer` (a :class:`vidgist.scorers.base.FrameScorer`) scores ``evidence.frames.vectors``
with a fine-tuned summarizer. With text guidance, the stage-1 text is the query (``--query``) or, in
generic mode, the video's title, transcript and on-screen text, the fields it was trained with. A
checkpoint from another backbone or feature width is refused with one line.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.backbones.base import Backbone
from vidgist.errors import ModelError
from vidgist.scorers.checkpoint import (
    FORMAT,
    WINDOW,
    check_compatible,
    checked_frames,
    read_checkpoint_meta,
)
from vidgist.types import Evidence, Timeline
from vidgist.util.atomic import atomic_path, write_json

__all__ = [
    "KINDS",
    "is_sspvs_checkpoint",
    "save_sspvs_checkpoint",
    "load_sspvs_checkpoint",
    "evidence_fields",
    "SSPVSScorer",
]

KINDS = ("sspvs-pretrain", "sspvs")


def is_sspvs_checkpoint(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is a vidgist checkpoint of an SSPVS model (False for other kinds or non-files)."""
    try:
        return read_checkpoint_meta(path)["model"] in KINDS
    except ModelError:
        return False


def save_sspvs_checkpoint(
    path: str | os.PathLike[str],
    model: Any,
    kind: str,
    backbone: str,
    text_spec: str | None,
    text_fields: dict[str, int] | None = None,
    training: dict[str, Any] | None = None,
) -> Path:
    """Write an SSPVS model (pretrainer or summarizer) atomically as ``path`` plus a ``.json`` copy."""
    from safetensors.torch import save_file

    from vidgist.version import __version__

    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    text = getattr(model, "text", None)
    c = model.config
    meta: dict[str, Any] = {
        "format": FORMAT,
        "format_version": 1,
        "model": kind,
        "backbone": backbone,
        "frame_dim": int(c.frame_dim),
        "text_dim": int(c.text_dim),
        "model_config": c.to_dict(),
        "text_encoder": None
        if text is None
        else {"spec": text_spec or "minilm", "config": text.hf.config.to_dict()},
        "text_fields": dict(text_fields or {}),
        "vidgist_version": __version__,
        "training": training or {},
    }
    tensors = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    p = Path(path)
    with atomic_path(p) as tmp:
        save_file(tensors, str(tmp), metadata={"vidgist": json.dumps(meta, default=str)})
    write_json(p.with_suffix(".json"), meta)
    return p


def _text_from_meta(meta: dict[str, Any], p: Path) -> tuple[Any, Any]:
    from vidgist.backbones.hf_text import text_encoder_from_config
    from vidgist.models.sspvs import TextEncoder

    te = meta.get("text_encoder")
    if not te:
        return None, None
    hf, tok = text_encoder_from_config(dict(te["config"]), str(te["spec"]))
    return TextEncoder(hf), tok


def load_sspvs_checkpoint(path: str | os.PathLike[str]) -> tuple[Any, Any, dict[str, Any]]:
    """(model in eval mode, tokenizer or None, metadata) of an SSPVS checkpoint."""
    from safetensors.torch import load_file

    from vidgist.models.sspvs import SSPVSConfig, SSPVSPretrainer, SSPVSSummarizer

    p = Path(path)
    meta = read_checkpoint_meta(p)
    if meta["model"] not in KINDS:
        raise ModelError(f"{p}: a '{meta['model']}' checkpoint, not SSPVS; pass an SSPVS checkpoint")
    cfg = SSPVSConfig.from_dict(meta["model_config"])
    text, tok = _text_from_meta(meta, p)
    try:
        if meta["model"] == "sspvs-pretrain":
            if text is None:
                raise ValueError("pretraining checkpoint without a text encoder")
            model: Any = SSPVSPretrainer(cfg, text)
        else:
            model = SSPVSSummarizer(cfg, text)
        model.load_state_dict(load_file(str(p)), strict=True)
    except (ValueError, RuntimeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"{p}: checkpoint does not load ({first}); re-train or re-save it") from None
    return model.eval(), tok, meta


def evidence_fields(evidence: Evidence, fields: Sequence[str]) -> list[str]:
    """The text fields vidgist extracts for a video: ``title`` (file stem), ``transcript`` (speech spans),
    ``ocr`` (on-screen text), ``description`` (all spans); other field names are empty."""
    by = {
        "title": evidence.info.path.stem.replace("_", " "),
        "transcript": " ".join(s.text for s in evidence.spans if s.source == "speech"),
        "ocr": " ".join(s.text for s in evidence.spans if s.source == "ocr"),
        "description": " ".join(s.text for s in evidence.spans),
    }
    return [by.get(f, "") for f in fields]


class SSPVSScorer:
    """FrameScorer backed by a fine-tuned SSPVS checkpoint (see module doc)."""

    def __init__(self, path: str | os.PathLike[str], backbone: Backbone) -> None:
        self.path = Path(path)
        self.name = f"sspvs:{self.path}"
        self.meta = read_checkpoint_meta(self.path)
        if self.meta["model"] != "sspvs":
            raise ModelError(
                f"{self.path}: a '{self.meta['model']}' checkpoint cannot score frames; "
                "fine-tune it first with `vidgist train sspvs`"
            )
        check_compatible(self.meta, self.path, backbone.name, backbone.frame_dim)
        self.model, self.tokenizer, _ = load_sspvs_checkpoint(self.path)

    def _text(self, evidence: Evidence, queries: Sequence[str] | None) -> tuple[Any, Any]:
        import torch

        from vidgist.backbones.hf_text import encode_fields

        tf: dict[str, int] = dict(self.meta.get("text_fields") or {"description": 64})
        names, lengths = list(tf), list(tf.values())
        qs = [q for q in (queries or []) if q.strip()]
        if qs:  # the query is the whole stage-1 text
            fields = [" ; ".join(qs)] + [""] * (len(names) - 1)
            lengths = [sum(lengths) + len(lengths) - 1] + [0] * (len(names) - 1)
            names, fields, lengths = names[:1], fields[:1], lengths[:1]
        else:
            fields = evidence_fields(evidence, names)
        ids, mask = encode_fields(self.tokenizer, fields, lengths)
        return torch.tensor([ids]), torch.tensor([mask], dtype=torch.bool)

    def score(self, evidence: Evidence, queries: Sequence[str] | None, backbone: Backbone) -> Timeline:
        """Scores in [0, 1] aligned with ``evidence.frames.times`` (deterministic, eval mode)."""
        import torch

        check_compatible(self.meta, self.path, backbone.name, backbone.frame_dim)
        frames = checked_frames(self.meta, self.path, evidence)
        times = np.asarray(evidence.frames.times, dtype=np.float64)
        if frames.shape[0] == 0:
            return Timeline(times=times, scores=np.zeros(0))
        ids = mask = None
        if self.model.text is not None:
            ids, mask = self._text(evidence, queries)
        parts = np.array_split(np.arange(len(frames)), math.ceil(len(frames) / WINDOW))
        scores = np.zeros(len(frames))
        with torch.no_grad():
            for idx in parts:
                out = self.model(torch.from_numpy(frames[idx])[None], None, ids, mask)
                scores[idx] = out.scores[0].double().numpy()
        return Timeline(times=times, scores=scores.clip(0.0, 1.0))
