"""The session store: one folder per rehearsal under the recordings root.

    recordings/2026-11-25T18-03-12_leadership-without-title/
        answer.flac       a copy of the audio that was analyzed (or recorded)
        session.json      the analysis: a versioned contract, see README "session.json"
        transcript.md     the transcript by section, for reading

Writes are atomic (temp file + os.replace): a half-written session.json never exists, and an
existing session folder is never overwritten.
"""

from __future__ import annotations

import json
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


def document(analysis: dict, *, mode: str, audio_file: str | None, created: datetime) -> dict:
    """The full session.json document: header fields, then the analysis."""
    return {
        "schema": SCHEMA,
        "mockvoice_version": __version__,
        "created": created.isoformat(timespec="seconds"),
        "mode": mode,
        "audio": audio_file,
        **analysis,
    }


def save(
    root: Path, analysis: dict, *, mode: str, audio_src: Path | None, created: datetime | None = None
) -> tuple[Path, dict]:
    """Write a new session folder; returns (folder, document)."""
    created = created or datetime.now().astimezone()
    folder = new_session_dir(root, analysis["scenario"], created)
    audio_name = None
    if audio_src is not None:
        audio_name = "answer" + audio_src.suffix.lower()
        shutil.copyfile(audio_src, folder / audio_name)
    doc = document(analysis, mode=mode, audio_file=audio_name, created=created)
    write_atomic(folder / SESSION_FILE, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    write_atomic(folder / TRANSCRIPT_FILE, transcript_markdown(doc))
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
    """Readable transcript: one heading per section with its time, phrases and flags."""
    words = doc["transcript"]["words"]
    lines = [
        f"# {doc['scenario_title']}",
        "",
        f"> {doc['question']}",
        "",
        f"Recorded {doc['created']} · mode {doc['mode']} · level {doc['level']} · "
        f"{doc['sectioning']} sections",
        "",
    ]
    for sec in doc["sections"]:
        lines.append(f"## {sec['name']}")
        if sec["start_s"] is None:
            lines += ["", "_not found in the answer_", ""]
        else:
            text = "".join(
                (" " if i else "") + w["text"]
                for i, w in enumerate(w for w in words if sec["start_s"] <= w["start"] < sec["end_s"])
            )
            lines += [
                f"_{clock(sec['start_s'])}–{clock(sec['end_s'])} · {sec['duration_s']:.0f} s "
                f"(target {sec['target_s']:.0f} s, {sec['verdict']})_",
                "",
                text or "_(no words)_",
                "",
            ]
        for kp in (k for k in doc["key_phrases"] if k["section"] == sec["id"]):
            if kp["found"]:
                where = "" if kp["said_in"] == sec["id"] else f" — said in {kp['said_in']}"
                lines.append(f"- [x] {kp['phrase']} — “{kp['heard']}” at {clock(kp['at_s'])}{where}")
            else:
                lines.append(f"- [ ] {kp['phrase']}")
        lines.append("")
    if doc["flags"]:
        lines += ["## Flags", ""]
        lines += [
            f"- {clock(f['at_s'])} {f['message']}" + (f" — “{f['quote']}”" if f["quote"] else "")
            for f in doc["flags"]
        ]
        lines.append("")
    return "\n".join(lines)


def clock(seconds: float) -> str:
    m, s = divmod(round(seconds), 60)
    return f"{m}:{s:02d}"
