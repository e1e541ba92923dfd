"""Transcribe an answer while it is spoken, so feedback is ready as soon as it ends.

Recordings analyzed from a file go through the same cuts (`transcribe_in_utterances`), so an
answer gives the same words whether it was streamed live or analyzed afterwards.

The recorder's writer thread feeds 16 kHz audio (`feed`, which only appends). A worker thread
watches the voice-activity frames of the same `SpeechTracker` that ends the answer, and each time
an utterance is finished — a pause of at least `PAUSE_S` after enough speech — it transcribes
that stretch, cut in the middle of the pause, and appends the words (times shifted to the
answer's clock). When the answer ends, `finish` has only the unfinished tail left to do, which
is usually nothing: the end-of-answer silence window is longer than the pause that cuts.

A fluent speaker gives few pauses, so an utterance can run 10-24 s before it is cut. So that the
live checklist keeps up, the worker also re-reads the open utterance every PREVIEW_S while
it grows (`Transcriber.preview`) and passes on the words two readings in a row agree on (the
local-agreement policy of whisper_streaming): a phrase is ticked a second or two after it is
said. Those words only feed `on_words`; the transcript keeps the finished utterances' words, so
it stays the same as the file pass. No reading starts while the speaker is silent, so the end of
an answer never waits for one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from mockvoice.audio.files import SAMPLE_RATE
from mockvoice.audio.vad import SpeechTracker
from mockvoice.errors import NoSpeechError
from mockvoice.speech import fillers
from mockvoice.speech.transcript import Hesitation, Transcript, Word, word_key

PAUSE_S = 0.45  # silence that ends an utterance
MIN_CHUNK_S = 10.0  # shorter utterances wait for the next pause: Whisper needs context (WER)
LONG_PAUSE_S = 1.2  # ...unless the speaker has clearly stopped
MAX_CHUNK_S = 24.0  # Whisper sees 30 s at a time: force a cut at the quietest frame before this
PREVIEW_S = 0.3  # re-read the open utterance once it is this long and has grown by as much,
# if speech was heard since the last reading
WINDOW_S = 6.0  # readings start between two agreed words at least this long before their end,
# so a reading covers a few seconds, not the whole utterance
OVERLAP_S = 0.1  # a reading's word that starts this much before the last agreed word ends is old
FILLERS_EVERY_S = 5.0  # the live view's hesitations heard are recounted after this much audio


class LiveTranscriber:
    """Background transcription of finished utterances; see the module docstring."""

    def __init__(
        self,
        transcriber,
        tracker,
        on_words: Callable[[Transcript], None] | None = None,
        background: bool = True,
        preview: bool = True,
    ) -> None:
        """`background=False` transcribes inside `feed` instead of a worker thread: the same cuts
        as in real time with an infinitely fast model (deterministic, for tests and benches).
        `preview=False` (or no `on_words`) passes on finished utterances only."""
        self._transcriber = transcriber
        self._tracker = tracker
        self._on_words = on_words  # called with the transcript so far after each utterance
        self._blocks: list[np.ndarray] = []
        self._samples = 0
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._words: list[Word] = []
        self._cut = 0  # samples already transcribed
        self.chunks: list[tuple[float, float]] = []  # (start_s, end_s) of each transcribed stretch
        self.busy_s = 0.0  # seconds spent in the recognizer on finished utterances
        self.preview_s = 0.0  # ...and on readings of the open one
        self._preview = preview and on_words is not None
        self._agreement = Agreement()  # the open utterance's words two readings agreed on
        self._read_from = 0  # where readings start
        self._read_to = 0  # samples the last reading saw
        self._fillers: tuple[Hesitation, ...] = ()  # heard so far, for the live view
        self._fillers_to = 0  # samples they were counted on
        self._background = background
        self._thread = threading.Thread(target=self._run, name="live-transcriber", daemon=True)
        if background:
            self._thread.start()

    # --- writer-thread side ------------------------------------------------------------------
    def feed(self, block16k: np.ndarray) -> None:
        with self._lock:
            self._blocks.append(np.asarray(block16k, np.float32).reshape(-1))
            self._samples += len(self._blocks[-1])
        if self._background:
            self._wake.set()
        else:
            self._step()

    # --- results ------------------------------------------------------------------------------
    @property
    def words(self) -> list[Word]:
        return list(self._words)

    def stop(self) -> None:
        """Stop the worker and wait for it (after the reading in progress): the answer was
        abandoned. A thread left inside the recognizer aborts the interpreter at exit."""
        self._stop.set()
        self._wake.set()
        if self._background and self._thread.is_alive():
            self._thread.join()

    def finish(self) -> Transcript:
        """Stop the worker (after the utterance in progress) and transcribe what is left."""
        self._stop.set()
        self._wake.set()
        if self._background:
            self._thread.join()
        audio = self._audio()
        # Utterances the worker had no time for (a loaded machine) are transcribed at their own
        # cuts, as the file pass does, not run together with the tail.
        while (cut := self._next_cut()) is not None and self._cut < cut <= len(audio):
            self._transcribe(audio, self._cut, cut)
        if len(audio) - self._cut > SAMPLE_RATE // 4:
            self._transcribe(audio, self._cut, len(audio))
        transcript = Transcript(
            words=tuple(self._words),
            duration_s=len(audio) / SAMPLE_RATE,
            model=getattr(self._transcriber, "name", ""),
            # compute spent transcribing (for the RTF), and re-reading utterances in progress
            meta={"asr_busy_s": round(self.busy_s, 3), "preview_busy_s": round(self.preview_s, 3)},
            pauses=self._pauses_until(len(audio)),
        )
        return replace(transcript, fillers=heard_fillers(audio, transcript))

    def _so_far(self, end: int) -> Transcript:
        """The words so far (with those agreed on in the open utterance), the pauses heard up to
        `end` (sentences when unpunctuated), and the hesitations heard (recounted every
        FILLERS_EVERY_S: 0.05 s per minute of audio). `meta["heard_s"]`: the audio heard by then."""
        words = (*self._words, *self._agreement.words)
        transcript = Transcript(
            words=words,
            duration_s=words[-1].end if words else end / SAMPLE_RATE,
            pauses=self._pauses_until(end),
            meta={"heard_s": round(end / SAMPLE_RATE, 3)},
        )
        if end - self._fillers_to >= FILLERS_EVERY_S * SAMPLE_RATE:
            self._fillers, self._fillers_to = heard_fillers(self._audio()[:end], transcript), end
        return replace(transcript, fillers=self._fillers)

    def _pauses_until(self, end: int) -> tuple[tuple[float, float], ...]:
        frame = self._tracker.frame_samples
        return pauses(self._tracker.speech_flags()[: end // frame], frame)

    # --- worker ---------------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(0.25)
            self._wake.clear()
            if self._stop.is_set():
                break
            self._step()

    def _step(self) -> None:
        cut = self._next_cut()
        audio = self._audio()
        if cut is not None and cut <= len(audio):  # the VAD may be a block ahead of our copy
            self._transcribe(audio, self._cut, cut)
        elif self._preview and not self._stop.is_set() and self._reading_due(len(audio)):
            self._read_open(audio)

    def _reading_due(self, end: int) -> bool:
        frame = self._tracker.frame_samples
        if min(end - self._read_from, end - self._read_to) < PREVIEW_S * SAMPLE_RATE:
            return False
        return 1 in self._tracker.speech_flags()[max(self._read_to, self._read_from) // frame : end // frame]

    def _read_open(self, audio: np.ndarray) -> None:
        """Read the open utterance again; pass on the words this reading and the last agree on."""
        end = len(audio)
        offset = self._read_from / SAMPLE_RATE
        began = time.perf_counter()
        words = [
            Word(w.text, w.start + offset, w.end + offset, w.probability)
            for w in self._transcriber.preview(audio[self._read_from : end])
        ]
        self.preview_s += time.perf_counter() - began
        self._read_to = end
        if self._agreement.add(words):
            self._on_words(self._so_far(end))
        start = self._agreement.boundary_before(end / SAMPLE_RATE - WINDOW_S)
        if start is not None:
            self._read_from = max(self._read_from, int(start * SAMPLE_RATE))

    def _audio(self) -> np.ndarray:
        with self._lock:
            if len(self._blocks) > 1:
                self._blocks = [np.concatenate(self._blocks)]
            return self._blocks[0] if self._blocks else np.zeros(0, np.float32)

    def _next_cut(self) -> int | None:
        """Sample index to cut at, or None while the current utterance goes on."""
        frame = self._tracker.frame_samples
        cut = next_cut(self._tracker.speech_flags(), self._cut // frame, frame)
        return None if cut is None else cut * frame

    def _transcribe(self, audio: np.ndarray, start: int, end: int) -> None:

        offset = start / SAMPLE_RATE
        began = time.perf_counter()
        try:
            part = self._transcriber.transcribe(audio[start:end])
        except NoSpeechError:
            part = None
        self.busy_s += time.perf_counter() - began
        self._cut = self._read_from = end
        self._agreement = Agreement()  # the finished utterance's words replace its readings
        self.chunks.append((offset, end / SAMPLE_RATE))
        if part is None:
            return
        shifted = [Word(w.text, w.start + offset, w.end + offset, w.probability) for w in part.words]
        self._words.extend(shifted)
        if self._on_words is not None:
            self._on_words(self._so_far(end))


class Agreement:
    """The words of an utterance in progress that two readings in a row agree on: the
    local-agreement policy of whisper_streaming. Readings overlap what was already agreed (they
    start a few seconds back, for context); only their words after it are compared."""

    def __init__(self) -> None:
        self.words: list[Word] = []
        self._pending: list[Word] = []  # the last reading's words after the agreed ones

    def add(self, reading: list[Word]) -> int:
        """Take in a reading (times on the answer clock); return how many words it agreed."""
        new = self._after_agreed(reading)
        agreed = agreed_prefix(self._pending, new)
        self.words.extend(agreed)
        self._pending = new[len(agreed) :]
        return len(agreed)

    def _after_agreed(self, reading: list[Word]) -> list[Word]:
        if not self.words:
            return reading
        self._repunctuate([w for w in reading if w.start <= self.words[-1].end - OVERLAP_S])
        new = [w for w in reading if w.start > self.words[-1].end - OVERLAP_S]
        for n in range(min(5, len(new), len(self.words)), 0, -1):  # agreed words timed late
            if [word_key(w.text) for w in self.words[-n:]] == [word_key(w.text) for w in new[:n]]:
                return new[n:]
        return new

    def _repunctuate(self, old: list[Word], tail: int = 8) -> None:
        """Agreed words read again take the new reading's punctuation: with more said after
        them, "not random" has become "not random." (a sentence end matters: "not random I
        traced" denies "I traced")."""
        k = len(self.words) - 1
        for w in reversed(old):
            while k >= max(0, len(self.words) - tail) and word_key(self.words[k].text) != word_key(w.text):
                k -= 1
            if k < max(0, len(self.words) - tail):
                return
            self.words[k] = replace(self.words[k], text=w.text)
            k -= 1

    def boundary_before(self, t: float) -> float | None:
        """The latest time between two agreed words, the later one starting before `t`: where
        a reading can start without cutting a word."""
        for a, b in zip(reversed(self.words[:-1]), reversed(self.words[1:]), strict=True):
            if b.start <= t:
                return (a.end + b.start) / 2
        return None


def agreed_prefix(before: list[Word], now: list[Word]) -> list[Word]:
    """The words at the start of `now` that `before` also begins with (compared without case
    or punctuation), as `now` times them: what two readings of a growing utterance agree on."""
    n = 0
    for a, b in zip(before, now, strict=False):
        if word_key(a.text) != word_key(b.text):
            break
        n += 1
    return now[:n]


def next_cut(flags: bytes, first: int, frame: int) -> int | None:
    """The frame to cut at after frame `first`, from the VAD's per-frame decisions alone.

    Scanning forward from the last cut, the utterance ends at the first pause of PAUSE_S once
    it has MIN_CHUNK_S of speech, or at the first pause of LONG_PAUSE_S whatever its length;
    the cut falls a fixed distance into that pause. With no such pause within MAX_CHUNK_S, it
    falls in the latest gap before that. Depending only on the flags (never on when the worker
    looks), the cuts are the same live and offline, so both give the same transcript.
    """
    rate_frames = SAMPLE_RATE / frame
    pause, long_pause = round(PAUSE_S * rate_frames), round(LONG_PAUSE_S * rate_frames)
    min_chunk, max_chunk = round(MIN_CHUNK_S * rate_frames), round(MAX_CHUNK_S * rate_frames)
    start = flags.find(1, first)
    if start < 0:
        return None
    run = 0  # length of the silence run ending at i
    for i in range(start, len(flags)):
        run = 0 if flags[i] else run + 1
        speech_end = i - run + 1
        if run == pause and speech_end - start >= min_chunk:
            return speech_end + pause // 2
        if run == long_pause:
            return speech_end + pause // 2
        if i - first >= max_chunk:
            gap = flags.rfind(0, first + min_chunk, i)
            return gap if gap > 0 else i
    return None


def pauses(flags: bytes, frame: int, shortest_s: float = PAUSE_S) -> tuple[tuple[float, float], ...]:
    """(start_s, end_s) of each silence of at least `shortest_s` between stretches of speech."""
    frame_s = frame / SAMPLE_RATE
    out, run_start = [], None
    for i, speaking in enumerate(flags):
        if not speaking and run_start is None:
            run_start = i
        elif speaking and run_start is not None:
            if run_start > 0 and (i - run_start) * frame_s >= shortest_s:
                out.append((round(run_start * frame_s, 3), round(i * frame_s, 3)))
            run_start = None
    return tuple(out)


def heard_fillers(audio: np.ndarray, transcript: Transcript) -> tuple[Hesitation, ...]:
    """The "um"/"uh" heard in the whole answer that the words leave out (`mockvoice.fillers`):
    run once, when the answer is over (about 0.1 s per minute of audio)."""
    if not transcript.words:
        return ()

    return fillers.heard_fillers(audio, transcript)


def transcribe_in_utterances(
    transcriber, audio: np.ndarray, source: str = "the recording", block: int = 1600
) -> Transcript:
    """A whole recording cut into utterances exactly as a live answer is (same VAD, same cuts),
    so a file and the same answer spoken live give the same words."""

    tracker = SpeechTracker()
    live = LiveTranscriber(transcriber, tracker, background=False)
    for i in range(0, len(audio), block):
        piece = audio[i : i + block]
        tracker.feed(piece)
        live.feed(piece)
    transcript = live.finish()
    if not transcript.words:
        raise NoSpeechError(f"{source}: no speech found — check the microphone and record again")
    return transcript
