"""KTS and shot construction: exact DP, planted change points, a real generated video."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
import videogen as vg

from vidgist.errors import InputError
from vidgist.media.video import iter_frames
from vidgist.summarize.shots import (
    ShotSpec,
    calc_scatters,
    cpd_auto,
    cpd_nonlin,
    kts_change_points,
    make_shots,
    parse_shots_spec,
    shots_from_change_points,
    uniform_shots,
)


def _planted(n: int, cps: np.ndarray, d: int = 32, noise: float = 0.3, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    bounds = [0, *cps.tolist(), n]
    x = np.zeros((n, d))
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        x[a:b] = rng.normal(size=d)
    return x + noise * rng.normal(size=(n, d))


def _scatter_direct(K: np.ndarray, a: int, b: int) -> float:
    blk = K[a:b, a:b]
    return float(np.trace(blk) - blk.sum() / (b - a))


def test_scatters_match_definition() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(12, 5))
    K = x @ x.T
    J = calc_scatters(K)
    for i in range(12):
        for j in range(i, 12):
            assert J[i, j] == pytest.approx(_scatter_direct(K, i, j + 1), abs=1e-9)
    assert np.isinf(J[5, 2])


@pytest.mark.parametrize("seed", range(5))
def test_dp_equals_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 9
    x = rng.normal(size=(n, 3))
    K = x @ x.T
    cps, scores, _ = cpd_nonlin(K, 4)
    for k in range(5):
        best = min(
            sum(_scatter_direct(K, a, b) for a, b in zip((0, *c), (*c, n), strict=True))
            for c in itertools.combinations(range(1, n), k)
        )
        assert scores[k] == pytest.approx(best, abs=1e-9)
    # the returned change points achieve the 4-change-point optimum
    bounds = (0, *cps.tolist(), n)
    got = sum(_scatter_direct(K, a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True))
    assert got == pytest.approx(scores[4], abs=1e-9)


def test_cpd_auto_penalty_choice() -> None:
    n = 120
    planted = np.array([30, 70, 95])
    x = _planted(n, planted)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    K = x @ x.T
    cps, costs = cpd_auto(K, n - 1, vmax=1.0)
    assert cps.tolist() == planted.tolist()
    assert int(np.argmin(costs)) == 3
    # a huge vmax makes every change point too expensive
    cps_hi, _ = cpd_auto(K, n - 1, vmax=1e4)
    assert cps_hi.size == 0


def test_kts_exact_small() -> None:
    planted = np.array([40, 41 + 50, 200, 260])
    found = kts_change_points(_planted(300, planted))
    assert found.tolist() == planted.tolist()


def test_kts_pooled_two_hours_at_2fps() -> None:
    """N = 14,400 (2 h at 2 fps) goes through pooling + refinement: every planted cut within one sample."""
    rng = np.random.default_rng(3)
    n = 14_400
    planted = np.cumsum(rng.integers(40, 240, size=400))
    planted = planted[planted < n - 40]
    found = kts_change_points(_planted(n, planted, seed=3))
    dist_planted = np.abs(planted[:, None] - found[None, :]).min(axis=1)
    dist_found = np.abs(found[:, None] - planted[None, :]).min(axis=1)
    assert dist_planted.max() <= 1
    assert dist_found.max() <= 1  # nothing spurious
    assert np.all(np.diff(found) > 0)


def test_kts_homogeneous_gives_no_cut() -> None:
    rng = np.random.default_rng(0)
    base = rng.normal(size=16)
    x = base + 0.01 * rng.normal(size=(500, 16))
    assert kts_change_points(x).size == 0
    assert kts_change_points(x[:1]).size == 0


@pytest.fixture(scope="module")
def four_part_video(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[float]]:
    path = tmp_path_factory.mktemp("seg") / "four.mp4"
    parts = [
        {"duration": 2.0, "color": (220, 30, 30), "pattern": "noise"},
        {"duration": 2.0, "color": (30, 200, 40), "pattern": "noise"},
        {"duration": 2.0, "color": (30, 40, 220), "pattern": "moving"},
        {"duration": 2.0, "color": (230, 220, 40), "pattern": "noise", "text": "END"},
    ]
    cuts = vg.make_video(path, parts, fps=25, size=(160, 120), audio=False)
    return path, cuts


def test_kts_on_generated_video(four_part_video: tuple[Path, list[float]]) -> None:
    path, cuts = four_part_video
    fps = 4.0
    times, feats = [], []
    for t, img in iter_frames(path, fps, max_side=32):
        times.append(t)
        small = img.reshape(4, img.shape[0] // 4, 4, img.shape[1] // 4, 3).mean(axis=(1, 3))
        feats.append(small.ravel())
    cps = kts_change_points(np.array(feats))
    assert len(cps) == len(cuts) == 3
    cut_times = np.array(times)[cps]
    assert np.abs(cut_times - np.array(cuts)).max() <= 1.0 / fps + 1e-9
    shots = shots_from_change_points(np.array(times), cps, 8.0)
    assert len(shots) == 4 and shots[0][0] == 0.0 and shots[-1][1] == 8.0
    assert all(a[1] == b[0] for a, b in zip(shots[:-1], shots[1:], strict=True))


def test_shots_from_change_points() -> None:
    times = np.arange(10) * 0.5
    assert shots_from_change_points(times, [4, 8], 5.0) == [(0.0, 2.0), (2.0, 4.0), (4.0, 5.0)]
    assert shots_from_change_points(times, [], 5.0) == [(0.0, 5.0)]
    assert shots_from_change_points(times, [0, 4, 4, 99], 5.0) == [(0.0, 2.0), (2.0, 5.0)]


def test_uniform_shots() -> None:
    assert uniform_shots(10.0, 2.0) == [(0.0, 2.0), (2.0, 4.0), (4.0, 6.0), (6.0, 8.0), (8.0, 10.0)]
    assert uniform_shots(10.5, 2.0)[-1] == (8.0, 10.5)  # short tail merged
    assert uniform_shots(11.2, 2.0)[-1] == (10.0, 11.2)  # long tail kept
    assert uniform_shots(1.0, 2.0) == [(0.0, 1.0)]
    with pytest.raises(InputError):
        uniform_shots(10.0, 0.0)


def test_parse_shots_spec_and_make_shots() -> None:
    assert parse_shots_spec("kts") == ShotSpec("kts")
    assert parse_shots_spec("uniform:2.5") == ShotSpec("uniform", 2.5)
    for bad in ("uniform", "uniform:-1", "uniform:x", "scenes", "uniform:nan"):
        with pytest.raises(InputError, match="--shots"):
            parse_shots_spec(bad)
    assert make_shots("uniform:3", np.arange(5.0), None, 6.0) == [(0.0, 3.0), (3.0, 6.0)]
    times = np.arange(300) * 0.5
    x = _planted(300, np.array([100, 200]))
    assert make_shots("kts", times, x, 150.0) == [(0.0, 50.0), (50.0, 100.0), (100.0, 150.0)]
