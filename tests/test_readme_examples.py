"""Every example command in README.md and in the docs pages (docs/**/*.md) runs and exits 0, from a
temporary folder outside the checkout.

How examples are found (keep examples in this form, in the README and the docs pages alike):

* An example is a line starting with ``$ `` inside a fenced code block (a trailing ``\\`` continues it on
  the next line). Lines after it without ``$ `` are the output shown to the reader; they are not run.
  Fenced blocks with no ``$ `` line (diagrams, usage synopses, Python) hold no examples.
* A block that is only illustrative is marked on the line(s) just before its opening fence with
  ``<!-- not run: REASON -->``; the reason is required and must say why (e.g. "needs a GPU").
* The commands of one block run in order, in one fresh folder ``TMP/work`` that holds a copy of the
  checkout's ``examples/`` (so ``python examples/make_demo_video.py demo.mp4`` makes the demo video, as in a
  checkout without the shared data). ``vidgist`` and ``python`` are this interpreter with this checkout's
  ``src`` on the path. Examples use that video or a path argument, never files a user does not have.

Keep examples cheap (``--no-asr``, the 18-second demo video): each block well under a minute. A longer
example is written without ``$ `` or marked ``not run`` with its reason.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO

README = REPO / "README.md"
#: the pages whose ``$`` examples run: the README and every docs page
PAGES = [README, *sorted((REPO / "docs").rglob("*.md"))]
FENCE = re.compile(r"^\s*(```|~~~)")
NOT_RUN = re.compile(r"^\s*<!--\s*not run\s*:?(.*?)-->\s*$", re.IGNORECASE)  # a line of its own


@dataclass
class Block:
    line: int  # 1-based line of the opening fence
    commands: list[str]
    skip_reason: str | None  # None: run it


def extract_blocks(text: str) -> list[Block]:
    """The fenced blocks of ``text`` that hold ``$ `` commands (see module docstring)."""
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        if not FENCE.match(lines[i]):
            i += 1
            continue
        start, fence = i, FENCE.match(lines[i]).group(1)  # type: ignore[union-attr]
        body: list[str] = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i])
            i += 1
        i += 1  # the closing fence
        commands: list[str] = []
        cont = False
        for ln in body:
            s = ln.strip()
            if cont:
                commands[-1] += " " + s.rstrip("\\").strip()
            elif s.startswith("$ "):
                commands.append(s[2:].rstrip("\\").strip())
            cont = bool(commands) and s.endswith("\\") and (cont or s.startswith("$ "))
        reason = None
        j = start - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        m = NOT_RUN.search(lines[j]) if j >= 0 else None
        if m:
            reason = m.group(1).strip()
        if commands:
            blocks.append(Block(start + 1, commands, reason))
    return blocks


BLOCKS = [(page, b) for page in PAGES for b in extract_blocks(page.read_text(encoding="utf-8"))]
TO_RUN = [(page, b) for page, b in BLOCKS if b.skip_reason is None]


def _where(page: Path, line: int) -> str:
    return f"{page.relative_to(REPO)}:{line}"


def test_the_extractor_reads_fences_prompts_and_reasons() -> None:
    text = "\n".join(
        [
            "intro",
            "```",
            "$ vidgist --version",
            "vidgist 0.1.0",
            "```",
            "",
            "<!-- not run: needs a GPU -->",
            "```sh",
            "$ vidgist summarize big.mp4 \\",
            "    --fps 2",
            "```",
            "```",
            "video --> frames",
            "```",
            "<!-- not run -->",
            "```",
            "$ vidgist x",
            "```",
        ]
    )
    got = extract_blocks(text)
    assert [(b.line, b.commands, b.skip_reason) for b in got] == [
        (2, ["vidgist --version"], None),
        (8, ["vidgist summarize big.mp4 --fps 2"], "needs a GPU"),
        (16, ["vidgist x"], ""),
    ]


def test_readme_is_short_and_uses_only_files_a_user_has() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    assert "../shared" not in text and "/work/" not in text
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):  # links into the checkout resolve
        if "://" not in target:
            assert (REPO / target).exists(), f"README.md links to {target}, which does not exist"


def test_readme_has_examples_and_every_skip_says_why() -> None:
    assert sum(len(b.commands) for page, b in TO_RUN if page == README) >= 4
    for page, b in BLOCKS:
        assert b.skip_reason != "", f"{_where(page, b.line)}: '<!-- not run: REASON -->' needs a reason"
    for page in PAGES:
        text = page.read_text(encoding="utf-8").splitlines()
        for n, ln in enumerate(text):  # a marker must sit right above a fenced block
            if NOT_RUN.search(ln):
                k = n + 1
                while k < len(text) and not text[k].strip():
                    k += 1
                assert k < len(text) and FENCE.match(text[k]), (
                    f"{_where(page, n + 1)}: marker not above a code block"
                )


def test_docs_pages_have_examples_that_run() -> None:
    """Examples outside the README are found (and so run below), not silently passed over."""
    assert {page.name for page, _ in TO_RUN if page != README} >= {"cli.md", "queries.md"}


@pytest.fixture(scope="module")
def tools(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bin folder with ``vidgist`` and ``python`` that run this checkout's code with this interpreter."""
    bin_dir = tmp_path_factory.mktemp("bin")
    (bin_dir / "vidgist").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m vidgist "$@"\n')
    (bin_dir / "vidgist").chmod(0o755)
    (bin_dir / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (bin_dir / "python").chmod(0o755)
    return bin_dir


#: the video the examples make with ``python examples/make_demo_video.py demo.mp4``
DEMO = "demo.mp4"


@pytest.fixture(scope="module")
def made_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the first block that makes the demo video leaves a copy of it (``DEMO`` once made)."""
    return tmp_path_factory.mktemp("made") / DEMO


@pytest.mark.parametrize(("page", "block"), TO_RUN, ids=[_where(page, b.line) for page, b in TO_RUN])
def test_example_runs(page: Path, block: Block, tools: Path, tmp_path: Path, made_demo: Path) -> None:
    """The block's commands in order; the first block that makes the demo video makes it from nothing,
    later ones find it in their folder as the same reader running the next example would (the script
    keeps an existing file), so the ~3-s generation runs once per session."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(REPO / "examples", work / "examples", ignore=shutil.ignore_patterns("*.mp4"))
    if made_demo.is_file():
        shutil.copyfile(made_demo, work / DEMO)
    assert not work.resolve().is_relative_to(REPO.resolve())
    env = {
        **os.environ,
        "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(REPO / "src"),
    }
    for cmd in block.commands:
        p = subprocess.run(
            ["bash", "-c", cmd], cwd=work, env=env, capture_output=True, text=True, timeout=300
        )
        where = _where(page, block.line)
        assert p.returncode == 0, f"{where}: `{cmd}` exited {p.returncode}\n{p.stderr[-2000:]}"
        assert "Traceback" not in p.stderr
    if (work / DEMO).is_file() and not made_demo.is_file():
        shutil.copyfile(work / DEMO, made_demo)
