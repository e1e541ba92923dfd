"""`study --no-voice` on a terminal (issue 15): one page at a time, each opened with Enter, the
strong examples under their own label, never "Interviewer:". A real process on a
pseudo-terminal; no model or audio is needed."""

from __future__ import annotations

import re
import time
from pathlib import Path

from tests.support.terminal import Terminal

from mockvoice.scenario.catalog import find_scenario

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _screen(term: Terminal) -> str:
    return ANSI.sub("", term.screen.decode(errors="replace")).replace("\r", "")


def _wait_for(term: Terminal, text: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in _screen(term):
            return _screen(term)
        time.sleep(0.05)
    raise AssertionError(f"{text!r} not on screen:\n{_screen(term)[-2000:]}")


def test_study_pages_one_section_at_a_time(tmp_path: Path) -> None:
    scenario = find_scenario("leadership-without-title")
    first, second = scenario.sections[0], scenario.sections[1]
    env = {"MOCKVOICE_RECORDINGS": str(tmp_path / "recordings"), "PATH": "/usr/bin:/bin"}
    term = Terminal(["study", "--no-voice"], env, columns=80)
    try:
        screen = _wait_for(term, f"[Enter: {first.name}]")
        assert "The example story:" in screen and "Interviewer:" not in screen
        assert first.coaching not in screen  # the page waits for Enter
        term.type("\n")
        screen = _wait_for(term, f"[Enter: {second.name}]")
        assert "Strong example:" in screen and first.coaching in " ".join(screen.split())
        assert second.coaching not in screen
        for _ in range(len(scenario.sections) - 1):
            term.type("\n")
        _wait_for(term, "[Enter: a weak answer]")
        term.type("\n")
        _wait_for(term, "[Enter: the quiz]")
        term.type("\n")
        for q in scenario.quiz:
            _wait_for(term, q.question[:40])
            term.type(chr(97 + q.answer) + "\n")
        code, _, err = term.wait(timeout=30)
    finally:
        term.close()
    assert code == 0, err
    screen = _screen(term)
    assert f"Quiz score: {len(scenario.quiz)}/{len(scenario.quiz)}" in screen
    assert "Interviewer:" not in screen
