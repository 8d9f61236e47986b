"""Results files behind every benchmark table: ``benchmarks/results/NAME.json``.

Every benchmark script ends with :func:`write_results`, which records the figures together with what is
needed to trust them: the command, the seeds or folds, the config, the commit, the machine, the date and the
wall time. A ``--quick`` (CI-sized) run writes ``NAME.quick.json`` so it never overwrites the full run the
docs are generated from. :func:`load_results` reads a file back.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def machine() -> dict[str, Any]:
    """The CPU model, core count, CPU flags that pick kernels (AVX2 / AVX-512), OS and Python version."""
    model, flags = platform.processor() or "", ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and not model.strip():
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags") and not flags:
                flags = line
    except OSError:
        pass
    return {
        "cpu": model.strip(),
        "cores": os.cpu_count(),
        "avx2": " avx2" in flags,
        "avx512": " avx512f" in flags,
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def commit() -> str:
    """The checked-out commit (with ``+dirty`` when the tree has changes), or ``unknown``."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_results(
    name: str,
    figures: dict[str, Any],
    *,
    seeds: list[int] | None = None,
    config: dict[str, Any] | None = None,
    wall_s: float | None = None,
    quick: bool = False,
    command: str | None = None,
) -> Path:
    """Write ``results/NAME.json`` (``NAME.quick.json`` when ``quick``) atomically and return its path."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}{'.quick' if quick else ''}.json"
    record = {
        "name": name,
        "command": command or "python " + " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
        "figures": figures,
        "seeds": seeds,
        "config": config or {},
        "commit": commit(),
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
        "wall_s": None if wall_s is None else round(wall_s, 1),
        "quick": quick,
    }
    fd, tmp = tempfile.mkstemp(dir=RESULTS_DIR, suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        json.dump(record, fh, indent=2, sort_keys=False, default=float)
        fh.write("\n")
    os.replace(tmp, path)
    return path


def write_and_report(name: str, figures: dict[str, Any], **options: Any) -> Path:
    """``write_results`` (same arguments), then print the file written and the run's wall time as one
    JSON line, as a benchmark's last output."""
    path = write_results(name, figures, **options)
    wall = options.get("wall_s")
    print(json.dumps({"written": str(path), "wall_s": None if wall is None else round(wall, 1)}))
    return path


def load_results(name: str, quick: bool = False) -> dict[str, Any]:
    """Read ``results/NAME.json`` (or its quick twin)."""
    return json.loads((RESULTS_DIR / f"{name}{'.quick' if quick else ''}.json").read_text())
