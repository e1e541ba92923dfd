"""The fault-injection suite of issue 14 (point 4 and its bars): every case of the table in
tests/support/faults.py run for real and judged the same way (exit code, one line on stderr, no
traceback, nothing saved before lost or changed, no half or staging folder, `review` lists every
good session, `doctor` says exactly what was left and fixes it); then signals at random moments of
real `analyze` processes (a fixed seed; SIGKILL at least 20 times), two saves at once, and
SIGKILL of a real `mock` through the virtual microphone at random moments of the answer.

The table is printed at the end of the module (`-s` shows it); `python -m bench.faults` prints it
too. Cases that run the model are in the audio tier.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from tests.support import faults
from tests.support.e2e import EXE, start

from mockvoice.audio.files import load
from mockvoice.audio.recorder import MARKER_SUFFIX

pytest_plugins = ["tests.support.pulse"]

ROWS: list[faults.Row] = []
KILLS = 20


@pytest.fixture(scope="module", autouse=True)
def _printed() -> Iterator[None]:
    yield
    if ROWS:
        print("\n" + faults.table(ROWS))


def _params() -> list:
    return [pytest.param(c, id=c.name, marks=[pytest.mark.audio] if c.model else []) for c in faults.CASES]


def test_the_table_has_at_least_60_cases() -> None:
    assert len(faults.CASES) + KILLS >= 60 and len(faults.CASES) >= 60


@pytest.mark.parametrize("case", _params())
def test_each_fault_is_handled(case: faults.Case, scenario, tmp_path: Path) -> None:
    row = faults.judge(case, tmp_path, scenario)
    ROWS.append(row)
    assert not row.problems, f"{case.name}: {row.verdict}"


@pytest.mark.audio
@pytest.mark.parametrize(
    ("sig", "runs"),
    [(signal.SIGKILL, KILLS), (signal.SIGINT, 3), (signal.SIGTERM, 3)],
    ids=["KILL", "INT", "TERM"],
)
def test_signals_at_random_moments_of_analyze(sig: int, runs: int, scenario, tmp_path: Path) -> None:
    rows = faults.signal_rows(tmp_path, scenario, sig, runs)
    ROWS.extend(rows)
    assert len(rows) == runs
    assert all(not r.problems for r in rows), faults.table(rows)


@pytest.mark.audio
def test_two_analyze_saving_at_once(scenario, tmp_path: Path) -> None:
    row = faults.concurrent_row(tmp_path, scenario)
    ROWS.append(row)
    assert not row.problems, row.verdict


# --- SIGKILL of a real mock through the virtual microphone ------------------------------------


def _onset(audio: np.ndarray, rate: int = 16_000) -> float:
    """Seconds to the first 50 ms frame above the speech level: where the answer starts."""
    frame = rate // 20
    frames = len(audio) // frame
    rms = np.sqrt(np.mean(audio[: frames * frame].reshape(frames, frame) ** 2, axis=1))
    loud = np.flatnonzero(rms > 0.01)
    assert loud.size, "no speech in the audio"
    return float(loud[0] * frame / rate)


def _doctor(env: dict, recordings: Path) -> str:
    """What a real `mockvoice doctor` prints about `recordings`."""
    env = {**env, "MOCKVOICE_RECORDINGS": str(recordings)}
    return subprocess.run([str(EXE), "doctor"], env=env, capture_output=True, text=True, timeout=120).stdout


@pytest.mark.audio
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM], ids=["KILL", "INT", "TERM"])
def test_a_signal_during_a_mock_loses_at_most_the_last_second(
    sig: int, pulse, dev_answer, tmp_path: Path
) -> None:
    """A `mock` stopped at a random moment of the answer (fixed seed): the recorded WAV holds the
    answer up to the last second before the signal. Ctrl-C and SIGTERM end in one line and exit
    130 with a partial session saved; after SIGKILL, doctor repairs what was left."""
    answer_wav, _ = dev_answer("strong-verbatim")
    source_onset = _onset(load(answer_wav))
    rng = random.Random(14 + sig)
    name = signal.Signals(sig).name
    recordings = tmp_path / "recordings"
    proc = start(["mock", "--no-voice", "--followups", "0"], pulse.env, recordings)
    deadline = time.monotonic() + 120
    while not list(recordings.glob(f"*/answer.wav{MARKER_SUFFIX}")):
        assert proc.poll() is None and time.monotonic() < deadline, "the recording never started"
        time.sleep(0.05)
    time.sleep(1.0)  # the microphone's first samples (the virtual one starts ~1 s after)
    player = pulse.play_into_mic(answer_wav, wait=False)
    played_from = time.monotonic()
    time.sleep(rng.uniform(3.0, 12.0))
    proc.send_signal(sig)
    played = time.monotonic() - played_from
    _, err = proc.communicate(timeout=60)
    player.kill()
    (folder,) = [p for p in recordings.iterdir() if p.is_dir()]
    wav = folder / "answer.wav"
    recorded = load(wav)  # readable as it is, before any repair
    kept = len(recorded) / 16_000 - _onset(recorded) + source_onset  # of the answer, in its time
    lost = played - kept
    problems = [f"lost {lost:.2f} s before the signal"] if lost > 1.0 else []
    if sig != signal.SIGKILL:
        lines = err.strip().splitlines()
        if proc.returncode != 130 or len(lines) != 1 or "Traceback" in err:
            problems.append(f"exit {proc.returncode}, stderr {err.strip()!r}")
    ROWS.append(faults.Row(f"SIG{name} mock at {played:.1f} s", proc.returncode,
                           f"lost {lost:.2f} s", tuple(problems)))  # fmt: skip
    assert not problems, f"played {played:.2f} s, kept {kept:.2f} s: {problems}"
    doc = json.loads((folder / "session.json").read_text())
    assert doc["partial"] is True
    if sig == signal.SIGKILL:
        said = _doctor(pulse.env, recordings)
        assert "repaired interrupted recordings" in said, said
        assert sf.info(wav).duration >= len(recorded) / 16_000 - 0.2
        said = _doctor(pulse.env, recordings)  # the next run finds nothing left
        assert "no interrupted recordings" in said, said
    else:
        assert doc["interrupted"] is True and not list(folder.glob(f"*{MARKER_SUFFIX}"))
