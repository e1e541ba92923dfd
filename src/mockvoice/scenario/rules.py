"""The rules as data, validated once: the delivery rules (`data/delivery.yaml`: timing ratios,
pace range, fillers, the words and patterns the flags look for; read by the flags, the filler
detector and the story checks alike) and the ownership words (`data/ownership.yaml`: who did
the work in a follow-up answer; read by the follow-up judge).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, field_validator


class StrictRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Timing(StrictRules):
    over_ratio: float
    under_ratio: float


class Pace(StrictRules):
    slow_wpm: float
    fast_wpm: float


class WordRule(StrictRules):
    sections: list[str]
    words: list[str]


class PatternRule(StrictRules):
    sections: list[str]
    patterns: list[str]


class DeliveryRules(StrictRules):
    timing: Timing
    pace: Pace
    long_pause_s: float
    slow_start_s: float
    hesitations: list[str]
    fillers: list[str]
    plural_pronouns: WordRule
    numbers_required_in: list[str]
    vague_endings: PatternRule
    generic_reflection: PatternRule


class OwnershipWords(StrictRules):
    """data/ownership.yaml: each list a YAML list or one string of words split on spaces."""

    first_person: frozenset[str]
    shared: frozenset[str]
    others: frozenset[str]
    aux: frozenset[str]
    modals: frozenset[str]
    modal_to: frozenset[str]
    negations: frozenset[str]
    conjunctions: frozenset[str]
    objects: frozenset[str]
    routing: frozenset[str]  # the following four are stemmed by the reader
    fix_words: frozenset[str]
    hedges: frozenset[str]
    work: frozenset[str]
    extra_stopwords: frozenset[str]

    @field_validator("*", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        return value.split() if isinstance(value, str) else value


def _data(name: str) -> object:
    import yaml

    text = resources.files("mockvoice").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def default_rules() -> DeliveryRules:
    return DeliveryRules.model_validate(_data("delivery.yaml"))


@cache
def ownership_words() -> OwnershipWords:
    return OwnershipWords.model_validate(_data("ownership.yaml"))


def speaking_pace(rules=None) -> float:
    """A normal speaking pace: the middle of delivery.yaml's pace range (words per minute)."""
    rules = rules or default_rules()
    return (rules.pace.slow_wpm + rules.pace.fast_wpm) / 2
