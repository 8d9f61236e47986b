"""scripts/check_system.sh on a machine without the Debian tools: it names the one install line, fast."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "check_system.sh"


def test_missing_packages_give_one_install_line_within_seconds(tmp_path: Path) -> None:
    bare = tmp_path / "bin"  # a PATH holding none of the tools
    bare.mkdir()
    env = {**os.environ, "PATH": str(bare)}
    t0 = time.monotonic()
    proc = subprocess.run(
        ["/bin/bash", str(SCRIPT), "test", "--check-only"],
        env=env,
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert time.monotonic() - t0 < 10
    assert proc.returncode == 1
    line = [x for x in proc.stderr.splitlines() if "apt-get install" in x]
    assert len(line) == 1 and all(p in line[0] for p in ("espeak-ng", "ffmpeg", "chromium", "iproute2"))


def test_demo_needs_no_system_package(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path)}
    proc = subprocess.run(["/bin/bash", str(SCRIPT), "demo", "--check-only"], env=env, capture_output=True)
    assert proc.returncode == 0 and not proc.stderr


def test_unknown_target_is_refused() -> None:
    proc = subprocess.run(["/bin/bash", str(SCRIPT), "everything"], capture_output=True, text=True)
    assert proc.returncode == 2 and "use demo, test or bench" in proc.stderr
