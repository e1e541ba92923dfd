"""The delivery rules (`data/delivery.yaml`): timing ratios, pace range, fillers, the words and
patterns the flags look for. Data, validated once; read by the flags, the filler detector and
the story checks alike.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict


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


@cache
def default_rules() -> DeliveryRules:
    import yaml

    text = resources.files("mockvoice").joinpath("data/delivery.yaml").read_text(encoding="utf-8")
    return DeliveryRules.model_validate(yaml.safe_load(text))


def speaking_pace(rules=None) -> float:
    """A normal speaking pace: the middle of delivery.yaml's pace range (words per minute)."""
    rules = rules or default_rules()
    return (rules.pace.slow_wpm + rules.pace.fast_wpm) / 2
