"""Benchmark the video library: retrieval quality, search latency at scale, indexing throughput.

One run prints, side by side:

1. Retrieval on the development set (``library_devset``: generated narrated and captioned micro-videos
   and composites, English and Chinese) indexed together with ../shared/videos as distractors: for every
   reference query, R@1, R@5 and MRR of finding the right video, and hit@1 of finding the right part
   (the top hit overlaps the part by more than 0.25 s), per language; per evidence kind (search limited
   to 'said', 'shown', 'seen' or 'query'); and per ranking (RRF alone, relevance alone, both: the default).
2. Scale with synthetic rows (clustered random unit vectors, text from a 5,000-word vocabulary; no video
   decoded) at 10k / 100k / 1M moments: library file size, build time, and the median and p95 latency of
   100 end-to-end searches (query embedding, BM25, vector search, fusion, re-scoring); beside it the
   vector search alone, exact (numpy) against the IVF index, with the IVF's recall@10.
3. Real-video indexing throughput (video seconds per wall second) on the 10-minute 1280x720 benchmark
   video of ``bench_summarize.py``, without and with speech (Whisper base).

    python benchmarks/bench_library.py [--workdir /tmp/vidgist-bench-library] [--scales 10000,100000,1000000]
        [--skip retrieval,scale,throughput]

Selection rule: the constants in ``vidgist.library.search`` were set on the English part of this
development set and left alone for Chinese and for ../shared/videos.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SHARED_VIDEOS = HERE.parents[0].parent / "shared" / "videos"
sys.path.insert(0, str(HERE))


def _fmt_row(name: str, vals: dict[str, float]) -> str:
    return f"  {name:28s} " + "  ".join(f"{k} {v:.3f}" for k, v in vals.items())


def retrieval(workdir: Path, asr: bool = True, shared: bool = True) -> None:
    import library_devset

    from vidgist.library import Library

    dev = workdir / "dev"
    refs = library_devset.build(str(dev))
    db = workdir / f"retrieval{'' if asr else '-no-asr'}.sqlite"
    paths = [dev] + ([SHARED_VIDEOS] if shared and SHARED_VIDEOS.is_dir() else [])
    with Library(db, backbone="offline") as lib:
        clock = time.perf_counter()
        rep = lib.index(paths, asr=asr, asr_model="base", progress=True)
        st = lib.stats()
        print(
            f"{'with' if asr else 'without'} speech: indexed {rep.indexed} videos "
            f"({rep.video_seconds:.0f} s of video) in {time.perf_counter() - clock:.0f} s"
            f" (skipped {rep.skipped} already indexed); failed {len(rep.failed)}; {st.videos} videos, "
            f"{st.moments} moments, spans {st.spans}"
        )

        def evaluate(channels: set[str] | None, fusion: str) -> dict[str, dict[str, float]]:
            out: dict[str, dict[str, float]] = {}
            for lang in ("en", "zh"):
                ranks, parts = [], []
                for r in refs:
                    if r.lang != lang:
                        continue
                    hits = lib.search(r.query, k=20, channels=channels, fusion=fusion)
                    videos = list(dict.fromkeys(Path(h.video).name for h in hits))
                    ranks.append(videos.index(r.file) + 1 if r.file in videos else 0)
                    if r.kind == "part":
                        top = hits[0] if hits else None
                        parts.append(
                            bool(
                                top
                                and Path(top.video).name == r.file
                                and min(top.end, r.end) - max(top.start, r.start) > 0.25
                            )
                        )
                rk = np.array(ranks)
                out[lang] = {
                    "R@1": float(np.mean(rk == 1)),
                    "R@5": float(np.mean((rk >= 1) & (rk <= 5))),
                    "MRR": float(np.mean(np.where(rk > 0, 1.0 / np.maximum(rk, 1), 0.0))),
                    "part hit@1": float(np.mean(parts)) if parts else float("nan"),
                }
            return out

        n_en = sum(r.lang == "en" for r in refs)
        print(
            f"\nretrieval: {len(refs)} reference queries ({n_en} English, {len(refs) - n_en} Chinese; "
            f"{sum(r.kind == 'part' for r in refs)} of them for composite parts)"
        )
        print("targets: video R@1 >= 0.9, part hit@1 >= 0.8, in both languages")
        for label, channels, fusion in [
            ("all evidence, rrf+relevance", None, "rrf+relevance"),
            ("all evidence, rrf only", None, "rrf"),
            ("all evidence, relevance only", None, "relevance"),
            ("said only", {"said"}, "rrf+relevance"),
            ("shown only", {"shown"}, "rrf+relevance"),
            ("seen only", {"seen"}, "rrf+relevance"),
            ("generated queries only", {"query"}, "rrf+relevance"),
        ]:
            res = evaluate(channels, fusion)
            for lang in ("en", "zh"):
                print(_fmt_row(f"{label} [{lang}]", res[lang]))
        clock = time.perf_counter()
        for r in refs:
            lib.search(r.query, k=10)
        print(f"  mean search time on this library: {(time.perf_counter() - clock) / len(refs) * 1e3:.1f} ms")


def _vocab(rng: np.random.Generator) -> list[str]:
    return [f"w{i}" + "".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), 4)) for i in range(5000)]


def _synthetic_library(db: Path, n_moments: int, rng: np.random.Generator, vocab: list[str]) -> float:
    """A library of ``n_moments`` synthetic moments (100 per video, a speech span per 4 moments, vectors
    clustered around 2,000 topic centres), written in bulk into the real schema; returns the seconds taken.
    The file is marked complete (meta 'synthetic_moments') so ``--keep`` can reuse it."""
    from vidgist.library.schema import open_db
    from vidgist.library.store import transaction
    from vidgist.library.text import indexed_tokens

    zipf = 1.0 / np.arange(1, len(vocab) + 1)
    zipf /= zipf.sum()
    centres = rng.standard_normal((2000, 384)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    conn = open_db(db)
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('backbone', 'offline')")
    clock = time.perf_counter()
    per_video, batch = 100, 10_000
    vec_id = span_id = 0
    for first in range(0, n_moments, batch):
        ids = np.arange(first, min(first + batch, n_moments))
        vecs = centres[rng.integers(0, len(centres), len(ids))] + 0.04 * rng.standard_normal(
            (len(ids), 384)
        ).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        vecs16 = vecs.astype(np.float16)
        with transaction(conn):
            for v in range(ids[0] // per_video, ids[-1] // per_video + 1):
                conn.execute(
                    "INSERT INTO videos (id, path, size, mtime_ns, fingerprint, duration, status, settings, "
                    "indexed_at) VALUES (?, ?, 1, 1, ?, ?, 'ok', '{}', 0)",
                    (v + 1, f"/synthetic/{v:06d}.mp4", f"{v:032x}", per_video * 5.0),
                )
            conn.executemany(
                "INSERT INTO moments (id, video_id, start, end, labels) VALUES (?, ?, ?, ?, '')",
                [
                    (int(i) + 1, int(i) // per_video + 1, (i % per_video) * 5.0, (i % per_video) * 5.0 + 5)
                    for i in ids
                ],
            )
            rows_v = [
                (vec_id + j + 1, int(i) // per_video + 1, "frame", int(i) + 1, vecs16[j].tobytes())
                for j, i in enumerate(ids)
            ]
            vec_id += len(ids)
            spans, fts = [], []
            starts = ids[::4]
            words = rng.choice(len(vocab), (len(starts), 12), p=zipf)
            for j, i in enumerate(starts):
                span_id += 1
                vid = int(i) // per_video + 1
                text = " ".join(vocab[w] for w in words[j])
                spans.append((span_id, vid, (i % per_video) * 5.0, (i % per_video) * 5.0 + 20, text))
                fts.append((span_id, indexed_tokens(text, "said")))
                vec_id += 1
                rows_v.append((vec_id, vid, "text", span_id, vecs16[j * 4].tobytes()))
            conn.executemany(
                "INSERT INTO spans (id, video_id, channel, start, end, text) VALUES (?, ?, 'said', ?, ?, ?)",
                spans,
            )
            conn.executemany("INSERT INTO spans_fts (rowid, tokens) VALUES (?, ?)", fts)
            conn.executemany(
                "INSERT INTO vectors (id, video_id, kind, ref, vec) VALUES (?, ?, ?, ?, ?)", rows_v
            )
    with transaction(conn):
        conn.execute("INSERT INTO meta (key, value) VALUES ('synthetic_moments', ?)", (str(n_moments),))
    conn.close()
    return time.perf_counter() - clock


def _complete(db: Path, n_moments: int) -> bool:
    """``db`` holds a finished synthetic library of ``n_moments`` moments (from an earlier --keep run)."""
    import sqlite3

    if not db.is_file():
        return False
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        row = conn.execute("SELECT value FROM meta WHERE key = 'synthetic_moments'").fetchone()
        conn.close()
    except sqlite3.DatabaseError:
        return False
    return row is not None and row[0] == str(n_moments)


def scale(workdir: Path, scales: list[int], keep: bool = False) -> None:
    from vidgist.library import Library
    from vidgist.library.vectors import VectorIndex, load_rows

    print(
        "\nscale (synthetic rows; 100 queries each; end-to-end = embed + BM25 + vectors + fusion + re-score)"
    )
    print(
        f"  {'moments':>9s} {'file MB':>8s} {'write s':>8s} {'ivf build s':>11s} {'e2e med ms':>10s} "
        f"{'e2e p95 ms':>10s} {'exact med ms':>12s} {'ivf med ms':>10s} {'ivf p95 ms':>10s} {'ivf R@10':>8s} "
        f"{'e2e cpu med':>11s} {'e2e cpu p95':>11s}"
    )
    for n in scales:
        rng = np.random.default_rng(n)
        vocab = _vocab(rng)
        db = workdir / f"scale-{n}.sqlite"
        reused = keep and _complete(db, n)
        if not reused:
            for f in workdir.glob(f"scale-{n}.sqlite*"):
                f.unlink()
            write_s = _synthetic_library(db, n, rng, vocab)
        rng = np.random.default_rng(n + 1)  # the queries: the same whether the file was reused or not
        with Library(db) as lib:
            conn = lib.conn
            ids, mat = load_rows(conn, "frame")
            queries = mat[rng.choice(len(mat), 100, replace=False)] + 0.02 * rng.standard_normal(
                (100, 384)
            ).astype(np.float32)
            queries /= np.linalg.norm(queries, axis=1, keepdims=True)
            exact_ms, exact_top = [], []
            for q in queries:
                t = time.perf_counter()
                sims = mat @ q
                top = np.argpartition(-sims, 9)[:10]
                exact_ms.append((time.perf_counter() - t) * 1e3)
                exact_top.append(set(ids[top].tolist()))
            del mat
            vi = VectorIndex(conn, db)
            clock = time.perf_counter()
            vi.refresh("frame")
            vi.refresh("text")
            build_s = time.perf_counter() - clock
            ivf_ms, recall = [], []
            for q, truth in zip(queries, exact_top, strict=True):
                t = time.perf_counter()
                got = vi.search(q, "frame", 10)
                ivf_ms.append((time.perf_counter() - t) * 1e3)
                recall.append(len(truth & {i for i, _ in got}) / 10)
            lib._vectors = vi
            texts = [" ".join(rng.choice(vocab[:2000], 2)) for _ in range(100)]
            lib.search(texts[0])  # loads the text model
            e2e, cpu = [], []
            for text in texts:
                t, c = time.perf_counter(), time.process_time()
                lib.search(text, k=10)
                e2e.append((time.perf_counter() - t) * 1e3)
                cpu.append((time.process_time() - c) * 1e3)
        size = sum(f.stat().st_size for f in workdir.glob(f"scale-{n}.sqlite*")) / 1e6
        written = "reused" if reused else f"{write_s:.1f}"
        print(
            f"  {n:>9d} {size:>8.0f} {written:>8s} {build_s:>11.1f} {statistics.median(e2e):>10.1f} "
            f"{np.percentile(e2e, 95):>10.1f} {statistics.median(exact_ms):>12.2f} "
            f"{statistics.median(ivf_ms):>10.2f} "
            f"{np.percentile(ivf_ms, 95):>10.2f} {np.mean(recall):>8.3f} {statistics.median(cpu):>11.1f} "
            f"{np.percentile(cpu, 95):>11.1f}"
        )
        print(
            "  (ivf columns at 10k: exact search, the index switches to IVF above 65,536 vectors)"
            if n <= 65536
            else "",
            end="\n" if n <= 65536 else "",
        )
        if not keep:
            for f in workdir.glob(f"scale-{n}.sqlite*"):
                f.unlink()
    print("  target: end-to-end p95 < 100 ms at 1M moments")
    print(
        f"  load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
        "(wall times include "
        "waiting for a core; the cpu columns are this process's CPU time per search)"
    )


def throughput(workdir: Path, with_asr: bool = True) -> None:
    import bench_summarize

    from vidgist.library import Library
    from vidgist.media.video import keyframe_gap, probe

    video = bench_summarize.make_video(Path("/tmp/vidgist-bench") / "bench_10min.mp4", 10)
    # the same picture with a key frame every 2 s (phones, streaming): the library decodes key frames only
    video_gop2 = bench_summarize.make_video(Path("/tmp/vidgist-bench") / "bench_10min_gop2s.mp4", 10, gop=50)
    runs = [(video, False), (video_gop2, False)] + ([(video, True)] if with_asr else [])
    for path, asr in runs:
        duration = probe(path).duration
        db = workdir / f"throughput-{asr}.sqlite"
        for f in workdir.glob(db.name + "*"):
            f.unlink()
        with Library(db, backbone="offline") as lib:
            clock, cpu = time.perf_counter(), time.process_time()
            lib.index([path], asr=asr, asr_model="base")
            secs, cpu = time.perf_counter() - clock, time.process_time() - cpu
            st = lib.stats()
        print(
            f"\nindexing throughput on {path.name} ({duration:.0f} s, 1280x720, key frames every "
            f"{keyframe_gap(path):.0f} s)\n"
            f"  {'with' if asr else 'without'} ASR: {secs:.1f} s wall = {duration / secs:.1f}x real time "
            f"({st.moments} moments, spans {st.spans}; {cpu:.0f} CPU s = {duration / cpu:.1f}x per CPU "
            "second; "
            f"load average {os.getloadavg()[0]:.1f})" + ("   target >= 30x" if not asr else "")
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/vidgist-bench-library"))
    ap.add_argument("--scales", default="10000,100000,1000000")
    ap.add_argument("--skip", default="", help="comma-separated: retrieval, scale, throughput")
    ap.add_argument("--no-asr", action="store_true", help="retrieval: index without speech (faster)")
    ap.add_argument("--no-throughput-asr", action="store_true", help="throughput: without speech only")
    ap.add_argument(
        "--keep",
        action="store_true",
        help="scale: keep the synthetic libraries in --workdir and reuse them (and their IVF caches)",
    )
    ap.add_argument("--no-shared", action="store_true", help="retrieval: leave ../shared/videos out")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    skip = set(filter(None, args.skip.split(",")))
    if "retrieval" not in skip:
        retrieval(args.workdir, asr=not args.no_asr, shared=not args.no_shared)
    if "scale" not in skip:
        scale(args.workdir, [int(x) for x in args.scales.split(",")], keep=args.keep)
    if "throughput" not in skip:
        throughput(args.workdir, with_asr=not args.no_throughput_asr)
    shutil.rmtree(args.workdir / "unused", ignore_errors=True)


if __name__ == "__main__":
    main()
