"""What indexing one video produces, as plain rows: the hand-off between analysing and writing.

Analysing (``vidgist.library.extract``) and writing (``vidgist.library.store``) only meet here, so a
batch engine can analyse videos anywhere and send ``VideoRecord``s to the one writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class FileStamp:
    """A file's identity at the time it was read: path, size, mtime_ns, content hash."""

    path: str
    size: int
    mtime_ns: int
    fingerprint: str


@dataclass(frozen=True)
class MomentRow:
    """A searchable piece of a video: time range, frame labels, thumbnail JPEG, mean frame vector."""

    start: float
    end: float
    labels: str
    thumb: bytes | None
    vector: np.ndarray | None  # (d,) unit vector in the text space


@dataclass(frozen=True)
class SpanRow:
    """Text tied to a time range; ``channel`` 'said' | 'shown' | 'seen' | 'query'; ``vector`` or None."""

    channel: str
    start: float
    end: float
    text: str
    vector: np.ndarray | None = None


@dataclass(frozen=True)
class VideoRecord:
    """Everything stored for one file: an indexed video (``reason`` empty) or a failure (``reason`` set)."""

    stamp: FileStamp
    duration: float = 0.0
    width: int = 0
    height: int = 0
    has_audio: bool = False
    reason: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    moments: tuple[MomentRow, ...] = ()
    spans: tuple[SpanRow, ...] = ()
    seconds: float = 0.0  # wall time of the analysis
    evidence: bytes | None = None  # ``evidence_store.pack`` of the pipeline's evidence
    warning: str = ""  # an indexed but damaged file: what its decoding lost (``media.damage``)

    @property
    def ok(self) -> bool:
        return not self.reason
