"""Beam-search generation of queries from a trained QMS model (Sec. III-D): inference only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vidgist.models.qms_tokenize import QMSTokenizer
from vidgist.qms.encode import EncodedVideo, collate


def generate_texts(
    model: Any,
    tok: QMSTokenizer,
    videos: Sequence[EncodedVideo],
    num_beams: int = 4,
    batch_size: int = 64,
    num_return: int = 1,
) -> dict[str, list[str]] | dict[str, str]:
    """Generated query per video id (beam search, Sec. III-D); with num_return > 1 a list per id."""
    import torch

    model.eval()
    out: dict[str, Any] = {}
    with torch.no_grad():
        for s in range(0, len(videos), batch_size):
            chunk = list(videos[s : s + batch_size])
            batch, _ = collate(chunk, tok.pad_id)
            mem, mem_mask = model.memory(model.encode(batch), "mm")
            ids = model.generate_ids(mem, mem_mask, num_beams=num_beams, num_return=num_return)
            k = len(ids) // len(chunk)
            for i, v in enumerate(chunk):
                texts = [tok.decode(g) for g in ids[i * k : (i + 1) * k]]
                out[v.item_id] = texts if num_return > 1 else texts[0]
    return out
