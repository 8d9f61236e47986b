"""Caption metrics: equal to pycocoevalcap on the same tokens; hand-checked cases; tokenisation."""

from __future__ import annotations

import pytest
from pycocoevalcap.bleu.bleu import Bleu
from pycocoevalcap.cider.cider import Cider
from pycocoevalcap.rouge.rouge import Rouge

from vidgist.errors import DataError, InputError
from vidgist.eval.text import caption_scores, tokenize

HYPS = {
    "v1": "A man is slicing a tomato in the kitchen.",
    "v2": "Two dogs run across the snowy field!",
    "v3": "someone plays the guitar on stage",
    "v4": "a woman explains how to fix a flat tire",
}
REFS = {
    "v1": ["A man slices tomatoes.", "Someone is cutting a tomato in a kitchen", "a chef cuts vegetables"],
    "v2": ["Dogs running in the snow", "two dogs play in a snowy field"],
    "v3": ["A musician plays guitar on stage.", "a man is playing an electric guitar"],
    "v4": ["how to repair a flat bike tire", "a woman shows how to fix a tyre", "fixing a puncture"],
}


def test_tokenize_english_and_chinese() -> None:
    assert tokenize("Don't STOP! It's 3:30, ok?") == ["dont", "stop", "its", "3", "30", "ok"]
    assert tokenize("well-known  café\tbar") == ["well", "known", "café", "bar"]
    assert tokenize("我爱Python 3，真的！", "zh") == ["我", "爱", "python", "3", "真", "的"]
    assert tokenize("Ｈｅｌｌｏ，世界", "zh") == ["hello", "世", "界"]  # NFKC folds fullwidth forms
    with pytest.raises(InputError, match="language"):
        tokenize("x", "fr")


def test_equals_pycocoevalcap_on_same_tokens() -> None:
    ours = caption_scores(HYPS, REFS)
    res = {k: [" ".join(tokenize(HYPS[k]))] for k in HYPS}
    gts = {k: [" ".join(tokenize(r)) for r in REFS[k]] for k in HYPS}
    bleu, _ = Bleu(4).compute_score(gts, res, verbose=0)
    rouge, _ = Rouge().compute_score(gts, res)
    cider, _ = Cider().compute_score(gts, res)
    for i in range(4):
        assert ours[f"BLEU-{i + 1}"] == bleu[i]
    assert ours["ROUGE-L"] == rouge
    assert ours["CIDEr"] == cider
    assert ours["n"] == 4
    assert 0 < ours["BLEU-4"] < ours["BLEU-1"] < 1


def test_hand_checked_bleu_rouge() -> None:
    # hyp "a b c d" vs ref "a b x d": unigram precision 3/4, bigram 1/3 (only "a b"), no brevity penalty
    out = caption_scores({"x": "a b c d", "y": "p q r"}, {"x": ["a b x d"], "y": ["p q r"]})
    # corpus BLEU: unigrams (3 + 3) / (4 + 3), bigrams (1 + 2) / (3 + 2)
    assert out["BLEU-1"] == pytest.approx(6 / 7, rel=1e-6)
    assert out["BLEU-2"] == pytest.approx((6 / 7 * 3 / 5) ** 0.5, rel=1e-6)
    # ROUGE-L: LCS("a b c d", "a b x d") = 3 -> P = R = 3/4 -> F = 0.75; second item 1.0
    assert out["ROUGE-L"] == pytest.approx((0.75 + 1.0) / 2)


def test_cider_d_of_exact_matches_is_ten() -> None:
    hyps = {"a": "a red car drives fast", "b": "the blue sea is calm", "c": "dogs bark at night"}
    out = caption_scores(hyps, {k: [v] for k, v in hyps.items()})
    assert out["CIDEr"] == pytest.approx(10.0)
    assert out["ROUGE-L"] == pytest.approx(1.0)
    assert out["BLEU-4"] == pytest.approx(1.0, rel=1e-6)


def test_chinese_is_scored_per_character() -> None:
    out = caption_scores({"a": "如何修自行车"}, {"a": ["怎么修自行车"]}, lang="zh")
    # characters: 如何修自行车 vs 怎么修自行车: 4 of 6 unigrams match, LCS 4 -> ROUGE-L 4/6
    assert out["BLEU-1"] == pytest.approx(4 / 6, rel=1e-6)
    assert out["ROUGE-L"] == pytest.approx(4 / 6)
    assert "CJK" in out["tokenization"]


def test_mismatched_ids_and_empty_refs_are_data_errors() -> None:
    with pytest.raises(DataError, match="'v9' has no reference"):
        caption_scores({**HYPS, "v9": "x"}, REFS)
    with pytest.raises(DataError, match="no hypothesis for id 'v4'"):
        caption_scores({k: HYPS[k] for k in ["v1", "v2", "v3"]}, REFS)
    with pytest.raises(DataError, match="non-empty list"):
        caption_scores({"a": "x"}, {"a": []})
