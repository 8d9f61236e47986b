"""Build the relevance development set: 24 composite videos, 3 labelled parts each, plus absent queries.

Each video is three 6-second parts at 320x180, 10 fps: one *spoken* part (an espeak-ng sentence over a
real clip), one *captioned* part (big on-screen text over a real clip, shrunk to fit the frame) and one
purely *visual* part (no speech, no text). Every part has its own query (naming what is said, written or
shown), and each video has six *absent* queries that name nothing in it. Part order and backgrounds
rotate from video to video. Videos are cached (never committed) in ``--out`` (default
/tmp/vidgist-relevance-devset) with ``devset.json`` holding the truth.

- Videos 0-11 (the first set): visual parts are clips cut from ../shared/videos at offsets the tests do
  not use (the narrated demo itself is not used); only five distinct clips, so 12 visual queries.
- Videos 12-23 (the photo set, added because 12 visual queries could not decide the visual cut): each
  visual part is a real photograph shipped in the scikit-image wheel (``skimage/data``) or matplotlib's
  sample data, shown as a photo slideshow would (the whole photo over a blurred, darkened copy of itself,
  slowly zooming in). Queries were written from looking at the photographs, before any output.

    python benchmarks/relevance_devset.py [--out DIR]

The *fit* half is videos 0-7 and 12-19 (the relevance constants in ``vidgist.summarize.relevance`` are
fitted on them), the *held-out* half videos 8-11 and 20-23; ``bench_relevance.py`` reports both.
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
#: the photo set (videos 12-23): (photo, query naming what it shows). ``skimage:NAME`` is
#: ``skimage/data/NAME``, ``mpl:NAME`` matplotlib's ``sample_data/NAME``. The cat, coffee and horse
#: photos are not used: absent queries of the first set name them.
PHOTO_VISUAL = [
    ("skimage:astronaut.png", "an astronaut in an orange spacesuit"),
    ("skimage:camera.png", "a photographer with a camera on a tripod"),
    ("skimage:rocket.jpg", "a rocket on the launch pad"),
    ("skimage:moon.png", "craters on the surface of the moon"),
    ("skimage:hubble_deep_field.jpg", "thousands of galaxies in deep space"),
    ("skimage:coins.png", "a collection of old coins"),
    ("skimage:brick.png", "a brick wall"),
    ("skimage:motorcycle_left.png", "a red motorbike parked in a garage"),
    ("skimage:retina.jpg", "a medical image of the retina of an eye"),
    ("mpl:grace_hopper.jpg", "an old woman in a navy uniform"),
    ("skimage:grass.png", "a close-up of blades of grass"),
    ("skimage:color.png", "a rainbow colour wheel"),
]
PHOTO_SPEECH = [
    ("Tomorrow the city library will host a free workshop on writing poetry.", "a poetry writing workshop"),
    ("The chef recommends slicing the onions very thin before frying them.", "slicing onions for frying"),
    ("Our hiking group reached the top of the hill just before sunrise.", "hiking to the top at sunrise"),
    ("The plumber fixed the leaking pipe under the kitchen sink.", "fixing a leaking pipe"),
    ("Remember to back up your computer files every week.", "backing up computer files"),
    (
        "The price of bread went up again because of a poor wheat harvest.",
        "bread prices and the wheat harvest",
    ),
    ("The new smartphone has a larger battery and a brighter screen.", "new smartphone battery"),
    ("Learning a second language is easier when you practise every day.", "learning a second language"),
    ("The city council approved a new public swimming pool.", "a new public swimming pool"),
    ("Drink plenty of water during the summer heat wave.", "drinking water in a heat wave"),
    ("The police arrested two men for stealing jewellery from a shop.", "jewellery theft arrests"),
    ("Volunteers cleaned up plastic waste along the river bank.", "cleaning plastic waste from a river"),
]
PHOTO_CAPTION = [
    ("LIVE CONCERT TONIGHT", "live concert tonight"),
    ("SUBSCRIBE NOW", "subscribe now"),
    ("OPEN 24 HOURS", "open 24 hours"),
    ("FINAL EXAM TIPS", "tips for the final exam"),
    ("FREE SHIPPING", "free shipping offer"),
    ("LESSON 1: BASIC CHORDS", "first lesson basic chords"),
    ("NEW HIGH SCORE", "new high score"),
    ("ROAD CLOSED AHEAD", "road closed"),
    ("HAPPY NEW YEAR", "happy new year"),
    ("WORLD CUP HIGHLIGHTS", "world cup highlights"),
    ("RECIPE: PANCAKES", "pancake recipe"),
    ("SOLD OUT", "tickets sold out"),
]
#: absent queries of the photo set: 6 per video, naming nothing in any video of the set
PHOTO_ABSENT = [
    "a rugby scrum",
    "a peacock spreading its feathers",
    "a blacksmith hammering iron",
    "a sailing yacht",
    "a waterfall in the jungle",
    "a man shaving his beard",
    "a flock of sheep",
    "a grand piano recital",
    "a bowling alley",
    "a crocodile in a river",
    "a hamburger with fries",
    "a wind turbine farm",
    "a ferris wheel at a fair",
    "a police car chase",
    "a toddler taking first steps",
    "an ice hockey goal",
    "a lumberjack chopping wood",
    "a ceramic teapot",
    "a golden retriever puppy",
    "a kite festival",
    "a diver jumping off a cliff",
    "a sandcastle",
    "a beekeeper with honeycombs",
    "a rowing team",
    "a florist arranging roses",
    "a sumo wrestling bout",
    "a zebra on the savanna",
    "an owl in a barn",
    "a girl brushing her teeth",
    "a farmers market with vegetables",
    "a moose drinking from a pond",
    "a typewriter",
    "a glowing jellyfish",
    "a cowboy riding a bull",
    "a dragon boat race",
    "a lemonade stand",
    "an ambulance with sirens",
    "an embroidery hoop",
    "a squirrel eating a nut",
    "a man juggling",
    "a gondola in Venice",
    "a windmill in the Netherlands",
    "a circus clown",
    "an escalator in a mall",
    "a pillow fight",
    "a polar bear on ice",
    "a carpenter sanding a table",
    "a pharmacist counting pills",
    "a turtle laying eggs",
    "a Christmas tree",
    "a greyhound race",
    "a hamster in a wheel",
    "a mountain goat",
    "a laundromat",
    "a fencing duel",
    "a magician doing card tricks",
    "a lobster on a plate",
    "a skydiver with a parachute",
    "a nurse taking blood pressure",
    "a tug of war",
    "a swan on a lake",
    "a cactus in a pot",
    "an octopus",
    "a pirate ship",
    "a llama",
    "a cricket match",
    "a cheese platter",
    "a paper airplane",
    "a stained glass window",
    "a rat in a maze",
    "a vending machine",
    "a hairdryer",
]
#: queries naming nothing in any video of the set
ABSENT = [
    "a horse race",
    "cooking pasta in a kitchen",
    "a wedding ceremony",
    "playing tennis",
    "a snake in the desert",
    "surgery in a hospital operating room",
    "a jazz saxophone solo",
    "a cat playing with yarn",
    "filling in tax forms",
    "a volcano erupting",
    "fishing on a lake",
    "ballet dancers on stage",
    "a chess tournament",
    "knitting a wool sweater",
    "a crowded sandy beach",
    "a birthday party with balloons",
    "making sushi",
    "a dentist appointment",
    "a submarine",
    "a herd of elephants",
    "a sewing machine",
    "ice skating",
    "a bowl of ramen noodles",
    "a lighthouse",
]
#: more of them: 4 more per video, so the no-match rate rests on 72 queries, not 24
ABSENT_MORE = [
    "a basketball game",
    "a dog catching a frisbee",
    "a pizza oven",
    "a tractor ploughing a field",
    "a baby laughing",
    "a yoga class",
    "scuba diving on a coral reef",
    "a violin lesson",
    "a farmer milking a cow",
    "a haircut at the barber",
    "a pottery wheel",
    "a tornado",
    "a marathon runner",
    "a woman doing her makeup",
    "a camel",
    "a penguin colony",
    "a fashion show runway",
    "a hot air balloon",
    "a school classroom",
    "soldiers marching",
    "a skateboard trick",
    "a spider web",
    "a goldfish in a bowl",
    "a rollercoaster ride",
    "a karaoke singer",
    "a tattoo artist",
    "a glass of red wine",
    "a library full of books",
    "a gym workout with weights",
    "a bee on a flower",
    "a helicopter rescue",
    "a church choir",
    "a table tennis match",
    "a boxing match",
    "a talking parrot",
    "a kangaroo jumping",
    "a microscope in a lab",
    "a coffee machine",
    "carving a pumpkin",
    "a train crossing a bridge",
    "a wolf howling",
    "folding an origami crane",
    "a vacuum cleaner",
    "washing the dishes",
    "a shark swimming",
    "a butterfly",
    "a lion hunting",
    "a tent at a campsite",
]
#: clips behind spoken and captioned parts: (clip, start)
BACKGROUNDS = [
    ("fire_2.mp4", 0.0),
    ("bikes_10s.mp4", 0.5),
    ("world_30s.mp4", 5.0),
    ("city_8s_360p.mp4", 0.5),
    ("chaplin_10s.mp4", 5.0),
    ("bigbuckbunny_30s_360p.mp4", 25.0),
]


def _split(i: int) -> str:
    """Fit: videos 0-7 and 12-19; held-out: 8-11 and 20-23."""
    return "fit" if i % 12 < N_FIT else "held-out"


def devset_spec() -> list[dict[str, Any]]:
    """The 24 videos: parts (kind, query, span, how to draw) and absent queries. Deterministic."""
    videos = []
    orders = [
        ("speech", "caption", "visual"),
        ("visual", "speech", "caption"),
        ("caption", "visual", "speech"),
        ("speech", "visual", "caption"),
    ]
    for i in range(24):
        photo = i >= 12
        j12 = i - 12 if photo else i
        vis_clip = "" if photo else VISUAL[i][0]
        backs = [b for b in BACKGROUNDS if b[0] != vis_clip]
        b1, b2 = backs[i % len(backs)], backs[(i + 2) % len(backs)]
        parts = []
        for j, kind in enumerate(orders[i % len(orders)]):
            span = [j * PART_SECONDS, (j + 1) * PART_SECONDS]
            if kind == "speech":
                say, query = (PHOTO_SPEECH if photo else SPEECH)[j12]
                draw: dict[str, Any] = {"clip": b1, "say": say}
            elif kind == "caption":
                text, query = (PHOTO_CAPTION if photo else CAPTION)[j12]
                draw = {"clip": b2, "text": text}
            elif photo:
                image, query = PHOTO_VISUAL[j12]
                draw = {"photo": image}
            else:
                clip, start, query = VISUAL[i]
                draw = {"clip": (clip, start)}
            parts.append({"kind": kind, "query": query, "span": span, **draw})
        absent = (
            PHOTO_ABSENT[6 * j12 : 6 * j12 + 6]
            if photo
            else ABSENT[2 * i : 2 * i + 2] + ABSENT_MORE[4 * i : 4 * i + 4]
        )
        videos.append(
            {
                "name": f"dev{i:02d}-v{VERSION}.mp4",
                "split": _split(i),
                "set": "photo" if photo else "first",
                "parts": parts,
                "absent": absent,
            }
        )
    return videos


def photo_path(image: str) -> Path:
    """The file of ``skimage:NAME`` (scikit-image's bundled data) or ``mpl:NAME`` (matplotlib's)."""
    source, name = image.split(":", 1)
    if source == "skimage":
        import skimage

        return Path(skimage.__file__).parent / "data" / name
    import matplotlib

    return Path(matplotlib.get_data_path()) / "sample_data" / name


def photo_clip(image: str, out: Path) -> Path:
    """A ``PART_SECONDS`` slideshow clip of one photo (cached in ``out``): the whole photo, fitted to the
    frame height and zooming in from 100% to 110%, over a blurred and darkened copy filling the frame."""
    path = out / f"photo-{image.replace(':', '-').rsplit('.', 1)[0]}.mp4"
    if path.exists():
        return path
    import av
    import numpy as np
    from PIL import Image, ImageFilter

    w, h = SIZE
    src = Image.open(photo_path(image)).convert("RGB")
    back = src.resize((w, round(w * src.height / src.width))).filter(ImageFilter.GaussianBlur(8))
    top = (back.height - h) // 2
    back = back.crop((0, top, w, top + h)) if back.height >= h else back.resize((w, h))
    back = Image.eval(back, lambda v: v * 6 // 10)
    n = int(PART_SECONDS * FPS)
    tmp = path.with_suffix(".tmp.mp4")
    with av.open(str(tmp), "w") as container:
        stream: Any = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        for k in range(n):
            zoom = 1.0 + 0.1 * k / max(1, n - 1)
            fh = round(h * zoom)
            fw = round(fh * src.width / src.height)
            fg = src.resize((fw, fh), Image.Resampling.LANCZOS)
            frame = back.copy()
            frame.paste(fg, ((w - fw) // 2, (h - fh) // 2))
            for pkt in stream.encode(av.VideoFrame.from_ndarray(np.asarray(frame), format="rgb24")):
                container.mux(pkt)
        for pkt in stream.encode():
            container.mux(pkt)
    tmp.replace(path)
    return path


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
            if "photo" in p:
                source: tuple[Path, float] = (photo_clip(p["photo"], out), 0.0)
            else:
                source = (SHARED_VIDEOS / p["clip"][0], p["clip"][1])
            part: dict[str, Any] = {"duration": PART_SECONDS, "clip": source}
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
