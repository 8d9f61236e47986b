"""Zero-shot query suggestions on the development set: top-1 vs Lead per language, and speed, in one run.

    python benchmarks/bench_qms_zero_shot.py [--videos DIR] [--asr-model base]

Builds the dev set (``make_qms_dev_set.py``: 12 English narrated + captioned clips, 6 Chinese captioned
clips, 3 reference queries each) plus two 30-s clips, then runs ONE command, ``vidgist query`` on the
18 dev clips and the two 30-s clips (20 videos, models loaded once), and ONE cold command on a 30-s clip
alone (process start and model loading included). It prints, per language, BLEU-4, ROUGE-L and CIDEr
(vidgist.eval.text: the coco-caption scorers; Chinese scored per character) of

- top-1: vidgist's first zero-shot suggestion;
- Lead: the first sentence of the transcript, else the first on-screen text line (what vidgist read);

and the wall and CPU seconds per clip of both commands (with the load average: on a shared machine
the wall time says more about the other processes than about vidgist). Selection rule: none (no model
is selected here; the phrase ranking's constants were set while developing on these clips, so these
are development figures).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_qms_dev_set import DEFAULT_OUT, SHARED_VIDEOS, build, load_items, make_captioned_clip  # noqa: E402

_SENTENCE_END = re.compile(r"(?<=[.!?\u3002\uff01\uff1f])\s*")


def lead(transcript: str, onscreen: list[str]) -> str:
    """The Lead baseline: the transcript's first sentence, else the first on-screen line, else ""."""
    for s in _SENTENCE_END.split(transcript.strip()):
        if s.strip():
            return s.strip()
    return onscreen[0] if onscreen else ""


def long_clips(out_dir: Path) -> list[Path]:
    """Two 30-s clips: one English item narrated then silent, one Chinese item's captions, both padded."""
    items = {i["id"]: i for i in load_items()}
    made = []
    pairs = (("en_paper_airplane", "world_30s.mp4"), ("zh_phone_battery", "bigbuckbunny_30s_360p.mp4"))
    for key, bg in pairs:
        it = items[key]
        path = out_dir / f"long30_{key}.mp4"
        if not path.is_file():
            make_captioned_clip(path, SHARED_VIDEOS / bg, [tuple(c) for c in it["captions"]], it.get("say"),
                                cjk=it["lang"] == "zh", min_seconds=30.0)
        made.append(path)
    return made


def run_query(paths: list[Path], asr_model: str) -> tuple[list[dict[str, Any]], float, float]:
    """``vidgist query PATHS --json`` in a new process: (JSON records, wall seconds, CPU seconds)."""
    cmd = [sys.executable, "-m", "vidgist", "query", *map(str, paths), "--json", "-n", "5",
           "--asr-model", asr_model]
    t0, c0 = time.perf_counter(), _child_cpu()
    out = subprocess.run(cmd, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t0, _child_cpu() - c0
    if out.returncode != 0:
        sys.exit(f"bench: vidgist query failed ({out.returncode}): {out.stderr.strip()[-800:]}")
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()], wall, cpu


def _child_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--videos", type=Path, default=DEFAULT_OUT, help="where the dev clips are built")
    ap.add_argument("--asr-model", default="base")
    ap.add_argument("--save", type=Path, help="also write the batch's JSON records here")
    args = ap.parse_args()
    from vidgist.eval.text import caption_scores

    dev = build(args.videos)
    longs = long_clips(args.videos)
    records, batch_wall, batch_cpu = run_query([p for _, p in dev] + longs, args.asr_model)
    by_path = {r["path"]: r for r in records}
    if args.save:
        args.save.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", "utf-8")
    _, cold_wall, cold_cpu = run_query(longs[:1], args.asr_model)

    n_en = sum(i["lang"] == "en" for i, _ in dev)
    print(f"dev set: {len(dev)} clips ({n_en} English, {len(dev) - n_en} Chinese), 3 reference queries each; "
          f"ASR {args.asr_model}")
    print(f"{'id':26s} {'lang':4s} {'top-1':34s} Lead")
    hyps: dict[str, dict[str, dict[str, str]]] = {"top-1": {"en": {}, "zh": {}}, "Lead": {"en": {}, "zh": {}}}
    refs: dict[str, dict[str, list[str]]] = {"en": {}, "zh": {}}
    wrong_lang = outside = 0
    for item, path in dev:
        r = by_path[str(path)]
        lang = item["lang"]
        top = r["suggestions"][0]["query"] if r["suggestions"] else ""
        hyps["top-1"][lang][item["id"]] = top
        hyps["Lead"][lang][item["id"]] = lead(r["transcript"], r["onscreen_text"])
        refs[lang][item["id"]] = item["refs"]
        wrong_lang += r["language"] != lang
        outside += lang == "en" and not 2 <= len(top.split()) <= 6
        print(f"{item['id']:26s} {r['language']:4s} {top:34s} {hyps['Lead'][lang][item['id']][:60]}")
    print(f"\nlanguage detected wrongly: {wrong_lang} of {len(dev)}; "
          f"English top-1 outside 2-6 words: {outside}")
    print(f"\n{'lang':4s} {'system':6s} {'BLEU-4':>7s} {'ROUGE-L':>8s} {'CIDEr':>7s}")
    for lang in ("en", "zh"):
        for system in ("top-1", "Lead"):
            s = caption_scores(hyps[system][lang], refs[lang], lang=lang)
            print(f"{lang:4s} {system:6s} {s['BLEU-4']:7.3f} {s['ROUGE-L']:8.3f} {s['CIDEr']:7.3f}")
    n = len(records)
    load = os.getloadavg()[0]
    print(f"\nspeed ({os.cpu_count()} cores, load average {load:.1f} at the end: other processes share them; "
          "CPU seconds bound the wall time of an idle machine from below by CPU/cores)")
    print(f"  one command on {n} clips (models loaded once): wall {batch_wall / n:.2f} s per clip, "
          f"CPU {batch_cpu / n:.2f} s per clip (target <= 1.5 s wall)")
    print(f"  one command on one 30-s clip, cold (process start + model loading): wall {cold_wall:.2f} s, "
          f"CPU {cold_cpu:.2f} s (target <= 2.5 s wall)")
    stages: dict[str, float] = {}
    for r in records:
        for k, v in r["seconds"].items():
            stages[k] = stages.get(k, 0.0) + v / n
    print("mean stage seconds per clip in the batch: " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))


if __name__ == "__main__":
    main()
