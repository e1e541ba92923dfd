"""Write docs/session.schema.json, the JSON Schema of session.json, from the session document model.

    .venv/bin/python scripts/session_schema.py           # (re)write docs/session.schema.json
    .venv/bin/python scripts/session_schema.py --check   # exit 1 when it is stale

The document is defined once, as pydantic models in `mockvoice.session.document`; this file is
their `model_json_schema()` (validation mode: what a reader accepts), written with sorted keys
and a fixed indent so it is the same on every machine. tests/test_session_document.py calls
`stale()`.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "session.schema.json"


def render() -> str:
    sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without installing
    from mockvoice.session.document import SessionDocument

    schema = SessionDocument.model_json_schema(by_alias=True, mode="validation")
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def stale(target: Path = TARGET) -> str:
    """'' when `target` is what `render()` writes, else a unified diff (or why it is missing)."""
    want = render()
    if not target.exists():
        return f"{target} is missing"
    have = target.read_text(encoding="utf-8")
    if have == want:
        return ""
    diff = difflib.unified_diff(
        have.splitlines(keepends=True), want.splitlines(keepends=True), str(target), "generated"
    )
    return "".join(diff)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when docs/session.schema.json is stale")
    args = parser.parse_args(argv)
    name = TARGET.relative_to(ROOT)
    if args.check:
        problem = stale()
        if problem:
            print(problem, file=sys.stderr)
            print(f"{name} is stale: run .venv/bin/python scripts/session_schema.py", file=sys.stderr)
            return 1
        print(f"{name} is current")
        return 0
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
