"""Judgments a candidate can trust (issue 11): numbers by value, negations, close paraphrase,
and the dev-set figures that must not get worse — the current code against a baseline commit,
in the same run.

    .venv/bin/python -m bench.trust [--baseline REV] [--no-devset]

The baseline is the tree at REV (default: the commit before issue 11's work) exported with
`git archive` into a temp folder; each side is evaluated in its own Python process with its own
`mockvoice` on the path, on the same tables (tests/devset/numbers.yaml, negations.yaml,
paraphrases.yaml) and the same dev-set transcripts (transcribed once, cached in
.cache/trust/). Prints one markdown table; ratios are candidate / baseline.
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
TABLES = ROOT / "tests" / "devset"
CACHE = ROOT / ".cache" / "trust"
BASELINE = "8525281"  # main before issue 11


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", default=BASELINE, help="git revision to compare with")
    ap.add_argument("--no-devset", action="store_true", help="skip the spoken dev-set rows")
    ap.add_argument("--side", help=argparse.SUPPRESS)  # internal: evaluate this process's mockvoice
    args = ap.parse_args()
    if args.side:
        print(json.dumps(evaluate(devset=not args.no_devset)))
        return
    if not args.no_devset:
        ensure_transcripts()
    with tempfile.TemporaryDirectory(prefix="trust-baseline-") as tmp:
        export(args.baseline, Path(tmp))
        base = run_side(Path(tmp) / "src", args)
    cand = run_side(ROOT / "src", args)
    print_table(base, cand, args.baseline)


# --- the parent: two processes, one table ------------------------------------------------------


def export(rev: str, dest: Path) -> None:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], check=True, capture_output=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")


def run_side(src: Path, args: argparse.Namespace) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}  # this side's mockvoice; the root (cwd) has tests
    cmd = [sys.executable, "-m", "bench.trust", "--side", "1"]
    if args.no_devset:
        cmd.append("--no-devset")
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def print_table(base: dict, cand: dict, rev: str) -> None:
    print(f"| measure | bar | baseline ({rev}) | candidate | ratio |")
    print("|---|---|---|---|---|")
    for key, label, bar in ROWS:
        if key not in cand:
            continue
        b, c = base.get(key), cand[key]
        ratio = f"{c / b:.2f}" if isinstance(b, (int, float)) and b else "—"
        print(f"| {label} | {bar} | {_fmt(b)} | {_fmt(c)} | {ratio} |")


ROWS = [
    ("numbers_match", "numbers: should-match pairs matched", "≥ 95 %"),
    ("numbers_reject", "numbers: must-not-match pairs rejected", "100 %"),
    ("numbers_n", "numbers: pairs in the table", "≥ 150"),
    ("neg_counted", "negations: denied phrases counted", "0"),
    ("neg_near", "negations: denied phrases shown as the right near-hit", ""),
    ("neg_controls", "negations: nearby-negation controls still counted", "all"),
    ("neg_n", "negations: denial cases in the table", "≥ 30"),
    ("para_counted", "paraphrase: close paraphrases counted", "≥ 80 %"),
    ("para_as_para", "paraphrase: … of them shown as 'in other words'", ""),
    ("para_rejected", "paraphrase: vaguer claims not counted", "100 %"),
    ("para_n", "paraphrase: close paraphrases in the table", "≥ 40"),
    ("dev_precision", "dev set (steady joe): key-phrase precision", "1.00"),
    ("dev_recall", "dev set (steady joe): key-phrase recall", "no worse"),
    ("dev_boundary", "dev set (steady joe): median boundary error s", "no worse"),
    ("espeak_precision", "dev set (espeak + noise): precision", "1.00"),
    ("espeak_recall", "dev set (espeak + noise): recall", "no worse"),
    ("held_precision", "held-out (steady joe): precision", "1.00"),
    ("held_recall", "held-out (steady joe): recall", "no worse"),
    ("held_espeak_precision", "held-out (espeak + noise): precision", "1.00"),
    ("held_espeak_recall", "held-out (espeak + noise): recall", "no worse"),
    ("analyze_ms", "analyze() of the longest dev-set answer, ms", "(live checklist)"),
]


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.3f}" if v < 10 else f"{v:.0f}"
    return str(v)


# --- one side: this process's mockvoice -----------------------------------------------------


def evaluate(devset: bool) -> dict:
    import yaml

    out: dict = {}
    numbers = TABLES / "numbers.yaml"
    if numbers.exists():
        rows = yaml.safe_load(numbers.read_text(encoding="utf-8"))
        good = [r for r in rows if r["match"]]
        bad = [r for r in rows if not r["match"]]
        out["numbers_match"] = _share(sum(judged(r["phrase"], r["heard"])[0] for r in good), len(good))
        out["numbers_reject"] = _share(sum(not judged(r["phrase"], r["heard"])[0] for r in bad), len(bad))
        out["numbers_n"] = len(rows)
    rows = yaml.safe_load((TABLES / "negations.yaml").read_text(encoding="utf-8"))
    denied = [r for r in rows if r["expect"] == "denied"]
    controls = [r for r in rows if r["expect"] == "counted"]
    results = [judged(r["phrase"], r["heard"]) for r in denied]
    out["neg_counted"] = sum(counted for counted, _ in results)
    right = sum(near == r["near"] for r, (_, near) in zip(denied, results, strict=True))
    out["neg_near"] = f"{right}/{len(denied)}"
    out["neg_controls"] = f"{sum(judged(r['phrase'], r['heard'])[0] for r in controls)}/{len(controls)}"
    out["neg_n"] = len(denied)
    rows = yaml.safe_load((TABLES / "paraphrases.yaml").read_text(encoding="utf-8"))
    close = [r for r in rows if r["expect"] == "paraphrase"]
    vague = [r for r in rows if r["expect"] == "missed"]
    results = [judged(r["phrase"], r["heard"]) for r in close]
    out["para_counted"] = _share(sum(c for c, _ in results), len(close))
    out["para_as_para"] = _share(sum(c and kind == "paraphrase" for c, kind in results), len(close))
    out["para_rejected"] = _share(sum(not judged(r["phrase"], r["heard"])[0] for r in vague), len(vague))
    out["para_n"] = len(close)
    if devset:
        out.update(devset_scores())
    return out


def judged(phrase: str, heard: str) -> tuple[bool, str | None]:
    """(counted, kind): kind is the match kind when counted, else the near-hit kind or None.
    The baseline has only `find`; the candidate judges as `analyze` does."""
    phrases = module("matching.phrases", "phrases")
    normalize = module("matching.textnorm", "textnorm").normalize
    words = heard.split()
    tokens = normalize(words)
    if not hasattr(phrases, "judge"):
        return bool(phrases.find(phrases.compile_patterns(phrase), tokens)), None
    breaks = frozenset(i for i, w in enumerate(words) if w[-1] in ",;:.?!")
    hits = phrases.judge(phrase, (), tokens, breaks)
    counted = [h for h in hits if h.counted]
    if counted:
        return True, counted[0].match
    return False, hits[0].match if hits else None


def devset_scores() -> dict:
    from tests.support.metrics import Score, score

    analysis = module("analysis.answer", "analysis")
    scenario = module("scenario.catalog", "scenario").find_scenario("leadership-without-title")
    out: dict = {}
    longest = (0.0, None)
    for name, prefix in (("dev", "dev"), ("heldout", "held")):
        totals = {"joe": Score(), "espeak": Score()}
        for truth, transcript in load_transcripts(name):
            totals[truth["voice"]].add(score(analysis.analyze(transcript, scenario), truth))
            if transcript.duration_s > longest[0]:
                longest = (transcript.duration_s, transcript)
        joe, esp = totals["joe"], totals["espeak"]
        key = "dev" if prefix == "dev" else "held"
        out[f"{key}_precision"], out[f"{key}_recall"] = joe.precision, joe.recall
        out[f"{'espeak' if key == 'dev' else 'held_espeak'}_precision"] = esp.precision
        out[f"{'espeak' if key == 'dev' else 'held_espeak'}_recall"] = esp.recall
        if key == "dev":
            out["dev_boundary"] = joe.median_boundary_error
    transcript = longest[1]
    analysis.analyze(transcript, scenario)  # warm caches, as the live checklist's first update does
    t0 = time.perf_counter()
    for _ in range(3):
        analysis.analyze(transcript, scenario, in_progress=True)
    out["analyze_ms"] = (time.perf_counter() - t0) / 3 * 1000
    return out


def _share(n: int, total: int) -> float:
    return n / total if total else 0.0


# --- dev-set transcripts, made once -----------------------------------------------------------


def ensure_transcripts() -> None:
    """Transcribe the dev set and the held-out set once (the ASR is not what this bench
    compares); both sides then analyze the same words."""
    for name in ("dev", "heldout"):
        path = CACHE / f"{name}.json"
        if path.exists():
            continue
        from tests.support.devset import build_all

        from mockvoice.audio import files as audio
        from mockvoice.speech import asr
        from mockvoice.speech.streaming import transcribe_in_utterances

        transcriber = asr.Transcriber()
        extra = {"answers_path": TABLES / "heldout.yaml"} if name == "heldout" else {}
        rows = []
        for wav, truth in build_all(ROOT / ".cache" / ("devset" if name == "dev" else "heldout"), **extra):
            t = transcribe_in_utterances(transcriber, audio.load(wav))
            rows.append(
                {
                    "truth": truth,
                    "words": [[w.text, w.start, w.end, w.probability] for w in t.words],
                    "duration_s": t.duration_s,
                    "pauses": [list(p) for p in t.pauses],
                    "model": t.model,
                }
            )
        CACHE.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(rows), encoding="utf-8")


def load_transcripts(name: str):
    words_module = module("speech.transcript", "transcript")
    Transcript, Word = words_module.Transcript, words_module.Word

    for row in json.loads((CACHE / f"{name}.json").read_text(encoding="utf-8")):
        words = tuple(Word(*w) for w in row["words"])
        pauses = tuple(tuple(p) for p in row["pauses"])
        yield row["truth"], Transcript(words, row["duration_s"], model=row["model"], pauses=pauses)


if __name__ == "__main__":
    main()
