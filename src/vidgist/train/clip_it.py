"""Train and evaluate CLIP-It (and the baselines, through the same code path) on summarization data.

Python API
----------
- :func:`fit` trains one model on training samples, selecting the epoch by the validation F-score.
- :func:`predict` returns per-video scores of any model kind (``clip-it``, ``pgl-sum``, ``dsnet-af``,
  ``random``, ``uniform``, ``zero-shot``), so every method is evaluated the same way.
- :func:`evaluate` computes the key-shot F-score (``vidgist.eval.summary.evaluate_video_fscore``) and
  Kendall tau / Spearman rho (``rank_correlation``) of predictions.
- :func:`run_experiment` runs a :class:`ClipItTrainConfig` over every split and seed, with resume,
  logs and a results file.

Selection rule (written into every results file): the epoch with the highest mean F-score on a
validation set carved from the split's *training* videos (``vidgist.data.splits.carve_validation``,
``val_fraction``, seeded), ties to the earlier epoch; with no validation videos the last epoch.
Unsupervised CLIP-It reads no labels at all: its epoch is the one with the lowest unsupervised loss on
the same validation videos (``UNSUPERVISED_SELECTION_RULE``).
The test videos are never looked at before the selected model is fixed.

Aggregation: F-score per video against every user (``mean`` over users for TVSum, ``max`` for SumMe),
mean over the split's test videos, then mean over splits (and over seeds).

Zero-shot baseline on feature files: there is no image to bridge through, so the score is the cosine
similarity in the dimensions frames and texts share
(:func:`vidgist.data.synthetic_summ.shared_dim_similarity`): exactly the zero-shot CLIP score for a
joint backbone, uninformative for unrelated spaces.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.errors import DataError, InputError
from vidgist.train.clip_it_config import ClipItTrainConfig
from vidgist.train.clip_it_data import Sample, collate
from vidgist.train.config_file import config_fingerprint, open_run
from vidgist.train.loop import run_epochs, train_batches
from vidgist.util.atomic import write_json

__all__ = ["SELECTION_RULE", "FitResult", "build", "fit", "predict", "evaluate", "run_experiment"]

SELECTION_RULE = (
    "epoch with the highest mean validation F-score (validation carved from the training videos only, "
    "ties to the earlier epoch; last epoch when there are no validation videos)"
)
UNSUPERVISED_SELECTION_RULE = (
    "epoch with the lowest mean unsupervised loss on validation videos carved from the training videos "
    "(no ground truth read in training or selection; ties to the earlier epoch)"
)
TRAINABLE = ("clip-it", "pgl-sum", "dsnet-af")


def is_unsupervised(kind: str, cfg: ClipItTrainConfig) -> bool:
    """True for CLIP-It with ``supervised: false``: no label or user summary is read to train or select."""
    return kind == "clip-it" and cfg.clip_it.get("supervised", True) is False


def selection_rule(kind: str, cfg: ClipItTrainConfig) -> str:
    """The model-selection rule printed with every result of ``kind``."""
    if kind not in TRAINABLE:
        return "none (untrained baseline)"
    return UNSUPERVISED_SELECTION_RULE if is_unsupervised(kind, cfg) else SELECTION_RULE


def _best_val_record(fitres: FitResult | None, cfg: ClipItTrainConfig) -> dict[str, float | None]:
    """``best_val_fscore``, or ``best_val_loss`` for unsupervised runs (their selection score is -loss)."""
    if fitres is None:
        return {"best_val_fscore": None}
    if is_unsupervised(cfg.model, cfg):
        return {"best_val_loss": None if fitres.best_val is None else -fitres.best_val}
    return {"best_val_fscore": fitres.best_val}


def _validation_loss(kind: str, model: Any, val: Sequence[Sample], cfg: ClipItTrainConfig) -> float:
    """Mean training objective over the validation videos (eval mode, no gradient)."""
    import torch

    model.eval()
    total, n = 0.0, 0
    with torch.no_grad():
        for b0 in range(0, len(val), cfg.batch_size):
            chunk = list(val[b0 : b0 + cfg.batch_size])
            total += float(_losses(kind, model, collate(chunk))["total"]) * len(chunk)
            n += len(chunk)
    return total / max(n, 1)


@dataclass
class FitResult:
    model: Any
    best_epoch: int
    best_val: float | None
    history: list[dict[str, float]] = field(default_factory=list)


def _model_config(kind: str, cfg: ClipItTrainConfig, frame_dim: int, text_dim: int) -> dict[str, Any]:
    if kind == "clip-it":
        from vidgist.models.clip_it import ClipItConfig

        return ClipItConfig.from_dict({**cfg.clip_it, "frame_dim": frame_dim, "text_dim": text_dim}).to_dict()
    if kind == "dsnet-af":
        from vidgist.models.baselines import DSNetAFConfig

        return DSNetAFConfig.from_dict(
            {**cfg.dsnet_af, "frame_dim": frame_dim, "text_dim": text_dim}
        ).to_dict()
    from vidgist.models.baselines import PGLSumConfig

    return PGLSumConfig.from_dict({**cfg.pgl_sum, "frame_dim": frame_dim, "text_dim": text_dim}).to_dict()


def build(kind: str, cfg: ClipItTrainConfig, frame_dim: int, text_dim: int, seed: int) -> Any:
    """A freshly initialised model; the same seed gives the same weights."""
    import torch

    from vidgist.models import build_model

    torch.manual_seed(seed)
    return build_model(kind, _model_config(kind, cfg, frame_dim, text_dim))


def _losses(kind: str, model: Any, batch: Any) -> dict[str, Any]:
    out = model(batch.frames, batch.frame_mask, batch.texts, batch.text_mask)
    if kind == "clip-it":
        from vidgist.models.clip_it import clip_it_losses

        return clip_it_losses(out, batch.frames, batch.frame_mask, batch.labels, model.config)
    if kind == "dsnet-af":
        return dict(model.losses(out, batch.frame_mask, batch.labels))
    return dict(model.losses(out, batch.frame_mask, batch.targets))


def _dims(samples: Sequence[Sample]) -> tuple[int, int]:
    dv = {int(s.frames.shape[1]) for s in samples}
    dt = {int(s.texts.shape[1]) for s in samples}
    if len(dv) != 1 or len(dt) != 1:
        raise DataError(
            f"samples mix feature dims (frames {sorted(dv)}, texts {sorted(dt)}); use one backbone"
        )
    return dv.pop(), dt.pop()


def fit(
    kind: str,
    train: Sequence[Sample],
    val: Sequence[Sample],
    cfg: ClipItTrainConfig,
    seed: int = 0,
    workdir: str | os.PathLike[str] | None = None,
    on_epoch: Callable[[int, dict[str, float]], None] | None = None,
) -> FitResult:
    """Train ``kind`` on ``train`` for ``cfg.epochs``; keep the weights of the selected epoch.

    With ``workdir``, ``last.pt`` (weights, optimizer, history; ``torch.load(weights_only=True)``) is
    written atomically after every epoch and training resumes from it. Each epoch reseeds torch from
    (seed, epoch) and shuffles with numpy's generator of (seed, epoch), so a resumed run equals an
    uninterrupted one.
    """
    import torch

    if kind not in TRAINABLE:
        raise InputError(f"model '{kind}' is not trainable; trainable models: {', '.join(TRAINABLE)}")
    if not train:
        raise DataError("no training videos")
    dv, dt = _dims(list(train) + list(val))
    unsupervised = is_unsupervised(kind, cfg)
    model = build(kind, cfg, dv, dt, seed)
    params = list(model.parameters())
    opt = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay)

    def train_epoch(epoch: int, rng: np.random.Generator) -> dict[str, float]:
        order = rng.permutation(len(train))
        batches = (
            collate([train[int(i)] for i in order[b0 : b0 + cfg.batch_size]])
            for b0 in range(0, len(order), cfg.batch_size)
        )
        means = train_batches(opt, batches, lambda b: _losses(kind, model, b), params, cfg.grad_clip)
        return {f"loss_{k}": v for k, v in means.items()}

    def score() -> dict[str, float] | None:
        if not val:
            return None
        if unsupervised:
            return {"loss": _validation_loss(kind, model, val, cfg)}
        preds = predict(kind, model, val, seed)
        return {"fscore": evaluate(preds, val, cfg.aggregation, cfg.budget, rank=False)["fscore"]}

    res = run_epochs(
        model,
        opt,
        cfg.epochs,
        seed,
        train_epoch,
        score,
        "loss" if unsupervised else "fscore",
        eval_every=cfg.eval_every,
        workdir=workdir,
        on_epoch=on_epoch,
        lower_is_better=unsupervised,  # best_val is then the negated validation loss
    )
    return FitResult(model, res.best_epoch, res.best_score, res.history)


def predict(kind: str, model: Any, samples: Sequence[Sample], seed: int = 0) -> dict[str, np.ndarray]:
    """Scores (n,) per sample key for any model kind (``model`` is ignored for the untrained ones)."""
    from vidgist.models import baselines as b

    out: dict[str, np.ndarray] = {}
    if kind == "random":
        return {s.key: b.random_scores(len(s.frames), seed, s.key) for s in samples}
    rules = {
        "uniform": lambda x: b.uniform_scores(len(x)),
        "typicality": b.typicality_scores,
        "mmr": b.mmr_scores,
        "k-medoids": b.kmedoids_scores,
    }
    if kind in rules:
        return {s.key: rules[kind](s.frames) for s in samples}
    if kind == "zero-shot":
        from vidgist.data.synthetic_summ import shared_dim_similarity

        return {s.key: shared_dim_similarity(s.frames, s.texts) for s in samples}
    import torch

    from vidgist.models import frame_scores

    model.eval()
    with torch.no_grad():
        for s in samples:  # one video at a time: no padding at inference
            one = collate([s])
            res = frame_scores(model, one.frames, one.frame_mask, one.texts, one.text_mask)
            out[s.key] = res[0].double().numpy()
    return out


def finite_mean(xs: Sequence[float | None]) -> float | None:
    """The mean of the finite values of ``xs`` (None and NaN dropped), None when there are none."""
    a = np.asarray([x for x in xs if x is not None], dtype=np.float64)
    a = a[np.isfinite(a)]
    return float(a.mean()) if a.size else None


def evaluate(
    preds: dict[str, np.ndarray],
    samples: Sequence[Sample],
    aggregation: str = "mean",
    budget: float = 0.15,
    rank: bool = True,
    rank_stride: int = 1,
) -> dict[str, Any]:
    """{"fscore": mean over videos, "kendall", "spearman" (None when undefined), "per_video": {...}}."""
    from vidgist.eval.summary import evaluate_video_fscore, rank_correlation, upsample_scores

    per: dict[str, dict[str, float | None]] = {}
    for s in samples:
        v = s.video
        if v is None or v.user_summary is None:
            raise DataError(f"video '{s.key}' has no user_summary; it cannot be evaluated")
        sc = np.asarray(preds[s.key], dtype=np.float64)
        f = evaluate_video_fscore(
            sc, v.picks, v.n_frames, v.change_points, v.n_frame_per_seg, v.user_summary, aggregation, budget
        )
        rec: dict[str, float | None] = {"fscore": float(f)}
        if rank:
            users = v.user_scores if v.user_scores is not None else None
            if users is not None:
                up = upsample_scores(sc, v.picks, v.n_frames)
                for m in ("kendall", "spearman"):
                    r = rank_correlation(up, users, m, rank_stride)
                    rec[m] = None if not math.isfinite(r) else float(r)
        per[s.key] = rec
    return {
        "fscore": float(np.mean([r["fscore"] for r in per.values()])) if per else float("nan"),
        "kendall": finite_mean([r.get("kendall") for r in per.values()]) if rank else None,
        "spearman": finite_mean([r.get("spearman") for r in per.values()]) if rank else None,
        "per_video": per,
    }


# ---------------------------------------------------------------------------------------------
# experiments over split files


def _text_path_for(cfg: ClipItTrainConfig, h5: Path) -> str:
    tf = cfg.text_features
    if isinstance(tf, dict):
        for cand in (h5.name, h5.stem, str(h5)):
            if cand in tf:
                return cfg.resolve(tf[cand])
        raise InputError(f"text_features has no entry for {h5.name}; add '{h5.name}: <text h5>'")
    if not tf:
        raise InputError("text_features is not set; run `vidgist features extract` or give per-video text h5")
    return cfg.resolve(tf)


def _load_eccv16_samples(cfg: ClipItTrainConfig, keys: Sequence[str]) -> dict[str, Sample]:
    from vidgist.data.splits import load_keyed_videos, resolve_key
    from vidgist.train.clip_it_data import build_samples, read_text_features

    dataset = cfg.resolve(cfg.dataset)
    base = str(Path(cfg.resolve(cfg.splits)).parent)
    videos = load_keyed_videos(keys, dataset, base)
    texts: dict[str, np.ndarray] = {}
    by_file: dict[str, list[tuple[str, str]]] = {}
    for k in keys:
        h5, vk = resolve_key(k, dataset, base)
        by_file.setdefault(_text_path_for(cfg, h5), []).append((k, vk))
    for tpath, pairs in by_file.items():
        aliases = {}
        for k, vk in pairs:
            vn = videos[k].video_name
            if vn:
                aliases[vk] = [Path(vn).stem, vn]
        t = read_text_features(tpath, [vk for _, vk in pairs], aliases)
        for k, vk in pairs:
            texts[k] = t[vk]
    if cfg.user_scores:
        videos = _with_user_scores(cfg, videos, dataset, base)
    return {s.key: s for s in build_samples(videos, texts, cfg.label_rule, need_labels=True)}


#: options that may change between runs in one folder (resuming, extending training, more splits/seeds)
_RESUMABLE = ("name", "epochs", "split_indices", "seeds", "eval_every", "base_dir", "source", "prepare")


def _fingerprint(cfg: ClipItTrainConfig) -> str:
    """The fingerprint of every option that changes what a run computes (all but ``_RESUMABLE``)."""
    return config_fingerprint(cfg, _RESUMABLE, ("dataset", "splits"))


def _with_user_scores(
    cfg: ClipItTrainConfig, videos: dict[str, Any], dataset: str, base: str
) -> dict[str, Any]:
    """Attach TVSum per-user frame scores (for tau/rho) to the main dataset's videos, by file order."""
    from dataclasses import replace

    from vidgist.data.splits import resolve_key
    from vidgist.data.tvsum import eccv16_keys
    from vidgist.eval.summary import load_tvsum_user_scores

    path = cfg.resolve(cfg.user_scores)
    anno = load_tvsum_user_scores(path)
    ids = eccv16_keys(list(anno))
    out = dict(videos)
    for k, v in videos.items():
        h5, vk = resolve_key(k, dataset, base)
        if Path(h5).resolve() != Path(dataset).resolve() or vk not in ids:
            continue
        us = anno[ids[vk]]
        if us.shape[1] != v.n_frames:
            raise DataError(
                f"{path}: video {ids[vk]} has {us.shape[1]} frames but '{vk}' of {dataset} has {v.n_frames}; "
                "user_scores must be the annotations of this dataset"
            )
        out[k] = replace(v, user_scores=us)
    return out


def _split_result_path(outdir: Path, split: int, seed: int) -> Path:
    return outdir / f"split{split}_seed{seed}"


def _load_split_data(cfg: ClipItTrainConfig) -> tuple[list[int], list[tuple[Any, dict[str, Sample], str]]]:
    """(split indices, [(split, samples by key, setting)]) for every split the run covers."""
    from vidgist.data.splits import load_splits, split_setting

    if cfg.format == "qvhighlights":
        from vidgist.train.clip_it_qvh import qvh_split

        return [0], [qvh_split(cfg)]
    splits = load_splits(cfg.resolve(cfg.splits))
    split_ids = list(range(len(splits))) if cfg.split_indices is None else list(cfg.split_indices)
    bad = [i for i in split_ids if not 0 <= i < len(splits)]
    if bad:
        raise InputError(
            f"{cfg.resolve(cfg.splits)}: has {len(splits)} splits, numbered 0..{len(splits) - 1}; "
            f"--splits (config 'split_indices') {','.join(map(str, bad))} out of range"
        )
    data = []
    for i in split_ids:
        sp = splits[i]
        samples = _load_eccv16_samples(cfg, list(dict.fromkeys(sp.train_keys + sp.val_keys + sp.test_keys)))
        data.append((sp, samples, split_setting(sp, Path(cfg.dataset).stem)))
    return split_ids, data


def _fit_and_save(
    cfg: ClipItTrainConfig, i: int, seed: int, train: list[Sample], val: list[Sample], d: Path, prog: Any
) -> FitResult:
    """Train one split/seed and write its ``best.safetensors``."""
    from vidgist.scorers.checkpoint import save_checkpoint

    task = prog.add(f"split {i} seed {seed}: {cfg.model}", cfg.epochs)

    def on_epoch(ep: int, rec: dict[str, float]) -> None:
        prog.advance(task)

    fitres = fit(cfg.model, train, val, cfg, seed, d, on_epoch)
    dv, dt = _dims(train)
    training = {
        "config": cfg.name,
        "split": i,
        "seed": seed,
        "best_epoch": fitres.best_epoch,
        **_best_val_record(fitres, cfg),
    }
    save_checkpoint(d / "best.safetensors", fitres.model, cfg.model, cfg.backbone, dv, dt, training=training)
    return fitres


def _run_seed(
    cfg: ClipItTrainConfig, i: int, seed: int, split: tuple[Any, dict[str, Sample], str], out: Path, prog: Any
) -> dict[str, Any]:
    """Train (if trainable) and test one split/seed; write and return its ``result.json`` record."""
    from vidgist.data.splits import split_keys

    sp, samples, setting = split
    d = _split_result_path(out, i, seed)
    train, val, test = ([samples[k] for k in ks] for ks in split_keys(sp, cfg.val_fraction, seed))
    fitres = _fit_and_save(cfg, i, seed, train, val, d, prog) if cfg.model in TRAINABLE else None
    preds = predict(cfg.model, fitres.model if fitres else None, test, seed)
    ev = evaluate(preds, test, cfg.aggregation, cfg.budget, rank=True, rank_stride=cfg.rank_stride)
    res = {
        "split": i,
        "seed": seed,
        "model": cfg.model,
        "epochs": cfg.epochs,
        "setting": setting,
        "n_train": len(train),
        "n_val": len(val),
        "n_test": len(test),
        "selection_rule": selection_rule(cfg.model, cfg),
        "best_epoch": fitres.best_epoch if fitres else None,
        **_best_val_record(fitres, cfg),
        "test_fscore": ev["fscore"],
        "test_kendall": ev["kendall"],
        "test_spearman": ev["spearman"],
        "per_video": ev["per_video"],
    }
    if cfg.format == "qvhighlights":
        from vidgist.train.clip_it_qvh import highlight_metrics

        res["highlight"] = highlight_metrics(preds, test)
    write_json(d / "result.json", res)
    return res


def _split_record(i: int, seed_results: list[dict[str, Any]]) -> dict[str, Any]:
    """One split's figures: means over its seeds."""
    rec = {
        "split": i,
        "fscore": float(np.mean([r["test_fscore"] for r in seed_results])),
        "kendall": finite_mean([r["test_kendall"] for r in seed_results]),
        "spearman": finite_mean([r["test_spearman"] for r in seed_results]),
        "seeds": [r["seed"] for r in seed_results],
        "setting": seed_results[0]["setting"],
    }
    if "highlight" in seed_results[0]:
        rec["highlight"] = [r["highlight"] for r in seed_results]
    return rec


def run_experiment(
    cfg: ClipItTrainConfig, outdir: str | os.PathLike[str], resume: bool = True, show_progress: bool = True
) -> dict[str, Any]:
    """Train (if trainable) and test ``cfg.model`` on every split and seed; write ``results.json``.

    Layout: ``OUTDIR/split{k}_seed{s}/{last.pt, log.jsonl, best.safetensors, best.json, result.json}``
    and ``OUTDIR/results.json``. A finished split (``result.json`` present) is skipped when resuming;
    an unfinished one continues from ``last.pt``.
    """
    from vidgist.eval.results import git_commit
    from vidgist.util.atomic import check_writable_dir, ensure_writable_dir
    from vidgist.util.progress import Progress
    from vidgist.version import __version__

    check_writable_dir(outdir)  # nothing is created before every input has been read
    cfg.check_inputs()
    split_ids, splits_data = _load_split_data(cfg)
    out = ensure_writable_dir(outdir)
    per_split: list[dict[str, Any]] = []

    def finished(r: dict[str, Any]) -> bool:
        return cfg.model not in TRAINABLE or r.get("epochs") == cfg.epochs

    with Progress(enabled=show_progress) as prog:
        for i, split in zip(split_ids, splits_data, strict=True):
            seed_results = []
            for seed in cfg.seeds:
                prev = open_run(_split_result_path(out, i, seed), _fingerprint(cfg), cfg, resume, finished)
                seed_results.append(prev if prev is not None else _run_seed(cfg, i, seed, split, out, prog))
            per_split.append(_split_record(i, seed_results))
    summary = {
        "name": cfg.name,
        "model": cfg.model,
        "dataset": cfg.dataset,
        "splits_file": cfg.splits,
        "format": cfg.format,
        "backbone": cfg.backbone,
        "aggregation": cfg.aggregation,
        "budget": cfg.budget,
        "label_rule": cfg.label_rule,
        "val_fraction": cfg.val_fraction,
        "seeds": list(cfg.seeds),
        "selection_rule": selection_rule(cfg.model, cfg),
        "aggregation_rule": (
            f"F-score per video against each user ({cfg.aggregation} over users), mean over the "
            "split's test videos, mean over seeds, then mean over splits"
        ),
        "per_split": per_split,
        "mean_fscore": float(np.mean([p["fscore"] for p in per_split])) if per_split else None,
        "mean_kendall": finite_mean([p["kendall"] for p in per_split]),
        "mean_spearman": finite_mean([p["spearman"] for p in per_split]),
        "vidgist_version": __version__,
        "git_commit": git_commit(),
    }
    write_json(out / "results.json", summary)
    return summary
