"""`mockvoice review`, `progress` and `export`: looking back at saved sessions.

Thin wiring over `history`, `report` and `export`; errors become one-line messages and exit
codes at the edge (cli.py's root command) like every other command's. cli.py imports this module
and calls `register`; this module imports only cli_options (the options and helpers both share),
typer and the standard library at module level (`mockvoice --help` stays instant).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from mockvoice.cli.options import RecordingsOpt, device_spec, print_scorecard, write_output
from mockvoice.clock import clock
from mockvoice.errors import AudioInputError, SessionError, UsageError
from mockvoice.lazy import lazy

audio = lazy("mockvoice.audio.files")
devices = lazy("mockvoice.audio.devices")
export = lazy("mockvoice.session.export")
history = lazy("mockvoice.session.history")
player = lazy("mockvoice.audio.player")
report = lazy("mockvoice.session.report")
scorecard = lazy("mockvoice.session.scorecard")
ui = lazy("mockvoice.cli.ui")
session = lazy("mockvoice.session.store")

SessionArg = Annotated[
    str,
    typer.Argument(
        metavar="SESSION",
        help="The number 'review' lists, latest or latest~N, a session folder, its name or a unique "
        "prefix of it [default: latest].",
    ),
]
HtmlOpt = Annotated[
    bool,
    typer.Option(
        "--html",
        help="Write the HTML report: into the session folder, or to a PATH given after SESSION "
        "(a file ending in .html, or a folder).",
    ),
]


def register(app: typer.Typer) -> None:
    """Add the review commands to the main app."""
    app.command("review", short_help="List saved sessions, show or play one, compare two.")(review)
    app.command("progress", short_help="One scenario across attempts: times, phrases, flags.")(progress)
    app.command("export", short_help="Export a session as Markdown, JSON or subtitles.")(export_cmd)


# --- review ----------------------------------------------------------------------------------------


def review(
    args: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[SESSION [PATH] | compare A B]",
            help="Nothing: list the sessions (numbered). SESSION: its scorecard (PATH: where --html "
            "goes); --play/--html/--open alone: of the latest. compare A B: what changed from A to B "
            "(latest~N counts answers of B's scenario).",
        ),
    ] = None,
    play: Annotated[
        str | None,
        typer.Option(
            "--play",
            metavar="PART",
            help="Play a section (e.g. action), followup-N, a drill attempt (action-2) or answer.",
        ),
    ] = None,
    html: HtmlOpt = False,
    open_report: Annotated[bool, typer.Option("--open", help="Open the HTML report in a browser.")] = False,
    scenario: Annotated[
        str | None, typer.Option("--scenario", "-s", help="List only the sessions of this scenario id.")
    ] = None,
    output_device: Annotated[
        str | None, typer.Option("--output-device", help="Speaker for --play: index or name.")
    ] = None,
    recordings: RecordingsOpt = None,
) -> None:
    """Saved sessions: a table of them, one session's scorecard and report, or two compared."""

    root, why = session.recordings_location(recordings)
    args = args or []
    if args and args[0] == "compare":
        if len(args) != 3 or play or html or open_report:
            raise UsageError("review compare: give exactly two sessions, A and B (no --play/--html)")
        _compare(root, args[1], args[2])
    elif len(args) > 2 or (len(args) == 2 and not html):
        raise UsageError(
            f"review: one SESSION at a time (got {' '.join(args)}) — or: review compare A B, "
            "review SESSION --html PATH"
        )
    elif args:
        dest = args[1] if len(args) == 2 else None
        _one(root, args[0], play=play, html=html, dest=dest, open_report=open_report, device=output_device)
    elif play or html or open_report:  # of the latest session
        latest = history.LATEST
        _one(root, latest, play=play, html=html, dest=None, open_report=open_report, device=output_device)
    else:
        _list(root, scenario, why)


def _echo(text: str = "", **kwargs) -> None:
    """typer.echo of text that may hold a scenario title, a question or heard words: any terminal
    control in them is removed first (`ui.clean`)."""
    typer.echo(ui.clean(text), **kwargs)


def _warn(problems) -> None:
    for p in problems:
        _echo(f"mockvoice: warning: {p.message}", err=True)


def _list(root: Path, scenario: str | None, why: str) -> None:

    saved, problems = history.scan(root)
    _warn(problems)
    if scenario:
        saved = [s for s in saved if s.doc.scenario == scenario]
    if not saved:
        what = f"sessions of {scenario}" if scenario else "sessions"
        _echo(f"No {what} in {root} ({why}) — record one with 'mockvoice mock' or 'mockvoice analyze FILE'.")
        return
    number = {s.name: n for n, s in enumerate(history.scan(root)[0], 1)}  # among all, not the filtered
    rows = [history.summarize(s).cells(str(number[s.name])) for s in saved]
    count = f"{len(rows)} session{'s' if len(rows) != 1 else ''} in {root} ({why})"
    _table(history.COLUMNS, rows, title=count)
    if not sys.stdout.isatty():
        _echo(f"\n{count} · mockvoice review N for one (the # column, or latest)")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], title: str | None = None) -> None:
    """A rich table on a terminal, aligned plain columns otherwise."""

    if not sys.stdout.isatty():
        _echo(history.plain_table(header, rows))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, expand=False)
    for n, col in enumerate(header):
        table.add_column(col, no_wrap=n == 0)  # the handle to type: never broken
    for r in rows:
        table.add_row(*(ui.clean(cell) for cell in r))
    Console().print(table)


@contextmanager
def _readable(saved: history.Saved) -> Iterator[None]:
    """A session.json that parses but is not shaped like one: a one-line error, not a traceback."""

    try:
        yield
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise SessionError(
            f"{saved.folder / 'session.json'}: malformed session ({type(exc).__name__}: {exc}) — "
            "the folder's audio is untouched"
        ) from None


def _one(
    root: Path, spec: str, *, play: str | None, html: bool, dest: str | None, open_report: bool, device
) -> None:

    saved = history.resolve(root, spec)
    with _readable(saved):
        if play:
            _play(saved, play, device)
            return
        if html or open_report:
            path = _write_report(saved, dest)
            _echo(f"Report: {path}")
            if open_report:
                _open(path)
            return
        _print_session(saved)


def _print_session(saved: history.Saved) -> None:

    doc = saved.doc
    if doc.is_analyzed:
        print_scorecard(doc, saved.folder)  # ends with the session, its report and what next
    else:
        _echo(f"{doc.scenario_title} — {doc.question}")
    for att in doc.attempts or []:
        _echo(scorecard.drill_plain(att))
    for fu in doc.followups or []:
        _echo("\n" + scorecard.followup_plain(fu))
    if doc.verdict is not None:
        _echo("\n" + scorecard.verdict_plain(doc.verdict))
    if doc.quiz is not None:
        _echo(f"Quiz score: {doc.quiz.score}/{doc.quiz.total}")
    if doc.partial:
        _echo("\n(This session was interrupted: it holds what was recorded before the stop.)")
    playable = ", ".join(p.id for p in doc.answer_parts())
    if not doc.is_analyzed:  # the scorecard said where it is
        _echo(f"\n{doc.mode} session {saved.folder}")
        report = saved.folder / "report.html"
        if report.exists():
            _echo(f"Report: {report}")
    if playable:
        _echo(f"Parts to --play: {playable}")


def _write_report(saved: history.Saved, dest: str | None) -> Path:
    """report.html in the session folder, or at `dest` with the audio linked back to the folder."""

    path = saved.folder / session.REPORT_FILE if not dest else Path(dest)
    if path.is_dir():
        path = path / f"{saved.name}.html"
    elif path.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"--html {dest}: give a file ending in .html, or a folder")
    text = report.render(saved.doc, base=report.media_base(path, saved.folder))
    write_output(path, text)
    return path


def _open(path: Path) -> None:
    import webbrowser

    if not webbrowser.open(path.resolve().as_uri()):
        _echo(f"No browser found — open {path} yourself.", err=True)


def _play(saved: history.Saved, spec: str, device) -> None:
    """Play a section's span of the answer, or a whole follow-up or drill recording."""

    part = history.find_part(saved.doc, spec)
    if not part.audio:
        raise AudioInputError(f"{part.id}: no audio was saved for it in {saved.folder}")
    device = device_spec(device)
    devices.output_device(device)  # no speaker: the one-line error before the audio is even decoded
    samples = audio.load(saved.folder / part.audio)
    rate = audio.SAMPLE_RATE
    first = 0 if part.start_s is None else int(part.start_s * rate)
    last = len(samples) if part.end_s is None else int(part.end_s * rate)
    clip = samples[first:last]
    span = f" ({_clock(first / rate)}–{_clock(min(last, len(samples)) / rate)})"
    _echo(f"Playing {part.label}{span} from {part.audio} — Ctrl-C stops")
    try:
        player.play(clip, rate, device=device)
    except KeyboardInterrupt:
        _echo("Stopped.")


def _clock(seconds: float) -> str:

    return clock(seconds)


def _compare(root: Path, a_spec: str, b_spec: str) -> None:

    b = history.resolve(root, b_spec, among=history.comparable)
    a = history.resolve(
        root, a_spec, among=lambda s: history.comparable(s) and s.doc.scenario == b.doc.scenario
    )
    with _readable(a), _readable(b):
        c = history.compare(a, b)
    _echo(f"A: {a.name}\nB: {b.name}\n")
    _table(history.COMPARE_HEADER, history.compare_rows(c))
    _echo("")
    for line in history.compare_notes(c):
        _echo(line)


# --- progress -------------------------------------------------------------------------------------


def progress(
    args: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ID] [PATH]",
            help="Scenario id [default: the scenario of the newest answer]; PATH: where --html goes.",
        ),
    ] = None,
    html: Annotated[
        bool,
        typer.Option(
            "--html",
            help="Also write the charts as HTML: progress-ID.html in the recordings root, or PATH "
            "(a file ending in .html).",
        ),
    ] = False,
    recordings: RecordingsOpt = None,
) -> None:
    """One scenario across attempts: section times against targets, phrases, fillers and pace."""

    root = session.recordings_root(recordings)
    scenario, dest = _progress_args(args or [], html)
    saved, problems = history.scan(root)
    _warn(problems)
    p = history.progress(saved, scenario or history.latest_scenario(saved))
    n = len(p.attempts)
    _echo(f"{p.title} ({p.scenario}): {n} attempt{'s' if n != 1 else ''}")
    _table(history.progress_header(p), history.progress_rows(p))
    first = len(p.attempts) - len(p.attempts[-history.SHOWN_ATTEMPTS :]) + 1
    _echo("")
    for n, a in enumerate(p.attempts, 1):
        if n >= first:
            _echo(f"#{n} {a.created:%Y-%m-%d %H:%M}  {a.name}")
    if p.skipped:
        _echo(f"({p.skipped} drill, study or unfinished sessions of this scenario are not counted)")
    if html:
        path = Path(dest) if dest else root / f"progress-{p.scenario}.html"
        write_output(path, report.render_progress(p, link_base=report.media_base(path, root)))
        _echo(f"Chart: {path}")


def _progress_args(args: Sequence[str], html: bool) -> tuple[str | None, str | None]:
    """[ID] [PATH]: a PATH (for --html) ends in .html; anything else is the scenario id."""
    paths = [a for a in args if a.lower().endswith((".html", ".htm"))]
    ids = [a for a in args if a not in paths]
    if len(ids) > 1 or len(paths) > 1:
        raise _usage(f"progress: give one scenario ID and at most one .html PATH (got {' '.join(args)})")
    if paths and not html:
        raise _usage(f"progress: {paths[0]} looks like a file — add --html to write the chart there")
    return (ids[0] if ids else None), (paths[0] if paths else None)


def _usage(message: str):

    return UsageError(message)


# --- export -----------------------------------------------------------------------------------------


def export_cmd(
    session_spec: SessionArg = "latest",
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="md|json|srt|vtt", help="Output format.")
    ] = "md",
    part: Annotated[
        str | None,
        typer.Option("--part", help="Subtitles for this recording: answer (default), followup-N, action-1…"),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file or folder [default: stdout].")
    ] = None,
    recordings: RecordingsOpt = None,
) -> None:
    """Export a session as Markdown, JSON, or SRT/VTT subtitles whose cues carry the section name."""

    saved = history.resolve(session.recordings_root(recordings), session_spec)
    fmt = fmt.lower().lstrip(".")
    with _readable(saved):
        text = export.export(saved.doc, fmt, part)
    if output is None:
        typer.echo(text, nl=False)  # the export itself, as written (JSON escapes control)
        return
    path = output / f"{saved.name}.{fmt}" if output.is_dir() else output
    write_output(path, text)
    _echo(f"Wrote {path}", err=True)
