"""Finding scenarios: by id or path, in ./scenarios, the user's folder and the bundled ones; a
Markdown story or a YAML file alike; and a story merged with a bank question (`scenario_for`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from mockvoice.errors import ScenarioError
from mockvoice.scenario.bank import Question, load_bank, merge, pick
from mockvoice.scenario.files import SCENARIO_SUFFIXES, STORY_SUFFIXES, load_model, shipped_scenarios_dir
from mockvoice.scenario.model import Scenario
from mockvoice.scenario.story import load_story, load_story_scenario


def load_scenario(path: Path) -> Scenario:
    """Read and validate one scenario file (`yaml.safe_load` semantics, stricter on
    duplicate keys). Every problem raises `ScenarioError`, one line per problem.
    A Markdown story (.md) is turned into a scenario by `mockvoice.story`."""
    path = Path(path)
    if path.suffix.lower() in STORY_SUFFIXES:
        return load_story_scenario(path)
    return load_model(path, Scenario)


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
    if _is_file(path) or suffix in SCENARIO_SUFFIXES or "/" in ref or "\\" in ref:
        return load_scenario(path)
    known: list[str] = []
    for folder in scenario_dirs() if dirs is None else [Path(d) for d in dirs]:
        for suffix in SCENARIO_SUFFIXES:
            candidate = folder / f"{ref}{suffix}"
            if _is_file(candidate):
                return load_scenario(candidate)
        for _, loaded in list_scenarios([folder]):
            if isinstance(loaded, Scenario):
                if loaded.id == ref:
                    return loaded
                known.append(loaded.id)
    names = ", ".join(sorted(set(known))) or "(none)"
    raise ScenarioError(f"unknown scenario '{ref}' — known: {names} (see 'mockvoice scenarios list')")


def _is_file(path: Path) -> bool:
    """A regular file; False (not an OSError) for a name too long to look up, as for one not there."""
    return os.path.isfile(path)


def _is_scenario_file(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix in STORY_SUFFIXES and path.stem.lower() == "readme":
        return False
    return suffix in SCENARIO_SUFFIXES and path.is_file()


def scenario_for(question_ref: str, story_ref: str, seed: int | None = None) -> tuple[Scenario, Question]:
    """What `mock --question REF --story FILE` runs: the story (a .md story or any scenario id
    or file) merged with the picked bank question."""

    bank = load_bank()
    if Path(story_ref).suffix.lower() in STORY_SUFFIXES:
        story = load_story(Path(story_ref))
        scenario = story.scenario()
        answers, principles = story.meta.answers, story.meta.principles
    else:
        scenario = find_scenario(story_ref)
        answers, principles = [], [p.id for p in scenario.principles]
    question = pick(bank, question_ref, answers=answers, principles=principles, seed=seed)
    return merge(scenario, question, bank), question
