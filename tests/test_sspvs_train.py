"""SSPVS end to end on a tiny generated dataset: real videos -> offline features + OCR text -> pretrain
-> `vidgist train sspvs` -> `vidgist summarize --scorer best.safetensors`; the Hugging Face loading path on
a tiny BERT saved to a folder; one-line refusals of mismatched checkpoints and bad configs."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from vidgist.cli.main import main
from vidgist.errors import ModelError


def one_line_error(capsys: pytest.CaptureFixture[str], argv: list[str], *words: str) -> None:
    assert main(argv) == 2
    err = [ln for ln in capsys.readouterr().err.strip().splitlines() if ln.strip()]
    assert len(err) == 1, err
    for w in words:
        assert w.lower() in err[0].lower(), (w, err[0])


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1-layer 32-d BERT with the bundled MiniLM WordPiece tokenizer, saved like a hub folder."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertModel

    from vidgist.backbones.hf_text import resolve_spec

    d = tmp_path_factory.mktemp("tiny-bert")
    tok = AutoTokenizer.from_pretrained(resolve_spec("minilm"))
    torch.manual_seed(0)
    cfg = BertConfig(
        vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=128,
    )  # fmt: skip
    BertModel(cfg).save_pretrained(d)
    tok.save_pretrained(d)
    return d


def test_text_encoder_loads_from_a_local_folder_and_encodes_fields(tiny_bert: Path, tmp_path: Path) -> None:
    from vidgist.backbones.hf_text import encode_fields, load_text_encoder, text_encoder_from_config

    model, tok = load_text_encoder(str(tiny_bert))
    assert model.config.hidden_size == 32 and model.config.model_type == "bert"
    ids, mask = encode_fields(tok, ["a dog", "", "runs on the beach and far far away"], [3, 2, 4])
    assert len(ids) == len(mask) == 1 + 3 + 1 + 2 + 1 + 4 + 1
    assert ids[0] == tok.cls_token_id and ids.count(tok.sep_token_id) == 3
    assert mask == [1, 1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1]  # [PAD] masked, long field cut to 4
    rebuilt, _ = text_encoder_from_config(model.config.to_dict(), str(tiny_bert))
    assert type(rebuilt) is type(model)
    with pytest.raises(ModelError, match="cannot load"):
        load_text_encoder(str(tmp_path / "no-such-model"))


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three 4-second two-part videos, their offline features, texts, an annotated eccv16 h5 and splits."""
    root = tmp_path_factory.mktemp("sspvs-data")
    from videogen import make_video

    from vidgist.data.h5 import read_eccv16, write_eccv16
    from vidgist.data.splits import Split, write_splits
    from vidgist.datasets.features import extract_features

    vids = root / "videos"
    vids.mkdir()
    colours = [
        ((220, 30, 30), (30, 40, 220)),
        ((30, 200, 40), (230, 220, 40)),
        ((30, 40, 220), (220, 30, 30)),
    ]
    for i, (a, b) in enumerate(colours):
        parts = [
            {"duration": 2.0, "color": a, "pattern": "noise", "text": "GOAL"},
            {"duration": 2.0, "color": b, "pattern": "moving"},
        ]
        make_video(vids / f"match_{i}.mp4", parts, fps=10, size=(160, 120), audio=False)
    feats = root / "features.h5"
    extract_features(vids, feats, backbone="offline", fps=2.0, show_progress=False)
    # title, transcript and on-screen text per video, through vidgist's own evidence stage (OCR reads "GOAL")
    assert main(["datasets", "sspvs-texts", str(vids), "-o", str(root / "texts"), "--no-asr"]) == 0
    t0 = json.loads((root / "texts" / "match_0.json").read_text())
    assert t0["title"] == "match 0" and t0["transcript"] == "" and "GOAL" in t0["ocr"].upper()
    from dataclasses import replace

    labelled = []
    for k, v in read_eccv16(feats, strict=False).items():
        n = v.n_steps
        gt = (v.picks < v.n_frames // 2).astype(np.float32)  # the "GOAL" half matters
        users = np.zeros((2, v.n_frames), np.float32)
        users[:, : v.n_frames // 5] = 1
        labelled.append(replace(v, gtscore=gt, user_summary=users, name=k))
        assert n > 2
    write_eccv16(root / "labelled.h5", labelled)
    write_splits(
        root / "splits.json",
        [Split(train_keys=("match_0", "match_1"), test_keys=("match_2",))],
    )
    return {"videos": vids, "features": feats, "texts": root / "texts", "root": root}


def test_docs_chain_runs_with_the_shipped_configs(
    dataset: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/training.md's chain on generated clips, with configs/sspvs_pretrain.yaml and sspvs_library.yaml
    as shipped (one epoch each): features + texts -> pretrain -> make-h5 -> train -> summarize."""
    import shutil

    from vidgist.data.h5 import read_eccv16
    from vidgist.data.splits import Split, write_splits

    repo = Path(__file__).resolve().parents[1]
    (tmp_path / "configs").mkdir()
    for name in ("sspvs_pretrain.yaml", "sspvs_library.yaml"):
        shutil.copy(repo / "configs" / name, tmp_path / "configs" / name)
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(dataset["features"], data / "library_features.h5")  # `vidgist features extract` output
    shutil.copytree(dataset["texts"], data / "library_texts")  # `vidgist datasets sspvs-texts` output
    pre = tmp_path / "runs" / "library" / "pretrain"
    cfgs = tmp_path / "configs"
    assert main(["pretrain", "sspvs", str(cfgs / "sspvs_pretrain.yaml"), "-o", str(pre), "--epochs", "1",
                 "--no-progress"]) == 0  # fmt: skip
    assert (pre / "best.safetensors").is_file()
    anno = tmp_path / "annotations.csv"
    rows = ["video,start,end,score,annotator"]
    for i in range(3):
        rows += [f"match_{i}.mp4,0,2,5,{a}" for a in "ab"] + [f"match_{i}.mp4,2,4,1,{a}" for a in "ab"]
    anno.write_text("\n".join(rows) + "\n")
    labelled = data / "library_labelled.h5"
    argv = [
        "datasets",
        "make-h5",
        str(dataset["videos"]),
        str(anno),
        "-o",
        str(labelled),
        "--backbone",
        "offline",
    ]
    assert main(argv) == 0
    keys = sorted(read_eccv16(labelled))
    write_splits(data / "library_splits.json", [Split(train_keys=tuple(keys[:2]), test_keys=tuple(keys[2:]))])
    ft = tmp_path / "runs" / "library" / "sspvs"
    assert main(["train", "sspvs", str(cfgs / "sspvs_library.yaml"), "-o", str(ft), "--epochs", "1",
                 "--no-progress"]) == 0  # fmt: skip
    ckpt = ft / "split0_seed0" / "best.safetensors"
    meta = json.loads(ckpt.with_suffix(".json").read_text())
    assert meta["backbone"] == "offline" and meta["frame_dim"] == 1280 and meta["training"]["pretrained"]
    capsys.readouterr()
    out, video = tmp_path / "summary", dataset["videos"] / "match_2.mp4"
    argv = ["summarize", str(video), "--backbone", "offline", "--scorer", str(ckpt),
            "--no-asr", "--no-ocr", "--no-video", "-o", str(out)]  # fmt: skip
    assert main(argv) == 0
    doc = json.loads((out / "summary.json").read_text())
    assert doc["scorer"].startswith("sspvs:") and doc["segments"]


def test_pretrain_finetune_summarize_round_trip(
    dataset: dict[str, Path], tiny_bert: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = dataset
    for name in ("features.h5", "labelled.h5", "splits.json"):
        (tmp_path / name).symlink_to(data["root"] / name)
    (tmp_path / "texts").symlink_to(data["texts"])
    model = "model: {heads: 8, layers: 1, ff_mult: 1, match_hidden: 32, match_hidden2: 16}\n"
    (tmp_path / "pre.yaml").write_text(
        "name: tiny\nfeatures: features.h5\ntexts: texts\nbackbone: offline\n"
        f"text_encoder: {tiny_bert}\ntext_fields: {{title: 4, transcript: 8, ocr: 2}}\n"
        "clip_len: 6\nepochs: 2\nbatch_size: 2\nlr: 1.0e-4\nval_fraction: 0.3\n" + model
    )
    argv = ["pretrain", "sspvs", str(tmp_path / "pre.yaml"), "-o", str(tmp_path / "pre"), "--no-progress"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "selection:" in out and "held-out" in out  # the selection rule is printed
    pre = json.loads((tmp_path / "pre" / "result.json").read_text())
    assert pre["n_val"] == 1 and len(pre["history"]) == 2 and "val_accuracy" in pre["history"][0]
    assert (tmp_path / "pre" / "best.safetensors").is_file()
    # resuming into that folder with a config that computes something else is refused with one line
    other = tmp_path / "pre-other.yaml"
    other.write_text((tmp_path / "pre.yaml").read_text().replace("lr: 1.0e-4", "lr: 2.0e-4"))
    one_line_error(
        capsys,
        ["pretrain", "sspvs", str(other), "-o", str(tmp_path / "pre"), "--no-progress"],
        "different config",
    )
    (tmp_path / "ft.yaml").write_text(
        "name: tiny-ft\ndataset: labelled.h5\nsplits: splits.json\nbackbone: offline\n"
        "pretrained: pre/best.safetensors\nstages: 2\ntext_guidance: true\ntexts: texts\n"
        "text_fields: {title: 4, transcript: 8, ocr: 2}\nclip_len: 8\nepochs: 2\nbatch_size: 2\n"
        "lr: 1.0e-3\nval_fraction: 0.5\n"
    )
    ft = tmp_path / "ft"
    assert main(["train", "sspvs", str(tmp_path / "ft.yaml"), "-o", str(ft), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "selection (validation)" in out and "carved from the training videos" in out
    res = json.loads((ft / "results.json").read_text())
    assert res["selection"] == "validation" and res["per_split"][0]["setting"] == "canonical"
    r0 = json.loads((ft / "split0_seed0" / "result.json").read_text())
    assert r0["n_train"] == 1 and r0["n_val"] == 1 and r0["n_test"] == 1 and 0.0 <= r0["test_fscore"] <= 1.0
    ckpt = ft / "split0_seed0" / "best.safetensors"
    meta = json.loads(ckpt.with_suffix(".json").read_text())
    assert meta["model"] == "sspvs" and meta["frame_dim"] == 1280
    assert meta["text_encoder"]["spec"] == str(tiny_bert)
    # the test-oracle selection is available, and labelled as such
    assert main(["train", "sspvs", str(tmp_path / "ft.yaml"), "-o", str(tmp_path / "oracle"),
                 "--selection", "test-oracle", "--epochs", "1", "--no-progress"]) == 0  # fmt: skip
    assert "TEST-ORACLE" in json.loads((tmp_path / "oracle" / "results.json").read_text())["selection_rule"]
    capsys.readouterr()
    # summarize a real video with the fine-tuned checkpoint (generic mode, then a query as the stage-1 text)
    video = data["videos"] / "match_2.mp4"
    for extra in ([], ["-q", "goal"]):
        o = tmp_path / f"sum{len(extra)}"
        argv = ["summarize", str(video), "--backbone", "offline", "--scorer", str(ckpt), "--no-asr",
                "--no-ocr", "--no-video", "-o", str(o), *extra]  # fmt: skip
        assert main(argv) == 0
        doc = json.loads((o / "summary.json").read_text())
        assert doc["scorer"].startswith("sspvs:") and doc["segments"]
    capsys.readouterr()
    # a pretraining checkpoint cannot score frames; refused with one line
    one_line_error(capsys, ["summarize", str(video), "--backbone", "offline", "--scorer",
                            str(tmp_path / "pre" / "best.safetensors"), "--no-asr", "--no-ocr", "-o",
                            str(tmp_path / "x")], "fine-tune")  # fmt: skip


def test_checkpoint_of_another_backbone_or_width_is_refused(tmp_path: Path) -> None:
    from vidgist.models.sspvs import SSPVSConfig, SSPVSSummarizer
    from vidgist.scorers.checkpoint import check_compatible
    from vidgist.scorers.sspvs import load_sspvs_checkpoint, save_sspvs_checkpoint

    m = SSPVSSummarizer(SSPVSConfig(frame_dim=16, heads=2, layers=1, stages=2))
    p = save_sspvs_checkpoint(tmp_path / "s.safetensors", m, "sspvs", "synthetic", None)
    loaded, tok, meta = load_sspvs_checkpoint(p)
    assert tok is None and len(loaded.heads) == 2
    with pytest.raises(ModelError, match="backbone 'synthetic'.*'offline'") as e:
        check_compatible(meta, p, "offline", 16)
    assert "\n" not in str(e.value)
    with pytest.raises(ModelError, match="expects frame dim 16 but backbone 'synthetic' gives 1280") as e:
        check_compatible(meta, p, "synthetic", 1280)
    assert "\n" not in str(e.value)
    # a checkpoint of the paper's GoogLeNet features: the refusal names the commands that would work
    g = save_sspvs_checkpoint(tmp_path / "g.safetensors", m, "sspvs", "googlenet-pool5", None)
    with pytest.raises(ModelError) as e:
        check_compatible(load_sspvs_checkpoint(g)[2], g, "offline", 1280)
    assert "vidgist datasets make-h5" in str(e.value) and "--backbone offline" in str(e.value)
    assert "vidgist features extract" in str(e.value) and "\n" not in str(e.value)


@dataclass
class DimsOnly:
    """What the checkpoint checks read of a backbone (they run before any encoding)."""

    name: str
    frame_dim: int
    text_dim: int
    joint: bool = False


def _refusal(make: Callable[[], object]) -> str:
    with pytest.raises(ModelError) as e:
        make()
    return str(e.value)


def test_sspvs_and_trained_scorers_refuse_other_features_alike(tmp_path: Path) -> None:
    """An SSPVS checkpoint and a PGL-SUM one, both made for 16-d 'synthetic' features, fail with the same
    one-line message (bar the path) for another backbone, another width, and evidence of another width."""
    from vidgist.models.baselines import PGLSum, PGLSumConfig
    from vidgist.models.sspvs import SSPVSConfig, SSPVSSummarizer
    from vidgist.scorers.checkpoint import CheckpointScorer, save_checkpoint
    from vidgist.scorers.sspvs import SSPVSScorer, save_sspvs_checkpoint
    from vidgist.types import Evidence, Features, VideoInfo

    sspvs = SSPVSSummarizer(SSPVSConfig(frame_dim=16, heads=2, layers=1, stages=2))
    ps = save_sspvs_checkpoint(tmp_path / "sspvs.safetensors", sspvs, "sspvs", "synthetic", None)
    pgl = PGLSum(PGLSumConfig(frame_dim=16, d_model=16, heads=2, segments=2))
    pp = save_checkpoint(tmp_path / "pgl.safetensors", pgl, "pgl-sum", "synthetic", 16, 0)
    info = VideoInfo(Path("x.mp4"), 5.0, 2.0, 10, 64, 64, 0, False)
    times = np.arange(10) / 2.0
    fits = Evidence(info, Features(times, np.ones((10, 16), np.float32)), None)
    wide = Evidence(info, Features(times, np.ones((10, 32), np.float32)), None)
    right = DimsOnly("synthetic", 16, 8)
    assert SSPVSScorer(ps, right).score(fits, ["a query"], right).scores.shape == (10,)

    def cases(cls: Callable[..., Any], p: Path) -> dict[str, Callable[[], object]]:
        return {
            "backbone 'synthetic' but": lambda: cls(p, DimsOnly("offline", 16, 8)),
            "expects frame dim 16": lambda: cls(p, DimsOnly("synthetic", 32, 8)),
            "have shape (10, 32)": lambda: cls(p, right).score(wide, ["a query"], right),
        }

    theirs = cases(CheckpointScorer, pp)
    for words, make in cases(SSPVSScorer, ps).items():
        a, b = _refusal(make), _refusal(theirs[words])
        assert words in a and str(ps) in a and "\n" not in a, a
        assert a.replace(str(ps), "PATH") == b.replace(str(pp), "PATH")


def test_resuming_with_a_changed_config_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from vidgist.data.synthetic_summ import write_synthetic_dataset

    write_synthetic_dataset(tmp_path, n_videos=6, n_splits=2, seed=0)
    cfg = tmp_path / "ft.yaml"
    base = ("name: resume\ndataset: synthetic.h5\nsplits: synthetic_splits.json\nbackbone: synthetic\n"
            "stages: 1\nclip_len: 8\nepochs: 1\nbatch_size: 2\nsplit_indices: [0]\n"
            "model: {heads: 2, layers: 1, ff_mult: 1}\n")  # fmt: skip
    cfg.write_text(base + "lr: 1.0e-3\n")
    run = ["train", "sspvs", str(cfg), "-o", str(tmp_path / "run"), "--no-progress"]
    assert main(run) == 0
    # resumable options (more epochs) continue in the same folder
    cfg.write_text(base.replace("epochs: 1", "epochs: 2") + "lr: 1.0e-3\n")
    assert main(run) == 0
    assert json.loads((tmp_path / "run" / "split0_seed0" / "result.json").read_text())["epochs"] == 2
    capsys.readouterr()
    # another learning rate computes something else: refused, the finished result left as it was
    cfg.write_text(base.replace("epochs: 1", "epochs: 2") + "lr: 1.0e-2\n")
    one_line_error(capsys, run, "different config", "--no-resume")
    assert json.loads((tmp_path / "run" / "split0_seed0" / "result.json").read_text())["epochs"] == 2
    assert main([*run, "--no-resume"]) == 0  # starting afresh is allowed


def test_bad_configs_fail_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ndataset: d.h5\nsplits: s.json\nstagez: 3\n")
    one_line_error(capsys, ["train", "sspvs", str(bad)], "unknown option", "stagez")
    bad.write_text("name: x\ndataset: d.h5\nsplits: s.json\nselection: test\n")
    one_line_error(capsys, ["train", "sspvs", str(bad)], "selection must be one of")
    bad.write_text("name: x\nfeatures: f.h5\ntexts: t\n")
    one_line_error(capsys, ["pretrain", "sspvs", str(bad), "-o", str(tmp_path / "o")], "f.h5", "not found")
