"""Review afterwards: session history, progress and compare over real analyzed attempts, the HTML
report, exports, and bad session folders that are reported and skipped.

The attempts are real dev-set answers (piper voice) run through the real model by the shared
`analyzed` fixture, saved with `archive.save` as attempts 1..3 of the same scenario.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mockvoice.cli.main import app
from mockvoice.clock import clock
from mockvoice.errors import DeviceError, ExitCode
from mockvoice.session import archive, export, history, report
from mockvoice.session import store as session
from mockvoice.session.document import DrillAttempt, SessionDocument, new_document

pytestmark = pytest.mark.audio

ATTEMPTS = ["weak", "missing-phrases", "strong-verbatim"]  # attempts 1, 2, 3 of one scenario
FIRST = datetime(2026, 3, 1, 18, 30, tzinfo=UTC)
BAD = {
    "2026-02-01T09-00-00_corrupt": "{not json",
    "2026-02-02T09-00-00_incomplete": '{"schema": 1}',
    "2026-02-03T09-00-00_missing": None,  # audio, but no session.json
}


def cli(*args: str | Path):
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


def one_line_error(result, code: ExitCode, *needles: str) -> None:
    assert result.exit_code == int(code), result.output
    lines = [line for line in result.stderr.splitlines() if not line.startswith("mockvoice: warning: ")]
    assert len(lines) == 1 and lines[0].startswith("mockvoice: error: "), result.stderr
    for needle in needles:
        assert needle in lines[0]


def found(doc: dict) -> set[str]:
    return {k["phrase"] for k in doc["key_phrases"] if k["found"]}


@pytest.fixture(scope="module")
def history_root(tmp_path_factory, analyzed, devset) -> tuple[Path, list[Path]]:
    """Three analyzed attempts a day apart, plus a corrupt, an incomplete and a missing session.json."""
    root = tmp_path_factory.mktemp("history") / "recordings"
    audio = {truth["id"]: path for path, truth in devset}
    folders = []
    for n, answer in enumerate(ATTEMPTS):
        doc, _ = analyzed[answer]
        folder, _ = archive.save(
            root, doc, mode="analyze", audio_src=audio[answer], created=FIRST + timedelta(days=n)
        )
        folders.append(folder)
    for name, text in BAD.items():
        (root / name).mkdir()
        shutil.copyfile(audio["weak"], root / name / "answer.wav")
        if text is not None:
            (root / name / "session.json").write_text(text)
    return root, folders


def docs(folders: list[Path]) -> list[dict]:
    return [session.load(f) for f in folders]


# --- listing, and bad folders ---------------------------------------------------------------


def test_review_lists_the_good_sessions_and_warns_once_per_bad_folder(history_root) -> None:
    root, folders = history_root
    result = cli("review", "--recordings", root)
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if re.match(r"^\d+ +2026-", line)]
    handles = [r.split()[0] for r in rows]  # oldest first, each a SESSION that finds its folder
    assert [history.resolve(root, h).folder for h in handles] == folders
    assert handles == [str(n) for n in range(1, len(folders) + 1)]
    for row, doc in zip(rows, docs(folders), strict=True):
        total = doc["total"]
        assert f"{clock(total['speaking_s'])} / " in row and total["verdict"] in row
        assert f"{len(found(doc))}/{len(doc['key_phrases'])}" in row
        assert f"  {len(doc['flags'])}  " in row or row.rstrip().endswith(str(len(doc["flags"])))
        for s in doc["sections"]:
            if s["verdict"] in ("over", "under", "missing"):
                assert s["name"] in row
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == len(BAD)
    for name in BAD:
        assert sum(name in w for w in warnings) == 1
    assert all(w.startswith("mockvoice: warning: ") and "skipped" in w for w in warnings)
    assert "corrupt session.json" in result.stderr and "no session.json here" in result.stderr
    # the incomplete one names its first missing field (validated as a session document)
    assert re.search(r"_incomplete/session\.json: \w+: missing", result.stderr), result.stderr


def test_review_of_an_empty_or_absent_root(tmp_path: Path) -> None:
    result = cli("review", "--recordings", tmp_path / "nothing-here")
    assert result.exit_code == 0 and "No sessions in" in result.stdout


def test_review_session_reprints_the_scorecard(history_root) -> None:
    from mockvoice.session import scorecard

    root, folders = history_root
    latest = cli("review", "latest", "--recordings", root)
    assert latest.exit_code == 0, latest.output
    assert scorecard.plain(session.load_document(folders[-1]), folder=folders[-1]) in latest.stdout
    assert "Parts to --play: answer, situation" in latest.stdout
    # By folder path, by name, by unique prefix, latest~N: all the same session.
    for spec in (folders[0], folders[0].name, folders[0].name[:13], "latest~2"):
        result = cli("review", spec, "--recordings", root)
        assert result.exit_code == 0, (spec, result.output)
        assert scorecard.plain(session.load_document(folders[0]), folder=folders[0]) in result.stdout


def test_review_session_errors_are_one_line(history_root) -> None:
    root, _ = history_root
    one_line_error(cli("review", "2026-03", "--recordings", root), ExitCode.USAGE, "matches 3 sessions")
    one_line_error(cli("review", "nope", "--recordings", root), ExitCode.USAGE, "'nope'", "mockvoice review")
    one_line_error(cli("review", "latest~9", "--recordings", root), ExitCode.USAGE, "only 3")
    corrupt = next(iter(BAD))
    one_line_error(cli("review", corrupt, "--recordings", root), ExitCode.ERROR, corrupt, "corrupt")


# --- progress and compare ---------------------------------------------------------------------


def test_progress_follows_the_attempts(history_root, scenario) -> None:
    root, folders = history_root
    saved, problems = history.scan(root)
    assert len(saved) == 3 and len(problems) == len(BAD)
    p = history.progress(saved, scenario.id)
    assert [a.name for a in p.attempts] == [f.name for f in folders]
    for a, doc in zip(p.attempts, docs(folders), strict=True):
        assert a.durations == {s["id"]: s["duration_s"] for s in doc["sections"]}
        assert set(a.found) == found(doc) and a.phrases_total == len(doc["key_phrases"])
        d = doc["delivery"]
        assert a.wpm == d["wpm"]
        assert a.fillers_per_min == pytest.approx(d["fillers"] / d["speaking_s"] * 60, abs=0.01)
    newest = docs(folders)[-1]
    assert [(s.id, s.name, s.target_s) for s in p.sections] == [
        (s["id"], s["name"], s["target_s"]) for s in newest["sections"]
    ]
    rows = {r[0]: r for r in history.progress_rows(p)}
    for s in newest["sections"]:
        values = [doc_section(doc, s["id"])["duration_s"] for doc in docs(folders)]
        row = rows[s["name"]]
        assert row[1] == f"{s['target_s']:.0f}s"
        assert row[2:5] == ["—" if v is None else f"{v:.0f}s" for v in values]
        assert len(row[5]) == 3 and set(row[5]) <= set(history.SPARK + " ")
        if values[0] is not None and values[-1] is not None:
            assert row[6] == f"{values[-1] - values[0]:+.0f}s"
    coverage = [len(found(doc)) for doc in docs(folders)]
    assert rows["Key phrases"][6] == f"{coverage[-1] - coverage[0]:+d}"


def doc_section(doc: dict, section_id: str) -> dict:
    return next(s for s in doc["sections"] if s["id"] == section_id)


@pytest.mark.parametrize(("a", "b"), [(0, 1), (1, 2), (0, 2), (2, 0)])
def test_compare_is_the_set_difference_and_the_time_difference(history_root, a: int, b: int) -> None:
    _, folders = history_root
    sa, sb = history.read(folders[a]), history.read(folders[b])
    c = history.compare(sa, sb)
    ra, rb = docs([folders[a], folders[b]])  # the saved JSON, as the expectation
    assert set(c.gained) == found(rb) - found(ra)
    assert set(c.lost) == found(ra) - found(rb)
    assert set(c.kept) == found(ra) & found(rb)
    labels = {k["phrase"] for k in rb["key_phrases"]}
    assert set(c.missing) == labels - found(ra) - found(rb)
    for delta in c.sections:
        da, db = doc_section(ra, delta.id)["duration_s"], doc_section(rb, delta.id)["duration_s"]
        assert (delta.a_s, delta.b_s) == (da, db)
        assert delta.delta_s == (None if da is None or db is None else pytest.approx(db - da, abs=0.01))
    assert {f["id"] for f in rb["flags"]} - {f["id"] for f in ra["flags"]} == set(c.flags_gained)


def test_weak_to_strong_gains_phrases(history_root) -> None:
    """A sanity check on the data itself: the strong answer says phrases the weak one missed."""
    _, folders = history_root
    c = history.compare(history.read(folders[0]), history.read(folders[2]))
    assert c.gained and len(c.b.found) > len(c.a.found)


def test_progress_and_compare_commands(history_root, scenario, tmp_path: Path) -> None:
    root, folders = history_root
    chart = tmp_path / "charts" / "progress.html"
    result = cli("progress", scenario.id, "--html", chart, "--recordings", root)
    assert result.exit_code == 0, result.output
    assert "3 attempts" in result.stdout
    for f in folders:
        assert f.name in result.stdout
    for s in docs(folders)[-1]["sections"]:
        assert s["name"] in result.stdout
    assert re.search(f"[{history.SPARK}]{{3}}", result.stdout)
    assert len(result.stderr.strip().splitlines()) == len(BAD)  # bad folders: warned, skipped
    page = chart.read_text()
    assert page.count("<svg") == len(docs(folders)[-1]["sections"]) + 4
    for f in folders:  # each attempt links to its own report, relative to the chart
        href = re.search(rf'href="([^"]*{re.escape(f.name)}/report.html)"', page).group(1)
        assert (chart.parent / href).resolve() == (f / "report.html").resolve()
    # Without an id: the newest answer's scenario.
    assert cli("progress", "--recordings", root).stdout.splitlines()[0] == result.stdout.splitlines()[0]
    one_line_error(cli("progress", "no-such-id", "--recordings", root), ExitCode.USAGE, "no-such-id")

    a, b = docs(folders)[0], docs(folders)[2]
    cmp = cli("review", "compare", folders[0].name, "latest", "--recordings", root)
    assert cmp.exit_code == 0, cmp.output
    gained_line = next(line for line in cmp.stdout.splitlines() if line.startswith("Gained:"))
    for phrase in found(b) - found(a):
        assert f"“{phrase}”" in gained_line
    for s in b["sections"]:
        da, db = doc_section(a, s["id"])["duration_s"], s["duration_s"]
        if da is not None and db is not None:
            change = re.escape(f"{round(db - da, 2):+.0f}s")
            assert re.search(rf"^{re.escape(s['name'])} .*{change}\s*$", cmp.stdout, re.MULTILINE)


# --- playing a part --------------------------------------------------------------------------


def test_play_a_section_plays_its_span(history_root, monkeypatch) -> None:
    from mockvoice.audio import devices, player
    from mockvoice.audio import files as audio

    root, folders = history_root
    played = []
    monkeypatch.setattr(devices, "output_device", lambda spec: 0)
    monkeypatch.setattr(
        player, "play", lambda clip, rate, device=None, stop=None: played.append((clip, rate))
    )
    doc = docs(folders)[-1]
    action = doc_section(doc, "action")
    result = cli("review", "latest", "--play", "Action", "--recordings", root)
    assert result.exit_code == 0, result.output
    ((clip, rate),) = played
    assert rate == audio.SAMPLE_RATE
    assert len(clip) == int(action["end_s"] * rate) - int(action["start_s"] * rate)
    one_line_error(
        cli("review", "latest", "--play", "followup-1", "--recordings", root),
        ExitCode.USAGE,
        "followup-1",
        "answer, situation",
    )


def test_play_without_a_speaker_is_the_usual_one_line_error(history_root, monkeypatch) -> None:
    from mockvoice.audio import devices

    root, _ = history_root

    def no_speaker(spec):
        raise DeviceError(devices.NO_SPEAKER)

    monkeypatch.setattr(devices, "output_device", no_speaker)
    one_line_error(
        cli("review", "latest", "--play", "result", "--recordings", root), ExitCode.DEVICE, devices.NO_SPEAKER
    )


# --- exports -----------------------------------------------------------------------------------


def parse_cues(text: str, sep: str) -> list[tuple[float, float, str]]:
    stamp = rf"(\d\d):(\d\d):(\d\d){re.escape(sep)}(\d\d\d)"
    cues = []
    for m in re.finditer(rf"{stamp} --> {stamp}\n(.+)\n", text):
        g = [int(x) for x in m.groups()[:8]]
        start = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
        end = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
        cues.append((start, end, m.group(9)))
    return cues


@pytest.mark.parametrize(("fmt", "sep"), [("srt", ","), ("vtt", ".")])
def test_subtitles_carry_the_section_and_never_cross_it(history_root, fmt: str, sep: str) -> None:
    root, folders = history_root
    doc = docs(folders)[-1]
    result = cli("export", "latest", "--format", fmt, "--recordings", root)
    assert result.exit_code == 0, result.output
    if fmt == "vtt":
        assert result.stdout.startswith("WEBVTT\n")
    cues = parse_cues(result.stdout, sep)
    words = doc["transcript"]["words"]
    for w in words:  # every word is in exactly one cue
        assert sum(start - 0.001 <= w["start"] and w["end"] <= end + 0.001 for start, end, _ in cues) == 1
    starts = [c[0] for c in cues]
    assert starts == sorted(starts)
    present = [s for s in doc["sections"] if s["start_s"] is not None]
    typed = session.load_document(folders[-1])
    for start, end, text in cues:
        name = re.match(r"\[([^\]]+)\] ", text).group(1)
        inside = [w for w in words if start - 0.001 <= w["start"] and w["end"] <= end + 0.001]
        assert 1 <= len(inside) <= export.CUE_WORDS
        sections = {typed.section_at(w["start"]).name for w in inside}
        assert sections == {name}, (text, sections)
    assert {re.match(r"\[([^\]]+)\]", t).group(1) for *_, t in cues} == {s["name"] for s in present}


def test_export_json_and_markdown(history_root, tmp_path: Path) -> None:
    root, folders = history_root
    doc = docs(folders)[1]
    as_json = cli("export", folders[1], "-f", "json", "--recordings", root)
    assert json.loads(as_json.stdout) == doc
    out = cli("export", folders[1].name, "-f", "md", "-o", tmp_path, "--recordings", root)
    assert out.exit_code == 0, out.output
    md = (tmp_path / f"{folders[1].name}.md").read_text()
    order = [md.index(h) for h in ("## Fix first", "## Summary", f"## {doc['sections'][0]['name']}")]
    assert order == sorted(order)  # what to fix first, then the summary table, then the sections
    for s in doc["sections"]:
        assert f"| {s['name']} |" in md
    one_line_error(
        cli("export", "latest", "-f", "pdf", "--recordings", root), ExitCode.USAGE, "md, json, srt, vtt"
    )


# --- the HTML report -----------------------------------------------------------------------------


def test_each_session_folder_has_a_self_contained_report(history_root) -> None:
    _, folders = history_root
    for folder, doc in zip(folders, docs(folders), strict=True):
        page = (folder / "report.html").read_text()
        assert page == report.render(doc)  # written by archive.save, from the saved document
        assert '<audio id="a-answer" controls preload="auto" src="answer.wav">' in page
        assert not re.search(r"(src|href)=\"(https?:)?//", page) and "http" not in page.split("<body>")[1]
        assert page.count(' data-i="') == len(doc["transcript"]["words"])  # every word, clickable
        assert page.count("<svg") == 1  # the timeline
        for k in doc["key_phrases"]:
            if not k["found"]:  # listed as missing under its section
                assert f"<li>{report.escape(k['phrase'])}</li>" in page
        for s in doc["sections"]:
            assert f">{s['name']} <small>" in page
    for typed in map(session.load_document, folders):  # each highlight covers exactly the words heard
        words = typed.transcript.words
        gaps = typed.transcript.gaps()
        starts = [w.start for w in words]
        for k in (k for k in typed.key_phrases if k.found):
            span = report._span(words, starts, k.at_s, k.heard)
            assert "".join(gaps[i] + words[i].text for i in span).strip() == k.heard, k
    weak = (folders[0] / "report.html").read_text()
    assert 'class="w we"' in weak or 'class="w vague"' in weak  # the weak answer is flagged in place


def test_the_report_header_names_the_question_the_date_and_one_length(history_root) -> None:
    _, folders = history_root
    for folder, doc in zip(folders, docs(folders), strict=True):
        page = (folder / "report.html").read_text()
        assert f'<h1 class="question">{report.escape(doc["question"])}</h1>' in page
        when = datetime.fromisoformat(doc["created"])
        assert f">{when:%A} {when.day} {when:%B %Y, %H:%M}</time>" in page  # the test runs in the C locale
        # header, timeline and total line: the spoken length, nothing else called the answer's length
        assert re.findall(r'class="length">([^<]*)<', page) == [clock(doc["total"]["speaking_s"])] * 3
        level = doc["level_expectations"]
        block = page[page.index('<section id="level"') : page.index("</section>", page.index('id="level"'))]
        assert (
            f"What an answer at {level['name']} shows" in block
            and report.escape(level["reflection"]) in block
        )
        assert page.count(report.escape(level["reflection"])) == 1  # labelled, and only there
        assert "@media print{" in page


def test_the_time_axis_ticks_every_15_30_or_60_seconds() -> None:
    assert [report.tick_step(s) for s in (45, 120, 121, 240, 241, 480, 481, 1200)] == [
        15,
        15,
        30,
        30,
        60,
        60,
        120,
        180,
    ]
    assert report.date_in_words("2026-12-01T09:42:13+01:00") == "Tuesday 1 December 2026, 09:42"


def test_report_escapes_scenario_and_transcript_text(history_root) -> None:
    _, folders = history_root
    doc = json.loads(json.dumps(docs(folders)[-1]))
    doc["scenario_title"] = "<script>alert('title')</script>"
    doc["question"] = 'Say "hi" & <b>leave</b>'
    doc["transcript"]["words"][3]["text"] = "<img src=x onerror=alert(1)>"
    doc["key_phrases"][0]["phrase"] = "</span><script>alert(2)</script>"
    doc["key_phrases"][0]["found"] = False
    page = report.render(doc)
    assert "<script>alert" not in page and "<img" not in page and "<b>leave" not in page
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count("<script>") == 1  # the page's own


def test_report_written_elsewhere_links_the_audio_back(history_root, tmp_path: Path) -> None:
    root, folders = history_root
    dest = tmp_path / "out" / "mine.html"
    result = cli("review", folders[0].name, "--html", dest, "--recordings", root)
    assert result.exit_code == 0, result.output
    src = re.search(r'<audio id="a-answer"[^>]* src="([^"]+)"', dest.read_text()).group(1)
    assert (dest.parent / src).resolve() == (folders[0] / "answer.wav").resolve()
    refreshed = cli("review", "latest", "--html", "--recordings", root)
    assert refreshed.exit_code == 0 and str(folders[-1] / "report.html") in refreshed.stdout
    one_line_error(cli("review", "latest", "--html", "x.pdf", "--recordings", root), ExitCode.USAGE, ".html")


def test_a_report_bug_never_loses_the_session(analyzed, devset, tmp_path: Path, monkeypatch, caplog) -> None:
    def broken(doc, **kw):
        raise RuntimeError("boom")

    monkeypatch.setattr(report, "render", broken)
    doc, _ = analyzed["weak"]
    wav = next(path for path, truth in devset if truth["id"] == "weak")
    with caplog.at_level(logging.WARNING):
        folder, saved = archive.save(tmp_path / "rec", doc, mode="analyze", audio_src=wav)
    assert session.load(folder) == saved.to_dict()
    assert (folder / "transcript.md").exists() and not (folder / "report.html").exists()
    assert "report.html not written (RuntimeError: boom)" in caplog.text


# --- the other modes: mock with follow-ups, drill, study, an unfinished mock ---------------------


@pytest.fixture(scope="module")
def modes_root(tmp_path_factory, analyzed, devset, scenario) -> dict[str, Path]:
    """A mock, a drill, a study and an interrupted mock session, built as rehearse.py builds them."""
    from mockvoice.analysis import followups, quiz
    from mockvoice.rehearse.flows import section_attempt
    from mockvoice.speech.transcript import Transcript, Word

    root = tmp_path_factory.mktemp("modes") / "recordings"
    audio = {truth["id"]: path for path, truth in devset}
    weak_doc, _ = analyzed["weak"]
    weak = Transcript(
        tuple(Word(" " + w.text, w.start, w.end, w.probability) for w in weak_doc.transcript.words),
        duration_s=weak_doc.duration_s,
    )

    def start(mode: str, n: int, **fields) -> tuple[Path, SessionDocument]:
        created = FIRST + timedelta(hours=n)
        folder = session.new_session_dir(root, scenario.id, created)
        opening = {"scenario": scenario.id, "scenario_title": scenario.title, "question": scenario.question}
        header = session.header(mode=mode, created=created)
        return folder, new_document(header, **opening, **({"partial": False} | fields))

    folders = {}
    folder, doc = start("mock", 0)
    main, _ = analyzed["we-action"]
    shutil.copyfile(audio["we-action"], folder / "answer.wav")
    shutil.copyfile(audio["weak"], folder / "followup-1.wav")
    judged = followups.judge(weak, scenario.followups[0]).with_parts(
        audio="followup-1.wav", ended_by="silence"
    )
    archive.write(folder, doc.with_parts(audio="answer.wav", **main.made_with(), followups=[judged]))
    folders["mock"] = folder

    folder, doc = start("drill", 1, attempts=[])
    shutil.copyfile(audio["weak"], folder / "drill-action-1.wav")
    attempt = DrillAttempt(section="action", attempt=1, audio="drill-action-1.wav", ended_by="silence")
    unheard = DrillAttempt(section="result", attempt=1, audio=None, error="no speech heard")
    heard = section_attempt(weak, scenario, scenario.section("action"), attempt)
    archive.write(folder, doc.with_parts(attempts=[heard, unheard]))
    folders["drill"] = folder

    folder, doc = start("study", 2, quiz=quiz.grade(scenario, [q.answer for q in scenario.quiz]))
    archive.write(folder, doc)
    folders["study"] = folder

    folder, doc = start("mock", 3, partial=True, interrupted=True, audio="answer.wav")
    shutil.copyfile(audio["weak"], folder / "answer.wav")
    archive.write(folder, doc)
    folders["unfinished"] = folder
    return folders


def test_every_mode_is_listed_reviewed_and_reported(modes_root, scenario) -> None:
    root = modes_root["mock"].parent
    listing = cli("review", "--recordings", root)
    assert listing.exit_code == 0 and not listing.stderr, listing.output
    lines = {
        history.resolve(root, line.split()[0]).name: line
        for line in listing.stdout.splitlines()
        if re.match(r"^\d+ +2026-", line)
    }
    assert "1 follow-ups" in lines[modes_root["mock"].name]
    assert "2 attempts" in lines[modes_root["drill"].name]
    assert f"quiz {len(scenario.quiz)}/{len(scenario.quiz)}" in lines[modes_root["study"].name]
    assert "interrupted" in lines[modes_root["unfinished"].name]
    for mode, folder in modes_root.items():
        shown = cli("review", folder.name, "--recordings", root)
        assert shown.exit_code == 0, (mode, shown.output)
        page = (folder / "report.html").read_text()
        assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    mock_page = (modes_root["mock"] / "report.html").read_text()
    assert '<audio id="a-followup-1" controls preload="auto" src="followup-1.wav">' in mock_page
    assert 'data-audio="a-followup-1"' in mock_page and "Follow-up 1" in mock_page
    drill_page = (modes_root["drill"] / "report.html").read_text()
    assert 'src="drill-action-1.wav"' in drill_page and "no speech heard" in drill_page
    assert "Follow-up — " in cli("review", modes_root["mock"].name, "--recordings", root).stdout
    # progress counts the finished mock's answer, and says what it left out
    prog = cli("progress", scenario.id, "--recordings", root)
    assert (
        prog.exit_code == 0 and "1 attempt" in prog.stdout and "3 drill, study or unfinished" in prog.stdout
    )


def test_parts_of_a_mock_and_a_drill(modes_root, monkeypatch) -> None:
    from mockvoice.audio import devices, player
    from mockvoice.audio import files as audio

    root = modes_root["mock"].parent
    played = []
    monkeypatch.setattr(devices, "output_device", lambda spec: 0)
    monkeypatch.setattr(player, "play", lambda clip, rate, device=None, stop=None: played.append(len(clip)))
    for folder, part, wav in (
        (modes_root["mock"], "followup-1", "followup-1.wav"),
        (modes_root["drill"], "action", "drill-action-1.wav"),
    ):
        result = cli("review", folder.name, "--play", part, "--recordings", root)
        assert result.exit_code == 0, result.output
        assert played[-1] == len(audio.load(folder / wav))
    drill = modes_root["drill"].name
    one_line_error(
        cli("export", drill, "-f", "srt", "--recordings", root), ExitCode.USAGE, "--part", "action-1"
    )
    srt = cli("export", drill, "-f", "srt", "--part", "action-1", "--recordings", root)
    assert srt.exit_code == 0 and srt.stdout.count("[Action] ") >= 1
    fu = cli("export", modes_root["mock"].name, "-f", "vtt", "--part", "followup-1", "--recordings", root)
    assert fu.exit_code == 0 and "[Follow-up 1] " in fu.stdout
    study = modes_root["study"].name
    one_line_error(
        cli("export", study, "-f", "srt", "--recordings", root), ExitCode.USAGE, "nothing to subtitle"
    )
    one_line_error(
        cli("review", "compare", study, drill, "--recordings", root),
        ExitCode.USAGE,
        "compare",
    )


def test_session_handles_for_people(modes_root, monkeypatch) -> None:
    """The listing's numbers are SESSIONs; commands default to the latest; `compare`'s latest~N
    counts only answers it can compare, of one scenario (after a drill and a study too)."""
    root = modes_root["mock"].parent
    by_age = [history.read(f) for f in sorted(root.iterdir()) if (f / "session.json").exists()]
    by_age.sort(key=lambda s: s.created)
    assert [history.resolve(root, str(n)).folder for n in range(1, len(by_age) + 1)] == [
        s.folder for s in by_age
    ]
    one_line_error(cli("review", "99", "--recordings", root), ExitCode.USAGE, "numbered 1 to")
    # export without SESSION: the latest (the interrupted mock, exported as Markdown)
    latest = cli("export", "--recordings", root)
    assert latest.exit_code == 0, latest.output
    assert latest.stdout == cli("export", "latest", "--recordings", root).stdout
    # compare latest~1 latest: the drill, the study and the interrupted mock are not answers to
    # compare, so with one analyzed answer there is nothing before it
    one_line_error(
        cli("review", "compare", "latest~1", "latest", "--recordings", root),
        ExitCode.USAGE,
        "only 1 such sessions",
    )
    b = history.resolve(root, "latest", among=history.comparable)
    assert b.folder == modes_root["mock"]


def test_the_recordings_folder_is_found_from_any_folder(tmp_path, monkeypatch) -> None:
    """--recordings, else $MOCKVOICE_RECORDINGS, else ./recordings when there is one, else the
    user's data folder; `review` says which."""
    monkeypatch.delenv("MOCKVOICE_RECORDINGS")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    data = tmp_path / "data" / "mockvoice" / "recordings"
    assert session.recordings_location() == (data, "your data folder")
    listing = cli("review")
    assert f"{data} (your data folder)" in listing.stdout
    (elsewhere / "recordings").mkdir()
    assert session.recordings_location() == (Path("recordings"), "./recordings in this folder")
    monkeypatch.setenv("MOCKVOICE_RECORDINGS", str(tmp_path / "env"))
    assert session.recordings_location()[1] == "$MOCKVOICE_RECORDINGS"
    assert session.recordings_location(tmp_path / "opt")[1] == "--recordings"
