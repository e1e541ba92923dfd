"""Your own story, written in Markdown, as a scenario to rehearse.

A story is front matter (question, principles, level, the bank questions it answers) and one
`## Heading` per STAR section holding the answer as the candidate means to say it:

    ---
    question: "Tell me about a time you fixed a problem nobody owned."
    principles: [ownership]
    level: sde2
    ---
    # The Friday checkout timeouts
    ## Situation
    About 4% of checkout requests failed …
    ## Task / ## Action / ## Result / ## Reflection
    ## Key phrases        (optional: replaces the suggestions for the sections it lists)
    ### Result
    - dropped from 4% to under 0.1% | from four percent to a tenth of a percent

`load_story` parses it (every problem a `ScenarioError` line naming the file and line);
`Story.scenario()` builds the scenario: section targets are the level's time budget split in the
proportions of the bundled (seed) scenario, cues and coaching are the seed's, key phrases are
the story's list or suggested from its text (`mockvoice.extract`), follow-up probes and level
expectations come from the question bank. `draft_checks` applies the analysis's own content
rules to the written text, read at a normal speaking pace. `template` is what `scenarios new`
writes, coached for the question's own principles; `load_story` refuses a story that still holds
the template's placeholders, naming each one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from mockvoice.errors import ScenarioError
from mockvoice.scenario.bank import Bank, LevelExpectations, Question, load_bank, require_known, story_probes
from mockvoice.scenario.extract import suggest, with_variants
from mockvoice.scenario.files import load_model, read_text, shipped_scenarios_dir
from mockvoice.scenario.model import (
    STAR_SECTION_IDS,
    Followup,
    KeyPhrase,
    Level,
    Overview,
    Principle,
    Scenario,
    Section,
    StrictModel,
)
from mockvoice.scenario.rules import speaking_pace

SEED_SCENARIO = "leadership-without-title"  # the bundled scenario whose structure stories share
CORE_SECTIONS = ("situation", "task", "action", "result")  # a story without one of these is broken
PHRASES_HEADINGS = ("key phrases", "phrases")
IGNORED_HEADINGS = ("notes",)
SectionId = Literal["situation", "task", "action", "result", "reflection"]

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")


@cache
def seed_scenario() -> Scenario:
    """The bundled scenario: its section proportions, cues, coaching and level budgets."""
    return load_model(shipped_scenarios_dir() / f"{SEED_SCENARIO}.yaml", Scenario)


def _level_ids() -> list[str]:
    return [lv.id for lv in seed_scenario().levels]


class StoryMeta(StrictModel):
    """The front matter. Unknown keys are errors, as in scenario files."""

    question: str | None = Field(default=None, min_length=1)
    id: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9-]*$")
    title: str | None = None
    principles: list[str] = Field(default_factory=list)
    level: str = "sde2"
    answers: list[str] = Field(default_factory=list)  # ids of bank questions this story answers
    # Seconds per section; the sections not given are split from the level's budget.
    targets: dict[SectionId, float] = Field(default_factory=dict)
    phrases: dict[SectionId, list[KeyPhrase]] | None = None

    @field_validator("level")
    @classmethod
    def _known_level(cls, level: str) -> str:
        if level not in _level_ids():
            raise ValueError(f"unknown level {level!r} — use one of: {', '.join(_level_ids())}")
        return level

    @field_validator("principles")
    @classmethod
    def _known_principles(cls, ids: list[str]) -> list[str]:

        known = [p.id for p in load_bank().principles]
        return require_known(ids, known, "principle", f"use one of: {', '.join(known)}")

    @field_validator("answers")
    @classmethod
    def _known_questions(cls, ids: list[str]) -> list[str]:

        known = {q.id for q in load_bank().questions}
        return require_known(ids, known, "bank question", "see 'mockvoice questions list' for the ids")

    @field_validator("targets")
    @classmethod
    def _positive(cls, targets: dict[str, float]) -> dict[str, float]:
        for section_id, seconds in targets.items():
            if seconds <= 0:
                raise ValueError(f"target for {section_id} must be a number of seconds above 0")
        return targets


@dataclass(frozen=True)
class StorySection:
    id: str
    name: str
    line: int  # of the heading
    lines: tuple[tuple[int, str], ...]  # (file line, plain text) of each line of the answer

    @property
    def text(self) -> str:
        return " ".join(text for _, text in self.lines).strip()


@dataclass(frozen=True)
class Story:
    path: Path
    meta: StoryMeta
    id: str
    title: str
    sections: dict[str, StorySection]  # the headings present, by section id
    listed: dict[str, list[KeyPhrase]] = field(default_factory=dict)  # the story's own phrase list
    phrases_line: int | None = None  # line of the '## Key phrases' heading, if any

    @property
    def question(self) -> str:
        if self.meta.question:
            return self.meta.question

        return load_bank().question(self.meta.answers[0]).text

    def suggested(self) -> dict[str, list[KeyPhrase]]:
        """Key phrases suggested from the text of each section."""

        return {sid: suggest(sid, s.text) for sid, s in self.sections.items()}

    def key_phrases(self) -> dict[str, list[KeyPhrase]]:
        """The story's own list where it has one (per section), the suggestions elsewhere."""
        suggested = self.suggested()
        return {sid: self.listed.get(sid, suggested.get(sid, [])) for sid in STAR_SECTION_IDS}

    def targets(self) -> dict[str, float]:
        split = split_targets(self.meta.level)
        return {sid: float(self.meta.targets.get(sid, split[sid])) for sid in STAR_SECTION_IDS}

    def scenario(self, key_phrases: dict[str, list[KeyPhrase]] | None = None) -> Scenario:
        """The scenario to rehearse this story with (see the module docstring)."""

        seed, bank = seed_scenario(), load_bank()
        phrases = key_phrases if key_phrases is not None else self.key_phrases()
        targets, minimums = self.targets(), split_minimums(self.meta.level)
        sections = [
            Section(
                id=s.id,
                name=s.name,
                target_s=targets[s.id],
                # the seed's own minimum, scaled like its target, unless the story sets the target
                min_s=None if s.id in self.meta.targets else minimums.get(s.id),
                cue=s.cue,
                strong_example=self.sections[s.id].text if s.id in self.sections else "",
                key_phrases=phrases.get(s.id, []),
                coaching=s.coaching,
                common_mistake=s.common_mistake,
                signals=s.signals,
            )
            for s in seed.sections
        ]
        texts = {lv.id: lv for lv in bank.levels}
        levels = [_generic_level(lv, texts.get(lv.id)) for lv in seed.levels]
        principle_ids = self.meta.principles or [p.id for p in bank.principles]
        situation = self.sections.get("situation")
        source = "your Key phrases list" if self.listed else "suggested from your text"
        return Scenario(
            schema=1,
            id=self.id,
            title=self.title,
            category="Your story",
            question=self.question,
            overview=Overview(
                scenario=situation.text if situation and situation.text else self.question,
                walkthrough=f"Your own story, from {self.path.name}. Key phrases: {source}.",
            ),
            sections=sections,
            followups=story_probes(bank, self.meta.answers),
            principles=[bank.principle(p) for p in principle_ids],
            levels=levels,
            default_level=self.meta.level,
        )


def _generic_level(level: Level, text) -> Level:
    """The seed's level (its time budget) with the bank's story-independent expectations."""
    if text is None:
        return level
    return level.model_copy(
        update={
            "focus": text.focus,
            "reflection": text.reflection,
            "bar": text.bar,
            "example_reflection": None,
            "key_phrases": {},  # the seed's level phrases are about its own story
        }
    )


def split_targets(level_id: str) -> dict[str, float]:
    """Section targets for a level: the seed's targets scaled by the level's time budget against
    the seed's own level (sde2: the seed's 30/20/90/20/15 s exactly; sde1: two thirds of that)."""
    scale = _level_scale(level_id)
    return {s.id: float(max(1, round(s.target_s * scale))) for s in seed_scenario().sections}


def split_minimums(level_id: str) -> dict[str, float]:
    """The seed's own section minimums (`min_s`), scaled as `split_targets` scales targets."""
    scale = _level_scale(level_id)
    return {s.id: round(s.min_s * scale, 1) for s in seed_scenario().sections if s.min_s is not None}


def _level_scale(level_id: str) -> float:
    seed = seed_scenario()
    return seed.level(level_id).budget.max_s / seed.level(seed.default_level).budget.max_s


# --- parsing -----------------------------------------------------------------------------------


def load_story(path: Path) -> Story:
    """Parse a Markdown story; every problem raises `ScenarioError` naming the file and line."""
    path = Path(path)
    text = read_text(path)
    meta, body_line, body = _front_matter(path, text)
    body = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), body)  # comments out, lines kept
    title, sections, listed, phrases_line, problems = _body(path, body_line, body)
    problems += [
        f"{path}: no '## {name}' heading — add it, with your {name} under it"
        f" (see 'mockvoice scenarios new' for the layout)"
        for sid, name in _names().items()
        if sid in CORE_SECTIONS and sid not in sections
    ]
    if meta.phrases is not None and phrases_line is not None:
        problems.append(
            f"{path}:{phrases_line}: key phrases are given both here and in the front matter"
            " — keep one of the two"
        )
    if meta.question is None and not meta.answers:
        problems.append(
            f"{path}:2: question: required field is missing — add 'question: \"Tell me about a time …\"'"
            " (or 'answers: [ID]' from 'mockvoice questions list')"
        )
    leftovers = template_leftovers(path, text, body_line, body, sections)
    if leftovers:
        problems = leftovers + problems
        problems.append(
            f"{path}: {_places(len(leftovers))} still the template's — write your own there,"
            f" then run 'mockvoice scenarios validate {path}' again"
        )
    if problems:
        raise ScenarioError(*problems)

    own = listed if phrases_line is not None else dict(meta.phrases or {})
    listed = {sid: [with_variants(kp.phrase, kp.variants) for kp in kps] for sid, kps in own.items()}
    return Story(
        path=path,
        meta=meta,
        id=meta.id or _slug(path.stem),
        title=meta.title or title or path.stem.replace("-", " ").replace("_", " ").capitalize(),
        sections=sections,
        listed=listed,
        phrases_line=phrases_line,
    )


def template_leftovers(
    path: Path, text: str, body_line: int, body: str, sections: dict[str, StorySection]
) -> list[str]:
    """What `scenarios new` wrote that is still there, one line each in file order: the placeholder
    question and title, and each section line still reading 'Write your … here' (`body` is the
    text after the front matter, comments blanked, from line `body_line`). A story with any of
    them would be rehearsed, and its phrases suggested, from the template's words."""
    out: list[tuple[int, str]] = []
    for n, raw in enumerate(text.split("\n")[: body_line - 1], 1):
        m = re.match(r"^question\s*:\s*[\"']?(.*?)[\"']?\s*$", raw)
        if m and m.group(1) == TEMPLATE_QUESTION:
            message = "question: still the template's — write the question you answer (or 'answers: [ID]')"
            out.append((n, message))
    for n, raw in enumerate(body.split("\n"), body_line):
        m = _HEADING.match(raw)
        if m and len(m.group(1)) == 1 and _plain(m.group(2)).casefold() == TEMPLATE_TITLE.casefold():
            out.append((n, f"'# {TEMPLATE_TITLE}' is the template's title — give your story its own"))
    for section in sections.values():
        own = [t for _, t in section.lines if not _PLACEHOLDER_LINE.match(t)]
        for n, line_text in section.lines:
            if _PLACEHOLDER_LINE.match(line_text):
                fix = (
                    "delete this line"
                    if own
                    else f"replace it with your {section.name}, in the words you will say"
                )
                out.append((n, f"'## {section.name}' still holds the template's placeholder — {fix}"))
    return [f"{path}:{n}: {message}" for n, message in sorted(out)]


def _places(n: int) -> str:
    return "1 place is" if n == 1 else f"{n} places are"


def load_story_scenario(path: Path) -> Scenario:
    return load_story(path).scenario()


def _names() -> dict[str, str]:
    return {s.id: s.name for s in seed_scenario().sections}


def _front_matter(path: Path, text: str) -> tuple[StoryMeta, int, str]:
    """(front matter, line the body starts on, body)."""
    import frontmatter

    handler = frontmatter.YAMLHandler()
    if not handler.detect(text):
        raise ScenarioError(
            f"{path}:1: no front matter — start the file with a '---' line, 'question: \"…\"', and"
            " another '---' line (see 'mockvoice scenarios new')"
        )
    try:
        fm, body = handler.split(text)
    except ValueError:
        raise ScenarioError(f"{path}:1: the front matter is not closed — add a '---' line after it") from None
    if not fm.strip():
        raise ScenarioError(
            f"{path}:1: the front matter is empty — add 'question: \"Tell me about a time …\"'"
        )
    # The boundaries' regex may swallow blank lines: count lines from where each part starts,
    # and pad the YAML so its line numbers are the file's.
    fm_line = text.count("\n", 0, text.find(fm)) + 1
    meta = load_model(path, StoryMeta, text="\n" * (fm_line - 1) + fm)
    return meta, text.count("\n", 0, len(text) - len(body)) + 1, body


def _body(
    path: Path, first_line: int, body: str
) -> tuple[str | None, dict[str, StorySection], dict[str, list[KeyPhrase]], int | None, list[str]]:
    names = _names()
    title: str | None = None
    sections: dict[str, StorySection] = {}
    phrase_lines: list[tuple[int, str]] = []
    phrases_line: int | None = None
    current: tuple[str, str, int] | None = None  # (kind, section id, heading line)
    lines: list[tuple[int, str]] = []
    problems: list[str] = []

    def close() -> None:
        if current and current[0] == "section":
            sections[current[1]] = StorySection(current[1], names[current[1]], current[2], tuple(lines))

    for n, raw in enumerate(body.split("\n")):
        line_no = first_line + n
        m = _HEADING.match(raw)
        if m and len(m.group(1)) == 1 and title is None and current is None:
            title = _plain(m.group(2))
            continue
        if m and len(m.group(1)) == 2:
            close()
            lines = []
            heading = m.group(2).strip()
            folded = heading.lower().strip(" :")
            if folded in PHRASES_HEADINGS:
                current, phrases_line = ("phrases", "", line_no), line_no
            elif folded in IGNORED_HEADINGS:
                current = ("ignored", "", line_no)
            elif (sid := _section_of(heading)) is not None:
                if sid in sections:
                    problems.append(
                        f"{path}:{line_no}: '## {heading}': {names[sid]} appears twice"
                        f" (first at line {sections[sid].line}) — merge them into one"
                    )
                current = ("section", sid, line_no)
            else:
                known = ", ".join(f"'## {name}'" for name in names.values())
                problems.append(
                    f"{path}:{line_no}: unknown heading '## {heading}' — use {known},"
                    " '## Key phrases' or '## Notes'"
                )
                current = ("ignored", "", line_no)
            continue
        if current is None:
            continue  # text before the first section heading is the author's own
        if current[0] == "phrases":
            phrase_lines.append((line_no, raw))
        elif current[0] == "section" and not m:
            plain = _plain(raw)
            if plain:
                if _BULLET.match(raw) and not plain.endswith((".", "!", "?")):
                    plain += "."  # a bullet is a sentence when spoken
                lines.append((line_no, plain))
    close()
    listed: dict[str, list[KeyPhrase]] = {}
    if phrases_line is not None:
        try:
            listed = parse_phrase_list(path, phrase_lines)
        except ScenarioError as exc:
            problems += exc.problems
    return title, sections, listed, phrases_line, problems


def _section_of(heading: str) -> str | None:
    """The section a heading names: 'Situation', 'S — Situation', 'Results' all count."""
    words = set(re.findall(r"[a-z]+", heading.lower()))
    found = [sid for sid, name in _names().items() if {name.lower(), name.lower() + "s", sid} & words]
    return found[0] if len(found) == 1 else None


def _plain(line: str) -> str:
    """Markdown markup off a line: bullets, quotes, links, emphasis."""
    text = _BULLET.sub("", line)
    text = re.sub(r"^\s*>\s?", "", text)
    text = _LINK.sub(r"\1", text)
    return _EMPHASIS.sub("", text).strip()


def _slug(stem: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "story"
    return slug if slug[0].isalpha() else f"story-{slug}"


# --- the key phrases list ----------------------------------------------------------------------


def parse_phrase_list(path: Path, lines: Sequence[tuple[int, str]]) -> dict[str, list[KeyPhrase]]:
    """`### Section` subheadings, each followed by `- phrase | variant | variant` bullets.
    A subheading with no bullets means: no key phrases for that section."""
    out: dict[str, list[KeyPhrase]] = {}
    current: str | None = None
    problems = []
    for line_no, raw in lines:
        text = COMMENT.sub("", raw).strip()
        if not text:
            continue
        m = _HEADING.match(text)
        if m:
            current = _section_of(m.group(2))
            if current is None:
                problems.append(
                    f"{path}:{line_no}: '{text}' is not a STAR section — use '### Situation', '### Task',"
                    " '### Action', '### Result' or '### Reflection'"
                )
            else:
                out.setdefault(current, [])
            continue
        if not _BULLET.match(text):
            problems.append(f"{path}:{line_no}: not a list item — write each key phrase as '- phrase'")
            continue
        if current is None:
            problems.append(
                f"{path}:{line_no}: key phrase before any section — put it under '### Situation' (or the"
                " section it belongs to)"
            )
            continue
        parts = [p.strip() for p in _plain(text).split("|")]
        if parts[0]:
            out[current].append(KeyPhrase(phrase=parts[0], variants=[p for p in parts[1:] if p]))
    if problems:
        raise ScenarioError(*problems)
    return out


def phrase_list_markdown(phrases: dict[str, list[KeyPhrase]], generated: Callable[[str], list[str]]) -> str:
    """The list in the story's format. Variants the importer generates itself are left out
    (`generated(label)` names them), so the list holds only what the author chose."""
    out = []
    for sid, name in _names().items():
        out.append(f"### {name}")
        for kp in phrases.get(sid, []):
            auto = set(generated(kp.phrase))
            own = [v for v in kp.variants if v not in auto]
            out.append("- " + " | ".join([kp.phrase, *own]))
        out.append("")
    return "\n".join(out)


def with_phrase_list(text: str, phrase_list: str) -> str:
    """The story's text with its '## Key phrases' section replaced by (or ended with) the list."""
    lines = text.split("\n")
    start = next(
        (i for i, ln in enumerate(lines) if re.match(r"^##\s+(key\s+)?phrases\s*:?\s*$", ln, re.IGNORECASE)),
        None,
    )
    block = ["## Key phrases", "", *phrase_list.rstrip("\n").split("\n")]
    if start is None:
        while lines and not lines[-1].strip():
            lines.pop()
        return "\n".join([*lines, "", *block, ""])
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"^##\s", lines[i])), len(lines))
    tail = lines[end:]
    return "\n".join([*lines[:start], *block, *(["", *tail] if tail else [""])])


# --- the template ------------------------------------------------------------------------------

# The principle the bundled story's sections are told for: its coaching and examples fit a
# template only for a question probing this principle.
SEED_PRINCIPLE = "ownership"
TEMPLATE_LEVEL = "sde2"
TEMPLATE_TITLE = "A short title for your story"
TEMPLATE_QUESTION = "Tell me about a time you …"
# What each section asks for whatever the principle: the story's shape, not its content.
SECTION_GUIDE = {
    "situation": "Just enough context for the rest to make sense: where, when, and what was at stake.",
    "task": "What you set out to do, and why it was yours to do.",
    "action": "Your own steps, in order: one sentence each, each with 'I'.",
    "result": "What changed, with a number: the before and the after, and who it mattered to.",
    "reflection": "What this story taught you, specific to it, and what you do differently since.",
}
_PLACEHOLDER = "Write your {name} here, in the words you will say."
_PLACEHOLDER_LINE = re.compile(r"^write your (situation|task|action|result|reflection) here\b", re.IGNORECASE)


def template(question: Question | None = None, bank: Bank | None = None) -> str:
    """A story to start from: the front matter explained, then each section with its target, a
    placeholder line to replace and, as comments, coaching for the question's principles (the
    bank's framing, what the level shows, the question's probes with weak and strong answers).
    The bundled story's coaching and examples are added only where the principle is its own."""
    bank = bank or load_bank()
    principle_ids = list(question.principles) if question else [SEED_PRINCIPLE]
    principles = [bank.principle(p) for p in principle_ids]
    probes = bank.probes_of(question) if question else [bank.probe(p) for p in bank.default_probes]
    out = _template_front(question, principle_ids)
    if question:
        expectations = "\n".join(
            f"     {lv}: {getattr(question.levels, lv)}" for lv in LevelExpectations.model_fields
        )
        out += [f"<!-- What each level is expected to show for this question:\n{expectations} -->", ""]
    targets = split_targets(TEMPLATE_LEVEL)
    wpm = speaking_pace()
    for s in seed_scenario().sections:
        words = int(targets[s.id] * wpm / 60)
        notes = [f"About {targets[s.id]:.0f} s spoken (~{words} words). {SECTION_GUIDE[s.id]}"]
        notes += _principle_notes(s.id, principles, question, bank)
        if SEED_PRINCIPLE in principle_ids:
            notes += [
                s.coaching,
                f"Common mistake: {s.common_mistake}",
                f"Example from the bundled story: {s.strong_example}",
            ]
        notes += _probe_notes(s.id, probes)
        out += [
            f"## {s.name}",
            "",
            "<!-- " + "\n     ".join(notes) + " -->",
            _PLACEHOLDER.format(name=s.name),
            "",
        ]
    out += [
        "<!-- Optional: your own key phrases, replacing the suggested ones for the sections listed.",
        "## Key phrases",
        "### Result",
        "- from 4% to under 0.1% | from four percent to a tenth of a percent",
        "-->",
        "",
    ]
    return "\n".join(out)


def _template_front(question: Question | None, principle_ids: Sequence[str]) -> list[str]:
    q_text = question.text if question else TEMPLATE_QUESTION
    answers = f"[{question.id}]" if question else "[]"
    fields = [
        (
            f"principles: [{', '.join(principle_ids)}]",
            "leadership principles it shows (see: mockvoice questions list)",
        ),
        (f"level: {TEMPLATE_LEVEL}", "sde1, sde2 or senior: sets the time budget, and so the targets"),
        (f"answers: {answers}", "bank questions this story answers, by id"),
        (
            "# targets: {situation: 30}",
            "seconds per section; default: the level's budget split like the example",
        ),
    ]
    width = max(len(f) for f, _ in fields) + 2
    return [
        "---",
        "# Your own story, in the words you mean to say. Replace each 'Write your … here' line;",
        "# then check it: mockvoice scenarios validate THIS_FILE",
        f'question: "{q_text}"',
        *(f"{f:<{width}}# {comment}" for f, comment in fields),
        "---",
        "",
        f"# {TEMPLATE_TITLE}",
        "",
    ]


def _principle_notes(
    section_id: str, principles: Sequence[Principle], question: Question | None, bank: Bank
) -> list[str]:
    """The bank's words for this section: the principles' framing where it applies (how to open,
    what to stress), and the level's own expectations where the question has none of its own."""
    level = next((lv for lv in bank.levels if lv.id == TEMPLATE_LEVEL), None)
    if section_id == "situation":
        return [f"{p.name}: {p.lead_with}" for p in principles]
    if section_id == "action":
        return [f"{p.name}, emphasize: {p.emphasize} Downplay: {p.downplay}" for p in principles]
    if level is not None and section_id == "task" and question is None:
        return [f"At {level.name}, a story shows: {level.focus}"]
    if level is not None and section_id == "reflection":
        return [f"A reflection at {level.name}: {level.reflection}"]
    return []


def _probe_notes(section_id: str, probes: Sequence[Followup]) -> list[str]:
    """The follow-ups this section's weak spots invite (a probe's first section trigger), each
    with its weak and strong answer: the examples of what to say and what not to."""
    notes = []
    for f in probes:
        first = next((t for t in f.triggers if t in STAR_SECTION_IDS), "action")
        if first == section_id:
            notes += [
                f'Follow-up to expect: "{f.question}"',
                f'  Weak: "{f.weak.answer}" — {f.weak.comment}',
                f'  Strong: "{f.strong.answer}" — {f.takeaway}',
            ]
    return notes


# --- import, validate: what the commands print ---------------------------------------------------


def scenario_yaml(scenario: Scenario, story: Story) -> str:
    """The scenario as a readable YAML file: plain strings for phrases without variants."""
    import yaml

    data = scenario.model_dump(by_alias=True, mode="json", exclude_none=True)
    for section in data["sections"]:
        section["key_phrases"] = [kp["phrase"] if not kp["variants"] else kp for kp in section["key_phrases"]]
    for level in data["levels"]:
        if not level.get("key_phrases"):
            level.pop("key_phrases", None)  # a story's levels add no phrases: no empty key
    data = {k: v for k, v in data.items() if v != []}
    header = (
        f"# Imported from {story.path} by 'mockvoice scenarios import'. Key phrases were"
        f" {'taken from its list' if story.listed else 'suggested from its text'};\n"
        "# edit freely, then check: mockvoice scenarios validate THIS_FILE\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
