"""The fault-injection table of issue 14 (point 4): bad inputs and faults, each run for real and
judged the same way, shared by tests/test_faults.py and `python -m bench.faults`.

A case arranges its fault in a fresh place (a recordings folder holding two good sessions and a
scratch folder), runs one `mockvoice` command (in-process, or as a real process where only a
process shows it), and is judged on: the exit code, the number of lines on stderr (one for an
error), no traceback, the words the line must hold, every session saved before unchanged byte for
byte, no staging or half folder, `review` listing every good session, and `doctor` afterwards
saying exactly what was left (nothing, or what it fixed) and leaving nothing for a second run.

The small disks are tmpfs mounts: they need root (as in CI's container).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from mockvoice.analysis import answer as analysis
from mockvoice.cli import doctor
from mockvoice.errors import ExitCode, MockvoiceError
from mockvoice.session import archive
from mockvoice.session import store as session
from mockvoice.speech.transcript import Transcript, Word

from . import REQUIRE_AUDIO, ROOT
from .cli import EXE, invoke, run

SHORT = ROOT / "tests" / "data" / "real" / "ljspeech" / "LJ001-0011.flac"  # 4 s of real speech
CREATED = datetime(2026, 3, 1, 18, 30, tzinfo=UTC)
NOBODY = 65534
SEED = 14


# --- real small disks and another user ----------------------------------------------------------


def mount_tmpfs(folder: Path, size: str = "1m") -> str | None:
    """Mount a small tmpfs on `folder`; the reason when mounting is not allowed."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode == 0:
        return None
    return f"cannot mount a tmpfs ({done.stderr.decode().strip()}): run the tests as root"


def need_mount(folder: Path, size: str = "1m") -> None:
    """Mount a small tmpfs on `folder`, or skip locally / fail in CI when mounting is not allowed."""
    import pytest

    reason = mount_tmpfs(folder, size)
    if reason is not None:
        if REQUIRE_AUDIO:
            pytest.fail(reason)
        pytest.skip(reason)


def fill(mount: Path, leave: int = 0) -> Path:
    """Fill a small disk until `leave` bytes are free (0: until it refuses another byte)."""
    filler = mount / "filler"
    with open(filler, "ab", buffering=0) as f, contextlib.suppress(OSError):
        f.write(b"\0" * max(0, shutil.disk_usage(mount).free - leave))
        while leave == 0:
            f.write(b"\0" * 512)
    return filler


def read_only(mount: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)


@contextlib.contextmanager
def as_nobody() -> Iterator[None]:
    """Run a block as user nobody (root ignores permissions: EACCES needs another user)."""
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)


# --- sessions saved before the fault, and what must hold after it ---------------------------------


def spoken(text: str, seconds_per_word: float = 0.4) -> Transcript:
    words = tuple(
        Word(" " + w, 0.6 + i * seconds_per_word, 0.6 + (i + 0.8) * seconds_per_word, 0.9)
        for i, w in enumerate(text.split())
    )
    return Transcript(words, 0.6 + len(words) * seconds_per_word + 1.0, model="tiny.en (test)")


def save_earlier(root: Path, scenario, n: int = 2) -> list[Path]:
    """`n` good sessions saved as `analyze` saves them (the analysis of the strong example)."""
    result = analysis.analyze(spoken(" ".join(s.strong_example for s in scenario.sections)), scenario)
    return [
        archive.save(root, result, mode="analyze", audio_src=SHORT, created=CREATED + timedelta(hours=i))[0]
        for i in range(n)
    ]


def snapshot(root: Path) -> dict[str, str]:
    """Every file under `root` (outside the filler) and the hash of its bytes."""
    if not root.is_dir():
        return {}
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and p.name != "filler"
    }


def visible(root: Path) -> set[str]:
    """Names of the folders a reader lists (not hidden)."""
    if not root.is_dir():
        return set()
    return {p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")}


def damage(root: Path, before: dict[str, str], new: int, planted: set[str] = frozenset()) -> list[str]:
    """What is wrong in `root` after a fault: sessions saved before changed, staging folders or
    temp files left, a visible folder without a valid session.json (the `planted` bad folders
    aside), a count of sessions other than before + `new`, or `review` not listing them all."""
    problems = []
    after = snapshot(root)
    if {k: after.get(k) for k in before} != before:
        problems.append("a session saved before was changed")
    if root.is_dir():
        staged = [p.name for p in root.iterdir() if p.name.startswith(session.STAGING_PREFIX)]
        temps = [str(p.relative_to(root)) for p in root.rglob("*.tmp")]
        problems += [f"left {name}" for name in staged + temps]
    good = []
    for name in sorted(visible(root) - planted):
        try:
            session.load(root / name)
            good.append(name)
        except MockvoiceError as exc:
            problems.append(f"visible without a valid session.json: {exc}")
    earlier = len({k.split("/")[0] for k in before})
    if len(good) != earlier + new:
        problems.append(f"{len(good)} sessions, expected {earlier + new}")
    if good:
        listed = invoke("review", "--recordings", str(root))
        warnings = [x for x in listed.stderr.splitlines() if "warning" in x]
        if listed.returncode != 0 or len(warnings) != len(planted) or "Traceback" in listed.stderr:
            problems.append(f"review: exit {listed.returncode}, {listed.stderr.strip()[:200]}")
        elif f"{len(good)} session" not in listed.stdout:
            problems.append(f"review does not list {len(good)} sessions")
    return problems


def doctor_says(root: Path) -> tuple[str, list[str]]:
    """What `doctor` reports about `root` and what is wrong with it: it must fix what it reports
    (a second run finds nothing), and what it reports must be exactly what was left."""
    first = doctor.recordings(root)
    again = doctor.recordings(root)
    clean = f"no interrupted recordings or unfinished saves under {root}"
    problems = [] if first.ok else [f"doctor could not fix: {first.detail}"]
    if again.detail != clean:
        problems.append(f"doctor left something: {again.detail}")
    return first.detail, problems


# --- the table ---------------------------------------------------------------------------------------


@dataclass
class Place:
    """Where a case happens: `root` holds the sessions saved before, `scratch` the case's files."""

    root: Path
    scratch: Path
    scenario: object
    fixes: list[str] = field(default_factory=list)  # what doctor must report (substrings)


@dataclass(frozen=True)
class Case:
    name: str
    arrange: Callable[[Place], list[str]]  # → the mockvoice arguments
    code: ExitCode
    words: tuple[str, ...] = ()  # in the first stderr line
    new: int = 0  # sessions the command adds
    lines: int = 1  # lines on stderr (-1: one error line per problem in a scenario file)
    disk: str | None = None  # size of a tmpfs mounted on the recordings folder
    nobody: bool = False  # run as user nobody
    process: bool = False  # a real process (default: in-process, the same app)
    model: bool = False  # runs the model (the audio tier)


@dataclass(frozen=True)
class Row:
    case: str
    code: int
    line: str
    problems: tuple[str, ...]
    seconds: float = 0.0

    @property
    def verdict(self) -> str:
        return "handled" if not self.problems else "FAILED: " + "; ".join(self.problems)


def judge(case: Case, base: Path, scenario) -> Row:
    """Run one case in a fresh folder under `base` and judge it."""
    if case.nobody:  # under a folder user nobody may enter (pytest's are root's, mode 0700)
        shared = Path(tempfile.mkdtemp(prefix="mockvoice-fault-"))
        shared.chmod(0o755)
        try:
            return _judge(case, shared, scenario)
        finally:
            shutil.rmtree(shared, ignore_errors=True)
    return _judge(case, base, scenario)


def _judge(case: Case, base: Path, scenario) -> Row:
    place = Place(base / "rec", base / "scratch", scenario)
    place.scratch.mkdir(parents=True)
    if case.disk and (reason := mount_tmpfs(place.root, case.disk)):
        return Row(case.name, -1, "", (reason,))
    try:
        save_earlier(place.root, scenario)
        before = snapshot(place.root)
        folders = visible(place.root)
        args = case.arrange(place)
        planted = visible(place.root) - folders
        start = time.monotonic()
        with as_nobody() if case.nobody else contextlib.nullcontext():
            proc = run(*args) if case.process else invoke(*args)
        took = time.monotonic() - start
        return Row(
            case.name,
            proc.returncode,
            first_line(proc.stderr),
            tuple(verdict(case, proc, place, before, planted)),
            took,
        )
    finally:
        if case.disk:
            subprocess.run(["umount", "-l", str(place.root)], check=True)


def first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0] if lines else ""


def verdict(case: Case, proc: subprocess.CompletedProcess, place: Place, before, planted) -> list[str]:
    problems = []
    if proc.returncode != int(case.code):
        problems.append(f"exit {proc.returncode}, expected {int(case.code)}")
    if "Traceback" in proc.stderr + proc.stdout:
        problems.append("a traceback")
    lines = proc.stderr.strip().splitlines()
    if case.lines == -1 and lines and all(x.startswith("mockvoice: error: ") for x in lines):
        pass  # a scenario with several problems: one error line for each
    elif len(lines) != case.lines:
        problems.append(f"{len(lines)} lines on stderr, expected {case.lines}: {proc.stderr.strip()[:300]}")
    if case.code != ExitCode.OK and lines and not lines[0].startswith("mockvoice: error: "):
        problems.append("not a mockvoice error line")
    line = lines[0] if lines else ""
    problems += [f"{w!r} not said" for w in case.words if w not in line]
    problems += damage(place.root, before, case.new, planted)
    said, wrong = doctor_says(place.root)
    problems += wrong
    for fix in place.fixes:
        if fix not in said:
            problems.append(f"doctor did not say {fix!r}: {said}")
    if not place.fixes and "no interrupted recordings" not in said:
        problems.append(f"doctor found something unexpected: {said}")
    return problems


def table(rows: list[Row]) -> str:
    """The printed table: case, exit code, first stderr line, verdict."""
    width = max((len(r.case) for r in rows), default=4)
    out = [f"{'case':<{width}}  exit  {'first line on stderr':<70}  verdict"]
    for r in rows:
        line = r.line if len(r.line) <= 70 else r.line[:67] + "..."
        out.append(f"{r.case:<{width}}  {r.code:>4}  {line:<70}  {r.verdict}")
    handled = sum(not r.problems for r in rows)
    out.append(f"{handled}/{len(rows)} handled ({100 * handled / max(1, len(rows)):.0f} %)")
    return "\n".join(out)


# --- arranging: audio ------------------------------------------------------------------------------

SCENARIO_FILE = ROOT / "scenarios" / "leadership-without-title.yaml"
STORY_FILE = ROOT / "tests" / "data" / "stories" / "outage.md"
LONG = "a" * 300  # one path component over the 255-byte limit


def speech(rate: int) -> np.ndarray:
    """SHORT's speech resampled to `rate` (linear: good enough for the model)."""
    import soundfile as sf

    data, src = sf.read(SHORT, dtype="float32")
    n = int(len(data) * rate / src)
    return np.interp(np.arange(n) * src / rate, np.arange(len(data)), data).astype("float32")


def analyze(p: Place, audio: Path | str, *extra: str) -> list[str]:
    return ["analyze", str(audio), "--recordings", str(p.root), *extra]


def sound(subtype: str, rate: int = 16000, channels: int = 1, fmt: str = "WAV", ext: str = "wav"):
    """Arrange: SHORT written with soundfile as `fmt`/`subtype` at `rate` with `channels`."""

    def arrange(p: Place) -> list[str]:
        import soundfile as sf

        data = speech(rate)
        if channels == 2:
            data = np.stack([data, data * 0.5], axis=1)
        path = p.scratch / f"answer.{ext}"
        sf.write(path, data, rate, subtype=subtype, format=fmt)
        return analyze(p, path)

    return arrange


def wav_bytes(p: Place) -> bytes:
    sound("PCM_16")(p)
    return (p.scratch / "answer.wav").read_bytes()


def audio_file(name: str, make: Callable[[Place], bytes]):
    """Arrange: a file `name` in scratch holding `make(place)`."""

    def arrange(p: Place) -> list[str]:
        data = make(p)
        path = p.scratch / name
        path.write_bytes(data)
        return analyze(p, path)

    return arrange


def _lying_header(p: Place) -> bytes:
    data = bytearray(wav_bytes(p))
    data[40:44] = (len(data) * 10).to_bytes(4, "little")  # the data chunk claims 10 times more
    data[4:8] = (len(data) * 10).to_bytes(4, "little")
    return bytes(data)


def _short_header(p: Place) -> bytes:
    data = bytearray(wav_bytes(p))
    data[40:44] = (1600).to_bytes(4, "little")  # claims 50 ms; the rest is trailing garbage
    return bytes(data)


def _cut_mid_data(p: Place) -> bytes:
    data = wav_bytes(p)
    return data[: len(data) // 2 + 1]  # an odd byte count: half a sample at the end


def _nan_float(p: Place) -> bytes:
    import soundfile as sf

    data = speech(16000)
    data[::100] = np.nan
    sf.write(p.scratch / "x.wav", data, 16000, subtype="FLOAT")
    return (p.scratch / "x.wav").read_bytes()


def _silence(p: Place) -> bytes:
    import soundfile as sf

    sf.write(p.scratch / "x.wav", np.zeros(16000 * 2, "float32"), 16000, subtype="PCM_16")
    return (p.scratch / "x.wav").read_bytes()


def _a_click(p: Place) -> bytes:
    import soundfile as sf

    sf.write(p.scratch / "x.wav", np.full(800, 0.5, "float32"), 16000, subtype="PCM_16")  # 50 ms
    return (p.scratch / "x.wav").read_bytes()


def _huge_sparse(p: Place) -> list[str]:
    path = p.scratch / "huge.wav"
    with open(path, "wb") as f:
        f.truncate(8 << 30)  # 8 GB of holes: no header, nothing to decode
    return analyze(p, path)


def _special(target: str | None, kind: str):
    """Arrange: the audio path is a FIFO, a folder, a symlink (to `target`, dangling or a loop)."""

    def arrange(p: Place) -> list[str]:
        path = p.scratch / "answer.wav"
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "dir":
            path.mkdir()
        elif kind == "loop":
            (p.scratch / "b.wav").symlink_to(path)
            path.symlink_to(p.scratch / "b.wav")
        else:
            path.symlink_to(target or p.scratch / "gone.wav")
        return analyze(p, path)

    return arrange


def _unreadable_audio(p: Place) -> list[str]:
    path = p.scratch / "answer.flac"
    shutil.copyfile(SHORT, path)
    path.chmod(0o000)
    p.scratch.chmod(0o777)
    p.root.chmod(0o777)
    return analyze(p, path)


def _symlink_to_good(p: Place) -> list[str]:
    (p.scratch / "answer.flac").symlink_to(SHORT)
    return analyze(p, p.scratch / "answer.flac")


# --- arranging: scenario and story files -------------------------------------------------------------


def scenario_file(name: str, make: Callable[[str], bytes], command: str = "validate"):
    """Arrange: a scenario file `name` holding `make(shipped YAML text)`, then `scenarios validate`
    it (or `mock` it, which must refuse it before opening a device)."""

    def arrange(p: Place) -> list[str]:
        path = p.scratch / name
        source = STORY_FILE if name.endswith(".md") else SCENARIO_FILE
        path.write_bytes(make(source.read_text(encoding="utf-8")))
        if command == "mock":
            return ["mock", str(path), "--no-voice", "--recordings", str(p.root)]
        return ["scenarios", "validate", str(path)]

    return arrange


def _latin1(text: str) -> bytes:
    return text.replace("Tell me", "Tell me (café)", 1).encode("latin-1", errors="replace")


def _billion_laughs(text: str) -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    return ("\n".join(lines) + "\n").encode()


def _deep(text: str) -> bytes:
    return ("[" * 5000 + "]" * 5000).encode()


def special_scenario(kind: str):
    def arrange(p: Place) -> list[str]:
        path = p.scratch / "s.yaml"
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "dir":
            path.mkdir()
        elif kind == "zero":
            path.symlink_to("/dev/zero")
        elif kind == "dangling":
            path.symlink_to(p.scratch / "gone.yaml")
        elif kind == "loop":
            (p.scratch / "t.yaml").symlink_to(path)
            path.symlink_to(p.scratch / "t.yaml")
        elif kind == "long":
            path = p.scratch / f"{LONG}.yaml"
        return ["scenarios", "validate", str(path)]

    return arrange


# --- arranging: session folders a reader must not trust -------------------------------------------


def bad_session(make: Callable[[Path, str], None], command: str = "review"):
    """Arrange: a third session folder whose session.json is `make(path, good text)`; then
    `review` (or `progress`, `review latest`) must warn once about it and list the good ones."""

    def arrange(p: Place) -> list[str]:
        good = sorted(visible(p.root))[0]
        folder = p.root / "leadership-without-title-2026-02-01-0900"
        folder.mkdir()
        shutil.copyfile(SHORT, folder / "answer.flac")
        make(folder / session.SESSION_FILE, (p.root / good / session.SESSION_FILE).read_text())
        return [*command.split(), "--recordings", str(p.root)]

    return arrange


def _write(text: str):
    return lambda path, good: path.write_text(text)


def _edit(old: str, new: str):
    def make(path: Path, good: str) -> None:
        assert old in good, old
        path.write_text(good.replace(old, new, 1))

    return make


def _unreadable_session(path: Path, good: str) -> None:
    path.write_text(good)
    path.chmod(0o000)


def _sudo_session(p: Place) -> list[str]:
    """Every session the user's (nobody's) but one, saved with sudo: root's, mode 0600."""
    args = bad_session(_write("{}"))(p)
    for path in p.root.rglob("*"):
        os.chown(path, NOBODY, NOBODY)
    os.chown(p.root, NOBODY, NOBODY)
    planted = p.root / "leadership-without-title-2026-02-01-0900" / session.SESSION_FILE
    shutil.copyfile(p.root / sorted(visible(p.root))[0] / session.SESSION_FILE, planted)
    os.chown(planted, 0, 0)
    planted.chmod(0o600)
    return args


def _session_fifo(path: Path, good: str) -> None:
    os.mkfifo(path)


def _session_dir(path: Path, good: str) -> None:
    path.mkdir()


def _session_link(target: str):
    return lambda path, good: path.symlink_to(target)


def _session_huge(path: Path, good: str) -> None:
    with open(path, "wb") as f:
        f.truncate(1 << 30)


# --- arranging: saves and outputs --------------------------------------------------------------------

SAMPLE = ROOT / "samples" / "strong-answer.flac"


def save_fault(make: Callable[[Place], list[str]]):
    """Arrange: `analyze` of a real answer with the options `make` returns (after its fault)."""
    return lambda p: analyze(p, SAMPLE, *make(p))


def _ro(p: Place) -> list[str]:
    read_only(p.root)
    return []


def _full(p: Place) -> list[str]:
    fill(p.root)
    return []


def _nearly_full(p: Place) -> list[str]:
    fill(p.root, leave=64 * 1024)
    return []


def _a_file(p: Place) -> list[str]:
    (p.scratch / "notes.txt").write_text("mine\n")
    return ["--recordings", str(p.scratch / "notes.txt")]


def _not_mine(p: Place) -> list[str]:
    p.scratch.chmod(0o755)
    (p.scratch / "rec").mkdir(mode=0o755)
    return ["--recordings", str(p.scratch / "rec")]


def _json_fifo(p: Place) -> list[str]:
    os.mkfifo(p.scratch / "out.json")
    return ["--json", str(p.scratch / "out.json")]


def _json_mine(p: Place) -> list[str]:
    (p.scratch / "out.json").write_text('{"my": "notes"}\n')
    return ["--json", str(p.scratch / "out.json")]


def _json_dir(p: Place) -> list[str]:
    (p.scratch / "out.json").mkdir()
    return ["--json", str(p.scratch / "out.json")]


def _json_zero(p: Place) -> list[str]:
    (p.scratch / "out.json").symlink_to("/dev/zero")
    return ["--json", str(p.scratch / "out.json")]


def _json_long(p: Place) -> list[str]:
    return ["--json", str(p.scratch / f"{LONG}.json")]


def _recordings_dangling(p: Place) -> list[str]:
    (p.scratch / "rec").symlink_to(p.scratch / "gone" / "rec")
    return ["--recordings", str(p.scratch / "rec")]


def _recordings_loop(p: Place) -> list[str]:
    (p.scratch / "a").symlink_to(p.scratch / "b")
    (p.scratch / "b").symlink_to(p.scratch / "a")
    return ["--recordings", str(p.scratch / "a" / "rec")]


def _options(*extra: str):
    return lambda p: list(extra)


def command(*args: str):
    """Arrange: any mockvoice command; `{root}` and `{scratch}` are filled in."""
    return lambda p: [a.format(root=p.root, scratch=p.scratch, story=STORY_FILE) for a in args]


def _story_copy(p: Place, *args: str) -> list[str]:
    shutil.copyfile(STORY_FILE, p.scratch / "s.md")
    return [a.format(root=p.root, scratch=p.scratch) for a in args]


def _retarget(text: str, value: str) -> bytes:
    return re.sub(r"target_s: [0-9.]+", f"target_s: {value}", text, count=1).encode()


def _sections_ints(text: str) -> bytes:
    return re.sub(r"(?ms)^sections:.*", "sections: [1]\n", text).encode()


def _review_a_file(p: Place) -> list[str]:
    return ["review", *_a_file(p)]


# --- the cases ------------------------------------------------------------------------------------

E = ExitCode
AUDIO_OK = dict(code=E.OK, new=1, lines=0, model=True)

CASES: list[Case] = [
    # odd but good audio: analyzed and saved
    Case("WAV 8-bit", sound("PCM_U8"), **AUDIO_OK),
    Case("WAV 24-bit", sound("PCM_24"), **AUDIO_OK),
    Case("WAV float", sound("FLOAT"), **AUDIO_OK),
    Case("WAV 48 kHz stereo", sound("PCM_16", 48000, 2), **AUDIO_OK),
    Case("WAV mono 8 kHz", sound("PCM_16", 8000), **AUDIO_OK),
    Case("MP3", sound("MPEG_LAYER_III", 16000, 1, "MP3", "mp3"), **AUDIO_OK),
    Case("OGG Vorbis", sound("VORBIS", 16000, 1, "OGG", "ogg"), **AUDIO_OK),
    Case("WAV header longer than data", audio_file("a.wav", _lying_header), **AUDIO_OK),
    Case("WAV cut mid-data", audio_file("a.wav", _cut_mid_data), **AUDIO_OK),
    Case("a symlink to good audio", _symlink_to_good, **AUDIO_OK),
    # audio that cannot be used
    Case("WAV header shorter than data", audio_file("a.wav", _short_header), E.NO_SPEECH, model=True),
    Case("WAV of silence", audio_file("a.wav", _silence), E.NO_SPEECH, model=True),
    Case("WAV of 50 ms", audio_file("a.wav", _a_click), E.NO_SPEECH, model=True),
    Case("WAV float with NaN", audio_file("a.wav", _nan_float), **AUDIO_OK),
    Case("empty .wav", audio_file("a.wav", lambda p: b""), E.INPUT, ("a.wav",)),
    Case("text named .wav", audio_file("a.wav", lambda p: b"hello, not audio\n"), E.INPUT, ("a.wav",)),
    Case("WAV cut mid-header", audio_file("a.wav", lambda p: wav_bytes(p)[:30]), E.INPUT, ("a.wav",)),
    Case("WAV header only", audio_file("a.wav", lambda p: wav_bytes(p)[:44]), E.NO_SPEECH, ("0.25 s",)),
    Case("FLAC cut in half", audio_file("a.flac", lambda p: SHORT.read_bytes()[:20000]), **AUDIO_OK),
    Case(
        "random bytes .flac",
        audio_file("a.flac", lambda p: random.Random(SEED).randbytes(50000)),
        E.NO_SPEECH,
        ("a.flac",),
    ),
    Case("huge sparse .wav (8 GB)", _huge_sparse, E.INPUT, ("huge.wav",)),
    Case("audio FIFO", _special(None, "fifo"), E.INPUT, ("not a regular file",)),
    Case("audio folder", _special(None, "dir"), E.INPUT, ("answer.wav",)),
    Case("audio symlink to /dev/zero", _special("/dev/zero", "link"), E.INPUT, ("not a regular file",)),
    Case("audio dangling symlink", _special(None, "link"), E.INPUT, ("answer.wav",)),
    Case("audio symlink loop", _special(None, "loop"), E.INPUT, ("answer.wav",)),
    Case("audio missing", command("analyze", "{scratch}/none.wav", "--recordings", "{root}"), E.INPUT),
    Case("audio /dev/zero", command("analyze", "/dev/zero", "--recordings", "{root}"), E.INPUT),
    Case("audio name over 255 bytes", command("analyze", f"{{scratch}}/{LONG}.wav"), E.INPUT, ("too long",)),
    Case("audio not readable", _unreadable_audio, E.INPUT, ("answer.flac",), nobody=True),
    # scenario and story files
    Case("YAML in UTF-16", scenario_file("s.yaml", lambda t: t.encode("utf-16")), E.SCENARIO, ("s.yaml",)),
    Case("YAML in Latin-1", scenario_file("s.yaml", _latin1), E.SCENARIO, ("s.yaml",)),
    Case("YAML with a BOM", scenario_file("s.yaml", lambda t: t.encode("utf-8-sig")), E.OK, lines=0),
    Case(
        "YAML with NUL bytes",
        scenario_file("s.yaml", lambda t: t.replace("\n", "\n\0", 3).encode()),
        E.SCENARIO,
    ),
    Case("YAML empty", scenario_file("s.yaml", lambda t: b""), E.SCENARIO, ("s.yaml",)),
    Case("YAML a list", scenario_file("s.yaml", lambda t: b"- 1\n- 2\n"), E.SCENARIO, ("s.yaml",)),
    Case(
        "YAML alias bomb", scenario_file("s.yaml", _billion_laughs, "mock"), E.SCENARIO, ("s.yaml",), lines=-1
    ),
    Case("YAML nested 5000 deep", scenario_file("s.yaml", _deep), E.SCENARIO, ("s.yaml",)),
    Case(
        "YAML over 1 MB",
        scenario_file("s.yaml", lambda t: (t + "#" * (1 << 20)).encode()),
        E.SCENARIO,
        ("1 MB",),
    ),
    Case(
        "target_s: .inf", scenario_file("s.yaml", lambda t: _retarget(t, ".inf")), E.SCENARIO, ("target_s",)
    ),
    Case("target_s: -5", scenario_file("s.yaml", lambda t: _retarget(t, "-5")), E.SCENARIO, ("target_s",)),
    Case("sections: [1]", scenario_file("s.yaml", _sections_ints), E.SCENARIO, ("s.yaml",), lines=-1),
    Case("scenario FIFO", special_scenario("fifo"), E.SCENARIO, ("not a regular file",)),
    Case("scenario folder", special_scenario("dir"), E.SCENARIO, ("s.yaml",)),
    Case("scenario symlink to /dev/zero", special_scenario("zero"), E.SCENARIO, ("s.yaml",)),
    Case("scenario dangling symlink", special_scenario("dangling"), E.SCENARIO, ("s.yaml",)),
    Case("scenario symlink loop", special_scenario("loop"), E.SCENARIO, ("s.yaml",)),
    Case("scenario name over 255 bytes", special_scenario("long"), E.SCENARIO, ("too long",)),
    Case("mock of a UTF-16 YAML", scenario_file("s.yaml", lambda t: t.encode("utf-16"), "mock"), E.SCENARIO),
    Case("story in UTF-16", scenario_file("s.md", lambda t: t.encode("utf-16")), E.SCENARIO, ("s.md",)),
    Case("story with NUL bytes", scenario_file("s.md", lambda t: (t + "\0\0").encode()), E.OK, lines=0),
    Case("story with a BOM", scenario_file("s.md", lambda t: t.encode("utf-8-sig")), E.OK, lines=0),
    # session folders a reader must not trust: one warning, the good ones listed
    Case("session.json not JSON", bad_session(_write("{not json")), E.OK),
    Case("session.json empty", bad_session(_write("")), E.OK),
    Case("session.json sections: [1]", bad_session(_edit('"sections": [', '"sections": [1, ')), E.OK),
    Case("session.json newer schema", bad_session(_edit('"schema": ', '"schema": 99, "x": ')), E.OK),
    Case(
        "session.json cut in half",
        bad_session(lambda path, good: path.write_text(good[: len(good) // 2])),
        E.OK,
    ),
    Case("session.json a list", bad_session(_write("[1, 2]")), E.OK),
    Case("session.json a FIFO", bad_session(_session_fifo), E.OK),
    Case("session.json a folder", bad_session(_session_dir), E.OK),
    Case("session.json -> /dev/zero", bad_session(_session_link("/dev/zero")), E.OK),
    Case("session.json 1 GB sparse", bad_session(_session_huge), E.OK),
    Case("progress with a bad session", bad_session(_write("{not json"), "progress"), E.OK),
    # saves that cannot happen: refused before any work, nothing left
    Case("read-only recordings", save_fault(_ro), E.STORAGE, ("read-only",), disk="1m"),
    Case("full disk", save_fault(_full), E.STORAGE, ("free some space",), disk="1m"),
    Case("no room for the audio", save_fault(_nearly_full), E.STORAGE, ("free some space",), disk="1m"),
    Case("recordings is a file", save_fault(_a_file), E.ERROR, ("not a folder",)),
    Case("recordings dangling symlink", save_fault(_recordings_dangling), E.ERROR, ("not a folder",)),
    Case("recordings symlink loop", save_fault(_recordings_loop), E.ERROR, ("not a folder",)),
    Case(
        "recordings name over 255 bytes",
        save_fault(lambda p: ["--recordings", str(p.scratch / LONG)]),
        E.STORAGE,
        ("too long",),
    ),
    Case("recordings not mine", save_fault(_not_mine), E.STORAGE, ("permission denied",), nobody=True),
    Case("--json a FIFO", save_fault(_json_fifo), E.USAGE, ("--json",)),
    Case("--json over the user's file", save_fault(_json_mine), E.USAGE, ("not overwritten",)),
    Case("--json a folder", save_fault(_json_dir), E.USAGE, ("--json",)),
    Case("--json -> /dev/zero", save_fault(_json_zero), E.USAGE, ("--json",)),
    Case("--json name over 255 bytes", save_fault(_json_long), E.STORAGE, ("too long",)),
    Case("--level unknown", save_fault(_options("--level", "wizard")), E.USAGE, ("--level",)),
    Case("--lp unknown", save_fault(_options("--lp", "no-such-principle")), E.USAGE, ("--lp",)),
    Case("--model missing", save_fault(_options("--model", "/nonexistent")), E.ERROR, ("no model",)),
    # other commands
    Case(
        "review --recordings a file",
        _review_a_file,
        E.ERROR,
        ("not a folder",),
    ),
    Case("scenarios new /proc/x.md", command("scenarios", "new", "/proc/x.md"), E.STORAGE, ("/proc/x.md",)),
    Case(
        "import onto its own input",
        lambda p: _story_copy(p, "scenarios", "import", "{scratch}/s.md", "-o", "{scratch}/s.md", "--force"),
        E.USAGE,
    ),
    Case(
        "import -o a folder --force",
        lambda p: _story_copy(p, "scenarios", "import", "{scratch}/s.md", "-o", "{scratch}", "--force"),
        E.USAGE,
    ),
]


def run_all(base: Path, scenario, cases: list[Case] = CASES) -> list[Row]:
    """Every case, each in its own folder under `base`."""
    return [judge(case, base / f"case-{i}", scenario) for i, case in enumerate(cases)]


# --- signals at random moments of real `analyze` processes ------------------------------------------


def signal_rows(base: Path, scenario, sig: int, runs: int, seed: int = SEED) -> list[Row]:
    """`runs` real `analyze` processes, each sent `sig` at a moment drawn with `seed` (from start-up
    to the save). Judged after each: SIGINT/SIGTERM exit 130 saying nothing was saved (or 0 when
    too late: one whole session); SIGKILL leaves nothing visible that is half-saved, and doctor
    finishes or removes whatever it left. The input audio is never touched."""
    import signal as signals

    rng = random.Random(seed + sig)
    root = base / "rec"
    save_earlier(root, scenario)
    audio = base / "answer.flac"
    shutil.copyfile(SHORT, audio)
    kept = audio.read_bytes()
    rows = []
    for i in range(runs):
        before, listed = snapshot(root), len(visible(root))
        # from 0.6 s: before that the interpreter is still starting and importing the CLI, which
        # no program can answer for (a SIGTERM there is the default kill, as for any process)
        moment = rng.uniform(0.6, 4.0)
        proc = subprocess.Popen(
            [str(EXE), "analyze", str(audio), "--recordings", str(root)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(moment)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=120)
        problems = ["a traceback"] if "Traceback" in out + err else []
        lines = err.strip().splitlines()
        saved = proc.returncode == 0
        interrupted = proc.returncode == int(ExitCode.INTERRUPTED) and len(lines) == 1
        if sig != signals.SIGKILL and not saved and not interrupted:
            problems.append(f"exit {proc.returncode}, {len(lines)} lines: {err.strip()[:200]}")
        if audio.read_bytes() != kept:
            problems.append("the input audio changed")
        said, wrong = doctor_says(root) if sig == signals.SIGKILL else ("", [])
        # a run adds one whole session or none: a signal after the rename into place (or a complete
        # staging folder doctor put in place) leaves a whole session even though the exit was not 0
        appeared = len(visible(root)) - listed
        if appeared not in (0, 1) or (saved and appeared != 1):
            problems.append(f"exit {proc.returncode} and {appeared} new sessions")
        if interrupted and ("is saved" in err) != (appeared == 1):
            problems.append(f"said {err.strip()[:80]!r} with {appeared} new sessions")
        problems += wrong + damage(root, before, appeared)
        name = f"{signals.Signals(sig).name} #{i + 1} at {moment:.1f} s"
        rows.append(Row(name, proc.returncode, first_line(err) or said[:70], tuple(problems), moment))
    return rows


def concurrent_row(base: Path, scenario) -> Row:
    """Two `analyze` saving at once into one recordings folder: two whole sessions."""
    root = base / "rec"
    save_earlier(root, scenario)
    before = snapshot(root)
    procs = [
        subprocess.Popen(
            [str(EXE), "analyze", str(SHORT), "--recordings", str(root)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=300), p.communicate()[1]) for p in procs]
    problems = [f"exit {code}: {err.strip()[:200]}" for code, err in results if code != 0 or err.strip()]
    problems += damage(root, before, 2) + doctor_says(root)[1]
    return Row(
        "two analyze saving at once", max(c for c, _ in results), first_line(results[0][1]), tuple(problems)
    )
