"""Microphone, speaker, VAD and devices: pure unit tests, then the real PortAudio path through a
private PulseAudio server (tests/support/pulse.py) where piper speaks the candidate's answers."""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from tests.support.audio import frame_rms, loud_span

from mockvoice.audio import devices, player, recorder
from mockvoice.audio.devices import DeviceInfo
from mockvoice.audio.recorder import Recorder
from mockvoice.errors import AudioInputError, DeviceError, SessionError

pytest_plugins = ["tests.support.pulse"]

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "audio-io"
SHORT = "I noticed a persistent drop rate in the payment webhooks, so I took ownership of the fix."
LONG = (
    "Looking back, I learned that ownership means following a problem all the way to the customer, "
    "even when nobody asked me to, and today I write down the numbers before and after every change."
)


# --- helpers --------------------------------------------------------------------------------


def tone(seconds: float, rate: int, freq: float = 440.0, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def read_mono(path: Path) -> tuple[np.ndarray, int]:
    audio, rate = sf.read(str(path), dtype="float32", always_2d=True)
    return audio.mean(axis=1), rate


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def fake_device(
    index: int, name: str, ins: int, outs: int, default_in=False, default_out=False
) -> DeviceInfo:
    return DeviceInfo(index, name, ins, outs, 44100.0, default_in, default_out)


DEVICES = [
    fake_device(0, "HDA Intel PCH: ALC3246 Analog (hw:0,0)", 2, 2),
    fake_device(1, "HDMI 0 (hw:0,3)", 0, 8),
    fake_device(2, "USB Headset (hw:1,0)", 1, 2),
    fake_device(3, "pulse", 32, 32),
    fake_device(4, "default", 32, 32, default_in=True, default_out=True),
]


# --- devices: pure ----------------------------------------------------------------------------


def test_resolve_default_index_and_name() -> None:
    assert devices.resolve(None, DEVICES, "input") == 4
    assert devices.resolve(2, DEVICES, "input") == 2
    assert devices.resolve("2", DEVICES, "output") == 2
    assert devices.resolve("usb", DEVICES, "input") == 2
    assert devices.resolve("PULSE", DEVICES, "input") == 3
    assert devices.resolve("default", DEVICES, "output") == 4  # exact name beats substring
    assert devices.resolve("hdmi", DEVICES, "output") == 1


def test_resolve_without_default_takes_the_first_usable() -> None:
    no_default = [fake_device(0, "HDMI", 0, 2), fake_device(5, "Mic", 1, 0)]
    assert devices.resolve(None, no_default, "input") == 5
    assert devices.resolve(None, no_default, "output") == 0


def test_resolve_errors_name_the_choices() -> None:
    with pytest.raises(DeviceError, match="no microphone found — to analyze a recording instead"):
        devices.resolve(None, [fake_device(0, "HDMI", 0, 2)], "input")
    with pytest.raises(DeviceError, match="no microphone found"):
        devices.resolve("usb", [], "input")
    with pytest.raises(DeviceError, match=r"--input-device 'nope'.*give one of: 0 'HDA Intel.*2 'USB"):
        devices.resolve("nope", DEVICES, "input")
    with pytest.raises(DeviceError, match="no such input device"):
        devices.resolve(1, DEVICES, "input")  # HDMI has no input channels
    with pytest.raises(DeviceError, match="more than one"):
        devices.resolve("hw:0", DEVICES, "output")


def test_missing_portaudio_becomes_an_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoPortAudio:
        def find_spec(self, name, path=None, target=None):
            if name == "sounddevice":
                raise OSError("PortAudio library not found")
            return None

    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoPortAudio(), *sys.meta_path])
    with pytest.raises(
        DeviceError, match=r"PortAudio is missing — install it: sudo apt-get install libportaudio2"
    ):
        devices.load_sounddevice()


def test_levels_of_silence_speech_and_clipping() -> None:
    silent = devices.levels(np.zeros(16000, np.float32))
    assert silent.silent and not silent.clipping and silent.rms_dbfs == devices.FLOOR_DBFS
    loud = devices.levels(tone(1.0, 16000, amp=0.5))
    assert not loud.silent and not loud.clipping and loud.rms_dbfs == pytest.approx(-9.03, abs=0.1)
    assert devices.levels(tone(1.0, 16000, amp=1.2).clip(-1, 1)).clipping


# --- recorder: pure ---------------------------------------------------------------------------


def test_meter_tracks_level_clipping_and_silence() -> None:
    rate = 48000
    meter = recorder.Meter(rate)
    for _ in range(19):  # 1.9 s of silence: not yet "silent"
        meter.add(np.zeros(rate // 10, np.float32))
    assert not meter.now.silent and meter.now.level_dbfs == devices.FLOOR_DBFS
    meter.add(np.zeros(rate // 10, np.float32))
    assert meter.now.silent
    meter.add(tone(0.1, rate, amp=1.0))
    assert meter.now.clipping and not meter.now.silent and meter.now.peak > 0.99
    for _ in range(4):
        meter.add(tone(0.1, rate, amp=0.1))
    assert meter.now.clipping  # the clip is still within the last 0.5 s
    meter.add(tone(0.1, rate, amp=0.1))
    assert not meter.now.clipping
    assert meter.now.level_dbfs == pytest.approx(-23.0, abs=0.2) and meter.now.peak == pytest.approx(
        0.1, abs=1e-3
    )


def test_writer_drains_every_block_resamples_and_feeds_on_audio(tmp_path: Path) -> None:
    """The writer thread without a device: 48 kHz stereo blocks in, a 16 kHz mono WAV out."""
    path = tmp_path / "answer.wav"
    seen: list[int] = []
    rec = Recorder(path, on_audio=lambda block: seen.append(len(block)))
    rate = 48000
    sink = recorder._WavSink(path, rate)
    rec._meter = recorder.Meter(rate)
    audio = tone(3.0, rate, amp=0.5)
    for block in np.array_split(audio, 300):  # all queued before the writer starts: drain matters
        rec._queue.put((np.stack([block, block], axis=1), None))
    rec._queue.put(None)
    rec._write_loop(sink)
    written, sr = sf.read(str(path), dtype="float32")
    assert sr == 16000 and len(written) == pytest.approx(48000, abs=2)  # the resampler's tail is flushed
    assert sum(seen) == len(written) and rec.elapsed_s == pytest.approx(3.0, abs=1e-3)
    assert float(np.sqrt(np.mean(written[100:-100] ** 2))) == pytest.approx(0.354, abs=0.01)


def test_on_audio_errors_do_not_stop_the_recording(tmp_path: Path) -> None:
    path = tmp_path / "answer.wav"

    def broken(block: np.ndarray) -> None:
        raise ValueError("meter bug")

    rec = Recorder(path, on_audio=broken)
    sink = recorder._WavSink(path, 16000)
    for block in np.array_split(tone(1.0, 16000), 10):
        rec._queue.put((block.reshape(-1, 1), None))
    rec._queue.put(None)
    rec._write_loop(sink)
    assert sf.info(str(path)).frames == 16000
    with pytest.raises(ValueError, match="meter bug"):
        rec.stop()
    assert rec.stop().duration_s == pytest.approx(1.0)  # idempotent after the error


def test_recording_refuses_to_overwrite_an_unfinished_one(tmp_path: Path) -> None:
    path = tmp_path / "answer.wav"
    path.write_bytes(b"precious")
    recorder.marker_path(path).write_text(json.dumps({"pid": dead_pid()}))
    with pytest.raises(SessionError, match="unfinished recording"):
        Recorder(path).start()
    assert path.read_bytes() == b"precious"


def crashed_wav(path: Path, seconds: float, marker_pid: int | None) -> np.ndarray:
    """A WAV as a crash leaves it without header updates: sizes as written at open (zero)."""
    audio = (tone(seconds, 16000, amp=0.3) * 32767).astype("<i2")
    header = b"RIFF" + struct.pack("<I", 36) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, 16000, 32000, 2, 16)
    header += b"data" + struct.pack("<I", 0)
    path.write_bytes(header + audio.tobytes() + b"\x01")  # and half a sample at the end
    if marker_pid is not None:
        recorder.marker_path(path).write_text(json.dumps({"pid": marker_pid, "samplerate": 16000}))
    return audio


def test_find_unfinished_and_repair_a_stale_header(tmp_path: Path) -> None:
    crashed = tmp_path / "2026-11-25T18-03-12_x" / "answer.wav"
    crashed.parent.mkdir()
    audio = crashed_wav(crashed, 2.5, dead_pid())
    live = tmp_path / "live.wav"
    crashed_wav(live, 0.5, os.getpid())  # this process is alive: still recording
    crashed_wav(tmp_path / "done.wav", 0.5, None)  # no sidecar: finished normally
    recorder.marker_path(tmp_path / "gone.wav").write_text("{}")  # sidecar without audio

    assert recorder.find_unfinished(tmp_path) == [crashed]
    with wave.open(str(crashed)) as w:
        assert w.getnframes() == 0  # readers that trust the header see nothing
    before = crashed.stat().st_size
    assert recorder.repair(crashed) == pytest.approx(2.5)
    assert not recorder.marker_path(crashed).exists()
    assert crashed.stat().st_size == before  # nothing cut, not even the half sample
    with wave.open(str(crashed)) as w:
        assert w.getnframes() == len(audio)
        assert np.array_equal(np.frombuffer(w.readframes(w.getnframes()), "<i2"), audio)
    assert recorder.find_unfinished(tmp_path) == []


def test_repair_leaves_a_good_header_and_trailing_chunks_alone(tmp_path: Path) -> None:
    path = tmp_path / "ok.wav"
    sf.write(str(path), tone(1.0, 16000), 16000, subtype="PCM_16")
    with path.open("ab") as f:  # a LIST chunk after the data, as some editors write
        f.write(b"LIST" + struct.pack("<I", 4) + b"INFO")
    with path.open("r+b") as f:
        f.seek(4)
        f.write(struct.pack("<I", path.stat().st_size - 8))
    original = path.read_bytes()
    assert recorder.repair(path) == pytest.approx(1.0)
    assert path.read_bytes() == original


def test_repair_rejects_what_is_not_a_wav(tmp_path: Path) -> None:
    path = tmp_path / "x.wav"
    path.write_bytes(b"not audio at all")
    with pytest.raises(AudioInputError, match="cannot repair"):
        recorder.repair(path)
    assert path.read_bytes() == b"not audio at all"


# --- VAD (real Silero model, real piper voice) --------------------------------------------------


@pytest.fixture(scope="module")
def short_wav() -> Path:
    from mockvoice.speech import tts

    return tts.cached_wav(SHORT, CACHE, voice=tts.Voice(steady=True))


@pytest.fixture(scope="module")
def long_wav() -> Path:
    from mockvoice.speech import tts

    return tts.cached_wav(LONG, CACHE, voice=tts.Voice(steady=True))


@pytest.fixture(scope="module")
def short16k(short_wav: Path) -> np.ndarray:
    import soxr

    audio, rate = read_mono(short_wav)
    return soxr.resample(audio, rate, 16000).astype(np.float32)


def feed_in_blocks(tracker, audio: np.ndarray, block: int = 1600) -> None:
    for start in range(0, len(audio), block):
        tracker.feed(audio[start : start + block])


@pytest.mark.audio
def test_speech_tracker_matches_offline_silero(short16k: np.ndarray) -> None:
    """Streaming in uneven blocks gives exactly faster-whisper's whole-file probabilities."""
    from faster_whisper.vad import get_vad_model

    from mockvoice.audio.vad import SpeechTracker

    class Probe(SpeechTracker):
        seen: list[np.ndarray]

        def _probabilities(self, frames: np.ndarray) -> np.ndarray:
            p = super()._probabilities(frames)
            self.seen.append(p)
            return p

    audio = np.concatenate([np.zeros(8000, np.float32), short16k])
    tracker = Probe()
    tracker.seen = []
    rng = np.random.default_rng(7)
    start = 0
    while start < len(audio):
        size = int(rng.integers(1, 4000))
        tracker.feed(audio[start : start + size])
        start += size
    streamed = np.concatenate(tracker.seen)
    offline = get_vad_model()(audio[: len(audio) // 512 * 512]).reshape(-1)
    assert len(streamed) >= len(offline) - 4
    # The offline pass's last frame sees the file's edge differently; every other frame matches.
    n = min(len(streamed), len(offline)) - 1
    assert np.allclose(streamed[:n], offline[:n], atol=1e-3)


@pytest.mark.audio
def test_speech_then_silence_ends_the_answer(short16k: np.ndarray) -> None:
    from mockvoice.audio.vad import SpeechTracker

    tracker = SpeechTracker()
    assert not tracker.heard_speech and tracker.silence_s == 0.0
    feed_in_blocks(tracker, short16k[: len(short16k) // 2])
    assert tracker.heard_speech and tracker.speech_s > 1.0
    feed_in_blocks(tracker, short16k[len(short16k) // 2 :])
    feed_in_blocks(tracker, np.zeros(3 * 16000, np.float32))
    assert tracker.heard_speech and not tracker.is_speaking
    assert tracker.silence_s >= 2.5
    assert tracker.speech_s == pytest.approx(loud_span(short16k, 16000), abs=1.5)


@pytest.mark.audio
def test_silence_and_noise_are_not_speech() -> None:
    from mockvoice.audio.vad import SpeechTracker

    tracker = SpeechTracker()
    feed_in_blocks(tracker, np.zeros(5 * 16000, np.float32))
    noise = (np.random.default_rng(1).normal(0, 0.003, 5 * 16000)).astype(np.float32)  # mic hiss
    feed_in_blocks(tracker, noise)
    assert not tracker.heard_speech and not tracker.is_speaking
    assert tracker.silence_s == pytest.approx(10.0, abs=0.05)  # counts from the start


# --- the real device path through PulseAudio ----------------------------------------------------


@pytest.mark.audio
def test_pulse_devices_are_listed(pulse) -> None:
    listed = devices.list_devices()
    names = [d.name for d in listed]
    assert "pulse" in names, names
    pulse_dev = listed[names.index("pulse")]
    assert pulse_dev.max_input_channels > 0 and pulse_dev.max_output_channels > 0
    assert devices.input_device("pulse") == pulse_dev.index
    assert devices.input_device(None) == next(d.index for d in listed if d.is_default_input)
    assert devices.output_device(str(pulse_dev.index)) == pulse_dev.index


@pytest.mark.audio
def test_level_check_hears_playback_and_silence(pulse, short_wav: Path) -> None:
    quiet = devices.level_check(1.0)
    assert quiet.silent and quiet.peak == 0.0 and quiet.overflows == 0
    paplay = pulse.play_into_mic(short_wav, wait=False)
    try:
        time.sleep(0.5)
        report = devices.level_check(2.0, device="pulse")
    finally:
        paplay.wait(timeout=30)
    assert not report.silent and report.rms_dbfs > -40 and 0.05 < report.peak < 0.99
    assert not report.clipping and report.overflows == 0


@pytest.mark.audio
def test_recorder_captures_a_spoken_answer(pulse, short_wav: Path, transcriber, tmp_path: Path) -> None:
    from mockvoice.audio import files as audio
    from mockvoice.audio.vad import SpeechTracker

    source, source_rate = read_mono(short_wav)
    path = tmp_path / "answer.wav"
    tracker = SpeechTracker()
    levels: list[float] = []
    rec = Recorder(path, on_audio=tracker.feed)
    started = time.monotonic()
    with rec:
        assert rec.marker.is_file() and json.loads(rec.marker.read_text())["pid"] == os.getpid()
        time.sleep(0.3)
        paplay = pulse.play_into_mic(short_wav, wait=False)
        while paplay.poll() is None:
            levels.append(rec.level_dbfs)
            time.sleep(0.1)
        time.sleep(0.5)  # the tail still travels through the monitor and PortAudio's buffers
        assert tracker.heard_speech and tracker.silence_s >= 0.3
        wall = time.monotonic() - started
    stopping = time.monotonic()
    info = rec.stop()
    # the answer's clock starts at the first sample captured (live ticks are timed from it)
    assert rec.started_at is not None and started <= rec.started_at < started + 1.5
    assert info.duration_s == pytest.approx(stopping - rec.started_at, abs=0.25)

    assert not rec.marker.exists()
    assert info.overflows == 0 and info.samplerate_in == 44100 and info.path == path
    recorded, rate = read_mono(path)
    assert rate == 16000 and sf.info(str(path)).subtype == "PCM_16"
    assert info.duration_s == pytest.approx(len(recorded) / 16000, abs=1e-3)
    assert info.duration_s == pytest.approx(wall, abs=0.5)
    # the whole sentence, not stretched or cut: the speech spans agree to a few frames
    assert loud_span(recorded, 16000) == pytest.approx(loud_span(source, source_rate), abs=0.05)
    speech_rms = frame_rms(recorded, 16000)
    assert 20 * np.log10(np.percentile(speech_rms, 90)) > -30
    assert max(levels) > -30
    words = transcriber.transcribe(audio.load(path)).text.lower()
    for word in ("noticed", "drop rate", "ownership"):
        assert word in words, words


CHILD = """
import sys, time
from pathlib import Path
from mockvoice.audio.recorder import Recorder
rec = Recorder(Path(sys.argv[1]))
rec.start()
print("recording", flush=True)
time.sleep(120)
"""


@pytest.mark.audio
def test_recording_survives_sigkill(pulse, long_wav: Path, tmp_path: Path) -> None:
    path = tmp_path / "session" / "answer.wav"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True, env=pulse.env
    )
    paplay = None
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "recording"
        started = time.monotonic()
        paplay = pulse.play_into_mic(long_wav, wait=False)
        time.sleep(5.0)
        child.kill()
        killed = time.monotonic() - started
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if paplay is not None:
            paplay.terminate()
            paplay.wait(timeout=10)

    # Readable as it is, by libsndfile and by the strict stdlib parser: the header was current.
    info = sf.info(str(path))
    with wave.open(str(path)) as w:
        assert w.getnframes() == (path.stat().st_size - 44) // 2
        assert w.getnframes() == info.frames
    survived = info.frames / info.samplerate
    print(f"SIGKILL after {killed:.2f} s of recording: {survived:.2f} s survived")
    assert survived >= 4.0 and survived == pytest.approx(killed, abs=1.0)
    recorded, _ = read_mono(path)
    assert np.percentile(frame_rms(recorded, 16000), 90) > 0.02  # it holds the speech

    assert recorder.find_unfinished(tmp_path) == [path]
    assert recorder.repair(path) == pytest.approx(survived, abs=1e-3)
    assert not recorder.marker_path(path).exists() and recorder.find_unfinished(tmp_path) == []
    assert np.array_equal(read_mono(path)[0], recorded)


@pytest.mark.audio
def test_player_is_heard_on_the_interviewer_sink_while_recording(pulse, tmp_path: Path) -> None:
    rate = 22050  # not the device's 44.1 kHz: play() resamples
    t = np.arange(rate) / rate
    ramp = ((0.2 + 0.4 * t) * np.sin(2 * np.pi * 440 * t)).astype(np.float32)  # 0.2 → 0.6 in 1 s
    heard = tmp_path / "interviewer.wav"
    parecord = pulse.record_interviewer(heard)
    mic = Recorder(tmp_path / "mic.wav")  # playing must not disturb a recording (unlike sd.play)
    try:
        mic.start()
        time.sleep(0.5)
        started = time.monotonic()
        player.play(ramp, rate)
        took = time.monotonic() - started
        time.sleep(0.3)
    finally:
        pulse.stop_recording(parecord)
        info = mic.stop()

    audio, heard_rate = read_mono(heard)
    amplitude = frame_rms(audio, heard_rate) * np.sqrt(2)
    loud = np.flatnonzero(amplitude > 0.1)
    assert len(loud) * 0.01 == pytest.approx(1.0, abs=0.03) and np.all(np.diff(loud) == 1)  # no gap
    assert amplitude[loud[1]] < 0.225 and amplitude[loud[-2]] > 0.58  # head and tail both heard
    assert 0.95 <= took < 1.4
    segment = audio[loud[0] * heard_rate // 100 : (loud[-1] + 1) * heard_rate // 100]
    spectrum = np.abs(np.fft.rfft(segment))
    assert np.fft.rfftfreq(len(segment), 1 / heard_rate)[spectrum.argmax()] == pytest.approx(440, abs=5)
    assert info.overflows == 0 and info.duration_s > 1.5


@pytest.mark.audio
def test_player_stops_on_the_event(pulse, tmp_path: Path) -> None:
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    started = time.monotonic()
    player.play(tone(5.0, 44100), 44100, stop=stop)
    assert time.monotonic() - started < 1.0


@pytest.mark.audio
def test_play_file(pulse, tmp_path: Path) -> None:
    path = tmp_path / "beep.flac"
    sf.write(str(path), tone(0.3, 16000), 16000)
    started = time.monotonic()
    player.play_file(path)
    assert 0.3 <= time.monotonic() - started < 1.0
    with pytest.raises(AudioInputError, match="cannot play"):
        player.play_file(tmp_path / "missing.wav")


@pytest.mark.audio
def test_stop_from_a_signal_handler_does_not_deadlock(pulse, short_wav: Path, tmp_path: Path) -> None:
    """As a CLI's SIGINT/SIGTERM handler would: stop() runs on the main thread between two of
    its bytecodes, here while it polls the live properties."""
    rec = Recorder(tmp_path / "answer.wav")
    results = []
    previous = signal.signal(signal.SIGALRM, lambda *_: results.append(rec.stop()))
    try:
        rec.start()
        paplay = pulse.play_into_mic(short_wav, wait=False)
        signal.setitimer(signal.ITIMER_REAL, 1.5)
        deadline = time.monotonic() + 10
        while not results and time.monotonic() < deadline:
            _ = (rec.level_dbfs, rec.peak, rec.clipping, rec.silent, rec.elapsed_s)
        paplay.wait(timeout=30)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        rec.stop()
    assert results and results[0].duration_s == pytest.approx(1.5, abs=0.3)
    assert sf.info(str(rec.path)).frames == round(results[0].duration_s * 16000)
    assert not rec.marker.exists() and rec.stop() is results[0]
