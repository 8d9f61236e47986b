"""The sound of a smart cut copied packet by packet (AAC LC) instead of decoded and re-encoded.

``copied_audio(src, spans) -> list[(output seconds, 1, packet)] | None``: ``spans`` are the summary's spans
on the container clock, in order, each placed right after the previous one on the output clock (as the
picture is). The packets are written back to back from output time 0. At the start of a span, with ``w``
samples written, the packet copied next is the source packet nearest the source time whose sound belongs
at output time ``w``; packets are copied until the output reaches the span's end to within half a packet.
So the sound stays within half a packet of the picture everywhere (12 ms at 44.1 kHz), and the output's
length is the spans' total to within half a packet. An AAC decoder overlaps each packet with the one
before it, so at each join the sound crossfades over one packet (23 ms at 44.1 kHz).

None (re-encode instead) when the first audio stream is not AAC LC with a fixed frame size, or when a
span's packets are not all there, one frame size apart (within ``JITTER``): a hole, sound that starts late
or ends early, time stamps that drift from the samples.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

SEEK_BACK = 1.0  # seconds before the wanted packet the demuxer is sent to (AAC packets are all key frames)
#: a packet's time stamp may stray this share of a packet from where the samples before it put it (muxers
#: round them); further is a hole or a clock that drifts, and the sound is re-encoded
JITTER = 0.25


def copied_audio(src: Path, spans: list[tuple[float, float]]) -> list[tuple[float, int, Any]] | None:
    """The copied audio packets of ``spans`` on the output clock (module docstring), or None."""
    import av

    with av.open(str(src)) as c:
        if not c.streams.audio:
            return None
        ast = c.streams.audio[0]
        cc = ast.codec_context
        n, rate, tb = cc.frame_size, ast.rate, ast.time_base
        if cc.name != "aac" or cc.profile != "LC" or not n or not rate or tb is None:
            return None
        step = Fraction(n, rate) / tb  # one packet in time-base units
        if step.denominator != 1:
            return None
        out_tb = Fraction(1, rate)
        out: list[tuple[float, int, Any]] = []
        written, offset = 0, 0.0
        for a, b in spans:
            count = round((round((offset + b - a) * rate) - written) / n)
            want = a + (written / rate - offset)  # the source second whose sound comes next
            run = _packet_run(c, ast, want, count, int(step)) if count > 0 else []
            if run is None:
                return None
            for pkt in run:
                pkt.pts = pkt.dts = written
                pkt.time_base = out_tb
                out.append((written / rate, 1, pkt))
                written += n
            offset += b - a
        return out


def _packet_run(c: Any, ast: Any, want: float, count: int, step: int) -> list[Any] | None:
    """``count`` consecutive packets of ``ast``, the first the one whose start is nearest ``want``
    seconds; None when they are not all there, one after the other ``step`` time-base units apart."""
    tb = ast.time_base
    c.seek(int(max(0.0, want - SEEK_BACK) / tb), stream=ast, backward=True, any_frame=False)
    half = step / 2
    run: list[Any] = []
    for pkt in c.demux(ast):
        if pkt.pts is None or pkt.size == 0:
            continue
        if not run:
            if pkt.pts + half <= want / tb:
                continue  # ends before the wanted start
            if pkt.pts - half > want / tb:
                return None  # the sound starts late here
        elif abs(pkt.pts - (run[0].pts + len(run) * step)) > JITTER * step:
            return None  # a hole, or time stamps that drift from the samples the packets hold
        run.append(pkt)
        if len(run) == count:
            return run
    return None
