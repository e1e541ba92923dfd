"""The session store: one folder per rehearsal under the recordings root.

    recordings/2026-11-25T18-03-12_leadership-without-title/
        answer.flac       a copy of the audio that was analyzed (or recorded)
        session.json      the analysis: a versioned contract, see docs/session-schema.md
        transcript.md     the transcript by section, for reading
        report.html       the same as a page with the audio and a clickable transcript (report.py)

Writes are atomic (temp file + os.replace): a half-written session.json never exists, and an
existing session folder is never overwritten.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path

from mockvoice import __version__
from mockvoice.errors import SessionError

SCHEMA = 1
ENV_VAR = "MOCKVOICE_RECORDINGS"
SESSION_FILE = "session.json"
TRANSCRIPT_FILE = "transcript.md"
REPORT_FILE = "report.html"


def recordings_root(option: Path | None = None) -> Path:
    """--recordings, else $MOCKVOICE_RECORDINGS, else ./recordings."""
    if option is not None:
        return option
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else Path("recordings")


def new_session_dir(root: Path, scenario_id: str, when: datetime) -> Path:
    """Create a fresh folder; a second session in the same second gets a suffix."""
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SessionError(
            f"{root}: cannot create the recordings folder ({exc.strerror}) — "
            f"pass --recordings DIR or set {ENV_VAR}"
        ) from None
    base = f"{when.strftime('%Y-%m-%dT%H-%M-%S')}_{scenario_id}"
    for n in range(1000):
        path = root / (base if n == 0 else f"{base}-{n + 1}")
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue
    raise SessionError(f"{root}: too many sessions named {base}")


def write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def header(*, mode: str, created: datetime) -> dict:
    """The fields every session.json starts with."""
    return {
        "schema": SCHEMA,
        "mockvoice_version": __version__,
        "created": created.isoformat(timespec="seconds"),
        "mode": mode,
    }


def load(folder: Path) -> dict:
    """Read a session.json; a missing or corrupt file is a SessionError naming it."""
    path = folder / SESSION_FILE if folder.is_dir() else folder
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SessionError(f"{path}: no session.json here") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SessionError(
            f"{path}: corrupt session.json ({exc}) — the folder's audio is untouched"
        ) from None
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise SessionError(
            f"{path}: unsupported session schema {doc.get('schema') if isinstance(doc, dict) else '?'}"
        )
    return doc
