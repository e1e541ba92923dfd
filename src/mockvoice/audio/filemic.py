"""A microphone that "records" an audio file: the rehearsal flows run in-process, in tests and
benches, with a candidate who speaks a file instead of into a sound card.

It behaves as the recorder does seen from the flow: `start()`, live figures, `stop()` →
`RecordingInfo`, and `on_audio` called from a thread of its own with 16 kHz mono float32
blocks after each is written to a 16 kHz mono PCM_16 WAV (the recorder's format). The blocks
are 0.1 s of the file, paced at real speed or `speed` times faster; after the file come
blocks of silence until `stop()`, so the flow's end-of-silence logic ends the answer. It
never overflows. No device, no crash-safety sidecar: nothing here can be lost to a crash.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from mockvoice.audio.files import SAMPLE_RATE
from mockvoice.audio.recorder import LiveFigures, Meter, RecordingInfo
from mockvoice.errors import AudioInputError, SessionError

BLOCK_S = 0.1  # one block per 100 ms of audio, as often as a real input stream delivers


class FileMicrophone(LiveFigures):
    """Plays `source` (any file soundfile reads, any rate and channels) into `on_audio`."""

    def __init__(
        self,
        source: Path,
        path: Path,
        on_audio: Callable[[np.ndarray], None] | None = None,
        *,
        speed: float = 1.0,
    ) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be above 0, not {speed}")
        self.source = Path(source)
        self.path = Path(path)
        self.speed = speed
        self._on_audio = on_audio
        self._block = int(SAMPLE_RATE * BLOCK_S)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._info: RecordingInfo | None = None
        self._error: BaseException | None = None
        self._samplerate_in = 0
        self._written = 0
        self.started_at: float | None = None  # time.monotonic() when the first block began
        self._meter = Meter(SAMPLE_RATE)

    # --- live figures ------------------------------------------------------------------------

    @property
    def overflows(self) -> int:
        return 0

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FileMicrophone:
        """Read the file and open the WAV (errors are raised here), then start the blocks."""
        if self._thread is not None:
            raise RuntimeError("a FileMicrophone records once; make a new one")
        import soundfile

        audio = self._read(soundfile)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            sink = soundfile.SoundFile(
                self.path, "w", samplerate=SAMPLE_RATE, channels=1, subtype="PCM_16", format="WAV"
            )
        except (OSError, RuntimeError) as exc:
            raise SessionError(
                f"{self.path}: cannot create the recording ({exc}) — check the folder"
            ) from None
        self._thread = threading.Thread(target=self._play, args=(audio, sink), name="file-mic", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> RecordingInfo:
        """Stop the blocks, close the file. Idempotent; what was written stays written."""
        if self._info is not None:
            return self._info
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
        self._info = RecordingInfo(self.path, self.elapsed_s, 0, self._samplerate_in)
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        return self._info

    def __enter__(self) -> FileMicrophone:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- the file and the thread -------------------------------------------------------------

    def _read(self, soundfile) -> np.ndarray:
        """The whole source as 16 kHz mono float32 (mixed down and resampled as the recorder does)."""
        try:
            data, rate = soundfile.read(self.source, dtype="float32", always_2d=True)
        except (OSError, RuntimeError) as exc:
            raise AudioInputError(
                f"{self.source}: cannot read it ({exc}) — give a wav, flac or ogg file"
            ) from None
        self._samplerate_in = rate
        mono = data.mean(axis=1, dtype=np.float32) if data.shape[1] > 1 else data[:, 0]
        if rate != SAMPLE_RATE:
            import soxr

            mono = soxr.resample(mono, rate, SAMPLE_RATE).astype(np.float32)
        return np.ascontiguousarray(mono, dtype=np.float32)

    def _play(self, audio: np.ndarray, sink) -> None:
        """One block per BLOCK_S / speed of wall time, each handed over once it is 'captured'."""
        began = self.started_at = time.monotonic()
        n = 0
        try:
            while True:
                due = began + (n + 1) * BLOCK_S / self.speed
                if self._stopping.wait(max(0.0, due - time.monotonic())):
                    return
                block = audio[n * self._block : (n + 1) * self._block]
                if block.size < self._block:  # the file is over: silence until stop()
                    block = np.concatenate([block, np.zeros(self._block - block.size, np.float32)])
                self._deliver(sink, block)
                n += 1
        except Exception as exc:
            self._error = SessionError(f"{self.path}: cannot write the recording ({exc})")
        finally:
            sink.close()

    def _deliver(self, sink, block: np.ndarray) -> None:
        sink.write(block)
        self._meter.add(block)
        self._written += block.size
        if self._on_audio is not None:
            try:
                self._on_audio(block)
            except Exception as exc:  # as the recorder: stop feeding, raise it from stop()
                self._on_audio = None
                self._error = exc
