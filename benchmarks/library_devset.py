"""The video library's development set: generated micro-videos, composites of labelled parts, long
distractor talks, and queries that paraphrase what is said, shown or seen (plus absent ones).

- Micro-videos (one topic each, caption on screen and narration), English and Chinese: the *video*
  queries (video R@1 per language).
- English composites of five 7-second parts. Each part is one *kind*: *spoken* (narration over a plain
  colour, no text), *captioned* (big text, silent) or *visual* (a photograph shipped in the scikit-image
  or matplotlib wheel, silent, no text); each part has its own query.
- Distractor talks of 2, 4 and 8 minutes: sections of 15 or 30 seconds, each a title slide with two or
  three narrated sentences (finance, gardening, home, fitness), topics no query names.
- Absent queries: name nothing in any video of the set.

Narration alternates espeak-ng and Festival (``text2wave``, kal voice) for English; Chinese is espeak-ng
(``cmn``). Queries are worded differently from the narration and captions where they can be.

Split: the *fit* half is the even-numbered micro-videos, composites and absent queries, the *held-out*
half the odd ones; ``bench_library.py`` reports both. No footage of ../shared/videos is used.

    python benchmarks/library_devset.py [--out DIR]
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

Topic = tuple[str, str, str]  # caption, narration, query

#: bumped whenever the videos change (folder names carry it)
VERSION = 2
DEFAULT_OUT = Path("/tmp/vidgist-library-devset")

EN_MICRO: list[Topic] = [
    (
        "BIRD WATCHING",
        "Bring binoculars and a notebook when you go bird watching at dawn.",
        "spotting birds with binoculars",
    ),
    ("ICE SKATING", "Bend your knees and push sideways to glide across the ice.", "how to ice skate"),
    (
        "CANDLE MAKING",
        "Melt the wax slowly and pour it into a glass jar with a wick.",
        "making candles at home",
    ),
    ("SKETCHING FACES", "Draw a light oval first, then mark the eyes halfway down.", "drawing a human face"),
    ("KAYAK TRIP", "Paddle on alternate sides to keep the kayak moving straight.", "paddling a kayak"),
    ("PIANO SCALES", "Practise the C major scale with both hands every morning.", "practising piano scales"),
    ("LAUNDRY TIPS", "Wash dark clothes in cold water so the colours do not fade.", "washing dark clothes"),
    (
        "CAMPFIRE SAFETY",
        "Pour water on the ashes and stir until the fire is completely out.",
        "putting out a campfire",
    ),
    (
        "JOB INTERVIEW",
        "Research the company and prepare questions before the interview.",
        "preparing for a job interview",
    ),
    (
        "MOVING HOUSE",
        "Label every box with the room it belongs to before the move.",
        "packing boxes to move house",
    ),
]
ZH_MICRO: list[Topic] = [
    ("包饺子", "把馅放在饺子皮中间，再把边捏紧。", "饺子怎么包"),
    ("放风筝", "顺着风跑几步，风筝就会飞起来。", "怎样放风筝"),
    ("养金鱼", "鱼缸的水每周换三分之一。", "金鱼缸多久换水"),
    ("学游泳", "先学会在水里憋气，再练习踢腿。", "初学游泳"),
    ("做蛋糕", "鸡蛋和面粉搅拌均匀后放进烤箱。", "烤蛋糕的步骤"),
    ("整理房间", "不用的东西及时扔掉，房间就不乱了。", "怎么整理房间"),
    ("写春联", "春联的上联贴在右边，下联贴在左边。", "春联怎么贴"),
    ("骑马", "上马时左脚先踩进马镫。", "怎么上马"),
]
#: spoken parts: (narration, query)
SPOKEN: list[tuple[str, str]] = [
    (
        "To clean a cast iron pan, scrub it with coarse salt and dry it on the stove.",
        "cleaning a cast iron skillet",
    ),
    (
        "The lighthouse keeper climbed the stairs every evening to light the lamp.",
        "lighthouse keeper lighting the lamp",
    ),
    ("Penguins huddle together to stay warm during the antarctic winter.", "penguins keeping warm in winter"),
    ("Replace the chain of your bike when it stretches too far.", "when to replace a bike chain"),
    ("Sharpen your chisel on a whetstone at a steady angle.", "sharpening a chisel"),
    ("The orchestra tuned their violins before the symphony began.", "orchestra tuning violins"),
    (
        "Astronomers measured the distance to the galaxy using exploding stars.",
        "measuring how far away a galaxy is",
    ),
    ("Wrap the sandwich in wax paper so the bread stays fresh until lunch.", "keeping a sandwich fresh"),
    ("The referee showed a red card after the dangerous tackle.", "red card for a bad tackle"),
    (
        "Honey bees dance to tell the hive where the flowers are.",
        "how bees tell each other where flowers are",
    ),
    ("Check the oil level with the dipstick while the engine is cold.", "checking the engine oil"),
    ("Knit the first row loosely so the scarf does not curl at the edge.", "knitting a scarf"),
]
#: captioned parts: (text on screen, query)
CAPTIONED: list[tuple[str, str]] = [
    ("PASSWORD SAFETY", "keeping passwords safe"),
    ("MOUNTAIN WEATHER", "weather in the mountains"),
    ("ANCIENT ROME", "history of ancient Rome"),
    ("FIRST AID KIT", "what goes in a first aid kit"),
    ("JAZZ PIANO", "learning jazz piano"),
    ("SOLAR PANELS", "installing solar panels"),
    ("WINE TASTING", "tasting wine"),
    ("MAGIC TRICKS", "card magic tricks"),
    ("TIME MANAGEMENT", "managing your time"),
    ("OCEAN TIDES", "why the ocean has tides"),
    ("POTTERY WHEEL", "throwing pots on a wheel"),
    ("SPEED READING", "how to read faster"),
]
#: visual parts: (photo, query naming what it shows); ``skimage:NAME`` / ``mpl:NAME`` as in relevance_devset
VISUAL: list[tuple[str, str]] = [
    ("skimage:chelsea.png", "a tabby cat"),
    ("skimage:coffee.png", "a cup of coffee"),
    ("skimage:horse.png", "the silhouette of a horse"),
    ("skimage:chessboard_RGB.png", "a chessboard"),
    ("skimage:clock_motion.png", "a clock"),
    ("skimage:cell.png", "cells under a microscope"),
]
#: kinds of the five parts of composite i: rotated by i
KINDS = ("spoken", "captioned", "visual", "spoken", "captioned")
N_COMPOSITES = 6
#: distractor talks: (name, minutes, seconds per section)
TALKS = [("talk_finance", 2, 15.0), ("talk_home", 4, 15.0), ("talk_long", 8, 30.0)]
SECTIONS: list[tuple[str, str]] = [
    ("Budgeting", "Write down every expense for a month. Then sort them into needs and wants."),
    ("Index Funds", "An index fund follows the whole market. Its fees are usually very low."),
    (
        "Emergency Fund",
        "Keep three months of expenses in a savings account. Use it only for real emergencies.",
    ),
    ("Credit Cards", "Pay the full balance every month. Interest on a card balance adds up quickly."),
    ("Retirement", "Start saving for retirement early. Small amounts grow over many years."),
    ("Insurance", "Compare insurance quotes every year. Loyalty rarely gets you the best price."),
    ("Soil", "Healthy soil is dark and crumbly. Add organic matter every spring."),
    ("Compost", "Mix green kitchen scraps with dry brown leaves. Turn the heap every week."),
    ("Pruning", "Prune fruit trees in late winter. Cut just above an outward facing bud."),
    ("Seedlings", "Start seedlings indoors near a bright window. Harden them off before planting out."),
    ("Painting Walls", "Fill the cracks and sand them smooth. Then paint from the top down."),
    ("Cleaning Windows", "Use warm water with a little vinegar. Dry the glass with a soft cloth."),
    ("Stretching", "Hold each stretch for thirty seconds. Never bounce while stretching."),
    ("Walking", "A brisk walk every day keeps the heart healthy. Aim for about eight thousand steps."),
    ("Posture", "Sit with your feet flat on the floor. Keep the screen at eye level."),
    ("Breakfast", "A breakfast with protein keeps you full longer. Add fruit for fibre."),
]
#: absent queries: name nothing in any video of the set
ABSENT: list[str] = [
    "scuba diving near a coral reef",
    "repairing a leaking roof",
    "the rules of cricket",
    "a hot air balloon festival",
    "teaching a parrot to talk",
    "building a wooden canoe",
    "the french revolution",
    "snowboarding tricks",
    "how to brew beer",
    "a total lunar eclipse",
    "tying flies for fly fishing",
    "a marathon finish line",
    "learning sign language",
    "a three tier wedding cake",
    "a nuclear submarine",
    "grooming a poodle",
    "changing a baby's diaper",
    "a tornado over the plains",
    "熊猫吃竹子",
    "滑雪技巧",
    "股票投资入门",
    "怎么修电脑",
    # added later, in pairs of one type (so each half gets as many of each): same-field ones name something
    # near a topic of the set that no video says, shows or captions (SAME_FIELD); the rest are unrelated
    "refinancing a home mortgage",
    "paying back a student loan",
    "planting tulip bulbs in autumn",
    "raking autumn leaves",
    "unclogging a kitchen sink",
    "fitting a new door lock",
    "lifting weights at the gym",
    "a yoga class for beginners",
    "roller skating in a park",
    "feeding ducks at a pond",
    "making soap at home",
    "sailing a small boat",
    "learning to play the drums",
    "ironing a dress shirt",
    "pitching a tent in the rain",
    "writing a cover letter",
    "fixing a flat bicycle tyre",
    "polar bears hunting seals",
    "astronauts on the space station",
    "an offside decision",
    "a formula one pit stop",
    "a camel caravan in the desert",
    "folding origami cranes",
    "bungee jumping from a bridge",
    "the northern lights",
    "a skyscraper under construction",
    "playing the bagpipes",
    "a beach volleyball match",
    "a fireworks display over a harbour",
    "a bowling alley",
    "a hot dog eating contest",
    "a taxidermy museum",
    "a blacksmith forging a sword",
    "a circus acrobat on a trapeze",
    "harvesting rice in terraced fields",
    "a marching band parade",
    "a subway map of tokyo",
    "a volcano erupting at night",
    "a sumo wrestling bout",
    "a desert tortoise",
    "煮汤圆",
    "养乌龟",
    "学骑自行车",
    "烤面包",
    "长城的历史",
    "下围棋",
    "四川火锅",
    "太极拳入门",
]
#: the absent queries of the first version of the list (the rest were added in pairs)
FIRST_ABSENT = 22
#: the added absent queries that are near a topic of the set (the others added are unrelated to it)
SAME_FIELD: frozenset[str] = frozenset(ABSENT[22:42] + ABSENT[62:66])


def absent_group(query: str) -> str:
    """Which absent queries ``query`` is one of: "first list" (the first ``FIRST_ABSENT``), "added, same
    field" or "added, unrelated"."""
    if query in ABSENT[:FIRST_ABSENT]:
        return "first list"
    return "added, same field" if query in SAME_FIELD else "added, unrelated"


PALETTE = [
    "0x336699",
    "0x884422",
    "0x228844",
    "0x664488",
    "0x886622",
    "0x226688",
    "0x448822",
    "0x882266",
    "0x555555",
    "0x2a7a7a",
]
MICRO_SECONDS = 6.0
PART_SECONDS = 7.0


@dataclass(frozen=True)
class RefQuery:
    """A reference query: the file it should find (none for an absent query) and, for composite parts,
    the part's kind and time range; ``half`` is "fit" or "held-out"."""

    query: str
    lang: str
    kind: str  # "micro", "spoken", "captioned", "visual" or "absent"
    file: str
    start: float = 0.0
    end: float = 0.0
    half: str = "fit"


def _half(i: int) -> str:
    return "fit" if i % 2 == 0 else "held-out"


def footage() -> list[tuple[str, float, float]]:
    """Footage of ../shared/videos the set uses: none."""
    return []


def strings() -> list[str]:
    """Every query, caption, narration line and title the set uses."""
    out: list[str] = []
    for topics in (EN_MICRO, ZH_MICRO):
        for t in topics:
            out.extend(t)
    for pair in (*SPOKEN, *CAPTIONED, *SECTIONS):
        out.extend(pair)
    out.extend(q for _, q in VISUAL)
    out.extend(ABSENT)
    return out


def _composite_parts(i: int) -> list[tuple[str, str, str]]:
    """(kind, what is said/shown/the photo, query) of the five parts of composite ``i``."""
    kinds = KINDS[i % len(KINDS) :] + KINDS[: i % len(KINDS)]
    counters = {"spoken": 2 * i, "captioned": 2 * i, "visual": i}
    table = {"spoken": SPOKEN, "captioned": CAPTIONED, "visual": VISUAL}
    out = []
    for kind in kinds:
        content, query = table[kind][counters[kind]]
        counters[kind] += 1
        out.append((kind, content, query))
    return out


def _talk_parts(minutes: int, seconds: float, offset: int) -> list[tuple[str, str]]:
    n = int(minutes * 60 / seconds)
    return [SECTIONS[(offset + j) % len(SECTIONS)] for j in range(n)]


def set_folder(folder: str | Path = DEFAULT_OUT, flite: bool = False) -> Path:
    """Where ``build`` writes the videos (its own folder for the Flite voices)."""
    return Path(folder) / f"v{VERSION}{'-flite' if flite else ''}"


def build(folder: str | Path = DEFAULT_OUT, flite: bool = False) -> list[RefQuery]:
    """Write every video into ``set_folder(folder, flite)`` (kept when already there) and return the
    reference queries. ``flite``: every English narration spoken by a CMU Flite voice
    (``flitevoice.FLITE_VOICES`` in turn) instead of espeak-ng and Festival, a check on voices no constant
    was chosen with; Chinese stays espeak-ng."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from flitevoice import flite_voice
    from librarygen import Part, make_clip
    from relevance_devset import photo_path

    out = set_folder(folder, flite)
    refs: list[RefQuery] = []
    turn = iter(range(1_000_000))

    def voice(usual: str, lang: str = "en") -> str:
        return flite_voice(next(turn)) if flite and lang == "en" else usual

    for lang, topics in (("en", EN_MICRO), ("zh", ZH_MICRO)):
        for i, (cap, said, q) in enumerate(topics):
            f = out / f"{lang}_micro_{i:02d}.mp4"
            said_by = voice("festival" if lang == "en" and i % 2 else "espeak", lang)
            if not f.exists():
                make_clip(f, [Part(MICRO_SECONDS, cap, said, lang, PALETTE[i % len(PALETTE)], said_by)])
            refs.append(RefQuery(q, lang, "micro", f.name, 0.0, MICRO_SECONDS, _half(i)))
    for i in range(N_COMPOSITES):
        f = out / f"en_composite_{i}.mp4"
        parts = _composite_parts(i)
        if not f.exists():
            clips = []
            for j, (kind, content, _) in enumerate(parts):
                color = PALETTE[(i * 5 + j * 3 + 1) % len(PALETTE)]
                said_by = voice("festival" if (i + j) % 2 else "espeak")
                clips.append(
                    Part(PART_SECONDS, content, "", "en", color)
                    if kind == "captioned"
                    else Part(PART_SECONDS, "", content, "en", color, said_by)
                    if kind == "spoken"
                    else Part(PART_SECONDS, photo=str(photo_path(content)))
                )
            make_clip(f, clips)
        for j, (kind, _, q) in enumerate(parts):
            refs.append(RefQuery(q, "en", kind, f.name, j * PART_SECONDS, (j + 1) * PART_SECONDS, _half(i)))
    for k, (name, minutes, seconds) in enumerate(TALKS):
        f = out / f"{name}.mp4"
        if not f.exists():
            sections = _talk_parts(minutes, seconds, 6 * k)
            make_clip(
                f,
                [
                    Part(
                        seconds,
                        title,
                        said,
                        "en",
                        PALETTE[j % len(PALETTE)],
                        voice("festival" if j % 2 else "espeak"),
                    )
                    for j, (title, said) in enumerate(sections)
                ],
                fps=5,
                size=(480, 270),
            )
    for i, q in enumerate(ABSENT):
        refs.append(
            RefQuery(
                q, "zh" if any("\u4e00" <= c <= "\u9fff" for c in q) else "en", "absent", "", half=_half(i)
            )
        )
    return refs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    refs = build(ap.parse_args().out)
    print(f"{len(refs)} reference queries")


if __name__ == "__main__":
    main()
