"""Caption / query generation metrics: BLEU-1..4, ROUGE-L, CIDEr-D with several references per item.

The scores are those of the coco-caption scorers (Chen et al. 2015, github.com/tylin/coco-caption),
computed by the ``pycocoevalcap`` package's pure-Python ``Bleu``, ``Rouge`` and ``Cider`` classes on
the tokens produced by :func:`tokenize`; so they equal pycocoevalcap called on the same tokens:

- BLEU-n: corpus-level BLEU (Papineni et al. 2002) with the "closest" reference length brevity
  penalty, as coco-caption's ``Bleu(4)``;
- ROUGE-L: LCS-based F-measure with beta = 1.2, max over references, mean over items (``Rouge``);
- CIDEr: coco-caption's ``Cider`` class, which is CIDEr-D (Vedantam et al. 2015: clipped n-gram
  counts, Gaussian length penalty sigma = 6, x10), mean over items; the document frequencies come
  from the references of all items evaluated together, so one item alone scores 0.

Tokenisation (coco-caption runs the Java PTB tokenizer instead; no Java here): Unicode NFKC, lower
case, apostrophes are deleted, every other punctuation or symbol character (Unicode categories P*
and S*) becomes a space, then

- ``lang="en"``: whitespace-separated words (``"Don't stop!"`` -> ``["dont", "stop"]``; PTB would
  give ``["do", "n't", "stop"]``, so scores can differ slightly from coco-caption on raw text);
- ``lang="zh"``: every CJK character is its own token, runs of other letters/digits stay words
  (``"我爱Python 3"`` -> ``["我", "爱", "python", "3"]``). Character-level scoring needs no word
  segmenter and is the common choice for Chinese generation metrics; say so when reporting.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from vidgist.errors import DataError, InputError

LANGS = ("en", "zh")

# CJK Unified Ideographs (+ Ext A, compatibility), kana, hangul syllables, fullwidth forms handled by NFKC
_CJK = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u309f\u30a0-\u30ff\uac00-\ud7af"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef"
)
_CJK_RE = re.compile(f"([{_CJK}])")


_APOSTROPHES = frozenset("'\u2019\u02bc")


def _strip_punct(text: str) -> str:
    return "".join(
        "" if ch in _APOSTROPHES else " " if unicodedata.category(ch)[0] in "PS" else ch for ch in text
    )


def tokenize(text: str, lang: str = "en") -> list[str]:
    """Tokens of ``text`` as described in the module docstring (``lang`` 'en' or 'zh')."""
    if lang not in LANGS:
        raise InputError(f"language {lang!r}: use one of {', '.join(LANGS)}")
    t = _strip_punct(unicodedata.normalize("NFKC", text).lower())
    if lang == "zh":
        t = _CJK_RE.sub(r" \1 ", t)
    return t.split()


def _check_inputs(hyps: Mapping[str, str], refs: Mapping[str, Sequence[str]]) -> None:
    missing = sorted(set(hyps) - set(refs))
    if missing:
        raise DataError(f"hypothesis for id {missing[0]!r} has no reference ({len(missing)} ids in all)")
    extra = sorted(set(refs) - set(hyps))
    if extra:
        raise DataError(f"no hypothesis for id {extra[0]!r} ({len(extra)} ids in all); generate for every id")
    for k, r in refs.items():
        if isinstance(r, str) or len(r) == 0:
            raise DataError(f"references for id {k!r} must be a non-empty list of strings")
    if not hyps:
        raise DataError("no hypotheses to score")


def caption_scores_tokens(
    hyps: Mapping[str, Sequence[str]], refs: Mapping[str, Sequence[Sequence[str]]]
) -> dict[str, float]:
    """BLEU-1..4, ROUGE-L, CIDEr (CIDEr-D) of already tokenised hypotheses and references."""
    from pycocoevalcap.bleu.bleu import Bleu
    from pycocoevalcap.cider.cider import Cider
    from pycocoevalcap.rouge.rouge import Rouge

    keys = sorted(hyps)
    res = {k: [" ".join(hyps[k])] for k in keys}
    gts = {k: [" ".join(r) for r in refs[k]] for k in keys}
    bleu, _ = Bleu(4).compute_score(gts, res, verbose=0)
    rouge, _ = Rouge().compute_score(gts, res)
    cider, _ = Cider().compute_score(gts, res)
    out = {f"BLEU-{i + 1}": float(b) for i, b in enumerate(bleu)}
    out["ROUGE-L"] = float(rouge)
    out["CIDEr"] = float(cider)
    return out


def caption_scores(
    hyps: Mapping[str, str], refs: Mapping[str, Sequence[str]], lang: str = "en"
) -> dict[str, Any]:
    """Score one generated text per id against that id's references (several allowed).

    Returns ``{"BLEU-1".."BLEU-4", "ROUGE-L", "CIDEr", "n", "tokenization"}``; values in [0, 1]
    except CIDEr (CIDEr-D, usually 0..10). Raises DataError when the ids of both sides differ.
    """
    _check_inputs(hyps, refs)
    th = {k: tokenize(h, lang) for k, h in hyps.items()}
    tr = {k: [tokenize(r, lang) for r in refs[k]] for k in hyps}
    out: dict[str, Any] = dict(caption_scores_tokens(th, tr))
    out["n"] = len(th)
    out["tokenization"] = (
        "lowercase, punctuation removed, CJK characters as tokens"
        if lang == "zh"
        else "lowercase, punctuation removed, whitespace words"
    )
    return out
