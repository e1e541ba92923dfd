"""Audio devices through PortAudio (python-sounddevice): listing, choosing, a level check.

sounddevice is imported lazily (`load_sounddevice`) so `mockvoice --help` stays instant and a
machine without PortAudio gets an install hint instead of a traceback. PortAudio reads the
device list once, when it initializes: devices plugged in later need a new process.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

import numpy as np

from mockvoice.errors import DeviceError

PORTAUDIO_MISSING = "PortAudio is missing — install it: sudo apt-get install libportaudio2"
NO_MICROPHONE = "no microphone found — to analyze a recording instead: mockvoice analyze FILE"
NO_SPEAKER = "no speaker or headphones found — use --no-voice to read the questions on screen"
CLIP_LEVEL = 0.99  # |x| at or above this counts as clipping
SILENT_DBFS = -60.0  # RMS below this is a muted or dead microphone
FLOOR_DBFS = -120.0  # what digital silence reports instead of -inf

Kind = Literal["input", "output"]


@dataclass(frozen=True)
class DeviceInfo:
    index: int
    name: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float
    is_default_input: bool
    is_default_output: bool


@dataclass(frozen=True)
class LevelReport:
    peak: float  # max |x|, 0..1
    rms_dbfs: float
    clipping: bool
    silent: bool
    overflows: int


def load_sounddevice() -> ModuleType:
    """Import sounddevice; its OSError (no libportaudio) becomes a DeviceError with the fix."""
    try:
        import sounddevice
    except OSError:
        raise DeviceError(PORTAUDIO_MISSING) from None
    except ImportError:
        raise DeviceError("sounddevice is not installed — pip install sounddevice==0.5.6") from None
    return sounddevice


def dbfs(rms: float) -> float:
    """RMS (full scale 1.0) in dBFS, floored so silence is a number, not -inf."""
    return max(FLOOR_DBFS, 20.0 * float(np.log10(max(rms, 1e-12))))


def list_devices() -> list[DeviceInfo]:
    """Every device PortAudio knows, with the default input/output flagged."""
    sd = load_sounddevice()
    default_in, default_out = _defaults(sd)
    return [
        DeviceInfo(
            index=int(d["index"]),
            name=str(d["name"]),
            max_input_channels=int(d["max_input_channels"]),
            max_output_channels=int(d["max_output_channels"]),
            default_samplerate=float(d["default_samplerate"]),
            is_default_input=int(d["index"]) == default_in,
            is_default_output=int(d["index"]) == default_out,
        )
        for d in sd.query_devices()
    ]


def input_device(spec: str | int | None) -> int:
    """The input device index for an index, a name (substring) or None (the default)."""
    return resolve(spec, list_devices(), "input")


def output_device(spec: str | int | None) -> int:
    """The output device index for an index, a name (substring) or None (the default)."""
    return resolve(spec, list_devices(), "output")


def resolve(spec: str | int | None, devices: Sequence[DeviceInfo], kind: Kind) -> int:
    """Pure device choice (testable without PortAudio): exact name beats a unique substring."""
    usable = [d for d in devices if _channels(d, kind) > 0]
    if not usable:
        raise DeviceError(NO_MICROPHONE if kind == "input" else NO_SPEAKER)
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        default = [d for d in usable if (d.is_default_input if kind == "input" else d.is_default_output)]
        return (default or usable)[0].index
    if isinstance(spec, int) or spec.strip().isdigit():
        index = int(spec)
        match = [d for d in usable if d.index == index]
        if not match:
            raise DeviceError(f"--{kind}-device {index}: no such {kind} device — {_choices(usable)}")
        return index
    wanted = spec.strip().lower()
    exact = [d for d in usable if d.name.lower() == wanted]
    match = exact or [d for d in usable if wanted in d.name.lower()]
    if len(match) == 1:
        return match[0].index
    if not match:
        raise DeviceError(f"--{kind}-device {spec!r}: no {kind} device of that name — {_choices(usable)}")
    raise DeviceError(f"--{kind}-device {spec!r}: more than one {kind} device matches — {_choices(match)}")


def level_check(seconds: float = 3.0, device: int | str | None = None) -> LevelReport:
    """Listen for `seconds` (no file) and report whether the microphone is muted or clipping."""
    sd = load_sounddevice()
    index = input_device(device)
    rate = int(sd.query_devices(index, "input")["default_samplerate"])
    channels = input_channels(index, rate)
    blocks: queue.Queue[np.ndarray] = queue.Queue()
    overflows = 0

    def callback(indata: np.ndarray, frames: int, when: Any, status: Any) -> None:
        nonlocal overflows
        blocks.put(indata.copy())
        overflows += bool(status.input_overflow)

    try:
        with sd.InputStream(
            device=index,
            samplerate=rate,
            channels=channels,
            dtype="float32",
            latency="high",
            callback=callback,
        ):
            time.sleep(seconds)
    except sd.PortAudioError as exc:
        raise DeviceError(
            f"input device {index}: cannot open it ({exc}) — pick another with --device"
        ) from None
    chunks = [blocks.get_nowait() for _ in range(blocks.qsize())]
    audio = np.concatenate(chunks).mean(axis=1) if chunks else np.zeros(0, np.float32)
    return levels(audio, overflows)


def input_channels(index: int, rate: int) -> int:
    """Mono when the device offers it (PulseAudio/ALSA plugins mix down), else its first two."""
    sd = load_sounddevice()
    try:
        sd.check_input_settings(device=index, channels=1, samplerate=rate, dtype="float32")
        return 1
    except sd.PortAudioError:
        return min(2, int(sd.query_devices(index, "input")["max_input_channels"]))


def levels(audio: np.ndarray, overflows: int = 0) -> LevelReport:
    """Level figures of a stretch of mono audio."""
    if audio.size == 0:
        return LevelReport(0.0, FLOOR_DBFS, False, True, overflows)
    peak = float(np.abs(audio).max())
    rms_db = dbfs(float(np.sqrt(np.mean(np.square(audio, dtype=np.float64)))))
    return LevelReport(peak, rms_db, peak >= CLIP_LEVEL, rms_db < SILENT_DBFS, overflows)


def _defaults(sd: ModuleType) -> tuple[int, int]:
    """Default (input, output) indexes; -1 when PortAudio has none (no sound card)."""
    default_in, default_out = sd.default.device
    return _index(sd, default_in, "input"), _index(sd, default_out, "output")


def _index(sd: ModuleType, value: int | str, kind: Kind) -> int:
    if isinstance(value, int):
        return value
    try:  # sd.default.device may hold a name set by the caller
        return int(sd.query_devices(value, kind)["index"])
    except (ValueError, sd.PortAudioError):
        return -1


def _channels(d: DeviceInfo, kind: Kind) -> int:
    return d.max_input_channels if kind == "input" else d.max_output_channels


def _choices(devices: Sequence[DeviceInfo]) -> str:
    """The devices to pick from, by index or name (the option takes either)."""
    listed = ", ".join(f"{d.index} {d.name!r}" for d in devices)
    return f"give one of: {listed} (see 'mockvoice devices')"
