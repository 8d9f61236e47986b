"""QMS layout: write/read round trip (JSONL and CSV), and errors naming the table line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vidgist.data.qms_layout import QMSRecord, read_qms, split_queries, write_qms
from vidgist.errors import DataError


def _records() -> list[QMSRecord]:
    rng = np.random.default_rng(0)
    return [
        QMSRecord(
            "v/1", ["cat video", "funny cat"], "a cat jumps, then sleeps", rng.random((32, 6)), "train"
        ),
        QMSRecord("v 2", ["做饭 教程"], "今天我们做饭", rng.random((5, 6)), "eval"),
        QMSRecord("3", ["q"], "", rng.random((1, 6)), "test"),
    ]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_round_trip(tmp_path: Path, fmt: str) -> None:
    recs = _records()
    table = write_qms(tmp_path / "layout", recs, table_format=fmt)
    assert table.name == f"items.{fmt}"
    back = read_qms(tmp_path / "layout")
    assert [r.item_id for r in back] == [r.item_id for r in recs]
    for a, b in zip(recs, back, strict=True):
        assert a.queries == b.queries and a.transcript == b.transcript and a.split == b.split
        assert b.features is not None and a.features is not None
        np.testing.assert_allclose(b.features, a.features.astype(np.float32))
        assert b.path is not None and b.path.is_file()
    assert read_qms(table, load_features=False)[0].features is None


def test_split_queries() -> None:
    assert split_queries("a, b,,a ,c") == ("a", "b", "c")
    assert split_queries(["x", " y "]) == ("x", "y")


def test_errors_name_line(tmp_path: Path) -> None:
    write_qms(tmp_path, _records(), table_format="csv")
    table = tmp_path / "items.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    bad = lines[:3] + [lines[3].replace(",test", ",holdout")]
    table.write_text("\n".join(bad) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"items\.csv: line 4: type 'holdout'"):
        read_qms(tmp_path)
    np.save(tmp_path / "features" / "big.npy", np.zeros((40, 6), np.float32))
    (tmp_path / "items.csv").write_text(
        "item_id,kw_less,asr_pure,path,type\nz,q,,features/big.npy,train\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"items\.csv: line 2: features big\.npy have shape \(40, 6\)"):
        read_qms(tmp_path / "items.csv")
    (tmp_path / "t.jsonl").write_text('{"item_id": "a", "kw_less": "q", "path": "x.npy", "type": "train"}\n')
    with pytest.raises(DataError, match=r"t\.jsonl: line 1: missing field\(s\) asr_pure"):
        read_qms(tmp_path / "t.jsonl")
    (tmp_path / "u.jsonl").write_text(
        '{"item_id": "a", "kw_less": "q", "asr_pure": "", "path": "features/3.npy", "type": "train"}\n'
        '{"item_id": "a", "kw_less": "q", "asr_pure": "", "path": "features/3.npy", "type": "test"}\n'
    )
    with pytest.raises(DataError, match=r"u\.jsonl: line 2: item_id 'a' already used on line 1"):
        read_qms(tmp_path / "u.jsonl")
