"""Time intervals: the sorted union of (start, end) pairs."""

from __future__ import annotations


def merge_ranges(ranges: list[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    """Sorted union of ``ranges``; ranges at most ``gap`` apart are joined."""
    out: list[tuple[float, float]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + gap:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
