"""QMS checkpoints: a folder with ``model.safetensors``, ``config.json`` and the tokenizer files.

Loading never touches the network: the BART architecture is rebuilt from the saved BartConfig and the
weights come from the safetensors file, so a checkpoint fine-tuned from a hub BART runs offline.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from vidgist.errors import ModelError
from vidgist.models.qms import QMSConfig, QMSModel
from vidgist.models.qms_tokenize import QMSTokenizer, load_tokenizer
from vidgist.util.atomic import atomic_path, write_json

FORMAT = "vidgist-qms"
VERSION = 1


def save_checkpoint(
    folder: str | Path, model: QMSModel, tok: QMSTokenizer, extra: dict[str, Any] | None = None
) -> Path:
    """Write the checkpoint folder (weights and tokenizer first, config.json last and atomically)."""
    from safetensors.torch import save_model

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    with atomic_path(out / "model.safetensors") as tmp:
        save_model(model, str(tmp))
    staging = Path(tempfile.mkdtemp(prefix=".tok.", dir=out))
    try:
        spec = tok.save(staging)
        for p in staging.iterdir():
            dest = out / p.name
            if dest.is_dir():
                shutil.rmtree(dest)
            p.replace(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "model": model.cfg.to_dict(),
        "bart": model.bart.config.to_dict(),
        "tokenizer": spec,
        **(extra or {}),
    }
    write_json(out / "config.json", meta)
    return out


def read_meta(folder: str | Path) -> dict[str, Any]:
    """The checkpoint's config.json, checked for format."""
    path = Path(folder) / "config.json"
    if not path.is_file():
        raise ModelError(
            f"{folder}: not a QMS checkpoint (no config.json); train one with `vidgist train qms`"
        )
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: unreadable checkpoint config ({exc}); re-save the checkpoint") from None
    if meta.get("format") != FORMAT:
        raise ModelError(
            f"{path}: format {meta.get('format')!r} is not {FORMAT!r}; give a QMS checkpoint folder"
        )
    return dict(meta)


def load_checkpoint(folder: str | Path) -> tuple[QMSModel, QMSTokenizer, dict[str, Any]]:
    """Rebuild model (eval mode) and tokenizer from a checkpoint folder; returns (model, tokenizer, meta)."""
    from safetensors.torch import load_model
    from transformers import BartConfig, BartForConditionalGeneration

    root = Path(folder)
    meta = read_meta(root)
    weights = root / "model.safetensors"
    if not weights.is_file():
        raise ModelError(f"{root}: model.safetensors missing; re-save the checkpoint")
    cfg = QMSConfig.from_dict(meta["model"])
    bart = BartForConditionalGeneration(BartConfig.from_dict(meta["bart"]))
    model = QMSModel(cfg, bart)
    try:
        load_model(model, str(weights), strict=True)
    except (RuntimeError, OSError) as exc:
        raise ModelError(f"{weights}: weights do not match the saved config ({str(exc)[:120]})") from None
    tok = load_tokenizer(root, meta["tokenizer"])
    model.eval()
    return model, tok, meta
