"""The language of a transcript, and its words, for chapters of speech in languages other than English.

Contract: ``speech_language(texts) -> str``: ``"zh"`` when most letters are CJK characters, else the
language (ISO 639-1) whose stop words (the ``stop-words`` package's lists) make up the largest share of the
words, ``"en"`` on a tie or for fewer than ``MIN_WORDS`` words. ``OTHER_LANGUAGES`` are the languages told
apart from English; all are written with spaces between words and transcribed by multilingual Whisper.
``content_words(text, language)`` are the words that can carry a topic: not a stop word of that
language, not a number, at least ``MIN_LETTERS`` letters. ``title_pieces(text, language, max_words)`` are
the candidate titles of one sentence: every piece of 1-``max_words`` topic words in a row, where one
linking preposition of the language may stand between two of them (``LINKS``: "ahorro de agua", "plantes
d'intérieur"; Romance noun phrases join their nouns so).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

#: languages told apart from English by their stop words (ISO 639-1, as Whisper names them)
OTHER_LANGUAGES = (
    "es", "pt", "fr", "it", "de", "nl", "ca", "ro", "sv", "da", "no", "fi",
    "pl", "cs", "sk", "hu", "tr", "id", "ru", "uk", "bg", "el",
)  # fmt: skip
#: Whisper's language codes that the ``stop-words`` package names otherwise (Norwegian: Bokmål's list)
_LIST_NAMES = {"no": "nb"}
#: fewer words than this are too few to tell a language: English is assumed
MIN_WORDS = 20
#: a topic word has at least this many letters
MIN_LETTERS = 3

#: prepositions that join the nouns of a noun phrase (one may stand inside a title)
LINKS: dict[str, frozenset[str]] = {
    "es": frozenset({"de", "del"}),
    "pt": frozenset({"de", "do", "da", "dos", "das"}),
    "fr": frozenset({"de", "du", "des", "d"}),
    "it": frozenset({"di", "del", "dello", "della", "dei", "degli", "delle", "d"}),
    "ca": frozenset({"de", "del", "d"}),
    "ro": frozenset({"de"}),
}

#: a word: letters (any script), with at most one inner apostrophe ("l'eau", "dell'anno", "don't"; a
#: misheard "n'n'n'n" is no word of any length)
_WORD = re.compile(r"(?<!['’])[^\W\d_]+(?:['’][^\W\d_]+)?(?!['’]?[^\W\d_])")
_CJK = re.compile("[\u3400-\u9fff]")
#: clause breaks: a title never runs across them
_CLAUSE = re.compile(r"[,.;:!?¡¿()\[\]\"“”„«»…—–]+|\s-\s")


@cache
def stop_words_of(language: str) -> frozenset[str]:
    """The stop words of ``language`` (lower case), with their elided forms' stems ("l'", "dell'" -> "l",
    "dell"); empty for a language without a list."""
    from stop_words import StopWordError, get_stop_words

    try:
        words = get_stop_words(_LIST_NAMES.get(language, language))
    except StopWordError:
        return frozenset()
    out = set()
    for w in words:
        low = w.lower().replace("’", "'")
        out.add(low)
        out.add(low.rstrip("'"))
    return frozenset(out)


def words(text: str) -> list[str]:
    """Lower-cased words of ``text``; an elided article or preposition is split off ("l'eau" -> "l",
    "eau")."""
    out: list[str] = []
    for w in _WORD.findall(text.lower().replace("’", "'")):
        head, sep, rest = w.partition("'")
        if sep and len(head) <= 4 and rest:
            out += [head, rest]
        else:
            out.append(w)
    return out


def is_chinese(texts: Sequence[str]) -> bool:
    """Whether most letters of ``texts`` are CJK characters."""
    joined = "".join(texts)
    cjk = len(_CJK.findall(joined))
    return cjk > 0 and cjk >= 0.5 * sum(ch.isalpha() for ch in joined)


def speech_language(texts: Sequence[str]) -> str:
    """The language of ``texts`` (module docstring)."""
    if is_chinese(texts):
        return "zh"
    ws = words(" ".join(texts))
    if len(ws) < MIN_WORDS:
        return "en"
    share = {lang: sum(w in stop_words_of(lang) for w in ws) for lang in ("en", *OTHER_LANGUAGES)}
    return max(share, key=lambda lang: (share[lang], lang == "en"))


def _topic_word(word: str, stop: frozenset[str]) -> bool:
    return len(word) >= MIN_LETTERS and word not in stop


def content_words(text: str, language: str) -> list[str]:
    """The topic words of ``text`` in ``language`` (module docstring)."""
    stop = stop_words_of(language)
    return [w for w in words(text) if _topic_word(w, stop)]


def title_runs(text: str, language: str, links: bool = True) -> list[list[str]]:
    """Runs of topic words of ``text`` in ``language``, broken at stop words, short words and clause
    punctuation; with ``links`` a single linking preposition (``LINKS``) between two topic words stays in
    the run."""
    stop = stop_words_of(language)
    joins = LINKS.get(language, frozenset()) if links else frozenset()
    runs: list[list[str]] = []
    for clause in _CLAUSE.split(text):
        run: list[str] = []
        for w in words(clause):
            if _topic_word(w, stop):
                run.append(w)
            elif w in joins and run and run[-1] not in joins:
                run.append(w)
            else:
                runs.append(run)
                run = []
        runs.append(run)
    out = []
    for run in runs:
        while run and run[-1] in joins:
            run = run[:-1]
        if run:
            out.append(run)
    return out


def title_pieces(text: str, language: str, max_words: int = 3, links: bool = True) -> set[str]:
    """The candidate titles of ``text`` (module docstring): pieces of ``title_runs`` that start and end
    on a topic word and hold 1-``max_words`` of them."""
    joins = LINKS.get(language, frozenset()) if links else frozenset()
    out = set()
    for run in title_runs(text, language, links):
        for i, first in enumerate(run):
            if first in joins:
                continue
            n = 0
            for j in range(i, len(run)):
                if run[j] in joins:
                    continue
                n += 1
                if n > max_words:
                    break
                piece = run[i : j + 1]
                if len(set(piece)) == len(piece):
                    out.add(_joined(piece))
    return out


def _joined(piece: Sequence[str]) -> str:
    """The words of a title with an elided link written as said ("plantes d'intérieur")."""
    text = ""
    for k, w in enumerate(piece):
        text += w if k == 0 or piece[k - 1] == "d" else " " + w
        if w == "d" and 0 < k < len(piece) - 1:
            text += "'"
    return text


_LETTERS = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?¿¡…]")


def said_forms(texts: Sequence[str]) -> dict[str, str]:
    """Per lower-cased word of ``texts`` its most frequent spelling inside a sentence (not as its first
    word; there when the word is said only first): "méxico" -> "México", "rotkehlchen" -> "Rotkehlchen"."""
    inside: dict[str, Counter[str]] = {}
    first: dict[str, Counter[str]] = {}
    for text in texts:
        for part in _SENTENCE_END.split(text):
            for k, w in enumerate(_LETTERS.findall(part)):
                (first if k == 0 else inside).setdefault(w.lower(), Counter())[w] += 1
    out = {w: c.most_common(1)[0][0] for w, c in first.items()}
    out.update({w: c.most_common(1)[0][0] for w, c in inside.items()})
    return out


def as_said(title: str, forms: dict[str, str]) -> str:
    """``title`` with each word spelled as said (``said_forms``), its first letter a capital."""
    text = _LETTERS.sub(lambda m: forms.get(m.group().lower(), m.group()), title)
    return text[:1].upper() + text[1:]
