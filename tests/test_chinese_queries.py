"""Chinese queries meet Chinese speech and on-screen text by meaning (multilingual-e5-small), not by a
shared character: real clips with FFmpeg-drawn captions read by OCR, the real e5 model, the CLI and a
library on an SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from librarygen import Part, make_clip

from vidgist.cli.main import main
from vidgist.library import Library
from vidgist.types import Evidence, Features, TextSpan, VideoInfo

#: a kitchen clip whose captions hold both characters of "火山" (volcano), in "大火" (high heat) and "山药"
#: (yam), and an island clip whose second caption is about a volcano
KITCHEN = ("大火快炒青菜", "山药去皮切片")
ISLAND = ("渔船清晨出海捕鱼", "岛上火山正在喷发")


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("zh-clips")
    for name, captions, colors in (
        ("kitchen", KITCHEN, ("0x553311", "0x335511")),
        ("island", ISLAND, ("0x113355", "0x551133")),
    ):
        parts = [Part(4, text, lang="zh", color=c) for text, c in zip(captions, colors, strict=True)]
        make_clip(d / f"{name}.mp4", parts)
    return d


def _summarize(video: Path, query: str, out: Path) -> dict:
    rc = main(["summarize", str(video), "--no-asr", "--no-video", "-q", query, "-o", str(out)])
    assert rc == 0
    return json.loads((out / "summary.json").read_text())


def test_a_shared_character_does_not_match_but_the_meaning_does(clips: Path, tmp_path: Path) -> None:
    kitchen = _summarize(clips / "kitchen.mp4", "火山", tmp_path / "kitchen")
    assert not kitchen["match"]["matched"] and kitchen["match"]["best_relevance"] < 0.45, kitchen["match"]
    island = _summarize(clips / "island.mp4", "火山", tmp_path / "island")
    assert island["match"]["matched"] and island["match"]["best_relevance"] > 0.8, island["match"]
    assert 3.5 <= island["match"]["best_time"] <= 8.0, island["match"]


def test_library_search_finds_the_part_a_chinese_query_means(clips: Path, tmp_path: Path) -> None:
    db = tmp_path / "lib.sqlite"
    with Library(db, backbone="offline") as lib:
        report = lib.index([clips], asr=False)
        assert report.indexed == 2 and not report.failed
        volcano = [h for h in lib.search("火山", k=5) if not h.weak]
        stir_fry = [h for h in lib.search("炒菜", k=5) if not h.weak]  # not said verbatim: 大火快炒青菜
    assert [Path(h.video).name for h in volcano] == ["island.mp4"], volcano
    assert volcano[0].start >= 3.5 and volcano[0].end <= 8.01, volcano
    assert [Path(h.video).name for h in stir_fry] == ["kitchen.mp4"], stir_fry
    assert stir_fry[0].end <= 4.5, stir_fry


def _evidence(lines: list[tuple[float, str]], source: str = "speech") -> Evidence:
    """Evidence holding only text spans of 4 s each, a moment a second."""
    duration = max(t for t, _ in lines) + 4.0
    times = np.arange(0.5, duration, 1.0)
    info = VideoInfo(Path("text.mp4"), duration, 25.0, int(duration * 25), 640, 360, 0, True)
    spans = tuple(TextSpan(t, t + 4.0, text, source) for t, text in lines)
    return Evidence(info, Features(times, np.zeros((len(times), 0), np.float32)), None, spans)


def test_the_character_share_matched_the_unrelated_caption() -> None:
    """The material above is a real trap: read by its characters, the kitchen matches "火山"."""
    from vidgist.backbones import load_backbone
    from vidgist.summarize.relevance import relevance, relevance_channels

    ev = _evidence([(0.0, KITCHEN[0]), (4.0, KITCHEN[1])], "ocr")
    backbone = load_backbone("offline")
    best = {}
    for read in (False, True):
        raw = relevance_channels(ev, ["火山"], backbone, read_unread=read)
        best[read] = float(relevance(ev.frames.times, raw, ["火山"], False, ev.info.duration).overall.max())
    assert best[False] >= 0.5 and best[True] < 0.45, best


def test_english_queries_and_english_text_are_read_as_before() -> None:
    """Only unread queries on mostly-CJK spans change: an English query keeps its values everywhere, and
    a Chinese query keeps the character share on English speech."""
    from vidgist.backbones import load_backbone
    from vidgist.summarize.relevance import relevance_channels

    ev = _evidence([(0.0, "The ferry leaves the harbour at dawn."), (4.0, ISLAND[1])])
    backbone = load_backbone("offline")
    queries = ["lava pouring down a mountain", "火山"]
    new = relevance_channels(ev, queries, backbone)["speech"]
    old = relevance_channels(ev, queries, backbone, read_unread=False)["speech"]
    np.testing.assert_allclose(new[0], old[0])
    english = ev.frames.times < 3.0  # covered by the English sentence alone
    np.testing.assert_allclose(new[1][english], old[1][english])
    assert not np.allclose(new[1][~english], old[1][~english])


def test_mentions_and_the_noun_bank() -> None:
    from vidgist.backbones.label_cache import NOUN_BANK, jieba_common_nouns
    from vidgist.summarize.unread_queries import holds, unread

    assert holds("火山", "岛上 火山正在喷发") and not holds("火山", "大火快炒，山药切片")
    assert unread(["a volcano", "火山", "火山的照片"]) == [1, 2]
    nouns = jieba_common_nouns()
    assert len(nouns) == NOUN_BANK == len(set(nouns)) and all(len(w) >= 2 for w in nouns)
    assert nouns == jieba_common_nouns.__wrapped__()  # the same bank from a fresh read


_EMBED = """
import sys, numpy as np
import vidgist.backbones.e5 as e5
calls = []
plain = e5.e5_passage
e5.e5_passage = lambda texts: (calls.append(len(texts)), plain(texts))[1]
vecs = e5.e5_passage_cached(["渔船清晨出海", "大火快炒", "渔船清晨出海"])
np.save(sys.argv[1], vecs)
print(sum(calls))
"""


def test_e5_passages_are_kept_on_disk_for_the_next_process(tmp_path: Path) -> None:
    """The first process embeds two distinct texts; the next one reads them from the cache folder and
    embeds nothing, with the same vectors; a damaged file is not trusted but replaced."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "VIDGIST_CACHE": str(tmp_path / "cache")}

    def run(out: str) -> tuple[int, np.ndarray]:
        done = subprocess.run(
            [sys.executable, "-c", _EMBED, str(tmp_path / out)], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return int(done.stdout.split()[-1]), np.load(tmp_path / out)

    first, a = run("a.npy")
    again, b = run("b.npy")
    assert (first, again) == (2, 0)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a[0], a[2])
    [store] = (tmp_path / "cache").glob("e5-passages-*.sqlite")
    store.write_bytes(b"not a database" * 100)
    damaged, c = run("c.npy")
    mended, d = run("d.npy")
    assert (damaged, mended) == (2, 0)  # the damaged file is replaced by a good one
    np.testing.assert_allclose(c, a, atol=1e-6)
    np.testing.assert_array_equal(c, d)


def test_the_passage_store_keeps_its_newest_rows(tmp_path: Path) -> None:
    from vidgist.backbones import passage_store

    path, vecs = tmp_path / "p.sqlite", np.eye(5, 4, dtype=np.float32)
    old = passage_store.MAX_ROWS
    passage_store.MAX_ROWS = 3
    try:
        passage_store.keep(path, ["a", "b", "c", "d", "e"], vecs)
    finally:
        passage_store.MAX_ROWS = old
    found = passage_store.lookup(path, ["a", "b", "c", "d", "e", "f"], 4)
    assert sorted(found) == ["c", "d", "e"]
    np.testing.assert_array_equal(found["e"], vecs[4])
    assert passage_store.lookup(path, ["c"], 8) == {}  # another width is not this file's


def test_frames_do_not_answer_a_query_the_offline_text_model_cannot_read(clips: Path) -> None:
    """The offline bridge meets queries in all-MiniLM-L6-v2 (English): for a Chinese query the frames are
    no evidence (its cosine would be noise), while an English query still reads them."""
    from vidgist.backbones import load_backbone
    from vidgist.summarize.pipeline import Summarizer
    from vidgist.summarize.relevance import relevance_channels

    s = Summarizer(backbone="offline", asr=False, ocr=False)
    evidence, _fps, _thumbs = s.collect_evidence(clips / "island.mp4")
    raw = relevance_channels(evidence, ["火山", "a volcano"], load_backbone("offline"))
    assert set(raw) == {"visual"}
    assert np.all(np.isnan(raw["visual"][0])) and not np.any(np.isnan(raw["visual"][1]))
