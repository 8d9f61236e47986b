"""The epoch loop CLIP-It training and SSPVS pretraining and fine-tuning share: seeding, resume, model
selection.

:func:`run_epochs` calls ``train_epoch(epoch, rng)`` for each epoch (torch reseeded from (seed, epoch),
``rng`` = numpy generator of (seed, epoch), so a resumed run equals an uninterrupted one), then
``score()`` every ``eval_every`` epochs and on the last one; the weights of the epoch with the highest
score are kept (ties to the earlier epoch; with ``score`` returning None, the last epoch; with
``lower_is_better``, the lowest score, and ``best_score`` is then the negated figure). With a
``workdir``, ``last.pt`` (weights, optimizer, history, best weights; read with
``torch.load(weights_only=True)``) is written atomically after every epoch, plus ``log.jsonl``, and
training resumes from it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.util.atomic import atomic_path, write_text

__all__ = ["LoopResult", "run_epochs", "train_batches"]


def train_batches(
    opt: Any,
    batches: Iterable[Any],
    losses: Callable[[Any], dict[str, Any]],
    params: Sequence[Any] = (),
    grad_clip: float = 0.0,
) -> dict[str, float]:
    """One gradient step per batch, in order: back-propagate ``losses(batch)["total"]``, clip the gradient
    norm of ``params`` to ``grad_clip`` when it is > 0, step ``opt``. Returns each loss term's mean over
    the batches (empty for no batch). ``batches`` may be a generator: each batch is drawn just before its
    step.
    """
    import torch

    sums: dict[str, float] = {}
    n = 0
    for batch in batches:
        terms = losses(batch)
        opt.zero_grad()
        terms["total"].backward()
        if grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(params, grad_clip)
        opt.step()
        for k, v in terms.items():
            sums[k] = sums.get(k, 0.0) + float(v.detach())
        n += 1
    return {k: v / max(n, 1) for k, v in sums.items()}


@dataclass
class LoopResult:
    best_epoch: int
    best_score: float | None
    history: list[dict[str, float]] = field(default_factory=list)


def run_epochs(
    model: Any,
    opt: Any,
    epochs: int,
    seed: int,
    train_epoch: Callable[[int, np.random.Generator], dict[str, float]],
    score: Callable[[], dict[str, float] | None],
    score_key: str,
    eval_every: int = 1,
    workdir: str | os.PathLike[str] | None = None,
    on_epoch: Callable[[int, dict[str, float]], None] | None = None,
    lower_is_better: bool = False,
) -> LoopResult:
    """Train ``model`` in place and leave it holding the selected epoch's weights, in eval mode.

    ``score()`` returns a dict of validation figures (or None when there is nothing to validate on);
    ``score_key`` names the one that selects the epoch (higher is better unless ``lower_is_better``)."""
    import torch

    history: list[dict[str, float]] = []
    best_state: dict[str, Any] | None = None
    best: float | None = None
    best_epoch = 0
    start = 0
    last = Path(workdir) / "last.pt" if workdir is not None else None
    if last is not None and last.is_file():
        st = torch.load(last, weights_only=True)
        model.load_state_dict(st["model"])
        opt.load_state_dict(st["optim"])
        history = list(st["history"])
        best_state = st["best_state"]
        best_epoch = int(st["best_epoch"])
        saved = st["best"] if "best" in st else st["best_val"]  # "best_val": older CLIP-It checkpoints
        best = None if saved is None else float(saved)
        start = int(st["epoch"])
    for epoch in range(start, epochs):
        torch.manual_seed(seed * 1_000_003 + epoch)
        model.train()
        rec: dict[str, float] = {"epoch": float(epoch + 1)}
        rec.update(train_epoch(epoch, np.random.default_rng([seed, epoch])))
        if (epoch + 1) % max(1, eval_every) == 0 or epoch + 1 == epochs:
            model.eval()
            with torch.no_grad():
                figures = score()
            if figures is not None:
                rec.update({f"val_{k}": v for k, v in figures.items()})
                v = -figures[score_key] if lower_is_better else figures[score_key]
                if best is None or v > best:
                    best, best_epoch = v, epoch + 1
                    best_state = {k: t.detach().clone() for k, t in model.state_dict().items()}
            else:
                best_epoch, best_state = epoch + 1, None
        history.append(rec)
        if on_epoch is not None:
            on_epoch(epoch + 1, rec)
        if last is not None:
            state = {
                "model": model.state_dict(),
                "optim": opt.state_dict(),
                "history": history,
                "best_state": best_state,
                "best_epoch": best_epoch,
                "best": best,
                "epoch": epoch + 1,
            }
            with atomic_path(last) as tmp:
                torch.save(state, tmp)
            write_text(last.parent / "log.jsonl", "".join(json.dumps(h) + "\n" for h in history))
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    return LoopResult(best_epoch, best, history)
