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
