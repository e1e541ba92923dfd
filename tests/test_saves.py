"""Saves that are all or nothing, and a doctor that tells the truth (issue 14, points 2 and 5).

A table of faults around saving a session, each run for real: a read-only folder (a tmpfs
remounted read-only), a recordings path that is a file, names and paths too long for the file
system, no permission (the check run as user nobody), a full disk (a small tmpfs, filled),
`--json` targets that must not be written over, and SIGINT/SIGTERM/SIGKILL sent to real
`mockvoice analyze` processes at moments drawn with a fixed seed. For each: the exit code,
exactly one line on stderr, no traceback, no staging or half folder left, the sessions saved
before unchanged byte for byte, and `review` still lists them without a warning. Then the leftovers
a killed process can leave (staging folders, temp files, markers, audio without session.json)
are built for real and `doctor` must finish or remove each and say so.

The small disks are tmpfs mounts: that needs root (as in CI's container); without it the tests
that need one are skipped locally and fail in CI (`need_mount`).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from tests.support import ROOT
from tests.support.cli import EXE, SAMPLE, assert_one_line_error, invoke, run
from tests.support.faults import (
    CREATED,
    SEED,
    SHORT,
    as_nobody,
    fill,
    need_mount,
    read_only,
    save_earlier,
    snapshot,
    spoken,
)

from mockvoice.analysis import answer as analysis
from mockvoice.cli import doctor
from mockvoice.errors import ExitCode, SessionError, StorageError
from mockvoice.process import boot_id
from mockvoice.rehearse.flows import Rehearsal
from mockvoice.session import archive
from mockvoice.session import store as session
from mockvoice.session.document import LiveEvent, new_document

# --- real small disks -----------------------------------------------------------------------------


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MB file system, unmounted after the test."""
    mount = tmp_path / "disk"
    need_mount(mount)
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


@pytest.fixture
def big_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MB file system: room for a session and the save's margin (`SAVE_MARGIN_BYTES`)."""
    mount = tmp_path / "disk"
    need_mount(mount, "4m")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


# --- sessions saved before the fault, and what must hold after it ---------------------------------


def assert_intact(root: Path, before: dict[str, str], new_sessions: int = 0) -> None:
    """No staging or half folder; every file saved before unchanged; `review` lists every session
    (those before and `new_sessions` more) and warns about nothing."""
    after = snapshot(root)
    assert {k: after.get(k) for k in before} == before, "a session saved before was changed"
    leftovers = (
        [p.name for p in root.iterdir() if p.name.startswith(session.STAGING_PREFIX)] if root.is_dir() else []
    )
    assert not leftovers, leftovers
    folders = (
        [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")] if root.is_dir() else []
    )
    for folder in folders:
        session.load(folder)  # a valid session.json in every visible folder
    earlier = len({k.split("/")[0] for k in before})
    assert len(folders) == earlier + new_sessions, [f.name for f in folders]
    if folders:
        listed = invoke("review", "--recordings", str(root))
        assert listed.returncode == 0 and "warning" not in listed.stderr, listed.stderr
        assert f"{len(folders)} session" in listed.stdout, listed.stdout


# --- the fault table: checked before any work ------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    name: str
    arrange: Callable[[Path, Path], list[str]]  # (recordings root, scratch) → extra analyze options
    code: ExitCode
    words: tuple[str, ...]
    on_disk: bool = False  # the recordings root is a small tmpfs
    nobody: bool = False  # run as user nobody


def _read_only(root: Path, scratch: Path) -> list[str]:
    read_only(root)
    return []


def _a_file(root: Path, scratch: Path) -> list[str]:
    (scratch / "notes.txt").write_text("mine\n")
    return ["--recordings", str(scratch / "notes.txt")]


def _inside_a_file(root: Path, scratch: Path) -> list[str]:
    (scratch / "notes.txt").write_text("mine\n")
    return ["--recordings", str(scratch / "notes.txt" / "rec")]


def _full(root: Path, scratch: Path) -> list[str]:
    fill(root)
    return []


def _no_room_for_the_audio(root: Path, scratch: Path) -> list[str]:
    fill(root, leave=64 * 1024)  # the probe fits, a copy of the answer and its documents do not
    return []


def _long_component(root: Path, scratch: Path) -> list[str]:
    return ["--recordings", str(scratch / ("r" * 300))]


def _long_path(root: Path, scratch: Path) -> list[str]:
    return ["--recordings", str(scratch.joinpath(*["d" * 250] * 18))]  # 4500 bytes: over PATH_MAX


def _not_mine(root: Path, scratch: Path) -> list[str]:
    scratch.chmod(0o755)
    (scratch / "rec").mkdir(mode=0o755)  # root's folder: nobody may not write there
    return ["--recordings", str(scratch / "rec")]


def _json_fifo(root: Path, scratch: Path) -> list[str]:
    os.mkfifo(scratch / "out.json")
    return ["--json", str(scratch / "out.json")]


def _json_over_my_file(root: Path, scratch: Path) -> list[str]:
    (scratch / "out.json").write_text('{"my": "notes"}\n')
    return ["--json", str(scratch / "out.json")]


def _json_on_read_only(root: Path, scratch: Path) -> list[str]:
    read_only(root)
    return ["--json", str(root / "out.json"), "--recordings", str(scratch / "rec")]


FAULTS = [
    Fault(
        "read-only recordings", _read_only, ExitCode.STORAGE, ("read-only", "pick a writable folder"), True
    ),
    Fault("recordings is a file", _a_file, ExitCode.ERROR, ("not a folder", "--recordings")),
    Fault("recordings inside a file", _inside_a_file, ExitCode.ERROR, ("not a folder", "--recordings")),
    Fault("full disk", _full, ExitCode.STORAGE, ("cannot save the session", "free some space"), True),
    Fault(
        "no room for the audio",
        _no_room_for_the_audio,
        ExitCode.STORAGE,
        ("MB free", "free some space"),
        True,
    ),
    Fault("folder name over 255 bytes", _long_component, ExitCode.STORAGE, ("name is too long",)),
    Fault("path over PATH_MAX", _long_path, ExitCode.STORAGE, ("name is too long",)),
    Fault("no permission", _not_mine, ExitCode.STORAGE, ("permission denied", "ls -l"), nobody=True),
    Fault("--json is a FIFO", _json_fifo, ExitCode.USAGE, ("--json", "not a regular file")),
    Fault("--json over the user's file", _json_over_my_file, ExitCode.USAGE, ("--json", "not overwritten")),
    Fault(
        "--json on a read-only disk", _json_on_read_only, ExitCode.STORAGE, ("--json", "not writable"), True
    ),
]


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_a_save_that_cannot_happen_is_refused_before_any_work(fault: Fault, scenario, tmp_path: Path) -> None:
    """Each fault is one line and its exit code, before the model is loaded; nothing is left
    behind and the sessions saved before are untouched."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    root = tmp_path / "rec"
    if fault.on_disk:
        need_mount(root)
    try:
        save_earlier(root, scenario)
        before = snapshot(root)
        options = fault.arrange(root, scratch)
        kept = {p: p.read_bytes() for p in scratch.glob("*.json") if p.is_file()}
        args = ["analyze", str(SAMPLE), "--recordings", str(root), *options]
        start = time.monotonic()
        with as_nobody() if fault.nobody else contextlib.nullcontext():
            proc = invoke(*args)
        took = time.monotonic() - start
        assert_one_line_error(proc, fault.code, *fault.words)
        assert took < 10, f"{took:.1f} s: refused after the work?"
        assert_intact(root, before)
        assert all(p.read_bytes() == data for p, data in kept.items()), "--json wrote over a file"
        print(f"{fault.name:<30} exit {proc.returncode}  {proc.stderr.strip()}")
    finally:
        if fault.on_disk:
            subprocess.run(["umount", "-l", str(root)], check=True)


def test_json_replaces_only_an_earlier_json_output(scenario, tmp_path: Path) -> None:
    """--json writes over a session JSON it wrote before, and over nothing else of the user's."""
    earlier = tmp_path / "out.json"
    folder = save_earlier(tmp_path / "rec", scenario, n=1)[0]
    shutil.copyfile(folder / session.SESSION_FILE, earlier)
    assert session.is_session_json(earlier)
    for mine in ('{"my": "notes"}', "[1, 2]", "", "not json"):
        (tmp_path / "mine.json").write_text(mine)
        assert not session.is_session_json(tmp_path / "mine.json"), mine


# --- the store: names, staging, interrupts, a disk that fills up -----------------------------------


def test_a_scenario_id_too_long_for_a_folder_name_is_cut_and_the_session_saved(
    scenario, tmp_path: Path
) -> None:
    long_id = "a" + "-very-long-story" * 30  # 481 bytes: no file system takes it as a name
    root = tmp_path / "rec"
    session.check_saving(root, long_id)
    result = analysis.analyze(spoken(" ".join(s.strong_example for s in scenario.sections)), scenario)
    folder, doc = archive.save(root, result.with_parts(scenario=long_id), mode="analyze", audio_src=SHORT)
    assert len(folder.name.encode()) <= 255 - len(session.STAGING_PREFIX) - len(".xxxxxxxx")
    assert long_id[:50] in folder.name
    assert session.load_document(folder).scenario == long_id  # the document keeps the whole id
    again, _ = archive.save(
        root,
        result.with_parts(scenario=long_id),
        mode="analyze",
        audio_src=SHORT,
        created=datetime.fromisoformat(doc.created),
    )
    assert again.name == folder.name + "-2" and len(again.name.encode()) <= 255
    assert_intact(root, {}, new_sessions=2)


def test_an_interrupt_while_the_session_is_written_leaves_nothing(scenario, tmp_path: Path) -> None:
    root = tmp_path / "rec"
    save_earlier(root, scenario)
    before = snapshot(root)

    def interrupted(staging: Path) -> None:
        (staging / session.SESSION_FILE).write_text("{}")  # half the files, then Ctrl-C
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        session.create(root, scenario.id, CREATED, "analyze", interrupted)
    assert_intact(root, before)


@pytest.mark.parametrize("room", ["none for the audio", "none for the documents"])
def test_a_disk_that_fills_up_during_the_save_leaves_nothing(room: str, scenario, disk: Path) -> None:
    """A real ENOSPC from the file system in the middle of a save (after the checks passed):
    one StorageError line, the staging folder removed, the earlier session unchanged."""
    root = disk / "rec"
    save_earlier(root, scenario, n=1)
    before = snapshot(root)
    audio = SHORT.stat().st_size
    pages = -(-audio // 4096) + 2  # the audio's pages, the owner file's and one more: not session.json
    fill(disk, leave=audio // 2 if room == "none for the audio" else pages * 4096)
    result = analysis.analyze(spoken(" ".join(s.strong_example for s in scenario.sections)), scenario)
    with pytest.raises(StorageError) as caught:
        archive.save(root, result, mode="analyze", audio_src=SHORT)
    message = str(caught.value)
    assert "cannot save the session: the disk is full — free some space" in message and "\n" not in message
    assert_intact(root, before)


def test_a_rehearsal_that_cannot_save_says_where_its_recording_is(scenario, disk: Path) -> None:
    """mock and drill record into the session folder: a later save that fails keeps the audio
    and the last session.json, and the one line says where they are."""
    root = disk / "rec"
    r = Rehearsal.start(root, scenario, "mock", level=None, principle=None)
    (r.folder / "answer.wav").write_bytes(SHORT.read_bytes())  # what was recorded
    saved = (r.folder / session.SESSION_FILE).read_bytes()
    fill(disk)
    long = LiveEvent(t=1.0, phrase="x" * 200_000, section="situation", said_in=None, at_s=None)
    r.set(audio="answer.wav", live=[long])
    with pytest.raises(StorageError) as caught:
        r.save()
    assert f"what was recorded is kept in {r.folder}" in str(caught.value) and "disk is full" in str(
        caught.value
    )
    assert (r.folder / "answer.wav").read_bytes() == SHORT.read_bytes()
    assert (r.folder / session.SESSION_FILE).read_bytes() == saved
    assert not [p for p in r.folder.iterdir() if p.name.endswith(".tmp")]


def test_the_probe_leaves_no_trace(tmp_path: Path) -> None:
    root = tmp_path / "a" / "b" / "rec"
    session.check_saving(root, "leadership-without-title", need_bytes=1000)
    assert not (tmp_path / "a").exists()
    with pytest.raises(SessionError, match="not a folder"):
        (tmp_path / "f").write_text("x")
        session.check_saving(tmp_path / "f" / "rec", "x")


# --- doctor: every leftover finished or removed, and said -----------------------------------------


def dead_pid() -> int:
    """The pid of a process that has exited."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def leftovers(root: Path, scenario) -> dict[str, Path]:
    """One of each thing an interrupted save can leave, made as the code makes them."""
    good = save_earlier(root, scenario, n=2)
    owner = {"pid": dead_pid(), "boot_id": boot_id()}
    made: dict[str, Path] = {"good": good[0], "good2": good[1]}
    # a killed analyze whose staging folder was complete: finished
    staging = session.new_staging(
        root, session.session_name(scenario.id, CREATED + timedelta(days=1)), "analyze"
    )
    doc = session.load_document(good[0]).with_parts(created=(CREATED + timedelta(days=1)).isoformat())
    archive.write(staging, doc)
    shutil.copyfile(SHORT, staging / "answer.flac")
    (staging / session.OWNER_FILE).write_text(json.dumps(owner | {"mode": "analyze"}))
    made["complete staging"] = staging
    # a killed analyze halfway: removed
    half = session.new_staging(
        root, session.session_name(scenario.id, CREATED + timedelta(days=2)), "analyze"
    )
    shutil.copyfile(SHORT, half / "answer.flac")
    (half / session.OWNER_FILE).write_text(json.dumps(owner | {"mode": "analyze"}))
    made["half staging"] = half
    # a mock killed before its folder was in place: nothing recorded, removed
    mock = session.new_staging(root, session.session_name(scenario.id, CREATED + timedelta(days=3)), "mock")
    archive.write(
        mock,
        new_document(
            session.header(mode="mock", created=CREATED),
            scenario=scenario.id,
            scenario_title=scenario.title,
            question=scenario.question,
            partial=True,
        ),
    )
    (mock / session.OWNER_FILE).write_text(json.dumps(owner | {"mode": "mock"}))
    made["mock staging"] = mock
    # a save in progress in this (live) process: left alone
    made["live staging"] = session.new_staging(
        root, session.session_name(scenario.id, CREATED + timedelta(days=4)), "analyze"
    )
    # temp files of a killed write and a marker whose recording is gone
    (good[1] / f".session.json.{owner['pid']}.k2j3h4.tmp").write_text('{"half": ')
    (good[1] / "followup-1.wav.recording").write_text(json.dumps(owner))
    # audio with no session.json (an older mockvoice's failed save): given a partial session.json
    orphan = root / session.session_name(scenario.id, CREATED + timedelta(days=5))
    orphan.mkdir()
    shutil.copyfile(SHORT, orphan / "answer.wav")
    made["orphan"] = orphan
    return made


def test_doctor_finishes_or_removes_every_leftover_and_says_so(scenario, tmp_path: Path) -> None:
    root = tmp_path / "rec"
    made = leftovers(root, scenario)
    kept = (made["good"].name, made["good2"].name)
    good = {
        k: v
        for k, v in snapshot(root).items()
        if k.split("/")[0] in kept and k.endswith(("json", "md", "html", "flac"))
    }
    check = doctor.recordings(root)
    said = check.detail
    print(said)
    assert check.ok, said
    assert (
        f"finished an interrupted save: {session.session_name(scenario.id, CREATED + timedelta(days=1))}"
        in said
    )
    assert f"removed an unfinished save (nothing recorded in it): {made['half staging'].name}" in said
    assert f"removed a rehearsal stopped before anything was recorded: {made['mock staging'].name}" in said
    assert f"removed 2 temporary file(s) left in {made['good2'].name}" in said
    assert f"wrote a partial session.json for {made['orphan'].name}" in said
    assert made["live staging"].is_dir() and made["live staging"].name not in said  # still being written
    assert (made["orphan"] / "answer.wav").read_bytes() == SHORT.read_bytes()  # audio is never deleted
    orphan = session.load(made["orphan"])
    assert orphan["partial"] is True and orphan["audio"] == "answer.wav" and orphan["scenario"] == scenario.id
    session.discard(made["live staging"])  # its process (this test) is done with it
    assert_intact(root, good, new_sessions=2)  # the finished staging folder and the orphan
    again = doctor.recordings(root)
    assert again.ok and again.detail == f"no interrupted recordings or unfinished saves under {root}"


def test_doctor_leaves_folders_that_are_not_sessions_alone(tmp_path: Path) -> None:
    root = tmp_path / "rec"
    (root / "my notes").mkdir(parents=True)
    (root / "my notes" / "talk.wav").write_bytes(SHORT.read_bytes())
    (root / ".hidden.tmp").write_text("x")
    check = doctor.recordings(root)
    assert check.ok and "no interrupted recordings" in check.detail
    assert (root / "my notes" / "talk.wav").exists() and (root / ".hidden.tmp").exists()


# --- real processes: interrupts and a disk that fills up while analyze runs ------------------------


def _analyze(root: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(EXE), "analyze", str(SHORT), "--recordings", str(root), *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def analyze_seconds(tmp_path_factory) -> float:
    """How long an undisturbed `mockvoice analyze` of SHORT takes here (start-up included)."""
    start = time.monotonic()
    proc = run("analyze", str(SHORT), "--recordings", str(tmp_path_factory.mktemp("timing")))
    assert proc.returncode == 0, proc.stderr
    return time.monotonic() - start


@pytest.mark.audio
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupt_at_any_moment_saves_all_or_nothing(
    sig, analyze_seconds: float, scenario, tmp_path: Path
) -> None:
    """At moments drawn with a fixed seed across the run (after start-up): exit 130 with one
    line saying nothing was saved and nothing left, or (too late to stop it) exit 0 with one
    complete session. Never a traceback, a half folder or a staging folder. Four signals, and
    more (up to ten) until two have stopped a run: under a changing load an analyze can take
    half the time the fixture measured, so the moments follow the fastest run seen."""
    rng = random.Random(SEED + sig)
    root = tmp_path / "rec"
    save_earlier(root, scenario)
    before = snapshot(root)
    saved = 0
    stopped = 0
    scale = analyze_seconds  # an analyze that finished before its signal shows how fast it runs now
    attempts = 0
    while attempts < 4 or (stopped < 2 and attempts < 10):
        attempts += 1
        moment = rng.uniform(0.45, 0.95) * scale
        started = time.monotonic()
        proc = _analyze(root)
        time.sleep(moment)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=120)
        assert "Traceback" not in err + out
        if proc.returncode == 0 or "the session is saved in" in err:  # too late: it was saved whole
            saved += 1
            scale = min(scale, time.monotonic() - started)
        else:
            stopped += 1
            assert err.strip() == "mockvoice: interrupted — nothing was saved (the audio file is untouched)"
        assert proc.returncode in (0, int(ExitCode.INTERRUPTED)) and len(err.strip().splitlines()) <= 1, err
        print(f"{sig.name} at {moment:.1f} s of {scale:.1f}: exit {proc.returncode}  {err.strip()}")
        assert_intact(root, before, new_sessions=saved)
    assert stopped >= 2, "the signals all came too late: nothing was interrupted"


@pytest.mark.audio
def test_a_disk_filling_up_while_analyze_runs(analyze_seconds: float, scenario, big_disk: Path) -> None:
    """The disk fills while the answer is transcribed: refused at the check or at the save,
    either way one line, exit 7, nothing left behind."""
    disk = big_disk
    root = disk / "rec"
    save_earlier(root, scenario, n=1)
    before = snapshot(root)
    proc = _analyze(root)
    time.sleep(0.5 * analyze_seconds)
    fill(disk)
    out, err = proc.communicate(timeout=120)
    assert_one_line_error(
        subprocess.CompletedProcess([], proc.returncode, out, err), ExitCode.STORAGE, "free some space"
    )
    print(f"full disk during analyze: exit {proc.returncode}  {err.strip()}")
    assert_intact(root, before)


@pytest.mark.audio
def test_json_that_cannot_be_written_after_the_save_keeps_the_session(
    scenario, disk: Path, tmp_path: Path
) -> None:
    """--json on a disk that fills up after the checks: exit 7, one line naming the saved session."""
    root = tmp_path / "rec"
    fill(disk, leave=4096)  # the folder is writable, the session JSON (about 10 KB) does not fit
    proc = run("analyze", str(SHORT), "--recordings", str(root), "--json", str(disk / "out.json"))
    assert_one_line_error(
        proc, ExitCode.STORAGE, "cannot write --json", "the disk is full", "the session is saved in"
    )
    assert_intact(root, {}, new_sessions=1)


@pytest.mark.audio
def test_after_sigkill_at_any_moment_doctor_leaves_every_session_readable(
    analyze_seconds: float, scenario, tmp_path: Path
) -> None:
    """SIGKILL cannot be caught: whatever it leaves, doctor finishes or removes it and then
    review lists every session without a warning."""
    rng = random.Random(SEED)
    root = tmp_path / "rec"
    save_earlier(root, scenario)
    before = snapshot(root)
    for moment in (rng.uniform(0.3, 1.0) * analyze_seconds for _ in range(3)):
        proc = _analyze(root)
        time.sleep(moment)
        proc.kill()
        proc.wait(timeout=30)
    done = run("doctor", "--recordings", str(root))
    line = next(x for x in done.stdout.splitlines() if x.startswith("[ok] recordings:"))
    print(done.stdout)
    assert "Traceback" not in done.stdout + done.stderr
    assert "could not fix" not in done.stdout, line
    visible = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert_intact(root, before, new_sessions=len(visible) - 2)
    assert not [p for p in root.rglob("*.tmp")]
