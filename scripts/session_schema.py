"""Write docs/session.schema.json, the JSON Schema of session.json, from the session document model.

    .venv/bin/python -m scripts.session_schema           # (re)write docs/session.schema.json
    .venv/bin/python -m scripts.session_schema --check   # exit 1 when it is stale

The document is defined once, as pydantic models in `mockvoice.session.document`; this file is
their `model_json_schema()` (validation mode: what a reader accepts), written with sorted keys
and a fixed indent so it is the same on every machine. tests/test_session_document.py calls
`stale()`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mockvoice.session.document import SessionDocument
from scripts import generated

TARGET = generated.ROOT / "docs" / "session.schema.json"


def render() -> str:
    schema = SessionDocument.model_json_schema(by_alias=True, mode="validation")
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def stale(target: Path = TARGET) -> str:
    """'' when `target` is what `render()` writes, else a unified diff (or why it is missing)."""
    return generated.stale(target, render())


if __name__ == "__main__":
    sys.exit(generated.main("scripts.session_schema", TARGET, render, __doc__.splitlines()[0], None))
