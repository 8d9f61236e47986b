"""Runs ``ray_cases.py`` (the Ray engine on a real local Ray, a 3-node ``cluster_utils.Cluster``, a
SIGKILLed driver, local vs Ray search results) inside a network namespace that holds only loopback:
``unshare -n`` (root, as in CI), then ``ip link set lo up``.

One pytest run of the cases starts (once per session) in that namespace and reports each case as it
ends; each case here waits for its own report. The run starts as soon as collection ends
(``start_early``, called by conftest.py), and conftest.py orders these tests last: the cases, which mostly
wait on Ray's processes, run beside the rest of the suite instead of after it, and the session's summary
ends with the run's own ``--durations`` (every case's own time). Ray's sessions go to a fresh temporary
folder that is removed afterwards, and no Ray process may outlive the run.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CASES = "tests/ray_cases.py"
#: longest wait for one case's report (the cases' own deadlines are shorter)
CASE_TIMEOUT = 600.0


def _case_names() -> list[str]:
    """The test functions of ray_cases.py, in file order (the order pytest runs them)."""
    tree = ast.parse((REPO / CASES).read_text())
    return [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]


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


def _unshare_problem() -> str | None:
    """Why the cases cannot run in a loopback-only network namespace here (None: they can)."""
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return "Ray tests need unshare (util-linux) and ip (iproute2) to run in a loopback-only netns"
    if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode != 0:
        return (
            "unshare -n is not permitted here (needs root or user namespaces): the Ray engine "
            "tests only run in a network namespace holding nothing but loopback"
        )
    return None


def _check_unshare() -> None:
    problem = _unshare_problem()
    if problem is not None:
        pytest.skip(problem)


def _die_with_parent() -> None:
    """In the child before exec: SIGKILL it when this process ends, however it ends (Linux
    ``PR_SET_PDEATHSIG``), so a suite killed while the cases run beside it leaves no run behind (Ray
    then takes its services down with their driver)."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG


class CaseRun:
    """``pytest --verbosity=1`` over the chosen cases in a loopback-only namespace, read as it prints."""

    REPORT = re.compile(r"^tests/ray_cases\.py::(\w+) (PASSED|FAILED|ERROR|SKIPPED)")

    def __init__(self, names: list[str], tmp: str) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO / "src"),
            "PYTHONUNBUFFERED": "1",  # each case's report line as it ends
            "RAY_TMPDIR": tmp,
            "RAY_USAGE_STATS_ENABLED": "0",
            "TMPDIR": tmp,
        }
        for var in ("RAY_ADDRESS", "RAY_AUTH_MODE", "RAY_AUTH_TOKEN"):
            env.pop(var, None)
        script = (
            'ip link set lo up && exec "$0" -m pytest -p no:cacheprovider --verbosity=1 --durations=0 "$@"'
        )
        ids = [f"{CASES}::{n}" for n in names]
        self.proc = subprocess.Popen(
            ["unshare", "-n", "sh", "-c", script, sys.executable, *ids],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=_die_with_parent,
        )
        self.lines: list[str] = []
        self.outcomes: dict[str, str] = {}
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._changed:
                self.lines.append(line)
                m = self.REPORT.match(line)
                if m:
                    self.outcomes[m.group(1)] = m.group(2)
                self._changed.notify_all()
        self.proc.wait()
        with self._changed:
            self._changed.notify_all()

    def outcome(self, name: str, timeout: float) -> str:
        """PASSED/FAILED/ERROR/SKIPPED of case ``name``; "NOT RUN" if the run ended without it."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while name not in self.outcomes and self._reader.is_alive():
                left = deadline - time.monotonic()
                if left <= 0:
                    return "TIMED OUT"
                self._changed.wait(left)
            return self.outcomes.get(name, "NOT RUN")

    def output(self) -> str:
        with self._changed:
            return "".join(self.lines)

    def durations(self) -> list[str]:
        """The run's ``--durations`` lines (each case's own setup and call times), once printed."""
        with self._changed:
            return [ln.rstrip() for ln in self.lines if re.match(r"^\d+\.\d+s (setup|call|teardown) ", ln)]

    def stop(self, timeout: float) -> None:
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=10)


def _chosen(session: pytest.Session) -> list[str]:
    """The cases this session selected (every case when none is named)."""
    chosen = [
        item.callspec.params["case"]
        for item in session.items
        if item.name.startswith("test_ray_case[") and hasattr(item, "callspec")
    ]
    return chosen or _case_names()


#: the run started by ``start_early`` and its temporary folder, taken over by the ``ray_cases`` fixture
RUN_KEY = pytest.StashKey[tuple[CaseRun, str]]()


def start_early(session: pytest.Session) -> None:
    """Start the cases' run now when the session holds any of them (conftest.py, after collection)."""
    if (
        not any(item.name.startswith("test_ray_case") for item in session.items)
        or _unshare_problem() is not None
    ):
        return  # nothing to run, or the fixture skips with its reason
    tmp = tempfile.mkdtemp(prefix="vgray")  # short: Ray's Unix socket paths must stay under 108 bytes
    session.config.stash[RUN_KEY] = (CaseRun(_chosen(session), tmp), tmp)


def _clean_up(run: CaseRun, tmp: str) -> None:
    """End the run (at once) and every Ray process under ``tmp``; remove ``tmp``."""
    run.stop(timeout=0)
    for pid in _processes_under(tmp):
        os.kill(pid, signal.SIGKILL)
    shutil.rmtree(tmp, ignore_errors=True)


def finish_early(config: pytest.Config) -> list[str]:
    """At the session's end (conftest.py): clean up a run no test took over (e.g. a run stopped by ``-x``);
    return the run's ``--durations`` lines (empty when none ran)."""
    started = config.stash.get(RUN_KEY, None)
    if started is None:
        return []
    run, tmp = started
    if run.proc.poll() is None or Path(tmp).exists():
        _clean_up(run, tmp)
    return run.durations()


@pytest.fixture(scope="session")
def ray_cases(request: pytest.FixtureRequest) -> Iterator[CaseRun]:
    """The cases this session selected, running in one loopback-only namespace (started early by
    ``start_early`` when conftest.py could, else here)."""
    started = request.config.stash.get(RUN_KEY, None)
    if started is None:
        _check_unshare()
        tmp = tempfile.mkdtemp(prefix="vgray")
        started = (CaseRun(_chosen(request.session), tmp), tmp)
        request.config.stash[RUN_KEY] = started
    run, tmp = started
    try:
        yield run
        run.stop(timeout=CASE_TIMEOUT)
        left = _processes_under(tmp)
    finally:
        _clean_up(run, tmp)
    assert not left, f"Ray processes left behind: {left}"


@pytest.mark.parametrize("case", _case_names())
def test_ray_case(ray_cases: CaseRun, case: str) -> None:
    outcome = ray_cases.outcome(case, CASE_TIMEOUT)
    assert outcome == "PASSED", f"{case}: {outcome}\n" + ray_cases.output()[-8000:]
