"""Topic segmentation of speech: a penalised kernel changepoint search over sentence vectors.

Contract: ``topic_boundaries(sentences, rows, duration, shot_cuts, params) -> list[(time, strength)]``,
sorted by time, each time a sentence start in ``(0, duration)``, at least ``min_seconds`` apart and from
both ends; ``strength`` is ``1 - cos`` of the mean rows on either side (larger: a clearer change of topic).

Rows (``sentence_rows``): per sentence ``sqrt(a) * e`` joined with ``sqrt(1 - a) * f`` (``a =
embed_weight``): ``e`` the sentence-model embedding (``centre``: minus the video's mean sentence), ``f`` the
sentence's tf-idf row of content words with the video's sentences as the corpus (``chapters.tfidf_rows``),
both L2-normalised; then each row is averaged with half the weight of its ``context`` neighbours on each
side (one sentence rarely says its topic alone) and normalised again (``with_context``) for the count;
the placement below reads the rows at several context scales.

The transcript is read on a time grid of ``step`` seconds (1 s, coarser past ``max_positions`` steps): each
grid point takes the row of the sentence spoken there (in a pause, the nearer sentence), so a sentence weighs
as long as it is spoken; points farther than ``silence_reach`` (3 s) from every sentence (music before or
after the talk, a silent stretch) are left out, and ``min_seconds`` counts the rest. KTS's dynamic programme
(Potapov et al. 2014, Eq. 1-2; ``vidgist.summarize.shots.cpd_nonlin``) on the linear kernel of the grid rows
gives, for every number of change points ``m``, the least total within-segment scatter ``L_m`` with segments
of at least ``min_seconds``. The number of boundaries minimises ``L_m / L_0 + penalty * m`` (KTS's Eq. 3 with
a penalty linear in ``m`` and relative to the whole transcript's scatter ``L_0``, so it does not depend on the
kernel's scale): a boundary stays when it explains at least ``penalty`` of the transcript's spread. A talk of
many short sections cannot meet that share with each boundary (with K like sections a boundary explains about
1/K of the between-section spread), so the count then extends (``extend_ratio``): from the penalty's ``m >=
1``, one more boundary is taken while its gain ``(L_m - L_{m+1}) / L_0`` is at least ``extend_ratio`` times
the mean gain of the boundaries already kept (true sections of one talk explain about equal shares; the gain
drops when a split falls inside a section). Both the window and the number of boundaries follow the content.

Long transcripts (``reference_seconds``): a section of a given length explains a share of the whole
transcript's scatter that falls as the talk grows, so on a 30-minute lecture no boundary reaches the
penalty; past ``reference_seconds`` (300 s, about the longest talks the constants were fitted on) the
penalty becomes ``penalty * reference_seconds / duration``, the share a boundary must explain in a talk of
that length (talks up to that length are unchanged).

A user who knows the number of sections gives it (``count``, boundaries =
sections - 1): the segmentation with that many change points is then placed as below.

Placement (``place_contexts``, default ``(0, 1, 2)``; ``()`` keeps the count's own change points): the
count's ``m`` change points are placed again by the same dynamic programme with ``m`` fixed, on the grid
rows at every context scale in ``place_contexts`` joined side by side, each scale divided by the square
root of its own total scatter ``L_0`` (``scale_rows``): the placement minimises the sum over the scales of
each scale's ``L_m / L_0``. One smoothing alone biases where a boundary falls: the rows without context
are noisy (a short or misheard sentence joins the wrong side), and with context a boundary sentence shares
half its row with its neighbour across the change, so between a diffuse section and a tight one the split
can move a sentence into the diffuse one, or a boundary of sections of two or three sentences can cost
the same one sentence later. The scales together keep the raw rows' exact sentence and the smoothed rows'
resistance to noise (``placed_change_points``); the strengths are still read on the count's rows.

Weak support (off by default, ``move_sentences = 0``: with 10-s sections the fit half scored the same
with and without it): each change point sits between two sentences; it may move to the sentence start up
to ``move_sentences`` before or after when that start lowers ``scatter(left) + scatter(right) -
pause_weight * min(pause before it, 1.5 s) - shot_weight * [a shot change within shot_snap s]`` (scatter
in grid points); a move never makes a segment shorter than ``min_seconds``.

Consensus placement (``consensus``, off by default: on the fit half its gain in boundary F1 was not
proven): ``transcript_boundaries`` keeps the rule's count ``m`` but lets 9 row variants vote on where the
boundaries go. The same search runs with every ``context`` in ``VOTE_CONTEXTS`` and every ``embed_weight``
in ``VOTE_WEIGHTS``; each sentence start any variant chose is a candidate whose vote is the number of
variants with a boundary within ``VOTE_WINDOW`` s of it plus ``0.01`` times the summed strengths of the
variants' boundaries at exactly that start; the ``m`` best-voted candidates at least ``min_seconds`` apart
are kept, their strength the vote over the number of variants (``voted_boundaries``). Each variant's
boundaries are placed by the placement above (``place_contexts``), so variants that differ only in
``context`` differ where their counts do.

Lexical extension (``lexical_margin``, ``lexical_gain_floor``): after the count (and its extension), one
more boundary is taken while the boundaries the segmentation with one more adds (those more than a third of
``min_seconds`` from the previous segmentation's) are lexically distinct (``count_rules.lexically_distinct``:
each side's sentences share words with each other more than with the other side's, by ``lexical_margin``
in tf-idf cosine) and the added boundary's scatter gain is at least ``lexical_gain_floor`` times the kept
boundaries' mean gain. A section that keeps naming its own subject is split from a neighbour that does not
share its words, which the scatter alone can miss when a talk has many short sections; talks whose
sentences rarely repeat a word keep the scatter's count.

Spoken topic-shift openers (``shift_cues``, off by default: it moves boundaries of talks that never say
such openers when the recogniser mishears a word as one, "Next, don't stand ..."): after the placement, a
change point whose sentence does not open with a topic-shift opener ("Next, ...", "Moving on, ...",
"Another thing: ...", "Let's turn to ...", "Finally, ..."; ``opens_topic_shift``) moves onto the sentence
just before or after it that does, keeping segments of ``min_seconds`` (with both, the one leaving less
scatter on the rows without context), and only when the move adds at most ``shift_margin`` times the
boundary's own gain in scatter (a boundary the rows place clearly stays). The count does not change.

Split by title (``split_margin``, off by default: on the fit half of the talks' true sentences its gain in
boundary F1 was not proven): after the placement, ``count_rules.title_splits`` splits a chapter whose two
halves take different keyphrase titles, each closer to its own half by ``split_margin``.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from vidgist.summarize import count_rules
from vidgist.summarize.keyphrases import TextEncoder
from vidgist.summarize.shots import backtrack, calc_scatters, cpd_nonlin
from vidgist.types import TextSpan


@dataclass(frozen=True)
class TopicParams:
    """Constants of the rule (module docstring); chosen on the fit half of ``benchmarks/talks_devset.py``."""

    min_seconds: float = 10.0
    embed_weight: float = 0.85
    context: int = 1
    centre: bool = False
    penalty: float = 0.08
    step: float = 1.0
    max_positions: int = 1200
    silence_reach: float | None = 3.0  # grid points farther than this from any sentence are left out
    pause_weight: float = 0.2
    shot_weight: float = 0.3
    shot_snap: float = 1.0
    move_sentences: int = 0  # how far (in sentences) weak support may move a boundary
    extend_ratio: float | None = 0.75  # None: the penalty alone sets the count
    reference_seconds: float | None = 300.0  # past this length, the penalty of a talk this long; None: off
    consensus: bool = False  # row variants vote on where the rule's boundaries go (module docstring)
    place_contexts: tuple[int, ...] = (0, 1, 2)  # placement's row scales (module docstring); (): the count's
    split_margin: float | None = None  # opt-in: split chapters by title (``count_rules.title_splits``)
    lexical_margin: float | None = 0.02  # lexical extension of the count (module docstring); None: off
    lexical_gain_floor: float | None = 0.6  # its least gain, relative to the kept boundaries' mean gain
    count: int | None = None  # the number of boundaries when the user knows it; None: the penalised count
    shift_cues: bool = False  # a change point moves onto a neighbouring sentence that opens a new topic aloud
    shift_margin: float | None = 0.1  # a move's most extra scatter over the boundary's gain; None: any


#: consensus placement's row variants (``context`` x ``embed_weight``) and its vote window in seconds
VOTE_CONTEXTS = (0, 1, 2)
VOTE_WEIGHTS = (0.7, 0.85, 1.0)
VOTE_WINDOW = 2.0


def _rows(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def sentence_rows(
    embeddings: np.ndarray, tfidf: np.ndarray, embed_weight: float, centre: bool = False
) -> np.ndarray:
    """Per sentence the joint unit row of the embedding (``centre``: minus the mean sentence) and the tf-idf
    row (module docstring)."""
    e = np.asarray(embeddings, dtype=np.float64)
    e = _rows(e - e.mean(0, keepdims=True)) if centre and len(e) > 1 else _rows(e)
    f = _rows(np.asarray(tfidf, dtype=np.float64))
    return _rows(np.hstack([math.sqrt(embed_weight) * e, math.sqrt(1.0 - embed_weight) * f]))


def with_context(rows: np.ndarray, context: int) -> np.ndarray:
    """Each row averaged with half the weight of its ``context`` neighbours on each side, normalised."""
    x = np.asarray(rows, dtype=np.float64)
    if context <= 0 or len(x) < 2:
        return x
    out = x.copy()
    for k in range(1, context + 1):
        out[k:] += 0.5 * x[:-k]
        out[:-k] += 0.5 * x[k:]
    return _rows(out)


def grid_items(
    speech: Sequence[TextSpan], duration: float, step: float, reach: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(grid times, index of the sentence each grid point reads): the sentence spoken there, in a pause
    the nearer one; with ``reach``, points farther than that from every sentence are left out (music, a
    silent demonstration: no sentence weighs more for the silence beside it)."""
    n = max(1, math.ceil(duration / step))
    times = (np.arange(n) + 0.5) * step
    cuts = np.array([0.5 * (a.end + b.start) for a, b in zip(speech, speech[1:], strict=False)])
    item = np.searchsorted(cuts, times, side="right").astype(np.int64)
    if reach is None:
        return times, item
    starts = np.array([s.start for s in speech])[item]
    ends = np.array([s.end for s in speech])[item]
    near = np.maximum(starts - times, times - ends) <= reach
    return (times[near], item[near]) if near.any() else (times, item)


def _scatter(table: np.ndarray, a: int, b: int) -> float:
    """Kernel scatter of grid points ``a..b-1`` from ``calc_scatters``' table."""
    return float(table[a, b - 1]) if b > a else 0.0


def topic_boundaries(
    speech: Sequence[TextSpan],
    rows: np.ndarray,
    duration: float,
    shot_cuts: Sequence[float] = (),
    params: TopicParams = TopicParams(),
    embeddings: np.ndarray | None = None,
    encode_texts: TextEncoder | None = None,
    tfidf: np.ndarray | None = None,
) -> list[tuple[float, float]]:
    """Topic boundaries of the transcript (module docstring); ``embeddings`` and ``encode_texts`` serve
    only the opt-in ``split_margin``, ``tfidf`` (the sentences' tf-idf rows) the lexical extension
    (``lexical_margin``; without ``tfidf`` the count is not extended)."""
    if len(speech) < 2 or duration <= 2 * params.min_seconds:
        return []
    step = max(params.step, duration / params.max_positions)
    times, item = grid_items(speech, duration, step, params.silence_reach)
    rows = np.asarray(rows, dtype=np.float64)
    x = with_context(rows, params.context)[item]
    lmin = max(1, math.ceil(params.min_seconds / step))
    n = len(x)
    if n < 2 * lmin:
        return []
    accept = None
    if params.lexical_margin is not None and tfidf is not None and params.count is None:
        margin, lexical = params.lexical_margin, np.asarray(tfidf, dtype=np.float64)

        def accept(edges: list[int], before: list[int]) -> bool:
            added = [c for c in edges if all(abs(c - b) > lmin / 3 for b in before)]
            return count_rules.lexically_distinct(edges, item, lexical, margin, added)

    penalty = params.penalty
    if params.reference_seconds is not None and duration > params.reference_seconds:
        penalty *= params.reference_seconds / duration
    edges = penalised_change_points(
        x, lmin, penalty, params.extend_ratio, params.count, accept, params.lexical_gain_floor
    )
    if edges and params.place_contexts:
        edges = placed_change_points(rows, item, len(edges), lmin, params.place_contexts) or edges
    if params.split_margin is not None and embeddings is not None and encode_texts is not None:
        edges = count_rules.title_splits(
            speech, embeddings, x, item, edges, lmin, encode_texts, params.split_margin
        )
    # the exact sentence, on the rows without context: only weak support can move a change point
    moves = params.move_sentences or params.shift_cues
    table = calc_scatters(rows[item] @ rows[item].T) if moves else None
    starts = np.array([s.start for s in speech])
    pauses = np.array([0.0, *(b.start - a.end for a, b in zip(speech, speech[1:], strict=False))])
    shifts = [opens_topic_shift(s.text) for s in speech] if params.shift_cues else []
    edges = [0, *edges, n]
    out = []
    for k in range(1, len(edges) - 1):
        lo, c, hi = edges[k - 1], edges[k], edges[k + 1]
        if table is not None and params.move_sentences:
            c = _best_move(c, lo, hi, lmin, item, starts, pauses, shot_cuts, table, params)
        if table is not None and shifts and not shifts[int(item[c])]:
            c = _onto_shift(c, lo, hi, lmin, item, shifts, table, params.shift_margin)
        edges[k] = c
        t = float(starts[item[c]])
        if params.min_seconds <= t <= duration - params.min_seconds:
            out.append((t, 1.0 - _cos(x[lo:c].mean(0), x[c:hi].mean(0))))
    return _spaced(out, params.min_seconds)


def transcript_boundaries(
    speech: Sequence[TextSpan],
    embeddings: np.ndarray,
    tfidf: np.ndarray,
    duration: float,
    shot_cuts: Sequence[float] = (),
    params: TopicParams = TopicParams(),
    encode_texts: TextEncoder | None = None,
) -> list[tuple[float, float]]:
    """``topic_boundaries`` on the sentences' rows (``sentence_rows``); with ``params.consensus`` the
    same count placed by the row variants' vote (module docstring)."""
    rows = sentence_rows(embeddings, tfidf, params.embed_weight, params.centre)
    found = topic_boundaries(speech, rows, duration, shot_cuts, params, embeddings, encode_texts, tfidf)
    if not params.consensus or not found:
        return found
    runs = []
    for context in VOTE_CONTEXTS:
        for weight in VOTE_WEIGHTS:
            variant = dataclasses.replace(params, context=context, embed_weight=weight)
            if (context, weight) == (params.context, params.embed_weight):
                runs.append(found)
                continue
            rows = sentence_rows(embeddings, tfidf, weight, params.centre)
            runs.append(topic_boundaries(speech, rows, duration, shot_cuts, variant))
    return voted_boundaries(runs, len(found), params.min_seconds)


def voted_boundaries(
    runs: Sequence[Sequence[tuple[float, float]]], count: int, gap: float, window: float = VOTE_WINDOW
) -> list[tuple[float, float]]:
    """The ``count`` times the runs agree on most (module docstring, consensus placement), at least
    ``gap`` apart, sorted; each with its vote over ``len(runs)``."""
    starts = sorted({t for run in runs for t, _ in run})
    votes = [
        (
            t,
            sum(any(abs(t - u) <= window for u, _ in run) for run in runs)
            + 0.01 * sum(g for run in runs for u, g in run if u == t),
        )
        for t in starts
    ]
    return _spaced([(t, v / len(runs)) for t, v in votes], gap, most=count)


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-12))


def penalised_change_points(
    x: np.ndarray,
    lmin: int,
    penalty: float,
    extend_ratio: float | None = None,
    count: int | None = None,
    accept: Callable[[list[int], list[int]], bool] | None = None,
    accept_floor: float | None = None,
) -> list[int]:
    """Change points of the KTS segmentation (segments of at least ``lmin`` rows) minimising
    ``L_m / L_0 + penalty * m`` (module docstring): a boundary stays when it removes at least ``penalty``
    of the whole transcript's scatter; then extended by ``extend_ratio`` (``extended_count``). A given
    ``count`` replaces that choice: the best segmentation with ``count`` change points, or with as many as
    segments of ``lmin`` rows allow. ``accept`` (the lexical extension) takes one more change point while
    it accepts the segmentation with that many (given the one before it) and, with ``accept_floor``,
    while that change point's gain is at least ``accept_floor`` times the kept ones' mean gain."""
    n = len(x)
    m_max = n // lmin - 1
    if m_max < 1:
        return []
    _, scores, back = cpd_nonlin(x @ x.T, m_max, lmin=lmin)
    if not scores[0] > 0:
        return []
    rel = np.where(np.isfinite(scores), scores / scores[0], np.inf)
    if count is not None:
        feasible = np.flatnonzero(np.isfinite(rel))
        m = int(min(max(count, 0), feasible.max()))
        return [int(c) for c in backtrack(back, n, m, lmin)] if m else []
    m = int(np.argmin(rel + penalty * np.arange(len(scores))))
    if extend_ratio is not None:
        m = extended_count(rel, m, extend_ratio)
    if accept is not None and m:  # one more change point while ``accept`` takes the segmentation with it
        kept = list(backtrack(back, n, m, lmin))
        while m + 1 < len(rel) and np.isfinite(rel[m + 1]):
            kept_mean = (1.0 - rel[m]) / m  # the mean gain of the kept change points
            if accept_floor is not None and rel[m] - rel[m + 1] < accept_floor * kept_mean:
                break
            more = list(backtrack(back, n, m + 1, lmin))
            if not accept(more, kept):
                break
            kept, m = more, m + 1
        return [int(c) for c in kept]
    return [int(c) for c in backtrack(back, n, m, lmin)] if m else []


def extended_count(rel: np.ndarray, m: int, ratio: float) -> int:
    """From ``m >= 1`` boundaries, add one while its gain ``rel[m] - rel[m + 1]`` is at least ``ratio``
    times the mean gain of the kept ones (``rel[k]``: ``L_k / L_0``, inf where infeasible)."""
    if m < 1:
        return m
    gains = list(rel[:m] - rel[1 : m + 1])
    while m + 1 < len(rel) and np.isfinite(rel[m + 1]) and rel[m] - rel[m + 1] >= ratio * np.mean(gains):
        gains.append(float(rel[m] - rel[m + 1]))
        m += 1
    return m


def scale_rows(rows: np.ndarray, item: np.ndarray, contexts: Sequence[int]) -> np.ndarray:
    """The grid rows at every context scale joined side by side, each scale divided by the square root of
    its own total scatter ``L_0`` (so each explains an equal share of the joined rows' scatter)."""
    parts = []
    for context in contexts:
        y = with_context(rows, context)[item]
        total = float(np.einsum("ij,ij->", y, y) - np.sum(y.sum(0) ** 2) / len(y))
        parts.append(y / math.sqrt(max(total, 1e-12)))
    return np.hstack(parts)


def placed_change_points(
    rows: np.ndarray, item: np.ndarray, m: int, lmin: int, contexts: Sequence[int]
) -> list[int]:
    """Where ``m`` change points go (module docstring, placement): KTS's least scatter with ``m`` change
    points (segments of at least ``lmin`` grid points) on the joined rows of ``scale_rows``, i.e. the least
    sum over the scales of each scale's scatter relative to its ``L_0``."""
    z = scale_rows(rows, item, contexts)
    n = len(z)
    _, scores, back = cpd_nonlin(z @ z.T, m, lmin=lmin)
    if len(scores) <= m or not np.isfinite(scores[m]):
        return []
    return [int(c) for c in backtrack(back, n, m, lmin)]


def _neighbour_points(
    c: int, lo: int, hi: int, lmin: int, item: np.ndarray, reach: int, table: np.ndarray
) -> list[tuple[int, int, float]]:
    """``(sentence j, its first grid point g, cost)`` for the change point's own sentence and each sentence
    up to ``reach`` before or after it that has a grid point and leaves both segments at least ``lmin``
    grid points; ``cost = scatter(lo, g) + scatter(g, hi)`` on ``table``."""
    sentence = int(item[c])
    out = []
    for j in range(sentence - reach, sentence + reach + 1):
        if not 0 < j <= int(item[-1]):
            continue
        g = c if j == sentence else int(np.searchsorted(item, j, side="left"))
        if g < len(item) and item[g] == j and g - lo >= lmin and hi - g >= lmin:
            out.append((j, g, _scatter(table, lo, g) + _scatter(table, g, hi)))
    return out


def _best_move(
    c: int,
    lo: int,
    hi: int,
    lmin: int,
    item: np.ndarray,
    starts: np.ndarray,
    pauses: np.ndarray,
    shot_cuts: Sequence[float],
    table: np.ndarray,
    params: TopicParams,
) -> int:
    """The grid index among the change point and its neighbouring sentence starts that scores best
    (module docstring, weak support)."""
    options = []
    for j, g, cost in _neighbour_points(c, lo, hi, lmin, item, params.move_sentences, table):
        support = params.pause_weight * min(float(pauses[j]), 1.5)
        if any(abs(starts[j] - s) <= params.shot_snap for s in shot_cuts):
            support += params.shot_weight
        options.append((cost - support, g))
    return min(options)[1] if options else c


#: words a speaker may say before a heading or a transition ("Okay, so, next ...")
SPOKEN_FILLER = r"(?:ok(?:ay)?|right|so|and|alright|now)"
#: how a sentence that opens a new topic aloud begins ("Next, ...", "Moving on, ...", "Let's turn to ...")
_SHIFT_OPENER = re.compile(
    rf"^\W*(?:{SPOKEN_FILLER}\W+)*"
    r"(?:next(?!\s+to\b)|now|finally|lastly|another|moving on|let'?s (?:talk about|turn to|move on)|"
    r"on to|turning to|(?:the|our) (?:next|last)|time for|last but not least)\b",
    re.IGNORECASE,
)


def opens_topic_shift(text: str) -> bool:
    """Whether the sentence opens with a spoken topic-shift opener (``_SHIFT_OPENER``), after any filler
    (``SPOKEN_FILLER``: "okay", "right", "so", ...)."""
    return _SHIFT_OPENER.match(text.strip()) is not None


def _onto_shift(
    c: int,
    lo: int,
    hi: int,
    lmin: int,
    item: np.ndarray,
    shifts: Sequence[bool],
    table: np.ndarray,
    margin: float | None = None,
) -> int:
    """A change point moved onto the sentence just before or after its own that opens a topic shift aloud,
    keeping both segments at least ``lmin`` grid points; with both, the one leaving the less scatter
    ``cost(g) = scatter(lo, g) + scatter(g, hi)`` on the rows without context; with ``margin``, only when
    ``cost(g) - cost(c)`` is at most ``margin`` times the boundary's gain ``scatter(lo, hi) - cost(c)``;
    else unmoved."""
    sentence = int(item[c])
    own = _scatter(table, lo, c) + _scatter(table, c, hi)
    most = np.inf if margin is None else margin * max(_scatter(table, lo, hi) - own, 0.0)
    options = [
        (cost, g)
        for j, g, cost in _neighbour_points(c, lo, hi, lmin, item, 1, table)
        if j != sentence and shifts[j] and cost - own <= most
    ]
    return min(options)[1] if options else c


def _spaced(
    cands: list[tuple[float, float]], gap: float, most: int | None = None
) -> list[tuple[float, float]]:
    """Strongest first, keep boundaries at least ``gap`` apart (at most ``most``); sorted by time."""
    kept: list[tuple[float, float]] = []
    for t, g in sorted(cands, key=lambda x: -x[1]):
        if (most is None or len(kept) < most) and all(abs(t - k) >= gap for k, _ in kept):
            kept.append((t, g))
    return sorted(kept)
