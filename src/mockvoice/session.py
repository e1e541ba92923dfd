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
import logging
import os
import shutil
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


def write(folder: Path, doc: dict) -> None:
    """(Re)write session.json, transcript.md and report.html, each atomically."""
    write_atomic(folder / SESSION_FILE, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    write_atomic(folder / TRANSCRIPT_FILE, transcript_markdown(doc))
    write_report(folder, doc)


def write_report(folder: Path, doc: dict) -> bool:
    """report.html next to session.json. It is written last and any failure is only logged: a
    bug in the report must never cost a rehearsal that is already safely in session.json."""
    try:
        from mockvoice import report

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


def transcript_markdown(doc: dict) -> str:
    """Readable transcript: the answer by section, then follow-ups or drill attempts."""
    lines = [f"# {doc['scenario_title']}", "", f"> {doc['question']}", ""]
    meta = [f"Recorded {doc['created']}", f"mode {doc['mode']}"]
    if doc.get("level"):
        meta.append(f"level {doc['level']}")
    if doc.get("sectioning"):
        meta.append(f"{doc['sectioning']} sections")
    if doc.get("partial"):
        meta.append("PARTIAL (interrupted or in progress)")
    lines += [" · ".join(meta), ""]
    if "sections" in doc:
        lines += _answer_markdown(doc)
    for n, fu in enumerate(doc.get("followups") or [], 1):
        lines += [f"## Follow-up {n}: {fu['question']}", "", f"_verdict: {fu.get('verdict', '?')}_", ""]
        if fu.get("transcript"):
            lines += [fu["transcript"]["text"] or "_(no words)_", ""]
        lines += [f"- {reason}" for reason in fu.get("reasons", [])]
        lines.append("")
    for att in doc.get("attempts") or []:
        lines += [f"## Drill: {att['section']} (attempt {att['attempt']})", ""]
        if "transcript" in att:
            lines += [
                f"_{att['duration_s']:.0f} s (target {att['target_s']:.0f} s, {att['verdict']})_",
                "",
                att["transcript"]["text"] or "_(no words)_",
                "",
            ]
            lines += _phrase_lines(att["key_phrases"], att["section"])
        else:
            lines.append(f"_{att.get('error', 'no answer')}_")
        lines.append("")
    if doc.get("verdict"):
        v = doc["verdict"]
        lines += ["## Verdict", "", f"**{v['verdict']}** — {v['summary']}", ""]
        lines += [f"- {reason}" for reason in v.get("reasons", [])]
        lines.append("")
    return "\n".join(lines)


def _answer_markdown(doc: dict) -> list[str]:
    # Hesitations heard but not transcribed go back in where they were heard, as "(um)".
    heard = [{"text": f"({h['text']})", "start": h["start"]} for h in doc["transcript"].get("fillers", [])]
    words = sorted([*doc["transcript"]["words"], *heard], key=lambda w: w["start"])
    lines: list[str] = []
    for sec in doc["sections"]:
        lines.append(f"## {sec['name']}")
        if sec["start_s"] is None:
            lines += ["", "_not found in the answer_", ""]
        else:
            text = " ".join(w["text"] for w in words if sec["start_s"] <= w["start"] < sec["end_s"])
            lines += [
                f"_{clock(sec['start_s'])}–{clock(sec['end_s'])} · {sec['duration_s']:.0f} s "
                f"(target {sec['target_s']:.0f} s, {sec['verdict']})_",
                "",
                text or "_(no words)_",
                "",
            ]
        lines += _phrase_lines(doc["key_phrases"], sec["id"])
        lines.append("")
    if doc["flags"]:
        lines += ["## Flags", ""]
        lines += [
            f"- {clock(f['at_s'])} {f['message']}" + (f" — “{f['quote']}”" if f["quote"] else "")
            for f in doc["flags"]
        ]
        lines.append("")
    return lines


def _phrase_lines(key_phrases: list[dict], section_id: str) -> list[str]:
    lines = []
    for kp in (k for k in key_phrases if k["section"] == section_id):
        if kp["found"]:
            where = "" if kp["said_in"] == section_id else f" — said in {kp['said_in']}"
            lines.append(f"- [x] {kp['phrase']} — “{kp['heard']}” at {clock(kp['at_s'])}{where}")
        else:
            lines.append(f"- [ ] {kp['phrase']}")
    return lines


def clock(seconds: float) -> str:
    m, s = divmod(round(seconds), 60)
    return f"{m}:{s:02d}"
