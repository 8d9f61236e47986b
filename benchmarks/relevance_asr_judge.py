"""Reading errors in the speech channel: a ceiling from the true narration, and two transcripts as units.

Used by ``bench_relevance.py --asr-judge`` on the fit half only (``ASR_RULE``):

- *ceiling* (diagnostic): the speech channel built from what each spoken part really says (its line, or
  each sentence of a section part over its share of the part by characters, ``SENTENCE_GAP`` apart),
  with the product's speech windows and equation 3 unchanged: how much of the gap the transcript's
  reading errors explain;
- *tiny.en+base*: every utterance of the tiny.en transcript and of the Whisper base transcript (and each
  transcript's own speech windows) is a unit of the speech channel; a moment takes the largest over the
  units covering it, and ``n_c`` counts the runs of the joined timeline (``evidence_units``), as the
  summarizer counts them;
- *reread k=3*: the shipped channel, except that each query's ``REREAD_TOP`` best tiny.en utterances are
  read again by Whisper base on their own audio, each taking the larger of its two readings' equation 3.

Each is compared with the shipped speech channel (tiny.en and its windows) on the paraphrase-vs-absent
AUC (paired bootstrap gain), the decoy AUC, the CV cost with constants refitted by ``CV_RULE`` and the
match figures (hit@1, no-match) under the shipped and the refitted constants.

    python benchmarks/bench_relevance.py --asr-judge
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

#: how ``--asr-judge`` decides whether the two-transcript speech channel is kept (printed with its table)
ASR_RULE = (
    "fit half only; baseline = the shipped speech channel (tiny.en utterances and their windows, n_c the "
    "runs of its timeline, CV cost recomputed in the same run); 'tiny.en+base' = utterances of both "
    "transcripts and each transcript's own windows as units (max per moment, n_c the runs of the joined "
    "timeline), constants refitted by CV_RULE (5 folds); kept only if (a) the paired 95% bootstrap "
    "interval of the AUC gain (paraphrase best in its part vs absent best) lies above 0, (b) the decoy AUC "
    "does not fall, (c) its CV cost is lower than the baseline's, (d) spoken word-sharing hit@1 with its "
    "refitted constants does not fall; 'reread k=3' = the shipped channel with each query's 3 best tiny.en "
    "utterances read again by base (beam 5, English, 0.3 s of audio each side), each taking the larger of "
    "its two readings' eq. 3 over its own span, judged by the same (a)-(d)"
)
#: the second speech model whose transcript joins tiny.en's
SECOND_MODEL = "base"
#: silence (s) the ceiling puts between the sentences of a section part (as relevance_devset reads them)
SENTENCE_GAP = 0.4


def second_transcript(video: dict[str, Any], workdir: Path, model: str = SECOND_MODEL) -> list[Any]:
    """The speech spans ``model`` hears in ``video`` (``media.speech.transcribe`` as the summarizer calls
    it), cached beside the video as JSON (keyed by the model and ``evidence_fingerprint``)."""
    from relevance_core import evidence_fingerprint

    from vidgist.types import TextSpan

    cache = workdir / f"{Path(video['path']).stem}.speech-{model}.{evidence_fingerprint()}.json"
    if cache.exists():
        return [TextSpan(**s) for s in json.loads(cache.read_text())]
    from vidgist.media import video as vio
    from vidgist.media.speech import transcribe

    audio = vio.extract_audio(video["path"])
    spans = [] if audio is None or not audio.size else transcribe(audio, model=model)
    cache.write_text(json.dumps([asdict(s) for s in spans]))
    return spans


def true_spans(video: dict[str, Any]) -> list[Any]:
    """What each spoken part of ``video`` really says, as speech spans: a one-sentence part's line over its
    part less ``SPEECH_AT`` each side; a section part's sentences over its said span, each a share in
    proportion to its characters, ``SENTENCE_GAP`` apart."""
    from relevance_devset import SPEECH_AT

    from vidgist.types import TextSpan

    out = []
    for p in video["parts"]:
        if p["kind"] != "speech":
            continue
        lo, hi = p.get("said", p["span"])
        sentences = p.get("sentences")
        if not sentences:
            out.append(TextSpan(lo + SPEECH_AT, hi - SPEECH_AT, p["say"], "speech"))
            continue
        room = hi - lo - SENTENCE_GAP * (len(sentences) - 1)
        chars = float(sum(len(s) for s in sentences))
        pos = lo
        for s in sentences:
            length = room * len(s) / chars
            out.append(TextSpan(pos, pos + length, s, "speech"))
            pos += length + SENTENCE_GAP
    return out


#: ``reread``: how many of a query's best tiny.en utterances are read again, and the audio added each side
REREAD_TOP, REREAD_PAD = 3, 0.3
#: the variant whose speech channel is ``reread_channel``'s
REREAD = f"reread k={REREAD_TOP}"


def reread_texts(video: dict[str, Any], workdir: Path, spans: list[Any]) -> list[str]:
    """Each of ``spans`` (tiny.en utterances of ``video``) read again by Whisper base (beam 5, English) on
    its own audio, ``REREAD_PAD`` s each side; cached beside the video (keyed by ``evidence_fingerprint``)."""
    from relevance_core import evidence_fingerprint

    cache = workdir / f"{Path(video['path']).stem}.reread-{SECOND_MODEL}.{evidence_fingerprint()}.json"
    known = json.loads(cache.read_text()) if cache.exists() else {}
    keys = [f"{s.start:.3f}-{s.end:.3f}" for s in spans]
    if any(k not in known for k in keys):
        from vidgist.media import video as vio
        from vidgist.media.speech import SAMPLE_RATE, transcribe

        audio = vio.extract_audio(video["path"])
        for key, s in zip(keys, spans, strict=True):
            if key not in known:
                lo = max(0, int((s.start - REREAD_PAD) * SAMPLE_RATE))
                clip = audio[lo : int((s.end + REREAD_PAD) * SAMPLE_RATE)]
                heard = transcribe(clip, model=SECOND_MODEL, language="en")
                known[key] = " ".join(h.text.strip() for h in heard).strip()
        cache.write_text(json.dumps(known))
    return [known[k] for k in keys]


def span_values(texts: list[str], spans: list[Any], queries: list[str], backbone: Any) -> np.ndarray:
    """Equation 3 without ``b(q)`` of each text (the text of ``spans``' unit), (n_spans, n_queries)."""
    from dataclasses import replace

    from vidgist.scorers.zero_shot import ZeroShotWeights, mention_rows, relevance_encoder, span_similarity

    encode = relevance_encoder(backbone)
    e, q = np.asarray(encode(texts)), np.asarray(encode(queries))
    units = [replace(s, text=t) for s, t in zip(spans, texts, strict=True)]
    return span_similarity(
        e @ q.T, mention_rows(units, queries, exact=True), queries, ZeroShotWeights().exact_mention
    )


def reread_channel(
    video: dict[str, Any],
    workdir: Path,
    spans: list[Any],
    queries: list[str],
    backbone: Any,
    times: np.ndarray,
) -> np.ndarray:
    """The speech channel with each query's ``REREAD_TOP`` best utterances read again (``reread_texts``):
    such an utterance takes the larger of its two readings' eq. 3 for that query, over its own time span;
    the speech windows keep the tiny.en text."""
    from vidgist.scorers.zero_shot import moment_values
    from vidgist.summarize.relevance import speech_windows, text_baseline, unit_similarities

    said = sorted((s for s in spans if s.source == "speech" and s.text.strip()), key=lambda s: s.start)
    vals = span_values([s.text for s in said], said, queries, backbone)
    again = reread_texts(video, workdir, said)
    heard = [i for i, t in enumerate(again) if t]
    if heard:
        alt = span_values([again[i] for i in heard], [said[i] for i in heard], queries, backbone)
        for j in range(len(queries)):
            top = set(np.argsort(-vals[:, j], kind="stable")[:REREAD_TOP].tolist())
            for row, i in enumerate(heard):
                if i in top:
                    vals[i, j] = max(vals[i, j], alt[row, j])
    x = moment_values(times, said, vals)
    wins = speech_windows(said)
    if wins:
        x = np.fmax(x, unit_similarities(wins, queries, backbone, times))
    return x - text_baseline(queries, backbone)[:, None]


def speech_channel(
    transcripts: list[list[Any]], queries: list[str], backbone: Any, times: np.ndarray
) -> np.ndarray:
    """Equation 3 of the speech channel (n_queries, n_moments; NaN where no unit covers a moment) with the
    utterances of every transcript and each transcript's own speech windows as units: a moment takes the
    largest value over the units covering it."""
    from vidgist.summarize.relevance import speech_windows, text_baseline, unit_similarities

    units = []
    for spans in transcripts:
        said = [s for s in spans if s.source == "speech" and s.text.strip()]
        units += said + speech_windows(said)
    x = unit_similarities(units, queries, backbone, times)
    return x - text_baseline(queries, backbone)[:, None]


def talk_with_speech(
    summarizer: Any, video: dict[str, Any], workdir: Path, transcripts: list[list[Any]] | str | None
) -> dict[str, Any]:
    """``channel_values`` of one talk (the shipped channels), its speech channel rebuilt from
    ``transcripts`` (None: left as shipped; ``REREAD``: ``reread_channel``) and every query's ``n_c``
    recounted on it (``evidence_units`` of that query's row, as the summarizer counts them)."""
    from relevance_core import channel_values, evidence_for

    from vidgist.summarize.relevance import evidence_units

    talk = channel_values(summarizer, video, workdir)
    if transcripts is None:
        return talk
    ev, _, _ = evidence_for(summarizer, video, workdir)
    queries = [q["query"] for q in talk["queries"]]
    if transcripts == REREAD:
        spans = [s for s in ev.spans if s.source == "speech"]
        talk["channels"]["speech"] = reread_channel(
            video, workdir, spans, queries, summarizer.backbone, talk["times"]
        )
    else:
        talk["channels"]["speech"] = speech_channel(transcripts, queries, summarizer.backbone, talk["times"])
    ch, t = talk["channels"], talk["times"]
    talk["units"] = [
        evidence_units(t, {c: x[i : i + 1] for c, x in ch.items()}, ev.info.duration)
        for i in range(len(queries))
    ]
    return talk


def relevance_row(talk: dict[str, Any], i: int, table: dict[str, Any]) -> np.ndarray:
    """Query ``i``'s calibrated relevance over the talk's moments under ``table`` ({channel:
    Calibration}): steps 1-3 of relevance's docstring (max over channels, no evidence = 0, spread)."""
    from vidgist.summarize.relevance import spread

    r = np.zeros(len(talk["times"]))
    for name, x in talk["channels"].items():
        cal = table.get(name)
        if cal is None:
            continue
        curve = cal.logistic(talk["units"][i][name])
        r = np.maximum(r, np.where(np.isnan(x[i]), 0.0, curve(np.nan_to_num(x[i], nan=-1.0))))
    return spread(talk["times"], r[None, :])[0]


def match_figures(talks: list[dict[str, Any]], table: dict[str, Any]) -> dict[str, Any]:
    """hit@1 (the top moment lies in the named part) and no-match per group: spoken and captioned
    paraphrases, spoken paraphrases, spoken word-sharing queries; no-match of absent queries and decoys."""
    from relevance_cv import matched

    got: dict[str, dict[str, list[float]]] = {}
    for talk in talks:
        t = talk["times"]
        for i, q in enumerate(talk["queries"]):
            groups = _groups(q)
            if not groups:
                continue
            row = {"no_match": float(not matched(talk, i, table))}
            if q["span"] is not None:
                top = float(t[int(np.argmax(relevance_row(talk, i, table)))])
                row["hit"] = float(q["span"][0] <= top < q["span"][1])
            for g in groups:
                for key, v in row.items():
                    got.setdefault(g, {}).setdefault(key, []).append(v)
    return {
        g: {key: round(float(np.mean(v)), 3) for key, v in vals.items()} | {"n": len(vals["no_match"])}
        for g, vals in got.items()
    }


def _groups(q: dict[str, Any]) -> list[str]:
    if q["kind"] in ("absent", "decoy"):
        return [q["kind"]]
    if q["kind"] not in ("speech", "caption"):
        return []
    if q["paraphrase"]:
        return ["paraphrase", "spoken paraphrase"] if q["kind"] == "speech" else ["paraphrase"]
    return ["spoken word-sharing"] if q["kind"] == "speech" else []


def table_of(constants: dict[str, Any]) -> dict[str, Any]:
    """{channel: Calibration} of ``cross_validate``'s refitted constants."""
    from vidgist.summarize.relevance import Calibration

    return {n: Calibration(v["slope"], v["mu"], v["sigma"], v["alpha"]) for n, v in constants.items()}


def variant_row(talks: list[dict[str, Any]], k: int) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """One variant's figures on the fit half's ``talks``: AUCs, CV choice and costs, match figures with
    the shipped and with the refitted constants; and its pooled bests (``talk_bests``)."""
    from relevance_core import pooled_bests
    from relevance_cv import cross_validate
    from relevance_learned import auc

    from vidgist.summarize.relevance import CALIBRATION

    b = pooled_bests(talks)
    cv = cross_validate(talks, k)
    row = {
        "auc": round(auc(b["paraphrase"], b["absent"]), 3),
        "decoy_auc": round(auc(b["paraphrase"], b["decoy"]), 3),
        "cv_cost": cv["chosen"]["cv_cost"],
        "in_sample_cost": cv["chosen"]["in_sample_cost"],
        "alphas": [cv["chosen"]["text_alpha"], cv["chosen"]["visual_alpha"]],
        "constants": cv["constants"],
        "shipped": match_figures(talks, CALIBRATION["bridge"]),
        "refitted": match_figures(talks, table_of(cv["constants"])),
        "fold_auc": fold_aucs(talks),
    }
    return row, b


#: disjoint folds of the fit half's talks (talk k, k + FOLDS, ... in name order) the AUC is also given on
FOLDS = 3


def fold_aucs(talks: list[dict[str, Any]]) -> list[float]:
    """The paraphrase-vs-absent AUC on each of ``FOLDS`` disjoint folds of ``talks`` (in name order)."""
    from relevance_core import pooled_bests
    from relevance_learned import auc

    order = sorted(talks, key=lambda t: t["name"])
    folds = [pooled_bests(order[f::FOLDS]) for f in range(FOLDS)]
    return [round(auc(b["paraphrase"], b["absent"]), 3) for b in folds]


def transcripts_of(
    variant: str, summarizer: Any, video: dict[str, Any], workdir: Path
) -> list[list[Any]] | str | None:
    """The transcripts whose utterances form ``variant``'s speech channel (None: the shipped channel;
    ``REREAD``: the shipped one with each query's best utterances read again)."""
    from relevance_core import evidence_for

    if variant == "tiny.en (shipped)":
        return None
    if variant == REREAD:
        return REREAD
    if variant == "true text (ceiling)":
        return [true_spans(video)]
    second = second_transcript(video, workdir)
    if variant == SECOND_MODEL:
        return [second]
    ev, _, _ = evidence_for(summarizer, video, workdir)
    return [[s for s in ev.spans if s.source == "speech"], second]


#: the variants ``judge_asr`` measures; only those of JUDGED are decided by ``ASR_RULE`` (the others:
#: information)
VARIANTS = ("tiny.en (shipped)", "tiny.en+base", "base", "true text (ceiling)", REREAD)
JUDGED = ("tiny.en+base", REREAD)


def kept(row: dict[str, Any], first: dict[str, Any]) -> bool:
    """``ASR_RULE``'s conditions (a)-(d) for a variant's ``row`` against the shipped channel's ``first``."""
    ws = "spoken word-sharing"
    return bool(
        row["gain_95"][0] > 0
        and row["decoy_gain"] >= 0
        and row["cv_cost"] < first["cv_cost"] - 1e-9
        and row["refitted"][ws]["hit"] >= first["refitted"][ws]["hit"]
    )


def judge_asr(summarizer: Any, spec: list[dict[str, Any]], workdir: Path, k: int = 5) -> dict[str, Any]:
    """``ASR_RULE`` on the fit half, with the ceiling and base alone beside it: per variant the AUCs, the
    paired gain over the shipped channel, the CV cost and the match figures; prints the table and the
    decision."""
    from relevance_core import print_rows
    from relevance_learned import paired_gain

    fit_half = [v for v in spec if v["split"] == "fit"]
    out: dict[str, Any] = {}
    base: dict[str, np.ndarray] = {}
    for variant in VARIANTS:
        started = time.perf_counter()
        talks = [
            talk_with_speech(summarizer, v, workdir, transcripts_of(variant, summarizer, v, workdir))
            for v in fit_half
        ]
        row, b = variant_row(talks, k)
        if not base:
            base = b
        else:
            row["gain_95"] = paired_gain((b["paraphrase"], b["absent"]), (base["paraphrase"], base["absent"]))
            row["decoy_gain"] = round(row["decoy_auc"] - out[VARIANTS[0]]["decoy_auc"], 3)
            row["lifted_paraphrases"] = int((b["paraphrase"] > base["paraphrase"] + 1e-9).sum())
            row["lifted_absent"] = int((b["absent"] > base["absent"] + 1e-9).sum())
        row["seconds"] = round(time.perf_counter() - started, 1)
        out[variant] = row
    for name in JUDGED:
        out[name]["kept"] = kept(out[name], out[VARIANTS[0]])
    print_rows(out, ("auc", "decoy_auc", "gain_95", "cv_cost", "in_sample_cost", "alphas"))
    print_rows(out, ("fold_auc", "lifted_paraphrases", "lifted_absent", "seconds"))
    for consts in ("shipped", "refitted"):
        print(f"\nmatch figures, {consts} constants (hit@1 / no-match; n)")
        for variant, row in out.items():
            cells = [f"{g}: {v.get('hit', '-')} / {v['no_match']} ({v['n']})" for g, v in row[consts].items()]
            print(f"  {variant:22s} " + "; ".join(cells))
    print(f"rule: {ASR_RULE}")
    for name in JUDGED:
        print(f"-> {name} kept: {out[name]['kept']}")
    return out


def write_judged(summarizer: Any, spec: list[dict[str, Any]], workdir: Path, started: float) -> None:
    """``--asr-judge``: ``judge_asr``, then its figures to ``relevance_asr_judge.json``."""
    from results_io import write_results

    out = judge_asr(summarizer, spec, workdir)
    slim = {n: {k: v[k] for k in v if k != "constants"} for n, v in out.items()}
    write_results(
        "relevance_asr_judge",
        slim,
        config={"rule": ASR_RULE, "second_model": SECOND_MODEL, "talks": "fit half"},
        wall_s=time.perf_counter() - started,
    )
    print(
        json.dumps({n: {k: v.get(k) for k in ("auc", "gain_95", "cv_cost", "kept")} for n, v in slim.items()})
    )
