"""A mixin for model-config dataclasses that round-trip through checkpoint JSON."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any, Self


class DictConfig:
    """``to_dict`` / ``from_dict`` for a dataclass; ``from_dict`` ignores unknown keys, so a
    checkpoint written by a newer vidgist with extra settings still loads."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Self:
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in d.items() if k in names})
