"""CPU seconds per component of one ``vidgist summarize`` run, and the OS threads each used.

``run_profiled(video, out, asr, query) -> dict`` runs the Python API in this process (call it in a child
process: it patches functions for the run) and returns ``{"components": {name: {"cpu_s", "threads"}},
"threads": [...], "wall_s", "cpu_s"}``.

How the seconds are counted:

- every Python thread gets its name as its OS name (``prctl(PR_SET_NAME)``), so the native threads it
  starts (FFmpeg's decoder threads, ONNX Runtime's and CTranslate2's pools, x264's) inherit it;
- a sampler reads ``/proc/self/task/*/stat`` every ``SAMPLE_S`` seconds: CPU seconds (user + system) per
  OS thread, grouped by name and by the stage running when the thread appeared;
- functions that run in the caller's thread (colour conversion and resize, the frame model, the
  attributes, KTS, selection, ...) are wrapped with ``time.thread_time`` (the calling thread's CPU).

Components: demux/decode (the decoding thread and FFmpeg's video decoder threads, ``av:h264:df0``...),
colour conversion + resize (``SampledFrame.rgb``), frame model (encode + text-space bridge + labels,
minus attributes; plus the ONNX Runtime threads of the main thread), attributes, OCR (detector,
recogniser, frame difference), speech (audio decode, Whisper), scoring, KTS, chapters, selection, encode
(summary.mp4: every thread of that stage), warm-up, and the rest of the main thread (unattributed).
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

SAMPLE_S = 0.2
_TICK = os.sysconf("SC_CLK_TCK")
_PR_SET_NAME = 15


def _set_os_name(name: str) -> None:
    try:
        libc = ctypes.CDLL(None)
        libc.prctl(_PR_SET_NAME, ctypes.c_char_p(name[:15].encode()), 0, 0, 0)
    except OSError:
        pass


def _read_tasks() -> dict[int, tuple[str, float]]:
    """tid -> (OS name, CPU seconds) of every thread of this process."""
    out: dict[int, tuple[str, float]] = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            raw = Path(f"/proc/self/task/{tid}/stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        out[int(tid)] = (name, (int(fields[11]) + int(fields[12])) / _TICK)
    return out


class _Sampler:
    """Samples per-thread CPU; remembers the stage each thread first appeared in."""

    def __init__(self) -> None:
        self.stage = "load"
        self.seen: dict[int, tuple[str, str, float]] = {}  # tid -> (name, stage at birth, cpu)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="vg-sampler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def sample(self) -> None:
        for tid, (name, cpu) in _read_tasks().items():
            old = self.seen.get(tid)
            self.seen[tid] = (name, old[1] if old else self.stage, cpu)

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_S):
            self.sample()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


class _Clock:
    """CPU seconds of the calling thread spent inside wrapped functions, per component."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self._depth = threading.local()

    def wrap(self, owner: Any, attr: str, component: str) -> None:
        fn = getattr(owner, attr)
        clock = self

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            busy = getattr(clock._depth, component, False)
            if busy:  # nested call of the same component: counted by the outer one
                return fn(*args, **kwargs)
            setattr(clock._depth, component, True)
            t0 = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                clock.cpu[component] += time.thread_time() - t0
                setattr(clock._depth, component, False)

        setattr(owner, attr, wrapped)


def _patch_threads(sampler: _Sampler) -> None:
    original = threading.Thread.run

    def run(self: threading.Thread) -> None:
        _set_os_name(self.name)
        original(self)

    threading.Thread.run = run  # type: ignore[method-assign]


def _instrument(clock: _Clock) -> None:
    from vidgist.backbones import attributes, offline
    from vidgist.media import cut, ocr, speech, video
    from vidgist.summarize import chapters, coverage, pipeline, select, shots

    clock.wrap(video.SampledFrame, "rgb", "colour+resize")
    clock.wrap(offline.OfflineBackbone, "encode_frames", "frame model")
    clock.wrap(offline.OfflineBackbone, "frames_to_text_space", "frame model")
    clock.wrap(offline.OfflineBackbone, "frame_labels", "frame model")
    clock.wrap(attributes, "frame_attributes", "attributes")
    clock.wrap(ocr, "_downscale", "ocr: resize")
    clock.wrap(ocr, "_thumb", "ocr: frame difference")
    clock.wrap(ocr.LineReader, "read", "ocr: detect+recognise")
    clock.wrap(video, "extract_audio", "speech: audio decode")
    clock.wrap(speech, "transcribe", "speech: whisper")
    clock.wrap(shots, "kts_change_points", "KTS")
    clock.wrap(chapters, "find_chapters", "chapters")
    for mod, name in (
        (select, "select_keyshots"),
        (select, "select_relevant"),
        (coverage, "select_covering"),
    ):
        clock.wrap(mod, name, "selection")
    clock.wrap(pipeline.Summarizer, "relevance", "relevance")
    clock.wrap(cut, "write_summary_video", "encode (main thread)")


def _group(seen: dict[int, tuple[str, str, float]]) -> dict[tuple[str, str], list[float]]:
    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    for name, stage, cpu in seen.values():
        groups[(name, stage)].append(cpu)
    return groups


def _components(
    clock: _Clock, groups: dict[tuple[str, str], list[float]], main: str, main_cpu: float
) -> dict[str, Any]:
    """The component table from the thread groups and the wrapped functions (see module docstring)."""
    comp: dict[str, dict[str, Any]] = {}

    def add(name: str, cpu: float, threads: int) -> None:
        comp[name] = {"cpu_s": round(cpu, 2), "threads": threads}

    def threads_of(pred: Any) -> tuple[float, int]:
        sel = [v for k, v in groups.items() if pred(*k)]
        return sum(sum(v) for v in sel), sum(len(v) for v in sel)

    def decoding(name: str, stage: str) -> bool:  # the decoding thread and FFmpeg's video decoder threads
        video_codec = name.startswith("av:") and not name.startswith(("av:aac", "av:mp3", "av:opus"))
        return stage != "encode" and (name.startswith("vidgist-prefetc") or video_codec)

    dec, n_dec = threads_of(decoding)
    add("demux/decode", dec, n_dec)
    add("colour+resize", clock.cpu["colour+resize"], 1)
    helpers, n_helpers = threads_of(lambda n, s: n == main and s != "encode")
    n_helpers -= 1  # the main thread itself
    model = clock.cpu["frame model"] - clock.cpu["attributes"]
    add("frame model", model, 1)
    add("attributes", clock.cpu["attributes"], 1)
    ocr_cpu, n_ocr = threads_of(lambda n, s: n.startswith("vidgist-ocr"))
    add("OCR", ocr_cpu, n_ocr)
    for part in ("ocr: resize", "ocr: frame difference", "ocr: detect+recognise"):
        add("  " + part, clock.cpu[part], n_ocr)
    asr_cpu, n_asr = threads_of(lambda n, s: n.startswith("vidgist-asr"))
    add("speech", asr_cpu, n_asr)
    add("  speech: audio decode", clock.cpu["speech: audio decode"], 1)
    add("  speech: whisper", asr_cpu - clock.cpu["speech: audio decode"], n_asr)
    add("relevance+scoring", clock.cpu["relevance"], 1)
    add("KTS", clock.cpu["KTS"], 1)
    add("chapters", clock.cpu["chapters"], 1)
    add("selection", clock.cpu["selection"], 1)
    enc, n_enc = threads_of(lambda n, s: s == "encode")
    add("encode summary.mp4", enc + clock.cpu["encode (main thread)"], n_enc + 1)
    warm, n_warm = threads_of(lambda n, s: n.startswith("vidgist-warm"))
    add("warm-up (text model, imports)", warm, n_warm)
    add("ONNX Runtime / other pool threads of main", max(0.0, helpers - main_cpu), max(0, n_helpers))
    return comp


def run_profiled(video: Path, out: Path, asr: bool, query: str) -> dict[str, Any]:
    """Summarize ``video`` into ``out`` with the profile on (see module docstring)."""
    main = "vg-main"
    _set_os_name(main)
    main_tid = threading.get_native_id()
    sampler = _Sampler()
    clock = _Clock()
    _patch_threads(sampler)
    _instrument(clock)
    sampler.start()
    t0, c0 = time.perf_counter(), time.process_time()
    from vidgist.summarize.pipeline import Summarizer

    summarizer = Summarizer(asr=asr)
    sampler.stage = "collect"
    result = summarizer.summarize(video, queries=[query], fill=True)  # as the CLI runs in bench_summarize
    sampler.sample()
    sampler.stage = "encode"
    result.save(out)
    sampler.stop()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    main_all = sampler.seen[main_tid][2]
    groups = _group(sampler.seen)
    comp = _components(clock, groups, main, main_all)
    wrapped_main = (
        sum(
            clock.cpu[k]
            for k in ("colour+resize", "frame model", "relevance", "KTS", "chapters", "selection")
        )
        + clock.cpu["encode (main thread)"]
    )
    comp["rest of the main thread (load, scoring, json, plot)"] = {
        "cpu_s": round(max(0.0, main_all - wrapped_main), 2),
        "threads": 1,
    }
    threads = [
        {"name": n, "stage": s, "threads": len(v), "cpu_s": round(sum(v), 2)}
        for (n, s), v in sorted(groups.items(), key=lambda kv: -sum(kv[1]))
    ]
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "components": comp,
        "threads": threads,
        "timings_s": result.timings,
    }
