"""Issue 12.4: every level has a floor as well as a maximum, an answer under it is "short" and
flagged, and a section never reached is flagged where the answer left it out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from mockvoice.analysis import answer as analysis
from mockvoice.analysis.flags import (
    MISSING_SECTION,
    TOO_SHORT,
    budget_floor,
    missing_section_flags,
    too_short,
)
from mockvoice.analysis.sections import Span
from mockvoice.scenario.model import Budget, Section
from mockvoice.scenario.rules import default_rules
from mockvoice.session import export, scorecard
from mockvoice.session import store as session
from mockvoice.session.document import TotalTime, new_document
from mockvoice.speech.transcript import Transcript, Word

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "floor"
SDE2 = "About 3 minutes, the sum of the section targets."  # the sde2 level's budget text
NAMES = {
    "situation": "Situation",
    "task": "Task",
    "action": "Action",
    "result": "Result",
    "reflection": "Reflection",
}


def read(text: str, seconds_per_word: float = 0.4) -> Transcript:
    """`text` as if read at an even pace (words keep their punctuation)."""
    words = tuple(
        Word(" " + w, i * seconds_per_word, (i + 0.8) * seconds_per_word) for i, w in enumerate(text.split())
    )
    return Transcript(words, duration_s=len(words) * seconds_per_word)


def spans(*present: tuple[str, float, float]) -> list[Span]:
    """The five STAR spans, those not named missing."""
    at = {sid: (a, b) for sid, a, b in present}
    return [Span(sid, *at.get(sid, (None, None))) for sid in NAMES]


# --- the floor ---------------------------------------------------------------------------------


def _sections(*targets: float, min_s: dict[int, float] | None = None) -> list[Section]:
    return [
        Section(
            id=f"s{i}",
            name=f"S{i}",
            target_s=t,
            min_s=(min_s or {}).get(i),
            cue="",
            strong_example="",
            coaching="",
            common_mistake="",
        )
        for i, t in enumerate(targets)
    ]


def test_a_level_without_a_minimum_gets_the_sum_of_the_sections_minimums() -> None:
    rules = default_rules()
    assert rules.timing.under_ratio == 0.5
    assert budget_floor(Budget(max_s=180, text="3 min"), _sections(30, 20, 80), rules) == (65.0, True)
    # a section's own min_s counts instead of half its target
    assert budget_floor(Budget(max_s=180, text="3 min"), _sections(30, 90, min_s={1: 20}), rules) == (
        35.0,
        True,
    )


def test_the_sources_own_minimum_wins() -> None:
    budget = Budget(min_s=150, max_s=180, text="2.5-3 minutes.")
    assert budget_floor(budget, _sections(30, 100), default_rules()) == (150, False)


def test_a_derived_floor_never_passes_the_maximum() -> None:
    assert budget_floor(Budget(max_s=60, text="1 min"), _sections(175, 100), default_rules()) == (60, True)


def test_every_bundled_level_has_both_ends(scenario) -> None:
    """The bundled scenario: sde1 and sde2 give no minimum (derived: 15 + 10 + 20 + 10 + 7.5 s,
    the Action's own min_s counting), senior gives its own 2.5 minutes."""
    got = {}
    for lv in scenario.levels:
        floor, derived = budget_floor(lv.budget, scenario.sections, default_rules())
        assert 0 < floor <= lv.budget.max_s, lv.id
        got[lv.id] = (floor, derived)
    assert got == {"sde1": (62.5, True), "sde2": (62.5, True), "senior": (150, False)}


def test_the_total_verdict_is_short_ok_or_over(scenario) -> None:
    def verdict(seconds_per_word: float) -> TotalTime:
        return analysis.analyze(read("I noticed it. " * 50, seconds_per_word), scenario).total

    short, ok, over = verdict(0.2), verdict(1.0), verdict(4.0)  # 150 words: 30 s, 150 s, 600 s
    assert (short.verdict, ok.verdict, over.verdict) == ("short", "ok", "over")
    assert (short.budget_min_s, short.budget_min_derived, short.budget_max_s) == (62.5, True, 180)


# --- the flags ---------------------------------------------------------------------------------


def test_sections_never_reached_are_one_flag_at_the_end() -> None:
    t = read("I noticed the drop rate. It was outside my team's scope and nobody owned it.")
    flags = missing_section_flags(t, spans(("situation", 0.0, 6.0)), NAMES)
    assert len(flags) == 1
    f = flags[0]
    assert f.id == MISSING_SECTION and f.section == "task"
    assert (
        f.message
        == "The answer ended before the Task, Action, Result and Reflection — cover every STAR section"
    )
    assert f.quote == "It was outside my team's scope and nobody owned it."  # the last words said
    assert f.at_s == t.words[5].start


def test_a_section_skipped_in_the_middle_is_flagged_where_the_next_one_starts() -> None:
    t = read("I noticed the drop. I pulled the logs and I traced it. It dropped to zero. I learned a thing.")
    present = spans(
        ("situation", 0.0, 1.6), ("action", 1.6, 4.4), ("result", 4.4, 6.0), ("reflection", 6.0, 8.0)
    )
    [f] = missing_section_flags(t, present, NAMES)
    assert f.message == "No Task — the Situation goes straight to the Action"
    assert (f.at_s, f.section) == (1.6, "task")
    assert f.quote.startswith("I pulled the logs")
    opening = spans(("action", 0.0, 8.0))
    first, last = missing_section_flags(t, opening, NAMES)
    assert first.message == "No Situation and Task — the answer opens with the Action"
    assert first.at_s == 0.0
    assert last.message.startswith("The answer ended before the Result and Reflection")


def test_nothing_missing_is_no_flag() -> None:
    t = read("one two three four five")
    every = spans(*((sid, float(i), float(i + 1)) for i, sid in enumerate(NAMES)))
    assert missing_section_flags(t, every, NAMES) == []


def test_a_short_answer_is_flagged_at_its_last_words() -> None:
    t = read("I noticed the drop rate. It was outside my team's scope and nobody owned it.")
    [f] = too_short(t, 62.5, 180.0)
    assert f.id == TOO_SHORT
    assert f.message == "Short answer: 0:06 — aim for 1:02–3:00"
    assert f.quote == "It was outside my team's scope and nobody owned it."
    assert too_short(t, 5.0, 180.0) == []


def test_the_analysis_flags_a_short_answer_with_its_missing_sections(scenario) -> None:
    doc = analysis.analyze(read(scenario.section("situation").strong_example), scenario)
    assert doc.total.verdict == "short"
    ids = [f.id for f in doc.flags]
    assert ids.count(TOO_SHORT) == 1 and MISSING_SECTION in ids


def test_no_whole_answer_flags_while_speaking_or_in_a_drill(scenario) -> None:
    t = read(scenario.section("situation").strong_example)
    live = analysis.analyze(t, scenario, in_progress=True)  # the answer has not ended yet
    drill = analysis.analyze(t, scenario.model_copy(update={"sections": [scenario.section("situation")]}))
    for doc in (live, drill):
        assert not doc.flag_ids() & {TOO_SHORT, MISSING_SECTION}


# --- the total line ----------------------------------------------------------------------------


def test_the_total_line_says_how_long_to_aim_for(scenario) -> None:
    result = analysis.analyze(read(scenario.section("situation").strong_example, 0.4), scenario)
    doc = new_document(session.header(mode="analyze", created=datetime.now().astimezone()), result)
    assert scorecard.total_text(doc.total) == "0:19 of a 1:02–3:00 answer — short"
    assert scorecard.summary_line(doc).startswith("Total: 0:19 of a 1:02–3:00 answer — short (level sde2)\n")
    assert SDE2 not in scorecard.summary_line(doc)  # the level's prose budget is not repeated
    assert "Total: 0:19 of a 1:02–3:00 answer — short · phrases " in export.summary_markdown(doc)
    senior = analysis.analyze(
        read(scenario.section("situation").strong_example, 0.4), scenario, level="senior"
    )
    assert scorecard.total_text(senior.total) == "0:19 of a 2:30–3:00 answer — short"
    older = TotalTime.model_validate(
        {
            "speaking_s": 99.0,
            "verdict": "ok",
            "budget_min_s": None,
            "budget_max_s": 180,
            "budget_text": "3 min",
        }
    )  # a session saved before every level had a floor
    assert scorecard.total_text(older) == "1:39 of an answer up to 3:00 — on time"


# --- spoken: piper says a 20-second answer, the real pipeline judges it -----------------------------


@pytest.mark.audio
def test_a_spoken_20_second_answer_is_short_with_its_missing_sections_flagged(scenario, tmp_path) -> None:
    """The bundled Situation, said by piper and nothing more: `mockvoice analyze` as a user runs it."""
    from mockvoice.speech import tts

    wav = tts.cached_wav(scenario.section("situation").strong_example, CACHE, voice=tts.Voice(steady=True))
    out = tmp_path / "doc.json"
    exe = Path(sys.executable).parent / "mockvoice"
    proc = subprocess.run(
        [str(exe), "analyze", str(wav), "--json", str(out)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text())
    total = doc["total"]
    assert 15 <= total["speaking_s"] <= 25, total
    assert (total["verdict"], total["budget_min_s"], total["budget_min_derived"]) == ("short", 62.5, True)
    assert " of a 1:02–3:00 answer — short (level sde2)" in proc.stdout
    flags = {f["id"]: f for f in doc["flags"]}
    missing = [f for f in doc["flags"] if f["id"] == MISSING_SECTION]
    assert len(missing) == 1, doc["flags"]
    assert "Task, Action, Result and Reflection" in missing[0]["message"]
    assert {s["id"] for s in doc["sections"] if s["verdict"] == "missing"} == {
        "task",
        "action",
        "result",
        "reflection",
    }
    heard = " ".join(w["text"] for w in doc["transcript"]["words"])
    words = doc["transcript"]["words"]
    for f in (missing[0], flags[TOO_SHORT]):  # each points at the words where the answer ended
        assert f["quote"] and f["quote"] in " ".join(w["text"] for w in words), (f, heard)
        assert words[0]["start"] <= f["at_s"] <= words[-1]["end"]
        assert f["quote"].endswith(words[-1]["text"])
