"""The live screen as the candidate sees it: the status line redrawn in place under the
checklist, at 60, 80 and 120 columns.

The screen is read from tmux, a real terminal emulator: a detached tmux pane of the wanted size
runs `sleep`, and a `TerminalOutput` writes to the pane's own pseudo-terminal, as `mockvoice`
writes to the terminal it runs in; `tmux capture-pane` then gives the screen, scrollback
included, as a user sees it (the raw byte stream alone would still hold every erased status).
tmux rather than an emulator from PyPI: it is what people run, reflows and wraps like their
terminals do, and needs no Python dependency; the output side stays in this process, so the
real flow can run in-process with the file microphone.

The fast tests stress the adapter itself (the recording loop's status and the transcription
worker's checklist lines written at once from two threads); the audio test runs a real drill
with the real recognizer, the status and checklist coming from the flow.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from pathlib import Path

import pytest
from tests.support.tmux import Pane

from mockvoice.cli import ui
from mockvoice.clock import clock
from mockvoice.rehearse.ports import LiveStatus
from mockvoice.session.document import LiveEvent

WIDTHS = (60, 80, 120)
STATUS_MARK = "● "
WARNING_WORDS = ("no input", "CLIPPING")
PHRASE_ROW = re.compile(r"^[✓○]\S")  # the status's phrases; a checklist line is "  ✓ “…”"


@pytest.fixture
def pane(request, tmp_path: Path):
    p = Pane(tmp_path, request.param)
    yield p
    p.close()


# --- what a screen must look like ------------------------------------------------------------


def flat(rows: list[str]) -> str:
    """The screen's text with the terminal's and our own line breaks made single spaces."""
    return " ".join(" ".join(rows).split())


def checklist_line(event: LiveEvent) -> str:
    """What `TerminalOutput.live_phrase` prints for an event, whitespace collapsed."""
    where = "" if event.said_in == event.section else f", said in {event.said_in}"
    return " ".join(f"✓ “{event.phrase}” ({event.section}{where}, {clock(event.at_s)})".split())


def assert_fits(pane: Pane) -> None:
    """No line was wrapped by the terminal: each fits its row (a wrapped one would come back
    longer than the width from `capture-pane -J`)."""
    for row in [*pane.screen(), *pane.screen(joined=True)]:
        assert ui.cells(row) <= pane.columns, f"{ui.cells(row)} cells at {pane.columns} columns: {row!r}"


def assert_status_only_at_the_bottom(rows: list[str], live: bool, columns: int) -> None:
    """The status (a row starting "● ", then perhaps the phrases' row "✓2 ○outside…" and a
    warning row) is at most once on the screen, as its last rows while it is live, and nowhere
    once it has ended: no frozen copy or fragment of it among the lines above. Its rows stop
    short of the last column."""
    tail = "\n".join(rows[-30:])
    heads = [i for i, row in enumerate(rows) if row.startswith(STATUS_MARK) or "▮" in row]
    parts = [i for i, row in enumerate(rows) if PHRASE_ROW.match(row) or any(w in row for w in WARNING_WORDS)]
    if not live:
        assert not heads and not parts, "the status left behind:\n" + tail
        return
    assert len(heads) <= 1, "status rows inside the checklist:\n" + tail
    start = heads[0] if heads else len(rows)
    assert len(rows) - start <= 3, "the status is not at the bottom:\n" + tail
    assert all(i >= start for i in parts), "a status row left inside the checklist:\n" + tail
    width = max((ui.cells(row) for row in rows[start:]), default=0)
    assert width < columns, f"a status row of {width} cells:\n" + tail


def assert_warnings_whole(rows: list[str]) -> None:
    whole = {"no input": ui.WARNINGS["silent"][0], "CLIPPING": ui.WARNINGS["clipping"][0]}
    for row in rows:
        for word, text in whole.items():
            if word in row:
                assert text in row, f"a warning cut: {row!r}"


def assert_checklist_whole(rows: list[str], events: list[LiveEvent]) -> None:
    """Each ticked phrase's line is on the screen exactly once, whole."""
    text = flat(rows)
    for event in events:
        assert text.count(checklist_line(event)) == 1, (checklist_line(event), "\n".join(rows))


# --- the status line alone (pure) -----------------------------------------------------------

PHRASES = ("I noticed", "0.3% drop rate", "outside my team’s scope", "no alerting", "nobody asked me")


def status(**changes) -> LiveStatus:
    base = LiveStatus(
        elapsed_s=83.0,
        section="Situation",
        section_elapsed_s=20.0,
        target_s=30.0,
        level_dbfs=-24.0,
        silent=False,
        clipping=False,
        speaking=True,
        heard=PHRASES[:2],
        missing=PHRASES[2:],
        fillers=3,
    )
    return LiveStatus(**{**base.__dict__, **changes})


@pytest.mark.parametrize("width", [60, 61, 70, 80, 100, 120, 160])
@pytest.mark.parametrize(
    "case",
    [
        {},
        {"silent": True, "level_dbfs": -90.0},
        {"clipping": True, "level_dbfs": 0.0},
        {"section": "A very long section name that a story file could well have"},
        {
            "heard": (),
            "missing": (*PHRASES, "a phrase that is longer than any narrow terminal is wide at all"),
        },
        {"section": "状況と背景", "heard": ("六週間",), "missing": ("チームの外",)},
        {"section": None, "heard": (), "missing": ()},
    ],
)
def test_the_status_fits_and_summarizes_rather_than_cuts(width: int, case: dict) -> None:
    """Every row fits; the clock leads; a warning is whole, beside the clock or on its own
    row; the phrases are one of their forms (written out, summarized, counted), never cut."""
    s = status(**case)
    rows = ui.status_rows(s, width)
    assert all(ui.cells(row) <= width - 1 for row in rows), rows
    assert rows[0].startswith(f"● {clock(s.elapsed_s)}")
    kind = "clipping" if s.clipping else "silent" if s.silent else None
    if kind:
        warning = ui.WARNINGS[kind][0]
        assert warning in rows[0] or rows[-1] == warning, rows
    own = [row for row in rows[1:] if row.startswith(("✓", "○"))]  # the phrases' own row
    assert len(own) <= 1 and len(rows) == 1 + len(own) + (rows[-1] in WHOLE), rows
    if s.heard or s.missing:
        forms = ui.phrase_forms(s.heard, s.missing)
        assert any(row.endswith(form) for row in [rows[0], *own] for form in forms), rows
    if s.section:
        assert section_shown(s, rows[0]), rows


WHOLE = {text for text, _ in ui.WARNINGS.values()}


def section_shown(s: LiveStatus, row: str) -> bool:
    """The section's name is on the row, whole or cut with "…", with its countdown."""
    return (
        f"{s.section} {ui.section_time(s)}" in row or re.search(rf"…? {ui.section_time(s)}", row) is not None
    )


def test_phrases_are_written_out_while_they_fit() -> None:
    """Beside the clock while the whole list fits (160 columns); else on a row of their own,
    whole at 120 columns, the heard ones counted at 80 and 60, then summarized ("+2 more")."""
    s = status()
    assert ui.status_rows(s, 160)[0].endswith(
        "✓I noticed ✓0.3% drop rate ○outside my team’s scope ○no alerting ○nobody asked me"
    )
    assert ui.status_rows(s, 120)[1:] == [
        "✓I noticed ✓0.3% drop rate ○outside my team’s scope ○no alerting ○nobody asked me"
    ]
    for width in (60, 80):
        assert ui.status_rows(s, width)[1:] == ["✓2 ○outside my team’s scope ○no alerting ○nobody asked me"]
    assert ui.status_rows(s, 45)[1:] == ["✓2 ○outside my team’s scope +2 more"]
    assert ui.status_rows(status(silent=True), 60)[1:] == [
        "✓2 ○outside my team’s scope ○no alerting ○nobody asked me",
        "no input? check the microphone",
    ]


def test_long_lines_wrap_between_words() -> None:
    cue = "Interviewer: Action. Walk me through what you did. Aim for about 90 seconds."
    assert ui.wrap(cue, 60).split("\n") == [
        "Interviewer: Action. Walk me through what you did. Aim for",
        "about 90 seconds.",
    ]
    tick = "  ✓ “outside my team’s scope and nobody asked me” (situation, said in task, 0:06)"
    assert ui.wrap(tick, 59).split("\n") == [
        "  ✓ “outside my team’s scope and nobody asked me”",
        "    (situation, said in task, 0:06)",
    ]
    assert ui.wrap("short\n\n  indented", 20) == "short\n\n  indented"
    assert all(ui.cells(row) <= 12 for row in ui.wrap("x" * 40 + " end", 12).split("\n"))


# --- the adapter on a real terminal ----------------------------------------------------------


def events(n: int) -> list[LiveEvent]:
    sections = ("situation", "task", "action", "result")
    return [
        LiveEvent(
            t=2.0 * i + 1.0,
            phrase=f"{PHRASES[i % len(PHRASES)]} {i}",
            section=sections[i % 4],
            said_in=sections[(i + i // 4) % 4],
            at_s=2.0 * i,
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("pane", WIDTHS, indirect=True)
def test_checklist_and_status_from_two_threads_on_a_terminal(pane: Pane) -> None:
    """The recording loop redraws the status as fast as it can while the worker prints the
    checklist: every ticked line is on the screen once and whole, the status only at the
    bottom (and gone when it ends), warnings whole, nothing cut or wrapped by the terminal."""
    out = ui.TerminalOutput(stream=pane.stream)
    assert out.tty and out.width() == pane.columns
    ticks = events(40)
    heard: list[str] = []
    done = threading.Event()

    def worker() -> None:
        for event in ticks:
            out.live_phrase(event)
            heard.append(event.phrase)
            time.sleep(0.004)
        done.set()

    out.interviewer("Tell me about a time you took ownership of something outside your team's scope. " * 2)
    thread = threading.Thread(target=worker)
    thread.start()
    snapshots: list[list[str]] = []
    n = 0
    while not done.is_set() or n < 50:
        n += 1
        warn = {"silent": n % 7 < 2, "clipping": n % 11 == 5}
        out.status(status(elapsed_s=n * 0.05, heard=tuple(heard[-3:]), missing=PHRASES[:4], **warn))
        if n % 20 == 0:
            snapshots.append(pane.screen())
        time.sleep(0.001)
    thread.join()
    out.status(status(silent=True, level_dbfs=-90.0))
    time.sleep(0.2)  # tmux has read all
    live = pane.screen()
    out.end_status()
    out.line("Situation: 0:22 / 0:30 — ok")
    time.sleep(0.2)
    final = pane.screen()

    assert ui.WARNINGS["silent"][0] in flat(live[-2:])
    for rows in [*snapshots, live]:
        assert_status_only_at_the_bottom(rows, live=True, columns=pane.columns)
        assert_warnings_whole(rows)
    assert_status_only_at_the_bottom(final, live=False, columns=pane.columns)
    assert_checklist_whole(final, ticks)
    assert final[-1] == "Situation: 0:22 / 0:30 — ok"
    assert_fits(pane)


@pytest.mark.parametrize("pane", WIDTHS, indirect=True)
def test_text_from_a_file_cannot_move_the_cursor(pane: Pane) -> None:
    """`clean` still applies to everything shown: a section name or phrase with a cursor-up or
    a carriage return neither erases the checklist nor breaks the status onto two rows."""
    out = ui.TerminalOutput(stream=pane.stream)
    out.live_phrase(LiveEvent(t=1.5, phrase="first\x1b[2A\x1b[2K", section="task", said_in="task", at_s=1.0))
    out.status(status(section="Sit\ruation\x1b[1A", missing=("six\nweeks",)))
    time.sleep(0.2)
    rows = pane.screen()
    head = next(i for i, row in enumerate(rows) if row.startswith(STATUS_MARK))
    assert rows[head - 1] == "  ✓ “first” (task, 0:01)", rows
    assert rows[head].startswith("● 1:23  Sit uation 0:10 left"), rows
    assert "○six weeks" in " ".join(rows[head:]), rows
    out.end_status()


def test_without_a_terminal_plain_lines_only(tmp_path: Path) -> None:
    """Piped, the output is the lines as before: no status, no control sequences, no wrapping."""
    path = tmp_path / "out.txt"
    with path.open("w", encoding="utf-8") as stream:
        out = ui.TerminalOutput(stream=stream)
        out.status(status())
        long = "Interviewer: " + "word " * 40
        out.interviewer(long.removeprefix("Interviewer: "))
        out.live_phrase(events(1)[0])
        out.end_status()
    assert path.read_text(encoding="utf-8") == f"{long}\n  ✓ “I noticed 0” (situation, 0:00)\n"


# --- a real rehearsal on a terminal (the recognizer: audio tier) -----------------------------


class Snapshots:
    """The pane's screen read every 0.1 s while a flow runs (each must already be clean)."""

    def __init__(self, pane: Pane) -> None:
        self._pane = pane
        self.taken: list[list[str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Snapshots:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.taken.append(self._pane.screen())


def rehearse_on(pane: Pane, flow, answers, speed: float):
    """Run `flow(out, interviewer, microphone)` with a TerminalOutput on `pane`; the candidate
    answers each question the interviewer showed with `answers(question)` through a file
    microphone at `speed` times real time. Returns the flow's result, the checklist events
    shown and the snapshots."""
    from mockvoice.audio.filemic import FileMicrophone
    from mockvoice.rehearse.interviewer import TextInterviewer

    out = Shown(stream=pane.stream)
    asked: list[str] = []

    def show(text: str) -> None:
        asked.append(text)
        out.interviewer(text)

    def microphone(path: Path, on_audio) -> FileMicrophone:
        return FileMicrophone(answers(asked[-1]), path, on_audio, speed=speed)

    with Snapshots(pane) as snapshots:
        result = flow(out, TextInterviewer(show), microphone)
        time.sleep(0.3)  # tmux has read the last of it
    return result, out.ticked, snapshots.taken


class Shown(ui.TerminalOutput):
    """The terminal output, keeping the checklist events it was given to show."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self.ticked: list[LiveEvent] = []

    def live_phrase(self, event: LiveEvent) -> None:
        self.ticked.append(event)
        super().live_phrase(event)


class NoKeys:
    interactive = False

    def poll(self) -> str | None:
        return None


def assert_screens_clean(pane: Pane, snapshots: list[list[str]], ticked: list[LiveEvent]) -> list[str]:
    """Every screen while it ran had the status at the bottom only and whole warnings; the last
    one has each ticked phrase's line once and no status; nothing reached the last column."""
    assert len(snapshots) >= 5
    for rows in snapshots:
        assert_status_only_at_the_bottom(rows, live=True, columns=pane.columns)
        assert_warnings_whole(rows)
    final = pane.screen()
    assert_status_only_at_the_bottom(final, live=False, columns=pane.columns)
    assert_checklist_whole(final, ticked)
    assert_fits(pane)
    return final


@pytest.fixture(scope="module")
def action_said(scenario) -> Path:
    """The Action section's strong example spoken by the steady piper voice (cached on disk)."""
    from tests.support import CACHE
    from tests.support.devset import cached_take
    from tests.support.e2e import spoken

    from mockvoice.speech.tts import Voice

    text = scenario.section("action").strong_example

    def make():
        import soundfile as sf

        path = spoken(Voice(steady=True), text, CACHE / "inprocess" / "live-screen-action.tmp.wav")
        audio, _ = sf.read(path, dtype="float32")
        path.unlink()
        return audio, {"text": text}

    digest = hashlib.sha256(f"live screen {text}".encode()).hexdigest()[:12]
    path, _ = cached_take("live-screen-action", digest, CACHE / "inprocess", make)
    return path


@pytest.mark.audio
@pytest.mark.parametrize("pane", WIDTHS, indirect=True)
def test_a_drill_on_a_terminal(pane: Pane, action_said: Path, transcriber, scenario, tmp_path: Path) -> None:
    """The Action section drilled with its strong example: the cue wraps between words, the
    status follows the six "I …" phrases, each ticked line is on the screen once."""
    from mockvoice.rehearse import flows

    section = scenario.section("action")

    def drill(out, interviewer, microphone):
        return flows.drill(
            scenario,
            ["action"],
            root=tmp_path / "sessions",
            settings=flows.AnswerSettings(end_silence_s=3.0),
            interviewer=interviewer,
            transcriber=transcriber,
            out=out,
            keys=NoKeys(),
            ask=lambda prompt: pytest.fail(f"asked {prompt!r} without a keyboard"),
            microphone=microphone,
        )

    r, ticked, snapshots = rehearse_on(pane, drill, lambda question: action_said, speed=4.0)
    (attempt,) = r.doc.attempts
    assert attempt.verdict in {"ok", "under"} and len(ticked) >= 3, (attempt, ticked)
    final = assert_screens_clean(pane, snapshots, ticked)
    text = flat(final)
    assert f"Interviewer: {flows.drill_cue(section)}" in text  # whole, wrapped between words
    statuses = [
        flat(rows[i:]) for rows in snapshots for i, row in enumerate(rows) if row.startswith(STATUS_MARK)
    ]
    assert any(re.match(r"● 0:\d\d Action \d:\d\d left ▮*·* ", s) and "I pulled" in s for s in statuses), (
        statuses
    )
