"""Word error rate and cost of Whisper tiny.en and base under each CTranslate2 compute type.

    python benchmarks/bench_asr.py [--quick] [--seeds 0 1 2]

The development set (``asr_devset``) is narrated by espeak-ng (two voices) and Festival. For every model
x compute type: WER (word-level edit distance / reference words, after lower-casing and dropping
punctuation) overall, per voice and on the fit and held-out halves of the sentences, each as mean and
s.d. over seeds (a seed regenerates every clip), a 95% bootstrap interval over sentences, and the cost:
decoding seconds per second of audio, both wall (``rtf``) and process CPU (``cpu_rtf``), models loaded
beforehand. Decoding as vidgist does it (beam 5, VAD, temperature 0,
``speech.CPU_THREADS`` threads).

The default is chosen on the fit half: the lowest mean WER among the settings whose CPU cost per second of
audio is within ``BUDGET`` x ``CPU_THREADS`` (the 0.05x-duration wall budget on the 2 threads Whisper
uses; CPU time is what the machine's load inflates least); ties go to the cheaper setting; when no setting
fits, the cheapest one.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import asr_devset  # noqa: E402
from results_io import write_results  # noqa: E402

from vidgist.media import speech  # noqa: E402

MODELS = ("tiny.en", "base")
BUDGET = 0.05  # ASR wall time per second of video


def words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("-", " ")).split()


def edits(ref: list[str], hyp: list[str]) -> int:
    """Word-level Levenshtein distance."""
    d = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, d[0] = d[0], i
        for j, h in enumerate(hyp, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (r != h))
    return d[-1]


def decode_all(clips: list[asr_devset.Clip], model: str, compute: str) -> tuple[list[int], float, float]:
    """Edit counts per clip, wall seconds and CPU seconds of decoding every clip."""
    speech.load_model(model, compute)
    speech.transcribe_checked(clips[0].audio, model, language="en", compute=compute)  # warm up
    errs = []
    w0, c0 = time.perf_counter(), time.process_time()
    for c in clips:
        t = speech.transcribe_checked(c.audio, model, language="en", compute=compute)
        hyp = words(" ".join(s.text for s in t.spans))
        errs.append(edits(words(asr_devset.SENTENCES[c.sentence]), hyp))
    return errs, time.perf_counter() - w0, time.process_time() - c0


def wer(clips: list[asr_devset.Clip], errs: list[int], keep: list[bool]) -> float:
    """Edits over reference words of the clips marked in ``keep``."""
    e = sum(x for x, k in zip(errs, keep, strict=True) if k)
    n = sum(len(words(asr_devset.SENTENCES[c.sentence])) for c, k in zip(clips, keep, strict=True) if k)
    return e / max(n, 1)


def interval(clips: list[asr_devset.Clip], errs: list[int], seed: int = 0) -> tuple[float, float]:
    """95% bootstrap interval of the WER, resampling sentences."""
    sents = sorted({c.sentence for c in clips})
    by = {s: (0, 0) for s in sents}
    for c, x in zip(clips, errs, strict=True):
        e, n = by[c.sentence]
        by[c.sentence] = (e + x, n + len(words(asr_devset.SENTENCES[c.sentence])))
    en = np.array([by[s] for s in sents], dtype=float)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(sents), size=(2000, len(sents)))
    rates = en[draws, 0].sum(1) / en[draws, 1].sum(1)
    return float(np.percentile(rates, 2.5)), float(np.percentile(rates, 97.5))


def _mean_sd(xs: list[float]) -> dict[str, float]:
    """Mean and sample s.d. (n - 1) over seeds."""
    a = np.asarray(xs, dtype=float)
    return {"mean": round(float(a.mean()), 4), "sd": round(float(a.std(ddof=1)) if a.size > 1 else 0.0, 4)}


def setting_row(
    clips: list[asr_devset.Clip],
    errs: list[int],
    seeds: list[int],
    seed_of: list[int],
    voices: tuple[str, ...],
) -> dict[str, object]:
    """WER figures of one model x compute type: mean and s.d. over seeds (overall, fit half, held-out half,
    per voice) and the 95% bootstrap interval over sentences of all seeds pooled."""
    fit, held = set(asr_devset.fit_half()), set(asr_devset.held_out_half())
    keeps: dict[str, Callable[[asr_devset.Clip], bool]] = {
        "wer": lambda c: True,
        "wer_fit": lambda c: c.sentence in fit,
        "wer_held_out": lambda c: c.sentence in held,
        **{f"wer[{v}]": (lambda c, v=v: c.voice == v) for v in voices},
    }
    row: dict[str, object] = {}
    for name, keep in keeps.items():
        per_seed = [
            wer(clips, errs, [o == s and keep(c) for c, o in zip(clips, seed_of, strict=True)]) for s in seeds
        ]
        row[name] = _mean_sd(per_seed)
    row["wer_95"] = [round(x, 4) for x in interval(clips, errs)]
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="4 sentences, 2 voices, one seed")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = ap.parse_args()
    t0 = time.perf_counter()
    seeds = args.seeds[:1] if args.quick else args.seeds
    sentences = [0, 1, 2, 3] if args.quick else None
    voices = (asr_devset.VOICES[0], asr_devset.VOICES[2]) if args.quick else asr_devset.VOICES
    per_seed = {s: asr_devset.clips(s, sentences, voices) for s in seeds}
    clips = [c for s in seeds for c in per_seed[s]]
    seed_of = [s for s in seeds for _ in per_seed[s]]
    audio_s = sum(c.seconds for c in clips)
    figures: dict[str, dict] = {}
    for model in MODELS:
        for compute in speech.COMPUTE_TYPES:
            errs, wall, cpu = decode_all(clips, model, compute)
            row = setting_row(clips, errs, seeds, seed_of, voices)
            row |= {"rtf": round(wall / audio_s, 4), "cpu_rtf": round(cpu / audio_s, 4)}
            figures[f"{model}/{compute}"] = row
            print(
                f"{model:8s} {compute:13s} " + " ".join(f"{k}={_fmt(v)}" for k, v in row.items()), flush=True
            )
    cap = BUDGET * speech.CPU_THREADS
    choice = choose(figures, cap)
    out = {
        "settings": figures,
        "chosen": choice,
        "cpu_budget_per_audio_s": cap,
        "audio_s": round(audio_s, 1),
        "clips": len(clips),
    }
    config = {
        "voices": list(voices),
        "sentences": len({c.sentence for c in clips}),
        "beam": speech.BEAM_SIZE,
        "spread": "mean and s.d. over seeds (each seed regenerates every clip: speaking rate, espeak-ng "
        "pitch, noise); wer_95: bootstrap over sentences, seeds pooled",
    }
    write_results("asr", out, seeds=seeds, config=config, wall_s=time.perf_counter() - t0, quick=args.quick)
    print(json.dumps({"chosen": choice, **{k: v["wer"] for k, v in figures.items()}}))
    return 0


def choose(figures: dict[str, dict], cap: float) -> str:
    """Lowest fit-half WER within the CPU budget (ties: cheaper); when none fits, the cheapest setting."""
    within = [k for k, r in figures.items() if r["cpu_rtf"] <= cap]
    if not within:
        return min(figures, key=lambda k: figures[k]["cpu_rtf"])
    return min(within, key=lambda k: (round(figures[k]["wer_fit"]["mean"], 4), figures[k]["cpu_rtf"]))


def _fmt(v: object) -> str:
    if isinstance(v, dict):
        return f"{v['mean']:.3f}+-{v['sd']:.3f}"
    if isinstance(v, list):
        return "[" + ",".join(f"{x:.3f}" for x in v) + "]"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


if __name__ == "__main__":
    raise SystemExit(main())
