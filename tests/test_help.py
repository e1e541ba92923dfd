"""`--help` as a new user reads it at 80 columns (issue 15): every command's description whole
(no "..."), every line within the width, usage lines as people write them, and every scenario
argument naming Markdown stories."""

from __future__ import annotations

import re

import pytest
from scripts.cli_reference import command_paths
from typer.testing import CliRunner

from mockvoice.cli.main import app

WIDTH = 80
PATHS = command_paths(app)


def _help(path: list[str], width: int = WIDTH) -> list[str]:
    env = {"COLUMNS": str(width), "NO_COLOR": "1", "TERM": "dumb"}
    result = CliRunner().invoke(app, [*path, "--help"], prog_name="mockvoice", env=env, terminal_width=width)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "mockvoice")
def test_help_is_whole_and_fits_80_columns(path: list[str]) -> None:
    lines = _help(path)
    usage, body = lines[0], lines[1:]
    truncated = [line for line in body if line.rstrip().endswith("...")]
    assert not truncated, f"descriptions cut short: {truncated}"
    too_wide = [line for line in lines if len(line) > WIDTH]
    assert not too_wide, too_wide
    # usage: upper-case arguments, optional ones in brackets, no typer braces or doubled brackets
    assert usage.startswith("Usage: mockvoice"), usage
    assert not re.search(r"[{}]|\[\[|\]\]", usage), usage
    groups = {"", "scenarios", "questions"}
    if " ".join(path) not in groups:
        assert "..." not in usage, usage


@pytest.mark.parametrize("path", [p for p in PATHS if p and p[-1] in {"mock", "drill", "study"}])
def test_scenario_arguments_name_markdown_stories(path: list[str]) -> None:
    text = " ".join(" ".join(_help(path, 120)).split())
    assert "Markdown" in text or ".md" in text, text
