"""Build the relevance development set: 12 composite videos, 3 labelled parts each, plus absent queries.

Each video is three 6-second parts at 320x180, 10 fps: one *spoken* part (an espeak-ng sentence over a
real clip), one *captioned* part (big on-screen text over a real clip, shrunk to fit the frame) and one
purely *visual* part (a real clip, no speech, no text). Every part has its own query (naming what is
said, written or shown), and each video has six *absent* queries that name nothing in it. Clips are cut
from ../shared/videos at offsets the tests do not use (the narrated demo itself is not used). Part order
and backgrounds rotate from video to video. Videos are cached (never committed) in ``--out`` (default
/tmp/vidgist-relevance-devset) with ``devset.json`` holding the truth.

    python benchmarks/relevance_devset.py [--out DIR]

Videos 0-7 are the *fit* half (the relevance constants in ``vidgist.summarize.relevance`` were fitted on
them), videos 8-11 the *held-out* half; ``bench_relevance.py`` reports both.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED_VIDEOS = REPO.parent / "shared" / "videos"
DEFAULT_OUT = Path("/tmp/vidgist-relevance-devset")
PART_SECONDS = 6.0
SIZE = (320, 180)
FPS = 10
N_FIT = 8
#: bumped whenever the videos change (names carry it, so a cache of older videos is not reused):
#: 2 = captions shrink to fit the frame (version 1 cut 8 of the 12 off at both edges, so OCR read
#: fragments such as "MMERSALE50%O")
VERSION = 2

#: (sentence spoken, query)
SPEECH = [
    ("Today we bake a chocolate cake with fresh strawberries.", "baking a chocolate cake"),
    ("The weather forecast says heavy rain will arrive on Sunday.", "rain in the weather forecast"),
    ("Our football team won the championship final last night.", "the football championship final"),
    ("Remember to water your tomato plants every morning.", "watering tomato plants"),
    ("The new electric car can drive five hundred kilometres on one charge.", "electric car range"),
    ("Scientists discovered a new species of frog in the rainforest.", "a new species of frog"),
    ("The museum opens an exhibition of paintings by Vincent van Gogh.", "van Gogh paintings exhibition"),
    ("Stock markets fell sharply after the bank raised interest rates.", "stock markets and interest rates"),
    ("Please fasten your seat belts, the plane is about to land.", "the plane is landing"),
    ("The guitar player tunes his strings before the concert begins.", "a guitar player before a concert"),
    ("Children build a snowman in the park after the first snowfall.", "children building a snowman"),
    ("The doctor explains how to treat a broken arm at home.", "how to treat a broken arm"),
]
#: (text on screen, query)
CAPTION = [
    ("SUMMER SALE 50% OFF", "summer sale discount"),
    ("BREAKING NEWS", "breaking news"),
    ("CHAPTER 2: THE HARBOUR", "the harbour chapter"),
    ("GAME OVER", "game over"),
    ("FLIGHT SCHEDULE", "flight schedule"),
    ("HOW TO TIE A KNOT", "tying a knot"),
    ("WELCOME TO PARIS", "welcome to Paris"),
    ("STEP 3: ADD FLOUR", "adding the flour"),
    ("ELECTION RESULTS", "election results"),
    ("STORM WARNING", "storm warning"),
    ("THANK YOU FOR WATCHING", "thank you for watching"),
    ("TOP 10 GOALS", "top ten goals"),
]
#: (clip, start seconds, query naming what is shown)
VISUAL = [
    ("bigbuckbunny_30s_360p.mp4", 8.0, "an animated cartoon forest with a stream"),
    ("chaplin_10s.mp4", 0.0, "an old black and white film"),
    ("city_8s_360p.mp4", 0.0, "skyscrapers lit up at night"),
    ("world_30s.mp4", 0.0, "the planet earth seen from space"),
    ("bikes_10s.mp4", 3.0, "a cyclist riding in city traffic"),
    ("bigbuckbunny_30s_360p.mp4", 14.0, "a cartoon bird sitting on a branch"),
    ("chaplin_10s.mp4", 3.0, "a man in a black and white silent movie"),
    ("city_8s_360p.mp4", 1.5, "tall office towers in a city at night"),
    ("world_30s.mp4", 12.0, "the globe turning in dark space"),
    ("bikes_10s.mp4", 0.0, "cars and a bicycle on a street"),
    ("bigbuckbunny_30s_360p.mp4", 21.0, "a big tree in a cartoon meadow"),
    ("world_30s.mp4", 20.0, "our planet from orbit"),
]
#: queries naming nothing in any video of the set
ABSENT = [
    "a horse race", "cooking pasta in a kitchen", "a wedding ceremony", "playing tennis",
    "a snake in the desert", "surgery in a hospital operating room", "a jazz saxophone solo",
    "a cat playing with yarn", "filling in tax forms", "a volcano erupting", "fishing on a lake",
    "ballet dancers on stage", "a chess tournament", "knitting a wool sweater", "a crowded sandy beach",
    "a birthday party with balloons", "making sushi", "a dentist appointment", "a submarine",
    "a herd of elephants", "a sewing machine", "ice skating", "a bowl of ramen noodles", "a lighthouse",
]
#: more of them: 4 more per video, so the no-match rate rests on 72 queries, not 24
ABSENT_MORE = [
    "a basketball game", "a dog catching a frisbee", "a pizza oven", "a tractor ploughing a field",
    "a baby laughing", "a yoga class", "scuba diving on a coral reef", "a violin lesson",
    "a farmer milking a cow", "a haircut at the barber", "a pottery wheel", "a tornado",
    "a marathon runner", "a woman doing her makeup", "a camel", "a penguin colony",
    "a fashion show runway", "a hot air balloon", "a school classroom", "soldiers marching",
    "a skateboard trick", "a spider web", "a goldfish in a bowl", "a rollercoaster ride",
    "a karaoke singer", "a tattoo artist", "a glass of red wine", "a library full of books",
    "a gym workout with weights", "a bee on a flower", "a helicopter rescue", "a church choir",
    "a table tennis match", "a boxing match", "a talking parrot", "a kangaroo jumping",
    "a microscope in a lab", "a coffee machine", "carving a pumpkin", "a train crossing a bridge",
    "a wolf howling", "folding an origami crane", "a vacuum cleaner", "washing the dishes",
    "a shark swimming", "a butterfly", "a lion hunting", "a tent at a campsite",
]
#: clips behind spoken and captioned parts: (clip, start)
BACKGROUNDS = [
    ("fire_2.mp4", 0.0), ("bikes_10s.mp4", 0.5), ("world_30s.mp4", 5.0), ("city_8s_360p.mp4", 0.5),
    ("chaplin_10s.mp4", 5.0), ("bigbuckbunny_30s_360p.mp4", 25.0),
]


def devset_spec() -> list[dict[str, Any]]:
    """The 12 videos: parts (kind, query, span, how to draw) and absent queries. Deterministic."""
    videos = []
    orders = [("speech", "caption", "visual"), ("visual", "speech", "caption"),
              ("caption", "visual", "speech"), ("speech", "visual", "caption")]
    for i in range(12):
        vis_clip = VISUAL[i][0]
        backs = [b for b in BACKGROUNDS if b[0] != vis_clip]
        b1, b2 = backs[i % len(backs)], backs[(i + 2) % len(backs)]
        parts = []
        for j, kind in enumerate(orders[i % len(orders)]):
            span = [j * PART_SECONDS, (j + 1) * PART_SECONDS]
            if kind == "speech":
                say, query = SPEECH[i]
                draw: dict[str, Any] = {"clip": b1, "say": say}
            elif kind == "caption":
                text, query = CAPTION[i]
                draw = {"clip": b2, "text": text}
            else:
                clip, start, query = VISUAL[i]
                draw = {"clip": (clip, start)}
            parts.append({"kind": kind, "query": query, "span": span, **draw})
        videos.append({"name": f"dev{i:02d}-v{VERSION}.mp4", "split": "fit" if i < N_FIT else "held-out",
                       "parts": parts,
                       "absent": ABSENT[2 * i: 2 * i + 2] + ABSENT_MORE[4 * i: 4 * i + 4]})
    return videos


def build(out: Path) -> list[dict[str, Any]]:
    """Write the videos (those missing) and devset.json into ``out``; return the spec with paths."""
    sys.path.insert(0, str(REPO / "tests"))
    from videogen import make_video

    out.mkdir(parents=True, exist_ok=True)
    spec = devset_spec()
    for v in spec:
        path = out / v["name"]
        v["path"] = str(path)
        if path.exists():
            continue
        parts = []
        for p in v["parts"]:
            clip, start = p["clip"]
            part: dict[str, Any] = {"duration": PART_SECONDS, "clip": (SHARED_VIDEOS / clip, start)}
            if "say" in p:
                part["say"] = p["say"]
            if "text" in p:
                part["text"] = p["text"]
                part["text_fit"] = True
            parts.append(part)
        tmp = path.with_suffix(".tmp.mp4")
        make_video(tmp, parts, fps=FPS, size=SIZE, sample_rate=22050)
        tmp.replace(path)
        print(f"wrote {path}", file=sys.stderr)
    (out / "devset.json").write_text(json.dumps(spec, indent=1))
    return spec


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    build(args.out)
    print(args.out / "devset.json")


if __name__ == "__main__":
    main()
