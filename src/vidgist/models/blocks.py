"""Shared neural building blocks: positional encoding, masked cross-attention, transformer encoder.

Stable API (the CLIP-It and QMS models both import these):

- ``PositionalEncoding(d_model, max_len=10000, dropout=0.0, scale=1.0)``: adds ``scale`` times the fixed
  sinusoidal encoding of Vaswani et al. 2017 (PE(pos, 2i) = sin(pos / 10000^(2i/d)),
  PE(pos, 2i+1) = cos(...)) to ``(B, n, d)`` (SSPVS weights it 1.0 in pretraining, 0.1 in fine-tuning).
  Positions beyond ``max_len`` are computed on the fly, so any length works.
- ``MultiHeadCrossAttention(d_q, d_kv, d_model, heads, dropout=0.0)``: queries ``(B, n, d_q)`` attend
  over keys/values ``(B, N, d_kv)``; ``forward(q, kv, kv_mask=None, q_mask=None, return_weights=False)``.
  Masks are boolean with **True = valid** (the opposite of torch's ``key_padding_mask``).
  Padded key positions get zero weight; padded query rows return zeros. A query row whose keys are
  all padding returns zeros (not NaN).
- ``TransformerEncoder(d_model, heads, layers, ff, dropout=0.0)``: post-norm encoder stack;
  ``forward(x, mask=None)`` with ``mask`` True = valid; padded positions are neither attended to
  nor changed in the output (set to zero).
- ``lengths_to_mask(lengths, max_len=None)``: ``(B,)`` lengths -> ``(B, max_len)`` bool, True = valid.
- ``pad_sequences(seqs)``: list of ``(n_i, d)`` tensors -> ``(B, max n, d)`` padded tensor and mask.

Every block is deterministic in eval mode, and padding a batch never changes the values at valid
positions (up to float rounding): attention uses ``-inf`` logits for padded keys.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import Tensor, nn

__all__ = [
    "PositionalEncoding",
    "MultiHeadCrossAttention",
    "TransformerEncoderLayer",
    "TransformerEncoder",
    "lengths_to_mask",
    "pad_sequences",
    "valid_mask",
]


def valid_mask(x: Tensor, mask: Tensor | None) -> Tensor:
    """Boolean ``(B, L)`` mask for a ``(B, L, d)`` batch: ``mask`` as bool, or all True when None."""
    if mask is not None:
        return mask.bool()
    return torch.ones(x.shape[0], x.shape[1], dtype=torch.bool, device=x.device)


def lengths_to_mask(lengths: Tensor | Sequence[int], max_len: int | None = None) -> Tensor:
    """``(B,)`` sequence lengths -> ``(B, max_len)`` boolean mask, True at valid positions."""
    lens = torch.as_tensor(lengths, dtype=torch.long)
    n = int(lens.max().item()) if max_len is None and lens.numel() else int(max_len or 0)
    return torch.arange(n, device=lens.device)[None, :] < lens[:, None]


def pad_sequences(seqs: Sequence[Tensor], value: float = 0.0) -> tuple[Tensor, Tensor]:
    """Stack variable-length ``(n_i, d)`` tensors into ``(B, max n, d)`` plus a True=valid mask."""
    if not seqs:
        raise ValueError("pad_sequences needs at least one sequence")
    d = seqs[0].shape[-1]
    n = max(int(s.shape[0]) for s in seqs)
    out = seqs[0].new_full((len(seqs), n, d), value)
    for i, s in enumerate(seqs):
        out[i, : s.shape[0]] = s
    mask = lengths_to_mask([int(s.shape[0]) for s in seqs], n).to(seqs[0].device)
    return out, mask


class PositionalEncoding(nn.Module):
    """Adds sinusoidal positional encodings (Vaswani et al. 2017, Sec. 3.5) to ``(B, n, d_model)``."""

    pe: Tensor

    def __init__(self, d_model: int, max_len: int = 10000, dropout: float = 0.0, scale: float = 1.0) -> None:
        super().__init__()
        self.d_model = int(d_model)
        self.scale = float(scale)
        self.max_len = int(max_len)
        self.dropout = nn.Dropout(dropout)
        self.register_buffer("pe", self._table(self.max_len), persistent=False)

    def _table(self, n: int) -> Tensor:
        pos = torch.arange(n, dtype=torch.float32)[:, None]
        i = torch.arange(0, self.d_model, 2, dtype=torch.float32)
        div = torch.exp(-math.log(10000.0) * i / self.d_model)
        pe = torch.zeros(n, self.d_model)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div[: self.d_model // 2])
        return pe

    def forward(self, x: Tensor) -> Tensor:
        n = x.shape[1]
        pe = self.pe[:n] if n <= self.pe.shape[0] else self._table(n).to(x.device)
        return self.dropout(x + self.scale * pe.to(x.dtype)[None])


class MultiHeadCrossAttention(nn.Module):
    """Scaled dot-product multi-head attention from ``q`` (B, n, d_q) over ``kv`` (B, N, d_kv).

    Output is ``(B, n, d_model)`` (after the output projection). ``kv_mask`` ``(B, N)`` and
    ``q_mask`` ``(B, n)`` are boolean, True = valid. With ``return_weights=True`` also returns the
    attention weights ``(B, heads, n, N)``.
    """

    def __init__(self, d_q: int, d_kv: int, d_model: int, heads: int, dropout: float = 0.0) -> None:
        super().__init__()
        if d_model % heads:
            raise ValueError(f"d_model={d_model} is not divisible by heads={heads}")
        self.heads = int(heads)
        self.d_head = d_model // heads
        self.d_model = int(d_model)
        self.q_proj = nn.Linear(d_q, d_model)
        self.k_proj = nn.Linear(d_kv, d_model)
        self.v_proj = nn.Linear(d_kv, d_model)
        self.out_proj = nn.Linear(d_model, d_model)
        self.attn_drop = nn.Dropout(dropout)

    def _split(self, x: Tensor) -> Tensor:
        b, n, _ = x.shape
        return x.view(b, n, self.heads, self.d_head).transpose(1, 2)  # (B, h, n, d_head)

    def forward(
        self,
        q: Tensor,
        kv: Tensor,
        kv_mask: Tensor | None = None,
        q_mask: Tensor | None = None,
        return_weights: bool = False,
    ) -> Tensor | tuple[Tensor, Tensor]:
        b, n, _ = q.shape
        qh = self._split(self.q_proj(q))
        kh = self._split(self.k_proj(kv))
        vh = self._split(self.v_proj(kv))
        logits = torch.matmul(qh, kh.transpose(-1, -2)) / math.sqrt(self.d_head)  # (B, h, n, N)
        if kv_mask is not None:
            logits = logits.masked_fill(~kv_mask[:, None, None, :].bool(), float("-inf"))
        weights = torch.softmax(logits, dim=-1)
        weights = torch.nan_to_num(weights, nan=0.0)  # rows whose keys are all padding
        weights = self.attn_drop(weights)
        out = torch.matmul(weights, vh).transpose(1, 2).reshape(b, n, self.d_model)
        out = self.out_proj(out)
        if q_mask is not None:
            out = out * q_mask[..., None].to(out.dtype)
        if return_weights:
            return out, weights
        return out


class TransformerEncoderLayer(nn.Module):
    """Post-norm self-attention + feed-forward layer (Vaswani et al. 2017), True=valid mask."""

    def __init__(self, d_model: int, heads: int, ff: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.attn = MultiHeadCrossAttention(d_model, d_model, d_model, heads, dropout)
        self.ff = nn.Sequential(
            nn.Linear(d_model, ff), nn.ReLU(), nn.Dropout(dropout), nn.Linear(ff, d_model)
        )
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: Tensor, mask: Tensor | None = None) -> Tensor:
        a = self.attn(x, x, kv_mask=mask, q_mask=mask)
        assert isinstance(a, Tensor)
        x = self.norm1(x + self.drop(a))
        x = self.norm2(x + self.drop(self.ff(x)))
        if mask is not None:
            x = x * mask[..., None].to(x.dtype)
        return x


class TransformerEncoder(nn.Module):
    """A stack of ``layers`` encoder layers over ``(B, n, d_model)`` with a True=valid ``mask``."""

    def __init__(self, d_model: int, heads: int, layers: int, ff: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.layers = nn.ModuleList(
            TransformerEncoderLayer(d_model, heads, ff, dropout) for _ in range(layers)
        )

    def forward(self, x: Tensor, mask: Tensor | None = None) -> Tensor:
        for layer in self.layers:
            x = layer(x, mask)
        return x
