"""Scenario files: the single source of truth for questions, sections, targets and phrases.

A scenario is a YAML file validated by the pydantic models below (unknown keys are
errors, so a typo never silently drops content). `load_scenario` turns every problem
into a `ScenarioError` naming the file, the line and the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

SCHEMA_VERSION = 1
STAR_SECTION_IDS = ("situation", "task", "action", "result", "reflection")


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KeyPhrase(StrictModel):
    """A phrase the answer should contain. `phrase` is the label shown to the user, verbatim;
    `variants` are other ways of saying it that count as a hit."""

    phrase: str = Field(min_length=1)
    variants: list[str] = []

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        # A bare string is the common case: `- "I noticed"`.
        return {"phrase": data} if isinstance(data, str) else data


class Section(StrictModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    target_s: float = Field(gt=0, allow_inf_nan=False)  # finite: it is saved in strict JSON
    # The shortest the section can be and still be "ok" (default: target_s x delivery.yaml's
    # timing.under_ratio). For a section whose model example is much shorter than its target.
    min_s: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    cue: str  # what the interviewer says to prompt this section in drill mode
    strong_example: str
    key_phrases: list[KeyPhrase] = []
    coaching: str
    common_mistake: str
    # Words and short phrases that typically open or mark this section ("as a result",
    # "in retrospect"); they help find section boundaries when no marks were given.
    signals: list[str] = []


class Overview(StrictModel):
    scenario: str
    walkthrough: str


class ExampleAnswer(StrictModel):
    answer: str
    comment: str  # why it is weak / what makes it strong


class Idea(StrictModel):
    """One element of a follow-up's strong answer, written as an idea: `name` is what the
    candidate reads ("evidence brought"), `ways` the many ways of saying it. Each way is matched
    like a key phrase (inflections, numbers by value, the phrase rules' paraphrases); a denied
    way ("I didn't have any tests") does not count."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str = Field(min_length=1)
    ways: list[str] = Field(min_length=1)


class Followup(StrictModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    question: str
    probes: str  # what the interviewer is probing for
    weak: ExampleAnswer
    strong: ExampleAnswer
    takeaway: str
    key_phrases: list[KeyPhrase] = []
    # The strong answer's elements as ideas (`mockvoice.followups.judge`); optional, so a probe
    # written with only key phrases still validates and is judged on them.
    ideas: list[Idea] = []
    # Analysis flag ids / section ids whose weakness makes this probe the natural next question.
    triggers: list[str] = []

    @field_validator("ideas")
    @classmethod
    def _unique_idea_ids(cls, ideas: list[Idea]) -> list[Idea]:
        _check_unique_ids(ideas, "idea")
        return ideas

    def judged_ideas(self) -> list[Idea]:
        """What an answer is judged on: the written ideas, or else one idea per key phrase (the
        phrase is its name, its variants the other ways), so older probes judge as before."""
        if self.ideas:
            return list(self.ideas)
        return [
            Idea(id=f"phrase-{n}", name=kp.phrase, ways=[kp.phrase, *kp.variants])
            for n, kp in enumerate(self.key_phrases, 1)
        ]


class WeakAnswer(StrictModel):
    text: str
    faults: list[str] = Field(min_length=1)
    bar_raiser: str


class QuizQuestion(StrictModel):
    question: str
    choices: list[str] = Field(min_length=2)
    answer: int = Field(ge=0)  # index into choices
    explanation: str

    # A field validator (not a model validator) so the error points at `answer`.
    @field_validator("answer")
    @classmethod
    def _answer_in_range(cls, answer: int, info: ValidationInfo) -> int:
        choices = info.data.get("choices")
        if choices is not None and answer >= len(choices):
            raise ValueError(
                f"answer {answer} is not an index into the {len(choices)} choices (the first choice is 0)"
            )
        return answer


class Principle(StrictModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    lead_with: str
    emphasize: str
    downplay: str


class Budget(StrictModel):
    """A level's total speaking time. `min_s` is the source's own minimum; where the source gives
    none the analysis derives the floor from the section targets (`mockvoice.flags.budget_floor`),
    so a level always has both ends."""

    min_s: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    max_s: float = Field(gt=0, allow_inf_nan=False)
    text: str  # how the source puts it, e.g. "Keep to 2 minutes."


class Level(StrictModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    focus: str
    reflection: str  # what a reflection at this level sounds like
    # A longer model reflection for this level, when the source gives one.
    example_reflection: str | None = None
    bar: str
    budget: Budget
    # Key phrases this level expects on top of the sections' own, by section id: what the level
    # adds (a senior reflection names the organizational gap; an SDE 2 one need not).
    # `Scenario.at_level` merges them into the sections.
    key_phrases: dict[str, list[KeyPhrase]] = {}


class Scenario(StrictModel):
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

    @field_validator("schema_version")
    @classmethod
    def _known_schema(cls, version: int) -> int:
        if version != SCHEMA_VERSION:
            raise ValueError(
                f"schema {version} is not supported (this mockvoice reads schema {SCHEMA_VERSION})"
            )
        return version

    @field_validator("sections")
    @classmethod
    def _unique_section_ids(cls, sections: list[Section]) -> list[Section]:
        _check_unique_ids(sections, "section")
        return sections

    @field_validator("followups", "principles", "levels")
    @classmethod
    def _unique_ids(cls, items: list[Any], info: ValidationInfo) -> list[Any]:
        what = {"followups": "follow-up", "principles": "principle", "levels": "level"}
        _check_unique_ids(items, what[info.field_name or ""])
        return items

    # `sections` is declared before `levels`, so it is in `info.data` when it validated.
    @field_validator("levels")
    @classmethod
    def _level_phrases_fit_sections(cls, levels: list[Level], info: ValidationInfo) -> list[Level]:
        sections = info.data.get("sections")
        if sections is not None:
            for lv in levels:
                _check_level_phrases(lv, sections)
        return levels

    # A field validator (not a model validator) so the error points at `default_level`;
    # `levels` is declared earlier, so it is in `info.data` when it validated.
    @field_validator("default_level")
    @classmethod
    def _default_level_exists(cls, default_level: str, info: ValidationInfo) -> str:
        levels = info.data.get("levels")
        if levels is not None and default_level not in {lv.id for lv in levels}:
            known = ", ".join(lv.id for lv in levels)
            raise ValueError(f"default_level {default_level!r} is not one of the levels ({known})")
        return default_level

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

    def at_level(self, level_id: str | None) -> Scenario:
        """The scenario as judged at a level: each section's key phrases plus the ones the level
        adds, so the analysis, its sectioning and the scorecard all see one list. Idempotent:
        a phrase the section already has is not added twice."""
        extra = self.level(level_id).key_phrases
        if not extra:
            return self
        sections = [
            s.model_copy(update={"key_phrases": [*s.key_phrases, *_new_phrases(s, extra.get(s.id, []))]})
            for s in self.sections
        ]
        return self.model_copy(update={"sections": sections})


def _new_phrases(section: Section, phrases: Sequence[KeyPhrase]) -> list[KeyPhrase]:
    labels = {kp.phrase for kp in section.key_phrases}
    return [kp for kp in phrases if kp.phrase not in labels]


def _check_level_phrases(level: Level, sections: Sequence[Section]) -> None:
    """A level's extra key phrases must name a section and not repeat one of its labels (the
    analysis keys phrases by label within a section)."""
    by_id = {s.id: s for s in sections}
    for section_id, phrases in level.key_phrases.items():
        if section_id not in by_id:
            raise ValueError(
                f"level {level.id!r}: key_phrases names unknown section {section_id!r}"
                f" — use one of: {', '.join(by_id)}"
            )
        own = {kp.phrase for kp in by_id[section_id].key_phrases}
        labels = [kp.phrase for kp in phrases]
        repeated = sorted({p for p in labels if p in own or labels.count(p) > 1})
        if repeated:
            raise ValueError(
                f"level {level.id!r}: key phrase(s) {', '.join(map(repr, repeated))} repeat a label of"
                f" the {section_id} section — keep each label once per section"
            )


def _fold(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _check_unique_ids(items: Sequence[Any], what: str) -> None:
    """Raise a `duplicate_id` error whose context says which items repeat an earlier id,
    so the loader can point at each duplicate's own line."""
    first: dict[str, int] = {}
    dupes: list[tuple[int, int, str]] = []  # (index, index of first use, id)
    for i, item in enumerate(items):
        if item.id in first:
            dupes.append((i, first[item.id], item.id))
        else:
            first[item.id] = i
    if dupes:
        ids = ", ".join(sorted({d[2] for d in dupes}))
        raise PydanticCustomError(
            "duplicate_id",
            "duplicate {what} id(s): {ids}",
            {"what": what, "ids": ids, "duplicates": dupes},
        )


# --- loading -------------------------------------------------------------------------
#
# Every problem becomes one line `{path}:{line}: {field.path}: {problem} — {fix hint}`,
# and all of a file's problems are reported at once in one `ScenarioError`.


# --- loading helpers -------------------------------------------------------------------
