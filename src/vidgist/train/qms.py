"""Train and evaluate QMS (Algorithm 1) and its baselines on QMS records.

``train_qms`` runs Algorithm 1: entity labels (Eq. 9) and query sampling distributions (Eq. 14) once per
video, then per batch L_c (Eq. 10), greedy unimodal generations and confidence scores (Eq. 15), the
weighted generative loss (Eqs. 16-17) and the total loss (Eq. 18), AdamW with cosine annealing (Eq. 18's
beta term as decoupled weight decay: ``models.qms.regularizer_groups``). The epoch
kept is the one with the best validation score (split ``eval``); the test split is never looked at.
``evaluate_qms`` reports BLEU-1..4, ROUGE-L, CIDEr and retrieval metrics for one split.
"""

from __future__ import annotations

import copy
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.data.qms_items import QMSItem, by_split
from vidgist.errors import DataError, ModelError
from vidgist.models.qms import BASELINES, QMSConfig, preset
from vidgist.models.qms_text import confidence_score, split_words
from vidgist.models.qms_tokenize import HFTokenizer, QMSTokenizer, WordTokenizer, minilm_tokenizer_path
from vidgist.qms.encode import (
    Embedder,
    EncodedVideo,
    collate,
    encode_items,
    query_distributions,
    query_embedder,
    target_tensors,
)
from vidgist.qms.generate import generate_texts

VARIANTS = ("qms", "bart_text", "bart_mm")


@dataclass
class QMSTrainConfig:
    """Everything `vidgist train qms CONFIG.yaml` reads (model settings under ``model``)."""

    data: str = ""
    out: str = "runs/qms"
    variant: str = "qms"  # qms | bart_text | bart_mm (baselines on the same architecture)
    preset: str | None = None  # paper | cpu | tiny: sizes applied before ``model``
    model: dict[str, Any] = field(default_factory=dict)
    epochs: int = 15
    batch_size: int = 64
    lr: float = 5e-5
    seed: int = 0
    lang: str = "en"  # metric tokenisation: en words, zh characters
    select_metric: str = "CIDEr"
    select_every: int = 1  # validate every n epochs (and after the last)
    #: stop after this many validations in a row without a better score (0: run every epoch)
    patience: int = 0
    eval_beams: int = 4
    max_vocab: int | None = None  # word tokenizer size cap
    threads: int | None = None  # torch CPU threads (1 is fastest for tiny models on a busy machine)
    prepare: str = ""  # shell command that makes ``data`` ({config_dir}: the config's folder)
    #: Eqs. 11-12's sentence encoder: minilm (English), e5 (multilingual, offline), or a sentence-transformers
    #: hub name or folder; mu (model.mu) must suit its cosine scale (models.qms.matched_mu)
    query_encoder: str = "minilm"

    def model_config(self) -> QMSConfig:
        """The QMSConfig: preset sizes, then ``model`` overrides, then the variant's baseline flags."""
        if self.variant not in VARIANTS:
            raise ModelError(f"unknown QMS variant {self.variant!r}; use one of {list(VARIANTS)}")
        d = preset(self.preset) if self.preset else {}
        d.update(self.model)
        cfg = QMSConfig.from_dict(d)
        if self.variant in BASELINES:
            cfg = cfg.with_flags(**BASELINES[self.variant])
        return cfg


def load_train_config(path: str | Path, overrides: dict[str, Any] | None = None) -> QMSTrainConfig:
    """Read a YAML training config and check its inputs; unknown keys raise InputError naming them.

    ``data`` and ``out`` in the file are relative to the file's folder (``vidgist.train.config_file``);
    ``overrides`` (command-line options: variant, epochs, data, out) win and are used as given.
    """
    from vidgist.errors import InputError
    from vidgist.train.config_file import (
        check_inputs,
        config_dir,
        prepare_command,
        read_yaml_mapping,
        resolve_path,
    )

    p = Path(path)
    raw = read_yaml_mapping(p)
    known = set(QMSTrainConfig.__dataclass_fields__)
    bad = sorted(set(raw) - known)
    if bad:
        raise InputError(f"{p}: unknown setting(s) {bad}; known: {sorted(known)}")
    base = config_dir(p)
    for key in ("data", "out"):
        if raw.get(key):
            raw[key] = str(Path(resolve_path(base, str(raw[key]))).resolve())
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    if "variant" in given and given["variant"] not in VARIANTS:
        raise InputError(f"--variant {given['variant']}: unknown; use one of {', '.join(VARIANTS)}")
    raw.update(given)
    cfg = QMSTrainConfig(**raw)
    if cfg.variant not in VARIANTS:
        raise InputError(f"{p}: variant {cfg.variant!r} unknown; use one of {', '.join(VARIANTS)}")
    if not cfg.data:
        raise InputError(f"{p}: no 'data' (a QMS layout folder or table); add it or pass --data")
    check_inputs(p, {"data": cfg.data}, prepare_command(cfg.prepare, base))
    return cfg


def build_tokenizer(
    cfg: QMSConfig, train_items: Sequence[QMSItem], max_vocab: int | None = None
) -> QMSTokenizer:
    """BART's own tokenizer for a pretrained backbone; else a word vocabulary or the bundled WordPiece."""
    if cfg.backbone.startswith("bart:"):
        return HFTokenizer(cfg.backbone.split(":", 1)[1])
    if cfg.tokenizer == "minilm":
        return HFTokenizer(minilm_tokenizer_path())
    if cfg.tokenizer == "word":
        texts = [it.transcript for it in train_items] + [q for it in train_items for q in it.queries]
        return WordTokenizer.build(texts, max_size=max_vocab)
    raise ModelError(f"unknown QMS tokenizer {cfg.tokenizer!r}; use 'word' or 'minilm' (or a bart: backbone)")


@dataclass
class TrainedQMS:
    """A trained model with its tokenizer, the validation history and the selection rule."""

    model: Any
    tokenizer: QMSTokenizer
    config: QMSTrainConfig
    history: list[dict[str, Any]]
    best_epoch: int
    selection_rule: str
    seconds: float
    videos_per_second: float


def _log(msg: str, progress: bool) -> None:
    if progress:
        print(msg, file=sys.stderr, flush=True)


def _step_loss(
    model: Any,
    tok: Any,
    cfg: Any,
    chunk: list[Any],
    rng: np.random.Generator,
    start_id: int,
    params: list[Any],
    add_frobenius: bool,
) -> tuple[Any, dict[str, float]]:
    """The Eq. 18 loss of one batch and its logged parts (loss, L_g, L_c, U_v, U_t as floats)."""
    from vidgist.models.qms import entity_bce, frobenius_penalty, weighted_generative_loss

    batch, y = collate(chunk, tok.pad_id)
    enc = model.encode(batch)
    picks = [int(rng.choice(len(v.queries), p=v.probs)) for v in chunk]  # g ~ P(G), Eq. 14
    dec_in, tgt, tmask = target_tensors(
        [v.query_ids[j] for v, j in zip(chunk, picks, strict=True)], start_id, tok.pad_id
    )
    mem, mem_mask = model.memory(enc, "mm")
    l_g = model.token_nll(mem, mem_mask, dec_in, tgt, tmask)  # Eq. 16, L_g
    l_v = l_t = u_v = u_t = None
    scored = not cfg.no_scores and all(x is not None for x in (enc.v, enc.t, enc.v_mask, enc.t_mask))
    if scored:
        u_v, u_t = _confidences(model, tok, (enc.v, enc.v_mask), (enc.t, enc.t_mask), chunk)  # Eq. 15
        l_v = model.token_nll(enc.v, enc.v_mask, dec_in, tgt, tmask)  # Eq. 16, L_g^v
        l_t = model.token_nll(enc.t, enc.t_mask, dec_in, tgt, tmask)  # Eq. 16, L_g^t
    loss = weighted_generative_loss(l_g, l_v, l_t, u_v, u_t)  # Eq. 17
    l_c = entity_bce(enc.h, y, enc.t_mask) if enc.h is not None and enc.t_mask is not None else None
    if l_c is not None:
        loss = loss + cfg.lam * l_c  # Eq. 18
    if add_frobenius:
        loss = loss + cfg.beta * frobenius_penalty(params)
    parts = {"loss": loss, "L_g": l_g.mean(), "L_c": l_c, "U_v": None, "U_t": None}
    if u_v is not None and u_t is not None:
        parts["U_v"], parts["U_t"] = u_v.mean(), u_t.mean()
    return loss, {k: float(v.detach()) for k, v in parts.items() if v is not None}


def train_qms(
    items: Sequence[QMSItem],
    tcfg: QMSTrainConfig,
    embed: Embedder | None = None,
    probs: dict[str, np.ndarray] | None = None,
    progress: bool = True,
) -> TrainedQMS:
    """Algorithm 1 on the ``train`` split, epoch selection on ``eval``. Deterministic for ``tcfg.seed``.

    ``embed`` maps query strings to vectors for Eqs. 11-12 (default: bundled MiniLM); ``probs`` may pass
    precomputed Eq. 14 distributions (as ``query_distributions`` returns) to share them between runs.
    """
    import torch

    from vidgist.models.qms import new_qms_model, regularizer_groups

    cfg = tcfg.model_config()
    train_items, val_items = by_split(items, "train"), by_split(items, "eval")
    if not train_items:
        raise DataError("QMS data has no 'train' rows; mark training videos with type=train")
    if not val_items:
        raise DataError("QMS data has no 'eval' rows; validation selection needs type=eval videos")
    if tcfg.threads:
        torch.set_num_threads(tcfg.threads)
    rng = np.random.default_rng(tcfg.seed)
    tok = build_tokenizer(cfg, train_items, tcfg.max_vocab)
    if cfg.no_query_sampling:
        probs = query_distributions(train_items, cfg.mu, None, uniform=True)
    elif probs is None:
        probs = query_distributions(train_items, cfg.mu, embed or query_embedder(tcfg.query_encoder))
    train_enc = encode_items(train_items, tok, cfg, probs)  # Algorithm 1 lines 2-5
    val_enc = encode_items(val_items, tok, cfg)
    torch.manual_seed(tcfg.seed)  # here, so loading the MiniLM above cannot shift the initialisation
    model = new_qms_model(cfg, tok.vocab_size, tok.pad_id, tok.bos_id, tok.eos_id)
    params = [p for p in model.parameters() if p.requires_grad]
    groups, add_frobenius = regularizer_groups(list(model.named_parameters()), cfg)  # Eq. 18's beta term
    opt = torch.optim.AdamW(groups, lr=tcfg.lr)  # weight decay 0 in every group = Adam
    steps_per_epoch = (len(train_enc) + tcfg.batch_size - 1) // tcfg.batch_size
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=max(1, tcfg.epochs * steps_per_epoch))
    start_id = int(model.bart.config.decoder_start_token_id)
    history: list[dict[str, Any]] = []
    best: tuple[float, int, dict[str, Any]] | None = None
    t0 = time.perf_counter()
    train_seconds, stale, epoch = 0.0, 0, 0
    for epoch in range(1, tcfg.epochs + 1):
        model.train()
        te = time.perf_counter()
        order = rng.permutation(len(train_enc))
        sums: dict[str, float] = {}
        for s in range(steps_per_epoch):
            chunk = [train_enc[int(i)] for i in order[s * tcfg.batch_size : (s + 1) * tcfg.batch_size]]
            loss, parts = _step_loss(model, tok, cfg, chunk, rng, start_id, params, add_frobenius)
            opt.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call]
            opt.step()
            sched.step()
            for k, value in parts.items():
                sums[k] = sums.get(k, 0.0) + value
        train_seconds += time.perf_counter() - te
        rec: dict[str, Any] = {"epoch": epoch, **{k: round(v / steps_per_epoch, 4) for k, v in sums.items()}}
        if epoch % tcfg.select_every == 0 or epoch == tcfg.epochs:
            rec["val"] = _validate(model, tok, val_enc, val_items, tcfg)
            value = float(rec["val"][tcfg.select_metric])
            stale = stale + 1 if best is not None and value <= best[0] else 0
            if stale == 0:
                best = (value, epoch, copy.deepcopy(model.state_dict()))
        history.append(rec)
        _log_epoch(tcfg, rec, progress)
        if tcfg.patience and stale >= tcfg.patience:
            break
    assert best is not None
    model.load_state_dict(best[2])
    model.eval()
    return TrainedQMS(
        model,
        tok,
        tcfg,
        history,
        best[1],
        selection_rule(tcfg),
        time.perf_counter() - t0,
        epoch * len(train_enc) / max(train_seconds, 1e-9),
    )


def selection_rule(tcfg: QMSTrainConfig) -> str:
    """The checkpoint-selection rule of a training config, in words."""
    stop = (
        f"; training stops after {tcfg.patience} validation(s) in a row without a better score"
        if tcfg.patience
        else ""
    )
    return (
        f"epoch with the best validation {tcfg.select_metric} (split 'eval', beam {tcfg.eval_beams}, "
        f"checked every {tcfg.select_every} epoch(s) and after the last){stop}; test split unused in "
        "training and selection"
    )


def _validate(
    model: Any,
    tok: QMSTokenizer,
    val_enc: list[EncodedVideo],
    val_items: Sequence[QMSItem],
    tcfg: QMSTrainConfig,
) -> dict[str, float]:
    """Caption metrics of the model's generations on the validation split."""
    hyps = generate_texts(model, tok, val_enc, tcfg.eval_beams)
    scores = caption_metrics(hyps, val_items, tcfg.lang)
    return {k: round(float(v), 4) for k, v in scores.items() if isinstance(v, float)}


def _log_epoch(tcfg: QMSTrainConfig, rec: dict[str, Any], progress: bool) -> None:
    _log(
        f"qms[{tcfg.variant}] epoch {rec['epoch']}/{tcfg.epochs} "
        + " ".join(f"{k}={v}" for k, v in rec.items() if k not in ("epoch", "val"))
        + (f" val {tcfg.select_metric}={rec['val'][tcfg.select_metric]}" if "val" in rec else ""),
        progress,
    )


def _confidences(
    model: Any, tok: QMSTokenizer, v: tuple[Any, Any], t: tuple[Any, Any], chunk: Sequence[EncodedVideo]
) -> tuple[Any, Any]:
    """Eq. 15 per video and modality: greedy generation from V alone and from T alone (one batched
    decode, each memory padded to the longer one under its mask), max Dice over the video's queries."""
    import torch

    (vm, v_mask), (tm, t_mask) = v, t
    n = max(vm.shape[1], tm.shape[1])

    def pad(x: Any, m: Any) -> tuple[Any, Any]:
        extra = n - x.shape[1]
        return torch.nn.functional.pad(x.detach(), (0, 0, 0, extra)), torch.nn.functional.pad(m, (0, extra))

    (pv, pvm), (pt, ptm) = pad(vm, v_mask), pad(tm, t_mask)
    was = model.training
    model.eval()
    try:
        ids = model.generate_ids(torch.cat([pv, pt]), torch.cat([pvm, ptm]), num_beams=1)
    finally:
        model.train(was)
    scores = [confidence_score(tok.decode(g), c.queries) for g, c in zip(ids, [*chunk, *chunk], strict=True)]
    b = len(chunk)
    return torch.tensor(scores[:b]), torch.tensor(scores[b:])


def caption_metrics(hyps: dict[str, Any], items: Sequence[QMSItem], lang: str = "en") -> dict[str, Any]:
    """BLEU-1..4, ROUGE-L, CIDEr of one text per item against all of the item's queries."""
    from vidgist.eval.text import caption_scores

    refs = {it.item_id: list(it.queries) for it in items}
    return dict(caption_scores({k: str(v) for k, v in hyps.items()}, refs, lang=lang))


def retrieval_metrics(
    hyps: dict[str, Any],
    items: Sequence[QMSItem],
    embed: Any = None,
    ks: tuple[int, ...] = (1, 5, 10, 30),
    lang: str = "en",
) -> dict[str, dict[str, float]]:
    """Table V protocol: each distinct user query searches the generated texts; BM25 and dense."""
    from vidgist.eval.retrieval import retrieval_scores

    rel: dict[str, set[str]] = {}
    for it in items:
        for q in it.queries:
            rel.setdefault(q, set()).add(it.item_id)
    queries = sorted(rel.items())
    docs = {k: str(v) for k, v in hyps.items()}
    if not any(d.strip() for d in docs.values()):  # nothing generated: nothing can be retrieved
        zero = {f"{m}@{k}": 0.0 for m in ("R", "P", "Acc") for k in ks}
        return {"bm25": dict(zero), "dense": dict(zero)}
    return {
        "bm25": dict(retrieval_scores(queries, docs, method="bm25", ks=ks, lang=lang)),
        "dense": dict(retrieval_scores(queries, docs, method="dense", ks=ks, embed=embed, lang=lang)),
    }


def lead_texts(items: Sequence[QMSItem], p: int = 8) -> dict[str, str]:
    """The Lead baseline: first P = 8 words (characters for Chinese) of each transcript."""
    from vidgist.models.qms import lead_baseline
    from vidgist.models.qms_text import join_words

    return {it.item_id: join_words(lead_baseline(split_words(it.transcript), p)) for it in items}


def evaluate_qms(
    trained: TrainedQMS | tuple[Any, QMSTokenizer],
    items: Sequence[QMSItem],
    split: str = "test",
    lang: str = "en",
    retrieval: bool = True,
    embed: Any = None,
    num_beams: int = 4,
) -> dict[str, Any]:
    """Generation metrics (and retrieval metrics) of a trained model on one split."""
    model, tok = (trained.model, trained.tokenizer) if isinstance(trained, TrainedQMS) else trained
    part = by_split(items, split)
    if not part:
        raise DataError(f"QMS data has no {split!r} rows to evaluate")
    hyps = generate_texts(model, tok, encode_items(part, tok, model.cfg), num_beams)
    out: dict[str, Any] = {"generation": caption_metrics(hyps, part, lang), "n_videos": len(part)}
    if retrieval:
        out["retrieval"] = retrieval_metrics(hyps, part, embed, lang=lang)
    out["examples"] = {k: hyps[k] for k in sorted(hyps)[:5]}
    return out


def evaluate_texts(
    hyps: dict[str, str],
    items: Sequence[QMSItem],
    lang: str = "en",
    retrieval: bool = True,
    embed: Any = None,
) -> dict[str, Any]:
    """The same report for texts made without a model (the Lead baseline)."""
    out: dict[str, Any] = {"generation": caption_metrics(hyps, items, lang), "n_videos": len(items)}
    if retrieval:
        out["retrieval"] = retrieval_metrics(hyps, items, embed, lang=lang)
    return out


def history_json(trained: TrainedQMS) -> dict[str, Any]:
    """The JSON-able training record (config, history, selected epoch, rule, throughput)."""
    return {
        "config": asdict(trained.config),
        "model": trained.model.cfg.to_dict(),
        "history": trained.history,
        "best_epoch": trained.best_epoch,
        "selection_rule": trained.selection_rule,
        "train_seconds": round(trained.seconds, 2),
        "train_videos_per_second": round(trained.videos_per_second, 2),
    }
