"""The command line, run as a user runs it (`run`: a real `mockvoice` process) or in-process
(`invoke`: the same app through typer's CliRunner, with the same result shape), and the checks
every CLI test shares.

A process costs its start-up and redoes what the test session has already computed (the
phrase patterns of a scenario take seconds); `invoke` shares them. Tests of what only a real
process shows (timing including start-up, exit codes through the console script, signals) use
`run`; so does at least one test per command family (tests/test_cli.py).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import traceback
import wave
from pathlib import Path

import numpy as np

from mockvoice.errors import ExitCode

from . import ROOT

EXE = Path(sys.executable).parent / "mockvoice"  # the console script in the venv
SAMPLE = ROOT / "samples" / "strong-answer.flac"
TIMEOUT_S = 300


def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`mockvoice ARGS` in a new process, in `cwd`, with `env` (default: this process's)."""
    return subprocess.run(
        [str(EXE), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env or os.environ.copy(),
        timeout=TIMEOUT_S,
    )


def invoke(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`mockvoice ARGS` in this process: the same app, exit code, stdout and stderr as `run`.

    `cwd` is the working directory and `env` the environment for the call (both restored
    after). An exception that escapes the app is what a process would print: its traceback on
    stderr and exit code 1."""
    from typer.testing import CliRunner

    from mockvoice.cli.main import app

    sigterm = signal.getsignal(signal.SIGTERM)  # a rehearsal installs its own
    try:
        with contextlib.chdir(cwd):
            result = CliRunner().invoke(app, list(args), env=env, prog_name="mockvoice")
    finally:
        signal.signal(signal.SIGTERM, sigterm)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        exc = result.exception
        stderr += "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return subprocess.CompletedProcess(["mockvoice", *args], result.exit_code, result.stdout, stderr)


def assert_one_line_error(proc: subprocess.CompletedProcess, code: ExitCode, *needles: str) -> None:
    assert proc.returncode == int(code), proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("mockvoice: error: ")
    for needle in needles:
        assert needle in lines[0]


def write_wav(path: Path, samples: np.ndarray, rate: int = 16000) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path
