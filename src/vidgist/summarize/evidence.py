"""Evidence for one video: sampled frames through the backbone, on-screen text, speech.

``collect(info, backbone, fps, ocr=True, asr_model="tiny.en") -> (Evidence, thumbnails, stage seconds)``.
Three threads share the work: decoding runs in its own thread (``vidgist.media.prefetch``) and hands
frames over unconverted; this thread converts the sampled ones straight to the frame model's size
and runs the backbone in batches; OCR reads one frame every ``duration / MAX_OCR_FRAMES`` seconds
(at least 1 s) in a third thread. Meanwhile a warm-up thread loads what the later stages need,
and speech is transcribed in another (``CONCURRENT_ASR``: 13 % less wall time on a 10-minute video,
for the audio array and the Whisper model being in memory during decoding). Memory is one batch of
frames plus the per-sample feature rows (filled in place) and text spans; freed heap pages are handed
back every ``TRIM_EVERY`` samples.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Generator
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
#: thumbnails kept for scores.png
N_THUMBS = 10
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
    Returns (evidence, thumbnails, wall seconds per stage).
    Decoding goes through damaged packets (``vidgist.media.damage``); what was lost is added to
    ``damage`` (the audio only when speech is transcribed). Raises InputError when no frame decodes or
    the damage passes the rule. On every exit, error or interrupt included, the decoding, OCR, speech
    and warm-up threads are stopped and joined before this returns or raises.
    """
    from vidgist.media import video as vio

    path = info.path
    if damage is None:
        damage = DamageReport(path)
    damage.set_duration(info.duration)
    stages: dict[str, float] = {}
    clock = time.perf_counter()
    n_expected = max(1, int(np.ceil(info.duration * fps)))
    thumb_times = list(np.linspace(0, info.duration, N_THUMBS + 2)[1:-1])
    ocr_gap = ocr_gap_for(info.duration)
    times: list[float] = []
    feats = RowBuffer(n_expected)  # filled in place: no second copy when the decoding ends
    bridged = RowBuffer(n_expected)
    thumbs: list[tuple[float, np.ndarray]] = []
    spans: list[TextSpan] = []
    batch: list[np.ndarray] = []
    batch_t: list[float] = []

    def flush() -> None:
        if not batch:
            return
        f = backbone.encode_frames(batch)
        feats.extend(f)
        bridged.extend(backbone.frames_to_text_space(batch, f))
        if hasattr(backbone, "frame_labels"):  # offline: labels feed the generated description
            from vidgist.backbones.offline import LABEL_K, LABEL_MIN_PROB, label_spans

            labels = backbone.frame_labels(batch, k=LABEL_K, frame_features=f)
            spans.extend(label_spans(batch_t, labels, step=1.0 / fps, min_prob=LABEL_MIN_PROB))
        times.extend(batch_t)
        batch.clear()
        batch_t.clear()

    reader: FeedWorker[tuple[float, np.ndarray], list[TextSpan]] | None = None
    if ocr:
        from vidgist.media.ocr import read_onscreen_text

        reader = FeedWorker(lambda frames: read_onscreen_text(frames, every=ocr_gap), "vidgist-ocr")
    warm = threading.Thread(target=_warm_up, args=(backbone,), name="vidgist-warm-up", daemon=True)
    warm.start()
    speech: Background[list[TextSpan]] | None = None
    if asr_model is not None and info.has_audio and CONCURRENT_ASR:
        model = asr_model
        speech = Background(lambda stop: _transcribe(path, model, stop, damage), "vidgist-asr")
    frames: Generator[Any, None, None] | None = None
    try:
        with Progress(progress) as prog:
            task = prog.add(f"decode + embed {Path(path).name}", total=n_expected)
            sparse = info.fps >= 4 * fps  # skipping B-frames is safe when samples are far apart
            next_ocr = 0.0
            frames = prefetch(
                lambda: vio.iter_sampled(
                    path,
                    fps,
                    max_side=OCR_MAX_SIDE,
                    skip_nonref=sparse,
                    damage=damage,
                    keyframes_only=keyframes_only,
                ),
                2 * BATCH,
            )
            for frame in frames:
                t = frame.time
                batch.append(frame.rgb(short_side=MODEL_SHORT_SIDE))
                batch_t.append(t)
                if thumb_times and t >= thumb_times[0]:
                    thumbs.append((t, _thumbnail(batch[-1])))
                    while thumb_times and t >= thumb_times[0]:
                        thumb_times.pop(0)
                if reader is not None and t >= next_ocr:
                    reader.put((t, frame.rgb()))  # OCR reads the larger picture
                    next_ocr = t + ocr_gap
                if len(batch) >= BATCH:
                    flush()
                    if len(times) % TRIM_EVERY < BATCH:
                        release_free_memory()  # keeps RSS flat in video length
                prog.advance(task, 1)
            flush()
            prog.finish(task)
            stages["decode+embed"] = time.perf_counter() - clock
            if not times:
                raise InputError(f"{path}: no video frames could be decoded; check the file plays")
            if reader is not None:
                clock = time.perf_counter()
                task = prog.add("on-screen text", total=None)
                spans.extend(reader.result())
                prog.finish(task)
                stages["ocr (after decoding)"] = time.perf_counter() - clock
            if asr_model is not None and info.has_audio:
                clock = time.perf_counter()
                task = prog.add("speech to text", total=None)
                spans.extend(
                    speech.result() if speech is not None else _transcribe(path, asr_model, damage=damage)
                )
                prog.finish(task)
                stages["asr (after decoding)"] = time.perf_counter() - clock
    finally:  # each a no-op once finished; on errors and interrupts: stop, then join
        if frames is not None:
            frames.close()  # the decoding thread
        if reader is not None:
            reader.cancel()  # OCR: drops the frames not read yet
        if speech is not None:
            speech.cancel()  # speech recognition ends after the segment in hand
        warm.join()

    evidence = Evidence(
        info=info,
        frames=Features(times=np.asarray(times, dtype=np.float64), vectors=feats.array()),
        frames_in_text_space=bridged.array(),
        spans=tuple(spans),
    )
    return evidence, thumbs, stages


def _transcribe(
    path: Path, model: str, stop: threading.Event | None = None, damage: DamageReport | None = None
) -> list[TextSpan]:
    from vidgist.media import video as vio

    audio = vio.extract_audio(path, damage=damage, stop=stop)
    if audio is None or not audio.size or (stop is not None and stop.is_set()):
        return []
    from vidgist.media.speech import load_model, transcribe

    load_model(model)
    if stop is not None and stop.is_set():
        return []
    return transcribe(audio, model=model, stop=stop)


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
