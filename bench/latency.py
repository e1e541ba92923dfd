"""Time-to-feedback of `mockvoice mock` through the virtual microphone: streaming vs whole-file.

    .venv/bin/python bench/latency.py [--minutes 1 2 3] [--runs 1]

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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.devset.build import build, load_answers  # noqa: E402
from tests.pulse import require_tools, start_server, stop_server  # noqa: E402
from tests.test_e2e import Ear  # noqa: E402

EXE = str(Path(sys.executable).parent / "mockvoice")
END_SILENCE = 3.0


def answer_of(minutes: float) -> tuple[Path, dict]:
    """A strong answer about `minutes` long: the paraphrase, spoken slower for 3 minutes,
    or cut to its first sections for shorter ones."""
    base = next(a for a in load_answers() if a["id"] == "paraphrase-plain")
    scale = {1: 0.95, 2: 1.0, 3: 1.3}.get(round(minutes), 1.0)
    answer = {**base, "id": f"bench-{minutes:g}min", "length_scale": scale}
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


def one_run(env: dict, wav: Path, truth: dict, whole_file: bool, tmp: Path) -> dict:
    recordings = tmp / f"rec-{time.monotonic_ns()}"
    args = [EXE, "mock", "--followups", "1", "--end-silence", str(END_SILENCE)]
    if whole_file:
        args.append("--whole-file")
    env = {**env, "MOCKVOICE_RECORDINGS": str(recordings), "MOCKVOICE_CACHE": str(ROOT / ".cache")}
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
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, nargs="+", default=[1, 2, 3])
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    require_tools()
    with tempfile.TemporaryDirectory(prefix="mv-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = start_server(tmp / "pulse")
        try:
            rows = []
            for minutes in args.minutes:
                wav, truth = answer_of(minutes)
                results = {}
                for whole_file in (True, False):
                    runs = [one_run(env, wav, truth, whole_file, tmp) for _ in range(args.runs)]
                    results[whole_file] = runs
                rows.append((minutes, truth["duration_s"], results))
        finally:
            stop_server(env)
    print(
        f"{'answer':>8} {'path':<11} {'feedback s':>10} {'ratio':>6} {'RTF':>6} {'next q s':>8} "
        f"{'RSS MB':>7} {'overflows':>9}"
    )
    for _minutes, duration, results in rows:
        base = statistics.median(r["feedback_s"] for r in results[True])
        for whole_file in (True, False):
            runs = results[whole_file]
            fb = statistics.median(r["feedback_s"] for r in runs)
            rtf = statistics.median(r["asr_busy_s"] / r["answer_s"] for r in runs)
            nq = statistics.median(r["next_question_s"] for r in runs)
            print(
                f"{duration:>7.0f}s {'whole-file' if whole_file else 'streaming':<11} {fb:>10.2f} "
                f"{fb / base:>6.2f} {rtf:>6.3f} {nq:>8.2f} {max(r['rss_mb'] for r in runs):>7.0f} "
                f"{sum(r['overflows'] for r in runs):>9}"
            )
    print(
        f"\n(median of {args.runs} run(s); ratio = feedback time / whole-file feedback time; "
        f"end-silence {END_SILENCE:g} s, so the next question is due by {END_SILENCE + 1.5:g} s)"
    )


if __name__ == "__main__":
    main()
