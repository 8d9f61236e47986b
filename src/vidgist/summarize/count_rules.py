"""Opt-in additions to the speech chapter count (``TopicParams.split_margin``, ``TopicParams.chain_min``).

Contract: each only adds boundaries to the shipped rule's (``topic_segments``), never removes one, and
keeps every piece at least ``min_seconds`` (``lmin`` grid points) long.

Split by title (``title_splits``): a chapter is split at its best internal change point (KTS with one
change point on the count's grid rows) when the two halves' keyphrase titles
(``keyphrases.chapter_keyphrases`` on the halves) differ and each half's title is closer (cosine) to its
own half's mean sentence embedding than to the other half's by at least ``margin``; the halves are tested
again until no split passes.

Lexical chains (``chain_count``): per content word (the one-word candidates of ``keyphrases.candidates``,
a plural ``s`` dropped), a chain is a run of sentences in which the word recurs with at most ``CHAIN_GAP``
sentences between occurrences, at least two occurrences. A sentence start where at least ``chain_min``
chains start is a chain boundary; taken greedily (most chain starts first) at least ``min_seconds`` apart
and from both ends, their number is a floor on the count of boundaries.

Both are off by default (docs/decisions.md, "Chapters from speech").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from vidgist.summarize.keyphrases import (
    KeyphraseParams,
    TextEncoder,
    candidates,
    chapter_keyphrases,
    is_chinese,
)
from vidgist.summarize.shots import backtrack, cpd_nonlin
from vidgist.types import TextSpan

#: at most this many sentences between two occurrences of a chain's word
CHAIN_GAP = 2


def _word(w: str) -> str:
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w


def chain_starts(texts: Sequence[str]) -> np.ndarray:
    """Per sentence the number of lexical chains that start there (module docstring)."""
    chinese = is_chinese(list(texts))
    where: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        for w in {_word(p) for p in candidates(text, chinese, max_words=1)}:
            where.setdefault(w, []).append(i)
    counts: Counter[int] = Counter()
    for idx in where.values():
        run = [idx[0]]
        for i in idx[1:]:
            if i - run[-1] > CHAIN_GAP + 1:
                counts[run[0]] += len(run) >= 2
                run = []
            run.append(i)
        counts[run[0]] += len(run) >= 2
    return np.array([counts[i] for i in range(len(texts))], dtype=np.int64)


def chain_count(speech: Sequence[TextSpan], duration: float, chain_min: int, min_seconds: float) -> int:
    """The number of chain boundaries (module docstring): sentence starts with at least ``chain_min``
    chain starts, most first, at least ``min_seconds`` apart and from both ends."""
    scores = chain_starts([s.text for s in speech])
    kept: list[float] = []
    for i in sorted(range(len(speech)), key=lambda i: (-int(scores[i]), speech[i].start)):
        t = speech[i].start
        if scores[i] < chain_min:
            break
        if min_seconds <= t <= duration - min_seconds and all(abs(t - k) >= min_seconds for k in kept):
            kept.append(t)
    return len(kept)


def _unit(x: np.ndarray) -> np.ndarray:
    return x / max(float(np.linalg.norm(x)), 1e-12)


def _split_passes(
    left: list[int],
    right: list[int],
    speech: Sequence[TextSpan],
    emb: np.ndarray,
    encode: TextEncoder,
    margin: float,
) -> bool:
    """The two halves' titles differ and each is closer to its own half's mean sentence by ``margin``."""
    titles = chapter_keyphrases(
        [[speech[i].text for i in left], [speech[i].text for i in right]], encode, KeyphraseParams()
    )
    if not all(titles) or titles[0].lower() == titles[1].lower():
        return False
    t = np.asarray(encode(titles), dtype=np.float64)
    t /= np.maximum(np.linalg.norm(t, axis=1, keepdims=True), 1e-12)
    means = [_unit(np.mean([_unit(emb[i]) for i in half], axis=0)) for half in (left, right)]
    return bool(t[0] @ means[0] - t[0] @ means[1] >= margin and t[1] @ means[1] - t[1] @ means[0] >= margin)


def title_splits(
    speech: Sequence[TextSpan],
    emb: np.ndarray,
    x: np.ndarray,
    item: np.ndarray,
    edges: list[int],
    lmin: int,
    encode: TextEncoder,
    margin: float,
) -> list[int]:
    """The grid change points ``edges`` (without 0 and ``len(x)``) with every split that passes added
    (module docstring), sorted."""
    n = len(x)
    todo = list(zip([0, *edges], [*edges, n], strict=True))
    out = list(edges)
    while todo:
        lo, hi = todo.pop()
        if hi - lo < 2 * lmin:
            continue
        seg = x[lo:hi]
        _, scores, back = cpd_nonlin(seg @ seg.T, 1, lmin=lmin)
        if len(scores) < 2 or not np.isfinite(scores[1]):
            continue
        c = lo + int(backtrack(back, hi - lo, 1, lmin)[0])
        mids = [0.5 * (s.start + s.end) for s in speech]
        a = speech[item[lo]].start if lo else -np.inf
        b = speech[item[hi]].start if hi < n else np.inf
        t = speech[item[c]].start
        left = [i for i, m in enumerate(mids) if a <= m < t]
        right = [i for i, m in enumerate(mids) if t <= m < b]
        if left and right and _split_passes(left, right, speech, emb, encode, margin):
            out.append(c)
            todo += [(lo, c), (c, hi)]
    return sorted(out)
