"""In-memory QMS records: one micro-video with its transcript, frame features and user queries.

The on-disk table (``item_id``, comma-separated ``kw_less`` queries, ``asr_pure`` transcript, ``path`` to a
per-video ``.npy`` of at most 32 frame features, ``type`` train/eval/test) is read and written by
``vidgist.data.qms_layout``; ``load_items`` / ``save_items`` adapt it to these records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vidgist.errors import DataError

SPLITS = ("train", "eval", "test")  # the layout's `type` values; "eval" is the validation split


@dataclass(frozen=True)
class QMSItem:
    """One micro-video: ``features`` (n <= 32, d) float32 keyframe features, ``queries`` from the log."""

    item_id: str
    queries: tuple[str, ...]
    transcript: str
    features: np.ndarray
    split: str = "train"


def by_split(items: Sequence[QMSItem], split: str) -> list[QMSItem]:
    """The items of one split ('train', 'eval' or 'test')."""
    if split not in SPLITS:
        raise DataError(f"unknown QMS split {split!r}; use one of {list(SPLITS)}")
    return [it for it in items if it.split == split]


def load_items(path: str | Path) -> list[QMSItem]:
    """Read a QMS layout (table file or folder holding it) via ``vidgist.data.qms_layout`` into records."""
    from vidgist.data import qms_layout

    items: list[QMSItem] = []
    for rec in qms_layout.read_qms(path):
        if rec.features is None:  # read_qms loads features by default; guard the contract
            raise DataError(f"{path}: record {rec.item_id} has no frame features; rebuild the layout")
        items.append(
            QMSItem(
                rec.item_id,
                tuple(rec.queries),
                rec.transcript,
                np.asarray(rec.features, dtype=np.float32),
                rec.split,
            )
        )
    return items


def save_items(folder: str | Path, items: Sequence[QMSItem]) -> Path:
    """Write records as a QMS layout folder via ``vidgist.data.qms_layout``; returns the table path."""
    from vidgist.data import qms_layout

    return Path(
        qms_layout.write_qms(
            folder,
            [
                qms_layout.QMSRecord(
                    item_id=it.item_id,
                    queries=list(it.queries),
                    transcript=it.transcript,
                    features=it.features,
                    split=it.split,
                )
                for it in items
            ],
        )
    )
