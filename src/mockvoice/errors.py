"""One exception hierarchy; the CLI maps each class to an exit code and a one-line message.

The core raises these with a message that already names the file/field and the fix,
so the CLI edge never needs to know what went wrong in detail.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INPUT = 3  # an audio file we cannot use
    SCENARIO = 4  # a scenario that does not load or validate
    NO_SPEECH = 5  # the recording holds no speech
    DEVICE = 6  # audio devices / PortAudio
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
