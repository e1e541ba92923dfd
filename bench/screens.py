"""What the candidate sees, as text: a real `mockvoice mock --followups 1` in a tmux pane 60, 80
and 120 columns wide, answering through the private PulseAudio server's virtual microphone.

    .venv/bin/python -m bench.screens [--widths 60 80 120] [--out DIR]

Per width, three screens are kept in DIR (default .cache/screens): `W-live.txt` (the visible
screen two thirds into the answer: checklist and status line), `W-scorecard.txt` (all of the
run up to "Enter: the follow-up questions", scrollback included) and `W-end.txt` (the whole run,
follow-up and verdict included). The answer is the dev set's five short sections (about 40 s);
the follow-up is answered with the scenario's strong answer to whichever probe was asked. The
table gives, per width, the widest row (terminal cells) of any screen, the rows cut or wrapped
by the terminal (a wrapped row comes back longer than the width from `capture-pane -J`), and
how the run ended.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

from tests.support import CACHE
from tests.support.devset import five_short_sections
from tests.support.e2e import EXE, Ear, session_env, spoken
from tests.support.pulse import keep_sinks_awake, require_tools, start_server, stop_keepers, stop_server
from tests.support.tmux import Pane

from mockvoice.cli import ui
from mockvoice.scenario.catalog import find_scenario
from mockvoice.speech.tts import Voice

GO_ON = "Enter: the follow-up questions"


def wait_for(pane: Pane, text: str, timeout: float) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = pane.screen(joined=True)
        if any(text in row for row in rows) or pane.dead():
            return rows
        time.sleep(0.2)
    raise SystemExit(f"{text!r} not on the screen within {timeout:.0f} s")


def one_width(columns: int, env: dict, tmp: Path, out: Path) -> dict:
    scenario = find_scenario("leadership-without-title")
    answer_wav, truth = five_short_sections()
    recordings = tmp / f"recordings-{columns}"
    ear = Ear(tmp / f"interviewer-{columns}.raw", env)
    command = [EXE, "mock", "--followups", "1"]
    pane = Pane(tmp, columns, rows=45, command=command, env=session_env(env, recordings))
    try:
        ear.wait_for_turn(timeout=120)  # the question
        player = _play(env, answer_wav)
        time.sleep(truth["duration_s"] * 2 / 3)
        live = pane.visible()
        player.wait(timeout=120)
        scorecard = wait_for(pane, GO_ON, timeout=60)
        pane.keys("Enter")
        ear.wait_for_turn(timeout=60)  # the follow-up question
        shown = " ".join(pane.screen(joined=True))
        probe = next((f for f in scenario.followups if f.question in shown), scenario.followups[0])
        _play(env, spoken(Voice(steady=True), probe.strong.answer, tmp / f"followup-{columns}.wav")).wait()
        deadline = time.monotonic() + 90
        while not pane.dead() and time.monotonic() < deadline:
            time.sleep(0.3)
        end = pane.screen()
        ended = "exited" if pane.dead() else "still running"
        screens = {"live": live, "scorecard": scorecard, "end": end}
        for name, rows in screens.items():
            (out / f"{columns}-{name}.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
        joined = pane.screen(joined=True)
    finally:
        pane.close()
        ear.close()
    rows = [row for name in ("live", "scorecard", "end") for row in screens[name]]
    return {
        "columns": columns,
        "widest": max(ui.cells(r) for r in rows),
        "wrapped": sum(ui.cells(r) > columns for r in joined),
        "probe": probe.id,
        "ended": ended,
    }


def _play(env: dict, wav: Path) -> subprocess.Popen:
    return subprocess.Popen(["paplay", "--device=candidate", str(wav)], env=env)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--widths", type=int, nargs="+", default=[60, 80, 120])
    ap.add_argument("--out", type=Path, default=CACHE / "screens")
    args = ap.parse_args()
    require_tools()
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="mv-screens-") as tmp_name:
        tmp = Path(tmp_name)
        env = start_server(tmp / "pulse")
        keepers = keep_sinks_awake(env)
        try:
            results = [one_width(w, env, tmp, args.out) for w in args.widths]
        finally:
            stop_keepers(keepers)
            stop_server(env)
    print(f"{'columns':>7} {'widest row':>10} {'wrapped':>7}  {'follow-up':<14} run")
    for r in results:
        print(f"{r['columns']:>7} {r['widest']:>10} {r['wrapped']:>7}  {r['probe']:<14} {r['ended']}")
    print(f"\n(screens in {args.out}: W-live.txt, W-scorecard.txt, W-end.txt)")


if __name__ == "__main__":
    main()
