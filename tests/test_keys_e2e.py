"""The keyboard in a real terminal: `mockvoice mock` runs on a pseudo-terminal while a spoken
answer plays into the private PulseAudio server's microphone; Space marks each move to the next
STAR section, the press on the last section ends the answer, and Esc stops a mock cleanly."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest
import soundfile as sf
from tests.support.e2e import NO_READINGS, Ear, only_session, session_env
from tests.support.metrics import score, times_said
from tests.support.terminal import Terminal

from mockvoice.errors import ExitCode

pytest_plugins = ["tests.support.pulse"]
pytestmark = pytest.mark.audio


def mock_on_a_terminal(pulse, recordings: Path, *extra: str) -> Terminal:
    return Terminal(["mock", "--followups", "0", *extra], session_env(pulse.env, recordings))


@pytest.fixture(scope="module")
def five_short_sections() -> tuple[Path, dict]:
    from tests.support.devset import five_short_sections

    return five_short_sections()


def test_space_marks_the_sections_and_the_last_press_ends_the_answer(
    pulse, five_short_sections, tmp_path: Path
) -> None:
    answer_wav, truth = five_short_sections
    starts = [s["start_s"] for s in truth["sections"]]
    assert len(starts) == 5
    recordings = tmp_path / "recordings"
    ear = Ear(tmp_path / "interviewer.raw", pulse.env)
    term = mock_on_a_terminal(pulse, recordings, "--end-silence", "8")  # only the keys end it
    try:
        ear.wait_for_turn(timeout=120)  # the question
        player = pulse.play_into_mic(answer_wav, wait=False)
        played = time.monotonic()
        pressed = []
        for t in [*starts[1:], truth["duration_s"] + 0.5]:  # each new section, then the end
            time.sleep(max(0.0, played + t - time.monotonic()))
            term.type(" ")
            pressed.append(time.monotonic() - played)
        player.wait(timeout=30)
        code, screen, err = term.wait(timeout=120)
        restored = term.modes_restored()
    finally:
        term.close()
        ear.close()
    assert code == 0, f"exit {code}\n{screen[-3000:]}\n{err}"
    assert "Traceback" not in err and "Space: next section" in screen
    # The live status line: the clock, the section (moved on by the keys) with its countdown, the
    # input meter, and the section's key phrases ticking off.
    assert re.search(r"● 0:\d\d  Situation 0:\d\d left  ▮+", screen), screen[-3000:]
    # (This take has one hesitation heard live: the line shows "fillers 1" before the phrases; when
    # the phrases do not fit the row they move to a row of their own, in the same drawing.)
    action = r"● 0:\d\d  Action -?\d:\d\d (left|over|wrap up)  ▮+·*[^●]{0,300}?✓I pulled"
    assert re.search(action, screen), screen[-3000:]
    doc = json.loads((only_session(recordings) / "session.json").read_text())
    assert doc["ended_by"] == "key" and doc["sectioning"] == "marks" and doc["partial"] is False
    marks = doc["marks"]
    assert len(marks) == 4, marks
    # The marks are the key presses, on the recording's clock (which started before the answer).
    offset = marks[0] - pressed[0]
    assert all(abs(m - (p + offset)) <= 0.5 for m, p in zip(marks, pressed, strict=False)), (marks, pressed)
    assert doc["duration_s"] == pytest.approx(pressed[-1] + offset, abs=0.5)
    # ... and the sections are cut exactly there.
    sections = doc["sections"]
    assert [s["start_s"] for s in sections[1:]] == pytest.approx(marks, abs=0.01)
    assert [s["end_s"] for s in sections[:-1]] == pytest.approx(marks, abs=0.01)
    s = score(doc, truth)
    assert s.precision >= 0.95 and s.recall >= 0.9, s.errors
    # Cut where the candidate pressed, the phrases fall in the sections they were said in.
    said_in = {k["phrase"]: k["in"] for k in truth["said"]}
    placed = [
        (k["phrase"], k["said_in"]) for k in doc["key_phrases"] if k["found"] and k["phrase"] in said_in
    ]
    assert sum(where != said_in[phrase] for phrase, where in placed) <= 1, placed
    assert restored, "the terminal was left in cbreak mode"


def stop_a_mock_with(key: str, after_s: float, pulse, dev_answer, tmp_path: Path, *extra: str):
    """Start a mock on a terminal, play an answer into the mic and type `key` `after_s` into it.
    It must stop with exit 130, no traceback, the recording finished and the terminal's modes
    restored. Returns (screen, stderr, session folder)."""
    answer_wav, _ = dev_answer("strong-verbatim")
    recordings = tmp_path / "recordings"
    ear = Ear(tmp_path / "interviewer.raw", pulse.env)
    term = mock_on_a_terminal(pulse, recordings, *extra)
    try:
        ear.wait_for_turn(timeout=120)
        player = pulse.play_into_mic(answer_wav, wait=False)
        time.sleep(after_s)
        term.type(key)
        code, screen, err = term.wait(timeout=60)
        restored = term.modes_restored()
        player.kill()
    finally:
        term.close()
        ear.close()
    assert code == int(ExitCode.INTERRUPTED), f"exit {code}\n{screen[-3000:]}\n{err}"
    assert "Traceback" not in err
    assert restored, "the terminal was left in cbreak mode"
    folder = only_session(recordings)
    assert not list(folder.glob("*.recording")), "the recording was finished cleanly"
    return screen, err, folder


def test_esc_stops_the_mock_and_keeps_the_recording(pulse, dev_answer, tmp_path: Path) -> None:
    """With --quiet-live, too: the status line keeps the clock but shows no phrases."""
    screen, err, folder = stop_a_mock_with("\x1b", 8, pulse, dev_answer, tmp_path, "--quiet-live")
    assert "Esc: stop" in screen and "What was recorded is saved" in screen + err
    doc = json.loads((folder / "session.json").read_text())
    assert doc["interrupted"] is True
    assert 7 <= sf.info(folder / "answer.wav").duration <= 12
    assert re.search(r"● 0:0\d  Situation 0:\d\d left  ▮+", screen), screen[-3000:]
    assert "✓" not in screen and "○" not in screen, screen[-3000:]


def wait_for_screen(term: Terminal, text: str, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while term.screen.decode(errors="replace").count(text) < count:
        assert time.monotonic() < deadline, f"{text!r} not shown {count}x: {term.screen.decode()[-2000:]}"
        time.sleep(0.1)


def test_drill_retry_then_quit(pulse, scenario, transcriber, tmp_path: Path) -> None:
    """r records the section again; q ends the drill before the next section."""
    from tests.support.e2e import spoken, words_of

    from mockvoice.speech.tts import Voice

    # The Result's first two sentences (12 s, not 20 s), which say both phrases checked below.
    two_sentences = ". ".join(scenario.section("result").strong_example.split(". ")[:2]) + "."
    answer = spoken(Voice(steady=True), two_sentences, tmp_path / "result.wav")
    recordings = tmp_path / "recordings"
    ear = Ear(tmp_path / "interviewer.raw", pulse.env)
    args = ["drill", "--section", "result", "--section", "reflection", "--end-silence", "2.5"]
    term = Terminal(args, session_env({**pulse.env, **NO_READINGS}, recordings))  # the keys are under test
    prompt = "r: retry · q: quit"
    try:
        for attempt, key in enumerate(["r", "q"], start=1):
            ear.wait_for_turn(timeout=120)  # the Result cue
            pulse.play_into_mic(answer)
            wait_for_screen(term, prompt, attempt, timeout=60)
            term.type(key)
        code, screen, err = term.wait(timeout=60)
        restored = term.modes_restored()
    finally:
        term.close()
        heard = ear.close()
    assert code == 0, f"exit {code}\n{screen[-3000:]}\n{err}"
    doc = json.loads((only_session(recordings) / "session.json").read_text())
    assert doc["mode"] == "drill" and doc["partial"] is False
    assert [(a["section"], a["attempt"]) for a in doc["attempts"]] == [("result", 1), ("result", 2)]
    for a in doc["attempts"]:
        found = {k["phrase"] for k in a["key_phrases"] if k["found"]}
        assert {"0.3% to zero", "$8K recovered weekly"} <= found, found
    # The interviewer gave the Result cue twice, and the Reflection cue never came.
    said = words_of(transcriber, heard)
    assert times_said(said, "aim for about") == 2 and "reflection" not in said, said
    assert "Reflection" not in screen.split(prompt)[-1], screen[-2000:]
    assert restored, "the terminal was left in cbreak mode"


def test_ctrl_c_stops_the_mock_and_keeps_the_recording(pulse, dev_answer, tmp_path: Path) -> None:
    # The terminal turns Ctrl-C into SIGINT for the program.
    screen, err, folder = stop_a_mock_with("\x03", 6, pulse, dev_answer, tmp_path)
    assert "what was recorded is saved" in (screen + err).lower()
    doc = json.loads((folder / "session.json").read_text())
    assert doc["interrupted"] is True and doc["partial"] is True
    assert 5 <= sf.info(folder / "answer.wav").duration <= 10


def _study_on_a_terminal(tmp_path: Path, scenario) -> Terminal:
    """`study --no-voice` on a terminal, paged (Enter) through to its quiz."""
    term = Terminal(["study", "--no-voice"], session_env(dict(os.environ), tmp_path / "recordings"))
    for page in [*(s.name for s in scenario.sections), "a weak answer", "the quiz"]:
        wait_for_screen(term, f"[Enter: {page}]", 1, timeout=60)
        term.type("\r")
    return term


def test_study_quiz_answered_at_the_keyboard(scenario, tmp_path: Path) -> None:
    """Typed answers are echoed and graded; a key that is not a choice asks again."""
    prompt = "your answer (a-"
    wrong = chr(97 + (scenario.quiz[0].answer + 1) % len(scenario.quiz[0].choices))
    keys = ["z", wrong] + [chr(97 + q.answer) for q in scenario.quiz[1:]]
    term = _study_on_a_terminal(tmp_path, scenario)
    try:
        for shown, key in enumerate(keys, start=1):
            wait_for_screen(term, prompt, shown, timeout=60)
            term.type(key + "\r")  # Enter on a terminal sends a carriage return
        code, screen, err = term.wait(timeout=60)
        restored = term.modes_restored()
    finally:
        term.close()
    assert code == 0, f"exit {code}\n{screen[-3000:]}\n{err}"
    assert screen.count(prompt) == len(scenario.quiz) + 1  # the "z" was asked again
    assert f"{prompt}{chr(96 + len(scenario.quiz[0].choices))}): z" in screen  # echoed as typed
    assert screen.count("Not quite") == 1 and screen.count("Right — ") == len(scenario.quiz) - 1
    assert f"Quiz score: {len(scenario.quiz) - 1}/{len(scenario.quiz)}" in screen
    doc = json.loads((only_session(tmp_path / "recordings") / "session.json").read_text())
    assert doc["mode"] == "study" and doc["quiz"]["score"] == len(scenario.quiz) - 1
    assert doc["quiz"]["items"][0]["chosen_index"] == ord(wrong) - 97, doc["quiz"]
    assert restored


def test_ctrl_c_in_the_study_quiz_stops_cleanly(scenario, tmp_path: Path) -> None:
    term = _study_on_a_terminal(tmp_path, scenario)
    try:
        wait_for_screen(term, "your answer (a-", 1, timeout=60)
        term.type("\x03")
        code, screen, err = term.wait(timeout=30)
    finally:
        term.close()
    assert code == ExitCode.INTERRUPTED, f"exit {code}\n{screen[-2000:]}\n{err}"
    assert "Traceback" not in screen + err and len(err.strip().splitlines()) <= 1, err
