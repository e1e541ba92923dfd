"""The docs stay short, linked, generated and true to the code (issue 13.6). Fast: no audio."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scripts import cli_reference

from mockvoice import errors

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
MAX_README_LINES = 250

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^\s*(```|~~~)")
EXIT_ROW = re.compile(r"^\|\s*(\d+)\s*\|")


def _pages() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def _prose(text: str) -> list[str]:
    """The lines outside fenced code blocks (links and headings in examples are not real)."""
    out, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            out.append(line)
    return out


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    return {
        _slug(line.lstrip("#"))
        for line in _prose(page.read_text(encoding="utf-8"))
        if re.match(r"^#{1,6} ", line)
    }


def test_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, f"README.md has {len(lines)} lines; move detail to docs/"


def test_the_docs_exist() -> None:
    for name in ["concepts", "story-format", "session-schema", "analysis", "cli", "CONTRIBUTING"]:
        assert (DOCS / f"{name}.md").is_file(), name


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_point_to_existing_files(page: Path) -> None:
    broken = []
    for line in _prose(page.read_text(encoding="utf-8")):
        for target in LINK.findall(line):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto: …
                continue
            path, _, anchor = target.partition("#")
            dest = (page.parent / path).resolve() if path else page
            if not dest.exists():
                broken.append(f"{target}: no such file")
            elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest):
                broken.append(f"{target}: no heading with that anchor in {dest.name}")
    assert not broken, f"{page.name}: " + "; ".join(broken)


def test_contributing_lists_every_module() -> None:
    layout = (DOCS / "CONTRIBUTING.md").read_text(encoding="utf-8")
    src = ROOT / "src" / "mockvoice"
    modules = sorted(p.name for p in src.glob("*.py"))
    missing = [m for m in modules if not re.search(rf"^  {re.escape(m)}\b", layout, re.M)]
    for package in sorted(p.parent for p in src.glob("*/__init__.py")):
        entry = re.search(rf"^  {package.name}/(.*?)(?=^  \S|^```)", layout, re.M | re.S)
        text = entry.group(1) if entry else ""
        missing += [
            f"{package.name}/{m.stem}"
            for m in sorted(package.glob("*.py"))
            if m.stem != "__init__" and not re.search(rf"\b{m.stem}\b", text)
        ]
    assert not missing, f"docs/CONTRIBUTING.md's layout does not list {missing}"


def test_cli_reference_is_current() -> None:
    problem = cli_reference.stale()
    assert not problem, (
        "docs/cli.md is stale: run `.venv/bin/python -m scripts.cli_reference`\n" + problem[:4000]
    )


def test_cli_reference_covers_every_command() -> None:
    generator = cli_reference
    from mockvoice.cli.main import app

    paths = generator.command_paths(app)
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert len(paths) >= 10
    for path in paths:
        assert f"## `{' '.join(['mockvoice', *path])}`" in text, path


def test_exit_codes_in_the_docs_match_errors_py() -> None:
    """Every table headed `| code | meaning |` lists exactly the codes of errors.ExitCode, and
    the code of every error class is among them."""
    real = {int(code) for code in errors.ExitCode}
    raised = {int(cls.exit_code) for cls in _subclasses(errors.MockvoiceError)}
    tables = 0
    for page in _pages():
        lines = _prose(page.read_text(encoding="utf-8"))
        for i, line in enumerate(lines):
            if re.match(r"^\|\s*code\s*\|", line):
                tables += 1
                listed = []
                for row in lines[i + 2 :]:
                    if not row.startswith("|"):
                        break
                    match = EXIT_ROW.match(row)
                    assert match, f"{page.name}: exit-code row without a code: {row}"
                    listed.append(int(match.group(1)))
                assert len(listed) == len(set(listed)), f"{page.name}: a code is listed twice"
                assert set(listed) == real, f"{page.name}: lists {sorted(listed)}, errors.py {sorted(real)}"
    assert tables >= 1, "no exit-code table in README.md or docs/"
    assert raised <= real


def _subclasses(cls: type) -> set[type]:
    out = {cls}
    for sub in cls.__subclasses__():
        out |= _subclasses(sub)
    return out
