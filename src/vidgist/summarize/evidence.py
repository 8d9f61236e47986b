"""Evidence for one video: sampled frames through the backbone, on-screen text, speech.

``collect(info, backbone, fps, ocr=True, asr_model="tiny.en") -> (Evidence, thumbnails, stage seconds)``.
Three threads share the work: decoding runs in its own thread (``vidgist.media.prefetch``) and hands
frames over unconverted; this thread converts the sampled ones straight to the frame model's size
and runs the backbone in batches; OCR reads one frame every ``duration / MAX_OCR_FRAMES`` seconds
(at least 1 s) in a third thread. Meanwhile a warm-up thread loads what the later stages need,
and speech is transcribed in another (``CONCURRENT_ASR``: 13 % less wall time on a 10-minute video,
for the audio array and the Whisper model being in memory during decoding); the same thread measures
the sound's level every 10 ms (``Evidence.loudness``, ``vidgist.media.loudness``: 1.4 MB per hour), where
the summary's cuts and the chapters' starts are placed. Memory is one batch of
frames plus the per-sample feature rows (filled in place) and text spans; freed heap pages are handed
back every ``TRIM_EVERY`` samples.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.errors import InputError
from vidgist.media.damage import DamageReport
from vidgist.media.prefetch import Background, FeedWorker, prefetch
from vidgist.types import Evidence, Features, TextSpan, VideoInfo
from vidgist.util.memory import release_free_memory
from vidgist.util.progress import Progress

#: frames embedded per backbone call; bounds memory (frames are never all held at once)
BATCH = 32
#: frames reach the frame model with this shorter side (EfficientNet-Lite0 resizes to 256 then crops 224;
#: CLIP's processor resizes to 224): FFmpeg scales them while converting to RGB, so no second resize
MODEL_SHORT_SIDE = 256
#: the long side of the frames OCR reads
OCR_MAX_SIDE = 448
#: samples between two ``release_free_memory`` calls while decoding
TRIM_EVERY = 512
#: transcribe speech in a thread from the start, beside decoding (else after it)
CONCURRENT_ASR = True
#: seconds between two updates of the speech progress bar once decoding is done
SPEECH_POLL_S = 0.25
#: thumbnails kept for scores.png
N_THUMBS = 10
#: a sample whose signature (every 8th pixel of the model-size frame) differs from the last embedded
#: sample's by less than this mean absolute grey level reuses that sample's features, text-space row and
#: labels instead of running the frame model: a frozen picture, a slide, a still shot re-encoded. Moving
#: footage sampled 0.5-1 s apart differs by 1.7 or more (a slow pan), a synthetic test pattern by 3.4
REUSE_MAX_DIFF = 1.0
#: at most this many frames go through OCR, spread evenly over the video (OCR costs 40-500 ms a frame,
#: more the more text a frame holds); videos under 2 minutes get one OCR frame per second
MAX_OCR_FRAMES = 120


def ocr_gap_for(duration: float) -> float:
    """Seconds between OCR'd frames of a ``duration``-second video: at most MAX_OCR_FRAMES, >= 1 s apart."""
    return max(1.0, duration / MAX_OCR_FRAMES)


class RowBuffer:
    """float32 rows appended batch by batch into one preallocated array (grown by half when full).

    ``array()`` returns the filled rows as a view when the guess was right, so finishing costs no copy.
    """

    def __init__(self, expected_rows: int) -> None:
        self._buf: np.ndarray | None = None
        self._n = 0
        self._expected = max(1, expected_rows + 8)

    def extend(self, rows: Any) -> None:
        """Append ``rows`` (k, d)."""
        r = np.asarray(rows, dtype=np.float32)
        if self._buf is None:
            self._buf = np.empty((max(self._expected, len(r)), r.shape[1]), dtype=np.float32)
        if self._n + len(r) > len(self._buf):
            grown = np.empty((max(self._n + len(r), len(self._buf) * 3 // 2), self._buf.shape[1]), np.float32)
            grown[: self._n] = self._buf[: self._n]
            self._buf = grown
        self._buf[self._n : self._n + len(r)] = r
        self._n += len(r)

    def array(self) -> np.ndarray:
        """The (n, d) rows appended so far ((0, 0) when none)."""
        return np.zeros((0, 0), np.float32) if self._buf is None else self._buf[: self._n]


def collect(
    info: VideoInfo,
    backbone: Any,
    fps: float,
    ocr: bool = True,
    asr_model: str | None = "tiny.en",
    progress: bool = False,
    damage: DamageReport | None = None,
    keyframes_only: bool = False,
) -> tuple[Evidence, list[tuple[float, np.ndarray]], dict[str, float]]:
    """Evidence of the video ``info`` describes, sampled at ``fps`` (see module docstring).

    ``asr_model`` None skips speech; ``keyframes_only`` decodes the key frames alone (``media.video``;
    the video library's sparse sampling, never ``summarize``'s).
    Returns (evidence, thumbnails, wall seconds per stage); the stage dict also holds the counts
    ``"frames embedded"`` and ``"frames reused"`` (``REUSE_MAX_DIFF``).
    Decoding goes through damaged packets (``vidgist.media.damage``); what was lost is added to
    ``damage`` (the audio only when speech is transcribed). Raises InputError when no frame decodes or
    the damage passes the rule. On every exit, error or interrupt included, the decoding, OCR, speech
    and warm-up threads are stopped and joined before this returns or raises.
    """
    path = info.path
    if damage is None:
        damage = DamageReport(path)
    damage.set_duration(info.duration)
    stages: dict[str, float] = {}
    clock = time.perf_counter()
    n_expected = max(1, int(np.ceil(info.duration * fps)))
    acc = _Embedded(backbone, fps, n_expected, info.duration)  # rows filled in place: no second copy
    ocr_gap = ocr_gap_for(info.duration)
    reader = _start_ocr(ocr_gap) if ocr else None
    warm = threading.Thread(target=_warm_up, args=(backbone,), name="vidgist-warm-up", daemon=True)
    warm.start()
    speech: Background[list[TextSpan]] | None = None
    heard = _Heard()
    levels: list[np.ndarray] = []
    if asr_model is not None and info.has_audio and CONCURRENT_ASR:
        speech = _start_speech(path, asr_model, damage, heard, levels)
    frames: Generator[Any, None, None] | None = None
    try:
        with Progress(progress) as prog:
            task = prog.add(f"decode + embed {Path(path).name}", total=n_expected)
            frames = _sampled_frames(info, fps, damage, keyframes_only)
            _decode_embed(frames, acc, reader, ocr_gap, lambda: prog.advance(task, 1))
            prog.finish(task)
            stages["decode+embed"] = time.perf_counter() - clock
            stages["frames embedded"], stages["frames reused"] = acc.embedded, acc.reused
            if not acc.times:
                raise InputError(f"{path}: no video frames could be decoded; check the file plays")
            if reader is not None:
                acc.spans.extend(_after_decoding(prog, "on-screen text", "ocr", stages, reader.result))
            if speech is not None:
                acc.spans.extend(_speech_after_decoding(prog, speech, heard, info.duration, stages))
            elif asr_model is not None and info.has_audio:
                wait = partial(_transcribe, path, asr_model, damage=damage, levels=levels)
                acc.spans.extend(_after_decoding(prog, "speech to text", "asr", stages, wait))
    finally:
        _stop_all(frames, reader, speech, warm)

    evidence = Evidence(
        info=info,
        frames=Features(times=np.asarray(acc.times, dtype=np.float64), vectors=acc.feats.array()),
        frames_in_text_space=acc.bridged.array(),
        spans=tuple(acc.spans),
        loudness=levels[0] if levels else None,
    )
    return evidence, acc.thumbs, stages


class _Embedded:
    """What the backbone makes of the sampled frames, batch by batch: per-sample feature rows (and the
    same in text space), label spans (offline backbone), and thumbnails spread over the video.

    A sample nearly identical to the last embedded one (``REUSE_MAX_DIFF``) is not embedded: it gets
    that sample's rows and labels. ``embedded`` and ``reused`` count the two kinds."""

    def __init__(self, backbone: Any, fps: float, n_expected: int, duration: float) -> None:
        self.backbone = backbone
        self.fps = fps
        self.times: list[float] = []
        self.feats = RowBuffer(n_expected)
        self.bridged = RowBuffer(n_expected)
        self.spans: list[TextSpan] = []
        self.thumbs: list[tuple[float, np.ndarray]] = []
        self.embedded = 0
        self.reused = 0
        self._thumb_times = list(np.linspace(0, duration, N_THUMBS + 2)[1:-1])
        self._batch: list[np.ndarray] = []  # the frames to embed
        self._batch_t: list[float] = []  # every pending sample's time
        self._source: list[int] = []  # per pending sample: its row in the batch, -1 = the last one embedded
        self._ref_sig: np.ndarray | None = None
        self._last: tuple[np.ndarray, np.ndarray, Any] | None = None  # feature, bridged row, labels
        self._next_trim = TRIM_EVERY

    def add(self, t: float, rgb: np.ndarray) -> None:
        """One sampled frame at ``t`` (model size); embeds a full batch and trims the heap now and then."""
        sig = _signature(rgb)
        if (
            self._ref_sig is not None
            and sig.shape == self._ref_sig.shape
            and (np.abs(sig - self._ref_sig).mean() < REUSE_MAX_DIFF)
        ):
            self._source.append(len(self._batch) - 1)
        else:
            self._ref_sig = sig
            self._batch.append(rgb)
            self._source.append(len(self._batch) - 1)
        self._batch_t.append(t)
        if self._thumb_times and t >= self._thumb_times[0]:
            self.thumbs.append((t, _thumbnail(rgb)))
            while self._thumb_times and t >= self._thumb_times[0]:
                self._thumb_times.pop(0)
        if len(self._batch) >= BATCH or len(self._batch_t) >= 8 * BATCH:
            self.flush()
            if len(self.times) >= self._next_trim:
                self._next_trim = len(self.times) + TRIM_EVERY
                release_free_memory()  # keeps RSS flat in video length

    def _embed(self, batch: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, list[Any]]:
        """Features, text-space rows and labels (None without a label head) of ``batch``."""
        f = self.backbone.encode_frames(batch)
        bridged = np.asarray(self.backbone.frames_to_text_space(batch, f), dtype=np.float32)
        labels: list[Any] = [None] * len(batch)
        if hasattr(self.backbone, "frame_labels"):  # offline: labels feed the generated description
            from vidgist.backbones.offline import LABEL_K

            labels = self.backbone.frame_labels(batch, k=LABEL_K, frame_features=f)
        return np.asarray(f, dtype=np.float32), bridged, labels

    def flush(self) -> None:
        """Embed the frames held (if any) and give every pending sample its rows."""
        if not self._batch_t:
            return
        f, bridged, labels = self._embed(self._batch) if self._batch else (None, None, [])
        rows = []
        for k in self._source:
            if k >= 0:
                assert f is not None and bridged is not None
                rows.append((f[k], bridged[k], labels[k]))
            else:
                assert self._last is not None
                rows.append(self._last)
        self.embedded += len(self._batch)
        self.reused += len(self._source) - len(self._batch)
        self._last = rows[-1]
        self.feats.extend(np.stack([r[0] for r in rows]))
        self.bridged.extend(np.stack([r[1] for r in rows]))
        if rows[0][2] is not None:
            from vidgist.backbones.offline import LABEL_MIN_PROB, label_spans

            spans = label_spans(
                self._batch_t, [r[2] for r in rows], step=1.0 / self.fps, min_prob=LABEL_MIN_PROB
            )
            self.spans.extend(spans)
        self.times.extend(self._batch_t)
        self._batch = []
        self._batch_t = []
        self._source = []


def _signature(rgb: np.ndarray) -> np.ndarray:
    """Every 8th pixel of a frame as int16: what ``REUSE_MAX_DIFF`` compares."""
    return rgb[4::8, 4::8].astype(np.int16)


def _start_ocr(ocr_gap: float) -> FeedWorker[tuple[float, np.ndarray], list[TextSpan]]:
    """The OCR thread: reads the frames it is fed, at most one every ``ocr_gap`` seconds."""
    from vidgist.media.ocr import read_onscreen_text

    return FeedWorker(lambda frames: read_onscreen_text(frames, every=ocr_gap), "vidgist-ocr")


class _Heard:
    """How many seconds of the audio the speech thread has transcribed (written by that thread only)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, seconds: float) -> None:
        self.seconds = max(self.seconds, seconds)


def _start_speech(
    path: Path, model: str, damage: DamageReport, heard: _Heard, levels: list[np.ndarray]
) -> Background[list[TextSpan]]:
    """The speech thread: transcribes the audio beside decoding, reporting to ``heard`` and adding the
    sound's levels to ``levels``; stops when its ``stop`` is set."""
    return Background(lambda stop: _transcribe(path, model, stop, damage, heard, levels), "vidgist-asr")


def _sampled_frames(
    info: VideoInfo, fps: float, damage: DamageReport, keyframes_only: bool
) -> Generator[Any, None, None]:
    """Frames sampled at ``fps``, decoded in a background thread (closing the generator stops it)."""
    from vidgist.media import video as vio

    sparse = info.fps >= 4 * fps  # skipping B-frames is safe when samples are far apart
    return prefetch(
        lambda: vio.iter_sampled(
            info.path,
            fps,
            max_side=OCR_MAX_SIDE,
            skip_nonref=sparse,
            damage=damage,
            keyframes_only=keyframes_only,
        ),
        2 * BATCH,
    )


def _decode_embed(
    frames: Generator[Any, None, None],
    acc: _Embedded,
    reader: FeedWorker[tuple[float, np.ndarray], list[TextSpan]] | None,
    ocr_gap: float,
    advance: Callable[[], None],
) -> None:
    """Each sampled frame to the backbone (model size) and, every ``ocr_gap`` seconds, to OCR (the
    larger picture); the last partial batch is embedded too."""
    next_ocr = 0.0
    for frame in frames:
        t = frame.time
        rgb = frame.rgb(short_side=MODEL_SHORT_SIDE)
        if reader is not None and t >= next_ocr:
            reader.put((t, frame.rgb()))  # OCR reads the larger picture
            next_ocr = t + ocr_gap
        acc.add(t, rgb)
        advance()
    acc.flush()


def _after_decoding(
    prog: Progress, label: str, stage: str, stages: dict[str, float], wait: Callable[[], list[TextSpan]]
) -> list[TextSpan]:
    """``wait()``'s text spans, timed as stage ``"<stage> (after decoding)"`` in ``stages``."""
    clock = time.perf_counter()
    task = prog.add(label, total=None)
    out = wait()
    prog.finish(task)
    stages[f"{stage} (after decoding)"] = time.perf_counter() - clock
    return out


def _speech_after_decoding(
    prog: Progress,
    speech: Background[list[TextSpan]],
    heard: _Heard,
    duration: float,
    stages: dict[str, float],
) -> list[TextSpan]:
    """The speech thread's spans, its progress shown in seconds of audio transcribed (out of
    ``duration``) while it finishes; timed as stage ``"asr (after decoding)"``."""
    clock = time.perf_counter()
    task = prog.add("speech to text (seconds of audio)", total=max(duration, 1.0))
    shown = 0.0
    while True:
        done = speech.wait(SPEECH_POLL_S)
        step = min(heard.seconds, duration) - shown
        if step > 0:
            prog.advance(task, step)
            shown += step
        if done:
            break
    out = speech.result()
    prog.finish(task)
    stages["asr (after decoding)"] = time.perf_counter() - clock
    return out


def _stop_all(
    frames: Generator[Any, None, None] | None,
    reader: FeedWorker[Any, Any] | None,
    speech: Background[Any] | None,
    warm: threading.Thread,
) -> None:
    """Stop, then join, every thread ``collect`` started: each a no-op once finished; on errors and
    interrupts the decoding ends, OCR drops the frames not read yet, speech ends after the segment in
    hand, and the warm-up is waited for."""
    try:
        if frames is not None:
            frames.close()  # the decoding thread
    finally:
        try:
            if reader is not None:
                reader.cancel()
        finally:
            try:
                if speech is not None:
                    speech.cancel()
            finally:
                warm.join()


def _transcribe(
    path: Path,
    model: str,
    stop: threading.Event | None = None,
    damage: DamageReport | None = None,
    heard: Callable[[float], None] | None = None,
    levels: list[np.ndarray] | None = None,
) -> list[TextSpan]:
    """The speech spans of ``path``'s audio; its ``frame_levels`` are added to ``levels`` when given."""
    from vidgist.media import video as vio

    audio = vio.extract_audio(path, damage=damage, stop=stop)
    if audio is None or not audio.size or (stop is not None and stop.is_set()):
        return []
    if levels is not None:
        from vidgist.media.loudness import frame_levels

        levels.append(frame_levels(audio, vio.AUDIO_RATE))
    from vidgist.media.speech import AUTO, load_model, transcribe, transcribe_auto

    load_model("base" if model == AUTO else model)  # auto detects the language with base first
    if stop is not None and stop.is_set():
        return []
    if model == AUTO:
        return list(transcribe_auto(audio, stop=stop, progress=heard).spans)
    return transcribe(audio, model=model, stop=stop, progress=heard)


def _warm_up(backbone: Any) -> None:
    """Load what the later stages need (text model, scipy, matplotlib) while the video decodes.

    Best effort: a failure here is ignored, because the stage itself loads the same thing again and
    reports any error properly."""
    try:
        warm = getattr(backbone, "warm_up", None)
        if warm is not None:
            warm()
        import matplotlib
        import scipy.cluster.vq  # noqa: F401 - imported for its side effect (module cache)
        import scipy.ndimage  # noqa: F401

        matplotlib.use("Agg")
        import matplotlib.pyplot  # noqa: F401
    except Exception:  # noqa: BLE001 - see docstring
        pass


def _thumbnail(img: np.ndarray, height: int = 72) -> np.ndarray:
    """A small copy of a frame for the score plot."""
    from PIL import Image

    h, w = img.shape[:2]
    width = max(1, int(round(w * height / max(h, 1))))
    return np.asarray(Image.fromarray(img).resize((width, height)))
