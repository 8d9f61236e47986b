"""Baselines compared with CLIP-It: DSNet anchor-free and PGL-SUM style scorers, random, uniform."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from vidgist.models import build_model, frame_scores
from vidgist.models.baselines import (
    DSNetAF,
    DSNetAFConfig,
    DSNetAFOutput,
    PGLSum,
    PGLSumConfig,
    nms_1d,
    random_scores,
    segment_offsets,
    uniform_scores,
)
from vidgist.models.blocks import pad_sequences


def test_segment_offsets_and_centerness_hand_checked() -> None:
    off, ctr = segment_offsets(np.array([0, 1, 1, 1, 0, 1]))
    assert off.tolist() == [[0, 0], [0, 2], [1, 1], [2, 0], [0, 0], [0, 0]]
    assert ctr.tolist() == pytest.approx([0, 0, 1, 0, 0, 0], abs=1e-6)


def test_nms_1d_keeps_best_and_drops_overlaps() -> None:
    s = np.array([0.9, 0.8, 0.3])
    b = np.array([[0, 10], [1, 10], [20, 25]], dtype=float)  # IoU(0,1) = 0.9
    ks, kb = nms_1d(s, b, 0.5)
    assert ks.tolist() == [0.9, 0.3] and kb.tolist() == [[0, 10], [20, 25]]


def test_dsnet_box_voting_hand_checked() -> None:
    m = DSNetAF(DSNetAFConfig(frame_dim=4, d_model=8, heads=2, hidden=8))
    cls = torch.tensor([[0.2, 1.0, 0.5, 0.1]])
    ctr = torch.ones(1, 4)
    loc = torch.tensor([[[0.0, 0.0], [1.0, 1.0], [0.0, 0.0], [0.0, 0.0]]])  # frame 1's box covers 0..2
    out = DSNetAFOutput(cls=cls, loc=loc, ctr=ctr, scores=cls * ctr)
    fs = m.frame_scores(out)[0].tolist()
    # boxes [0,1) 0.2, [0,3) 1.0, [2,3) 0.5, [3,4) 0.1; the small ones overlap [0,3) with IoU 1/3 < 0.5,
    # so all are kept and every frame takes the highest score of the boxes covering it
    assert fs == pytest.approx([1.0, 1.0, 1.0, 0.1])


@pytest.mark.parametrize("kind", ["dsnet-af", "pgl-sum"])
def test_padding_does_not_change_scores_and_gradients_flow(kind: str) -> None:
    torch.manual_seed(0)
    cfg = {"frame_dim": 6, "d_model": 8, "heads": 2, "hidden": 8, "segments": 2, "dropout": 0.0}
    model = build_model(kind, cfg).eval()
    a, b = torch.randn(7, 6), torch.randn(12, 6)
    fb, fm = pad_sequences([a, b])
    with torch.no_grad():
        batched = frame_scores(model, fb, fm, None, None)
        alone = frame_scores(model, a[None], None, None, None)
    assert torch.allclose(batched[0, :7], alone[0], atol=1e-5) and torch.all(batched[0, 7:] == 0)
    model.train()
    out = model(fb, fm)
    labels = torch.zeros(2, 12)
    labels[0, 2:5] = 1
    labels[1, 6:9] = 1
    terms = model.losses(out, fm, labels)
    assert all(torch.isfinite(v) for v in terms.values())
    terms["total"].backward()
    for name, p in model.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name


def test_dsnet_focal_loss_hand_checked() -> None:
    m = DSNetAF(DSNetAFConfig(frame_dim=2, d_model=4, heads=1, hidden=4, lambda_reg=0.0))
    cls = torch.tensor([[0.5, 0.5]])
    out = DSNetAFOutput(cls=cls, loc=torch.ones(1, 2, 2), ctr=torch.full((1, 2), 0.5), scores=cls)
    t = m.losses(out, torch.ones(1, 2, dtype=torch.bool), torch.tensor([[1.0, 0.0]]))
    # positive: -0.25 * 0.5^2 * log 0.5; negative: -0.75 * 0.5^2 * log 0.5; divided by 1 positive
    assert float(t["cls"]) == pytest.approx(-(0.25 + 0.75) * 0.25 * np.log(0.5), rel=1e-5)


def test_random_and_uniform_scores() -> None:
    a, b = random_scores(50, seed=1, key="v1"), random_scores(50, seed=1, key="v1")
    assert np.array_equal(a, b) and not np.array_equal(a, random_scores(50, seed=1, key="v2"))
    assert np.all((a >= 0) & (a < 1)) and np.all(uniform_scores(5) == 1.0)
    assert isinstance(build_model("pgl-sum", {"frame_dim": 4, "d_model": 8, "heads": 2}), PGLSum)
    assert PGLSumConfig.from_dict({"frame_dim": 3, "unknown": 1}).frame_dim == 3
    with pytest.raises(ValueError):
        build_model("vasnet", {})
