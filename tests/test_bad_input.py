"""Bad input and a disk that says no (issue 14.3): each is one line on stderr naming the file or
option and the fix, the documented exit code, no traceback and no hang. Special files are never
opened, scenario and story files have a size limit, terminal control in file text never reaches
the terminal, and Ctrl-C works even when mockvoice was started with SIGINT ignored."""

from __future__ import annotations

import io
import os
import shutil
import signal
import stat
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from tests.support import ROOT, need
from tests.support.cli import EXE, SAMPLE, assert_one_line_error, invoke, run

from mockvoice.cli import authoring, ui
from mockvoice.cli.options import print_scorecard
from mockvoice.errors import ExitCode
from mockvoice.scenario.files import MAX_FILE_BYTES
from mockvoice.session.document import SessionDocument, new_document
from mockvoice.speech.transcript import Transcript, Word

SHIPPED = ROOT / "scenarios" / "leadership-without-title.yaml"
STORY = ROOT / "tests" / "data" / "stories" / "outage.md"
LONG_NAME = "a" * 300  # one path component over the 255-byte limit of Linux file systems
HOSTILE = "Leading \x1b]0;pwned\x07 without \x1b[2J a title"  # retitles, then clears the terminal
SIGNAL_WAIT_S = 20


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


# --- input files: special, huge, names too long -------------------------------------------------


def test_a_fifo_as_audio_is_not_a_regular_file_not_an_empty_one(tmp_path: Path) -> None:
    proc = run("analyze", str(fifo(tmp_path / "answer.wav")), "--recordings", str(tmp_path / "r"))
    assert_one_line_error(proc, ExitCode.INPUT, "answer.wav", "not a regular file")
    assert "empty" not in proc.stderr
    assert not (tmp_path / "r").exists()


def test_a_device_as_audio_is_refused_before_decoding() -> None:
    proc = invoke("analyze", "/dev/zero")
    assert_one_line_error(proc, ExitCode.INPUT, "/dev/zero", "not a regular file")


def test_an_audio_path_component_over_255_bytes_is_one_line(tmp_path: Path) -> None:
    proc = run("analyze", str(tmp_path / f"{LONG_NAME}.wav"), "--recordings", str(tmp_path / "r"))
    assert_one_line_error(proc, ExitCode.INPUT, "name is too long", "use a shorter name")


@pytest.mark.parametrize("name", ["s.yaml", "s.md"])
def test_a_fifo_as_scenario_or_story_never_hangs(tmp_path: Path, name: str) -> None:
    path = fifo(tmp_path / name)
    assert_one_line_error(run("scenarios", "validate", str(path)), ExitCode.SCENARIO, "not a regular file")
    proc = invoke("mock", str(path), "--no-voice", "--recordings", str(tmp_path / "r"))
    assert_one_line_error(proc, ExitCode.SCENARIO, name, "not a regular file")


def test_dev_zero_and_huge_files_are_not_read_as_scenarios(tmp_path: Path) -> None:
    assert_one_line_error(invoke("scenarios", "validate", "/dev/zero"), ExitCode.SCENARIO, "/dev/zero")
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(SHIPPED.read_bytes() + b"#" * MAX_FILE_BYTES)  # valid YAML, just too big
    proc = invoke("scenarios", "validate", str(huge))
    assert_one_line_error(proc, ExitCode.SCENARIO, "huge.yaml", "larger than 1 MB")
    story = tmp_path / "huge.md"
    story.write_bytes(STORY.read_bytes() + b"x" * MAX_FILE_BYTES)
    assert_one_line_error(invoke("scenarios", "validate", str(story)), ExitCode.SCENARIO, "larger than 1 MB")


def test_a_scenario_name_too_long_is_one_line(tmp_path: Path) -> None:
    proc = invoke("scenarios", "show", str(tmp_path / f"{LONG_NAME}.yaml"))
    assert_one_line_error(proc, ExitCode.SCENARIO, "name is too long")
    assert_one_line_error(invoke("scenarios", "show", LONG_NAME), ExitCode.SCENARIO, "unknown scenario")


def test_a_missing_model_folder_is_named_as_such(tmp_path: Path) -> None:
    proc = run("analyze", str(SAMPLE), "--model", "/nonexistent", "--recordings", str(tmp_path / "r"))
    assert_one_line_error(proc, ExitCode.ERROR, "--model /nonexistent: no model at /nonexistent")
    assert "Repo id" not in proc.stderr


# --- files mockvoice writes ------------------------------------------------------------------------


def test_scenarios_new_into_an_unwritable_place_is_one_line(tmp_path: Path) -> None:
    proc = run("scenarios", "new", "/proc/x.md")
    assert_one_line_error(proc, ExitCode.STORAGE, "/proc/x.md", "cannot write the story")
    long = invoke("scenarios", "new", str(tmp_path / f"{LONG_NAME}.md"))
    assert_one_line_error(long, ExitCode.STORAGE, "name is too long", "use a shorter name")


@pytest.mark.parametrize("name", ["foo.yaml", "foo"])
def test_scenarios_new_only_writes_markdown(tmp_path: Path, name: str) -> None:
    """The template is Markdown: under a YAML name `validate` would reject it as YAML."""
    proc = invoke("scenarios", "new", name, cwd=tmp_path)
    assert_one_line_error(proc, ExitCode.USAGE, name, "name it foo.md", "scenarios import foo.md")
    assert list(tmp_path.iterdir()) == []


def test_import_edit_keeps_the_story_mode(tmp_path: Path) -> None:
    story = tmp_path / "outage.md"
    shutil.copyfile(STORY, story)
    story.chmod(0o640)
    inode = story.stat().st_ino
    out = tmp_path / "out.yaml"
    authoring.import_story(story, out, edit=True, editor=lambda text: text)
    assert story.stat().st_ino != inode  # the story was replaced, with the list written into it
    assert stat.S_IMODE(story.stat().st_mode) == 0o640
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask  # a new file: the usual mode, not 0600


def _study_session(root: Path) -> None:
    """A real saved session (a study walkthrough answered on stdin), the cheapest one to make."""
    proc = subprocess.run(
        [str(EXE), "study", "--no-voice", "--recordings", str(root)],
        input="a\n" * 10,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr


def _on_a_tmpfs(
    folder: Path, *args: str, full: bool = True, options: str = "size=16k"
) -> subprocess.CompletedProcess:
    """`mockvoice ARGS` with `folder` a tiny tmpfs (filled to the last byte when `full`), in a
    private mount namespace: no root needed, nothing to clean up."""
    need("unshare")
    fill = 'cat /dev/zero > "$1/fill" 2>/dev/null;' if full else ""
    script = f'mount -t tmpfs -o {options} tmpfs "$1" && {{ {fill} shift; exec "$@"; }}'
    return subprocess.run(
        [
            "unshare",
            "--user",
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            script,
            "sh",
            str(folder),
            str(EXE),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "command",
    [["export", "latest", "-o", "{full}/s.md"], ["review", "latest", "--html", "{full}/r.html"]],
    ids=["export", "report"],
)
def test_a_full_disk_for_an_output_file_is_a_storage_error(tmp_path: Path, command: list[str]) -> None:
    root = tmp_path / "recordings"
    _study_session(root)
    saved = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    full = tmp_path / "full"
    full.mkdir()
    args = [a.format(full=full) for a in command]
    proc = _on_a_tmpfs(full, *args, "--recordings", str(root))
    assert_one_line_error(proc, ExitCode.STORAGE, "the disk is full", "free some space")
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == saved
    assert list(full.iterdir()) == []  # the tmpfs was private to that process: nothing left here


@pytest.mark.parametrize(
    "command", [["export", "latest", "-o", "{name}.md"], ["review", "latest", "--html", "{name}.html"]]
)
def test_an_output_name_too_long_is_a_storage_error(tmp_path: Path, command: list[str]) -> None:
    """Caught at the CLI edge when a command did not: one line, exit 7, never a traceback."""
    root = tmp_path / "recordings"
    _study_session(root)
    args = [a.format(name=tmp_path / LONG_NAME) for a in command]
    proc = run(*args, "--recordings", str(root))
    assert_one_line_error(proc, ExitCode.STORAGE, "name is too long", "use a shorter name")


def test_a_read_only_output_folder_fails_before_the_work(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    args = ["analyze", str(SAMPLE), "--json", f"{ro}/s.json", "--recordings", str(tmp_path / "r")]
    proc = _on_a_tmpfs(ro, *args, full=False, options="ro,size=16k")
    assert_one_line_error(proc, ExitCode.STORAGE, "--json", "not writable", "pick a writable folder")
    assert not (tmp_path / "r").exists()


# --- the terminal ------------------------------------------------------------------------------------


def test_clean_strips_escape_sequences_and_control_characters() -> None:
    assert ui.clean(HOSTILE) == "Leading  without  a title"
    assert ui.clean("a\tb\nc\r\nd\re") == "a\tb\nc\nd\ne"  # layout kept; \r cannot overwrite
    assert ui.clean("bell\x07 nul\x00 c1\x9b31m del\x7f reset\x1bc") == "bell nul c1 del reset"
    assert ui.clean("link \x1b]8;;http://x\x1b\\here\x1b]8;;\x1b\\") == "link here"
    assert ui.clean("é — “quoted” 日本") == "é — “quoted” 日本"


def _hostile_scenario(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = SHIPPED.read_text(encoding="utf-8")
    title = 'title: "Leadership Questions - How to Signal Leadership Without a Management Title"'
    assert title in text
    hostile = 'title: "Leading \\e]0;pwned\\a without \\e[2J a title"'  # YAML escapes: ESC and BEL
    path = folder / "hostile.yaml"
    text = text.replace(title, hostile).replace("id: leadership-without-title", "id: hostile")
    path.write_text(text.replace('question: "Tell me', 'question: "\\e[2JTell me', 1))
    return path


def assert_no_control(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text, repr(text)


def test_scenario_text_reaches_the_terminal_without_control_sequences(tmp_path: Path) -> None:
    path = _hostile_scenario(tmp_path / "scenarios")
    listed = invoke("scenarios", "list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "hostile" in listed.stdout and "Leading  without  a title" in listed.stdout
    shown = invoke("scenarios", "show", str(path))
    assert shown.returncode == 0 and "Leading  without  a title" in shown.stdout
    study = subprocess.run(
        [str(EXE), "study", str(path), "--no-voice", "--recordings", str(tmp_path / "r")],
        input="a\n" * 10,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert study.returncode == 0, study.stderr
    assert "Question: Tell me about a time" in study.stdout
    for text in (listed.stdout, shown.stdout, study.stdout, study.stderr):
        assert_no_control(text)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _doc(scenario) -> SessionDocument:
    """An analyzed answer whose title, question and words carry terminal control."""
    from mockvoice.analysis import answer as analysis

    text = " ".join(s.strong_example for s in scenario.sections)
    words = tuple(Word(" " + w, 0.5 + i * 0.4, 0.8 + i * 0.4, 0.9) for i, w in enumerate(text.split()))
    words = (Word(" \x1b[2Jcleared", 0.1, 0.4, 0.9), *words)
    from mockvoice.session.store import header

    doc = analysis.analyze(Transcript(words, len(words) * 0.4 + 1.0, model="tiny.en (test)"), scenario)
    saved = new_document(header(mode="analyze", created=datetime(2026, 12, 1, 9, 0)), doc, audio="answer.wav")
    return saved.with_parts(scenario_title=HOSTILE, question="Why?\x1b]0;pwned\x07")


def test_scorecards_print_without_control_sequences(scenario, capsys) -> None:
    doc = _doc(scenario)
    print_scorecard(doc)  # captured: not a terminal, the plain scorecard
    plain = capsys.readouterr().out
    assert "Leading  without  a title" in plain
    tty = _Tty()
    out = ui.TerminalOutput(stream=tty)
    out.scorecard(doc)  # the rich scorecard, on a "terminal"
    out.interviewer(HOSTILE)
    shown = tty.getvalue()
    assert "Leading  without  a title" in shown
    for text in (plain, shown.replace("\x1b[", "CSI")):  # rich's own colors aside
        assert "\x07" not in text and "]0;pwned" not in text and "CSI2J" not in text


def test_the_live_status_line_keeps_only_its_own_control() -> None:
    """The status line redraws itself with "\\r\\x1b[2K"; a section name or phrase from the file
    may not add to that."""
    from mockvoice.rehearse.ports import LiveStatus

    tty = _Tty()
    status = LiveStatus(
        elapsed_s=5.0,
        section="Situ\x1b[2Jation",
        section_elapsed_s=5.0,
        target_s=30.0,
        level_dbfs=-20.0,
        silent=False,
        clipping=False,
        speaking=True,
        heard=("six\x1b]0;pwned\x07 weeks",),
    )
    ui.TerminalOutput(stream=tty).status(status)
    shown = tty.getvalue()
    assert shown.startswith("\r\x1b[2K") and "Situation 0:25 left" in shown and "✓six weeks" in shown
    assert shown.count("\x1b") == 1 and "\x07" not in shown


# --- Ctrl-C --------------------------------------------------------------------------------------


def test_ctrl_c_stops_an_interactive_command_started_with_sigint_ignored(tmp_path: Path) -> None:
    """A job started in the background of a script inherits SIGINT ignored; the quiz waits on
    stdin (kept open) until Ctrl-C, which must stop it with the documented code and message."""
    proc = subprocess.Popen(
        [str(EXE), "study", "--no-voice", "--recordings", str(tmp_path / "r")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        seen = ""
        while "your answer" not in seen:  # the first quiz question: waiting on stdin
            char = proc.stdout.read(1)
            assert char, f"study ended before its quiz: {seen[-300:]}"
            seen += char
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=SIGNAL_WAIT_S)
    finally:
        proc.kill()
        proc.stdin.close()
    assert code == int(ExitCode.INTERRUPTED)
    stderr = proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines() == [stderr.strip()] and stderr.startswith("mockvoice: interrupted")
