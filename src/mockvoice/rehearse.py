"""The three preparation modes (study, drill, mock) as flows over injected parts.

The flows decide what happens in which order; the parts do the work: an `Interviewer` speaks or
prints, `record_answer` captures one spoken answer through the recorder and VAD, a
`Transcriber` turns audio into words, and an `Output` shows things to the candidate. The CLI
builds the real parts; everything is saved in a session folder as it happens, so an interrupted
rehearsal keeps what was already recorded.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from mockvoice import analysis, session
from mockvoice.errors import NoSpeechError
from mockvoice.interviewer import Interviewer
from mockvoice.scenario import Scenario, Section

MARK_KEYS = (" ", "\r", "\n")
END_KEYS = ("q", "Q")
ABORT_KEYS = ("\x1b",)


class Aborted(Exception):
    """The candidate pressed Esc: stop, keep what was recorded."""


@dataclass
class AnswerSettings:
    end_silence_s: float = 3.0  # an answer ends after this much silence once speech was heard
    max_answer_s: float = 420.0  # hard cap
    no_speech_s: float = 30.0  # give up when nothing at all was said for this long
    input_device: int | str | None = None


@dataclass
class Answer:
    path: Path
    duration_s: float
    marks: list[float]
    ended_by: str  # silence | key | max | no-speech
    overflows: int


@dataclass
class LiveStatus:
    elapsed_s: float
    section: str | None
    section_elapsed_s: float
    target_s: float | None
    level_dbfs: float
    silent: bool
    clipping: bool
    speaking: bool


class Output(Protocol):
    def info(self, text: str) -> None: ...
    def status(self, s: LiveStatus) -> None: ...
    def end_status(self) -> None: ...
    def scorecard(self, doc: dict) -> None: ...
    def drill_feedback(self, attempt: dict) -> None: ...
    def followup(self, result: dict) -> None: ...
    def verdict(self, verdict: dict) -> None: ...


class Keys(Protocol):
    def poll(self) -> str | None: ...
    @property
    def interactive(self) -> bool: ...


class NoKeys:
    """No terminal on stdin: answers end on silence, the flow never waits for a key."""

    interactive = False

    def poll(self) -> str | None:
        return None


# --- one answer ---------------------------------------------------------------------------


def record_answer(
    path: Path,
    settings: AnswerSettings,
    out: Output,
    keys: Keys,
    sections: Sequence[Section] = (),
    clock: Callable[[], float] = time.monotonic,
) -> Answer:
    """Record until silence, a key, or the cap. Space/Enter marks the next section."""
    from mockvoice.recorder import Recorder
    from mockvoice.vad import SpeechTracker

    tracker = SpeechTracker()
    marks: list[float] = []
    ended_by = "max"
    rec = Recorder(path, device=settings.input_device, on_audio=tracker.feed)
    rec.start()
    try:
        while True:
            time.sleep(0.05)
            elapsed = rec.elapsed_s
            key = keys.poll()
            if key in ABORT_KEYS:
                raise Aborted
            if key in END_KEYS or (key in MARK_KEYS and len(marks) + 1 >= max(1, len(sections))):
                ended_by = "key"
                break
            if key in MARK_KEYS:
                marks.append(round(elapsed, 2))
            if tracker.heard_speech and tracker.silence_s >= settings.end_silence_s:
                ended_by = "silence"
                break
            if not tracker.heard_speech and elapsed >= settings.no_speech_s:
                ended_by = "no-speech"
                break
            if elapsed >= settings.max_answer_s:
                break
            out.status(_status(rec, tracker, sections, marks, elapsed))
    finally:
        info = rec.stop()
        out.end_status()
    return Answer(path, info.duration_s, marks, ended_by, info.overflows)


def _status(rec, tracker, sections: Sequence[Section], marks: list[float], elapsed: float) -> LiveStatus:
    current = sections[len(marks)] if len(marks) < len(sections) else None
    since = marks[-1] if marks else 0.0
    return LiveStatus(
        elapsed_s=elapsed,
        section=current.name if current else None,
        section_elapsed_s=elapsed - since,
        target_s=current.target_s if current else None,
        level_dbfs=rec.level_dbfs,
        silent=rec.silent,
        clipping=rec.clipping,
        speaking=tracker.is_speaking,
    )


def transcribe_answer(transcriber, answer: Answer):
    from mockvoice import audio

    if answer.ended_by == "no-speech":
        raise NoSpeechError(
            f"{answer.path}: no speech heard in {answer.duration_s:.0f} s — check the microphone"
        )
    return transcriber.transcribe(audio.load(answer.path), source=str(answer.path))


# --- sessions -------------------------------------------------------------------------------


@dataclass
class Rehearsal:
    """A session folder being filled in; every step is written as soon as it is known."""

    folder: Path
    doc: dict = field(default_factory=dict)

    @classmethod
    def start(cls, root: Path, scenario: Scenario, mode: str, **fields) -> Rehearsal:
        created = datetime.now().astimezone()
        folder = session.new_session_dir(root, scenario.id, created)
        doc = session.header(mode=mode, created=created) | {
            "scenario": scenario.id,
            "scenario_title": scenario.title,
            "question": scenario.question,
            "partial": True,
            **fields,
        }
        r = cls(folder, doc)
        r.save()
        return r

    def save(self) -> None:
        session.write(self.folder, self.doc)

    def finish(self) -> None:
        self.doc["partial"] = False
        self.save()


# --- mock -------------------------------------------------------------------------------------


@dataclass
class MockOptions:
    level: str | None = None
    principle: str | None = None
    followups: int = 2
    settings: AnswerSettings = field(default_factory=AnswerSettings)


def mock(
    scenario: Scenario,
    opts: MockOptions,
    *,
    root: Path,
    interviewer: Interviewer,
    transcriber,
    out: Output,
    keys: Keys,
) -> Rehearsal:
    """The full mock: question, one answer, scorecard, follow-up probes, final verdict."""
    from mockvoice import followups as probes
    from mockvoice import verdict

    scenario.level(opts.level)  # unknown level/LP: fail before anything is recorded
    analysis.check_options(scenario, opts.level, opts.principle)
    r = Rehearsal.start(root, scenario, "mock", level=opts.level, principle=opts.principle)
    try:
        interviewer.say(scenario.question)
        if keys.interactive:
            out.info("Answering — Space: next section · q: done · Esc: stop")
        answer = record_answer(r.folder / "answer.wav", opts.settings, out, keys, scenario.sections)
        r.doc |= {"audio": answer.path.name, "ended_by": answer.ended_by, "overflows": answer.overflows}
        r.save()
        transcript = transcribe_answer(transcriber, answer)
        result = analysis.analyze(
            transcript, scenario, marks=answer.marks or None, level=opts.level, principle=opts.principle
        )
        r.doc |= result | {"followups": []}
        r.save()
        out.scorecard(r.doc)
        for n, (probe, why) in enumerate(probes.choose(r.doc, scenario, opts.followups), 1):
            interviewer.say(probe.question)
            fu_answer = record_answer(r.folder / f"followup-{n}.wav", opts.settings, out, keys)
            try:
                fu_transcript = transcribe_answer(transcriber, fu_answer)
            except NoSpeechError:
                result = {"id": probe.id, "question": probe.question, "verdict": "no answer", "reasons": []}
            else:
                result = probes.judge(fu_transcript, probe)
            result |= {
                "audio": fu_answer.path.name,
                "ended_by": fu_answer.ended_by,
                "why": why,
                "overflows": fu_answer.overflows,
            }
            r.doc["followups"].append(result)
            r.save()
            out.followup(result)
        r.doc["verdict"] = verdict.final(r.doc, r.doc["followups"], scenario)
        r.finish()
        out.verdict(r.doc["verdict"])
        return r
    except (KeyboardInterrupt, Aborted):
        r.doc["interrupted"] = True
        r.save()
        raise


# --- drill ------------------------------------------------------------------------------------


def drill(
    scenario: Scenario,
    section_ids: Sequence[str],
    *,
    root: Path,
    settings: AnswerSettings,
    interviewer: Interviewer,
    transcriber,
    out: Output,
    keys: Keys,
    ask: Callable[[str], str],
) -> Rehearsal:
    """Section by section: cue and target, the candidate speaks that section, feedback, retry."""
    r = Rehearsal.start(root, scenario, "drill", attempts=[])
    try:
        for section in (scenario.section(s) for s in section_ids):
            attempt_no = 0
            while True:
                attempt_no += 1
                interviewer.say(
                    f"{section.name}. {section.cue} Aim for about {section.target_s:.0f} seconds."
                )
                path = r.folder / f"drill-{section.id}-{attempt_no}.wav"
                answer = record_answer(path, settings, out, keys, [section])
                attempt = {
                    "section": section.id,
                    "attempt": attempt_no,
                    "audio": path.name,
                    "ended_by": answer.ended_by,
                    "overflows": answer.overflows,
                }
                try:
                    transcript = transcribe_answer(transcriber, answer)
                except NoSpeechError as exc:
                    attempt |= {"error": str(exc)}
                else:
                    attempt |= section_attempt(transcript, scenario, section)
                r.doc["attempts"].append(attempt)
                r.save()
                out.drill_feedback(attempt)
                if not keys.interactive or ask("Enter: next section · r: retry · q: quit") != "r":
                    break
        r.finish()
        return r
    except (KeyboardInterrupt, Aborted):
        r.doc["interrupted"] = True
        r.save()
        raise


def section_attempt(transcript, scenario: Scenario, section: Section) -> dict:
    """Analyze a drill answer as that one section (flags for that section only)."""
    single = scenario.model_copy(update={"sections": [section]})
    doc = analysis.analyze(transcript, single)
    sec = doc["sections"][0]
    return {
        "duration_s": doc["delivery"]["speaking_s"],
        "target_s": section.target_s,
        "verdict": sec["verdict"],
        "key_phrases": doc["key_phrases"],
        "flags": doc["flags"],
        "delivery": doc["delivery"],
        "transcript": doc["transcript"],
    }


# --- study ------------------------------------------------------------------------------------


def study(
    scenario: Scenario,
    *,
    root: Path,
    interviewer: Interviewer,
    out: Output,
    read_line: Callable[[str], str | None],
) -> Rehearsal:
    """The walkthrough: overview, each section's strong example read aloud with its coaching,
    the weak answer and the bar raiser's verdict, then the quiz answered at the keyboard."""
    from mockvoice import quiz

    r = Rehearsal.start(root, scenario, "study")
    out.info(f"{scenario.title}\n\nQuestion: {scenario.question}\n")
    interviewer.say(scenario.overview.scenario)
    out.info(scenario.overview.walkthrough)
    for section in scenario.sections:
        out.info(f"\n{section.name} — target {section.target_s:.0f} s")
        interviewer.say(section.strong_example)
        phrases = ", ".join(f"“{kp.phrase}”" for kp in section.key_phrases)
        out.info(f"  Key phrases: {phrases}\n  Coaching: {section.coaching}")
        out.info(f"  Common mistake: {section.common_mistake}")
    if scenario.weak_answer:
        w = scenario.weak_answer
        out.info("\nA weak answer:")
        interviewer.say(w.text)
        out.info("  What is wrong with it:\n" + "\n".join(f"    • {f}" for f in w.faults))
        out.info(f"  Bar raiser thinks: {w.bar_raiser}")
    answers: list[int | None] = []
    for n, q in enumerate(scenario.quiz, 1):
        choices = "\n".join(f"    {chr(97 + i)}) {c}" for i, c in enumerate(q.choices))
        out.info(f"\nQuiz {n}/{len(scenario.quiz)}: {q.question}\n{choices}")
        choice = None
        while choice is None:
            text = read_line(f"  your answer (a-{chr(96 + len(q.choices))}): ")
            if text is None:  # end of input: unanswered
                break
            choice = quiz.parse_choice(text, len(q.choices))
        answers.append(choice)
        right = choice == q.answer
        correct = f"{chr(97 + q.answer)}) {q.choices[q.answer]}"
        out.info(f"  {'Right' if right else 'Not quite'} — {correct}. {q.explanation}")
    r.doc["quiz"] = quiz.grade(scenario, answers)
    out.info(f"\nQuiz score: {r.doc['quiz']['score']}/{r.doc['quiz']['total']}")
    r.finish()
    return r
