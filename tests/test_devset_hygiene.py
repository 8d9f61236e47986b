"""Development sets share no footage and no strings with the tests.

Every ``benchmarks/*devset*.py`` module that defines ``footage()`` (source file in ../shared/videos,
start s, end s) and ``strings()`` (its queries, captions, narration lines and titles) is checked against
what the tests use, found by reading the string literals of ``tests/*.py`` (ast, no import):

- footage: a literal naming a file of ../shared/videos (with or without its extension) counts as the
  tests using the whole file, whatever range they cut (a safe over-approximation);
- strings: a development string may not appear inside a test literal, and a test literal of two or more
  content words (words with letters) may not appear inside a development string (case, punctuation
  and spacing ignored).
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from vidgist.scorers.zero_shot import STOPWORDS

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"
SHARED_VIDEOS = REPO.parent / "shared" / "videos"
MEDIA = (".mp4", ".mkv", ".webm", ".mov", ".avi")


def _norm(text: str) -> str:
    """Lower-cased words (letters of any script and digits; a CJK character each), space-separated."""
    return " " + " ".join(re.findall(r"[\u3400-\u9fff]|[^\W_\u3400-\u9fff]+", text.lower())) + " "


def _words(normed: str) -> float:
    """Content words of a normalised string; a Chinese character counts half (most words have two)."""
    words = {w for w in normed.split() if w.isalpha() and w not in STOPWORDS}
    return sum(0.5 if "\u3400" <= w <= "\u9fff" else 1.0 for w in words)


@cache
def literals_of_tests() -> tuple[str, ...]:
    """Every string literal of tests/*.py except this file's."""
    out = []
    for path in sorted(TESTS.glob("*.py")):
        if path.name == Path(__file__).name:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                out.append(node.value)
    return tuple(out)


def footage_of_tests() -> dict[str, tuple[float, float]]:
    """The shared videos the tests use: {file name: (0, inf)} for each one a test literal names."""
    names = [p.name for p in SHARED_VIDEOS.iterdir() if p.suffix.lower() in MEDIA]
    used = {}
    for lit in literals_of_tests():
        for name in names:
            if name in lit or re.search(
                rf"(^|[^A-Za-z0-9_]){re.escape(Path(name).stem)}($|[^A-Za-z0-9_])", lit
            ):
                used[name] = (0.0, float("inf"))
    return used


def devset_modules() -> list[ModuleType]:
    """The development-set modules of benchmarks/ that follow the convention (footage() and strings())."""
    out = []
    for path in sorted((REPO / "benchmarks").glob("*devset*.py")):
        spec = importlib.util.spec_from_file_location(f"_devset_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        if hasattr(module, "footage") and hasattr(module, "strings"):
            out.append(module)
    return out


MODULES = devset_modules()


def test_the_relevance_devset_follows_the_convention() -> None:
    assert "relevance_devset" in {Path(m.__file__).stem for m in MODULES}


def test_the_scan_finds_what_tests_use() -> None:
    """The scan is not vacuous: the narrated demo and a known test caption are found."""
    assert "narrated_demo_24s.mp4" in footage_of_tests()
    assert any(_norm("a white rabbit in a green forest") in _norm(s) for s in literals_of_tests())


@pytest.mark.parametrize("module", MODULES, ids=lambda m: Path(m.__file__).stem)
def test_no_footage_shared_with_tests(module: ModuleType) -> None:
    used = footage_of_tests()
    clash = [
        (name, a, b)
        for name, a, b in module.footage()
        if name in used and a < used[name][1] and b > used[name][0]
    ]
    assert not clash, f"{module.__name__} uses footage the tests use: {clash}"


@pytest.mark.parametrize("module", MODULES, ids=lambda m: Path(m.__file__).stem)
def test_no_strings_shared_with_tests(module: ModuleType) -> None:
    literals = [_norm(s) for s in literals_of_tests()]
    long_literals = [lit for lit in literals if _words(lit) >= 2]
    clash = []
    for s in module.strings():
        d = _norm(s)
        if not d.strip():
            continue
        if _words(d) < 2:
            continue  # a single word is vocabulary, not shared material
        if any(d in lit for lit in literals) or any(lit in d for lit in long_literals):
            clash.append(s)
    assert not clash, f"{module.__name__} shares strings with the tests: {clash}"
