"""The CLI edge (issue 13.3): one error handler, shared options declared once, and every option
checked before any slow work (decoding, loading the model, transcribing)."""

from __future__ import annotations

import ast
import re
import time
from pathlib import Path

import numpy as np
import pytest
from tests.support.cli import SAMPLE, assert_one_line_error, run, write_wav
from typer.testing import CliRunner

from mockvoice.errors import ExitCode, ScenarioError

SRC = Path(__file__).resolve().parent.parent / "src" / "mockvoice"
FAST_S = 20.0  # an option error, process start included (~1-2 s, 6 s on a loaded machine);
# transcribing LONG_S takes minutes on 2 cores
LONG_S = 600


@pytest.fixture(scope="module")
def long_answer(tmp_path_factory) -> Path:
    """Ten minutes of real speech (the sample answer, repeated): transcribing it takes minutes."""
    from mockvoice.audio import files as audio

    speech = audio.load(SAMPLE)
    reps = -(-LONG_S * audio.SAMPLE_RATE // len(speech))
    return write_wav(tmp_path_factory.mktemp("long") / "long.wav", np.tile(speech, reps))


def _cases(tmp: Path) -> list[tuple[list[str], ExitCode, tuple[str, ...]]]:
    a_file = tmp / "notes.txt"
    a_file.write_text("not a folder\n")
    return [
        (["--level", "nosuch"], ExitCode.USAGE, ("--level", "sde1, sde2, senior")),
        (["--lp", "nosuch"], ExitCode.USAGE, ("--lp", "ownership")),
        (["--marks", "1,2,3,4,5"], ExitCode.USAGE, ("--marks", "at most 4")),
        (["--marks", "20,abc"], ExitCode.USAGE, ("--marks", "not a number")),
        (["--json", str(a_file / "out.json")], ExitCode.USAGE, ("--json", "not a folder")),
        (["--json", str(tmp)], ExitCode.USAGE, ("--json", "is a folder")),
        (["--recordings", str(a_file)], ExitCode.ERROR, ("cannot save sessions", "--recordings")),
        (["--model", str(tmp)], ExitCode.ERROR, ("--model", "no model.bin")),
    ]


def test_analyze_checks_every_option_before_transcribing(long_answer: Path, tmp_path: Path) -> None:
    """A bad option on a ten-minute file is the usual one-line error, in about a second."""
    for options, code, needles in _cases(tmp_path):
        start = time.monotonic()
        proc = run("analyze", str(long_answer), *options, cwd=tmp_path)
        took = time.monotonic() - start
        assert_one_line_error(proc, code, *needles)
        assert took < FAST_S, f"{options}: {took:.1f} s — checked after transcribing?"
    assert not (tmp_path / "recordings").exists()


def test_marks_past_the_end_are_checked_before_transcribing(long_answer: Path, tmp_path: Path) -> None:
    """The recording's length is known once it is decoded: no need to transcribe it first."""
    start = time.monotonic()
    proc = run("analyze", str(long_answer), "--marks", f"20,{LONG_S * 2}", cwd=tmp_path)
    assert_one_line_error(proc, ExitCode.USAGE, "--marks", "past the end")
    assert time.monotonic() - start < FAST_S


def test_option_errors_come_before_decoding_or_loading_the_model(monkeypatch, tmp_path: Path) -> None:
    """The same, in-process and without timing: the slow steps are never reached."""
    from mockvoice.audio import files as audio
    from mockvoice.cli.main import app
    from mockvoice.speech import asr

    def never(*args, **kwargs):
        raise AssertionError("reached a slow step before checking the options")

    monkeypatch.setattr(audio, "load", never)
    monkeypatch.setattr(asr, "Transcriber", never)
    for options, code, needles in _cases(tmp_path):
        result = CliRunner().invoke(app, ["analyze", str(SAMPLE), *options])
        assert result.exit_code == int(code), (options, result.output, result.exception)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("mockvoice: error: "), result.stderr
        assert all(n in lines[0] for n in needles), lines[0]


# --- one edge ------------------------------------------------------------------------------


def test_interrupt_and_debug_are_handled_at_the_edge(monkeypatch) -> None:
    from mockvoice.cli.main import app
    from mockvoice.scenario import catalog

    def interrupted(ref):
        raise KeyboardInterrupt

    monkeypatch.setattr(catalog, "find_scenario", interrupted)
    result = CliRunner().invoke(app, ["scenarios", "show", "x"])
    assert result.exit_code == int(ExitCode.INTERRUPTED)
    assert result.stderr == "mockvoice: interrupted\n"  # nothing was being recorded
    monkeypatch.undo()

    debug = CliRunner().invoke(app, ["--debug", "scenarios", "show", "no-such-id"])
    assert isinstance(debug.exception, ScenarioError)  # the traceback, for a bug report
    # --debug is no state left behind: the next run is the one-line error again.
    plain = CliRunner().invoke(app, ["scenarios", "show", "no-such-id"])
    assert plain.exit_code == int(ExitCode.SCENARIO)
    assert plain.stderr.startswith("mockvoice: error: unknown scenario 'no-such-id'")


def _modules() -> dict[str, str]:
    """The command line's modules by file name (the cli package)."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((SRC / "cli").glob("*.py"))}


def test_errors_become_exit_codes_in_one_place() -> None:
    modules = _modules()
    assert not [name for name, text in modules.items() if "_errors()" in text]
    assert [name for name, text in modules.items() if "mockvoice: error:" in text] == ["main.py"]
    assert [name for name, text in modules.items() if ".exit_code" in text] == ["main.py"]
    assert modules["main.py"].count("except MockvoiceError") == 1
    assert modules["main.py"].count("except KeyboardInterrupt") == 1


def _imports(text: str) -> list[tuple[str, str]]:
    """(module, name) for every `from mockvoice… import name`, at any depth."""
    return [
        (node.module, alias.name)
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mockvoice")
        for alias in node.names
    ]


def test_no_private_names_across_modules_and_no_cli_cycle() -> None:
    """The command modules share public names only (cli.options), and cli.review and cli.options
    never import cli.main (cli.main imports cli.review to register its commands)."""
    for name, text in _modules().items():
        private = [f"{mod}.{n}" for mod, n in _imports(text) if n.startswith("_") and n != "__version__"]
        assert not private, f"{name} imports private names: {private}"
    for name in ("review.py", "options.py"):
        assert not [mod for mod, _ in _imports(_modules()[name]) if mod == "mockvoice.cli.main"], name


def test_shared_options_are_declared_once() -> None:
    from mockvoice.cli.options import device_spec

    modules = _modules()
    # (`questions list --lp` filters the bank and `review --output-device` is for --play: their own.)
    flags = ("--recordings", "--model", "--level", "--input-device", "--no-voice", "--end-silence")
    declared = {
        flag: [name for name, text in modules.items() if re.search(rf'typer\.Option\(\s*"{flag}"', text)]
        for flag in flags
    }
    assert declared == {flag: ["options.py"] for flag in flags}
    assert "isdigit" not in modules["main.py"] + modules["review.py"]  # device specs: device_spec
    assert (device_spec("3"), device_spec("USB Mic"), device_spec(None)) == (3, "USB Mic", None)
