"""Benchmark `vidgist summarize` against decode-only ffmpeg on a long 1280x720 H.264 video.

Makes (once, cached in --workdir) a 10-minute 1280x720 H.264 video with speech audio (the
narrated demo's sound looped, or a tone when ../shared is absent) and, with --long, a 60-minute
one. Reports in one run: wall time and peak RSS of `vidgist summarize` with and without ASR,
the wall time of `ffmpeg -i FILE -f null -` on the same file, and the ratios against the
targets (no-ASR total <= 1.5x decode-only; peak RSS < 1.5 GB and flat in length).

    python benchmarks/bench_summarize.py [--minutes 10] [--long 60] [--workdir /tmp/vidgist-bench]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

SHARED_AUDIO = Path(__file__).resolve().parents[1].parent / "shared" / "videos" / "narrated_demo_24s.mp4"


def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def make_video(path: Path, minutes: float, gop: int = 250) -> Path:
    """A 1280x720 25 fps H.264 + AAC video of ``minutes`` with changing content (scenes every ~20 s);
    a key frame every ``gop`` frames (x264's default 250; phones and streaming use 25-60)."""
    if path.exists():
        return path
    secs = int(minutes * 60)
    # Moving test pattern whose hue changes scene by scene, plus looped narration (or a tone).
    video_src = ["-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=25:duration={secs}"]
    if SHARED_AUDIO.exists():
        audio_src = ["-stream_loop", "-1", "-i", str(SHARED_AUDIO)]
    else:
        audio_src = ["-f", "lavfi", "-i", f"sine=frequency=440:duration={secs}"]
    vf = "hue=h=mod(floor(t/20)*67\\,360):s=1.5"
    tmp = path.with_suffix(".part.mp4")
    cmd = [
        ffmpeg_exe(),
        "-y",
        "-loglevel",
        "error",
        *video_src,
        *audio_src,
        "-map",
        "0:v",
        "-map",
        "1:a",
        "-vf",
        vf,
        "-t",
        str(secs),
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        "23",
        "-g",
        str(gop),
        "-c:a",
        "aac",
        "-b:a",
        "96k",
        "-ac",
        "1",
        str(tmp),
    ]
    subprocess.run(cmd, check=True)
    tmp.replace(path)
    return path


def run_measured(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd``; return (wall seconds, peak RSS in MiB of the child)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"command failed: {' '.join(cmd)}\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024.0


def vidgist_cmd(video: Path, out: Path, asr: bool) -> list[str]:
    exe = Path(sys.executable).with_name("vidgist")
    cmd = [str(exe), "summarize", str(video), "-q", "a colourful test pattern", "-o", str(out)]
    return cmd if asr else cmd + ["--no-asr"]


def bench(video: Path, work: Path, with_asr: bool = True) -> dict[str, float]:
    d_wall, _ = run_measured([ffmpeg_exe(), "-loglevel", "error", "-i", str(video), "-f", "null", "-"])
    n_wall, n_rss = run_measured(vidgist_cmd(video, work / f"out-{video.stem}-noasr", asr=False))
    res = {"decode_s": d_wall, "noasr_s": n_wall, "noasr_rss_mb": n_rss}
    if with_asr:
        a_wall, a_rss = run_measured(vidgist_cmd(video, work / f"out-{video.stem}-asr", asr=True))
        res.update({"asr_s": a_wall, "asr_rss_mb": a_rss})
    return res


def stage_line(outdir: Path) -> str:
    """The per-stage wall seconds vidgist recorded in summary.json (``timings_s``)."""
    import json

    stages = json.loads((outdir / "summary.json").read_text())["timings_s"]
    return ", ".join(f"{k} {v:.1f}" for k, v in stages.items())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument(
        "--long", type=float, default=0, help="also a video this many minutes long (RSS flatness)"
    )
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/vidgist-bench"))
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"making {args.minutes:g}-minute 1280x720 H.264 video ...", flush=True)
    v10 = make_video(args.workdir / f"bench_{args.minutes:g}min.mp4", args.minutes)
    r = bench(v10, args.workdir)
    print(f"\n== {v10.name} ({args.minutes:g} min, 1280x720, H.264 + AAC) ==")
    print(f"ffmpeg -i FILE -f null -        : {r['decode_s']:8.1f} s")
    print(f"vidgist summarize --no-asr      : {r['noasr_s']:8.1f} s   peak RSS {r['noasr_rss_mb']:7.0f} MiB")
    print(f"  stages (s): {stage_line(args.workdir / f'out-{v10.stem}-noasr')}")
    print(f"vidgist summarize (with ASR)    : {r['asr_s']:8.1f} s   peak RSS {r['asr_rss_mb']:7.0f} MiB")
    print(f"  stages (s): {stage_line(args.workdir / f'out-{v10.stem}-asr')}")
    print(f"ratio no-ASR / decode-only      : {r['noasr_s'] / r['decode_s']:8.2f}   (target <= 1.5)")
    print(f"ratio with-ASR / decode-only    : {r['asr_s'] / r['decode_s']:8.2f}")
    print(f"peak RSS no-ASR under 1.5 GB    : {'yes' if r['noasr_rss_mb'] < 1536 else 'NO'}")
    if args.long:
        print(f"\nmaking {args.long:g}-minute video ...", flush=True)
        vl = make_video(args.workdir / f"bench_{args.long:g}min.mp4", args.long)
        rl = bench(vl, args.workdir, with_asr=False)
        print(f"\n== {vl.name} ({args.long:g} min) ==")
        print(f"ffmpeg -i FILE -f null -        : {rl['decode_s']:8.1f} s")
        rss = rl["noasr_rss_mb"]
        print(f"vidgist summarize --no-asr      : {rl['noasr_s']:8.1f} s   peak RSS {rss:7.0f} MiB")
        print(f"  stages (s): {stage_line(args.workdir / f'out-{vl.stem}-noasr')}")
        print(f"ratio no-ASR / decode-only      : {rl['noasr_s'] / rl['decode_s']:8.2f}   (target <= 1.5)")
        growth = rl["noasr_rss_mb"] / r["noasr_rss_mb"] - 1
        label = f"RSS growth {args.long:g} min vs {args.minutes:g} min"
        print(f"{label} : {growth * 100:+7.1f} %  (target within 20 %)")


if __name__ == "__main__":
    main()
