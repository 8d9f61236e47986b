"""Long narrated "lecture" videos with known sections, for chapters and generic summaries (issue 19).

``make_lecture(path, spec)`` writes one video and returns its ground truth::

    {"duration": s, "speech": bool, "cards": "none" | "intro" | "corner", "spoken_titles": bool,
     "sections": [{"start": s, "end": s, "title": "Gears"}, ...]}

How a video is made (cheap: 320x180, 4 fps, x264 ultrafast):

- narration: each section says an optional "Part N. Title." and then ``n_sentences`` sentences built from
  the section's own key phrases and topic-neutral templates, spoken by espeak-ng (the ``espeak-ng``
  Debian package); a section lasts 0.8 s of silence + its speech + 1.2 s of silence. A video without
  speech gives each section 24-40 s (seeded) and no narration;
- pictures: "unrelated" coloured shots (noise, bars, a moving square) cut every 4-12 s at times that
  ignore the sections, as stock footage under a voice-over; ``visual="sections"`` instead gives each
  section its own colour and pattern (the video without speech: sections differ only visually and by text);
- title cards, drawn by FFmpeg's ``drawtext`` (the imageio-ffmpeg binary): ``"intro"`` shows "N. TITLE"
  large in the middle for the first 5 s of each section, ``"corner"`` keeps it in the top-left corner for
  the whole section, ``"none"`` draws nothing; ``logo`` keeps a small constant text in a corner throughout.

``development_set(folder)`` makes (or reuses, when its truth files match) the 7-video set of
``DEV_SET``: 6 narrated videos of 3-6 minutes and one without speech.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from videogen import font_path, make_video

SAMPLE_RATE = 22050  # espeak-ng's output rate
SIZE = (320, 180)
FPS = 4
INTRO_SECONDS = 5.0
LEAD, TAIL = 0.8, 1.2

TEMPLATES = (
    "Let us talk about {0} and {1}.",
    "The first thing to notice is {2}.",
    "Many people forget that {0} depends on {3}.",
    "A good example is {4}, which works together with {1}.",
    "When {3} changes, {5} changes too.",
    "Remember that {2} and {4} are closely linked.",
    "You can check {5} with a simple test at home.",
    "This is why {1} matters so much here.",
    "Experts often compare {0} with {5}.",
    "Most problems with {3} start with {2}.",
)


@dataclass(frozen=True)
class LectureSpec:
    """One development video: a theme's sections and how they are shown and spoken."""

    name: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # (title, six key phrases)
    n_sentences: int = 6
    spoken_titles: bool = True
    cards: str = "none"  # "none" | "intro" | "corner"
    speech: bool = True
    visual: str = "unrelated"  # "unrelated" | "sections"
    logo: str = ""
    seed: int = 0


def _s(title: str, phrases: str) -> tuple[str, tuple[str, ...]]:
    return title, tuple(p.strip() for p in phrases.split(","))


BICYCLE = (
    _s("The frame", "steel tubes, the top tube, welded joints, frame size, stiffness, aluminium alloys"),
    _s("Wheels", "spokes, the rim, the hub, spoke tension, wheel truing, the axle"),
    _s("Tyres", "inflating the tyre, the inner tube, tread patterns, punctures, the valve, rubber compounds"),
    _s("Gears", "gear teeth, the gear ratio, the derailleur, torque, the cassette, shifting"),
    _s("The chain", "chain links, chain oil, the chain ring, rust, chain wear, the master link"),
    _s("Brakes", "brake pads, disc brakes, stopping distance, the brake lever, brake cables, wet rims"),
    _s("Pedals", "clipless pedals, the crank arm, pedal bearings, cycling shoes, the cleat, pedal stroke"),
    _s("The saddle", "saddle height, the seat post, padding, riding posture, sit bones, saddle tilt"),
    _s("Lights", "front lights, rear reflectors, battery life, night riding, brightness, dynamo hubs"),
    _s("Maintenance", "a repair kit, weekly cleaning, the bike stand, spare parts, a torque wrench, grease"),
)
BREAD = (
    _s("Flour", "wheat flour, protein content, whole grain, gluten, milling, rye flour"),
    _s("Yeast", "dry yeast, sourdough starter, fermentation, sugar, warm water, carbon dioxide"),
    _s(
        "Kneading", "the dough, stretching and folding, elastic texture, the window test, your palms, a mixer"
    ),
    _s(
        "Proofing", "rising time, a warm kitchen, the dough volume, a damp towel, overnight proofing, bubbles"
    ),
    _s("Shaping", "a round loaf, surface tension, the baguette, a proofing basket, scoring, the seam"),
    _s("Baking", "oven temperature, steam, the crust, a baking stone, the golden colour, baking time"),
    _s("Cooling", "a wire rack, the crumb, moisture, slicing too early, storage, a bread bag"),
)
ASTRONOMY = (
    _s("The Sun", "solar flares, sunspots, nuclear fusion, the solar wind, the corona, hydrogen"),
    _s(
        "The Moon",
        "lunar craters, the phases of the moon, high and low tide, the far side, moon rocks, eclipses",
    ),
    _s("Mars", "the red planet, dust storms, polar ice caps, rovers, Olympus Mons, iron oxide"),
    _s(
        "Jupiter",
        "the great red spot, gas giants, moons like Europa, strong magnetic fields, storms, cloud bands",
    ),
    _s("Comets", "icy nuclei, long tails, the Oort cloud, orbits around the sun, meteor showers, dust"),
    _s(
        "Galaxies",
        "spiral arms, the Milky Way, dark matter, star clusters, the Andromeda galaxy, galaxy collisions",
    ),
    _s(
        "Telescopes",
        "mirrors and lenses, light gathering, space telescopes, observatories, the eyepiece, magnification",
    ),
    _s(
        "Black holes",
        "the event horizon, gravity, collapsing stars, accretion disks, gravitational waves, singularities",
    ),
)
MEETING = (
    _s(
        "Budget review",
        "the quarterly budget, travel costs, spending limits, the finance team, savings, invoices",
    ),
    _s(
        "Hiring plans",
        "new engineers, job interviews, the recruiting agency, salaries, onboarding, open positions",
    ),
    _s(
        "Product launch",
        "the launch date, marketing material, the press release, beta testers, "
        "pricing, the release checklist",
    ),
    _s(
        "Customer feedback",
        "support tickets, user surveys, complaints about login, feature requests, "
        "satisfaction scores, response times",
    ),
    _s(
        "Security audit",
        "passwords, the firewall, access rights, the external auditor, encryption keys, phishing emails",
    ),
    _s(
        "Office move",
        "the new building, moving boxes, desk layout, parking spaces, "
        "the internet connection, the moving company",
    ),
)
GARDEN = (
    _s("Soil", "clay soil, soil acidity, drainage, earthworms, sandy ground, organic matter"),
    _s("Seeds", "seed packets, germination, seed trays, planting depth, sowing, seedlings"),
    _s("Watering", "the watering can, drip irrigation, morning watering, rain barrels, dry spells, mulch"),
    _s(
        "Tomatoes", "tomato plants, cherry tomatoes, stakes and cages, side shoots, ripe fruit, tomato blight"
    ),
    _s(
        "Compost",
        "the compost heap, kitchen scraps, brown leaves, worm bins, turning the pile, decomposition",
    ),
    _s("Pests", "aphids, slugs and snails, ladybirds, netting, caterpillars, companion planting"),
    _s("Pruning", "pruning shears, dead branches, fruit trees, new growth, rose bushes, clean cuts"),
    _s("Herbs", "fresh basil, rosemary, mint in pots, parsley, drying herbs, a sunny windowsill"),
    _s(
        "Harvest",
        "picking vegetables, storing potatoes, the last beans, harvest baskets, pumpkins, preserving jars",
    ),
)
OCEAN = (
    _s("Waves", "ocean swells, wind over water, surfing, breaking waves, wave height, storms at sea"),
    _s("Tides", "high tide, low tide, the pull of the moon, tide pools, tidal ranges, the shoreline"),
    _s(
        "Coral reefs",
        "coral polyps, reef fish, coral bleaching, warm shallow water, sea anemones, the barrier reef",
    ),
    _s("Whales", "humpback whales, whale songs, blue whales, migration routes, baleen, calves"),
    _s(
        "Sharks", "great white sharks, sharp teeth, hammerheads, shark fins, a keen sense of smell, predators"
    ),
    _s("Plankton", "tiny algae, krill, photosynthesis, the food chain, plankton blooms, diatoms"),
    _s(
        "The deep sea",
        "total darkness, anglerfish, crushing pressure, hydrothermal vents, submarines, bioluminescence",
    ),
    _s("Kelp forests", "giant kelp, sea otters, sea urchins, holdfasts, cold water, swaying fronds"),
    _s(
        "Sea turtles",
        "nesting beaches, turtle eggs, hatchlings, leatherback turtles, shells, jellyfish meals",
    ),
    _s("Fishing", "fishing boats, nets, overfishing, fish stocks, quotas, trawlers"),
    _s("Pollution", "plastic bags, oil spills, microplastics, beach cleanups, sewage, fishing gear waste"),
    _s("Sea ice", "polar bears, melting ice, icebergs, the arctic ocean, seals, freezing winters"),
)
WORKOUT = (
    _s("Warm up", ""),
    _s("Squats", ""),
    _s("Push ups", ""),
    _s("Plank", ""),
    _s("Lunges", ""),
    _s("Stretching", ""),
)

DEV_SET: tuple[LectureSpec, ...] = (
    LectureSpec("bicycle_lecture", BICYCLE, n_sentences=5, spoken_titles=True, cards="corner", seed=1),
    LectureSpec("bread_tutorial", BREAD, n_sentences=8, spoken_titles=False, cards="intro", seed=2),
    LectureSpec("astronomy_lecture", ASTRONOMY, n_sentences=7, spoken_titles=True, cards="none", seed=3),
    LectureSpec("team_meeting", MEETING, n_sentences=9, spoken_titles=False, cards="none", seed=4),
    LectureSpec(
        "garden_vlog",
        GARDEN,
        n_sentences=6,
        spoken_titles=False,
        cards="intro",
        logo="GREEN THUMB TV",
        seed=5,
    ),
    LectureSpec("ocean_documentary", OCEAN, n_sentences=5, spoken_titles=False, cards="none", seed=6),
    LectureSpec("silent_workout", WORKOUT, speech=False, cards="corner", visual="sections", seed=7),
)


def section_sentences(phrases: tuple[str, ...], n: int, rng: np.random.Generator) -> list[str]:
    """``n`` sentences about one section: topic-neutral templates filled with its key phrases."""
    order = rng.permutation(len(TEMPLATES))
    out = []
    for k in range(n):
        tpl = TEMPLATES[int(order[k % len(order)])]
        p = [phrases[int(i)] for i in rng.permutation(len(phrases))]
        s = tpl.format(*p)
        out.append(s[0].upper() + s[1:])
    return out


def speak(text: str, wav: Path, speed: int = 165) -> np.ndarray:
    """espeak-ng's reading of ``text`` as mono float32 at ``SAMPLE_RATE``."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise RuntimeError("espeak-ng is not installed: apt-get install -y espeak-ng")
    subprocess.run(
        [exe, "-v", "en-us", "-s", str(speed), "-w", str(wav), text], check=True, capture_output=True
    )
    with wave.open(str(wav), "rb") as w:
        assert w.getframerate() == SAMPLE_RATE and w.getsampwidth() == 2
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    return pcm.astype(np.float32) / 32768.0


def _narration(spec: LectureSpec, rng: np.random.Generator, tmp: Path) -> tuple[list[float], np.ndarray]:
    """Section lengths (s) and the whole narration track (float32, ``SAMPLE_RATE``)."""
    if not spec.speech:
        lengths = [float(x) for x in rng.uniform(24, 40, size=len(spec.sections)).round(1)]
        return lengths, np.zeros(int(sum(lengths) * SAMPLE_RATE), np.float32)
    pieces, lengths = [], []
    for i, (title, phrases) in enumerate(spec.sections):
        text = " ".join(section_sentences(phrases, spec.n_sentences, rng))
        if spec.spoken_titles:
            text = f"Part {i + 1}. {title}. " + text
        voice = speak(text, tmp / f"s{i}.wav")
        sec = np.concatenate(
            [
                np.zeros(int(LEAD * SAMPLE_RATE), np.float32),
                voice,
                np.zeros(int(TAIL * SAMPLE_RATE), np.float32),
            ]
        )
        pieces.append(sec)
        lengths.append(len(sec) / SAMPLE_RATE)
    return lengths, np.concatenate(pieces)


def _pictures(
    spec: LectureSpec, starts: list[float], duration: float, rng: np.random.Generator
) -> list[dict[str, Any]]:
    """videogen parts: unrelated shots cut every 4-12 s, or one look per section."""
    patterns = ("noise", "bars", "moving", "solid")
    parts: list[dict[str, Any]] = []
    if spec.visual == "sections":
        bounds = [*starts, duration]
        for i in range(len(starts)):
            colour = tuple(int(c) for c in rng.integers(30, 226, size=3))
            parts.append(
                {
                    "duration": bounds[i + 1] - bounds[i],
                    "color": colour,
                    "pattern": patterns[i % len(patterns)],
                    "noise": 25,
                }
            )
        return parts
    t = 0.0
    while t < duration - 1e-6:
        d = min(float(rng.uniform(4, 12)), duration - t)
        colour = tuple(int(c) for c in rng.integers(30, 226, size=3))
        parts.append(
            {
                "duration": d,
                "color": colour,
                "pattern": patterns[int(rng.integers(len(patterns)))],
                "noise": 25,
            }
        )
        t += d
    return parts


def _drawtext(text: str, size: str, x: str, y: str, start: float, end: float) -> str:
    safe = text.replace("\\", "").replace("'", "").replace(":", "").replace("%", "")
    return (
        f"drawtext=fontfile='{font_path()}':text='{safe}':fontsize={size}:fontcolor=white:"
        f"box=1:boxcolor=black@0.75:boxborderw=6:x={x}:y={y}:enable='between(t,{start:.3f},{end:.3f})'"
    )


def _filters(spec: LectureSpec, starts: list[float], duration: float) -> list[str]:
    bounds = [*starts, duration]
    out = []
    for i, (title, _) in enumerate(spec.sections):
        label = f"{i + 1}. {title.upper()}"
        if spec.cards == "intro":
            out.append(
                _drawtext(
                    label,
                    "h/8",
                    "(w-tw)/2",
                    "(h-th)/2",
                    bounds[i],
                    min(bounds[i] + INTRO_SECONDS, bounds[i + 1]) - 0.01,
                )
            )
        elif spec.cards == "corner":
            out.append(_drawtext(label, "h/11", "10", "10", bounds[i], bounds[i + 1] - 0.01))
    if spec.logo:
        out.append(_drawtext(spec.logo, "h/18", "w-tw-8", "h-th-8", 0.0, duration + 1))
    return out


def write_wav(path: Path, audio: np.ndarray) -> None:
    """Mono 16-bit PCM at ``SAMPLE_RATE`` from float samples in [-1, 1]."""
    pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm.tobytes())


def make_lecture(path: str | Path, spec: LectureSpec) -> dict[str, Any]:
    """Write ``spec`` as a video at ``path`` (mp4) and return its ground truth (module docstring)."""
    import imageio_ffmpeg

    path = Path(path)
    rng = np.random.default_rng(spec.seed)
    with tempfile.TemporaryDirectory(prefix="vidgist-lecture-") as td:
        tmp = Path(td)
        lengths, audio = _narration(spec, rng, tmp)
        starts = [float(x) for x in np.concatenate([[0.0], np.cumsum(lengths)[:-1]])]
        duration = float(sum(lengths))
        make_video(
            tmp / "pictures.mp4",
            _pictures(spec, starts, duration, rng),
            fps=FPS,
            size=SIZE,
            audio=False,
            seed=spec.seed,
        )
        write_wav(tmp / "voice.wav", audio)
        filters = _filters(spec, starts, duration)
        cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(tmp / "pictures.mp4")]
        if spec.speech:
            cmd += ["-i", str(tmp / "voice.wav")]
        if filters:
            cmd += ["-vf", ",".join(filters)]
        cmd += ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "26", "-pix_fmt", "yuv420p"]
        cmd += ["-c:a", "aac", "-b:a", "48k", "-shortest"] if spec.speech else ["-an"]
        cmd += [str(tmp / "out.mp4")]
        subprocess.run(cmd, check=True)
        shutil.move(str(tmp / "out.mp4"), path)
    bounds = [*starts, duration]
    return {
        "duration": round(duration, 3),
        "speech": spec.speech,
        "cards": spec.cards,
        "spoken_titles": spec.spoken_titles and spec.speech,
        "sections": [
            {"start": round(bounds[i], 3), "end": round(bounds[i + 1], 3), "title": title}
            for i, (title, _) in enumerate(spec.sections)
        ],
    }


def spec_key(spec: LectureSpec) -> str:
    """A hash of everything that shapes the video (its cache key)."""
    blob = json.dumps([asdict(spec), TEMPLATES, SIZE, FPS, INTRO_SECONDS, LEAD, TAIL], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


#: the folder ``clip_cache`` uses instead of the user's cache folder, when set
CLIP_CACHE_ENV = "VIDGIST_TEST_CLIPS"


def clip_cache() -> Path:
    """A folder for the tests' generated videos that outlives one pytest session: ``$VIDGIST_TEST_CLIPS``,
    else ``$XDG_CACHE_HOME/vidgist-test-clips`` (``~/.cache/vidgist-test-clips``), in a subfolder named by
    a hash of this file and videogen.py, so an edit to either generator makes new videos. Nothing is
    shipped: a new clone or machine makes each video on first use, and ``_cached`` reuses one only while
    its truth file records the same spec key."""
    here = Path(__file__).parent
    code = b"".join((here / name).read_bytes() for name in ("lecturegen.py", "videogen.py"))
    base = os.environ.get(CLIP_CACHE_ENV) or (
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vidgist-test-clips"
    )
    return Path(base) / hashlib.sha256(code).hexdigest()[:12]


def _cached(
    folder: str | Path, name: str, key: str, make: Callable[[Path], dict[str, Any]]
) -> tuple[Path, dict[str, Any]]:
    """``folder/NAME.mp4`` and its truth (``NAME.truth.json``), made by ``make`` once and reused while
    the truth file records the same ``key``. Both are written under temporary names and renamed, video
    first, so a run beside this one never reads half a video or a truth whose video is not there yet."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    video, truth_file = folder / f"{name}.mp4", folder / f"{name}.truth.json"
    if video.is_file() and truth_file.is_file():
        truth = json.loads(truth_file.read_text())
        if truth.get("key") == key:
            return video, truth
    part = folder / f".{name}.{os.getpid()}.part"
    truth = {"key": key, **make(part.with_suffix(".mp4"))}
    part.with_suffix(".json").write_text(json.dumps(truth, indent=1))
    os.replace(part.with_suffix(".mp4"), video)
    os.replace(part.with_suffix(".json"), truth_file)
    return video, truth


def cached_lecture(folder: str | Path, spec: LectureSpec) -> tuple[Path, dict[str, Any]]:
    """``folder/NAME.mp4`` and its truth, made once and reused while ``spec_key`` is unchanged."""
    return _cached(folder, spec.name, spec_key(spec), lambda video: make_lecture(video, spec))


def development_set(folder: str | Path) -> list[tuple[Path, dict[str, Any]]]:
    """The videos of ``DEV_SET`` under ``folder`` (made on first use)."""
    return [cached_lecture(folder, spec) for spec in DEV_SET]


# -- talks without title cards: written sentences, several voices ---------------------------------------
@dataclass(frozen=True)
class TalkSpec:
    """A narrated talk whose topic changes only in speech: no title cards, no spoken headings.

    ``sections`` are (title, sentences); ``intro`` / ``recap`` are short spoken passages that belong to the
    first / last section (they name several topics: a segmenter must not make them chapters); ``voice`` is
    ``"espeak:VOICE"`` (an espeak-ng voice), ``"festival"`` (festival's kal diphone voice),
    ``"festival:VOICE"`` (another festival voice, text in Latin-1: Italian ``lp_diphone``, ``pc_diphone``) or
    ``"flite:VOICE"`` (a CMU Flite voice: slt, rms, awb; used only to check unseen voices); pauses are
    drawn per sentence (``pause``) and per section change (``section_pause``), overlapping on purpose.
    """

    name: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    voice: str = "espeak:en-us"
    speed: int = 165
    intro: str = ""
    recap: str = ""
    pause: tuple[float, float] = (0.15, 0.7)
    section_pause: tuple[float, float] = (0.3, 1.2)
    seed: int = 0


def _espeak_many(texts: list[str], voice: str, speed: int) -> list[np.ndarray]:
    import io

    out = []
    for text in texts:
        wav = subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(speed), "--stdout", text], capture_output=True, check=True
        ).stdout
        with wave.open(io.BytesIO(wav)) as w:
            rate = w.getframerate()
            x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768.0
        out.append(_resample(x, rate))
    return out


def _resample(x: np.ndarray, rate: int) -> np.ndarray:
    if rate == SAMPLE_RATE:
        return x
    n = int(round(x.size * SAMPLE_RATE / rate))
    return np.interp(np.arange(n) * rate / SAMPLE_RATE, np.arange(x.size), x).astype(np.float32)


def _festival_many(
    texts: list[str], tmp: Path, speed: int = 165, voice: str = "kal_diphone"
) -> list[np.ndarray]:
    """All ``texts`` in one festival run (by default the kal diphone voice; the ``festival`` and
    ``festvox-kallpc16k`` Debian packages; the Italian ``lp_diphone`` and ``pc_diphone`` voices are
    ``festvox-italp16k`` and ``festvox-itapc16k`` and read Latin-1), one wav each; ``speed`` in words a
    minute relative to espeak's default 165 (durations stretched by 165 / speed)."""
    exe = shutil.which("festival")
    if exe is None:
        raise RuntimeError("festival is not installed: apt-get install -y festival festvox-kallpc16k")
    lines = [f"(voice_{voice})", f"(Parameter.set 'Duration_Stretch {165 / speed:.3f})"]
    for k, text in enumerate(texts):
        safe = text.replace("\\", " ").replace('"', " ")
        lines.append(f'(utt.save.wave (utt.synth (Utterance Text "{safe}")) "{tmp}/f{k}.wav" \'riff)')
    script = tmp / "say.scm"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8" if voice == "kal_diphone" else "latin-1")
    subprocess.run([exe, "-b", str(script)], check=True, capture_output=True)
    out = []
    for k in range(len(texts)):
        with wave.open(str(tmp / f"f{k}.wav"), "rb") as w:
            rate = w.getframerate()
            x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768.0
        out.append(_resample(x, rate))
    return out


def _flite_many(texts: list[str], voice: str, tmp: Path, speed: int = 165) -> list[np.ndarray]:
    """Each of ``texts`` spoken by the CMU Flite ``voice`` (the ``flite`` Debian package); ``speed`` in words
    a minute relative to espeak's default 165 (durations stretched by 165 / speed)."""
    from flitevoice import flite_wav

    out = []
    for k, text in enumerate(texts):
        wav = tmp / f"flite{k}.wav"
        flite_wav(text, voice, wav, speed)
        with wave.open(str(wav), "rb") as w:
            rate = w.getframerate()
            x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768.0
        out.append(_resample(x, rate))
    return out


def _talk_lines(spec: TalkSpec) -> list[tuple[int, str]]:
    """(section index, sentence) in speaking order, intro first and recap last."""
    lines = [(0, spec.intro)] if spec.intro else []
    for i, (_title, sents) in enumerate(spec.sections):
        lines += [(i, s) for s in sents]
    if spec.recap:
        lines.append((len(spec.sections) - 1, spec.recap))
    return lines


def _talk_audio(spec: TalkSpec, tmp: Path) -> tuple[np.ndarray, list[float]]:
    """The narration track and the start time of every section after the first (the pause before a
    section's first sentence belongs to the section before)."""
    rng = np.random.default_rng(spec.seed)
    lines = _talk_lines(spec)
    texts = [t for _, t in lines]
    if spec.voice == "festival":
        voices = _festival_many(texts, tmp, spec.speed)
    elif spec.voice.startswith("festival:"):
        voices = _festival_many(texts, tmp, spec.speed, spec.voice.split(":", 1)[1])
    elif spec.voice.startswith("flite:"):
        voices = _flite_many(texts, spec.voice.split(":", 1)[1], tmp, spec.speed)
    else:
        voices = _espeak_many(texts, spec.voice.split(":", 1)[1], spec.speed)
    pieces = [np.zeros(int(0.5 * SAMPLE_RATE), np.float32)]
    t = 0.5
    bounds: list[float] = []
    for k, ((sec, _), voice) in enumerate(zip(lines, voices, strict=True)):
        if k:
            new = sec != lines[k - 1][0]
            gap = float(rng.uniform(*(spec.section_pause if new else spec.pause)))
            pieces.append(np.zeros(int(gap * SAMPLE_RATE), np.float32))
            t += int(gap * SAMPLE_RATE) / SAMPLE_RATE
            if new:
                bounds.append(round(t, 3))
        pieces.append(voice)
        t += len(voice) / SAMPLE_RATE
    pieces.append(np.zeros(int(1.0 * SAMPLE_RATE), np.float32))
    return np.concatenate(pieces), bounds


def _encode(tmp: Path, audio: np.ndarray, parts: list[dict[str, Any]], seed: int, path: Path) -> None:
    import imageio_ffmpeg

    duration = len(audio) / SAMPLE_RATE
    make_video(tmp / "pictures.mp4", parts, fps=FPS, size=SIZE, audio=False, seed=seed)
    write_wav(tmp / "voice.wav", audio)
    cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(tmp / "pictures.mp4")]
    cmd += ["-i", str(tmp / "voice.wav"), "-t", f"{duration:.3f}"]
    cmd += ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "26", "-pix_fmt", "yuv420p"]
    cmd += ["-c:a", "aac", "-b:a", "48k", str(tmp / "out.mp4")]
    subprocess.run(cmd, check=True)
    shutil.move(str(tmp / "out.mp4"), path)


def make_talk(path: str | Path, spec: TalkSpec) -> dict[str, Any]:
    """Write ``spec`` as a video at ``path`` over unrelated coloured shots; return its ground truth
    (the same form as ``make_lecture``'s, ``cards`` "none")."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="vidgist-talk-") as td:
        tmp = Path(td)
        audio, bounds = _talk_audio(spec, tmp)
        duration = len(audio) / SAMPLE_RATE
        plain = LectureSpec(spec.name, (), seed=spec.seed)
        parts = _pictures(plain, [], duration, np.random.default_rng(spec.seed + 1000))
        _encode(tmp, audio, parts, spec.seed, path)
    edges = [0.0, *bounds, round(duration, 3)]
    return {
        "duration": round(duration, 3),
        "speech": True,
        "cards": "none",
        "spoken_titles": False,
        "voice": spec.voice,
        "intro": bool(spec.intro),
        "recap": bool(spec.recap),
        "sections": [
            {"start": edges[i], "end": edges[i + 1], "title": title}
            for i, (title, _) in enumerate(spec.sections)
        ],
    }


def cached_talk(folder: str | Path, spec: TalkSpec) -> tuple[Path, dict[str, Any]]:
    """``folder/NAME.mp4`` and its truth, made once and reused while the spec is unchanged."""
    blob = json.dumps([asdict(spec), SIZE, FPS, "talk-1"], sort_keys=True)
    key = hashlib.sha256(blob.encode()).hexdigest()[:16]
    return _cached(folder, spec.name, key, lambda video: make_talk(video, spec))


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.strip().splitlines() if line.strip())


#: the tests' talk without title cards: eight sections on houseplants, espeak-ng (its strings are not in
#: any development set: tests/test_chapters.py checks)
HOUSEPLANTS = TalkSpec(
    "houseplants_talk",
    (
        (
            "Succulents",
            _lines("""
            Succulents store water in their thick fleshy leaves.
            An aloe or a jade plant wants a bright window and very little water.
            Let the soil dry out completely before you water a cactus again.
            """),
        ),
        (
            "Orchids",
            _lines("""
            Orchids grow on tree bark in the rainforest, not in ordinary soil.
            Pot a moth orchid in chunky bark so its roots can breathe.
            Soak the orchid roots once a week and let them drain well.
            """),
        ),
        (
            "Ferns",
            _lines("""
            Ferns come from shady damp forest floors.
            A Boston fern loves a steamy bathroom with indirect light.
            Mist the fronds often, dry air turns their tips brown and crispy.
            """),
        ),
        (
            "Repotting",
            _lines("""
            Roots circling the bottom of the pot mean it is time for a bigger container.
            Choose a new pot only one size larger, with a drainage hole.
            Loosen the root ball gently and add fresh potting compost around it.
            """),
        ),
        (
            "Fertiliser",
            _lines("""
            Plant food gives nitrogen, phosphorus and potassium for new growth.
            Feed every two weeks in spring and summer with a diluted liquid feed.
            Too much fertiliser burns the roots and leaves a white crust of salt.
            """),
        ),
        (
            "Spider mites",
            _lines("""
            Spider mites are tiny pests that spin fine webs under the leaves.
            Infested leaves look speckled and pale yellow.
            Wipe the leaves with soapy water and isolate the infested plant.
            """),
        ),
        (
            "Cuttings",
            _lines("""
            Many houseplants can be multiplied from a stem cutting.
            Snip a pothos stem just below a node and stand it in a glass of water.
            After a few weeks white roots appear and the cutting can go into soil.
            """),
        ),
        (
            "Winter care",
            _lines("""
            In winter the days are short and most plants stop growing.
            Water much less and move pots away from cold draughty windows.
            Keep them away from radiators, which dry the air and scorch the leaves.
            """),
        ),
    ),
    voice="espeak:en-us",
    speed=150,
    seed=7,
)


def talk_strings(spec: TalkSpec) -> list[str]:
    """Every title and spoken line of ``spec``."""
    out = [x for x in (spec.intro, spec.recap) if x]
    for title, sents in spec.sections:
        out += [title, *sents]
    return out
