"""Shared test fixtures: where ../shared is, and the narrated demo's ground truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from vidgist.util.threads import passive_openmp

if TYPE_CHECKING:
    from vidgist.summarize.chapters import ChapterSet
    from vidgist.types import Evidence

# OpenMP workers sleep while they wait, for every runtime loaded from here on: CTranslate2's, torch's, and
# the subprocesses' (the Ray cases run beside the suite), before any test builds a model. With the default
# (spinning) policy, a second Whisper run in one process took 23-54 s instead of 1-2 s while another
# process held a core. A policy set in the environment wins.
passive_openmp()

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


def chapters_read_by_e5(evidence: Evidence) -> tuple[ChapterSet, list[str]]:
    """``find_chapters`` over the whole of ``evidence`` (one shot) with multilingual-e5 as the model of
    speech that is not English, and every text that model was given."""
    from vidgist.backbones.e5 import e5_passage
    from vidgist.backbones.offline import encode_sentences
    from vidgist.summarize.chapters import ChapterParams, find_chapters

    read: list[str] = []

    def multilingual(texts: list[str]) -> np.ndarray:
        read.extend(texts)
        return e5_passage(texts)

    shots = [(0.0, evidence.info.duration)]
    return find_chapters(evidence, shots, encode_sentences, ChapterParams(), multilingual), read


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


# -- the Ray engine's cases run beside the rest of the suite ------------------------------------------------
RAY_FILE = "test_batch_ray.py"


def _ray_module(session: pytest.Session) -> object | None:
    """tests/test_batch_ray.py as this session imported it, if it collected any of its tests."""
    for item in session.items:
        if item.path.name == RAY_FILE:
            return item.getparent(pytest.Module).obj  # type: ignore[union-attr]
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """tests/test_batch_ray.py's tests go last: they wait for the cases' own run (started when collection
    ends), which meanwhile runs beside every other test instead of after them."""
    items.sort(key=lambda item: item.path.name == RAY_FILE)  # a stable sort: the order is kept otherwise


def pytest_collection_finish(session: pytest.Session) -> None:
    module = _ray_module(session)
    if module is not None and not session.config.option.collectonly:
        module.start_early(session)  # type: ignore[attr-defined]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """End a Ray cases' run that no test took over (e.g. after ``-x``); keep its durations for the summary."""
    module = _ray_module(session)
    if module is not None:
        session.config.stash[RAY_DURATIONS] = module.finish_early(session.config)  # type: ignore[attr-defined]


RAY_DURATIONS = pytest.StashKey[list[str]]()


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    """The Ray cases' own times (their run's ``--durations``)."""
    lines = config.stash.get(RAY_DURATIONS, [])
    if lines:
        terminalreporter.section("Ray cases: their own durations (run beside the suite)")
        for line in lines:
            terminalreporter.write_line(line)
