"""Reading a YAML model file with line-numbered, fixable errors (`load_model`): duplicate keys,
syntax, wrong types and unknown fields each named with the file, line and a hint.
"""

from __future__ import annotations

import difflib
import importlib.resources
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar, get_args

import yaml
from pydantic import (
    BaseModel,
    ValidationError,
)

from mockvoice.errors import ScenarioError, os_error_message
from mockvoice.scenario.model import SCHEMA_VERSION, Scenario

YAML_SUFFIXES = (".yaml", ".yml")


STORY_SUFFIXES = (".md", ".markdown")


SCENARIO_SUFFIXES = YAML_SUFFIXES + STORY_SUFFIXES


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


_GENERIC_HINT = "see the models in mockvoice/scenario/model.py for the expected shape"


def load_model(path: Path, model: type[_M], text: str | None = None) -> _M:
    """Validate YAML `text` (default: the file's) as `model`, with the scenario loader's
    line-numbered problems; other YAML data files (the question bank, a story's front matter)
    share it. Lines are counted in `text`: pad it with newlines to point into a larger file."""
    path = Path(path)
    text = read_text(path) if text is None else text
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
    root, _ = _parse_yaml(path, read_text(path))
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
    return Path(__file__).resolve().parents[3] / "scenarios"


MAX_FILE_BYTES = 1024 * 1024  # a scenario or story is a few KB; 1 MB stops /dev/zero or a stray log


def read_text(path: Path) -> str:
    """A scenario or story file's text (UTF-8, BOM dropped): one-line errors for a missing,
    special (a FIFO would block, /dev/zero never ends), oversized, unreadable or non-UTF-8 file."""
    raw = _read_regular(Path(path))
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark is harmless
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ScenarioError(
            f"{path}:{line}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
            " — save the file as UTF-8"
        ) from None


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES. Opened without blocking and checked
    on the open descriptor, so a FIFO or device is refused before a single byte is read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ScenarioError(
            f"{path}: file not found — check the path, or give a scenario id (see 'mockvoice scenarios list')"
        ) from None
    except IsADirectoryError:
        raise ScenarioError(
            f"{path}: is a folder, not a scenario file — give the path of a .yaml file"
        ) from None
    except OSError as exc:
        raise ScenarioError(os_error_message(exc, path, "read the file")) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):  # checked before fdopen, which refuses a folder with a traceback
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ScenarioError(f"{path}: is a folder, not a scenario file — give the path of a .yaml file")
        raise ScenarioError(
            f"{path}: not a regular file (a pipe or device) — give a scenario .yaml or story .md file"
        )
    with os.fdopen(fd, "rb") as fh:
        try:
            raw = fh.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise ScenarioError(os_error_message(exc, path, "read the file")) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(
            f"{path}: larger than {MAX_FILE_BYTES // 1024 // 1024} MB — not a scenario or story;"
            " check the path (a story is a few KB)"
        )
    return raw


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
    except RecursionError:
        raise ScenarioError(
            f"{path}: YAML nested too deeply to read — not a scenario; start from a shipped one"
        ) from None
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
