"""Build a QMS layout from a folder of videos and a query log (CSV or JSONL of ``video, query`` pairs).

For every video named in the log: at most 32 keyframes (one per second), frame features from a backbone,
the speech transcript. Features and transcripts are cached per video file (keyed by path, size, mtime,
backbone and ASR model) under ``OUT/cache``, so a rebuild with a changed log re-extracts nothing.
Splits come from an optional ``split``/``type`` column (train/eval/test), else a deterministic hash of the
video name gives about ``fractions`` of train/eval/test. ``features.json`` records the backbone.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vidgist.errors import DataError, VidgistError
from vidgist.util.atomic import atomic_path, write_json

VIDEO_EXTS = (".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v")


@dataclass(frozen=True)
class LogEntry:
    """Queries (in log order, duplicates dropped) and optional split of one video."""

    video: str
    queries: tuple[str, ...]
    split: str | None


def read_query_log(path: str | Path) -> list[LogEntry]:
    """Read ``video,query[,split]`` rows (CSV with header, or JSONL); group by video, first-seen order."""
    p = Path(path)
    if not p.is_file():
        raise DataError(f"{p}: query log not found")
    rows = _json_rows(p) if p.suffix.lower() in (".jsonl", ".json") else _csv_rows(p)
    order: list[str] = []
    grouped: dict[str, list[str]] = {}
    splits: dict[str, str | None] = {}
    for line, row in rows:
        video, query = row.get("video", "").strip(), row.get("query", "").strip()
        if not video or not query:
            raise DataError(f"{p}: line {line}: needs non-empty 'video' and 'query' fields")
        split = (row.get("split") or row.get("type") or "").strip() or None
        if split is not None and split not in ("train", "eval", "test"):
            raise DataError(f"{p}: line {line}: split {split!r} must be train, eval or test")
        if video not in grouped:
            order.append(video)
            grouped[video] = []
            splits[video] = split
        if query not in grouped[video]:
            grouped[video].append(query.replace(",", " "))
    if not order:
        raise DataError(f"{p}: the query log has no rows")
    return [LogEntry(v, tuple(grouped[v]), splits[v]) for v in order]


def _json_rows(p: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, fields as strings) of each non-empty line of a JSONL query log."""
    rows: list[tuple[int, dict[str, str]]] = []
    for i, text in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataError(f"{p}: line {i}: not JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise DataError(f"{p}: line {i}: expected an object with 'video' and 'query'")
        rows.append((i, {k: str(v) for k, v in obj.items() if v is not None}))
    return rows


def _csv_rows(p: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, fields) of each row of a CSV query log with a header."""
    with p.open("r", encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return [(reader.line_num, {k: (v or "") for k, v in row.items() if k}) for row in reader]


def hash_split(name: str, fractions: tuple[float, float, float] = (0.8, 0.1, 0.1), seed: int = 0) -> str:
    """Deterministic split of a video name from a hash (independent of log order)."""
    h = int(hashlib.sha1(f"{seed}:{name}".encode()).hexdigest()[:8], 16) / 16**8
    if h < fractions[0]:
        return "train"
    return "eval" if h < fractions[0] + fractions[1] else "test"


def find_video(folder: Path, name: str) -> Path | None:
    """The file for a log's ``video`` field: exact relative path, or a known extension added."""
    direct = folder / name
    if direct.is_file():
        return direct
    for ext in VIDEO_EXTS:
        if (folder / f"{name}{ext}").is_file():
            return folder / f"{name}{ext}"
    return None


def _cache_key(path: Path, backbone: str, asr_model: str) -> str:
    st = path.stat()
    raw = f"{path.resolve()}|{st.st_size}|{int(st.st_mtime)}|{backbone}|{asr_model}"
    return hashlib.sha1(raw.encode()).hexdigest()[:20]


def extract_video(
    path: Path, bb: object, asr_model: str, cache: Path, backbone_name: str
) -> tuple[np.ndarray, str]:
    """(<= 32 keyframe features, transcript) of one video, from the cache when present."""
    from vidgist.media.speech import transcribe
    from vidgist.media.video import extract_audio
    from vidgist.qms.query import keyframes

    cfile = cache / f"{_cache_key(path, backbone_name, asr_model)}.npz"
    if cfile.is_file():
        with np.load(cfile, allow_pickle=False) as z:
            return z["features"].astype(np.float32), str(z["transcript"])
    frames = keyframes(path)
    if not frames:
        raise DataError(f"{path}: no frames could be decoded")
    feats = np.asarray(bb.encode_frames([im for _, im in frames]), dtype=np.float32)  # type: ignore[attr-defined]
    audio = extract_audio(path)
    spans = transcribe(audio, model=asr_model) if audio is not None and len(audio) else []
    text = " ".join(s.text.strip() for s in spans).strip()
    cache.mkdir(parents=True, exist_ok=True)
    with atomic_path(cfile) as tmp:
        with tmp.open("wb") as fh:
            np.savez(fh, features=feats, transcript=np.array(text))
    return feats, text


def build_qms_layout(
    video_dir: str | Path,
    log: str | Path,
    out: str | Path,
    backbone: str = "offline",
    asr_model: str = "base",
    fractions: tuple[float, float, float] = (0.8, 0.1, 0.1),
    seed: int = 0,
    progress: bool = True,
) -> tuple[Path, list[str]]:
    """Write the layout to ``out``; returns (table path, skipped videos with reasons)."""
    from vidgist.backbones import load_backbone
    from vidgist.data.qms_layout import QMSRecord, write_qms

    folder, outdir = Path(video_dir), Path(out)
    if not folder.is_dir():
        raise DataError(f"{folder}: video folder not found")
    entries = read_query_log(log)
    bb = load_backbone(backbone)
    name = str(getattr(bb, "name", backbone))
    records: list[QMSRecord] = []
    skipped: list[str] = []
    for i, e in enumerate(entries, 1):
        path = find_video(folder, e.video)
        if path is None:
            skipped.append(f"{e.video}: no such video in {folder}")
            continue
        try:
            feats, text = extract_video(path, bb, asr_model, outdir / "cache", name)
        except VidgistError as err:
            skipped.append(f"{e.video}: {err}")
            continue
        records.append(
            QMSRecord(e.video, e.queries, text, feats, e.split or hash_split(e.video, fractions, seed))
        )
        if progress:
            print(
                f"qms-build {i}/{len(entries)} {e.video}: {len(feats)} keyframes, {len(text.split())} words",
                file=sys.stderr,
                flush=True,
            )
    if not records:
        raise DataError(f"{log}: none of the logged videos could be used ({len(skipped)} skipped)")
    table = write_qms(outdir, records)
    write_json(
        outdir / "features.json",
        {
            "backbone": name,
            "frame_dim": int(records[0].features.shape[1]),  # type: ignore[union-attr]
            "asr_model": asr_model,
            "skipped": skipped,
        },
    )
    return Path(table), skipped


def splits_of(records: Sequence[object]) -> dict[str, int]:
    """Count of records per split (for reports)."""
    out: dict[str, int] = {}
    for r in records:
        s = str(getattr(r, "split", "?"))
        out[s] = out.get(s, 0) + 1
    return out
