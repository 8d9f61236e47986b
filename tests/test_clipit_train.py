"""`vidgist train clip-it` over eccv16 files: every model through one command, resume, checkpoints, scorer."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
import torch
import yaml
from conftest import SHARED, VIDEOS
from safetensors.torch import load_file, save_file

from vidgist.cli.main import main
from vidgist.data.synthetic_summ import write_synthetic_dataset
from vidgist.errors import ModelError
from vidgist.scorers.checkpoint import CheckpointScorer, load_checkpoint
from vidgist.train.clip_it import predict
from vidgist.train.clip_it_config import load_train_config
from vidgist.train.clip_it_data import build_samples, read_text_features
from vidgist.types import Evidence, Features, VideoInfo


@pytest.fixture(scope="module", autouse=True)
def one_thread() -> Iterator[None]:
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("syn")
    write_synthetic_dataset(d, n_videos=18, n_splits=3, seed=0)
    cfg = {
        "name": "syn",
        "model": "clip-it",
        "dataset": "synthetic.h5",
        "splits": "synthetic_splits.json",
        "text_features": "synthetic_text.h5",
        "backbone": "synthetic-test",
        "label_rule": "threshold:0.5",
        "epochs": 3,
        "batch_size": 4,
        "lr": 0.002,
        "clip_it": {"d_model": 16, "ff": 32, "layers": 1},
        "pgl_sum": {"d_model": 16, "segments": 2},
    }
    (d / "cfg.yaml").write_text(yaml.safe_dump(cfg))
    return d


def _run(d: Path, out: Path, *extra: str) -> dict:
    rc = main(["train", "clip-it", str(d / "cfg.yaml"), "-o", str(out), "--no-progress", *extra])
    assert rc == 0
    return json.loads((out / "results.json").read_text())


@pytest.mark.parametrize("model", ["random", "uniform", "zero-shot", "pgl-sum", "dsnet-af"])
def test_baselines_through_the_same_command(data: Path, model: str) -> None:
    res = _run(data, data / f"run-{model}", "--model", model, "--epochs", "2")
    assert res["model"] == model and len(res["per_split"]) == 3
    assert res["aggregation"] == "mean" and "selection_rule" in res and "aggregation_rule" in res
    assert 0.0 <= res["mean_fscore"] <= 1.0
    if model == "uniform":  # constant scores: rank correlation undefined, reported as null
        assert res["mean_kendall"] is None
    else:
        assert -1.0 <= res["mean_kendall"] <= 1.0
    assert np.isclose(res["mean_fscore"], np.mean([p["fscore"] for p in res["per_split"]]))


def test_clip_it_run_writes_logs_checkpoint_and_results(data: Path) -> None:
    out = data / "run-clip"
    res = _run(data, out, "--splits", "0")
    assert [p["split"] for p in res["per_split"]] == [0]
    assert "validation" in res["selection_rule"]
    d = out / "split0_seed0"
    log = [json.loads(line) for line in (d / "log.jsonl").read_text().splitlines()]
    assert len(log) == 3 and all(
        {"loss_cls", "loss_div", "loss_rec", "loss_total", "val_fscore"} <= set(r) for r in log
    )
    r = json.loads((d / "result.json").read_text())
    assert r["n_val"] >= 1 and r["n_train"] + r["n_val"] == 12 and r["n_test"] == 6
    assert 1 <= r["best_epoch"] <= 3 and r["best_val_fscore"] == max(x["val_fscore"] for x in log)
    meta = json.loads((d / "best.json").read_text())
    assert meta["backbone"] == "synthetic-test" and meta["frame_dim"] == 32 and meta["text_dim"] == 24
    # resuming a finished run changes nothing
    mtime = (d / "result.json").stat().st_mtime_ns
    _run(data, out, "--splits", "0")
    assert (d / "result.json").stat().st_mtime_ns == mtime


def test_interrupted_training_resumes_to_the_same_model(data: Path) -> None:
    full = data / "full"
    _run(data, full, "--splits", "1", "--epochs", "4")
    part = data / "part"
    _run(data, part, "--splits", "1", "--epochs", "2")
    (part / "split1_seed0" / "result.json").unlink()  # as if stopped after epoch 2
    _run(data, part, "--splits", "1", "--epochs", "4")
    a = load_file(str(full / "split1_seed0" / "best.safetensors"))
    b = load_file(str(part / "split1_seed0" / "best.safetensors"))
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    la = (full / "split1_seed0" / "log.jsonl").read_text()
    assert la == (part / "split1_seed0" / "log.jsonl").read_text() and len(la.splitlines()) == 4


def test_saved_checkpoint_reloads_to_identical_scores(data: Path) -> None:
    out = data / "run-reload"
    _run(data, out, "--splits", "2", "--epochs", "2")
    cfg = load_train_config(data / "cfg.yaml")
    from vidgist.data.h5 import read_eccv16

    vids = read_eccv16(data / "synthetic.h5")
    samples = build_samples(vids, read_text_features(data / "synthetic_text.h5"), "threshold:0.5")[:4]
    m1, _ = load_checkpoint(out / "split2_seed0" / "best.safetensors")
    m2, meta = load_checkpoint(out / "split2_seed0" / "best.safetensors")
    p1, p2 = predict("clip-it", m1, samples), predict("clip-it", m2, samples)
    assert all(np.array_equal(p1[k], p2[k]) for k in p1)
    # and the test F-score stored for split 2 is reproduced from the reloaded model
    from vidgist.data.splits import load_splits
    from vidgist.train.clip_it import evaluate

    test_keys = load_splits(data / "synthetic_splits.json")[2].test_keys
    ts = build_samples(
        {k: vids[k] for k in test_keys}, read_text_features(data / "synthetic_text.h5"), "threshold:0.5"
    )
    stored = json.loads((out / "split2_seed0" / "result.json").read_text())["test_fscore"]
    assert evaluate(predict("clip-it", m1, ts), ts, cfg.aggregation)["fscore"] == pytest.approx(stored)
    assert meta["model"] == "clip-it" and meta["vidgist_version"]


class HashTextBackbone:
    """A small deterministic backbone for the scorer tests: texts -> seeded random unit vectors."""

    joint = False

    def __init__(self, name: str, frame_dim: int, text_dim: int) -> None:
        self.name, self.frame_dim, self.text_dim = name, frame_dim, text_dim

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        out = np.stack(
            [np.random.default_rng(zlib.crc32(t.encode())).standard_normal(self.text_dim) for t in texts]
        )
        return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)

    def encode_frames(self, images: Sequence[np.ndarray]) -> np.ndarray:
        raise NotImplementedError

    def frames_to_text_space(self, images: Sequence[np.ndarray], frame_features: np.ndarray) -> np.ndarray:
        raise NotImplementedError


def _evidence(n: int, d: int) -> Evidence:
    info = VideoInfo(Path("x.mp4"), n / 2, 2.0, n, 64, 64, 0, False)
    vec = np.random.default_rng(0).standard_normal((n, d)).astype(np.float32)
    return Evidence(info=info, frames=Features(np.arange(n) / 2.0, vec), frames_in_text_space=None)


def test_checkpoint_scorer_scores_and_refuses_mismatches(data: Path, tmp_path: Path) -> None:
    out = data / "run-scorer"
    _run(data, out, "--splits", "0", "--epochs", "1")
    ckpt = out / "split0_seed0" / "best.safetensors"
    bb = HashTextBackbone("synthetic-test", 32, 24)
    scorer = CheckpointScorer(ckpt, bb)
    ev = _evidence(20, 32)
    tl = scorer.score(ev, ["concept three"], bb)
    assert tl.scores.shape == (20,) and np.all((tl.scores >= 0) & (tl.scores <= 1))
    assert np.array_equal(tl.times, ev.frames.times)
    assert np.array_equal(scorer.score(ev, ["concept three"], bb).scores, tl.scores)  # deterministic
    assert not np.allclose(scorer.score(ev, ["another query"], bb).scores, tl.scores)
    assert scorer.score(ev, None, bb).scores.shape == (20,)  # generic mode: generated description
    with pytest.raises(ModelError, match="dims"):
        CheckpointScorer(ckpt, HashTextBackbone("synthetic-test", 32, 16))
    with pytest.raises(ModelError, match="dims"):
        CheckpointScorer(ckpt, HashTextBackbone("synthetic-test", 64, 24))
    with pytest.raises(ModelError, match="backbone"):
        CheckpointScorer(ckpt, HashTextBackbone("offline", 32, 24))
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"not a checkpoint at all")
    with pytest.raises(ModelError, match="not a vidgist checkpoint"):
        CheckpointScorer(junk, bb)
    plain = tmp_path / "plain.safetensors"
    save_file({"w": torch.zeros(2)}, str(plain))
    with pytest.raises(ModelError, match="not a vidgist checkpoint"):
        CheckpointScorer(plain, bb)
    with pytest.raises(ModelError, match="not found"):
        CheckpointScorer(tmp_path / "missing.safetensors", bb)
    for e in (ModelError,):
        try:
            CheckpointScorer(junk, bb)
        except e as err:
            assert "\n" not in str(err) and str(junk) in str(err)


def test_bad_config_is_one_line_error(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: clip-it\ndataset: x.h5\nsplits: s.json\nlearning_rat: 3\n")
    assert main(["train", "clip-it", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "learning_rat" in err
    assert main(["train", "clip-it", str(data / "cfg.yaml"), "--model", "dsnet"]) == 2


def test_shipped_configs_load() -> None:
    configs = sorted((Path(__file__).resolve().parents[1] / "configs").glob("clip_it_*.yaml"))
    assert len(configs) >= 6
    for c in configs:
        cfg = load_train_config(c)
        assert cfg.model == "clip-it" and cfg.base_dir == str(c.parent)
    aggs = {load_train_config(c).name: load_train_config(c).aggregation for c in configs}
    assert aggs["summe-canonical"] == "max" and aggs["tvsum-canonical"] == "mean"


def test_summarize_refuses_a_checkpoint_for_another_backbone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from vidgist.models.clip_it import ClipIt, ClipItConfig
    from vidgist.scorers.checkpoint import save_checkpoint

    ckpt = tmp_path / "clip512.safetensors"
    save_checkpoint(
        ckpt,
        ClipIt(ClipItConfig(frame_dim=512, text_dim=512, d_model=16, ff=32, layers=1)),
        "clip-it",
        "clip:openai/clip-vit-base-patch32",
        512,
        512,
    )
    video = VIDEOS / "bigbuckbunny_5s.mp4"
    rc = main(
        [
            "summarize",
            str(video),
            "-q",
            "a rabbit",
            "--backbone",
            "offline",
            "--scorer",
            str(ckpt),
            "--no-asr",
            "--no-ocr",
            "-o",
            str(tmp_path / "out"),
        ]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and str(ckpt) in err[-1] and "backbone" in err[-1]


def test_augmented_and_transfer_settings_over_two_h5_files(tmp_path: Path) -> None:
    from vidgist.data.h5 import read_eccv16
    from vidgist.data.splits import Split, load_splits, write_splits

    write_synthetic_dataset(tmp_path, n_videos=10, n_splits=2, seed=0, name="a")
    write_synthetic_dataset(tmp_path, n_videos=6, n_splits=2, seed=0, name="b")  # same world, other videos
    a_split = load_splits(tmp_path / "a_splits.json")[0]
    b_keys = tuple(f"b.h5/{k}" for k in read_eccv16(tmp_path / "b.h5"))
    write_splits(tmp_path / "aug.json", [Split(a_split.train_keys + b_keys, a_split.test_keys)])
    write_splits(tmp_path / "trans.json", [Split(b_keys, a_split.test_keys)])
    for name, n_train in (("aug", 5 + 6), ("trans", 6)):
        cfg = {
            "name": name, "dataset": "a.h5", "splits": f"{name}.json", "backbone": "synthetic-test",
            "text_features": {"a.h5": "a_text.h5", "b.h5": "b_text.h5"}, "label_rule": "threshold:0.5",
            "epochs": 1, "clip_it": {"d_model": 16, "ff": 32, "layers": 1},
        }  # fmt: skip
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(cfg))
        rc = main(
            ["train", "clip-it", str(tmp_path / f"{name}.yaml"), "-o", str(tmp_path / name), "--no-progress"]
        )
        assert rc == 0
        r = json.loads((tmp_path / name / "split0_seed0" / "result.json").read_text())
        assert r["setting"] == {"aug": "augmented", "trans": "transfer"}[name]
        assert r["n_train"] + r["n_val"] == n_train and r["n_test"] == 5


def test_tvsum_user_scores_give_rank_correlation_and_must_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from vidgist.data.h5 import H5Video, write_eccv16
    from vidgist.data.splits import Split, write_splits
    from vidgist.data.synthetic_summ import write_text_features
    from vidgist.eval.summary import load_tvsum_user_scores

    anno_path = SHARED / "data" / "tvsum" / "ydata-tvsum50-anno.tsv.gz"
    anno = load_tvsum_user_scores(anno_path)
    rng = np.random.default_rng(0)
    vids = []
    for i, (vid, us) in enumerate(list(anno.items())[:3], start=1):
        n = us.shape[1]
        picks = np.arange(0, n, 15)
        cps = np.array([[s, min(s + 59, n - 1)] for s in range(0, n, 60)])
        summ = (np.arange(n) % 600 < 90).astype(np.float32)[None].repeat(2, 0)
        vids.append(
            H5Video(
                f"video_{i}",
                rng.standard_normal((len(picks), 8)).astype("f4"),
                picks,
                n,
                cps,
                cps[:, 1] - cps[:, 0] + 1,
                summ,
                rng.random(len(picks)).astype("f4"),
                video_name=vid,
            )
        )
    write_eccv16(tmp_path / "tv.h5", vids)
    # text features keyed by the original video name (as `vidgist features extract` writes them)
    write_text_features(
        tmp_path / "tv_text.h5", {v.video_name: rng.standard_normal((2, 4)) for v in vids if v.video_name}
    )
    write_splits(tmp_path / "s.json", [Split(("video_1", "video_2"), ("video_3",))])
    cfg = {"name": "tv", "model": "random", "dataset": "tv.h5", "splits": "s.json"}
    cfg.update({"text_features": "tv_text.h5", "user_scores": str(anno_path)})
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(cfg))
    assert (
        main(["train", "clip-it", str(tmp_path / "c.yaml"), "-o", str(tmp_path / "run"), "--no-progress"])
        == 0
    )
    res = json.loads((tmp_path / "run" / "results.json").read_text())
    assert (
        res["mean_kendall"] is not None and abs(res["mean_kendall"]) < 0.2
    )  # random scores vs 20 real users
    # a config change in the same run folder is refused instead of mixing results
    cfg["label_rule"] = "top:0.2"
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(cfg))
    capsys.readouterr()
    rc = main(["train", "clip-it", str(tmp_path / "c.yaml"), "-o", str(tmp_path / "run"), "--no-progress"])
    assert rc == 2 and "different config" in capsys.readouterr().err
    # annotations of another dataset (frame counts differ) are refused
    cfg["user_scores"] = str(anno_path)
    vids2 = []
    for v in vids:
        cps2 = v.change_points.copy()
        cps2[-1, 1] += 1
        us2 = np.pad(v.user_summary, ((0, 0), (0, 1))) if v.user_summary is not None else None
        nps = cps2[:, 1] - cps2[:, 0] + 1
        vids2.append(
            H5Video(
                v.name,
                v.features,
                v.picks,
                v.n_frames + 1,
                cps2,
                nps,
                us2,
                v.gtscore,
                video_name=v.video_name,
            )
        )
    write_eccv16(tmp_path / "tv.h5", vids2)
    capsys.readouterr()
    rc = main(["train", "clip-it", str(tmp_path / "c.yaml"), "-o", str(tmp_path / "run2"), "--no-progress"])
    assert rc == 2 and "user_scores must be the annotations of this dataset" in capsys.readouterr().err


def test_checkpoint_scorer_windows_long_videos(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import vidgist.scorers.checkpoint as ck

    out = data / "run-window"
    _run(data, out, "--splits", "0", "--epochs", "1")
    bb = HashTextBackbone("synthetic-test", 32, 24)
    scorer = CheckpointScorer(out / "split0_seed0" / "best.safetensors", bb)
    ev = _evidence(20, 32)
    whole = scorer.score(ev, ["q"], bb).scores
    monkeypatch.setattr(ck, "WINDOW", 8)
    windowed = scorer.score(ev, ["q"], bb).scores
    t = torch.from_numpy(bb.encode_texts(["q"]))[None]
    x = torch.from_numpy(ev.frames.vectors)
    with torch.no_grad():
        parts = [scorer.model(x[a:b][None], None, t, None).scores[0] for a, b in ((0, 7), (7, 14), (14, 20))]
    assert np.allclose(windowed, torch.cat(parts).double().numpy(), atol=1e-6)
    assert not np.allclose(windowed, whole)  # the windows really are scored separately
