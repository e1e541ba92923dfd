"""What to fix first: the ranking on hand-made documents, and how the scorecard, the report and
transcript.md lead with it (pure: documents built here, no audio)."""

from __future__ import annotations

from pathlib import Path

from mockvoice.session import markdown, report, scorecard
from mockvoice.session.document import FIX_KINDS, SessionDocument, as_document

SECONDS_PER_WORD = 0.5
CREATED = "2026-03-01T19:30:00+00:00"
HANDLE = "2026-03-01T19-30-00"

STRONG = {
    "situation": ("Situation", 5.0, "I noticed our webhook was dropping events every night"),
    "task": ("Task", 4.0, "It was not my team but nobody owned it"),
    "action": ("Action", 8.0, "I pulled the logs and I traced the retries then I wrote a fix"),
    "result": ("Result", 4.0, "Drops fell from 0.3% to zero in a week"),
}
PHRASES = {
    "situation": ["I noticed"],
    "task": ["not my team", "nobody owned it"],
    "action": ["I pulled", "I traced", "I wrote"],
    "result": ["0.3% to zero"],
}


def make_doc(
    said: dict[str, str | None] | None = None,
    targets: dict[str, float] | None = None,
    missed: dict[str, list[str]] | None = None,
    near: dict[str, tuple[str, str]] | None = None,
    flags: list[tuple[str, float, str, str | None]] = (),
    verdict: str | None = None,
) -> SessionDocument:
    """An analyzed answer, section by section at an even pace: `said` replaces a section's words
    (None: the section was not found), `targets` its target, `missed` lists phrases not said,
    `near` a missed phrase's near-hit (phrase → (words heard, section))."""
    said, targets, missed, near = said or {}, targets or {}, missed or {}, near or {}
    words, sections, phrases, t = [], [], [], 0.0
    for sid, (name, target, text) in STRONG.items():
        text = said.get(sid, text)
        target = targets.get(sid, target)
        if text is None:
            sections.append(
                {"id": sid, "name": name, "start_s": None, "end_s": None, "duration_s": None}
                | {"target_s": target, "verdict": "missing"}
            )
        else:
            start = t
            for w in text.split():
                words.append({"text": w, "start": t, "end": t + 0.4, "probability": 1.0})
                t += SECONDS_PER_WORD
            dur = t - start
            verdict_s = "over" if dur > target * 1.2 else "under" if dur < target * 0.8 else "ok"
            sections.append(
                {"id": sid, "name": name, "start_s": start, "end_s": t, "duration_s": dur}
                | {"target_s": target, "verdict": verdict_s}
            )
        for p in PHRASES[sid]:
            found = text is not None and p not in missed.get(sid, [])
            heard, at = (near[p][0], 1.0) if p in near else (p if found else None, 1.0 if found else None)
            phrases.append(
                {"phrase": p, "section": sid, "found": found, "match": "exact" if found else None}
                | {"said_in": sid if found else None, "at_s": at, "heard": heard}
            )
            if p in near:
                phrases[-1] |= {"match": "negated", "why": "said as not done", "said_in": near[p][1]}
    doc = {
        "schema": 1,
        "mockvoice_version": "0",
        "created": CREATED,
        "mode": "mock" if verdict else "analyze",
        "scenario": "webhook",
        "scenario_title": "Webhook drops",
        "question": "Tell me about a time you fixed what nobody owned.",
        "level": "sde2",
        "level_expectations": {"name": "SDE2", "focus": "f", "reflection": "r", "bar": "b"},
        "sectioning": "automatic",
        "duration_s": t,
        "transcript": {"text": " ".join(w["text"] for w in words), "words": words},
        "sections": sections,
        "key_phrases": phrases,
        "flags": [
            {"id": fid, "message": msg, "at_s": at, "quote": quote, "section": None}
            for fid, at, msg, quote in flags
        ],
        "delivery": {"words": len(words), "wpm": 120.0, "fillers": 0, "filler_counts": {}}
        | {"longest_pause_s": 0.4, "time_to_first_word_s": 0.0, "speaking_s": t},
        "total": {"speaking_s": 91.0, "budget_min_s": 150.0, "budget_max_s": 180.0}
        | {"budget_text": "About 3 minutes, the sum of the section targets.", "verdict": "short"},
    }
    if verdict:
        doc["verdict"] = {"verdict": verdict, "summary": "Strong on ownership.", "reasons": ["owns it"]}
    return as_document(doc)


EVERY_PROBLEM = dict(
    said={"task": None, "action": "We pulled the logs " + "and then we looked " * 6},  # 28 words: 14 s
    targets={"action": 4.0},
    missed={"result": ["0.3% to zero"]},
    flags=[
        ("filler", 14.0, 'Filler "um" ×2', "um the logs"),
        ("vague-ending", 17.0, "Vague ending — say what changed", "in a week"),
        ("no-number-in-result", 16.0, "No number in the Result", "Drops fell"),
        ("we-in-action", 3.0, '"we" in the Action — say what you did', "We pulled the logs"),
    ],
)


# --- the ranking ---------------------------------------------------------------------------------


def test_each_kind_of_fix_comes_in_the_documented_order() -> None:
    kinds = [f.kind for f in make_doc(**EVERY_PROBLEM).fixes(most=10)]
    assert kinds == list(FIX_KINDS)
    assert [f.kind for f in make_doc(**EVERY_PROBLEM).fixes()] == ["missing-section", "timing", "key-phrases"]


def test_a_missing_section_names_the_phrases_to_say_and_plays_the_answer() -> None:
    fix = make_doc(said={"task": None}).fixes()[0]
    assert (fix.kind, fix.where, fix.quote, fix.at_s, fix.play) == (
        "missing-section",
        "Task",
        None,
        None,
        "answer",
    )
    assert fix.problem == "missing — say “not my team” and “nobody owned it”"


def test_a_section_far_off_its_target_quotes_its_opening_words() -> None:
    doc = make_doc(targets={"action": 20.0})  # 7 s said (14 words) of a 20 s target
    (fix,) = doc.fixes()
    assert (fix.kind, fix.where, fix.play) == ("timing", "Action", "action")
    assert fix.problem == "7s for a 20s target: say more"
    assert fix.quote == "I pulled the logs and I traced the…"
    assert fix.at_s == doc.section("action").start_s


def test_a_section_a_little_off_its_target_is_not_a_fix() -> None:
    doc = make_doc(targets={"action": 5.5})  # 7 s of 5.5 s: over, but not far
    assert doc.section("action").verdict == "over"
    assert doc.fixes() == []


def test_missing_key_phrases_quote_the_near_hit_when_one_was_heard() -> None:
    doc = make_doc(missed={"task": ["not my team"]}, near={"not my team": ("was my team", "task")})
    (fix,) = doc.fixes()
    assert (fix.kind, fix.where, fix.problem) == ("key-phrases", "Task", "key phrase not said: “not my team”")
    assert (fix.quote, fix.at_s, fix.play) == ("was my team", 1.0, "task")
    plain_fix = make_doc(missed={"result": ["0.3% to zero"]}).fixes()[0]
    assert plain_fix.quote == "Drops fell from 0.3% to zero in a…"  # no near-hit: the section's words


def test_ties_put_the_worse_first_then_the_earlier() -> None:
    far = make_doc(targets={"situation": 2.0, "action": 2.0})  # 5 s of 2 s, 8 s of 2 s
    assert [f.where for f in far.fixes()] == ["Action", "Situation"]
    phrases = make_doc(
        missed={"situation": ["I noticed"], "action": ["I pulled", "I wrote"], "result": ["0.3% to zero"]}
    )
    assert [f.where for f in phrases.fixes()] == ["Action", "Situation", "Result"]


def test_one_fix_per_flag_kind_and_section() -> None:
    doc = make_doc(
        flags=[
            ("filler", 1.0, "Filler", "um"),
            ("filler", 2.0, "Filler", "uh"),
            ("long-pause", 3.0, "Pause", ""),
        ]
    )
    (fix,) = doc.fixes()
    assert (fix.kind, fix.where, fix.quote, fix.play) == ("delivery", "Delivery", "um", "situation")


def test_fewer_problems_give_fewer_fixes_and_a_strong_answer_none() -> None:
    assert len(make_doc(said={"task": None}).fixes()) == 1
    strong = make_doc()
    assert strong.fixes() == []
    assert scorecard.NOTHING_TO_FIX in " ".join(scorecard.plain(strong).split())  # wrapped at 80
    assert scorecard.NOTHING_TO_FIX in markdown.transcript_markdown(strong)
    assert scorecard.NOTHING_TO_FIX in report.render(strong)


# --- the plain scorecard ---------------------------------------------------------------------------


def test_the_plain_scorecard_opens_with_the_verdict_and_the_fixes() -> None:
    lines = scorecard.plain(make_doc(**EVERY_PROBLEM, verdict="Leaning Hire")).splitlines()
    assert lines[:13] == [
        "Webhook drops — Tell me about a time you fixed what nobody owned.",
        "",
        "Bar raiser: Leaning Hire — Strong on ownership.",
        "",
        "Fix first:",
        "  1. Task: missing — say “not my team” and “nobody owned it”",
        f"     mockvoice review {HANDLE} --play answer",
        "  2. Action: 14s for a 4s target: cut it to the point",
        "     “We pulled the logs and then we looked…” at 0:04",
        f"     mockvoice review {HANDLE} --play action",
        "  3. Result: key phrase not said: “0.3% to zero”",
        "     “Drops fell from 0.3% to zero in a…” at 0:18",
        f"     mockvoice review {HANDLE} --play result",
    ]


def test_the_plain_scorecard_has_a_legend_a_total_line_and_an_ending() -> None:
    text = scorecard.plain(make_doc(**EVERY_PROBLEM), folder=Path("/rec/2026-03-01T19-30-00_webhook"))
    lines = text.splitlines()
    legend = lines.index(scorecard.LEGEND)
    assert lines[legend - 1].startswith("    - 0.3% to zero")  # right after the sections' phrases
    assert "Total: 1:31 of a 2:30–3:00 answer — short (level sde2)" in lines
    assert "About 3 minutes" not in text
    assert lines[-6:] == [
        "Session: /rec/2026-03-01T19-30-00_webhook",
        "Report: /rec/2026-03-01T19-30-00_webhook/report.html",
        "Next:",
        f"  hear it again    mockvoice review {HANDLE} --play answer",
        f"  open the report  mockvoice review {HANDLE} --open",
        "  see progress     mockvoice progress",
    ]
    assert max(len(line) for line in lines) <= 80, [line for line in lines if len(line) > 80]


def test_the_ending_plays_the_first_section_when_nothing_needs_fixing() -> None:
    assert f"  hear it again    mockvoice review {HANDLE} --play situation" in scorecard.plain(make_doc())


def test_the_commands_name_the_session_by_its_time_stamp() -> None:
    assert make_doc().handle == HANDLE
    assert "mockvoice review latest~1 --play situation" in scorecard.plain(make_doc(), session="latest~1")


def test_the_rich_scorecard_leads_with_the_fixes_too() -> None:
    from rich.console import Console

    console = Console(width=100, record=True, color_system=None)
    console.print(scorecard.rich_renderable(make_doc(**EVERY_PROBLEM, verdict="Leaning Hire")))
    text = console.export_text()
    order = [
        text.index(s)
        for s in ("Bar raiser: Leaning Hire", "Fix first:", "Situation", "Marks:", "Total:", "Next:")
    ]
    assert order == sorted(order)


# --- the report and transcript.md ------------------------------------------------------------------


def test_the_report_puts_the_verdict_and_fixes_before_the_sections_and_transcript() -> None:
    page = report.render(make_doc(**EVERY_PROBLEM, verdict="Leaning Hire"))
    marks = ('id="verdict"', 'id="fixes"', "<h2>Timeline</h2>", 'id="transcript"', "<h2>Flags</h2>")
    at = [page.index(m) for m in marks]
    assert at == sorted(at)
    fixes = page[page.index('id="fixes"') : page.index("<h2>Timeline</h2>")]
    assert fixes.count('<li class="fix"') == 3
    assert 'data-audio="a-answer"' in fixes  # the buttons play in the answer's player
    assert '<button class="seek" data-play data-t="4.50">▶ 0:04</button>' in fixes
    assert "<q>We pulled the logs and then we looked…</q>" in fixes


def test_transcript_md_leads_with_the_verdict_and_the_fixes() -> None:
    text = markdown.transcript_markdown(make_doc(**EVERY_PROBLEM, verdict="Leaning Hire"))
    at = [text.index(s) for s in ("## Verdict", "## Fix first", "## Situation", "## Flags")]
    assert at == sorted(at)
    assert "1. **Task**: missing — say “not my team” and “nobody owned it”" in text
    assert f"   `mockvoice review {HANDLE} --play action`" in text
    assert "   “We pulled the logs and then we looked…” at 0:04" in text
    assert markdown.MD_LEGEND in text


def test_the_sections_table_gives_the_phrases_room_on_a_60_column_terminal() -> None:
    """Below 80 columns the time shares a column with its target and the bar is half as long,
    so a phrase stays on its row; at 80 and over, Time and Target are their own columns."""
    from rich.console import Console

    def table_at(width: int) -> str:
        console = Console(width=width, record=True, color_system=None)
        console.print(scorecard.SectionTable(make_doc(**EVERY_PROBLEM)))
        return console.export_text()

    narrow, wide = table_at(60), table_at(120)
    assert "4s/5s" in narrow and "Target" not in narrow
    assert "│ ✗ nobody owned it  │" in narrow and "│ ✓ I traced (0:01)  │" in narrow
    assert "Target" in wide and "4s/5s" not in wide
    assert max(len(line) for line in narrow.splitlines()) <= 60


def test_a_short_bar_is_rounded_from_the_time_not_from_the_long_bar() -> None:
    """11 s of a 90 s target: one cell of six (rounding the twelve-cell bar's one cell to half
    of it would show none)."""
    row = scorecard.SectionRow("Action", "11s", "90s", "under", 11 / 90, [], [], [])
    assert row.bar(6) == (1, 0) and row.bar() == (1, 0)
    assert scorecard.SectionRow("Task", "30s", "20s", "over", 1.5, [], [], []).bar(6) == (6, 3)
