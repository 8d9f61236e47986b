"""Model fidelity (QMS Eqs. 9, 13, 18; unsupervised CLIP-It): the papers' settings train, in Chinese too."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from vidgist.data.synthetic_summ import SyntheticSpec, make_coverage_videos, make_world
from vidgist.models.clip_it import ClipIt, ClipItConfig, clip_it_losses, representativeness_loss
from vidgist.models.qms import DECAY_PER_BETA, QMSConfig, matched_mu, new_qms_model, regularizer_groups
from vidgist.models.qms_text import entity_labels, query_entities, split_words
from vidgist.qms.encode import e5_embedder, minilm_embedder, query_embedder
from vidgist.train.clip_it import fit
from vidgist.train.clip_it_config import ClipItTrainConfig
from vidgist.train.clip_it_data import build_samples


def test_chinese_entity_labels_are_whole_nouns() -> None:
    """Eq. 9 for Chinese: jieba nouns of two or more characters, never single characters such as 做 or 法."""
    ents = query_entities(["手工拉面做法", "怎么做好吃的红烧肉"])
    assert {"手工", "拉面", "红烧肉"} <= ents
    assert not ents & {"做", "法", "好", "吃", "做法", "好吃", "怎么"}
    words = split_words("今天的做法很简单 手工拉面 我的看法")
    labels = dict(enumerate(entity_labels(words, ents)))
    labelled = "".join(w for i, w in enumerate(words) if labels[i] == 1.0)
    assert labelled == "手工拉面"  # 法 in 做法 and 看法 stays unlabelled


def test_english_entities_are_content_words() -> None:
    ents = query_entities(["how to cook noodles", "funny videos"])
    assert ents == {"cook", "noodles", "funny", "videos"}
    words = split_words("we cook the noodles today")
    assert entity_labels(words, ents) == [0.0, 1.0, 0.0, 1.0, 0.0]


def test_decoupled_regulariser_spares_norms_and_biases() -> None:
    cfg = QMSConfig(d_model=32, layers=1, heads=2, ffn_dim=32, frame_dim=8, max_transcript=16, max_query=6)
    model = new_qms_model(cfg, 50, 0, 1, 2)
    groups, add_penalty = regularizer_groups(list(model.named_parameters()), cfg)
    assert not add_penalty
    decayed, kept = groups
    assert decayed["weight_decay"] == pytest.approx(0.5 * DECAY_PER_BETA) == pytest.approx(1e-3)
    assert all(p.ndim >= 2 for p in decayed["params"]) and all(p.ndim < 2 for p in kept["params"])
    n_total = sum(1 for p in model.parameters() if p.requires_grad)
    assert len(decayed["params"]) + len(kept["params"]) == n_total
    literal = dataclasses.replace(cfg, regularizer="frobenius")
    (only,), add_penalty = regularizer_groups(list(model.named_parameters()), literal)
    assert add_penalty and only["weight_decay"] == 0.0
    off = dataclasses.replace(cfg, beta=0.0)
    (only,), add_penalty = regularizer_groups(list(model.named_parameters()), off)
    assert not add_penalty and only["weight_decay"] == 0.0


def test_matched_mu_keeps_the_same_share() -> None:
    ref = np.array([0.5, 0.6, 0.7, 0.8, 0.9, 0.95])
    tgt = 0.8 + 0.2 * ref  # a compressed scale, same order
    mu = matched_mu(ref, 0.75, tgt)
    assert float((tgt >= mu).mean()) == pytest.approx(float((ref >= 0.75).mean()))
    with pytest.raises(ValueError):
        matched_mu(ref, 0.75, tgt[:3])


def test_query_encoder_setting_switches_the_embedder() -> None:
    texts = ["how to cook noodles", "手工拉面做法"]
    e5 = query_embedder("e5")(texts)
    mini = query_embedder("minilm")(texts)
    np.testing.assert_allclose(e5, e5_embedder()(texts), atol=1e-6)
    np.testing.assert_allclose(mini, minilm_embedder()(texts), atol=1e-5)
    assert not np.allclose(e5, mini, atol=1e-2)
    # e5 is multilingual: the Chinese and English noodle queries are closer there than unrelated ones
    e = query_embedder("e5")(["拉面", "noodles", "bicycle repair"])
    e = e / np.linalg.norm(e, axis=1, keepdims=True)
    assert e[0] @ e[1] > e[0] @ e[2]


def test_e5_is_loaded_once_and_batched_calls_match_single_ones() -> None:
    """The QMS query encoder and the zero-shot phrase ranker share one e5 engine; a batch of texts gets
    the vectors each text gets alone."""
    from vidgist.backbones.e5 import e5_engine
    from vidgist.qms.phrases import e5_encoders

    texts = ["how to cook noodles", "手工拉面做法", "a much longer sentence about a mountain bike trail"]
    batched = e5_embedder()(texts)
    assert batched.shape == (3, 384)
    np.testing.assert_array_equal(batched, np.vstack([e5_embedder()([t]) for t in texts]))
    np.testing.assert_array_equal(batched, e5_encoders()[0](texts))
    assert e5_engine() is e5_engine()
    assert e5_embedder()([]).shape == (0, 384)


def test_representativeness_rewards_scores_on_typical_frames() -> None:
    rng = np.random.default_rng(0)
    centre = rng.normal(size=16)
    frames = np.stack([centre + 0.1 * rng.normal(size=16) for _ in range(9)] + [rng.normal(size=16) * 3])
    x = torch.tensor(frames[None], dtype=torch.float32)
    mask = torch.ones(1, 10, dtype=torch.bool)
    on_typical = torch.full((1, 10), 0.05)
    on_typical[0, 0] = 0.95
    on_outlier = torch.full((1, 10), 0.05)
    on_outlier[0, 9] = 0.95
    loss_typical = representativeness_loss(x, on_typical, mask, 0.1)
    assert loss_typical < representativeness_loss(x, on_outlier, mask, 0.1)
    scores = torch.full((1, 10), 0.5, requires_grad=True)
    representativeness_loss(x, scores, mask, 0.1).backward()
    assert scores.grad is not None and float(scores.grad.abs().sum()) > 0  # the scores get gradient


def test_unsupervised_training_never_reads_labels() -> None:
    """Labels, targets and user summaries all NaN: coverage-objective CLIP-It still trains and selects."""
    world = make_world(SyntheticSpec(), seed=0)
    videos, texts = make_coverage_videos(world, 8, seed=1)
    poisoned = {
        v.name: dataclasses.replace(
            v,
            user_summary=np.full_like(v.user_summary, np.nan),
            gtscore=np.full_like(v.gtscore, np.nan),
            user_scores=np.full_like(v.user_scores, np.nan),
        )
        for v in videos
    }
    samples = build_samples(poisoned, texts, label_rule="threshold:0.5")
    for s in samples:
        s.labels[:] = np.nan
        s.targets[:] = np.nan
    cfg = ClipItTrainConfig(
        epochs=2, batch_size=4, lr=2e-3, clip_it={"d_model": 32, "ff": 64, "layers": 1, "supervised": False}
    )
    res = fit("clip-it", samples[:6], samples[6:], cfg, seed=0)
    assert res.best_val is not None and np.isfinite(res.best_val)
    assert all("val_loss" in h and "val_fscore" not in h for h in res.history)
    with torch.no_grad():
        s = samples[0]
        out = res.model(torch.tensor(s.frames[None]), None, torch.tensor(s.texts[None]), None)
    assert torch.isfinite(out.scores).all()


def test_paper_unsupervised_objective_is_still_reachable() -> None:
    cfg = ClipItConfig(
        frame_dim=8, text_dim=4, d_model=16, ff=16, layers=1, supervised=False, unsupervised_objective="paper"
    )
    model = ClipIt(cfg)
    frames = torch.randn(1, 12, 8)
    out = model(frames, None, torch.randn(1, 2, 4), None)
    terms = clip_it_losses(out, frames, torch.ones(1, 12, dtype=torch.bool), None, cfg)
    assert set(terms) >= {"div", "rec", "total"} and "cls" not in terms
