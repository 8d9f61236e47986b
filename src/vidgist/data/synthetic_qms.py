"""Synthetic micro-videos with query logs, built to contain the QMS paper's three challenges.

Each video has a topic: two key entities and an action ("panda", "noodles", "cooking"). Frame features are
noisy mixtures of per-concept prototype vectors. The three challenges (Sec. I, C1-C3):

- C1, hidden key entities: the transcript is mostly filler words plus several distractor entities that
  users never query; the key entities appear once or twice among them, and only a few frames show each.
  The entities that both the transcript and the frames show are the key ones.
- C2, semantic gap: a share of videos (``gap_fraction``) has a transcript unrelated to its visuals
  (lyrics over a cooking video): only the frames carry the topic.
- C3, noisy queries: besides specific queries in several phrasings, every video gets generic queries
  ("funny videos") and a noisy one with a wrong entity.

Deterministic for a given seed. ``make_qms_dataset`` returns ``QMSItem`` records (splits train/eval/test).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vidgist.data.qms_items import QMSItem
from vidgist.data.synthetic_summ import draw_between

ENTITIES = (
    "panda noodles guitar pizza kitten puppy dumplings piano bicycle volcano sushi dragon robot castle "
    "rabbit cake"
).split()
ACTIONS = "cooking painting drawing playing dancing building fixing cleaning".split()
_BASE = dict(zip(ACTIONS, "cook paint draw play dance build fix clean".split(), strict=True))
FILLER = (
    "so today we are just going to show you this thing and it was really nice you know my friend said that "
    "it is time now look at how we do it again wait for the end guys come on please like and follow for more "
    "this is the best part honestly i did not expect that here we go one more time everyone loves it "
    "baby oh yeah tonight forever dream heart sky love shine away"
).split()
GENERIC = (
    "funny videos",
    "daily vlog",
    "trending videos",
    "best moments",
    "cute clips",
    "satisfying video",
    "viral video today",
    "relaxing video",
    "weekend fun",
    "new video",
    "must watch",
    "top clips",
)
#: the harder set's queries: each names a different part of the topic, so no one phrasing is "the" query
DISTINCT_TEMPLATES = (
    "how to {b} {e1}",
    "{e2} {a} ideas",
    "{e1} and {e2}",
    "{e2} with {e1}",
)
SPECIFIC_TEMPLATES = (
    "how to {b} {e1} {e2}",
    "{a} {e1} with {e2}",
    "{e1} {e2} {a} tutorial",
    "best {e1} {e2} {a} ideas",
)


@dataclass(frozen=True)
class SyntheticQMSSpec:
    """Sizes and proportions of the synthetic set.

    ``n_train`` / ``n_eval`` / ``n_test`` videos per split; ``frames`` keyframes of ``frame_dim`` features
    (an entity or action prototype, plus ``distractor_weight`` x a visual distractor's prototype, plus
    Gaussian ``frame_noise``); a transcript of ``transcript_words`` filler words with the topic's entities
    and ``n_distractors`` other entities inserted. A ``gap_fraction`` of the videos never name the topic
    aloud (C2), and a ``visual_gap_fraction`` of the others show only distractors (a talking head). Each
    video has ``n_specific`` specific, ``n_generic`` generic and ``n_noisy`` wrong-entity reference queries
    (C3), phrased by ``query_style``.
    """

    n_train: int = 400
    n_eval: int = 60
    n_test: int = 100
    # keyframes
    frame_dim: int = 32
    frames: tuple[int, int] = (8, 16)  # (fewest, most) keyframes per video, both inclusive
    distractor_weight: float = 0.5
    frame_noise: float = 0.3
    # transcript
    transcript_words: tuple[int, int] = (16, 24)
    n_distractors: int = 2
    gap_fraction: float = 0.35
    visual_gap_fraction: float = 0.0  # of the other videos: frames unrelated to the topic (talking head)
    # reference queries
    n_specific: int = 3
    n_generic: int = 1
    n_noisy: int = 1
    #: "paraphrase": the specific queries rephrase one topic (the default set); "distinct": they name
    #: different entity combinations (DISTINCT_TEMPLATES), the harder set
    query_style: str = "paraphrase"
    seed: int = 0


def _prototypes(rng: np.random.Generator, names: list[str], dim: int) -> dict[str, np.ndarray]:
    vecs = rng.normal(size=(len(names), dim))
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return {n: vecs[i].astype(np.float32) for i, n in enumerate(names)}


def _one_video(
    rng: np.random.Generator, spec: SyntheticQMSSpec, protos: dict[str, np.ndarray], idx: int, split: str
) -> QMSItem:
    e1, e2 = (str(x) for x in rng.choice(ENTITIES, size=2, replace=False))
    act = str(rng.choice(ACTIONS))
    others = [e for e in ENTITIES if e not in (e1, e2)]
    text_distractors = [str(x) for x in rng.choice(others, size=spec.n_distractors, replace=False)]
    rest = [e for e in others if e not in text_distractors]
    visual_distractors = [str(x) for x in rng.choice(rest, size=spec.n_distractors, replace=False)]
    gap = rng.random() < spec.gap_fraction
    # drawn only when used, so the default set does not change with this option
    visual_gap = spec.visual_gap_fraction > 0 and not gap and rng.random() < spec.visual_gap_fraction

    # Transcript: filler with hidden entities (C1), or unrelated lyrics (C2).
    n_words = draw_between(rng, spec.transcript_words)
    words = [str(w) for w in rng.choice(FILLER, size=n_words)]
    inserts = list(text_distractors) + [str(x) for x in rng.choice(text_distractors, size=2)]
    if not gap:
        inserts += [e1, e2, act, e1, e2]
    for w in inserts:
        words.insert(int(rng.integers(0, len(words) + 1)), w)

    # Frames: each shows one key concept weakly among a visual distractor and noise.
    n_frames = draw_between(rng, spec.frames)
    key = [e1, e2, act]
    frames = np.empty((n_frames, spec.frame_dim), dtype=np.float32)
    for f in range(n_frames):
        k = key[f % 3] if rng.random() < 0.8 else str(rng.choice(key))
        if visual_gap:
            k = str(rng.choice(visual_distractors))
        d = str(rng.choice(visual_distractors))
        frames[f] = (
            protos[k]
            + spec.distractor_weight * protos[d]
            + spec.frame_noise * rng.normal(size=spec.frame_dim)
        )
    rng.shuffle(frames)

    # Queries (C3): specific phrasings, generic ones, one with a wrong entity.
    table = DISTINCT_TEMPLATES if spec.query_style == "distinct" else SPECIFIC_TEMPLATES
    templates = rng.choice(len(table), size=min(spec.n_specific, len(table)), replace=False)
    queries = [table[int(t)].format(e1=e1, e2=e2, a=act, b=_BASE[act]) for t in templates]
    queries += [str(g) for g in rng.choice(GENERIC, size=spec.n_generic, replace=False)]
    for _ in range(spec.n_noisy):
        wrong = str(rng.choice(rest))
        queries.append(f"{wrong} {e2}" if rng.random() < 0.5 else f"{act} {wrong}")
    order = rng.permutation(len(queries))
    return QMSItem(
        item_id=f"{split}_{idx:05d}",
        queries=tuple(queries[int(i)] for i in order),
        transcript=" ".join(words),
        features=frames,
        split=split,
    )


def make_qms_dataset(spec: SyntheticQMSSpec | None = None) -> list[QMSItem]:
    """Train, eval (validation) and test records, deterministic for ``spec.seed``."""
    spec = spec or SyntheticQMSSpec()
    rng = np.random.default_rng(spec.seed)
    protos = _prototypes(rng, ENTITIES + ACTIONS, spec.frame_dim)
    items: list[QMSItem] = []
    for split, n in (("train", spec.n_train), ("eval", spec.n_eval), ("test", spec.n_test)):
        items += [_one_video(rng, spec, protos, i, split) for i in range(n)]
    return items


def is_gap_video(item: QMSItem) -> bool:
    """True when none of the item's specific-query entities occurs in its transcript (a C2 video)."""
    words = set(item.transcript.split())
    specific = [q for q in item.queries if q not in GENERIC]
    return not any(w in words for q in specific for w in q.split() if w in ENTITIES)
