"""Helpers shared by the tests and the benches: one package, imported as `tests.support.…`.

The repository root is on sys.path for pytest (`pythonpath = ["."]` in pyproject.toml) and for
the benches, which run as modules from the root (`.venv/bin/python -m bench.latency`); nothing
edits sys.path. Test modules import helpers from here, never from another test module.

    tests.support          ROOT, CACHE, need() (skip locally, fail in CI, when a tool is missing)
    tests.support.cli      run (a real `mockvoice` process), invoke (the same, in-process), checks
    tests.support.devset   the spoken dev set (tests/devset/answers.yaml) built into WAVs + truth
    tests.support.metrics  precision, recall, boundary error and WER of a session against its truth
    tests.support.fillers  spoken answers with known "um"/"uh" and their times
    tests.support.pulse    a private PulseAudio server (the `pulse` fixture, a pytest plugin)
    tests.support.e2e      whole `mockvoice` runs driven from outside: Ear, start, finish, spoken
    tests.support.audio    loudness of a recording (frame RMS, loud span)
    tests.support.tmux     a tmux pane of a given size whose screen is read (capture-pane)
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache"  # spoken answers and voices, kept between runs
DEVSET = ROOT / "tests" / "devset"  # the dev set's tables (YAML)
REQUIRE_AUDIO = os.environ.get("MOCKVOICE_REQUIRE_AUDIO") == "1"  # set by .ci/run


def need(tool: str) -> None:
    """Skip locally, fail in CI, when a command-line tool is missing."""
    import pytest

    if shutil.which(tool) is None:
        message = f"{tool} is not installed (run scripts/setup.sh)"
        if REQUIRE_AUDIO:
            pytest.fail(message)
        pytest.skip(message)
