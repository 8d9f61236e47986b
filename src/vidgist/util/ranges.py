"""Range checks of numeric options, one wording everywhere: ``--budget 5: must be a ratio in (0, 1]``.

Commands and API entry points call :func:`check_range` where a value is parsed, so a bad value stops
the run before any work, with one line naming the option, the value and the allowed range.
"""

from __future__ import annotations

import math

from vidgist.errors import InputError


def _fmt(x: float) -> str:
    return f"{x:g}"


def describe_range(
    noun: str, low: float | None, high: float | None, low_inclusive: bool, high_inclusive: bool
) -> str:
    """``"a ratio in (0, 1]"``, ``"a positive number of seconds"``, ``"an integer >= 1"``."""
    if high is None:
        if low == 0:
            return f"{'a non-negative' if low_inclusive else 'a positive'} {noun}"
        if low is None:
            return f"a finite {noun}"
        return f"{_article(noun)} {noun} {'>=' if low_inclusive else '>'} {_fmt(low)}"
    lo = "-inf" if low is None else _fmt(low)
    return (
        f"{_article(noun)} {noun} in {'[' if low_inclusive and low is not None else '('}{lo}, "
        f"{_fmt(high)}{']' if high_inclusive else ')'}"
    )


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeio" else "a"


def check_range(
    option: str,
    value: float | None,
    low: float | None = 0.0,
    high: float | None = None,
    *,
    low_inclusive: bool = False,
    high_inclusive: bool = True,
    noun: str = "number",
    integer: bool = False,
    example: str = "",
) -> None:
    """Raise InputError unless ``value`` (None passes: option not given) is finite and within the bounds.

    ``low``/``high`` None mean unbounded on that side; by default the range is ``(low, high]``.
    """
    if value is None:
        return
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if ok and integer:
        ok = float(value).is_integer()
    if ok and low is not None:
        ok = value >= low if low_inclusive else value > low
    if ok and high is not None:
        ok = value <= high if high_inclusive else value < high
    if not ok:
        what = describe_range(noun, low, high, low_inclusive, high_inclusive)
        shown = _fmt(value) if isinstance(value, int | float) else repr(value)
        raise InputError(f"{option} {shown}: must be {what}{', ' + example if example else ''}")
