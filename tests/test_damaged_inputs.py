"""Damaged files (issue 12): decoded around the damage, never an abort, Ctrl-C exits 130 cleanly.

The damaged copies come from the generator of ``benchmarks/fuzz_inputs.py`` (which runs 200 of them)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from vidgist.media.damage import DamageReport
from vidgist.media.video import extract_audio, iter_sampled, probe

REPO = Path(__file__).resolve().parents[1]
VIDEOS = REPO.parent / "shared" / "videos"
sys.path.insert(0, str(REPO / "benchmarks"))
from fuzz_inputs import classify, damage_copy  # noqa: E402

VIDGIST = [sys.executable, "-m", "vidgist"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


@pytest.fixture(scope="module")
def flipped_audio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("damaged")
    return damage_copy(VIDEOS / "narrated_demo_24s.mp4", "flip_audio", d, random.Random(3))


def test_flipped_audio_decodes_around_the_damage_in_place(flipped_audio: Path) -> None:
    clean = extract_audio(VIDEOS / "narrated_demo_24s.mp4")
    damage = DamageReport(flipped_audio, probe(flipped_audio).duration)
    audio = extract_audio(flipped_audio, damage=damage)
    assert clean is not None and audio is not None
    assert damage.audio.failed_packets > 0 and 0 < damage.audio.lost_s < 2.4
    # skipped packets are replaced by silence of their length, so the sound after them keeps its time
    assert abs(audio.size - clean.size) < 0.02 * 16000
    shifts = []
    for t in np.arange(0.0, 23.0, 0.5):
        win = slice(int(t * 16000) + 1200, int((t + 0.4) * 16000) + 1200)
        if np.std(clean[win]) > 1e-3:  # speech here: where does the damaged copy match best?
            lags = range(-1200, 1201, 4)
            shifts.append(
                max(lags, key=lambda k: float(np.dot(clean[win.start + k : win.stop + k], audio[win])))
            )
    assert len(shifts) > 10 and np.median(np.abs(shifts)) <= 8, shifts
    frames = list(iter_sampled(flipped_audio, 1.0, damage=damage))
    assert len(frames) == pytest.approx(24, abs=1) and damage.video.lost_s == 0.0


def test_flipped_audio_gives_a_summary_with_a_damage_report(flipped_audio: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    p = subprocess.run(
        [
            *VIDGIST,
            "summarize",
            str(flipped_audio),
            "-q",
            "planet earth",
            "--backbone",
            "offline",
            "--no-ocr",
            "--no-video",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
    )
    outcome, detail = classify(p.returncode, p.stderr, out, want_video=False)
    assert outcome == "ok+damage", (outcome, detail, p.stderr[-2000:])
    doc = json.loads((out / "summary.json").read_text())
    dmg = doc["damage"]
    assert dmg["audio_s"] > 0 and dmg["audio"]["ranges"] and dmg["audio"]["bad_packets"] > 0
    assert dmg["video_s"] == 0.0
    assert doc["transcript"], "speech is still transcribed around the damage"
    warnings = [ln for ln in p.stderr.splitlines() if ln.startswith("vidgist: warning:")]
    assert len(warnings) == 1 and "damaged" in warnings[0] and str(flipped_audio) in warnings[0]


def test_error_while_speech_recognition_runs_exits_2_not_abort(tmp_path: Path) -> None:
    # every video packet zeroed from 40% of the file on: decoding fails a few seconds in, while the
    # speech thread is still busy with the whole soundtrack
    bad = damage_copy(VIDEOS / "narrated_demo_24s.mp4", "wreck_video", tmp_path, random.Random(1))
    out = tmp_path / "out"
    p = subprocess.run(
        [*VIDGIST, "summarize", str(bad), "-q", "planet earth", "--backbone", "offline", "-o", str(out)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
    )
    outcome, detail = classify(p.returncode, p.stderr, out)
    assert outcome == "refused", (outcome, detail, p.stderr[-2000:])
    assert "terminate called" not in p.stderr and str(bad) in detail and "damaged video" in detail


def _holds_open(pid: int, path: Path) -> bool:
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                return True
        except OSError:
            continue
    return False


def _default_sigint() -> None:
    """In the child, before exec: Ctrl-C as a terminal's foreground job gets it (a suite started in the
    background by a non-interactive shell inherits SIGINT ignored, and exec keeps that)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_sigint_while_decoding_exits_130_and_leaves_nothing(tmp_path: Path) -> None:
    video = (VIDEOS / "bigbuckbunny_30s_360p.mp4").resolve()
    out = tmp_path / "out"
    p = subprocess.Popen(
        [
            *VIDGIST,
            "summarize",
            str(video),
            "--backbone",
            "offline",
            "--fps",
            "4",
            "--no-asr",
            "-o",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        preexec_fn=_default_sigint,
    )
    held, deadline = 0, time.monotonic() + 120
    while held < 3 and time.monotonic() < deadline and p.poll() is None:  # the decoding thread has it open
        held = held + 1 if _holds_open(p.pid, video) else 0
        time.sleep(0.05)
    assert held == 3 and p.poll() is None, "decoding never started"
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    lines = [ln for ln in err.splitlines() if ln.startswith("vidgist") or "Error" in ln or "terminate" in ln]
    assert p.returncode == 130, err[-2000:]
    assert lines == ["vidgist: interrupted"], err[-2000:]
    assert not out.exists() or not any(out.iterdir())


def test_a_ctrl_c_after_the_command_finished_does_not_kill_it(tmp_path: Path) -> None:
    """The command's own entry (``run``, as the ``vidgist`` script and ``python -m vidgist`` use): once a
    command is done, a Ctrl-C that arrives while the process shuts down is ignored, so a finished run
    exits 0 instead of dying by SIGINT (fuzz_inputs.py's Ctrl-C runs caught that, 1 in 4)."""
    late = (
        "import os, signal, sys, time\n"
        "from vidgist.cli import main as cli\n"
        "def exit_late(code):\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"  # the late Ctrl-C, after the command returned
        "    time.sleep(0.2)\n"
        "    raise SystemExit(code)\n"
        "sys.exit = exit_late\n"
        "cli.run()\n"
    )
    p = subprocess.run(
        [sys.executable, "-c", late, "--version"],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
        preexec_fn=_default_sigint,
    )
    assert p.returncode == 0, (p.returncode, p.stderr[-2000:])
    assert p.stdout.strip() and "Traceback" not in p.stderr
