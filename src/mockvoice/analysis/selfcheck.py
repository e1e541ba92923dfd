"""Does a scenario pass its own strong answer? Pure data in, problems out; no audio, no terminal.

A candidate who says the model answer word for word must not be told they missed things. The
check reads every section's strong example one after another at a typical pace (the middle of
`delivery.yaml`'s pace range, as the story draft checks do), runs the real analysis on that
transcript with the sections cut where each example starts, and reports what the analysis would
hold against it: a key phrase its own example does not contain, a section under or over its
target, the whole answer short of its level's floor or over its maximum, and any flag.

The default level gets the whole check. Another level that adds key phrases is checked for
those phrases, on the examples with the level's `example_reflection` added to the Reflection.
`scenarios validate` prints the problems as warnings; tests/test_selfcheck.py speaks the bundled
scenario's strong answer and runs it through the real pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mockvoice.analysis import answer as analysis
from mockvoice.analysis.flags import TOO_SHORT, content_flag_ids, section_at
from mockvoice.analysis.results import AnswerAnalysis, KeyPhraseResult
from mockvoice.analysis.sections import Span
from mockvoice.clock import clock
from mockvoice.scenario.files import field_line
from mockvoice.scenario.model import Level, Scenario
from mockvoice.scenario.rules import default_rules, speaking_pace
from mockvoice.scenario.story import Story
from mockvoice.speech.transcript import Transcript, Word

WORD_SHARE = 0.9  # of each word's slot spent speaking it (the rest is the gap to the next)


@dataclass(frozen=True)
class Problem:
    """One way a scenario's strong answer fails the scenario.

    `field` names the place in a scenario file ("sections.action.strong_example"), `loc` the same
    path with list indexes (for the line number), `section` the section id it is about (None: the
    answer as a whole) and `message` what is wrong and the fix, worded to follow the field."""

    kind: str  # phrase, under, over, total or flag
    field: str
    loc: tuple[str | int, ...]
    section: str | None
    message: str
    flag_id: str | None = None


def check(scenario: Scenario, wpm: float | None = None) -> list[Problem]:
    """Every problem of the scenario's strong answer: the default level's whole check, then the
    added key phrases of each other level."""
    problems = level_check(scenario, scenario.level(None), wpm, phrases_only=False)
    for lv in scenario.levels:
        if lv.id != scenario.default_level and lv.key_phrases:
            problems += level_check(scenario, lv, wpm, phrases_only=True)
    return problems


def draft_problems(scenario: Scenario, wpm: float | None = None) -> list[Problem]:
    """For a Markdown story: what its draft checks (`mockvoice.story.draft_checks`) do not already
    report. They report the content flags and long sections, and by design not a short section
    (said aloud, a story grows); its own key phrases and the total are left to this check."""
    covered = content_flag_ids(default_rules())
    return [p for p in check(scenario, wpm) if p.kind not in ("under", "over") and p.flag_id not in covered]


def scenario_warnings(path: Path, scenario: Scenario) -> list[str]:
    """`scenarios validate FILE.yaml`: one warning line per problem, at the field's line."""
    return [f"{path}:{field_line(path, p.loc)}: warning: {p.field} {p.message}" for p in check(scenario)]


def story_warnings(story: Story) -> list[str]:
    """`scenarios validate FILE.md`: one warning line per problem its draft checks miss, at the
    section's heading (the first heading for the whole answer), named as the story names it."""
    scenario = story.scenario()
    names = {s.id: s.name for s in scenario.sections}
    first = min((s.line for s in story.sections.values()), default=1)
    out = []
    for p in draft_problems(scenario):
        line = story.sections[p.section].line if p.section in story.sections else first
        out.append(f"{story.path}:{line}: warning: {names.get(p.section or '', 'The sections')} {p.message}")
    return out


def level_check(scenario: Scenario, level: Level, wpm: float | None, *, phrases_only: bool) -> list[Problem]:
    """The strong answer analyzed at one level (its sections with an empty example left out: the
    draft checks and the loader speak for those)."""
    texts = _examples(scenario, level)
    spoken = scenario.model_copy(update={"sections": [s for s in scenario.sections if texts[s.id]]})
    if not spoken.sections:
        return []
    transcript, marks = read_aloud([texts[s.id] for s in spoken.sections], wpm or default_pace())
    answer = analysis.analyze(transcript, spoken, marks=marks or None, level=level.id)
    index = {s.id: i for i, s in enumerate(scenario.sections)}
    at = ("levels", [lv.id for lv in scenario.levels].index(level.id))
    if phrases_only:
        added = {kp.phrase for phrases in level.key_phrases.values() for kp in phrases}
        wanted = [k for k in answer.key_phrases if k.phrase in added]
        return [_phrase_problem(k, index, (level, at)) for k in wanted if _missed(k)]
    return [
        *(_phrase_problem(k, index, None) for k in answer.key_phrases if _missed(k)),
        *_time_problems(answer, index),
        *_total_problems(answer, (*at, "budget")),
        *_flag_problems(answer, index),
    ]


def read_aloud(texts: Sequence[str], wpm: float) -> tuple[Transcript, list[float]]:
    """The texts as one transcript read at `wpm` (words keep their punctuation, so sentences
    still end), and the time each text after the first starts: the section marks."""
    step = 60.0 / wpm
    words: list[Word] = []
    marks: list[float] = []
    for n, text in enumerate(texts):
        if n:
            marks.append(len(words) * step)
        for w in text.split():
            t = len(words) * step
            words.append(Word(" " + w, t, t + step * WORD_SHARE))
    return Transcript(tuple(words), duration_s=len(words) * step), marks


def default_pace() -> float:
    """A typical speaking pace, the one the story draft checks read at (words per minute)."""

    return speaking_pace()


# --- problems ---------------------------------------------------------------------------------


def _examples(scenario: Scenario, level: Level) -> dict[str, str]:
    """Each section's strong example; at a level with its own model reflection, that is added to
    the Reflection (the page's senior answer says both reflections)."""
    texts = {s.id: s.strong_example.strip() for s in scenario.sections}
    if level.example_reflection and "reflection" in texts:
        texts["reflection"] = f"{texts['reflection']} {level.example_reflection}".strip()
    return texts


def _missed(k: KeyPhraseResult) -> bool:
    """Not counted, or counted only outside its own section's example."""
    return not k.found or k.said_in != k.section


def _phrase_problem(
    k: KeyPhraseResult, index: dict[str, int], level: tuple[Level, tuple[str | int, ...]] | None
) -> Problem:
    """A key phrase its own example does not say; a level's added phrase points at the level."""
    sid = k.section
    where = "" if not k.found else f" (only in sections.{k.said_in}.strong_example)"
    near = f" (heard “{k.heard}”, not counted: {k.why or k.match})" if k.heard and not k.found else ""
    if level is None:
        field, loc = f"sections.{sid}.strong_example", ("sections", index[sid], "strong_example")
        fix = "add a variant or move the phrase"
    else:
        lv, at = level
        field, loc = f"levels.{lv.id}.example_reflection", (*at, "key_phrases", sid)
        fix = f"add a variant or move the phrase (levels.{lv.id}.key_phrases.{sid})"
    message = f"does not contain its own key phrase '{k.phrase}'{where}{near} — {fix}"
    return Problem("phrase", field, loc, sid, message)


def _time_problems(answer: AnswerAnalysis, index: dict[str, int]) -> list[Problem]:
    """A section's example under or over its target, with the target that would fit it."""
    rules = default_rules().timing
    out = []
    for s in answer.sections:
        if s.verdict not in ("under", "over") or s.duration_s is None:
            continue
        took, target = s.duration_s, s.target_s
        if s.verdict == "under":
            fix = f"lengthen the example, or set min_s to at most {took:.0f} (or lower target_s)"
        else:
            fix = f"shorten the example or raise target_s to at least {took / rules.over_ratio:.0f}"
        message = f"is {clock(took)} of its {clock(target)} target ({s.verdict}) — {fix}"
        loc = ("sections", index[s.id], "strong_example")
        out.append(Problem(s.verdict, f"sections.{s.id}.strong_example", loc, s.id, message))
    return out


def _total_problems(answer: AnswerAnalysis, loc: tuple[str | int, ...]) -> list[Problem]:
    """The examples together short of the level's floor or over its maximum."""
    total = answer.total
    if total.verdict == "ok":
        return []
    low, high, level = total.budget_min_s or 0.0, total.budget_max_s, answer.level
    if total.verdict == "short" and total.budget_min_derived:
        detail = (
            f"under level {level}'s {clock(low)} floor (derived from the section targets)"
            " — lengthen them or lower the targets"
        )
    elif total.verdict == "short":
        detail = f"under level {level}'s {clock(low)} minimum — lengthen them"
    else:
        detail = f"over level {level}'s {clock(high)} maximum — shorten them"
    message = f"together take {clock(total.speaking_s)} read aloud, {detail}"
    return [Problem("total", "sections.*.strong_example", loc, None, message)]


def _flag_problems(answer: AnswerAnalysis, index: dict[str, int]) -> list[Problem]:
    """Every flag the analysis raises on the strong answer (but the floor's: the total says it)."""
    spans = [Span(s.id, s.start_s, s.end_s) for s in answer.sections]
    out = []
    for f in answer.flags:
        if f.id == TOO_SHORT:
            continue
        sid = f.section or section_at(spans, f.at_s) or answer.sections[0].id
        quote = f": “{f.quote}”" if f.quote else ""
        message = f"raises a flag: {f.message}{quote}"
        loc = ("sections", index[sid], "strong_example")
        out.append(Problem("flag", f"sections.{sid}.strong_example", loc, sid, message, f.id))
    return out
