"""What the command modules (cli.py, cli_review.py) share: the option declarations used by more
than one command, the cheap checks that turn them into values before any slow work (device
specs, output paths, the recordings folder), and the scorecard printer.

Imported when `mockvoice` starts, so only typer and the standard library are imported at module
level (`mockvoice --help` stays instant); mockvoice's own modules are imported inside functions.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from mockvoice.errors import SessionError, StorageError, UsageError, os_error_message
from mockvoice.lazy import lazy
from mockvoice.session import scorecard
from mockvoice.session import store as session
from mockvoice.session.store import ENV_VAR

ui = lazy("mockvoice.cli.ui")  # the terminal adapter: loads the flows, not needed for --help
# The document model brings pydantic: loaded on first use, so `--help` stays instant.
document = lazy("mockvoice.session.document")

# --- options -------------------------------------------------------------------------------------

ScenarioIdArg = Annotated[
    str, typer.Argument(metavar="ID", help="Scenario id, YAML file or Markdown story (.md).")
]
RecordingsOpt = Annotated[
    Path | None,
    typer.Option(
        "--recordings", help="Where sessions are saved [env MOCKVOICE_RECORDINGS; default ./recordings]."
    ),
]
ModelOpt = Annotated[
    str | None, typer.Option("--model", help="Whisper model folder or name [default: bundled tiny.en].")
]
LevelOpt = Annotated[str | None, typer.Option("--level", help="Level id or name, e.g. sde1, sde2, senior.")]
LpOpt = Annotated[str | None, typer.Option("--lp", help="Leadership principle framing, e.g. ownership.")]
NoVoiceOpt = Annotated[
    bool, typer.Option("--no-voice", help="Print the interviewer's lines instead of speaking.")
]
OutputDeviceOpt = Annotated[
    str | None, typer.Option("--output-device", help="Speaker: index or name (see 'mockvoice devices').")
]
InputDeviceOpt = Annotated[
    str | None, typer.Option("--input-device", help="Microphone: index or name (see 'mockvoice devices').")
]
EndSilenceOpt = Annotated[
    float, typer.Option("--end-silence", min=0.5, help="Seconds of silence that end an answer.")
]
MaxAnswerOpt = Annotated[
    float, typer.Option("--max-answer", min=5, help="Hard cap on one answer, in seconds.")
]
QuietLiveOpt = Annotated[
    bool, typer.Option("--quiet-live", help="Do not show key phrases ticking off while you speak.")
]
StrictOpt = Annotated[
    bool, typer.Option("--strict", help="The interviewer cuts in when a section runs past twice its target.")
]
WholeFileOpt = Annotated[
    bool,
    typer.Option(
        "--whole-file", help="Transcribe after the answer instead of while you speak (slower feedback)."
    ),
]


# --- option values -------------------------------------------------------------------------------


def device_spec(spec: str | None) -> int | str | None:
    """--input-device/--output-device: '3' is device index 3, anything else a name (or a part of one)."""
    return int(spec) if spec is not None and spec.isdigit() else spec


def check_output(path: Path, option: str) -> None:
    """Fail now, not after the work, when `path` cannot be written: a folder, or a place whose
    nearest existing folder is missing or read-only (`write_output` creates the folders between)."""

    if path.is_dir():
        raise UsageError(f"{option} {path}: is a folder — give a file path")
    why = _unwritable(path.parent)
    if why and why.endswith(_NOT_WRITABLE):  # the disk or its permissions say no: exit 7, as at the write
        raise StorageError(f"{option} {path}: cannot write it ({why}) — pick a writable folder")
    if why:
        raise UsageError(f"{option} {path}: cannot write it ({why}) — choose another path")


def check_recordings(root: Path) -> None:
    """Fail now, not after the recording or transcription, when sessions cannot be saved in `root`."""

    why = _unwritable(root)
    if why:
        raise SessionError(
            f"{root}: cannot save sessions there ({why}) — pass --recordings DIR or set {ENV_VAR}"
        )


_NOT_WRITABLE = "is not writable"


def _unwritable(folder: Path) -> str | None:
    """Why files cannot be created in `folder` (creating it and its parents first), or None."""
    wanted = here = Path(os.path.abspath(folder))
    while not here.exists() and here != here.parent:
        here = here.parent
    what = "it" if here == wanted else str(here)
    if not here.is_dir():
        return f"{what} is not a folder"
    if not os.access(here, os.W_OK | os.X_OK):
        return f"{what} {_NOT_WRITABLE}"
    return None


def write_output(path: Path, text: str) -> None:
    """Write a file the user asked for (creating its folders), all or nothing; a disk that says
    no (full, read-only, name too long, permissions) is a one-line StorageError, exit 7."""

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        session.write_atomic(path, text)
    except OSError as exc:
        raise StorageError(os_error_message(exc, path, "write the file")) from None


# --- output --------------------------------------------------------------------------------------


def print_scorecard(doc: document.SessionDocument | dict, folder: Path | None = None) -> None:
    """A session's scorecard: rich on a terminal, plain lines otherwise; with `folder`, it ends
    with where the session and its report are. A dict (the document just saved by `analyze`) is
    read as the document once, here at the edge."""
    doc = ui.clean_doc(document.as_document(doc))  # text from files and the recognizer: no terminal control
    if sys.stdout.isatty():
        from rich.console import Console

        Console().print(scorecard.rich_renderable(doc, folder=folder))
    else:
        typer.echo(scorecard.plain(doc, folder=folder))
