"""Search-query suggestions for a video file: a trained QMS checkpoint, or a zero-shot generator.

``QueryGenerator(checkpoint=None, asr_model="base").suggest(path, n=5)`` samples one keyframe per second
(at most 32, evenly spread over longer videos, as in the QMS paper), transcribes the speech, reads
on-screen text, then

- with a checkpoint: encodes the keyframes with the backbone the checkpoint was trained on and generates
  with beam search (beam 4, more beams when more suggestions are asked for); mode ``"qms"``;
- without one: ranks short key phrases (from the transcript, the on-screen text and the frames' ImageNet
  labels) by embedding similarity to the whole video; mode ``"zero-shot"``.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.errors import ModelError
from vidgist.media.damage import DamageReport
from vidgist.models.qms_text import STOPWORDS, join_words, split_words

MAX_KEYFRAMES = 32
_CLAUSE_RE = re.compile(r"[.,!?;:\u3002\uff0c\uff01\uff1f\uff1b\uff1a\u3001\n]+")


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
    #: what a damaged file lost (``vidgist.media.damage.DamageReport.to_json``); None when intact
    damage: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["suggestions"] = [{"query": q, "score": round(s, 4)} for q, s in self.suggestions]
        d["seconds"] = {k: round(v, 3) for k, v in self.seconds.items()}
        return d


def keyframes(path: str | Path, max_frames: int = MAX_KEYFRAMES,
              damage: DamageReport | None = None) -> list[tuple[float, np.ndarray]]:
    """One frame per second, at most ``max_frames`` spread evenly over the video (decoded around
    damaged packets, recorded in ``damage``)."""
    from vidgist.media.video import iter_frames, probe

    info = probe(path)
    if damage is not None:
        damage.set_duration(info.duration)
    fps = 1.0 if info.duration <= max_frames else max_frames / max(info.duration, 1e-6)
    frames = list(iter_frames(path, fps=fps, max_side=320, damage=damage))
    if len(frames) > max_frames:
        idx = np.linspace(0, len(frames) - 1, max_frames).round().astype(int)
        frames = [frames[int(i)] for i in idx]
    return frames


def candidate_phrases(text: str, max_words: int = 3) -> list[str]:
    """Query-like phrases of ``text``: runs of up to ``max_words`` consecutive content words.

    Phrases never cross sentence or clause punctuation.
    """
    out: list[str] = []
    for clause in _CLAUSE_RE.split(text):
        for chunk in _content_runs(split_words(clause)):
            for n in range(1, max_words + 1):
                for i in range(len(chunk) - n + 1):
                    out.append(join_words(chunk[i : i + n]))
    return out


def _content_runs(words: list[str]) -> list[list[str]]:
    runs: list[list[str]] = [[]]
    for w in words:
        if w in STOPWORDS or w.isdigit() or len(w) < 2 and not w.isalpha():
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(w)
    return [r for r in runs if r]


def zero_shot_queries(
    transcript: str,
    onscreen: list[str],
    labels: list[str],
    video_vec: np.ndarray | None,
    encode: Any,
    n: int = 5,
    label_weight: float = 0.85,
) -> list[tuple[str, float]]:
    """Rank candidate phrases by cosine to the video vector, query-like phrases first.

    Candidates are runs of 1-3 content words from the transcript and on-screen text, and the frames'
    labels (scores times ``label_weight``: ImageNet labels are often wrong on real videos). Small bonuses
    go to phrases said or shown more than once and to two- and three-word phrases. ``encode`` maps strings
    to L2-normalised vectors; ``video_vec`` None ranks by the bonuses alone. Returns at most ``n``
    phrases, none sharing all its words with a better-ranked one.
    """
    counts: dict[str, int] = {}
    from_label: set[str] = set()
    for src in [transcript, *onscreen]:
        for p in candidate_phrases(src):
            counts[p] = counts.get(p, 0) + 1
    for lab in labels:
        for p in candidate_phrases(lab, max_words=3):
            if p not in counts:
                from_label.add(p)
            counts[p] = counts.get(p, 0) + 1
    cands = sorted(counts)
    if not cands:
        return []
    freq = np.array([counts[c] for c in cands], dtype=np.float64)
    n_words = np.array([len(c.split()) for c in cands], dtype=np.float64)
    bonus = 0.05 * np.log1p(freq - 1) + 0.03 * np.minimum(n_words - 1, 2)
    weight = np.array([label_weight if c in from_label else 1.0 for c in cands])
    if video_vec is not None:
        vecs = np.asarray(encode(cands), dtype=np.float64)
        v = video_vec / max(float(np.linalg.norm(video_vec)), 1e-12)
        score = weight * (vecs @ v) + bonus
    else:
        score = bonus
    order = np.argsort(-score, kind="stable")
    picked: list[tuple[str, float]] = []
    for i in order:
        c = cands[int(i)]
        words = set(c.split())
        if any(words <= set(p.split()) or set(p.split()) <= words for p, _ in picked):
            continue
        picked.append((c, float(score[int(i)])))
        if len(picked) == n:
            break
    return picked


def video_vector(text_vecs: np.ndarray | None, frame_vecs: np.ndarray | None) -> np.ndarray | None:
    """The whole video in the text space: the mean of the text mean and the frame mean (modalities equal)."""
    parts = [
        np.asarray(v, dtype=np.float64).mean(0) for v in (text_vecs, frame_vecs) if v is not None and len(v)
    ]
    return np.mean(parts, 0) if parts else None


class QueryGenerator:
    """Suggest search queries for video files (see module docstring)."""

    def __init__(
        self,
        checkpoint: str | Path | None = None,
        asr_model: str = "base",
        backbone: str = "auto",
        ocr: bool = True,
        num_beams: int = 4,
    ):
        from vidgist.media.speech import check_model_name

        check_model_name(asr_model)
        self.checkpoint = Path(checkpoint) if checkpoint else None
        self.asr_model = asr_model
        self.backbone_spec = backbone
        self.ocr = ocr
        self.num_beams = num_beams
        self._model: Any = None
        self._tok: Any = None
        self._meta: dict[str, Any] = {}
        self._backbone: Any = None
        if self.checkpoint is not None:
            from vidgist.qms.checkpoint import load_checkpoint

            self._model, self._tok, self._meta = load_checkpoint(self.checkpoint)
            self.backbone_spec = str(self._meta.get("feature_backbone", "offline"))

    @property
    def backbone(self) -> Any:
        if self._backbone is None:
            from vidgist.backbones import load_backbone

            self._backbone = load_backbone(self.backbone_spec)
            if self._model is not None and int(self._backbone.frame_dim) != int(self._model.cfg.frame_dim):
                raise ModelError(
                    f"{self.checkpoint}: trained on {self._model.cfg.frame_dim}-d features but backbone "
                    f"{self._backbone.name} gives {self._backbone.frame_dim}-d; use the training backbone"
                )
        return self._backbone

    def suggest(self, path: str | Path, n: int = 5) -> QuerySuggestions:
        """Ranked suggestions for one video file; raises InputError for an unusable file."""
        from vidgist.media.speech import transcribe
        from vidgist.media.video import extract_audio

        secs: dict[str, float] = {}
        t0 = time.perf_counter()
        damage = DamageReport(path)
        frames = keyframes(path, damage=damage)
        images = [im for _, im in frames]
        secs["keyframes"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        audio = extract_audio(path, damage=damage)
        spans = transcribe(audio, model=self.asr_model) if audio is not None and len(audio) else []
        transcript = " ".join(s.text.strip() for s in spans).strip()
        secs["transcript"] = time.perf_counter() - t0
        onscreen: list[str] = []
        if self.ocr and images:
            from vidgist.media.ocr import read_onscreen_text

            t0 = time.perf_counter()
            onscreen = [s.text.strip() for s in read_onscreen_text(frames, every=1.0) if s.text.strip()]
            secs["ocr"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        bb = self.backbone
        feats = bb.encode_frames(images) if images else np.zeros((0, int(bb.frame_dim)), dtype=np.float32)
        secs["features"] = time.perf_counter() - t0
        labels: list[str] = []
        if hasattr(bb, "frame_labels") and images:
            seen: list[str] = []
            for labs in bb.frame_labels(images, k=1, frame_features=feats):
                for name, p in labs:
                    if p >= 0.2 and name not in seen:
                        seen.append(name)
            labels = seen
        t0 = time.perf_counter()
        if self._model is not None:
            mode = "qms"
            sugg = self._generate(transcript, feats, n)
        else:
            mode = "zero-shot"
            parts = [v for v in ([transcript] if transcript else []) + [" ".join(onscreen)] if v.strip()]
            text_vecs = bb.encode_texts(parts) if parts else None
            frame_vecs = bb.frames_to_text_space(images, feats) if images else None
            video_vec = video_vector(text_vecs, frame_vecs)
            sugg = zero_shot_queries(transcript, onscreen, labels, video_vec, bb.encode_texts, n)
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
            damage.to_json() if damage.damaged else None,
        )

    def _generate(self, transcript: str, feats: np.ndarray, n: int) -> list[tuple[str, float]]:
        from vidgist.data.qms_items import QMSItem
        from vidgist.qms.encode import encode_items
        from vidgist.qms.generate import generate_texts

        cfg = self._model.cfg
        item = QMSItem(
            "video",
            ("",),
            transcript,
            np.asarray(feats, dtype=np.float32)
            if len(feats)
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
