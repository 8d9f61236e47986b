"""ZeroShotScorer on synthetic evidence (3 parts) with the real offline text model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vidgist.backbones import load_backbone
from vidgist.backbones.base import Backbone
from vidgist.scorers.zero_shot import ZeroShotScorer, ZeroShotWeights, describe
from vidgist.types import Evidence, Features, TextSpan, VideoInfo

SAYS = [
    "Meet the big white rabbit who lives in the green forest.",
    "Next, riders race their bicycles down the mountain trail.",
    "Finally, we watch the planet earth spinning slowly in space.",
]
SHOWS = ["CHAPTER ONE: KITCHEN RECIPES", "STOCK MARKET PRICES TODAY", "FOOTBALL MATCH RESULTS"]


@pytest.fixture(scope="module")
def bb() -> Backbone:
    return load_backbone("offline")


def _evidence(bb: Backbone, spans: list[TextSpan]) -> Evidence:
    times = np.arange(0.0, 24.0, 0.5)
    rng = np.random.default_rng(0)
    base = rng.normal(size=(3, 1280))
    vec = base[(times // 8).astype(int)] + 0.1 * rng.normal(size=(len(times), 1280))
    vec /= np.linalg.norm(vec, axis=1, keepdims=True)
    # the bridge: every frame "looks like" the same label, so the visual channel carries no information
    lab = bb.encode_texts(["stage"])[np.zeros(len(times), dtype=int)]
    info = VideoInfo(Path("synthetic.mp4"), 24.0, 2.0, 48, 64, 64, 0, True)
    return Evidence(
        info=info,
        frames=Features(times, vec.astype(np.float32)),
        frames_in_text_space=lab.astype(np.float32),
        spans=tuple(spans),
    )


def _part_means(scores: np.ndarray) -> np.ndarray:
    return scores.reshape(3, -1).mean(axis=1)


def test_speech_query_ranks_its_part_first(bb: Backbone) -> None:
    ev = _evidence(bb, [TextSpan(8.0 * i + 0.5, 8.0 * i + 7.5, s, "speech") for i, s in enumerate(SAYS)])
    sc = ZeroShotScorer()
    for i, q in enumerate(["a rabbit in the forest", "mountain biking", "our planet seen from space"]):
        tl = sc.score(ev, [q], bb)
        assert tl.scores.shape == (48,) and np.all((tl.scores >= 0) & (tl.scores <= 1))
        assert int(np.argmax(_part_means(tl.scores))) == i, q


def test_ocr_query_ranks_its_part_first(bb: Backbone) -> None:
    ev = _evidence(bb, [TextSpan(8.0 * i, 8.0 * i + 8, s, "ocr") for i, s in enumerate(SHOWS)])
    sc = ZeroShotScorer()
    for i, q in enumerate(["cooking food", "finance and stocks", "soccer scores"]):
        assert int(np.argmax(_part_means(sc.score(ev, [q], bb).scores))) == i, q


def test_lexical_bonus_finds_a_name(bb: Backbone) -> None:
    spans = [
        TextSpan(0, 8, "Welcome everyone to the show", "speech"),
        TextSpan(8, 16, "Here is Zorblax talking about plans", "speech"),
        TextSpan(16, 24, "Thanks and see you next time", "speech"),
    ]
    tl = ZeroShotScorer().score(_evidence(bb, spans), ["Zorblax"], bb)
    assert int(np.argmax(_part_means(tl.scores))) == 1


def test_generic_mode_covers_video_and_is_deterministic(bb: Backbone) -> None:
    spans = [TextSpan(8.0 * i + 0.5, 8.0 * i + 7.5, s, "speech") for i, s in enumerate(SAYS)]
    spans += [
        TextSpan(0, 1, "rabbit", "label"),
        TextSpan(1, 2, "rabbit", "label"),
        TextSpan(9, 10, "bicycle", "label"),
    ]
    ev = _evidence(bb, spans)
    d = describe(ev)
    assert d[:3] == SAYS and "rabbit" in d[3] and d[3].index("rabbit") < d[3].index("bicycle")
    sc = ZeroShotScorer(ZeroShotWeights())
    a, b = sc.score(ev, None, bb), sc.score(ev, None, bb)
    assert np.all(np.isfinite(a.scores)) and a.scores.min() >= 0 and a.scores.max() <= 1
    np.testing.assert_array_equal(a.scores, b.scores)
    # every 8-second part holds some high scores
    assert np.all(a.scores.reshape(3, -1).max(axis=1) > 0.5)
    # no text at all still gives finite scores
    empty = sc.score(_evidence(bb, []), [], bb)
    assert np.all(np.isfinite(empty.scores)) and empty.scores.shape == (48,)
