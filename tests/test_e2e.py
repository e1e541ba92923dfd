"""Whole rehearsals through a private PulseAudio server, driven from the outside as a person would:
listen to the interviewer sink until the interviewer stops talking, then speak (play a
piper-spoken answer into the virtual microphone), and read what was saved.

This is the most important test module: real PortAudio, real piper, real Whisper, real VAD.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import soundfile as sf
from tests.support import ROOT
from tests.support.e2e import (
    EXE,
    NO_READINGS,
    RATE,
    Ear,
    finish,
    only_session,
    scenario_copy,
    spoken,
    start,
    words_of,
)
from tests.support.metrics import score, times_said, word_errors

pytest_plugins = ["tests.support.pulse"]
pytestmark = pytest.mark.audio


@pytest.fixture(scope="module")
def voice():
    from mockvoice.speech.tts import Voice

    return Voice(steady=True)  # the same takes on every run


def sections_of(doc: dict) -> list[tuple[str, float | None]]:
    return [(sec["id"], sec["start_s"]) for sec in doc["sections"]]


def identify(question_text: str, scenario):
    """Which follow-up the interviewer asked, from what was heard (as a candidate would)."""
    from rapidfuzz import fuzz

    return max(scenario.followups, key=lambda f: fuzz.token_set_ratio(f.question.lower(), question_text))


def test_mock_interview_end_to_end(pulse, voice, dev_answer, transcriber, scenario, tmp_path: Path) -> None:
    """Question → spoken answer (live checklist while speaking) → scorecard → the follow-up
    comes straight away → spoken follow-up answer → judged → verdict, all saved.

    The answer is the dev set's strong one (about 100 s, every section, 19 key phrases said):
    it was a 3-minute take, but the length proved nothing here; time to feedback on 1-3 minute
    answers is measured by bench/latency.py."""
    answer_wav, truth = dev_answer("strong-verbatim")
    end_silence = 3.0
    recordings = tmp_path / "recordings"
    ear = Ear(tmp_path / "interviewer.raw", pulse.env)
    proc = start(["mock", "--followups", "1", "--end-silence", str(end_silence)], pulse.env, recordings)
    try:
        ear.wait_for_turn(timeout=120, proc=proc)  # the question (model load and synthesis come first)
        play_start = ear.position()
        pulse.play_into_mic(answer_wav)
        onset, _ = ear.wait_for_turn(timeout=90, proc=proc)  # the follow-up question
        last_word = play_start + truth["sections"][-1]["end_s"]
        gap = onset - last_word  # from the end of the answer to the next question, heard outside
        asked = words_of(transcriber, ear.samples()[int(onset * RATE) :])
        probe = identify(asked, scenario)
        pulse.play_into_mic(spoken(voice, probe.strong.answer, tmp_path / "followup.wav"))
        out, err = finish(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
        heard = ear.close()

    folder = only_session(recordings)
    doc = json.loads((folder / "session.json").read_text())
    assert doc["mode"] == "mock" and doc["partial"] is False and doc["ended_by"] == "silence"
    assert doc["overflows"] == 0
    # The main answer went through the microphone and came back whole.
    s = score(doc, truth)
    assert s.wer <= 0.12, doc["transcript"]["text"]
    assert s.precision >= 0.95 and s.recall >= 0.9, s.errors
    assert s.median_boundary_error <= 6.0, s.errors  # the dev-set bar (2 s median) is in test_pipeline
    assert [sec["id"] for sec in doc["sections"]] == [sec.id for sec in scenario.sections]
    # What was streamed live is what a pass over the saved file gives.
    from mockvoice.analysis import answer as analysis
    from mockvoice.audio import files as audio
    from mockvoice.matching.textnorm import normalize_text
    from mockvoice.speech.streaming import transcribe_in_utterances

    again = analysis.analyze(
        transcribe_in_utterances(transcriber, audio.load(folder / "answer.wav")), scenario
    )
    ref = [t.norm for t in normalize_text(again.transcript.text)]
    hyp = [t.norm for t in normalize_text(doc["transcript"]["text"])]
    assert word_errors(ref, hyp) / len(ref) <= 0.03
    # Same phrases found. Over a microphone the two passes hear slightly different audio chunks,
    # so a phrase may land on the other side of a section boundary now and then; exact parity of
    # said_in is asserted on the dev set (tests/test_streaming.py), here at most two may differ.
    # A word on the edge of the recognizer's confidence can come out differently ("outside my
    # team's scope" / "… team's co", seen once in CI): at most one phrase may differ here.
    differ = [
        (k["phrase"], k["found"], a.found)
        for k, a in zip(doc["key_phrases"], again.key_phrases, strict=True)
        if k["found"] != a.found
    ]
    assert len(differ) <= 1, differ
    moved = [
        (k["phrase"], k["said_in"], a.said_in)
        for k, a in zip(doc["key_phrases"], again.key_phrases, strict=True)
        if k["said_in"] != a.said_in
    ]
    assert len(moved) <= 2, (moved, sections_of(doc), sections_of(again.to_dict()))
    # The live checklist ticked phrases off while the candidate was still speaking.
    live = doc["live"]
    assert len(live) >= 15
    answer_s = doc["duration_s"]
    assert sum(1 for e in live if e["t"] < answer_s - end_silence) >= 0.8 * len(live)
    first_said = {e["phrase"]: e for e in live}
    for kp in doc["key_phrases"]:
        if kp["found"]:
            assert kp["phrase"] in first_said
            # Heard after it was said, not before: after the words it was ticked on. Those are the
            # ones the scorecard keeps or, when the answer nearly says a phrase twice, the earlier
            # wording (this answer's Situation ends on "no alerting or ticket raised ... outside my
            # team's scope" before the Task; seen once: ticked at 20.3 s, kept at 27.0 s).
            tick = first_said[kp["phrase"]]
            assert tick["at_s"] <= tick["t"] and tick["at_s"] <= kp["at_s"] + 1.0, (tick, kp["at_s"])
    assert "✓ “I noticed”" in out
    # Feedback within a second of the end of the answer; the next question right after.
    assert doc["timing"]["streaming"] is True
    assert doc["timing"]["feedback_s"] <= 1.0, (json.dumps(doc["timing"]), err)
    assert gap <= end_silence + 1.5, f"next question {gap:.2f} s after the last word"
    # The follow-up was chosen from the scenario's probes, asked, and judged.
    (fu,) = doc["followups"]
    assert fu["id"] == probe.id and fu["question"] == probe.question
    assert fu["verdict"] == "strong", fu
    assert doc["verdict"]["verdict"] in {"Strong Hire", "Leaning Hire"}, doc["verdict"]
    for name in ("answer.wav", "followup-1.wav", "transcript.md"):
        assert (folder / name).stat().st_size > 0
    assert sf.info(folder / "answer.wav").duration >= truth["duration_s"]
    # What the interviewer said, heard on the interviewer sink.
    said = words_of(transcriber, heard)
    assert times_said(said, "leadership without") and times_said(said, "management title"), said
    assert "Situation" in out and "Follow-up" in out and "Bar raiser" in out


def test_drill_one_section_end_to_end(pulse, voice, transcriber, scenario, tmp_path: Path) -> None:
    result = scenario.section("result")
    answer = spoken(voice, result.strong_example, tmp_path / "result.wav")
    recordings = tmp_path / "recordings"
    ear = Ear(tmp_path / "interviewer.raw", pulse.env)
    drill = ["drill", "--section", "result", "--end-silence", "2.5"]
    proc = start(drill, {**pulse.env, **NO_READINGS}, recordings)  # the drill is under test
    try:
        ear.wait_for_turn(timeout=120, proc=proc)
        pulse.play_into_mic(answer)
        out, _ = finish(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
        heard = ear.close()
    doc = json.loads((only_session(recordings) / "session.json").read_text())
    assert doc["mode"] == "drill" and doc["partial"] is False
    (attempt,) = doc["attempts"]
    assert attempt["section"] == "result" and attempt["verdict"] in {"ok", "under"}
    assert 12 <= attempt["duration_s"] <= 25
    found = {k["phrase"] for k in attempt["key_phrases"] if k["found"]}
    heard_text = attempt.get("transcript", {}).get("text")
    assert {"0.3% to zero", "$8K recovered weekly"} <= found and len(found) >= 3, (found, heard_text)
    assert not any(f["id"] == "no-number-in-result" for f in attempt["flags"])
    said = words_of(transcriber, heard)
    assert times_said(said, "result") and times_said(said, "20 seconds"), said
    assert "Result:" in out and "+ 0.3% to zero" in out


def test_no_microphone_gives_a_clear_message(tmp_path: Path) -> None:
    """A machine with no sound card: no PulseAudio server reachable, no ALSA card."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULSE")}
    env["XDG_RUNTIME_DIR"] = str(tmp_path)  # no server socket here
    env["PULSE_SERVER"] = f"unix:{tmp_path}/none"
    env["MOCKVOICE_RECORDINGS"] = str(tmp_path / "rec")
    proc = subprocess.run([EXE, "mock", "--no-voice"], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 6, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "no microphone found" in lines[0] and "mockvoice analyze" in lines[0]


@pytest.mark.parametrize("option", ["--output-device", "--input-device"])
def test_unknown_device_is_a_one_line_error_naming_the_choices(pulse, option: str, tmp_path: Path) -> None:
    recordings = tmp_path / "recordings"
    env = {**pulse.env, "MOCKVOICE_RECORDINGS": str(recordings)}
    proc = subprocess.run([EXE, "mock", option, "no-such-card"], env=env, capture_output=True, text=True)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 6 and len(lines) == 1, proc.stderr
    assert f"{option} 'no-such-card'" in lines[0], lines  # names the option, the choices and where to look
    assert "give one of: 0 'pulse'" in lines[0] and "(see 'mockvoice devices')" in lines[0], lines
    assert not recordings.exists() or not any(recordings.iterdir()), "nothing recorded, no empty session"


def first_sentence(text: str) -> str:
    return text.split(". ")[0].rstrip(".") + "."


def last_sentence(text: str) -> str:
    return text.rstrip(".").split(". ")[-1] + "."


def test_study_walkthrough_and_quiz(pulse, transcriber, scenario, tmp_path: Path) -> None:
    """The strong examples are read aloud; the quiz is answered on stdin and scored.

    On a copy of the scenario whose spoken lines are one sentence each (about 40 s of speech,
    not 130 s): what is proven here is that the walkthrough reaches the speaker, the order and
    the full lines are tests/test_flows_inprocess.py's study test."""
    from mockvoice.scenario.catalog import find_scenario

    def one_sentence_each(data: dict) -> None:
        data["overview"]["scenario"] = first_sentence(data["overview"]["scenario"])
        for section in data["sections"]:
            section["strong_example"] = first_sentence(section["strong_example"])
        data["weak_answer"]["text"] = last_sentence(data["weak_answer"]["text"])

    short = scenario_copy(tmp_path / "short-lines.yaml", one_sentence_each)
    assert (
        find_scenario(str(short)).sections[2].strong_example.startswith("I pulled the webhook delivery logs")
    )
    answers = [chr(97 + q.answer) for q in scenario.quiz]
    answers[0] = "z\n" + chr(
        97 + (scenario.quiz[0].answer + 1) % len(scenario.quiz[0].choices)
    )  # retry, wrong
    recordings = tmp_path / "recordings"
    ear = Ear(tmp_path / "interviewer.raw", pulse.env)
    env = {**pulse.env, "MOCKVOICE_RECORDINGS": str(recordings), "MOCKVOICE_CACHE": str(ROOT / ".cache")}
    try:
        proc = subprocess.run(
            [EXE, "study", str(short)],
            env=env,
            input="\n".join(answers) + "\n",
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        heard = ear.close()
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for section in scenario.sections:
        assert section.coaching in out and section.common_mistake in out
    assert scenario.weak_answer.bar_raiser in out
    assert f"Quiz score: {len(scenario.quiz) - 1}/{len(scenario.quiz)}" in out
    doc = json.loads((only_session(recordings) / "session.json").read_text())
    assert doc["mode"] == "study" and doc["quiz"]["score"] == len(scenario.quiz) - 1
    said = words_of(transcriber, heard)
    assert times_said(said, "I pulled the webhook delivery logs"), said
    assert times_said(said, "team was happy"), said  # the weak answer, read aloud too


def test_devices_and_doctor_on_the_virtual_sound_card(pulse, voice, dev_answer, tmp_path: Path) -> None:
    def level_check(wav: Path) -> str:
        player = pulse.play_into_mic(wav, wait=False)
        try:
            proc = subprocess.run(
                [EXE, "devices", "--seconds", "3"], env=pulse.env, capture_output=True, text=True, timeout=60
            )
        finally:
            player.kill()
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    out = level_check(spoken(voice, "Testing, one, two, three. Can you hear me clearly?", tmp_path / "t.wav"))
    assert "pulse" in out and "in*" in out
    assert "overflows 0: ok" in out, out
    full_scale, _ = dev_answer("weak")  # piper normalizes to peak 1.0
    assert "CLIPPING" in level_check(full_scale)
    doctor = subprocess.run(
        [EXE, "doctor"],
        env={**pulse.env, "MOCKVOICE_RECORDINGS": str(tmp_path / "r")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert doctor.returncode == 0, doctor.stdout
    assert doctor.stdout.count("[ok]") == 7
