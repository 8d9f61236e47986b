"""Runs ``ray_cases.py`` (the Ray engine on a real local Ray, a 3-node ``cluster_utils.Cluster``, a
SIGKILLed driver) inside a network namespace that holds only loopback: ``unshare -n`` (root, as in CI),
then ``ip link set lo up``. Ray's sessions go to a fresh temporary folder that is removed afterwards,
and no Ray process may outlive the run.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CASES = "tests/ray_cases.py"


def _processes_under(folder: str) -> list[int]:
    """Processes whose command line names ``folder`` (Ray's services carry their session dir)."""
    found = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit() and int(d.name) != os.getpid():
            try:
                if folder.encode() in (d / "cmdline").read_bytes():
                    found.append(int(d.name))
            except OSError:
                continue
    return found


def test_ray_engine_in_a_loopback_only_namespace() -> None:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        pytest.skip("Ray tests need unshare (util-linux) and ip (iproute2) to run in a loopback-only netns")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(
            "unshare -n is not permitted here (needs root or user namespaces): the Ray engine "
            "tests only run in a network namespace holding nothing but loopback"
        )
    tmp = tempfile.mkdtemp(prefix="vgray")  # short: Ray's Unix socket paths must stay under 108 bytes
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "RAY_TMPDIR": tmp,
        "RAY_USAGE_STATS_ENABLED": "0",
        "TMPDIR": tmp,
    }
    for var in ("RAY_ADDRESS", "RAY_AUTH_MODE", "RAY_AUTH_TOKEN"):
        env.pop(var, None)
    script = 'ip link set lo up && exec "$0" -m pytest -p no:cacheprovider --durations=0 -x ' + CASES
    try:
        proc = subprocess.run(
            ["unshare", "-n", "sh", "-c", script, sys.executable],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        left = _processes_under(tmp)
    finally:
        for pid in _processes_under(tmp):
            os.kill(pid, signal.SIGKILL)
        shutil.rmtree(tmp, ignore_errors=True)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    assert "7 passed" in proc.stdout
    assert not left, f"Ray processes left behind: {left}"
