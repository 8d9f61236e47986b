"""SSPVS self-supervised pretraining on unlabelled video-text pairs (``vidgist pretrain sspvs``).

Data: frame features from h5 files (``vidgist features extract`` output or eccv16 files; only
``features`` is read) and per-video text fields (:mod:`vidgist.data.sspvs_text`; the title defaults to
the h5's ``video_name`` or the key). Each text is tokenized once into
``[CLS] field_1 [SEP] ... [SEP]`` with each field cut or padded to its ``text_fields`` length.

A training item is a random contiguous crop of ``clip_len`` steps (zero-padded and masked when shorter);
with probability 0.5 it gets its own text (y = 1), else the text of another random video (y = 0); one
random step of the crop is masked. Losses: :func:`vidgist.models.sspvs.pretrain_losses`. Plain Adam at
a constant rate. One epoch is ``repeat`` passes over the training videos, each in a fresh random order
(the authors list every video eight times per epoch: ``repeat: 8``).

Selection rule: the epoch with the highest video-text matching accuracy on held-out videos
(``val_fraction`` of the videos, seeded; fixed crops, pairings and masked steps), ties to the earlier
epoch. Output folder: ``best.safetensors`` (+ ``.json``), ``last.pt`` (resume), ``log.jsonl``,
``result.json``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.errors import DataError
from vidgist.train.sspvs_config import SSPVSPretrainConfig
from vidgist.util.atomic import write_json

__all__ = ["PRETRAIN_SELECTION_RULE", "Pair", "load_pairs", "pretrain"]

PRETRAIN_SELECTION_RULE = (
    "epoch with the highest video-text matching accuracy on held-out videos (val_fraction of the "
    "unlabelled videos, fixed crops and pairings), ties to the earlier epoch; "
    "last epoch without held-out videos"
)


@dataclass(frozen=True, eq=False)
class Pair:
    key: str
    frames: np.ndarray  # (n, d) float32
    ids: np.ndarray  # (T,) int64 token ids
    mask: np.ndarray  # (T,) bool, False at [PAD]


def load_pairs(cfg: SSPVSPretrainConfig, tokenizer: Any) -> list[Pair]:
    """Every video of the feature files with its tokenized text (keys prefixed by file stem if several)."""
    from vidgist.backbones.hf_text import encode_fields
    from vidgist.data.h5 import read_eccv16
    from vidgist.data.sspvs_text import read_video_texts

    files = cfg.feature_files()
    names, lengths = list(cfg.text_fields), [int(v) for v in cfg.text_fields.values()]
    pairs: list[Pair] = []
    for f in files:
        vids = read_eccv16(f, strict=False)
        keyed = {(f"{Path(f).stem}/{k}" if len(files) > 1 else k): v for k, v in vids.items()}
        defaults = {
            k: {"title": Path(v.video_name or v.name).stem.replace("_", " ")} for k, v in keyed.items()
        }
        texts = read_video_texts(cfg.resolve(cfg.texts), list(keyed), names, defaults)
        for k, v in keyed.items():
            ids, mask = encode_fields(tokenizer, texts[k], lengths)
            frames = np.asarray(v.features, np.float32)
            pairs.append(Pair(k, frames, np.asarray(ids, np.int64), np.asarray(mask, bool)))
    dims = {int(p.frames.shape[1]) for p in pairs}
    if len(dims) > 1:
        raise DataError(f"{', '.join(files)}: videos mix feature widths {sorted(dims)}; use one backbone")
    if len(pairs) < 2:
        raise DataError(
            f"{', '.join(files)}: pretraining needs at least 2 videos (it pairs texts across videos)"
        )
    return pairs


def _batch(
    pairs: Sequence[Pair], pool: Sequence[Pair], rng: np.random.Generator, clip_len: int
) -> dict[str, Any]:
    """Tensors of one batch: cropped frames, mask, text ids/mask (own or another video's), y, masked step."""
    import torch

    from vidgist.models.blocks import pad_sequences

    crops, ids, tmask, ys, pos = [], [], [], [], []
    for p in pairs:
        n = len(p.frames)
        s = int(rng.integers(0, max(1, n - clip_len + 1)))
        crop = p.frames[s : s + clip_len]
        y = bool(rng.random() < 0.5)
        t = p
        if not y:
            others = [q for q in pool if q.key != p.key]
            t = others[int(rng.integers(0, len(others)))]
        crops.append(torch.from_numpy(crop))
        ids.append(t.ids)
        tmask.append(t.mask)
        ys.append(float(y))
        pos.append(int(rng.integers(0, len(crop))))
    frames, fm = pad_sequences(crops)
    mp = torch.tensor(pos, dtype=torch.long)
    target = frames[torch.arange(len(pairs)), mp].clone()
    return {
        "frames": frames,
        "frame_mask": fm,
        "ids": torch.from_numpy(np.stack(ids)),
        "text_mask": torch.from_numpy(np.stack(tmask)),
        "y": torch.tensor(ys),
        "mask_pos": mp,
        "target": target,
    }


def _split(pairs: Sequence[Pair], fraction: float, seed: int) -> tuple[list[Pair], list[Pair]]:
    from vidgist.data.splits import carve_validation

    by = {p.key: p for p in pairs}
    tr, va = carve_validation(list(by), fraction, seed)
    return [by[k] for k in tr], [by[k] for k in va]


def build_pretrainer(cfg: SSPVSPretrainConfig, frame_dim: int, hf_text: Any) -> Any:
    """A fresh :class:`SSPVSPretrainer` (seeded by ``cfg.seed``) over the built text encoder ``hf_text``."""
    import torch

    from vidgist.models.sspvs import SSPVSConfig, SSPVSPretrainer, TextEncoder

    torch.manual_seed(cfg.seed)
    mc = SSPVSConfig.from_dict({**cfg.model, "frame_dim": frame_dim, "text_dim": 0})
    return SSPVSPretrainer(mc, TextEncoder(hf_text))


#: options that may change between a run and its resumption (all others are in the fingerprint)
_RESUMABLE = ("name", "epochs", "eval_every", "base_dir", "threads")  # repeat changes an epoch


def _fingerprint(cfg: SSPVSPretrainConfig) -> str:
    """The fingerprint of every option that changes what pretraining computes (feature files resolved)."""
    from vidgist.train.config_file import config_fingerprint

    return config_fingerprint(replace(cfg, features=cfg.feature_files()), _RESUMABLE, ("texts",))


def pretrain(
    cfg: SSPVSPretrainConfig, outdir: str | os.PathLike[str], resume: bool = True, show_progress: bool = False
) -> dict[str, Any]:
    """Pretrain, write ``best.safetensors`` and ``result.json`` into ``outdir``; return the result."""
    import torch

    from vidgist.models.sspvs import pretrain_losses
    from vidgist.scorers.sspvs import save_sspvs_checkpoint
    from vidgist.train.config_file import open_run
    from vidgist.train.loop import run_epochs, train_batches
    from vidgist.util.atomic import ensure_writable_dir
    from vidgist.util.progress import Progress

    out = ensure_writable_dir(outdir)
    # refuses a folder pretrained with another config; resuming continues from last.pt (run_epochs)
    open_run(out, _fingerprint(cfg), cfg, resume, lambda result: False)
    from vidgist.backbones.hf_text import load_text_encoder

    hf, tok = load_text_encoder(cfg.resolve_text_encoder())
    pairs = load_pairs(cfg, tok)
    model = build_pretrainer(cfg, int(pairs[0].frames.shape[1]), hf)
    train, val = _split(pairs, cfg.val_fraction, cfg.seed)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=cfg.lr)
    val_batches = [
        _batch(val[i : i + cfg.batch_size], pairs, np.random.default_rng([cfg.seed, 7, i]), cfg.clip_len)
        for i in range(0, len(val), cfg.batch_size)
    ]

    def train_epoch(epoch: int, rng: np.random.Generator) -> dict[str, float]:
        order = np.concatenate([rng.permutation(len(train)) for _ in range(cfg.repeat)])
        batches = (
            _batch([train[int(i)] for i in order[b0 : b0 + cfg.batch_size]], pairs, rng, cfg.clip_len)
            for b0 in range(0, len(order), cfg.batch_size)
        )

        def losses(b: dict[str, Any]) -> dict[str, Any]:
            o = model(b["frames"], b["frame_mask"], b["ids"], b["text_mask"], b["mask_pos"])
            return pretrain_losses(o, b["target"], b["y"], b["frame_mask"], b["text_mask"], model.config)

        return {f"loss_{k}": v for k, v in train_batches(opt, batches, losses).items()}

    def score() -> dict[str, float] | None:
        if not val_batches:
            return None
        hits = total = 0
        sums: dict[str, float] = {}
        for b in val_batches:
            o = model(b["frames"], b["frame_mask"], b["ids"], b["text_mask"], b["mask_pos"])
            terms = pretrain_losses(o, b["target"], b["y"], b["frame_mask"], b["text_mask"], model.config)
            hits += int(((o.match_logit > 0).float() == b["y"]).sum())
            total += len(b["y"])
            for k, v in terms.items():
                sums[k] = sums.get(k, 0.0) + float(v) * len(b["y"])
        return {"accuracy": hits / max(total, 1), **{f"loss_{k}": v / max(total, 1) for k, v in sums.items()}}

    with Progress(enabled=show_progress) as prog:
        task = prog.add("pretrain sspvs", cfg.epochs)
        res = run_epochs(
            model,
            opt,
            cfg.epochs,
            cfg.seed,
            train_epoch,
            score,
            "accuracy",
            cfg.eval_every,
            out,
            on_epoch=lambda ep, rec: prog.advance(task),
        )
    training = {
        "config": cfg.name,
        "best_epoch": res.best_epoch,
        "best_val_accuracy": res.best_score,
        "selection_rule": PRETRAIN_SELECTION_RULE,
    }
    ckpt = save_sspvs_checkpoint(
        out / "best.safetensors",
        model,
        "sspvs-pretrain",
        cfg.backbone,
        cfg.resolve_text_encoder(),
        dict(cfg.text_fields),
        training,
    )
    result = {
        **training,
        "checkpoint": str(ckpt),
        "n_train": len(train),
        "n_val": len(val),
        "epochs": cfg.epochs,
        "history": res.history,
        "config_used": {k: v for k, v in asdict(cfg).items() if k != "base_dir"},
    }
    write_json(out / "result.json", result)
    return result
