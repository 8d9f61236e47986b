"""A small development set for sentence windows: parts whose query names what several sentences say together.

Each talk (320x180, 10 fps) covers one everyday field in three *spoken* parts of 2-3 short sentences
(read one after another with 0.4 s between sentences, each at most 5.4 s as ``relevance_devset.speak``
fits it; 2.5 s of silence between parts; plain coloured background, no captions). Each part's query
*paraphrases* the part as a whole (a goal for a procedure, a category for a scene: no content word
shared with any of its sentences, as ``vidgist.scorers.zero_shot.content_words`` counts them), so no
single sentence says it. Three absent
queries per talk name other things of the same field. Voices alternate between festival's kal_diphone and
espeak-ng voices sentence by sentence. No frame comes from ../shared/videos (``footage()`` is empty).

Used only by ``bench_relevance.py --windows`` as a probe of whether window units have power where they are
meant to (every talk is "fit": nothing is fitted on it). Videos are cached in ``--out`` (default
/tmp/vidgist-relevance-windows) with ``devset.json``.

    python benchmarks/relevance_windows_devset.py [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from relevance_devset import BACKGROUNDS, FPS, SAMPLE_RATE, SIZE, is_paraphrase, speak  # noqa: E402

DEFAULT_OUT = Path("/tmp/vidgist-relevance-windows")
VERSION = 2
#: seconds of silence between sentences of one part, and between parts
SENTENCE_GAP = 0.4
PART_GAP = 2.5
VOICES = ("en-us", "en-gb", "en-us+m3", "en-gb-scotland")

#: per talk: field, three (sentences, query naming them together), three absent same-field queries
TALKS: list[dict[str, Any]] = [
    {
        "field": "car repair",
        "parts": [
            (
                [
                    "Loosen the nuts while the wheel is still on the ground.",
                    "Jack up the corner of the car.",
                    "Swap on the spare and tighten everything again.",
                ],
                "replacing a punctured tyre",
            ),
            (
                [
                    "Pop the bonnet and pull out the dipstick.",
                    "Wipe it clean, push it back and check the level.",
                ],
                "inspecting engine oil",
            ),
            (
                ["Clip the red lead onto the dead battery.", "Then start the other vehicle and let it run."],
                "jump starting a flat car",
            ),
        ],
        "absent": ["rotating the brake discs", "repainting a scratched door", "replacing windscreen wipers"],
    },
    {
        "field": "weather",
        "parts": [
            (
                [
                    "Showers will arrive early on Friday.",
                    "By the afternoon the sky clears and it turns warm.",
                ],
                "a forecast for later in the week",
            ),
            (
                [
                    "Rivers have burst their banks near the valley towns.",
                    "Residents are moving to higher streets.",
                ],
                "flooding after heavy rainfall",
            ),
            (
                [
                    "Gusts reached ninety miles an hour overnight.",
                    "Several roofs lost tiles and trees came down.",
                ],
                "damage from a violent gale",
            ),
        ],
        "absent": [
            "a heatwave alert for the coast",
            "thick fog at the airport",
            "hailstones on the motorway",
        ],
    },
    {
        "field": "gardening",
        "parts": [
            (
                [
                    "Dig a hole twice as wide as the roots.",
                    "Set the sapling in and firm the soil around it.",
                    "Water it well for the first month.",
                ],
                "planting a young tree",
            ),
            (
                ["Cut the old stems back to a healthy bud.", "Remove any dead or crossing branches."],
                "pruning rose bushes",
            ),
            (
                ["Throw kitchen peelings and grass clippings into a bin.", "Turn the heap every few weeks."],
                "making compost",
            ),
        ],
        "absent": ["sowing lettuce seeds", "laying new turf", "building a raised vegetable bed"],
    },
    {
        "field": "personal finance",
        "parts": [
            (
                ["Write down everything you spend for a month.", "Then set a limit for each category."],
                "creating a household budget",
            ),
            (
                ["Compare the rates of several lenders.", "Check the fees before you sign anything."],
                "shopping around for a mortgage",
            ),
            (
                [
                    "Pay off the card with the highest interest first.",
                    "Keep paying the minimum on the others.",
                ],
                "clearing credit debt",
            ),
        ],
        "absent": ["investing in index funds", "filing an insurance claim", "opening a pension account"],
    },
    {
        "field": "travel",
        "parts": [
            (
                [
                    "Arrive two hours before departure.",
                    "Drop your suitcase at the desk and go through security.",
                ],
                "checking in for a flight",
            ),
            (
                ["Roll your shirts instead of folding them.", "Put heavy shoes at the bottom of the bag."],
                "packing luggage efficiently",
            ),
            (
                ["Ask at the front desk for a map of the old town.", "Most museums are a short walk away."],
                "sightseeing in a historic city",
            ),
        ],
        "absent": ["renting a campervan", "booking a ski chalet", "getting a visa stamped"],
    },
    {
        "field": "fitness",
        "parts": [
            (
                ["Start with five minutes of easy jogging.", "Then swing your legs and circle your arms."],
                "warming up before exercise",
            ),
            (
                [
                    "Lie on the bench and lower the bar to your chest.",
                    "Push it up until your elbows are straight.",
                ],
                "a weightlifting routine",
            ),
            (
                [
                    "Drink a glass of water after the session.",
                    "Sleep well and rest the sore muscles for a day.",
                ],
                "recovering from a workout",
            ),
        ],
        "absent": ["a yoga class for beginners", "training for a marathon", "swimming laps at the pool"],
    },
    {
        "field": "home cleaning",
        "parts": [
            (
                [
                    "Spray the glass with a mix of vinegar and water.",
                    "Wipe it with newspaper until it shines.",
                ],
                "washing windows",
            ),
            (
                ["Sort the clothes by colour.", "Add a scoop of powder and pick a cool cycle."],
                "doing the laundry",
            ),
            (
                ["Scrub the tiles with an old toothbrush.", "Rinse the tub and leave the fan running."],
                "tidying a bathroom",
            ),
        ],
        "absent": ["shampooing a carpet", "defrosting a freezer", "polishing silver cutlery"],
    },
    {
        "field": "pets",
        "parts": [
            (
                [
                    "Fill the tank with water that has stood overnight.",
                    "Add a few plants before the fish go in.",
                ],
                "setting up an aquarium",
            ),
            (
                ["Brush the coat from head to tail.", "Trim the claws and clean inside the ears."],
                "grooming a dog",
            ),
            (
                [
                    "Give the kitten a quiet room with a litter tray.",
                    "Let it explore the rest of the house slowly.",
                ],
                "settling in a new cat",
            ),
        ],
        "absent": ["feeding a pet rabbit", "teaching a parrot to talk", "walking a puppy on a lead"],
    },
]


def footage() -> list[tuple[str, float, float]]:
    """No frame comes from ../shared/videos."""
    return []


def strings() -> list[str]:
    """Every sentence and query of the set."""
    out: list[str] = []
    for t in TALKS:
        for sentences, query in t["parts"]:
            out += [*sentences, query]
        out += t["absent"]
    return out


def devset_spec() -> list[dict[str, Any]]:
    """The talks: per part its sentences, voices, query and span (set when built), and absent queries."""
    videos = []
    k = 0
    for i, t in enumerate(TALKS):
        parts = []
        for sentences, query in t["parts"]:
            voices = []
            for _ in sentences:
                voices.append("festival" if k % 2 == 0 else VOICES[(k // 2) % len(VOICES)])
                k += 1
            said = " ".join(sentences)
            assert is_paraphrase(query, said), (query, said)
            parts.append(
                {
                    "kind": "speech",
                    "query": query,
                    "sentences": sentences,
                    "voices": voices,
                    "paraphrase": True,
                }
            )
        videos.append(
            {
                "name": f"win{i:02d}-v{VERSION}.mp4",
                "field": t["field"],
                "split": "fit",
                "parts": parts,
                "absent": list(t["absent"]),
                "decoys": [],
            }
        )
    return videos


def make_talk(path: Path, video: dict[str, Any], index: int) -> None:
    """Write one talk and set each part's ``span`` (its first sentence's start to its last one's end)."""
    pieces: list[np.ndarray] = [np.zeros(int(0.5 * SAMPLE_RATE), np.float32)]
    pos = 0.5
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for p in video["parts"]:
            start = pos
            for j, (sentence, voice) in enumerate(zip(p["sentences"], p["voices"], strict=True)):
                x = speak(sentence, voice, tmp)
                gap = SENTENCE_GAP if j + 1 < len(p["sentences"]) else PART_GAP
                pieces += [x, np.zeros(int(gap * SAMPLE_RATE), np.float32)]
                pos += x.size / SAMPLE_RATE + gap
            p["span"] = [round(start, 2), round(pos - PART_GAP, 2)]
        audio = np.concatenate(pieces)
        from scipy.io import wavfile

        wavfile.write(tmp / "audio.wav", SAMPLE_RATE, (np.clip(audio, -1, 1) * 32767).astype(np.int16))
        r, g, b = BACKGROUNDS[index % len(BACKGROUNDS)]
        picture = (
            f"color=c=0x{r:02x}{g:02x}{b:02x}:s={SIZE[0]}x{SIZE[1]}:r={FPS}:d={audio.size / SAMPLE_RATE:.2f}"
        )
        encode = "-c:v libx264 -preset veryfast -crf 26 -pix_fmt yuv420p -c:a aac -b:a 64k -shortest"
        cmd = [shutil.which("ffmpeg") or "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", picture]
        cmd += ["-i", str(tmp / "audio.wav"), *encode.split(), str(path)]
        subprocess.run(cmd, check=True)


def build(out: Path) -> list[dict[str, Any]]:
    """Make (once) every talk in ``out`` and return the spec with its spans and paths."""
    out.mkdir(parents=True, exist_ok=True)
    truth = out / "devset.json"
    if truth.exists():
        spec = json.loads(truth.read_text())
        if all(Path(v["path"]).exists() for v in spec) and len(spec) == len(TALKS):
            return spec
    spec = devset_spec()
    for i, v in enumerate(spec):
        v["path"] = str(out / v["name"])
        make_talk(Path(v["path"]), v, i)
    truth.write_text(json.dumps(spec, indent=1))
    return spec


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    for v in build(ap.parse_args().out):
        print(v["name"], [p["span"] for p in v["parts"]])


if __name__ == "__main__":
    main()
