"""`mockvoice review SESSION --play PART` for real: the part is played on the speaker (the
private PulseAudio server's interviewer sink), heard on its monitor and transcribed, and must be
that section's words, not its neighbours'."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from tests.support.audio import loud_span
from tests.support.e2e import EXE, RATE, Ear, finish, only_session, start, words_of

from mockvoice.matching.textnorm import plain_words

pytest_plugins = ["tests.support.pulse"]
pytestmark = pytest.mark.audio


def words_in(doc: dict, section: dict) -> list[str]:
    start, end = section["start_s"], section["end_s"]
    return plain_words(" ".join(w["text"] for w in doc["transcript"]["words"] if start <= w["start"] < end))


def test_play_a_section_of_a_saved_answer(pulse, dev_answer, transcriber, tmp_path: Path) -> None:
    answer_wav, _ = dev_answer("strong-verbatim")
    recordings = tmp_path / "recordings"
    scenario = ["--scenario", "leadership-without-title"]
    analyzed = subprocess.run(
        [EXE, "analyze", str(answer_wav), *scenario, "--recordings", str(recordings)],
        capture_output=True,
        text=True,
    )
    assert analyzed.returncode == 0, analyzed.stderr
    doc = json.loads((only_session(recordings) / "session.json").read_text())
    sections = {s["id"]: s for s in doc["sections"]}
    # The Task (12 s; the Action is 28 s and proved nothing more), right after the Situation.
    task, situation = sections["task"], sections["situation"]

    ear = Ear(tmp_path / "speaker.raw", pulse.env)
    try:
        out, _ = finish(start(["review", "latest", "--play", "task"], pulse.env, recordings))
    finally:
        heard = ear.close()
    assert "Task" in out, out

    # The whole section was played: as long as the Task (give or take its edge pauses).
    assert abs(loud_span(heard, RATE) - task["duration_s"]) <= 2.0, (loud_span(heard, RATE), task)
    said = words_of(transcriber, heard).split()
    expected = words_in(doc, task)
    shared = len(set(said) & set(expected)) / len(set(expected))
    assert shared >= 0.8, (said, expected)
    # Words only the Situation has were not played.
    situation_only = set(words_in(doc, situation)) - set(expected)
    assert len(situation_only & set(said)) <= 2, situation_only & set(said)
