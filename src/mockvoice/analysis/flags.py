"""Delivery and content flags. Every flag quotes the words it is about and when they were said.

The rules (filler words, vague endings, pace limits…) come from `data/delivery.yaml`, the same
for every scenario; which sections they look at are named there by section id.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from mockvoice.analysis.sections import Span
from mockvoice.clock import clock
from mockvoice.matching.phrases import compile_patterns, find
from mockvoice.matching.textnorm import Token, plain_words
from mockvoice.scenario.model import Budget, Section
from mockvoice.scenario.rules import DeliveryRules, PatternRule
from mockvoice.speech.transcript import Hesitation, Transcript, units


class FlagId(StrEnum):
    """Every flag id the analysis can raise: the `id` of a flag in session.json (the session
    document validates against this list; a new flag is a new member here). StrEnum: a member
    is its id string, so it compares, formats and serializes as the id itself."""

    WE_IN_ACTION = "we-in-action"
    NO_NUMBER_IN_RESULT = "no-number-in-result"  # one per section in delivery.yaml's numbers_required_in
    VAGUE_ENDING = "vague-ending"
    GENERIC_REFLECTION = "generic-reflection"
    FILLER = "filler"
    PACE_SLOW = "pace-slow"
    PACE_FAST = "pace-fast"
    LONG_PAUSE = "long-pause"
    SLOW_START = "slow-start"
    TOO_SHORT = "too-short"
    MISSING_SECTION = "missing-section"


# The names other modules test for (verdict, follow-ups, reports, the self-check), kept as aliases.
TOO_SHORT = FlagId.TOO_SHORT
MISSING_SECTION = FlagId.MISSING_SECTION
WE_IN_ACTION = FlagId.WE_IN_ACTION
VAGUE_ENDING = FlagId.VAGUE_ENDING
GENERIC_REFLECTION = FlagId.GENERIC_REFLECTION


@dataclass(frozen=True)
class Flag:
    id: str
    message: str
    at_s: float
    quote: str
    section: str | None = None


@dataclass(frozen=True)
class Delivery:
    words: int
    wpm: float
    fillers: int  # filler words in the transcript + hesitations heard in the audio
    filler_counts: dict[str, int]  # filler words in the transcript, by filler
    heard_fillers: dict[str, int]  # hesitations heard, not transcribed ("um"/"uh")
    longest_pause_s: float
    time_to_first_word_s: float
    speaking_s: float


def delivery_stats(transcript: Transcript, rules: DeliveryRules) -> Delivery:
    words = transcript.words
    speaking = words[-1].end - words[0].start
    counts = _filler_counts(transcript, rules)
    heard = _heard_counts(transcript)
    gaps = [b.start - a.end for a, b in itertools.pairwise(words)]
    return Delivery(
        words=len(words),
        wpm=round(len(words) / speaking * 60, 1) if speaking > 0 else 0.0,
        fillers=sum(counts.values()) + sum(heard.values()),
        filler_counts=counts,
        heard_fillers=heard,
        longest_pause_s=round(max(gaps, default=0.0), 2),
        time_to_first_word_s=round(words[0].start, 2),
        speaking_s=round(speaking, 2),
    )


def all_flags(
    transcript: Transcript,
    tokens: Sequence[Token],
    spans: Sequence[Span],
    rules: DeliveryRules,
    delivery: Delivery,
) -> list[Flag]:
    flags = [
        *content_flags(transcript, tokens, spans, rules),
        *filler_flags(transcript, rules),
        *pace_flags(transcript, rules, delivery),
    ]
    return sorted(flags, key=lambda f: f.at_s)


def content_flags(
    transcript: Transcript, tokens: Sequence[Token], spans: Sequence[Span], rules: DeliveryRules
) -> list[Flag]:
    """The flags about what was said, not how: "we" in the Action, no number in the Result, a
    vague ending, a generic reflection. `mockvoice.story` applies them to a written draft."""
    return [
        *plural_in_action(transcript, spans, rules),
        *no_number(transcript, tokens, spans, rules),
        *pattern_flags(
            VAGUE_ENDING,
            "Vague ending — say what changed, with a number",
            transcript,
            tokens,
            spans,
            rules.vague_endings,
        ),
        *pattern_flags(
            GENERIC_REFLECTION,
            "Generic reflection — name what this story taught you",
            transcript,
            tokens,
            spans,
            rules.generic_reflection,
        ),
    ]


def content_flag_ids(rules: DeliveryRules) -> frozenset[str]:
    """Every id `content_flags` can raise: what a story's draft checks already report."""
    numbers = {no_number_id(sid) for sid in rules.numbers_required_in}
    return frozenset({WE_IN_ACTION, VAGUE_ENDING, GENERIC_REFLECTION, *numbers})


def no_number_id(section_id: str) -> FlagId:
    """'no-number-in-result': the flag id of a section said without a number. Each section that
    delivery.yaml's `numbers_required_in` names has its member in FlagId (a test checks it)."""
    return FlagId(f"no-number-in-{section_id}")


def section_at(spans: Sequence[Span], t: float) -> str | None:
    for s in spans:
        if s.present and s.start <= t < s.end:  # type: ignore[operator]
            return s.id
    last = [s for s in spans if s.present]
    if last and t >= last[-1].end:  # type: ignore[operator]
        return last[-1].id
    return None


def plural_in_action(transcript: Transcript, spans: Sequence[Span], rules: DeliveryRules) -> list[Flag]:
    """One flag per sentence that says "we"/"they" inside a section that needs "I"."""
    wanted = {w.lower() for w in rules.plural_pronouns.words}
    sentences = [(u.first, u.last) for u in units(transcript)]  # once, not per pronoun
    flags, seen_units = [], set()
    for span in _spans(spans, rules.plural_pronouns.sections):
        for i in transcript.words_between(span.start, span.end):
            word = transcript.words[i]
            said = plain_words(word.text)
            if not said or said[0] not in wanted:
                continue
            unit = next((u for u in sentences if u[0] <= i <= u[1]), (i, i))
            if unit in seen_units:
                continue
            seen_units.add(unit)
            flags.append(
                Flag(
                    WE_IN_ACTION,
                    f'"{said[0]}" in the {span.id.title()} — say what you did: "I …"',
                    round(word.start, 2),
                    transcript.quote(*unit),
                    span.id,
                )
            )
    return flags


def no_number(
    transcript: Transcript, tokens: Sequence[Token], spans: Sequence[Span], rules: DeliveryRules
) -> list[Flag]:
    flags = []
    for span in _spans(spans, rules.numbers_required_in):
        idx = transcript.words_between(span.start, span.end)
        if not idx:
            continue
        if any(t.is_quantity and t.word_index in idx for t in tokens):  # not "in 2019", "3rd"
            continue
        last = min(idx.stop - 1, idx.start + 11)
        flags.append(
            Flag(
                no_number_id(span.id),
                f"No number in the {span.id.title()} — quantify the impact (a before/after, money, time)",
                round(transcript.words[idx.start].start, 2),
                transcript.quote(idx.start, last),
                span.id,
            )
        )
    return flags


def pattern_flags(
    flag_id: str,
    message: str,
    transcript: Transcript,
    tokens: Sequence[Token],
    spans: Sequence[Span],
    rule: PatternRule,
) -> list[Flag]:
    patterns = [p for text in rule.patterns for p in compile_patterns(text)]
    flags = []
    for span in _spans(spans, rule.sections):
        idx = transcript.words_between(span.start, span.end)
        local = [t for t in tokens if t.word_index in idx]
        for occ in find(patterns, local):
            flags.append(
                Flag(
                    flag_id,
                    message,
                    round(transcript.words[occ.first_word].start, 2),
                    transcript.quote(occ.first_word, occ.last_word),
                    span.id,
                )
            )
    return flags


def filler_flags(transcript: Transcript, rules: DeliveryRules) -> list[Flag]:
    """One flag per filler used, at its first use, with the count: filler words of the
    transcript, and the hesitations heard in the audio (Whisper writes no word for most)."""
    flags = heard_filler_flags(transcript)
    for filler, hits in _filler_hits(transcript, rules).items():
        first = hits[0]
        flags.append(
            Flag(
                FlagId.FILLER,
                f'Filler "{filler}" ×{len(hits)}',
                round(transcript.words[first].start, 2),
                transcript.quote(max(0, first - 3), first + 3),
            )
        )
    return flags


def heard_filler_flags(transcript: Transcript) -> list[Flag]:
    """One flag per hesitation heard ("um", "uh"), quoting the words around its first one with
    the hesitation put back in: "I pulled (um) the logs"."""
    flags = []
    for text in _heard_counts(transcript):
        mine = [h for h in transcript.fillers if h.text == text]
        flags.append(
            Flag(
                FlagId.FILLER,
                f'Filler "{text}" ×{len(mine)} (heard, not transcribed)',
                round(mine[0].start, 2),
                with_hesitation(transcript, mine[0]),
            )
        )
    return flags


def with_hesitation(transcript: Transcript, h: Hesitation, around: int = 3) -> str:
    """The words around a heard hesitation, with "(um)" where it was heard."""
    words = transcript.words
    after = next((i for i, w in enumerate(words) if w.start >= h.start), len(words))
    before = " ".join(w.text.strip() for w in words[max(0, after - around) : after])
    rest = " ".join(w.text.strip() for w in words[after : after + around])
    return " ".join(part for part in (before, f"({h.text})", rest) if part)


def pace_flags(transcript: Transcript, rules: DeliveryRules, d: Delivery) -> list[Flag]:
    words = transcript.words
    flags = []
    if d.wpm and d.wpm < rules.pace.slow_wpm:
        flags.append(
            Flag(
                FlagId.PACE_SLOW,
                f"Slow pace: {d.wpm:.0f} words/min (aim for "
                f"{rules.pace.slow_wpm:.0f}-{rules.pace.fast_wpm:.0f})",
                words[0].start,
                "",
            )
        )
    elif d.wpm > rules.pace.fast_wpm:
        flags.append(
            Flag(
                FlagId.PACE_FAST,
                f"Fast pace: {d.wpm:.0f} words/min (aim for "
                f"{rules.pace.slow_wpm:.0f}-{rules.pace.fast_wpm:.0f})",
                words[0].start,
                "",
            )
        )
    if words[0].start > rules.slow_start_s:
        flags.append(
            Flag(
                FlagId.SLOW_START,
                f"{words[0].start:.1f} s before the first word",
                0.0,
                transcript.quote(0, min(5, len(words) - 1)),
            )
        )
    for i, (a, b) in enumerate(itertools.pairwise(words)):
        gap = b.start - a.end
        if gap > rules.long_pause_s:
            flags.append(
                Flag(
                    FlagId.LONG_PAUSE,
                    f"{gap:.1f} s pause",
                    round(a.end, 2),
                    transcript.quote(max(0, i - 4), min(len(words) - 1, i + 4)),
                )
            )
    return flags


def section_min_s(section: Section, rules: DeliveryRules) -> float:
    """The shortest a section can be and be "ok": its own `min_s`, else target x under_ratio."""
    return section.min_s if section.min_s is not None else section.target_s * rules.timing.under_ratio


def budget_floor(budget: Budget, sections: Sequence[Section], rules: DeliveryRules) -> tuple[float, bool]:
    """The shortest answer a level accepts, and whether it was derived: the level's own minimum
    when its source gives one, else the sum of the sections' minimums (`section_min_s`: every
    section just long enough not to be "under"), never past the maximum, so the floor follows
    the scenario's targets instead of a second number."""
    if budget.min_s is not None:
        return budget.min_s, False
    return round(min(sum(section_min_s(s, rules) for s in sections), budget.max_s), 1), True


def answer_flags(
    transcript: Transcript, spans: Sequence[Span], names: Mapping[str, str], floor_s: float, max_s: float
) -> list[Flag]:
    """Flags about the answer as a whole: sections it never reached, and a total under the floor."""
    return [*missing_section_flags(transcript, spans, names), *too_short(transcript, floor_s, max_s)]


def missing_section_flags(
    transcript: Transcript, spans: Sequence[Span], names: Mapping[str, str]
) -> list[Flag]:
    """One flag per run of missing sections, at the words where they should have come: the end of
    the answer when it stopped early, else the start of the section heard next."""
    flags = []
    for run, before, after in _missing_runs(spans):
        missing = _joined([names.get(sid, sid.title()) for sid in run])
        if after is None:
            first, last = _ending(transcript)
            message = f"The answer ended before the {missing} — cover every STAR section"
        else:
            idx = transcript.words_between(after.start, after.end)  # type: ignore[arg-type]
            first = idx.start if idx else 0
            last = min(first + 7, len(transcript.words) - 1)
            lead = (
                f"the {names.get(before.id, before.id)} goes straight to"
                if before
                else "the answer opens with"
            )
            message = f"No {missing} — {lead} the {names.get(after.id, after.id)}"
        at = round(transcript.words[first].start, 2)
        flags.append(Flag(MISSING_SECTION, message, at, transcript.quote(first, last), run[0]))
    return flags


def too_short(transcript: Transcript, floor_s: float, max_s: float) -> list[Flag]:
    """A total speaking time under the level's floor, pointing at where the answer ended."""
    words = transcript.words
    speaking = words[-1].end - words[0].start
    if speaking >= floor_s:
        return []
    first, last = _ending(transcript)
    message = f"Short answer: {clock(speaking)} — aim for {clock(floor_s)}–{clock(max_s)}"
    return [Flag(TOO_SHORT, message, round(words[first].start, 2), transcript.quote(first, last))]


# --- helpers --------------------------------------------------------------------------------


def _missing_runs(spans: Sequence[Span]) -> list[tuple[list[str], Span | None, Span | None]]:
    """Runs of consecutive missing sections, each with the present span before and after it."""
    runs: list[tuple[list[str], Span | None, Span | None]] = []
    before: Span | None = None
    run: list[str] = []
    for span in spans:
        if not span.present:
            run.append(span.id)
            continue
        if run:
            runs.append((run, before, span))
            run = []
        before = span
    if run and before is not None:  # nothing heard at all is not a missing section
        runs.append((run, before, None))
    return runs


def _ending(transcript: Transcript, most: int = 12) -> tuple[int, int]:
    """The words the answer ended on: its last sentence, at most `most` words of it."""
    last = len(transcript.words) - 1
    sentences = units(transcript)
    start = sentences[-1].first if sentences else last
    return max(start, last - most + 1), last


def _joined(names: Sequence[str]) -> str:
    """'Task', 'Task and Action', 'Task, Action and Result'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _spans(spans: Sequence[Span], wanted: Sequence[str]) -> list[Span]:
    return [s for s in spans if s.present and s.id in wanted]


def _filler_hits(transcript: Transcript, rules: DeliveryRules) -> dict[str, list[int]]:
    """Word index of each filler occurrence; multi-word fillers ("you know") match in sequence."""
    words = [(plain_words(w.text) or [""])[0] for w in transcript.words]
    hits: dict[str, list[int]] = {}
    for filler in [*rules.hesitations, *rules.fillers]:
        parts = filler.lower().split()
        for i in range(len(words) - len(parts) + 1):
            if words[i : i + len(parts)] == parts:
                hits.setdefault(filler, []).append(i)
    return hits


def _heard_counts(transcript: Transcript) -> dict[str, int]:
    counts: dict[str, int] = {}
    for h in transcript.fillers:
        counts[h.text] = counts.get(h.text, 0) + 1
    return counts


def _filler_counts(transcript: Transcript, rules: DeliveryRules) -> dict[str, int]:
    return {k: len(v) for k, v in _filler_hits(transcript, rules).items()}
