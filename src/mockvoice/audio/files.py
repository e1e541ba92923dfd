"""Audio files in and out. Decoding goes through faster-whisper's PyAV decoder, so wav, flac,
mp3, ogg and m4a all work; everything is returned as 16 kHz mono float32."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mockvoice.errors import AudioInputError, NoSpeechError

SAMPLE_RATE = 16_000
SILENCE_RMS = 1e-4  # below this the whole file is digital silence


def load(path: Path) -> np.ndarray:
    """Decode an audio file to 16 kHz mono; one-line errors for anything unusable."""
    if not path.exists():
        raise AudioInputError(f"{path}: no such file — check the path")
    if path.is_dir():
        raise AudioInputError(f"{path}: is a folder — give an audio file (wav, flac, mp3, ogg, m4a)")
    if path.stat().st_size == 0:
        raise AudioInputError(f"{path}: the file is empty — record the answer again")
    from faster_whisper.audio import decode_audio

    try:
        audio = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except Exception as exc:  # PyAV raises many types (InvalidDataError, FFmpegError, …)
        raise AudioInputError(
            f"{path}: not an audio file mockvoice can read ({type(exc).__name__}) — "
            "use wav, flac, mp3, ogg or m4a"
        ) from None
    if audio.size < SAMPLE_RATE // 4:
        raise NoSpeechError(f"{path}: the recording is shorter than 0.25 s — nothing to analyze")
    if float(np.sqrt(np.mean(np.square(audio)))) < SILENCE_RMS:
        raise NoSpeechError(f"{path}: the recording is silent — check the microphone and record again")
    return audio
