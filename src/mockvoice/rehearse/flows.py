"""The three preparation modes (study, drill, mock) as flows over injected parts.

The flows decide what happens in which order; the parts do the work: an `Interviewer` speaks or
prints, `record_answer` captures one spoken answer through a `Microphone` and the VAD, a
`Transcriber` turns audio into words, and an `Output` shows things to the candidate (the
protocols are in `rehearse.ports`). The CLI builds the real parts, tests can run every flow
in-process with a microphone that plays a file; everything is saved in a session folder as it
happens, so an interrupted rehearsal keeps what was already recorded.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from mockvoice.analysis import answer as analysis
from mockvoice.analysis import followups as probes
from mockvoice.analysis import quiz, verdict
from mockvoice.analysis.live import SectionClock
from mockvoice.analysis.results import AnswerAnalysis, FollowupVerdict
from mockvoice.audio import files as audio
from mockvoice.audio.vad import SpeechTracker
from mockvoice.errors import NoSpeechError, StorageError, os_error_message
from mockvoice.rehearse.interviewer import Interviewer
from mockvoice.rehearse.ports import Keys, LiveStatus, Microphone, MicrophoneFactory, Output, recorder
from mockvoice.scenario.model import Followup, Scenario, Section
from mockvoice.scenario.rules import default_rules
from mockvoice.session import archive
from mockvoice.session import store as session
from mockvoice.session.document import (
    DrillAttempt,
    FollowupResult,
    Interruption,
    LiveEvent,
    SessionDocument,
    Timing,
    new_document,
)
from mockvoice.speech.streaming import LiveTranscriber, transcribe_in_utterances
from mockvoice.speech.transcript import Transcript, Word

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
    streaming: bool = True  # transcribe while the candidate speaks (else: the whole file afterwards)
    strict: bool = False  # the interviewer cuts in when a section runs past twice its target
    show_live: bool = True  # print key phrases as they are heard (--quiet-live turns it off)


@dataclass
class Answer:
    path: Path
    duration_s: float
    marks: list[float]
    ended_by: str  # silence | key | max | no-speech
    overflows: int
    ended_at: float = 0.0  # time.monotonic() when the end was detected
    steps: dict[str, float] = field(default_factory=dict)  # seconds spent after the end, by step
    transcript: Transcript | None = None  # already transcribed while speaking (streaming)
    live: list[LiveEvent] = field(default_factory=list)  # checklist events: phrase heard, when
    interruptions: list[Interruption] = field(default_factory=list)


# --- one answer ---------------------------------------------------------------------------


class Checklist:
    """The live view of an answer in progress, rebuilt each time the worker adds words: which
    section the candidate is in and which of its key phrases were heard (events are kept)."""

    def __init__(self, scenario: Scenario, out: Output, marks: list[float], show: bool) -> None:
        self.scenario = scenario
        self._out = out
        self._marks = marks
        self.show = show  # False with --quiet-live: no phrases printed or in the status line
        self._t0 = time.monotonic()
        self._origin: Callable[[], float | None] = lambda: None
        self.events: list[LiveEvent] = []
        self.found: frozenset[str] = frozenset()
        self.fillers = 0  # as the scorecard counts them: filler words + hesitations heard
        self.clock = SectionClock(scenario.sections, default_rules().timing.over_ratio)

    def clock_started(self, first_sample: Callable[[], float | None] = lambda: None) -> None:
        """The recording has started: event times `t` count from its first sample (when
        `first_sample()` knows it; else from now), so `t - at_s` is the delay from saying to
        seeing on the same clock."""
        self._t0 = time.monotonic()
        self._origin = first_sample

    def _now(self) -> float:
        return time.monotonic() - (self._origin() or self._t0)

    @property
    def section(self) -> Section:
        return self.clock.section

    @property
    def section_start_s(self) -> float:
        return self.clock.start_s

    def update(self, transcript: Transcript) -> None:
        """Called by the transcription worker with the transcript so far."""
        if not transcript.words:
            return
        marks = [m for m in self._marks if m < transcript.duration_s]
        answer = analysis.analyze(transcript, self.scenario, marks=marks or None, in_progress=True)
        if not marks:
            self.clock.follow(answer)
        self.fillers = answer.delivery.fillers
        found = set(self.found)
        for kp in answer.key_phrases:
            if kp.found and kp.phrase not in found:
                found.add(kp.phrase)
                event = LiveEvent(
                    t=round(self._now(), 2),
                    heard_s=transcript.meta.get("heard_s"),  # answer audio heard by the tick
                    phrase=kp.phrase,
                    section=kp.section,
                    said_in=kp.said_in,
                    at_s=kp.at_s,
                )
                self.events.append(event)
                if self.show:
                    self._out.live_phrase(event)
        self.found = frozenset(found)


class LatestOnly:
    """Runs `handle` on a thread of its own with the latest item put, skipping any it had no
    time for: the live checklist's analysis (about 0.1 s) never holds up the next reading of
    the answer, and a slow one never builds a queue."""

    def __init__(self, handle: Callable[[Transcript], None]) -> None:
        self._handle = handle
        self._item: Transcript | None = None
        self._ready = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="live-view", daemon=True)
        self._thread.start()

    def put(self, item: Transcript) -> None:
        with self._ready:
            self._item = item
            self._ready.notify()

    def close(self) -> None:
        """Handle what is pending, then stop."""
        with self._ready:
            self._closed = True
            self._ready.notify()
        self._thread.join()

    def _run(self) -> None:
        while True:
            with self._ready:
                while self._item is None and not self._closed:
                    self._ready.wait()
                item, self._item = self._item, None
                if item is None:
                    return
            self._handle(item)


def record_answer(
    path: Path,
    settings: AnswerSettings,
    out: Output,
    keys: Keys,
    sections: Sequence[Section] = (),
    *,
    transcriber=None,
    scenario: Scenario | None = None,
    interviewer: Interviewer | None = None,
    microphone: MicrophoneFactory | None = None,
) -> Answer:
    """Record until silence, a key, or the cap. Space/Enter marks the next section.

    With `settings.streaming` and a transcriber the answer is transcribed while it is spoken;
    with a `scenario` the live checklist follows it, and with `settings.strict` the interviewer
    cuts in when a section runs past twice its target. `microphone` makes the microphone that
    writes `path` (default: the recorder on `settings.input_device`).
    """

    tracker = SpeechTracker()
    marks: list[float] = []
    checklist = Checklist(scenario, out, marks, settings.show_live) if scenario is not None else None
    clock = checklist.clock if checklist is not None else _clock(sections)
    feeds = [tracker.feed]
    live = None
    viewer = None
    if settings.streaming and transcriber is not None:
        viewer = LatestOnly(checklist.update) if checklist else None
        # MOCKVOICE_LIVE_READINGS=0: finished utterances only (bench/latency.py's baseline)
        readings = os.environ.get("MOCKVOICE_LIVE_READINGS", "1") != "0"
        on_words = viewer.put if viewer else None
        live = LiveTranscriber(transcriber, tracker, on_words=on_words, preview=readings)
        feeds.append(live.feed)
    ended_by = "max"
    interruptions: list[Interruption] = []
    grace_speech_s = 0.0  # after a cut-in, silence ends the answer only once the candidate spoke again
    make_microphone = microphone or recorder(settings.input_device)
    rec = make_microphone(path, lambda block: [f(block) for f in feeds])
    rec.start()
    if checklist is not None:
        checklist.clock_started(lambda: rec.started_at)  # ticks on the answer's clock
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
                if clock is not None:
                    clock.mark(len(marks), marks[-1])
            state = tracker.state
            quiet = state.silence_s >= settings.end_silence_s and state.speech_s > grace_speech_s
            if state.heard_speech and quiet:
                ended_by = "silence"
                break
            if not state.heard_speech and elapsed >= settings.no_speech_s:
                ended_by = "no-speech"
                break
            if elapsed >= settings.max_answer_s:
                break
            if settings.strict and checklist and interviewer and _overdue(checklist, elapsed, interruptions):
                line = _interruption(checklist.scenario, checklist.section)
                out.end_status()
                interviewer.say(line)
                interruptions.append(
                    Interruption(section=checklist.section.id, at_s=round(elapsed, 2), said=line)
                )
                grace_speech_s = tracker.state.speech_s
            marked = bool(marks) or checklist is None  # no checklist: all said so far is the section
            out.status(_status(rec, tracker, clock, marked, elapsed, checklist))
    except BaseException:  # Esc, Ctrl-C, SIGTERM, a device error: stop the workers, then re-raise
        rec.stop()
        if live is not None:
            live.stop()
        if viewer is not None:
            viewer.close()
        raise
    finally:
        ended_at = time.monotonic()
        info = rec.stop()
        out.end_status()
    stopped_at = time.monotonic()
    transcript = live.finish() if live is not None else None
    if viewer is not None:
        viewer.close()
    steps = {"stop_recorder_s": stopped_at - ended_at, "finish_transcript_s": time.monotonic() - stopped_at}
    return Answer(
        path,
        info.duration_s,
        marks,
        ended_by,
        info.overflows,
        ended_at=ended_at,
        transcript=transcript,
        live=checklist.events if checklist else [],
        interruptions=interruptions,
        steps={k: round(v, 3) for k, v in steps.items()},
    )


def _overdue(checklist: Checklist, elapsed: float, done: list[Interruption]) -> bool:
    section = checklist.section
    if any(i.section == section.id for i in done):
        return False
    return elapsed - checklist.section_start_s > 2 * section.target_s


def _clock(sections: Sequence[Section]) -> SectionClock | None:
    """A section clock moved by marks alone (no live checklist to follow the words)."""
    return SectionClock(sections, default_rules().timing.over_ratio) if sections else None


def interruptions(scenario: Scenario) -> list[str]:
    """Every cut-in line of a scenario (to synthesize ahead of time)."""
    return [_interruption(scenario, s) for s in scenario.sections]


def drill_cue(section: Section) -> str:
    return f"{section.name}. {section.cue} Aim for about {section.target_s:.0f} seconds."


def warm_up(scenario: Scenario) -> None:
    """The first analysis of a process loads the lemmatizer and fills caches (~0.2 s): do it now."""
    words = tuple(
        Word(f" {w}", i * 0.3, i * 0.3 + 0.25) for i, w in enumerate(["I", "noticed", "it", "was", "zero"])
    )
    analysis.analyze(Transcript(words, duration_s=2.0), scenario)


def _interruption(scenario: Scenario, section: Section) -> str:
    """What an interviewer says to move the candidate on: the next section's cue."""
    ids = [s.id for s in scenario.sections]
    i = ids.index(section.id)
    if i + 1 < len(ids):
        return f"Let me stop you there. {scenario.sections[i + 1].cue}"
    return "Let me stop you there. Let's wrap up."


def _status(
    rec: Microphone,
    tracker,
    clock: SectionClock | None,
    marked: bool,
    elapsed: float,
    checklist: Checklist | None,
) -> LiveStatus:
    """The status line's figures. The section comes from the one section clock: moved by the
    candidate's marks, or (without marks) by the live checklist's evidence."""
    reading = clock.read(elapsed, marked=marked) if clock is not None else None
    current = reading.section if reading else None
    since = clock.start_s if clock is not None else 0.0
    found = checklist.found if checklist else frozenset()
    mine = [kp.phrase for kp in current.key_phrases] if current and checklist and checklist.show else []
    return LiveStatus(
        elapsed_s=elapsed,
        section=current.name if current else None,
        section_elapsed_s=elapsed - since,
        target_s=current.target_s if current else None,
        level_dbfs=rec.level_dbfs,
        silent=rec.silent,
        clipping=rec.clipping,
        speaking=tracker.is_speaking,
        heard=tuple(p for p in mine if p in found),
        missing=tuple(p for p in mine if p not in found),
        over=reading.over if reading else False,
        fillers=checklist.fillers if checklist and checklist.show else 0,
    )


def transcribe_answer(transcriber, answer: Answer):

    if answer.ended_by == "no-speech":
        raise NoSpeechError(
            f"{answer.path}: no speech heard in {answer.duration_s:.0f} s — check the microphone"
        )
    if answer.transcript is not None:  # streamed while the candidate spoke
        if not answer.transcript.words:
            raise NoSpeechError(f"{answer.path}: no speech found — check the microphone and record again")
        return answer.transcript

    return transcribe_in_utterances(transcriber, audio.load(answer.path), source=str(answer.path))


# --- sessions -------------------------------------------------------------------------------


@dataclass
class Rehearsal:
    """A session folder being filled in; every step is written as soon as it is known."""

    folder: Path
    doc: SessionDocument

    @classmethod
    def start(cls, root: Path, scenario: Scenario, mode: str, **fields) -> Rehearsal:
        """The session folder appears with its first (partial) session.json, all or nothing,
        before anything is recorded; recordings then go straight into it."""
        created = datetime.now().astimezone()
        doc = new_document(
            session.header(mode=mode, created=created),
            scenario=scenario.id,
            scenario_title=scenario.title,
            question=scenario.question,
            partial=True,
            **fields,
        )
        return cls(archive.begin(root, doc), doc)

    def set(self, **parts) -> None:
        """Add or replace parts of the document (typed parts or plain values, by field name);
        a new part comes after those already there. Written by the next `save`."""
        self.doc = self.doc.with_parts(**parts)

    def save(self) -> None:
        """Each write is atomic: on a disk error the last session.json stays as it was, and the
        one line says where the recordings are kept."""
        try:
            archive.write(self.folder, self.doc)
        except OSError as exc:
            message = os_error_message(exc, self.folder, "save the session")
            raise StorageError(f"{message}; what was recorded is kept in {self.folder}") from None

    def finish(self) -> None:
        self.set(partial=False)
        self.save()

    def discard(self, why: str) -> NoSpeechError:
        """No speech was heard: remove the session (its audio is silence) and say so."""
        session.remove_session(self.folder)
        return NoSpeechError(f"{why} — nothing was saved; check the microphone with 'mockvoice devices'")


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
    microphone: MicrophoneFactory | None = None,
) -> Rehearsal:
    """The full mock: question, one answer, scorecard, follow-up probes, final verdict.
    `microphone`: as `record_answer`'s (default: the recorder on the settings' input device)."""

    scenario.level(opts.level)  # unknown level/LP: fail before anything is recorded
    analysis.check_options(scenario, opts.level, opts.principle)
    r = Rehearsal.start(root, scenario, "mock", level=opts.level, principle=opts.principle)
    result: AnswerAnalysis | None = None
    try:
        interviewer.say(scenario.question)
        if keys.interactive:
            out.info("Answering — Space: next section · q: done · Esc: stop")
        leveled = scenario.at_level(opts.level)  # the live checklist shows the level's phrases too
        answer = record_answer(
            r.folder / "answer.wav",
            opts.settings,
            out,
            keys,
            leveled.sections,
            transcriber=transcriber,
            scenario=leveled,
            interviewer=interviewer,
            microphone=microphone,
        )
        r.set(
            audio=answer.path.name,
            ended_by=answer.ended_by,
            overflows=answer.overflows,
            live=answer.live,
            interruptions=answer.interruptions,
        )
        r.save()
        t = {"saved": time.monotonic()}
        try:
            transcript = transcribe_answer(transcriber, answer)
        except NoSpeechError:
            raise r.discard(f"no speech heard in the answer ({answer.duration_s:.0f} s)") from None
        t["transcribed"] = time.monotonic()
        result = analysis.analyze(
            transcript, scenario, marks=answer.marks or None, level=opts.level, principle=opts.principle
        )
        t["analyzed"] = time.monotonic()
        r.set(**result.made_with(), followups=[])
        r.save()
        t["saved2"] = time.monotonic()
        out.scorecard(r.doc)
        t["shown"] = time.monotonic()
        r.set(
            timing=Timing(
                streaming=opts.settings.streaming,
                feedback_s=round(time.monotonic() - answer.ended_at, 3),  # answer end → scorecard shown
                asr_busy_s=transcript.meta.get("asr_busy_s"),  # recognizer compute over the answer
                preview_busy_s=transcript.meta.get("preview_busy_s"),  # ...and for the live checklist
                **answer.steps,
                **{k: round(v - answer.ended_at, 3) for k, v in t.items()},
            )
        )
        chosen = probes.choose(result, scenario, opts.followups)
        if chosen and not _ready_for_followups(keys, out):
            chosen = []
            out.info("Follow-up questions skipped.")
        for n, (probe, why) in enumerate(chosen, 1):
            interviewer.say(probe.question)
            if keys.interactive:
                out.info("Answering — q: done · Esc: skip this question")
            record = partial(record_answer, settings=opts.settings, out=out, keys=keys, microphone=microphone)
            judged = _followup(r.folder / f"followup-{n}.wav", probe, why, record, transcriber)
            r.set(followups=[*(r.doc.followups or []), judged])
            r.save()
            out.followup(judged)
        r.set(verdict=verdict.final(result, r.doc.followups or [], scenario))
        r.finish()
        out.verdict(r.doc.verdict)
        return r
    except (KeyboardInterrupt, Aborted):
        r.set(interrupted=True)
        if (
            result is not None and r.doc.is_analyzed and r.doc.verdict is None
        ):  # the answer was judged: say so
            r.set(verdict=verdict.final(result, r.doc.followups or [], scenario))
            out.verdict(r.doc.verdict)
        r.save()
        out.info(f"Stopped. What was recorded is saved in {r.folder}")
        raise


def _ready_for_followups(keys: Keys, out: Output) -> bool:
    """On a terminal the scorecard stays on screen until the candidate asks for the follow-up
    questions (Enter) or skips them (Esc or q); without one they follow at once."""
    if not keys.interactive:
        return True
    out.info("\nEnter: the follow-up questions · Esc: skip them")
    while True:
        key = keys.poll()
        if key in MARK_KEYS:
            return True
        if key in ABORT_KEYS or key in END_KEYS:
            return False
        time.sleep(0.05)


def _followup(
    path: Path, probe: Followup, why: list[str], record: Callable[..., Answer], transcriber
) -> FollowupResult:
    """Record the answer to one follow-up probe (`record(path, transcriber=…)`) and judge it.
    Esc while answering skips this question only (verdict "skipped"); what was recorded of it
    is kept."""
    try:
        answer = record(path, transcriber=transcriber)
    except Aborted:
        return _unanswered(probe, why, "skipped", audio=path.name if path.exists() else None)
    try:
        result = probes.judge(transcribe_answer(transcriber, answer), probe)
    except NoSpeechError:
        result = _unanswered(probe, why, "no answer")
    return result.with_parts(
        audio=answer.path.name, ended_by=answer.ended_by, why=why, overflows=answer.overflows
    )


def _unanswered(probe: Followup, why: list[str], verdict: FollowupVerdict, **more) -> FollowupResult:
    """A follow-up with no answer to judge: skipped, or no speech heard."""
    return FollowupResult(id=probe.id, question=probe.question, reasons=[], why=why, verdict=verdict, **more)


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
    microphone: MicrophoneFactory | None = None,
) -> Rehearsal:
    """Section by section: cue and target, the candidate speaks that section, feedback, retry.
    `microphone`: as `record_answer`'s (default: the recorder on `settings.input_device`)."""
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
                single = scenario.model_copy(update={"sections": [section]})
                answer = record_answer(
                    path,
                    settings,
                    out,
                    keys,
                    [section],
                    transcriber=transcriber,
                    scenario=single,
                    interviewer=interviewer,
                    microphone=microphone,
                )
                attempt = DrillAttempt(
                    section=section.id,
                    attempt=attempt_no,
                    audio=path.name,
                    ended_by=answer.ended_by,
                    overflows=answer.overflows,
                )
                try:
                    transcript = transcribe_answer(transcriber, answer)
                except NoSpeechError as exc:
                    attempt = attempt.with_parts(error=str(exc))
                else:
                    attempt = section_attempt(transcript, scenario, section, attempt)
                r.set(attempts=[*(r.doc.attempts or []), attempt])
                r.save()
                out.drill_feedback(attempt)
                choice = ask("Enter: next section · r: retry · q: quit") if keys.interactive else ""
                if choice != "r":  # r: this section again; q: stop; anything else: the next one
                    break
            if choice == "q":
                break
        if not any(a.answered for a in r.doc.attempts or []):
            raise r.discard("no speech heard in any attempt")
        r.finish()
        return r
    except (KeyboardInterrupt, Aborted):
        r.set(interrupted=True)
        r.save()
        out.info(f"Stopped. What was recorded is saved in {r.folder}")
        raise


def section_attempt(transcript, scenario: Scenario, section: Section, attempt: DrillAttempt) -> DrillAttempt:
    """A drill attempt with its answer analyzed as that one section (flags for that section only)."""
    single = scenario.model_copy(update={"sections": [section]})
    answer = analysis.analyze(transcript, single)
    return attempt.with_parts(
        duration_s=answer.delivery.speaking_s,
        target_s=section.target_s,
        verdict=answer.sections[0].verdict,
        key_phrases=answer.key_phrases,
        flags=answer.flags,
        delivery=answer.delivery,
        transcript=answer.transcript,
    )


# --- study ------------------------------------------------------------------------------------


def study(
    scenario: Scenario,
    *,
    root: Path,
    interviewer: Interviewer,
    out: Output,
    read_line: Callable[[str], str | None],
    pause: Callable[[str], None] = lambda _next: None,
) -> Rehearsal:
    """The walkthrough: overview, each section's strong example read aloud with its coaching,
    the weak answer and the bar raiser's verdict, then the quiz answered at the keyboard.
    `pause(what comes next)` is called between pages (on a terminal: wait for Enter)."""

    r = Rehearsal.start(root, scenario, "study")
    out.info(f"{scenario.title}\n\nQuestion: {scenario.question}\n")
    out.info(f"The example story: {scenario.overview.scenario}")
    interviewer.say(scenario.overview.scenario, echo=False)
    out.info(scenario.overview.walkthrough)
    for section in scenario.sections:
        pause(section.name)
        out.info(f"\n{section.name} — target {section.target_s:.0f} s")
        out.info(f"Strong example: {section.strong_example}")
        interviewer.say(section.strong_example, echo=False)  # read aloud, shown as an example
        phrases = ", ".join(f"“{kp.phrase}”" for kp in section.key_phrases)
        out.info(f"  Key phrases: {phrases}\n  Coaching: {section.coaching}")
        out.info(f"  Common mistake: {section.common_mistake}")
    if scenario.weak_answer:
        w = scenario.weak_answer
        pause("a weak answer")
        out.info(f"\nA weak answer: {w.text}")
        interviewer.say(w.text, echo=False)
        out.info("  What is wrong with it:\n" + "\n".join(f"    • {f}" for f in w.faults))
        out.info(f"  Bar raiser thinks: {w.bar_raiser}")
    if scenario.quiz:
        pause("the quiz")
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
    graded = quiz.grade(scenario, answers)
    r.set(quiz=graded)
    if scenario.quiz:  # a story of your own has no quiz
        out.info(f"\nQuiz score: {graded.score}/{graded.total}")
    r.finish()
    return r
