"""The command line: thin wiring from typer options to the core, and the one place where
errors become one-line messages and exit codes. Heavy modules are imported inside commands so
`mockvoice --help` stays instant."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from mockvoice import __version__
from mockvoice.errors import ExitCode, MockvoiceError

app = typer.Typer(
    name="mockvoice",
    help="Rehearse behavioral interview answers out loud, offline. Explainable STAR feedback.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
)
scenarios_app = typer.Typer(help="List, show and validate scenario files.", no_args_is_help=True)
app.add_typer(scenarios_app, name="scenarios")

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mockvoice {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    _state["debug"] = debug


@contextmanager
def _errors() -> Iterator[None]:
    """Every MockvoiceError becomes `mockvoice: error: …` on stderr and its exit code."""
    try:
        yield
    except MockvoiceError as exc:
        if _state["debug"]:
            raise
        for line in str(exc).splitlines() or [type(exc).__name__]:
            typer.echo(f"mockvoice: error: {line}", err=True)
        raise typer.Exit(int(exc.exit_code)) from None
    except KeyboardInterrupt:
        typer.echo("mockvoice: interrupted", err=True)
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None


def _print_scorecard(doc: dict) -> None:
    from mockvoice import scorecard

    if sys.stdout.isatty():
        from rich.console import Console

        Console().print(scorecard.rich_renderable(doc))
    else:
        typer.echo(scorecard.plain(doc))


ScenarioOpt = Annotated[
    str,
    typer.Option("--scenario", "-s", help="Scenario id (see 'mockvoice scenarios list') or a YAML file."),
]
RecordingsOpt = Annotated[
    Path | None,
    typer.Option(
        "--recordings", help="Where sessions are saved [env MOCKVOICE_RECORDINGS; default ./recordings]."
    ),
]


@app.command()
def analyze(
    audio: Annotated[Path, typer.Argument(help="Recorded answer: wav, flac, mp3, ogg or m4a.")],
    scenario: ScenarioOpt = "leadership-without-title",
    marks: Annotated[
        str | None,
        typer.Option(help="Section start times in seconds, comma-separated (e.g. 31.2,52,140,165)."),
    ] = None,
    level: Annotated[str | None, typer.Option(help="Level id or name, e.g. sde1, sde2, senior.")] = None,
    lp: Annotated[
        str | None, typer.Option("--lp", help="Leadership principle framing, e.g. ownership.")
    ] = None,
    json_out: Annotated[
        str | None, typer.Option("--json", help="Also write session.json to PATH; '-' prints it to stdout.")
    ] = None,
    model: Annotated[
        str | None, typer.Option(help="Whisper model folder or name [default: bundled tiny.en].")
    ] = None,
    recordings: RecordingsOpt = None,
) -> None:
    """Analyze a recorded answer: STAR section timing, key phrases, delivery flags. Saves a session."""
    with _errors():
        from mockvoice import analysis, asr, session
        from mockvoice import audio as audio_io
        from mockvoice.scenario import find_scenario
        from mockvoice.sections import parse_marks

        parsed_marks = parse_marks(marks)
        scen = find_scenario(scenario)
        samples = audio_io.load(audio)
        transcript = asr.Transcriber(model).transcribe(samples, source=str(audio))
        result = analysis.analyze(transcript, scen, marks=parsed_marks, level=level, principle=lp)
        folder, doc = session.save(
            session.recordings_root(recordings), result, mode="analyze", audio_src=audio
        )
        text = json.dumps(doc, indent=2, ensure_ascii=False)
        if json_out == "-":
            typer.echo(text)
            typer.echo(f"Saved {folder}", err=True)
            return
        if json_out:
            session.write_atomic(Path(json_out), text + "\n")
        _print_scorecard(doc)
        typer.echo(f"\nSaved {folder}")


@scenarios_app.command("list")
def scenarios_list() -> None:
    """Scenarios found in ./scenarios and those shipped with mockvoice."""
    with _errors():
        from mockvoice.scenario import list_scenarios, scenario_dirs

        for path, item in list_scenarios(scenario_dirs()):
            if isinstance(item, MockvoiceError):
                typer.echo(f"{path.stem:<28} INVALID  {str(item).splitlines()[0]}")
            else:
                typer.echo(f"{item.id:<28} {item.title}  [{path}]")


@scenarios_app.command("show")
def scenarios_show(
    scenario_id: Annotated[str, typer.Argument(metavar="ID", help="Scenario id or file.")],
) -> None:
    """Everything in a scenario: question, sections with targets and phrases, probes, quiz, framings."""
    with _errors():
        from mockvoice.scenario import find_scenario
        from mockvoice.scenario_text import describe

        typer.echo(describe(find_scenario(scenario_id)))


@scenarios_app.command("validate")
def scenarios_validate(file: Annotated[Path, typer.Argument(help="Scenario YAML file.")]) -> None:
    """Check a scenario file; every problem is reported with its file, line and field."""
    with _errors():
        from mockvoice.scenario import load_scenario

        s = load_scenario(file)
        phrases = sum(len(sec.key_phrases) for sec in s.sections)
        typer.echo(
            f"{file}: ok — {s.id}: {len(s.sections)} sections, {phrases} key phrases, "
            f"{len(s.followups)} follow-ups, {len(s.quiz)} quiz questions"
        )


def main() -> None:
    app()
