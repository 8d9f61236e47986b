"""On-screen-text recall development set: generated clips with ffmpeg drawtext captions over moving
backgrounds, read the way ``vidgist summarize`` reads them.

Each clip is 3 minutes of a moving lavfi source (testsrc2, game of life, cellular automaton, scrolling
bars) at 1280x720 25 fps H.264, with captions shown for 3-9 s at known times, in several fonts, sizes and
places (lower third, title, corner tag). No footage from ../shared/videos: ``footage()`` is empty.
Two more clips are slide decks: plain backgrounds (dark text on a light one, light text on a dark one),
each slide a title at the top, bullet lines under it and a page number in a corner, all at the same
places from slide to slide, shown 6-11 s. Captions are split into a fit half and a held-out half
(alternating); nothing here is fitted, both are reported.

Recall: a caption counts as read when an OCR span overlapping its time shows its text (normalised: upper
case, letters and digits; similarity >= ``MATCH`` by difflib ratio). The OCR frames are the pipeline's:
``vidgist.summarize.evidence`` samples at 2 frames/s with the decoder's frame skipping
(``media.video.decode_skip``), converts one frame every ``ocr_gap_for(duration)`` seconds at
``OCR_MAX_SIDE`` and hands them to ``read_onscreen_text``.

    python benchmarks/ocr_devset.py [--workdir /tmp/vidgist-ocr-dev] [--quick]
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

MATCH = 0.8
SECONDS = 180
FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
)
BACKGROUNDS = (
    "testsrc2=size=1280x720:rate=25",
    "life=size=1280x720:rate=25:mold=10:ratio=0.3:death_color=#203040:life_color=#c0a060",
    "cellauto=size=1280x720:rate=25:rule=110",
    "smptehdbars=size=1280x720:rate=25,scroll=h=0.002",
)
#: (text, start s, seconds shown, font size px, place) per clip; places: low (lower third), top, corner
CLIPS: list[list[tuple[str, float, float, int, str]]] = [
    [
        ("HARBOUR FERRY TIMETABLE", 6, 6, 54, "top"),
        ("Low tide at 4:35 pm", 20, 5, 36, "low"),
        ("PIER 7", 33, 8, 30, "corner"),
        ("Boarding closes ten minutes early", 50, 4, 32, "low"),
        ("WINTER SCHEDULE 2031", 70, 7, 60, "top"),
        ("Lighthouse keeper interview", 95, 5, 34, "low"),
        ("Fog warning in effect", 120, 3, 40, "top"),
        ("Return crossing cancelled", 150, 6, 34, "low"),
    ],
    [
        ("ORCHARD PRUNING BASICS", 4, 7, 58, "top"),
        ("Cut above the outward bud", 22, 5, 34, "low"),
        ("STEP 3", 38, 6, 44, "corner"),
        ("Sterilise the shears first", 55, 4, 32, "low"),
        ("Apple varieties compared", 80, 8, 40, "top"),
        ("Cox Bramley Gala", 104, 5, 36, "low"),
        ("Late frost damage", 128, 4, 38, "top"),
        ("Mulch in early spring", 160, 6, 34, "low"),
    ],
    [
        ("MARATHON SPLIT TIMES", 5, 6, 56, "top"),
        ("Kilometre 21 at 1:42:10", 25, 5, 34, "low"),
        ("LIVE", 40, 9, 48, "corner"),
        ("Hydration station ahead", 60, 4, 32, "low"),
        ("Leading pack breaks away", 85, 6, 40, "top"),
        ("Course record pace", 110, 3, 36, "low"),
        ("FINISH LINE CAMERA", 135, 6, 52, "top"),
        ("Results posted at noon", 158, 5, 34, "low"),
    ],
    [
        ("VOLCANO FIELD NOTES", 7, 6, 56, "top"),
        ("Basalt sample number 12", 24, 5, 34, "low"),
        ("ASH", 36, 7, 50, "corner"),
        ("Gas readings rising slowly", 58, 4, 32, "low"),
        ("Crater rim survey", 79, 8, 42, "top"),
        ("Seismograph trace at dawn", 102, 5, 34, "low"),
        ("Evacuation route B", 126, 4, 40, "top"),
        ("Lava tube entrance mapped", 152, 6, 34, "low"),
    ],
]


#: slide decks: (background, text colour, [(title, bullets, seconds shown)])
DECKS: list[tuple[str, str, list[tuple[str, tuple[str, ...], float]]]] = [
    (
        "0xF4F1EA",
        "0x1E2A38",
        [
            ("Tidal energy", ("Barrage across an estuary", "Turbines in the current"), 9),
            ("Wave farms", ("Floating buoys pump oil", "Storms are the hard part"), 8),
            ("Offshore wind", ("Turbines on monopiles", "Cables run to a substation"), 10),
            ("Grid storage", ("Pumped hydro in the hills", "Batteries for minutes"), 7),
            ("Heat pumps", ("Move heat, do not make it", "Three units per unit of power"), 11),
            ("Solar roofs", ("Panels face the south", "Inverters on the wall"), 8),
            ("Smart meters", ("Half-hourly readings", "Cheaper power at night"), 9),
            ("Hydrogen", ("Split water with spare power", "Store it in salt caverns"), 10),
        ],
    ),
    (
        "0x1B1F2A",
        "0xEDEDED",
        [
            ("Levain", ("Flour and water only", "Feed it every morning"), 8),
            ("Autolyse", ("Rest before the salt", "Gluten forms by itself"), 7),
            ("Stretch and fold", ("Four sets half an hour apart", "Wet hands stop sticking"), 9),
            ("Bulk ferment", ("Look for bubbles at the edge", "About five hours warm"), 10),
            ("Shaping", ("Build tension on the bench", "Seam side up in the basket"), 8),
            ("Cold retard", ("Overnight in the fridge", "Sharper flavour"), 9),
            ("Scoring", ("One confident slash", "A razor at a shallow angle"), 7),
            ("Baking", ("Lid on for twenty minutes", "Then lid off to brown"), 11),
        ],
    ),
]


def _deck_captions(k: int) -> list[tuple[str, float, float, int, str]]:
    """Deck ``k``'s lines as captions: titles ("top"), bullets ("bullet1", "bullet2"), page numbers."""
    out: list[tuple[str, float, float, int, str]] = []
    t, slides = 2.0, DECKS[k][2]
    for n, (title, bullets, shown) in enumerate(slides, 1):
        out.append((title, t, shown, 64, "slide_title"))
        out += [(b, t, shown, 40, f"bullet{j}") for j, b in enumerate(bullets, 1)]
        out.append((f"{n}/{len(slides)}", t, shown, 28, "page"))
        t += shown
    return out


def captions(k: int) -> list[tuple[str, float, float, int, str]]:
    """The captions of clip ``k`` (the caption clips, then the decks)."""
    return CLIPS[k] if k < len(CLIPS) else _deck_captions(k - len(CLIPS))


N_CLIPS = len(CLIPS) + len(DECKS)


def footage() -> list[tuple[str, float, float]]:
    """No footage from ../shared/videos: the backgrounds are generated."""
    return []


def strings() -> list[str]:
    """Every caption the dev set draws."""
    return [c[0] for k in range(N_CLIPS) for c in captions(k)]


def _place(place: str, size: int) -> tuple[str, str]:
    return {
        "top": ("(w-text_w)/2", "60"),
        "low": ("80", f"h-{size * 3}"),
        "corner": (f"w-text_w-{size}", f"{size}"),
        "slide_title": ("80", "70"),
        "bullet1": ("120", "260"),
        "bullet2": ("120", "360"),
        "page": ("w-text_w-40", "h-text_h-30"),
    }[place]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'")


def make_clip(k: int, out: Path) -> Path:
    """Clip ``k``: its background with its captions (cached)."""
    if out.exists():
        return out
    import imageio_ffmpeg

    draws = []
    deck = k >= len(CLIPS)
    for j, (text, start, shown, size, place) in enumerate(captions(k)):
        x, y = _place(place, size)
        if deck:  # one font per deck, flat text; a slide's lines go when the next slide comes
            look = f"fontfile={FONTS[k % len(FONTS)]}:fontcolor={DECKS[k - len(CLIPS)][1]}"
            enable = f"gte(t,{start})*lt(t,{start + shown})"
        else:
            box = ":box=1:boxcolor=black@0.45:boxborderw=10" if place == "low" else ""
            look = f"fontfile={FONTS[(k + j) % len(FONTS)]}:fontcolor=white:borderw=2:bordercolor=black{box}"
            enable = f"between(t,{start},{start + shown})"
        draws.append(f"drawtext={look}:text='{_escape(text)}':fontsize={size}:x={x}:y={y}:enable='{enable}'")
    background = (
        f"color=c={DECKS[k - len(CLIPS)][0]}:size=1280x720:rate=25"
        if deck
        else BACKGROUNDS[k % len(BACKGROUNDS)]
    )
    tmp = out.with_suffix(".part.mp4")
    cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "lavfi"]
    cmd += ["-i", background, "-t", str(SECONDS), "-vf", ",".join(draws)]
    cmd += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", str(tmp)]
    subprocess.run(cmd, check=True)
    tmp.replace(out)
    return out


def read_clip(path: Path) -> tuple[list[Any], float, float]:
    """OCR spans of ``path`` read as the pipeline reads them, the CPU seconds of decoding and converting
    the OCR frames, and the CPU seconds of OCR alone (the frames are decoded first, then read)."""
    from vidgist.media import video as vio
    from vidgist.media.ocr import read_onscreen_text
    from vidgist.summarize.evidence import OCR_MAX_SIDE, ocr_gap_for

    info = vio.probe(path)
    gap, fps = ocr_gap_for(info.duration), vio.default_fps(info.duration)
    t0 = time.process_time()

    def frames() -> Any:
        next_t = 0.0
        for fr in vio.iter_sampled(path, fps, max_side=OCR_MAX_SIDE, skip_nonref=info.fps >= 4 * fps):
            if fr.time >= next_t:
                yield fr.time, fr.rgb()
                next_t = fr.time + gap

    decoded = list(frames())  # at most MAX_OCR_FRAMES small frames
    t1 = time.process_time()
    spans = read_onscreen_text(decoded, every=gap)
    return spans, t1 - t0, time.process_time() - t1


def _norm(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def recalled(caption: tuple[str, float, float, int, str], spans: list[Any]) -> bool:
    """Is ``caption`` read by a span overlapping its time? (module docstring)"""
    text, start, shown = _norm(caption[0]), caption[1], caption[2]
    for s in spans:
        if s.end < start or s.start > start + shown:
            continue
        if difflib.SequenceMatcher(None, _norm(s.text), text).ratio() >= MATCH:
            return True
    return False


def evaluate(workdir: Path, clips: list[int]) -> dict[str, Any]:
    """Recall on the fit half (even captions) and the held-out half (odd), and the OCR CPU seconds."""
    hits: dict[str, list[bool]] = {"fit": [], "held-out": []}
    cpu, ocr_cpu = 0.0, []
    missed, per_clip = [], []
    for k in clips:
        spans, c, o = read_clip(make_clip(k, workdir / f"ocr_dev_{k}.mp4"))
        cpu += c + o
        ocr_cpu.append(o)
        got = [recalled(cap, spans) for cap in captions(k)]
        per_clip.append(sum(got) / len(got))
        for j, (cap, ok) in enumerate(zip(captions(k), got, strict=True)):
            hits["fit" if j % 2 == 0 else "held-out"].append(ok)
            if not ok:
                missed.append(cap[0])
    out: dict[str, Any] = {h: sum(v) / max(1, len(v)) for h, v in hits.items()}
    out["all"] = sum(sum(v) for v in hits.values()) / max(1, sum(len(v) for v in hits.values()))
    out["captions"] = sum(len(v) for v in hits.values())
    out["cpu_s"] = round(cpu, 2)
    out["ocr_cpu_s"] = round(sum(ocr_cpu), 2)
    out["per_clip_recall"] = [round(r, 3) for r in per_clip]
    out["per_clip_ocr_cpu_s"] = [round(c, 2) for c in ocr_cpu]
    out["missed"] = missed
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/vidgist-ocr-dev"))
    ap.add_argument("--quick", action="store_true", help="a caption clip and a deck instead of all")
    ap.add_argument("--label", default="", help="a name for this code version in the printout")
    ap.add_argument("--clips", type=int, nargs="*", help=f"only these clips (0-{N_CLIPS - 1}; decks from 4)")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    clips = args.clips or ([0, len(CLIPS)] if args.quick else list(range(N_CLIPS)))
    res = evaluate(args.workdir, clips)
    print(
        f"on-screen-text recall {args.label}: all {res['all']:.3f} ({res['captions']} captions), "
        f"fit {res['fit']:.3f}, held-out {res['held-out']:.3f}; OCR+decode CPU {res['cpu_s']:.1f} s, "
        f"OCR alone {res['ocr_cpu_s']:.1f} s"
    )
    print(
        "per clip (disjoint footage): recall", res["per_clip_recall"], "OCR CPU s", res["per_clip_ocr_cpu_s"]
    )
    print("missed:", "; ".join(res["missed"]) or "none")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from results_io import write_results

    write_results(
        "ocr_devset",
        res,
        config={"clips": clips, "match": MATCH},
        wall_s=time.perf_counter() - t0,
        quick=args.quick,
    )
    print(json.dumps({k: res[k] for k in ("all", "fit", "held-out", "cpu_s", "ocr_cpu_s")}))


if __name__ == "__main__":
    main()
