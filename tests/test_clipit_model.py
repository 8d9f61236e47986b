"""CLIP-It model: masking, hand-checked losses, gradients, determinism (vidgist.models.clip_it / blocks)."""

from __future__ import annotations

import math

import pytest
import torch

from vidgist.models.blocks import (
    MultiHeadCrossAttention,
    PositionalEncoding,
    TransformerEncoder,
    pad_sequences,
)
from vidgist.models.clip_it import (
    ClipIt,
    ClipItConfig,
    ClipItOutput,
    _selected,
    clip_it_losses,
    diversity_loss,
    reconstruction_loss,
    weighted_bce,
)

DV, DT = 12, 10


def _model(seed: int = 0, **kw: object) -> ClipIt:
    torch.manual_seed(seed)
    cfg = ClipItConfig(
        frame_dim=DV, text_dim=DT, d_model=16, attn_heads=4, heads=2, layers=2, ff=32, dropout=0.0
    )
    for k, v in kw.items():
        setattr(cfg, k, v)
    return ClipIt(cfg).eval()


def test_attention_shapes_and_padded_keys_get_zero_weight() -> None:
    torch.manual_seed(0)
    att = MultiHeadCrossAttention(DV, DT, 16, 4).eval()
    q, kv = torch.randn(2, 7, DV), torch.randn(2, 5, DT)
    kv_mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0]], dtype=torch.bool)
    out, w = att(q, kv, kv_mask=kv_mask, return_weights=True)
    assert out.shape == (2, 7, 16) and w.shape == (2, 4, 7, 5)
    assert torch.all(w[1, :, :, 2:] == 0)
    assert torch.allclose(w.sum(-1), torch.ones(2, 4, 7), atol=1e-6)


def test_encoder_and_positional_encoding_ignore_padding() -> None:
    torch.manual_seed(0)
    enc, pe = TransformerEncoder(16, 4, 2, 32).eval(), PositionalEncoding(16, max_len=4)
    x = torch.randn(1, 6, 16)
    xp, mask = pad_sequences([x[0], torch.randn(9, 16)])  # first sequence padded from 6 to 9
    y_alone = enc(pe(x))  # also exercises positions beyond max_len=4
    y_pad = enc(pe(xp), mask)
    assert torch.allclose(y_alone[0], y_pad[0, :6], atol=1e-5)
    assert torch.all(y_pad[0, 6:] == 0)


def test_padding_in_a_batch_does_not_change_scores() -> None:
    m = _model()
    torch.manual_seed(1)
    lens = [(9, 1), (15, 3), (4, 2)]  # (n frames, N sentences): variable n and N
    frames = [torch.randn(n, DV) for n, _ in lens]
    texts = [torch.randn(k, DT) for _, k in lens]
    fb, fm = pad_sequences(frames)
    tb, tm = pad_sequences(texts)
    with torch.no_grad():
        batched = m(fb, fm, tb, tm, return_attention=True)
        for i, (n, k) in enumerate(lens):
            alone = m(frames[i][None], None, texts[i][None], None)
            assert torch.allclose(batched.scores[i, :n], alone.scores[0], atol=1e-5)
            assert torch.allclose(batched.recon[i, :n], alone.recon[0], atol=1e-5)
            assert torch.all(batched.scores[i, n:] == 0)
            assert batched.attn is not None and torch.all(batched.attn[i, :, :, k:] == 0)
    assert batched.scores.shape == (3, 15)
    assert torch.all((batched.scores[fm] > 0) & (batched.scores[fm] < 1))


def test_text_changes_scores() -> None:
    m = _model()
    torch.manual_seed(2)
    f = torch.randn(1, 8, DV)
    with torch.no_grad():
        a = m(f, None, torch.randn(1, 2, DT), None).scores
        b = m(f, None, torch.randn(1, 2, DT), None).scores
    assert not torch.allclose(a, b)


def test_weighted_bce_hand_checked() -> None:
    s = torch.tensor([[0.8, 0.4, 0.1, 0.5]])
    y = torch.tensor([[1.0, 0.0, 0.0, 1.0]])
    mask = torch.tensor([[True, True, True, False]])  # last frame is padding
    # 1 positive, 2 negatives -> positive weight 2
    expected = -(2 * math.log(0.8) + math.log(0.6) + math.log(0.9)) / 3
    assert weighted_bce(s, y, mask) == pytest.approx(expected, rel=1e-6)
    expected_plain = -(math.log(0.8) + math.log(0.6) + math.log(0.9)) / 3
    assert weighted_bce(s, y, mask, pos_weight="none") == pytest.approx(expected_plain, rel=1e-6)


def test_diversity_loss_hand_checked() -> None:
    r = torch.tensor([[[1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [5.0, 5.0]]])
    sel = torch.tensor([[True, True, False, False]])
    assert diversity_loss(r, sel) == pytest.approx(1 / math.sqrt(2), rel=1e-6)
    sel3 = torch.tensor([[True, True, True, False]])
    # pairs: (1,2)=1/sqrt2, (1,3)=0, (2,3)=1/sqrt2 -> mean 2/(3 sqrt2)
    assert diversity_loss(r, sel3) == pytest.approx(2 / (3 * math.sqrt(2)), rel=1e-6)
    # selection: top ceil(0.5 * 3) = 2 valid frames by score, padding never selected
    scores = torch.tensor([[0.1, 0.9, 0.5, 1.0]])
    assert _selected(scores, torch.tensor([[True, True, True, False]]), 0.5).tolist() == [
        [False, True, True, False]
    ]


def test_reconstruction_loss_hand_checked() -> None:
    x = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [9.0, 9.0]]])
    r = torch.tensor([[[1.0, 0.0], [3.0, 3.0], [0.0, 0.0]]])
    mask = torch.tensor([[True, True, False]])
    assert reconstruction_loss(x, r, mask) == pytest.approx((4 / 2 + 1 / 2) / 2)


def test_total_loss_weights_and_unsupervised_terms() -> None:
    cfg = ClipItConfig(frame_dim=2, text_dim=2, alpha=2.0, beta=0.5, lam=3.0, selection_ratio=0.5)
    out = ClipItOutput(
        scores=torch.tensor([[0.8, 0.4, 0.1]]),
        hidden=torch.zeros(1, 3, 4),
        recon=torch.tensor([[[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]]),
        attn=None,
    )
    x = torch.tensor([[[1.0, 0.0], [1.0, 0.0], [0.0, 0.0]]])
    mask = torch.ones(1, 3, dtype=torch.bool)
    y = torch.tensor([[1.0, 0.0, 0.0]])
    t = clip_it_losses(out, x, mask, y, cfg)
    assert t["div"] == pytest.approx(1 / math.sqrt(2), rel=1e-6)  # frames 0 and 1 selected
    assert t["rec"] == pytest.approx((0 + 0.5 + 0.5) / 3, rel=1e-6)
    f = {k: float(v) for k, v in t.items()}
    assert f["total"] == pytest.approx(2.0 * f["cls"] + 0.5 * f["div"] + 3.0 * f["rec"], rel=1e-6)
    cfg.supervised = False
    cfg.unsupervised_objective = "paper"  # the paper's terms (coverage: test_model_fidelity)
    tu = clip_it_losses(out, x, mask, None, cfg)
    assert "cls" not in tu and float(tu["total"]) == pytest.approx(0.5 * f["div"] + 3.0 * f["rec"], rel=1e-6)


@pytest.mark.parametrize("supervised", [True, False])
def test_gradient_reaches_every_parameter(supervised: bool) -> None:
    m = _model(supervised=supervised).train()
    m.config.unsupervised_objective = "paper"  # the coverage objective does not use the reconstruction head
    torch.manual_seed(3)
    fb, fm = pad_sequences([torch.randn(10, DV), torch.randn(7, DV)])
    tb, tm = pad_sequences([torch.randn(2, DT), torch.randn(3, DT)])
    labels = (torch.rand(2, 10) > 0.7).float()
    out = m(fb, fm, tb, tm)
    clip_it_losses(out, fb, fm, labels if supervised else None, m.config)["total"].backward()
    for name, p in m.named_parameters():
        assert p.grad is not None and torch.isfinite(p.grad).all(), name
        assert p.grad.abs().sum() > 0, f"no gradient reaches {name}"


def test_same_seed_same_model_other_seed_differs() -> None:
    a, b, c = _model(seed=5), _model(seed=5), _model(seed=6)
    sa, sb, sc = a.state_dict(), b.state_dict(), c.state_dict()
    assert all(torch.equal(sa[k], sb[k]) for k in sa)
    assert any(not torch.equal(sa[k], sc[k]) for k in sa)


def test_add_join_variant_runs() -> None:
    m = _model(join="add")
    with torch.no_grad():
        s = m(torch.randn(1, 5, DV), None, torch.randn(1, 1, DT), None).scores
    assert s.shape == (1, 5) and m.join_proj is None
    with pytest.raises(ValueError):
        _model(join="sum")
