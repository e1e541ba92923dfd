"""Loudness of a recording, measured independently of mockvoice."""

from __future__ import annotations

import numpy as np


def frame_rms(audio: np.ndarray, rate: int, frame_s: float = 0.01) -> np.ndarray:
    n = int(rate * frame_s)
    frames = audio[: len(audio) // n * n].reshape(-1, n)
    return np.sqrt(np.mean(np.square(frames, dtype=np.float64), axis=1))


def loud_span(audio: np.ndarray, rate: int, threshold: float = 0.01) -> float:
    """Seconds from the first to the last 10 ms frame above `threshold` RMS."""
    loud = np.flatnonzero(frame_rms(audio, rate) > threshold)
    return 0.0 if loud.size == 0 else (loud[-1] - loud[0] + 1) * 0.01
