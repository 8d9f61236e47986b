"""vidgist.media.log_mel: Whisper's log-mel features block by block, equal to faster-whisper's own."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
from faster_whisper.feature_extractor import FeatureExtractor

from vidgist.media import speech
from vidgist.media.log_mel import BLOCK_FRAMES, BlockwiseLogMel
from vidgist.media.video import extract_audio


def _long_speech(narrated_demo: tuple[Path, dict], seconds: float) -> np.ndarray:
    """Real narration repeated to ``seconds``, each copy a little quieter, so the maximum sits in one
    block and the clamp to it reaches every other block."""
    audio = extract_audio(narrated_demo[0])
    assert audio is not None
    copies = int(np.ceil(seconds * speech.SAMPLE_RATE / audio.size))
    joined = np.concatenate([audio * (1.0 - 0.05 * k) for k in range(copies)]).astype(np.float32)
    return joined[: int(seconds * speech.SAMPLE_RATE)]


def test_blockwise_features_equal_faster_whispers_bit_for_bit(narrated_demo: tuple[Path, dict]) -> None:
    audio = _long_speech(narrated_demo, 2.5 * BLOCK_FRAMES / 100 + 0.37)  # three blocks, the last partial
    whole = FeatureExtractor()(audio)
    blocks = BlockwiseLogMel()(audio)
    assert blocks.shape == whole.shape and blocks.shape[1] > 2 * BLOCK_FRAMES
    assert blocks.dtype == np.float32
    assert np.array_equal(blocks, whole)
    for n in (3000, 41, 0):  # shorter than one block; than half a window; nothing (silence the VAD cut)
        assert np.array_equal(BlockwiseLogMel()(audio[:n]), FeatureExtractor()(audio[:n])), n


def test_blockwise_features_need_a_fraction_of_the_memory(narrated_demo: tuple[Path, dict]) -> None:
    audio = _long_speech(narrated_demo, 600.0)

    def peak(extractor: FeatureExtractor) -> int:
        tracemalloc.start()
        try:
            features = extractor(audio)
            return tracemalloc.get_traced_memory()[1] - features.nbytes
        finally:
            tracemalloc.stop()

    whole, blocks = peak(FeatureExtractor()), peak(BlockwiseLogMel())
    # faster-whisper holds the framed, windowed audio and its whole spectrum (about 13x the audio);
    # block by block it is the padded audio and one block
    assert whole > 8 * audio.nbytes, whole
    assert blocks < 2 * audio.nbytes, (blocks, audio.nbytes)


def test_loaded_whisper_models_use_the_blockwise_features() -> None:
    model = speech.load_model("tiny.en")
    assert isinstance(model.feature_extractor, BlockwiseLogMel)
    assert model.feature_extractor.mel_filters.shape == (80, 201)
