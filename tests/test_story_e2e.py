"""`mockvoice mock --question ID --story FILE` end to end through the private PulseAudio server:
the bank question is voiced, a spoken story answers it, a follow-up comes from the question's
probes, and the session judges the answer with the story's own key phrases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.support.e2e import NO_READINGS, Ear, finish, only_session, spoken, start

from mockvoice.scenario.bank import load_bank
from mockvoice.scenario.story import load_story

pytest_plugins = ["tests.support.pulse"]
pytestmark = pytest.mark.audio

STORY = Path(__file__).parent / "data" / "stories" / "nightly-export.md"


@pytest.fixture(scope="module")
def voice():
    from mockvoice.speech.tts import Voice

    return Voice(steady=True)  # the same takes on every run


def test_mock_a_bank_question_with_my_story(pulse, voice, tmp_path: Path) -> None:
    story = load_story(STORY)
    question = load_bank().question("production-incident")
    answer = spoken(voice, " ".join(s.text for s in story.sections.values()), tmp_path / "story.wav")
    recordings = tmp_path / "recordings"
    ear = Ear(tmp_path / "interviewer.raw", pulse.env)
    args = [
        "mock",
        "--question",
        question.id,
        "--story",
        str(STORY),
        "--followups",
        "1",
        "--end-silence",
        "2",
    ]
    proc = start(args, {**pulse.env, **NO_READINGS}, recordings)  # the story is under test
    try:
        ear.wait_for_turn(timeout=120, proc=proc)  # the bank question
        pulse.play_into_mic(answer)
        ear.wait_for_turn(timeout=60, proc=proc)  # the follow-up probe
        pulse.play_into_mic(
            spoken(voice, "I did the investigation and wrote the fix myself.", tmp_path / "f.wav")
        )
        out, _ = finish(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
        ear.close()
    assert f"Question {question.id}" in out
    doc = json.loads((only_session(recordings) / "session.json").read_text())
    assert doc["scenario"] == "nightly-export" and doc["question"] == question.text
    phrases = doc["key_phrases"]
    assert {kp["phrase"] for kp in phrases} == {
        kp.phrase for s in story.scenario().sections for kp in s.key_phrases
    }
    # This test is about the wiring (bank question + story through the sound server); recall is
    # measured over 43 phrases in test_story.py. A 25-second story has only 7 phrases, and one
    # fresh piper take in CI lost 2 of them to tiny.en: "dropped from two a week" was written
    # "dropped from to a week" and "I added a" as "i had a to". So at most 2 may be missed.
    missed = [kp["phrase"] for kp in phrases if not kp["found"]]
    assert len(missed) <= 2, (missed, doc["transcript"]["text"])
    (fu,) = doc["followups"]
    probes = {p if isinstance(p, str) else p.id for p in question.probes}
    assert fu["id"] in probes, fu["id"]
    assert doc["verdict"]["verdict"]
