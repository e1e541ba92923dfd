"""Saving a rehearsal: a new session folder with session.json, transcript.md and report.html,
and tidying what an interrupted save left behind (`tidy`, run by `mockvoice doctor`).

The store (`store.py`) knows folders and atomic writes; this module puts a finished document
and its renderings there, so the store itself never depends on the renderers.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mockvoice.errors import MockvoiceError
from mockvoice.process import owner_alive, pid_alive
from mockvoice.scenario import catalog
from mockvoice.session import report
from mockvoice.session import store as session
from mockvoice.session.document import AnswerAnalysis, SessionDocument, new_document
from mockvoice.session.markdown import transcript_markdown
from mockvoice.session.store import REPORT_FILE, SESSION_FILE, TRANSCRIPT_FILE, header, write_atomic

AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".ogg", ".m4a")
RECORDED = re.compile(r"^(answer|followup-\d+|drill-.+-\d+)\.wav$")  # what mock and drill record
SESSION_NAME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d)_([a-z][a-z0-9-]*)$")
TEMP_FILE = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")  # write_atomic's .NAME.PID.xxxxxx.tmp
LEGACY_TEMP = re.compile(r"^\..+\.tmp$")  # before the pid was in the name


def write(folder: Path, doc: SessionDocument, *, strict: bool = False) -> None:
    """(Re)write session.json, transcript.md and report.html, each atomically. `strict`: a disk
    error on the report raises too (a staged save is all or nothing)."""
    text = json.dumps(doc.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)
    write_atomic(folder / SESSION_FILE, text + "\n")
    write_atomic(folder / TRANSCRIPT_FILE, transcript_markdown(doc))
    write_report(folder, doc, strict=strict)


def write_report(folder: Path, doc: SessionDocument, *, strict: bool = False) -> bool:
    """report.html next to session.json. It is written last and any failure is only logged: a
    bug in the report must never cost a rehearsal that is already safely in session.json. With
    `strict`, a disk error (OSError) is raised: it is not a bug in the report."""
    try:
        write_atomic(folder / REPORT_FILE, report.render(doc))
    except Exception as exc:
        if strict and isinstance(exc, OSError):
            raise
        logging.getLogger(__name__).warning(
            "%s: %s not written (%s: %s) — session.json is saved; run 'mockvoice review %s --html' to retry",
            folder,
            REPORT_FILE,
            type(exc).__name__,
            exc,
            folder.name,
        )
        return False
    return True


def save(
    root: Path,
    analysis: AnswerAnalysis,
    *,
    mode: str,
    audio_src: Path | None,
    created: datetime | None = None,
) -> tuple[Path, SessionDocument]:
    """Write a new session folder for an analyzed file, all or nothing (`store.create`): the
    folder appears with every file in it, or not at all. Returns (folder, document)."""
    created = created or datetime.now().astimezone()
    audio_name = None if audio_src is None else "answer" + audio_src.suffix.lower()
    doc = new_document(header(mode=mode, created=created), analysis, audio=audio_name)

    def fill(folder: Path) -> None:
        if audio_src is not None:
            shutil.copyfile(audio_src, folder / audio_name)
        write(folder, doc, strict=True)

    return session.create(root, analysis.scenario, created, mode, fill), doc


def begin(root: Path, doc: SessionDocument) -> Path:
    """A rehearsal's session folder, made all or nothing with its first document (partial):
    it is in place before anything is recorded, so recordings go straight into it."""
    created = datetime.fromisoformat(doc.created)
    return session.create(root, doc.scenario, created, doc.mode, lambda f: write(f, doc, strict=True))


# --- tidying: what doctor finishes or removes ---------------------------------------------------


@dataclass
class Tidied:
    """What `tidy` did (one line each) and what it could not do."""

    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def tidy(root: Path) -> Tidied:
    """Finish or remove everything an interrupted save left under `root`: staging folders of
    dead processes (finished when they hold a valid session.json, else removed — recorded audio
    is never deleted: a staging folder with recordings becomes a partial session), stale temp
    files, markers without their recording, and session folders with audio but no session.json
    (given a partial session.json, so review lists them). Run after the recordings were repaired."""
    result = Tidied()
    if not root.is_dir():
        return result
    for entry in sorted(root.iterdir()):
        try:
            if entry.name.startswith(session.STAGING_PREFIX) and entry.is_dir() and not entry.is_symlink():
                _tidy_staging(root, entry, result)
            elif entry.is_dir() and not entry.name.startswith(".") and not entry.is_symlink():
                _tidy_session(entry, result)
        except (OSError, MockvoiceError) as exc:
            result.failed.append(f"{entry}: {exc}")
    return result


def _tidy_staging(root: Path, staging: Path, result: Tidied) -> None:
    owner = session.staging_owner(staging)
    if owner_alive(owner):
        return  # a save in progress
    _remove_temp_files(staging)
    recorded = _audio(staging, rehearsal_only=owner.get("mode") == "analyze")
    try:
        doc = session.load_document(staging)
    except MockvoiceError:
        doc = None
    if doc is None and not recorded:
        session.discard(staging)
        result.done.append(f"removed an unfinished save (nothing recorded in it): {staging.name}")
        return
    if doc is None:
        doc = _recovered_document(staging.name.removeprefix(session.STAGING_PREFIX), recorded)
    elif doc.partial and not recorded:
        session.discard(staging)
        result.done.append(f"removed a rehearsal stopped before anything was recorded: {staging.name}")
        return
    write(staging, doc, strict=True)
    created = datetime.fromisoformat(doc.created)
    folder = session.promote(staging, root, session.session_name(doc.scenario, created))
    result.done.append(f"finished an interrupted save: {folder.name}")


def _tidy_session(folder: Path, result: Tidied) -> None:
    removed = _remove_temp_files(folder)
    if removed:
        result.done.append(f"removed {removed} temporary file(s) left in {folder.name}")
    if (folder / SESSION_FILE).exists() or (folder / SESSION_FILE).is_symlink():
        return  # a session (a broken one is review's warning, not a leftover of a save)
    if SESSION_NAME.match(folder.name) is None:
        return  # not a session folder: the user's own, left alone
    recorded = _audio(folder)
    if recorded:
        write(folder, _recovered_document(folder.name, recorded))
        result.done.append(
            f"wrote a partial session.json for {folder.name} (audio with no session; the audio is kept)"
        )
    elif all(p.name in (TRANSCRIPT_FILE, REPORT_FILE) for p in folder.iterdir()):
        shutil.rmtree(folder)
        result.done.append(f"removed {folder.name}: no session.json and no audio in it")


def _remove_temp_files(folder: Path) -> int:
    """Temp files of dead processes: write_atomic's, and a recording marker's half-written one."""
    removed = 0
    for path in folder.iterdir():
        if not path.is_file() or path.is_symlink():
            continue
        pid = _temp_owner(path)
        if pid is not None and not pid_alive(pid):
            path.unlink()
            removed += 1
    for marker in folder.glob("*.recording"):  # the recording itself is gone: its marker is stale
        if not marker.with_suffix("").exists() and not _marker_alive(marker):
            marker.unlink()
            removed += 1
    return removed


def _temp_owner(path: Path) -> int | None:
    """The pid that wrote a temp file (0 when it cannot be known: stale), or None if not one."""
    if m := TEMP_FILE.match(path.name):
        return int(m.group(1))
    if LEGACY_TEMP.match(path.name):
        return 0
    if path.name.endswith(".recording.tmp"):
        return 0 if not _marker_alive(path) else None
    return None


def _marker_alive(marker: Path) -> bool:
    try:
        owner = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(owner, dict) and owner_alive(owner)


def _audio(folder: Path, *, rehearsal_only: bool = False) -> list[Path]:
    """The audio files in a folder (only what mock and drill record, with `rehearsal_only`)."""
    found = [p for p in sorted(folder.iterdir()) if p.is_file() and p.suffix.lower() in AUDIO_SUFFIXES]
    return [p for p in found if RECORDED.match(p.name)] if rehearsal_only else found


def _recovered_document(name: str, audio: list[Path]) -> SessionDocument:
    """A partial session for audio whose session.json was never written: its time and scenario
    from the folder name, marked partial and interrupted, with no analysis."""
    match = SESSION_NAME.match(name.split(".", 1)[0])  # a staging name ends in .xxxxxxxx
    stamp, scenario_id = (match.group(1), match.group(2)) if match else (None, "unknown")
    try:
        created = datetime.strptime(stamp, "%Y-%m-%dT%H-%M-%S").astimezone() if stamp else None
    except ValueError:
        created = None
    created = created or datetime.fromtimestamp(audio[0].stat().st_mtime).astimezone()
    scenario_id, title, question = _scenario_of(scenario_id)
    drill = any(p.name.startswith("drill-") for p in audio)
    answer = next((p.name for p in audio if p.stem == "answer"), None)
    return new_document(
        header(mode="drill" if drill else "mock", created=created),
        scenario=scenario_id,
        scenario_title=title,
        question=question,
        audio=None if drill else (answer or audio[0].name),
        partial=True,
        interrupted=True,
        **({"attempts": []} if drill else {}),
    )


def _scenario_of(name_id: str) -> tuple[str, str, str]:
    """(id, title, question) of the scenario a folder name ends with; a "-2" suffix (a second
    session in the same second) is tried without. Unknown: the id as its own title."""
    for scenario_id in dict.fromkeys([name_id, re.sub(r"-\d+$", "", name_id)]):
        try:
            found = catalog.find_scenario(scenario_id)
        except MockvoiceError:
            continue
        return found.id, found.title, found.question
    return name_id, name_id, ""
