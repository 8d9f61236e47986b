"""`vidgist eval ...`: tables, results JSON, and exit code 2 with a one-line error on bad inputs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import SHARED

from vidgist.cli.main import main
from vidgist.data.h5 import H5Video, write_eccv16
from vidgist.eval.summary import evaluate_splits_fscore

QVH_VAL = SHARED / "data" / "qvhighlights" / "data_highlight_val_release.jsonl"
TVSUM_ANNO = SHARED / "data" / "tvsum" / "ydata-tvsum50-anno.tsv.gz"
TVSUM_HL_VAL = SHARED / "data" / "tvsum" / "highlight_labels" / "tvsum_val.jsonl"
QFVS = SHARED / "data" / "qfvs"


def _video(name: str, rng: np.random.Generator, with_summary: bool = True) -> H5Video:
    n_frames, step = 100, 5
    picks = np.arange(0, n_frames, step)
    cps = np.array([[i, i + 19] for i in range(0, n_frames, 20)])
    user_scores = rng.integers(1, 6, (3, n_frames)).astype(np.float64)
    users = np.zeros((3, n_frames))
    for u in range(3):
        users[u, cps[rng.integers(0, 5)][0] : cps[rng.integers(0, 5)][0] + 10] = 1
    return H5Video(
        name=name,
        features=rng.random((len(picks), 8)).astype(np.float32),
        picks=picks,
        n_frames=n_frames,
        change_points=cps,
        n_frame_per_seg=np.full(5, 20),
        user_summary=users if with_summary else None,
        gtscore=user_scores.mean(0)[picks].astype(np.float32),
        user_scores=user_scores,
    )


@pytest.fixture(scope="module")
def h5_setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, H5Video]]:
    d = tmp_path_factory.mktemp("evalcli")
    rng = np.random.default_rng(0)
    videos = {f"video_{i}": _video(f"video_{i}", rng) for i in range(1, 5)}
    h5 = d / "toy.h5"
    write_eccv16(h5, videos)
    splits = d / "splits.json"
    splits.write_text(
        json.dumps(
            [
                {"train_keys": ["video_3", "video_4"], "test_keys": ["video_1", "video_2"]},
                {"train_keys": ["video_1", "video_2"], "test_keys": ["video_3", "video_4"]},
            ]
        )
    )
    return h5, splits, videos


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    rc = main(args)
    out = capsys.readouterr()
    return rc, out.out, out.err


def _recorded(args: list[str], folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[dict, str, str]:
    """Run ``vidgist eval ...`` with ``-o``: it exits 0; the results record it wrote, stdout, stderr."""
    out_json = folder / f"{args[1]}.json"
    rc, out, err = _run([*args, "-o", str(out_json)], capsys)
    assert rc == 0, err
    return json.loads(out_json.read_text()), out, err


def test_summary_table_and_results(h5_setup, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    h5, splits, videos = h5_setup
    preds = {k: v.gtscore.astype(float).tolist() for k, v in videos.items()}
    pred = tmp_path / "pred.json"
    pred.write_text(json.dumps(preds))
    rec, out, err = _recorded(
        [
            "eval",
            "summary",
            "--h5",
            str(h5),
            "--pred",
            str(pred),
            "--splits",
            str(splits),
            "--aggregation",
            "max",
            "--seed",
            "3",
            "--selection-rule",
            "val split, 10% of train",
        ],
        tmp_path,
        capsys,
    )
    assert "F-score (max over users)" in out and "Kendall tau" in out
    expect = evaluate_splits_fscore(videos, preds, [["video_1", "video_2"], ["video_3", "video_4"]], "max")
    assert rec["metrics"]["f_score"] == pytest.approx(expect["f_score"])
    assert rec["aggregation"] == "max" and rec["setting"] == "canonical" and rec["seed"] == 3
    assert rec["selection_rule"] == "val split, 10% of train" and "val split" in err
    assert rec["dataset"] == "toy" and "vidgist_version" in rec and "git_commit" in rec
    assert rec["metrics"]["rank_correlation"]["resolution"].startswith("frame level")


def test_summary_bad_inputs_exit_2(h5_setup, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    h5, splits, videos = h5_setup
    preds = {k: v.gtscore.astype(float).tolist() for k, v in videos.items()}
    nan = tmp_path / "nan.json"
    nan.write_text(json.dumps({**preds, "video_2": [float("nan")] * 20}))  # json writes NaN
    rc, _, err = _run(
        ["eval", "summary", "--h5", str(h5), "--pred", str(nan), "--splits", str(splits)], capsys
    )
    assert rc == 2 and str(nan) in err and "'video_2'" in err and len(err.strip().splitlines()) == 1
    short = tmp_path / "short.json"
    short.write_text(json.dumps({**preds, "video_3": preds["video_3"][:7]}))
    rc, _, err = _run(
        ["eval", "summary", "--h5", str(h5), "--pred", str(short), "--splits", str(splits)], capsys
    )
    assert rc == 2 and "'video_3' has 7 scores but 20 picks" in err
    bare = tmp_path / "bare.h5"
    rng = np.random.default_rng(1)
    write_eccv16(bare, {f"video_{i}": _video(f"video_{i}", rng, with_summary=False) for i in range(1, 5)})
    good = tmp_path / "good.json"
    good.write_text(json.dumps(preds))
    rc, _, err = _run(
        ["eval", "summary", "--h5", str(bare), "--pred", str(good), "--splits", str(splits)], capsys
    )
    assert rc == 2 and str(bare) in err and "user_summary" in err


def test_qvhighlights_cli(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    gts = [json.loads(line) for line in QVH_VAL.read_text().splitlines()[:50]]
    pred = tmp_path / "p.jsonl"
    pred.write_text(
        "\n".join(
            json.dumps(
                {
                    "qid": g["qid"],
                    "pred_relevant_windows": [[w[0], w[1], 1.0] for w in g["relevant_windows"]],
                    "pred_saliency_scores": [0.0] * int(g["duration"] / 2),
                }
            )
            for g in gts
        )
        + "\n"
    )
    rec, out, _ = _recorded(
        ["eval", "qvhighlights", "--pred", str(pred), "--gt", str(QVH_VAL), "--no-match-number"],
        tmp_path,
        capsys,
    )
    assert rec["metrics"]["brief"]["MR-full-R1@0.7"] == 100.0 and "MR-full-mAP" in out
    lines = pred.read_text().splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text(lines[0] + "\n{not json\n")
    rc, _, err = _run(["eval", "qvhighlights", "--pred", str(bad), "--gt", str(QVH_VAL)], capsys)
    assert rc == 2 and f"{bad}: line 2" in err
    unknown = tmp_path / "unknown.jsonl"
    unknown.write_text(
        lines[0] + "\n" + lines[1].replace(f'"qid": {gts[1]["qid"]}', '"qid": 123456789') + "\n"
    )
    rc, _, err = _run(
        ["eval", "qvhighlights", "--pred", str(unknown), "--gt", str(QVH_VAL), "--no-match-number"], capsys
    )
    assert rc == 2 and str(unknown) in err and "123456789" in err
    rc, _, err = _run(["eval", "qvhighlights", "--pred", str(pred), "--gt", str(QVH_VAL)], capsys)
    assert rc == 2 and "no prediction for qid" in err  # 50 of 1550 predicted, match_number on


def test_human_baseline_cli(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    rec, out, _ = _recorded(
        ["eval", "human-baseline", "--dataset", "tvsum", "--anno", str(TVSUM_ANNO), "--stride", "15"],
        tmp_path,
        capsys,
    )
    assert (
        round(rec["metrics"]["kendall_tau"], 3) == 0.177
        and rec["metrics"]["resolution"] == "every 15th frame"
    )
    assert "Kendall tau" in out
    rc, _, err = _run(["eval", "human-baseline", "--dataset", "summe", "--anno", str(TVSUM_ANNO)], capsys)
    assert rc == 2 and "--dataset summe" in err


def test_text_and_retrieval_cli(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    hyp = tmp_path / "hyp.jsonl"
    hyp.write_text('{"id": "a", "text": "how to bake bread"}\n{"id": "b", "text": "fix a bike tire"}\n')
    ref = tmp_path / "ref.jsonl"
    ref.write_text(
        '{"id": "a", "text": "how to bake bread"}\n{"id": "a", "text": "baking bread at home"}\n'
        '{"id": "b", "refs": ["repair a bike tire", "fix a flat tire"]}\n'
    )
    rec, out, _ = _recorded(["eval", "text", "--hyp", str(hyp), "--ref", str(ref)], tmp_path, capsys)
    assert rec["metrics"]["ROUGE-L"] > 0.8 and "CIDEr" in out and rec["lang"] == "en"
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"query": "bread", "id": "a"}\n{"query": "bike tire", "relevant": ["b"]}\n')
    rec, out, _ = _recorded(
        ["eval", "retrieval", "--summaries", str(hyp), "--queries", str(queries)], tmp_path, capsys
    )
    assert rec["metrics"]["P@1"] == 1.0 and "Acc@30" in out
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"query": "bread", "relevant": ["zzz"]}\n')
    rc, _, err = _run(["eval", "retrieval", "--summaries", str(hyp), "--queries", str(bad)], capsys)
    assert rc == 2 and f"{bad}: line 1" in err and "'zzz'" in err
    rc, _, err = _run(["eval", "text", "--hyp", str(hyp), "--ref", str(bad)], capsys)
    assert rc == 2 and f"{bad}: line 1" in err


def test_qfvs_and_tvsum_highlights_cli(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from vidgist.data.qfvs import load_qfvs

    data = load_qfvs(QFVS)
    pred = {
        name: {"_".join(k): sorted(s + 1 for s in q.oracle) for k, q in v.queries.items()}
        for name, v in data.videos.items()
    }
    p = tmp_path / "qfvs.json"
    p.write_text(json.dumps(pred))
    rec, out, _ = _recorded(["eval", "qfvs", "--pred", str(p), "--qfvs-root", str(QFVS)], tmp_path, capsys)
    assert rec["metrics"]["f1"] > 0.999 and "P04" in out
    p.write_text(json.dumps({**pred, "P01": {**pred["P01"], "Lady_Street": [0]}}))
    rc, _, err = _run(["eval", "qfvs", "--pred", str(p), "--qfvs-root", str(QFVS)], capsys)
    assert rc == 2 and "1-based" in err
    labels = [json.loads(line) for line in TVSUM_HL_VAL.read_text().splitlines()]
    hp = tmp_path / "hl.jsonl"
    hp.write_text(
        "".join(
            json.dumps({"qid": r["qid"], "pred_saliency_scores": np.mean(r["label"], 1).tolist()}) + "\n"
            for r in labels
        )
    )
    rec, out, _ = _recorded(
        ["eval", "tvsum-highlights", "--pred", str(hp), "--labels", str(TVSUM_HL_VAL)], tmp_path, capsys
    )
    assert rec["metrics"]["mAP"] > 0.7 and "mean over domains" in out
