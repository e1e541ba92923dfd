"""Story authoring commands: `scenarios new` (the template) and `scenarios import` (a story as
scenario YAML, key phrases optionally edited in $EDITOR first).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mockvoice.analysis.draft import draft_checks, finding_line
from mockvoice.errors import StorageError, UsageError, os_error_message
from mockvoice.scenario.bank import Question
from mockvoice.scenario.extract import number_variants
from mockvoice.scenario.files import STORY_SUFFIXES, read_text
from mockvoice.scenario.model import Scenario
from mockvoice.scenario.story import (
    COMMENT,
    Story,
    load_story,
    parse_phrase_list,
    phrase_list_markdown,
    scenario_yaml,
    template,
    with_phrase_list,
)


@dataclass(frozen=True)
class Imported:
    story: Story
    scenario: Scenario
    output: Path
    edited: bool


def import_story(
    path: Path,
    output: Path | None = None,
    *,
    edit: bool = False,
    force: bool = False,
    editor: Callable[[str], str] | None = None,
) -> Imported:
    """`scenarios import`: write the story's scenario as YAML (default `./scenarios/ID.yaml`, so
    `mockvoice mock ID` finds it). With `edit`, the key phrases are edited first (`editor`, by
    default $VISUAL/$EDITOR) and the edited list is kept in the story's '## Key phrases'."""

    story = load_story(path)
    out = Path(output) if output else Path("scenarios") / f"{story.id}.yaml"
    # os.path's checks say False, not OSError, for a name too long: the write then says why.
    if os.path.exists(out) and out.resolve() == Path(path).resolve():
        raise UsageError(f"{out}: that is the story itself — write the scenario elsewhere with -o FILE.yaml")
    if os.path.isdir(out):
        raise UsageError(f"{out}: is a folder — give a file name, e.g. -o {out / (story.id + '.yaml')}")
    if os.path.exists(out) and not force:
        raise UsageError(f"{out}: already exists — pass --force to overwrite it, or -o to write elsewhere")
    if edit:
        story = _edit_phrases(story, editor or run_editor)
    scenario = story.scenario()
    _write_atomic(out, scenario_yaml(scenario, story), "the scenario")
    return Imported(story, scenario, out, edit)


def import_report(result: Imported) -> list[str]:
    story, scenario = result.story, result.scenario
    source = "your Key phrases list" if story.listed else "suggested from your text"
    lines = [f"Key phrases for {scenario.id} ({source}):"]
    for section in scenario.sections:
        for n, kp in enumerate(section.key_phrases):
            also = f"   (also: {'; '.join(kp.variants)})" if kp.variants else ""
            lines.append(f"  {section.name if n == 0 else '':<11} {kp.phrase}{also}")
        if not section.key_phrases:
            lines.append(f"  {section.name:<11} (none)")
    lines.append(f"Wrote {result.output}")
    if not story.listed:
        lines.append(
            "To change them: mockvoice scenarios import --edit, or keep a '## Key phrases' list in the story."
        )
    lines.append(f"Rehearse: mockvoice drill {story.path} · mockvoice mock {story.path}")
    lines += [finding_line(story.path, f) for f in draft_checks(story, scenario)]
    return lines


def run_editor(text: str) -> str:
    """Open $VISUAL or $EDITOR on `text` and return what was saved."""
    import shlex
    import subprocess

    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not command:
        raise UsageError(
            "--edit: no editor set — set $EDITOR (e.g. export EDITOR=nano), or edit the story's list"
        )
    fd, name = tempfile.mkstemp(prefix="mockvoice-phrases-", suffix=".md")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        try:
            done = subprocess.run([*shlex.split(command), name], check=False)
        except OSError as exc:
            raise UsageError(
                f"--edit: cannot run the editor {command!r} ({exc.strerror}) — check $EDITOR"
            ) from None
        if done.returncode != 0:
            raise UsageError(
                f"--edit: the editor {command!r} exited with {done.returncode} — nothing was changed"
            )
        return Path(name).read_text(encoding="utf-8")
    finally:
        Path(name).unlink(missing_ok=True)


_EDIT_HELP = (
    "<!-- Your key phrases: the words you mean to say, one per line, under their section.\n"
    "     '- phrase | another way to say it' adds a variant. Delete what you would not say.\n"
    '     Spoken number forms ("forty percent", "3 times") are added for you.\n'
    "     Saved in your story's '## Key phrases' list. -->\n\n"
)


def _edit_phrases(story: Story, editor: Callable[[str], str]) -> Story:

    listing = phrase_list_markdown(story.key_phrases(), number_variants)
    edited = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), editor(_EDIT_HELP + listing))
    lines = list(enumerate(edited.split("\n"), 1))
    parse_phrase_list(Path(f"{story.path} (edited key phrases)"), lines)  # bad edits fail before writing
    kept = edited.strip("\n") + "\n"
    _write_atomic(story.path, with_phrase_list(read_text(story.path), kept), "the story")
    return load_story(story.path)


def _write_atomic(path: Path, text: str, what: str) -> None:
    """Replace `path` in one step, keeping its mode (a new file gets the usual umask mode, not
    mkstemp's 0600); a disk that says no is a one-line StorageError naming `what` was written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = _mode_for(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    except OSError as exc:
        raise StorageError(os_error_message(exc, path, f"write {what}")) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise StorageError(os_error_message(exc, path, f"write {what}")) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The permission bits `path` has now, or those a new file gets under the current umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def new_story(path: Path | None, question: Question | None = None) -> str:
    """`scenarios new`: the template (coached for `question`'s principles), written to `path`
    (never over an existing file) or returned."""

    text = template(question)
    if path is not None:
        if path.suffix.lower() not in STORY_SUFFIXES:
            md = path.with_suffix(".md").name
            raise UsageError(
                f"{path}: a story is Markdown — name it {md} (then 'mockvoice scenarios import {md}'"
                " writes the scenario YAML); nothing was written"
            )
        if os.path.lexists(path):
            raise UsageError(f"{path}: already exists — choose another file name (nothing was written)")
        _write_atomic(path, text, "the story")
    return text
