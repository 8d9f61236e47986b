"""`vidgist datasets check DIR`: what a dataset folder holds, and what is missing or malformed.

Recognised (recursively under DIR; hidden folders skipped):

* ``*.h5``/``*.hdf5``: eccv16 video summarization files (videos, fields; missing ``user_summary`` noted),
  vidgist's own feature caches (``vidgist features extract``), text-feature files (``<key>/text_features``,
  as CLIP-It and the synthetic benchmark use) and per-clip feature files (``<key>/features``);
* ``*.json``/``*.yml``/``*.yaml`` holding ``train_keys``/``test_keys``: split files (k-fold or random
  splits, setting, keys checked against the h5 files found);
* ``*.jsonl``: QVHighlights annotations or predictions, TVSum highlight labels, QMS tables;
* ``*.csv`` with an ``item_id`` column: QMS tables; with ``video,start,end,score``: make-h5 annotations;
* ``*anno*.tsv(.gz)`` and ``*info*.tsv``: TVSum annotations and info;
* a folder holding ``Dense_per_shot_tags/`` and ``Query-Focused_Summaries/``: the QFVS layout.

Each finding has a status: ``ok``, ``missing`` (usable, but something evaluation needs is absent) or
``malformed`` (the reader refused it; the detail names the file and line or record).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from vidgist.errors import DataError

T = TypeVar("T")


@dataclass(frozen=True)
class Finding:
    path: Path
    kind: str  # "eccv16 h5", "splits", "qvhighlights", "qfvs", "qms table", ...
    status: str  # "ok" | "missing" | "malformed" | "skipped" (not a recognised format)
    detail: str


@dataclass
class CheckReport:
    root: Path
    findings: list[Finding] = field(default_factory=list)

    @property
    def malformed(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "malformed"]

    @property
    def ok(self) -> bool:
        return not self.malformed

    def add(self, path: Path, kind: str, status: str, detail: str) -> None:
        self.findings.append(Finding(path, kind, status, detail))

    def lines(self) -> list[str]:
        """Human-readable lines, one per finding, paths relative to the root."""
        out = []
        for f in self.findings:
            try:
                rel = f.path.relative_to(self.root)
            except ValueError:
                rel = f.path
            out.append(f"{f.status.upper():9} {str(rel) or '.'} [{f.kind}] {f.detail}")
        if not self.findings:
            out.append(f"{self.root}: no dataset files recognised")
        return out


def _read_or_report(
    reader: Callable[[Path], T], path: Path, report: CheckReport, where: Path, kind: str
) -> T | None:
    """``reader(path)``, or None after reporting ``where`` as a malformed ``kind`` (the DataError's line)."""
    try:
        return reader(path)
    except DataError as exc:
        report.add(where, kind, "malformed", str(exc))
        return None


def _walk(root: Path) -> list[Path]:
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        out.extend(Path(dirpath) / f for f in sorted(filenames) if not f.startswith("."))
    return out


@dataclass
class _H5Layout:
    kind: str  # "eccv16" | "feature cache" | "text features" | "features"
    n: int = 0
    dims: str = ""
    rows: int = 0
    backbone: str = ""
    fps: str = ""
    incomplete: list[str] = field(default_factory=list)


def _h5_layout(path: Path) -> _H5Layout:
    """Which of vidgist's h5 layouts ``path`` is, sniffed from group members and attributes (no arrays read).

    Anything unrecognised counts as eccv16, and the eccv16 reader then says what is wrong with it.
    """
    import h5py

    def dims(groups: list, name: str) -> str:
        return "/".join(str(d) for d in sorted({int(g[name].shape[-1]) for g in groups}))

    try:
        with h5py.File(path, "r") as f:
            groups = [f[k] for k in f if isinstance(f[k], h5py.Group)]
            members = [set(g.keys()) for g in groups]
            if not groups:
                return _H5Layout("eccv16")
            if all(m <= {"text_features", "descriptions"} and "text_features" in m for m in members):
                rows = sum(int(g["text_features"].shape[0]) for g in groups)
                return _H5Layout("text features", len(groups), dims(groups, "text_features"), rows)
            if any("complete" in g.attrs and "backbone" in g.attrs for g in groups):
                return _H5Layout(
                    "feature cache",
                    len(groups),
                    backbone="/".join(sorted({str(g.attrs.get("backbone")) for g in groups})),
                    fps="/".join(f"{x:g}" for x in sorted({float(g.attrs.get("fps", 0)) for g in groups})),
                    incomplete=[g.name.strip("/") for g in groups if not g.attrs.get("complete")],
                )
            if all("features" in m and "picks" not in m for m in members):
                return _H5Layout("features", len(groups), dims(groups, "features"))
    except OSError:
        pass  # not readable as h5: the eccv16 reader reports it
    return _H5Layout("eccv16")


def _check_h5(path: Path, report: CheckReport, h5_keys: dict[Path, set[str]]) -> None:
    from vidgist.data.h5 import read_eccv16

    lay = _h5_layout(path)
    if lay.kind == "text features":
        report.add(
            path,
            "text features h5",
            "ok",
            f"{lay.n} groups, {lay.rows} sentences of {lay.dims}-d "
            "text features (CLIP-It text_features or query_features)",
        )
        return
    if lay.kind == "features":
        report.add(
            path, "features h5", "ok", f"{lay.n} groups of {lay.dims}-d features (CLIP-It video_features)"
        )
        return
    if lay.kind == "feature cache":
        vids = _read_or_report(read_eccv16, path, report, path, "feature cache h5")
        if vids is None:
            return
        h5_keys[path.resolve()] = set(vids)
        fdims = "/".join(str(d) for d in sorted({v.features.shape[1] for v in vids.values()}))
        detail = (
            f"{len(vids)} videos from vidgist features extract, {fdims}-d features (backbone "
            f"{lay.backbone}, {lay.fps} fps) with KTS shots and description text_features; "
            "no user summaries (a features file, not an evaluation set)"
        )
        if lay.incomplete:
            report.add(
                path,
                "feature cache h5",
                "missing",
                f"{detail}; {len(lay.incomplete)} video(s) unfinished (e.g. '{lay.incomplete[0]}'): "
                "run vidgist features extract again to finish them",
            )
        else:
            report.add(path, "feature cache h5", "ok", detail)
        return
    vids = _read_or_report(read_eccv16, path, report, path, "eccv16 h5")
    if vids is None:
        return
    h5_keys[path.resolve()] = set(vids)
    fields: set[str] = set()
    for v in vids.values():
        opt = ("user_summary", "gtscore", "user_scores", "video_name")
        fields |= {k for k in opt if getattr(v, k) is not None}
        fields |= set(v.extras)
    dims = sorted({v.features.shape[1] for v in vids.values()})
    detail = (
        f"{len(vids)} videos, features {'/'.join(map(str, dims))}-d, "
        f"fields: required + {', '.join(sorted(fields)) or 'none'}"
    )
    no_sum = [k for k, v in vids.items() if v.user_summary is None]
    empty = [
        k
        for k, v in vids.items()
        if v.user_summary is not None and bool((v.user_summary.sum(axis=1) == 0).any())
    ]
    if empty and not no_sum:
        report.add(
            path,
            "eccv16 h5",
            "missing",
            f"{detail}; an empty user summary in {len(empty)} video(s) (e.g. '{empty[0]}'): "
            "no shot fits the budget, F-score against that annotator is 0 (raise --budget "
            "of vidgist datasets make-h5, or use longer videos)",
        )
    elif no_sum:
        report.add(
            path,
            "eccv16 h5",
            "missing",
            f"{detail}; no 'user_summary' in {len(no_sum)} video(s) (e.g. '{no_sum[0]}'): "
            "F-score evaluation impossible",
        )
    else:
        report.add(path, "eccv16 h5", "ok", detail)


def _looks_like_splits(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:20000]
    except OSError:
        return False
    return "train_keys" in head or "test_keys" in head


def _check_splits(path: Path, report: CheckReport, h5_keys: dict[Path, set[str]]) -> None:
    from vidgist.data.splits import load_splits, resolve_key, split_key, summarize_splits

    splits = _read_or_report(load_splits, path, report, path, "splits")
    if splits is None:
        return
    info = summarize_splits(splits)
    shape = (
        "k-fold (test sets partition the videos)"
        if info.is_kfold
        else f"random splits (test sets {'overlap' if not info.tests_disjoint else 'are disjoint'}; "
        f"{info.n_tested} of {info.n_videos} videos ever tested)"
    )
    setting = "/".join(sorted(set(info.settings)))
    detail = f"{info.n_splits} splits over {info.n_videos} videos, {shape}, setting {setting}"
    # keys against the h5 files found: unprefixed keys need exactly one h5 beside the split file
    keys = {k for s in splits for k in s.train_keys + s.test_keys + s.val_keys}
    local = [p for p in h5_keys if p.parent == path.resolve().parent]
    absent: list[str] = []
    for k in sorted(keys):
        prefix, vid = split_key(k)
        if prefix is None:
            if len(local) != 1:
                continue
            if vid not in h5_keys[local[0]]:
                absent.append(k)
        else:
            try:
                f, vid = resolve_key(k, base_dir=path.parent)
            except DataError:
                absent.append(k)
                continue
            known = h5_keys.get(f.resolve())
            if known is not None and vid not in known:
                absent.append(k)
    if absent:
        report.add(
            path,
            "splits",
            "missing",
            f"{detail}; {len(absent)} key(s) not found in the h5 files here (e.g. '{absent[0]}')",
        )
    else:
        report.add(path, "splits", "ok", detail)


def _first_jsonl_object(path: Path) -> dict | None:
    try:
        with path.open("r", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.strip():
                    obj = json.loads(line)
                    return obj if isinstance(obj, dict) else None
    except (OSError, json.JSONDecodeError):
        return None
    return None


def _check_jsonl(path: Path, report: CheckReport) -> None:
    from vidgist.data.jsonl import read_jsonl
    from vidgist.data.qms_layout import read_qms
    from vidgist.data.qvhighlights import read_predictions, read_qvhighlights

    first = _first_jsonl_object(path) or {}
    kind = "jsonl"
    reader: Callable[[], str]
    if "item_id" in first:
        kind = "qms table"

        def reader() -> str:
            recs = read_qms(path)
            counts = {t: sum(r.split == t for r in recs) for t in ("train", "eval", "test")}
            return f"{len(recs)} videos ({', '.join(f'{v} {k}' for k, v in counts.items())})"
    elif "pred_relevant_windows" in first or "pred_saliency_scores" in first:
        kind = "qvhighlights predictions"

        def reader() -> str:
            return f"{len(read_predictions(path))} predictions"
    elif "label" in first and "domain" in first:
        kind = "tvsum highlight labels"

        def reader() -> str:
            return _check_tvsum_highlight(path)
    elif "qid" in first and "vid" in first:
        kind = "qvhighlights"

        def reader() -> str:
            recs = read_qvhighlights(path)
            n_gt = sum(r.has_gt for r in recs)
            return f"{len(recs)} queries over {len({r.vid for r in recs})} videos, {n_gt} with ground truth"
    else:

        def reader() -> str:
            return f"{len(read_jsonl(path))} records (format not recognised)"

    try:
        report.add(path, kind, "ok", reader())
    except DataError as exc:
        report.add(path, kind, "malformed", str(exc))


def _check_tvsum_highlight(path: Path) -> str:
    from vidgist.data.jsonl import iter_jsonl

    n = 0
    for lineno, obj in iter_jsonl(path):
        lab = obj.get("label")
        if not isinstance(lab, list) or not lab or not all(isinstance(r, list) and r for r in lab):
            raise DataError(f"{path}: line {lineno}: 'label' must be a list of per-clip score lists")
        if len({len(r) for r in lab}) != 1:
            raise DataError(f"{path}: line {lineno}: 'label' rows have different numbers of annotators")
        if not isinstance(obj.get("domain"), str):
            raise DataError(f"{path}: line {lineno}: missing 'domain'")
        n += 1
    return f"{n} videos"


def _check_csv(path: Path, report: CheckReport) -> None:
    from vidgist.data.qms_layout import read_qms

    try:
        header = path.open("r", encoding="utf-8-sig", errors="replace").readline()
    except OSError:
        return
    cols = [c.strip() for c in header.strip().split(",")]
    if {"video", "start", "end", "score"} <= set(cols):
        _check_make_h5_annotations(path, report)
        return
    if "item_id" not in cols:
        report.add(path, "csv", "skipped", f"not a recognised dataset table (columns: {', '.join(cols[:6])})")
        return
    try:
        recs = read_qms(path)
        report.add(path, "qms table", "ok", f"{len(recs)} videos")
    except DataError as exc:
        report.add(path, "qms table", "malformed", str(exc))


def _check_make_h5_annotations(path: Path, report: CheckReport) -> None:
    from vidgist.datasets.make_h5 import read_annotations

    anns = _read_or_report(read_annotations, path, report, path, "make-h5 annotations")
    if anns is None:
        return
    n_users = sorted({a.n_annotators for a in anns.values()})
    report.add(
        path,
        "make-h5 annotations",
        "ok",
        f"{len(anns)} videos, {'/'.join(map(str, n_users))} annotators per video",
    )


def _check_tvsum(path: Path, report: CheckReport) -> None:
    from vidgist.data.tvsum import read_tvsum_annotations, read_tvsum_info

    name = path.name.lower()
    try:
        if "anno" in name:
            anno = read_tvsum_annotations(path)
            users = sorted({u.shape[0] for u in anno.values()})
            report.add(
                path,
                "tvsum annotations",
                "ok",
                f"{len(anno)} videos, {'/'.join(map(str, users))} annotators per video",
            )
        elif "info" in name:
            info = read_tvsum_info(path)
            report.add(path, "tvsum info", "ok", f"{len(info)} videos")
    except DataError as exc:
        report.add(path, "tvsum annotations" if "anno" in name else "tvsum info", "malformed", str(exc))


def _check_qfvs(folder: Path, report: CheckReport) -> None:
    from vidgist.data.qfvs import load_qfvs

    root = folder
    for up in (folder.parent, folder.parent.parent):
        if (up / "Tags.mat").is_file():
            root = up
    data = _read_or_report(load_qfvs, root, report, folder, "qfvs")
    if data is None:
        return
    nq = sum(len(v.queries) for v in data.videos.values())
    detail = (
        f"{len(data.videos)} videos ({', '.join(data.videos)}), {len(data.concepts)} concepts, {nq} queries"
    )
    if not (root / "Tags.mat").is_file():
        report.add(folder, "qfvs", "missing", f"{detail}; no Tags.mat (tags read from the dense text files)")
    else:
        report.add(folder, "qfvs", "ok", detail)


def check_dataset(root: str | os.PathLike[str]) -> CheckReport:
    """Inspect every recognised dataset file under ``root`` (see module docstring)."""
    r = Path(root)
    if not r.exists():
        raise DataError(f"{r}: no such folder")
    report = CheckReport(r if r.is_dir() else r.parent)
    files = _walk(r) if r.is_dir() else [r]
    h5_keys: dict[Path, set[str]] = {}
    for p in files:
        if p.suffix.lower() in (".h5", ".hdf5"):
            _check_h5(p, report, h5_keys)
    qfvs_dirs: set[Path] = set()
    for p in files:
        low = p.name.lower()
        if p.suffix.lower() in (".json", ".yml", ".yaml") and _looks_like_splits(p):
            _check_splits(p, report, h5_keys)
        elif low.endswith(".jsonl"):
            _check_jsonl(p, report)
        elif low.endswith(".csv"):
            _check_csv(p, report)
        elif low.endswith((".tsv", ".tsv.gz")):
            _check_tvsum(p, report)
        if p.parent.name == "Dense_per_shot_tags" and low == "dictionary.txt":
            qfvs_dirs.add(p.parent.parent)
    for d in sorted(qfvs_dirs):
        _check_qfvs(d, report)
    return report
