"""QMS equations on hand-sized tensors (Jia et al. 2024, Sec. III)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from vidgist.models.qms import (
    QMSConfig,
    cosine_to_mean,
    entity_bce,
    frobenius_penalty,
    sampling_probabilities,
    select_entities,
    weighted_generative_loss,
)
from vidgist.models.qms_text import confidence_score, dice, query_entities, split_words


def test_eq14_probabilities_inverse_to_similarity_after_mu_filter() -> None:
    s = np.array([0.9, 0.6, 0.8, 0.75])  # 0.6 < mu is dropped (Eq. 13); 0.75 == mu is kept
    p = sampling_probabilities(s, mu=0.75)
    inv = np.array([1 / 0.9, 0.0, 1 / 0.8, 1 / 0.75])
    np.testing.assert_allclose(p, inv / inv.sum())
    assert p[1] == 0.0 and math.isclose(p.sum(), 1.0)
    assert p[3] > p[2] > p[0]  # larger similarity -> lower probability


def test_eq14_all_filtered_keeps_most_central_query() -> None:
    p = sampling_probabilities(np.array([0.1, 0.5, 0.3]), mu=0.75)
    np.testing.assert_array_equal(p, [0.0, 1.0, 0.0])


def test_eq11_12_cosine_to_mean() -> None:
    g = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    s = cosine_to_mean(g)  # mean = (2/3, 2/3): direction (1, 1)
    np.testing.assert_allclose(s, [1 / math.sqrt(2), 1 / math.sqrt(2), 1.0])


def test_eq15_dice_scores() -> None:
    assert dice(["panda", "noodles"], ["panda", "noodles", "recipe"]) == pytest.approx(2 * 2 / 5)
    assert dice(["a", "a", "b"], ["a", "b", "b"]) == pytest.approx(2 * 2 / 6)  # multiset overlap 2
    assert dice([], ["x"]) == 0.0
    # U = max over the video's queries
    u = confidence_score("panda noodles", ["funny videos", "panda noodles recipe", "panda"])
    assert u == pytest.approx(max(0.0, 4 / 5, 2 / 3))


def test_eq5_6_mask_removes_exactly_the_zero_columns() -> None:
    t = torch.arange(1, 2 * 5 * 2 + 1, dtype=torch.float32).view(2, 5, 2)
    t_mask = torch.tensor([[1, 1, 1, 1, 0], [1, 1, 1, 1, 1]], dtype=torch.bool)
    h = torch.tensor(
        [
            [0.9, 0.2, 0.5, 0.1, 0.99],  # last token is padding: never selected
            [0.1, 0.6, 0.4, 0.7, 0.8],
        ]
    )
    t_e, t_e_mask, m = select_entities(t, t_mask, h, tau=0.5)
    assert m.tolist() == [[True, False, True, False, False], [False, True, False, True, True]]
    assert t_e.shape == (2, 3, 2)
    assert t_e_mask.tolist() == [[True, True, False], [True, True, True]]
    torch.testing.assert_close(t_e[0, :2], t[0, [0, 2]])  # kept columns in order
    torch.testing.assert_close(t_e[1], t[1, [1, 3, 4]])
    assert torch.all(t_e[0, 2] == 0)  # padding of the shorter row


def test_eq5_6_nothing_selected_gives_empty_entities() -> None:
    t = torch.ones(1, 3, 4)
    t_e, t_e_mask, _ = select_entities(t, torch.ones(1, 3, dtype=torch.bool), torch.full((1, 3), 0.2), 0.5)
    assert t_e.shape == (1, 0, 4) and t_e_mask.shape == (1, 0)


def test_eq10_bce_ignores_padding() -> None:
    h = torch.tensor([[0.8, 0.3, 0.5]])
    y = torch.tensor([[1.0, 0.0, 1.0]])
    mask = torch.tensor([[True, True, False]])
    want = -(math.log(0.8) + math.log(0.7)) / 2
    assert float(entity_bce(h, y, mask)) == pytest.approx(want, rel=1e-5)


def test_eq17_weighted_generative_loss() -> None:
    l_g = torch.tensor([1.0, 2.0])
    l_v = torch.tensor([3.0, 4.0])
    l_t = torch.tensor([5.0, 6.0])
    u_v = torch.tensor([0.5, 0.0])
    u_t = torch.tensor([1.0, 0.25])
    # sample 1: (0.5*3 + 1*5 + 1)/3 = 2.5; sample 2: (0 + 0.25*6 + 2)/3 = 3.5/3
    want = (2.5 + 3.5 / 3) / 2
    assert float(weighted_generative_loss(l_g, l_v, l_t, u_v, u_t)) == pytest.approx(want)
    # w/o-Scores: L_g alone
    assert float(weighted_generative_loss(l_g, None, None, None, None)) == pytest.approx(1.5)


def test_eq18_frobenius_term() -> None:
    params = [torch.tensor([3.0]), torch.tensor([[4.0, 0.0]])]
    assert float(frobenius_penalty(params)) == pytest.approx(5.0)


def test_eq9_entities_are_query_content_words() -> None:
    ents = query_entities(["how to cook noodles", "funny videos", "panda noodles"])
    assert ents == {"cook", "noodles", "funny", "videos", "panda"}
    assert split_words("我爱Panda面条!") == ["我", "爱", "panda", "面", "条"]


def test_config_defaults_are_the_papers() -> None:
    c = QMSConfig()
    assert (c.layers, c.d_model, c.lam, c.beta, c.tau, c.mu, c.max_transcript, c.max_query, c.num_beams) == (
        6,
        768,
        0.5,
        0.5,
        0.5,
        0.75,
        184,
        20,
        4,
    )
