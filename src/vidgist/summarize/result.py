"""The result of one summarization and the files it writes: summary.json (ModelScope-compatible
segments), summary.mp4, scores.png."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.media.damage import DamageReport
from vidgist.summarize.chapters import ChapterSet
from vidgist.summarize.relevance import Match, Relevance
from vidgist.types import Channel, Segment, TextSpan, Timeline, VideoInfo
from vidgist.util.atomic import atomic_path, ensure_writable_dir, write_json
from vidgist.version import __version__


def format_timestamp(seconds: float) -> str:
    """Seconds -> 'hh:mm:ss.fff'."""
    ms = int(round(max(seconds, 0.0) * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


@dataclass(frozen=True)
class SummaryResult:
    """Everything one summarization produced; ``save`` writes the three outputs."""

    info: VideoInfo
    sample_fps: float
    backbone: str
    backbone_reason: str
    scorer: str
    queries: list[str] | None
    description: list[str] | None
    timeline: Timeline
    shots: list[tuple[float, float]]
    segments: list[Segment]
    transcript: list[TextSpan]
    onscreen_text: list[TextSpan]
    thumbnails: list[tuple[float, np.ndarray]] = field(repr=False)
    budget_seconds: float = 0.0
    #: wall seconds per stage (load, decode+embed, ocr, asr, score, shots+select); save() adds its own
    timings: dict[str, float] = field(default_factory=dict)
    #: sampled frames run through the frame model ("embedded") and given a near-identical previous
    #: sample's features ("reused"; ``vidgist.summarize.evidence.REUSE_MAX_DIFF``)
    frames: dict[str, int] = field(default_factory=dict)
    #: query mode: calibrated relevance per query and moment, and what matched (None in generic mode)
    relevance: Relevance | None = field(default=None, repr=False)
    match: Match | None = None
    #: what a damaged file lost (``vidgist.media.damage``); None when it decoded cleanly
    damage: DamageReport | None = None
    #: topical chapters (``vidgist.summarize.chapters``); None when not computed
    chapters: ChapterSet | None = None
    #: how segments were chosen: "coverage" (generic default), "relevant" (queries), "knapsack" (TVSum/SumMe)
    selection: str = "knapsack"

    @property
    def summary_seconds(self) -> float:
        """Total length of the selected segments."""
        return float(sum(s.end - s.start for s in self.segments))

    def to_json(self) -> dict[str, Any]:
        """The summary.json document (fields: docs/cli.md, "Outputs of vidgist summarize")."""
        return summary_document(self)

    def save(
        self,
        outdir: str | os.PathLike[str],
        video: bool = True,
        plot: bool = True,
        fast: bool = False,
        progress: bool = False,
        video_preset: str = "ultrafast",
    ) -> dict[str, Path]:
        """Write summary.json, summary.mp4 (unless video=False or nothing was selected) and scores.png into
        ``outdir``, atomically (each file, and the set: when one fails or the run is interrupted, those
        already written go).

        ``video_preset``: the x264 preset of summary.mp4 (``vidgist.media.cut.X264_PRESETS``). Returns the
        paths written."""
        import time

        from vidgist.util.progress import Progress

        out = ensure_writable_dir(Path(outdir))
        paths: dict[str, Path] = {}
        doc = summary_document(self)
        try:
            clock = time.perf_counter()
            doc["summary_video"] = None  # documented key: null with video=False (--no-video) or no segment
            if video and self.segments:
                from vidgist.media.cut import write_summary_video
                from vidgist.util.memory import release_free_memory

                release_free_memory()  # the encoder's buffers then start from a trimmed heap

                with Progress(progress) as prog:
                    label = "write summary.mp4" + (" (fast: cuts at key frames)" if fast else "")
                    task = prog.add(label, total=None)
                    spans = [(s.start, s.end) for s in self.segments]
                    used: dict[str, str] = {}
                    written = write_summary_video(
                        self.info.path, spans, out / "summary.mp4", fast=fast, preset=video_preset, used=used
                    )
                    paths["video"] = Path(written)
                    prog.finish(task)
                modes = {
                    "smart": "smart cut: exact cuts, copied between key frames "
                    f"(x264 {video_preset} at the cuts)",
                    "reencode": f"re-encoded, exact cuts (x264 {video_preset})",
                    "copy": "stream-copy at key frames",
                }
                doc["summary_video"] = {"path": "summary.mp4", "mode": modes[used["mode"]]}
                doc["timings_s"]["write video"] = round(time.perf_counter() - clock, 3)
                clock = time.perf_counter()
            if plot:
                plot_scores(self, out / "scores.png")
                paths["plot"] = out / "scores.png"
                doc["timings_s"]["plot"] = round(time.perf_counter() - clock, 3)
            write_json(out / "summary.json", doc)
            paths["json"] = out / "summary.json"
        except BaseException:  # an error or Ctrl-C part way: no partial set of outputs is left
            for written_path in paths.values():
                written_path.unlink(missing_ok=True)
            raise
        return paths


def _r(x: float, nd: int = 3) -> float:
    return float(round(float(x), nd))


def segment_frames(start: float, end: float, fps: float, n_frames: int) -> list[int]:
    """Source-video frame numbers [first, last] covered by [start, end), as ModelScope reports them."""
    f0 = int(round(start * fps))
    f1 = max(f0, int(round(end * fps)) - 1)
    if n_frames > 0:
        f0, f1 = min(f0, n_frames - 1), min(f1, n_frames - 1)
    return [f0, f1]


def summary_document(r: SummaryResult) -> dict[str, Any]:
    """The summary.json document."""

    info = r.info
    doc: dict[str, Any] = {
        "vidgist_version": __version__,
        "video": str(info.path),
        "duration": _r(info.duration),
        "source_fps": _r(info.fps, 6),
        "sample_fps": _r(r.sample_fps, 6),
        "backbone": r.backbone,
        "backbone_reason": r.backbone_reason,
        "scorer": r.scorer,
        "queries": r.queries,
        "budget_seconds": _r(r.budget_seconds),
        "summary_seconds": _r(r.summary_seconds),
        "timings_s": dict(r.timings),
        "frames": dict(r.frames),
        "timeline": {"t": [_r(t) for t in r.timeline.times], "score": [_r(s, 4) for s in r.timeline.scores]},
        "shots": [[_r(a), _r(b)] for a, b in r.shots],
        "segments": [
            {
                "start": _r(s.start),
                "end": _r(s.end),
                "frame": segment_frames(s.start, s.end, info.fps, info.n_frames),
                "timestamps": [format_timestamp(s.start), format_timestamp(s.end)],
                "score": _r(s.score, 4),
                **({"chapter": r.chapters.index_at(0.5 * (s.start + s.end))} if r.chapters else {}),
            }
            for s in r.segments
        ],
        "selection": r.selection,
    }
    if r.chapters is not None:
        doc["chapters"] = [
            {"start": _r(c.start), "end": _r(c.end), "title": c.title, "title_source": c.title_source}
            for c in r.chapters.chapters
        ]
        doc["chapters_basis"] = r.chapters.basis
    if r.relevance is not None:
        add_relevance(doc, r)
    if r.damage is not None:
        doc["damage"] = r.damage.to_json()
    if r.description is not None:
        doc["description"] = r.description
    # always present (empty when ASR/OCR was off or found nothing), as documented
    for channel, spans in ((Channel.SPEECH, r.transcript), (Channel.SCREEN, r.onscreen_text)):
        doc[str(channel.summary_key)] = [
            {"start": _r(s.start), "end": _r(s.end), "text": s.text} for s in spans
        ]
    return doc


def add_relevance(doc: dict[str, Any], r: SummaryResult) -> None:
    """Query mode: ``timeline.relevance``, each segment's ``relevance`` and ``queries`` (the queries it
    serves), the ``match`` object and ``per_query`` (each query's match and relevance timeline)."""
    rel = r.relevance
    if rel is None:
        return
    doc["timeline"]["relevance"] = [_r(x, 4) for x in rel.overall]
    for seg_doc, seg in zip(doc["segments"], r.segments, strict=True):
        seg_doc["relevance"] = _r(getattr(seg, "relevance", 0.0), 4)
        seg_doc["queries"] = [rel.queries[i] for i in getattr(seg, "queries", ())]
    m = r.match
    if m is None:
        return
    doc["match"] = {
        "matched": m.matched,
        "best_relevance": _r(m.best_relevance, 4),
        "best_time": _r(m.best_time),
        "threshold": _r(m.threshold, 4),
        "mode": m.mode,
        "relevant_seconds": _r(m.relevant_seconds),
        "budget_seconds": _r(r.budget_seconds),
        "summary_seconds": _r(r.summary_seconds),
    }
    doc["per_query"] = [
        {
            "query": q,
            "matched": qm.matched,
            "best_relevance": _r(qm.best_relevance, 4),
            "best_time": _r(qm.best_time),
            "relevant_seconds": _r(qm.relevant_seconds),
            "segments": [k for k, seg in enumerate(r.segments) if i in getattr(seg, "queries", ())],
            "relevance": [_r(x, 4) for x in rel.per_query[i]],
        }
        for i, (q, qm) in enumerate(zip(rel.queries, m.per_query, strict=True))
    ]


def no_match_message(r: SummaryResult) -> str | None:
    """The one-line answer when no moment clears the threshold (relevant-only mode), else None."""
    m = r.match
    if m is None or m.matched or m.mode != "relevant":
        return None
    names = " / ".join(f'"{q}"' for q in (r.queries or []))
    return (
        f"no moment matches {names} (best relevance {m.best_relevance:.2f} at "
        f"{format_timestamp(m.best_time)[:-2]}); use --fill for the best moments anyway"
    )


#: fonts that draw CJK queries in scores.png, tried in order after DejaVu Sans (glyph by glyph)
CJK_FONTS = (
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)


def unmatched_queries(r: SummaryResult) -> list[str]:
    """The queries with no moment above the threshold when at least one other query matched."""
    m = r.match
    if m is None or not m.matched or r.relevance is None:
        return []
    return [q for q, qm in zip(r.relevance.queries, m.per_query, strict=True) if not qm.matched]


#: file-name parts of CJK font files, looked for when matplotlib's font list (cached) has none
CJK_FONT_FILES = ("wqy-zenhei", "wqy-microhei", "NotoSansCJK", "NotoSansSC", "DroidSansFallback", "uming")


def plot_fonts(text: str = "") -> list[str]:
    """DejaVu Sans then the installed CJK fonts of ``CJK_FONTS`` (matplotlib falls back glyph by glyph).

    When ``text`` holds CJK characters and matplotlib's cached font list knows no CJK font (it was built
    before the font was installed), the system's CJK font files are registered first; fonts in that list
    whose file is gone are left out."""
    from matplotlib import font_manager

    def installed() -> set[str]:  # matplotlib's cached list may name fonts removed since
        return {f.name for f in font_manager.fontManager.ttflist if Path(f.fname).is_file()}

    have = installed()
    if any("\u2e80" <= ch <= "\uffef" for ch in text) and not have.intersection(CJK_FONTS):
        for path in font_manager.findSystemFonts(fontext="ttf"):
            if any(part.lower() in Path(path).name.lower() for part in CJK_FONT_FILES):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        have = installed()
    return ["DejaVu Sans", *[f for f in CJK_FONTS if f in have]]


@contextlib.contextmanager
def quiet_font_lookup() -> Iterator[None]:
    """Silence matplotlib's font warnings while the block runs: a CJK font that has only a medium weight
    makes it print "findfont: Failed to find font weight normal ..." on every plot, for a fallback it
    handles itself. The logger's level is restored afterwards."""
    log = logging.getLogger("matplotlib.font_manager")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def plot_scores(r: SummaryResult, path: Path) -> None:
    """scores.png: score timeline, calibrated relevance and its threshold (query mode), selected segments
    shaded, shot boundaries, a legend, queries in the title (CJK fonts when installed), thumbnails along
    the time axis. Written atomically."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.offsetbox import AnnotationBbox, OffsetImage
    from matplotlib.patches import Patch

    with quiet_font_lookup(), plt.rc_context({"font.family": plot_fonts(" ".join(r.queries or []))}):
        fig, ax = plt.subplots(figsize=(12, 4.2), dpi=100)
        t, s = r.timeline.times, r.timeline.scores
        for seg in r.segments:
            ax.axvspan(seg.start, seg.end, color="tab:orange", alpha=0.3, lw=0)
        for a, _b in r.shots[1:]:
            ax.axvline(a, color="0.8", lw=0.6, zorder=0)
        ax.plot(t, s, color="tab:blue", lw=1.4)
        handles: list[Any] = [Line2D([], [], color="tab:blue", lw=1.4, label="score (scaled in this video)")]
        if r.relevance is not None:
            ax.plot(r.relevance.times, r.relevance.overall, color="tab:green", lw=1.4)
            handles.append(Line2D([], [], color="tab:green", lw=1.4, label="relevance (calibrated)"))
            if r.match is not None:
                ax.axhline(r.match.threshold, color="tab:red", lw=1.0, ls="--")
                handles.append(
                    Line2D(
                        [], [], color="tab:red", lw=1.0, ls="--", label=f"threshold {r.match.threshold:.2f}"
                    )
                )
        handles += [
            Patch(color="tab:orange", alpha=0.3, label="selected"),
            Line2D([], [], color="0.8", lw=0.6, label="shot boundary"),
        ]
        if r.chapters is not None and len(r.chapters.chapters) > 1:
            handles.append(Line2D([], [], color="tab:purple", lw=1.0, ls="--", label="chapter boundary"))
        ax.legend(handles=handles, loc="upper right", fontsize=7, framealpha=0.8)
        ax.set_xlim(0, max(r.info.duration, 1e-3))
        ax.set_ylim(-0.55, 1.05)
        ax.set_yticks([0, 0.5, 1])
        ax.set_xlabel("time (s)")
        ax.set_ylabel("score / relevance" if r.relevance is not None else "score")
        title = (
            "queries: " + "; ".join(f'"{q}"' for q in r.queries)
            if r.queries
            else "generic summary (no query)"
        )
        ax.set_title(
            f"{Path(str(r.info.path)).name}: {title}\n{r.backbone} / {r.scorer}: "
            f"{len(r.segments)} segment{'' if len(r.segments) == 1 else 's'}, {r.summary_seconds:.1f} s of "
            f"{r.info.duration:.1f} s",
            fontsize=10,
            pad=16 if r.chapters is not None and r.chapters.chapters else 6,
        )
        for tt, img in r.thumbnails:
            box = AnnotationBbox(OffsetImage(img, zoom=0.5), (tt, -0.3), frameon=False, xycoords="data")
            ax.add_artist(box)
        if r.chapters is not None:
            plot_chapters(ax, r.chapters, r.info.duration)
        fig.tight_layout()
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="png")
        plt.close(fig)


def plot_chapters(ax: Any, chapters: ChapterSet, duration: float) -> None:
    """Chapter boundaries as dashed purple lines and chapter titles along the top of the score axes."""
    width = max(duration, 1e-3)
    for k, c in enumerate(chapters.chapters):
        if k:
            ax.axvline(c.start, color="tab:purple", lw=1.0, ls="--", zorder=1)
        limit = max(4, int((c.end - c.start) / width * 110))  # about 110 characters fit across the figure
        text = c.title if len(c.title) <= limit else c.title[: limit - 1] + "\u2026"
        ax.text(
            0.5 * (c.start + c.end),
            1.0,
            text,
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=7,
            color="tab:purple",
            clip_on=False,
        )
