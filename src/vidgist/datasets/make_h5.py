"""Build an eccv16-style h5 from a folder of your own videos plus importance annotations.

``vidgist datasets make-h5 VIDEO_DIR ANNOTATIONS -o out.h5``

Annotation formats (times in seconds from the first frame of the video; ``video`` is the file name,
with or without extension, relative to VIDEO_DIR):

* **per segment**, CSV with a header (or JSON Lines with the same keys)::

      video,start,end,score,annotator
      cooking.mp4,0,12.5,1,anna
      cooking.mp4,12.5,20,4,anna
      cooking.mp4,0,30,2,ben

  A frame at time t gets, for each annotator, the score of the segment ``start <= t < end`` covering it
  (the highest when segments overlap; a segment reaching the last frame covers it), and 0 where
  that annotator marked nothing.

* **per frame**, JSON: ``{"cooking.mp4": {"frame_scores": [[...], [...]], "rate": 30}}`` - one list per
  annotator, score i at time ``i / rate`` (``rate`` defaults to the video's frame rate, i.e. one score
  per frame), held until the next score. ``{"video": {"segments": [{"start", "end", "score",
  "annotator"}, ...]}}`` is accepted in the same JSON file.

What the h5 holds per video (``video_1``... in file-name order; ``video_name`` = the file name):
``picks`` are vidgist's own samples at ``fps`` (default 2/s, as the eccv16 files: one in 15 frames of
30 fps video) mapped to frame indices; ``features`` the backbone's frame features of those samples
(``offline`` = EfficientNet-Lite0, 1280-d); ``change_points`` the KTS shots (Potapov et al. 2014) on the
features, in frames; ``user_scores`` each annotator's per-frame score; ``gtscore`` the annotators' mean at
the picks, min-max scaled to [0, 1]; ``user_summary`` each annotator's key-shot summary (shot value = mean
score, 0/1 knapsack at 15% of the frames), as the eccv16 TVSum files define it.
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.data.h5 import H5Video, write_eccv16
from vidgist.data.jsonl import iter_jsonl
from vidgist.data.tvsum import eccv16_ground_truth
from vidgist.errors import DataError, InputError
from vidgist.util.ranges import check_range

VIDEO_EXTS = (".mp4", ".mkv", ".webm", ".mov", ".avi", ".m4v", ".mpg", ".mpeg", ".wmv", ".flv", ".ts")


@dataclass(frozen=True)
class SegmentScore:
    start: float
    end: float
    score: float
    annotator: str


@dataclass
class VideoAnnotation:
    """All annotators' marks for one video: segments and/or per-frame score lists."""

    video: str
    segments: list[SegmentScore] = field(default_factory=list)
    frame_scores: list[tuple[np.ndarray, float | None]] = field(default_factory=list)  # (scores, rate)

    @property
    def n_annotators(self) -> int:
        return len({s.annotator for s in self.segments}) + len(self.frame_scores)


def _num(v: Any, where: str, name: str) -> float:
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise DataError(f"{where}: '{name}' must be a number, got {v!r}") from None
    if not math.isfinite(x):
        raise DataError(f"{where}: '{name}' is NaN or infinite")
    return x


def _segment(row: dict[str, Any], where: str) -> tuple[str, SegmentScore]:
    for k in ("video", "start", "end", "score"):
        if row.get(k) in (None, ""):
            raise DataError(f"{where}: missing '{k}'")
    start, end = _num(row["start"], where, "start"), _num(row["end"], where, "end")
    if not 0 <= start < end:
        raise DataError(f"{where}: need 0 <= start < end, got start={start}, end={end}")
    ann = str(row.get("annotator") or "annotator_1").strip()
    return str(row["video"]).strip(), SegmentScore(start, end, _num(row["score"], where, "score"), ann)


def read_annotations(path: str | os.PathLike[str]) -> dict[str, VideoAnnotation]:
    """Read a CSV / JSONL (segments) or JSON (per frame or segments) annotation file; see module docstring."""
    p = Path(path)
    if not p.is_file():
        raise DataError(f"{p}: annotation file not found")
    out: dict[str, VideoAnnotation] = {}
    suffix = p.suffix.lower()
    if suffix == ".csv":
        _read_csv(p, out)
    elif suffix == ".jsonl":
        for lineno, obj in iter_jsonl(p):
            vid, seg = _segment(obj, f"{p}: line {lineno}")
            out.setdefault(vid, VideoAnnotation(vid)).segments.append(seg)
    elif suffix == ".json":
        _read_json(p, out)
    else:
        raise DataError(f"{p}: unknown annotation format; use .csv, .jsonl (segments) or .json")
    if not out:
        raise DataError(f"{p}: no annotations")
    return out


def _read_csv(p: Path, out: dict[str, VideoAnnotation]) -> None:
    """Segments from a CSV with columns video, start, end, score[, annotator] into ``out``."""
    try:
        with p.open("r", encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            cols = [c.strip() for c in reader.fieldnames or []]
            missing = [c for c in ("video", "start", "end", "score") if c not in cols]
            if missing:
                raise DataError(
                    f"{p}: line 1: header lacks column(s) {', '.join(missing)} "
                    "(need video,start,end,score[,annotator])"
                )
            line = 2
            for row in reader:
                row = {(k or "").strip(): v for k, v in row.items()}
                vid, seg = _segment(row, f"{p}: line {line}")
                out.setdefault(vid, VideoAnnotation(vid)).segments.append(seg)
                line = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(f"{p}: malformed CSV ({exc})") from None


def _read_json(p: Path, out: dict[str, VideoAnnotation]) -> None:
    """A JSON object video name -> {"frame_scores", "rate", "segments"} into ``out``."""
    try:
        obj = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{p}: line {exc.lineno}: invalid JSON ({exc.msg})") from None
    if not isinstance(obj, dict):
        raise DataError(f"{p}: expected an object mapping video names to their annotations")
    for vid, entry in obj.items():
        _read_json_entry(vid, entry, f"{p}: video '{vid}'", out)


def _read_json_entry(vid: str, entry: Any, where: str, out: dict[str, VideoAnnotation]) -> None:
    """One video's entry of the JSON form (see ``_read_json``)."""
    if not isinstance(entry, dict) or not ({"frame_scores", "segments"} & set(entry)):
        raise DataError(f"{where}: needs 'frame_scores' (list per annotator) and/or 'segments'")
    va = out.setdefault(vid, VideoAnnotation(vid))
    rate = entry.get("rate")
    if rate is not None and _num(rate, where, "rate") <= 0:
        raise DataError(f"{where}: 'rate' must be positive")
    for i, lst in enumerate(entry.get("frame_scores") or []):
        if not isinstance(lst, list) or not lst:
            raise DataError(f"{where}: frame_scores[{i}] must be a non-empty list of numbers")
        vals = [_num(x, f"{where}: frame_scores[{i}]", "score") for x in lst]
        arr = np.asarray(vals, dtype=np.float64)
        va.frame_scores.append((arr, float(rate) if rate is not None else None))
    for j, seg in enumerate(entry.get("segments") or []):
        if not isinstance(seg, dict):
            raise DataError(f"{where}: segments[{j}] must be an object with start, end, score")
        _, s = _segment({"video": vid, **seg}, f"{where}: segments[{j}]")
        va.segments.append(s)


def annotation_frame_scores(ann: VideoAnnotation, n_frames: int, fps: float) -> np.ndarray:
    """(n_annotators, n_frames) per-frame scores; frame f is at time f / fps (see module docstring)."""
    t = np.arange(n_frames, dtype=np.float64) / fps
    rows: list[np.ndarray] = []
    by_user: dict[str, list[SegmentScore]] = {}
    for s in ann.segments:
        by_user.setdefault(s.annotator, []).append(s)
    for user in sorted(by_user):
        segs = by_user[user]
        row = np.full(n_frames, -np.inf)
        for s in segs:
            inside = (t >= s.start) & ((t < s.end) | ((s.end >= t[-1]) & (t <= s.end)))
            row[inside] = np.maximum(row[inside], s.score)
        row[~np.isfinite(row)] = 0.0
        rows.append(row)
    for scores, rate in ann.frame_scores:
        r = fps if rate is None else rate
        idx = np.minimum(np.floor(t * r + 1e-9).astype(np.int64), scores.size - 1)
        rows.append(scores[idx])
    if not rows:
        raise DataError(f"video '{ann.video}': no annotator scores")
    return np.stack(rows).astype(np.float32)


def _find_videos(video_dir: Path) -> dict[str, Path]:
    if not video_dir.is_dir():
        raise InputError(f"{video_dir}: not a folder; give the folder holding your videos")
    return {p.name: p for p in sorted(video_dir.iterdir()) if p.is_file() and p.suffix.lower() in VIDEO_EXTS}


def _match(name: str, videos: dict[str, Path]) -> Path | None:
    if name in videos:
        return videos[name]
    stem = Path(name).stem if Path(name).suffix.lower() in VIDEO_EXTS else name
    hits = [p for p in videos.values() if p.stem == stem]
    return hits[0] if len(hits) == 1 else None


def _frames_and_features(
    path: Path, fps: float, backbone: Any, batch: int = 32
) -> tuple[np.ndarray, np.ndarray]:
    from vidgist.media.video import iter_frames

    times: list[float] = []
    feats: list[np.ndarray] = []
    buf: list[np.ndarray] = []
    for t, img in iter_frames(path, fps):
        times.append(t)
        buf.append(img)
        if len(buf) == batch:
            feats.append(np.asarray(backbone.encode_frames(buf), dtype=np.float32))
            buf = []
    if buf:
        feats.append(np.asarray(backbone.encode_frames(buf), dtype=np.float32))
    return np.asarray(times, dtype=np.float64), np.concatenate(feats, axis=0)


def change_points_in_frames(step_starts: Sequence[int], picks: np.ndarray, n_frames: int) -> np.ndarray:
    """(n_segs, 2) inclusive frame ranges from the steps where shots start (step 0 implied)."""
    starts = sorted({int(picks[s]) for s in step_starts if 0 < int(s) < picks.size} | {0})
    bounds = starts + [n_frames]
    pairs = [[a, b - 1] for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]
    return np.array(pairs, dtype=np.int64)


def build_video(
    path: Path,
    ann: VideoAnnotation,
    key: str,
    fps: float,
    backbone: Any,
    budget: float = 0.15,
    max_change_points: int | None = None,
) -> H5Video:
    """Sample, embed and segment one video and attach its annotations as eccv16 fields."""
    from vidgist.media.video import probe
    from vidgist.summarize.shots import kts_change_points

    info = probe(path)
    times, feats = _frames_and_features(path, fps, backbone)
    t0 = float(times[0])
    picks = np.round((times - t0) * info.fps).astype(np.int64)
    keep = np.concatenate([[True], np.diff(picks) > 0])  # strictly increasing frame indices
    picks, feats = picks[keep], feats[keep]
    n_frames = max(int(info.n_frames), int(picks[-1]) + 1)
    cps_steps = kts_change_points(feats, max_change_points=max_change_points)
    cps = change_points_in_frames([int(c) for c in np.asarray(cps_steps).reshape(-1)], picks, n_frames)
    user_scores = annotation_frame_scores(ann, n_frames, info.fps)
    gtscore, user_summary = eccv16_ground_truth(user_scores, cps, picks, budget)
    return H5Video(
        name=key,
        features=feats.astype(np.float32),
        picks=picks,
        n_frames=n_frames,
        change_points=cps,
        n_frame_per_seg=cps[:, 1] - cps[:, 0] + 1,
        user_summary=user_summary,
        gtscore=gtscore,
        user_scores=user_scores,
        video_name=path.name,
        extras={
            "fps": np.asarray(info.fps, dtype=np.float64),
            "sample_fps": np.asarray(fps, dtype=np.float64),
        },
    )


def make_h5(
    video_dir: str | os.PathLike[str],
    annotations: str | os.PathLike[str],
    out: str | os.PathLike[str],
    fps: float = 2.0,
    backbone: str = "offline",
    budget: float = 0.15,
    max_change_points: int | None = None,
    progress: bool = True,
) -> tuple[Path, list[str]]:
    """Build the h5 (atomically); return (path, names of videos in VIDEO_DIR that had no annotations).

    Raises DataError when an annotated video is not in VIDEO_DIR, InputError for unusable videos.
    """
    from vidgist.backbones import load_backbone
    from vidgist.util.progress import Progress

    check_range(
        "--budget",
        budget,
        0,
        1,
        high_inclusive=False,
        noun="ratio",
        example="e.g. 0.15 for 15% of the frames",
    )
    check_range("--fps", fps, 0, None, noun="number of frames per second")
    check_range(
        "--max-change-points", max_change_points, 0, None, low_inclusive=True, noun="integer", integer=True
    )
    vdir = Path(video_dir)
    videos = _find_videos(vdir)
    anns = read_annotations(annotations)
    matched: list[tuple[Path, VideoAnnotation]] = []
    for name, ann in anns.items():
        p = _match(name, videos)
        if p is None:
            raise DataError(f"{annotations}: video '{name}' is not in {vdir} (or its name is ambiguous)")
        matched.append((p, ann))
    matched.sort(key=lambda x: x[0].name)
    used = {p.name for p, _ in matched}
    unannotated = [n for n in videos if n not in used]
    bb = load_backbone(backbone)
    built: list[H5Video] = []
    with Progress(enabled=progress) as prog:
        task = prog.add(f"make-h5 ({bb.name})", len(matched))
        for i, (p, ann) in enumerate(matched, start=1):
            built.append(build_video(p, ann, f"video_{i}", fps, bb, budget, max_change_points))
            prog.advance(task)
    return write_eccv16(out, built), unannotated
