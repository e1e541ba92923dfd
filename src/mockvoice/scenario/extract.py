"""Suggest key phrases from a candidate's own written story.

A key phrase is only useful if the candidate will say it nearly word for word, so every
suggestion is a short span (3-8 words) copied from their own text, of one of four kinds:

- **number**: a metric with its context ("4% of checkout requests failed", "from 6 weeks to
  2 days"); years on their own ("in 2021") are not metrics;
- **action**: an "I <verb> …" clause ("I pulled three weeks of gateway traces") — never one
  whose credit is shared ("my lead and I wrote …"), which the matcher would not count anyway;
- **ownership**: a scope or ownership statement ("not my team", "nobody had opened a ticket",
  "outside my team's scope", "across three teams");
- **insight**: the Reflection's lesson, with its lead-in ("Looking back, I learned that …") cut.

Which kinds come first, and how many phrases a section gets, depends on the section (the
Action is about "I" clauses, the Result about numbers). Every suggestion is checked against
its own text with the real matcher, so a suggestion is always findable when the text is said.

Numbers: the matcher compares numbers by value and unit (`mockvoice.numbers`): "40%" is "forty
percent", "$1.2M" is "1.2 million dollars", "3x" is "three times", "900ms" is "0.9 seconds".
`number_variants` adds only the spoken forms it does not read ("10k rps" → "10k requests per
second"), and drops any variant the label already matches.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mockvoice.matching.phrases import PARTNERS, compile_patterns, find
from mockvoice.matching.textnorm import STOPWORDS, normalize, normalize_text, stem
from mockvoice.scenario.model import KeyPhrase


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


MIN_WORDS = 3
MAX_WORDS = 8
NUMBER_LEFT = 2  # words of context before a number
NUMBER_RIGHT = 4  # and after it
NUMBER_GROUP_GAP = 3  # numbers this close share one phrase ("from 4% to under 0.1%")
ACTION_WORDS = 7  # "I" and up to six more words
OWNERSHIP_WORDS = 6

# Per section: the kinds in order of preference, and how many phrases at most.
PLAN: dict[str, tuple[tuple[str, ...], int]] = {
    "situation": (("ownership", "number", "action"), 4),
    "task": (("ownership", "action", "number"), 4),
    "action": (("action", "number", "ownership"), 6),
    "result": (("number", "ownership", "action"), 4),
    "reflection": (("insight", "action", "number"), 3),
}
DEFAULT_PLAN = (("number", "ownership", "action", "insight"), 4)

CONJUNCTIONS = _set(
    "and but so which because while when whereas although though after before until since then where who or"
)
HEDGES = _set("about roughly around approximately nearly almost some over just")
# Words a phrase does not start or end on (they carry nothing a listener ticks off).
EDGE = _set(
    "the a an and or of to in on at for with by from that which who it its this these those each every "
    "per as so but than into onto then also just very really was were is are be been had has have "
    "about roughly around approximately nearly almost some over"
)
KEEP_LEADING = frozenset(["from", "over"])  # "from 6 weeks to 2 days" keeps its "from"
ADVERBS = _set("also then first then personally immediately eventually finally later still even just")
NOT_ACTIONS = _set(
    "think guess mean believe hope suppose know knew am was wish would could should might must can will "
    "don't didn't"
)
INSIGHT_LEADS = re.compile(
    r"^(?:in retrospect|looking back|in hindsight|on reflection|next time"
    r"|the (?:big |main |key |real )?(?:lesson|takeaway|learning)(?: i took away| for me)?(?: was| is)?"
    r"|what i (?:learned|took away)(?: was| is)?|this taught me|it taught me"
    r"|i(?:'ve)? (?:learned|realized|realised|understood|discovered|saw|now (?:know|understand|believe|see))"
    r")\b[,:]?\s*(?:that\s+)?",
    re.IGNORECASE,
)
INSIGHT_CUT = _set("is are was were can could should must will would")
# A phrase that must be shortened ends before one of these, so it never ends "… lead through".
BREAKS = _set(
    "to in on at for with by from through behind into onto of that who which than across after before "
    "during within without under over via using"
)
# Words that introduce a subordinate clause: "where I got stuck" is not an action.
SUBORDINATORS = _set("where when whenever if because before after until while as that once since")
UNITS = (("end", "to", "end"), ("side", "by", "side"), ("step", "by", "step"), ("one", "by", "one"))
LEFT_STOPS = _set("that which who than and but the")
YEAR = re.compile(r"^(?:19|20)\d\d$")
SPELLED_METRIC_UNITS = _set("% usd eur gbp x")
FRACTION_WORDS = _set("half quarter a an")


@dataclass(frozen=True)
class _Word:
    raw: str  # as written, punctuation attached
    low: str  # lowercased, outer punctuation stripped
    ends_clause: bool


@dataclass(frozen=True)
class Suggestion:
    """A suggested phrase: the words [start, end) of its section, and what kind it is."""

    phrase: str
    kind: str
    start: int
    end: int


# --- words and clauses -------------------------------------------------------------------


def _words(text: str) -> list[_Word]:
    out: list[_Word] = []
    for raw in text.split():
        if raw in ("-", "–", "—", "--"):
            if out:
                out[-1] = _Word(out[-1].raw, out[-1].low, True)
            continue
        low = raw.strip(".,;:!?\"'“”‘’()[]").lower().replace("’", "'")
        ends = raw.endswith((",", ";", ":", ".", "!", "?", ")", "—")) or raw.rstrip("\"”’'").endswith(
            (".", "!", "?", ",")
        )
        if low:
            out.append(_Word(raw, low, ends))
    return out


def _clauses(words: Sequence[_Word]) -> list[range]:
    """Stretches between punctuation and conjunctions; a conjunction starts the next clause."""
    out, start = [], 0
    for i, w in enumerate(words):
        if w.low in CONJUNCTIONS and i > start:
            out.append(range(start, i))
            start = i
        if w.ends_clause:
            out.append(range(start, i + 1))
            start = i + 1
    if start < len(words):
        out.append(range(start, len(words)))
    return out


def _clause_of(clauses: Sequence[range], i: int) -> range:
    return next(c for c in clauses if i in c)


def _trim(words: Sequence[_Word], lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and words[lo].low in EDGE and words[lo].low not in KEEP_LEADING:
        lo += 1
    while lo < hi and (words[hi - 1].low in EDGE or words[hi - 1].low in CONJUNCTIONS):
        hi -= 1
    return lo, hi


def _fit(words: Sequence[_Word], lo: int, hi: int, cap: int) -> tuple[int, int]:
    """Shorten [lo, hi) to at most `cap` words, ending before the last break word that leaves at
    least `MIN_WORDS`; never inside "end to end"; then trim the edges."""
    if hi - lo > cap:
        cuts = [j for j in range(lo + MIN_WORDS, lo + cap + 1) if words[j].low in BREAKS]
        hi = cuts[-1] if cuts else lo + cap
        for unit in UNITS:
            n = len(unit)
            for start in range(max(lo, hi - n + 1), hi):
                if tuple(w.low for w in words[start : start + n]) == unit and start + n > hi:
                    hi = start
    return _trim(words, lo, hi)


def _text(words: Sequence[_Word], lo: int, hi: int) -> str:
    return " ".join(w.raw for w in words[lo:hi]).strip('.,;:!?"“”()[] —–-')


def _content_words(words: Sequence[_Word], lo: int, hi: int) -> int:
    return sum(1 for w in words[lo:hi] if stem(w.low) not in STOPWORDS)


# --- the four kinds ------------------------------------------------------------------------


def _metric_indexes(words: Sequence[_Word]) -> list[int]:
    """Words starting a number that is a metric: a quantity (not a year, an ordinal or a name such
    as SDE2, p99), not a bare year-like "2021", and written in digits unless it is a spelled-out
    percent, amount or multiplier ("forty percent"): a story's "two quarters", "half of them"
    and "one page" are prose, not results."""
    out = set()
    for t in normalize([w.raw for w in words]):
        low = words[t.word_index].low
        if not t.is_quantity or (not t.unit and YEAR.match(low)):
            continue
        if any(ch.isdigit() for ch in low) or (t.unit in SPELLED_METRIC_UNITS and low not in FRACTION_WORDS):
            out.add(t.word_index)
    return sorted(out)


def _numbers(words: Sequence[_Word], clauses: Sequence[range]) -> list[tuple[int, int]]:
    spans = []
    indexes = _metric_indexes(words)
    groups: list[list[int]] = []
    for i in indexes:
        if (
            groups
            and i - groups[-1][-1] <= NUMBER_GROUP_GAP
            and _clause_of(clauses, i) == _clause_of(clauses, groups[-1][-1])
        ):
            groups[-1].append(i)
        else:
            groups.append([i])
    for group in groups:
        clause = _clause_of(clauses, group[0])
        lo, hi = group[0], group[-1] + 1
        for _ in range(NUMBER_LEFT):
            if lo - 1 < clause.start or words[lo - 1].low in HEDGES or words[lo - 1].low in LEFT_STOPS:
                break
            lo -= 1
        core_end = hi
        hi = min(clause.stop, hi + NUMBER_RIGHT, lo + MAX_WORDS)
        lo, hi = _trim(words, lo, hi)
        cut_short = hi < len(words) and not words[hi - 1].ends_clause  # the sentence goes on
        if cut_short and hi - 2 >= core_end and words[hi - 2].low in BREAKS:
            lo, hi = _trim(words, lo, hi - 2)  # "6 weeks of back" → "6 weeks"
        spans.append((lo, hi))
    return spans


def _actions(words: Sequence[_Word], clauses: Sequence[range]) -> list[tuple[int, int]]:
    spans = []
    for i, w in enumerate(words):
        if w.low not in ("i", "i've", "i'd"):
            continue
        if i >= 2 and words[i - 1].low == "and" and stem(words[i - 2].low) in PARTNERS:
            continue  # "my lead and I wrote": shared credit
        if i >= 1 and words[i - 1].low in SUBORDINATORS and not words[i - 1].ends_clause:
            continue  # "where I got stuck"
        v = i + 1
        while v < len(words) and (words[v].low in ADVERBS or words[v].low.endswith("ly")):
            v += 1
        if v >= len(words) or words[v].low in NOT_ACTIONS or words[v - 1].ends_clause:
            continue
        stop = _clause_of(clauses, v).stop
        for j in range(v + 1, stop):  # the I-clause ends at the next conjunction
            if words[j].low in CONJUNCTIONS:
                stop = j
                break
        lo, hi = _fit(words, i, stop, ACTION_WORDS)
        if hi - lo >= MIN_WORDS and _content_words(words, lo, hi) >= 2:
            spans.append((lo, hi))
    return spans


def _ownership(words: Sequence[_Word], clauses: Sequence[range]) -> list[tuple[int, int]]:
    spans = []
    for i, w in enumerate(words):
        nxt = words[i + 1].low if i + 1 < len(words) else ""
        cue = (
            w.low in ("nobody", "no-one", "none")
            or (w.low == "no" and nxt != "")
            or (w.low in ("not", "wasn't", "isn't", "weren't") and nxt in ("my", "our", "part", "in"))
            or (w.low == "outside" and nxt in ("my", "our", "the", "of"))
            or (w.low == "across" and nxt != "")
            or (w.low == "without" and nxt in ("being", "a", "any", "formal", "an"))
        )
        if not cue or (i > 0 and words[i - 1].low == "no" and w.low == "one"):
            continue
        clause = _clause_of(clauses, i)
        hi = clause.stop
        for j in range(i + 2, hi):
            if words[j].low in CONJUNCTIONS and words[j].low != "or":
                hi = j
                break
        lo, hi = _fit(words, i, hi, OWNERSHIP_WORDS)
        if hi - lo < MIN_WORDS and lo > clause.start and words[lo - 1].low not in EDGE:
            lo -= 1  # "not my team" is short but whole; "team, not mine" borrows a word
        if hi - lo >= MIN_WORDS - 1 and _content_words(words, lo, hi) >= 1:
            spans.append((lo, hi))
    return spans


def _insights(text: str, words: Sequence[_Word]) -> list[tuple[int, int]]:
    """The lesson of each sentence that announces one ("Looking back, I learned that …")."""
    spans = []
    offset = 0
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        n = len(_words(sentence))
        rest, stripped = sentence, False
        while m := INSIGHT_LEADS.match(rest):
            if not m.group(0):
                break
            rest, stripped = rest[m.end() :], True
        if stripped and rest.strip():
            lo = offset + (n - len(_words(rest)))
            hi = offset + n
            lo, hi = _trim(words, lo, hi)
            if hi - lo > MAX_WORDS:
                cut = next((j for j in range(lo + MIN_WORDS, hi) if words[j].low in INSIGHT_CUT), None)
                lo, hi = (
                    _trim(words, lo, cut) if cut and cut - lo <= MAX_WORDS else _fit(words, lo, hi, MAX_WORDS)
                )
            if hi - lo >= MIN_WORDS:
                spans.append((lo, hi))
        offset += n
    return spans


# --- suggestions ---------------------------------------------------------------------------


def suggestions(section_id: str, text: str) -> list[Suggestion]:
    """The suggested phrases of one section's text, in text order."""
    words = _words(text)
    if not words:
        return []
    clauses = _clauses(words)
    found = {
        "number": _numbers(words, clauses),
        "action": _actions(words, clauses),
        "ownership": _ownership(words, clauses),
        "insight": _insights(text, words),
    }
    kinds, cap = PLAN.get(section_id, DEFAULT_PLAN)
    tokens = normalize_text(text)
    taken: list[Suggestion] = []
    seen: set[str] = set()
    for kind in kinds:
        for lo, hi in found[kind]:
            if len(taken) == cap:
                break
            phrase = _text(words, lo, hi)
            if not phrase or phrase.lower() in seen or any(lo < s.end and s.start < hi for s in taken):
                continue
            if not find(compile_patterns(phrase), tokens):
                continue  # never suggest what the matcher would not find in the text itself
            seen.add(phrase.lower())
            taken.append(Suggestion(phrase, kind, lo, hi))
    return sorted(taken, key=lambda s: s.start)


def suggest(section_id: str, text: str) -> list[KeyPhrase]:
    """Key phrases for a section: the suggestions, each with its number variants."""
    return [with_variants(s.phrase) for s in suggestions(section_id, text)]


def with_variants(phrase: str, variants: Sequence[str] = ()) -> KeyPhrase:
    """A key phrase with its given variants plus the number variants the matcher needs."""
    extra = [v for v in number_variants(phrase) if v not in variants]
    return KeyPhrase(phrase=phrase, variants=[*variants, *extra])


# --- number variants -----------------------------------------------------------------------

# Abbreviations the normalizer leaves as words, as a speaker (and Whisper) says them.
_SPOKEN = {"rps": "requests per second", "qps": "queries per second"}
_ABBREVIATION = re.compile(r"(?<![a-zA-Z])(" + "|".join(_SPOKEN) + r")\b", re.IGNORECASE)


def _spoken(label: str) -> str:
    """The label with the abbreviations the normalizer does not read spelled out."""
    return " ".join(_ABBREVIATION.sub(lambda m: " " + _SPOKEN[m[1].lower()], label).split())


def number_variants(label: str) -> list[str]:
    """Spoken forms of the label's numbers that the matcher would not already accept. The
    normalizer reads "3x", "$1.2M", "900ms", "2.5 days" and "two" by value, so these are rare."""
    if not any(ch.isdigit() for ch in label):
        return []
    patterns = compile_patterns(label)
    spoken = _spoken(label)
    if spoken == label or find(patterns, normalize_text(spoken)):
        return []
    return [spoken]
