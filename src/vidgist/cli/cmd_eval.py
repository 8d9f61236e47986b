"""`vidgist eval ...`: thin over vidgist.eval; each command prints a table; with -o, a results JSON.

Input problems (malformed jsonl line, unknown qid or key, mismatched lengths, NaN scores) raise
DataError naming the file and the record; vidgist.cli.main turns that into one line and exit 2.
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from vidgist.cli.apps import eval_app
from vidgist.errors import DataError, InputError
from vidgist.util.ranges import check_range

USER_SELECTION = "not stated: predictions supplied by the user (state it with --selection-rule)"

OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        help="Results JSON to write (with dataset, split, seed, selection rule "
        "and git commit); without it the table is printed and nothing is written.",
    ),
]
SeedOpt = Annotated[int | None, typer.Option(help="Seed of the run that produced the evaluated outputs.")]
CustomDatasetOpt = Annotated[str, typer.Option(help="Dataset name for the results.")]
SelectionOpt = Annotated[
    str, typer.Option(help="How the model/epoch behind the predictions was selected (stored in the results).")
]


# ---------------------------------------------------------------------------------------------
# shared helpers


def _table(title: str, rows: list[tuple[str, Any]], columns: tuple[str, str] = ("metric", "value")) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=title)
    t.add_column(columns[0])
    t.add_column(columns[1], justify="right")
    for k, v in rows:
        if isinstance(v, float):
            v = "n/a" if not math.isfinite(v) else f"{v:.4f}" if abs(v) < 1.5 else f"{v:.2f}"
        t.add_row(str(k), str(v))
    Console().print(t)


@dataclass(frozen=True)
class _Dest:
    """Where a command's results go (``-o``, or nowhere) and the provenance stored with them."""

    output: Path | None
    seed: int | None = None
    selection_rule: str = USER_SELECTION


def _write(task: str, dest: _Dest, metrics: dict[str, Any], **meta: Any) -> None:
    """Print the protocol and selection rule; write the results record to ``dest.output`` if given."""
    from vidgist.eval.results import results_record, write_results

    rec = results_record(metrics, task=task, seed=dest.seed, selection_rule=dest.selection_rule, **meta)
    print(f"protocol: {metrics.get('protocol', task)}", file=sys.stderr)
    print(f"selection rule: {rec['selection_rule']}", file=sys.stderr)
    if dest.output is None:
        print("results JSON not written (add -o FILE.json to keep it)", file=sys.stderr)
        return
    write_results(dest.output, rec)
    print(f"wrote {dest.output}", file=sys.stderr)


def _read_json(path: Path) -> Any:
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: invalid JSON ({exc.msg} at line {exc.lineno})") from None
    except UnicodeDecodeError:
        raise DataError(f"{path}: not UTF-8 text") from None


def _records(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """(where, object) for each record of a .jsonl (or a .json list)."""
    from vidgist.data.jsonl import iter_jsonl

    if path.suffix == ".json":
        obj = _read_json(path)
        if not isinstance(obj, list) or not all(isinstance(o, dict) for o in obj):
            raise DataError(f"{path}: expected a JSON list of objects (or use .jsonl)")
        return [(f"{path}: record {i + 1}", o) for i, o in enumerate(obj)]
    return [(f"{path}: line {n}", o) for n, o in iter_jsonl(path)]


def _scores(values: Any, where: str) -> list[float]:
    if not isinstance(values, list) or not values:
        raise DataError(f"{where}: expected a non-empty list of numbers")
    out = []
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise DataError(f"{where}: score [{i}] = {v!r} is not a finite number")
        out.append(float(v))
    return out


def _read_pred_scores(path: Path) -> dict[str, Any]:
    """Per-video sampled-frame scores: JSON {key: [scores]} or h5 with a group per key holding ``scores``."""
    import numpy as np

    if path.suffix in (".h5", ".hdf5"):
        import h5py

        if not path.is_file():
            raise DataError(f"{path}: file not found")
        out: dict[str, Any] = {}
        try:
            with h5py.File(path, "r") as f:

                def visit(name: str, obj: Any) -> None:
                    if isinstance(obj, h5py.Group) and "scores" in obj:
                        out[name] = np.asarray(obj["scores"][...], dtype=np.float64).ravel()

                f.visititems(visit)
        except OSError as exc:
            raise DataError(f"{path}: cannot read h5 ({exc})") from None
        if not out:
            raise DataError(f"{path}: no group holds a 'scores' dataset (one group per video key)")
        for k, v in out.items():
            if not np.all(np.isfinite(v)):
                raise DataError(f"{path}: video {k!r} has NaN or inf scores")
        return out
    obj = _read_json(path)
    if not isinstance(obj, dict) or not obj:
        raise DataError(f"{path}: expected a JSON object {{video_key: [scores of the sampled frames]}}")
    return {str(k): np.asarray(_scores(v, f"{path}: video {k!r}")) for k, v in obj.items()}


# ---------------------------------------------------------------------------------------------
# commands


@eval_app.command("human-baseline")
def human_baseline_cmd(
    anno: Annotated[Path, typer.Option(help="TVSum annotation file ydata-tvsum50-anno.tsv(.gz).")],
    dataset: Annotated[str, typer.Option(help="Dataset (tvsum: per-frame annotator scores).")] = "tvsum",
    stride: Annotated[int, typer.Option(help="Keep every STRIDE-th frame (1 = frame level).")] = 1,
    output: OutputOpt = None,
) -> None:
    """Leave-one-annotator-out human Kendall tau / Spearman rho (Otani et al. CVPR 2019)."""
    from vidgist.eval.summary import tvsum_human_baseline

    check_range("--stride", stride, 1, None, low_inclusive=True, noun="integer", integer=True)
    if dataset.lower() != "tvsum":
        raise InputError(f"--dataset {dataset}: the human baseline needs per-frame annotator scores (tvsum)")
    res = tvsum_human_baseline(anno, stride=stride)
    _table(
        f"TVSum human baseline ({res['resolution']})",
        [
            ("Kendall tau", res["kendall_tau"]),
            ("Spearman rho", res["spearman_rho"]),
            ("published tau / rho", "0.177 / 0.204"),
            ("videos", res["n_videos"]),
        ],
    )
    _write(
        "human-baseline", _Dest(output, selection_rule="none"), res, dataset="tvsum", split="all 50 videos"
    )


@eval_app.command("summary")
def summary_cmd(
    h5: Annotated[Path, typer.Option(help="eccv16-style dataset h5 (needs user_summary).")],
    pred: Annotated[
        Path,
        typer.Option(
            help="Predicted scores of the sampled frames: JSON {key: [..]} or h5 "
            "with a group per key holding 'scores'."
        ),
    ],
    splits: Annotated[Path, typer.Option(help="Split file; the test keys of every split are evaluated.")],
    aggregation: Annotated[str, typer.Option(help="Over users: mean (TVSum) or max (SumMe).")] = "mean",
    budget: Annotated[float, typer.Option(help="Summary length as a share of the frames.")] = 0.15,
    rank_correlation: Annotated[
        bool, typer.Option(help="Also Kendall tau / Spearman rho when the h5 has user_scores.")
    ] = True,
    stride: Annotated[int, typer.Option(help="Rank correlation resolution: every STRIDE-th frame.")] = 1,
    dataset: Annotated[str | None, typer.Option(help="Dataset name (default: the h5 name).")] = None,
    seed: SeedOpt = None,
    selection_rule: SelectionOpt = USER_SELECTION,
    output: OutputOpt = None,
) -> None:
    """Key-shot F-score (eccv16 protocol): mean over test videos of each split, then over splits."""
    import numpy as np

    from vidgist.data.splits import load_keyed_videos, load_splits, split_setting
    from vidgist.eval.summary import evaluate_splits_fscore, evaluate_videos_correlation, upsample_scores

    check_range("--budget", budget, 0, 1, noun="ratio", example="e.g. 0.15 for 15% of the video")
    check_range("--stride", stride, 1, None, low_inclusive=True, noun="integer", integer=True)
    split_list = load_splits(splits)
    test_sets = [list(s.test_keys) for s in split_list]
    keys = sorted({k for t in test_sets for k in t})
    videos = load_keyed_videos(keys, default_h5=h5, base_dir=splits.parent)
    preds = _read_pred_scores(pred)
    res = evaluate_splits_fscore(
        videos, preds, test_sets, aggregation, budget, source=str(pred), dataset_source=str(h5)
    )
    rows: list[tuple[str, Any]] = [(f"split {i}", f) for i, f in enumerate(res["per_split"])]
    rows.append((f"F-score ({res['aggregation']} over users)", res["f_score"]))
    if rank_correlation and all(videos[k].user_scores is not None for k in keys):
        frame_preds = {k: upsample_scores(preds[k], videos[k].picks, videos[k].n_frames) for k in keys}
        user_scores = {k: np.asarray(videos[k].user_scores) for k in keys}
        corr = evaluate_videos_correlation(frame_preds, user_scores, stride, source=str(pred))
        res["rank_correlation"] = {
            k: corr[k] for k in ("kendall_tau", "spearman_rho", "resolution", "protocol")
        }
        rows += [
            (f"Kendall tau ({corr['resolution']})", corr["kendall_tau"]),
            (f"Spearman rho ({corr['resolution']})", corr["spearman_rho"]),
        ]
    _table(f"{h5.name}: {len(split_list)} split(s), {len(keys)} test videos", rows)
    settings = sorted({split_setting(s, h5.stem) for s in split_list})
    _write(
        "summary",
        _Dest(output, seed, selection_rule),
        res,
        dataset=dataset or h5.stem,
        split=str(splits),
        setting=",".join(settings),
        aggregation=res["aggregation"],
        n_test_videos=int(np.sum([len(t) for t in test_sets])),
    )


@eval_app.command("qvhighlights")
def qvhighlights_cmd(
    pred: Annotated[
        Path, typer.Option(help="Predictions jsonl (qid, pred_relevant_windows, pred_saliency_scores).")
    ],
    gt: Annotated[Path, typer.Option(help="Ground-truth jsonl (e.g. data_highlight_val_release.jsonl).")],
    match_number: Annotated[bool, typer.Option(help="Require a prediction for every GT query.")] = True,
    seed: SeedOpt = None,
    selection_rule: SelectionOpt = USER_SELECTION,
    output: OutputOpt = None,
) -> None:
    """QVHighlights moment retrieval + highlight detection (Moment-DETR standalone_eval protocol)."""
    from vidgist.data.qvhighlights import read_predictions, read_qvhighlights
    from vidgist.eval.highlights import eval_submission

    gts = [r.to_dict() for r in read_qvhighlights(gt, require_gt=True)]
    preds = [p.to_dict() for p in read_predictions(pred)]
    res = eval_submission(preds, gts, match_number=match_number, pred_source=str(pred), gt_source=str(gt))
    _table(f"QVHighlights: {len(preds)} queries", list(res["brief"].items()))
    res["protocol"] = "Moment-DETR standalone_eval (percentages, 2 decimals)"
    _write("qvhighlights", _Dest(output, seed, selection_rule), res, dataset="qvhighlights", split=gt.name)


@eval_app.command("tvsum-highlights")
def tvsum_highlights_cmd(
    pred: Annotated[Path, typer.Option(help="jsonl of {qid, pred_saliency_scores}, one per 2-s clip.")],
    labels: Annotated[Path, typer.Option(help="QD-DETR TVSum label jsonl (e.g. tvsum_val.jsonl).")],
    seed: SeedOpt = None,
    selection_rule: SelectionOpt = USER_SELECTION,
    output: OutputOpt = None,
) -> None:
    """TVSum highlight detection: top-5 mAP per domain (UMT / QD-DETR protocol)."""
    from vidgist.eval.highlights import eval_tvsum_highlights

    recs = _records(labels)
    for where, r in recs:
        if not {"qid", "domain", "label"} <= set(r):
            raise DataError(f"{where}: needs 'qid', 'domain' and 'label' (n_clips x 20 annotator scores)")
    preds: dict[str, list[float]] = {}
    for where, r in _records(pred):
        if "qid" not in r:
            raise DataError(f"{where}: missing 'qid'")
        preds[str(r["qid"])] = _scores(r.get("pred_saliency_scores"), f"{where} (qid {r['qid']})")
    res = eval_tvsum_highlights(preds, [r for _, r in recs], pred_source=str(pred))
    rows = list(res["per_domain"].items()) + [("mean over domains (top-5 mAP)", res["mAP"])]
    _table("TVSum highlight detection", rows, ("domain", "top-5 mAP"))
    _write("tvsum-highlights", _Dest(output, seed, selection_rule), res, dataset="tvsum", split=labels.name)


def _id_of(r: dict[str, Any], where: str) -> str:
    for k in ("id", "item_id", "video_id", "qid"):
        if k in r:
            return str(r[k])
    raise DataError(f"{where}: missing 'id' (or item_id / video_id / qid)")


def _text_of(r: dict[str, Any], where: str) -> str:
    t = r.get("text")
    if not isinstance(t, str):
        raise DataError(f"{where}: 'text' must be a string")
    return t


def _texts_by_id(path: Path, advice: str) -> dict[str, str]:
    """{id: text} from a jsonl of {id, text}; an id seen twice -> DataError ending in ``advice``."""
    out: dict[str, str] = {}
    for where, r in _records(path):
        i = _id_of(r, where)
        if i in out:
            raise DataError(f"{where}: id {i!r} appears twice; {advice}")
        out[i] = _text_of(r, where)
    return out


@eval_app.command("text")
def text_cmd(
    hyp: Annotated[Path, typer.Option(help="Generated texts, jsonl of {id, text}.")],
    ref: Annotated[
        Path,
        typer.Option(help="References, jsonl of {id, text} (repeat an id for several) or {id, refs: [..]}."),
    ],
    lang: Annotated[str, typer.Option(help="Tokenisation: en (words) or zh (CJK characters).")] = "en",
    dataset: CustomDatasetOpt = "custom",
    seed: SeedOpt = None,
    selection_rule: SelectionOpt = USER_SELECTION,
    output: OutputOpt = None,
) -> None:
    """BLEU-1..4, ROUGE-L, CIDEr-D (coco-caption scorers) with several references per id."""
    from vidgist.eval.text import caption_scores

    hyps = _texts_by_id(hyp, "give one generated text per id")
    refs: dict[str, list[str]] = {}
    for where, r in _records(ref):
        i = _id_of(r, where)
        if "refs" in r:
            if not isinstance(r["refs"], list) or not all(isinstance(x, str) for x in r["refs"]):
                raise DataError(f"{where}: 'refs' must be a list of strings")
            refs.setdefault(i, []).extend(r["refs"])
        else:
            refs.setdefault(i, []).append(_text_of(r, where))
    try:
        res = caption_scores(hyps, refs, lang)
    except DataError as err:
        raise DataError(f"{hyp} vs {ref}: {err}") from None
    _table(
        f"Text metrics ({res['n']} items, {res['tokenization']})",
        [(k, res[k]) for k in ("BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4", "ROUGE-L", "CIDEr")],
    )
    res["protocol"] = "coco-caption BLEU/ROUGE-L/CIDEr-D (pycocoevalcap) on vidgist tokens"
    _write("text", _Dest(output, seed, selection_rule), res, dataset=dataset, split=ref.name, lang=lang)


@eval_app.command("retrieval")
def retrieval_cmd(
    summaries: Annotated[Path, typer.Option(help="Generated summaries, jsonl of {id, text}, one per video.")],
    queries: Annotated[
        Path, typer.Option(help="User queries, jsonl of {query, relevant: [ids]} or {query, id}.")
    ],
    method: Annotated[str, typer.Option(help="bm25 (bm25s) or dense (MiniLM sentence embeddings).")] = "bm25",
    lang: Annotated[str, typer.Option(help="BM25 tokenisation: en or zh.")] = "en",
    dataset: CustomDatasetOpt = "custom",
    seed: SeedOpt = None,
    selection_rule: SelectionOpt = USER_SELECTION,
    output: OutputOpt = None,
) -> None:
    """R@k, P@k, Acc@k (k = 1, 5, 10, 30) of searching the generated summaries with user queries (QMS)."""
    from vidgist.eval.retrieval import retrieval_scores

    docs = _texts_by_id(summaries, "give one summary per video")
    qs: list[tuple[str, set[str]]] = []
    for where, r in _records(queries):
        q = r.get("query")
        if not isinstance(q, str) or not q.strip():
            raise DataError(f"{where}: 'query' must be a non-empty string")
        rel = r.get("relevant", [r["id"]] if "id" in r else None)
        if not isinstance(rel, list) or not rel:
            raise DataError(f"{where}: needs 'relevant' (list of video ids) or 'id'")
        unknown = [str(x) for x in rel if str(x) not in docs]
        if unknown:
            raise DataError(f"{where}: relevant video {unknown[0]!r} has no summary in {summaries}")
        qs.append((q, {str(x) for x in rel}))
    res = retrieval_scores(qs, docs, method=method, lang=lang)
    ks = (1, 5, 10, 30)
    rows = [(f"{m}@{k}", res[f"{m}@{k}"]) for m in ("R", "P", "Acc") for k in ks]
    _table(f"Retrieval ({method}): {res['n_queries']} queries over {res['n_docs']} summaries", rows)
    res["protocol"] = "QMS Table V: user queries search the generated summaries"
    _write("retrieval", _Dest(output, seed, selection_rule), res, dataset=dataset, split=queries.name)


@eval_app.command("qfvs")
def qfvs_cmd(
    pred: Annotated[Path, typer.Option(help="JSON {video: {'Concept1_Concept2': [1-based shot numbers]}}.")],
    qfvs_root: Annotated[Path, typer.Option(help="QFVS folder (Tags.mat and origin_data/).")],
    reference: Annotated[str, typer.Option(help="oracle (published) or users (mean over the 3).")] = "oracle",
    seed: SeedOpt = None,
    selection_rule: SelectionOpt = USER_SELECTION,
    output: OutputOpt = None,
) -> None:
    """QFVS semantic precision / recall / F1 (Sharghi et al. CVPR 2017)."""
    from vidgist.data.qfvs import load_qfvs
    from vidgist.eval.qfvs import evaluate_qfvs, qfvs_references

    tags, refs = qfvs_references(load_qfvs(qfvs_root), reference)
    obj = _read_json(pred)
    if not isinstance(obj, dict):
        raise DataError(f"{pred}: expected {{video: {{query: [shot numbers]}}}}")
    preds: dict[str, dict[str, list[int]]] = {}
    for video, qs in obj.items():
        if not isinstance(qs, dict):
            raise DataError(f"{pred}: video {video!r}: expected {{query: [shot numbers]}}")
        preds[video] = {}
        for q, shots in qs.items():
            if not isinstance(shots, list) or not all(
                isinstance(s, int) and not isinstance(s, bool) for s in shots
            ):
                raise DataError(f"{pred}: video {video!r}, query {q!r}: shots must be a list of integers")
            n_shots = len(tags[video]) if video in tags else None
            bad = [s for s in shots if s < 1 or (n_shots is not None and s > n_shots)]
            if bad:
                raise DataError(
                    f"{pred}: video {video!r}, query {q!r}: shot number {bad[0]} outside "
                    f"1..{n_shots if n_shots is not None else 'N'} (shot numbers are 1-based)"
                )
            preds[video][q] = [s - 1 for s in shots]
    res = evaluate_qfvs(preds, tags, refs, source=str(pred))
    rows = [
        (v, f"P {m['precision']:.4f}  R {m['recall']:.4f}  F1 {m['f1']:.4f}")
        for v, m in res["per_video"].items()
    ]
    rows.append(("mean over videos", f"P {res['precision']:.4f}  R {res['recall']:.4f}  F1 {res['f1']:.4f}"))
    _table(f"QFVS semantic F1 (reference: {reference})", rows, ("video", "scores"))
    _write(
        "qfvs",
        _Dest(output, seed, selection_rule),
        res,
        dataset="qfvs",
        split="leave-one-video-out test videos",
        reference=reference,
    )
