"""Draft checks of a written story: the analysis's own content rules applied to the text, read
at a normal speaking pace, as `file:line: warning:` lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mockvoice.analysis.answer import section_verdict
from mockvoice.analysis.flags import content_flags
from mockvoice.analysis.sections import Span
from mockvoice.matching.textnorm import normalize
from mockvoice.scenario.model import Scenario, Section
from mockvoice.scenario.rules import default_rules, speaking_pace
from mockvoice.scenario.story import Story, StorySection
from mockvoice.speech.transcript import Transcript, Word


@dataclass(frozen=True)
class Finding:
    """A draft-check warning: where it is, which rule, what to fix, and the words it is about."""

    line: int
    section: str
    id: str
    message: str
    quote: str


def draft_checks(story: Story, scenario: Scenario | None = None) -> list[Finding]:
    """The analysis's content rules ("we" in the Action, no number in the Result, a vague ending,
    a generic reflection) and its section-time rule, applied to the text read at a normal pace;
    plus a missing Reflection and empty sections. In file order."""

    rules = default_rules()
    scenario = scenario or story.scenario()
    wpm = speaking_pace(rules)
    step = 60.0 / wpm
    words: list[Word] = []
    word_lines: list[int] = []
    spans: list[Span] = []
    findings: list[Finding] = []
    for section in scenario.sections:
        written = story.sections.get(section.id)
        if written is None or not written.text:
            findings.append(_missing(story, section, written))
            spans.append(Span(section.id, None, None))
            continue
        start = len(words) * step
        for line_no, text in written.lines:
            for w in text.split():
                t = len(words) * step
                words.append(Word(" " + w, t, t + step * 0.9))
                word_lines.append(line_no)
        spans.append(Span(section.id, start, len(words) * step))
        seconds = (len(words) * step) - start
        if section_verdict(seconds, section.target_s, rules) == "over":
            findings.append(_over(written, section, seconds, wpm))
    if not words:
        return sorted(findings, key=lambda f: f.line)
    transcript = Transcript(tuple(words), duration_s=len(words) * step)
    tokens = normalize([w.text for w in words])
    starts = {round(w.start, 2): i for i, w in enumerate(words)}
    names = {s.id: s.name for s in scenario.sections}
    for flag in content_flags(transcript, tokens, spans, rules):
        line = word_lines[starts.get(flag.at_s, 0)]
        findings.append(Finding(line, names.get(flag.section or "", ""), flag.id, flag.message, flag.quote))
    return sorted(findings, key=lambda f: f.line)


def _missing(story: Story, section: Section, written: StorySection | None) -> Finding:
    if section.id == "reflection":
        message = (
            "No Reflection — end with what this story taught you: a specific insight, not"
            " 'communication is important'"
        )
        return Finding(
            written.line if written else _last_line(story), section.name, "no-reflection", message, ""
        )
    line = written.line if written else 1
    message = f"{section.name} is empty — write what you will say (about {section.target_s:.0f} s)"
    return Finding(line, section.name, "empty-section", message, "")


def _over(written: StorySection, section: Section, seconds: float, wpm: float) -> Finding:
    budget = int(section.target_s * wpm / 60)
    quote = " ".join(written.text.split()[:12]) + " …"
    message = (
        f"{section.name} takes about {seconds:.0f} s at {wpm:.0f} words/min, far past its"
        f" {section.target_s:.0f} s target — cut it to about {budget} words"
    )
    return Finding(written.lines[0][0], section.name, f"long-{section.id}", message, quote)


def _last_line(story: Story) -> int:
    return max((ln for s in story.sections.values() for ln, _ in s.lines), default=1)


def validation_report(story: Story, extra: Sequence[str] = ()) -> list[str]:
    """`scenarios validate FILE.md`: a summary line, then one line per draft-check warning and
    per `extra` warning line (the self-check's, `mockvoice.selfcheck`)."""
    scenario = story.scenario()
    phrases = sum(len(s.key_phrases) for s in scenario.sections)
    source = "from your Key phrases list" if story.listed else "suggested from your text"
    targets = "/".join(f"{s.target_s:g}" for s in scenario.sections)
    lines = [
        f"{story.path}: ok — {scenario.id}: {len(story.sections)} sections, {phrases} key phrases ({source}),"
        f" {len(scenario.followups)} follow-ups, targets {targets} s ({scenario.level(None).name})"
    ]
    findings = draft_checks(story, scenario)
    lines += [finding_line(story.path, f) for f in findings]
    lines += extra
    if findings or extra:
        count = len(findings) + len(extra)
        lines.append(f"{count} warning(s): the story loads, but the interviewer would notice these")
    else:
        lines.append("no warnings")
    return lines


def finding_line(path: Path, finding: Finding) -> str:
    quote = f': "{finding.quote}"' if finding.quote else ""
    return f"{path}:{finding.line}: warning: {finding.message}{quote}"
