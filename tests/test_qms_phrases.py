"""vidgist.qms.phrases and vidgist.media.ocr_text on text: phrase boundaries, glued OCR words, Chinese words,
language detection, ranking with diversity (real jieba, wordninja frequencies and multilingual e5)."""

from __future__ import annotations

from zh_words import whole_words

from vidgist.media.ocr_text import clean_line, split_glued
from vidgist.qms.phrases import FUNCTION, best_phrases, detect_language, extract, learn_verbs, likeness, rank


def test_clean_line_splits_glued_caption_words_and_drops_noise() -> None:
    assert clean_line("GROCERYBUDGET") == "GROCERY BUDGET"
    assert clean_line("FIXA FLATTIRE") == "FIX A FLAT TIRE"
    assert clean_line("yogaforbeginner") == "yoga for beginner"
    assert clean_line("campfire") == "campfire" and clean_line("McDonald") == "McDonald"  # known word / name
    assert clean_line("口") == "" and clean_line("a") == "" and clean_line("7") == ""
    assert clean_line("ok", score=0.6) == "" and clean_line("ok", score=0.95) == "ok"
    assert clean_line("手机省电小技巧") == "手机省电小技巧"
    assert split_glued("xqzvbn") == ["xqzvbn"]  # no split into known words: kept
    assert clean_line("TOP10GOALS") == "TOP 10 GOALS" and clean_line("5EASYRECIPES") == "5 EASY RECIPES"
    assert clean_line("MP4 4K H264") == "MP4 4K H264"  # short runs keep their digits


def test_english_candidates_respect_phrase_boundaries() -> None:
    said = ["Today I will show you how to fold a paper airplane. Fold the paper in half, then throw it."]
    texts = {p.text for p in extract({"speech": said, "ocr": ["PAPER AIRPLANE"]}, "en")}
    assert {"how to fold a paper airplane", "paper airplane", "fold the paper in half"} <= texts
    for t in texts:
        words = t.split()
        assert 1 <= len(words) <= 6 and words[-1] not in FUNCTION and words[0] not in FUNCTION
        assert not {"today", "i", "you", "it", "will", "show", "then"} & set(words), t
    assert {"fold"} <= learn_verbs(said)


def test_tips_pattern_and_support_across_channels() -> None:
    ph = {
        p.text: p
        for p in extract(
            {
                "speech": ["Here are three tips to save money on your grocery budget."],
                "ocr": ["GROCERY BUDGET"],
            },
            "en",
        )
    }
    assert "grocery budget tips" in ph and ph["grocery budget tips"].pattern
    assert ph["grocery budget"].channels == {"speech", "ocr"}  # said and shown
    assert ph["save money"].channels == {"speech"}


def test_chinese_candidates_are_whole_words_with_patterns() -> None:
    lines = ["手机省电小技巧", "打开省电模式", "番茄炒蛋的做法", "在家做手工拉面"]
    texts = {p.text for p in extract({"ocr": lines}, "zh")}
    assert {"手机省电技巧", "番茄炒蛋做法", "手工拉面做法", "省电模式"} <= texts
    for t in texts:
        assert 2 <= len(t) <= 8
        assert whole_words(t, lines), t  # never a fragment such as 省电模
    assert not whole_words("省电模", lines) and not whole_words("开省电", lines)


def test_detect_language() -> None:
    assert detect_language(["手机省电小技巧", "调低屏幕亮度"]) == "zh"
    assert detect_language(["How to fold a paper airplane", "口"]) == "en"  # one stray glyph is not Chinese
    assert detect_language(["x"], asr_language="zh") == "zh"


def test_best_phrases_diverse_and_in_the_texts_language() -> None:
    zh = best_phrases(["手机省电小技巧", "调低屏幕亮度", "打开省电模式"], n=3)
    assert len(zh) == 3 and all(any("\u4e00" <= c <= "\u9fff" for c in q) for q, _ in zh)
    assert len({q for q, _ in zh}) == 3 and zh[0][0] in ("手机省电技巧", "手机省电小技巧", "省电模式")
    en = best_phrases(
        {
            "speech": ["Let's make sushi rolls at home. Spread rice on the seaweed."],
            "ocr": ["SUSHI ROLLS AT HOME"],
        },
        n=4,
    )
    assert 2 <= len(en[0][0].split()) <= 6 and "sushi" in en[0][0]
    contents = [set(q.split()) - FUNCTION - {"how"} for q, _ in en]
    for i, a in enumerate(contents):  # MMR: no pick's content words contain another's
        assert all(not (a <= b or b <= a) for b in contents[i + 1 :]), en


def test_rank_without_encoder_uses_support_and_likeness() -> None:
    ph = extract({"speech": ["Morning yoga for beginners. Breathe deeply."], "ocr": ["MORNING YOGA"]}, "en")
    out = rank(ph, None, None, n=2)
    assert out[0][0] == "morning yoga for beginners"
    assert out[0][1] >= out[1][1]


def test_a_span_that_stops_inside_a_noun_phrase_is_less_query_like() -> None:
    said = ["Meet the big white rabbit who lives in the green forest."]
    found = {p.text: p for p in extract({"speech": said}, "en")}
    cut, whole = found["meet the big white"], found["big white rabbit"]
    assert cut.cut and not whole.cut and not found["green forest"].cut
    assert likeness(cut) < likeness(whole)
    # a span is "cut" only if every occurrence stops before a content word
    again = {p.text: p for p in extract({"speech": said, "ocr": ["MEET THE BIG WHITE"]}, "en")}
    assert not again["meet the big white"].cut
