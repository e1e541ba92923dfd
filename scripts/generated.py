"""What the generated docs pages share: a staleness check and the `--check`/write command line.

Each generator (`scripts.cli_reference`, `scripts.session_schema`) has a `render()` that returns
the page; a test calls `stale()` so a page never drifts from what it is generated from. Run them
from the repository root as modules: `.venv/bin/python -m scripts.cli_reference [--check]`.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def stale(target: Path, want: str) -> str:
    """'' when `target` holds `want`, else a unified diff (or why it is missing)."""
    if not target.exists():
        return f"{target} is missing"
    have = target.read_text(encoding="utf-8")
    if have == want:
        return ""
    diff = difflib.unified_diff(
        have.splitlines(keepends=True), want.splitlines(keepends=True), str(target), "generated"
    )
    return "".join(diff)


def main(
    module: str, target: Path, render: Callable[[], str], description: str, argv: list[str] | None
) -> int:
    """Write `target` from `render()`, or with --check exit 1 when it is stale."""
    name = target.relative_to(ROOT)
    parser = argparse.ArgumentParser(prog=f"python -m {module}", description=description)
    parser.add_argument("--check", action="store_true", help=f"exit 1 when {name} is stale")
    args = parser.parse_args(argv)
    if args.check:
        problem = stale(target, render())
        if problem:
            print(problem, file=sys.stderr)
            print(f"{name} is stale: run .venv/bin/python -m {module}", file=sys.stderr)
            return 1
        print(f"{name} is current")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {name}")
    return 0
