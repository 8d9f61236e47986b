"""Shared test fixtures: where ../shared is, and the narrated demo's ground truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
VIDEOS = SHARED / "videos"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    assert SHARED.is_dir(), f"{SHARED} missing: clone vidgist beside the shared/ folder"
    return SHARED


@pytest.fixture(scope="session")
def narrated_demo() -> tuple[Path, dict]:
    video = VIDEOS / "narrated_demo_24s.mp4"
    truth = json.loads((VIDEOS / "narrated_demo_24s.truth.json").read_text())
    return video, truth


#: `vidgist summarize`/`index` flags for a quick run: no speech or on-screen text, the offline frame model
QUICK_FLAGS = ["--no-asr", "--no-ocr", "--backbone", "offline"]


def synthetic_clip_it(folder: Path, **config: object) -> tuple[dict[str, Path], dict[str, object]]:
    """A 10-video synthetic eccv16 set with 2 splits in ``folder/data`` (the paths it wrote), and a
    CLIP-It config dict (uniform model) for it with paths relative to ``folder``; ``config`` adds keys."""
    from vidgist.data.synthetic_summ import write_synthetic_dataset

    paths = write_synthetic_dataset(folder / "data", n_videos=10, n_splits=2)
    cfg = {
        "name": "t",
        "model": "uniform",
        "dataset": "data/synthetic.h5",
        "splits": "data/synthetic_splits.json",
        "text_features": "data/synthetic_text.h5",
        "backbone": "synthetic-test",
        **config,
    }
    return paths, cfg
