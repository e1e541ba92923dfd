"""The parts of the session document that the analysis makes, as typed models.

`analysis.answer.analyze` returns an `AnswerAnalysis`, `followups.judge` a `FollowupResult`,
`verdict.final` a `FinalVerdict` and `quiz.grade` a `QuizResult`: the very models
`session.document.SessionDocument` is made of (it re-exports them), so what the analysis hands
over is what session.json holds, and the verdict, the follow-ups, the self-check and the live
clock read attributes, never keys. They are here, below the session layer, because the analysis
makes them; the whole document, and the rules of its shape, are in `session/document.py`.

Shape rules, the same for every model here and there: the fields in the order they were made or
read are the order they are written in (`DocModel`), keys left out stay left out
(`exclude_unset`), unknown fields are ignored (added by a newer version of the same schema) and
values are strict.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    Strict,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from mockvoice.analysis.flags import FlagId
from mockvoice.errors import SessionError
from mockvoice.speech import transcript as speech

EndedBy = Literal["silence", "key", "max", "no-speech"]
SectionVerdict = Literal["ok", "over", "under", "missing"]
# "under" is what sessions saved before the floor (issue 12.4) called "short".
BudgetVerdict = Literal["ok", "short", "over", "under"]
# How a key phrase was matched: counted (exact, variant, paraphrase) or a near-hit that was not
# (negated, reversed, someone-else, shared); None when nothing close was heard.
Match = Literal["exact", "variant", "paraphrase", "negated", "reversed", "someone-else", "shared"]
FollowupVerdict = Literal["strong", "partial", "weak", "no answer", "skipped"]
IdeaStatus = Literal["said", "missed", "unclear", "denied"]
HireVerdict = Literal["Strong Hire", "Leaning Hire", "Leaning No Hire", "No Hire"]


class DocModel(BaseModel):
    """Base of every part of the document: unknown fields are ignored (added by a newer version
    of the same schema) and values are strict: "3" is not a number, 1 is not true (a whole number
    is a number, as JSON has it)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, strict=True)

    _keys: tuple[str, ...] = PrivateAttr(default=())  # the fields in the order they were read

    @model_validator(mode="wrap")
    @classmethod
    def _remember_order(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        model = handler(value)
        if isinstance(value, dict) and isinstance(model, DocModel):
            model._keys = tuple(value)
        return model

    @model_serializer(mode="wrap")
    def _in_read_order(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Written back in the order it was read, so `to_dict()` (and `export --format json`) is
        the saved JSON key for key: each writer has its own order, the model has one."""
        data = handler(self)
        read = {k: data[k] for k in self._keys if k in data}
        return read | {k: v for k, v in data.items() if k not in read}

    def to_dict(self) -> dict[str, Any]:
        """The part as session.json holds it: the fields it was made with, nothing added."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)

    def made_with(self) -> dict[str, Any]:
        """The fields this part was made (or read) with, in that order and by the names
        session.json gives them, as typed values: what `to_dict` writes, before it is written."""
        fields = type(self).model_fields
        made = {(f.alias or n): getattr(self, n) for n, f in fields.items() if n in self.model_fields_set}
        made |= self.model_extra or {}
        return {k: made[k] for k in self._keys if k in made} | made

    def with_parts(self, **parts: Any) -> Self:
        """This part with `parts` set (typed parts or plain values, by field name), validated as
        a whole. A new field comes after the ones already there, as a key added to a dict: a
        document built step by step (a rehearsal) is written in the order it was built."""
        fields = type(self).model_fields
        unknown = sorted(set(parts) - set(fields))
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {', '.join(unknown)}")
        return validated(type(self), self.made_with() | {fields[n].alias or n: v for n, v in parts.items()})


# --- the transcript ---------------------------------------------------------------------------


class TimedWord(DocModel):
    text: str  # stripped of the recognizer's leading space
    start: float
    end: float
    probability: float = Field(ge=0, le=1)


class HeardFiller(DocModel):
    """A hesitation heard in the audio with no word in `words`."""

    text: str  # "um" or "uh"
    start: float
    end: float


def spacing(words: Sequence[TimedWord], text: str) -> list[str]:
    """What goes before each word: the recognizer's own spacing, recovered from the transcript
    text (the words are stored stripped), so "0.3%" is not shown as "0 .3 %"."""
    return speech.spacing([w.text for w in words], text)


class Transcript(DocModel):
    text: str
    model: str | None = None
    language: str | None = None
    words: list[TimedWord]
    fillers: list[HeardFiller] | None = None  # added with issue 11: absent in older sessions

    def gaps(self) -> list[str]:
        """What goes before each word when the words are shown or subtitled (see `spacing`)."""
        return spacing(self.words, self.text)


def saved_words(words: Sequence[speech.Word], start_s: float = 0.0) -> list[TimedWord]:
    """The recognizer's words as session.json keeps them: stripped of their spacing (`spacing`
    recovers it), on the session's clock (`start_s` added), times to 10 ms, probability to 0.1 %."""
    return [
        TimedWord(
            text=w.text.strip(),
            start=round(start_s + w.start, 2),
            end=round(start_s + w.end, 2),
            probability=round(w.probability, 3),
        )
        for w in words
    ]


class FollowupTranscript(DocModel):
    """A follow-up answer's words, on the session's clock."""

    text: str
    words: list[TimedWord]

    def gaps(self) -> list[str]:
        """What goes before each word (see `spacing`)."""
        return spacing(self.words, self.text)


# --- the analysis of one answer -----------------------------------------------------------------


class SectionResult(DocModel):
    id: str
    name: str
    start_s: float | None  # None: the section was not found (verdict "missing")
    end_s: float | None
    duration_s: float | None
    target_s: float
    verdict: SectionVerdict


class KeyPhraseResult(DocModel):
    phrase: str  # the scenario's label, verbatim
    section: str  # the section it belongs to
    found: bool  # counted: said anywhere in the answer
    match: Match | None = None  # match and why: absent in the first sessions
    why: str | None = None
    said_in: str | None  # the section it was heard in
    at_s: float | None
    heard: str | None  # the words heard


class FlagResult(DocModel):
    id: Annotated[FlagId, Strict(False)]  # the id as text, one of FlagId's
    message: str
    at_s: float
    quote: str
    section: str | None = None


class DeliveryStats(DocModel):
    words: int
    wpm: float
    fillers: int  # filler words in the transcript + hesitations heard
    filler_counts: dict[str, int]
    heard_fillers: dict[str, int] | None = None  # added with issue 11
    longest_pause_s: float
    time_to_first_word_s: float
    speaking_s: float


class TotalTime(DocModel):
    speaking_s: float
    budget_min_s: float | None  # None in sessions saved before every level had a floor
    budget_min_derived: bool | None = None  # added with the floor (issue 12.4)
    budget_max_s: float
    budget_text: str
    verdict: BudgetVerdict


class LevelExpectations(DocModel):
    name: str
    focus: str
    reflection: str
    bar: str


class PrincipleFraming(DocModel):
    id: str
    name: str
    lead_with: str
    emphasize: str
    downplay: str


# --- follow-ups, quiz, verdict --------------------------------------------------------------------


class IdeaResult(DocModel):
    """One idea of a strong follow-up answer, and whether it was heard."""

    id: str
    name: str
    found: bool
    status: IdeaStatus
    match: Match | None = None
    why: str | None = None
    at_s: float | None = None
    heard: str | None = None
    quote: str | None = None
    quote_at_s: float | None = None


class FollowupPhrase(DocModel):
    """A key phrase of a follow-up judged on key phrases (sessions before ideas)."""

    phrase: str
    found: bool
    match: Match | None = None  # match and why: absent in the first sessions
    why: str | None = None
    at_s: float | None
    heard: str | None


class FollowupResult(DocModel):
    id: str
    question: str
    verdict: FollowupVerdict
    reasons: list[str]
    probes: str | None = None  # absent when no answer was heard
    judged_on: Literal["ideas", "key phrases"] | None = None  # added with ideas
    ideas: list[IdeaResult] | None = None
    phrases: list[FollowupPhrase] | None = None  # older sessions: judged on key phrases
    strong_overlap: float | None = None
    weak_overlap: float | None = None
    owns: bool | None = None
    handed_off: bool | None = None
    takeaway: str | None = None
    transcript: FollowupTranscript | None = None
    audio: str | None = None
    ended_by: EndedBy | None = None
    why: list[str] | None = None  # the trigger ids that chose this probe
    overflows: int | None = None


class QuizItem(DocModel):
    question: str
    chosen: str | None  # None: unanswered
    correct: str
    right: bool
    explanation: str
    chosen_index: int | None
    correct_index: int


class QuizResult(DocModel):
    score: int
    total: int
    items: list[QuizItem]


class FinalVerdict(DocModel):
    verdict: HireVerdict
    summary: str  # ends on the verdict, as the seed's bar raiser writes it: "… Leaning No Hire."
    reasons: list[str]

    def title(self) -> str:
        """The verdict as a heading, with the principle it was judged for when one was given:
        'Leaning No Hire for Ownership'."""
        closing = self._closing()
        return closing.group(1) if closing else self.verdict

    def body(self) -> str:
        """The summary without its closing verdict: what follows the heading, so that a screen
        showing both does not say the verdict twice."""
        closing = self._closing()
        return self.summary[: closing.start()].rstrip() if closing else self.summary

    def _closing(self) -> re.Match[str] | None:
        found = re.search(rf"\s*({re.escape(self.verdict)}(?: for [^.]+)?)\.$", self.summary)
        return found if found and found.start() > 0 else None


def section_at(sections: Sequence[SectionResult], t: float) -> SectionResult | None:
    """The section a word starting at `t` belongs to; words after the last section go to it,
    words before the first one to the first (as the analysis counts them). None: no section
    was found in the answer."""
    present = [s for s in sections if s.start_s is not None and s.end_s is not None]
    for s in present:
        if s.start_s <= t < s.end_s:  # type: ignore[operator]
            return s
    if not present:
        return None
    return present[-1] if t >= present[-1].end_s else present[0]  # type: ignore[operator]


# --- the analysis of one answer, whole ------------------------------------------------------------


class AnswerFacts:
    """The facts derived from an analyzed answer, computed here once instead of again by each
    reader: mixed into `AnswerAnalysis` and into the session document (where the analysis may be
    absent: None reads as no phrases, no sections, no flags)."""

    if TYPE_CHECKING:  # the fields of the model it is mixed into
        sections: list[SectionResult] | None
        key_phrases: list[KeyPhraseResult] | None
        flags: list[FlagResult] | None

    def phrases_of(self, section_id: str) -> list[KeyPhraseResult]:
        """The key phrases that belong to a section, in scenario order. Belong, not heard: a phrase
        said in another section still counts for its own (`said_in` tells where it was heard),
        which is how the scorecard, the transcript and the report tick it."""
        return [k for k in self.key_phrases or [] if k.section == section_id]

    def found_count(self, section_id: str | None = None) -> int:
        """How many key phrases were found (counted: said anywhere in the answer), of one section
        or of the whole answer. A near-hit (`match` negated, reversed…) is not found."""
        return sum(1 for k in self._phrases(section_id) if k.found)

    def phrase_count(self, section_id: str | None = None) -> int:
        """How many key phrases there are to find: `found_count`'s denominator."""
        return len(self._phrases(section_id))

    def phrase_sections(self) -> list[str]:
        """The ids of the sections that have key phrases, in the order the phrases are listed."""
        return list(dict.fromkeys(k.section for k in self.key_phrases or []))

    def section_at(self, t: float) -> SectionResult | None:
        """The section a word starting at `t` belongs to (see `section_at`)."""
        return section_at(self.sections or [], t)

    def section(self, section_id: str) -> SectionResult | None:
        """A section's timing by id; None when the scenario has no such section."""
        return next((s for s in self.sections or [] if s.id == section_id), None)

    def flag_ids(self) -> set[FlagId]:
        """The flags raised on the answer (what the follow-ups are chosen on)."""
        return {f.id for f in self.flags or []}

    def flags_of(self, flag_id: FlagId) -> list[FlagResult]:
        """The flags of one kind, in the order they were raised (by time)."""
        return [f for f in self.flags or [] if f.id == flag_id]

    def _phrases(self, section_id: str | None) -> list[KeyPhraseResult]:
        return self.phrases_of(section_id) if section_id is not None else list(self.key_phrases or [])


class AnswerAnalysis(DocModel, AnswerFacts):
    """What `analysis.answer.analyze` makes of one answer: the analysis part of a session document
    (no file names, no dates), field for field as session.json holds it."""

    scenario: str
    scenario_title: str
    question: str
    level: str
    principle: str | None
    marks: list[float] | None
    sectioning: Literal["marks", "automatic"]
    duration_s: float
    transcript: Transcript
    sections: list[SectionResult]
    key_phrases: list[KeyPhraseResult]
    flags: list[FlagResult]
    delivery: DeliveryStats
    total: TotalTime
    level_expectations: LevelExpectations
    principle_framing: PrincipleFraming | None


# --- plain values as parts, and errors in words ------------------------------------------------------

M = TypeVar("M", bound=DocModel)


def validated(model: type[M], value: Any) -> M:
    """`value` (a dict of typed parts or plain values) validated as `model`; a malformed one is
    one SessionError line."""
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise malformed(model, exc) from None


def as_model(model: type[M], value: M | Mapping[str, Any]) -> M:
    """`value` as a part of the document. A dict (a hand-made part, or one from an older
    mockvoice) is read as session.json will hold it (through its JSON text: tuples are lists,
    flag ids text), so a reader handed it sees what it would see after a reload. A malformed
    one is one SessionError line."""
    if isinstance(value, model):
        return value
    try:
        return model.model_validate_json(json.dumps(value, ensure_ascii=False, allow_nan=False))
    except ValidationError as exc:
        raise malformed(model, exc) from None


def malformed(model: type[BaseModel], exc: ValidationError) -> SessionError:
    """The one line for a value that is not a well-formed part of the document."""
    return SessionError(f"{model.__name__}: {first_error(exc)} — not a well-formed session document")


_EXPECTED = {
    "model_type": "expected an object",
    "model_attributes_type": "expected an object",
    "dict_type": "expected an object",
    "list_type": "expected a list",
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "missing": "missing",
}


def first_error(exc: ValidationError) -> str:
    """The first problem of a failed validation as one phrase: where, then what.
    e.g. "sections.0: expected an object (got 'oops')", "created: missing"."""
    err = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in err["loc"])
    kind = err["type"]
    if kind in _EXPECTED:
        what = _EXPECTED[kind]
        if kind != "missing":
            what += f" (got {_shown(err.get('input'))})"
    elif kind in ("enum", "literal_error"):
        expected = err.get("ctx", {}).get("expected", "another value")
        what = f"expected {expected} (got {_shown(err.get('input'))})"
    else:
        what = err["msg"].removeprefix("Value error, ")
    return f"{where}: {what}" if where else what


def _shown(value: Any, most: int = 40) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = "null" if value is None else repr(value)
    return text if len(text) <= most else text[: most - 1] + "…"
