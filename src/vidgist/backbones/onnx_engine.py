"""ONNX Runtime copies of the offline models, exported once from their PyTorch weights and cached on disk.

Why: on this kind of CPU, EfficientNet-Lite0 runs about 6x faster in ONNX Runtime than in eager PyTorch
(5 vs 30 ms a frame on 2 threads), and loading MiniLM through ONNX Runtime plus ``tokenizers`` avoids
importing torch, transformers and sentence-transformers (about 8 s) on every run.

Contract: ``cached_model(name, weights, build) -> Path`` returns ``<cache>/onnx/<name>-<key>.onnx`` where
``key`` hashes the weights file and ``EXPORT_VERSION``; on a miss it calls ``build(tmp_path)`` (which
exports with ``torch.onnx.export``) and renames the result into place, so a crash never leaves a partial
model. ``session(path)`` opens it with ONNX Runtime on the CPU. The exported graphs compute exactly what
the PyTorch modules compute (tests compare both to 1e-4).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vidgist.errors import ModelError

#: bump when an export recipe changes, so cached graphs are rebuilt
EXPORT_VERSION = "1"
#: ONNX opset of the exports (the TorchScript exporter in torch 2.x supports it)
OPSET = 17
ENGINE_ENV = "VIDGIST_ENGINE"


def preferred_engine() -> str:
    """``$VIDGIST_ENGINE`` ("onnx" or "torch"), default "onnx"."""
    value = os.environ.get(ENGINE_ENV, "onnx").strip().lower() or "onnx"
    if value not in ("onnx", "torch"):
        raise ModelError(f"${ENGINE_ENV}={value}: choose onnx or torch")
    return value


def file_key(path: str | os.PathLike[str]) -> str:
    """A short content hash of a weights file plus the export recipe version.

    Hashing MiniLM's 90 MB took about 0.15 s of every cold start, so the key is remembered per file
    (``<cache>/onnx/keys/``, keyed by the resolved path, size and modification time): a file rewritten
    in place (a reinstall) gets a new mtime and is hashed again."""
    from vidgist.util.atomic import atomic_path
    from vidgist.util.cache import cache_dir

    p = Path(path).resolve()
    st = p.stat()
    stamp = f"{p}|{st.st_size}|{st.st_mtime_ns}|{EXPORT_VERSION}"
    memo = cache_dir() / "onnx" / "keys" / f"{hashlib.blake2b(stamp.encode(), digest_size=8).hexdigest()}.key"
    try:
        known = memo.read_text(encoding="ascii").strip()
        if len(known) == 16 and all(c in "0123456789abcdef" for c in known):
            return known
    except (OSError, UnicodeDecodeError):
        pass
    h = hashlib.blake2b(digest_size=8)
    h.update(EXPORT_VERSION.encode())
    with open(p, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    key = h.hexdigest()
    try:
        with atomic_path(memo) as tmp:
            Path(tmp).write_text(key, encoding="ascii")
    except OSError:
        pass  # an unwritable cache: hash again next time
    return key


def cached_model(name: str, weights: str | os.PathLike[str], build: Callable[[Path], None]) -> Path:
    """The cached ONNX export of ``weights`` (see module doc); raise ModelError if it cannot be built."""
    from vidgist.util.atomic import atomic_path
    from vidgist.util.cache import cache_dir

    target = cache_dir() / "onnx" / f"{name}-{file_key(weights)}.onnx"
    if target.exists():
        return target
    try:
        with atomic_path(target) as tmp:
            build(tmp)
    except ModelError:
        raise
    except Exception as exc:  # noqa: BLE001 - any export failure means "use the PyTorch engine"
        raise ModelError(f"{name}: ONNX export failed ({type(exc).__name__}: {str(exc)[:200]})") from None
    return target


def session(path: Path, threads: int = 2) -> Any:
    """An ONNX Runtime CPU session for ``path`` with ``threads`` intra-op threads."""
    try:
        import onnxruntime as ort
    except ImportError:
        raise ModelError("onnxruntime is not installed; pip install onnxruntime") from None
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = max(1, threads)
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.log_severity_level = 3
    # no busy-waiting between ops: the decoder and OCR threads need those cycles
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    except Exception as exc:  # noqa: BLE001 - a corrupt cache file: remove it so the next run rebuilds
        path.unlink(missing_ok=True)
        raise ModelError(
            f"{path}: cached ONNX model unreadable ({type(exc).__name__}); removed it, run again to rebuild"
        ) from None


def export(
    module: Any,
    args: tuple[Any, ...],
    path: Path,
    inputs: list[str],
    outputs: list[str],
    dynamic: dict[str, dict[int, str]],
) -> None:
    """``torch.onnx.export`` with the TorchScript exporter (no onnxscript needed), quietly."""
    import warnings

    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module.eval(),
            args,
            str(path),
            dynamo=False,
            input_names=inputs,
            output_names=outputs,
            dynamic_axes=dynamic,
            opset_version=OPSET,
        )
