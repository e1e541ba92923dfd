"""The question bank: its content is valid and usable, picking is reproducible, and a bank
question merged with a story is a scenario the mock can run."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.docs import make_doc

from mockvoice.analysis import followups
from mockvoice.errors import ScenarioError, UsageError
from mockvoice.matching.phrases import compile_patterns
from mockvoice.scenario import bank
from mockvoice.scenario import catalog as scenario_catalog
from mockvoice.scenario.catalog import find_scenario, list_scenarios, scenario_dirs
from mockvoice.scenario.story import load_story, seed_scenario
from mockvoice.speech.transcript import Transcript, Word

STORIES = Path(__file__).parent / "data" / "stories"
FLAG_IDS = {"we-in-action", "no-number-in-result", "vague-ending", "generic-reflection"}


@pytest.fixture(scope="module")
def b() -> bank.Bank:
    return bank.load_bank()


def _said(text: str) -> Transcript:
    """A transcript of `text` read at an even pace (the judge only needs the words)."""
    words = tuple(Word(" " + w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(text.split()))
    return Transcript(words, duration_s=len(words) * 0.4)


# --- content ----------------------------------------------------------------------------------


def test_bank_has_thirty_distinct_questions(b: bank.Bank) -> None:
    assert len(b.questions) >= 30
    ids = [q.id for q in b.questions]
    texts = [q.text for q in b.questions]
    assert len(set(ids)) == len(ids) and len(set(texts)) == len(texts)
    for q in b.questions:
        assert q.text.endswith((".", "?")), q.id
        assert 2 <= len(q.probes) <= 3, q.id
        assert {q.levels.sde1, q.levels.sde2, q.levels.senior}, q.id
        assert all(p in {pr.id for pr in b.principles} for p in q.principles), q.id


def test_every_principle_is_probed_and_levels_match_the_seed(b: bank.Bank) -> None:
    probed = {p for q in b.questions for p in q.principles}
    assert probed == {p.id for p in b.principles}
    assert [lv.id for lv in b.levels] == [lv.id for lv in seed_scenario().levels]
    # The seed's three principles keep their ids, so --lp means the same everywhere.
    assert {p.id for p in seed_scenario().principles} <= {p.id for p in b.principles}


def test_every_probe_is_valid_and_judges_its_own_examples(b: bank.Bank) -> None:
    signals = FLAG_IDS | {s.id for s in seed_scenario().sections} | {followups.NO_OWNERSHIP}
    used = {p for q in b.questions for p in q.probes if isinstance(p, str)} | set(b.default_probes)
    assert used == {p.id for p in b.probes}, "every probe is used, and only known probes are"
    for probe in b.probes:
        assert probe.triggers and set(probe.triggers) <= signals, probe.id
        assert probe.key_phrases, probe.id
        for kp in probe.key_phrases:
            assert compile_patterns(kp.phrase, kp.variants), (probe.id, kp.phrase)
        assert followups.judge(_said(probe.strong.answer), probe).verdict == "strong", probe.id
        assert followups.judge(_said(probe.weak.answer), probe).verdict == "weak", probe.id


def test_the_bank_is_not_a_scenario() -> None:
    listed = [path.name for folder in scenario_dirs() for path, _ in list_scenarios([folder])]
    assert "questions.yaml" not in listed


def test_a_broken_bank_names_the_file_and_line(tmp_path: Path) -> None:
    text = (Path(bank.__file__).parents[1] / "data" / "questions.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "questions.yaml"
    broken.write_text(text.replace("    probes: [why-you, impact, your-part]", "    probes: [why-you, nope]"))
    with pytest.raises(ScenarioError, match=r"questions\.yaml:\d+: questions: .*unknown probe 'nope'"):
        bank.load_bank(broken)
    broken.write_text(text.replace("  - id: sde1\n    name: SDE 1\n", "  - id: sde1\n    nmae: SDE 1\n", 1))
    with pytest.raises(ScenarioError, match=r"questions\.yaml:\d+: levels\[0\]\.nmae: unknown key"):
        bank.load_bank(broken)


# --- picking --------------------------------------------------------------------------------


def test_pick_by_id_and_reproducibly_at_random(b: bank.Bank) -> None:
    assert bank.pick(b, "hardest-bug").id == "hardest-bug"
    firsts = {bank.pick(b, "random", seed=7).id for _ in range(3)}
    assert len(firsts) == 1
    assert len({bank.pick(b, "random", seed=s).id for s in range(40)}) > 5
    # A story's declared questions come first, then its principles.
    assert bank.pick(b, "random", answers=["said-no"], seed=1).id == "said-no"
    by_lp = {bank.pick(b, "random", principles=["frugality"], seed=s).id for s in range(20)}
    assert by_lp == {"fewer-resources", "saved-money"}


def test_unknown_question_suggests_the_close_one(b: bank.Bank) -> None:
    with pytest.raises(
        UsageError, match=r"--question: unknown question 'hardest-bugs' — did you mean 'hardest-bug'"
    ):
        bank.pick(b, "hardest-bugs")


# --- merging ----------------------------------------------------------------------------------


def test_merge_asks_the_bank_question_with_the_storys_phrases(b: bank.Bank) -> None:
    story = load_story(STORIES / "outage.md")
    own = story.scenario()
    q = b.question("production-incident")
    merged = bank.merge(own, q, b)
    assert merged.question == q.text
    assert [f.id for f in merged.followups] == ["your-part", "cost-of-waiting", "lasting"]
    assert merged.sections == own.sections  # targets and key phrases stay the story's
    assert merged.level("senior").focus == q.levels.senior
    assert merged.level("sde2").budget == own.level("sde2").budget
    assert [p.id for p in merged.principles][:2] == ["bias-for-action", "dive-deep"]
    # The follow-up choice reads the merged probes: a vague ending → the lasting probe.
    unsaid = merged.model_copy(update={"sections": []})  # a vague ending and nothing else to go on
    doc = make_doc(unsaid, flags=[("vague-ending", "it went well", 60.0, "result")])
    assert followups.choose(doc, merged, 1)[0][0].id == "lasting"


def test_scenario_for_a_story_file_and_for_a_scenario_id() -> None:
    merged, q = scenario_catalog.scenario_for("random", str(STORIES / "outage.md"), seed=3)
    assert q.id == "problem-nobody-owned"  # the only question the story says it answers
    assert merged.id == "outage" and merged.question == q.text
    seeded, q2 = scenario_catalog.scenario_for("hardest-bug", "leadership-without-title")
    assert seeded.sections == find_scenario("leadership-without-title").sections
    assert seeded.question == q2.text
