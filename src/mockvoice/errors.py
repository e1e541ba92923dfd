"""One exception hierarchy; the CLI maps each class to an exit code and a one-line message.

The core raises these with a message that already names the file/field and the fix,
so the CLI edge never needs to know what went wrong in detail.
"""

from __future__ import annotations

import errno
from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INPUT = 3  # an audio file we cannot use
    SCENARIO = 4  # a scenario that does not load or validate
    NO_SPEECH = 5  # the recording holds no speech
    DEVICE = 6  # audio devices / PortAudio
    STORAGE = 7  # a file or folder that cannot be written or read: full disk, read-only, permissions
    INTERRUPTED = 130  # 128 + SIGINT


class MockvoiceError(Exception):
    """Base class: anything the user can fix, reported as one line."""

    exit_code: ExitCode = ExitCode.ERROR


class UsageError(MockvoiceError):
    exit_code = ExitCode.USAGE


class AudioInputError(MockvoiceError):
    exit_code = ExitCode.INPUT


class NoSpeechError(MockvoiceError):
    exit_code = ExitCode.NO_SPEECH


class ScenarioError(MockvoiceError):
    """One or more problems with a scenario file, each a one-line message."""

    exit_code = ExitCode.SCENARIO

    def __init__(self, *problems: str) -> None:
        self.problems: list[str] = list(problems)
        super().__init__("\n".join(problems))


class ModelError(MockvoiceError):
    exit_code = ExitCode.ERROR


class DeviceError(MockvoiceError):
    exit_code = ExitCode.DEVICE


class SessionError(MockvoiceError):
    exit_code = ExitCode.ERROR


class StorageError(MockvoiceError):
    """The disk said no: full, read-only, a name too long, no permission. See `os_error_message`."""

    exit_code = ExitCode.STORAGE


# errno → (what happened, the fix). One place, so every save and every output file says the same.
_OS_ERRORS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("the disk is full", "free some space (or pick another folder) and run it again"),
    errno.EDQUOT: ("the disk quota is used up", "free some space (or pick another folder) and run it again"),
    errno.EROFS: ("the file system is read-only", "pick a writable folder"),
    errno.ENAMETOOLONG: ("the name is too long for the file system", "use a shorter name or path"),
    errno.EACCES: ("permission denied", "check the owner and mode (ls -l), or pick a folder you own"),
    errno.EPERM: ("operation not permitted", "check the owner and mode (ls -l), or pick a folder you own"),
}

STORAGE_ERRNOS = frozenset(_OS_ERRORS)  # what the CLI edge turns into a StorageError line if it escapes


def os_error_message(exc: OSError, path: Path | str, what: str) -> str:
    """One line for an OSError while doing `what` ("save the session") to `path`: what happened
    in plain words and the fix, never the raw errno text alone."""
    said, fix = _OS_ERRORS.get(exc.errno or 0, (exc.strerror or str(exc), "check the path and try again"))
    return f"{path}: cannot {what}: {said} — {fix}"
