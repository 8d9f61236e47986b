"""QMS: query-oriented micro-video summarization (Jia et al., TPAMI 2024), Section III.

Torch only, no file I/O. The pieces, with the paper's equation numbers:

- ``QMSConfig``: sizes, loss weights (lambda, beta), thresholds (tau, mu) and the ablation flags.
- ``QMSModel``: two modal-specific BART encoders (Eq. 1: the text one is BART's own encoder, the visual
  one a randomly initialised encoder of the same architecture over projected frame features), the
  entity-aware module (cross-attention Eqs. 2-3, MLP + sigmoid Eq. 4, threshold Eq. 5, masked and
  compacted T_e Eq. 6), fusion M = [V; T; T_e] (Eq. 7) and the BART decoder (Eq. 8).
- Functions per equation, testable on hand-sized tensors: ``select_entities`` (Eqs. 5-6),
  ``entity_bce`` (Eq. 10), ``sampling_probabilities`` (Eqs. 12-14), ``weighted_generative_loss`` (Eq. 17),
  ``regularizer_groups`` and ``frobenius_penalty`` (the beta term of Eq. 18). Dice confidence (Eq. 15)
  is in ``qms_text``.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from vidgist.errors import ModelError
from vidgist.models.blocks import MultiHeadCrossAttention

ABLATIONS = ("no_visual", "no_textual", "no_scores", "no_entity", "no_query_sampling")
#: The paper's BART baselines expressed as flag sets on the same architecture (Sec. IV-B2).
BASELINES: dict[str, dict[str, bool]] = {
    "bart_text": {"no_visual": True, "no_entity": True, "no_scores": True, "no_query_sampling": True},
    "bart_mm": {"no_entity": True, "no_scores": True, "no_query_sampling": True},
}


@dataclass
class QMSConfig:
    """Model and loss settings. Defaults are the paper's (Sec. IV-B3); see ``preset`` for a CPU size."""

    backbone: str = "scratch"  # "scratch" (BartConfig from the sizes below) or "bart:NAME_OR_DIR"
    tokenizer: str = "word"  # scratch only: "word" (vocabulary from the data) or "minilm" (WordPiece)
    d_model: int = 768
    layers: int = 6
    heads: int = 12
    ffn_dim: int = 3072
    dropout: float = 0.1
    frame_dim: int = 512  # input frame feature size (CLIP 512, EfficientNet-Lite0 1280)
    max_frames: int = 32
    max_transcript: int = 184
    max_query: int = 20
    entity_hidden: int = 0  # MLP hidden size of Eq. 4; 0 = d_model
    tau: float = 0.5  # Eq. 5
    mu: float = 0.75  # Eq. 13
    lam: float = 0.5  # lambda, Eq. 18
    beta: float = 0.5  # beta, Eq. 18: the regulariser's weight (see ``regularizer``)
    #: how Eq. 18's beta * ||Theta||_F is applied: "decoupled" (default) = AdamW weight decay of
    #: beta * DECAY_PER_BETA on weight matrices only; "frobenius" = the unsquared norm of every parameter
    #: added to the loss, as the paper prints it (it stalls training at beta = 0.5: kept for comparison)
    regularizer: str = "decoupled"
    num_beams: int = 4
    no_visual: bool = False
    no_textual: bool = False
    no_scores: bool = False
    no_entity: bool = False
    no_query_sampling: bool = False

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> QMSConfig:
        """Build from a mapping; unknown keys raise ModelError naming them."""
        known = {f.name for f in fields(cls)}
        bad = sorted(set(d) - known)
        if bad:
            raise ModelError(f"unknown QMS model setting(s) {bad}; known: {sorted(known)}")
        return cls(**d)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def with_flags(self, **flags: bool) -> QMSConfig:
        """A copy with ablation flags set (keys must be in ABLATIONS)."""
        bad = sorted(set(flags) - set(ABLATIONS))
        if bad:
            raise ModelError(f"unknown ablation flag(s) {bad}; known: {list(ABLATIONS)}")
        c = copy.deepcopy(self)
        for k, v in flags.items():
            setattr(c, k, bool(v))
        return c


def preset(name: str) -> dict[str, Any]:
    """Named size presets: 'paper' (6 layers, d=768), 'cpu' (small), 'tiny' (tests)."""
    table: dict[str, dict[str, Any]] = {
        "paper": {"d_model": 768, "layers": 6, "heads": 12, "ffn_dim": 3072},
        "cpu": {"d_model": 256, "layers": 3, "heads": 4, "ffn_dim": 1024, "max_transcript": 128},
        "tiny": {
            "d_model": 64,
            "layers": 2,
            "heads": 4,
            "ffn_dim": 128,
            "dropout": 0.1,
            "max_transcript": 64,
            "max_query": 10,
        },
    }
    if name not in table:
        raise ModelError(f"unknown QMS preset {name!r}; choose one of {sorted(table)}")
    return dict(table[name])


# ---------------------------------------------------------------- per-equation functions


def select_entities(t: Tensor, t_mask: Tensor, h: Tensor, tau: float) -> tuple[Tensor, Tensor, Tensor]:
    """Eqs. 5-6: m_k = 1[h_k >= tau]; T_e = T (.) m with its zero columns removed.

    ``t`` (B, L, d), ``t_mask`` (B, L) bool (True = real token), ``h`` (B, L) scores in [0, 1].
    Returns ``(t_e, t_e_mask, m)``: the kept token vectors packed to the left in their original order,
    ``(B, K, d)`` with K the largest count in the batch (rows with fewer are padded, mask False), and
    the 0/1 mask ``m`` (B, L). Padding tokens are never selected.
    """
    m = (h >= tau) & t_mask.bool()
    masked = t * m[..., None].to(t.dtype)  # Eq. 6, T (.) m
    counts = m.sum(dim=1)
    k = int(counts.max().item()) if counts.numel() else 0
    b, n, d = t.shape
    if k == 0:
        return t.new_zeros(b, 0, d), torch.zeros(b, 0, dtype=torch.bool, device=t.device), m
    pos = torch.arange(n, device=t.device)[None, :].expand(b, n)
    order = torch.argsort(torch.where(m, pos, pos + n), dim=1)[:, :k]  # selected first, stable order
    t_e = torch.gather(masked, 1, order[..., None].expand(b, k, d))
    t_e_mask = torch.arange(k, device=t.device)[None, :] < counts[:, None]
    return t_e * t_e_mask[..., None].to(t.dtype), t_e_mask, m


def entity_bce(h: Tensor, y: Tensor, mask: Tensor) -> Tensor:
    """Eq. 10: binary cross-entropy between scores ``h`` and labels ``y`` over real tokens (mean)."""
    eps = 1e-6
    hc = h.clamp(eps, 1 - eps)
    per = -(y * torch.log(hc) + (1 - y) * torch.log(1 - hc))
    w = mask.to(h.dtype)
    return (per * w).sum() / w.sum().clamp_min(1.0)


def sampling_probabilities(similarities: np.ndarray, mu: float) -> np.ndarray:
    """Eqs. 13-14: s^m_j = s_j if s_j >= mu else 0; p_j = (s^m_j)^-1 / sum (s^m)^-1, filtered -> 0.

    When every query falls below ``mu`` the most central one is kept (p = 1 on the argmax), so each
    video still has a target; this case is not covered by the paper.
    """
    s = np.asarray(similarities, dtype=np.float64)
    if s.size == 0:
        raise ValueError("sampling_probabilities needs at least one similarity")
    keep = s >= mu
    if not keep.any():
        p = np.zeros_like(s)
        p[int(np.argmax(s))] = 1.0
        return p
    inv = np.where(keep, 1.0 / np.where(keep, s, 1.0), 0.0)
    return np.asarray(inv / inv.sum(), dtype=np.float64)


def matched_mu(reference: np.ndarray, mu: float, target: np.ndarray) -> float:
    """The Eq. 13 threshold for another encoder: the one that keeps the same share of queries.

    ``reference`` and ``target`` are the Eq. 12 similarities of the same queries under the encoder ``mu``
    was set for and under the new one. The share kept at ``mu`` on the reference is matched by the
    corresponding quantile of the target's similarities (rank-preserving, no assumption about either scale).
    """
    ref, tgt = np.asarray(reference, dtype=np.float64), np.asarray(target, dtype=np.float64)
    if ref.size == 0 or ref.shape != tgt.shape:
        raise ValueError("matched_mu needs the similarities of the same queries under both encoders")
    kept = float((ref >= mu).mean())
    return float(np.quantile(tgt, 1.0 - kept)) if kept > 0 else float(tgt.max()) + 1e-6


def cosine_to_mean(embeddings: np.ndarray) -> np.ndarray:
    """Eqs. 11-12: cosine similarity of each query vector g_j to the mean vector g-bar."""
    g = np.asarray(embeddings, dtype=np.float64)
    mean = g.mean(axis=0)
    denom = np.linalg.norm(g, axis=1) * max(float(np.linalg.norm(mean)), 1e-12)
    return np.asarray(g @ mean / np.maximum(denom, 1e-12), dtype=np.float64)


def weighted_generative_loss(
    l_g: Tensor, l_v: Tensor | None, l_t: Tensor | None, u_v: Tensor | None, u_t: Tensor | None
) -> Tensor:
    """Eq. 17: mean over the batch of (U_v*L_g^v + U_t*L_g^t + L_g) / 3 (per-sample tensors (B,)).

    A modality switched off (``None``) drops its term and the divisor shrinks accordingly.
    """
    terms = [l_g]
    if l_v is not None and u_v is not None:
        terms.append(u_v * l_v)
    if l_t is not None and u_t is not None:
        terms.append(u_t * l_t)
    return (torch.stack(terms, 0).sum(0) / len(terms)).mean()


#: AdamW weight decay per unit of beta: the paper's beta = 0.5 gives 1e-3, the authors' public code's value
DECAY_PER_BETA = 2e-3
REGULARIZERS = ("decoupled", "frobenius")


def regularizer_groups(
    named_params: Sequence[tuple[str, Tensor]], cfg: QMSConfig
) -> tuple[list[dict[str, Any]], bool]:
    """Eq. 18's regulariser as optimiser parameter groups, and whether the loss adds ``frobenius_penalty``.

    "decoupled": weight matrices (ndim >= 2) decay by ``cfg.beta * DECAY_PER_BETA`` per AdamW step; biases
    and LayerNorm gains are not decayed (pulling a LayerNorm gain to zero silences its layer). "frobenius":
    one group without decay; the caller adds ``cfg.beta * frobenius_penalty`` to the loss.
    """
    if cfg.regularizer not in REGULARIZERS:
        raise ModelError(f"unknown QMS regularizer {cfg.regularizer!r}; use one of {list(REGULARIZERS)}")
    params = [p for _, p in named_params if p.requires_grad]
    if cfg.regularizer == "frobenius" or cfg.beta <= 0:
        return [{"params": params, "weight_decay": 0.0}], cfg.regularizer == "frobenius" and cfg.beta > 0
    decay = [p for _, p in named_params if p.requires_grad and p.ndim >= 2]
    keep = [p for _, p in named_params if p.requires_grad and p.ndim < 2]
    return [
        {"params": decay, "weight_decay": cfg.beta * DECAY_PER_BETA},
        {"params": keep, "weight_decay": 0.0},
    ], False


def frobenius_penalty(params: Sequence[Tensor]) -> Tensor:
    """The ||Theta||_F term of Eq. 18: square root of the sum of squares of all trainable parameters."""
    return torch.sqrt(sum((p.float() ** 2).sum() for p in params))  # type: ignore[arg-type]


# ---------------------------------------------------------------- model


@dataclass
class QMSBatch:
    """Model inputs for B videos (masks True = valid)."""

    text_ids: Tensor  # (B, Lt) transcript token ids
    text_mask: Tensor  # (B, Lt)
    frames: Tensor  # (B, Lv, frame_dim)
    frame_mask: Tensor  # (B, Lv)


@dataclass
class QMSEncoded:
    """Encoder side of one batch."""

    v: Tensor | None
    v_mask: Tensor | None
    t: Tensor | None
    t_mask: Tensor | None
    h: Tensor | None  # Eq. 4 scores (B, Lt)
    t_e: Tensor | None  # Eq. 6 (B, K, d)
    t_e_mask: Tensor | None


def bart_config(cfg: QMSConfig, vocab_size: int, pad_id: int, bos_id: int, eos_id: int) -> Any:
    """A transformers BartConfig of the sizes in ``cfg`` (the architecture trained from scratch offline)."""
    from transformers import BartConfig

    return BartConfig(
        vocab_size=vocab_size,
        d_model=cfg.d_model,
        encoder_layers=cfg.layers,
        decoder_layers=cfg.layers,
        encoder_attention_heads=cfg.heads,
        decoder_attention_heads=cfg.heads,
        encoder_ffn_dim=cfg.ffn_dim,
        decoder_ffn_dim=cfg.ffn_dim,
        dropout=cfg.dropout,
        attention_dropout=cfg.dropout,
        max_position_embeddings=max(cfg.max_transcript, cfg.max_frames, cfg.max_query) + 8,
        pad_token_id=pad_id,
        bos_token_id=bos_id,
        eos_token_id=eos_id,
        decoder_start_token_id=eos_id,
        forced_eos_token_id=None,
        tie_word_embeddings=True,
    )


class QMSModel(nn.Module):
    """Encoders (Eq. 1) + entity-aware module (Eqs. 2-7) + BART decoder (Eq. 8).

    Build with ``QMSModel(cfg, bart)`` where ``bart`` is a ``BartForConditionalGeneration`` (pretrained
    or fresh); ``new_qms_model`` does that for both cases.
    """

    def __init__(self, cfg: QMSConfig, bart: Any):
        super().__init__()
        from transformers.models.bart.modeling_bart import BartEncoder

        if cfg.no_visual and cfg.no_textual:
            raise ModelError("no_visual and no_textual together leave no input; switch one off")
        self.cfg = cfg
        self.bart = bart
        bcfg = bart.config
        self.d = int(bcfg.d_model)
        vcfg = copy.deepcopy(bcfg)
        vcfg.vocab_size, vcfg.pad_token_id = 1, 0
        self.frame_proj = nn.Linear(cfg.frame_dim, self.d)
        self.visual_encoder = BartEncoder(vcfg)  # Eq. 1, randomly initialised, same architecture
        hidden = cfg.entity_hidden or self.d
        # Eqs. 2-3: one head, queries from T, keys/values from V (from T under no_visual: self-attention).
        self.entity_attn = MultiHeadCrossAttention(self.d, self.d, self.d, heads=1)
        self.entity_mlp = nn.Sequential(nn.Linear(self.d, hidden), nn.ReLU(), nn.Linear(hidden, 1))  # Eq. 4

    # -- encoding --------------------------------------------------------
    def encode(self, batch: QMSBatch) -> QMSEncoded:
        """Eq. 1 and Eqs. 2-6 for one batch."""
        cfg = self.cfg
        v = v_mask = t = t_mask = h = t_e = t_e_mask = None
        if not cfg.no_visual:
            v_mask = batch.frame_mask.bool()
            x = self.frame_proj(batch.frames)
            v = self.bart_encoder_out(self.visual_encoder, x, v_mask)
        if not cfg.no_textual:
            t_mask = batch.text_mask.bool()
            t = self.bart.model.encoder(
                input_ids=batch.text_ids, attention_mask=t_mask.long()
            ).last_hidden_state
            if not cfg.no_entity:
                kv, kv_mask = (t, t_mask) if v is None else (v, v_mask)
                e = self.entity_attn(t, kv, kv_mask=kv_mask, q_mask=t_mask)  # Eq. 3
                assert isinstance(e, Tensor)
                h = torch.sigmoid(self.entity_mlp(e)).squeeze(-1)  # Eq. 4
                t_e, t_e_mask, _ = select_entities(t, t_mask, h, cfg.tau)  # Eqs. 5-6
        return QMSEncoded(v, v_mask, t, t_mask, h, t_e, t_e_mask)

    @staticmethod
    def bart_encoder_out(encoder: nn.Module, x: Tensor, mask: Tensor) -> Tensor:
        out = encoder(inputs_embeds=x, attention_mask=mask.long()).last_hidden_state
        return out * mask[..., None].to(out.dtype)

    @staticmethod
    def memory(enc: QMSEncoded, source: str = "mm") -> tuple[Tensor, Tensor]:
        """The decoder's memory: 'mm' = [V; T; T_e] (Eq. 7), 'v' = V alone, 't' = T alone."""
        parts: list[tuple[Tensor | None, Tensor | None]]
        if source == "v":
            parts = [(enc.v, enc.v_mask)]
        elif source == "t":
            parts = [(enc.t, enc.t_mask)]
        else:
            parts = [(enc.v, enc.v_mask), (enc.t, enc.t_mask), (enc.t_e, enc.t_e_mask)]
        xs = [p for p, m in parts if p is not None and m is not None and p.shape[1] > 0]
        ms = [m for p, m in parts if p is not None and m is not None and p.shape[1] > 0]
        if not xs:
            raise ModelError(f"QMS memory {source!r} is empty under the current ablation flags")
        return torch.cat(xs, 1), torch.cat(ms, 1)

    # -- decoding --------------------------------------------------------
    def token_nll(
        self, memory: Tensor, memory_mask: Tensor, dec_in: Tensor, target: Tensor, target_mask: Tensor
    ) -> Tensor:
        """Eqs. 8 and 16: per-sample mean negative log-likelihood of ``target`` (B,) given the memory."""
        out = self.bart.model.decoder(
            input_ids=dec_in,
            attention_mask=target_mask.long(),
            encoder_hidden_states=memory,
            encoder_attention_mask=memory_mask.long(),
        ).last_hidden_state
        logits = self.bart.lm_head(out) + self.bart.final_logits_bias
        nll = nn.functional.cross_entropy(logits.transpose(1, 2), target, reduction="none")
        w = target_mask.to(nll.dtype)
        return (nll * w).sum(1) / w.sum(1).clamp_min(1.0)

    @torch.no_grad()
    def greedy_ids(self, memory: Tensor, memory_mask: Tensor, max_len: int | None = None) -> list[list[int]]:
        """Greedy decoding (Sec. III-D: the most probable word each step until EOS); ids without specials."""
        bcfg = self.bart.config
        eos, b = int(bcfg.eos_token_id), memory.shape[0]
        seq = torch.full((b, 1), int(bcfg.decoder_start_token_id), dtype=torch.long, device=memory.device)
        done = torch.zeros(b, dtype=torch.bool, device=memory.device)
        for _ in range(max_len or self.cfg.max_query):
            out = self.bart.model.decoder(
                input_ids=seq, encoder_hidden_states=memory, encoder_attention_mask=memory_mask.long()
            ).last_hidden_state[:, -1]
            nxt = (self.bart.lm_head(out) + self.bart.final_logits_bias).argmax(-1)
            nxt = torch.where(done, torch.full_like(nxt, eos), nxt)
            seq = torch.cat([seq, nxt[:, None]], 1)
            done |= nxt == eos
            if bool(done.all()):
                break
        special = {int(bcfg.pad_token_id), int(bcfg.bos_token_id), eos}
        res: list[list[int]] = []
        for row in seq[:, 1:].tolist():
            ids: list[int] = []
            for tok in row:
                if tok == eos:
                    break
                if tok not in special:
                    ids.append(int(tok))
            res.append(ids)
        return res

    @torch.no_grad()
    def generate_ids(
        self,
        memory: Tensor,
        memory_mask: Tensor,
        num_beams: int = 1,
        max_len: int | None = None,
        num_return: int = 1,
    ) -> list[list[int]]:
        """Autoregressive decoding (greedy if num_beams=1, else beam search); ids without specials."""
        from transformers.modeling_outputs import BaseModelOutput

        if num_beams <= 1 and num_return <= 1:
            return self.greedy_ids(memory, memory_mask, max_len)
        bcfg = self.bart.config
        n_ret = min(num_return, max(num_beams, 1))
        out = self.bart.generate(
            encoder_outputs=BaseModelOutput(last_hidden_state=memory),
            attention_mask=memory_mask.long(),
            num_beams=num_beams,
            num_return_sequences=n_ret,
            max_length=(max_len or self.cfg.max_query) + 1,
            min_length=0,
            do_sample=False,
            decoder_start_token_id=bcfg.decoder_start_token_id,
            bos_token_id=bcfg.bos_token_id,
            eos_token_id=bcfg.eos_token_id,
            pad_token_id=bcfg.pad_token_id,
            forced_eos_token_id=None,
            no_repeat_ngram_size=0,
        )
        special = {
            int(bcfg.pad_token_id),
            int(bcfg.bos_token_id),
            int(bcfg.eos_token_id),
            int(bcfg.decoder_start_token_id),
        }
        seqs: list[list[int]] = []
        for row in out.tolist():
            ids: list[int] = []
            for tok in row[1:]:
                if tok == bcfg.eos_token_id:
                    break
                if tok not in special:
                    ids.append(int(tok))
            seqs.append(ids)
        return seqs

    def n_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())


def new_qms_model(cfg: QMSConfig, vocab_size: int, pad_id: int, bos_id: int, eos_id: int) -> QMSModel:
    """A QMS model: BART weights from ``cfg.backbone`` ('bart:NAME_OR_DIR', hub or local folder) or fresh."""
    from transformers import BartForConditionalGeneration

    if cfg.backbone.startswith("bart:"):
        name = cfg.backbone.split(":", 1)[1]
        from pathlib import Path

        from vidgist.util.hub import hub_offline, offline_reason

        offline = not Path(name).expanduser().exists() and hub_offline()
        try:
            bart = BartForConditionalGeneration.from_pretrained(name, local_files_only=offline)
        except Exception as exc:  # network, missing folder, wrong format
            why = f"not in the local cache and {offline_reason()}" if offline else type(exc).__name__
            raise ModelError(
                f"{name}: cannot load BART weights ({why}); give a local folder, or set "
                "model.backbone: scratch in the config"
            ) from None
        bc: Any = bart.config
        cfg.d_model, cfg.layers, cfg.heads = (
            int(bc.d_model),
            int(bc.encoder_layers),
            int(bc.encoder_attention_heads),
        )
        cfg.ffn_dim = int(bc.encoder_ffn_dim)
        bc.decoder_start_token_id = (
            bc.decoder_start_token_id if bc.decoder_start_token_id is not None else eos_id
        )
    elif cfg.backbone == "scratch":
        bart = BartForConditionalGeneration(bart_config(cfg, vocab_size, pad_id, bos_id, eos_id))
    else:
        raise ModelError(f"unknown QMS backbone {cfg.backbone!r}; use 'scratch' or 'bart:NAME_OR_DIR'")
    return QMSModel(cfg, bart)


def lead_baseline(transcript_words: list[str], p: int = 8) -> list[str]:
    """Lead (Sec. IV-B2): the first P words (characters for Chinese) of the transcript; P = 8."""
    return list(transcript_words[:p])


def count_params_mb(model: nn.Module) -> float:
    """Parameter memory in MB (float32)."""
    return sum(p.numel() for p in model.parameters()) * 4 / 2**20


def cosine_lr(step: int, total: int, base: float) -> float:
    """Cosine annealing (Loshchilov & Hutter) from ``base`` to 0 over ``total`` steps."""
    return 0.5 * base * (1 + math.cos(math.pi * min(step, total) / max(total, 1)))
