"""What the flows need from the world around them, as small protocols.

A rehearsal listens through a `Microphone`, shows things through an `Output` and reads keys
through `Keys`; the interviewer (`rehearse.interviewer.Interviewer`) and the transcriber are
injected the same way. The CLI passes the real adapters (PortAudio recorder, terminal); tests
pass a `FileMicrophone` (`mockvoice.audio.filemic`) that plays an audio file into the flow at
real or faster speed, a capturing output and keys that are never pressed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from mockvoice.audio.recorder import Recorder
from mockvoice.session.document import DrillAttempt, FinalVerdict, FollowupResult, LiveEvent, SessionDocument

AudioCallback = Callable[[np.ndarray], None]  # receives 16 kHz mono float32 blocks


class Recording(Protocol):
    """What a microphone's `stop()` returns (`audio.recorder.RecordingInfo`)."""

    @property
    def duration_s(self) -> float: ...
    @property
    def overflows(self) -> int: ...


class Microphone(Protocol):
    """One recording to a 16 kHz mono WAV: `start()`, read the live figures, `stop()`.

    Between the two it calls `on_audio` (given when it is made) with each 16 kHz mono float32
    block from a thread of its own, after the block is written to the file. `stop()` may be
    called more than once (and from a signal handler) and returns the same `Recording`.
    """

    def start(self) -> object: ...
    def stop(self) -> Recording: ...
    @property
    def started_at(self) -> float | None:
        """time.monotonic() when the first sample was captured (None before): sample 0 of the
        answer's clock, which may come a while after start()."""
        ...

    @property
    def elapsed_s(self) -> float:
        """Seconds of audio written so far: the answer's clock."""
        ...

    @property
    def level_dbfs(self) -> float: ...
    @property
    def silent(self) -> bool: ...
    @property
    def clipping(self) -> bool: ...


MicrophoneFactory = Callable[[Path, AudioCallback], Microphone]
"""Makes the microphone for one recording: (WAV path to write, on_audio) → Microphone."""


def recorder(device: int | str | None = None) -> MicrophoneFactory:
    """The real microphone: input `device` (None: the default), crash-safe WAV (`Recorder`)."""

    def make(path: Path, on_audio: AudioCallback) -> Microphone:
        return Recorder(path, device=device, on_audio=on_audio)

    return make


@dataclass
class LiveStatus:
    elapsed_s: float
    section: str | None
    section_elapsed_s: float
    target_s: float | None
    level_dbfs: float
    silent: bool
    clipping: bool
    speaking: bool
    heard: tuple[str, ...] = ()  # the current section's key phrases heard so far
    missing: tuple[str, ...] = ()  # ...and still to say
    over: bool = False  # the section is surely over its target (`mockvoice.live`)
    fillers: int = 0  # filler words and hesitations heard so far


class Output(Protocol):
    """What the candidate is shown; the results are the typed parts the flows save."""

    def info(self, text: str) -> None: ...
    def status(self, s: LiveStatus) -> None: ...
    def end_status(self) -> None: ...
    def live_phrase(self, event: LiveEvent) -> None: ...
    def scorecard(self, doc: SessionDocument) -> None: ...
    def drill_feedback(self, attempt: DrillAttempt) -> None: ...
    def followup(self, result: FollowupResult) -> None: ...
    def verdict(self, verdict: FinalVerdict) -> None: ...


class Keys(Protocol):
    def poll(self) -> str | None: ...
    @property
    def interactive(self) -> bool: ...
