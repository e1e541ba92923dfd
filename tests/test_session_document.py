"""Issue 13.2: the session document is one typed model (`mockvoice.session.document`).

Documents of every mode are built as the flows build them, from the pure analysis of transcripts
read from the scenario's own example answers (no audio): each must load through the model and
serialize back to exactly the dict that was saved. Bad documents are one SessionError line
naming the file and the first bad field; the published JSON Schema must be current.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scripts import session_schema

from mockvoice.analysis import answer as analysis
from mockvoice.analysis import followups, quiz, verdict
from mockvoice.analysis.flags import TOO_SHORT, FlagId, content_flag_ids, no_number_id
from mockvoice.errors import SessionError
from mockvoice.rehearse.flows import section_attempt
from mockvoice.scenario.rules import default_rules
from mockvoice.session import archive, export, history
from mockvoice.session import store as session
from mockvoice.session.document import (
    SCHEMA,
    DrillAttempt,
    FollowupResult,
    Interruption,
    LiveEvent,
    SessionDocument,
    Timing,
    as_document,
    as_model,
    new_document,
)
from mockvoice.speech.transcript import Hesitation, Transcript, Word

ROOT = Path(__file__).resolve().parent.parent
CREATED = datetime(2026, 3, 1, 18, 30, tzinfo=UTC)


def spoken(text: str, seconds_per_word: float = 0.4, start_s: float = 0.6) -> Transcript:
    """`text` as if read at an even pace, with one hesitation heard between two words."""
    words = tuple(
        Word(" " + w, start_s + i * seconds_per_word, start_s + (i + 0.8) * seconds_per_word, 0.9)
        for i, w in enumerate(text.split())
    )
    um = Hesitation(start_s + 3 * seconds_per_word - 0.1, start_s + 3 * seconds_per_word, "um")
    return Transcript(
        words, start_s + len(words) * seconds_per_word + 1.0, model="tiny.en (test)", fillers=(um,)
    )


def strong_text(scenario) -> str:
    return " ".join(s.strong_example for s in scenario.sections)


def start(root: Path, scenario, mode: str, n: int, **fields) -> tuple[Path, SessionDocument]:
    """A new session folder and its document's opening fields, as `Rehearsal.start` writes them."""
    created = CREATED + timedelta(hours=n)
    folder = session.new_session_dir(root, scenario.id, created)
    doc = new_document(
        session.header(mode=mode, created=created),
        scenario=scenario.id,
        scenario_title=scenario.title,
        question=scenario.question,
        partial=True,
        **fields,
    )
    return folder, doc


@pytest.fixture(scope="module")
def saved(tmp_path_factory, scenario) -> dict[str, Path]:
    """Session folders of every mode, each document built as `rehearse.flows` builds it."""
    root = tmp_path_factory.mktemp("documents") / "recordings"
    strong = spoken(strong_text(scenario))
    weak = spoken(scenario.weak_answer.text, seconds_per_word=0.9, start_s=6.0)  # slow, late, short
    out = {}

    folder, _ = archive.save(root, analysis.analyze(strong, scenario), mode="analyze", audio_src=None)
    out["analyze"] = folder
    marked = analysis.analyze(
        strong, scenario, marks=[15.0, 25.0, 70.0, 82.0], level="senior", principle="ownership"
    )
    folder, _ = archive.save(root, marked, mode="analyze", audio_src=None, created=CREATED)
    out["analyze-marks"] = folder
    folder, _ = archive.save(root, analysis.analyze(weak, scenario), mode="analyze", audio_src=None)
    out["analyze-weak"] = folder

    # mock: the answer, a follow-up judged on ideas, one judged on key phrases, one unanswered
    folder, doc = start(root, scenario, "mock", 1, level=None, principle=None)
    doc = doc.with_parts(
        audio="answer.wav",
        ended_by="silence",
        overflows=0,
        live=[LiveEvent(t=3.1, heard_s=2.9, phrase="I noticed", section="situation", said_in=None, at_s=1.2)],
        interruptions=[Interruption(section="action", at_s=131.5, said="Let me stop you there.")],
    )
    answer = analysis.analyze(weak, scenario)
    doc = doc.with_parts(**answer.made_with(), followups=[])
    doc = doc.with_parts(
        timing=Timing(streaming=True, feedback_s=0.4, asr_busy_s=9.5, preview_busy_s=None, shown=0.4)
    )
    probes = scenario.followups
    on_phrases = probes[1].model_copy(update={"ideas": []})
    judged = [
        followups.judge(spoken(text), probe, start_s=200.0).with_parts(
            audio=f"followup-{n}.wav", ended_by="silence", why=["action"], overflows=0
        )
        for n, (probe, text) in enumerate(
            [(probes[0], probes[0].strong.answer), (on_phrases, probes[1].weak.answer)], 1
        )
    ]
    judged.append(
        FollowupResult(
            id=probes[2].id, question=probes[2].question, verdict="no answer", reasons=[]
        ).with_parts(audio="followup-3.wav", ended_by="no-speech", why=[], overflows=0)
    )
    doc = doc.with_parts(followups=judged)
    doc = doc.with_parts(verdict=verdict.final(answer, judged, scenario), partial=False)
    archive.write(folder, doc)
    out["mock"] = folder

    folder, doc = start(root, scenario, "mock", 2, level="sde2", principle=None, interrupted=True)
    archive.write(folder, doc)
    out["mock-interrupted"] = folder

    folder, doc = start(root, scenario, "drill", 3, attempts=[])
    attempts = []
    for n, section_id in enumerate(["action", "action", "result"], 1):
        section = scenario.section(section_id)
        attempt = DrillAttempt(
            section=section_id,
            attempt=n,
            audio=f"drill-{section_id}-{n}.wav",
            ended_by="silence",
            overflows=0,
        )
        attempts.append(section_attempt(spoken(section.strong_example), scenario, section, attempt))
    attempts.append(
        DrillAttempt(
            section="reflection",
            attempt=1,
            audio="drill-reflection-1.wav",
            ended_by="no-speech",
            overflows=0,
            error="no speech heard in 30 s — check the microphone",
        )
    )
    doc = doc.with_parts(attempts=attempts, partial=False)
    archive.write(folder, doc)
    out["drill"] = folder

    folder, doc = start(root, scenario, "study", 4)
    graded = quiz.grade(scenario, [*[q.answer for q in scenario.quiz][:-1], None])
    archive.write(folder, doc.with_parts(quiz=graded, partial=False))
    out["study"] = folder
    return out


def raw(folder: Path) -> dict:
    return json.loads((folder / session.SESSION_FILE).read_text(encoding="utf-8"))


# --- every mode loads and round-trips -------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["analyze", "analyze-marks", "analyze-weak", "mock", "mock-interrupted", "drill", "study"]
)
def test_every_mode_loads_and_serializes_back_to_the_same_json(saved, name: str) -> None:
    original = raw(saved[name])
    doc = session.load_document(saved[name])
    assert isinstance(doc, SessionDocument)
    again = doc.to_dict()
    assert again == original
    # same types too (60 vs 60.0, true vs 1): the JSON text is the same, key order aside
    assert json.dumps(again, sort_keys=True) == json.dumps(original, sort_keys=True)
    assert session.load(saved[name]) == original  # readers still get the dict they always got


def test_the_documents_cover_what_the_schema_describes(saved) -> None:
    """The fixture really holds the varied parts: fillers heard, flags, each follow-up kind."""
    weak = session.load_document(saved["analyze-weak"])
    assert {FlagId.TOO_SHORT, FlagId.SLOW_START, FlagId.MISSING_SECTION, FlagId.FILLER} <= weak.flag_ids()
    assert weak.transcript.fillers and weak.delivery.heard_fillers == {"um": 1}
    mock = session.load_document(saved["mock"])
    assert [f.judged_on for f in mock.followups] == ["ideas", "key phrases", None]
    assert mock.followups[1].strong_overlap is not None and mock.verdict is not None
    assert mock.timing.model_extra == {"shown": 0.4}
    marked = session.load_document(saved["analyze-marks"])
    assert marked.sectioning == "marks" and marked.principle_framing.id == "ownership"
    drill = session.load_document(saved["drill"])
    assert [a.answered for a in drill.attempts] == [True, True, True, False]


# --- derived facts --------------------------------------------------------------------------------


def test_phrases_and_found_counts_agree_with_the_readers(saved, scenario) -> None:
    for name in ("analyze", "analyze-weak", "mock"):
        d = raw(saved[name])
        doc = SessionDocument.from_dict(d)
        for s in scenario.sections:
            mine = [k for k in d["key_phrases"] if k["section"] == s.id]  # as export/markdown do
            assert [k.phrase for k in doc.phrases_of(s.id)] == [k["phrase"] for k in mine]
            assert doc.found_count(s.id) == sum(1 for k in mine if k["found"])
            assert doc.phrase_count(s.id) == len(mine)
        assert doc.found_count() == sum(1 for k in d["key_phrases"] if k["found"])
        assert doc.found_count() == sum(doc.found_count(s.id) for s in scenario.sections)
    weak = session.load_document(saved["analyze-weak"])
    assert weak.found_count() < session.load_document(saved["analyze"]).found_count()


def _words(said: dict | None) -> list[dict]:
    return (said or {}).get("words", [])


def test_answer_parts_are_the_parts_review_plays(saved) -> None:
    """The parts `review --play` and `export --part` offer, against the saved JSON itself."""
    for name, folder in saved.items():
        d = raw(folder)
        want = []
        if "sections" in d:
            words = d["transcript"]["words"]
            want.append(("answer", "Answer", d["audio"], None, None, words))
            for s in (s for s in d["sections"] if s["start_s"] is not None):
                inside = [w for w in words if s["start_s"] <= w["start"] < s["end_s"]]
                want.append((s["id"], s["name"], d["audio"], s["start_s"], s["end_s"], inside))
        for n, fu in enumerate(d.get("followups") or [], 1):
            want.append(
                (f"followup-{n}", f"Follow-up {n}", fu["audio"], None, None, _words(fu.get("transcript")))
            )
        for a in d.get("attempts") or []:
            label = f"{a['section'].title()}, attempt {a['attempt']}"
            want.append(
                (f"{a['section']}-{a['attempt']}", label, a["audio"], None, None, _words(a.get("transcript")))
            )
        parts = SessionDocument.from_dict(d).answer_parts()
        mine = [
            (p.id, p.label, p.audio, p.start_s, p.end_s, [w.model_dump() for w in p.words]) for p in parts
        ]
        assert mine == want, name
        assert all(len(p.gaps) == len(p.words) for p in parts), name
    ids = [p.id for p in session.load_document(saved["drill"]).answer_parts()]
    assert ids == ["action-1", "action-2", "result-3", "reflection-1"]


def test_the_answer_part_spells_the_transcript_with_its_spacing(saved) -> None:
    """Words are stored stripped; their gaps (what subtitles and the report put between them)
    spell the recognizer's text again, and a section's part keeps its words' own gaps."""
    doc = session.load_document(saved["analyze"])
    answer, *rest = doc.answer_parts()
    sections = [p for p in rest if p.start_s is not None]
    assert answer.id == "answer" and len(sections) == len(doc.sections)
    spelled = "".join(g + w.text for g, w in zip(answer.gaps, answer.words, strict=True))
    assert spelled == doc.transcript.text.strip()
    for part in sections:
        at = answer.words.index(part.words[0])
        assert part.gaps == answer.gaps[at : at + len(part.words)]
        assert part.sections == (doc.section(part.id),) and answer.sections == tuple(doc.sections)


def test_is_analyzed_and_latest_attempts_follow_the_saved_json(saved) -> None:
    for folder in saved.values():
        d = raw(folder)
        doc = SessionDocument.from_dict(d)
        assert doc.is_analyzed == ("sections" in d)  # the analysis is saved whole or not at all
        last: dict[str, dict] = {}
        for a in d.get("attempts") or []:
            if "transcript" in a:  # answered: a retry replaces the attempt before it
                last[a["section"]] = a
        assert [a.model_dump(mode="json", exclude_unset=True) for a in doc.latest_attempts()] == list(
            last.values()
        )
    drill = session.load_document(saved["drill"])
    assert [(a.section, a.attempt) for a in drill.latest_attempts()] == [("action", 2), ("result", 3)]


# --- flag ids ---------------------------------------------------------------------------------------


def test_every_flag_id_the_analysis_can_raise_is_in_the_enum() -> None:
    rules = default_rules()
    assert content_flag_ids(rules) <= set(FlagId)
    assert {no_number_id(s) for s in rules.numbers_required_in} <= set(FlagId)
    assert TOO_SHORT is FlagId.TOO_SHORT and TOO_SHORT == "too-short"  # the old constants still work
    assert json.dumps({"id": FlagId.LONG_PAUSE}) == '{"id": "long-pause"}'


def test_the_schema_doc_lists_every_flag_id() -> None:
    text = (ROOT / "docs" / "session-schema.md").read_text(encoding="utf-8")
    missing = [f.value for f in FlagId if f"`{f.value}`" not in text]
    assert missing == [], f"docs/session-schema.md does not list the flag ids {missing}"


# --- readers: the typed document in, the same text out ------------------------------------------


def test_the_json_export_is_the_saved_file_key_for_key(saved) -> None:
    """`to_dict` writes the fields back in the order they were read (each writer has its own), so
    `export --format json` of a loaded document is session.json byte for byte."""
    for name, folder in saved.items():
        text = (folder / session.SESSION_FILE).read_text(encoding="utf-8")
        assert export.export(session.load_document(folder), "json") == text, name


def test_a_section_is_subtitled_on_the_answers_clock(saved) -> None:
    doc = session.load_document(saved["analyze"])
    action = doc.section("action")
    cues = export.cues_for(export.subtitle_part(doc, "action"))
    assert cues and {c.section for c in cues} == {action.name}
    assert action.start_s <= cues[0].start and cues[-1].start < action.end_s  # times of answer.wav
    srt = export.export(doc, "srt", "action")
    assert srt.startswith("1\n00:00:") and "[Action]" in srt and "[Situation]" not in srt


def test_the_analysis_hands_over_what_a_reload_gives(scenario) -> None:
    """The flows save and show the typed parts the analysis made, without a trip through JSON:
    each must be what a reader gets back from session.json, field for field and in order."""
    result = analysis.analyze(spoken(scenario.weak_answer.text), scenario, principle="ownership")
    judged = followups.judge(spoken(scenario.followups[0].weak.answer), scenario.followups[0], start_s=90.0)
    final = verdict.final(result, [judged], scenario)
    graded = quiz.grade(scenario, [0])
    for part in (result, judged, final, graded):
        reloaded = type(part).model_validate_json(json.dumps(part.to_dict()))
        assert reloaded == part and list(reloaded.to_dict()) == list(part.to_dict()), type(part).__name__
    assert {f.id for f in result.flags} == result.flag_ids() and all(
        isinstance(f.id, FlagId) for f in result.flags
    )


def test_a_document_built_step_by_step_is_written_in_that_order(scenario) -> None:
    """`with_parts` adds a part after those already there (as the flows add them) and replaces
    one in place; a misspelt part is a TypeError (a bug), a malformed one one SessionError line."""
    doc = new_document(
        session.header(mode="mock", created=CREATED),
        scenario=scenario.id,
        scenario_title=scenario.title,
        question=scenario.question,
        partial=True,
        level=None,
    )
    doc = doc.with_parts(audio="answer.wav", ended_by="key").with_parts(level="sde2", partial=False)
    assert list(doc.to_dict())[4:] == [
        "scenario",
        "scenario_title",
        "question",
        "partial",
        "level",
        "audio",
        "ended_by",
    ]
    assert (doc.level, doc.partial) == ("sde2", False)
    with pytest.raises(TypeError, match="no field ended"):
        doc.with_parts(ended="key")
    with pytest.raises(
        SessionError, match=r"^SessionDocument: ended_by: expected 'silence', .* \(got 'later'\)"
    ):
        doc.with_parts(ended_by="later")
    answer = analysis.analyze(spoken(strong_text(scenario)), scenario)
    whole = doc.with_parts(**answer.made_with())
    assert whole.is_analyzed and list(whole.to_dict())[-3:] == [
        "total",
        "level_expectations",
        "principle_framing",
    ]
    with pytest.raises(SessionError, match="analysis is incomplete: no level_expectations, sectioning"):
        doc.with_parts(sections=answer.sections)


def test_a_fresh_dict_is_read_as_the_saved_document(saved) -> None:
    """The flows hand their dicts (tuples, FlagId members) to the scorecard: read once as the JSON
    they will be saved as; a malformed one is one SessionError line naming the field."""
    d = raw(saved["analyze-weak"])
    fresh = copy.deepcopy(d)
    fresh["flags"] = tuple(f | {"id": FlagId(f["id"])} for f in fresh["flags"])
    assert as_document(fresh).to_dict() == d
    doc = session.load_document(saved["analyze-weak"])
    assert as_document(doc) is doc
    attempt = raw(saved["drill"])["attempts"][0]
    assert as_model(DrillAttempt, attempt).section == "action"
    del attempt["section"]
    with pytest.raises(SessionError, match=r"^DrillAttempt: section: missing"):
        as_model(DrillAttempt, attempt)


# --- bad documents: one readable line -------------------------------------------------------------


def broken(saved, tmp_path: Path, change, name: str = "2026-03-01T18-30-00_broken") -> Path:
    """A copy of the analyzed session with `change` applied to its document."""
    doc = copy.deepcopy(raw(saved["analyze"]))
    change(doc)
    folder = tmp_path / name
    folder.mkdir()
    (folder / session.SESSION_FILE).write_text(json.dumps(doc), encoding="utf-8")
    return folder


def load_error(folder: Path) -> str:
    with pytest.raises(SessionError) as info:
        session.load(folder)
    message = str(info.value)
    assert "\n" not in message and str(folder / session.SESSION_FILE) in message
    assert message.endswith("the folder's audio is untouched")
    with pytest.raises(SessionError):
        session.load_document(folder)
    return message


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda d: d["sections"].__setitem__(0, "oops"), "sections.0: expected an object (got 'oops')"),
        (
            lambda d: d["key_phrases"][3].__setitem__("found", "yes"),
            "key_phrases.3.found: expected true or false",
        ),
        (lambda d: d["sections"][1].__setitem__("target_s", "30"), "sections.1.target_s: expected a number"),
        (lambda d: d.pop("created"), "created: missing"),
        (lambda d: d["transcript"]["words"][0].pop("end"), "transcript.words.0.end: missing"),
        (
            lambda d: d.__setitem__("flags", [{"id": "mumbling", "message": "", "at_s": 1.0, "quote": ""}]),
            "flags.0.id: expected 'we-in-action', 'no-number-in-result',",
        ),
        (
            lambda d: d.__setitem__("mode", "rehearse"),
            "mode: expected 'analyze', 'mock', 'drill' or 'study' (got 'rehearse')",
        ),
        (lambda d: d.__setitem__("created", "yesterday"), "created: not an ISO date ('yesterday')"),
        (lambda d: d.pop("total"), "the answer's analysis is incomplete: no total"),
    ],
)
def test_a_malformed_document_is_one_line_naming_the_first_bad_field(
    saved, tmp_path: Path, change, says: str
) -> None:
    assert says in load_error(broken(saved, tmp_path, change))


def test_a_newer_schema_asks_for_an_upgrade(saved, tmp_path: Path) -> None:
    message = load_error(broken(saved, tmp_path, lambda d: d.__setitem__("schema", 2)))
    assert "session schema 2 is newer than this mockvoice reads (1) — upgrade mockvoice" in message
    message = load_error(broken(saved, tmp_path, lambda d: d.pop("schema"), name="no-schema"))
    assert "schema: missing — not a mockvoice session.json" in message


def test_unknown_fields_of_a_newer_version_are_ignored(saved, tmp_path: Path) -> None:
    """Fields are only added within a schema version: a later mockvoice's extra field loads."""
    folder = broken(
        saved, tmp_path, lambda d: d.update(pitch={"mean_hz": 120}) or d["sections"][0].update(energy=0.5)
    )
    assert session.load(folder)["pitch"] == {"mean_hz": 120}  # the raw dict keeps it
    assert "pitch" not in session.load_document(folder).to_dict()


def test_history_lists_good_sessions_and_skips_malformed_ones(saved, tmp_path: Path) -> None:
    root = saved["analyze"].parent
    bad = broken(saved, root, lambda d: d["sections"].__setitem__(0, "oops"))
    try:
        good, problems = history.scan(root)
        assert {s.folder for s in good} == set(saved.values())
        [problem] = problems
        assert problem.folder == bad and "sections.0: expected an object" in problem.message
        assert problem.message.endswith("skipped")
    finally:
        (bad / session.SESSION_FILE).unlink()
        bad.rmdir()


def test_special_files_are_skipped_without_being_opened(saved, tmp_path: Path) -> None:
    """A FIFO would block a read for ever, a folder cannot be read: each is one warning, and the
    good sessions are still listed (issue 14)."""
    root = tmp_path / "recordings"
    shutil.copytree(saved["analyze"], root / saved["analyze"].name)
    fifo, folder = root / "2026-03-02T09-00-00_fifo", root / "2026-03-03T09-00-00_folder"
    fifo.mkdir()
    os.mkfifo(fifo / session.SESSION_FILE)
    (folder / session.SESSION_FILE).mkdir(parents=True)
    good, problems = history.scan(root)  # returns: the FIFO is never opened
    assert [s.folder.name for s in good] == [saved["analyze"].name]
    assert sorted(p.folder for p in problems) == [fifo, folder]
    assert all("not a regular file" in p.message and "\n" not in p.message for p in problems)


def test_recordings_that_are_a_file_is_an_error_not_an_empty_history(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("hello")
    with pytest.raises(SessionError, match=r"notes\.txt: not a folder — pass --recordings DIR"):
        history.scan(not_a_folder)


# --- the published JSON Schema ------------------------------------------------------------------


def test_the_published_json_schema_is_current() -> None:
    problem = session_schema.stale()
    assert not problem, (
        "docs/session.schema.json is stale: run `.venv/bin/python -m scripts.session_schema`\n"
        + problem[:4000]
    )


def test_the_json_schema_names_the_flag_ids_and_the_schema_number() -> None:
    schema = json.loads((ROOT / "docs" / "session.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["FlagId"]["enum"] == [f.value for f in FlagId]
    assert schema["properties"]["schema"]["const"] == SCHEMA
    assert "session.schema.json" in (ROOT / "docs" / "session-schema.md").read_text(encoding="utf-8")
