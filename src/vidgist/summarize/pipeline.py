"""The end-to-end summarization pipeline: video -> evidence -> scores -> key shots -> outputs.

``Summarizer(...).summarize(path, queries, budget)`` is the Python API behind
``vidgist summarize``. Stages (see DESIGN.md): decode and sample frames (streaming), embed
them with the backbone, transcribe speech and read on-screen text, score every sampled moment
for the queries (or the video's own description when there are none), cut shots (KTS or
uniform), pick key shots by an exact 0/1 knapsack under the length budget, and write
summary.json, summary.mp4 and scores.png atomically.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from vidgist.errors import InputError
from vidgist.media.damage import DamageReport
from vidgist.summarize import DEFAULT_BUDGET
from vidgist.summarize.result import SummaryResult
from vidgist.types import Evidence
from vidgist.util.memory import release_free_memory
from vidgist.util.progress import Progress
from vidgist.util.ranges import check_range

if TYPE_CHECKING:
    from vidgist.summarize.chapters import ChapterParams

#: highest sampling rate accepted: beyond 60/s samples repeat source frames and KTS (O(N^2)) only slows down
MAX_FPS = 60.0


#: the frame counts ``collect`` reports beside its stage seconds (summary.json's ``frames``)
FRAME_COUNTS = ("frames embedded", "frames reused")


def normalize_queries(queries: str | Sequence[str] | None) -> list[str] | None:
    """None -> None (generic summary); a string -> [string]; a list -> stripped list.

    Raises InputError for an empty list entry or a whitespace-only query. Order is kept and
    nothing is padded or sampled, so the same input always gives the same output.
    """
    if queries is None:
        return None
    items = [queries] if isinstance(queries, str) else list(queries)
    if not items:
        return None
    out = []
    for q in items:
        if not isinstance(q, str) or not q.strip():
            raise InputError(
                "query is empty or whitespace-only: give a sentence with -q, or none for a generic summary"
            )
        out.append(" ".join(q.split()))
    return out


def check_budget(budget: float | None, max_seconds: float | None) -> None:
    """Budget is a ratio in (0, 1]; max_seconds is positive. Raise InputError otherwise."""
    check_range("--budget", budget, 0, 1, noun="ratio", example="e.g. 0.15 for 15% of the video")
    check_range("--max-seconds", max_seconds, 0, None, noun="number of seconds")


def checked_budget(budget: float | None, max_seconds: float | None) -> float | None:
    """The budget to run with: ``budget``, or ``DEFAULT_BUDGET`` when neither it nor ``max_seconds`` is
    given; InputError when either is out of range (:func:`check_budget`)."""
    if budget is None and max_seconds is None:
        budget = DEFAULT_BUDGET
    check_budget(budget, max_seconds)
    return budget


def check_min_relevance(min_relevance: float | None) -> None:
    """``min_relevance`` is None or in [0, 1]; raise InputError otherwise."""
    check_range(
        "--min-relevance",
        min_relevance,
        0,
        1,
        low_inclusive=True,
        noun="calibrated relevance",
        example="0.5 = plausibly related",
    )


def check_chapter_count(chapter_count: float | None) -> None:
    """``chapter_count`` is None or a whole number of at least 1; raise InputError otherwise."""
    check_range(
        "--chapter-count",
        chapter_count,
        1,
        None,
        low_inclusive=True,
        noun="whole number of chapters",
        integer=True,
        example="e.g. 8 for a talk of eight sections",
    )


def chapter_params(chapter_count: int | None, spoken_transitions: bool = False) -> ChapterParams:
    """The chapter rule's constants, with the number of chapters from speech fixed when given and, with
    ``spoken_transitions``, boundaries moved onto sentences that open a new topic aloud
    (``TopicParams.shift_cues``)."""
    from vidgist.summarize.chapters import ChapterParams
    from vidgist.summarize.topic_segments import TopicParams

    if chapter_count is None and not spoken_transitions:
        return ChapterParams()
    count = None if chapter_count is None else int(chapter_count) - 1
    return ChapterParams(topics=TopicParams(count=count, shift_cues=spoken_transitions))


def budget_in_seconds(budget: float | None, max_seconds: float | None, duration: float) -> float:
    """The summary length cap: the smaller of ``budget x duration`` and ``max_seconds``;
    ``DEFAULT_BUDGET`` of the duration when neither is given."""
    limits = []
    if budget is not None:
        limits.append(budget * duration)
    if max_seconds is not None:
        limits.append(max_seconds)
    return min(limits) if limits else DEFAULT_BUDGET * duration


class Summarizer:
    """Query-focused video summarizer (CLIP-It style), zero-shot or with a trained checkpoint.

    ``backbone``: "auto" | "offline" | "clip[:MODEL[:PATH]]"; ``scorer``: "zero-shot" or a
    checkpoint path (CLIP-It/baselines, or SSPVS from `vidgist train sspvs`); ``fps``: sampling rate
    (None: ``vidgist.media.video.default_fps``); ``asr`` and
    ``ocr`` turn the speech and on-screen-text channels on; ``asr_model``: "auto" (Whisper tiny.en, or
    multilingual base for speech in another language: ``media.speech.transcribe_auto``), "tiny.en",
    "base" or a CTranslate2 Whisper folder; ``shots``: "kts" | "uniform:SECONDS".
    Models are loaded once, on first use, and reused across videos.
    """

    def __init__(
        self,
        backbone: str = "auto",
        scorer: str = "zero-shot",
        fps: float | None = None,
        asr: bool = True,
        asr_model: str = "auto",
        ocr: bool = True,
        shots: str = "kts",
        progress: bool = False,
    ) -> None:
        from vidgist.summarize.shots import parse_shots_spec
        from vidgist.util.threads import passive_openmp

        passive_openmp()  # before Whisper loads: its OpenMP workers would spin (vidgist.util.threads)
        check_range("--fps", fps, 0, MAX_FPS, noun="number of frames per second")
        parse_shots_spec(shots)  # validate early
        if asr:
            from vidgist.media.speech import check_model_name

            check_model_name(asr_model)
        self.backbone_spec = backbone
        self.scorer_spec = scorer
        self.fps = fps
        self.asr = asr
        self.asr_model = asr_model
        self.ocr = ocr
        self.shots = shots
        self.progress = progress
        self._backbone: Any = None
        self._scorer: Any = None
        self._timings: dict[str, float] = {}
        self._frames: dict[str, int] = {}

    def _add_time(self, stage: str, seconds: float) -> None:
        """Add ``seconds`` to ``stage`` in this run's timings."""
        self._timings[stage] = round(self._timings.get(stage, 0.0) + seconds, 3)

    def _lap(self, stage: str, since: float) -> float:
        """Record ``stage`` as taking from ``since`` until now; return now."""
        now = time.perf_counter()
        self._add_time(stage, now - since)
        return now

    # -- lazily loaded models -------------------------------------------------
    @property
    def backbone(self) -> Any:
        """The loaded Backbone (loads on first access)."""
        if self._backbone is None:
            from vidgist.backbones import load_backbone

            self._backbone = load_backbone(self.backbone_spec)
        return self._backbone

    @property
    def scorer(self) -> Any:
        """The loaded FrameScorer (loads on first access)."""
        if self._scorer is None:
            if self.scorer_spec in ("zero-shot", "zeroshot", "zero_shot"):
                from vidgist.scorers.zero_shot import ZeroShotScorer

                self._scorer = ZeroShotScorer()
            else:
                from vidgist.scorers.checkpoint import CheckpointScorer
                from vidgist.scorers.sspvs import SSPVSScorer, is_sspvs_checkpoint

                kind = SSPVSScorer if is_sspvs_checkpoint(self.scorer_spec) else CheckpointScorer
                self._scorer = kind(self.scorer_spec, self.backbone)
        return self._scorer

    # -- stages ---------------------------------------------------------------
    def collect_evidence(
        self, path: str | os.PathLike[str], damage: DamageReport | None = None
    ) -> tuple[Evidence, float, list[tuple[float, np.ndarray]]]:
        """Decode, sample, embed, transcribe and OCR one video. Returns (evidence, fps, thumbnails).

        Damaged packets are decoded around and recorded in ``damage`` (``vidgist.media.damage``);
        InputError when the damage passes the rule."""
        from vidgist.media import video as vio
        from vidgist.summarize.evidence import collect

        clock = time.perf_counter()
        info = vio.probe(path)
        fps = self.fps or vio.default_fps(info.duration)
        if self._backbone is None:
            with Progress(self.progress) as prog:
                task = prog.add(f"load backbone '{self.backbone_spec}'", total=None)
                _ = self.backbone
                prog.finish(task)
        self._lap("load", clock)
        evidence, thumbs, stages = collect(
            info,
            self.backbone,
            fps,
            ocr=self.ocr,
            asr_model=self.asr_model if self.asr else None,
            progress=self.progress,
            damage=damage,
        )
        for key in FRAME_COUNTS:
            self._frames[key.split()[-1]] = int(stages.pop(key, 0))
        for stage, seconds in stages.items():
            self._add_time(stage, seconds)
        return evidence, fps, thumbs

    def summarize(
        self,
        path: str | os.PathLike[str],
        queries: str | Sequence[str] | None = None,
        budget: float | None = None,
        max_seconds: float | None = None,
        min_relevance: float | None = None,
        fill: bool = False,
        protocol: bool = False,
        chapter_count: int | None = None,
        spoken_transitions: bool = False,
    ) -> SummaryResult:
        """Summarize one video. ``budget`` is a ratio of the duration, ``max_seconds`` a cap in seconds:
        when both are given the smaller wins, when neither is the budget is ``DEFAULT_BUDGET``, and
        ``max_seconds`` alone is the cap. With queries the summary holds only moments whose calibrated
        relevance is at least ``min_relevance`` (default ``relevance.MIN_RELEVANCE``; the budget is then a
        maximum and the result may be empty: ``result.match`` says so) unless ``fill`` (TVSum protocol:
        fill the budget with the best-scoring shots). Without queries the summary covers every chapter
        (``vidgist.summarize.coverage``) unless ``protocol`` (or ``fill``) asks for the TVSum/SumMe
        knapsack on mean shot scores; chapters (``result.chapters``) are found in every mode. A damaged
        file is summarized from what decodes; ``result.damage`` then says what was lost (None for an
        intact file). ``chapter_count`` fixes how many chapters the speech is cut into when chapters come
        from the transcript (talks without title cards or spoken headings); None finds the count.
        ``spoken_transitions`` lets such chapters start on a sentence that opens a new topic aloud ("Next,
        ...", "Moving on, ..."; ``TopicParams.shift_cues``), for talks that say them."""
        qs = normalize_queries(queries)
        check_budget(budget, max_seconds)
        check_min_relevance(min_relevance)
        check_chapter_count(chapter_count)
        if not Path(path).exists():
            raise InputError(f"{path}: no such file; check the path")
        self._timings = {}
        self._frames = {}
        clock = time.perf_counter()
        _ = self.scorer  # load (and check a checkpoint against the backbone) before decoding
        self._lap("load", clock)
        damage = DamageReport(path)
        evidence, fps, thumbs = self.collect_evidence(path, damage=damage)
        return self.summarize_evidence(
            evidence,
            fps,
            thumbs,
            qs,
            budget,
            max_seconds,
            min_relevance,
            fill,
            damage=damage if damage.damaged else None,
            protocol=protocol,
            chapter_count=chapter_count,
            spoken_transitions=spoken_transitions,
        )

    def summarize_evidence(
        self,
        evidence: Evidence,
        fps: float,
        thumbs: list[tuple[float, np.ndarray]],
        queries: str | Sequence[str] | None = None,
        budget: float | None = None,
        max_seconds: float | None = None,
        min_relevance: float | None = None,
        fill: bool = False,
        damage: DamageReport | None = None,
        protocol: bool = False,
        chapter_count: int | None = None,
        spoken_transitions: bool = False,
    ) -> SummaryResult:
        """The stages after ``collect_evidence`` (score, relevance, shots, selection) on its output; the
        arguments are those of ``summarize`` (``damage``: what the decoding lost, reported as is). Lets one
        video be summarized for many queries cheaply."""
        from vidgist.summarize.chapters import find_chapters
        from vidgist.summarize.coverage import select_covering
        from vidgist.summarize.relevance import MIN_RELEVANCE
        from vidgist.summarize.select import select_keyshots
        from vidgist.summarize.shots import (
            kts_change_points,
            parse_shots_spec,
            shots_from_change_points,
            split_long_shots,
            uniform_shots,
        )

        qs = normalize_queries(queries)
        check_budget(budget, max_seconds)
        check_min_relevance(min_relevance)
        check_chapter_count(chapter_count)
        threshold = MIN_RELEVANCE if min_relevance is None else float(min_relevance)
        scorer = self.scorer
        info = evidence.info
        clock = time.perf_counter()
        release_free_memory()
        from vidgist.scorers.zero_shot import ZeroShotScorer, ZeroShotWeights

        similarities = None
        # the text channels encoded once for both, when the scorer's similarities are the calibrated ones
        # (the relevance constants were fitted with the default lexical weight)
        if (
            qs is not None
            and isinstance(scorer, ZeroShotScorer)
            and scorer.weights.lexical == ZeroShotWeights().lexical
        ):
            similarities = scorer.channel_similarities(evidence, qs, self.backbone)
            timeline = scorer.score_similarities(evidence, similarities, self.backbone)
        else:
            timeline = scorer.score(evidence, qs, self.backbone)
        rel = None if qs is None else self.relevance(evidence, qs, similarities)
        description = None
        if qs is None:
            from vidgist.scorers.zero_shot import describe

            description = describe(evidence)
        clock = self._lap("score", clock)

        spec = parse_shots_spec(self.shots)
        if spec.kind == "uniform" and spec.seconds:
            shots = uniform_shots(info.duration, spec.seconds)
        else:
            cps = kts_change_points(evidence.frames.vectors)
            shots = shots_from_change_points(evidence.frames.times, cps, info.duration)

        budget_seconds = budget_in_seconds(budget, max_seconds, info.duration)
        from vidgist.backbones import chinese_sentence_encoder, sentence_encoder

        chapters = find_chapters(
            evidence,
            shots,
            sentence_encoder(self.backbone),
            chapter_params(chapter_count, spoken_transitions),
            chinese_encode_texts=chinese_sentence_encoder(),
        )
        from vidgist.summarize.speech_edges import chapter_onsets

        chapters = chapter_onsets(chapters, evidence)
        clock = self._lap("chapters", clock)
        fill = fill or protocol
        selection = "knapsack" if fill or rel is None else "relevant"
        if rel is None and not fill:
            segments: list[Any] = select_covering(
                timeline.times,
                timeline.scores,
                chapters.cover_ranges(),
                budget_seconds,
                chapters.key_spans,
            )
            selection = "coverage"
        elif rel is None or fill:
            if spec.kind != "uniform":  # shots the user asked for (--shots uniform:S) are kept as asked
                shots = split_long_shots(shots, max(budget_seconds / 2, 2.0 / fps))
            segments = select_keyshots(timeline.times, timeline.scores, shots, budget_seconds)
        else:
            from vidgist.summarize.select import select_relevant

            segments = select_relevant(
                timeline.times, rel.per_query, timeline.scores, budget_seconds, threshold, info.duration
            )
        if not protocol:  # the protocols score the key shots as selected
            from vidgist.summarize.speech_edges import snap_to_pauses

            segments = snap_to_pauses(segments, evidence, rel.best_moments() if rel is not None else ())
        match = None
        if rel is not None:
            if fill:  # the protocol's key shots know nothing of relevance; select_relevant's already do
                from vidgist.summarize.select import annotate

                segments = annotate(
                    segments, rel.times, rel.per_query, timeline.scores, threshold, info.duration
                )
            match = rel.match(threshold, "fill" if fill else "relevant")
        self._lap("shots+select", clock)
        transcript = [s for s in evidence.spans if s.source == "speech"]
        onscreen = [s for s in evidence.spans if s.source == "ocr"]
        return SummaryResult(
            info=info,
            sample_fps=fps,
            backbone=self.backbone.name,
            backbone_reason=getattr(self.backbone, "reason", ""),
            scorer=scorer.name,
            queries=qs,
            description=description,
            timeline=timeline,
            shots=list(shots),
            segments=list(segments),
            transcript=transcript,
            onscreen_text=onscreen,
            thumbnails=thumbs,
            budget_seconds=budget_seconds,
            timings=dict(self._timings),
            frames=dict(self._frames),
            relevance=rel,
            match=match,
            damage=damage,
            chapters=chapters,
            selection=selection,
        )

    def relevance(
        self, evidence: Evidence, queries: Sequence[str], similarities: dict[str, np.ndarray] | None = None
    ) -> Any:
        """The calibrated relevance (``vidgist.summarize.relevance.Relevance``) of every moment of
        ``evidence`` for each query, from the zero-shot channels whatever the scorer (``similarities``:
        ``ZeroShotScorer.channel_similarities`` of these queries when already computed)."""
        from vidgist.summarize.relevance import relevance, relevance_channels

        channels = relevance_channels(evidence, queries, self.backbone, similarities)
        return relevance(
            evidence.frames.times, channels, queries, bool(self.backbone.joint), evidence.info.duration
        )
