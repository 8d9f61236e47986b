"""Whisper's log-mel features computed a block of frames at a time, so long audio does not need memory
for its whole short-time spectrum at once.

Contract: ``BlockwiseLogMel()(waveform)`` returns the same ``(80, frames)`` float32 array as
faster-whisper's ``FeatureExtractor()(waveform)`` (the same window, centre padding, mel filters and the
clamp of every value to the whole input's maximum minus 8, applied once over all frames), computed
``BLOCK_FRAMES`` frames at a time. faster-whisper's own extractor frames, windows and transforms the
whole input in one go: on 44 minutes of audio that is 2.4 GB at its peak for 84 MB of features; block by
block it is the audio, the features and one block.

``use_blockwise_features(model)`` installs it on a loaded ``WhisperModel``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: frames per block (100 frames a second): 10 s of audio; numpy's FFT needs about 13 MB of working memory per
#: 1,000 frames
BLOCK_FRAMES = 1000
#: faster-whisper's clamp: no value lies more than this far (log10 units) below the input's maximum
DYNAMIC_RANGE = 8.0


def _base() -> type:
    from faster_whisper.feature_extractor import FeatureExtractor

    return FeatureExtractor


class BlockwiseLogMel(_base()):  # type: ignore[misc]
    """faster-whisper's ``FeatureExtractor`` with a block-wise ``__call__`` (see module docstring)."""

    def __call__(
        self, waveform: np.ndarray, padding: int = 160, chunk_length: int | None = None
    ) -> np.ndarray:
        if chunk_length is not None:
            self.n_samples = chunk_length * self.sampling_rate
            self.nb_max_frames = self.n_samples // self.hop_length
        wave = np.asarray(waveform, dtype=np.float32)
        if wave.size + max(int(padding), 0) <= self.n_fft // 2:
            # shorter than half a window: numpy's reflection repeats itself; tiny, so done whole
            return np.asarray(super().__call__(wave, padding=padding), dtype=np.float32)
        x = _centred(wave, padding, self.n_fft // 2)
        # the last frame of the centred spectrum is dropped, as faster-whisper does
        frames = (x.size - self.n_fft) // self.hop_length
        window = np.hanning(self.n_fft + 1)[:-1].astype(np.float32)
        out = np.empty((self.mel_filters.shape[0], frames), dtype=np.float32)
        for lo in range(0, frames, BLOCK_FRAMES):
            hi = min(lo + BLOCK_FRAMES, frames)
            piece = x[lo * self.hop_length : (hi - 1) * self.hop_length + self.n_fft]
            cols = np.lib.stride_tricks.sliding_window_view(piece, self.n_fft)[:: self.hop_length]
            spectrum = np.fft.rfft(cols * window, n=self.n_fft, axis=-1).astype(np.complex64)
            power = np.abs(spectrum.T) ** 2
            out[:, lo:hi] = np.log10(np.clip(self.mel_filters @ power, a_min=1e-10, a_max=None))
        if frames:
            np.maximum(out, out.max() - DYNAMIC_RANGE, out=out)
        out += 4.0
        out /= 4.0
        return out


def _centred(wave: np.ndarray, padding: int, half: int) -> np.ndarray:
    """``wave`` followed by ``padding`` zeros, then reflected by ``half`` samples at both ends (what
    faster-whisper's two ``np.pad`` calls give), built in one array; needs more than ``half`` samples."""
    n = wave.size + max(int(padding), 0)
    out = np.zeros(n + 2 * half, dtype=np.float32)
    out[half : half + wave.size] = wave
    out[:half] = out[2 * half : half : -1]
    out[half + n :] = out[half + n - 2 : n - 2 : -1]
    return out


def use_blockwise_features(model: Any) -> Any:
    """``model`` (a faster-whisper ``WhisperModel``) with its feature extractor replaced by a
    ``BlockwiseLogMel`` of the same settings; returns ``model``."""
    fe = model.feature_extractor
    model.feature_extractor = BlockwiseLogMel(
        feature_size=fe.mel_filters.shape[0],
        sampling_rate=fe.sampling_rate,
        hop_length=fe.hop_length,
        chunk_length=fe.chunk_length,
        n_fft=fe.n_fft,
    )
    return model
