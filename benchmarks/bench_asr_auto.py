"""The automatic speech model (``--asr-model auto``): does it keep tiny.en for English and turn to base for
speech in other languages?

Usage: python benchmarks/bench_asr_auto.py

Short narrations (about 10-15 s, two sentences each) written for this script in English (espeak-ng en-us
and en-gb, Festival's kal voice, CMU Flite slt and rms) and in eight other languages that espeak-ng speaks
(Spanish, German, French, Italian, Portuguese, Dutch, Polish, Swedish). Two policies side by side:
``doubtful`` (tiny.en; base's language detection only when tiny.en's transcript looks failed,
``Transcript.doubtful``) and ``detect`` (base's language detection on every clip, one encoder pass over the
first 30 s of speech; tiny.en for English, base in the language heard otherwise: what
``media.speech.transcribe_auto`` does). Figures: the share of English clips kept on tiny.en, of
other-language clips turned to base and in their own language, and the seconds each policy adds to tiny.en
on the English clips. Written to ``benchmarks/results/asr_auto.json``.

Rule, written after a first run of ``doubtful`` alone (which missed Italian and Swedish: tiny.en wrote
fluent English for them) and before the first run of ``detect``: the automatic choice detects first if, on
these clips, that keeps every English clip on tiny.en, turns more other-language clips to base, and adds at
most 1.5 s per English clip. It did (10 of 10 English kept; 7 of 8 others against 6; 0.65 s).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

#: (language code Whisper reports, narration)
OTHER = (
    ("es", "La biblioteca abre a las nueve de la mañana. Los lectores devuelven los libros en el mostrador."),
    ("de", "Der Zug nach Hamburg fährt heute später ab. Bitte warten Sie auf dem zweiten Bahnsteig."),
    ("fr", "Le marché du samedi vend des fromages de la région. Les enfants achètent des pommes rouges."),
    ("it", "Il museo della città è chiuso il lunedì. I turisti visitano la cattedrale nel pomeriggio."),
    ("pt", "O pescador sai do porto antes do sol nascer. Ele volta com o barco cheio de sardinhas."),
    ("nl", "De fietsenmaker repareert de band in tien minuten. Daarna fietst het meisje naar school."),
    ("pl", "Babcia piecze ciasto z jabłkami w niedzielę. Cała rodzina siedzi przy dużym stole."),
    ("sv", "Vi plockar blåbär i skogen på hösten. Sedan kokar mamma sylt i köket."),
)
ENGLISH = (
    "The ferry to the island leaves every hour. Passengers wait on the wooden pier with their bicycles.",
    "Our choir practises on Thursday evenings. The new members learn the songs by ear.",
)
#: the English voices: (name, speak voice, espeak-ng voice)
ENGLISH_VOICES = (
    ("espeak en-us", "espeak", "en-us"),
    ("espeak en-gb", "espeak", "en-gb"),
    ("festival kal", "festival", "en"),
    ("flite slt", "flite:slt", "en"),
    ("flite rms", "flite:rms", "en"),
)


def clip_audio(text: str, lang: str, voice: str, folder: Path) -> Any:
    """``text`` spoken as mono float32 at 16 kHz (``tests/librarygen.speak``)."""
    from librarygen import speak

    return speak(text, lang, folder, voice)


def run_one(audio: Any) -> dict[str, Any]:
    """Both policies on ``audio``: tiny.en's doubt, the language detected, the model and language each
    ends with, and seconds."""
    from vidgist.media.speech import detect_spoken_language, transcribe_checked

    t0 = time.perf_counter()
    tiny = transcribe_checked(audio, "tiny.en")
    t1 = time.perf_counter()
    heard = detect_spoken_language(audio, "base")
    t2 = time.perf_counter()
    out = {
        "tiny_doubtful": tiny.doubtful,
        "detected": heard,
        "tiny_text": " ".join(s.text for s in tiny.spans),
        "tiny_s": round(t1 - t0, 2),
        "detect_s": round(t2 - t1, 2),
    }
    switch = {"doubtful": tiny.doubtful and heard not in (None, "en"), "detect": heard not in (None, "en")}
    for policy, to_base in switch.items():
        out[f"{policy}_model"] = "base" if to_base else "tiny.en"
        out[f"{policy}_language"] = heard if to_base else "en"
    if heard not in (None, "en"):
        t3 = time.perf_counter()
        base = transcribe_checked(audio, "base", language=heard)
        out["base_s"] = round(time.perf_counter() - t3, 2)
        out["base_text"] = " ".join(s.text for s in base.spans)
    return out


def main() -> None:
    from results_io import write_results

    from vidgist.media.speech import load_model

    load_model("tiny.en")
    load_model("base")
    rows = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="vidgist-asr-auto-") as tmp:
        folder = Path(tmp)
        for name, voice, espeak_voice in ENGLISH_VOICES:
            for k, text in enumerate(ENGLISH):
                lang = espeak_voice if voice == "espeak" else "en"
                row = {
                    "language": "en",
                    "voice": name,
                    "clip": k,
                    **run_one(clip_audio(text, lang, voice, folder)),
                }
                rows.append(row)
                print(f"en {name} {k}: doubtful {row['tiny_doubtful']}, heard {row['detected']}", flush=True)
        for code, text in OTHER:
            row = {"language": code, "voice": f"espeak {code}", "clip": 0}
            row.update(run_one(clip_audio(text, code, "espeak", folder)))
            rows.append(row)
            print(
                f"{code}: doubtful {row['tiny_doubtful']}, heard {row['detected']} "
                f"{row.get('base_text', row['tiny_text'])[:60]!r}",
                flush=True,
            )
    english = [r for r in rows if r["language"] == "en"]
    other = [r for r in rows if r["language"] != "en"]
    figures: dict[str, Any] = {"english clips": len(english), "other clips": len(other)}
    for policy in ("doubtful", "detect"):
        added = [r["detect_s"] if policy == "detect" or r["tiny_doubtful"] else 0.0 for r in english]
        figures[policy] = {
            "english kept on tiny.en": sum(r[f"{policy}_model"] == "tiny.en" for r in english) / len(english),
            "other languages turned to base": sum(r[f"{policy}_model"] == "base" for r in other) / len(other),
            "other languages in their own language": sum(
                r[f"{policy}_language"] == r["language"] for r in other
            )
            / len(other),
            "seconds added per english clip": round(sum(added) / len(english), 2),
        }
    figures["tiny.en seconds per english clip"] = round(sum(r["tiny_s"] for r in english) / len(english), 2)
    figures["clips"] = rows
    for key, value in figures.items():
        if key != "clips":
            print(f"{key}: {value}")
    path = write_results("asr_auto", figures, wall_s=time.perf_counter() - t0)
    print(json.dumps({"written": str(path)}))


if __name__ == "__main__":
    main()
