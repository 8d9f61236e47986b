"""Chapter and generic-summary measures against true sections; numpy only.

- ``boundary_f1(pred, true, tol=3.0)``: boundaries are the chapter starts after 0 (seconds); a predicted
  boundary matches an unmatched true one within ``tol`` seconds (one number, or one per true boundary, e.g.
  10% of the section length), nearest pairs first (one-to-one);
  precision = matches / predicted, recall = matches / true, F1 their harmonic mean. Both empty: 1.0;
  one empty: 0.0.
- ``section_coverage(segments, sections, min_seconds=1.0)``: share of the true sections that the summary
  segments overlap by at least ``min_seconds`` in total.
- ``title_overlap(chapters, sections)``: per true section, the predicted chapter overlapping it longest;
  the F1 of the two titles' content-word sets (lower case, stopwords and numbers dropped, a plural "s"
  stripped); the mean over sections.
- ``title_similarity(chapters, sections, encode)``: the same pairing, the cosine between the sentence
  model's embeddings of the two titles (``encode``: list of texts -> L2-normalised rows); the mean.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

_STOP = frozenset(
    "a an the and or of in on at to for from with by is are was were be part chapter section step".split()
)
_WORD = re.compile(r"[a-z0-9]+|[\u3400-\u9fff]")

Interval = tuple[float, float]


def boundary_f1(
    pred: Sequence[float], true: Sequence[float], tol: float | Sequence[float] = 3.0
) -> tuple[float, float, float]:
    """(precision, recall, F1) of predicted against true boundary times (module docstring)."""
    p = sorted(float(x) for x in pred)
    order = sorted(range(len(true)), key=lambda j: float(true[j]))
    t = [float(true[j]) for j in order]
    tols = [float(tol)] * len(t) if isinstance(tol, int | float) else [float(tol[j]) for j in order]
    if not p and not t:
        return 1.0, 1.0, 1.0
    if not p or not t:
        return 0.0, 0.0, 0.0
    pairs = sorted(
        (abs(a - b), i, j) for i, a in enumerate(p) for j, b in enumerate(t) if abs(a - b) <= tols[j] + 1e-9
    )
    used_p: set[int] = set()
    used_t: set[int] = set()
    for _d, i, j in pairs:
        if i not in used_p and j not in used_t:
            used_p.add(i)
            used_t.add(j)
    m = len(used_p)
    prec, rec = m / len(p), m / len(t)
    return prec, rec, (2 * prec * rec / (prec + rec) if m else 0.0)


def _overlap(a: Interval, b: Interval) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


def section_coverage(
    segments: Sequence[Interval], sections: Sequence[Interval], min_seconds: float = 1.0
) -> float:
    """Share of ``sections`` overlapped by at least ``min_seconds`` of ``segments``."""
    if not sections:
        return 0.0
    hit = [sum(_overlap(s, sec) for s in segments) >= min_seconds - 1e-9 for sec in sections]
    return float(np.mean(hit))


def title_words(title: str) -> set[str]:
    """Content words of a title (module docstring)."""
    out = set()
    for w in _WORD.findall(title.lower()):
        if w in _STOP or w.isdigit():
            continue
        out.add(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return out


def chapter_of_sections(chapters: Sequence[Interval], sections: Sequence[Interval]) -> list[int]:
    """Per section the index of the chapter overlapping it most (the first on a tie; -1 without
    chapters): the chapter whose title is scored against the section's."""
    return [
        max(range(len(chapters)), key=lambda j: _overlap(chapters[j], sec), default=-1) for sec in sections
    ]


def _paired_titles(
    chapters: Sequence[tuple[float, float, str]], sections: Sequence[tuple[float, float, str]]
) -> list[tuple[str, str]]:
    """(true title, title of the chapter overlapping the section most, or '') per section."""
    best = chapter_of_sections([(c[0], c[1]) for c in chapters], [(a, b) for a, b, _t in sections])
    return [
        (title, chapters[j][2] if j >= 0 else "") for (_a, _b, title), j in zip(sections, best, strict=True)
    ]


def title_similarity(
    chapters: Sequence[tuple[float, float, str]],
    sections: Sequence[tuple[float, float, str]],
    encode: Callable[[list[str]], np.ndarray],
) -> float:
    """Mean sentence-model cosine of each true title and its chapter's title (module docstring)."""
    pairs = _paired_titles(chapters, sections)
    if not pairs:
        return 0.0
    texts = sorted({x for pair in pairs for x in pair if x})
    vecs = np.asarray(encode(texts), dtype=np.float64)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    row = {x: vecs[i] for i, x in enumerate(texts)}
    return float(np.mean([float(row[a] @ row[b]) if a and b else 0.0 for a, b in pairs]))


def title_overlap(
    chapters: Sequence[tuple[float, float, str]], sections: Sequence[tuple[float, float, str]]
) -> float:
    """Mean per-section title word F1 against the chapter overlapping each section most."""
    if not sections:
        return 0.0
    scores = []
    for title, pred in _paired_titles(chapters, sections):
        tw, pw = title_words(title), title_words(pred)
        m = len(tw & pw)
        scores.append(2 * m / (len(tw) + len(pw)) if m else 0.0)
    return float(np.mean(scores))
