"""Small wording helpers shared by the commands' human-readable output."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``"1 segment"``, ``"3 segments"``; ``many`` for irregular plurals (``"queries"``)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"
