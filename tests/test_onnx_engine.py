"""The ONNX Runtime engine of the offline backbone: exported from the real weights into a fresh cache,
it computes what the PyTorch modules compute; a corrupt cache falls back to PyTorch and is removed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import VIDEOS

from vidgist.backbones import onnx_engine
from vidgist.backbones.offline import FrameNet, TextNet, resize_crop
from vidgist.errors import ModelError
from vidgist.media.video import iter_frames


@pytest.fixture(scope="module")
def crops() -> np.ndarray:
    imgs = [f for _, f in iter_frames(VIDEOS / "bikes_10s.mp4", fps=1.0)]
    imgs += [f for _, f in iter_frames(VIDEOS / "chaplin_10s.mp4", fps=0.5)]
    return resize_crop(imgs)


@pytest.fixture(scope="module")
def fresh_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("vidgist-cache")


def test_frame_model_export_matches_torch(
    crops: np.ndarray, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VIDGIST_CACHE", str(fresh_cache))
    onnx_net = FrameNet("onnx", threads=1)
    assert onnx_net.engine == "onnx" and onnx_net.note == ""
    exported = list((fresh_cache / "onnx").glob("efficientnet-lite0-*.onnx"))
    assert len(exported) == 1 and exported[0].stat().st_size > 10_000_000
    assert not [p for p in (fresh_cache / "onnx").iterdir() if p.name.startswith(".")]  # no temp left
    pooled, logits = onnx_net(crops)
    ref_pooled, ref_logits = FrameNet("torch", threads=1)(crops)
    assert pooled.shape == (len(crops), 1280) and logits.shape == (len(crops), 1000)
    np.testing.assert_allclose(pooled, ref_pooled, atol=1e-4, rtol=1e-4)
    np.testing.assert_allclose(logits, ref_logits, atol=1e-3, rtol=1e-4)
    assert (logits.argmax(1) == ref_logits.argmax(1)).all()
    # a second instance reuses the cached file (no new export)
    FrameNet("onnx", threads=1)
    assert list((fresh_cache / "onnx").glob("efficientnet-lite0-*.onnx")) == exported


def test_text_model_export_matches_sentence_transformers(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VIDGIST_CACHE", str(fresh_cache))
    texts = [
        "bicycles racing down a mountain trail",
        "a white rabbit",
        "Planet Earth!",
        "word " * 400,
        "城市的夜景",
        "",
    ]
    onnx_net = TextNet("onnx", threads=1)
    assert onnx_net.engine == "onnx", onnx_net.note
    ours = onnx_net(texts, batch_size=4)
    ref = TextNet("torch")(texts)
    assert ours.shape == (len(texts), 384)
    np.testing.assert_allclose(ours, ref, atol=1e-4)  # same tokens (256-token truncation), same pooling
    sims = ours @ ours.T
    assert sims[0, 1] < 0.9  # different sentences stay different


def test_corrupt_cached_model_falls_back_to_torch_and_is_removed(
    crops: np.ndarray, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VIDGIST_CACHE", str(tmp_path))
    from vidgist.backbones.offline_nets import efficientnet_weights

    target = tmp_path / "onnx" / f"efficientnet-lite0-{onnx_engine.file_key(efficientnet_weights())}.onnx"
    target.parent.mkdir(parents=True, exist_ok=True)  # file_key() may have made it (its key memo)
    target.write_bytes(b"not an onnx graph")
    net = FrameNet("onnx", threads=1)
    assert net.engine == "torch" and "unreadable" in net.note
    assert not target.exists()  # removed, so the next run rebuilds it
    pooled, _ = net(crops[:2])
    assert pooled.shape == (2, 1280) and np.isfinite(pooled).all()


def test_engine_choice_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIDGIST_ENGINE", "torch")
    assert onnx_engine.preferred_engine() == "torch"
    monkeypatch.setenv("VIDGIST_ENGINE", "tensorrt")
    with pytest.raises(ModelError, match="choose onnx or torch"):
        onnx_engine.preferred_engine()
    monkeypatch.delenv("VIDGIST_ENGINE")
    assert onnx_engine.preferred_engine() == "onnx"


def test_file_key_is_remembered_until_the_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    monkeypatch.setenv("VIDGIST_CACHE", str(tmp_path / "cache"))
    weights = tmp_path / "w.bin"
    weights.write_bytes(b"a" * 1000)
    first = onnx_engine.file_key(weights)
    memos = list((tmp_path / "cache" / "onnx" / "keys").glob("*.key"))
    assert len(memos) == 1 and memos[0].read_text() == first
    assert onnx_engine.file_key(weights) == first  # from the memo
    st = weights.stat()
    weights.write_bytes(b"b" * 1000)  # same size, rewritten in place: a new modification time
    os.utime(weights, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    second = onnx_engine.file_key(weights)
    assert second != first and len(second) == 16
