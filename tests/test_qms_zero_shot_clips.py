"""`vidgist query` zero-shot on two generated clips (espeak-ng narration + ffmpeg-drawn English captions;
Chinese captions in WenQuanYi Zen Hei): query-like English phrases, Chinese with no flag, whole words,
no glued OCR tokens, and the same OCR cleaning in `vidgist summarize`'s on-screen-text channel."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest
from zh_words import whole_words

from benchmarks.make_qms_dev_set import SHARED_VIDEOS, make_captioned_clip
from vidgist.cli.main import main
from vidgist.media.ocr_text import split_glued

EN_SAY = "Here are three tips to save money on your grocery budget. Make a shopping list before you go."
EN_CAPTIONS = [(0.0, 4.0, "GROCERY BUDGET"), (4.0, 8.0, "MAKE A LIST")]
ZH_CAPTIONS = [(0.0, 4.0, "自行车链条保养"), (4.0, 8.0, "先清洁链条")]
_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("qms-clips")
    en = make_captioned_clip(d / "budget.mp4", SHARED_VIDEOS / "city_8s_360p.mp4", EN_CAPTIONS, say=EN_SAY)
    zh = make_captioned_clip(d / "chain.mp4", SHARED_VIDEOS / "bikes_10s.mp4", ZH_CAPTIONS, cjk=True)
    return en, zh


@pytest.fixture(scope="module")
def records(clips: tuple[Path, Path]) -> dict[str, dict]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(["query", str(clips[0]), str(clips[1]), "-n", "5"])  # no language flag
    assert rc == 0, err.getvalue()
    recs = [json.loads(x) for x in out.getvalue().splitlines() if x.strip()]
    return {Path(r["path"]).stem: r for r in recs}


def test_english_clip_gives_query_like_phrases(records: dict[str, dict]) -> None:
    r = records["budget"]
    assert r["language"] == "en" and r["asr_language"] == "en"
    # the English captions decide the language: English-only tiny.en, no multilingual pass
    assert r["asr_model"] == "tiny.en" and r["asr_route"] == "tiny.en: English on-screen text"
    queries = [s["query"] for s in r["suggestions"]]
    assert 3 <= len(queries) <= 5, r
    assert 2 <= len(queries[0].split()) <= 6, queries
    assert "grocery" in queries[0] or "budget" in queries[0], (queries, r["transcript"], r["onscreen_text"])
    for q in queries:  # no glued OCR token such as "grocerybudget" or "makealist"
        assert all(split_glued(w) == [w] for w in q.split()), q
    assert any("GROCERY BUDGET" in line for line in r["onscreen_text"]), r["onscreen_text"]


def test_chinese_captioned_clip_gives_chinese_whole_word_suggestions(records: dict[str, dict]) -> None:
    r = records["chain"]
    assert r["language"] == "zh" and r["asr_model"] == "" and r["transcript"] == ""
    queries = [s["query"] for s in r["suggestions"]]
    assert queries and all(_CJK.search(q) for q in queries), queries
    for q in queries:
        assert 2 <= len(q) <= 8 and whole_words(q, r["onscreen_text"]), (q, r["onscreen_text"])
    assert any("链条" in q for q in queries[:2]), queries


def test_summarize_onscreen_text_channel_splits_glued_words(clips: tuple[Path, Path]) -> None:
    from vidgist.backbones import load_backbone
    from vidgist.media.video import probe
    from vidgist.summarize.evidence import collect

    ev, _thumbs, _stages = collect(probe(clips[0]), load_backbone("offline"), 1.0, ocr=True, asr_model=None)
    lines = [s.text for s in ev.spans if s.source == "ocr"]
    assert any("GROCERY BUDGET" in t for t in lines), lines
    for t in lines:
        assert all(split_glued(w) == [w] for w in re.findall(r"[A-Za-z]+", t)), t
        assert sum(c.isalnum() for c in t) >= 2, t  # no one-character noise
