"""Decode speed of ``vidgist.media.video.iter_frames`` against ``ffmpeg -i FILE -f null -`` (decode-only).

Usage: python benchmarks/bench_video_decode.py [VIDEO] [--seconds 150] [--fps 2]
Without VIDEO, a 720p H.264 + AAC test file of ``--seconds`` is generated with the imageio-ffmpeg
binary (testsrc2 pattern, x264 preset veryfast, 25 fps) in a temp folder. Prints wall times and the ratio.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

PRESET = "veryfast"


def make_720p(path: Path, seconds: float) -> None:
    import imageio_ffmpeg

    exe = imageio_ffmpeg.get_ffmpeg_exe()
    subprocess.run(
        [
            exe,
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=size=1280x720:rate=25:duration={seconds}",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:sample_rate=44100:duration={seconds}",
            "-c:v",
            "libx264",
            "-preset",
            PRESET,
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            str(path),
        ],
        check=True,
    )


def ffmpeg_null(path: Path) -> float:
    import imageio_ffmpeg

    exe = imageio_ffmpeg.get_ffmpeg_exe()
    t = time.perf_counter()
    subprocess.run([exe, "-v", "error", "-i", str(path), "-an", "-f", "null", "-"], check=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("video", nargs="?")
    ap.add_argument("--seconds", type=float, default=150.0)
    ap.add_argument("--fps", type=float, default=2.0)
    args = ap.parse_args()

    from vidgist.media.video import iter_frames, probe

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.video) if args.video else Path(tmp) / "bench_720p.mp4"
        if not args.video:
            t = time.perf_counter()
            make_720p(path, args.seconds)
            print(f"generated {path.name} ({args.seconds:.0f} s 720p) in {time.perf_counter() - t:.1f} s")
        info = probe(path)
        print(f"{path}: {info.duration:.1f} s, {info.width}x{info.height}, {info.fps:.2f} fps")
        t_ff = min(ffmpeg_null(path) for _ in range(2))
        best = float("inf")
        n = 0
        for _ in range(2):
            t = time.perf_counter()
            n = sum(1 for _ in iter_frames(path, args.fps))
            best = min(best, time.perf_counter() - t)
        print(f"ffmpeg -i FILE -an -f null -  : {t_ff:.2f} s")
        print(f"iter_frames(fps={args.fps:g})      : {best:.2f} s for {n} frames")
        print(f"ratio iter_frames / ffmpeg     : {best / t_ff:.2f}")


if __name__ == "__main__":
    main()
