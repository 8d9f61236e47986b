"""QMS model: pretrained-BART loading path, forward shapes under every flag, checkpoint round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from vidgist.data.qms_items import QMSItem
from vidgist.errors import ModelError
from vidgist.models.qms import ABLATIONS, QMSConfig, new_qms_model
from vidgist.models.qms_tokenize import HFTokenizer, WordTokenizer, minilm_tokenizer_path
from vidgist.qms.checkpoint import load_checkpoint, save_checkpoint
from vidgist.qms.encode import collate, encode_items, target_tensors

TINY = {"d_model": 32, "layers": 1, "heads": 2, "ffn_dim": 64, "frame_dim": 8, "max_query": 6, "dropout": 0.0}


def _items() -> list[QMSItem]:
    rng = np.random.default_rng(0)
    return [
        QMSItem(
            "a",
            ("panda noodles", "funny videos"),
            "so today the panda eats noodles",
            rng.normal(size=(5, 8)).astype(np.float32),
        ),
        QMSItem(
            "b",
            ("red guitar",),
            "we play a red guitar tonight and more",
            rng.normal(size=(3, 8)).astype(np.float32),
        ),
    ]


def _tiny_model(seed: int = 0) -> tuple[list[QMSItem], WordTokenizer, QMSConfig, torch.nn.Module]:
    """The two items, their word tokenizer, the TINY config and a model initialised from ``seed``."""
    items = _items()
    tok = WordTokenizer.build([it.transcript for it in items] + [q for it in items for q in it.queries])
    cfg = QMSConfig(**TINY)
    torch.manual_seed(seed)
    return items, tok, cfg, new_qms_model(cfg, tok.vocab_size, tok.pad_id, tok.bos_id, tok.eos_id)


@pytest.fixture(scope="module")
def tiny_bart_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised BART saved like a hub model, with a tokenizer, in a temp folder."""
    from transformers import AutoTokenizer, BartConfig, BartForConditionalGeneration

    tok = AutoTokenizer.from_pretrained(minilm_tokenizer_path())
    cfg = BartConfig(
        vocab_size=len(tok),
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=64,
        pad_token_id=tok.pad_token_id,
        bos_token_id=tok.cls_token_id,
        eos_token_id=tok.sep_token_id,
        decoder_start_token_id=tok.sep_token_id,
    )
    torch.manual_seed(1)
    d = tmp_path_factory.mktemp("tiny_bart")
    BartForConditionalGeneration(cfg).save_pretrained(str(d))
    tok.save_pretrained(str(d))
    return d


def test_pretrained_bart_weights_are_loaded(tiny_bart_dir: Path) -> None:
    from transformers import BartForConditionalGeneration

    ref = BartForConditionalGeneration.from_pretrained(str(tiny_bart_dir))
    tok = HFTokenizer(str(tiny_bart_dir))
    cfg = QMSConfig(backbone=f"bart:{tiny_bart_dir}", frame_dim=8, max_query=6)
    m = new_qms_model(cfg, tok.vocab_size, tok.pad_id, tok.bos_id, tok.eos_id)
    assert (cfg.d_model, cfg.layers, cfg.heads) == (32, 1, 2)  # sizes taken from the pretrained config
    a = m.bart.model.encoder.layers[0].self_attn.k_proj.weight
    torch.testing.assert_close(a, ref.model.encoder.layers[0].self_attn.k_proj.weight)
    torch.testing.assert_close(m.bart.lm_head.weight, ref.lm_head.weight)
    # the visual encoder has the same architecture but its own random weights (Eq. 1)
    v = m.visual_encoder.layers[0].self_attn.k_proj.weight
    assert v.shape == a.shape and not torch.allclose(v, a)
    enc = encode_items(_items(), tok, cfg)
    batch, _ = collate(enc, tok.pad_id)
    mem, mask = m.memory(m.encode(batch))
    assert mem.shape[0] == 2 and mem.shape[-1] == 32


def test_missing_pretrained_bart_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot load BART"):
        new_qms_model(QMSConfig(backbone=f"bart:{tmp_path / 'nope'}", frame_dim=8), 10, 0, 1, 2)


@pytest.mark.parametrize("flag", [None, *ABLATIONS])
def test_forward_shapes_under_each_flag(flag: str | None) -> None:
    items = _items()
    tok = WordTokenizer.build([it.transcript for it in items] + [q for it in items for q in it.queries])
    cfg = QMSConfig(**TINY).with_flags(**({flag: True} if flag else {}))
    torch.manual_seed(0)
    m = new_qms_model(cfg, tok.vocab_size, tok.pad_id, tok.bos_id, tok.eos_id)
    enc = encode_items(items, tok, cfg)
    batch, y = collate(enc, tok.pad_id)
    e = m.encode(batch)
    assert (e.v is None) == (flag == "no_visual")
    assert (e.t is None) == (flag == "no_textual")
    assert (e.h is None) == (flag in ("no_entity", "no_textual"))
    mem, mask = m.memory(e)
    n = (
        (0 if e.v is None else e.v.shape[1])
        + (0 if e.t is None else e.t.shape[1])
        + (0 if e.t_e is None else e.t_e.shape[1])
    )
    assert mem.shape == (2, n, 32) and mask.shape == (2, n)  # M = [V; T; T_e], Eq. 7
    dec_in, tgt, tm = target_tensors([v.query_ids[0] for v in enc], 2, 0)
    nll = m.token_nll(mem, mask, dec_in, tgt, tm)
    assert nll.shape == (2,) and torch.isfinite(nll).all()
    assert y.shape == batch.text_ids.shape and y[0].sum() >= 2  # 'panda', 'noodles' labelled (Eq. 9)


def test_checkpoint_round_trip_generates_the_same(tmp_path: Path) -> None:
    items, tok, cfg, m = _tiny_model(0)
    m.eval()
    enc = encode_items(items, tok, cfg)
    batch, _ = collate(enc, tok.pad_id)
    mem, mask = m.memory(m.encode(batch))
    before = m.generate_ids(mem, mask, num_beams=4)
    greedy = m.generate_ids(mem, mask, num_beams=1)
    save_checkpoint(tmp_path / "ck", m, tok, {"feature_backbone": "offline"})
    m2, tok2, meta = load_checkpoint(tmp_path / "ck")
    assert meta["feature_backbone"] == "offline" and tok2.vocab_size == tok.vocab_size
    mem2, mask2 = m2.memory(m2.encode(batch))
    assert m2.generate_ids(mem2, mask2, num_beams=4) == before
    assert m2.generate_ids(mem2, mask2, num_beams=1) == greedy
    assert all(len(g) <= cfg.max_query for g in before)


def test_not_a_checkpoint_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not a QMS checkpoint"):
        load_checkpoint(tmp_path)


def test_one_batched_decode_gives_each_modality_its_own_confidence() -> None:
    from vidgist.models.qms_text import confidence_score
    from vidgist.train.qms import _confidences

    items, tok, cfg, m = _tiny_model(1)
    m.train()
    enc = encode_items(items, tok, cfg)
    e = m.encode(collate(enc, tok.pad_id)[0])
    assert e.v.shape[1] != e.t.shape[1]  # the shorter memory is padded under its mask
    u_v, u_t = _confidences(m, tok, (e.v, e.v_mask), (e.t, e.t_mask), enc)
    m.eval()
    for mem, mask, got in ((e.v, e.v_mask, u_v), (e.t, e.t_mask, u_t)):
        ids = m.generate_ids(mem.detach(), mask, num_beams=1)
        want = [confidence_score(tok.decode(g), v.queries) for g, v in zip(ids, enc, strict=True)]
        assert got.tolist() == pytest.approx(want)


def test_training_stops_when_validation_stops_improving() -> None:
    from vidgist.train.qms import QMSTrainConfig, train_qms

    items = [
        QMSItem(it.item_id + s, it.queries, it.transcript, it.features, s)
        for s in ("train", "eval")
        for it in _items()
    ]
    model = {**TINY, "tokenizer": "word"}
    tc = QMSTrainConfig(model=model, epochs=6, batch_size=2, lr=0.0, select_every=1, patience=2, eval_beams=1)
    tr = train_qms(
        items,
        tc,
        probs={it.item_id: np.full(len(it.queries), 1 / len(it.queries)) for it in items},
        progress=False,
    )
    assert [h["epoch"] for h in tr.history] == [1, 2, 3]  # lr 0: no epoch beats the first
    assert tr.best_epoch == 1 and "2 validation(s) in a row" in tr.selection_rule
