"""The phrase rules (data/phrase_rules.yaml) as other ways of writing a key phrase.

A coach writes the rules, not code: synonyms of the few words that carry a phrase, sentence
shapes ("I X" → "I was able to X", "my X" → "the X I wrote"), the words that deny a phrase
and who else an action can be given to. This module only expands them into plain strings
(each with the name of the rule that made it), so the matcher treats a paraphrase exactly
like a variant written in the scenario file, and the scorecard can say which rule applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

MAX_REWRITES = 3  # rules applied one after the other to make one paraphrase
MAX_SWAPS = 2  # of them word swaps ("quick sync" → "short meeting"); at most one is a shape
MAX_PER_PHRASE = 400  # a cap on the strings one phrase expands to (matching time grows with it)


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Form(_Rules):
    name: str
    from_: str = Field(alias="from")
    to: list[str]


class Negation(_Rules):
    window: int
    words: list[str]
    forms: list[Form]
    clause_words: list[str]
    except_: list[str] = Field(alias="except")
    antonyms: list[tuple[str, str]]


class PhraseRules(_Rules):
    synonyms: list[list[str]]
    forms: list[Form]
    negation: Negation
    others: dict[str, list[str]]


@dataclass(frozen=True)
class Rewrite:
    """Another way of saying a phrase, and why it means the same (or, for a near-hit, the
    opposite: `rule` then names what changed)."""

    text: str
    rule: str
    kind: str = "paraphrase"  # or, for a near-hit: "negated", "reversed", "someone-else"
    # Made by a sentence shape (a form): its word order is part of the rule. Word swaps keep
    # the phrase's own freedom of order.
    shaped: bool = False
    swapped: tuple[str, ...] = ()  # the words a swap put in: never swapped again


@cache
def rules() -> PhraseRules:
    import yaml

    text = resources.files("mockvoice").joinpath("data/phrase_rules.yaml").read_text(encoding="utf-8")
    return PhraseRules.model_validate(yaml.safe_load(text))


@cache
def paraphrases(phrase: str) -> tuple[Rewrite, ...]:
    """Every string the rules make of `phrase` with up to MAX_REWRITES rewrites, first the
    single rewrites (so the rule named is the simplest one that explains what was heard)."""
    seen = {_plain(phrase)}
    out: list[Rewrite] = []
    frontier = [Rewrite(_plain(phrase), "")]
    for _ in range(MAX_REWRITES):
        nxt = []
        for base in frontier:
            for text, rule, put_in in _one_rewrite(base.text, base.swapped):
                shaped = put_in is None
                too_many = (shaped and base.shaped) or (not shaped and len(base.swapped) >= MAX_SWAPS)
                if text in seen or too_many:
                    continue
                seen.add(text)
                made = Rewrite(
                    text,
                    f"{base.rule}; {rule}" if base.rule else rule,
                    shaped=shaped or base.shaped,
                    swapped=base.swapped if put_in is None else (*base.swapped, put_in),
                )
                out.append(made)
                nxt.append(made)
                if len(out) >= MAX_PER_PHRASE:
                    return tuple(out)
        frontier = nxt
    return tuple(out)


@cache
def near_misses(phrase: str) -> tuple[Rewrite, ...]:
    """The phrase with a word reversed ("rejected my pattern") or the action given to someone
    else ("we traced"): heard, these are shown as a miss with their quote, never counted."""
    text = _plain(phrase)
    out = [
        Rewrite(new, f"“{b}” reverses “{a}”", "reversed")
        for a, b in rules().negation.antonyms
        for new in _substitute(text, a.lower(), b.lower())
    ]
    out += [Rewrite(new, rule, "negated", True) for new, rule in _apply_forms(text, rules().negation.forms)]
    for owner, others in rules().others.items():
        for other in others:
            out += [
                Rewrite(new, f"“{other}”, not “{owner}”", "someone-else")
                for new in _substitute(text, owner.lower(), other.lower())
            ]
    return tuple(out)


def _one_rewrite(text: str, fresh: tuple[str, ...]) -> list[tuple[str, str, str | None]]:
    """(text, rule, the words a swap put in — None for a form) for every single rewrite of
    `text`. Words an earlier swap put in (`fresh`) are not swapped again, so a meaning never
    chains from group to group ("submitted" → "raised" → "improved")."""
    out: list[tuple[str, str, str | None]] = []
    for group in rules().synonyms:
        members = [m.lower() for m in group]
        for a in members:
            if a in fresh:
                continue
            for b in members:
                if a != b:
                    out += [(new, f"“{b}” for “{a}”", b) for new in _substitute(text, a, b)]
    return out + [(new, rule, None) for new, rule in _apply_forms(text, rules().forms)]


def _apply_forms(text: str, forms: list[Form]) -> list[tuple[str, str]]:
    out = []
    for form in forms:
        for m in _form_regex(_plain(form.from_)).finditer(text):
            for to in form.to:
                filled = _plain(to).format(**m.groupdict())
                out.append((text[: m.start()] + filled + text[m.end() :], form.name))
    return out


def _substitute(text: str, old: str, new: str) -> list[str]:
    """`text` with each whole-word occurrence of `old` replaced (one at a time) by `new`."""
    return [
        text[: m.start()] + new + text[m.end() :]
        for m in re.finditer(rf"(?<![\w']){re.escape(old)}(?![\w'])", text)
    ]


@cache
def _form_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    body = "".join(re.escape(p) if i % 2 == 0 else rf"(?P<{p}>[\w$%.,-]+)" for i, p in enumerate(parts))
    return re.compile(rf"(?<![\w']){body}(?![\w'])")


def _plain(text: str) -> str:
    """Lowercase, typographic apostrophes made plain, single spaces: the form rules apply to."""
    return " ".join(text.replace("’", "'").lower().split())
