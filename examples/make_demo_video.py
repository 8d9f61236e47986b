"""Provide the demo video for `make demo` and print its path.

Uses the narrated 24-second demo from ../shared/videos when it is beside the checkout (three
8-second parts: a rabbit in a forest, bicycles on a mountain trail, the earth in space, each
with English narration). Otherwise it makes an 18-second video with PyAV: three parts with
moving patterns, a tone each, and big on-screen captions, so the demo runs anywhere.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import numpy as np

SHARED_DEMO = Path(__file__).resolve().parents[1].parent / "shared" / "videos" / "narrated_demo_24s.mp4"
PARTS = [
    ("A RABBIT IN THE FOREST", (40, 140, 60), 220.0),
    ("BICYCLES ON A MOUNTAIN TRAIL", (150, 90, 40), 330.0),
    ("THE EARTH SPINNING IN SPACE", (20, 30, 110), 440.0),
]


def make_synthetic(
    path: Path, seconds_per_part: int = 6, fps: int = 25, size: tuple[int, int] = (640, 360)
) -> None:
    """Write the fallback demo video (H.264 + AAC) to ``path``."""
    import av
    from matplotlib import get_data_path
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(Path(get_data_path()) / "fonts" / "ttf" / "DejaVuSans-Bold.ttf"), 34)
    w, h = size
    sr = 44100
    with av.open(str(path), "w") as out:
        vs = out.add_stream("libx264", rate=fps)
        vs.width, vs.height, vs.pix_fmt = w, h, "yuv420p"
        aus = out.add_stream("aac", rate=sr)
        n = 0
        a_pts = 0
        for text, colour, hz in PARTS:
            for i in range(seconds_per_part * fps):
                img = Image.new("RGB", size, colour)
                d = ImageDraw.Draw(img)
                x = (i * 6) % w
                d.ellipse([x - 40, h // 2 + 40, x + 40, h // 2 + 120], fill=(230, 230, 230))
                d.text((w // 2, 60), text, font=font, fill=(255, 255, 255), anchor="mm")
                frame = av.VideoFrame.from_ndarray(np.asarray(img), format="rgb24")
                frame.pts = n
                n += 1
                for p in vs.encode(frame):
                    out.mux(p)
            t = np.arange(seconds_per_part * sr) / sr
            wave = (0.2 * np.sin(2 * np.pi * hz * t)).astype(np.float32)
            for k in range(0, wave.size, 1024):
                chunk = wave[k : k + 1024]
                af = av.AudioFrame.from_ndarray(chunk[None, :], format="flt", layout="mono")
                af.sample_rate = sr
                af.pts = a_pts
                af.time_base = Fraction(1, sr)
                a_pts += chunk.size
                for p in aus.encode(af):
                    out.mux(p)
        for p in vs.encode():
            out.mux(p)
        for p in aus.encode():
            out.mux(p)


def main() -> int:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "examples/demo.mp4")
    if SHARED_DEMO.exists():
        print(SHARED_DEMO)
        return 0
    if not target.exists():
        tmp = target.with_suffix(".part.mp4")
        make_synthetic(tmp)
        tmp.replace(target)
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
