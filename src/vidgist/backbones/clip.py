"""The CLIP backbone: one joint image-text space from transformers' CLIPModel (no torchvision, no open_clip).

``ClipBackbone(model_name_or_path)`` loads model, tokenizer and image processor with ``from_pretrained`` from
a hub name (e.g. ``openai/clip-vit-base-patch32``) or a local folder saved with ``save_pretrained`` - one code
path for both. A single ``.safetensors`` file is accepted too when ``config.json`` and the tokenizer /
preprocessor files sit in the same folder. Local folders, and hub names while ``HF_HUB_OFFLINE`` or
``TRANSFORMERS_OFFLINE`` is set or the hub does not answer (``vidgist.util.hub``, decided in under 2 s),
load with ``local_files_only=True`` (never touching the network, no retries).

- ``encode_frames``: ``get_image_features`` (projected pooled vision output) of RGB uint8 frames, preprocessed
  by the checkpoint's own CLIPImageProcessor (resize short side, centre crop, CLIP mean/std).
- ``encode_texts``: ``get_text_features`` of the tokenized texts (truncated to the model's context length).
- ``frames_to_text_space``: the identity on the frame features (the space is joint).
All outputs are L2-normalised float32 of width ``projection_dim``. ``name`` is ``"clip:<model>"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.errors import InputError, ModelError
from vidgist.media.image import as_rgb8
from vidgist.util.hub import hub_offline, in_hf_cache, offline_reason


def _resolve(source: str) -> tuple[str, Path | None, bool]:
    """(folder or hub name to load config/tokenizer/processor from, single weights file or None, is_local)."""
    p = Path(source).expanduser()
    if p.is_file():
        if p.suffix != ".safetensors":
            raise ModelError(
                f"{source}: not a CLIP checkpoint; give a folder saved with save_pretrained "
                "or a .safetensors file beside its config.json"
            )
        if not (p.parent / "config.json").is_file():
            raise ModelError(
                f"{source}: no config.json beside the weights file; save the model with save_pretrained"
            )
        return str(p.parent), p, True
    if p.is_dir():
        if not (p / "config.json").is_file():
            raise ModelError(
                f"{source}: folder has no config.json; give a CLIP folder saved with save_pretrained"
            )
        return str(p), None, True
    if source.startswith(("/", ".", "~")) or source.count("/") > 1:
        raise ModelError(f"{source}: CLIP weights folder not found; check the path in the backbone spec")
    return source, None, False


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()
    return (msg[0] if msg else type(exc).__name__)[:240]


def _image_processor_class() -> Any:
    try:  # transformers 5: the PIL/numpy backend (the default CLIPImageProcessor wants torchvision)
        from transformers import CLIPImageProcessorPil

        return CLIPImageProcessorPil
    except ImportError:
        from transformers import CLIPImageProcessor

        return CLIPImageProcessor


def _load_parts(folder: str, weights_file: Path | None, local_only: bool) -> tuple[Any, Any, Any]:
    """CLIPModel, tokenizer and image processor from ``folder`` (weights from ``weights_file`` if given)."""
    from transformers import AutoTokenizer, CLIPConfig, CLIPModel

    from vidgist.backbones._quiet import quiet_transformers

    with quiet_transformers():
        if weights_file is None:
            model = CLIPModel.from_pretrained(folder, local_files_only=local_only)
        else:
            from safetensors.torch import load_file

            config = CLIPConfig.from_pretrained(folder, local_files_only=True)
            model = CLIPModel(config)
            missing, unexpected = model.load_state_dict(load_file(str(weights_file)), strict=False)
            missing = [k for k in missing if not k.endswith("position_ids")]
            if missing or unexpected:
                raise ModelError(
                    f"{weights_file}: weights do not match config.json "
                    f"({len(missing)} missing, {len(unexpected)} unexpected tensors)"
                )
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=local_only)
        processor = _image_processor_class().from_pretrained(folder, local_files_only=local_only)
    return model, tokenizer, processor


class ClipBackbone:
    """Joint CLIP image/text encoder (see module docstring)."""

    joint = True

    def __init__(
        self,
        model_name_or_path: str,
        name: str | None = None,
        local_files_only: bool = False,
        batch_size: int = 16,
        threads: int = 2,
    ) -> None:
        source = str(model_name_or_path).strip()
        if not source:
            raise InputError("clip backbone: empty model name or path; use clip:MODEL or clip:MODEL:PATH")
        folder, weights_file, is_local = _resolve(source)
        offline = not (local_files_only or is_local) and hub_offline()
        if offline and not in_hf_cache(folder):  # fail before the slow torch/transformers imports
            raise ModelError(
                f"{source}: CLIP weights not in the local Hugging Face cache and "
                f"{offline_reason()}; give a folder saved with save_pretrained "
                "(--backbone clip:NAME:FOLDER)"
            )
        import torch

        local_only = local_files_only or is_local or offline
        self.name = name or f"clip:{source}"
        self.reason = f"clip: {source}"
        self.source = source
        self.batch_size = max(1, batch_size)
        torch.set_num_threads(max(1, threads))
        try:
            import transformers  # noqa: F401
        except ImportError:
            raise ModelError(
                "clip backbone: transformers is not installed; pip install transformers"
            ) from None
        where = (
            f"from the local cache, as {offline_reason()}"
            if offline
            else ("locally" if local_only else "locally or from the hub")
        )
        # the cache first (no network round trip when the weights are already here), then the hub
        for attempt, lo in enumerate([True] if local_only else [True, False]):
            try:
                model, tokenizer, processor = _load_parts(folder, weights_file, lo)
                break
            except ModelError:
                raise
            except (OSError, ValueError, KeyError, TypeError, RuntimeError, ImportError) as exc:
                if lo and not local_only and attempt == 0:
                    continue
                raise ModelError(
                    f"{source}: cannot load CLIP {where} ({_short(exc)}); give a folder "
                    "saved with save_pretrained or set VIDGIST_CLIP"
                ) from None
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.processor = processor
        cfg: Any = model.config
        self.frame_dim = self.text_dim = int(cfg.projection_dim)
        self.max_length = int(cfg.text_config.max_position_embeddings)

    @staticmethod
    def _features(out: Any) -> Any:
        """transformers 4 returns a tensor, 5 a model output whose pooler_output is the projection."""
        return out if hasattr(out, "shape") else out.pooler_output

    def encode_frames(self, images: Sequence[np.ndarray]) -> np.ndarray:
        """(n, projection_dim) L2-normalised image embeddings of RGB uint8 (H, W, 3) frames."""
        import torch

        if len(images) == 0:
            return np.zeros((0, self.frame_dim), dtype=np.float32)
        out = np.zeros((len(images), self.frame_dim), dtype=np.float32)
        with torch.no_grad():
            for s in range(0, len(images), self.batch_size):
                batch = [
                    as_rgb8(im, f"image {s + i}") for i, im in enumerate(images[s : s + self.batch_size])
                ]
                pix = self.processor(images=batch, return_tensors="pt")["pixel_values"]
                f = self._features(self.model.get_image_features(pixel_values=pix))
                out[s : s + len(batch)] = f.float().numpy()
        return _l2(out)

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        """(m, projection_dim) L2-normalised text embeddings."""
        import torch

        if len(texts) == 0:
            return np.zeros((0, self.text_dim), dtype=np.float32)
        out = np.zeros((len(texts), self.text_dim), dtype=np.float32)
        with torch.no_grad():
            for s in range(0, len(texts), self.batch_size * 4):
                chunk = [str(t) for t in texts[s : s + self.batch_size * 4]]
                tok = self.tokenizer(
                    chunk, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
                )
                f = self._features(
                    self.model.get_text_features(
                        input_ids=tok["input_ids"], attention_mask=tok["attention_mask"]
                    )
                )
                out[s : s + len(chunk)] = f.float().numpy()
        return _l2(out)

    def frames_to_text_space(self, images: Sequence[np.ndarray], frame_features: np.ndarray) -> np.ndarray:
        """The joint space: frame features are already comparable with texts (identity, renormalised)."""
        if frame_features is None:
            return self.encode_frames(images)
        return _l2(np.asarray(frame_features, dtype=np.float32))


def _l2(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    return (x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)).astype(np.float32)
