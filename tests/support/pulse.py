"""A private PulseAudio server with two null sinks, for tests of the real microphone/speaker path.

Recipe: /work/shared/docs/virtual-audio.md. The server runs with its own XDG_RUNTIME_DIR, so it
never touches a desktop's sound server, and it is killed at the end of the test session.

    interviewer   null sink: what mockvoice plays goes here (PULSE_SINK)
    candidate     null sink: tests play the "candidate's answer" into it; its monitor
                  `candidate.monitor` is mockvoice's microphone (PULSE_SOURCE)

PortAudio (sounddevice) reaches it through the ALSA devices `pulse` and `default`.

Use it from a test module with

    pytest_plugins = ["tests.support.pulse"]  # at the top of the module; then:

    def test_something(pulse):               # session-scoped fixture
        pulse.play_into_mic(wav)              # paplay into the candidate sink (blocks)
        rec = pulse.record_interviewer(out)   # parecord of interviewer.monitor (a Popen)
        subprocess.run([...], env=pulse.env)  # children reach the same server

(`tests.support.pulse` is importable because pytest puts the repository root on sys.path,
`pythonpath = ["."]` in pyproject.toml; the benches run as modules from the root.) While the
fixture is active, os.environ holds XDG_RUNTIME_DIR, PULSE_SERVER, PULSE_SINK=interviewer and
PULSE_SOURCE=candidate.monitor, so in-process sounddevice and child processes both use the
private server.

A null sink that no client asks for low latency renders in 2-second blocks (module-null-sink's
BLOCK_USEC): a new recording stream then gets its first data up to 2 s late and loses that
audio, and paplay lasts ~1 s longer than its file. The fixture therefore keeps a 20 ms
`parecord --raw` on both monitors for the whole session; with them, streams start within ~20 ms
and paplay takes the file's length. (Real sound cards do not behave like this.)

PortAudio reads the device list once, when sounddevice initializes (at import). If sounddevice
was imported before the server was up, the fixture re-initializes it (`sd._terminate();
sd._initialize()`) so that `pulse` appears. Streams opened before that are invalid afterwards.

Missing tools skip the tests, or fail them when MOCKVOICE_REQUIRE_AUDIO=1 (CI).
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest

TOOLS = ("pulseaudio", "pactl", "paplay", "parecord")
SINKS = ("interviewer", "candidate")
START_TIMEOUT_S = 10.0


@dataclass
class PulseServer:
    runtime_dir: Path
    env: dict[str, str]  # os.environ plus the server's variables, for subprocesses
    players: list[subprocess.Popen] = field(default_factory=list)  # paplay runs not waited for

    @property
    def server(self) -> str:
        return self.env["PULSE_SERVER"]

    def play_into_mic(self, wav_path: Path, wait: bool = True) -> subprocess.Popen | None:
        """Play a file into the candidate sink (the microphone); with wait=False return the Popen."""
        cmd = ["paplay", "--device=candidate", str(wav_path)]
        if wait:
            subprocess.run(cmd, env=self.env, check=True, timeout=600)
            return None
        self.players.append(subprocess.Popen(cmd, env=self.env))
        return self.players[-1]

    def silence_players(self) -> None:
        """Stop what a test left playing into the microphone: a failed test's answer must not
        go on into the next test's (seen in CI: a drill heard the end of a mock's answer)."""
        for player in self.players:
            if player.poll() is None:
                player.kill()
            player.wait(timeout=10)
        self.players.clear()

    def record_interviewer(self, path: Path) -> subprocess.Popen:
        """Record what is played to the interviewer sink; stop it with `stop_recording`."""
        cmd = ["parecord", "--device=interviewer.monitor", "--file-format=wav", str(path)]
        return subprocess.Popen(cmd, env=self.env)

    @staticmethod
    def stop_recording(proc: subprocess.Popen) -> None:
        """End a parecord so it finishes its WAV header (SIGINT, as Ctrl-C would)."""
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def pactl(self, *args: str) -> str:
        out = subprocess.run(
            ["pactl", *args], env=self.env, capture_output=True, text=True, timeout=10, check=True
        )
        return out.stdout


def require_tools() -> None:
    """Skip locally, fail in CI (MOCKVOICE_REQUIRE_AUDIO=1), when a PulseAudio tool is missing."""
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        message = f"{', '.join(missing)} not installed (apt-get install pulseaudio pulseaudio-utils)"
        if os.environ.get("MOCKVOICE_REQUIRE_AUDIO") == "1":
            pytest.fail(message)
        pytest.skip(message)


def start_server(runtime_dir: Path) -> dict[str, str]:
    """Start the daemon in `runtime_dir`; return the environment that reaches it."""
    env = dict(os.environ)
    env |= {
        "XDG_RUNTIME_DIR": str(runtime_dir),
        "PULSE_SERVER": f"unix:{runtime_dir}/pulse/native",  # beats any PULSE_SERVER of a desktop
        "PULSE_SINK": "interviewer",
        "PULSE_SOURCE": "candidate.monitor",
    }
    cmd = [
        "pulseaudio",
        "-D",
        "-n",
        "--exit-idle-time=-1",
        "--load=module-native-protocol-unix",
        *(f"--load=module-null-sink sink_name={sink}" for sink in SINKS),
        "--load=module-always-sink",
    ]
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=30)
    if run.returncode != 0:
        pytest.fail(f"pulseaudio did not start: {run.stderr.strip()}")
    deadline = time.monotonic() + START_TIMEOUT_S
    while subprocess.run(["pactl", "info"], env=env, capture_output=True, timeout=10).returncode != 0:
        if time.monotonic() > deadline:
            pytest.fail(f"pulseaudio did not answer within {START_TIMEOUT_S:.0f} s")
        time.sleep(0.1)
    return env


def stop_server(env: dict[str, str]) -> None:
    """`pulseaudio --kill`, then make sure that daemon (by its pid file) is gone."""
    pid_file = Path(env["XDG_RUNTIME_DIR"]) / "pulse" / "pid"
    pid = int(pid_file.read_text().strip()) if pid_file.is_file() else None
    subprocess.run(["pulseaudio", "--kill"], env=env, capture_output=True, timeout=30)
    if pid is None:
        return
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    """Running, and not a zombie waiting for a reaper (a daemon's parent is not us)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def reinitialize_portaudio() -> None:
    """Make an already imported sounddevice see the new server (PortAudio lists devices at init)."""
    sd = sys.modules.get("sounddevice")
    if sd is not None:
        sd._terminate()
        sd._initialize()


def keep_sinks_awake(env: dict[str, str]) -> list[subprocess.Popen]:
    """A low-latency reader on each monitor, so the null sinks render in 20 ms blocks, not 2 s.

    Returns once each reader got its first data: the sink's pending 2 s block is over then.
    """
    cmd = ["parecord", "--raw", "--latency-msec=20"]
    keepers = [
        subprocess.Popen([*cmd, f"--device={sink}.monitor"], stdout=subprocess.PIPE, env=env)
        for sink in SINKS
    ]
    for sink, proc in zip(SINKS, keepers, strict=True):
        ready, _, _ = select.select([proc.stdout], [], [], START_TIMEOUT_S)
        if not ready:
            stop_keepers(keepers)
            pytest.fail(f"no audio from {sink}.monitor within {START_TIMEOUT_S:.0f} s")
        threading.Thread(target=_discard, args=(proc.stdout,), daemon=True).start()
    return keepers


def stop_keepers(keepers: list[subprocess.Popen]) -> None:
    for proc in keepers:
        proc.terminate()
        proc.wait(timeout=10)


def _discard(stream: IO[bytes]) -> None:
    while stream.read(65536):
        pass


@pytest.fixture(autouse=True)
def _silent_microphone_after(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each test that used the server, stop anything it left playing."""
    yield
    if "pulse" in request.fixturenames:
        request.getfixturevalue("pulse").silence_players()


@pytest.fixture(scope="session")
def pulse() -> Iterator[PulseServer]:
    require_tools()
    runtime_dir = Path(tempfile.mkdtemp(prefix="mv-pulse-"))  # short: unix socket paths are limited
    saved = {k: os.environ.get(k) for k in ("XDG_RUNTIME_DIR", "PULSE_SERVER", "PULSE_SINK", "PULSE_SOURCE")}
    env = start_server(runtime_dir)
    try:
        keepers = keep_sinks_awake(env)
        try:
            os.environ.update({k: env[k] for k in saved})
            reinitialize_portaudio()
            yield PulseServer(runtime_dir, env)
        finally:
            stop_keepers(keepers)
    finally:
        stop_server(env)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(runtime_dir, ignore_errors=True)
