"""The session store: one folder per rehearsal under the recordings root.

    recordings/2026-11-25T18-03-12_leadership-without-title/
        answer.flac       a copy of the audio that was analyzed (or recorded)
        session.json      the analysis: a versioned contract, see docs/session-schema.md
        transcript.md     the transcript by section, for reading
        report.html       the same as a page with the audio and a clickable transcript (report.py)

Writes are atomic (temp file + os.replace): a half-written session.json never exists, and an
existing session folder is never overwritten. A new session folder is all or nothing: it is
filled as a hidden staging folder (`.staging-<name>.<random>`, with an `.owner` file naming the
process) and renamed into place as the last step, so a session folder is never visible without
a valid session.json; a failure or an interrupt removes the staging folder, and `mockvoice
doctor` finishes or removes one left by a killed process (`archive.tidy`). Reads are validated
against the session document (`document.py`): a reader gets a well-formed document or one
SessionError line.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from mockvoice import __version__
from mockvoice.errors import SessionError, StorageError, os_error_message
from mockvoice.lazy import lazy
from mockvoice.process import boot_id

# The document model brings pydantic and the analysis' flag ids: run on first use, so the
# command line (which imports this module for its options) keeps `--help` instant.
document = lazy("mockvoice.session.document")
ENV_VAR = "MOCKVOICE_RECORDINGS"
SESSION_FILE = "session.json"
TRANSCRIPT_FILE = "transcript.md"
REPORT_FILE = "report.html"
MAX_SESSION_BYTES = 64 * 1024 * 1024  # a 7-minute answer with follow-ups is well under 1 MB
STAGING_PREFIX = ".staging-"  # a session folder being filled; hidden, so no reader lists it
OWNER_FILE = ".owner"  # in a staging folder: the pid and boot of the process filling it
# A folder name is at most 255 bytes on every common file system; the staging name adds the
# prefix and a random ".xxxxxxxx", a duplicate the "-NNN" suffix: the scenario id gets the rest.
MAX_NAME_BYTES = 255
NAME_RESERVE = len(STAGING_PREFIX) + len(".xxxxxxxx") + len("-999")
SAVE_MARGIN_BYTES = 1024 * 1024  # session.json, transcript.md and report.html of a long answer
PROBE_BYTES = 4096  # one block: a full disk refuses it


def recordings_root(option: Path | None = None) -> Path:
    """Where sessions are saved and looked for: see `recordings_location`."""
    return recordings_location(option)[0]


def recordings_location(option: Path | None = None) -> tuple[Path, str]:
    """The recordings root and why it is that one: --recordings, else $MOCKVOICE_RECORDINGS, else
    ./recordings when this folder has one (a checkout of the project), else the user's data
    folder — so an installed mockvoice finds its sessions from any folder."""
    if option is not None:
        return option, "--recordings"
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env), f"${ENV_VAR}"
    here = Path("recordings")
    if here.is_dir():
        return here, "./recordings in this folder"
    from platformdirs import user_data_dir

    return Path(user_data_dir("mockvoice")) / "recordings", "your data folder"


def session_name(scenario_id: str, when: datetime) -> str:
    """The folder name of a session: its time and scenario id, the id cut so that the name (and
    its staging name) stays within 255 bytes."""
    stamp = f"{when.strftime('%Y-%m-%dT%H-%M-%S')}_"
    room = MAX_NAME_BYTES - NAME_RESERVE - len(stamp.encode())
    return stamp + scenario_id.encode()[:room].decode(errors="ignore")


def new_session_dir(root: Path, scenario_id: str, when: datetime) -> Path:
    """Create a fresh, empty folder in place; a second session in the same second gets a suffix.
    (New sessions are made with `create`, which fills them before they appear.)"""
    _make_root(root)
    base = session_name(scenario_id, when)
    for path in _candidates(root, base):
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue
        except OSError as exc:
            raise StorageError(os_error_message(exc, path, "save the session")) from None
    raise SessionError(f"{root}: too many sessions named {base}")


def create(root: Path, scenario_id: str, when: datetime, mode: str, fill: Callable[[Path], None]) -> Path:
    """A new session folder, all or nothing: `fill(staging)` writes its files into a hidden
    staging folder, which is then renamed into place. Any failure or interrupt removes the
    staging folder and re-raises; a disk error is one StorageError line."""
    _make_root(root)
    base = session_name(scenario_id, when)
    try:
        staging = new_staging(root, base, mode)
    except OSError as exc:
        raise StorageError(os_error_message(exc, root / base, "save the session")) from None
    try:
        fill(staging)
        return promote(staging, root, base)
    except BaseException as exc:
        discard(staging)
        if isinstance(exc, OSError):
            raise StorageError(os_error_message(exc, root / base, "save the session")) from None
        raise


def new_staging(root: Path, base: str, mode: str) -> Path:
    """A hidden folder to fill a session in, with an owner file so `doctor` leaves it alone
    while its process runs."""
    while True:  # like mkdtemp, but with the mode a plain mkdir gives (the umask's), as before
        staging = root / f"{STAGING_PREFIX}{base}.{secrets.token_hex(4)}"
        try:
            staging.mkdir()
            break
        except FileExistsError:
            continue
    owner = {"pid": os.getpid(), "boot_id": boot_id(), "mode": mode}
    try:
        (staging / OWNER_FILE).write_text(json.dumps(owner) + "\n", encoding="utf-8")
    except BaseException:  # a full disk takes the folder but not the file
        discard(staging)
        raise
    return staging


def promote(staging: Path, root: Path, base: str) -> Path:
    """Rename a filled staging folder into place under the first free name; returns it."""
    (staging / OWNER_FILE).unlink(missing_ok=True)
    for path in _candidates(root, base):
        if path.exists():
            continue
        try:
            os.rename(staging, path)  # fails on an existing folder that is not empty: try the next name
            return path
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
    raise SessionError(f"{root}: too many sessions named {base}")


def discard(staging: Path) -> None:
    """Remove a staging folder (nothing in it was recorded: recordings happen in place)."""
    shutil.rmtree(staging, ignore_errors=True)


def remove_session(folder: Path) -> None:
    """Remove a session that holds nothing worth keeping (a rehearsal where no speech was heard):
    a drill or mock with no speech saves nothing."""
    shutil.rmtree(folder, ignore_errors=True)


def staging_owner(staging: Path) -> dict:
    """What a staging folder's owner file says ({} when it is missing or unreadable)."""
    try:
        owner = json.loads((staging / OWNER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return owner if isinstance(owner, dict) else {}


def check_saving(root: Path, scenario_id: str, need_bytes: int = 0) -> None:
    """Fail now, before any recording or transcription, when a session for `scenario_id` could
    not be saved under `root`: not a folder, read-only, no permission, a name too long, or less
    free space than `need_bytes` plus the documents. A real staging folder and a small file are
    written and removed again, with any folder created for it: the probe leaves no trace."""
    here = Path(os.path.abspath(root))
    missing: list[Path] = []
    while not os.path.lexists(here) and here != here.parent:  # never raises (no search permission)
        missing.append(here)
        here = here.parent
    if os.path.lexists(here) and not os.path.isdir(here):
        raise _not_a_folder(root, "it" if not missing else str(here))
    base = session_name(scenario_id, datetime.now())
    created: list[Path] = []
    try:
        for folder in reversed(missing):
            folder.mkdir()
            created.append(folder)
        _probe(root, base)
        free = shutil.disk_usage(root).free
    except OSError as exc:
        raise StorageError(os_error_message(exc, root / base, "save the session")) from None
    finally:
        for folder in reversed(created):
            _rmdir_quietly(folder)
    need = need_bytes + SAVE_MARGIN_BYTES
    if free < need:
        raise StorageError(
            f"{root}: cannot save the session: {free / 1e6:.1f} MB free, it needs about {need / 1e6:.1f} MB"
            " — free some space (or pick another folder) and run it again"
        )


def _probe(root: Path, base: str) -> None:
    staging = new_staging(root, base, "probe")
    try:
        with open(staging / "probe", "wb") as f:
            f.write(b"\0" * PROBE_BYTES)
            f.flush()
            os.fsync(f.fileno())
    finally:
        discard(staging)


def _rmdir_quietly(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


def _not_a_folder(root: Path, what: str) -> SessionError:
    return SessionError(
        f"{root}: cannot save sessions there ({what} is not a folder) — "
        f"pass --recordings DIR or set {ENV_VAR}"
    )


def _make_root(root: Path) -> None:
    try:
        root.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise _not_a_folder(root, "it") from None
    except OSError as exc:
        raise StorageError(os_error_message(exc, root, "create the recordings folder")) from None


def _candidates(root: Path, base: str):
    """The names a session may take: NAME, then NAME-2 … NAME-1000."""
    for n in range(1000):
        yield root / (base if n == 0 else f"{base}-{n + 1}")


def write_atomic(path: Path, text: str) -> None:
    """Write through a temp file and os.replace. The temp file's name holds the pid
    (`.NAME.PID.xxxxxx.tmp`): `doctor` removes the ones whose process is gone."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def is_session_json(path: Path) -> bool:
    """Is this regular file a mockvoice session JSON (an earlier `--json` output, safe to replace)?"""
    try:
        if not path.is_file() or path.stat().st_size > MAX_SESSION_BYTES:
            return False
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(doc, dict) and "schema" in doc and "mockvoice_version" in doc


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
