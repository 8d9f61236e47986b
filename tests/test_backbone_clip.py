"""The CLIP backbone on a tiny randomly initialised CLIP saved to disk: the path a real checkpoint takes.

The tiny model (32x32 images, patch 8, 2-layer towers, 16-d projection) and its byte-level BPE tokenizer are
built here with no network, saved with ``save_pretrained`` and loaded through ``load_backbone``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import SHARED

from vidgist.backbones import CLIP_ENV, DEFAULT_CLIP, load_backbone
from vidgist.errors import ModelError

PROJ = 16


def _byte_chars() -> list[str]:
    """GPT-2/CLIP byte-to-unicode table: 256 printable stand-ins, one per byte."""
    keep = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("\xa1"), ord("\xac") + 1))
        + list(range(ord("\xae"), ord("\xff") + 1))
    )
    out, extra = {b: chr(b) for b in keep}, 0
    for b in range(256):
        if b not in out:
            out[b] = chr(256 + extra)
            extra += 1
    return [out[b] for b in range(256)]


def build_tiny_clip(folder: Path) -> Path:
    """Save a tiny random CLIPModel + CLIP BPE tokenizer + 32-px image processor into ``folder``."""
    import torch
    from transformers import CLIPConfig, CLIPModel, CLIPTokenizer

    from vidgist.backbones.clip import _image_processor_class

    chars = _byte_chars()
    vocab: dict[str, int] = {}
    for c in chars + [c + "</w>" for c in chars]:
        vocab[c] = len(vocab)
    merges = [("r", "a"), ("ra", "b"), ("rab", "b"), ("rabb", "i"), ("rabbi", "t</w>")]
    for a, b in merges:
        vocab[a + b] = len(vocab)
    bos, eos = len(vocab), len(vocab) + 1
    vocab["<|startoftext|>"], vocab["<|endoftext|>"] = bos, eos
    tok = CLIPTokenizer(vocab=vocab, merges=merges)  # type: ignore[arg-type]  # tokenizers wants pairs
    torch.manual_seed(0)
    cfg = CLIPConfig(
        text_config={
            "vocab_size": len(vocab),
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "max_position_embeddings": 32,
            "bos_token_id": bos,
            "eos_token_id": eos,
            "pad_token_id": eos,
        },
        vision_config={
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "image_size": 32,
            "patch_size": 8,
        },
        projection_dim=PROJ,
    )
    model = CLIPModel(cfg).eval()
    proc = _image_processor_class()(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32})
    model.save_pretrained(folder)
    tok.save_pretrained(folder)
    proc.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_clip(tmp_path_factory.mktemp("tiny-clip"))


@pytest.fixture(scope="module")
def tiny(tiny_dir: Path):
    return load_backbone(f"clip:tiny:{tiny_dir}")


def _images(n: int, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.integers(0, 256, (90 + 10 * i, 160, 3), dtype=np.uint8) for i in range(n)]


def test_tokenizer_round_trip(tiny) -> None:
    ids = tiny.tokenizer(["a rabbit"])["input_ids"][0]
    tokens = tiny.tokenizer.convert_ids_to_tokens(ids)
    assert tokens == ["<|startoftext|>", "a</w>", "rabbit</w>", "<|endoftext|>"]


def test_shapes_normalisation_determinism(tiny, tiny_dir: Path) -> None:
    assert tiny.name == "clip:tiny" and tiny.joint and tiny.frame_dim == tiny.text_dim == PROJ
    assert str(tiny_dir) in tiny.reason
    imgs = _images(5)
    f = tiny.encode_frames(imgs)
    assert f.shape == (5, PROJ) and f.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(f, axis=1), 1.0, atol=1e-5)
    assert np.ptp(f, axis=0).max() > 1e-3  # different images, different vectors
    np.testing.assert_array_equal(tiny.encode_frames(imgs), f)  # deterministic
    np.testing.assert_allclose(tiny.encode_frames(imgs[2:3])[0], f[2], atol=1e-5)  # batch-independent
    texts = ["a rabbit", "riders on bicycles", "the planet earth " * 30]  # the last one is truncated
    t = tiny.encode_texts(texts)
    assert t.shape == (3, PROJ) and t.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(t, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(tiny.encode_texts(texts), t)
    assert not np.allclose(t[0], t[1])
    np.testing.assert_allclose(tiny.frames_to_text_space(imgs, f), f, atol=1e-6)  # joint: identity
    assert tiny.encode_frames([]).shape == (0, PROJ) and tiny.encode_texts([]).shape == (0, PROJ)


def test_same_weights_as_saved(tiny, tiny_dir: Path) -> None:
    """The backbone really uses the saved checkpoint: recompute one text embedding by hand."""
    import torch
    from transformers import CLIPModel

    ref = CLIPModel.from_pretrained(str(tiny_dir), local_files_only=True).eval()
    ids = tiny.tokenizer(["a rabbit"], return_tensors="pt")
    with torch.no_grad():
        out = ref.get_text_features(**ids)
    v = (out if hasattr(out, "shape") else out.pooler_output)[0].numpy()
    np.testing.assert_allclose(tiny.encode_texts(["a rabbit"])[0], v / np.linalg.norm(v), atol=1e-5)


def test_single_safetensors_file(tiny_dir: Path) -> None:
    bb = load_backbone(f"clip:tiny:{tiny_dir / 'model.safetensors'}")
    ref = load_backbone(f"clip:tiny:{tiny_dir}")
    np.testing.assert_allclose(bb.encode_texts(["a rabbit"]), ref.encode_texts(["a rabbit"]), atol=1e-6)


def test_auto_picks_clip_from_env(tiny_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CLIP_ENV, str(tiny_dir))
    bb: Any = load_backbone("auto")
    assert bb.name.startswith("clip:") and bb.joint
    assert CLIP_ENV in bb.reason and "using clip" in bb.reason
    assert load_backbone("clip").frame_dim == PROJ  # bare "clip" follows $VIDGIST_CLIP too


def test_auto_without_weights_picks_offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import huggingface_hub.constants

    monkeypatch.delenv(CLIP_ENV, raising=False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path))  # an empty HF cache
    bb: Any = load_backbone("auto")
    assert bb.name == "offline" and not bb.joint
    assert "offline" in bb.reason and CLIP_ENV in bb.reason and DEFAULT_CLIP in bb.reason


def test_auto_finds_clip_in_hf_cache(tiny_dir: Path, tmp_path: Path) -> None:
    """A Hugging Face cache holding openai/clip-vit-base-patch32 makes `auto` load it, offline."""
    snap = tmp_path / "hub" / ("models--" + DEFAULT_CLIP.replace("/", "--")) / "snapshots" / ("0" * 40)
    snap.mkdir(parents=True)
    for f in tiny_dir.iterdir():
        (snap / f.name).write_bytes(f.read_bytes())
    (snap.parents[1] / "refs").mkdir()
    (snap.parents[1] / "refs" / "main").write_text("0" * 40)
    env = {k: v for k, v in os.environ.items() if k != CLIP_ENV}
    env.update(HF_HUB_CACHE=str(tmp_path / "hub"), HF_HUB_OFFLINE="1")
    code = (
        "import json; from vidgist.backbones import load_backbone; b = load_backbone('auto'); "
        "print(json.dumps([b.name, b.reason, b.encode_texts(['a rabbit']).shape[1]]))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    name, reason, dim = json.loads(out.stdout.strip().splitlines()[-1])
    assert name == f"clip:{DEFAULT_CLIP}" and "Hugging Face cache" in reason and dim == PROJ
    assert "Loading weights" not in out.stderr  # loading is quiet


def test_missing_or_invalid_paths_raise_one_line(
    tmp_path: Path, tiny_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(ModelError, match=str(missing)) as e1:
        load_backbone(f"clip:tiny:{missing}")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ModelError, match="config.json") as e2:
        load_backbone(f"clip:tiny:{empty}")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text((tiny_dir / "config.json").read_text())
    with pytest.raises(ModelError, match=str(broken)) as e3:
        load_backbone(f"clip:tiny:{broken}")  # config but no weights
    monkeypatch.setenv(CLIP_ENV, str(missing))
    with pytest.raises(ModelError, match=CLIP_ENV) as e4:
        load_backbone("auto")
    for e in (e1, e2, e3, e4):
        assert "\n" not in str(e.value)


def test_summarizer_runs_with_tiny_clip(tiny_dir: Path) -> None:
    from vidgist import Summarizer

    res = Summarizer(backbone=f"clip:tiny:{tiny_dir}", asr=False, ocr=False).summarize(
        SHARED / "videos" / "bigbuckbunny_5s.mp4", queries="rabbit", fill=True
    )  # random tiny weights
    assert res.backbone == "clip:tiny"
    assert res.segments and all(0 <= s.start < s.end <= res.info.duration + 1e-6 for s in res.segments)
    assert len(res.timeline.scores) == len(res.timeline.times) > 0


def test_text_channels_use_the_sentence_model_with_clip(tiny) -> None:
    """With CLIP the frames meet the queries in CLIP's space, but transcript and on-screen text meet them
    in the relevance text model's (all-mpnet-base-v2), exactly as with the offline backbone, so the calibrated
    spoken and on-screen-text channels mean the same whichever backbone sees the frames."""
    from vidgist.backbones import sentence_encoder
    from vidgist.backbones.offline import encode_sentences
    from vidgist.scorers.zero_shot import ZeroShotScorer
    from vidgist.types import Evidence, Features, TextSpan, VideoInfo

    assert sentence_encoder(tiny) is encode_sentences
    offline = load_backbone("offline")
    assert sentence_encoder(offline) == offline.encode_texts
    times = np.arange(0.0, 4.0, 0.5)
    images = _images(len(times))
    frames = tiny.encode_frames(images)
    spans = (
        TextSpan(0.0, 2.0, "Today we bake a chocolate cake.", "speech"),
        TextSpan(2.0, 4.0, "Our team won the football final.", "speech"),
        TextSpan(2.5, 3.5, "BREAKING NEWS", "ocr"),
    )
    info = VideoInfo(Path("synthetic.mp4"), 4.0, 2.0, 8, 160, 90, 0, True)
    queries = ["baking a cake", "breaking news"]
    with_clip = ZeroShotScorer().channel_similarities(
        Evidence(
            info=info,
            frames=Features(times, frames),
            frames_in_text_space=tiny.frames_to_text_space(images, frames),
            spans=spans,
        ),
        queries,
        tiny,
    )
    with_minilm = ZeroShotScorer().channel_similarities(
        Evidence(info=info, frames=Features(times, frames), frames_in_text_space=None, spans=spans),
        queries,
        offline,
    )
    for channel in ("speech", "ocr"):
        np.testing.assert_allclose(with_clip[channel], with_minilm[channel], atol=1e-6)
    assert with_clip["visual"].shape == (2, len(times)) and "visual" not in with_minilm
    cake, news = with_clip["speech"][0], with_clip["ocr"][1]
    assert cake[times < 1.5].min() > cake[times >= 2.5].max()  # the cake sentence, not the football one
    assert np.nanmax(news) > 0.99  # the caption says the query exactly
