"""Chapter titles from the transcript: KeyBERT-style keyphrases over the sentence model.

Contract: ``chapter_keyphrases(chapter_texts, encode_texts) -> list[str]``, one title per chapter
(``""`` for a chapter without candidate phrases), 1-``max_words`` words, first letter capitalised.

1. Candidates (``candidates``): in English, runs of words that are not stopwords, filler, common verbs or
   words the ``lemminflect`` word list knows only as verbs or adverbs (an ``-ing`` word may open a run),
   and every 1..``max_words``-word piece of a run that ends on a word that can be a noun (a noun-phrase
   stand-in without a tagger; unknown words, such as names, pass); in Chinese,
   runs of jieba's noun-like words (``n*``, ``vn``, an adjective before a noun) of up to ``max_words``
   words, written without spaces, that end on a noun (``chinese_head``: "土星最大" is no title); in another
   language (``other_languages``; ``languages.speech_language`` tells it by its stop words), the pieces of
   runs of words that are not its stop words, one linking preposition allowed inside ("molinos de viento";
   ``languages.title_pieces``), steps 3 (the word list) and 4 left out, the title spelled as said.
2. Pre-ranking, lexical: ``count_i(p) * log(1 + C / C(p)) * (1 + 0.3 (words - 1))`` over the chapter's
   sentences (``C`` chapters, ``C(p)`` those mentioning ``p``); the best ``shortlist`` go on.
3. Ranking, semantic (KeyBERT, Grootendorst 2020, with a contrast term): with ``c_j`` the mean sentence
   embedding of chapter ``j`` (unit length) and ``v(p)`` the phrase's,
   ``score(p) = cos(v(p), c_i) - contrast * max_{j != i} cos(v(p), c_j) + lexical_weight * r(p)``,
   ``r`` the pre-rank score divided by the chapter's best: the title says what this chapter is about and
   the others are not; minus ``unknown_penalty`` times the share of the phrase's words that neither the
   ``lemminflect`` lexicon nor the shipped list of names (``known_names``, ``resources/known_names.txt``:
   the whole words of the sentence model's vocabulary that the lexicon lacks, such as places) knows:
   such a word is most often misheard ("maroamite" for "varroa mite").
4. A name not said (English): the noun ``n`` of the shipped common-noun list (``topic_nouns``,
   ``resources/topic_nouns.txt``, made by ``benchmarks/make_topic_nouns.py``) closest to ``c_i`` replaces
   the best phrase ``p`` when ``cos(v(n), c_i) > score(p) + vocab_margin``: a category the speaker never
   names ("Bandage", "Tipping") can title the chapter. The list's embeddings are computed once per machine
   and encoder and kept in the cache folder.
5. Distinct titles (``distinct``): a chapter's options are its candidates with their step-3 scores and
   the ``NOUN_OPTIONS`` listed nouns closest to ``c_i`` with ``cos - vocab_margin``; taken over all
   chapters from the best score down, each chapter gets its best option no other chapter holds yet, so
   two chapters never share a title ("Recipe" three times) and a talk without shared picks is unchanged.
6. Opt-in (``rank``, English; not the default): the pool of ``chapter_pools`` (the shortlist, the
   ``listed_pool`` listed nouns closest to ``c_i``, with ``bigrams`` the common word pairs of the chapter's
   words) ranked by the learned linear score of ``vidgist.summarize.title_rank`` instead of steps 3-4.
7. Opt-in (``pick``; default ``"centre"``, the rule above): other ways to score the options of steps 3-5
   (``vidgist.summarize.title_pick``: retrieval AUC, a first-sentences bonus, coverage, a carrier
   sentence, a trimmed centre), judged on the fit half and not kept (``docs/decisions.md``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from vidgist.models.qms_text import segment_chinese
from vidgist.scorers.zero_shot import STOPWORDS
from vidgist.summarize.languages import as_said, is_chinese, said_forms, speech_language, title_pieces
from vidgist.summarize.title_pick import TEMPLATE, Option, rescored, trimmed_centres
from vidgist.summarize.title_rank import FEATURES, candidate_features, rank_scores

TextEncoder = Callable[[list[str]], np.ndarray]

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
#: the CJK unified ideographs (with extension A), as a character-class range
CJK_RANGE = "\u3400-\u9fff"
#: one CJK character
CJK_CHAR = re.compile(f"[{CJK_RANGE}]")
#: words a title never holds: talk filler and common verbs (no tagger to tell nouns)
SKIP_WORDS = frozenset(
    """let lets talk talking thing things first next last good example remember notice really much also often
    many most well okay today now like get gets got going know think see look looks way lot lots kind sort
    make makes made use uses used using need needs keep keeps take takes took add adds put give gives want
    wants try tries start starts turn turns help helps find finds come comes came go goes went say says said
    tell tells call called feel feels seem seems work works let's it's that's there's you'll we'll i'll
    you're we're they're don't doesn't can't won't isn't aren't should would could will shall might may
    must can one two three four five six seven eight nine ten every each other another same new old big
    small little great right left whole part parts sure quite always never still even enough only own
    something anything everything nothing someone people person time times day days year years minute
    minutes second seconds usually simply probably actually basically just already again through between
    without within during before after behind inside outside around instead rather while until because
    but also both either neither whether though although yet since per via upon onto across along among
    against toward towards beyond near off till unless your yours mine ours theirs itself himself herself
    themselves yourself ourselves thank thanks welcome hello bye goodbye yes yeah sometimes anyway
    easy hard high low long short full real best better worse worst less more fewer few cheap simple
    quick fast slow slowly soft strong weak wide narrow early late""".split()
)
_CLAUSE = re.compile(r"[,.;:!?()\[\]\"“”…—–]+|\s-\s")
_CN_STOP = frozenset(
    "我们 你们 他们 这个 那个 一个 今天 现在 然后 因为 所以 就是 还是 可以 这里 时候 东西".split()
)


@dataclass(frozen=True)
class KeyphraseParams:
    """Constants of the ranking (module docstring); chosen on the fit half of the talks development set."""

    max_words: int = 3
    shortlist: int = 80
    contrast: float = 0.0
    lexical_weight: float = 0.0
    vocab_margin: float | None = -0.02  # step 4; None: titles only from the words said
    unknown_penalty: float = 0.03  # step 3: per share of words neither the lexicon nor the names know
    rank: bool = False  # English: the learned ranker (``title_rank``) picks among the pool instead
    listed_pool: int = 10  # with ``rank``: listed nouns closest to the chapter that join its pool
    bigrams: bool = False  # with ``rank``: common word pairs of the chapter's words join its pool
    distinct: bool = True  # step 5: no two chapters share a title
    pick: str = "centre"  # steps 3-5: how options are scored (``title_pick.PICKS``)
    chinese_head: bool = True  # step 1, Chinese: a candidate ends on a word jieba tags as a noun
    other_languages: bool = True  # step 1 by the language's own stop words; steps 3-4 English only
    links: bool = True  # ... with one linking preposition allowed inside a title ("ahorro de agua")


@lru_cache(maxsize=4096)
def word_classes(word: str) -> frozenset[str]:
    """The parts of speech an English word can have by the lexicon (``lemminflect``: NOUN, VERB, ADJ,
    ADV, ...), no context; empty for a word it does not know (names, misheard words)."""
    from lemminflect import getAllLemmas

    return frozenset(getAllLemmas(word))


def _verb_only(word: str) -> bool:
    """A known word that can only be a verb or an adverb (``word_classes``)."""
    classes = word_classes(word)
    return bool(classes) and classes <= {"VERB", "ADV", "AUX"}


@lru_cache(maxsize=4096)
def _plural(word: str) -> bool:
    """A plural noun by the lexicon ("tests", "dogs"; not "news", "means", "glass"): English noun
    compounds put their modifiers in the singular, so a plural noun is a phrase's last word."""
    from lemminflect import getAllLemmas

    lemmas = getAllLemmas(word).get("NOUN", ())
    return word.endswith("s") and bool(lemmas) and word not in lemmas


def _no_head(word: str) -> bool:
    """A known word that cannot be a noun (an ``-ing`` word can: "chewing"): it never ends a title's
    noun phrase."""
    classes = word_classes(word)
    return bool(classes) and not classes & {"NOUN", "PROPN"} and not word.endswith("ing")


def _english_runs(text: str) -> list[list[str]]:
    """Runs of title words, broken at stopwords, skipped words, verbs (an ``-ing`` word may open a run:
    "kneading bread dough") and punctuation."""
    runs: list[list[str]] = []
    for clause in _CLAUSE.split(text):
        runs.append([])
        prev = ""
        for w in _WORD.findall(clause):
            low = w.lower()
            skip = low in STOPWORDS or low in SKIP_WORDS or len(low) < 3 or low.endswith(("ly", "ed"))
            skip = skip or _function_contraction(low)
            skip = skip or (prev in _BEFORE_VERB and "VERB" in word_classes(low))
            if skip or (_verb_only(low) and not (low.endswith("ing") and not runs[-1])):
                runs.append([])
            else:
                runs[-1].append(low)
                if _plural(low):  # a plural noun ends a noun phrase: "young dogs | chew"
                    runs.append([])
            prev = low
    return [r for r in runs if r]


def _function_contraction(word: str) -> bool:
    """A contraction or possessive of a stopword or skipped word ("they'll", "one's", "who'd"): no title
    word, whatever the contraction."""
    stem, sep, _rest = word.partition("'")
    return bool(sep) and (stem in STOPWORDS or stem in SKIP_WORDS)


#: words after which a word that can be a verb is one ("you can check ...", "to cable ...")
_BEFORE_VERB = frozenset("can could will would shall should may might must to do does did don't".split())


def _chinese_runs(text: str) -> tuple[list[list[str]], set[str]]:
    """Runs of jieba's noun-like words (module docstring, step 1), and the words tagged as nouns (``n*``,
    ``vn``): the ones a Chinese noun phrase can end on."""
    runs: list[list[str]] = [[]]
    nouns: set[str] = set()
    for word, flag in segment_chinese(text):
        noun = flag.startswith("n") or flag == "vn"
        if (noun or (flag == "a" and len(word) > 1)) and len(word) > 1 and word not in _CN_STOP:
            runs[-1].append(word)
            if noun:
                nouns.add(word)
        else:
            runs.append([])
    return [r for r in runs if r], nouns


def candidates(
    text: str,
    chinese: bool,
    max_words: int = 3,
    chinese_head: bool = True,
    language: str = "en",
    links: bool = True,
) -> set[str]:
    """The candidate phrases of one sentence (module docstring, step 1); with ``chinese_head`` a Chinese
    phrase ends on a noun (as an English one does); in another ``language`` (not "en" or "zh") the pieces
    of ``languages.title_pieces``."""
    if language not in ("en", "zh") and not chinese:
        return title_pieces(text, language, max_words, links)
    out = set()
    joiner = "" if chinese else " "
    runs, nouns = _chinese_runs(text) if chinese else (_english_runs(text), set())
    for run in runs:
        for i in range(len(run)):
            for n in range(1, max_words + 1):
                piece = run[i : i + n]
                if len(piece) != n or len(set(piece)) != n:
                    continue
                head = piece[-1] in nouns if chinese_head else True
                if (chinese and head) or (not chinese and not _no_head(piece[-1])):
                    out.add(joiner.join(piece))
    return out


def _lexical(
    texts: Sequence[Sequence[str]], chinese: bool, params: KeyphraseParams, language: str = "en"
) -> list[dict[str, float]]:
    bags = [
        Counter(
            p
            for t in ch
            for p in candidates(t, chinese, params.max_words, params.chinese_head, language, params.links)
        )
        for ch in texts
    ]
    df = Counter(p for b in bags for p in b)
    n = len(bags)
    out = []
    for bag in bags:
        sc = {
            p: c * math.log(1 + n / df[p]) * (1 + 0.3 * (len(p.split()) - 1 if not chinese else len(p) // 3))
            for p, c in bag.items()
        }
        top = sorted(sc.items(), key=lambda x: (-x[1], x[0]))[: params.shortlist]
        out.append(dict(top))
    return out


def _shipped_words(name: str) -> tuple[str, ...]:
    """The whitespace-separated words of the shipped list ``vidgist/resources/NAME``."""
    return tuple(resources.files("vidgist").joinpath(f"resources/{name}").read_text(encoding="utf-8").split())


@lru_cache(maxsize=1)
def known_names() -> frozenset[str]:
    """The shipped list of words the lexicon lacks but the sentence model's vocabulary keeps whole (module
    docstring, step 3)."""
    return frozenset(_shipped_words("known_names.txt"))


def unknown_share(phrase: str) -> float:
    """The share of the phrase's English words (of 3+ letters) known to neither ``word_classes`` nor
    ``known_names``."""
    words = phrase.split()
    odd = [w for w in words if w.isascii() and len(w) >= 3 and not word_classes(w) and w not in known_names()]
    return len(odd) / max(len(words), 1)


@lru_cache(maxsize=1)
def topic_nouns() -> tuple[str, ...]:
    """The shipped common-noun list of step 4 (module docstring), one noun a line."""
    return _shipped_words("topic_nouns.txt")


_noun_lock = threading.Lock()
_noun_rows: dict[str, np.ndarray] = {}


def noun_vectors(encode_texts: TextEncoder) -> np.ndarray:
    """(len(topic_nouns()), d) unit rows of the noun list under ``encode_texts``: once per machine in the
    cache folder (keyed by the list and the encoder's name), then once per process; a cache that cannot
    be read or written is recomputed."""
    from vidgist.util.cache import cache_dir, cached_array

    nouns = topic_nouns()
    name = f"{getattr(encode_texts, '__module__', '')}.{getattr(encode_texts, '__qualname__', '')}"
    key = hashlib.sha256("\n".join([name, *nouns]).encode()).hexdigest()[:16]
    with _noun_lock:
        if key not in _noun_rows:
            rows = cached_array(
                cache_dir() / f"topic-nouns-{key}.npy",
                (len(nouns),),
                lambda: _unit_rows(np.asarray(encode_texts(list(nouns)), dtype=np.float32)),
            )
            _noun_rows[key] = rows
        return _noun_rows[key]


def _unit_rows(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def _capital(p: str) -> str:
    return p[:1].upper() + p[1:]


def _embedded(
    texts: Sequence[Sequence[str]], pool: list[str], encode_texts: TextEncoder
) -> tuple[dict[str, np.ndarray], np.ndarray, list[np.ndarray]]:
    """Unit embeddings of the pool's phrases, the chapters' unit mean sentence embeddings ``c_j`` (zero
    for a chapter without sentences) and each chapter's unit sentence rows."""
    sents = [t for ch in texts for t in ch]
    vecs = _unit_rows(np.asarray(encode_texts(pool + sents), dtype=np.float64))
    phrase_vec = dict(zip(pool, vecs[: len(pool)], strict=True))
    centres = np.zeros((len(texts), vecs.shape[1]))
    rows = []
    k = len(pool)
    for j, ch in enumerate(texts):  # c_j: the mean of the chapter's sentence embeddings
        rows.append(vecs[k : k + len(ch)])
        if ch:
            centres[j] = vecs[k : k + len(ch)].mean(0)
            k += len(ch)
    return phrase_vec, _unit_rows(centres), rows


def chapter_keyphrases(
    texts: Sequence[Sequence[str]], encode_texts: TextEncoder, params: KeyphraseParams = KeyphraseParams()
) -> list[str]:
    """One keyphrase title per chapter from its transcript sentences (module docstring)."""
    chinese = is_chinese([t for ch in texts for t in ch])
    language = speech_language([t for ch in texts for t in ch]) if params.other_languages else "en"
    other = language not in ("en", "zh")
    if other:
        params = dataclasses.replace(params, rank=False, vocab_margin=None, unknown_penalty=0.0)
    if params.rank and not chinese:
        return [
            _capital(p[int(np.argmax(rank_scores(x)))]) if p else ""
            for p, x in chapter_pools(texts, encode_texts, params)
        ]
    short = _lexical(texts, chinese, params, language)
    forms = said_forms([t for ch in texts for t in ch]) if other else {}
    pool = sorted({p for s in short for p in s})
    if not pool:
        return ["" for _ in texts]
    phrase_vec, centres, rows = _embedded(texts, pool, encode_texts)
    templated = params.pick == "template" and not chinese
    if templated:
        phrase_vec = _templated(pool, encode_texts)
    if params.pick == "trimmed":
        centres = trimmed_centres(rows, centres)
    nouns = noun_vectors(encode_texts) if params.vocab_margin is not None and not chinese else None
    options = []
    for i, cands in enumerate(short):
        others = centres[[j for j in range(len(texts)) if j != i and texts[j]]]
        ranked = _ranked(cands, phrase_vec, centres[i], others, params) if cands else []
        scored: list[Option] = [(s, p, phrase_vec[p]) for s, p in ranked]
        if nouns is not None and texts[i]:
            scored += _listed_options(nouns, centres[i], params, encode_texts if templated else None)
        said = np.asarray([phrase_vec[p] for p in sorted(cands)]).reshape(len(cands), centres.shape[1])
        options.append(rescored(params.pick, i, scored, rows, texts[i], said))
    titles = (
        distinct_titles(options) if params.distinct else [_capital(max(o)[1]) if o else "" for o in options]
    )
    return [as_said(t, forms) for t in titles] if other else titles


#: how many listed nouns (step 4) each chapter offers when its best choices are taken by other chapters
NOUN_OPTIONS = 5
#: with ``pick="template"``: the listed nouns closest to ``c_i`` (bare) that are re-scored in the carrier
TEMPLATE_NOUNS = 20


def _templated(phrases: Sequence[str], encode_texts: TextEncoder) -> dict[str, np.ndarray]:
    """Unit embeddings of the phrases each said inside ``title_pick.TEMPLATE``."""
    vecs = _unit_rows(np.asarray(encode_texts([TEMPLATE.format(p) for p in phrases]), dtype=np.float64))
    return dict(zip(phrases, vecs, strict=True))


def _listed_options(
    nouns: np.ndarray, centre: np.ndarray, params: KeyphraseParams, template_encoder: TextEncoder | None
) -> list[Option]:
    """The ``NOUN_OPTIONS`` listed nouns closest to ``centre`` as (cosine - ``vocab_margin``, noun, unit
    vector); with ``template_encoder`` the ``TEMPLATE_NOUNS`` closest re-scored inside the template."""
    sims = nouns @ centre
    margin = float(params.vocab_margin or 0.0)
    if template_encoder is None:
        near = np.argsort(-sims)[:NOUN_OPTIONS]
        return [(float(sims[j]) - margin, topic_nouns()[j], nouns[j].astype(np.float64)) for j in near]
    vecs = _templated([topic_nouns()[j] for j in np.argsort(-sims)[:TEMPLATE_NOUNS]], template_encoder)
    scored = [(float(v @ centre) - margin, n, v) for n, v in vecs.items()]
    return sorted(scored, key=lambda x: (-x[0], x[1]))[:NOUN_OPTIONS]


def distinct_titles(options: Sequence[Sequence[tuple[float, str]]]) -> list[str]:
    """One title per chapter from its scored options (step 5): the best (score, phrase) over all chapters
    first, each chapter taking its best option that no chapter has taken yet (case-insensitive); a
    chapter whose options are all taken keeps its own best. Without shared phrases: every chapter's
    best."""
    chosen: dict[int, str] = {}
    used: set[str] = set()
    order = sorted(((s, -i, p) for i, o in enumerate(options) for s, p in o), reverse=True)
    for _s, neg_i, phrase in order:
        if -neg_i not in chosen and phrase.lower() not in used:
            chosen[-neg_i] = phrase
            used.add(phrase.lower())
    return [_capital(chosen.get(i, max(o)[1])) if o else "" for i, o in enumerate(options)]


def chapter_pools(
    texts: Sequence[Sequence[str]], encode_texts: TextEncoder, params: KeyphraseParams = KeyphraseParams()
) -> list[tuple[list[str], np.ndarray]]:
    """Per English chapter its candidate phrases (the shortlist of step 2, the ``listed_pool`` listed nouns
    closest to ``c_i`` unless ``vocab_margin`` is None, with ``bigrams`` the common word pairs of the
    chapter's words) and their ``title_rank.FEATURES`` rows."""
    short = _lexical(texts, False, params)
    nouns = topic_nouns()
    noun_rows = noun_vectors(encode_texts) if params.vocab_margin is not None else None
    lowered = [[t.lower() for t in ch] for ch in texts]
    pairs = [_said_pairs(ch) if params.bigrams else [] for ch in lowered]
    pool = sorted({p for s in short for p in s} | {p for ps in pairs for p in ps})
    phrase_vec, centres, rows = _embedded(texts, pool, encode_texts)
    talk = _unit_rows(centres.sum(0, keepdims=True))[0]
    out: list[tuple[list[str], np.ndarray]] = []
    for i, cands in enumerate(short):
        phrases = sorted({*cands, *pairs[i]})
        vecs = [phrase_vec[p] for p in phrases]
        if noun_rows is not None and texts[i]:
            for j in np.argsort(-(noun_rows @ centres[i]))[: params.listed_pool]:
                if nouns[j] not in phrases:
                    phrases.append(nouns[j])
                    vecs.append(noun_rows[j].astype(np.float64))
        if not phrases or not texts[i]:
            out.append(([], np.zeros((0, len(FEATURES)))))
            continue
        listed = {p for p in phrases if p not in cands}
        feats = candidate_features(
            phrases,
            np.asarray(vecs),
            lowered[i],
            rows[i],
            centres,
            i,
            talk,
            cands,
            listed,
            [unknown_share(p) for p in phrases],
        )
        out.append((phrases, feats))
    return out


@lru_cache(maxsize=1)
def _bigram_index() -> dict[str, tuple[tuple[str, int], ...]]:
    """symspellpy's English bigram counts as first word -> (second word, count), both words title words
    (not stopwords or skipped, 3+ letters, the second can be a noun)."""
    path = resources.files("symspellpy").joinpath("frequency_bigramdictionary_en_243_342.txt")
    index: dict[str, list[tuple[str, int]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        a, b, n = parts
        if all(len(w) >= 3 and w.isalpha() and w not in STOPWORDS and w not in SKIP_WORDS for w in (a, b)):
            index.setdefault(a, []).append((b, int(n)))
    return {a: tuple(v) for a, v in index.items()}


def _said_pairs(sentences: Sequence[str], most: int = 30) -> list[str]:
    """The ``most`` commonest bigram-dictionary pairs whose two words the chapter both says (in any
    order or place), ending on a word that can be a noun."""
    words = {w.lower() for t in sentences for w in _WORD.findall(t)}
    index = _bigram_index()
    found = [(n, f"{a} {b}") for a in words for b, n in index.get(a, ()) if b in words and not _no_head(b)]
    return [p for _n, p in sorted(found, key=lambda x: (-x[0], x[1]))[:most]]


def _ranked(
    cands: dict[str, float],
    phrase_vec: dict[str, np.ndarray],
    own: np.ndarray,
    others: np.ndarray,
    params: KeyphraseParams,
) -> list[tuple[float, str]]:
    """Every candidate with its ``score`` (module docstring, step 3), as (score, phrase)."""
    best_lex = max(cands.values())

    def score(p: str) -> float:
        v = phrase_vec[p]
        rival = float((others @ v).max()) if len(others) else 0.0
        lexical = params.lexical_weight * cands[p] / best_lex
        return float(v @ own) - params.contrast * rival + lexical - params.unknown_penalty * unknown_share(p)

    return [(score(p), p) for p in sorted(cands)]
