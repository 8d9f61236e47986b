"""util.atomic.atomic_dir: a folder output is complete or absent, never half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from vidgist.util.atomic import atomic_dir


def test_atomic_dir_replaces_on_success_and_keeps_the_old_folder_on_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_dir(out) as tmp:
            assert tmp.is_dir() and tmp.parent == tmp_path and not any(tmp.iterdir())
            (tmp / "half.txt").write_text("half")
            raise RuntimeError("the writer failed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temp folder left
    assert [p.name for p in out.iterdir()] == ["old.txt"]
    with atomic_dir(out) as tmp:
        (tmp / "sub").mkdir()
        (tmp / "sub" / "new.txt").write_text("new")
        assert (out / "old.txt").is_file()  # the old output stays until the new one is complete
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert [p.name for p in out.iterdir()] == ["sub"] and (out / "sub" / "new.txt").read_text() == "new"
