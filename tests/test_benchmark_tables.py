"""docs/benchmarks.md shows what the results files hold: its generated part equals what
``benchmarks/render_tables.py`` makes of ``benchmarks/results/*.json``, and the renderer shows a figure's
spread, command, machine and date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import render_tables, results_io


def test_the_benchmarks_page_agrees_with_the_results_files() -> None:
    page = render_tables.PAGE.read_text(encoding="utf-8")
    assert render_tables.updated_page(page) == page, "run: python benchmarks/render_tables.py"


def test_a_results_file_renders_with_its_spread_command_machine_and_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(results_io, "RESULTS_DIR", tmp_path)
    figures = {
        "wall_s": {"mean": 12.345678, "sd": 0.5},
        "videos": 7,
        "by kind": {
            "spoken": {"hit@1": 1.0, "recall": {"mean": 0.45, "sd": 0.02}},
            "visual": {"hit@1": 0.79},
        },
    }
    results_io.write_results("demo_bench", figures, seeds=[0, 1, 2], wall_s=3.21, command="python b.py --x")
    results_io.write_results("demo_bench", {"wall_s": 1.0}, quick=True, command="python b.py --quick")
    text = render_tables.render(tmp_path)
    record = json.loads((tmp_path / "demo_bench.json").read_text())
    assert "### demo_bench" in text and "`python b.py --x`" in text and "--quick" not in text
    assert record["date"] in text and (record["machine"]["cpu"] or "CPU not recorded") in text
    assert "| wall_s | 12.35 ± 0.5 |" in text
    assert "| spoken | 1 | 0.45 ± 0.02 |" in text and "| visual | 0.79 | - |" in text
    assert "seeds: 0, 1, 2" in text

    page = f"# B\n\nintro\n\n{render_tables.BEGIN}\nstale\n{render_tables.END}\n\nhand-written\n"
    updated = render_tables.updated_page(page, tmp_path)
    assert "stale" not in updated and updated.endswith("hand-written\n") and "### demo_bench" in updated
    with pytest.raises(ValueError, match="markers"):
        render_tables.updated_page("# no markers\n", tmp_path)
