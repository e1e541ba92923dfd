"""Record the microphone to a 16 kHz mono WAV that survives a crash.

The PortAudio callback only queues a copy of each block; a writer thread mixes to mono,
resamples (soxr, streaming), writes the WAV as it is captured and feeds `on_audio` (VAD, live
meters). libsndfile rewrites the WAV header after every write, so even after SIGKILL the file on
disk is a valid WAV holding everything up to the last block. A sidecar `<file>.recording`
marks a recording in progress; `find_unfinished` and `repair` recover the ones whose process
died (the idea of Audacity's recovery at the next start).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from mockvoice.audio.devices import (
    CLIP_LEVEL,
    FLOOR_DBFS,
    SILENT_DBFS,
    dbfs,
    input_channels,
    input_device,
    load_sounddevice,
)
from mockvoice.audio.files import SAMPLE_RATE
from mockvoice.errors import AudioInputError, DeviceError, SessionError
from mockvoice.process import boot_id, owner_alive

MARKER_SUFFIX = ".recording"
SFC_SET_UPDATE_HEADER_AUTO = 0x1061  # libsndfile: rewrite the header after every write
LEVEL_WINDOW_S = 0.1
CLIP_WINDOW_S = 0.5
SILENT_AFTER_S = 2.0

Block = tuple[np.ndarray, Any]  # (frames x channels float32, sounddevice.CallbackFlags)


@dataclass(frozen=True)
class RecordingInfo:
    path: Path
    duration_s: float
    overflows: int
    samplerate_in: int


class LiveFigures:
    """What the status line reads off any microphone while it records: seconds written (16 kHz
    samples) and the level figures of its Meter. Lock-free: the writer replaces them whole."""

    _written: int
    _meter: Meter

    @property
    def elapsed_s(self) -> float:
        return self._written / SAMPLE_RATE

    @property
    def level_dbfs(self) -> float:
        return self._meter.now.level_dbfs

    @property
    def peak(self) -> float:
        return self._meter.now.peak

    @property
    def clipping(self) -> bool:
        return self._meter.now.clipping

    @property
    def silent(self) -> bool:
        return self._meter.now.silent


class Recorder(LiveFigures):
    """One recording: `start()`, read the live properties, `stop()`; or use it as a context manager."""

    def __init__(
        self,
        path: Path,
        device: int | str | None = None,
        on_audio: Callable[[np.ndarray], None] | None = None,
        channels: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.marker = marker_path(self.path)
        self._device_spec = device
        self._on_audio = on_audio
        self._channels = channels
        # SimpleQueue: its put() is reentrant, so stop() from a signal handler cannot deadlock on it.
        self._queue: queue.SimpleQueue[Block | None] = queue.SimpleQueue()
        self._stream: Any = None
        self._writer: threading.Thread | None = None
        self._info: RecordingInfo | None = None
        self._error: BaseException | None = None
        self._samplerate_in = 0
        self._overflows = 0
        self._written = 0
        self.started_at: float | None = None  # time.monotonic() when the first sample was captured
        self._meter = Meter(SAMPLE_RATE)

    # --- live figures: lock-free reads of values the writer replaces whole --------------------

    @property
    def overflows(self) -> int:
        return self._overflows

    # --- lifecycle --------------------------------------------------------------------------

    def start(self) -> Recorder:
        """Open the device and the file, then start capturing; DeviceError if the device fails."""
        if self._stream is not None:
            raise RuntimeError("a Recorder records once; make a new one")
        if self.marker.exists():
            raise SessionError(f"{self.path}: an unfinished recording is there — recover it before recording")
        sd = load_sounddevice()
        index = input_device(self._device_spec)
        rate = int(sd.query_devices(index, "input")["default_samplerate"])
        channels = self._channels or input_channels(index, rate)
        try:
            self._stream = sd.InputStream(
                device=index,
                samplerate=rate,
                channels=channels,
                dtype="float32",
                latency="high",  # a recorder wants no gaps, not low latency
                callback=self._callback,
            )
        except sd.PortAudioError as exc:
            raise DeviceError(
                f"input device {index}: cannot open it ({exc}) — pick another with --device"
            ) from None
        self._samplerate_in = rate
        self._meter = Meter(rate)
        try:
            sink = _WavSink(self.path, rate)
            self._writer = threading.Thread(
                target=self._write_loop, args=(sink,), name="recorder", daemon=True
            )
            self._writer.start()
            _write_marker(self.marker, rate, index, channels)
            self._stream.start()
        except BaseException as exc:
            self.stop()
            if isinstance(exc, sd.PortAudioError):
                raise DeviceError(f"input device {index}: cannot start it ({exc}) — pick another") from None
            raise
        return self

    def stop(self) -> RecordingInfo:
        """Stop capturing, write every queued block, close the file. Idempotent, no deadlock.

        No locks are taken and every step tolerates being repeated, so a second call from a
        signal handler that interrupted the first finishes the job and the first then returns.
        """
        if self._info is not None:
            return self._info
        if self._stream is not None:
            with contextlib.suppress(Exception):
                self._stream.stop()  # returns once the callback will not run again
            with contextlib.suppress(Exception):
                self._stream.close()
        self._queue.put(None)  # after the last block: the writer drains everything before it
        if self._writer is not None:
            self._writer.join()
        self.marker.unlink(missing_ok=True)
        self._info = RecordingInfo(self.path, self.elapsed_s, self._overflows, self._samplerate_in)
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        return self._info

    def __enter__(self) -> Recorder:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- the two threads ------------------------------------------------------------------

    def _callback(self, indata: np.ndarray, frames: int, when: Any, status: Any) -> None:
        """PortAudio's thread: nothing but a copy into the queue (no I/O, no locks)."""
        if self.started_at is None:
            self.started_at = time.monotonic() - _capture_age(when, frames, self._samplerate_in)
        self._queue.put((indata.copy(), status))
        if status.input_overflow:
            self._overflows += 1

    def _write_loop(self, sink: _WavSink) -> None:
        """Writer thread: mono → levels → 16 kHz → file → on_audio, until the None sentinel."""
        item: Block | None = None
        try:
            while (item := self._queue.get()) is not None:
                self._consume(sink, item[0])
            self._deliver(sink, sink.flush())
        except Exception as exc:
            self._error = SessionError(
                f"{self.path}: cannot write the recording ({exc}) — check free disk space"
            )
            while item is not None:  # keep draining so the callback's queue does not grow
                item = self._queue.get()
        finally:
            sink.close()

    def _consume(self, sink: _WavSink, block: np.ndarray) -> None:
        mono = block.mean(axis=1, dtype=np.float32) if block.shape[1] > 1 else block[:, 0]
        self._meter.add(mono)
        self._deliver(sink, sink.resample(mono))

    def _deliver(self, sink: _WavSink, block16k: np.ndarray) -> None:
        if block16k.size == 0:
            return
        sink.write(block16k)
        self._written += block16k.size  # only this thread writes it; readers see old or new
        if self._on_audio is not None:
            try:
                self._on_audio(block16k)
            except Exception as exc:  # a broken meter must not stop the recording: raised by stop()
                self._on_audio = None
                self._error = exc


class _WavSink:
    """16 kHz mono PCM_16 WAV whose header libsndfile keeps current after every write."""

    def __init__(self, path: Path, rate_in: int) -> None:
        import soundfile
        import soxr

        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._file = soundfile.SoundFile(
                path, "w", samplerate=SAMPLE_RATE, channels=1, subtype="PCM_16", format="WAV"
            )
        except (OSError, RuntimeError) as exc:
            raise SessionError(f"{path}: cannot create the recording ({exc}) — check the folder") from None
        snd, ffi = soundfile._snd, soundfile._ffi  # no public API for this command
        snd.sf_command(self._file._file, SFC_SET_UPDATE_HEADER_AUTO, ffi.NULL, snd.SF_TRUE)
        self._resampler = (
            None if rate_in == SAMPLE_RATE else soxr.ResampleStream(rate_in, SAMPLE_RATE, 1, dtype="float32")
        )

    def resample(self, mono: np.ndarray) -> np.ndarray:
        if self._resampler is None:
            return mono
        return self._resampler.resample_chunk(mono, last=False)

    def flush(self) -> np.ndarray:
        """The resampler's delayed tail (a few ms)."""
        if self._resampler is None:
            return np.zeros(0, np.float32)
        return self._resampler.resample_chunk(np.zeros(0, np.float32), last=True)

    def write(self, block16k: np.ndarray) -> None:
        self._file.write(block16k)

    def close(self) -> None:
        self._file.close()


@dataclass(frozen=True)
class Levels:
    level_dbfs: float = FLOOR_DBFS  # RMS of the last 100 ms
    peak: float = 0.0  # max |x| of the last 100 ms
    clipping: bool = False  # |x| >= 0.99 within the last 0.5 s
    silent: bool = False  # below -60 dBFS for the last 2 s


class Meter:
    """Rolling level figures at the input rate, for every microphone (the recorder, the file
    microphone of tests). Only the writer thread calls `add`; readers get `now`, an immutable
    snapshot replaced in one assignment (atomic under the GIL)."""

    def __init__(self, rate: int) -> None:
        self._rate = rate
        self._recent = np.zeros(0, np.float32)  # the last CLIP_WINDOW_S of audio
        self._quiet = 0  # samples in a row in blocks below SILENT_DBFS
        self.now = Levels()

    def add(self, mono: np.ndarray) -> None:
        if mono.size == 0:
            return
        self._recent = np.concatenate([self._recent, mono])[-int(self._rate * CLIP_WINDOW_S) :]
        last = self._recent[-int(self._rate * LEVEL_WINDOW_S) :]
        self._quiet = self._quiet + mono.size if _rms_dbfs(mono) < SILENT_DBFS else 0
        self.now = Levels(
            level_dbfs=_rms_dbfs(last),
            peak=float(np.abs(last).max()),
            clipping=bool(np.abs(self._recent).max() >= CLIP_LEVEL),
            silent=self._quiet >= SILENT_AFTER_S * self._rate,
        )


def _rms_dbfs(x: np.ndarray) -> float:
    return dbfs(float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))))


# --- crash recovery -----------------------------------------------------------------------


def marker_path(path: Path) -> Path:
    """The sidecar that exists while `path` is being recorded: answer.wav → answer.wav.recording."""
    return path.with_name(path.name + MARKER_SUFFIX)


def find_unfinished(folder: Path) -> list[Path]:
    """WAVs under `folder` whose recording process died before `stop()` (its sidecar remains)."""
    found = []
    for marker in sorted(Path(folder).rglob("*" + MARKER_SUFFIX)):
        wav = marker.with_name(marker.name.removesuffix(MARKER_SUFFIX))
        if wav.is_file() and not _recording_alive(marker):
            found.append(wav)
    return found


def repair(path: Path) -> float:
    """Make a crashed WAV readable (sizes from the file length), drop its sidecar, return seconds.

    Never deletes audio: only the two size fields of the header are rewritten, and a trailing
    half sample is left out of the data size, not cut from the file.
    """
    path = Path(path)
    try:
        _fix_sizes(path)
        import soundfile

        info = soundfile.info(str(path))
    except (OSError, ValueError, RuntimeError) as exc:
        raise AudioInputError(
            f"{path}: cannot repair this recording ({exc}) — the file is kept as it is"
        ) from None
    marker_path(path).unlink(missing_ok=True)
    return info.frames / info.samplerate


def _capture_age(when: Any, frames: int, rate: int) -> float:
    """How long ago the first frame of a callback's block was captured: PortAudio's timestamps
    when the host gives them, else the block's own length. A device can start delivering a
    second after the stream starts (PulseAudio's idle monitors do): the answer's clock starts
    at its first sample, not at `start()`."""
    age = getattr(when, "currentTime", 0.0) - getattr(when, "inputBufferAdcTime", 0.0)
    return age if 0.0 < age < 1.0 else frames / rate


def _write_marker(marker: Path, rate: int, device: int, channels: int) -> None:
    doc = {
        "pid": os.getpid(),
        "boot_id": boot_id(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "samplerate": SAMPLE_RATE,
        "samplerate_in": rate,
        "device": device,
        "channels": channels,
    }
    tmp = marker.with_name(marker.name + ".tmp")
    tmp.write_text(json.dumps(doc, allow_nan=False))
    os.replace(tmp, marker)


def _recording_alive(marker: Path) -> bool:
    """Is the process named in the sidecar still running (same boot, not a zombie)?"""
    try:
        doc = json.loads(marker.read_text())
    except (OSError, ValueError):
        return False  # unreadable sidecar: the writer died while writing it
    return isinstance(doc, dict) and owner_alive({**doc, "pid": _int(doc.get("pid"))})


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _fix_sizes(path: Path) -> None:
    """Rewrite the RIFF and data sizes when the data chunk's size is stale (a crash)."""
    size = path.stat().st_size
    with path.open("r+b") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise ValueError("not a WAV file")
        offset, block_align = 12, 1
        while offset + 8 <= size:
            f.seek(offset)
            chunk_id, chunk_size = struct.unpack("<4sI", f.read(8))
            if chunk_id == b"fmt ":
                block_align = max(1, struct.unpack("<H", f.read(16)[12:14])[0])
            if chunk_id == b"data":
                if not _chunk_fits(f, offset + 8 + chunk_size, size):
                    available = size - offset - 8
                    data_size = available - available % block_align
                    f.seek(offset + 4)
                    f.write(struct.pack("<I", data_size))
                    f.seek(4)
                    f.write(struct.pack("<I", offset + data_size))  # RIFF size: file length - 8
                return
            offset += 8 + chunk_size + (chunk_size & 1)
        raise ValueError("no data chunk")


def _chunk_fits(f: BinaryIO, end: int, size: int) -> bool:
    """Does a data chunk ending at `end` agree with the file: it ends the file, or a chunk follows?"""
    if end > size:
        return False
    if end >= size - 1:  # exactly, or with the pad byte
        return True
    f.seek(end + (end & 1))
    following = f.read(8)
    if len(following) < 8:
        return False
    chunk_id, chunk_size = struct.unpack("<4sI", following)
    return all(32 <= c < 127 for c in chunk_id) and end + 8 + chunk_size <= size + 1
