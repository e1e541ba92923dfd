"""Markdown stories: parsing, suggested key phrases (checked on piper-spoken stories through the
real model), targets, draft checks, and the `scenarios import/new/validate` commands."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.support.cli import invoke as run  # in-process; real `mockvoice` processes: test_cli.py

from mockvoice.analysis.draft import draft_checks
from mockvoice.errors import ExitCode, ScenarioError
from mockvoice.scenario.catalog import find_scenario, load_scenario
from mockvoice.scenario.extract import number_variants, suggestions
from mockvoice.scenario.model import STAR_SECTION_IDS
from mockvoice.scenario.story import load_story, seed_scenario, split_targets, template

ROOT = Path(__file__).resolve().parent.parent
STORIES = Path(__file__).parent / "data" / "stories"
CACHE = ROOT / ".cache" / "stories"
GOOD = ("outage", "onboarding", "migration")

# What the importer suggests for each real-looking story, section by section.
EXPECTED = {
    "outage": {
        "situation": ["4% of checkout requests failed", "$30K in lost orders", "No dashboard showed"],
        "task": ["not my team", "nobody had opened a ticket", "I decided to own the investigation"],
        "action": [
            "I pulled three weeks of gateway traces",
            "I found that the connection pool capped",
            "I built a load test",
            "I wrote a patch",
            "I walked the infrastructure lead",
            "I rolled the change out",
        ],
        "result": ["dropped from 4% to under 0.1% at peak", "$30K a week in orders"],
        "reflection": ["failure nobody measures is a failure nobody owns", "I add an alert"],
    },
    "onboarding": {
        "situation": ["engineer took 6 weeks", "page with 40 manual steps"],
        "task": ["next 3 hires", "I set myself the goal"],
        "action": [
            "I timed every step",
            "I replaced the 40 manual steps",
            "I added a smoke test",
            "I paired with each new hire",
        ],
        "result": ["dropped from 6 weeks to 2 days", "all 3 hires", "their first 4 days"],
        "reflection": [
            "documentation decays unless something runs it every day",
            "I would put the setup script",
        ],
    },
    "migration": {
        "situation": ["took 9 hours", "6am deadline for finance"],
        "task": ["I owned the billing reports", "I believed a smaller change could fix"],
        "action": [
            "I profiled the batch job",
            "70% of the runtime",
            "I wrote a one page proposal",
            "I asked the principal engineer",
            "I built the incremental version",
        ],
        "result": ["went from 9 hours to 50 minutes", "10x faster", "bill by $1.2M a year"],
        "reflection": [
            "strongest argument was the profile, not my opinion",
            "I now bring data to a disagreement",
        ],
    },
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- import: sections, phrases, targets ----------------------------------------------------------


@pytest.mark.parametrize("name", GOOD)
def test_import_suggests_phrases_from_the_text(name: str) -> None:
    scenario = load_story(STORIES / f"{name}.md").scenario()
    assert [s.id for s in scenario.sections] == list(STAR_SECTION_IDS)
    assert {s.id: [kp.phrase for kp in s.key_phrases] for s in scenario.sections} == EXPECTED[name]


def test_phrases_are_short_and_copied_from_the_text() -> None:
    for name in GOOD:
        story = load_story(STORIES / f"{name}.md")
        for sid, section in story.sections.items():
            for s in suggestions(sid, section.text):
                assert 2 <= len(s.phrase.split()) <= 8, s
                assert s.phrase in section.text, s


def test_number_variants_add_only_what_the_matcher_lacks() -> None:
    # Already equal after normalization: no variant.
    assert number_variants("4% of checkout requests failed") == []
    assert number_variants("$30K in lost orders") == []
    assert number_variants("three weeks of traces") == []
    # The one normalizer (mockvoice.numbers) reads spoken forms by value: nothing to add.
    assert number_variants("10x faster") == []
    assert number_variants("2x faster") == []
    assert number_variants("bill by $1.2M a year") == []
    assert number_variants("p99 from 900ms to 250ms") == []
    assert number_variants("in 2.5 days") == []
    assert number_variants("from 6 weeks to 2 days") == []
    assert number_variants("took two weeks") == []
    # Units it does not know are still spelled out.
    assert number_variants("10k rps") == ["10k requests per second"]


def test_targets_split_the_level_budget_in_the_seed_proportions() -> None:
    seed = seed_scenario()
    seed_targets = {s.id: s.target_s for s in seed.sections}
    assert split_targets("sde2") == seed_targets  # the seed's own level: its own targets
    ratio = seed.level("sde1").budget.max_s / seed.level("sde2").budget.max_s
    assert split_targets("sde1") == {k: float(round(v * ratio)) for k, v in seed_targets.items()}
    assert split_targets("sde1") == {
        "situation": 20,
        "task": 13,
        "action": 60,
        "result": 13,
        "reflection": 10,
    }
    onboarding = load_story(STORIES / "onboarding.md").scenario()
    assert [s.target_s for s in onboarding.sections] == [20, 13, 60, 13, 10]
    assert onboarding.default_level == "sde1"


def test_story_scenario_takes_seed_structure_and_bank_probes() -> None:
    scenario = find_scenario(str(STORIES / "outage.md"))  # a .md path works wherever an id does
    assert scenario.id == "outage" and scenario.title == "The Friday checkout timeouts"
    assert scenario.question == "Tell me about a time you fixed a problem nobody owned."
    assert scenario.section("action").cue == seed_scenario().section("action").cue
    assert scenario.section("action").strong_example.startswith("I pulled three weeks")
    assert [f.id for f in scenario.followups] == ["why-you", "impact", "your-part", "differently"]
    assert [p.id for p in scenario.principles] == ["ownership", "dive-deep"]
    assert "webhook" not in scenario.level("sde2").reflection  # the bank's generic text, not the seed's
    assert scenario.level("senior").budget == seed_scenario().level("senior").budget
    assert scenario.level("senior").key_phrases == {}  # the seed's senior phrases are about its story
    assert load_scenario(STORIES / "outage.md") == scenario


def test_key_phrases_list_replaces_suggestions_for_its_sections(tmp_path: Path) -> None:
    text = (STORIES / "outage.md").read_text()
    listed = (
        text
        + "\n## Key phrases\n\n### Result\n"
        + "- from 4% to under 0.1% | from four to a tenth of a percent\n\n### Task\n"
    )
    scenario = load_story(write(tmp_path, "outage.md", listed)).scenario()
    result = scenario.section("result").key_phrases
    assert [(kp.phrase, kp.variants) for kp in result] == [
        ("from 4% to under 0.1%", ["from four to a tenth of a percent"])
    ]
    assert scenario.section("task").key_phrases == []  # listed with no phrases: none
    assert [kp.phrase for kp in scenario.section("action").key_phrases] == EXPECTED["outage"]["action"]
    in_front = text.replace("level: sde2\n", 'level: sde2\nphrases:\n  result: ["3x faster"]\n')
    front = load_story(write(tmp_path, "front.md", in_front)).scenario().section("result").key_phrases
    assert [(kp.phrase, kp.variants) for kp in front] == [("3x faster", [])]  # read by value
    both = write(tmp_path, "both.md", in_front + "\n## Key phrases\n### Result\n- x y z\n")
    with pytest.raises(
        ScenarioError, match=r"both\.md:\d+: key phrases are given both here and in the front matter"
    ):
        load_story(both)


# --- the spoken story: piper speaks it, the real model transcribes it ----------------------------


@pytest.fixture(scope="module")
def spoken(transcriber) -> dict[str, object]:
    """Each good story's text spoken by piper (cached in .cache/stories) and transcribed."""
    from mockvoice.audio import files as audio
    from mockvoice.speech import tts
    from mockvoice.speech.streaming import transcribe_in_utterances

    # Steady: the same takes on every run. Loaded once; cached_wav only synthesizes what is not cached.
    out, voice = {}, tts.Voice(steady=True)
    for name in GOOD:
        story = load_story(STORIES / f"{name}.md")
        text = " ".join(s.text for s in story.sections.values())
        wav = tts.cached_wav(text, CACHE, voice=voice)
        out[name] = transcribe_in_utterances(transcriber, audio.load(wav))
    return out


@pytest.mark.audio
def test_spoken_story_finds_its_own_phrases_and_not_anothers(spoken: dict) -> None:
    from mockvoice.analysis import answer as analysis

    total = found_total = 0
    for name in GOOD:
        scenario = load_story(STORIES / f"{name}.md").scenario()
        for other, transcript in spoken.items():
            doc = analysis.analyze(transcript, scenario)
            found = [kp.phrase for kp in doc.key_phrases if kp.found]
            if other == name:
                total += doc.phrase_count()
                found_total += len(found)
                assert len(found) >= 0.85 * doc.phrase_count(), (name, found)
                flags = doc.flag_ids()
                assert not flags & {
                    "we-in-action",
                    "no-number-in-result",
                    "vague-ending",
                    "generic-reflection",
                }
            else:
                assert len(found) <= 1, (name, other, found)  # another story does not say them
    assert found_total >= 0.9 * total, f"{found_total}/{total} phrases found"


# --- draft checks ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", GOOD)
def test_good_drafts_pass_the_checks(name: str) -> None:
    assert draft_checks(load_story(STORIES / f"{name}.md")) == []


def test_bad_draft_fires_every_check_with_its_line() -> None:
    findings = draft_checks(load_story(STORIES / "bad-draft.md"))
    got = [(f.id, f.line, f.section) for f in findings]
    assert got == [
        ("long-situation", 10, "Situation"),
        ("we-in-action", 16, "Action"),
        ("we-in-action", 16, "Action"),
        ("we-in-action", 16, "Action"),
        ("no-reflection", 19, "Reflection"),
        ("no-number-in-result", 19, "Result"),
        ("vague-ending", 19, "Result"),
    ]
    by_id = {f.id: f for f in reversed(findings)}  # the first of each kind
    assert "takes about 53 s at 142 words/min, far past its 30 s target" in by_id["long-situation"].message
    assert by_id["we-in-action"].quote.startswith("We looked through the deploy logs")
    assert by_id["vague-ending"].quote == "team was happy"


def test_generic_reflection_and_empty_sections(tmp_path: Path) -> None:
    text = (STORIES / "outage.md").read_text()
    generic = text.split("## Reflection")[0] + "## Reflection\nI learned a lot, and communication is key.\n"
    ids = [f.id for f in draft_checks(load_story(write(tmp_path, "g.md", generic)))]
    assert ids == ["generic-reflection", "generic-reflection"]
    # The template with its placeholder lines deleted and nothing written yet: empty sections.
    emptied = "\n".join(ln for ln in template().split("\n") if not ln.startswith("Write your "))
    emptied = emptied.replace("Tell me about a time you …", "Tell me about a slow build.")
    emptied = emptied.replace("# A short title for your story", "# The slow build")
    skeleton = load_story(write(tmp_path, "t.md", emptied))
    assert [f.id for f in draft_checks(skeleton)] == ["empty-section"] * 4 + ["no-reflection"]


# --- parsing errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("# Title\n## Situation\nx\n", r"s\.md:1: no front matter"),
        ("---\nquestion: Q?\n", r"s\.md:1: the front matter is not closed"),
        ("---\nquestion: Q?\nlevle: sde2\n---\n", r"s\.md:3: levle: unknown key — did you mean 'level'\?"),
        ("---\nquestion: Q?\nlevel: sde9\n---\n", r"s\.md:3: level: unknown level 'sde9' — use one of: sde1"),
        ("---\nanswers: [nope]\n---\n", r"s\.md:2: answers: unknown bank question 'nope'"),
        ("---\nlevel: sde1\n---\n## Situation\n## Task\n## Action\n## Result\n", r"question: required field"),
        ("---\nquestion: Q?\n---\n## Situation\nx\n", r"s\.md: no '## Task' heading"),
        (
            "---\nquestion: Q?\n---\n## Situation\n## Background\n",
            r"s\.md:5: unknown heading '## Background'",
        ),
        ("---\nquestion: Q?\n---\n## Situation\n## Situation\n", r"s\.md:5: .*Situation appears twice"),
        ("---\nquestion: Q?\n---\n## Key phrases\n- orphan\n", r"s\.md:5: key phrase before any section"),
    ],
)
def test_story_problems_name_file_and_line(tmp_path: Path, text: str, needle: str) -> None:
    with pytest.raises(ScenarioError, match=needle):
        load_story(write(tmp_path, "s.md", text))


def test_markdown_markup_is_read_as_plain_speech(tmp_path: Path) -> None:
    text = (
        "---\nanswers: [hardest-bug]\n---\n# T\n<!-- a note\n## Task\n-->\n"
        "## S — Situation\nThe **cache** was [stale](http://x).\n## Task\nFind it.\n"
        "## Actions\n- I traced the stale keys\n- I wrote a fix\n## Results\nHits went from 40% to 95%.\n"
        "## Notes\nnot spoken\n"
    )
    story = load_story(write(tmp_path, "m.md", text))
    assert story.question.startswith("Tell me about the hardest bug")
    assert story.sections["situation"].text == "The cache was stale."
    assert story.sections["action"].text == "I traced the stale keys. I wrote a fix."
    assert story.sections["action"].line == 12 and "reflection" not in story.sections


# --- the commands ----------------------------------------------------------------------------------


def test_cli_import_writes_a_scenario_that_loads(tmp_path: Path) -> None:
    story = tmp_path / "outage.md"
    story.write_text((STORIES / "outage.md").read_text())
    proc = run("scenarios", "import", str(story), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (
        "I pulled three weeks of gateway traces" in proc.stdout
        and "Wrote scenarios/outage.yaml" in proc.stdout
    )
    written = load_scenario(tmp_path / "scenarios" / "outage.yaml")
    assert written == load_story(story).scenario()
    again = run("scenarios", "import", str(story), cwd=tmp_path)
    assert again.returncode == int(ExitCode.USAGE)
    assert again.stderr.strip().splitlines() == [
        "mockvoice: error: scenarios/outage.yaml: already exists — pass --force to overwrite it,"
        " or -o to write elsewhere"
    ]
    assert run("mock", "--help").returncode == 0
    listed = run("scenarios", "list", cwd=tmp_path)
    assert "outage" in listed.stdout  # found by id from ./scenarios


def test_cli_import_never_writes_over_its_own_story_or_a_folder(tmp_path: Path) -> None:
    story = tmp_path / "outage.md"
    text = (STORIES / "outage.md").read_text()
    story.write_text(text)
    (tmp_path / "out").mkdir()
    for target, says in (
        (story, "that is the story itself — write the scenario elsewhere with -o FILE.yaml"),
        (tmp_path / "out", "is a folder — give a file name"),
    ):
        proc = run("scenarios", "import", str(story), "-o", str(target), "--force", cwd=tmp_path)
        assert proc.returncode == int(ExitCode.USAGE), proc.stderr
        (line,) = proc.stderr.strip().splitlines()
        assert line.startswith(f"mockvoice: error: {target}: {says}"), line
    assert story.read_text() == text and list((tmp_path / "out").iterdir()) == []


def test_cli_import_edit_keeps_the_list_in_the_story(tmp_path: Path) -> None:
    story = tmp_path / "migration.md"
    story.write_text((STORIES / "migration.md").read_text())
    editor = tmp_path / "edit.sh"
    editor.write_text(
        "#!/bin/sh\nsed -i -e '/took 9 hours/d'"
        " -e 's/^- 10x faster$/- 10x faster | ten times as fast/' \"$1\"\n"
    )
    editor.chmod(0o755)
    env = os.environ.copy() | {"EDITOR": str(editor), "VISUAL": ""}
    proc = run(
        "scenarios", "import", str(story), "--edit", "-o", str(tmp_path / "m.yaml"), cwd=tmp_path, env=env
    )
    assert proc.returncode == 0, proc.stderr
    kept = load_story(story)
    assert "## Key phrases" in story.read_text() and kept.listed
    result = load_scenario(tmp_path / "m.yaml")
    assert [kp.phrase for kp in result.section("situation").key_phrases] == ["6am deadline for finance"]
    fast = result.section("result").key_phrases[1]
    assert (fast.phrase, fast.variants) == ("10x faster", ["ten times as fast"])  # the user's own
    no_editor = run(
        "scenarios", "import", str(story), "--edit", "--force", cwd=tmp_path, env=env | {"EDITOR": ""}
    )
    assert no_editor.returncode == int(ExitCode.USAGE) and "set $EDITOR" in no_editor.stderr


def test_cli_new_validate_and_show(tmp_path: Path) -> None:
    path = tmp_path / "my-stories" / "bug.md"
    made = run("scenarios", "new", str(path), "--question", "hardest-bug")
    assert made.returncode == 0, made.stderr
    text = path.read_text()
    assert 'question: "Tell me about the hardest bug you have tracked down."' in text
    assert "answers: [hardest-bug]" in text
    assert text.count("\n## ") == 6  # the five sections, and the Key phrases example in a comment
    assert "Dive Deep: Lead with the symptom" in text  # the question's principle, as comments
    assert "Keep the Situation concise" not in text  # not the bundled (Ownership) story's coaching
    again = run("scenarios", "new", str(path))
    assert again.returncode == int(ExitCode.USAGE) and "already exists" in again.stderr
    untouched = run("scenarios", "validate", str(path))
    assert untouched.returncode == int(ExitCode.SCENARIO) and "still holds the template's" in untouched.stderr
    bad = run("scenarios", "validate", str(STORIES / "bad-draft.md"))
    assert bad.returncode == 0
    assert 'bad-draft.md:16: warning: "we" in the Action — say what you did: "I …": "We rewrote' in bad.stdout
    assert "7 warning(s)" in bad.stdout
    good = run("scenarios", "validate", str(STORIES / "outage.md"))
    assert good.returncode == 0 and "no warnings" in good.stdout and "16 key phrases" in good.stdout
    broken = run("scenarios", "validate", str(write(tmp_path, "x.md", "no front matter\n")))
    assert broken.returncode == int(ExitCode.SCENARIO)
    assert broken.stderr.strip() == (
        f"mockvoice: error: {tmp_path}/x.md:1: no front matter — start the file with a '---' line,"
        " 'question: \"…\"', and another '---' line (see 'mockvoice scenarios new')"
    )
    shown = run("scenarios", "show", str(STORIES / "outage.md"))
    assert shown.returncode == 0 and "I pulled three weeks of gateway traces" in shown.stdout


def test_cli_questions_and_mock_bad_input() -> None:
    listed = run("questions", "list", "--lp", "frugality")
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 2
    shown = run("questions", "show", "said-no")
    assert shown.returncode == 0 and "Senior SDE:" in shown.stdout
    proc = run("mock", "--question", "nope", "--story", str(STORIES / "outage.md"), "--no-voice")
    assert proc.returncode == int(ExitCode.USAGE)
    assert (
        proc.stderr.strip()
        == "mockvoice: error: --question: unknown question 'nope' — see 'mockvoice questions list'"
    )
    missing = run("mock", "--question", "random", "--story", "nothere.md", "--no-voice")
    assert missing.returncode == int(ExitCode.SCENARIO) and "nothere.md: file not found" in missing.stderr


def test_stories_in_the_scenarios_folder_are_listed_and_found_by_id(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "outage.md").write_text((STORIES / "outage.md").read_text())
    (folder / "README.md").write_text("# My stories\n\nNotes, not a story.\n")
    listed = run("scenarios", "list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert any(line.startswith("outage ") and str(folder / "outage.md") in line for line in lines), lines
    assert any(line.startswith("leadership-without-title ") for line in lines)  # the shipped one too
    assert "README" not in listed.stdout and "INVALID" not in listed.stdout
    assert (
        find_scenario("outage", [folder])
        .sections[0]
        .strong_example.startswith(load_story(STORIES / "outage.md").sections["situation"].text[:40])
    )
    shown = run("scenarios", "show", "outage", cwd=tmp_path)
    assert shown.returncode == 0 and "I pulled three weeks of gateway traces" in shown.stdout
