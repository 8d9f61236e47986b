"""The tree is formatted by ``ruff format`` and passes ``ruff check`` with pyproject's rules (including C901,
complexity at most 12): the checks .pre-commit-config.yaml runs before each commit."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def _ruff() -> list[str]:
    exe = Path(sys.executable).with_name("ruff")
    return [str(exe)] if exe.is_file() else [shutil.which("ruff") or "ruff"]


def test_the_tree_is_formatted() -> None:
    p = subprocess.run(
        [*_ruff(), "format", "--check", "."], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert p.returncode == 0, "run `ruff format .`:\n" + p.stdout[-3000:]


def test_the_tree_passes_ruff_check_with_complexity_at_most_12() -> None:
    p = subprocess.run(
        [*_ruff(), "check", "--output-format", "concise", "."],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stdout[-3000:]
