"""Fine-tune and evaluate the SSPVS progressive summarizer over a split file (``vidgist train sspvs``).

Settings come from the split file (canonical 5 folds, augmented with other datasets' keys in training,
transfer), as for CLIP-It (:func:`vidgist.data.splits.split_setting`). Per split and seed:

- the summarizer (:class:`vidgist.models.sspvs.SSPVSSummarizer`, ``stages`` stages) starts from the
  pretrained video encoder (``pretrained``; with ``text_guidance`` also its text encoder and, for the
  stage-1 text projection ``MLP_tau``, its token projection) or from scratch; the text encoder is frozen
  apart from its pooler;
- an epoch visits every training video ``set_multiply`` times in a random order; a training item is a
  random contiguous crop of ``clip_len`` steps; the target is :func:`target_scores` (gtscore / max over
  the whole video); loss MSE (:func:`vidgist.models.sspvs.summary_loss`); plain Adam at a constant rate
  (``weight_decay`` 0 and no gradient clipping unless the config sets them);
- model selection (written into every result): ``selection: validation`` (default) keeps the epoch with
  the highest mean F-score on a validation set carved from the split's training videos
  (``carve_validation``, seeded); ``selection: test-oracle`` reproduces the reference, which selects on
  the test split, and is labelled so in the results: it is for comparison with the paper only.

Evaluation: :func:`vidgist.train.clip_it.evaluate` (key-shot F-score per user, ``mean`` (TVSum) or ``max``
(SumMe) over users, Kendall tau / Spearman rho against each annotator's frame scores when available).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.errors import DataError, InputError
from vidgist.train.clip_it_data import Sample
from vidgist.train.config_file import config_fingerprint, open_run
from vidgist.train.sspvs_config import SSPVSTrainConfig
from vidgist.util.atomic import write_json

__all__ = [
    "SELECTION_RULES",
    "FTSample",
    "build_summarizer",
    "fit_summarizer",
    "predict",
    "run_experiment",
    "target_scores",
]

SELECTION_RULES = {
    "validation": (
        "epoch with the highest mean validation F-score (validation carved from the training videos only, "
        "ties to the earlier epoch; last epoch when there are no validation videos)"
    ),
    "test-oracle": (
        "TEST-ORACLE (the reference's rule, for comparison with the paper only): epoch with the highest "
        "mean F-score on the test videos themselves; these figures are optimistic"
    ),
}


def target_scores(gtscore: np.ndarray) -> np.ndarray:
    """The fine-tuning target: ``gtscore / max(gtscore)`` over the whole video (zeros for an all-zero or
    negative-only gtscore). Keeps zero at zero and ratios between steps; eccv16 gtscores are already in
    [0, 1], which the authors use as stored."""
    g = np.asarray(gtscore, dtype=np.float64)
    hi = float(g.max(initial=0.0))
    return np.zeros_like(g) if hi < 1e-12 else np.clip(g, 0.0, None) / hi


@dataclass(frozen=True, eq=False)
class FTSample:
    sample: Sample  # key, frames, targets (normalised gtscore), video (evaluation record)
    ids: np.ndarray | None  # (T,) token ids of the video's text (text guidance)
    mask: np.ndarray | None  # (T,) bool


def load_samples(cfg: SSPVSTrainConfig, keys: Sequence[str], tokenizer: Any) -> dict[str, FTSample]:
    """Videos named by split keys with normalised targets and (with text guidance) tokenized text."""
    from vidgist.backbones.hf_text import encode_fields
    from vidgist.data.splits import load_keyed_videos
    from vidgist.data.sspvs_text import read_video_texts

    dataset = cfg.resolve(cfg.dataset)
    videos = load_keyed_videos(keys, dataset, str(Path(cfg.resolve(cfg.splits)).parent))
    if cfg.user_scores:
        from vidgist.train.clip_it import _with_user_scores

        videos = _with_user_scores(cfg, videos, dataset, str(Path(cfg.resolve(cfg.splits)).parent))  # type: ignore[arg-type]
    texts: dict[str, list[str]] = {}
    names, lengths = list(cfg.text_fields), [int(v) for v in cfg.text_fields.values()]
    if cfg.text_guidance:
        defaults = {k: {"title": Path(v.video_name or k).stem.replace("_", " ")} for k, v in videos.items()}
        texts = read_video_texts(cfg.resolve(cfg.texts), list(videos), names, defaults)
    out: dict[str, FTSample] = {}
    for k, v in videos.items():
        if v.gtscore is None:
            raise DataError(f"{dataset}: video '{k}' has no gtscore; fine-tuning needs it")
        tgt = target_scores(v.gtscore).astype(np.float32)
        frames = np.asarray(v.features, np.float32)
        s = Sample(k, frames, np.zeros((1, 1), np.float32), tgt, tgt, v)
        ids = mask = None
        if cfg.text_guidance:
            i, m = encode_fields(tokenizer, texts[k], lengths)
            ids, mask = np.asarray(i, np.int64), np.asarray(m, bool)
        out[k] = FTSample(s, ids, mask)
    return out


def build_summarizer(cfg: SSPVSTrainConfig, frame_dim: int, seed: int) -> tuple[Any, Any, str | None]:
    """(summarizer, tokenizer or None, text-encoder spec or None), from the pretrained checkpoint or fresh.

    The encoder's architecture (heads, layers, ff_mult, local window) comes from the pretrained checkpoint;
    ``cfg.model`` may change dropout, ``pe_weight`` (default 0.1) and ``stage_dropout``."""
    import torch

    from vidgist.models.sspvs import SSPVSConfig, SSPVSSummarizer, TextEncoder

    torch.manual_seed(seed)
    base: dict[str, Any] = {"pe_weight": 0.1}
    text = tok = spec = None
    pre = None
    if cfg.pretrained:
        from vidgist.scorers.checkpoint import check_compatible
        from vidgist.scorers.sspvs import load_sspvs_checkpoint

        path = Path(cfg.resolve(cfg.pretrained))
        pre, ptok, meta = load_sspvs_checkpoint(path)
        if meta["model"] != "sspvs-pretrain":
            raise InputError(
                f"{path}: 'pretrained' must be a pretraining checkpoint (`vidgist pretrain sspvs`)"
            )
        check_compatible(meta, path, cfg.backbone, frame_dim)
        arch = ("heads", "layers", "ff_mult", "max_len", "local_window")
        base.update({k: meta["model_config"][k] for k in arch})
        if cfg.text_guidance:
            text, tok, spec = pre.text, ptok, str(meta["text_encoder"]["spec"])
    elif cfg.text_guidance:
        from vidgist.backbones.hf_text import load_text_encoder

        spec = cfg.resolve_text_encoder()
        hf, tok = load_text_encoder(spec)
        text = TextEncoder(hf)
    over = {k: v for k, v in cfg.model.items() if not (pre is not None and k in base and k != "pe_weight")}
    mc = SSPVSConfig.from_dict(
        {**base, **over, "frame_dim": frame_dim, "stages": cfg.stages, "text_guidance": cfg.text_guidance}
    )
    torch.manual_seed(seed)
    model = SSPVSSummarizer(mc, text)
    if pre is not None:
        model.encoder.load_state_dict(pre.video.state_dict())
        if model.text_proj is not None:
            model.text_proj.load_state_dict(pre.tok_proj.state_dict())  # MLP_tau, as the authors resume it
    if model.text is not None:
        model.text.freeze_but_pooler()
    return model, tok, spec


def _batch(items: Sequence[FTSample], rng: np.random.Generator | None, clip_len: int) -> dict[str, Any]:
    """Padded tensors; with ``rng`` a random crop of ``clip_len`` steps per video, else whole videos."""
    import torch

    from vidgist.models.blocks import pad_sequences

    fs, ts = [], []
    for it in items:
        n = len(it.sample.frames)
        s = int(rng.integers(0, max(1, n - clip_len + 1))) if rng is not None else 0
        e = s + clip_len if rng is not None else n
        fs.append(torch.from_numpy(it.sample.frames[s:e]))
        ts.append(torch.from_numpy(it.sample.targets[s:e])[:, None])
    frames, fm = pad_sequences(fs)
    tg, _ = pad_sequences(ts)
    b: dict[str, Any] = {
        "frames": frames,
        "frame_mask": fm,
        "target": tg[..., 0],
        "ids": None,
        "text_mask": None,
    }
    if items[0].ids is not None:
        b["ids"] = torch.from_numpy(np.stack([it.ids for it in items]))  # type: ignore[misc]
        b["text_mask"] = torch.from_numpy(np.stack([it.mask for it in items]))  # type: ignore[misc]
    return b


def predict(model: Any, items: Sequence[FTSample]) -> dict[str, np.ndarray]:
    """Scores (n,) per video key, one whole video at a time (no padding, eval mode)."""
    import torch

    model.eval()
    out: dict[str, np.ndarray] = {}
    with torch.no_grad():
        for it in items:
            b = _batch([it], None, 0)
            out[it.sample.key] = model(b["frames"], None, b["ids"], b["text_mask"]).scores[0].double().numpy()
    return out


def fit_summarizer(
    cfg: SSPVSTrainConfig,
    train: Sequence[FTSample],
    select_on: Sequence[FTSample],
    seed: int,
    workdir: str | os.PathLike[str] | None = None,
    on_epoch: Callable[[int, dict[str, float]], None] | None = None,
) -> tuple[Any, Any, str | None, Any]:
    """Train on ``train``, select the epoch on ``select_on`` (validation, or test for test-oracle).

    Returns (model with the selected weights, tokenizer, text spec, :class:`LoopResult`)."""
    import torch

    from vidgist.models.sspvs import summary_loss
    from vidgist.train.clip_it import evaluate
    from vidgist.train.loop import run_epochs, train_batches

    if not train:
        raise DataError("no training videos")
    model, tok, spec = build_summarizer(cfg, int(train[0].sample.frames.shape[1]), seed)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=cfg.lr, weight_decay=cfg.weight_decay)

    def train_epoch(epoch: int, rng: np.random.Generator) -> dict[str, float]:
        order = rng.permutation(np.tile(np.arange(len(train)), cfg.set_multiply))
        batches = (
            _batch([train[int(i)] for i in order[b0 : b0 + cfg.batch_size]], rng, cfg.clip_len)
            for b0 in range(0, len(order), cfg.batch_size)
        )

        def losses(b: dict[str, Any]) -> dict[str, Any]:
            out = model(b["frames"], b["frame_mask"], b["ids"], b["text_mask"])
            return {"total": summary_loss(out.scores, b["target"], b["frame_mask"])}

        return {"loss": train_batches(opt, batches, losses, params, cfg.grad_clip).get("total", 0.0)}

    def score() -> dict[str, float] | None:
        if not select_on:
            return None
        ev = evaluate(
            predict(model, select_on), [s.sample for s in select_on], cfg.aggregation, cfg.budget, rank=False
        )
        return {"fscore": float(ev["fscore"])}

    res = run_epochs(
        model, opt, cfg.epochs, seed, train_epoch, score, "fscore", cfg.eval_every, workdir, on_epoch
    )
    return model, tok, spec, res


#: options that may change between runs in one folder (resuming, extending training, more splits/seeds)
_RESUMABLE = ("name", "epochs", "split_indices", "seeds", "eval_every", "base_dir", "threads")


def _fingerprint(cfg: SSPVSTrainConfig) -> str:
    """The fingerprint of every option that changes what a run computes (all but ``_RESUMABLE``)."""
    return config_fingerprint(cfg, _RESUMABLE, ("dataset", "splits", "pretrained", "texts"))


def run_experiment(
    cfg: SSPVSTrainConfig, outdir: str | os.PathLike[str], resume: bool = True, show_progress: bool = False
) -> dict[str, Any]:
    """Fine-tune and test on every split and seed; ``OUTDIR/split{k}_seed{s}/{best.safetensors, result.json}``
    and ``OUTDIR/results.json`` (with the selection rule). A finished split/seed is skipped when resuming;
    resuming in a folder made with a config that computes something else is an InputError."""

    from vidgist.data.splits import load_splits, split_keys, split_setting
    from vidgist.scorers.sspvs import save_sspvs_checkpoint
    from vidgist.train.clip_it import evaluate, finite_mean
    from vidgist.util.atomic import ensure_writable_dir
    from vidgist.util.progress import Progress
    from vidgist.version import __version__

    if cfg.threads > 0:
        import torch

        torch.set_num_threads(cfg.threads)
    out = ensure_writable_dir(outdir)
    splits = load_splits(cfg.resolve(cfg.splits))
    ids = list(range(len(splits))) if cfg.split_indices is None else list(cfg.split_indices)
    bad = [i for i in ids if not 0 <= i < len(splits)]
    if bad:
        raise InputError(f"{cfg.splits}: has {len(splits)} splits; split_indices {bad} are out of range")
    tokenizer = None
    if cfg.text_guidance:
        from vidgist.backbones.hf_text import load_text_encoder

        spec = cfg.resolve_text_encoder()
        if cfg.pretrained:
            from vidgist.scorers.checkpoint import read_checkpoint_meta

            te = read_checkpoint_meta(cfg.resolve(cfg.pretrained)).get("text_encoder") or {}
            spec = str(te.get("spec", spec))
        _, tokenizer = load_text_encoder(spec)
    rule = SELECTION_RULES[cfg.selection]
    per_split: list[dict[str, Any]] = []
    with Progress(enabled=show_progress) as prog:
        for i in ids:
            sp = splits[i]
            samples = load_samples(
                cfg, list(dict.fromkeys(sp.train_keys + sp.val_keys + sp.test_keys)), tokenizer
            )
            setting = split_setting(sp, Path(cfg.dataset).stem)
            results = []
            for seed in cfg.seeds:
                d = out / f"split{i}_seed{seed}"
                # the selection rule is in the fingerprint: another rule needs --no-resume or another -o
                prev = open_run(d, _fingerprint(cfg), cfg, resume, lambda r: r.get("epochs") == cfg.epochs)
                if prev is not None:
                    results.append(prev)
                    continue
                train, val, test = ([samples[k] for k in ks] for ks in split_keys(sp, cfg.val_fraction, seed))
                task = prog.add(f"split {i} seed {seed}: sspvs x{cfg.stages}", cfg.epochs)

                def on_epoch(ep: int, rec: dict[str, float], _t: int = task) -> None:
                    prog.advance(_t)

                select_on = test if cfg.selection == "test-oracle" else val
                model, _, used_spec, res = fit_summarizer(cfg, train, select_on, seed, d, on_epoch)
                training = {
                    "config": cfg.name,
                    "split": i,
                    "seed": seed,
                    "best_epoch": res.best_epoch,
                    "selection": cfg.selection,
                    "selection_rule": rule,
                    "best_select_fscore": res.best_score,
                    "pretrained": cfg.pretrained or None,
                }
                save_sspvs_checkpoint(
                    d / "best.safetensors",
                    model,
                    "sspvs",
                    cfg.backbone,
                    used_spec,
                    dict(cfg.text_fields),
                    training,
                )
                ev = evaluate(
                    predict(model, test),
                    [s.sample for s in test],
                    cfg.aggregation,
                    cfg.budget,
                    rank=True,
                    rank_stride=cfg.rank_stride,
                )
                r = {
                    **training,
                    "epochs": cfg.epochs,
                    "setting": setting,
                    "stages": cfg.stages,
                    "text_guidance": cfg.text_guidance,
                    "n_train": len(train),
                    "n_val": len(val),
                    "n_test": len(test),
                    "test_fscore": ev["fscore"],
                    "test_kendall": ev["kendall"],
                    "test_spearman": ev["spearman"],
                    "per_video": ev["per_video"],
                }
                write_json(d / "result.json", r)
                results.append(r)
            per_split.append(
                {
                    "split": i,
                    "setting": setting,
                    "fscore": float(np.mean([r["test_fscore"] for r in results])),
                    "kendall": finite_mean([r["test_kendall"] for r in results]),
                    "spearman": finite_mean([r["test_spearman"] for r in results]),
                }
            )
    summary = {
        "name": cfg.name,
        "model": "sspvs",
        "stages": cfg.stages,
        "text_guidance": cfg.text_guidance,
        "pretrained": cfg.pretrained or None,
        "selection": cfg.selection,
        "selection_rule": rule,
        "aggregation": cfg.aggregation,
        "budget": cfg.budget,
        "seeds": list(cfg.seeds),
        "per_split": per_split,
        "mean_fscore": float(np.mean([p["fscore"] for p in per_split])) if per_split else None,
        "mean_kendall": finite_mean([p["kendall"] for p in per_split]),
        "mean_spearman": finite_mean([p["spearman"] for p in per_split]),
        "config_used": {k: v for k, v in asdict(cfg).items() if k != "base_dir"},
        "vidgist_version": __version__,
    }
    write_json(out / "results.json", summary)
    return summary
