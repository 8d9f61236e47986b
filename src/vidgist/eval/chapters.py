"""Chapter and generic-summary measures against true sections (issue 19); numpy only.

- ``boundary_f1(pred, true, tol=3.0)``: boundaries are the chapter starts after 0 (seconds); a predicted
  boundary matches an unmatched true one within ``tol`` seconds, nearest pairs first (one-to-one);
  precision = matches / predicted, recall = matches / true, F1 their harmonic mean. Both empty: 1.0;
  one empty: 0.0.
- ``section_coverage(segments, sections, min_seconds=1.0)``: share of the true sections that the summary
  segments overlap by at least ``min_seconds`` in total.
- ``title_overlap(chapters, sections)``: per true section, the predicted chapter overlapping it longest;
  the F1 of the two titles' content-word sets (lower case, stopwords and numbers dropped, a plural "s"
  stripped); the mean over sections.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_STOP = frozenset(
    "a an the and or of in on at to for from with by is are was were be part chapter section step".split()
)
_WORD = re.compile(r"[a-z0-9]+|[\u3400-\u9fff]")

Interval = tuple[float, float]


def boundary_f1(pred: Sequence[float], true: Sequence[float], tol: float = 3.0) -> tuple[float, float, float]:
    """(precision, recall, F1) of predicted against true boundary times (module docstring)."""
    p, t = sorted(float(x) for x in pred), sorted(float(x) for x in true)
    if not p and not t:
        return 1.0, 1.0, 1.0
    if not p or not t:
        return 0.0, 0.0, 0.0
    pairs = sorted((abs(a - b), i, j) for i, a in enumerate(p) for j, b in enumerate(t) if abs(a - b) <= tol)
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


def title_overlap(
    chapters: Sequence[tuple[float, float, str]], sections: Sequence[tuple[float, float, str]]
) -> float:
    """Mean per-section title word F1 against the chapter overlapping each section most."""
    if not sections:
        return 0.0
    scores = []
    for a, b, title in sections:
        best = max(chapters, key=lambda c: _overlap((c[0], c[1]), (a, b)), default=None)
        tw = title_words(title)
        pw = title_words(best[2]) if best is not None else set()
        m = len(tw & pw)
        scores.append(2 * m / (len(tw) + len(pw)) if m else 0.0)
    return float(np.mean(scores))
