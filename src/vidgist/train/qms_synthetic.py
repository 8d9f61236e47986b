"""The synthetic QMS experiment shared by the tests and benchmarks/bench_qms.py.

One synthetic set (``vidgist.data.synthetic_qms``), one query-sampling distribution computed once with the
bundled MiniLM (Algorithm 1), then QMS, the BART baselines and the ablations trained with identical
settings and seeds; Lead needs no training. Selection on the 'eval' split; scores on 'test'.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import Any

from vidgist.data.qms_items import QMSItem, by_split
from vidgist.data.synthetic_qms import SyntheticQMSSpec, make_qms_dataset
from vidgist.qms.encode import query_distributions
from vidgist.train.qms import QMSTrainConfig, caption_metrics, evaluate_qms, lead_texts, train_qms

#: name -> (variant, ablation flags)
RUNS: dict[str, tuple[str, dict[str, bool]]] = {
    "qms": ("qms", {}),
    "bart_text": ("bart_text", {}),
    "bart_mm": ("bart_mm", {}),
    "no_entity": ("qms", {"no_entity": True}),
    "no_scores": ("qms", {"no_scores": True}),
    "no_query_sampling": ("qms", {"no_query_sampling": True}),
    "no_visual": ("qms", {"no_visual": True}),
    "no_textual": ("qms", {"no_textual": True}),
}

SPEC = SyntheticQMSSpec()
TRAIN: dict[str, Any] = {
    "preset": "tiny",
    "epochs": 24,
    "batch_size": 16,
    "lr": 2e-3,
    "select_every": 4,
    "eval_beams": 4,
    "threads": 1,
}
MODEL: dict[str, Any] = {"frame_dim": SPEC.frame_dim, "beta": 0.0}


def synthetic_items(seed: int = 0, spec: SyntheticQMSSpec | None = None) -> list[QMSItem]:
    base = spec or SPEC
    return make_qms_dataset(SyntheticQMSSpec(**{**base.__dict__, "seed": seed}))


def run_one(
    items: Sequence[QMSItem],
    name: str,
    probs: Any,
    seed: int = 0,
    epochs: int | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Train run ``name`` of RUNS and return its test generation metrics, the examples and the time."""
    variant, flags = RUNS[name]
    tc = QMSTrainConfig(
        variant=variant,
        model={**MODEL, **flags},
        seed=seed,
        **{**TRAIN, **({"epochs": epochs} if epochs else {})},
    )
    t0 = time.perf_counter()
    tr = train_qms(items, tc, probs=probs, progress=progress)
    res = evaluate_qms(tr, items, "test", retrieval=False, num_beams=tc.eval_beams)
    return {
        **res["generation"],
        "seconds": time.perf_counter() - t0,
        "best_epoch": tr.best_epoch,
        "examples": res["examples"],
    }


def run_suite(
    names: Sequence[str] | None = None, epochs: int | None = None, seed: int = 0, verbose: bool = False
) -> dict[str, dict[str, Any]]:
    """Lead plus the named runs (default: all of RUNS) on the synthetic set; prints a table when verbose."""
    items = synthetic_items(seed)
    probs = query_distributions(by_split(items, "train"), 0.75, None)
    test = by_split(items, "test")
    out: dict[str, dict[str, Any]] = {"lead": dict(caption_metrics(lead_texts(test), test))}
    for name in names or list(RUNS):
        out[name] = run_one(items, name, probs, seed, epochs, progress=False)
        if verbose:
            r = out[name]
            print(
                f"{name:<18} B-4 {100 * r['BLEU-4']:6.2f}  CIDEr {100 * r['CIDEr']:7.2f}  R-L "
                f"{100 * r['ROUGE-L']:6.2f}  ({r['seconds']:.0f} s, epoch {r['best_epoch']})",
                file=sys.stderr,
                flush=True,
            )
    if verbose:
        keys = ["BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4", "ROUGE-L", "CIDEr"]
        print(f"{'model':<18}" + "".join(f"{k:>9}" for k in keys))
        for name, r in out.items():
            print(f"{name:<18}" + "".join(f"{100 * float(r[k]):9.2f}" for k in keys))
    return out


def _worker(name: str, seed: int, probs: Any, epochs: int | None) -> tuple[str, dict[str, Any]]:
    return name, run_one(synthetic_items(seed), name, probs, seed, epochs)


def run_parallel(
    names: Sequence[str], probs: Any, seed: int = 0, epochs: int | None = None, workers: int = 2
) -> dict[str, dict[str, Any]]:
    """``run_one`` for several runs in ``workers`` spawned processes (one torch thread each)."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn")) as pool:
        futs = [pool.submit(_worker, n, seed, probs, epochs) for n in names]
        return dict(f.result() for f in futs)
