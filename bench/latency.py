"""Time-to-feedback of `mockvoice mock` through the virtual microphone: streaming vs whole-file.

    .venv/bin/python -m bench.latency [--minutes 1 2 3] [--runs 1] [--no-ticks]

For each answer length, a dev-set answer (spoken by piper, slowed or trimmed to the length) is
played into a private PulseAudio server's virtual microphone while `mockvoice mock
--followups 1` runs, once with the default streaming path and once with `--whole-file` (the
old after-the-answer path, the baseline). Reported per run:

- feedback: from the end of the answer (end of the silence window, as detected by the program)
  to the scorecard printed (`timing.feedback_s` in session.json);
- next question: from the answer's last word to the interviewer's next question, heard on the
  interviewer sink from outside;
- RTF: recognizer compute time / answer length (`timing.asr_busy_s`; the streaming path spends
  it while the candidate speaks, the whole-file path after); peak RSS of the mockvoice process
  (VmHWM); input overflows.

Then the live checklist's tick delay (`--no-ticks` skips it): how long after a key phrase is
said (`at_s`) it is ticked on screen (`t` of each `live` event in session.json), for the 3-minute
answer spoken two ways: with normal pauses (0.6-1.0 s between sentences) and fluently (steady
piper, 0.15-0.3 s between sentences, fewer cuts for the recognizer). Each is run with the live
re-reading of the open utterance (the candidate) and with finished utterances only
(`MOCKVOICE_LIVE_READINGS=0`, the old path, the baseline); both stream, so feedback is
compared too.
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support import ROOT
from tests.support.devset import build, load_answers
from tests.support.e2e import Ear
from tests.support.pulse import require_tools, start_server, stop_server

EXE = str(Path(sys.executable).parent / "mockvoice")
END_SILENCE = 3.0


def answer_of(minutes: float, fluent: bool = False) -> tuple[Path, dict]:
    """A strong answer about `minutes` long: the paraphrase, spoken slower for 3 minutes,
    or cut to its first sections for shorter ones; `fluent`: with short pauses."""
    base = next(a for a in load_answers() if a["id"] == "paraphrase-plain")
    scale = {1: 0.95, 2: 1.0, 3: 1.3}.get(round(minutes), 1.0)
    answer = {**base, "id": f"bench-{minutes:g}min", "length_scale": scale}
    if fluent:
        answer |= {"id": f"bench-{minutes:g}min-fluent", "length_scale": scale * 1.12}
        answer |= {"sentence_pause_s": [0.15, 0.3], "section_pause_s": 0.35}
    if minutes <= 1:
        answer["sections"] = base["sections"][:2]
        answer["said"] = [s for s in base["said"] if s["in"] in {"situation", "task"}]
    return build(answer, ROOT / ".cache" / "devset")


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the process's peak resident memory so far."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_run(env: dict, wav: Path, truth: dict, whole_file: bool, tmp: Path, readings: bool = True) -> dict:
    recordings = tmp / f"rec-{time.monotonic_ns()}"
    args = [EXE, "mock", "--followups", "1", "--end-silence", str(END_SILENCE)]
    if whole_file:
        args.append("--whole-file")
    env = {**env, "MOCKVOICE_RECORDINGS": str(recordings), "MOCKVOICE_CACHE": str(ROOT / ".cache")}
    env["MOCKVOICE_LIVE_READINGS"] = "1" if readings else "0"
    ear = Ear(tmp / f"ear-{time.monotonic_ns()}.raw", env)
    proc = subprocess.Popen(
        args, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        ear.wait_for_turn(timeout=120)
        start = ear.position()
        subprocess.run(["paplay", "--device=candidate", str(wav)], env=env, check=True)
        onset, _ = ear.wait_for_turn(timeout=120)
        gap = onset - (start + truth["sections"][-1]["end_s"])
        rss = peak_rss_mb(proc.pid)
        proc.send_signal(signal.SIGTERM)  # the follow-up is not answered: stop like Ctrl-C
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        ear.close()
    doc = json.loads(next(recordings.glob("*/session.json")).read_text())
    return {
        "feedback_s": doc["timing"]["feedback_s"],
        "next_question_s": gap,
        "rss_mb": rss,
        "overflows": doc["overflows"],
        "answer_s": doc["duration_s"],
        "asr_busy_s": doc["timing"]["asr_busy_s"],
        "preview_busy_s": doc["timing"].get("preview_busy_s") or 0.0,
        # ticks: seconds from a phrase said (answer clock) to ticked on screen (the checklist's
        # clock starts with the recording, as the answer clock does)
        "ticks": [e["t"] - e["at_s"] for e in doc.get("live", [])],
        # of which spent after the words were heard: recognizer, analysis, scheduling
        "lags": [e["t"] - e["heard_s"] for e in doc.get("live", []) if e.get("heard_s") is not None],
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def tick_table(env: dict, tmp: Path, runs: int) -> None:
    """The live checklist's tick delay, with and without re-reading the open utterance."""
    print(
        f"\n{'speech':<15} {'path':<20} {'ticks':>5} {'median s':>8} {'p95 s':>6} {'max s':>6} "
        f"{'ratio':>6} {'feedback s':>10} {'CPU/answer':>10} {'RSS MB':>7} {'overflows':>9}"
    )
    for fluent in (False, True):
        wav, truth = answer_of(3, fluent)
        results = {}
        for readings in (False, True):
            results[readings] = [one_run(env, wav, truth, False, tmp, readings) for _ in range(runs)]
        base = statistics.median([t for r in results[False] for t in r["ticks"]] or [float("nan")])
        for readings in (False, True):
            rs = results[readings]
            ticks = [t for r in rs for t in r["ticks"]]
            med = statistics.median(ticks) if ticks else float("nan")
            cpu = statistics.median((r["asr_busy_s"] + r["preview_busy_s"]) / r["answer_s"] for r in rs)
            name = "re-reading" if readings else "utterances (old)"
            speech = f"{'fluent' if fluent else 'normal pauses'} {truth['duration_s']:.0f}s"
            print(
                f"{speech:<15} {name:<20} {len(ticks):>5} {med:>8.2f} {percentile(ticks, 0.95):>6.2f} "
                f"{max(ticks, default=float('nan')):>6.2f} {med / base:>6.2f} "
                f"{statistics.median(r['feedback_s'] for r in rs):>10.2f} {cpu:>10.3f} "
                f"{max(r['rss_mb'] for r in rs):>7.0f} {sum(r['overflows'] for r in rs):>9}"
            )
    print("(tick = t - at_s of each live event; CPU/answer = recognizer seconds per answer second)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, nargs="+", default=[1, 2, 3])
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--no-ticks", action="store_true", help="skip the live checklist's tick delays")
    ap.add_argument("--ticks-only", action="store_true", help="only the tick delays")
    args = ap.parse_args()
    require_tools()
    with tempfile.TemporaryDirectory(prefix="mv-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = start_server(tmp / "pulse")
        try:
            rows = []
            if not args.no_ticks:
                tick_table(env, tmp, args.runs)
            for minutes in [] if args.ticks_only else args.minutes:
                wav, truth = answer_of(minutes)
                results = {}
                for whole_file in (True, False):
                    runs = [one_run(env, wav, truth, whole_file, tmp) for _ in range(args.runs)]
                    results[whole_file] = runs
                rows.append((minutes, truth["duration_s"], results))
        finally:
            stop_server(env)
    if rows:
        feedback_table(rows, args.runs)


def feedback_table(rows: list, runs: int) -> None:
    """Feedback time of the streaming path against the whole-file path, per answer length."""
    print(
        f"{'answer':>8} {'path':<11} {'feedback s':>10} {'ratio':>6} {'RTF':>6} {'next q s':>8} "
        f"{'RSS MB':>7} {'overflows':>9}"
    )
    for _minutes, duration, results in rows:
        base = statistics.median(r["feedback_s"] for r in results[True])
        for whole_file in (True, False):
            done = results[whole_file]
            fb = statistics.median(r["feedback_s"] for r in done)
            rtf = statistics.median(r["asr_busy_s"] / r["answer_s"] for r in done)
            nq = statistics.median(r["next_question_s"] for r in done)
            print(
                f"{duration:>7.0f}s {'whole-file' if whole_file else 'streaming':<11} {fb:>10.2f} "
                f"{fb / base:>6.2f} {rtf:>6.3f} {nq:>8.2f} {max(r['rss_mb'] for r in done):>7.0f} "
                f"{sum(r['overflows'] for r in done):>9}"
            )
    print(
        f"\n(median of {runs} run(s); ratio = feedback time / whole-file feedback time; "
        f"end-silence {END_SILENCE:g} s, so the next question is due by {END_SILENCE + 1.5:g} s)"
    )


if __name__ == "__main__":
    main()
