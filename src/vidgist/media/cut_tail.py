"""The ends of a smart cut's spans copied instead of re-encoded, up to the last few frames.

``copy_tails(src, pieces, keys) -> pieces``: ``pieces`` are ``vidgist.media.cut.smart_pieces``'s (container
clock, in order). A span's end piece runs from a key frame ``k`` to the span's end ``b``, which lies before
the next key frame. Its frames need not be re-encoded: the packets from ``k`` on, in decoding order, up to the
first one shown at or after ``b``, decode on their own (every frame is predicted from frames decoded
before it). They show every frame from ``k`` to some ``c`` (the last anchor picture before ``b``); only
the frames from ``c`` to ``b`` (the B-frames that follow that anchor in display order but are predicted
from the next one, at most the stream's reordering depth, two or three frames) are left to re-encode. So
the end piece ``("encode", k, b)`` becomes ``("copy", k, c)`` and ``("encode", c, b)`` (or
``("copy", k, b)`` when nothing is left). The copied run stops at the first packet shown at or after its
end, as every copied run does.

An end piece stays as it is when the packets do not have that shape: the run must start with the key frame
at ``k``, and no packet after it (within ``LOOKAHEAD`` packets) may be shown before ``c``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

#: packets looked at past the copied run to check none of them is shown inside it (H.264 reorders
#: at most 16 frames)
LOOKAHEAD = 16
EPS = 1e-6


def copy_tails(
    src: Path, pieces: list[tuple[str, float, float]], keys: np.ndarray
) -> list[tuple[str, float, float]]:
    """``pieces`` with each re-encoded piece that starts at a key frame (``keys``: presentation times)
    copied up to its last few frames (module docstring)."""
    import av

    out: list[tuple[str, float, float]] = []
    with av.open(str(src)) as c:
        vin = c.streams.video[0]
        for kind, a, b in pieces:
            at_key = bool(len(keys)) and float(np.min(np.abs(keys - a))) <= 1e-3
            end = _copied_until(c, vin, a, b) if kind == "encode" and at_key else None
            if end is None:
                out.append((kind, a, b))
                continue
            out.append(("copy", a, min(end, b)))
            if end < b - EPS:
                out.append(("encode", end, b))
    return out


def _copied_until(c: Any, vin: Any, k: float, b: float) -> float | None:
    """Where the copied run from the key frame at ``k`` must stop so that every frame it shows is before
    ``b`` (the time of the first frame it does not show, or ``b``), or None (keep re-encoding)."""
    tb = vin.time_base
    if tb is None:
        return None
    c.seek(int(round(k / tb)), stream=vin, backward=True, any_frame=False)
    shown: list[float] = []  # presentation times of the copied run
    rest: list[float] = []  # of the packets after it
    for pkt in c.demux(vin):
        if pkt.size == 0 or pkt.pts is None:
            continue
        t = float(pkt.pts * tb)
        if not shown:
            if not (pkt.is_keyframe and abs(t - k) <= 1e-3):
                if t > k + 1e-3:
                    return None  # the seek landed past the key frame
                continue
            shown.append(t)
        elif not rest and t < b - EPS and not pkt.is_keyframe:
            shown.append(t)
        else:
            rest.append(t)
            if len(rest) >= LOOKAHEAD or pkt.is_keyframe:
                break
    if not shown:
        return None
    last = max(shown)
    later = [t for t in rest if t > last + EPS]
    if len(later) < len(rest):
        return None  # a packet after the run is shown inside it
    return min([*later, b])
