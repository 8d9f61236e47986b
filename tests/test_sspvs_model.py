"""SSPVS torch modules: each pretraining loss on hand-made inputs, padding invariance, progressive rule."""

from __future__ import annotations

import math

import pytest
import torch

from vidgist.models.sspvs import (
    SSPVSConfig,
    SSPVSPretrainer,
    SSPVSSummarizer,
    TextEncoder,
    VideoEncoder,
    consistency_loss,
    hausdorff_distance,
    pretrain_losses,
    recovery_loss,
    summary_loss,
)


def tiny_text() -> TextEncoder:
    """A tiny randomly initialised BERT (no I/O): 2 layers, 16-d."""
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    cfg = BertConfig(
        vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
        max_position_embeddings=64,
    )  # fmt: skip
    return TextEncoder(BertModel(cfg))


def test_hausdorff_distance_of_known_point_sets() -> None:
    a = torch.tensor([[[0.0, 0.0], [1.0, 0.0]]])
    b = torch.tensor([[[0.0, 1.0]]])
    # a->b: max(1, sqrt 2) = sqrt 2; b->a: min(1, sqrt 2) = 1; symmetric = sqrt 2
    assert hausdorff_distance(a, b).item() == pytest.approx(math.sqrt(2.0))
    assert hausdorff_distance(b, a).item() == pytest.approx(math.sqrt(2.0))
    assert hausdorff_distance(a, a).item() == pytest.approx(0.0, abs=1e-6)
    # a far-away padded point must not count
    a_pad = torch.tensor([[[0.0, 0.0], [1.0, 0.0], [100.0, 100.0]]])
    mask = torch.tensor([[True, True, False]])
    assert hausdorff_distance(a_pad, b, mask, None).item() == pytest.approx(math.sqrt(2.0))
    assert hausdorff_distance(a_pad, b).item() > 100  # and it does when unmasked
    # one set inside the other: directed distances differ, the symmetric one takes the larger
    c = torch.tensor([[[0.0, 0.0], [3.0, 4.0]]])
    d = torch.tensor([[[0.0, 0.0]]])
    assert hausdorff_distance(c, d).item() == pytest.approx(5.0)


def test_consistency_loss_pulls_matches_and_pushes_mismatches_to_the_margin() -> None:
    m = math.sqrt(2.0)
    h = torch.tensor([0.5, 0.5, 2.0])
    y = torch.tensor([1.0, 0.0, 0.0])
    per = [0.5**2, (m - 0.5) ** 2, 0.0]  # matched: h^2; mismatched: max(0, m - h)^2
    assert consistency_loss(h, y).item() == pytest.approx(sum(per) / 3)


def test_match_bce_and_total_weights() -> None:
    c = SSPVSConfig(frame_dim=16, heads=2, layers=1, match_hidden=8, match_hidden2=8)
    torch.manual_seed(0)
    model = SSPVSPretrainer(c, tiny_text()).eval()
    frames = torch.randn(2, 12, 16)
    fm = torch.ones(2, 12, dtype=torch.bool)
    ids = torch.randint(0, 50, (2, 7))
    tm = torch.ones(2, 7, dtype=torch.bool)
    out = model(frames, fm, ids, tm, torch.tensor([3, 11]))
    y = torch.tensor([1.0, 0.0])
    t = pretrain_losses(out, frames[[0, 1], [3, 11]], y, fm, tm, c)
    p = torch.sigmoid(out.match_logit)
    bce = -(torch.log(p[0]) + torch.log(1 - p[1])) / 2
    assert t["bce"].item() == pytest.approx(bce.item(), rel=1e-5)
    assert t["total"].item() == pytest.approx((t["bce"] + 5 * t["mse"] + t["con"]).item(), rel=1e-5)
    assert out.gate.shape == (2, 2) and torch.allclose(out.gate.sum(-1), torch.ones(2))


def test_masked_recovery_loss_falls_on_a_learnable_toy() -> None:
    """Smooth non-negative sequences (like pooled CNN features): the masked step is predictable from its
    neighbours; only the MSE term trains."""
    c = SSPVSConfig(frame_dim=16, heads=2, layers=1, dropout=0.0, w_bce=0.0, w_con=0.0)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # 80 steps of a 16-d model: one thread, no contention on shared cores
    torch.manual_seed(0)
    model = SSPVSPretrainer(c, tiny_text())
    t = torch.arange(24, dtype=torch.float32)[None, :, None]
    freq = torch.linspace(0.1, 0.4, 16)[None, None, :]
    opt = torch.optim.Adam([p for n, p in model.named_parameters() if not n.startswith("text.")], lr=1e-2)
    ids = torch.randint(0, 50, (8, 5))
    tm = torch.ones(8, 5, dtype=torch.bool)
    losses = []
    gen = torch.Generator().manual_seed(1)
    for _ in range(80):
        phase = torch.rand(8, 1, 16, generator=gen) * 6.28
        frames = 0.5 + 0.5 * torch.sin(t * freq + phase)
        pos = torch.randint(2, 22, (8,), generator=gen)
        out = model(frames, None, ids, tm, pos)
        loss = recovery_loss(out.recon, frames[torch.arange(8), pos])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    torch.set_num_threads(threads)
    assert sum(losses[-10:]) / 10 < 0.5 * losses[0]


def test_padding_never_changes_the_scores_of_real_steps() -> None:
    torch.manual_seed(0)
    c = SSPVSConfig(frame_dim=16, heads=2, layers=2, stages=3, stage_dropout=[0.3])
    model = SSPVSSummarizer(c).eval()
    a, b = torch.randn(10, 16), torch.randn(17, 16)
    alone = model(a[None]).scores[0]
    batch = torch.zeros(2, 17, 16)
    batch[0, :10], batch[1] = a, b
    batch[0, 10:] = 7.0  # garbage in the padding must not leak either
    mask = torch.zeros(2, 17, dtype=torch.bool)
    mask[0, :10], mask[1] = True, True
    out = model(batch, mask)
    assert torch.allclose(out.scores[0, :10], alone, atol=1e-5)
    assert torch.all(out.scores[0, 10:] == 0)
    # the encoder and the pretraining frame embeddings too
    enc = VideoEncoder(c).eval()
    assert torch.allclose(enc(batch, mask)[1][0, :10], enc(a[None])[1][0], atol=1e-5)


def test_progressive_rule_and_fixes_of_the_reference() -> None:
    torch.manual_seed(0)
    c = SSPVSConfig(frame_dim=16, heads=2, layers=3, stages=3, stage_dropout=[0.1, 0.2, 0.3])
    model = SSPVSSummarizer(c).eval()
    x = torch.randn(1, 9, 16)
    out = model(x)
    assert len(out.stage_scores) == 3
    prod = out.stage_scores[0] * out.stage_scores[1] * out.stage_scores[2]
    assert torch.allclose(out.scores, prod)
    # stage 2 sees F_2 = F_1 * (1 + s_1): recompute it by hand
    _, g = model.encoder(x * (1 + out.stage_scores[0][..., None]))
    s2 = torch.sigmoid(model.heads[1](g + x * (1 + out.stage_scores[0][..., None])).squeeze(-1))
    assert torch.allclose(s2, out.stage_scores[1], atol=1e-6)
    # per-stage dropout is honoured; layers do not start as identical copies
    assert [h[0].p for h in model.heads] == [0.1, 0.2, 0.3]
    w = [layer.ff[0].weight for layer in model.encoder.encoder.layers]
    assert not torch.equal(w[0], w[1])
    # the loss reaches every stage (no detach)
    model.train()
    loss = summary_loss(model(x).scores, torch.rand(1, 9), torch.ones(1, 9, dtype=torch.bool))
    loss.backward()
    assert all(h[1].weight.grad is not None and h[1].weight.grad.abs().sum() > 0 for h in model.heads)


def test_text_guidance_changes_scores_and_frozen_encoder_keeps_only_the_pooler_trainable() -> None:
    torch.manual_seed(0)
    c = SSPVSConfig(frame_dim=16, heads=2, layers=1, stages=2, text_guidance=True)
    model = SSPVSSummarizer(c, tiny_text()).eval()
    model.text.freeze_but_pooler()  # type: ignore[union-attr]
    trainable = {n for n, p in model.text.named_parameters() if p.requires_grad}  # type: ignore[union-attr]
    assert trainable and all(".pooler." in f".{n}" for n in trainable)
    model.train()
    assert not model.text.hf.training  # type: ignore[union-attr]
    model.eval()
    x = torch.randn(1, 8, 16)
    tm = torch.ones(1, 6, dtype=torch.bool)
    s1 = model(x, None, torch.tensor([[1, 2, 3, 4, 5, 6]]), tm).scores
    s2 = model(x, None, torch.tensor([[1, 9, 9, 9, 9, 6]]), tm).scores
    assert not torch.allclose(s1, s2)
    with pytest.raises(ValueError, match="text guidance"):
        model(x)
