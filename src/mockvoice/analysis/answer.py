"""Analyze a transcript against a scenario: pure data in, pure data out.

The result is an `AnswerAnalysis` (analysis/results.py): the analysis part of `session.json`
as typed parts (see docs/session-schema.md), so the CLI, the session store, the verdict and
later reviews all read the same document, by attribute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from mockvoice.analysis import sections as sectioning
from mockvoice.analysis.flags import all_flags, answer_flags, budget_floor, delivery_stats, section_at
from mockvoice.analysis.results import (
    AnswerAnalysis,
    DeliveryStats,
    FlagResult,
    HeardFiller,
    KeyPhraseResult,
    LevelExpectations,
    PrincipleFraming,
    SectionResult,
    TotalTime,
    saved_words,
)
from mockvoice.analysis.results import Transcript as SavedTranscript
from mockvoice.analysis.sections import Span
from mockvoice.errors import UsageError
from mockvoice.matching.phrases import Heard, Hit, judge
from mockvoice.matching.textnorm import Token, normalize
from mockvoice.scenario.model import Scenario
from mockvoice.scenario.rules import DeliveryRules, default_rules
from mockvoice.speech.transcript import Transcript, clause_breaks


def analyze(
    transcript: Transcript,
    scenario: Scenario,
    *,
    marks: Sequence[float] | None = None,
    level: str | None = None,
    principle: str | None = None,
    rules: DeliveryRules | None = None,
    in_progress: bool = False,
) -> AnswerAnalysis:
    """The analysis part of a session document (no file names, no dates)."""
    rules = rules or default_rules()
    lvl = _level(scenario, level)
    scenario = scenario.at_level(lvl.id)  # the level's own key phrases join the sections'
    lp = _principle(scenario, principle)
    tokens = normalize([w.text for w in transcript.words])
    occurrences = _phrase_hits(scenario, tokens, clause_breaks(transcript))
    if marks:
        spans = sectioning.from_marks(transcript, [s.id for s in scenario.sections], marks)
    else:
        hits = {
            sid: [h.occurrence.first_token for found in by_phrase.values() for h in found if h.counted]
            for sid, by_phrase in occurrences.items()
        }
        expected = scenario.total_target_s if in_progress else None
        spans = sectioning.automatic(transcript, scenario, tokens, hits, expected)
    delivery = delivery_stats(transcript, rules)
    flags = all_flags(transcript, tokens, spans, rules, delivery)
    floor, derived = budget_floor(lvl.budget, scenario.sections, rules)
    # A live answer has not ended yet, and a one-section scenario is a drilled section
    # (rehearse.section_attempt): the whole answer's floor and sections do not apply to either.
    if not in_progress and len(scenario.sections) > 1:
        names = {s.id: s.name for s in scenario.sections}
        flags = sorted(
            [*flags, *answer_flags(transcript, spans, names, floor, lvl.budget.max_s)], key=lambda f: f.at_s
        )
    speaking = delivery.speaking_s
    return AnswerAnalysis(
        scenario=scenario.id,
        scenario_title=scenario.title,
        question=scenario.question,
        level=lvl.id,
        principle=lp.id if lp else None,
        marks=list(marks) if marks else None,
        sectioning="marks" if marks else "automatic",
        duration_s=round(transcript.duration_s, 2),
        transcript=SavedTranscript(
            text=transcript.text,
            model=transcript.model,
            language=transcript.language,
            words=saved_words(transcript.words),
            fillers=[  # hesitations heard in the audio, with no word in `words`
                HeardFiller(text=h.text, start=round(h.start, 2), end=round(h.end, 2))
                for h in transcript.fillers
            ],
        ),
        sections=_section_results(scenario, spans, rules),
        key_phrases=_phrase_results(scenario, transcript, spans, occurrences),
        flags=[FlagResult(**asdict(f)) for f in flags],
        delivery=DeliveryStats(**asdict(delivery)),
        total=TotalTime(
            speaking_s=speaking,
            budget_min_s=floor,
            budget_min_derived=derived,  # no minimum in the source: derived from the targets
            budget_max_s=lvl.budget.max_s,
            budget_text=lvl.budget.text,
            verdict=_budget_verdict(speaking, floor, lvl.budget.max_s),
        ),
        level_expectations=LevelExpectations(
            name=lvl.name, focus=lvl.focus, reflection=lvl.reflection, bar=lvl.bar
        ),
        principle_framing=PrincipleFraming(**lp.model_dump()) if lp else None,
    )


def check_options(scenario: Scenario, level: str | None, principle: str | None) -> None:
    """Raise the --level/--lp UsageError now, before anything is recorded."""
    _level(scenario, level)
    _principle(scenario, principle)


def _level(scenario: Scenario, level: str | None):
    try:
        return scenario.level(level)
    except KeyError:
        known = ", ".join(lv.id for lv in scenario.levels)
        raise UsageError(
            f"--level: unknown level {level!r} for {scenario.id} — use one of: {known}"
        ) from None


def _principle(scenario: Scenario, principle: str | None):
    if principle is None:
        return None
    try:
        return scenario.principle(principle)
    except KeyError:
        known = ", ".join(p.id for p in scenario.principles) or "(none in this scenario)"
        raise UsageError(f"--lp: unknown leadership principle {principle!r} — use one of: {known}") from None


def _phrase_hits(
    scenario: Scenario, tokens: Sequence[Token], breaks: frozenset[int]
) -> dict[str, dict[str, list[Hit]]]:
    """section id → phrase label → where it (or a near-hit of it) was heard."""
    heard = Heard(tokens)
    return {
        s.id: {kp.phrase: judge(kp.phrase, kp.variants, heard, breaks) for kp in s.key_phrases}
        for s in scenario.sections
    }


def _section_results(scenario: Scenario, spans: Sequence[Span], rules: DeliveryRules) -> list[SectionResult]:
    out = []
    for section, span in zip(scenario.sections, spans, strict=True):
        duration = round(span.end - span.start, 2) if span.present else None  # type: ignore[operator]
        out.append(
            SectionResult(
                id=section.id,
                name=section.name,
                start_s=round(span.start, 2) if span.present else None,
                end_s=round(span.end, 2) if span.present else None,  # type: ignore[arg-type]
                duration_s=duration,
                target_s=section.target_s,
                verdict=section_verdict(duration, section.target_s, rules, section.min_s),
            )
        )
    return out


def section_verdict(
    duration: float | None, target: float, rules: DeliveryRules, min_s: float | None = None
) -> str:
    """ok, over, under or missing: a section's time against its target, and its own minimum
    when it has one (the draft checks use it too)."""
    if duration is None:
        return "missing"
    if duration > target * rules.timing.over_ratio:
        return "over"
    if duration < (min_s if min_s is not None else target * rules.timing.under_ratio):
        return "under"
    return "ok"


def _budget_verdict(speaking: float, low: float, high: float) -> str:
    """ok, over or short: the whole answer's time against the level's floor and maximum."""
    if speaking > high:
        return "over"
    if speaking < low:
        return "short"
    return "ok"


def _phrase_results(
    scenario: Scenario,
    transcript: Transcript,
    spans: Sequence[Span],
    occurrences: dict[str, dict[str, list[Hit]]],
) -> list[KeyPhraseResult]:
    out = []
    for section in scenario.sections:
        for kp in section.key_phrases:
            found = occurrences[section.id][kp.phrase]
            chosen = _prefer_in_section([h for h in found if h.counted], section.id, transcript, spans)
            chosen = chosen or _prefer_in_section(found, section.id, transcript, spans)
            out.append(phrase_result(kp.phrase, section.id, chosen, transcript, spans))
    return out


def phrase_result(
    phrase: str, section_id: str, hit: Hit | None, transcript: Transcript, spans: Sequence[Span] = ()
) -> KeyPhraseResult:
    """How one key phrase of a section was judged, as session.json keeps it: `found` (counted),
    `match` (exact, variant, paraphrase, or the near-hit that was not counted: negated, reversed,
    someone-else, shared), `why` in words, and the quote with its time and section."""
    if hit is None:
        return KeyPhraseResult(
            phrase=phrase,
            section=section_id,
            found=False,
            match=None,
            why=None,
            said_in=None,
            at_s=None,
            heard=None,
        )
    at = transcript.words[hit.first_word].start
    return KeyPhraseResult(
        phrase=phrase,
        section=section_id,
        found=hit.counted,
        match=hit.match,
        why=explain(hit, transcript),
        said_in=section_at(spans, at) if spans else None,
        at_s=round(at, 2),
        heard=transcript.quote(hit.first_word, hit.last_word),
    )


def explain(hit: Hit, transcript: Transcript) -> str | None:
    """Why a hit was or was not counted, in the candidate's terms."""
    if hit.match == "negated":
        word = transcript.words[hit.negation_word] if hit.negation_word is not None else None
        said = word.text.strip(" ,.;:!?") if word else ""
        return f"“{said}” denies it" if said else "denied"
    return WHY.get(hit.match, "{rule}").format(rule=hit.why) or None


WHY = {
    "exact": "",
    "variant": "",
    "paraphrase": "in other words ({rule})",
    "reversed": "{rule}",
    "someone-else": "{rule}: say what you did",
    "shared": "{rule}",
}


def _prefer_in_section(
    hits: Sequence[Hit], section_id: str, transcript: Transcript, spans: Sequence[Span]
) -> Hit | None:
    """The first hit inside its own section, else the first anywhere."""
    for h in hits:
        if section_at(spans, transcript.words[h.first_word].start) == section_id:
            return h
    return hits[0] if hits else None
