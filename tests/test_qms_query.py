"""`vidgist query`: zero-shot suggestions on the narrated demo, many files with a bad one, checkpoint mode.

Phrases and ranking: tests/test_qms_phrases.py; generated clips: tests/test_qms_zero_shot_clips.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SHARED

from vidgist.cli.main import main
from vidgist.models.qms_text import STOPWORDS
from vidgist.qms.query import QueryGenerator

DEMO = SHARED / "videos" / "narrated_demo_24s.mp4"


def _narration_words() -> set[str]:
    truth = json.loads((SHARED / "videos" / "narrated_demo_24s.truth.json").read_text())
    words = {w.strip(".,").lower() for p in truth["parts"] for w in p["say"].split()}
    return {w for w in words if w not in STOPWORDS and len(w) > 2}


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, str]:
    import contextlib
    import io

    bad = tmp_path_factory.mktemp("bad") / "broken.mp4"
    bad.write_bytes(b"not a video at all")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(["query", str(bad), str(DEMO), "-n", "5", "--asr-model", "tiny.en"])
    return rc, out.getvalue(), err.getvalue()


def test_cli_query_narrated_demo_suggests_narration_words(cli_run: tuple[int, str, str]) -> None:
    rc, out, err = cli_run
    lines = [json.loads(x) for x in out.splitlines() if x.strip()]
    assert len(lines) == 1, out  # the good video, as one JSON line
    rec = lines[0]
    assert rec["mode"] == "zero-shot" and rec["n_keyframes"] == 24
    words = {w for s in rec["suggestions"] for w in s["query"].split()}
    assert words & _narration_words(), (rec["suggestions"], rec["transcript"])
    assert 1 <= len(rec["suggestions"]) <= 5


def test_cli_query_keeps_going_past_a_bad_file(cli_run: tuple[int, str, str]) -> None:
    rc, out, err = cli_run
    assert rc == 2
    assert "broken.mp4" in err and "1 of 2" in err
    assert "Traceback" not in err


def test_query_with_a_checkpoint_uses_beam_search(tmp_path: Path) -> None:
    import torch

    from vidgist.backbones import load_backbone
    from vidgist.models.qms import QMSConfig, new_qms_model, preset
    from vidgist.models.qms_tokenize import HFTokenizer, minilm_tokenizer_path
    from vidgist.qms.checkpoint import save_checkpoint

    torch.manual_seed(0)
    tok = HFTokenizer(minilm_tokenizer_path())
    dim = int(load_backbone("offline").frame_dim)
    cfg = QMSConfig.from_dict({**preset("tiny"), "tokenizer": "minilm", "frame_dim": dim, "max_query": 6})
    model = new_qms_model(cfg, tok.vocab_size, tok.pad_id, tok.bos_id, tok.eos_id)
    ck = save_checkpoint(tmp_path / "ck", model, tok, {"feature_backbone": "offline"})
    res = QueryGenerator(checkpoint=ck, asr_model="tiny.en", ocr=False).suggest(DEMO, n=3)
    assert res.mode == "qms" and res.n_keyframes == 24
    assert len(res.suggestions) <= 3 and "rabbit" in res.transcript.lower()
    assert all(len(q.split()) <= 6 for q, _ in res.suggestions)
