"""Which Whisper model transcribes a video for `vidgist query`, chosen from what is on screen.

Contract: ``SpeechJob(audio, asr_model, beam)`` starts transcribing at once in a background thread;
``finish(script)`` returns the ``vidgist.media.speech.Transcript`` to use, given the language the script
of the on-screen text decided (``qms.phrases.script_language``: "zh", "en" or None), and
``cancel()`` stops it on error paths. ``asr_model`` is ``AUTO`` or a model ``media.speech`` knows.

With ``AUTO`` (the default of ``vidgist query``), English-only Whisper tiny.en starts at once (about half
the CPU time of multilingual base per clip, and no language-detection pass), beside OCR and the frame
model; then

- Chinese on-screen text: tiny.en is stopped and multilingual base transcribes (detecting the language);
- too little on-screen text to tell (no captions): base's language detection alone runs (one encoder
  pass) while tiny.en goes on; English keeps tiny.en's transcript, another language stops it and base
  transcribes in that language;
- English on-screen text: tiny.en's transcript, unless it looks failed (``Transcript.doubtful``: no text
  from speech, a repetition loop, a low mean log-probability, as tiny.en gives for speech in another
  language), when base transcribes with language detection.

``route`` says which of these happened (``--json`` prints it as ``asr_route``). Any other ``asr_model``
runs that model alone, as before (base: language detected by Whisper on every video).
"""

from __future__ import annotations

import numpy as np

from vidgist.media.prefetch import Background
from vidgist.media.speech import Transcript, detect_spoken_language, transcribe_checked

AUTO = "auto"
ENGLISH_MODEL = "tiny.en"
MULTILINGUAL_MODEL = "base"


class SpeechJob:
    """One video's transcription under the policy of the module docstring."""

    def __init__(self, audio: np.ndarray, asr_model: str = AUTO, beam: int = 1) -> None:
        self.audio, self.asr_model, self.beam = audio, asr_model, beam
        first = ENGLISH_MODEL if asr_model == AUTO else asr_model
        self.route = "" if asr_model == AUTO else f"{asr_model} (asked for)"
        self._job: Background[Transcript] = Background(
            lambda stop: transcribe_checked(audio, first, beam_size=beam, stop=stop), "vidgist-query-asr"
        )

    def _multilingual(self, why: str, language: str | None = None) -> Transcript:
        self._job.cancel()
        self.route = why
        return transcribe_checked(self.audio, MULTILINGUAL_MODEL, language=language, beam_size=self.beam)

    def finish(self, script: str | None) -> Transcript:
        """The transcript to use, given the on-screen script's language (see module docstring)."""
        if self.asr_model != AUTO:
            return self._job.result()
        if script == "zh":
            return self._multilingual("base: Chinese on-screen text")
        if script is None:
            spoken = detect_spoken_language(self.audio, MULTILINGUAL_MODEL)
            if spoken not in (None, "en"):
                return self._multilingual(f"base: no on-screen text to tell, base heard '{spoken}'", spoken)
            heard = "English" if spoken else "no speech"
            self.route = f"tiny.en: no on-screen text to tell, base heard {heard}"
        else:
            self.route = "tiny.en: English on-screen text"
        english = self._job.result()
        if english.doubtful:
            return self._multilingual("base: tiny.en's transcript looked failed")
        return english

    def cancel(self) -> None:
        """Stop the background transcription (error paths)."""
        self._job.cancel()
