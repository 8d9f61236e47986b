"""Retrieval from generated summaries (QMS Table V): hand-computed R@k, P@k, Acc@k; BM25 and dense."""

from __future__ import annotations

import numpy as np
import pytest

from vidgist.errors import DataError
from vidgist.eval.retrieval import metrics_at_k, rank_bm25, retrieval_scores

DOCS = {
    "v1": "how to bake sourdough bread at home",
    "v2": "fixing a flat bike tire on the road",
    "v3": "a cute cat plays with yarn",
    "v4": "three easy bread recipes for beginners",
    "v5": "cat videos compilation funny",
}


def test_metrics_at_k_hand_computed() -> None:
    ranked = [["a", "b", "c"], ["d", "a"]]
    relevant = [{"b", "d"}, {"d"}]
    m = metrics_at_k(ranked, relevant, ks=(1, 2, 3))
    # query 1: hits@1 0, @2 1 (b), @3 1; query 2: hits 1 at every k
    assert m["R@1"] == pytest.approx((0 + 1) / 2)
    assert m["P@1"] == pytest.approx((0 + 1) / 2)
    assert m["Acc@1"] == pytest.approx(0.5)
    assert m["R@2"] == pytest.approx((0.5 + 1) / 2)
    assert m["P@2"] == pytest.approx((0.5 + 0.5) / 2)
    assert m["Acc@2"] == 1.0
    assert m["R@3"] == pytest.approx((0.5 + 1) / 2)
    assert m["P@3"] == pytest.approx((1 / 3 + 1 / 3) / 2)  # k, not the list length, divides


def test_bm25_ranking_and_scores() -> None:
    ranked = rank_bm25(["bread", "cat yarn", "zebra"], DOCS)
    assert set(ranked[0]) == {"v1", "v4"}  # only documents containing a query term are retrieved
    assert ranked[1][0] == "v3" and set(ranked[1]) == {"v3", "v5"}
    assert ranked[2] == []
    q = [("sourdough bread", {"v1"}), ("cat yarn", {"v3", "v5"}), ("bicycle repair", {"v2"})]
    s = retrieval_scores(q, DOCS, "bm25", ks=(1, 5))
    assert s["P@1"] == pytest.approx(2 / 3) and s["Acc@1"] == pytest.approx(2 / 3)
    assert s["R@1"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert s["R@5"] == pytest.approx((1 + 1 + 0) / 3)
    assert s["P@5"] == pytest.approx((1 / 5 + 2 / 5 + 0) / 3)
    assert s["method"] == "bm25" and s["n_queries"] == 3


def _keyword_embed(texts: list[str]) -> np.ndarray:
    vocab = ["bread", "tire", "cat", "bike", "bicycle"]
    out = np.array([[t.count(w) for w in vocab] for t in texts], dtype=float)
    out[:, 3] += out[:, 4]  # "bicycle" means bike
    return out[:, :4] + 1e-3


def test_dense_with_given_embedder() -> None:
    q = [("bicycle", {"v2"}), ("bread", {"v1", "v4"})]
    s = retrieval_scores(q, DOCS, "dense", ks=(1, 2), embed=_keyword_embed)
    assert s["P@1"] == 1.0 and s["R@2"] == 1.0 and s["P@2"] == pytest.approx((0.5 + 1.0) / 2)


def test_dense_with_bundled_minilm() -> None:
    q = [("homemade sourdough", {"v1"}), ("repair a bicycle", {"v2"}), ("kitten", {"v3", "v5"})]
    s = retrieval_scores(q, DOCS, "dense", ks=(1, 5))
    assert s["Acc@1"] == 1.0
    assert s["R@5"] == 1.0


def test_unknown_relevant_id_is_a_data_error() -> None:
    with pytest.raises(DataError, match="'v9' has no generated summary"):
        retrieval_scores([("bread", {"v9"})], DOCS, "bm25")
