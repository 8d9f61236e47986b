"""Word-level text helpers for QMS: splitting (CJK by character), stopwords, content words, Dice overlap.

Pure Python, no heavy imports: the query generator and the training loop share these so that the
entity labels (Eq. 9), the confidence scores (Eq. 15) and the zero-shot generator see the same words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

# Latin words (letters, digits, apostrophes) or single CJK characters; punctuation is dropped.
_CJK_CLASS = "\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff"
_LATIN = f"(?:(?![{_CJK_CLASS}])[^\\W_])+"
_WORD_RE = re.compile(f"[{_CJK_CLASS}]|{_LATIN}(?:'{_LATIN})*", re.UNICODE)
_CJK_RE = re.compile(f"[{_CJK_CLASS}]")

STOPWORDS: frozenset[str] = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before being below
    between both but by can could did do does doing don't down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is isn't it it's its itself just let's me
    more most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that that's the their theirs them themselves then there there's these they this
    those through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves also um uh oh yeah okay ok like really get got gonna going go
    one two three first second third part thing things lot well right see look here's we're i'm you're it'll
    next finally then meet
    的 了 是 在 我 你 他 她 它 们 这 那 和 也 就 都 而 及 与 着 或 一 个 吗 吧 呢 啊""".split()
)


def is_cjk(text: str) -> bool:
    """True when ``text`` contains any CJK ideograph."""
    return bool(_CJK_RE.search(text))


def split_words(text: str) -> list[str]:
    """Lower-cased words of ``text``; each CJK character is one word (Chinese is character-level)."""
    return [w.lower() for w in _WORD_RE.findall(text)]


def content_words(text: str) -> list[str]:
    """Words of ``text`` that are not stopwords and not pure numbers (the 'entities' of a query, Eq. 9)."""
    return [w for w in split_words(text) if w not in STOPWORDS and not w.isdigit()]


#: jieba part-of-speech flags of nouns and proper nouns (n, nr, ns, nt, nz, ng, nrt, nrfg, ...) and of
#: Latin words inside Chinese text; single-character nouns are left out (they are mostly fragments: 省, 面)
_CJK_ENTITY_FLAGS = ("n", "eng")


def _cjk_runs(words: Sequence[str]) -> list[tuple[int, int]]:
    """[start, end) index ranges of consecutive CJK characters in ``split_words`` output."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        if is_cjk(words[i]):
            j = i
            while j < len(words) and is_cjk(words[j]):
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def segment_chinese(text: str) -> list[tuple[str, str]]:
    """(word, part-of-speech flag) pairs of a CJK string, by jieba (its dictionary ships in the wheel)."""
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return [(w.word, w.flag) for w in jieba.posseg.lcut(text)]


def query_entities(queries: Iterable[str]) -> set[str]:
    """The entity words a video's queries issue (Eq. 9's labels come from these).

    Latin text: content words (no stopwords, no pure numbers); no English tagger with a shipped model is
    available offline, so every content word counts. Chinese text: whole words from jieba whose tag is a
    noun or proper noun (``_CJK_ENTITY_FLAGS``), two characters or more: 做, 法 and 好吃 are not entities,
    拉面 is.
    """
    out: set[str] = set()
    for q in queries:
        words = split_words(q)
        out.update(w for w in words if not is_cjk(w) and w not in STOPWORDS and not w.isdigit())
        for a, b in _cjk_runs(words):
            for word, flag in segment_chinese("".join(words[a:b])):
                if len(word) >= 2 and flag.startswith(_CJK_ENTITY_FLAGS):
                    out.add(word)
    return out


def entity_labels(words: Sequence[str], entities: set[str]) -> list[float]:
    """Eq. 9: 1.0 for each transcript word (``split_words`` output) that belongs to an entity, else 0.0.

    A Latin word is labelled when it is an entity. CJK characters are labelled by the jieba word they
    belong to in their run of characters: 法 is labelled inside 做法 only when 做法 itself is an entity.
    """
    labels = [1.0 if (not is_cjk(w) and w in entities) else 0.0 for w in words]
    cjk_entities = {e for e in entities if is_cjk(e)}
    if not cjk_entities:
        return labels
    for a, b in _cjk_runs(words):
        pos = a
        for word, _ in segment_chinese("".join(words[a:b])):
            n = len(word)
            if word in cjk_entities:
                labels[pos : pos + n] = [1.0] * n
            pos += n
    return labels


def dice(hyp: Sequence[str], ref: Sequence[str]) -> float:
    """Sorensen-Dice word overlap 2*N_s / (|ref| + |hyp|), N_s = multiset intersection size (Eq. 15)."""
    if not hyp and not ref:
        return 0.0
    overlap = sum((Counter(hyp) & Counter(ref)).values())
    return 2.0 * overlap / (len(hyp) + len(ref))


def confidence_score(generated: str, queries: Sequence[str]) -> float:
    """U = max_j Dice(generated, g_j) over all queries of the video (Eq. 15); 0 when there are none."""
    hyp = split_words(generated)
    return max((dice(hyp, split_words(q)) for q in queries), default=0.0)


def join_words(words: Sequence[str]) -> str:
    """Join words with spaces, except between CJK characters (inverse of split_words for display)."""
    out = ""
    for w in words:
        if out and not (is_cjk(w) and is_cjk(out[-1])):
            out += " "
        out += w
    return out
