"""Library search scores speech windows (two neighbouring utterances joined) as `vidgist summarize -q` does,
from window vectors stored at index time; a library written before them is backfilled by `vidgist index`."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from videogen import make_video

from vidgist import Summarizer
from vidgist.cli.main import main
from vidgist.library import Library

NAVY = (20, 30, 90)
FIRST = "Put the kettle on and warm the pot with a splash of hot water."
SECOND = "Tip it out, add two spoons of leaves and let them steep for four minutes."
QUERY = "making a cup of tea"


@pytest.fixture(scope="module")
def talk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 15-s clip: silence, two sentences said one after the other, silence (espeak-ng, real Whisper)."""
    folder = tmp_path_factory.mktemp("windows")
    parts = [{"duration": 3.0, "color": NAVY}, {"duration": 4.2, "color": NAVY, "say": FIRST}]
    parts += [{"duration": 4.8, "color": NAVY, "say": SECOND}, {"duration": 3.0, "color": NAVY}]
    make_video(folder / "tea.mp4", parts, fps=10, size=(320, 180), sample_rate=22050)
    return folder


@pytest.fixture(scope="module")
def talk_lib(talk: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("windows-lib") / "lib.sqlite"
    with Library(db, backbone="offline") as lib:
        lib.index([talk], asr_model="tiny.en")
    return db


def test_search_scores_the_stored_windows_as_summarize_does(talk: Path, talk_lib: Path) -> None:
    """The index stores one vector per speech window; the hit's relevance is the summarizer's own (with
    its windows) for the same query, and the hit lies on the two sentences."""
    with Library(talk_lib, readonly=True) as lib:
        stored = lib.conn.execute("SELECT text FROM window_vectors").fetchall()
        hits = lib.search(QUERY, k=3)
    assert len(stored) >= 1 and all(len(t.split()) >= 8 for (t,) in stored), stored
    result = Summarizer(backbone="offline").summarize(talk / "tea.mp4", queries=[QUERY])
    assert result.match.matched and hits
    assert abs(hits[0].relevance - result.match.best_relevance) < 0.02
    assert 2.0 <= hits[0].best_time <= 13.0


def test_a_library_without_window_vectors_is_backfilled_by_index(
    talk_lib: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file written before window vectors (none stored, marked pending): search scores utterances alone;
    `vidgist index --db F` encodes the stored videos' windows from their stored evidence, after which the
    hits are the full library's again."""
    db = tmp_path / "old.sqlite"
    shutil.copy(talk_lib, db)
    with Library(talk_lib, readonly=True) as lib:
        want = [(h.start, h.end, round(h.relevance, 3)) for h in lib.search(QUERY, k=3)]
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DELETE FROM window_vectors")
    conn.execute("INSERT INTO meta (key, value) VALUES ('windows_pending', '0')")
    conn.close()
    with Library(db, readonly=True) as lib:
        before = [(h.start, h.end, round(h.relevance, 3)) for h in lib.search(QUERY, k=3, weak=True)]
    assert before != want  # utterances alone: another relevance
    assert main(["index", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["windowed"] == 1
    with Library(db, readonly=True) as lib:
        got = [(h.start, h.end, round(h.relevance, 3)) for h in lib.search(QUERY, k=3)]
        assert lib.conn.execute("SELECT count(*) FROM meta WHERE key = 'windows_pending'").fetchone() == (0,)
    assert got == want and got
