"""`scenarios new --question ID`: a template coached for that question's own principle (the bank's
framing, level expectations and probes; the bundled Ownership story only for Ownership), and
`scenarios validate` of a template not yet filled in: exit 4 with one line per place to fill in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.support.cli import assert_one_line_error, invoke, run

from mockvoice.errors import ExitCode
from mockvoice.scenario.bank import load_bank
from mockvoice.scenario.story import seed_scenario

# One single-principle question per principle tested.
QUESTIONS = {
    "hardest-bug": "dive-deep",
    "unhappy-customer": "customer-obsession",
    "tight-deadline": "deliver-results",
    "disagreed-with-senior": "have-backbone",
    "problem-nobody-owned": "ownership",
}

# A Dive Deep story, written as a candidate fills in the hardest-bug template.
FILLED = {
    "# A short title for your story": "# The checksum that lied",
    "Situation": (
        "Last spring our nightly export to the data warehouse started failing about one night in"
        " ten with a checksum mismatch. The files looked complete, and retrying the job always"
        " passed, so the team had learned to rerun it and move on."
    ),
    "Task": (
        "I wanted to know why a retry fixed it, because a checksum that fails at random means"
        " either the data or the check is wrong, and finance used these files for the month end."
    ),
    "Action": (
        "I pulled three months of job logs and lined the failures up with the storage metrics."
        " I ruled out the network first, since the failed runs had no more retries than the good"
        " ones. I noticed that every failure started within a second of a log rotation on the"
        " export host. I reproduced it in staging by forcing a rotation in the middle of a"
        " write, and I confirmed that the checksum was computed while the last block was still"
        " buffered. I moved the checksum after the file was flushed and closed, and I added a"
        " test that rotates the logs during an export."
    ),
    "Result": (
        "The export has not failed a checksum since, over 90 nights, down from about one failure"
        " in ten. Finance stopped waiting up to 4 hours for reruns at month end."
    ),
    "Reflection": (
        "Looking back, I learned that a retry that always works hides a race instead of fixing"
        " it. Now I log the timing of every retry I add, so the pattern shows up in the data."
    ),
}


def _template(question: str) -> str:
    made = invoke("scenarios", "new", "--question", question)
    assert made.returncode == 0, made.stderr
    return made.stdout


def _fill(text: str, sections: dict[str, str]) -> str:
    """The template with its placeholder lines (and the title) replaced by `sections`' text."""
    for key, written in sections.items():
        line = key if key.startswith("#") else f"Write your {key} here, in the words you will say."
        assert line in text, line
        text = text.replace(line, written)
    return text


def _principle_texts(principle) -> list[str]:
    return [principle.lead_with, principle.emphasize, principle.downplay]


def _seed_texts() -> list[str]:
    return [t for s in seed_scenario().sections for t in (s.coaching, s.common_mistake, s.strong_example)]


@pytest.mark.parametrize(("question_id", "principle_id"), QUESTIONS.items())
def test_template_is_coached_for_the_questions_principle(question_id: str, principle_id: str) -> None:
    bank = load_bank()
    text = _template(question_id)
    question = bank.question(question_id)
    assert question.principles == [principle_id]
    assert f"principles: [{principle_id}]" in text
    for own in _principle_texts(bank.principle(principle_id)):
        assert own in text, own
    for other in bank.principles:
        if other.id != principle_id:
            for foreign in _principle_texts(other):
                assert foreign not in text, (other.id, foreign)
    for expectation in (question.levels.sde1, question.levels.sde2, question.levels.senior):
        assert expectation in text
    for probe in bank.probes_of(question):
        assert probe.question in text and probe.strong.answer in text and probe.weak.answer in text
    # The bundled story's own framings (one per principle it is told for) are its story's, never
    # a template's; its section coaching and examples are Ownership's, shown only for Ownership.
    for framing in seed_scenario().principles:
        assert framing.lead_with not in text
    ownership = principle_id == "ownership"
    assert all((seed in text) == ownership for seed in _seed_texts())
    assert ("webhook" in text) == ownership


def test_templates_of_different_principles_differ_where_the_principle_speaks() -> None:
    situations = {q: _template(q).split("## Situation", 1)[1].split("## Task", 1)[0] for q in QUESTIONS}
    assert len(set(situations.values())) == len(QUESTIONS)


def test_untouched_template_fails_with_what_to_fill_in(tmp_path: Path) -> None:
    path = tmp_path / "bug.md"
    assert invoke("scenarios", "new", str(path), "--question", "hardest-bug").returncode == 0
    proc = run("scenarios", "validate", str(path))  # a real process: the exit code a shell sees
    assert proc.returncode == int(ExitCode.SCENARIO), proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and " ok " not in proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert all(ln.startswith(f"mockvoice: error: {path}") for ln in lines)
    file_lines = path.read_text(encoding="utf-8").split("\n")
    located = [re.match(rf"mockvoice: error: {re.escape(str(path))}:(\d+): (.*)", ln) for ln in lines[:-1]]
    assert all(located), lines
    flagged = [file_lines[int(m.group(1)) - 1] for m in located if m]
    assert flagged == [
        "# A short title for your story",
        *(f"Write your {name} here, in the words you will say." for name in FILLED if name[0] != "#"),
    ]
    assert "'## Action' still holds the template's placeholder — replace it with your Action" in lines[3]
    assert lines[-1].endswith(
        f"6 places are still the template's — write your own there, then run"
        f" 'mockvoice scenarios validate {path}' again"
    )


def test_untouched_plain_template_also_names_the_question(tmp_path: Path) -> None:
    path = tmp_path / "mine.md"
    assert invoke("scenarios", "new", str(path)).returncode == 0
    proc = invoke("scenarios", "validate", str(path))
    assert proc.returncode == int(ExitCode.SCENARIO)
    first = proc.stderr.splitlines()[0]
    where = re.match(rf"mockvoice: error: {re.escape(str(path))}:(\d+): ", first)
    assert where, first
    line = int(where.group(1))
    assert path.read_text(encoding="utf-8").split("\n")[line - 1] == 'question: "Tell me about a time you …"'
    assert "question: still the template's — write the question you answer" in first
    assert "7 places are still the template's" in proc.stderr


def test_filled_in_template_validates(tmp_path: Path) -> None:
    path = tmp_path / "bug.md"
    path.write_text(_fill(_template("hardest-bug"), FILLED), encoding="utf-8")
    proc = invoke("scenarios", "validate", str(path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"{path}: ok — bug: 5 sections")
    assert proc.stderr == ""


def test_partly_filled_template_lists_only_what_is_left(tmp_path: Path) -> None:
    text = _fill(_template("hardest-bug"), {k: v for k, v in FILLED.items() if k != "Reflection"})
    # The Situation written under its placeholder, which was left in.
    text = text.replace(
        FILLED["Situation"], "Write your Situation here, in the words you will say.\n" + FILLED["Situation"]
    )
    path = tmp_path / "bug.md"
    path.write_text(text, encoding="utf-8")
    proc = invoke("scenarios", "validate", str(path))
    assert proc.returncode == int(ExitCode.SCENARIO)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 3, lines
    assert "'## Situation' still holds the template's placeholder — delete this line" in lines[0]
    assert (
        "'## Reflection' still holds the template's placeholder — replace it with your Reflection" in lines[1]
    )
    assert "2 places are still the template's" in lines[2]


def test_untouched_template_is_not_imported(tmp_path: Path) -> None:
    path = tmp_path / "bug.md"
    assert invoke("scenarios", "new", str(path), "--question", "hardest-bug").returncode == 0
    proc = invoke("scenarios", "import", str(path), cwd=tmp_path)
    assert proc.returncode == int(ExitCode.SCENARIO)
    assert "still holds the template's placeholder" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bug.md"]  # no scenarios/bug.yaml


def test_new_still_refuses_a_yaml_name(tmp_path: Path) -> None:
    proc = invoke("scenarios", "new", "foo.yaml", "--question", "hardest-bug", cwd=tmp_path)
    assert_one_line_error(proc, ExitCode.USAGE, "foo.yaml", "name it foo.md")
    assert list(tmp_path.iterdir()) == []
