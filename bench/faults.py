"""The fault-injection table of issue 14: every case run for real and judged, then SIGKILL (20
times), SIGINT and SIGTERM at random moments of `analyze` (fixed seed) and two saves at once.

    .venv/bin/python -m bench.faults [--kills 20]

Prints: case, exit code, first line on stderr, verdict; exits 1 unless every case is handled.
Needs root (small tmpfs disks, another user), as the tests do.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
from pathlib import Path

from tests.support import faults

from mockvoice.scenario.catalog import find_scenario


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    args = parser.parse_args()
    scenario = find_scenario("leadership-without-title")
    with tempfile.TemporaryDirectory(prefix="mockvoice-faults-") as tmp:
        base = Path(tmp)
        rows = faults.run_all(base / "table", scenario)
        for sig, runs in ((signal.SIGKILL, args.kills), (signal.SIGINT, 3), (signal.SIGTERM, 3)):
            rows += faults.signal_rows(base / signal.Signals(sig).name, scenario, sig, runs)
        rows.append(faults.concurrent_row(base / "concurrent", scenario))
    print(faults.table(rows))
    return 0 if all(not r.problems for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
