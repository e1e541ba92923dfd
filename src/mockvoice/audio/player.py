"""Blocking playback (the interviewer's voice) through an explicit PortAudio output stream.

Never `sd.play`: sounddevice's convenience functions share one global stream with `sd.rec`,
so playing would stop a recording. The audio is resampled to the device's own rate (soxr)
because many devices refuse other rates, and it is written in short pieces so a `stop` event
ends playback within ~0.1 s.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from mockvoice.audio.devices import load_sounddevice, output_device
from mockvoice.errors import AudioInputError, DeviceError

PIECE_S = 0.1  # how often the stop event is checked
TAIL_S = 0.05  # silence after the audio, beyond the stream's latency (see `play`)


def play(
    audio: np.ndarray,
    samplerate: int,
    device: int | str | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Play `audio` (frames, or frames x channels) and return when it has been heard, or on `stop`."""
    sd = load_sounddevice()
    index = output_device(device)
    rate = int(sd.query_devices(index, "output")["default_samplerate"])
    frames = _fit_channels(sd, index, rate, _as_frames(audio))
    if rate != samplerate:
        import soxr

        frames = soxr.resample(frames, samplerate, rate).astype(np.float32, copy=False)
    try:
        stream = sd.OutputStream(device=index, samplerate=rate, channels=frames.shape[1], dtype="float32")
    except sd.PortAudioError as exc:
        raise DeviceError(f"output device {index}: cannot open it ({exc}) — pick another device") from None
    with stream:
        piece = max(1, int(rate * PIECE_S))
        for start in range(0, len(frames), piece):
            if stop is not None and stop.is_set():
                stream.abort()  # drop what is still buffered: stop means now
                return
            stream.write(np.ascontiguousarray(frames[start : start + piece]))
        # Stopping drains the buffers, but the ALSA pulse plugin still drops its last ~50 ms:
        # silence goes last so that only silence is lost.
        stream.write(np.zeros((int(rate * (stream.latency + TAIL_S)), frames.shape[1]), np.float32))


def play_file(path: Path, device: int | str | None = None, stop: threading.Event | None = None) -> None:
    """Play an audio file that libsndfile reads (wav, flac, ogg, mp3)."""
    import soundfile

    try:
        audio, samplerate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (OSError, RuntimeError) as exc:
        raise AudioInputError(f"{path}: cannot play this file ({exc}) — use a wav or flac file") from None
    play(audio, samplerate, device=device, stop=stop)


def _as_frames(audio: np.ndarray) -> np.ndarray:
    """float32, frames x channels."""
    audio = np.asarray(audio, dtype=np.float32)
    return audio.reshape(-1, 1) if audio.ndim == 1 else audio


def _fit_channels(sd: Any, index: int, rate: int, frames: np.ndarray) -> np.ndarray:
    """Keep the channel count if the device takes it; else mix to mono, else mono on two channels."""
    for channels in dict.fromkeys((frames.shape[1], 1, 2)):
        try:
            sd.check_output_settings(device=index, channels=channels, samplerate=rate, dtype="float32")
        except sd.PortAudioError:
            continue
        if channels == frames.shape[1]:
            return frames
        return np.repeat(frames.mean(axis=1, keepdims=True), channels, axis=1)
    raise DeviceError(f"output device {index}: takes neither mono nor stereo at {rate} Hz — pick another")
