"""Peak memory and time of speech recognition on long audio: faster-whisper's own log-mel extractor
against vidgist's block-wise one, side by side on the same audio.

    python benchmarks/bench_asr_memory.py [--minutes 10 60] [--quick]

The audio is speech: every sentence of the talks development set (``talks_devset``) spoken by espeak-ng
(voice en-us) with 0.4-s pauses (110 minutes), cut (or repeated) to each length. Each (length, extractor)
pair is transcribed in a fresh process the way ``vidgist summarize`` does it (``speech.transcribe_checked``:
Whisper tiny.en, beam 5, VAD, 2 threads); the process reports its peak resident memory (``ru_maxrss``), the
decoding wall time and a hash of the transcript, so the two extractors are also checked to give the same
words. Writes ``benchmarks/results/asr_memory.json``. ``--quick`` runs 2 and 4 minutes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
from results_io import write_results  # noqa: E402

EXTRACTORS = ("faster-whisper", "blockwise")
SAMPLE_RATE = 16_000


def speech_track(cache: Path) -> Path:
    """The development set's sentences spoken once, end to end, as float32 16 kHz (made once)."""
    path = cache / "talk_sentences.npy"
    if path.is_file():
        return path
    import lecturegen
    import talks_devset

    sentences = [s for s in talks_devset.strings() if s.count(" ") >= 3]
    pause = np.zeros(int(0.4 * SAMPLE_RATE), np.float32)
    voiced = lecturegen._espeak_many(sentences, "en-us", 165)
    audio = np.concatenate([x for v in voiced for x in (v, pause)]).astype(np.float32)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, audio)
    tmp.replace(path)
    return path


def child(track: Path, minutes: float, extractor: str) -> dict[str, Any]:
    """Transcribe ``minutes`` of ``track`` with ``extractor``; runs in its own process."""
    from faster_whisper.feature_extractor import FeatureExtractor

    from vidgist.media import speech

    base = np.load(track, mmap_mode="r")
    n = int(minutes * 60 * SAMPLE_RATE)
    audio = np.empty(n, np.float32)
    for lo in range(0, n, base.size):
        audio[lo : lo + base.size] = base[: n - lo]
    del base
    model = speech.load_model("tiny.en")
    if extractor == "faster-whisper":
        model.feature_extractor = FeatureExtractor()
    t = time.perf_counter()
    tr = speech.transcribe_checked(audio)
    wall = time.perf_counter() - t
    text = "\n".join(f"{s.start:.2f} {s.end:.2f} {s.text}" for s in tr.spans)
    return {
        "minutes": minutes,
        "extractor": extractor,
        "wall_s": round(wall, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "audio_mib": round(audio.nbytes / 2**20),
        "spans": len(tr.spans),
        "transcript_sha": hashlib.sha256(text.encode()).hexdigest()[:16],
    }


def per_length(rows: list[dict[str, Any]], minutes: list[float]) -> dict[str, dict[str, Any]]:
    """Per length: both extractors' peak RSS and ASR seconds, their RSS ratio, and whether the two
    transcripts are the same."""
    out = {}
    for m in minutes:
        a, b = (next(r for r in rows if r["minutes"] == m and r["extractor"] == e) for e in EXTRACTORS)
        out[f"{m:g} min"] = {
            "peak_rss_mib_faster_whisper": a["peak_rss_mib"],
            "peak_rss_mib_blockwise": b["peak_rss_mib"],
            "rss_ratio": round(b["peak_rss_mib"] / a["peak_rss_mib"], 3),
            "asr_s_faster_whisper": a["wall_s"],
            "asr_s_blockwise": b["wall_s"],
            "same_transcript": a["transcript_sha"] == b["transcript_sha"],
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, nargs="+", default=[10.0, 60.0])
    ap.add_argument("--quick", action="store_true", help="2 and 4 minutes")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "vidgist-asr-memory")
    ap.add_argument("--child", nargs=3, metavar=("TRACK", "MINUTES", "EXTRACTOR"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), float(args.child[1]), args.child[2])))
        return
    started = time.time()
    minutes = [2.0, 4.0] if args.quick else args.minutes
    track = speech_track(args.cache)
    print(
        f"speech track: {np.load(track, mmap_mode='r').size / SAMPLE_RATE / 60:.1f} min, cut to each length"
    )
    rows = []
    for m in minutes:
        for ex in EXTRACTORS:
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(track), str(m), ex],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            row = json.loads(out.strip().splitlines()[-1])
            rows.append(row)
            print(
                f"{m:5.0f} min  {ex:15s} peak RSS {row['peak_rss_mib']:6d} MiB  ASR {row['wall_s']:6.1f} s  "
                f"{row['spans']} spans  transcript {row['transcript_sha']}"
            )
    figures: dict[str, Any] = {"per_length": per_length(rows, minutes), "rows": rows}
    for m, d in figures["per_length"].items():
        print(
            f"{m:>7}  blockwise / faster-whisper peak RSS {d['rss_ratio']:.2f}, "
            f"same transcript: {d['same_transcript']}"
        )
    write_results(
        "asr_memory",
        figures,
        config={"model": "tiny.en", "voice": "espeak-ng en-us", "minutes": minutes},
        wall_s=time.time() - started,
        quick=args.quick,
    )


if __name__ == "__main__":
    main()
