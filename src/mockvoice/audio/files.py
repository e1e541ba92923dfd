"""Audio files in and out. Decoding goes through faster-whisper's PyAV decoder, so wav, flac,
mp3, ogg and m4a all work; everything is returned as 16 kHz mono float32."""

from __future__ import annotations

import stat
from pathlib import Path

import numpy as np

from mockvoice.errors import AudioInputError, NoSpeechError, os_error_message

SAMPLE_RATE = 16_000
SILENCE_RMS = 1e-4  # below this the whole file is digital silence


def _check_readable(path: Path) -> None:
    """One line for a path that is not a regular, non-empty file, before the decoder sees it: a
    FIFO would block it (and looks empty to stat), a name over 255 bytes raises ENAMETOOLONG."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise AudioInputError(f"{path}: no such file — check the path") from None
    except OSError as exc:
        raise AudioInputError(os_error_message(exc, path, "read the audio")) from None
    if stat.S_ISDIR(info.st_mode):
        raise AudioInputError(f"{path}: is a folder — give an audio file (wav, flac, mp3, ogg, m4a)")
    if not stat.S_ISREG(info.st_mode):
        raise AudioInputError(
            f"{path}: not a regular file (a pipe or device) — save the audio to a file and give that"
        )
    if info.st_size == 0:
        raise AudioInputError(f"{path}: the file is empty — record the answer again")


def load(path: Path) -> np.ndarray:
    """Decode an audio file to 16 kHz mono; one-line errors for anything unusable."""
    _check_readable(Path(path))
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
