"""Side-by-side figures for the pieces the summarize pipeline spends its time in.

    python benchmarks/bench_components.py [--frames 256] [--cut-seconds 60]

1. Frame model (EfficientNet-Lite0, 224x224): ms per frame in ONNX Runtime (1 and 2 threads) and in
   eager PyTorch (2 threads), on the same crops; and the largest feature difference between them.
2. Text model (all-MiniLM-L6-v2): load time and ms per sentence, ONNX Runtime vs sentence-transformers
   (each loaded in a fresh process, so import time is included, as a user's run pays it).
3. summary.mp4 writing: seconds and MB to cut ``--cut-seconds`` of 1280x720 video (4 spans) from a
   generated H.264 + AAC file, for the x264 presets ultrafast (default), superfast, veryfast.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def frame_model(n: int) -> None:
    from vidgist.backbones.offline import FrameNet

    rng = np.random.default_rng(0)
    crops = rng.integers(0, 256, size=(n, 224, 224, 3), dtype=np.uint8)
    results = {}
    for engine, threads in (("onnx", 1), ("onnx", 2), ("torch", 2)):
        net = FrameNet(engine, threads)
        net(crops[:16])  # warm up
        t0 = time.perf_counter()
        outs = [net(crops[s : s + 16])[0] for s in range(0, n, 16)]
        ms = (time.perf_counter() - t0) / n * 1000
        results[(engine, threads)] = np.concatenate(outs)
        print(f"frame model {engine:5s} {threads} thread(s): {ms:6.1f} ms/frame")
    diff = np.abs(results[("onnx", 2)] - results[("torch", 2)]).max()
    print(f"max |onnx - torch| feature difference: {diff:.2e}")


TEXT_CODE = """
import time; t0 = time.perf_counter()
from vidgist.backbones.offline import text_net
net = text_net({engine!r}); net(["warm up"]); load = time.perf_counter() - t0
texts = ["sentence number %d about bicycles and rabbits" % i for i in range(512)]
t0 = time.perf_counter(); net(texts); per = (time.perf_counter() - t0) / len(texts) * 1000
print(f"{{load:.2f}} {{per:.2f}}")
"""


def text_model() -> None:
    for engine in ("onnx", "torch"):
        out = subprocess.run(
            [sys.executable, "-c", TEXT_CODE.format(engine=engine)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        load, per = float(out[0]), float(out[1])
        print(f"text model {engine:5s}: load + import {load:5.2f} s, {per:5.2f} ms/sentence")


def cut(seconds: float) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_video_decode import make_720p

    from vidgist.media.cut import write_summary_video

    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "src.mp4"
        total = int(seconds * 4)
        make_720p(src, total)
        q = seconds / 4
        spans = [(i * total / 4 + 1.0, i * total / 4 + 1.0 + q) for i in range(4)]
        for preset in ("ultrafast", "superfast", "veryfast"):
            out = Path(d) / f"{preset}.mp4"
            t0 = time.perf_counter()
            write_summary_video(src, spans, out, preset=preset)
            wall = time.perf_counter() - t0
            print(
                f"summary.mp4 {preset:9s}: {wall:5.1f} s for {seconds:g} s of 720p, "
                f"{out.stat().st_size / 1e6:6.1f} MB"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--frames", type=int, default=256)
    ap.add_argument("--cut-seconds", type=float, default=60.0)
    args = ap.parse_args()
    frame_model(args.frames)
    text_model()
    cut(args.cut_seconds)


if __name__ == "__main__":
    main()
