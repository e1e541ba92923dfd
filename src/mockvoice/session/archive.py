"""Saving a rehearsal: a new session folder with session.json, transcript.md and report.html.

The store (`store.py`) knows folders and atomic writes; this module puts a finished document
and its renderings there, so the store itself never depends on the renderers.
"""

from __future__ import annotations

import json
import logging
import shutil
from datetime import datetime
from pathlib import Path

from mockvoice.session import report
from mockvoice.session.markdown import transcript_markdown
from mockvoice.session.store import (
    REPORT_FILE,
    SESSION_FILE,
    TRANSCRIPT_FILE,
    header,
    new_session_dir,
    write_atomic,
)


def write(folder: Path, doc: dict) -> None:
    """(Re)write session.json, transcript.md and report.html, each atomically."""
    write_atomic(folder / SESSION_FILE, json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    write_atomic(folder / TRANSCRIPT_FILE, transcript_markdown(doc))
    write_report(folder, doc)


def write_report(folder: Path, doc: dict) -> bool:
    """report.html next to session.json. It is written last and any failure is only logged: a
    bug in the report must never cost a rehearsal that is already safely in session.json."""
    try:
        write_atomic(folder / REPORT_FILE, report.render(doc))
    except Exception as exc:
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
    root: Path, analysis: dict, *, mode: str, audio_src: Path | None, created: datetime | None = None
) -> tuple[Path, dict]:
    """Write a new session folder for an analyzed file; returns (folder, document)."""
    created = created or datetime.now().astimezone()
    folder = new_session_dir(root, analysis["scenario"], created)
    audio_name = None
    if audio_src is not None:
        audio_name = "answer" + audio_src.suffix.lower()
        shutil.copyfile(audio_src, folder / audio_name)
    doc = header(mode=mode, created=created) | {"audio": audio_name} | analysis
    write(folder, doc)
    return folder, doc
