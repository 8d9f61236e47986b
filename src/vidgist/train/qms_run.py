"""End-to-end runs behind `vidgist train qms` and `vidgist eval qms`: train, save, evaluate, write results.

Results files follow ``vidgist.eval.results.results_record`` (dataset, split, setting, seed, selection rule,
version, git commit) and are written atomically.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from vidgist.data.qms_items import QMSItem, by_split, load_items
from vidgist.errors import InputError
from vidgist.qms.checkpoint import load_checkpoint, save_checkpoint
from vidgist.train.qms import (
    QMSTrainConfig,
    evaluate_qms,
    evaluate_texts,
    history_json,
    lead_texts,
    train_qms,
)
from vidgist.util.atomic import write_json


def feature_backbone(data: str | Path) -> str:
    """The backbone that made the layout's features (``features.json`` beside the table; default offline)."""
    p = Path(data)
    folder = p if p.is_dir() else p.parent
    meta = folder / "features.json"
    if meta.is_file():
        try:
            return str(json.loads(meta.read_text(encoding="utf-8")).get("backbone", "offline"))
        except (OSError, json.JSONDecodeError):
            return "offline"
    return "offline"


def _print_table(title: str, rows: dict[str, dict[str, Any]]) -> None:
    keys = ["BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4", "ROUGE-L", "CIDEr"]
    print(title)
    print(f"  {'model':<12}" + "".join(f"{k:>9}" for k in keys))
    for name, gen in rows.items():
        print(f"  {name:<12}" + "".join(f"{100 * float(gen[k]):9.2f}" for k in keys))


def run_training(
    cfg: QMSTrainConfig,
    out: str | Path,
    items: list[QMSItem] | None = None,
    progress: bool = True,
    retrieval: bool = True,
) -> dict[str, Any]:
    """Train on ``cfg.data`` (or ``items``), save out/checkpoint, test, write out/results.json."""
    from vidgist.eval.results import results_record

    if items is None:
        if not cfg.data:
            raise InputError("the QMS config has no 'data' (a QMS layout folder or table)")
        items = load_items(cfg.data)
    trained = train_qms(items, cfg, progress=progress)
    outdir = Path(out)
    backbone = feature_backbone(cfg.data) if cfg.data else "offline"
    save_checkpoint(
        outdir / "checkpoint",
        trained.model,
        trained.tokenizer,
        {"feature_backbone": backbone, "train": history_json(trained)},
    )
    test = evaluate_qms(trained, items, "test", lang=cfg.lang, retrieval=retrieval, num_beams=cfg.eval_beams)
    lead = evaluate_texts(lead_texts(by_split(items, "test")), by_split(items, "test"), cfg.lang, retrieval)
    rec = results_record(
        {cfg.variant: test, "lead": lead},
        dataset=str(cfg.data or "in-memory"),
        split="test",
        setting=cfg.variant,
        aggregation="corpus BLEU; mean ROUGE-L and CIDEr-D over videos; all queries as references",
        seed=cfg.seed,
        selection_rule=trained.selection_rule,
        task="qms",
        training=history_json(trained),
        checkpoint=str(outdir / "checkpoint"),
    )
    write_json(outdir / "results.json", rec)
    if progress:
        _print_table(
            f"QMS test split ({len(by_split(items, 'test'))} videos), x100",
            {cfg.variant: test["generation"], "lead": lead["generation"]},
        )
        print(f"selection: {trained.selection_rule}", file=sys.stderr)
    return rec


def run_eval(
    data: str | Path,
    checkpoint: str | Path | None,
    split: str = "test",
    out: str | Path | None = None,
    lang: str = "en",
    retrieval: bool = True,
    num_beams: int = 4,
) -> dict[str, Any]:
    """Evaluate a checkpoint (and Lead) on one split of a layout; write the results JSON to ``out``."""
    from vidgist.eval.results import NO_SELECTION, results_record

    items = load_items(data)
    part = by_split(items, split)
    metrics: dict[str, Any] = {"lead": evaluate_texts(lead_texts(part), part, lang, retrieval)}
    rule = NO_SELECTION
    if checkpoint is not None:
        model, tok, meta = load_checkpoint(checkpoint)
        metrics["checkpoint"] = evaluate_qms((model, tok), items, split, lang, retrieval, num_beams=num_beams)
        rule = str(meta.get("train", {}).get("selection_rule", NO_SELECTION))
    rec = results_record(
        metrics,
        dataset=str(data),
        split=split,
        setting="checkpoint" if checkpoint else "lead",
        aggregation="corpus BLEU; mean ROUGE-L and CIDEr-D over videos; all queries as references",
        selection_rule=rule,
        task="qms",
        checkpoint=str(checkpoint) if checkpoint else None,
    )
    if out is not None:
        write_json(out, rec)
    _print_table(
        f"QMS {split} split ({len(part)} videos), x100", {k: v["generation"] for k, v in metrics.items()}
    )
    return rec
