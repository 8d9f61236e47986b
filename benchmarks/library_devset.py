"""The video library's development set: generated narrated and captioned clips with reference queries.

Micro-videos (one topic each) and composites (one topic per part), in English and Chinese. Each topic is
(caption, narration, reference query): the caption is drawn on screen, the narration spoken by
espeak-ng, and the query is what a user would type, worded differently from both where it can be.
Never tuned against ../shared/videos (those are indexed as distractors only).
"""

from __future__ import annotations

from dataclasses import dataclass

Topic = tuple[str, str, str]  # caption, narration, query

EN_MICRO: list[Topic] = [
    (
        "GROCERY BUDGET",
        "Here is how I plan a weekly grocery budget for a family of four.",
        "weekly food budget",
    ),
    (
        "PAPER PLANE",
        "Fold the paper in half, then fold the corners down to make a plane.",
        "fold a paper airplane",
    ),
    (
        "GUITAR CHORDS",
        "Place your fingers on the second fret to play a G major chord.",
        "guitar chord fingering",
    ),
    (
        "KNAPSACK PROBLEM",
        "Dynamic programming solves the knapsack problem by filling a table.",
        "explain the knapsack problem",
    ),
    ("TIRE CHANGE", "Loosen the wheel nuts before you lift the car with the jack.", "change a car tire"),
    ("SOURDOUGH BREAD", "Feed the starter and let the dough rise overnight.", "bake sourdough at home"),
    ("PUSH UPS", "Keep your back straight and lower your chest to the floor.", "push up form"),
    ("TAX RETURN", "Gather your receipts before filing the annual tax return.", "filing taxes receipts"),
    ("WATER PLANTS", "Water the plants early in the morning so the roots stay cool.", "when to water plants"),
    ("PHOTO EDITING", "Raise the exposure and lower the highlights to fix a dark photo.", "fix a dark photo"),
]
ZH_MICRO: list[Topic] = [
    ("纸飞机折法", "先把纸对折，再把两个角折下来，就做成了纸飞机。", "怎么折纸飞机"),
    ("红烧肉做法", "五花肉切块，加糖和酱油慢慢炖一个小时。", "红烧肉怎么做"),
    ("绿茶冲泡", "水温八十度左右最适合冲泡绿茶。", "绿茶用多少度的水"),
    ("学习英语", "每天背二十个单词，坚持一个月。", "背英语单词"),
    ("跑步训练", "跑步前要先热身，避免膝盖受伤。", "跑步前热身"),
    ("手机拍照", "打开网格线，让主体放在三分之一的位置。", "手机拍照构图"),
    ("家庭预算", "把每个月的收入分成储蓄和开销两部分。", "每月家庭预算"),
    ("种植番茄", "番茄需要充足的阳光和每天浇水。", "番茄怎么种"),
    ("书法练习", "写毛笔字时手腕要放松。", "练习毛笔书法"),
    ("自行车修理", "先用扳手拆下轮胎，再补好内胎。", "修自行车轮胎"),
]
EN_COMPOSITES: dict[str, list[Topic]] = {
    "cooking_class": [
        (
            "KNIFE SKILLS",
            "Hold the knife firmly and curl your fingers when you chop onions.",
            "chopping onions safely",
        ),
        ("BOILING PASTA", "Salt the water and boil the pasta for ten minutes.", "how long to boil pasta"),
        ("TOMATO SAUCE", "Simmer crushed tomatoes with garlic and basil.", "tomato sauce with garlic"),
        ("PLATING", "Serve the dish on a warm plate with grated cheese.", "serve with grated cheese"),
    ],
    "cs_lecture": [
        (
            "BINARY SEARCH",
            "Binary search halves the sorted list at every step.",
            "binary search on a sorted list",
        ),
        ("HASH TABLES", "A hash table maps keys to buckets for fast lookup.", "hash table lookup"),
        (
            "RECURSION",
            "A recursive function calls itself until it reaches the base case.",
            "recursion base case",
        ),
        ("SORTING", "Merge sort splits the array and merges the sorted halves.", "merge sort algorithm"),
    ],
}
ZH_COMPOSITES: dict[str, list[Topic]] = {
    "travel": [
        ("订机票", "提前两个月订机票会便宜很多。", "什么时候订机票便宜"),
        ("打包行李", "把衣服卷起来放进行李箱可以节省空间。", "行李箱怎么打包"),
        ("兑换外币", "出国前在银行兑换一些外币现金。", "去银行兑换外币"),
        ("酒店入住", "入住酒店时要出示护照。", "酒店入住要护照吗"),
    ],
    "health": [
        ("睡眠习惯", "每天晚上十一点前睡觉对身体好。", "几点睡觉最好"),
        ("喝水", "每天喝八杯水保持身体水分。", "每天喝多少水"),
        ("拉伸运动", "运动后拉伸可以缓解肌肉酸痛。", "肌肉酸痛怎么拉伸"),
        ("健康饮食", "多吃蔬菜水果少吃油炸食品。", "健康饮食多吃蔬菜"),
    ],
}
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
    """A reference query: the file it should find and, for composites, the part's time range."""

    query: str
    lang: str
    kind: str  # "micro" or "part"
    file: str
    start: float = 0.0
    end: float = 0.0


def build(folder: str) -> list[RefQuery]:
    """Write every clip into ``folder`` (kept when already there) and return the reference queries."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from librarygen import Part, make_clip

    out = Path(folder)
    refs: list[RefQuery] = []
    for lang, topics in (("en", EN_MICRO), ("zh", ZH_MICRO)):
        for i, (cap, said, q) in enumerate(topics):
            f = out / f"{lang}_micro_{i:02d}.mp4"
            if not f.exists():
                make_clip(f, [Part(MICRO_SECONDS, cap, said, lang, PALETTE[i % len(PALETTE)])])
            refs.append(RefQuery(q, lang, "micro", f.name, 0.0, MICRO_SECONDS))
    for lang, comps in (("en", EN_COMPOSITES), ("zh", ZH_COMPOSITES)):
        for name, parts in comps.items():
            f = out / f"{lang}_{name}.mp4"
            if not f.exists():
                make_clip(
                    f,
                    [
                        Part(PART_SECONDS, cap, said, lang, PALETTE[(j * 3 + 1) % len(PALETTE)])
                        for j, (cap, said, _) in enumerate(parts)
                    ],
                )
            for j, (_, _, q) in enumerate(parts):
                refs.append(RefQuery(q, lang, "part", f.name, j * PART_SECONDS, (j + 1) * PART_SECONDS))
    return refs
