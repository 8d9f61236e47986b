"""Fuzz `vidgist summarize` with damaged copies of real videos; print a table of outcomes.

    python benchmarks/fuzz_inputs.py -n 200                 # 200 damaged copies, one subprocess each
    python benchmarks/fuzz_inputs.py -n 18 --sigint 12      # smaller run, plus 12 Ctrl-C runs

Kinds (cycled over the N files, sources cycled over ../shared/videos/*.mp4): ``truncate`` (first 30-99 %
of the bytes), ``flip`` (50 random bit flips after the first 4 KiB), ``flip_audio`` / ``flip_video`` (30
flips inside that stream's packets), ``zero_block`` (a zeroed 4 KiB block), ``header`` (64 random bytes in
the first KiB), ``wrong_ext`` (a valid file named .mkv/.avi/.mov/.txt), ``zero_byte``, ``random`` (random
bytes), ``no_audio`` (a valid file with its audio stream removed), ``no_moov`` (an mp4 whose moov atom is
cut out), ``truncate_mkv`` (a Matroska remux cut short), ``wreck_video`` (every video packet zeroed from
20-80 % of the file on: fails while speech recognition runs). Damaged copies go to ``--workdir`` (in /tmp).

Each file is summarized in its own process (``python -m vidgist summarize F -q "..." --backbone offline``;
speech on every ``--asr-every``-th file, on-screen text on every ``--ocr-every``-th, summary.mp4 on every
``--video-every``-th, else ``--no-asr``/``--no-ocr``/``--no-video`` to spare the CPU) with a time limit.
Outcomes: ``ok`` (summary, no damage), ``ok+damage`` (summary with a ``damage`` report), ``refused``
(exit 2 with one ``vidgist: error:`` line); failures:
``abort`` (killed by a signal / exit 134), ``traceback``, ``hang`` (time limit), ``partial`` (a failed
run left files in OUTDIR, or a run that succeeded lacks one of its outputs), ``other`` (any other exit
code or a multi-line error). The reference: ``ffmpeg -i F -f framecrc -`` (imageio-ffmpeg's binary)
decodes each copy; its loss is 1 - decoded/original (video frames; audio samples when speech is on). Every
file FFmpeg decodes with under 10 % loss should get a summary: those refused are listed.

``--sigint K`` also runs K summaries of a clean 30 s clip interrupted with SIGINT at spread times (as
``timeout -s INT``): each must exit 130 with the single line ``vidgist: interrupted`` and leave OUTDIR empty.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VIDEOS = REPO.parent / "shared" / "videos"
KINDS = (
    "truncate",
    "flip",
    "flip_audio",
    "flip_video",
    "zero_block",
    "header",
    "wrong_ext",
    "zero_byte",
    "random",
    "no_audio",
    "no_moov",
    "truncate_mkv",
    "wreck_video",
)
QUERY = "planet earth"
MAX_LOSS = 0.10


def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def _packet_spans(src: Path, kind: str) -> list[tuple[int, int]]:
    """(byte offset, size) of every packet of the first ``kind`` ("audio"/"video") stream of ``src``."""
    import av

    with av.open(str(src)) as c:
        streams = c.streams.audio if kind == "audio" else c.streams.video
        if not streams:
            return []
        return [(int(p.pos), int(p.size)) for p in c.demux(streams[0]) if p.size and p.pos is not None]


def _flip_in(data: bytearray, spans: list[tuple[int, int]], n: int, rng: random.Random) -> None:
    for _ in range(n):
        pos, size = spans[rng.randrange(len(spans))]
        data[pos + rng.randrange(size)] ^= 1 << rng.randrange(8)


def _without_moov(data: bytes) -> bytes:
    """``data`` (an mp4) with its top-level moov box cut out."""
    out, i = bytearray(), 0
    while i + 8 <= len(data):
        size = int.from_bytes(data[i : i + 4], "big")
        if size == 1 and i + 16 <= len(data):
            size = int.from_bytes(data[i + 8 : i + 16], "big")
        elif size == 0:
            size = len(data) - i
        if size < 8:
            break
        if data[i + 4 : i + 8] != b"moov":
            out += data[i : i + size]
        i += size
    return bytes(out)


def _flip(data: bytearray, src: Path, rng: random.Random) -> None:
    for _ in range(50):
        data[rng.randrange(4096, len(data))] ^= 1 << rng.randrange(8)


def _flip_packets(stream: str) -> Callable[[bytearray, Path, random.Random], None]:
    def flip(data: bytearray, src: Path, rng: random.Random) -> None:
        spans = _packet_spans(src, stream)
        if spans:
            _flip_in(data, spans, 30, rng)

    return flip


def _wreck_video(data: bytearray, src: Path, rng: random.Random) -> None:
    spans = _packet_spans(src, "video")
    for pos, size in spans[int(len(spans) * rng.uniform(0.2, 0.8)) :]:
        data[pos : pos + size] = bytes(size)


def _zero_block(data: bytearray, src: Path, rng: random.Random) -> None:
    at = rng.randrange(4096, len(data) - 4096)
    data[at : at + 4096] = bytes(4096)


def _header(data: bytearray, src: Path, rng: random.Random) -> None:
    for _ in range(64):
        data[rng.randrange(1024)] = rng.randrange(256)


#: kinds that damage the file's bytes in place (the copy keeps its name and container)
IN_PLACE: dict[str, Callable[[bytearray, Path, random.Random], None]] = {
    "flip": _flip,
    "flip_audio": _flip_packets("audio"),
    "flip_video": _flip_packets("video"),
    "wreck_video": _wreck_video,
    "zero_block": _zero_block,
    "header": _header,
}


def _remuxed(src: Path, kind: str, dst_dir: Path, stem: str, rng: random.Random) -> Path:
    """``no_audio`` (the audio stream removed) or ``truncate_mkv`` (Matroska cut at 50-99 %), via ffmpeg."""
    if kind == "no_audio":
        dst = dst_dir / f"{stem}.mp4"
        subprocess.run(
            [ffmpeg_exe(), "-v", "error", "-y", "-i", str(src), "-map", "0:v", "-c", "copy", str(dst)],
            check=True,
        )
        return dst
    full = dst_dir / f"{stem}.full.mkv"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-i", str(src), "-c", "copy", str(full)], check=True)
    mkv = full.read_bytes()
    full.unlink()
    dst = dst_dir / f"{stem}.mkv"
    dst.write_bytes(mkv[: int(len(mkv) * rng.uniform(0.5, 0.99))])
    return dst


def damage_copy(src: Path, kind: str, dst_dir: Path, rng: random.Random, tag: str = "") -> Path:
    """A damaged copy of ``src`` in ``dst_dir`` (see the module docstring for the kinds)."""
    data = bytearray(src.read_bytes())
    stem = f"{tag}{kind}_{src.stem}"
    dst = dst_dir / f"{stem}.mp4"
    if kind in IN_PLACE:
        IN_PLACE[kind](data, src, rng)
        dst.write_bytes(data)
    elif kind == "truncate":
        keep = rng.uniform(0.3, 0.99)
        dst.write_bytes(data[: int(len(data) * keep)])
    elif kind == "wrong_ext":
        dst = dst_dir / f"{stem}.{rng.choice(['mkv', 'avi', 'mov', 'txt'])}"
        dst.write_bytes(data)
    elif kind == "zero_byte":
        dst.write_bytes(b"")
    elif kind == "random":
        dst.write_bytes(rng.randbytes(rng.randrange(1, 200_000)))
    elif kind == "no_moov":
        dst.write_bytes(_without_moov(bytes(data)))
    elif kind in ("no_audio", "truncate_mkv"):
        dst = _remuxed(src, kind, dst_dir, stem, rng)
    else:
        raise ValueError(f"unknown damage kind {kind}")
    return dst


def _decoded_amounts(path: Path) -> tuple[int, int, int, bool]:
    """FFmpeg's view: (video frames, audio samples, error lines, exit 0) decoding ``path``."""
    p = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "framecrc", "-"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    frames, samples = 0, 0
    kinds: dict[str, str] = {}
    for line in p.stdout.splitlines():
        if line.startswith("#media_type"):
            idx, media = line.split()[1:3] if len(line.split()) >= 3 else ("", "")
            kinds[idx.rstrip(":")] = media
            continue
        if line.startswith("#") or not line.strip():
            continue
        cols = [c.strip() for c in line.split(",")]
        media = kinds.get(cols[0], "")
        if media == "video":
            frames += 1
        elif media == "audio":
            samples += int(cols[3])
    return frames, samples, len(p.stderr.splitlines()), p.returncode == 0


@dataclass
class Run:
    kind: str
    path: Path
    outcome: str
    seconds: float
    asr: bool
    detail: str
    ffmpeg_ok: bool
    loss_v: float
    loss_a: float


def _vidgist_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _nice() -> None:
    os.nice(10)


def _spawn_vidgist(args: list[str]) -> subprocess.Popen[str]:
    """``python -m vidgist ARGS`` started in its own process group (niced), stderr piped, stdout dropped."""
    return subprocess.Popen(
        [sys.executable, "-m", "vidgist", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=_vidgist_env(),
        start_new_session=True,
        preexec_fn=_nice,
    )


def _run_vidgist(args: list[str], timeout: float) -> tuple[int | None, str, float]:
    """(exit code, None on time-out; stderr; seconds) of ``python -m vidgist ARGS`` in its own group."""
    t0 = time.perf_counter()
    p = _spawn_vidgist(args)
    try:
        _, err = p.communicate(timeout=timeout)
        return p.returncode, err, time.perf_counter() - t0
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        _, err = p.communicate()
        return None, err, time.perf_counter() - t0


def _messages(stderr: str) -> list[str]:
    """stderr without progress-bar lines."""
    bar = ("━", "╸", "╺", "⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏")
    return [ln for ln in stderr.splitlines() if ln.strip() and not any(b in ln for b in bar)]


def classify(rc: int | None, stderr: str, outdir: Path, want_video: bool = True) -> tuple[str, str]:
    """(outcome, detail) of one run (see the module docstring)."""
    files = sorted(p.name for p in outdir.iterdir()) if outdir.exists() else []
    msgs = _messages(stderr)
    if rc is None:
        return "hang", ""
    if rc < 0 or rc in (134, 139) or "terminate called" in stderr or "FATAL" in stderr:
        return "abort", f"exit {rc}: {(msgs or [''])[-1][:120]}"
    if "Traceback" in stderr:
        return "traceback", next((m for m in reversed(msgs) if "Error" in m), "")[:160]
    if rc == 0:
        if "summary.json" not in files:
            return "partial", f"exit 0 but only {files}"
        doc = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
        # "no moment matches" (the query names nothing in the video) is an answer with no summary.mp4
        matched = doc.get("match", {}).get("matched", True)
        need = {"summary.json", "scores.png"} | ({"summary.mp4"} if want_video and matched else set())
        if not need <= set(files):
            return "partial", f"exit 0 but only {files}"
        if "damage" in doc:
            d = doc["damage"]
            return "ok+damage", f"video {d['video_s']} s, audio {d['audio_s']} s lost"
        return "ok", ""
    if files:
        return "partial", f"exit {rc} left {files}"
    errors = [m for m in msgs if m.startswith("vidgist: error:")]
    if rc == 2 and len(errors) == 1 and len([m for m in msgs if m.startswith("vidgist:")]) == 1:
        return "refused", errors[0][len("vidgist: error: ") :][:160]
    return "other", f"exit {rc}: {' | '.join(msgs)[:160]}"


def fuzz(
    n: int,
    workdir: Path,
    timeout: float,
    seed: int,
    every: tuple[int, int, int],
    kinds: tuple[str, ...],
    videos: Path = VIDEOS,
) -> list[Run]:
    """Make and summarize ``n`` damaged copies; ``every``: speech, on-screen text and summary.mp4 on
    every K-th run (0: never)."""
    sources = sorted(videos.glob("*.mp4"))
    asr_every, ocr_every, video_every = every
    originals = {s: _decoded_amounts(s) for s in sources}
    runs: list[Run] = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        src = sources[(i // len(kinds)) % len(sources)]
        rng = random.Random(seed * 100_003 + i)
        path = damage_copy(src, kind, workdir, rng, tag=f"{i:03d}_")
        fv, fa, _, ff_ok = _decoded_amounts(path)
        ov, oa, _, _ = originals[src]
        loss_v = 1.0 - min(fv, ov) / ov if ov else 1.0
        loss_a = 1.0 - min(fa, oa) / oa if oa else 0.0
        asr = asr_every > 0 and i % asr_every == 0
        ocr = ocr_every > 0 and i % ocr_every == 1
        video = video_every > 0 and i % video_every == 2
        out = workdir / f"out_{i:03d}"
        args = ["summarize", str(path), "-q", QUERY, "--backbone", "offline", "-o", str(out)]
        args += [] if asr else ["--no-asr"]
        args += [] if ocr else ["--no-ocr"]
        args += [] if video else ["--no-video"]
        rc, err, secs = _run_vidgist(args, timeout)
        outcome, detail = classify(rc, err, out, want_video=video)
        runs.append(Run(kind, path, outcome, secs, asr, detail, ff_ok and fv > 0, loss_v, loss_a))
        opts = "".join(f", {name}" for name, on in (("asr", asr), ("ocr", ocr), ("mp4", video)) if on)
        print(
            f"[{i + 1}/{n}] {path.name}: {outcome} ({secs:.1f} s{opts}) {detail}", file=sys.stderr, flush=True
        )
        shutil.rmtree(out, ignore_errors=True)
    return runs


def sigint_runs(k: int, workdir: Path, timeout: float, videos: Path = VIDEOS) -> Counter[str]:
    """K runs on a clean clip, SIGINT after 1.0 .. 8.0 s; outcome counts (``interrupted`` is right)."""
    src = videos / "bigbuckbunny_30s_360p.mp4"
    counts: Counter[str] = Counter()
    for j in range(k):
        delay = 1.0 + 7.0 * j / max(k - 1, 1)
        out = workdir / f"sigint_{j:02d}"
        p = _spawn_vidgist(["summarize", str(src), "--backbone", "offline", "-o", str(out)])
        time.sleep(delay)
        p.send_signal(signal.SIGINT)
        try:
            _, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            counts["hang"] += 1
            continue
        files = list(out.iterdir()) if out.exists() else []
        msgs = _messages(err)
        if p.returncode == 0:
            outcome = "finished before the signal"
        elif p.returncode < 0 or p.returncode == 134 or "terminate called" in err:
            outcome = "abort"
        elif "Traceback" in err:
            outcome = "traceback"
        elif files:
            outcome = "partial"
        elif p.returncode == 130 and msgs == ["vidgist: interrupted"]:
            outcome = "interrupted"
        else:
            outcome = f"other (exit {p.returncode}: {' | '.join(msgs)[:80]})"
        counts[outcome] += 1
        print(f"[sigint {j + 1}/{k}] after {delay:.1f} s: {outcome}", file=sys.stderr, flush=True)
        shutil.rmtree(out, ignore_errors=True)
    return counts


def report(runs: list[Run]) -> None:
    cols = ("ok", "ok+damage", "refused", "abort", "traceback", "hang", "partial", "other")
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for r in runs:
        by_kind[r.kind][r.outcome] += 1
    print(f"\n{'kind':14s} {'n':>4s} " + " ".join(f"{c:>10s}" for c in cols) + f" {'missed':>7s}")
    total: Counter[str] = Counter()
    missed_runs = [
        r
        for r in runs
        if r.ffmpeg_ok
        and r.loss_v < MAX_LOSS
        and (not r.asr or r.loss_a < MAX_LOSS)
        and r.outcome not in ("ok", "ok+damage")
    ]
    missed = Counter(r.kind for r in missed_runs)
    for kind in KINDS:
        if kind not in by_kind:
            continue
        c = by_kind[kind]
        total.update(c)
        print(
            f"{kind:14s} {sum(c.values()):4d} "
            + " ".join(f"{c[x]:10d}" for x in cols)
            + f" {missed[kind]:7d}"
        )
    print(
        f"{'all':14s} {sum(total.values()):4d} "
        + " ".join(f"{total[x]:10d}" for x in cols)
        + f" {len(missed_runs):7d}"
    )
    print(
        "\nmissed = FFmpeg decodes the copy with under 10% loss (video frames; audio samples when speech "
        "is on) but vidgist gave no summary"
    )
    for r in missed_runs:
        print(f"  missed {r.path.name}: ffmpeg loss video {r.loss_v:.1%} audio {r.loss_a:.1%}; {r.detail}")
    bad = [r for r in runs if r.outcome in ("abort", "traceback", "hang", "partial", "other")]
    for r in bad:
        print(f"  FAILURE {r.outcome} {r.path.name}: {r.detail}")
    secs = sorted(r.seconds for r in runs)
    if secs:
        print(
            f"\nper run: median {secs[len(secs) // 2]:.1f} s, max {secs[-1]:.1f} s; "
            f"{sum(r.asr for r in runs)} of {len(runs)} runs with speech recognition"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=200, help="damaged copies to make and summarize")
    ap.add_argument("--workdir", type=Path, default=None, help="where the copies go (default: a /tmp folder)")
    ap.add_argument("--timeout", type=float, default=240.0, help="seconds before a run counts as a hang")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--asr-every", type=int, default=4, help="speech on every K-th run (0: never)")
    ap.add_argument("--ocr-every", type=int, default=4, help="on-screen text on every K-th run (0: never)")
    ap.add_argument("--video-every", type=int, default=4, help="summary.mp4 on every K-th run (0: never)")
    ap.add_argument("--videos", type=Path, default=VIDEOS, help="folder of source .mp4 files")
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma-separated subset of the kinds")
    ap.add_argument("--sigint", type=int, default=0, help="also run K Ctrl-C runs on a clean clip")
    ap.add_argument("--keep", action="store_true", help="keep the damaged copies")
    a = ap.parse_args()
    kinds = tuple(k for k in a.kinds.split(",") if k)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        ap.error(f"unknown kinds {sorted(unknown)}; choose from {', '.join(KINDS)}")
    workdir = a.workdir or Path(tempfile.mkdtemp(prefix="vidgist-fuzz-"))
    workdir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    print(
        f"fuzz: n={a.n} seed={a.seed} timeout={a.timeout:g} s; speech on every {a.asr_every}th run, "
        f"on-screen text every {a.ocr_every}th, summary.mp4 every {a.video_every}th; copies in {workdir}"
    )
    try:
        if a.n:
            runs = fuzz(
                a.n, workdir, a.timeout, a.seed, (a.asr_every, a.ocr_every, a.video_every), kinds, a.videos
            )
            report(runs)
        if a.sigint:
            counts = sigint_runs(a.sigint, workdir, a.timeout, a.videos)
            print(f"\nSIGINT runs ({a.sigint}): " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    finally:
        if not a.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"\nwall time {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
