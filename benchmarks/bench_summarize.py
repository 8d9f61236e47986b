"""Benchmark `vidgist summarize` against decode-only ffmpeg on a long 1280x720 H.264 video.

Makes (once, cached in --workdir) a 10-minute 1280x720 H.264 video with speech audio (the narrated demo's
sound looped, or a tone when ../shared is absent) and, with --long, a longer one (the short one repeated by
stream copy when the length is a multiple of it). Reports in one run: wall
time of `ffmpeg -i FILE -f null -` (a full decode) and wall time and peak RSS of `vidgist summarize` with
and without ASR on the same file, with the ratios against the targets (no-ASR <= 1.0x the full decode,
with ASR <= 1.3x, peak RSS < 1 GB without ASR and flat in length); the time and size of summary.mp4 in
each cutting mode (smart cut, full re-encode, --fast key-frame copy) for the summary's segments, and of a
smart cut whose cuts fall between key frames (``OFF_KEY_SPANS``, the harder case); and the
stage profile (`stage_profile.py`: CPU seconds and OS threads per component). The load average is printed
before and after: on a shared machine compare the ratios, not the seconds. Writes
benchmarks/results/summarize.json.

    python benchmarks/bench_summarize.py [--minutes 10] [--long 60] [--no-profile] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

QUERY = "a colourful test pattern"
TARGET_NOASR = 1.0  # summarize --no-asr / ffmpeg decode-only
TARGET_ASR = 1.3
TARGET_RSS_MB = 1024
TARGET_CUT_S = 3.0  # summary.mp4 of the 10-minute video's summary (90 s of 720p)
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


def repeat_video(path: Path, base: Path, times: int) -> Path:
    """``base`` played ``times`` times in a row, by stream copy (the same encoding; made in seconds)."""
    if path.exists():
        return path
    listing = path.with_suffix(".txt")
    listing.write_text("".join(f"file '{base.resolve()}'\n" for _ in range(times)))
    tmp = path.with_suffix(".part.mp4")
    cmd = [ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", str(listing)]
    subprocess.run([*cmd, "-c", "copy", str(tmp)], check=True)
    tmp.replace(path)
    listing.unlink()
    return path


def run_measured(cmd: list[str]) -> tuple[float, float, float]:
    """Run ``cmd``; return (wall seconds, peak RSS in MiB, CPU seconds user + system) of the child."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"command failed: {' '.join(cmd)}\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024.0, usage.ru_utime + usage.ru_stime


def vidgist_cmd(video: Path, out: Path, asr: bool) -> list[str]:
    exe = Path(sys.executable).with_name("vidgist")
    # --fill: the whole budget (15 %) is summarized whatever the query's relevance, so every run writes
    # summary.mp4 (about 90 s of a 10-minute video) as part of the time measured
    cmd = [str(exe), "summarize", str(video), "-q", QUERY, "--fill", "-o", str(out)]
    return cmd if asr else cmd + ["--no-asr"]


def bench(video: Path, work: Path, with_asr: bool = True) -> dict[str, Any]:
    """Decode-only, summarize --no-asr and (``with_asr``) summarize, one after the other."""
    d_wall, _, d_cpu = run_measured([ffmpeg_exe(), "-loglevel", "error", "-i", str(video), "-f", "null", "-"])
    out = work / f"out-{video.stem}-noasr"
    n_wall, n_rss, n_cpu = run_measured(vidgist_cmd(video, out, asr=False))
    res: dict[str, Any] = {"decode_s": d_wall, "noasr_s": n_wall, "noasr_rss_mb": n_rss}
    res.update({"decode_cpu_s": d_cpu, "noasr_cpu_s": n_cpu})
    res["noasr_stages_s"] = stages(out)
    if with_asr:
        out = work / f"out-{video.stem}-asr"
        a_wall, a_rss, a_cpu = run_measured(vidgist_cmd(video, out, asr=True))
        res["asr_cpu_s"] = a_cpu
        res.update({"asr_s": a_wall, "asr_rss_mb": a_rss, "asr_stages_s": stages(out)})
    return res


def stages(outdir: Path) -> dict[str, float]:
    """The per-stage wall seconds vidgist recorded in summary.json (``timings_s``)."""
    return dict(json.loads((outdir / "summary.json").read_text())["timings_s"])


def stage_line(st: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.1f}" for k, v in st.items())


def profile(video: Path, work: Path) -> dict[str, Any]:
    """The stage profile (``stage_profile.run_profiled``, with ASR) of one run, in a child process."""
    out = work / f"out-{video.stem}-profile"
    cmd = [sys.executable, __file__, "--profile-child", str(video), str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"profile run failed:\n{done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def print_profile(p: dict[str, Any]) -> None:
    print(f"\n== profile (with ASR): wall {p['wall_s']:.1f} s, process CPU {p['cpu_s']:.1f} s ==")
    print(f"{'component':54s} {'CPU s':>7s} {'threads':>8s}")
    for name, row in p["components"].items():
        print(f"{name:54s} {row['cpu_s']:7.2f} {row['threads']:8d}")
    print("OS threads (name as set by vidgist / FFmpeg / ONNX Runtime, stage they started in):")
    for row in p["threads"][:14]:
        print(f"  {row['name']:16s} {row['stage']:8s} x{row['threads']:<3d} {row['cpu_s']:7.2f} s")


#: spans (fractions of the duration) of a 15 % summary whose cuts fall between key frames: 3 x 5 % from
#: 1.3 s after a key frame of the 10-minute video (key frames every 10 s and at the hue changes, every 20 s,
#: where KTS cuts)
OFF_KEY_SPANS = ((0.1855, 0.2355), (0.3655, 0.4155), (0.5655, 0.6155))


def time_cut(video: Path, spans: list[tuple[float, float]], out: Path, mode: str) -> dict[str, float]:
    """Write ``spans`` of ``video`` in ``mode``: wall seconds, CPU seconds (all threads), MB."""
    from vidgist.media.cut import write_summary_video

    t0, c0 = time.perf_counter(), time.process_time()
    write_summary_video(video, spans, out, mode=mode)
    row = {"seconds": time.perf_counter() - t0, "cpu_s": time.process_time() - c0}
    return row | {"mb": out.stat().st_size / 1e6}


def cut_modes(video: Path, work: Path) -> dict[str, dict[str, float]]:
    """summary.mp4 of the --no-asr run's segments written in each mode, and (``smart_off_key``) a smart cut
    of ``OFF_KEY_SPANS``: seconds and MB."""
    doc = json.loads((work / f"out-{video.stem}-noasr" / "summary.json").read_text())
    spans = [(s["start"], s["end"]) for s in doc["segments"]]
    res: dict[str, dict[str, float]] = {}
    if not spans:  # nothing matched the query: no summary.mp4 to time
        return res
    for mode in ("smart", "reencode", "copy"):
        res[mode] = time_cut(video, spans, work / f"cut-{mode}.mp4", mode)
    res["summary_s"] = {"seconds": float(sum(b - a for a, b in spans)), "cpu_s": 0.0, "mb": 0.0}
    duration = float(doc["duration"])
    off_key = [(round(a * duration, 2), round(b * duration, 2)) for a, b in OFF_KEY_SPANS]
    res["smart_off_key"] = time_cut(video, off_key, work / "cut-smart-off-key.mp4", "smart")
    res["smart_off_key"]["summary_s"] = float(sum(b - a for a, b in off_key))
    return res


def report_main(v: Path, minutes: float, r: dict[str, Any]) -> dict[str, Any]:
    """Print the 10-minute figures; return the ratios."""
    ratio_n, ratio_a = r["noasr_s"] / r["decode_s"], r["asr_s"] / r["decode_s"]
    print(f"\n== {v.name} ({minutes:g} min, 1280x720, H.264 + AAC) ==")
    print(f"ffmpeg -i FILE -f null -        : {r['decode_s']:8.1f} s")
    print(f"vidgist summarize --no-asr      : {r['noasr_s']:8.1f} s   peak RSS {r['noasr_rss_mb']:7.0f} MiB")
    print(f"  stages (s): {stage_line(r['noasr_stages_s'])}")
    print(f"vidgist summarize (with ASR)    : {r['asr_s']:8.1f} s   peak RSS {r['asr_rss_mb']:7.0f} MiB")
    print(f"  stages (s): {stage_line(r['asr_stages_s'])}")
    print(f"ratio no-ASR / decode-only      : {ratio_n:8.2f}   (target <= {TARGET_NOASR})")
    print(f"ratio with-ASR / decode-only    : {ratio_a:8.2f}   (target <= {TARGET_ASR})")
    ok = r["noasr_rss_mb"] < TARGET_RSS_MB
    print(f"peak RSS no-ASR under 1 GB      : {'yes' if ok else 'NO'}")
    cpu_n, cpu_a = r["noasr_cpu_s"] / r["decode_cpu_s"], r["asr_cpu_s"] / r["decode_cpu_s"]
    print(f"CPU seconds (user+sys): decode-only {r['decode_cpu_s']:.1f}, --no-asr {r['noasr_cpu_s']:.1f}, ")
    print(f"  with ASR {r['asr_cpu_s']:.1f}; ratios {cpu_n:.2f} / {cpu_a:.2f} (what an idle machine's wall")
    print("  ratios tend to when both use every core: the load-robust figure on a shared machine)")
    return {"ratio_noasr": ratio_n, "ratio_asr": ratio_a, "cpu_ratio_noasr": cpu_n, "cpu_ratio_asr": cpu_a}


def report_cut(c: dict[str, dict[str, float]]) -> None:
    if not c:
        print("\n== summary.mp4: the --no-asr run selected no segment; nothing to cut ==")
        return
    secs = c["summary_s"]["seconds"]
    print(f"\n== summary.mp4 ({secs:.1f} s of 1280x720 cut from the --no-asr run's segments) ==")
    for mode, label in (("smart", "smart cut (default)"), ("reencode", "full re-encode"), ("copy", "--fast")):
        row = c[mode]
        print(f"{label:32s}: {row['seconds']:6.2f} s  {row['mb']:7.1f} MB  (CPU {row['cpu_s']:6.2f} s)")
    row = c["smart_off_key"]
    print(
        f"smart cut, cuts off key frames  : {row['seconds']:6.2f} s  {row['mb']:7.1f} MB  (CPU "
        f"{row['cpu_s']:6.2f} s; {row['summary_s']:.1f} s in 3 spans starting between key frames)"
    )
    print(
        f"smart cut under {TARGET_CUT_S:g} s               : "
        f"{'yes' if max(c['smart']['seconds'], row['seconds']) < TARGET_CUT_S else 'NO'}"
    )


def report_long(vl: Path, minutes: float, base_rss: float, rl: dict[str, Any]) -> float:
    print(f"\n== {vl.name} ({minutes:g} min) ==")
    print(f"ffmpeg -i FILE -f null -        : {rl['decode_s']:8.1f} s")
    rss = rl["noasr_rss_mb"]
    print(f"vidgist summarize --no-asr      : {rl['noasr_s']:8.1f} s   peak RSS {rss:7.0f} MiB")
    print(f"  stages (s): {stage_line(rl['noasr_stages_s'])}")
    print(
        f"ratio no-ASR / decode-only      : {rl['noasr_s'] / rl['decode_s']:8.2f}"
        f"   (target <= {TARGET_NOASR})"
    )
    print(
        f"CPU seconds: decode-only {rl['decode_cpu_s']:.1f}, --no-asr {rl['noasr_cpu_s']:.1f}, ratio "
        f"{rl['noasr_cpu_s'] / rl['decode_cpu_s']:.2f}"
    )
    growth = rss / base_rss - 1
    print(f"RSS growth vs the short video   : {growth * 100:+7.1f} %  (target within 20 %)")
    return growth


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument(
        "--long", type=float, default=0, help="also a video this many minutes long (RSS flatness)"
    )
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/vidgist-bench"))
    ap.add_argument("--no-profile", action="store_true", help="skip the stage profile run")
    ap.add_argument("--quick", action="store_true", help="a 2-minute video, no long one (CI)")
    ap.add_argument("--profile-child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.profile_child:
        from vidgist.util.threads import single_thread_blas

        single_thread_blas()  # as `vidgist summarize` does, before numpy loads
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from stage_profile import run_profiled

        print(json.dumps(run_profiled(*args.profile_child, asr=True, query=QUERY)))
        return
    if args.quick:
        args.minutes, args.long = 2, 0
    t_start = time.perf_counter()
    args.workdir.mkdir(parents=True, exist_ok=True)
    load_before = load()
    print(f"load average before: {load_before}  ({os.cpu_count()} CPUs)", flush=True)
    v = make_video(args.workdir / f"bench_{args.minutes:g}min.mp4", args.minutes)
    r = bench(v, args.workdir)
    figures: dict[str, Any] = {f"{args.minutes:g}min": r, **report_main(v, args.minutes, r)}
    figures["cut"] = c = cut_modes(v, args.workdir)
    report_cut(c)
    sys.stdout.flush()
    if not args.no_profile:
        figures["profile"] = p = profile(v, args.workdir)
        print_profile(p)
        sys.stdout.flush()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from results_io import write_results

    config = {"minutes": args.minutes, "long": args.long, "query": QUERY, "video": "testsrc2 1280x720 25 fps"}
    figures["load_average"] = {"before": load_before, "after_short": load()}
    if args.long:  # the short video's figures are kept even if the long run is interrupted
        write_results(
            "summarize", figures, config=config, wall_s=time.perf_counter() - t_start, quick=args.quick
        )
        if args.long % args.minutes == 0:  # the short video repeated: same encoding, made in seconds
            times = int(args.long // args.minutes)
            vl = repeat_video(args.workdir / f"bench_{args.minutes:g}min_x{times}.mp4", v, times)
        else:
            vl = make_video(args.workdir / f"bench_{args.long:g}min.mp4", args.long)
        rl = bench(vl, args.workdir, with_asr=False)
        figures[f"{args.long:g}min"] = rl
        figures["rss_growth"] = report_long(vl, args.long, r["noasr_rss_mb"], rl)
    figures["load_average"]["after"] = load()
    print(f"\nload average after: {figures['load_average']['after']}")
    write_results("summarize", figures, config=config, wall_s=time.perf_counter() - t_start, quick=args.quick)
    print(
        json.dumps(
            {k: figures[k] for k in ("ratio_noasr", "ratio_asr")}
            | {"cut_smart_s": c["smart"]["seconds"] if c else None}
        )
    )


if __name__ == "__main__":
    main()
