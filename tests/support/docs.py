"""Hand-made analyzed answers (`AnswerAnalysis`, the analysis part of session.json), for tests of
the verdict, the follow-ups and the text the candidate reads (no model, no audio)."""

from __future__ import annotations

from mockvoice.analysis.results import (
    AnswerAnalysis,
    DeliveryStats,
    FlagResult,
    KeyPhraseResult,
    LevelExpectations,
    PrincipleFraming,
    SectionResult,
    TotalTime,
    Transcript,
)


def make_doc(scenario, found=None, flags=(), missing=(), principle=None) -> AnswerAnalysis:
    """An analyzed answer with no words (the quotes are the flags' and phrases' own). `found`:
    phrase labels said (default: all); `flags`: (id, quote, at_s, section) tuples; `missing`:
    section ids not found; `principle`: the name of the principle given with --lp."""
    labels = {kp.phrase for s in scenario.sections for kp in s.key_phrases}
    found = labels if found is None else set(found)
    sections, key_phrases, t = [], [], 0.0
    for s in scenario.sections:
        gone = s.id in missing
        sections.append(
            SectionResult(
                id=s.id,
                name=s.name,
                start_s=None if gone else t,
                end_s=None if gone else t + s.target_s,
                duration_s=None if gone else s.target_s,
                target_s=s.target_s,
                verdict="missing" if gone else "ok",
            )
        )
        for k, kp in enumerate(s.key_phrases):
            said = kp.phrase in found
            key_phrases.append(
                KeyPhraseResult(
                    phrase=kp.phrase,
                    section=s.id,
                    found=said,
                    said_in=s.id if said else None,
                    at_s=t + 2 * k if said else None,
                    heard=kp.phrase if said else None,
                )
            )
        t += 0 if gone else s.target_s
    level = scenario.level(None)
    return AnswerAnalysis(
        scenario=scenario.id,
        scenario_title=scenario.title,
        question=scenario.question,
        level=level.id,
        principle=None,
        marks=None,
        sectioning="automatic",
        duration_s=t,
        transcript=Transcript(text="", words=[]),
        sections=sections,
        key_phrases=key_phrases,
        flags=[
            FlagResult(id=fid, message=fid, at_s=at, quote=quote, section=section)
            for fid, quote, at, section in flags
        ],
        delivery=DeliveryStats(
            words=300,
            wpm=150.0,
            fillers=0,
            filler_counts={},
            longest_pause_s=0.5,
            time_to_first_word_s=0.5,
            speaking_s=t,
        ),
        total=TotalTime(speaking_s=t, budget_min_s=None, budget_max_s=180.0, budget_text="", verdict="ok"),
        level_expectations=LevelExpectations(
            name=level.name, focus=level.focus, reflection=level.reflection, bar=level.bar
        ),
        principle_framing=framing(principle) if principle else None,
    )


def framing(name: str) -> PrincipleFraming:
    """A principle given with --lp, by its name."""
    return PrincipleFraming(id=name.lower(), name=name, lead_with="", emphasize="", downplay="")


WEAK_FLAGS = (
    ("we-in-action", "They looked into it and fixed the problem.", 5.2, "action"),
    ("no-number-in-result", "I think it improved the system and the team was happy with", 7.1, "result"),
    ("vague-ending", "team was happy", 8.8, "result"),
)
