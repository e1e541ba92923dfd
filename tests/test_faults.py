"""The fault-injection suite of issue 14 (point 4 and its bars): every case of the table in
tests/support/faults.py run for real and judged the same way (exit code, one line on stderr, no
traceback, nothing saved before lost or changed, no half or staging folder, `review` lists every
good session, `doctor` says exactly what was left and fixes it); then signals at random moments of
real `analyze` processes (a fixed seed; SIGKILL at least 20 times) and two saves at once.

The table is printed at the end of the module (`-s` shows it); `python -m bench.faults` prints it
too. Cases that run the model are in the audio tier.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support import faults

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
