"""Scenario files: the single source of truth for questions, sections, targets and phrases.

A scenario is a YAML file validated by the pydantic models below (unknown keys are
errors, so a typo never silently drops content). `load_scenario` turns every problem
into a `ScenarioError` naming the file, the line and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = 1
STAR_SECTION_IDS = ("situation", "task", "action", "result", "reflection")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KeyPhrase(_Model):
    """A phrase the answer should contain. `phrase` is the label shown to the user, verbatim;
    `variants` are other ways of saying it that count as a hit."""

    phrase: str = Field(min_length=1)
    variants: list[str] = []

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        # A bare string is the common case: `- "I noticed"`.
        return {"phrase": data} if isinstance(data, str) else data


class Section(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    target_s: float = Field(gt=0)
    cue: str  # what the interviewer says to prompt this section in drill mode
    strong_example: str
    key_phrases: list[KeyPhrase] = []
    coaching: str
    common_mistake: str
    # Words and short phrases that typically open or mark this section ("as a result",
    # "in retrospect"); they help find section boundaries when no marks were given.
    signals: list[str] = []


class Overview(_Model):
    scenario: str
    walkthrough: str


class ExampleAnswer(_Model):
    answer: str
    comment: str  # why it is weak / what makes it strong


class Followup(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    question: str
    probes: str  # what the interviewer is probing for
    weak: ExampleAnswer
    strong: ExampleAnswer
    takeaway: str
    key_phrases: list[KeyPhrase] = []
    # Analysis flag ids / section ids whose weakness makes this probe the natural next question.
    triggers: list[str] = []


class WeakAnswer(_Model):
    text: str
    faults: list[str] = Field(min_length=1)
    bar_raiser: str


class QuizQuestion(_Model):
    question: str
    choices: list[str] = Field(min_length=2)
    answer: int = Field(ge=0)  # index into choices
    explanation: str

    @model_validator(mode="after")
    def _answer_in_range(self) -> QuizQuestion:
        if self.answer >= len(self.choices):
            raise ValueError(f"answer {self.answer} is not an index into the {len(self.choices)} choices")
        return self


class Principle(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    lead_with: str
    emphasize: str
    downplay: str


class Budget(_Model):
    min_s: float | None = Field(default=None, ge=0)
    max_s: float = Field(gt=0)
    text: str  # how the source puts it, e.g. "Keep to 2 minutes."


class Level(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    focus: str
    reflection: str  # what a reflection at this level sounds like
    bar: str
    budget: Budget


class Scenario(_Model):
    schema_version: int = Field(SCHEMA_VERSION, alias="schema")
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str
    category: str = ""
    question: str
    overview: Overview
    sections: list[Section] = Field(min_length=1)
    followups: list[Followup] = []
    weak_answer: WeakAnswer | None = None
    quiz: list[QuizQuestion] = []
    principles: list[Principle] = []
    levels: list[Level] = Field(min_length=1)
    default_level: str

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("sections")
    @classmethod
    def _unique_section_ids(cls, sections: list[Section]) -> list[Section]:
        ids = [s.id for s in sections]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate section id(s): {', '.join(dupes)}")
        return sections

    @model_validator(mode="after")
    def _default_level_exists(self) -> Scenario:
        if self.default_level not in {lv.id for lv in self.levels}:
            known = ", ".join(lv.id for lv in self.levels)
            raise ValueError(f"default_level {self.default_level!r} is not one of the levels ({known})")
        return self

    # --- lookups -------------------------------------------------------------------

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def level(self, level_id: str | None) -> Level:
        """The level by id or name (case-insensitive, spaces ignored); the default when None."""
        wanted = _fold(level_id or self.default_level)
        for lv in self.levels:
            if wanted in (_fold(lv.id), _fold(lv.name)):
                return lv
        raise KeyError(level_id)

    def principle(self, principle_id: str) -> Principle:
        wanted = _fold(principle_id)
        for p in self.principles:
            if wanted in (_fold(p.id), _fold(p.name)):
                return p
        raise KeyError(principle_id)

    @property
    def total_target_s(self) -> float:
        return sum(s.target_s for s in self.sections)


def _fold(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())
