"""``Library``: the Python API of the searchable video library (index folders once, search every video).

    lib = Library("videos.sqlite")          # or Library() for $VIDGIST_LIBRARY / the user data dir
    report = lib.index(["~/lectures"])      # incremental: unchanged files are skipped
    for hit in lib.search("knapsack problem", k=10):
        print(hit.video, hit.start, hit.end, hit.relevance, [str(e) for e in hit.evidence])
    # no hit: no moment's calibrated relevance reaches summarize's threshold

Indexing (``index``): every path is walked (folders recursively, files with a video extension; a file
named explicitly is always tried). Per file, in this order: same size and mtime as stored -> skipped
without reading it; same content hash as stored -> stat refreshed; same content hash as an indexed file
that is gone -> that row is moved to the new path (a rename: nothing decoded); else the file is analysed
(``extract.Analyser``, ``jobs`` at a time) and written by this thread alone, one transaction per video.
Indexed files that are gone are flagged deleted (``prune=True`` drops them).
A file that cannot be used is stored as failed with its reason (and retried once it changes).
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidgist.errors import InputError
from vidgist.library import store
from vidgist.library.fingerprint import content_hash, stat_key
from vidgist.library.records import FileStamp, VideoRecord
from vidgist.library.schema import open_db
from vidgist.library.search import (
    MAX_HIT_SECONDS,
    PER_VIDEO,
    SEARCHED_NULL,
    Hit,
    LiveVideos,
    SearchOptions,
    search,
)
from vidgist.library.vectors import VectorIndex
from vidgist.util.progress import Progress
from vidgist.util.ranges import check_range

VIDEO_EXTENSIONS = frozenset(
    ".mp4 .m4v .mkv .webm .mov .avi .wmv .flv .mpg .mpeg .ts .mts .m2ts .3gp .ogv .vob".split()
)
ENV = "VIDGIST_LIBRARY"


def default_db_path() -> Path:
    """$VIDGIST_LIBRARY, else ``library.sqlite`` in the user data dir (platformdirs)."""
    env = os.environ.get(ENV, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("vidgist", appauthor=False)) / "library.sqlite"


@dataclass
class IndexReport:
    """What one ``index`` run did."""

    indexed: int = 0
    skipped: int = 0
    moved: int = 0
    deleted: int = 0
    pruned: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    #: indexed from what decodes: (path, what was lost) (``vidgist.media.damage``)
    damaged: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    video_seconds: float = 0.0  # duration of the videos analysed in this run
    #: stored texts re-embedded with the relevance text model first (``text_model.update``)
    reembedded: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "indexed": self.indexed,
            "reembedded": self.reembedded,
            "skipped": self.skipped,
            "moved": self.moved,
            "deleted": self.deleted,
            "pruned": self.pruned,
            "failed": [{"path": p, "reason": r} for p, r in self.failed],
            "damaged": [{"path": p, "warning": w} for p, w in self.damaged],
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class VideoEntry:
    """One file the library knows (``library list``)."""

    path: str
    status: str
    reason: str
    deleted: bool
    duration: float
    moments: int


@dataclass(frozen=True)
class LibraryStats:
    """Counts for ``library stats``."""

    path: str
    schema_version: int
    videos: int
    failed: int
    deleted: int
    hours: float
    moments: int
    spans: dict[str, int]
    vectors: int
    bytes: int


def walk(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[Path]]:
    """(candidate files, folders walked). Raises InputError for a path that does not exist."""
    files: list[Path] = []
    roots: list[Path] = []
    for raw in paths:
        p = Path(raw).expanduser()
        if not p.exists():
            raise InputError(f"{p}: no such file or folder; check the path")
        p = p.resolve()
        if p.is_dir():
            roots.append(p)
            files.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file()
                    and f.suffix.lower() in VIDEO_EXTENSIONS
                    and not any(part.startswith(".") for part in f.relative_to(p).parts)
                )
            )
        else:
            files.append(p)
    return list(dict.fromkeys(files)), roots


class Library:
    """A video library in one SQLite file (see module docstring). Not shared between threads."""

    def __init__(
        self, path: str | os.PathLike[str] | None = None, backbone: str = "auto", readonly: bool = False
    ) -> None:
        from vidgist.util.threads import passive_openmp

        passive_openmp()  # before indexing loads Whisper: its OpenMP workers would spin (util.threads)
        self.path = Path(path).expanduser() if path else default_db_path()
        self.conn = open_db(self.path, readonly=readonly)
        self.backbone_spec = backbone
        self._vectors = VectorIndex(self.conn, self.path)  # the index cache is written even when
        # the library is opened read-only (`vidgist search`, the web app): it is not the library
        self._live = LiveVideos()
        self._encoder: Any = None
        self._text_checked: tuple[int, int] | None = None

    def close(self) -> None:
        """Save what the vector index appended since its last save, then close the file."""
        self._vectors.flush()
        self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- indexing -----------------------------------------------------------------------------------
    def _meta(self, key: str) -> str | None:
        return store.meta(self.conn, key)

    def _check_backbone(self, name: str) -> None:
        stored = self._meta("backbone")
        if stored is None:
            with store.transaction(self.conn):
                store.set_meta(self.conn, "backbone", name)
        elif stored != name:
            raise InputError(
                f"{self.path}: the library was indexed with backbone {stored}, this run would "
                f"use {name}; pass --backbone {stored} or use another --db"
            )

    def index(
        self,
        paths: Sequence[str | os.PathLike[str]],
        jobs: int = 1,
        asr: bool = True,
        asr_model: str = "base",
        ocr: bool = True,
        prune: bool = False,
        fps: float | None = None,
        progress: bool = False,
        analyser: Any = None,
        runner: Any = None,
    ) -> IndexReport:
        """Index ``paths`` incrementally (see module docstring); returns what was done.

        ``runner(todo, analyser)``: analyses the ``FileStamp``s somewhere else (``vidgist.batch``) and
        yields their ``VideoRecord``s in any order; default ``jobs`` threads in this process."""
        from vidgist.library import text_model

        check_range("--jobs", jobs, 1, low_inclusive=True, noun="integer", integer=True)
        clock = time.perf_counter()
        report = IndexReport()
        files, _ = walk(paths)
        report.reembedded = text_model.update(self.conn, progress)
        wanted = {"asr": asr_model if asr else None, "ocr": ocr, "fps": fps}
        todo: list[FileStamp] = []
        for f in files:
            rec = self._plan(f, wanted, report)
            if rec is not None:
                todo.append(rec)
        self._flag_gone(files, prune, report)
        if todo:
            self._analyse_all(todo, jobs, report, progress, analyser or self._analyser(wanted), runner)
        report.seconds = time.perf_counter() - clock
        return report

    def _analyser(self, wanted: dict[str, Any]) -> Any:
        from vidgist.library.extract import Analyser

        return Analyser(
            backbone=self._meta("backbone") or self.backbone_spec,
            asr_model=wanted["asr"],
            ocr=wanted["ocr"],
            fps=wanted["fps"],
        )

    def _plan(self, f: Path, wanted: dict[str, Any], report: IndexReport) -> FileStamp | None:
        """Skip, refresh or move ``f`` without decoding when possible; else its stamp for analysis."""
        try:
            size, mtime = stat_key(f)
        except OSError as exc:
            report.failed.append((str(f), f"cannot read the file ({exc.strerror}); check permissions"))
            return None
        known = store.lookup(self.conn, str(f))
        same_settings = known is not None and _same_settings(known.settings, wanted)
        if known is not None and same_settings and (known.size, known.mtime_ns) == (size, mtime):
            if known.deleted:
                store.set_deleted(self.conn, [known.id], False)
            report.skipped += 1
            return None
        try:
            fp = content_hash(f)
        except OSError as exc:
            report.failed.append((str(f), f"cannot read the file ({exc.strerror}); check permissions"))
            return None
        stamp = FileStamp(str(f), size, mtime, fp)
        if known is not None and same_settings and known.fingerprint == fp and known.status == "ok":
            store.touch(self.conn, known.id, stamp)
            report.skipped += 1
            return None
        if known is None:
            for vid, old in store.gone_with_fingerprint(self.conn, fp):
                row = self.conn.execute("SELECT settings FROM videos WHERE id = ?", (vid,)).fetchone()
                if not Path(old).exists() and _same_settings(row[0], wanted):
                    store.move(self.conn, vid, stamp)
                    report.moved += 1
                    return None
        return stamp

    def _flag_gone(self, files: list[Path], prune: bool, report: IndexReport) -> None:
        """Flag indexed files that are gone as deleted (hidden from search), or drop them with ``prune``."""
        present = {str(f) for f in files}
        gone: list[int] = []
        for vid, path, deleted in self.conn.execute("SELECT id, path, deleted FROM videos").fetchall():
            if path not in present and (prune or not deleted) and not Path(path).exists():
                gone.append(vid)
        if not gone:
            return
        if prune:
            store.remove(self.conn, gone)
            report.pruned += len(gone)
        else:
            store.set_deleted(self.conn, gone)
            report.deleted += len(gone)

    def _analyse_all(
        self,
        todo: list[FileStamp],
        jobs: int,
        report: IndexReport,
        progress: bool,
        analyser: Any,
        runner: Any = None,
    ) -> None:
        """Analyse ``jobs`` files at a time; this thread alone writes, in the order results arrive."""
        with Progress(progress) as prog:
            task = prog.add("index", total=len(todo))
            checked = False
            records = runner(todo, analyser) if runner else _run(todo, jobs, analyser.analyse)
            for rec in records:
                if not checked and rec.ok:
                    self._check_backbone(str(rec.settings.get("backbone")))
                    checked = True
                store.write(self.conn, rec)
                if rec.ok:
                    report.indexed += 1
                    report.video_seconds += rec.duration
                    if rec.warning:
                        report.damaged.append((rec.stamp.path, rec.warning))
                else:
                    report.failed.append((rec.stamp.path, rec.reason))
                prog.advance(task, 1)

    # -- searching ----------------------------------------------------------------------------------
    @property
    def texts(self) -> Any:
        """The backbone the library was indexed with, with the relevance text model's vectors served from
        the library when stored (``moments.StoredTexts``); loaded on first use."""
        if self._encoder is None:
            from vidgist.backbones import load_backbone
            from vidgist.library.moments import StoredTexts

            self._encoder = StoredTexts(load_backbone(self._meta("backbone") or self.backbone_spec))
        return self._encoder

    def encode(self, texts: Sequence[str]) -> Any:
        """Query vectors with the backbone the library was indexed with."""
        return self.texts.encode_texts(list(texts))

    def search(
        self,
        query: str,
        k: int = 10,
        within: str | None = None,
        channels: Collection[str] | None = None,
        weak: bool = False,
        per_video: int = PER_VIDEO,
        max_seconds: float = MAX_HIT_SECONDS,
        exhaustive: bool = False,
        null: str = SEARCHED_NULL,
    ) -> list[Hit]:
        """The ``k`` best matching stretches for ``query`` across the library (``search`` module docstring):
        ``within`` a glob over paths; ``channels`` a subset of 'said', 'shown', 'seen', 'query' (default
        all); ``weak`` also lists stretches under the no-match threshold, flagged; at most ``per_video``
        hits per video, each at most ``max_seconds`` long; ``exhaustive`` scores every candidate video in
        full (the same hits, slower: it checks the bound a search prunes with); ``null``: how the no-match
        line counts the videos searched (``search.NULLS``)."""
        q = " ".join(str(query).split())
        if not q:
            raise InputError('query is empty: give a few words, e.g. vidgist search "knapsack problem"')
        check_range("-k", k, 1, low_inclusive=True, noun="integer", integer=True)
        check_range("--per-video", per_video, 1, low_inclusive=True, noun="integer", integer=True)
        check_range("--max-seconds", max_seconds, 0, low_inclusive=False)
        self._check_text_model()
        opts = SearchOptions(
            k,
            within,
            channels,
            weak=weak,
            per_video=per_video,
            max_seconds=float(max_seconds),
            exhaustive=exhaustive,
            null=null,
        )
        return search(self.conn, self._vectors, self.texts, q, opts, self._live)

    def _check_text_model(self) -> None:
        """InputError when the file's text vectors come from another text model (``text_model.check``);
        looked at again only after the file changed."""
        from vidgist.library import text_model
        from vidgist.library.vectors import change_stamp

        stamp = change_stamp(self.conn)
        if stamp != self._text_checked:
            text_model.check(self.conn, self.path)
            self._text_checked = stamp

    def export(self, hits: Sequence[Hit], folder: str | os.PathLike[str], fast: bool = False) -> list[Path]:
        """Cut every hit to ``folder/NN-NAME-START-END.mp4`` with the exact cutter; returns the paths."""
        from vidgist.media.cut import write_summary_video
        from vidgist.util.atomic import ensure_writable_dir

        out = ensure_writable_dir(folder)
        paths = []
        for i, h in enumerate(hits, 1):
            name = f"{i:02d}-{Path(h.video).stem}-{h.start:.1f}-{h.end:.1f}.mp4"
            paths.append(write_summary_video(h.video, [(h.start, h.end)], out / name, fast=fast))
        return paths

    # -- reusing work ------------------------------------------------------------------------------------
    def stored_evidence(
        self, path: str | os.PathLike[str], backbone: str, fps: float | None, asr: bool, ocr: bool
    ) -> tuple[tuple[Any, float, list[Any]], str] | None:
        """The evidence stored for ``path`` when it is the same file (size+mtime, else content hash) and was
        indexed with the same backbone and sampling rate (``fps`` None: ``summarize``'s default rate, which
        the library uses for clips under a minute only) and with at least the channels asked for; returns
        ((evidence, fps, thumbnails), a note saying where it came from) or None. Channels indexed but not
        asked for are dropped."""
        from vidgist.library.evidence_store import unpack
        from vidgist.media.video import default_fps, probe

        p = Path(path).expanduser()
        if not p.is_file():
            return None
        known = store.lookup(self.conn, str(p.resolve()))
        if known is None or known.status != "ok":
            return None
        if (known.size, known.mtime_ns) != stat_key(p) and content_hash(p) != known.fingerprint:
            return None
        have = json.loads(known.settings)
        if have.get("backbone") != backbone or (fps is not None and have.get("fps") != fps):
            return None
        if (asr and not have.get("asr")) or (ocr and not have.get("ocr")):
            return None
        row = self.conn.execute("SELECT data FROM evidence WHERE video_id = ?", (known.id,)).fetchone()
        if row is None:
            return None
        evidence, sample_fps, thumbs = unpack(row[0], probe(p))
        if fps is None and abs(sample_fps - default_fps(evidence.info.duration)) > 1e-9:
            return None  # sampled sparser than `summarize` would (``extract.library_fps``): decode again
        keep = {"label"} | ({"speech"} if asr else set()) | ({"ocr"} if ocr else set())
        evidence = dataclasses.replace(
            evidence,
            spans=tuple(s for s in evidence.spans if s.source in keep),
            loudness=evidence.loudness if asr else None,  # measured with the speech, as `collect` does
        )
        note = f"evidence reused from the library {self.path} (speech: {have.get('asr') if asr else 'off'})"
        return (evidence, sample_fps, thumbs), note

    # -- single videos (the web app's file and thumbnail routes) ---------------------------------------
    def video_file(self, video_id: int) -> Path | None:
        """The file indexed as ``video_id`` (a search hit's ``video_id``), or None when no searchable video
        has that id (unknown, failed or deleted). The file itself may be gone since indexing."""
        row = self.conn.execute(
            "SELECT path FROM videos WHERE id = ? AND status = 'ok' AND deleted = 0", (int(video_id),)
        ).fetchone()
        return None if row is None else Path(row[0])

    def thumbnail(self, video_id: int, t: float) -> bytes | None:
        """The stored JPEG thumbnail of video ``video_id``'s moment nearest ``t`` seconds, or None."""
        row = self.conn.execute(
            "SELECT thumb FROM moments WHERE video_id = ? AND thumb IS NOT NULL "
            "ORDER BY abs((start + end) / 2 - ?) LIMIT 1",
            (int(video_id), float(t)),
        ).fetchone()
        return None if row is None else bytes(row[0])

    # -- bookkeeping ----------------------------------------------------------------------------------
    def videos(self) -> list[VideoEntry]:
        rows = self.conn.execute(
            "SELECT v.path, v.status, v.reason, v.deleted, v.duration, "
            "(SELECT count(*) FROM moments m WHERE m.video_id = v.id) FROM videos v ORDER BY v.path"
        )
        return [VideoEntry(p, s, r, bool(d), float(t), int(n)) for p, s, r, d, t, n in rows]

    def stats(self) -> LibraryStats:
        c = self.conn

        def one(sql: str) -> Any:
            return c.execute(sql).fetchone()[0]

        spans = {ch: int(n) for ch, n in c.execute("SELECT channel, count(*) FROM spans GROUP BY channel")}
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())
        return LibraryStats(
            str(self.path),
            int(one("PRAGMA user_version")),
            int(one("SELECT count(*) FROM videos WHERE status = 'ok' AND deleted = 0")),
            int(one("SELECT count(*) FROM videos WHERE status = 'failed'")),
            int(one("SELECT count(*) FROM videos WHERE deleted = 1")),
            float(one("SELECT coalesce(sum(duration), 0) FROM videos WHERE status = 'ok'")) / 3600,
            int(one("SELECT count(*) FROM moments")),
            spans,
            int(one("SELECT count(*) FROM vectors")),
            size,
        )

    def remove(self, path: str | os.PathLike[str]) -> int:
        """Drop the rows of ``path`` (a file, or every file under a folder); returns how many videos."""
        p = str(Path(path).expanduser().resolve())
        ids = [
            int(r[0])
            for r in self.conn.execute(
                "SELECT id FROM videos WHERE path = ? OR substr(path, 1, ?) = ?", (p, len(p) + 1, p + os.sep)
            )
        ]
        if not ids:
            raise InputError(f"{p}: not in the library {self.path}; see `vidgist library list`")
        store.remove(self.conn, ids)
        return len(ids)


def _same_settings(stored: str, wanted: dict[str, Any]) -> bool:
    try:
        have = json.loads(stored)
    except ValueError:
        return False
    return all(have.get(k) == v for k, v in wanted.items())


def _run(todo: list[FileStamp], jobs: int, fn: Any) -> Iterator[VideoRecord]:
    """``fn`` over ``todo``, ``jobs`` at a time, results in input order (lazily: at most ``jobs`` ahead)."""
    if jobs == 1:
        yield from (fn(s) for s in todo)
        return
    with ThreadPoolExecutor(jobs, thread_name_prefix="vidgist-index") as pool:
        pending: list[Future[VideoRecord]] = []
        it = iter(todo)
        for s in it:
            pending.append(pool.submit(fn, s))
            if len(pending) >= jobs:
                break
        while pending:
            rec = pending.pop(0).result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append(pool.submit(fn, nxt))
            yield rec
