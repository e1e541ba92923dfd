"""The session store: one folder per rehearsal under the recordings root.

    recordings/2026-11-25T18-03-12_leadership-without-title/
        answer.flac       a copy of the audio that was analyzed (or recorded)
        session.json      the analysis: a versioned contract, see docs/session-schema.md
        transcript.md     the transcript by section, for reading
        report.html       the same as a page with the audio and a clickable transcript (report.py)

Writes are atomic (temp file + os.replace): a half-written session.json never exists, and an
existing session folder is never overwritten. Reads are validated against the session document
(`document.py`): a reader gets a well-formed document or one SessionError line.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path

from mockvoice import __version__
from mockvoice.errors import SessionError
from mockvoice.lazy import lazy

# The document model brings pydantic and the analysis' flag ids: run on first use, so the
# command line (which imports this module for its options) keeps `--help` instant.
document = lazy("mockvoice.session.document")
ENV_VAR = "MOCKVOICE_RECORDINGS"
SESSION_FILE = "session.json"
TRANSCRIPT_FILE = "transcript.md"
REPORT_FILE = "report.html"
MAX_SESSION_BYTES = 64 * 1024 * 1024  # a 7-minute answer with follow-ups is well under 1 MB


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
        "schema": document.SCHEMA,
        "mockvoice_version": __version__,
        "created": created.isoformat(timespec="seconds"),
        "mode": mode,
    }


def load(folder: Path) -> dict:
    """Read a session.json (a folder or the file itself) as the dict it holds, once it has been
    validated as a session document. A missing, corrupt, newer or malformed file is one
    SessionError line naming the file and the first bad field."""
    return _read(folder)[0]


def load_document(folder: Path) -> document.SessionDocument:
    """Read a session.json as a validated `SessionDocument` (see `load` for the errors)."""
    return _read(folder)[1]


def _read(folder: Path) -> tuple[dict, document.SessionDocument]:
    path = folder / SESSION_FILE if folder.is_dir() else folder
    untouched = "the folder's audio is untouched"
    if path.exists() and not path.is_file():  # a folder or a FIFO: never opened (a FIFO blocks)
        raise SessionError(f"{path}: not a regular file — {untouched}")
    if path.is_file() and path.stat().st_size > MAX_SESSION_BYTES:
        raise SessionError(f"{path}: {path.stat().st_size} bytes, too large for a session.json — {untouched}")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SessionError(f"{path}: no session.json here") from None
    except PermissionError:
        raise SessionError(
            f"{path}: not readable by you (saved by another user, e.g. with sudo?) — fix its owner with"
            f" chown; {untouched}"
        ) from None
    except OSError as exc:
        raise SessionError(f"{path}: cannot be read ({exc.strerror}) — {untouched}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SessionError(f"{path}: corrupt session.json ({exc}) — {untouched}") from None
    if not isinstance(doc, dict):
        raise SessionError(f"{path}: not a session document (expected an object) — {untouched}")
    if "schema" not in doc:
        raise SessionError(f"{path}: schema: missing — not a mockvoice session.json; {untouched}")
    schema = doc["schema"]
    known = document.SCHEMA
    if isinstance(schema, int) and not isinstance(schema, bool) and schema > known:
        raise SessionError(
            f"{path}: session schema {schema} is newer than this mockvoice reads ({known}) — "
            f"upgrade mockvoice to open it; {untouched}"
        )
    if schema != known or isinstance(schema, bool):
        raise SessionError(f"{path}: unsupported session schema {schema!r} (expected {known}) — {untouched}")
    try:
        return doc, document.SessionDocument.from_dict(doc)
    except document.ValidationError as exc:
        raise SessionError(f"{path}: {document.first_error(exc)} — {untouched}") from None
