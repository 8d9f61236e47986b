"""One loading path for Hugging Face text encoders (BERT and relatives), by hub name or local folder.

- ``load_text_encoder(spec)``: ``spec`` = ``"minilm"`` (the bundled all-MiniLM-L6-v2 folder, a 6-layer
  384-d BERT; the offline default), a hub name (``bert-base-uncased``, needs the hub or its cache) or
  a local folder holding ``config.json``, weights and tokenizer files. Returns the model (weights loaded)
  and its tokenizer. Failure -> one-line ModelError.
- ``text_encoder_from_config(config, spec)``: the same architecture built from a stored config dict with
  no weights (a checkpoint supplies them; no code is executed), plus the tokenizer of ``spec``.
- ``encode_fields(tokenizer, fields, lengths)``: token ids of several text fields, each cut or padded to
  its own length (SSPVS: category/query/title/description -> 2/2/5/50), as one sequence
  ``[CLS] f_1 [SEP] f_2 [SEP] ...``; the mask is 0 at [PAD] tokens (the reference attends to them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vidgist.errors import ModelError

__all__ = [
    "OFFLINE_TEXT_ENCODER",
    "resolve_spec",
    "load_text_encoder",
    "text_encoder_from_config",
    "encode_fields",
]

OFFLINE_TEXT_ENCODER = "minilm"


def resolve_spec(spec: str) -> str:
    """``"minilm"``/``""`` -> the bundled all-MiniLM-L6-v2 folder; anything else unchanged."""
    if spec in ("", OFFLINE_TEXT_ENCODER, "offline"):
        from vidgist.backbones.offline_nets import minilm_folder

        return minilm_folder()
    return spec


def _tokenizer(path: str, spec: str) -> Any:
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(path)
    except Exception as exc:  # hub and file errors come in many classes
        raise ModelError(
            f"{spec}: cannot load the tokenizer ({type(exc).__name__}); give a local folder or a hub name"
        ) from None


def load_text_encoder(spec: str) -> tuple[Any, Any]:
    """(Hugging Face model with weights, tokenizer) for ``spec`` (see module doc)."""
    from transformers import AutoModel

    from vidgist.backbones._quiet import quiet_transformers

    path = resolve_spec(spec)
    tok = _tokenizer(path, spec)
    try:
        with quiet_transformers():
            model = AutoModel.from_pretrained(path, attn_implementation="eager")
    except Exception as exc:
        raise ModelError(
            f"{spec}: cannot load the text encoder ({type(exc).__name__}); give a local folder or a hub name"
        ) from None
    return model, tok


def text_encoder_from_config(config: dict[str, Any], spec: str) -> tuple[Any, Any]:
    """(model built from ``config`` with random weights, tokenizer of ``spec``)."""
    from transformers import AutoConfig, AutoModel

    cfg = dict(config)
    model_type = cfg.pop("model_type", None)
    if not model_type:
        raise ModelError(f"{spec}: stored text-encoder config has no model_type; re-save the checkpoint")
    try:
        hf_cfg = AutoConfig.for_model(model_type, **cfg)
        model = AutoModel.from_config(hf_cfg, attn_implementation="eager")
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{spec}: cannot build text encoder '{model_type}' ({exc})") from None
    return model, _tokenizer(resolve_spec(spec), spec)


def encode_fields(
    tokenizer: Any, fields: Sequence[str], lengths: Sequence[int]
) -> tuple[list[int], list[int]]:
    """Token ids and attention mask (1 real, 0 pad) of ``[CLS] f_1 [SEP] ... f_k [SEP]``, field i cut or
    padded to ``lengths[i]`` tokens. Total length = sum(lengths) + len(lengths) + 1, whatever the text."""
    if len(fields) != len(lengths):
        raise ValueError(f"{len(fields)} text fields but {len(lengths)} lengths")
    cls_id = tokenizer.cls_token_id if tokenizer.cls_token_id is not None else tokenizer.bos_token_id
    sep_id = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    if cls_id is None or sep_id is None:
        raise ModelError("the text encoder's tokenizer has no [CLS]/[SEP] (or bos/eos) token")
    ids, mask = [int(cls_id)], [1]
    for text, n in zip(fields, lengths, strict=True):
        sub = list(tokenizer.encode(text or "", add_special_tokens=False))[: int(n)]
        ids += [int(t) for t in sub] + [int(pad_id)] * (int(n) - len(sub)) + [int(sep_id)]
        mask += [1] * len(sub) + [0] * (int(n) - len(sub)) + [1]
    return ids, mask
