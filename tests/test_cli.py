"""The command line as a user meets it: real runs of `mockvoice`, one-line errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests.support.cli import SAMPLE, assert_one_line_error, run, write_wav

from mockvoice.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "data" / "bad_scenarios"


# --- the happy path -------------------------------------------------------------------------


@pytest.mark.audio
def test_analyze_prints_json_and_saves_the_session(_recordings: Path) -> None:
    proc = run("analyze", str(SAMPLE), "--scenario", "leadership-without-title", "--json", "-")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["schema"] == 1 and doc["scenario"] == "leadership-without-title"
    assert doc["mode"] == "analyze" and doc["sectioning"] == "automatic"
    assert [s["id"] for s in doc["sections"]] == ["situation", "task", "action", "result", "reflection"]
    assert [s["target_s"] for s in doc["sections"]] == [30, 20, 90, 20, 15]
    assert all(s["verdict"] in {"ok", "over", "under"} for s in doc["sections"])
    words = doc["transcript"]["words"]
    assert len(words) > 150 and {"text", "start", "end", "probability"} <= set(words[0])
    assert "webhook" in doc["transcript"]["text"].lower() or "webbook" in doc["transcript"]["text"].lower()
    labels = {k["phrase"]: k for k in doc["key_phrases"]}
    assert labels["persistent 0.3% drop rate"]["found"]
    assert labels["$8K recovered weekly"]["said_in"] == "result"
    assert {"words", "wpm", "fillers", "longest_pause_s"} <= set(doc["delivery"])
    for f in doc["flags"]:
        assert {"id", "message", "at_s"} <= set(f)
    # The saved session is the same document, with the audio and a readable transcript.
    sessions = list(_recordings.iterdir())
    assert len(sessions) == 1
    folder = sessions[0]
    assert json.loads((folder / "session.json").read_text()) == doc
    assert (folder / "answer.flac").read_bytes() == SAMPLE.read_bytes()
    md = (folder / "transcript.md").read_text()
    assert "## Situation" in md and "- [x] I noticed" in md


@pytest.mark.audio
def test_scorecard_and_marks(_recordings: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    proc = run(
        "analyze",
        str(SAMPLE),
        "--marks",
        "21,34,60,80",
        "--level",
        "senior",
        "--lp",
        "ownership",
        "--json",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    # Not a terminal: plain lines, one per section, and where the session went.
    assert "Situation" in proc.stdout and "Reflection" in proc.stdout
    assert "Session: " in proc.stdout and "Framing for Ownership" in proc.stdout
    doc = json.loads(out.read_text())
    assert doc["sectioning"] == "marks" and doc["marks"] == [21, 34, 60, 80]
    starts = [s["start_s"] for s in doc["sections"]]
    assert starts[1:] == [21, 34, 60, 80]
    assert doc["level"] == "senior" and doc["total"]["budget_min_s"] == 150
    assert doc["total"]["verdict"] == "short"  # a 1.5-minute answer for a 2.5-3 minute budget
    assert doc["principle"] == "ownership"


@pytest.mark.audio
def test_recordings_option_beats_the_environment(tmp_path: Path, _recordings: Path) -> None:
    target = tmp_path / "elsewhere"
    speech = ROOT / "tests" / "data" / "real" / "jfk.flac"  # 11 s: where it goes is under test
    proc = run("analyze", str(speech), "--recordings", str(target), "--json", "-")
    assert proc.returncode == 0, proc.stderr
    assert len(list(target.iterdir())) == 1
    assert not _recordings.exists()


# --- bad input: one line, non-zero, nothing lost --------------------------------------------


def test_missing_audio_file(tmp_path: Path) -> None:
    assert_one_line_error(
        run("analyze", str(tmp_path / "nope.wav")), ExitCode.INPUT, "nope.wav", "no such file"
    )


def test_not_an_audio_file(tmp_path: Path) -> None:
    fake = tmp_path / "notes.wav"
    fake.write_text("these are my notes, not audio\n" * 50)
    assert_one_line_error(run("analyze", str(fake)), ExitCode.INPUT, "notes.wav", "not an audio file")


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.wav"
    empty.touch()
    assert_one_line_error(run("analyze", str(empty)), ExitCode.INPUT, "empty.wav", "empty")


def test_silent_recording(tmp_path: Path) -> None:
    silent = write_wav(tmp_path / "silent.wav", np.zeros(16000 * 3))
    assert_one_line_error(run("analyze", str(silent)), ExitCode.NO_SPEECH, "silent.wav", "silent")


@pytest.mark.audio
def test_noise_without_speech(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    hiss = write_wav(tmp_path / "hiss.wav", rng.normal(0, 0.01, 16000 * 4))
    assert_one_line_error(run("analyze", str(hiss)), ExitCode.NO_SPEECH, "hiss.wav", "no speech")


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("syntax-error.yaml", "syntax-error.yaml:"),
        ("missing-field.yaml", "missing-field.yaml:"),
        ("wrong-type.yaml", "target_s"),
    ],
)
def test_malformed_scenario(name: str, needle: str) -> None:
    proc = run("analyze", str(SAMPLE), "--scenario", str(BAD / name))
    assert proc.returncode == int(ExitCode.SCENARIO), proc.stderr
    assert "Traceback" not in proc.stderr
    assert all(line.startswith("mockvoice: error: ") for line in proc.stderr.strip().splitlines())
    assert needle in proc.stderr


def test_unknown_scenario_id() -> None:
    assert_one_line_error(
        run("analyze", str(SAMPLE), "--scenario", "no-such-story"),
        ExitCode.SCENARIO,
        "no-such-story",
        "leadership-without-title",
    )


@pytest.mark.parametrize(
    ("marks", "needle"),
    [
        ("31,abc", "'abc' is not a number"),
        ("50,20", "must increase"),
        ("-3", ">= 0"),
        ("1,2,3,4,5", "at most 4"),
    ],
)
def test_malformed_marks(marks: str, needle: str) -> None:
    assert_one_line_error(run("analyze", str(SAMPLE), "--marks", marks), ExitCode.USAGE, "--marks", needle)


@pytest.mark.audio
def test_marks_past_the_end() -> None:
    assert_one_line_error(run("analyze", str(SAMPLE), "--marks", "20,999"), ExitCode.USAGE, "past the end")


@pytest.mark.audio
def test_unknown_level_and_principle() -> None:
    assert_one_line_error(
        run("analyze", str(SAMPLE), "--level", "principal"), ExitCode.USAGE, "--level", "sde1, sde2, senior"
    )
    assert_one_line_error(
        run("analyze", str(SAMPLE), "--lp", "frugality"), ExitCode.USAGE, "--lp", "ownership"
    )


def test_failed_analysis_keeps_existing_sessions(_recordings: Path, tmp_path: Path) -> None:
    earlier = _recordings / "2026-01-01T10-00-00_leadership-without-title"
    earlier.mkdir(parents=True)
    (earlier / "session.json").write_text('{"schema": 1}')
    proc = run("analyze", str(tmp_path / "missing.wav"))
    assert proc.returncode != 0
    assert [p.name for p in _recordings.iterdir()] == [earlier.name]
    assert (earlier / "session.json").read_text() == '{"schema": 1}'


# --- scenarios ------------------------------------------------------------------------------


def test_scenarios_list_show_validate() -> None:
    listed = run("scenarios", "list")
    assert listed.returncode == 0 and "leadership-without-title" in listed.stdout
    shown = run("scenarios", "show", "leadership-without-title")
    assert shown.returncode == 0
    for text in (
        "target 30 s",
        "persistent 0.3% drop rate",
        "Bar raiser thinks",
        "Customer Obsession",
        "Senior SDE",
        "Which phrase best signals ownership",
        "I brought a solution",
    ):
        assert text in shown.stdout
    ok = run("scenarios", "validate", str(ROOT / "scenarios" / "leadership-without-title.yaml"))
    assert ok.returncode == 0 and "ok" in ok.stdout


def test_scenarios_validate_reports_line_and_field() -> None:
    proc = run("scenarios", "validate", str(BAD / "wrong-type.yaml"))
    assert proc.returncode == int(ExitCode.SCENARIO)
    assert "wrong-type.yaml:20: sections[1].target_s" in proc.stderr
    assert "Traceback" not in proc.stderr


def _all_commands() -> list[list[str]]:
    """Every command path of the app, found by walking typer's command tree."""
    import typer

    from mockvoice.cli.main import app

    def walk(cmd, path):
        yield path
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, [*path, name])

    return list(walk(typer.main.get_command(app), []))


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    commands = _all_commands()
    assert len(commands) >= 10
    for path in commands:
        proc = run(*path, "--help")
        assert proc.returncode == 0 and "Usage:" in proc.stdout, path
        if path and path != ["scenarios"]:
            assert f"mockvoice {' '.join(path)}" in readme, f"README does not document {path}"


def test_terminal_scorecard_lists_the_phrases() -> None:
    """The rich (terminal) scorecard shows the same phrases as the plain one."""
    from rich.console import Console

    from mockvoice.session import scorecard
    from mockvoice.session.document import SessionDocument

    words = [{"text": "not", "start": 3.0, "end": 3.2, "probability": 0.9}]
    task = {"id": "task", "name": "Task", "start_s": 0.5, "end_s": 12.5, "duration_s": 12.0}
    doc = {
        "schema": 1,
        "mockvoice_version": "0",
        "created": "2026-03-01T18:30:00+00:00",
        "mode": "analyze",
        "scenario": "t",
        "scenario_title": "T",
        "question": "Q?",
        "level": "sde2",
        "sectioning": "automatic",
        "duration_s": 13.0,
        "transcript": {"text": "not my team", "words": words},
        "sections": [task | {"target_s": 20, "verdict": "ok"}],
        "key_phrases": [
            {
                "phrase": "not my team",
                "section": "task",
                "found": True,
                "said_in": "task",
                "at_s": 3.0,
                "heard": "not my team",
            },
            {
                "phrase": "take ownership",
                "section": "task",
                "found": False,
                "said_in": None,
                "at_s": None,
                "heard": None,
            },
        ],
        "flags": [],
        "delivery": {
            "words": 3,
            "wpm": 150,
            "fillers": 0,
            "filler_counts": {},
            "longest_pause_s": 1.0,
            "time_to_first_word_s": 0.5,
            "speaking_s": 12.0,
        },
        "total": {
            "speaking_s": 12.0,
            "budget_min_s": 60,
            "budget_max_s": 180,
            "budget_text": "3 min",
            "verdict": "ok",
        },
        "level_expectations": {"name": "SDE2", "focus": "f", "reflection": "r", "bar": "b"},
    }
    console = Console(record=True, width=120)
    console.print(scorecard.rich_renderable(SessionDocument.from_dict(doc)))
    text = console.export_text()
    assert "✓ not my team (0:03)" in text and "✗ take ownership" in text
