"""Transcribe an answer while it is spoken, so feedback is ready as soon as it ends.

The recorder's writer thread feeds 16 kHz audio (`feed`, which only appends). A worker thread
watches the voice-activity frames of the same `SpeechTracker` that ends the answer, and each time
an utterance is finished — a pause of at least `PAUSE_S` after enough speech — it transcribes
that stretch, cut in the middle of the pause, and appends the words (times shifted to the
answer's clock). When the answer ends, `finish` has only the unfinished tail left to do, which
is usually nothing: the end-of-answer silence window is longer than the pause that cuts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

from mockvoice.audio import SAMPLE_RATE
from mockvoice.transcript import Transcript, Word

PAUSE_S = 0.45  # silence that ends an utterance
MIN_CHUNK_S = 10.0  # shorter utterances wait for the next pause: Whisper needs context (WER)
LONG_PAUSE_S = 1.2  # ...unless the speaker has clearly stopped
MAX_CHUNK_S = 24.0  # Whisper sees 30 s at a time: force a cut at the quietest frame before this


class LiveTranscriber:
    """Background transcription of finished utterances; see the module docstring."""

    def __init__(
        self,
        transcriber,
        tracker,
        on_words: Callable[[list[Word]], None] | None = None,
    ) -> None:
        self._transcriber = transcriber
        self._tracker = tracker
        self._on_words = on_words
        self._blocks: list[np.ndarray] = []
        self._samples = 0
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._words: list[Word] = []
        self._cut = 0  # samples already transcribed
        self.chunks: list[tuple[float, float]] = []  # (start_s, end_s) of each transcribed stretch
        self._thread = threading.Thread(target=self._run, name="live-transcriber", daemon=True)
        self._thread.start()

    # --- writer-thread side ------------------------------------------------------------------
    def feed(self, block16k: np.ndarray) -> None:
        with self._lock:
            self._blocks.append(np.asarray(block16k, np.float32).reshape(-1))
            self._samples += len(self._blocks[-1])
        self._wake.set()

    # --- results ------------------------------------------------------------------------------
    @property
    def words(self) -> list[Word]:
        return list(self._words)

    def finish(self) -> Transcript:
        """Stop the worker (after the utterance in progress) and transcribe what is left."""
        self._stop.set()
        self._wake.set()
        self._thread.join()
        audio = self._audio()
        if len(audio) - self._cut > SAMPLE_RATE // 4:
            self._transcribe(audio, self._cut, len(audio))
        return Transcript(
            words=tuple(self._words),
            duration_s=len(audio) / SAMPLE_RATE,
            model=getattr(self._transcriber, "name", ""),
        )

    # --- worker ---------------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(0.25)
            self._wake.clear()
            if self._stop.is_set():
                break
            cut = self._next_cut()
            if cut is not None:
                self._transcribe(self._audio(), self._cut, cut)

    def _audio(self) -> np.ndarray:
        with self._lock:
            if len(self._blocks) > 1:
                self._blocks = [np.concatenate(self._blocks)]
            return self._blocks[0] if self._blocks else np.zeros(0, np.float32)

    def _next_cut(self) -> int | None:
        """Sample index to cut at, or None while the current utterance goes on."""
        flags = self._tracker.speech_flags()
        frame = self._tracker.frame_samples
        first = self._cut // frame
        pending = flags[first:]
        if not any(pending):
            return None
        pause_frames = round(PAUSE_S * SAMPLE_RATE / frame)
        last_speech = max(i for i, f in enumerate(pending) if f)
        silence_after = len(pending) - 1 - last_speech
        speech_start = next(i for i, f in enumerate(pending) if f)
        length_s = (last_speech - speech_start + 1) * frame / SAMPLE_RATE
        if silence_after >= pause_frames and (
            length_s >= MIN_CHUNK_S or silence_after * frame / SAMPLE_RATE >= LONG_PAUSE_S
        ):
            return (first + last_speech + 1 + silence_after // 2) * frame
        if len(pending) * frame / SAMPLE_RATE >= MAX_CHUNK_S:
            return self._forced_cut(pending, first, frame)
        return None

    def _forced_cut(self, pending: bytes, first: int, frame: int) -> int:
        """No pause for MAX_CHUNK_S: cut in the latest short gap, else at the chunk's end."""
        min_frames = round(MIN_CHUNK_S * SAMPLE_RATE / frame)
        gaps = [i for i in range(len(pending) - 1, min_frames, -1) if not pending[i]]
        return (first + (gaps[0] if gaps else len(pending))) * frame

    def _transcribe(self, audio: np.ndarray, start: int, end: int) -> None:
        from mockvoice.errors import NoSpeechError

        offset = start / SAMPLE_RATE
        try:
            part = self._transcriber.transcribe(audio[start:end])
        except NoSpeechError:
            part = None
        self._cut = end
        self.chunks.append((offset, end / SAMPLE_RATE))
        if part is None:
            return
        shifted = [Word(w.text, w.start + offset, w.end + offset, w.probability) for w in part.words]
        self._words.extend(shifted)
        if self._on_words is not None:
            self._on_words(list(self._words))
