"""Test helper: is a Chinese phrase made of whole words of the text it came from (jieba's segmentation)?"""

from __future__ import annotations

from collections.abc import Iterable

import jieba
import jieba.posseg

SUFFIXES = ("做法", "技巧", "教程", "方法", "攻略", "入门")


def _bounds(words: list[str]) -> set[int]:
    out, at = {0}, 0
    for w in words:
        at += len(w)
        out.add(at)
    return out


def _aligned(phrase: str, line: str) -> bool:
    for bounds in (_bounds(jieba.lcut(line)), _bounds([w.word for w in jieba.posseg.cut(line)])):
        start = line.find(phrase)
        while start >= 0:
            if start in bounds and start + len(phrase) in bounds:
                return True
            start = line.find(phrase, start + 1)
    return False


def whole_words(phrase: str, lines: Iterable[str]) -> bool:
    """True when ``phrase`` (or, for a pattern form such as "X做法", its core X) starts and ends on word
    boundaries of one of ``lines`` as jieba segments it (its default cut or its part-of-speech cut, which
    differ: 手机|省电小|技巧 vs 手机|省电|小|技巧): no fragment such as 省电模 of 省电模式."""
    lines = list(lines)
    cores = [phrase] + [phrase[: -len(s)] for s in SUFFIXES if phrase.endswith(s) and len(phrase) > len(s)]
    return any(_aligned(c, line) for c in cores for line in lines)
