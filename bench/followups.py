"""Follow-up answers judged on ideas, not on four exact phrases (issue 12): the current
`followups.judge` against a baseline commit's, on the same table, in the same run.

    .venv/bin/python -m bench.followups [--baseline REV]

The table is tests/devset/followup_answers.yaml (answers as people say them: strong ones in
other words, weak ones, hand-offs, and a real mock's answer with a misheard word), plus each
probe's bundled strong and weak example answers. Each side runs in its own Python process with
its own `mockvoice` and its own copy of the bundled scenario (the baseline's is exported with
`git archive`, as bench/trust.py does), on text transcripts read at 0.4 s a word; a row's
`unsure` words get probability 0.3. Prints one markdown table of shares.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from bench.layout import module

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "tests" / "devset" / "followup_answers.yaml"
SCENARIO = "scenarios/leadership-without-title.yaml"
BASELINE = "d5bcee9"  # main before issue 12
SECONDS_PER_WORD = 0.4
UNSURE_PROBABILITY = 0.3

ROWS = [
    ("strong_strong", "strong answers in other words: judged strong", ""),
    ("strong_heard", "strong answers in other words: strong or partial", "≥ 90 %"),
    ("weak_weak", "weak answers: judged weak", "100 %"),
    ("handoff_weak", "hand-offs: judged weak", "100 %"),
    ("examples_strong", "bundled strong examples: judged strong", "100 %"),
    ("examples_weak", "bundled weak examples: judged weak", "100 %"),
    ("outcome_as_handoff", "strong answers with 'they merged it' etc. called a hand-off", "0 %"),
    ("unsure_quoted", "answers quoting a word the recognizer doubted", "0 %"),
    ("denial_as_ownership", "answers quoting a denial as ownership ('owns it: I did not…')", "0 %"),
    ("real_mock", "the real mock's design-note answer (issue 12)", "strong / partial"),
    ("n_strong", "strong answers in other words in the table", "≥ 20"),
    ("n_weak", "weak answers and hand-offs in the table", "≥ 10"),
    ("judge_ms", "judge() per answer, ms (mean)", ""),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", default=BASELINE, help="git revision to compare with")
    ap.add_argument("--side", help=argparse.SUPPRESS)  # internal: this process's mockvoice, this scenario
    args = ap.parse_args()
    if args.side:
        print(json.dumps(evaluate(Path(args.side))))
        return
    with tempfile.TemporaryDirectory(prefix="followups-baseline-") as tmp:
        export(args.baseline, Path(tmp))
        base = run_side(Path(tmp))
    cand = run_side(ROOT)
    print_table(base, cand, args.baseline)


# --- the parent: two processes, one table ------------------------------------------------------


def export(rev: str, dest: Path) -> None:
    """The baseline's package and bundled scenario (its models reject today's `ideas:`)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src", SCENARIO], check=True, capture_output=True
    )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")


def run_side(tree: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    cmd = [sys.executable, "-m", "bench.followups", "--side", str(tree / SCENARIO)]
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def print_table(base: dict, cand: dict, rev: str) -> None:
    print(f"| measure | bar | baseline ({rev}) | candidate |")
    print("|---|---|---|---|")
    for key, label, bar in ROWS:
        print(f"| {label} | {bar} | {_fmt(base.get(key))} | {_fmt(cand.get(key))} |")


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.0%}" if v <= 1 else f"{v:.1f}"
    return str(v)


# --- one side: this process's mockvoice -----------------------------------------------------


def evaluate(scenario_path: Path) -> dict:
    """Shares of the table judged as labelled, by this process's `followups.judge`."""
    import yaml

    followups = module("analysis.followups", "followups")
    load_scenario = module("scenario.catalog", "scenario").load_scenario
    scenario = load_scenario(scenario_path)
    probes = {f.id: f for f in scenario.followups}
    rows = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    for f in scenario.followups:
        rows += [
            {"probe": f.id, "kind": "example-strong", "text": f.strong.answer},
            {"probe": f.id, "kind": "example-weak", "text": f.weak.answer},
        ]
    t0 = time.perf_counter()
    judged = [(r, _as_saved(followups.judge(transcript(r), probes[r["probe"]]))) for r in rows]
    per_ms = (time.perf_counter() - t0) / len(rows) * 1000

    def share(kind: str, verdicts: tuple[str, ...]) -> float:
        mine = [j for r, j in judged if r["kind"] == kind]
        return sum(j["verdict"] in verdicts for j in mine) / len(mine)

    strong = [(r, j) for r, j in judged if r["kind"] == "strong"]
    real = next(j for r, j in judged if r.get("unsure"))
    return {
        "strong_strong": share("strong", ("strong",)),
        "strong_heard": share("strong", ("strong", "partial")),
        "weak_weak": share("weak", ("weak",)),
        "handoff_weak": share("hand-off", ("weak",)),
        "examples_strong": share("example-strong", ("strong",)),
        "examples_weak": share("example-weak", ("weak",)),
        "outcome_as_handoff": sum(_calls_hand_off(j) for _, j in strong) / len(strong),
        "unsure_quoted": sum(_quotes_unsure(r, j) for r, j in judged) / len(judged),
        "denial_as_ownership": sum(_denial_owned(j) for _, j in judged) / len(judged),
        "real_mock": real["verdict"],
        "n_strong": len(strong),
        "n_weak": sum(r["kind"] in ("weak", "hand-off") for r in rows),
        "judge_ms": per_ms,
    }


def _as_saved(result) -> dict:
    """A judged answer as session.json holds it: today's `FollowupResult`, or the baseline's dict."""
    return result.to_dict() if hasattr(result, "to_dict") else result


def transcript(row: dict):
    words_module = module("speech.transcript", "transcript")
    Transcript, Word = words_module.Transcript, words_module.Word

    unsure = set(row.get("unsure", ()))
    words = tuple(
        Word(
            " " + w,
            i * SECONDS_PER_WORD,
            (i + 0.8) * SECONDS_PER_WORD,
            UNSURE_PROBABILITY if w.strip(",.;:!?") in unsure else 1.0,
        )
        for i, w in enumerate(row["text"].split())
    )
    return Transcript(words, len(words) * SECONDS_PER_WORD)


def _calls_hand_off(result: dict) -> bool:
    return any(r.startswith("hands it off") for r in result["reasons"])


def _quotes_unsure(row: dict, result: dict) -> bool:
    """Whether any reason quotes a word the row marks as misheard."""
    unsure = row.get("unsure", ())
    return any(f'"{w}' in r or f" {w} " in r for r in result["reasons"] for w in unsure)


def _denial_owned(result: dict) -> bool:
    return any(
        r.startswith("owns it:") and any(n in r for n in (" not ", "n't ", " never "))
        for r in result["reasons"]
    )


if __name__ == "__main__":
    main()
