"""Scenario files: the bundled scenario's content and the loader's error messages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from mockvoice.errors import ExitCode, ScenarioError
from mockvoice.scenario.catalog import find_scenario, list_scenarios, load_scenario, scenario_dirs
from mockvoice.scenario.files import shipped_scenarios_dir
from mockvoice.scenario.model import STAR_SECTION_IDS, KeyPhrase, Scenario

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "scenarios" / "leadership-without-title.yaml"
BAD_DIR = Path(__file__).parent / "data" / "bad_scenarios"
BAD_FILES = sorted(BAD_DIR.glob("*.yaml"))


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(BUNDLED)


def _labels(phrases: list[KeyPhrase]) -> list[str]:
    return [kp.phrase for kp in phrases]


# --- the bundled scenario ----------------------------------------------------------------


def test_bundled_scenario_loads(scenario: Scenario) -> None:
    assert scenario.id == "leadership-without-title"
    assert scenario.schema_version == 1
    assert scenario.category == "General Behavioral"
    assert "Without a Management Title" in scenario.title
    assert scenario.question.endswith("?") or scenario.question.endswith(".")
    assert scenario.overview.scenario.startswith("While working as an SDE2")
    assert scenario.overview.walkthrough.startswith("In this STAR walkthrough")


def test_loader_matches_plain_safe_load(scenario: Scenario) -> None:
    plain = Scenario.model_validate(yaml.safe_load(BUNDLED.read_text(encoding="utf-8")))
    assert plain == scenario


def test_sections_and_targets(scenario: Scenario) -> None:
    assert tuple(s.id for s in scenario.sections) == STAR_SECTION_IDS
    assert [s.name for s in scenario.sections] == [
        "Situation",
        "Task",
        "Action",
        "Result",
        "Reflection",
    ]
    assert [s.target_s for s in scenario.sections] == [30, 20, 90, 20, 15]  # the page's
    assert scenario.total_target_s == 175
    assert scenario.section("action").min_s == 20  # its model example takes 26 s (see the YAML)
    for section in scenario.sections:
        assert section.cue and section.strong_example and section.coaching
        assert section.common_mistake
        assert 4 <= len(section.signals) <= 10, section.id


@pytest.mark.parametrize(
    ("section_id", "phrases"),
    [
        (
            "situation",
            ["I noticed", "persistent 0.3% drop rate", "no alerting", "outside my team’s scope"],
        ),
        ("task", ["not my team", "no ticket existed", "nobody asked me", "take ownership"]),
        (
            "action",
            ["I pulled", "I traced", "I reproduced", "I wrote", "I added", "I submitted"],
        ),
        (
            "result",
            ["0.3% to zero", "$8K recovered weekly", "adopted my pattern", "improving reliability"],
        ),
        ("reflection", ["proactively monitoring"]),
    ],
)
def test_key_phrase_labels_are_verbatim(scenario: Scenario, section_id: str, phrases: list[str]) -> None:
    assert _labels(scenario.section(section_id).key_phrases) == phrases


def test_the_senior_level_adds_the_senior_reflections_phrases(scenario: Scenario) -> None:
    senior = ["shared webhook reliability SLO", "organizational gap", "shared visibility"]
    assert {sid: _labels(kps) for sid, kps in scenario.level("senior").key_phrases.items()} == {
        "reflection": senior
    }
    assert _labels(scenario.at_level("senior").section("reflection").key_phrases) == [
        "proactively monitoring",
        *senior,
    ]
    assert scenario.at_level("sde2") is scenario  # a level that adds nothing: the scenario itself
    for phrase in senior:  # they are the senior reflection's words, not the SDE 2 example's
        assert phrase in scenario.level("senior").example_reflection
        assert phrase not in scenario.section("reflection").strong_example


def test_typographic_apostrophe_is_kept(scenario: Scenario) -> None:
    labels = _labels(scenario.section("situation").key_phrases)
    assert "outside my team\u2019s scope" in labels
    assert "outside my team's scope" not in labels  # the ASCII spelling is only a variant


def test_spoken_number_variants(scenario: Scenario) -> None:
    result = {kp.phrase: kp.variants for kp in scenario.section("result").key_phrases}
    assert "zero point three percent to zero" in result["0.3% to zero"]
    assert "eight thousand dollars a week" in result["$8K recovered weekly"]
    assert "adopted my alert pattern" in result["adopted my pattern"]
    situation = {kp.phrase: kp.variants for kp in scenario.section("situation").key_phrases}
    assert "persistent zero point three percent drop rate" in situation["persistent 0.3% drop rate"]
    for section in scenario.sections:
        for kp in section.key_phrases:
            assert kp.phrase not in kp.variants
            assert len(set(kp.variants)) == len(kp.variants), kp.phrase


def test_strong_examples_are_verbatim(scenario: Scenario) -> None:
    assert scenario.section("action").strong_example.startswith(
        "I pulled the webhook delivery logs from the Platform team's monitoring system."
    )
    assert scenario.section("reflection").strong_example.startswith(
        "In retrospect, I realized that proactively monitoring"
    )
    assert scenario.section("result").common_mistake == (
        "Ending with 'team was happy' - activity description, no impact."
    )


def test_followups(scenario: Scenario) -> None:
    by_id = {f.id: f for f in scenario.followups}
    assert list(by_id) == ["influence", "cross-team", "why-ownership", "impact"]
    assert by_id["influence"].triggers == ["task", "no-ownership"]
    assert by_id["cross-team"].triggers == ["action", "we-in-action"]
    assert by_id["why-ownership"].triggers == ["task", "no-ownership"]
    assert by_id["impact"].triggers == ["result", "no-number-in-result", "vague-ending"]
    assert by_id["influence"].takeaway == "I brought a solution, not just a problem."
    assert by_id["influence"].weak.answer == (
        "I did escalate it - I sent them a Slack message and they handled it."
    )
    for followup in scenario.followups:
        assert followup.probes and followup.weak.comment and followup.strong.comment
        assert 3 <= len(followup.key_phrases) <= 5, followup.id
        strong = followup.strong.answer
        for kp in followup.key_phrases:
            assert kp.phrase in strong, (followup.id, kp.phrase)


def test_weak_answer(scenario: Scenario) -> None:
    weak = scenario.weak_answer
    assert weak is not None
    assert weak.text.startswith("I noticed the webhook was dropping sometimes")
    assert len(weak.faults) == 5
    assert weak.faults[0] == '"I told the Platform team" shows no ownership or action.'
    assert weak.bar_raiser.endswith("Leaning No Hire for this LP.")


def test_quiz(scenario: Scenario) -> None:
    assert len(scenario.quiz) == 3
    for q in scenario.quiz:
        assert len(q.choices) == 4
        assert 0 <= q.answer < len(q.choices)
    assert "manager asked me" in scenario.quiz[2].choices[scenario.quiz[2].answer]


def test_principles(scenario: Scenario) -> None:
    assert [p.id for p in scenario.principles] == ["ownership", "customer-obsession", "dive-deep"]
    assert scenario.principle("Customer Obsession").downplay == (
        "Internal team boundaries or process details."
    )


def test_levels(scenario: Scenario) -> None:
    assert [(lv.id, lv.name) for lv in scenario.levels] == [
        ("sde1", "SDE 1"),
        ("sde2", "SDE 2"),
        ("senior", "Senior SDE"),
    ]
    assert scenario.default_level == "sde2"
    assert scenario.level(None).id == "sde2"
    assert scenario.level("Senior SDE").id == "senior"
    sde1, sde2, senior = scenario.levels
    assert (sde1.budget.min_s, sde1.budget.max_s, sde1.budget.text) == (
        None,
        120,
        "Keep to 2 minutes.",
    )
    assert (senior.budget.min_s, senior.budget.max_s, senior.budget.text) == (
        150,
        180,
        "2.5-3 minutes.",
    )
    assert sde2.budget.max_s == 180
    assert sde2.reflection == scenario.section("reflection").strong_example
    assert senior.example_reflection is not None
    assert senior.example_reflection.startswith("The real root cause was the absence")


def test_derived_sde2_values_are_marked_in_the_file() -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    before_sde2 = text[: text.index("- id: sde2")]
    assert "DERIVED, not from the page" in before_sde2[before_sde2.rindex("- id: sde1") :]


# --- error messages ----------------------------------------------------------------------


def _expectations(path: Path) -> list[tuple[int, str]]:
    """(line, text) for every `# expect: text` marker in a bad scenario file."""
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = re.search(r"#\s*expect:\s*(.+?)\s*$", line)
        if match and not line.lstrip().startswith("#"):
            found.append((number, match.group(1)))
    return found


def test_bad_files_cover_the_listed_cases() -> None:
    names = {p.stem for p in BAD_FILES}
    assert {
        "syntax-error",
        "missing-field",
        "wrong-type",
        "unknown-key",
        "duplicate-section-id",
    } <= names


@pytest.mark.parametrize("path", BAD_FILES, ids=[p.stem for p in BAD_FILES])
def test_bad_file_names_file_line_and_field(path: Path) -> None:
    expected = _expectations(path)
    assert expected, f"{path.name} has no '# expect:' marker"
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    error = info.value
    assert error.exit_code == ExitCode.SCENARIO
    assert len(error.problems) == len(expected), str(error)
    assert str(error) == "\n".join(error.problems)
    for line, text in expected:
        prefix = f"{path}:{line}: {text}"
        assert any(p.startswith(prefix) for p in error.problems), (prefix, str(error))
    for problem in error.problems:
        assert path.name in problem
        assert " — " in problem  # every problem carries a fix hint
        assert "\n" not in problem


def test_wrong_type_shows_the_value_and_a_hint() -> None:
    with pytest.raises(ScenarioError, match=r"got 'thirty'\) — write a plain number"):
        load_scenario(BAD_DIR / "wrong-type.yaml")


def test_misspelled_key_suggests_the_field() -> None:
    with pytest.raises(ScenarioError, match=r"did you mean 'coaching'\?"):
        load_scenario(BAD_DIR / "misspelled-key.yaml")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ScenarioError, match=r"nope\.yaml: file not found — "):
        load_scenario(path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("schema: 1\nid: x\ntitle: café\n".encode("latin-1"))
    with pytest.raises(ScenarioError, match=r"latin1\.yaml:3: not valid UTF-8 .* — save"):
        load_scenario(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("# only a comment\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"empty\.yaml:1: the file holds no YAML document"):
        load_scenario(path)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + BUNDLED.read_bytes())
    assert load_scenario(path).id == "leadership-without-title"


def test_list_scenarios_reports_each_bad_file() -> None:
    found = list_scenarios([BAD_DIR])
    assert [p.name for p, _ in found] == [p.name for p in BAD_FILES]
    assert all(isinstance(result, ScenarioError) for _, result in found)


# --- finding scenarios -------------------------------------------------------------------


def test_shipped_dir_holds_the_bundled_scenario() -> None:
    assert (shipped_scenarios_dir() / BUNDLED.name).is_file()


def test_scenario_dirs_order_and_no_duplicates(tmp_path: Path) -> None:
    (tmp_path / "scenarios").mkdir()
    assert scenario_dirs(tmp_path) == [tmp_path / "scenarios", shipped_scenarios_dir()]
    # From the repository root, ./scenarios is the shipped folder: listed once.
    assert len(scenario_dirs(REPO)) == 1
    # No ./scenarios folder: only the shipped one.
    assert scenario_dirs(tmp_path / "elsewhere") == [shipped_scenarios_dir()]


def test_find_by_id_and_by_path() -> None:
    assert find_scenario("leadership-without-title").id == "leadership-without-title"
    assert find_scenario(str(BUNDLED)).id == "leadership-without-title"


def test_find_by_id_inside_the_file(tmp_path: Path) -> None:
    shutil.copy(BUNDLED, tmp_path / "renamed.yml")
    assert find_scenario("leadership-without-title", [tmp_path]).id == ("leadership-without-title")
    assert find_scenario("renamed", [tmp_path]).id == "leadership-without-title"


def test_local_folder_comes_first(tmp_path: Path) -> None:
    local = tmp_path / "scenarios"
    local.mkdir()
    text = BUNDLED.read_text(encoding="utf-8")
    edited = text.replace('title: "Leadership Questions', 'title: "My Own Leadership Questions')
    (local / BUNDLED.name).write_text(edited, encoding="utf-8")
    found = find_scenario("leadership-without-title", scenario_dirs(tmp_path))
    assert found.title.startswith("My Own")


def test_unknown_id_lists_known_ids(tmp_path: Path) -> None:
    shutil.copy(BUNDLED, tmp_path / BUNDLED.name)
    shutil.copy(BAD_DIR / "wrong-type.yaml", tmp_path)  # files that do not load are not known
    with pytest.raises(ScenarioError) as info:
        find_scenario("foo", [tmp_path])
    assert str(info.value) == (
        "unknown scenario 'foo' — known: leadership-without-title (see 'mockvoice scenarios list')"
    )
    with pytest.raises(ScenarioError, match=r"known: .*leadership-without-title"):
        find_scenario("foo")


def test_missing_path_is_not_taken_for_an_id(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="file not found"):
        find_scenario(str(tmp_path / "typo.yaml"))


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
def test_targets_must_be_finite(tmp_path: Path, value: str) -> None:
    """session.json is strict JSON: an infinite target would be saved as Infinity."""
    text = (shipped_scenarios_dir() / "leadership-without-title.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "inf.yaml"
    bad.write_text(text.replace("target_s: 30", f"target_s: {value}", 1), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"inf\.yaml:\d+: .*target_s.*write a plain number"):
        load_scenario(bad)
