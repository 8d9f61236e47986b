"""Writes ``src/vidgist/resources/topic_nouns.txt``: the common English nouns a chapter title may name
without the speaker saying them ("Bandage" for a section about pressing a cloth on a wound); and
``src/vidgist/resources/known_names.txt``: the whole lower-case words of 3+ letters in the same vocabulary
that ``lemminflect`` does not know (names, places, brands: "tokyo", "caesar"), so a title word known to
neither list is likely a misheard word.

Usage: python benchmarks/make_topic_nouns.py

The list: every whole lower-case word of 4+ letters in all-MiniLM-L6-v2's WordPiece vocabulary (the
tokenizer keeps frequent words whole, so this is a frequency cut without a frequency list) that
``lemminflect`` knows as a noun in its base form, less the stopwords and the words a title never holds
(``vidgist.summarize.keyphrases``). Deterministic: the same installed packages give the same file.
"""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "vidgist" / "resources" / "topic_nouns.txt"
NAMES_OUT = REPO / "src" / "vidgist" / "resources" / "known_names.txt"


def _vocab() -> list[str]:
    from vidgist.backbones.offline_nets import minilm_folder

    return list(json.loads((Path(minilm_folder()) / "tokenizer.json").read_text())["model"]["vocab"])


def topic_nouns() -> list[str]:
    """The sorted noun list (module docstring)."""
    from lemminflect import getAllLemmas

    from vidgist.scorers.zero_shot import STOPWORDS
    from vidgist.summarize.keyphrases import SKIP_WORDS

    out = []
    for w in _vocab():
        if not (w.isascii() and w.isalpha() and w.islower() and len(w) >= 4):
            continue
        if w in STOPWORDS or w in SKIP_WORDS:
            continue
        if getAllLemmas(w).get("NOUN", ("",))[0] == w:
            out.append(w)
    return sorted(out)


def known_names() -> list[str]:
    """The sorted whole words of 3+ letters the vocabulary keeps and ``lemminflect`` does not know."""
    from lemminflect import getAllLemmas

    words = (w for w in _vocab() if w.isascii() and w.isalpha() and w.islower() and len(w) >= 3)
    return sorted(w for w in words if not getAllLemmas(w))


def main() -> None:
    words = topic_nouns()
    OUT.write_text("\n".join(words) + "\n", encoding="utf-8")
    names = known_names()
    NAMES_OUT.write_text("\n".join(names) + "\n", encoding="utf-8")
    print(json.dumps({"file": str(OUT.relative_to(REPO)), "nouns": len(words), "names": len(names)}))


if __name__ == "__main__":
    main()
