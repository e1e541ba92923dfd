"""The command line: thin wiring from typer options to the core. Heavy modules are imported
inside commands so `mockvoice --help` stays instant.

The edge: errors become one-line messages and exit codes in one place, `_Edge.invoke` (the
root command), which both `main()` (the console script) and typer's CliRunner go through.
Options shared with cli_review.py (the review commands) live in cli_options.py."""

from __future__ import annotations

import json
import os
import stat
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperCommand, TyperGroup

from mockvoice import __version__
from mockvoice import lazy as lazy_modules
from mockvoice.cli.options import (
    EndSilenceOpt,
    InputDeviceOpt,
    LevelOpt,
    LpOpt,
    MaxAnswerOpt,
    ModelOpt,
    NoVoiceOpt,
    OutputDeviceOpt,
    QuietLiveOpt,
    RecordingsOpt,
    ScenarioIdArg,
    StrictOpt,
    WholeFileOpt,
    check_output,
    check_recordings,
    device_spec,
    print_scorecard,
)
from mockvoice.cli.review import register as register_review_commands
from mockvoice.errors import (
    STORAGE_ERRNOS,
    ExitCode,
    MockvoiceError,
    StorageError,
    UsageError,
    os_error_message,
)
from mockvoice.lazy import lazy

analysis = lazy("mockvoice.analysis.answer")
archive = lazy("mockvoice.session.archive")
asr = lazy("mockvoice.speech.asr")
audio_io = lazy("mockvoice.audio.files")
authoring = lazy("mockvoice.cli.authoring")
bank = lazy("mockvoice.scenario.bank")
catalog = lazy("mockvoice.scenario.catalog")
checks = lazy("mockvoice.cli.doctor")
devices = lazy("mockvoice.audio.devices")
draft = lazy("mockvoice.analysis.draft")
scenario_files = lazy("mockvoice.scenario.files")
interviewers = lazy("mockvoice.rehearse.interviewer")
ports = lazy("mockvoice.rehearse.ports")
recorder = lazy("mockvoice.audio.recorder")
rehearse = lazy("mockvoice.rehearse.flows")
sections = lazy("mockvoice.analysis.sections")
selfcheck = lazy("mockvoice.analysis.selfcheck")
session = lazy("mockvoice.session.store")
story = lazy("mockvoice.scenario.story")
streaming = lazy("mockvoice.speech.streaming")
scenario_text = lazy("mockvoice.scenario.text")
ui = lazy("mockvoice.cli.ui")

INTERRUPTED_NOTE = "mockvoice.interrupted"  # ctx.meta: what a command has saved when Ctrl-C stops it
RECORDING_BYTES_PER_S = 16000 * 2  # the recorder's 16 kHz 16-bit mono WAV: room for one longest answer


class _Edge(TyperGroup):
    """The root command, where every command runs: the one place where a MockvoiceError
    becomes `mockvoice: error: …` lines on stderr and its class's exit code (errors.py), a disk
    error no command caught (full, read-only, name too long, permissions) becomes one (exit 7), and
    Ctrl-C (or SIGTERM, see `_install_sigterm`) becomes exit 130. With --debug, a
    MockvoiceError shows its traceback instead."""

    def invoke(self, ctx):
        _install_sigterm()  # from here on SIGTERM, like Ctrl-C, ends in one line and exit 130
        try:
            if "--help" not in (*getattr(ctx, "_protected_args", ()), *ctx.args):
                lazy_modules.load_all()  # a command runs: its modules load here, on the main thread
            return super().invoke(ctx)
        except MockvoiceError as exc:
            if ctx.params.get("debug"):
                raise
            for line in str(exc).splitlines() or [type(exc).__name__]:
                typer.echo(f"mockvoice: error: {ui.clean(line)}", err=True)
            raise typer.Exit(int(exc.exit_code)) from None
        except OSError as exc:
            if ctx.params.get("debug") or exc.errno not in STORAGE_ERRNOS:
                raise  # not the disk saying no: a bug, shown as one
            message = os_error_message(exc, exc.filename or "mockvoice", "use it")
            typer.echo(f"mockvoice: error: {ui.clean(message)}", err=True)
            raise typer.Exit(int(ExitCode.STORAGE)) from None
        except KeyboardInterrupt:
            note = ctx.meta.get(INTERRUPTED_NOTE)
            typer.echo("mockvoice: interrupted" + (f" — {note}" if note else ""), err=True)
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None


class _Usage(TyperCommand):
    """Usage lines as people write them: `analyze [OPTIONS] AUDIO`, optional ones in brackets,
    not typer's `{audio}`; an argument's own metavar (review's `[SESSION [PATH] | compare A B]`)
    is shown as written."""

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name != "argument" or param.hidden:
                continue
            name = param.metavar or param.name.upper()
            pieces.append(name if param.required or name.startswith("[") else f"[{name}]")
        return pieces


def _clean_usage(*apps: typer.Typer) -> None:
    for each in apps:
        for info in each.registered_commands:
            if info.cls in (None, TyperCommand):
                info.cls = _Usage


app = typer.Typer(
    cls=_Edge,
    name="mockvoice",
    help="Rehearse behavioral interview answers out loud, offline. Explainable STAR feedback.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
)
scenarios_app = typer.Typer(
    help="List, show and validate scenarios; start and import your own Markdown stories.",
    short_help="List, show, validate, write and import scenarios.",
    no_args_is_help=True,
)
app.add_typer(scenarios_app, name="scenarios")
questions_app = typer.Typer(
    help="The question bank: behavioral questions to rehearse your stories with.",
    short_help="The question bank to rehearse your stories with.",
    no_args_is_help=True,
)
app.add_typer(questions_app, name="questions")


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
    # No state to keep: `_Edge.invoke` reads --debug from the parsed parameters.
    return


ScenarioOpt = Annotated[
    str,
    typer.Option(
        "--scenario",
        "-s",
        help="Scenario id (see 'mockvoice scenarios list'), a YAML file or a Markdown story.",
    ),
]


@app.command(short_help="Score a recorded answer file (no microphone needed).")
def analyze(
    ctx: typer.Context,
    audio: Annotated[Path, typer.Argument(help="Recorded answer: wav, flac, mp3, ogg or m4a.")],
    scenario: ScenarioOpt = "leadership-without-title",
    marks: Annotated[
        str | None,
        typer.Option(help="Section start times in seconds, comma-separated (e.g. 31.2,52,140,165)."),
    ] = None,
    level: LevelOpt = None,
    lp: LpOpt = None,
    json_out: Annotated[
        str | None,
        typer.Option(
            "--json",
            help="Also write session.json to PATH (only over an earlier --json output); '-' prints it.",
        ),
    ] = None,
    model: ModelOpt = None,
    recordings: RecordingsOpt = None,
) -> None:
    """Analyze a recorded answer: STAR section timing, key phrases, delivery flags. Saves a session."""

    # Every option is checked before the audio is decoded, and long before it is transcribed
    # (a 20-minute file takes minutes): the marks, level and principle against the scenario,
    # where the outputs go, and the model folder.
    # analyze records nothing, and its session is saved whole or not at all (the edge says so)
    ctx.meta[INTERRUPTED_NOTE] = "nothing was saved (the audio file is untouched)"
    parsed_marks = sections.parse_marks(marks)
    scen = catalog.find_scenario(scenario)
    analysis.check_options(scen, level, lp)
    section_ids = [s.id for s in scen.sections]
    sections.check_marks(parsed_marks, section_ids)
    if json_out and json_out != "-":
        _check_json_out(Path(json_out))
    root = session.recordings_root(recordings)
    asr.model_source(model)
    session.check_saving(root, scen.id, need_bytes=_file_size(audio))
    samples = audio_io.load(audio)
    sections.check_marks(parsed_marks, section_ids, duration_s=len(samples) / audio_io.SAMPLE_RATE)
    transcript = streaming.transcribe_in_utterances(asr.Transcriber(model), samples, source=str(audio))
    result = analysis.analyze(transcript, scen, marks=parsed_marks, level=level, principle=lp)
    folder, doc = archive.save(root, result, mode="analyze", audio_src=audio)
    ctx.meta[INTERRUPTED_NOTE] = f"the session is saved in {folder}"
    text = json.dumps(doc.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)
    if json_out == "-":
        typer.echo(text)
        typer.echo(f"Saved {folder}", err=True)
        return
    if json_out:
        _write_json_out(Path(json_out), text + "\n", folder)
    print_scorecard(doc, folder)  # ends with where the session and its report are


def _file_size(path: Path) -> int:
    """Bytes of a file to copy into the session (0 if it cannot be read: loading says why)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _check_json_out(path: Path) -> None:
    """--json PATH is written over only when it is an earlier --json output (a mockvoice session
    JSON): never over a folder, a FIFO or device, a broken link, or a file of the user's."""
    check_output(path, "--json")
    if not os.path.lexists(path):
        return
    try:
        info = path.stat()
    except OSError:
        raise UsageError(f"--json {path}: a broken link — remove it or choose another path") from None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"--json {path}: not a regular file — give a file path")
    if not session.is_session_json(path):
        raise UsageError(
            f"--json {path}: exists and is not a mockvoice session JSON — not overwritten; "
            "remove it or choose another path"
        )


def _write_json_out(path: Path, text: str, folder: Path) -> None:
    """--json after the session is saved: a disk error is one line that says the session is safe."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        session.write_atomic(path, text)
    except OSError as exc:
        message = os_error_message(exc, path, "write --json")
        raise StorageError(f"{message} (the session is saved in {folder})") from None


class _Parts:
    """The real adapters for a rehearsal, built after the cheap checks have passed."""

    def __init__(self, *, voice: bool, output_device, input_device, model, recordings) -> None:

        self.out = ui.TerminalOutput()
        self.root = session.recordings_root(recordings)
        check_recordings(self.root)
        self.input_device = devices.input_device(device_spec(input_device))
        self.microphone = ports.recorder(self.input_device)
        for path in recorder.find_unfinished(self.root):
            seconds = recorder.repair(path)
            self.out.info(f"Recovered an interrupted recording: {path} ({seconds:.1f} s)")
        show = self.out.interviewer
        if voice:
            speaker = devices.output_device(device_spec(output_device))
            self.interviewer = interviewers.VoiceInterviewer(show, device=speaker)
        else:
            self.interviewer = interviewers.TextInterviewer(show)
        self._model = model
        self._transcriber = None

    def transcriber(self):
        """The model, loaded once and warmed up (first decode and first analysis are slow)."""

        if self._transcriber is None:
            self._transcriber = asr.Transcriber(self._model)
            self._transcriber.warm_up()
        return self._transcriber

    def prepare_voice(self, texts: list[str]) -> None:
        """Synthesize every line the interviewer may say now, so none waits for the voice later."""
        prepare = getattr(self.interviewer, "prepare", None)
        if prepare is not None:
            prepare(texts)


def _take_sigint() -> None:
    """Ctrl-C stops an interactive command even when mockvoice was started with SIGINT ignored (a
    job started in the background of a script, `trap '' INT`): Python then leaves it ignored."""
    import signal

    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _install_sigterm() -> None:
    """SIGTERM finishes the recording and the session like Ctrl-C does."""
    import signal

    def handler(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


@dataclass(frozen=True)
class _Rehearsing:
    """The options `mock` and `drill` share, bundled once: which parts to build and how an
    answer ends. The field names are the commands' parameter names."""

    no_voice: bool
    output_device: str | None
    input_device: str | None
    model: str | None
    recordings: Path | None
    end_silence: float
    max_answer: float
    whole_file: bool
    strict: bool
    quiet_live: bool

    @classmethod
    def of(cls, params: dict) -> _Rehearsing:
        """Picked by name from a command's parameters: `_Rehearsing.of(locals())`."""
        return cls(**{f.name: params[f.name] for f in fields(cls)})


def _setup(scen, lines: list[str], opts: _Rehearsing):
    """The real parts and answer settings for a rehearsal; model and voice ready before the start."""

    root = session.recordings_root(opts.recordings)
    session.check_saving(root, scen.id, need_bytes=int(opts.max_answer * RECORDING_BYTES_PER_S))
    parts = _Parts(
        voice=not opts.no_voice,
        output_device=opts.output_device,
        input_device=opts.input_device,
        model=opts.model,
        recordings=opts.recordings,
    )
    parts.transcriber()  # loaded and warmed before the first question
    rehearse.warm_up(scen)
    parts.prepare_voice(lines)
    settings = rehearse.AnswerSettings(
        end_silence_s=opts.end_silence,
        max_answer_s=opts.max_answer,
        input_device=parts.input_device,
        streaming=not opts.whole_file,
        strict=opts.strict,
        show_live=not opts.quiet_live,
    )
    return parts, settings


def _run(parts: _Parts, flow) -> None:
    """Run a rehearsal flow with keys read from the terminal; Esc and SIGTERM stop it cleanly."""

    with ui.TerminalKeys() as keys:
        try:
            r = flow(keys)
        except rehearse.Aborted:  # Esc: the flow said where what was recorded is saved
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    parts.out.info(f"\nSaved {r.folder}")


@app.command(short_help="A mock interview: the question, your answer, follow-ups.")
def mock(
    ctx: typer.Context,
    scenario: ScenarioIdArg = "leadership-without-title",
    level: LevelOpt = None,
    lp: LpOpt = None,
    followups: Annotated[int, typer.Option(min=0, help="How many follow-up probes to ask.")] = 2,
    question: Annotated[
        str | None,
        typer.Option(
            help="Ask a bank question instead: its id (see 'mockvoice questions list') or 'random'."
        ),
    ] = None,
    story: Annotated[
        str | None,
        typer.Option(help="Your story (.md) or scenario to judge the answer with (instead of ID)."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="With --question random: the same seed, the same question.")
    ] = None,
    no_voice: NoVoiceOpt = False,
    output_device: OutputDeviceOpt = None,
    input_device: InputDeviceOpt = None,
    end_silence: EndSilenceOpt = 3.0,
    max_answer: MaxAnswerOpt = 420.0,
    quiet_live: QuietLiveOpt = False,
    strict: StrictOpt = False,
    whole_file: WholeFileOpt = False,
    model: ModelOpt = None,
    recordings: RecordingsOpt = None,
) -> None:
    """The full mock interview: the question, your answer, the scorecard, follow-up probes, a verdict."""
    ctx.meta[INTERRUPTED_NOTE] = "what was recorded is saved"

    _take_sigint()

    if question:
        scen, asked = catalog.scenario_for(question, story or scenario, seed)
        typer.echo(
            f"Question {asked.id} [{', '.join(asked.principles)}]: judged with {scen.id}'s key phrases"
        )
    else:
        scen = catalog.find_scenario(story or scenario)
    analysis.check_options(scen, level, lp)
    lines = [scen.question, *(f.question for f in scen.followups), *rehearse.interruptions(scen)]
    parts, settings = _setup(scen, lines, _Rehearsing.of(locals()))
    opts = rehearse.MockOptions(level=level, principle=lp, followups=followups, settings=settings)
    _run(
        parts,
        lambda keys: rehearse.mock(
            scen,
            opts,
            root=parts.root,
            interviewer=parts.interviewer,
            transcriber=parts.transcriber(),
            out=parts.out,
            keys=keys,
            microphone=parts.microphone,
        ),
    )


@app.command(short_help="Rehearse one STAR section at a time against its target.")
def drill(
    ctx: typer.Context,
    scenario: ScenarioIdArg = "leadership-without-title",
    section: Annotated[
        list[str] | None, typer.Option("--section", help="Drill only this section (repeatable), e.g. action.")
    ] = None,
    no_voice: NoVoiceOpt = False,
    output_device: OutputDeviceOpt = None,
    input_device: InputDeviceOpt = None,
    end_silence: EndSilenceOpt = 3.0,
    max_answer: MaxAnswerOpt = 240.0,
    quiet_live: QuietLiveOpt = False,
    strict: StrictOpt = False,
    whole_file: WholeFileOpt = False,
    model: ModelOpt = None,
    recordings: RecordingsOpt = None,
) -> None:
    """Section by section: the cue and target, you speak that section, immediate feedback, retry."""
    ctx.meta[INTERRUPTED_NOTE] = "what was recorded is saved"

    _take_sigint()

    scen = catalog.find_scenario(scenario)
    ids = [s.id for s in scen.sections]
    for wanted in section or []:
        if wanted not in ids:
            raise UsageError(f"--section: unknown section {wanted!r} — use one of: {', '.join(ids)}")
    cues = [rehearse.drill_cue(scen.section(s)) for s in section or ids]
    parts, settings = _setup(scen, cues, _Rehearsing.of(locals()))
    _run(
        parts,
        lambda keys: rehearse.drill(
            scen,
            section or ids,
            root=parts.root,
            settings=settings,
            interviewer=parts.interviewer,
            transcriber=parts.transcriber(),
            out=parts.out,
            keys=keys,
            ask=keys.ask,
            microphone=parts.microphone,
        ),
    )


@app.command(short_help="The walkthrough: strong examples, coaching, a quiz.")
def study(
    ctx: typer.Context,
    scenario: ScenarioIdArg = "leadership-without-title",
    no_voice: NoVoiceOpt = False,
    output_device: OutputDeviceOpt = None,
    recordings: RecordingsOpt = None,
) -> None:
    """The walkthrough: strong examples read aloud with coaching, the weak answer, then the quiz."""
    ctx.meta[INTERRUPTED_NOTE] = "the walkthrough so far is saved"

    _take_sigint()

    scen = catalog.find_scenario(scenario)
    root = session.recordings_root(recordings)
    session.check_saving(root, scen.id)
    out = ui.TerminalOutput()
    if no_voice:
        interviewer = interviewers.TextInterviewer(out.interviewer)
    else:
        interviewer = interviewers.VoiceInterviewer(
            out.interviewer, device=devices.output_device(device_spec(output_device))
        )

    def read_line(prompt: str) -> str | None:
        # input(prompt) on a terminal writes the prompt to stderr (CPython without readline).
        typer.echo(prompt, nl=False)
        try:
            return input()
        except EOFError:
            return None

    def pause(upcoming: str) -> None:
        """On a terminal, one page at a time: the candidate reads, then presses Enter."""
        if sys.stdin.isatty() and out.tty:
            read_line(f"\n[Enter: {upcoming}] ")

    r = rehearse.study(
        scen,
        root=root,
        interviewer=interviewer,
        out=out,
        read_line=read_line,
        pause=pause,
    )
    out.info(f"\nSaved {r.folder}")


@app.command("devices", short_help="List microphones and speakers; test the microphone.")
def devices_cmd(
    seconds: Annotated[
        float, typer.Option(min=0, help="Length of the microphone level check (0 skips it).")
    ] = 3.0,
    input_device: InputDeviceOpt = None,
) -> None:
    """List microphones and speakers, then check the microphone level for a few seconds."""

    found = devices.list_devices()
    if not found:
        typer.echo("No audio devices found.")
    for d in found:
        kinds = []
        if d.max_input_channels:
            kinds.append("in" + ("*" if d.is_default_input else ""))
        if d.max_output_channels:
            kinds.append("out" + ("*" if d.is_default_output else ""))
        typer.echo(f"{d.index:>3}  {'/'.join(kinds):<8} {d.name}  ({d.default_samplerate:.0f} Hz)")
    if found:
        typer.echo("(* = default)")
    if seconds:
        device = devices.input_device(device_spec(input_device))
        typer.echo(f"Checking the microphone for {seconds:g} s — say something…")
        report = devices.level_check(seconds, device=device)
        verdict = (
            "CLIPPING — move back or lower the gain"
            if report.clipping
            else ("SILENT — is the microphone muted?" if report.silent else "ok")
        )
        level = f"level {report.rms_dbfs:.0f} dBFS, peak {report.peak:.2f}"
        typer.echo(f"{level}, overflows {report.overflows}: {verdict}")


@app.command(short_help="Check audio, model, voice and disk; repair leftovers.")
def doctor(recordings: RecordingsOpt = None, model: ModelOpt = None) -> None:
    """Check PortAudio, devices, speech model, voice and disk space; print the fix for each failure.
    Repairs interrupted recordings and finishes or removes what an interrupted save left."""

    root, why = session.recordings_location(recordings)
    results = checks.run_all(root, model, why)
    for r in results:
        typer.echo(
            f"[{'ok' if r.ok else 'FAIL'}] {r.name}: {r.detail}" + ("" if r.ok else f"\n       fix: {r.fix}")
        )
    if not all(r.ok for r in results):
        raise typer.Exit(1)


@scenarios_app.command("list", short_help="The scenarios you can rehearse.")
def scenarios_list() -> None:
    """Scenarios found in ./scenarios and those shipped with mockvoice."""

    for path, item in catalog.list_scenarios(catalog.scenario_dirs()):
        if isinstance(item, MockvoiceError):
            typer.echo(ui.clean(f"{path.stem:<28} INVALID  {str(item).splitlines()[0]}"))
        else:
            typer.echo(ui.clean(f"{item.id:<28} {item.title}  [{path}]"))


@scenarios_app.command("show", short_help="Everything in one scenario, as text.")
def scenarios_show(
    scenario_id: Annotated[str, typer.Argument(metavar="ID", help="Scenario id or file.")],
) -> None:
    """Everything in a scenario: question, sections with targets and phrases, probes, quiz, framings."""

    typer.echo(ui.clean(scenario_text.describe(catalog.find_scenario(scenario_id))))


@scenarios_app.command("validate", short_help="Check a scenario file or Markdown story.")
def scenarios_validate(
    file: Annotated[Path, typer.Argument(help="Scenario YAML file or Markdown story.")],
) -> None:
    """Check a scenario file or story; problems name the file, line and field. Warnings (exit 0):
    a story's draft checks ('we' in the Action, no number in the Result, a long section…), and
    for both whether the strong answer passes its own scenario (its key phrases, targets, flags)."""

    if file.suffix.lower() in scenario_files.STORY_SUFFIXES:
        mine = story.load_story(file)
        for line in draft.validation_report(mine, selfcheck.story_warnings(mine)):
            typer.echo(ui.clean(line))
        return
    s = catalog.load_scenario(file)
    phrases = sum(len(sec.key_phrases) for sec in s.sections)
    typer.echo(
        f"{file}: ok — {s.id}: {len(s.sections)} sections, {phrases} key phrases, "
        f"{len(s.followups)} follow-ups, {len(s.quiz)} quiz questions"
    )
    warnings = selfcheck.scenario_warnings(file, s)
    for line in warnings:
        typer.echo(ui.clean(line))
    if warnings:
        typer.echo(f"{len(warnings)} warning(s): the scenario loads, but its own strong answer fails it")


@scenarios_app.command("import", short_help="Turn a Markdown story into a scenario YAML.")
def scenarios_import(
    file: Annotated[
        Path, typer.Argument(help="Your story: a Markdown file (see 'mockvoice scenarios new').")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Scenario YAML to write [default: scenarios/ID.yaml]."),
    ] = None,
    edit: Annotated[
        bool, typer.Option("--edit", help="Edit the key phrases in $EDITOR first; kept in the story's list.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output file.")] = False,
) -> None:
    """Turn a Markdown story into a scenario YAML, with key phrases suggested from your own text."""

    for line in authoring.import_report(authoring.import_story(file, output, edit=edit, force=force)):
        typer.echo(ui.clean(line))


@scenarios_app.command("new", short_help="Write a template story to fill in.")
def scenarios_new(
    path: Annotated[Path | None, typer.Argument(help="Story file to create [default: print it].")] = None,
    question: Annotated[
        str | None, typer.Option(help="Start from a bank question (see 'mockvoice questions list').")
    ] = None,
) -> None:
    """Write a commented template story (front matter and the five STAR headings) to start from."""

    asked = bank.load_bank().question(question) if question else None
    text = authoring.new_story(path, asked)
    typer.echo(
        f"Wrote {path} — write your story, then: mockvoice scenarios validate {path}" if path else text
    )


@questions_app.command("list", short_help="The bank's questions and their principles.")
def questions_list(
    lp: Annotated[str | None, typer.Option("--lp", help="Only questions probing this principle.")] = None,
) -> None:
    """The bank's questions: id, text and the leadership principles each probes."""

    for line in bank.listing(bank.load_bank(), lp):
        typer.echo(line)


@questions_app.command("show", short_help="One question: framing, probes, examples.")
def questions_show(question_id: Annotated[str, typer.Argument(metavar="ID", help="Question id.")]) -> None:
    """One question: its principles and framing, follow-up probes and what each level shows."""

    b = bank.load_bank()
    typer.echo(bank.describe(b, b.question(question_id)))


# After the commands above, so `--help` lists them in the order a user meets them.
register_review_commands(app)  # review, progress, export (cli_review.py)
_clean_usage(app, scenarios_app, questions_app)


def main() -> None:
    """The console script: runs the app, whose root command (`_Edge`) turns errors into exit codes."""
    app()
