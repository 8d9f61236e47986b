"""The video library on real generated clips: incremental indexing, renames, crash resume, search.

Clips come from ``librarygen`` (espeak-ng narration, FFmpeg drawtext captions in English and Chinese);
models, decoding, OCR and SQLite are the real ones. Speech is off except where a test needs it, to keep
the file fast.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from librarygen import Part, make_clip
from videogen import make_truncated

from vidgist.cli.main import main
from vidgist.library import Library
from vidgist.library.schema import MIGRATIONS, SCHEMA_VERSION, open_db
from vidgist.library.text import match_expression
from vidgist.library.vectors import VectorIndex

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "videos"
COLORS = ["0x336699", "0x884422", "0x228844", "0x664488", "0x886622", "0x226688", "0x448822", "0x882266"]


@pytest.fixture(scope="module")
def captioned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four short captioned clips: two English, two Chinese, one topic each."""
    d = tmp_path_factory.mktemp("captioned")
    make_clip(
        d / "grocery.mp4",
        [Part(3, "GROCERY BUDGET", color=COLORS[0]), Part(3, "WEEKLY PLAN", color=COLORS[1])],
    )
    make_clip(
        d / "guitar.mp4", [Part(3, "GUITAR CHORDS", color=COLORS[2]), Part(3, "TUNING PEGS", color=COLORS[3])]
    )
    make_clip(
        d / "plane.mp4",
        [
            Part(3, "纸飞机折法", lang="zh", color=COLORS[4]),
            Part(3, "红烧肉做法", lang="zh", color=COLORS[5]),
        ],
    )
    make_clip(d / "tea.mp4", [Part(3, "绿茶冲泡", lang="zh", color=COLORS[6])])
    return d


@pytest.fixture(scope="module")
def captioned_lib(captioned: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("db") / "lib.sqlite"
    with Library(db, backbone="offline") as lib:
        rep = lib.index([captioned], asr=False)
    assert rep.indexed == 4 and not rep.failed
    return db


def test_chinese_query_finds_the_chinese_captioned_part(captioned_lib: Path) -> None:
    with Library(captioned_lib, readonly=True) as lib:
        hits = lib.search("红烧肉", k=3)
    assert hits, "no hit for a caption shown on screen"
    top = hits[0]
    assert Path(top.video).name == "plane.mp4"
    assert top.start >= 2.5 and top.end <= 6.01  # the second part, not the paper plane
    assert any(e.channel == "on screen" and "红烧肉" in e.text for e in top.evidence)


def test_english_query_finds_its_part_and_says_why(
    captioned_lib: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(["search", "tuning pegs", "--db", str(captioned_lib), "--json", "-k", "3"])
    assert rc == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["query"] == "tuning pegs"
    top = doc["hits"][0]
    assert Path(top["video"]).name == "guitar.mp4" and top["start"] >= 2.5
    assert {"channel": "on screen", "text": "TUNING PEGS"} in top["evidence"]
    assert 0 < top["relevance"] <= 1


def test_query_matching_nothing_says_so(captioned_lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "xyzzy plugh", "--db", str(captioned_lib)]) == 0
    assert "no moment matches" in capsys.readouterr().out
    assert (
        main(["search", "xyzzy plugh", "--db", str(captioned_lib), "--weak", "--json", "--per-video", "1"])
        == 0
    )
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert hits and all(h["weak"] and h["relevance"] < 0.5 for h in hits)  # shown only when asked, flagged
    assert len({h["video"] for h in hits}) == len(hits)  # --per-video 1


def test_pruned_search_gives_the_exhaustive_hits(captioned_lib: Path) -> None:
    """Skipping videos whose largest relevance cannot reach the threshold or the k-th hit changes no hit."""
    queries = ["guitar chords", "weekly plan", "红烧肉", "paper planes", "tea", "xyzzy plugh", "budget"]
    with Library(captioned_lib, readonly=True) as lib:
        for q in queries:
            for k in (1, 2, 10):
                fast = [(h.video, h.start, h.end, h.relevance, h.score) for h in lib.search(q, k=k)]
                full = [
                    (h.video, h.start, h.end, h.relevance, h.score)
                    for h in lib.search(q, k=k, exhaustive=True)
                ]
                assert fast == full, (q, k)
        assert lib.search("guitar chords", k=1) and not lib.search("xyzzy plugh")


def test_searches_in_threads_give_the_hits_of_one_at_a_time(captioned_lib: Path) -> None:
    """Searches running at once in several threads (each with its own Library, as the web server's
    workers may) give exactly the hits of one search at a time: the query encoded aside and BLAS kept to
    one thread during a search change no value, and BLAS gets its threads back when the last one ends."""
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_info

    from vidgist.library.blas import one_blas_thread

    def blas_threads() -> list[int]:
        return [int(i["num_threads"]) for i in threadpool_info() if i["user_api"] == "blas"]

    queries = ["guitar chords", "weekly plan", "红烧肉", "paper planes", "budget", "xyzzy plugh"]

    def run_all(order: list[str]) -> dict[str, list[tuple[object, ...]]]:
        with Library(captioned_lib, readonly=True) as lib:
            return {
                q: [(h.video, h.start, h.end, h.relevance, h.score, h.weak) for h in lib.search(q, weak=True)]
                for q in order
            }

    before = blas_threads()
    alone = run_all(queries)
    with ThreadPoolExecutor(3) as pool:
        together = list(pool.map(run_all, [queries, queries[::-1], queries[2:] + queries[:2]]))
    assert all(found == alone for found in together)
    assert alone["guitar chords"] and all(h[5] for h in alone["xyzzy plugh"])  # hits, and only weak ones
    with one_blas_thread(), one_blas_thread():
        assert set(blas_threads()) == {1}
    assert blas_threads() == before


def test_peak_relevance_is_the_largest_relevance(captioned_lib: Path) -> None:
    """The bound search prunes with is exactly the largest calibrated relevance of the video."""
    from vidgist.library.moments import load_evidence, peak_relevance, video_channels, video_relevance

    with Library(captioned_lib, readonly=True) as lib:
        checked = 0
        for vid, path in lib.conn.execute("SELECT id, path FROM videos"):
            ev = load_evidence(lib.conn, vid, path)
            for q in ("guitar chords", "weekly plan", "红烧肉", "a green field"):
                raw = video_channels(ev, q, lib.texts)
                full = float(video_relevance(ev, q, lib.texts, raw=raw).per_query.max())
                assert abs(peak_relevance(ev, raw, bool(lib.texts.joint)) - full) < 1e-9, (path, q)
                checked += full >= 0.5
    assert checked >= 2  # some pairs match, so the bound is checked where it matters


def test_the_searched_set_line_counts_every_video_scored(captioned_lib: Path) -> None:
    """A hit must also clear the threshold under the null of every video a search scores: more evidence
    units raise the line, one video searched is the summarizer's line exactly, and the line only removes
    hits (never adds or moves one)."""
    from vidgist.library.moments import (
        load_evidence,
        searched_relevance,
        video_channels,
        video_relevance,
        video_units,
    )
    from vidgist.summarize.relevance import calibrate

    def key(hits: list) -> list:
        return [(h.video, h.start, h.end, h.relevance) for h in hits]

    queries = ["guitar chords", "weekly plan", "红烧肉", "tuning", "a green field", "budget"]
    with Library(captioned_lib, readonly=True) as lib:
        joint, strict = bool(lib.texts.joint), 0
        videos = list(lib.conn.execute("SELECT id, path FROM videos"))
        for (vid, path), probe in itertools.product(videos, ("guitar chords", "weekly plan")):
            ev = load_evidence(lib.conn, vid, path)
            raw = video_channels(ev, probe, lib.texts)
            own = video_units(ev, raw)
            same = searched_relevance(ev, raw, joint, own)
            assert np.allclose(same, calibrate(raw, joint, own)[0])
            r = video_relevance(ev, probe, lib.texts, raw=raw).per_query[0]
            assert same.max() == pytest.approx(r.max())
            wider = searched_relevance(ev, raw, joint, {k: 50 * n for k, n in own.items()})
            assert (wider <= same + 1e-12).all()
            between = (same >= 0.5) & (same <= 0.99)  # matching, not saturated
            assert (wider[between] < same[between] - 0.01).all()  # judged more strictly
            strict += int(between.sum())
        assert strict, "no moment between 0.5 and 0.99 to check the stricter line on"
        for q in queries:
            every = key(lib.search(q, k=10, null="scored"))
            alone = key(lib.search(q, k=10, null="video"))
            assert set(every) <= set(alone), q
            for clip in ("guitar", "grocery", "plane"):
                inside = lib.search(q, k=5, within=f"*/{clip}.mp4", null="scored")
                assert key(inside) == key(lib.search(q, k=5, within=f"*/{clip}.mp4", null="video"))
        with pytest.raises(ValueError, match="choose one of"):
            lib.search("guitar chords", null="everything")


def test_search_in_glob_and_export(captioned_lib: Path, tmp_path: Path) -> None:
    with Library(captioned_lib, readonly=True) as lib:
        assert not lib.search("grocery budget", within="*/guitar.mp4")
        hits = lib.search("grocery budget", k=1, within="*/grocery.mp4")
        assert hits and Path(hits[0].video).name == "grocery.mp4"
        (out,) = lib.export(hits, tmp_path / "clips")
    import av

    with av.open(str(out)) as c:
        seconds = float(c.duration or 0) / 1e6
    assert abs(seconds - (hits[0].end - hits[0].start)) < 0.5


def _plain_clips(folder: Path, n: int) -> list[Path]:
    return [
        make_clip(
            folder / f"c{i:02d}.mp4",
            [Part(1.0, color=f"0x{(i * 2654435761) % 0xFFFFFF:06x}")],
            fps=5,
            size=(160, 96),
        )
        for i in range(n)
    ]


def test_unchanged_files_are_skipped_fast_and_renames_not_decoded(tmp_path: Path) -> None:
    folder = tmp_path / "videos"
    clips = _plain_clips(folder, 20)
    db = tmp_path / "lib.sqlite"
    with Library(db, backbone="offline") as lib:
        first = lib.index([folder], asr=False, ocr=False)
    assert first.indexed == 20 and first.skipped == 0
    clock = time.perf_counter()
    with Library(db) as lib:  # a new process would start here: no model is loaded for unchanged files
        second = lib.index([folder], asr=False, ocr=False)
    assert time.perf_counter() - clock < 1.0
    assert (second.indexed, second.skipped, second.failed) == (0, 20, [])
    moved = clips[3].with_name("renamed.mp4")
    clips[3].rename(moved)
    with Library(db) as lib:
        before = lib.conn.execute(
            "SELECT id FROM videos WHERE path = ?", (str(clips[3].resolve()),)
        ).fetchone()
        third = lib.index([folder], asr=False, ocr=False)
        after = lib.conn.execute("SELECT id FROM videos WHERE path = ?", (str(moved.resolve()),)).fetchone()
    assert (third.indexed, third.moved, third.skipped) == (0, 1, 19)
    assert after == before  # the same row, pointed at the new name
    clips[5].unlink()
    with Library(db) as lib:
        gone = lib.index([folder], asr=False, ocr=False)
        assert gone.deleted == 1 and lib.stats().deleted == 1
        pruned = lib.index([folder], asr=False, ocr=False, prune=True)
        assert pruned.pruned == 1 and lib.stats().videos == 19


def test_damaged_file_is_reported_and_others_indexed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "videos"
    good = _plain_clips(folder, 2)
    big = make_clip(tmp_path / "big.mp4", [Part(4.0, color="0x123456")], fps=25, size=(320, 240))
    make_truncated(big, folder / "broken.mp4", keep=0.4)
    rc = main(
        [
            "index",
            str(folder),
            "--db",
            str(tmp_path / "lib.sqlite"),
            "--no-asr",
            "--no-ocr",
            "--json",
            "--backbone",
            "offline",
        ]
    )
    assert rc == 0
    out = capsys.readouterr()
    doc = json.loads(out.out)
    assert doc["indexed"] == len(good) and doc["skipped"] == 0
    assert [Path(f["path"]).name for f in doc["failed"]] == ["broken.mp4"]
    assert "broken.mp4" in doc["failed"][0]["reason"] and "broken.mp4" in out.err


def content_digest(db: Path) -> tuple[dict[str, int], str]:
    """Row counts and a hash of everything stored, ids and timestamps left out."""
    conn = sqlite3.connect(db)
    counts = {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("videos", "moments", "spans", "spans_fts", "vectors")
    }
    h = hashlib.sha256()
    for row in conn.execute(
        "SELECT path, size, fingerprint, status, round(duration, 3) FROM videos ORDER BY path"
    ):
        h.update(repr(row).encode())
    for row in conn.execute(
        "SELECT v.path, round(m.start, 3), round(m.end, 3), m.labels FROM moments m "
        "JOIN videos v ON v.id = m.video_id ORDER BY v.path, m.start"
    ):
        h.update(repr(row).encode())
    for row in conn.execute(
        "SELECT v.path, s.channel, round(s.start, 3), s.text FROM spans s "
        "JOIN videos v ON v.id = s.video_id ORDER BY v.path, s.channel, s.start, s.text"
    ):
        h.update(repr(row).encode())
    for path, kind, blob in conn.execute(
        "SELECT v.path, x.kind, x.vec FROM vectors x JOIN videos v "
        "ON v.id = x.video_id ORDER BY v.path, x.kind, x.ref - 0"
    ):
        h.update(
            f"{path}{kind}".encode()
            + np.round(np.frombuffer(blob, np.float16).astype(np.float32), 2).tobytes()
        )
    conn.close()
    return counts, h.hexdigest()


def test_kill_9_during_indexing_then_rerun_equals_an_uninterrupted_run(
    captioned: Path, captioned_lib: Path, tmp_path: Path
) -> None:
    """`vidgist index` SIGKILLed after its first video, then run again: the library equals the module's
    uninterrupted one (``captioned_lib``: the same folder, backbone and channels, indexed once)."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    cmd = [
        sys.executable,
        "-m",
        "vidgist",
        "index",
        str(captioned),
        "--no-asr",
        "--json",
        "--backbone",
        "offline",
    ]
    killed_db = tmp_path / "killed.sqlite"
    proc = subprocess.Popen(
        [*cmd, "--db", str(killed_db)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 240
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if killed_db.exists():
            try:
                with sqlite3.connect(killed_db, timeout=1) as c:
                    done = c.execute("SELECT count(*) FROM videos").fetchone()[0]
            except sqlite3.Error:
                done = 0
            if done >= 1:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "indexing finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 1 <= done < 4
    rerun = subprocess.run(
        [*cmd, "--db", str(killed_db)], env=env, capture_output=True, text=True, check=True
    )
    rep = json.loads(rerun.stdout)
    assert rep["skipped"] >= 1 and rep["indexed"] + rep["skipped"] == 4
    assert content_digest(killed_db) == content_digest(captioned_lib)
    assert sqlite3.connect(killed_db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_damaged_but_decodable_file_is_indexed_with_its_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 12's tolerant decoding: a file with corrupted video packets (under the damage rule) is indexed
    from what decodes, and the run says what was lost (--json "damaged", stderr, `library list`)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from fuzz_inputs import damage_copy

    folder = tmp_path / "videos"
    folder.mkdir()
    bad = damage_copy(SHARED / "narrated_demo_24s.mp4", "flip_video", folder, random.Random(0))
    db = str(tmp_path / "lib.sqlite")
    args = ["index", str(folder), "--db", db, "--no-asr", "--no-ocr", "--backbone", "offline"]
    assert main([*args, "--json"]) == 0
    out = capsys.readouterr()
    doc = json.loads(out.out)
    assert doc["indexed"] == 1 and doc["failed"] == []
    assert [d["path"] for d in doc["damaged"]] == [str(bad)] and "damaged file" in doc["damaged"][0][
        "warning"
    ]
    assert f"vidgist: warning: {bad}: damaged file" in out.err
    assert main(["library", "list", "--db", db]) == 0
    listed = capsys.readouterr().out
    assert listed.startswith("ok") and "damaged file" in listed


def test_bad_jobs_and_k_are_refused_before_any_work(tmp_path: Path) -> None:
    from vidgist.errors import InputError

    (tmp_path / "videos").mkdir()
    with Library(tmp_path / "lib.sqlite") as lib:
        for jobs in (0, -2):
            with pytest.raises(InputError, match=f"^--jobs {jobs}: must be an integer >= 1$"):
                lib.index([tmp_path / "videos"], jobs=jobs)
        with pytest.raises(InputError, match="^-k 0: must be an integer >= 1$"):
            lib.search("anything", k=0)
        assert lib.stats().videos == 0


def test_schema_version_and_foreign_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "lib.sqlite"
    conn = open_db(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    assert main(["library", "stats", "--db", str(db)]) == 2
    assert "newer than this vidgist" in capsys.readouterr().err
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    assert main(["search", "anything", "--db", str(other)]) == 2
    assert "not a vidgist library" in capsys.readouterr().err
    assert main(["search", "anything", "--db", str(tmp_path / "missing.sqlite")]) == 2
    assert "vidgist index" in capsys.readouterr().err


def test_version_2_library_migrates_and_stays_searchable(tmp_path: Path) -> None:
    """A file written by schema version 2 (FTS tokens without channel tokens) opens as version 3 with
    every span's channel token added, and a channel-limited search finds its spans."""
    db = tmp_path / "v2.sqlite"
    old = sqlite3.connect(db, isolation_level=None)
    for version, script in enumerate(MIGRATIONS[:2]):
        old.executescript(f"BEGIN; {script} PRAGMA user_version = {version + 1}; COMMIT;")
    old.execute(
        "INSERT INTO videos (id, path, size, mtime_ns, fingerprint, status, indexed_at) "
        "VALUES (1, '/v/a.mp4', 0, 0, 'x', 'ok', 0)"
    )
    old.execute("INSERT INTO moments (id, video_id, start, end) VALUES (1, 1, 0, 4), (2, 1, 4, 8)")
    old.execute(
        "INSERT INTO spans (id, video_id, channel, start, end, text) VALUES "
        "(1, 1, 'shown', 5, 6, 'GROCERY BUDGET'), (2, 1, 'query', 0, 8, 'grocery budget plan')"
    )
    old.execute(
        "INSERT INTO spans_fts (rowid, tokens) VALUES (1, 'grocery budget'), (2, 'grocery budget plan')"
    )
    old.close()
    conn = open_db(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    assert [r[0] for r in conn.execute("SELECT tokens FROM spans_fts ORDER BY rowid")] == [
        "grocery budget vgchshown",
        "grocery budget plan vgchquery",
    ]
    conn.close()
    with Library(db, backbone="offline") as lib:
        hits = lib.search("grocery budget", channels={"shown"})
        assert [(h.start, h.end) for h in hits] == [(5.0, 6.0)]  # the caption's own stretch
    assert match_expression("vgchshown budget") == '"budget"'  # a channel token is not a query word


def _vector_library(tmp_path: Path, n: int, seed: int) -> tuple[sqlite3.Connection, Path, np.ndarray]:
    """An empty library with one video row, and ``n`` random unit vectors (64 dims) to put in it."""
    rng = np.random.default_rng(seed)
    db = tmp_path / "v.sqlite"
    conn = open_db(db)
    conn.execute(
        "INSERT INTO videos (id, path, size, mtime_ns, fingerprint, status, indexed_at) "
        "VALUES (1, 'a', 0, 0, 'x', 'ok', 0)"
    )
    x = rng.standard_normal((n, 64)).astype(np.float32)
    return conn, db, x / np.linalg.norm(x, axis=1, keepdims=True)


def test_vector_index_switches_to_ivf_and_stays_in_step(tmp_path: Path) -> None:
    conn, db, x = _vector_library(tmp_path, 3000, 0)
    rng = np.random.default_rng(0)
    conn.executemany(
        "INSERT INTO vectors (video_id, kind, ref, vec) VALUES (1, 'frame', ?, ?)",
        [(i, v.astype(np.float16).tobytes()) for i, v in enumerate(x)],
    )
    index = VectorIndex(conn, db, exact_max=1000)
    q = x[42] + 0.05 * rng.standard_normal(64).astype(np.float32)
    assert index.search(q, "frame", 5)[0][0] == 43  # ids start at 1
    assert (tmp_path / "v.sqlite.frame.faiss").is_file()
    reopened = VectorIndex(conn, db, exact_max=1000)
    assert reopened.search(q, "frame", 1)[0][0] == 43
    conn.execute("DELETE FROM vectors WHERE id = 43")
    conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'vector_generation'")
    assert all(i != 43 for i, _ in VectorIndex(conn, db, exact_max=1000).search(q, "frame", 10))


def test_vector_index_saves_appends_in_batches_and_tolerates_an_unwritable_folder(tmp_path: Path) -> None:
    """A few rows appended after the IVF index was saved do not rewrite its file on the search path;
    ``flush`` saves them, and a new index loads them. An index asked not to write, or one beside a folder
    that cannot be written, searches from memory and writes nothing."""
    conn, db, x = _vector_library(tmp_path, 3050, 1)

    def insert(rows: np.ndarray, first: int) -> None:
        conn.executemany(
            "INSERT INTO vectors (video_id, kind, ref, vec) VALUES (1, 'frame', ?, ?)",
            [(first + i, v.astype(np.float16).tobytes()) for i, v in enumerate(rows)],
        )

    insert(x[:3000], 0)
    index = VectorIndex(conn, db, exact_max=1000)
    index.search(x[0], "frame", 1)
    saved = tmp_path / "v.sqlite.frame.faiss"
    before = saved.read_bytes()
    insert(x[3000:], 3000)  # 50 rows: under RESAVE_SHARE of 3000
    assert index.search(x[3020], "frame", 1)[0][0] == 3021  # found from memory at once
    assert saved.read_bytes() == before  # not re-serialised on the search path
    index.flush()
    assert saved.read_bytes() != before
    assert VectorIndex(conn, db, exact_max=1000).search(x[3020], "frame", 1)[0][0] == 3021

    reader = VectorIndex(conn, tmp_path / "ro.sqlite", exact_max=1000, writable=False)
    assert reader.search(x[7], "frame", 1)[0][0] == 8
    assert not (tmp_path / "ro.sqlite.frame.faiss").exists()
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    cannot = VectorIndex(conn, blocked / "v.sqlite", exact_max=1000)  # mkdir fails, even as root
    assert cannot.search(x[7], "frame", 1)[0][0] == 8
    cannot.flush()
    conn.close()


def test_summarize_reuses_the_library_evidence(
    captioned: Path, captioned_lib: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    video = captioned / "guitar.mp4"
    args = ["summarize", str(video), "-q", "tuning pegs", "--backbone", "offline", "--no-asr", "--no-video"]
    assert main([*args, "--db", str(captioned_lib), "-o", str(tmp_path / "reused")]) == 0
    assert "evidence reused from the library" in capsys.readouterr().err
    assert main([*args, "--no-library", "-o", str(tmp_path / "decoded")]) == 0
    assert "evidence reused" not in capsys.readouterr().err
    reused = json.loads((tmp_path / "reused" / "summary.json").read_text())
    decoded = json.loads((tmp_path / "decoded" / "summary.json").read_text())
    assert reused["segments"] and [round(s["start"], 1) for s in reused["segments"]] == [
        round(s["start"], 1) for s in decoded["segments"]
    ]
    assert main([*args, "--asr-model", "tiny.en", "--db", str(captioned_lib), "-o", str(tmp_path / "x")]) == 0
    err = capsys.readouterr().err
    assert "evidence reused" in err  # --no-asr asks for less than was indexed: still reusable
    changed = tmp_path / "guitar.mp4"
    make_clip(changed, [Part(3, "OTHER TEXT", color=COLORS[0])])
    with Library(captioned_lib) as lib:
        assert lib.stored_evidence(changed, "offline", None, False, True) is None  # not in the library
        assert lib.stored_evidence(video, "offline", None, True, True) is None  # indexed without speech
        assert lib.stored_evidence(video, "clip:ViT-B-32", None, False, True) is None


@pytest.fixture(scope="module")
def offline_summarizer() -> object:
    from vidgist.summarize.pipeline import Summarizer

    return Summarizer(backbone="offline", asr=False)


@pytest.mark.parametrize("query, part", [("guitar chords", 0), ("tuning pegs", 1)])
def test_search_and_summarize_agree_on_the_part(
    captioned: Path, captioned_lib: Path, offline_summarizer: object, query: str, part: int
) -> None:
    """``search`` and ``summarize -q`` (decoding the file again) put the best moment in the same part."""
    video = captioned / "guitar.mp4"
    with Library(captioned_lib, readonly=True) as lib:
        hits = lib.search(query, k=3, within="*/guitar.mp4")
    assert hits, f"no hit for {query!r}"
    result = offline_summarizer.summarize(video, queries=[query])  # type: ignore[attr-defined]
    assert result.match.matched
    in_part = [3.0 * part, 3.0 * (part + 1)]
    assert in_part[0] <= result.match.best_time < in_part[1]
    assert in_part[0] <= hits[0].best_time < in_part[1]
    assert in_part[0] - 0.01 <= hits[0].start and hits[0].end <= in_part[1] + 0.51  # the part, not the video
    assert abs(hits[0].relevance - result.match.best_relevance) < 0.02  # one relevance


def test_generated_queries_do_not_lift_other_moments(
    captioned: Path, captioned_lib: Path, offline_summarizer: object
) -> None:
    """Each generated query of a video (whole-video evidence) only ranks the video: every moment a hit
    covers has the summarizer's relevance over the threshold for that query on its own."""
    from vidgist.summarize.relevance import MIN_RELEVANCE

    with Library(captioned_lib, readonly=True) as lib:
        (vid,) = lib.conn.execute("SELECT id FROM videos WHERE path LIKE '%/grocery.mp4'").fetchone()
        generated = [
            t
            for (t,) in lib.conn.execute(
                "SELECT text FROM spans WHERE channel = 'query' AND video_id = ?", (vid,)
            )
        ]
        assert generated, "the video has no generated queries"
        checked = 0
        for q in generated:
            hits = lib.search(q, k=10, within="*/grocery.mp4")
            rel = offline_summarizer.summarize(captioned / "grocery.mp4", queries=[q]).relevance  # type: ignore[attr-defined]
            r, t = rel.per_query[0], rel.times
            for h in hits:
                assert all(e.channel != "about" for e in h.evidence)
                covered = r[(t >= h.start + 0.5) & (t <= h.end - 0.5)]
                assert (covered >= MIN_RELEVANCE - 0.02).all(), (q, h, covered)
                checked += 1
            weak_moments = t[r < MIN_RELEVANCE]
            for h in hits:
                assert not ((weak_moments > h.start + 0.5) & (weak_moments < h.end - 0.5)).any(), (q, h)
    assert checked, "no generated query matched anything"


def test_text_vectors_are_the_relevance_models_and_named_in_meta(captioned_lib: Path) -> None:
    """Spoken and on-screen texts are stored in the text model relevance compares them in; frames stay in
    the backbone's text space; the file names the text model and its dimension."""
    from vidgist.backbones import relevance_text_encoder
    from vidgist.library.text_model import TEXT_DIM, TEXT_MODEL

    with Library(captioned_lib, readonly=True) as lib:
        meta = dict(lib.conn.execute("SELECT key, value FROM meta").fetchall())
        rows = lib.conn.execute(
            "SELECT s.text, x.vec FROM spans s JOIN vectors x ON x.kind = 'text' AND x.ref = s.id"
        ).fetchall()
        (frame_dim,) = lib.conn.execute("SELECT length(vec) / 2 FROM vectors WHERE kind = 'frame'").fetchone()
    assert (meta["text_model"], int(meta["text_dim"])) == (TEXT_MODEL, TEXT_DIM) == ("all-mpnet-base-v2", 768)
    assert len(rows) >= 4 and frame_dim == 384  # frames: the offline backbone's space
    fresh = relevance_text_encoder()([t for t, _ in rows])
    stored = np.stack([np.frombuffer(v, np.float16).astype(np.float32) for _, v in rows])
    assert stored.shape == (len(rows), 768)
    assert np.abs((stored * fresh).sum(axis=1) - 1).max() < 2e-3


def test_a_library_with_older_text_vectors_is_refused_then_reembedded(
    captioned_lib: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file whose text vectors come from an older text model: `search` says so in one line naming the
    file and the command (exit 2); `vidgist index --db F` re-embeds the stored texts (an interrupted run
    goes on where it stopped), after which the hits are the current library's."""
    import shutil

    from vidgist.library import text_model

    db = tmp_path / "old.sqlite"
    shutil.copy(captioned_lib, db)
    with Library(captioned_lib, readonly=True) as lib:
        want = [(h.video, h.start, h.end, round(h.relevance, 2)) for h in lib.search("tuning pegs", k=3)]
    conn = sqlite3.connect(db, isolation_level=None)
    ids = [i for (i,) in conn.execute("SELECT id FROM vectors WHERE kind = 'text' ORDER BY id")]
    rng = np.random.default_rng(0)
    conn.executemany(  # the older model's 384-dim vectors
        "UPDATE vectors SET vec = ? WHERE id = ?",
        [(rng.standard_normal(384).astype(np.float16).tobytes(), i) for i in ids],
    )
    conn.execute("DELETE FROM meta WHERE key IN ('text_model', 'text_dim')")
    conn.close()
    assert main(["search", "tuning pegs", "--db", str(db)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(db) in err[0] and "384 dimensions" in err[0]
    assert f"vidgist index --db {db}" in err[0]
    # an interrupted re-embedding: the first half done and marked
    half = ids[len(ids) // 2 - 1]
    conn = open_db(db)
    assert text_model.update(conn) == len(ids)
    conn.execute("UPDATE vectors SET vec = ? WHERE kind = 'text' AND id > ?", (b"\0" * 768, half))
    conn.execute("DELETE FROM meta WHERE key IN ('text_model', 'text_dim')")
    conn.execute("INSERT INTO meta (key, value) VALUES ('text_reembed_after', ?)", (str(half),))
    conn.close()
    assert main(["index", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["reembedded"] == len(ids) - len(ids) // 2
    with Library(db, readonly=True) as lib:
        got = [(h.video, h.start, h.end, round(h.relevance, 2)) for h in lib.search("tuning pegs", k=3)]
        assert lib.conn.execute("SELECT count(*) FROM meta WHERE key = 'text_reembed_after'").fetchone() == (
            0,
        )
    assert got == want and got
