"""The documentation site builds with ``mkdocs build --strict``: every page in the nav exists, every link
between pages resolves, and every module the API reference names imports its docstrings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_the_docs_site_builds_strictly(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO / "src")}
    p = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr[-4000:]
    assert (site / "index.html").is_file()
    summarize_api = (site / "api" / "summarize" / "index.html").read_text(encoding="utf-8")
    assert "Summarizer" in summarize_api and "summarize" in summarize_api  # rendered from the docstrings
    assert "Channel" in (site / "api" / "types" / "index.html").read_text(encoding="utf-8")
    assert (site / "changelog" / "index.html").read_text(encoding="utf-8").count("<h2") >= 1
