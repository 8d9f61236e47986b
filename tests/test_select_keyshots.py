"""Knapsack exactness and key-shot selection under a budget."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vidgist.summarize.select import select_keyshots, weight_unit
from vidgist.util.knapsack import knapsack


def _brute(values: list[float], weights: list[int], cap: int) -> float:
    best = 0.0
    for r in range(len(values) + 1):
        for combo in itertools.combinations(range(len(values)), r):
            if sum(weights[i] for i in combo) <= cap:
                best = max(best, sum(values[i] for i in combo))
    return best


def test_knapsack_equals_brute_force_seeded() -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        n = int(rng.integers(1, 9))
        values = rng.random(n).round(3).tolist()
        weights = rng.integers(0, 12, size=n).tolist()
        cap = int(rng.integers(0, 30))
        picked = knapsack(values, weights, cap)
        assert picked == sorted(set(picked))
        assert sum(weights[i] for i in picked) <= cap
        assert sum(values[i] for i in picked) == pytest.approx(_brute(values, weights, cap), abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 10, allow_nan=False), st.integers(0, 15)), min_size=0, max_size=8),
    st.integers(0, 40),
)
def test_knapsack_equals_brute_force_hypothesis(items: list[tuple[float, int]], cap: int) -> None:
    values = [v for v, _ in items]
    weights = [w for _, w in items]
    picked = knapsack(values, weights, cap)
    assert sum(weights[i] for i in picked) <= cap
    assert sum(values[i] for i in picked) == pytest.approx(_brute(values, weights, cap), abs=1e-6)


def _random_case(seed: int, duration: float = 600.0, fps: float = 2.0) -> tuple[np.ndarray, np.ndarray, list]:
    rng = np.random.default_rng(seed)
    times = np.arange(0, duration, 1 / fps)
    scores = rng.random(times.size)
    cuts = np.sort(rng.choice(np.arange(1, int(duration)), size=40, replace=False)).astype(float)
    bounds = [0.0, *cuts.tolist(), duration]
    return times, scores, list(zip(bounds[:-1], bounds[1:], strict=True))


@pytest.mark.parametrize("seed", range(5))
def test_select_respects_budget_and_shots(seed: int) -> None:
    times, scores, shots = _random_case(seed)
    budget = 0.15 * 600.0
    segs = select_keyshots(times, scores, shots, budget)
    assert segs
    assert sum(s.end - s.start for s in segs) <= budget + 1e-9
    assert all((s.start, s.end) in shots for s in segs)
    assert [s.start for s in segs] == sorted(s.start for s in segs)
    for s in segs:
        inside = (times >= s.start) & (times < s.end)
        assert s.score == pytest.approx(scores[inside].mean())


def test_select_prefers_high_scores() -> None:
    times = np.arange(0, 100, 0.5)
    scores = np.where((times >= 40) & (times < 50), 1.0, 0.1)
    shots = [(float(a), float(a + 10)) for a in range(0, 100, 10)]
    segs = select_keyshots(times, scores, shots, 15.0)
    assert [(s.start, s.end) for s in segs] == [(40.0, 50.0)]


def test_oversize_shot_gives_best_window() -> None:
    times = np.arange(0, 100, 0.5)
    scores = np.exp(-0.5 * ((times - 61.0) / 2.0) ** 2)
    segs = select_keyshots(times, scores, [(0.0, 100.0)], 10.0)
    assert len(segs) == 1
    s = segs[0]
    assert s.end - s.start == pytest.approx(10.0)
    assert s.start <= 61.0 < s.end
    assert abs((s.start + s.end) / 2 - 61.0) <= 0.5


def test_never_empty_with_positive_budget() -> None:
    times = np.arange(0, 20, 0.5)
    zero = np.zeros_like(times)
    segs = select_keyshots(times, zero, [(0.0, 10.0), (10.0, 20.0)], 3.0)
    assert len(segs) == 1 and segs[0].end - segs[0].start == pytest.approx(3.0)
    assert select_keyshots(times, zero, [(0.0, 10.0)], 0.0) == []
    assert select_keyshots(times, zero, [], 5.0) == []


def test_two_hour_video_thousands_of_shots() -> None:
    rng = np.random.default_rng(7)
    duration = 7200.0
    times = np.arange(0, duration, 0.5)
    scores = rng.random(times.size)
    cuts = np.sort(rng.choice(np.arange(1, 7200), size=2999, replace=False)).astype(float)
    bounds = [0.0, *cuts.tolist(), duration]
    shots = list(zip(bounds[:-1], bounds[1:], strict=True))
    budget = 0.15 * duration
    segs = select_keyshots(times, scores, shots, budget)
    total = sum(s.end - s.start for s in segs)
    assert total <= budget
    unit = weight_unit(budget)
    assert unit == pytest.approx(budget / 20_000)
    # nearly full: the slack is at most one shot plus the rounding (< one weight unit per chosen shot)
    assert total >= budget - max(b - a for a, b in shots) - unit * len(segs)


def test_split_long_shots_makes_equal_pieces_no_longer_than_the_cap():
    from vidgist.summarize.shots import split_long_shots

    shots = [(0.0, 3.0), (3.0, 11.0), (11.0, 12.0)]
    out = split_long_shots(shots, 3.0)
    assert out[0] == (0.0, 3.0) and out[-1] == (11.0, 12.0)
    middle = out[1:-1]
    assert len(middle) == 3 and all(abs((b - a) - 8 / 3) < 1e-9 for a, b in middle)
    assert middle[0][0] == 3.0 and abs(middle[-1][1] - 11.0) < 1e-9
    # contiguous cover of the input
    assert all(abs(out[i][1] - out[i + 1][0]) < 1e-9 for i in range(len(out) - 1))


def test_short_exact_match_beats_long_moderate_stretch() -> None:
    """Relevance first, length second: 3 s at 1.0 is taken before 12 s at 0.69 under a 6-s cap."""
    from vidgist.summarize.select import select_relevant

    t = np.arange(0.25, 60.0, 0.5)
    rel = np.zeros((1, t.size))
    rel[0, (t >= 10) & (t < 22)] = 0.69
    rel[0, (t >= 40) & (t < 43)] = 1.0
    segs = select_relevant(t, rel, rel[0], budget_seconds=6.0, threshold=0.5, duration=60.0)
    assert any(s.start <= 40.0 and s.end >= 43.0 for s in segs), segs
    assert sum(s.end - s.start for s in segs) <= 6.0 + 1e-9


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.5, 20.0), st.integers(1, 3))
def test_matching_query_summary_holds_its_best_moment(seed: int, budget: float, n_queries: int) -> None:
    """Whatever the timeline and cap, each query whose maximum clears the threshold has a moment at that
    maximum in the summary."""
    from vidgist.summarize.select import select_relevant

    rng = np.random.default_rng(seed)
    t = np.arange(0.25, 90.0, 0.5)
    smooth = np.convolve(rng.random(t.size + 8), np.ones(9) / 9, mode="valid")[: t.size]
    rel = np.stack(
        [
            np.clip(smooth * rng.uniform(0.8, 1.6) + rng.normal(0, 0.05, t.size), 0, 1)
            for _ in range(n_queries)
        ]
    )
    segs = select_relevant(t, rel, rel.max(axis=0), budget_seconds=budget, threshold=0.5, duration=90.0)
    assert sum(s.end - s.start for s in segs) <= budget + 1e-6
    for q in range(n_queries):
        if rel[q].max() < 0.5:
            continue
        inside = np.zeros(t.size, dtype=bool)
        for s in segs:
            inside |= (t >= s.start - 1e-6) & (t <= s.end + 1e-6)
        assert inside.any() and rel[q][inside].max() == pytest.approx(rel[q].max()), (q, segs)
