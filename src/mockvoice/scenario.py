"""Scenario files: the single source of truth for questions, sections, targets and phrases.

A scenario is a YAML file validated by the pydantic models below (unknown keys are
errors, so a typo never silently drops content). `load_scenario` turns every problem
into a `ScenarioError` naming the file, the line and the field.
"""

from __future__ import annotations

import difflib
import importlib.resources
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar, get_args

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from mockvoice.errors import ScenarioError

SCHEMA_VERSION = 1
STAR_SECTION_IDS = ("situation", "task", "action", "result", "reflection")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KeyPhrase(_Model):
    """A phrase the answer should contain. `phrase` is the label shown to the user, verbatim;
    `variants` are other ways of saying it that count as a hit."""

    phrase: str = Field(min_length=1)
    variants: list[str] = []

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        # A bare string is the common case: `- "I noticed"`.
        return {"phrase": data} if isinstance(data, str) else data


class Section(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    target_s: float = Field(gt=0)
    # The shortest the section can be and still be "ok" (default: target_s x delivery.yaml's
    # timing.under_ratio). For a section whose model example is much shorter than its target.
    min_s: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    cue: str  # what the interviewer says to prompt this section in drill mode
    strong_example: str
    key_phrases: list[KeyPhrase] = []
    coaching: str
    common_mistake: str
    # Words and short phrases that typically open or mark this section ("as a result",
    # "in retrospect"); they help find section boundaries when no marks were given.
    signals: list[str] = []


class Overview(_Model):
    scenario: str
    walkthrough: str


class ExampleAnswer(_Model):
    answer: str
    comment: str  # why it is weak / what makes it strong


class Idea(_Model):
    """One element of a follow-up's strong answer, written as an idea: `name` is what the
    candidate reads ("evidence brought"), `ways` the many ways of saying it. Each way is matched
    like a key phrase (inflections, numbers by value, the phrase rules' paraphrases); a denied
    way ("I didn't have any tests") does not count."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str = Field(min_length=1)
    ways: list[str] = Field(min_length=1)


class Followup(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    question: str
    probes: str  # what the interviewer is probing for
    weak: ExampleAnswer
    strong: ExampleAnswer
    takeaway: str
    key_phrases: list[KeyPhrase] = []
    # The strong answer's elements as ideas (`mockvoice.followups.judge`); optional, so a probe
    # written with only key phrases still validates and is judged on them.
    ideas: list[Idea] = []
    # Analysis flag ids / section ids whose weakness makes this probe the natural next question.
    triggers: list[str] = []

    @field_validator("ideas")
    @classmethod
    def _unique_idea_ids(cls, ideas: list[Idea]) -> list[Idea]:
        _check_unique_ids(ideas, "idea")
        return ideas

    def judged_ideas(self) -> list[Idea]:
        """What an answer is judged on: the written ideas, or else one idea per key phrase (the
        phrase is its name, its variants the other ways), so older probes judge as before."""
        if self.ideas:
            return list(self.ideas)
        return [
            Idea(id=f"phrase-{n}", name=kp.phrase, ways=[kp.phrase, *kp.variants])
            for n, kp in enumerate(self.key_phrases, 1)
        ]


class WeakAnswer(_Model):
    text: str
    faults: list[str] = Field(min_length=1)
    bar_raiser: str


class QuizQuestion(_Model):
    question: str
    choices: list[str] = Field(min_length=2)
    answer: int = Field(ge=0)  # index into choices
    explanation: str

    # A field validator (not a model validator) so the error points at `answer`.
    @field_validator("answer")
    @classmethod
    def _answer_in_range(cls, answer: int, info: ValidationInfo) -> int:
        choices = info.data.get("choices")
        if choices is not None and answer >= len(choices):
            raise ValueError(
                f"answer {answer} is not an index into the {len(choices)} choices (the first choice is 0)"
            )
        return answer


class Principle(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    lead_with: str
    emphasize: str
    downplay: str


class Budget(_Model):
    """A level's total speaking time. `min_s` is the source's own minimum; where the source gives
    none the analysis derives the floor from the section targets (`mockvoice.flags.budget_floor`),
    so a level always has both ends."""

    min_s: float | None = Field(default=None, ge=0)
    max_s: float = Field(gt=0)
    text: str  # how the source puts it, e.g. "Keep to 2 minutes."


class Level(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    focus: str
    reflection: str  # what a reflection at this level sounds like
    # A longer model reflection for this level, when the source gives one.
    example_reflection: str | None = None
    bar: str
    budget: Budget
    # Key phrases this level expects on top of the sections' own, by section id: what the level
    # adds (a senior reflection names the organizational gap; an SDE 2 one need not).
    # `Scenario.at_level` merges them into the sections.
    key_phrases: dict[str, list[KeyPhrase]] = {}


class Scenario(_Model):
    schema_version: int = Field(SCHEMA_VERSION, alias="schema")
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str
    category: str = ""
    question: str
    overview: Overview
    sections: list[Section] = Field(min_length=1)
    followups: list[Followup] = []
    weak_answer: WeakAnswer | None = None
    quiz: list[QuizQuestion] = []
    principles: list[Principle] = []
    levels: list[Level] = Field(min_length=1)
    default_level: str

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("schema_version")
    @classmethod
    def _known_schema(cls, version: int) -> int:
        if version != SCHEMA_VERSION:
            raise ValueError(
                f"schema {version} is not supported (this mockvoice reads schema {SCHEMA_VERSION})"
            )
        return version

    @field_validator("sections")
    @classmethod
    def _unique_section_ids(cls, sections: list[Section]) -> list[Section]:
        _check_unique_ids(sections, "section")
        return sections

    @field_validator("followups", "principles", "levels")
    @classmethod
    def _unique_ids(cls, items: list[Any], info: ValidationInfo) -> list[Any]:
        what = {"followups": "follow-up", "principles": "principle", "levels": "level"}
        _check_unique_ids(items, what[info.field_name or ""])
        return items

    # `sections` is declared before `levels`, so it is in `info.data` when it validated.
    @field_validator("levels")
    @classmethod
    def _level_phrases_fit_sections(cls, levels: list[Level], info: ValidationInfo) -> list[Level]:
        sections = info.data.get("sections")
        if sections is not None:
            for lv in levels:
                _check_level_phrases(lv, sections)
        return levels

    # A field validator (not a model validator) so the error points at `default_level`;
    # `levels` is declared earlier, so it is in `info.data` when it validated.
    @field_validator("default_level")
    @classmethod
    def _default_level_exists(cls, default_level: str, info: ValidationInfo) -> str:
        levels = info.data.get("levels")
        if levels is not None and default_level not in {lv.id for lv in levels}:
            known = ", ".join(lv.id for lv in levels)
            raise ValueError(f"default_level {default_level!r} is not one of the levels ({known})")
        return default_level

    # --- lookups -------------------------------------------------------------------

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def level(self, level_id: str | None) -> Level:
        """The level by id or name (case-insensitive, spaces ignored); the default when None."""
        wanted = _fold(level_id or self.default_level)
        for lv in self.levels:
            if wanted in (_fold(lv.id), _fold(lv.name)):
                return lv
        raise KeyError(level_id)

    def principle(self, principle_id: str) -> Principle:
        wanted = _fold(principle_id)
        for p in self.principles:
            if wanted in (_fold(p.id), _fold(p.name)):
                return p
        raise KeyError(principle_id)

    @property
    def total_target_s(self) -> float:
        return sum(s.target_s for s in self.sections)

    def at_level(self, level_id: str | None) -> Scenario:
        """The scenario as judged at a level: each section's key phrases plus the ones the level
        adds, so the analysis, its sectioning and the scorecard all see one list. Idempotent:
        a phrase the section already has is not added twice."""
        extra = self.level(level_id).key_phrases
        if not extra:
            return self
        sections = [
            s.model_copy(update={"key_phrases": [*s.key_phrases, *_new_phrases(s, extra.get(s.id, []))]})
            for s in self.sections
        ]
        return self.model_copy(update={"sections": sections})


def _new_phrases(section: Section, phrases: Sequence[KeyPhrase]) -> list[KeyPhrase]:
    labels = {kp.phrase for kp in section.key_phrases}
    return [kp for kp in phrases if kp.phrase not in labels]


def _check_level_phrases(level: Level, sections: Sequence[Section]) -> None:
    """A level's extra key phrases must name a section and not repeat one of its labels (the
    analysis keys phrases by label within a section)."""
    by_id = {s.id: s for s in sections}
    for section_id, phrases in level.key_phrases.items():
        if section_id not in by_id:
            raise ValueError(
                f"level {level.id!r}: key_phrases names unknown section {section_id!r}"
                f" — use one of: {', '.join(by_id)}"
            )
        own = {kp.phrase for kp in by_id[section_id].key_phrases}
        labels = [kp.phrase for kp in phrases]
        repeated = sorted({p for p in labels if p in own or labels.count(p) > 1})
        if repeated:
            raise ValueError(
                f"level {level.id!r}: key phrase(s) {', '.join(map(repr, repeated))} repeat a label of"
                f" the {section_id} section — keep each label once per section"
            )


def _fold(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _check_unique_ids(items: Sequence[Any], what: str) -> None:
    """Raise a `duplicate_id` error whose context says which items repeat an earlier id,
    so the loader can point at each duplicate's own line."""
    first: dict[str, int] = {}
    dupes: list[tuple[int, int, str]] = []  # (index, index of first use, id)
    for i, item in enumerate(items):
        if item.id in first:
            dupes.append((i, first[item.id], item.id))
        else:
            first[item.id] = i
    if dupes:
        ids = ", ".join(sorted({d[2] for d in dupes}))
        raise PydanticCustomError(
            "duplicate_id",
            "duplicate {what} id(s): {ids}",
            {"what": what, "ids": ids, "duplicates": dupes},
        )


# --- loading -------------------------------------------------------------------------
#
# Every problem becomes one line `{path}:{line}: {field.path}: {problem} — {fix hint}`,
# and all of a file's problems are reported at once in one `ScenarioError`.

_YAML_SUFFIXES = (".yaml", ".yml")
STORY_SUFFIXES = (".md", ".markdown")
_SCENARIO_SUFFIXES = _YAML_SUFFIXES + STORY_SUFFIXES
_M = TypeVar("_M", bound=BaseModel)
_ID_HINT = "use lowercase letters, digits and hyphens, starting with a letter"
_NUMBER_HINT = "write a plain number without quotes, e.g. 30"
_TEXT_HINT = "write it as text (quote it if YAML reads it as a number, date or yes/no)"
_TYPE_HINTS = {
    "string_type": _TEXT_HINT,
    "float_type": _NUMBER_HINT,
    "float_parsing": _NUMBER_HINT,
    "int_type": _NUMBER_HINT,
    "int_parsing": _NUMBER_HINT,
    "int_from_float": "write a whole number, e.g. 1",
    "finite_number": _NUMBER_HINT,
    "list_type": "write a list: one item per line, each starting with '- '",
    "model_type": "write a mapping: one 'key: value' per line, indented under this key",
    "model_attributes_type": "write a mapping: one 'key: value' per line, indented under this key",
    "dict_type": "write a mapping: one 'key: value' per line, indented under this key",
    "string_pattern_mismatch": _ID_HINT,
    "string_too_short": "write some text; it must not be empty",
}
_FIELD_HINTS = {
    "answer": "use the index of the correct choice, counting from 0",
    "default_level": "use the id of one of the levels",
    "schema": f"use 'schema: {SCHEMA_VERSION}', or a mockvoice version that reads this schema",
}
_GENERIC_HINT = "see the models in mockvoice/scenario.py for the expected shape"


def load_scenario(path: Path) -> Scenario:
    """Read and validate one scenario file (`yaml.safe_load` semantics, stricter on
    duplicate keys). Every problem raises `ScenarioError`, one line per problem.
    A Markdown story (.md) is turned into a scenario by `mockvoice.story`."""
    path = Path(path)
    if path.suffix.lower() in STORY_SUFFIXES:
        from mockvoice.story import load_story_scenario

        return load_story_scenario(path)
    return load_model(path, Scenario)


def load_model(path: Path, model: type[_M], text: str | None = None) -> _M:
    """Validate YAML `text` (default: the file's) as `model`, with the scenario loader's
    line-numbered problems; other YAML data files (the question bank, a story's front matter)
    share it. Lines are counted in `text`: pad it with newlines to point into a larger file."""
    path = Path(path)
    text = _read_text(path) if text is None else text
    root, data = _parse_yaml(path, text)
    problems = _duplicate_keys(path, root)
    try:
        loaded = model.model_validate(data)
    except ValidationError as exc:
        problems += _validation_problems(path, root, exc, model)
    else:
        if not problems:
            return loaded
    problems.sort(key=lambda item: item[0])  # by line; stable for problems on one line
    raise ScenarioError(*dict.fromkeys(message for _, message in problems))


def field_line(path: Path, loc: Sequence[str | int]) -> int:
    """The line of a field in a scenario file that loads, so a warning about its content (the
    self-check's) can point at it like the loader's errors do."""
    path = Path(path)
    root, _ = _parse_yaml(path, _read_text(path))
    return _locate(root, tuple(loc))[0]


def shipped_scenarios_dir() -> Path:
    """The scenarios that come with mockvoice: inside the installed package (a wheel
    carries the top-level `scenarios/` as `mockvoice/scenarios`), else the repository's
    `scenarios/` folder (an editable install)."""
    try:
        packaged = importlib.resources.files("mockvoice") / "scenarios"
    except ModuleNotFoundError:  # pragma: no cover - mockvoice is always importable here
        packaged = None
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "scenarios"


def scenario_dirs(cwd: Path | None = None) -> list[Path]:
    """Where scenarios are looked up, in order: `./scenarios` of `cwd` (default: the
    current directory), then the shipped scenarios. Folders that do not exist are left
    out, and a folder is listed once even when both resolve to it."""
    cwd = Path.cwd() if cwd is None else Path(cwd)
    dirs: list[Path] = []
    seen: set[Path] = set()
    for folder in (cwd / "scenarios", shipped_scenarios_dir()):
        if not folder.is_dir() or folder.resolve() in seen:
            continue
        seen.add(folder.resolve())
        dirs.append(folder)
    return dirs


def list_scenarios(
    dirs: Iterable[Path] | None = None,
) -> list[tuple[Path, Scenario | ScenarioError]]:
    """Every scenario file in `dirs` (default: `scenario_dirs()`): `*.yaml`/`*.yml`, and
    Markdown stories (`*.md`, a folder's README aside), in folder order then by name, with the
    loaded scenario or the error that stopped it."""
    found: list[tuple[Path, Scenario | ScenarioError]] = []
    for folder in scenario_dirs() if dirs is None else dirs:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        files = sorted(p for p in folder.iterdir() if _is_scenario_file(p))
        for file in files:
            try:
                found.append((file, load_scenario(file)))
            except ScenarioError as exc:
                found.append((file, exc))
    return found


def find_scenario(ref: str, dirs: Iterable[Path] | None = None) -> Scenario:
    """A scenario by file path or by id.

    `ref` is a path when that file exists, when it ends in .yaml/.yml/.md or when it holds a
    path separator (a .md path is a Markdown story, see `mockvoice.story`). Otherwise it is an
    id, looked up in `dirs` (default: `scenario_dirs()`) in order; within a folder a file
    named `{ref}.yaml` (or `{ref}.md`, a story) wins over a file whose `id:` is `ref`. A file
    found by name that does not load raises its error."""
    path = Path(ref).expanduser()
    suffix = path.suffix.lower()
    if path.is_file() or suffix in _SCENARIO_SUFFIXES or "/" in ref or "\\" in ref:
        return load_scenario(path)
    known: list[str] = []
    for folder in scenario_dirs() if dirs is None else [Path(d) for d in dirs]:
        for suffix in _SCENARIO_SUFFIXES:
            candidate = folder / f"{ref}{suffix}"
            if candidate.is_file():
                return load_scenario(candidate)
        for _, loaded in list_scenarios([folder]):
            if isinstance(loaded, Scenario):
                if loaded.id == ref:
                    return loaded
                known.append(loaded.id)
    names = ", ".join(sorted(set(known))) or "(none)"
    raise ScenarioError(f"unknown scenario '{ref}' — known: {names} (see 'mockvoice scenarios list')")


# --- loading helpers -------------------------------------------------------------------


def _is_scenario_file(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix in STORY_SUFFIXES and path.stem.lower() == "readme":
        return False
    return suffix in _SCENARIO_SUFFIXES and path.is_file()


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(
            f"{path}: file not found — check the path, or give a scenario id (see 'mockvoice scenarios list')"
        ) from None
    except IsADirectoryError:
        raise ScenarioError(
            f"{path}: is a folder, not a scenario file — give the path of a .yaml file"
        ) from None
    except OSError as exc:
        raise ScenarioError(
            f"{path}: cannot read the file ({exc.strerror or exc}) — check its permissions"
        ) from None
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark is harmless
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ScenarioError(
            f"{path}:{line}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
            " — save the file as UTF-8"
        ) from None


def _parse_yaml(path: Path, text: str) -> tuple[yaml.MappingNode, Any]:
    """The root node (for line numbers) and the data `yaml.safe_load` would return."""
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        raise ScenarioError(_reader_problem(path, text, exc)) from None
    try:
        root = loader.get_single_node()
        data = None if root is None else loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        raise ScenarioError(_syntax_problem(path, exc)) from None
    except yaml.reader.ReaderError as exc:
        raise ScenarioError(_reader_problem(path, text, exc)) from None
    finally:
        loader.dispose()
    if root is None:
        raise ScenarioError(
            f"{path}:1: the file holds no YAML document — start from a shipped scenario"
            " (see 'mockvoice scenarios list')"
        )
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise ScenarioError(
            f"{path}:{_line(root)}: the top level is {kind}, not a mapping"
            " — a scenario is a mapping of keys such as 'schema: 1' and 'id: my-story'"
        )
    return root, data


def _syntax_problem(path: Path, exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f"{path}:{mark.line + 1}" if mark is not None else f"{path}"
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.problem and exc.context_mark is not None:
        problem += f" ({exc.context} at line {exc.context_mark.line + 1})"
    if isinstance(exc, yaml.constructor.ConstructorError):
        hint = "use plain YAML values: text, numbers, lists and mappings"
    elif isinstance(exc, yaml.composer.ComposerError) and "single document" in str(exc):
        hint = "keep one document per file (remove the extra '---')"
    else:
        hint = "check the indentation, colons and quotes here (quote text containing ': ' or '#')"
    return f"{where}: YAML syntax error: {problem} — {hint}"


def _reader_problem(path: Path, text: str, exc: yaml.reader.ReaderError) -> str:
    line = text.count("\n", 0, max(exc.position, 0)) + 1
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return (
        f"{path}:{line}: YAML syntax error: character {char!r} is not allowed in YAML"
        " — delete it, or write it as an escape inside a double-quoted string"
    )


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _duplicate_keys(path: Path, root: yaml.Node) -> list[tuple[int, str]]:
    """`yaml.safe_load` silently keeps the last of two equal keys; report them instead."""
    problems: list[tuple[int, str]] = []
    seen: set[int] = set()  # an alias can make the node graph cyclic

    def walk(node: yaml.Node, loc: tuple[str | int, ...]) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*loc, i))
        elif isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                    continue
                line = _line(key)
                if key.value in first:
                    where = f"{path}:{line}: {_dotted((*loc, key.value))}"
                    problems.append(
                        (
                            line,
                            f"{where}: duplicate key (first at line {first[key.value]})"
                            " — remove one; YAML would keep only the last",
                        )
                    )
                else:
                    first[key.value] = line
                walk(value, (*loc, key.value))

    walk(root, ())
    return problems


def _validation_problems(
    path: Path, root: yaml.Node, exc: ValidationError, model: type[BaseModel] = Scenario
) -> list[tuple[int, str]]:
    problems: list[tuple[int, str]] = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        ctx = error.get("ctx") or {}
        if error["type"] == "duplicate_id":
            for index, first, dup_id in ctx["duplicates"]:
                line, _ = _locate(root, (*loc, index, "id"))
                first_line, _ = _locate(root, (*loc, first, "id"))
                problems.append(
                    (
                        line,
                        f"{path}:{line}: {_dotted((*loc, index, 'id'))}: duplicate {ctx['what']} id"
                        f" {dup_id!r} (first used at line {first_line})"
                        f" — give each {ctx['what']} its own id",
                    )
                )
            continue
        line, _found = _locate(root, loc)
        problem, hint = _describe(error, loc, model)
        field = f"{_dotted(loc)}: " if loc else ""
        problems.append((line, f"{path}:{line}: {field}{problem} — {hint}"))
    return problems


def _describe(error: Any, loc: tuple[str | int, ...], model: type[BaseModel] = Scenario) -> tuple[str, str]:
    """(problem, fix hint) for one pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    name = str(loc[-1]) if loc else ""
    if kind == "missing":
        return "required field is missing", f"add '{name}:' to this mapping"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1], model)
        close = difflib.get_close_matches(name, allowed, n=1)
        if close:
            return "unknown key", f"did you mean '{close[0]}'?"
        if allowed:
            return "unknown key", f"remove it, or use one of: {', '.join(allowed)}"
        return "unknown key", "remove it"
    msg = str(error["msg"]).removeprefix("Value error, ")
    if kind == "value_error" and " — " in msg:
        problem, hint = msg.split(" — ", 1)  # the validator named the fix itself
        return problem, hint
    value = error.get("input")
    if kind != "value_error" and (value is None or isinstance(value, str | int | float | bool)):
        shown = repr(value)
        if len(shown) > 40:
            shown = shown[:37] + "..."
        msg += f" (got {shown})"
    if kind in _TYPE_HINTS:
        hint = _TYPE_HINTS[kind]
    elif kind == "greater_than":
        hint = f"use a number greater than {_number(ctx.get('gt'))}"
    elif kind == "greater_than_equal":
        hint = f"use a number of at least {_number(ctx.get('ge'))}"
    elif kind == "too_short":
        hint = f"give at least {ctx.get('min_length')} item(s)"
    else:
        hint = _FIELD_HINTS.get(name, _GENERIC_HINT)
    return msg, hint


def _locate(root: yaml.Node, loc: tuple[Any, ...]) -> tuple[int, bool]:
    """The line of the node at `loc` (for a mapping key: the key's line) and whether all of
    `loc` was found. A part that is not there (a missing field) leaves the line at the
    deepest part that was: the key or list item holding the mapping it belongs in."""
    node = root
    line = _line(root)
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:  # the last equal key wins, as in safe_load
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    child, line = value, _line(key)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            child = node.value[part]
            line = _line(child)
        if child is None:
            return line, False
        node = child
    return line, True


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _dotted(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f"{'.' if out else ''}{part}"
    return out


def _allowed_keys(loc: tuple[Any, ...], root_model: type[BaseModel] = Scenario) -> list[str]:
    """The keys the model at `loc` accepts (by their YAML spelling)."""
    model: Any = root_model
    for part in loc:
        if isinstance(part, int):
            continue  # a list index; the list's item type is already unwrapped
        fields = model.model_fields if _is_model(model) else {}
        field = next((f for n, f in fields.items() if part in (n, f.alias)), None)
        if field is None:
            return []
        model = _unwrap(field.annotation)
    if not _is_model(model):
        return []
    return [f.alias or n for n, f in model.model_fields.items()]


def _unwrap(annotation: Any) -> Any:
    """`list[X]` and `X | None` → X."""
    while args := [a for a in get_args(annotation) if a is not type(None)]:
        annotation = args[0]
    return annotation


def _is_model(obj: Any) -> bool:
    return isinstance(obj, type) and issubclass(obj, BaseModel)
