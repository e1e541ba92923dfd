"""The session document (`session.json`) as one typed model: what every mode writes, validated.

One definition of the document that `analyze`, `mock`, `drill` and `study` save, so readers get
a validated object (or one `SessionError` line) instead of each checking the dict it needs, and
the facts derived from it ("the phrases of a section", "how many were found", "the recorded
parts") are computed once instead of again in every reader. docs/session-schema.md is the
prose contract; docs/session.schema.json is this model as JSON Schema
(`scripts/session_schema.py` writes it, a test checks it is current).

The parts the analysis makes (the transcript, sections, key phrases, flags, follow-up results,
the verdict, the quiz) are defined in `analysis/results.py`, the layer that makes them, and
re-exported here; the parts the rehearsal flows add (live events, interruptions, timing, drill
attempts) and the whole document are defined here.

Shape rules, the same for every model:

- The models describe the document as written today, field for field: `to_dict()` of a loaded
  document is the dict that was loaded (keys left out stay left out: `exclude_unset`), and a
  document built step by step (`with_parts`) is written in the order it was built.
- Fields added after schema 1 first shipped are optional, so older schema-1 sessions still load;
  "fields are only added within a schema version", so an unknown field is ignored, not an
  error (a newer mockvoice's session of the same schema still loads here).
- Only the answer's `timing` is open (`extra="allow"`): it is a bag of measured steps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, model_validator
from pydantic import ValidationError as ValidationError  # what `from_dict` raises

from mockvoice.analysis.flags import FlagId

# The parts the analysis makes, defined in its layer; re-exported, readers know them by these names.
from mockvoice.analysis.results import (  # noqa: F401
    AnswerAnalysis,
    AnswerFacts,
    BudgetVerdict,
    DeliveryStats,
    DocModel,
    EndedBy,
    FinalVerdict,
    FlagResult,
    FollowupPhrase,
    FollowupResult,
    FollowupTranscript,
    FollowupVerdict,
    HeardFiller,
    HireVerdict,
    IdeaResult,
    IdeaStatus,
    KeyPhraseResult,
    LevelExpectations,
    Match,
    PrincipleFraming,
    QuizItem,
    QuizResult,
    SectionResult,
    SectionVerdict,
    TimedWord,
    TotalTime,
    Transcript,
    as_model,
    first_error,
    section_at,
    spacing,
    validated,
)

SCHEMA = 1  # the session.json schema this version writes and reads; a change of meaning bumps it
FAR_OFF = 0.5  # a section this far from its target (50 % over or under) is worth a fix
QUOTE_WORDS = 8  # a fix quotes at most this many words of the answer

Mode = Literal["analyze", "mock", "drill", "study"]


def _iso_time(value: str) -> str:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not an ISO date ({value!r})") from None
    return value


IsoTime = Annotated[str, AfterValidator(_iso_time)]

# --- what the rehearsal flows add -----------------------------------------------------------


class LiveEvent(DocModel):
    """A key phrase as the live checklist heard it during the answer."""

    t: float  # seconds since the answer started (wall clock)
    heard_s: float | None = None  # answer audio heard by the tick (added with live re-reading)
    phrase: str
    section: str
    said_in: str | None
    at_s: float | None


class Interruption(DocModel):
    section: str
    at_s: float
    said: str


class Timing(DocModel):
    """How long the steps after the answer took (mock): measured, so open to new steps."""

    model_config = ConfigDict(extra="allow", strict=True)

    streaming: bool
    feedback_s: float  # end of the answer → scorecard shown
    asr_busy_s: float | None = None
    preview_busy_s: float | None = None


class DrillAttempt(DocModel):
    """One spoken attempt at one section; without a transcript when no speech was heard."""

    section: str
    attempt: int = Field(ge=1)
    audio: str | None
    ended_by: EndedBy | None = None
    overflows: int | None = None
    error: str | None = None  # why there is no analysis (no speech heard)
    live: list[LiveEvent] | None = None
    duration_s: float | None = None
    target_s: float | None = None
    verdict: SectionVerdict | None = None
    key_phrases: list[KeyPhraseResult] | None = None
    flags: list[FlagResult] | None = None
    delivery: DeliveryStats | None = None
    transcript: Transcript | None = None

    @property
    def answered(self) -> bool:
        """Whether this attempt was heard and analyzed (history lists only those)."""
        return self.transcript is not None


# --- the document -----------------------------------------------------------------------------


# What `analysis.answer.analyze` adds to a document: all of these or none (a mock interrupted
# before its scorecard has none of them).
ANALYSIS_FIELDS = (
    "level_expectations",
    "sectioning",
    "duration_s",
    "transcript",
    "sections",
    "key_phrases",
    "flags",
    "delivery",
    "total",
)


@dataclass(frozen=True)
class AnswerPart:
    """One stretch of recorded speech: the whole answer, a section of it, a follow-up answer or a
    drill attempt. Times are on the clock of `audio`; None: from the start / to the end."""

    id: str  # what --play/--part take: "answer", a section id, "followup-2", "action-1"
    label: str  # "Action", "Follow-up 2", "Action, attempt 1"
    audio: str | None
    start_s: float | None
    end_s: float | None
    words: tuple[TimedWord, ...]
    sections: tuple[SectionResult, ...] = ()  # the sections that name its words (subtitle cues)
    gaps: tuple[str, ...] = ()  # what goes before each word (`spacing`)

    @property
    def name(self) -> str:
        """What a cue says when no section names its words: "Follow-up 2", "Action"."""
        return self.label.split(",")[0]


class SessionDocument(DocModel, AnswerFacts):
    """A whole session.json, in any mode. See docs/session-schema.md for what each field means."""

    model_config = ConfigDict(
        extra="ignore",
        populate_by_name=True,
        strict=True,
        title="mockvoice session.json",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    # header: every mode
    schema_version: Literal[1] = Field(alias="schema")  # SCHEMA; "schema" is a BaseModel name
    mockvoice_version: str
    created: IsoTime
    mode: Mode
    scenario: str
    scenario_title: str
    question: str
    audio: str | None = None  # the answer's audio file in the session folder
    # a rehearsal (mock, drill, study)
    partial: bool | None = None
    interrupted: bool | None = None
    ended_by: EndedBy | None = None
    overflows: int | None = None
    live: list[LiveEvent] | None = None
    interruptions: list[Interruption] | None = None
    timing: Timing | None = None
    # the analysis of the answer (analyze; mock once the answer is analyzed)
    level: str | None = None
    principle: str | None = None
    marks: list[float] | None = None
    sectioning: Literal["marks", "automatic"] | None = None
    duration_s: float | None = None
    transcript: Transcript | None = None
    sections: list[SectionResult] | None = None
    key_phrases: list[KeyPhraseResult] | None = None
    flags: list[FlagResult] | None = None
    delivery: DeliveryStats | None = None
    total: TotalTime | None = None
    level_expectations: LevelExpectations | None = None
    principle_framing: PrincipleFraming | None = None
    # mock
    followups: list[FollowupResult] | None = None
    verdict: FinalVerdict | None = None
    # drill
    attempts: list[DrillAttempt] | None = None
    # study
    quiz: QuizResult | None = None

    @model_validator(mode="after")
    def _whole_parts(self) -> SessionDocument:
        """The analysis is written in one piece, and each mode writes its own part."""
        present = [f for f in ANALYSIS_FIELDS if getattr(self, f) is not None]
        if present and len(present) < len(ANALYSIS_FIELDS):
            missing = ", ".join(f for f in ANALYSIS_FIELDS if getattr(self, f) is None)
            raise ValueError(f"the answer's analysis is incomplete: no {missing}")
        if self.mode == "analyze" and not present:
            raise ValueError("an 'analyze' session without its analysis (no transcript, sections, …)")
        if self.mode == "drill" and self.attempts is None:
            raise ValueError("a 'drill' session without 'attempts'")
        return self

    # --- loading and saving ---

    @classmethod
    def from_dict(cls, doc: Any) -> SessionDocument:
        """Validate a loaded session.json; raises pydantic's ValidationError (see `first_error`)."""
        return cls.model_validate(doc)

    # --- derived facts: computed here once, not again by each reader (and `AnswerFacts`') ---

    @property
    def is_analyzed(self) -> bool:
        """A full analyzed answer: `analyze`, or a mock that got as far as its scorecard. The
        history's progress and compare only count these."""
        return self.sections is not None and self.key_phrases is not None and self.delivery is not None

    @property
    def handle(self) -> str:
        """What `review SESSION` takes for this session: its folder name's time stamp (a unique
        prefix of the name, unless two sessions started in the same second), so the commands a
        scorecard or transcript shows still point at this session when it is no longer the latest."""
        return datetime.fromisoformat(self.created).strftime("%Y-%m-%dT%H-%M-%S")

    def words_at(self, start_s: float, end_s: float | None, most: int = QUOTE_WORDS) -> str | None:
        """The first `most` words said from `start_s` (to `end_s`), spaced as recognized, with "…"
        when there are more: the evidence a fix quotes. None: no words there."""
        if self.transcript is None:
            return None
        words, gaps = self.transcript.words, self.transcript.gaps()
        inside = [i for i, w in enumerate(words) if start_s <= w.start and (end_s is None or w.start < end_s)]
        if not inside:
            return None
        text = "".join(gaps[i] + words[i].text for i in inside[:most]).strip()
        return _cut(text) if len(inside) > most else text

    def latest_attempts(self) -> list[DrillAttempt]:
        """The last answered attempt of each drilled section, in the order sections were drilled:
        a retry replaces the attempt before it, an attempt with no speech replaces nothing."""
        last: dict[str, DrillAttempt] = {}
        for att in self.attempts or []:
            if att.answered:
                last[att.section] = att
        return list(last.values())

    def answer_parts(self) -> list[AnswerPart]:
        """Every playable part of the session, in the order it was recorded: the answer, each
        section found in it (its span of the answer's audio), each follow-up answer, each drill
        attempt. What `review --play`, `export --part` and the report's players are built on."""
        out: list[AnswerPart] = []
        if self.is_analyzed and self.transcript is not None:
            words, gaps = tuple(self.transcript.words), tuple(self.transcript.gaps())
            sections = tuple(self.sections or [])
            out.append(AnswerPart("answer", "Answer", self.audio, None, None, words, sections, gaps))
            for s in sections:
                if s.start_s is not None and s.end_s is not None:
                    inside = [i for i, w in enumerate(words) if s.start_s <= w.start < s.end_s]
                    span = tuple(words[i] for i in inside)
                    spaced = tuple(gaps[i] for i in inside)
                    out.append(AnswerPart(s.id, s.name, self.audio, s.start_s, s.end_s, span, (s,), spaced))
        for n, fu in enumerate(self.followups or [], 1):
            out.append(_whole(f"followup-{n}", f"Follow-up {n}", fu.audio, fu.transcript))
        for att in self.attempts or []:
            label = f"{att.section.title()}, attempt {att.attempt}"
            out.append(_whole(f"{att.section}-{att.attempt}", label, att.audio, att.transcript))
        return out

    def fixes(self, most: int = 3) -> list[Fix]:
        """The few changes that would most improve the answer, worst first (see `fixes`)."""
        return fixes(self, most)


def _whole(
    part_id: str, label: str, audio: str | None, said: Transcript | FollowupTranscript | None
) -> AnswerPart:
    """A part that is a whole recording: a follow-up answer or a drill attempt."""
    if said is None:
        return AnswerPart(part_id, label, audio, None, None, ())
    return AnswerPart(part_id, label, audio, None, None, tuple(said.words), (), tuple(said.gaps()))


# --- what to fix first ---------------------------------------------------------------------------


# The kinds of fix, most important first. Why this order: a missing section is a hole in the story
# the interviewer cannot score at all; a section far over or under its target throws the whole
# answer off balance (the other sections are cut or padded); missing key phrases are the signals
# the interviewer listens for in a section that is there; "we" in the Action hides what the
# candidate did, the Result without a number cannot be weighed, and a vague ending leaves no
# lesson: each weakens one part that is otherwise present. Fillers, pace and pauses are heard
# but rarely change the decision, so they come last.
FIX_KINDS = ("missing-section", "timing", "key-phrases", "we", "number", "ending", "delivery")
FLAG_KIND: dict[FlagId, str] = {
    FlagId.WE_IN_ACTION: "we",
    FlagId.NO_NUMBER_IN_RESULT: "number",
    FlagId.VAGUE_ENDING: "ending",
    FlagId.GENERIC_REFLECTION: "ending",
    FlagId.FILLER: "delivery",
    FlagId.PACE_SLOW: "delivery",
    FlagId.PACE_FAST: "delivery",
    FlagId.LONG_PAUSE: "delivery",
    FlagId.SLOW_START: "delivery",
}  # too-short and missing-section: the total line and the missing-section fix say those


@dataclass(frozen=True)
class Fix:
    """One thing to change, pointing at words of the answer (or a missing section), never a
    score: what to change, where, the words that show it and the part that plays them."""

    kind: str  # one of FIX_KINDS
    section: str | None  # the section it is about (id); None: no section was found
    where: str  # what the candidate reads: the section's name, or "Delivery"
    problem: str  # what to change, in words
    quote: str | None  # the words of the answer that show it; None: nothing was said
    at_s: float | None  # when they start
    play: str  # what `review --play` takes to hear it: a section id, or "answer"


def fixes(doc: SessionDocument, most: int = 3) -> list[Fix]:
    """The `most` changes that would most improve an analyzed answer, in FIX_KINDS order; within a
    kind the worse first (the section further off its target, more phrases missed), then the
    earlier. At most one fix per kind and section. An answer with nothing to fix gets none."""
    if not doc.is_analyzed:
        return []
    found: list[tuple[int, float, int, Fix]] = []  # (kind rank, how bad (lower worse), order, fix)
    for n, s in enumerate(doc.sections or []):
        found += [(FIX_KINDS.index(f.kind), bad, n, f) for bad, f in _section_fixes(doc, s)]
    seen: set[tuple[str, str | None]] = set()
    for n, flag in enumerate(doc.flags or []):
        kind = FLAG_KIND.get(flag.id)
        sec = doc.section(flag.section) if flag.section else doc.section_at(flag.at_s)
        key = (kind or "", sec.id if sec else None)
        if kind is None or key in seen:
            continue
        seen.add(key)
        where = "Delivery" if kind == "delivery" else (sec.name if sec else "Answer")
        play = sec.id if sec and sec.start_s is not None else "answer"
        fix = Fix(kind, key[1], where, flag.message, _clipped(flag.quote), flag.at_s, play)
        found.append((FIX_KINDS.index(kind), flag.at_s, len(doc.sections or []) + n, fix))
    found.sort(key=lambda t: t[:3])
    return [f for *_, f in found[:most]]


def _section_fixes(doc: SessionDocument, s: SectionResult) -> list[tuple[float, Fix]]:
    """A section's own fixes (missing, far off target, key phrases not said), each with how bad
    it is (lower is worse) to order fixes of one kind."""
    missed = [k for k in doc.phrases_of(s.id) if not k.found]
    if s.verdict == "missing" or s.start_s is None:
        say = f" — say {_listed([k.phrase for k in missed])}" if missed else ""
        return [(0.0, Fix("missing-section", s.id, s.name, f"missing{say}", None, None, "answer"))]
    out: list[tuple[float, Fix]] = []
    opening = doc.words_at(s.start_s, s.end_s)
    off = (s.duration_s or 0.0) / s.target_s - 1.0
    if abs(off) >= FAR_OFF and s.verdict in ("over", "under"):
        how = "cut it to the point" if off > 0 else "say more"
        problem = f"{s.duration_s:.0f}s for a {s.target_s:.0f}s target: {how}"
        out.append((-abs(off), Fix("timing", s.id, s.name, problem, opening, s.start_s, s.id)))
    if missed:
        near = next((k for k in missed if k.heard and k.at_s is not None), None)
        quote, at = (near.heard, near.at_s) if near else (opening, s.start_s)
        noun = "key phrase" if len(missed) == 1 else "key phrases"
        problem = f"{noun} not said: {_listed([k.phrase for k in missed])}"
        out.append((-len(missed), Fix("key-phrases", s.id, s.name, problem, quote, at, s.id)))
    return out


def _clipped(quote: str, most: int = QUOTE_WORDS) -> str | None:
    """A flag's quote cut to its first `most` words ("…" when cut): a fix quotes, not recites."""
    words = quote.split()
    if not words:
        return None
    text = " ".join(words[:most])
    return _cut(text) if len(words) > most else text


def _cut(text: str) -> str:
    """`text` marked as cut short: "…" unless it already ends a sentence ("SD-2." not "SD-2.…"),
    in place of a trailing comma or colon."""
    if text.endswith((".", "!", "?")):
        return text
    return text.rstrip(",;:") + "…"


def _listed(items: Sequence[str]) -> str:
    """'“a”', '“a” and “b”', '“a”, “b” and “c”': phrases quoted, as the candidate would say them."""
    quoted = [f"“{item}”" for item in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def new_document(
    header: Mapping[str, Any], analysis: AnswerAnalysis | None = None, **fields: Any
) -> SessionDocument:
    """A new session document: the store's header (`store.header`), then `fields` (typed parts or
    plain values, by field name), then the analysis of the answer, in that order (the order
    session.json lists them), validated as a whole; a malformed one is one SessionError line."""
    return validated(SessionDocument, dict(header) | fields | (analysis.made_with() if analysis else {}))


def as_document(doc: SessionDocument | Mapping[str, Any]) -> SessionDocument:
    """A whole session document from a dict (or the document itself): `as_model`."""
    return as_model(SessionDocument, doc)
