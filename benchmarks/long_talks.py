"""Chapters of lecture-length videos whose sections last 2 to 12 minutes, built from the talks dev set.

Usage: python benchmarks/long_talks.py [--regenerations 0,1] [--half fit|held-out|both]

Six lectures per regeneration of ``benchmarks/talks_devset.py``, each the talks' videos (made by
``bench_generic.py``'s generator, kept in ``/tmp/vidgist-devset-talks[-rK]``) joined end to end
(re-encoded at 8 frames a second), so a lecture changes voice where a talk ends (the chapter rule reads
only the words). Three are built from the fit half's talks, three from the held-out half's (``--half``; rules
are changed on the fit lectures only):

- ``*_talks``: eight talks, each one section of 2.4-5 minutes (26-34 minutes);
- ``*_themes``: four sections of 6-12 minutes, each two to five talks on one theme (house, hobbies,
  animals, science, ...; 35-40 minutes);
- ``*_all``: every talk of the half, each one section of 1-5 minutes (fit: 26 talks, about 63 minutes;
  held-out: 19 talks, about 44 minutes).

A lecture has sections at two or three levels (the lecture's own, the talks' joins inside a theme, every
talk's own sections); a chapter boundary is right when it falls on any of them. Per lecture: the number of
chapters against the lecture's sections and against all section starts, the share of the lecture's own
boundaries found within 3 s and within 10 s (recall), the share of chapter boundaries within 3 s and
within 10 s of any level's section start (precision), boundary F1 (3 s) against the lecture's own sections
with the number of sections given (``--chapter-count``), the share of the lecture's own sections the 15%
summary touches (coverage), and the seconds of the chapter and summary stage
on collected evidence (``Summarizer.summarize_evidence``) and of the evidence itself.
Writes ``benchmarks/results/long_talks_HALF.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


import talks_devset  # noqa: E402  (benchmarks/ on the path above)


def _one_talk_each(*names: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((name.replace("_", " ").capitalize(), (name,)) for name in names)


#: lecture name -> (half of the talks it is built from, sections: (title, talks))
LECTURES: dict[str, tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]] = {
    "fit_talks": (
        "fit",
        _one_talk_each(
            "roman_history",
            "vegetable_garden",
            "aquarium_basics",
            "electric_car",
            "craft_hobbies",
            "great_explorers",
            "home_repairs",
            "laundry_day",
        ),
    ),
    "fit_themes": (
        "fit",
        (
            ("Home", ("home_network", "household_budget", "moving_house", "laundry_day", "home_repairs")),
            ("Hobbies", ("photography", "woodworking", "board_games", "craft_hobbies", "language_learning")),
            ("Outdoors", ("weather", "camping_trip", "vegetable_garden")),
            ("The past", ("roman_history", "great_explorers")),
        ),
    ),
    "fit_all": ("fit", _one_talk_each(*talks_devset.FIT)),
    "held_out_talks": (
        "held-out",
        _one_talk_each(
            "insects",
            "stargazing",
            "sleep_science",
            "natural_hazards",
            "olympic_sports",
            "inventions",
            "recycling_guide",
            "city_walk",
        ),
    ),
    "held_out_themes": (
        "held-out",
        (
            ("Animals", ("dog_training", "beekeeping", "birdwatching", "insects")),
            ("Science", ("software_testing", "inventions", "sleep_science", "stargazing")),
            ("Travel and culture", ("japan_travel", "city_walk", "world_festivals", "olympic_sports")),
            ("Around the home", ("car_care", "coffee_brewing", "home_workout", "recycling_guide")),
        ),
    ),
    "held_out_all": ("held-out", _one_talk_each(*talks_devset.HELD_OUT)),
}
TOLERANCE = 3.0


def joined_lecture(
    name: str, sections: tuple[tuple[str, tuple[str, ...]], ...], regeneration: int
) -> tuple[Path, dict[str, Any]]:
    """The lecture's video (made once beside the talks) and its truth: ``sections`` (the lecture's own),
    ``starts`` (every level's section start), ``duration``."""
    import bench_generic
    import imageio_ffmpeg
    import lecturegen

    folder = bench_generic.talks_folder(regeneration)
    specs = {s.name: s for s in bench_generic.talk_specs((), regeneration)}
    talks = {n: lecturegen.cached_talk(folder, specs[n]) for _, names in sections for n in names}
    offset, own, starts, parts = 0.0, [], set(), []
    for title, names in sections:
        own.append({"start": round(offset, 3), "title": title})
        for n in names:
            video, truth = talks[n]
            parts.append(video)
            starts.update(round(offset + x["start"], 3) for x in truth["sections"])
            offset += _duration(video)
    for a, b in zip(own, [*own[1:], {"start": offset}], strict=False):
        a["end"] = b["start"]
    key = hashlib.sha256(json.dumps([name, sections]).encode()).hexdigest()[:12]
    out = folder / "long" / f"{name}.{key}.mp4"
    if not out.is_file():
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.stem + ".tmp.mp4")
        # the talks' video time bases differ: each part is retimed to 8 frames a second, then joined
        inputs = [arg for p in parts for arg in ("-i", str(p))]
        chains = "".join(
            f"[{i}:v]fps=8,setpts=PTS-STARTPTS[v{i}];[{i}:a]asetpts=PTS-STARTPTS[a{i}];"
            for i in range(len(parts))
        )
        joined = "".join(f"[v{i}][a{i}]" for i in range(len(parts))) + f"concat=n={len(parts)}:v=1:a=1[v][a]"
        codec = ["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "64k"]
        subprocess.run(
            [
                imageio_ffmpeg.get_ffmpeg_exe(),
                "-v",
                "error",
                "-y",
                *inputs,
                "-filter_complex",
                chains + joined,
                "-map",
                "[v]",
                "-map",
                "[a]",
            ]
            + [*codec, str(tmp)],
            check=True,
        )
        tmp.replace(out)
    truth = {"sections": own, "starts": sorted(starts), "duration": offset, "key": key}
    return out, truth


def _duration(video: Path) -> float:
    """The container's duration in seconds (PyAV; what ``ffprobe -show_entries format=duration`` says)."""
    import av

    with av.open(str(video)) as container:
        return float(container.duration) / av.time_base


def lecture_figures(chapters: list[float], truth: dict[str, Any]) -> dict[str, Any]:
    """Recall of the lecture's own boundaries (3 s, 10 s), precision against every level (3 s)."""
    own = [x["start"] for x in truth["sections"][1:]]
    every = [t for t in truth["starts"] if t > 0]
    found = chapters[1:]

    def near(t: float, ts: list[float], tol: float) -> bool:
        return any(abs(t - u) <= tol for u in ts)

    return {
        "n_sections": len(truth["sections"]),
        "n_section_starts": len(truth["starts"]),
        "n_chapters": len(chapters),
        "recall_3s": sum(near(t, found, TOLERANCE) for t in own) / max(1, len(own)),
        "recall_10s": sum(near(t, found, 10.0) for t in own) / max(1, len(own)),
        "precision_any_level_3s": sum(near(t, every, TOLERANCE) for t in found) / max(1, len(found)),
        "precision_any_level_10s": sum(near(t, every, 10.0) for t in found) / max(1, len(found)),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--regenerations", default="0,1")
    ap.add_argument("--half", default="fit", choices=("fit", "held-out", "both"))
    ap.add_argument(
        "--topic-params",
        default="",
        help="comma-separated TopicParams changes for a comparison run, e.g. reference_seconds=null",
    )
    args = ap.parse_args()

    import bench_generic
    from results_io import write_results

    from vidgist.eval.chapters import boundary_f1, section_coverage
    from vidgist.summarize.pipeline import Summarizer

    t0 = time.perf_counter()
    changes = dict(kv.split("=", 1) for kv in args.topic_params.split(",") if kv)
    if changes:
        bench_generic.use_topic_params(**{k: json.loads(v.lower()) for k, v in changes.items()})
    s = Summarizer(backbone="offline", ocr=False, asr_model="tiny.en", progress=False)
    rows = []
    for k in (int(x) for x in args.regenerations.split(",")):
        for name, (half, sections) in LECTURES.items():
            if args.half != "both" and half != args.half:
                continue
            video, truth = joined_lecture(name, sections, k)
            clock = time.perf_counter()
            evidence, fps, thumbs = bench_generic.evidence_of(s, video, truth, video.parent / "evidence")
            evidence_s = time.perf_counter() - clock
            clock = time.perf_counter()
            r = s.summarize_evidence(evidence, fps, thumbs, None, 0.15)
            stage_s = time.perf_counter() - clock
            n = len(truth["sections"])
            given = s.summarize_evidence(evidence, fps, thumbs, None, 0.15, chapter_count=n)
            assert r.chapters is not None and given.chapters is not None
            starts = [c.start for c in r.chapters.chapters]
            row = {
                "name": name,
                "half": half,
                "regeneration": k,
                "duration_min": round(truth["duration"] / 60, 1),
            }
            row.update(lecture_figures(starts, truth))
            own = [x["start"] for x in truth["sections"][1:]]
            row["f1_3s_count_given"] = boundary_f1(
                [c.start for c in given.chapters.chapters][1:], own, TOLERANCE
            )[2]
            row["coverage"] = section_coverage(
                [(g.start, g.end) for g in r.segments], [(x["start"], x["end"]) for x in truth["sections"]]
            )
            row.update({"chapter_stage_s": round(stage_s, 1), "evidence_s": round(evidence_s, 1)})
            row["chapters"] = [[round(c.start, 1), c.title] for c in r.chapters.chapters]
            row["truth"] = [[x["start"], x["title"]] for x in truth["sections"]]
            rows.append(row)
            print(
                f"r{k} {name:<18} {row['duration_min']:>5} min  sections {n:>2} (all levels "
                f"{row['n_section_starts']:>3})  chapters {row['n_chapters']:>3}  recall@3s "
                f"{row['recall_3s']:.2f} @10s {row['recall_10s']:.2f}  precision(any level)@3s "
                f"{row['precision_any_level_3s']:.2f} @10s {row['precision_any_level_10s']:.2f}  "
                f"F1@3s, count given {row['f1_3s_count_given']:.2f}  coverage {row['coverage']:.2f}  "
                f"stage {stage_s:.1f} s  evidence {evidence_s:.0f} s",
                flush=True,
            )
    config = {"budget": 0.15, "backbone": "offline", "asr": "tiny.en", "tolerance_s": TOLERANCE}
    config["lectures"] = {n: [[t, list(v)] for t, v in secs] for n, (_, secs) in LECTURES.items()}
    wall = time.perf_counter() - t0
    config["topic_params_changed"] = args.topic_params
    suffix = "_" + args.topic_params.replace("=", "_").replace(",", "_") if args.topic_params else ""
    write_results(
        f"long_talks_{args.half.replace('-', '_')}{suffix}",
        {"lectures": rows},
        seeds=[int(x) for x in args.regenerations.split(",")],
        config=config,
        wall_s=wall,
    )
    print(json.dumps({"wall_s": round(wall, 1)}))


if __name__ == "__main__":
    main()
