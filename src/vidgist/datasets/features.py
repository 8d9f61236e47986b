"""Feature cache: decode each video once, store frame features and description text features in h5.

``extract_features(videos, out, backbone="offline", fps=2.0)`` writes one group per video (key =
file stem) into ``out``::

    <key>/features        (n, d_v) float32   backbone frame features of the sampled frames
    <key>/times           (n,) float64       presentation time (s) of each sampled frame
    <key>/picks           (n,) int64         frame index in the full video (round(t * video fps))
    <key>/n_frames        scalar int         frames of the full video
    <key>/change_points   (n_segs, 2) int64  KTS shots as [first, last] frame (eccv16 convention)
    <key>/n_frame_per_seg (n_segs,) int64
    <key>/text_features   (N, d_t) float32   features of the generated description sentences
    <key>/descriptions    (N,) str           the sentences
    attrs: complete=1, backbone, fps, source, size, mtime

so the file is an eccv16 *features-only* file (no user summaries) that ``read_eccv16`` and the
CLIP-It trainer (``text_features``) read directly. The description is
:func:`vidgist.scorers.zero_shot.describe` on evidence made of the frames' ImageNet labels (when the
backbone has ``frame_labels``), the same function the checkpoint scorer uses in generic mode; without
it, the distinct labels by total probability. Speech and on-screen text are not part of the cache.

Resumable and atomic: each finished video is added by copying the current file to a temp file
beside it, writing the group there, and renaming it over the output, so an interruption leaves
the previous complete file. Videos already complete (same backbone and fps) are skipped.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.errors import InputError, OutputError
from vidgist.media.damage import DamageReport
from vidgist.types import Evidence, Features
from vidgist.util.atomic import atomic_path
from vidgist.util.ranges import check_range

__all__ = ["VIDEO_EXTS", "ExtractReport", "list_videos", "extract_features", "video_key"]

VIDEO_EXTS = (".mp4", ".mkv", ".avi", ".mov", ".webm", ".m4v", ".mpg", ".mpeg", ".flv", ".wmv")
BATCH = 32


@dataclass
class ExtractReport:
    """What ``extract_features`` did: keys extracted, already complete, and failed (key -> reason)."""

    out: Path
    extracted: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    #: keys of videos extracted from what decodes of a damaged file -> the damage warning
    damaged: dict[str, str] = field(default_factory=dict)


def list_videos(source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Video files of a folder (sorted, by extension), a single file, or a list of files."""
    if isinstance(source, (str, os.PathLike)):
        p = Path(source)
        if p.is_dir():
            vids = sorted(q for q in p.iterdir() if q.is_file() and q.suffix.lower() in VIDEO_EXTS)
            if not vids:
                raise InputError(f"{p}: no video files ({', '.join(VIDEO_EXTS)}) in this folder")
            return vids
        if p.is_file():
            return [p]
        raise InputError(f"{p}: no such file or folder")
    out = [Path(s) for s in source]
    for p in out:
        if not p.is_file():
            raise InputError(f"{p}: no such file")
    return out


def video_key(path: Path, taken: set[str]) -> str:
    """The group key of a video: its file stem ('/' replaced), made unique with its extension."""
    key = path.stem.replace("/", "_") or "video"
    if key in taken:
        key = f"{key}{path.suffix.replace('.', '_')}"
    i = 2
    base = key
    while key in taken:
        key, i = f"{base}_{i}", i + 1
    return key


def _complete_keys(out: Path, backbone: str, fps: float) -> set[str]:
    import h5py

    if not out.exists():
        return set()
    try:
        with h5py.File(out, "r") as f:
            done = set()
            for k in f:
                a = f[k].attrs
                if int(a.get("complete", 0)) != 1:
                    continue
                if str(a.get("backbone", "")) != backbone or abs(float(a.get("fps", -1)) - fps) > 1e-9:
                    raise InputError(
                        f"{out}: video '{k}' was extracted with backbone {a.get('backbone')} at "
                        f"{a.get('fps')} fps; use another -o or the same --backbone/--fps"
                    )
                done.add(k)
            return done
    except OSError:
        raise OutputError(f"{out}: exists but is not a readable h5 file; choose another -o") from None


def _describe(
    times: np.ndarray, labels: list[list[tuple[str, float]]], info: Any, feats: Features
) -> list[str]:
    from vidgist.backbones.offline import LABEL_MIN_PROB, label_spans
    from vidgist.scorers.zero_shot import describe

    step = float(np.median(np.diff(times))) if len(times) > 1 else 1.0
    spans = tuple(label_spans(list(map(float, times)), labels, step=step, min_prob=LABEL_MIN_PROB))
    return describe(Evidence(info=info, frames=feats, frames_in_text_space=None, spans=spans))


def _extract_one(
    path: Path, bb: Any, fps: float, max_side: int | None, damage: DamageReport
) -> dict[str, Any]:
    from vidgist.backbones.offline import LABEL_K
    from vidgist.media.video import iter_frames, probe
    from vidgist.summarize.shots import kts_change_points

    info = probe(path)
    damage.set_duration(info.duration)
    times: list[float] = []
    feats: list[np.ndarray] = []
    labels: list[list[tuple[str, float]]] = []
    batch: list[np.ndarray] = []

    def flush() -> None:
        if batch:
            feats.append(np.asarray(bb.encode_frames(batch), dtype=np.float32))
            if hasattr(bb, "frame_labels"):
                labels.extend(bb.frame_labels(batch, k=LABEL_K, frame_features=feats[-1]))
            batch.clear()

    from vidgist.media.prefetch import prefetch

    # decoding (and RGB conversion) in a thread, beside the frame model
    for t, img in prefetch(lambda: iter_frames(path, fps, max_side=max_side, damage=damage), 2 * BATCH):
        times.append(t)
        batch.append(img)
        if len(batch) >= BATCH:
            flush()
    flush()
    if not times:
        raise InputError(f"{path}: no frames could be decoded; check the file")
    x = np.concatenate(feats)
    tt = np.asarray(times, dtype=np.float64)
    n_frames = max(int(info.n_frames), 1)
    picks = np.clip(np.round(tt * info.fps).astype(np.int64), 0, n_frames - 1)
    picks = np.maximum.accumulate(picks)
    cps_idx = kts_change_points(x) if len(x) > 2 else np.zeros(0, dtype=np.int64)
    starts = np.concatenate([[0], picks[np.asarray(cps_idx, dtype=np.int64)]]).astype(np.int64)
    starts = np.unique(starts)
    ends = np.append(starts[1:] - 1, n_frames - 1)
    cps = np.stack([starts, ends], axis=1)
    if not labels:
        labels = [[] for _ in times]
    sentences = _describe(tt, labels, info, Features(tt, x))
    text = np.asarray(bb.encode_texts(sentences), dtype=np.float32)
    return {
        "features": x,
        "times": tt,
        "picks": picks,
        "n_frames": n_frames,
        "change_points": cps,
        "n_frame_per_seg": (cps[:, 1] - cps[:, 0] + 1).astype(np.int64),
        "text_features": text,
        "descriptions": sentences,
    }


def _append_group(out: Path, key: str, data: dict[str, Any], attrs: dict[str, Any]) -> None:
    import h5py

    with atomic_path(out) as tmp:
        if out.exists():
            shutil.copyfile(out, tmp)
        with h5py.File(tmp, "a") as f:
            if key in f:
                del f[key]
            g = f.create_group(key)
            for k, v in data.items():
                if k == "descriptions":
                    g.create_dataset(k, data=np.asarray(v, dtype=object), dtype=h5py.string_dtype())
                else:
                    g.create_dataset(k, data=v)
            for k, v in attrs.items():
                g.attrs[k] = v
            g.attrs["complete"] = 1  # last: a group without it is never trusted


def _clean_stale_temps(out: Path) -> None:
    for p in out.parent.glob(f".{out.name}.*{out.suffix}"):
        p.unlink(missing_ok=True)


def extract_features(
    videos: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    backbone: str | Any = "offline",
    fps: float = 2.0,
    max_side: int | None = 320,
    show_progress: bool = True,
    on_failure: Callable[[str, str], None] | None = None,
) -> ExtractReport:
    """Extract every video not yet complete in ``out`` (see module doc); returns what was done.

    A video that cannot be used (unreadable, or damaged past ``vidgist.media.damage``'s rule) is
    recorded in ``report.failed`` with its reason (and passed to ``on_failure(key, reason)`` at once)
    and the run goes on; it is tried again on the next run. A damaged video within the rule is
    extracted from what decodes; its group gets a ``damage`` attribute (JSON)."""
    from vidgist.util.progress import Progress

    check_range("--fps", fps, 0, None, noun="number of frames per second")
    paths = list_videos(videos)
    outp = Path(out)
    if outp.exists() and outp.is_dir():
        raise OutputError(f"{outp}: is a folder; give an .h5 file path with -o")
    outp.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale_temps(outp)
    bb: Any = backbone
    if isinstance(backbone, str):
        from vidgist.backbones import load_backbone

        bb = load_backbone(backbone)
    done = _complete_keys(outp, bb.name, float(fps))
    report = ExtractReport(outp)
    taken: set[str] = set()
    todo: list[tuple[str, Path]] = []
    for p in paths:
        k = video_key(p, taken)
        taken.add(k)
        (report.skipped.append(k) if k in done else todo.append((k, p)))
    with Progress(enabled=show_progress) as prog:
        task = prog.add(f"features ({bb.name}, {fps:g} fps)", len(todo))
        for k, p in todo:
            damage = DamageReport(p)
            try:
                data = _extract_one(p, bb, float(fps), max_side, damage)
            except InputError as err:  # an unusable or too damaged file: recorded, the run goes on
                report.failed[k] = str(err)
                if on_failure is not None:
                    on_failure(k, str(err))
                prog.advance(task)
                continue
            st = p.stat()
            attrs = {
                "backbone": bb.name,
                "fps": float(fps),
                "source": str(p.resolve()),
                "size": int(st.st_size),
                "mtime": float(st.st_mtime),
            }
            if damage.damaged:
                attrs["damage"] = json.dumps(damage.to_json())
                report.damaged[k] = damage.warning()
            _append_group(outp, k, data, attrs)
            report.extracted.append(k)
            prog.advance(task)
    return report
