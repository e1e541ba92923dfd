"""Whole `mockvoice` runs driven from the outside, as a person would: start the command, listen on
the interviewer's speaker (`Ear`) until a question is over, speak (a piper take played into the
virtual microphone, see tests/support/pulse.py), and read what was saved. Used by the e2e tests
and bench/latency.py."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf
import yaml
from tests.support import ROOT
from tests.support.devset import speakable

from mockvoice.matching.textnorm import plain_words

EXE = str(Path(sys.executable).parent / "mockvoice")
RATE = 16_000
FRAME = RATE // 20  # 50 ms
SPEECH_RMS = 0.01
BUNDLED_SCENARIO = ROOT / "scenarios" / "leadership-without-title.yaml"


class Ear:
    """Records the interviewer sink's monitor (raw 16 kHz mono) and tells when speech stops."""

    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path = path
        self.proc = subprocess.Popen(
            [
                "parec",
                "--device=interviewer.monitor",
                "--rate=16000",
                "--channels=1",
                "--format=s16le",
                "--latency-msec=20",
                str(path),
            ],
            env=env,
        )
        self.heard_until = 0  # samples already consumed by wait_for_turn

    def samples(self) -> np.ndarray:
        data = self.path.read_bytes() if self.path.exists() else b""
        return np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2").astype(np.float32) / 32768

    def wait_for_turn(
        self, timeout: float, quiet_s: float = 1.2, proc: subprocess.Popen | None = None
    ) -> tuple[float, float]:
        """Block until the interviewer has spoken and then been quiet for `quiet_s`.
        Returns (speech start, speech end) in seconds of the capture. With `proc` (the mockvoice
        run), fail at once, with what it printed, if it exits before the interviewer spoke."""
        deadline = time.monotonic() + timeout
        start = None
        while time.monotonic() < deadline:
            if proc is not None and proc.poll() is not None:
                out, err = proc.communicate()
                raise AssertionError(
                    f"mockvoice exited ({proc.returncode}) while the test waited "
                    f"for the interviewer:\n{out[-3000:]}\n{err[-3000:]}"
                )
            audio = self.samples()
            frames = len(audio) // FRAME
            rms = np.sqrt(np.mean(audio[: frames * FRAME].reshape(frames, FRAME) ** 2, axis=1))
            loud = [
                int(i) + self.heard_until // FRAME
                for i in np.flatnonzero(rms[self.heard_until // FRAME :] > SPEECH_RMS)
            ]
            if loud:
                start = start if start is not None else loud[0]
                if (frames - 1 - loud[-1]) * FRAME / RATE >= quiet_s:
                    self.heard_until = frames * FRAME
                    return start * FRAME / RATE, (loud[-1] + 1) * FRAME / RATE
            time.sleep(0.1)
        heard = "spoke and never stopped" if start is not None else "said nothing"
        raise AssertionError(f"within {timeout} s the interviewer {heard}{_stopped(proc)}")

    def position(self) -> float:
        """Seconds captured so far: the capture's clock, shared with wait_for_turn's times."""
        return self.path.stat().st_size / 2 / RATE if self.path.exists() else 0.0

    def close(self) -> np.ndarray:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        return self.samples()


def _stopped(proc: subprocess.Popen | None) -> str:
    """Stop a run that is still going (SIGTERM: it saves what it recorded) and return what it
    printed, for the failure message."""
    if proc is None:
        return ""
    if proc.poll() is None:
        proc.terminate()
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return f"; mockvoice printed:\n{out[-3000:]}\n{err[-3000:]}"


def spoken(voice, text: str, path: Path) -> Path:
    """`text` spoken by piper as a 16 kHz WAV, with a short lead-in."""
    import soxr

    audio, rate = voice.synthesize(speakable(text))
    audio = soxr.resample(audio, rate, RATE).astype(np.float32) * 0.8
    sf.write(path, np.concatenate([np.zeros(RATE // 2, np.float32), audio]), RATE)
    return path


# For a run whose live checklist is not what the test is about: ticks come when an utterance is
# finished, without re-reading the open one every 0.3 s (about 0.6 of a core while the answer is
# spoken). The tests of the live view keep the re-readings: tests/test_e2e.py's mock,
# tests/test_live_screen.py, tests/test_keys_e2e.py's Space marks, tests/test_live.py.
NO_READINGS = {"MOCKVOICE_LIVE_READINGS": "0"}


def session_env(env: dict[str, str], recordings: Path) -> dict[str, str]:
    """`env` for a mockvoice run that saves under `recordings` and reuses the voice cache."""
    return {**env, "MOCKVOICE_RECORDINGS": str(recordings), "MOCKVOICE_CACHE": str(ROOT / ".cache")}


def start(args: list[str], env: dict[str, str], recordings: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [EXE, *args],
        env=session_env(env, recordings),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen, timeout: float = 120) -> tuple[str, str]:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, f"exit {proc.returncode}\n{out}\n{err}"
    assert "Traceback" not in err
    return out, err


def scenario_copy(path: Path, change: Callable[[dict], None]) -> Path:
    """The bundled scenario as a YAML file at `path`, after `change` edited its data in place:
    a test that only needs a shorter target or shorter lines to prove its point runs for less
    time (the copy is what `mockvoice mock PATH` or `study PATH` is given)."""
    data = yaml.safe_load(BUNDLED_SCENARIO.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def only_session(recordings: Path) -> Path:
    sessions = [p for p in recordings.iterdir() if p.is_dir()]
    assert len(sessions) == 1, sessions
    return sessions[0]


def words_of(transcriber, audio: np.ndarray) -> str:
    """What was heard, as plain lowercase words: ASR punctuation varies from machine to machine."""
    return " ".join(plain_words(transcriber.transcribe(audio).text))
