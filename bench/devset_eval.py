"""Quality on the spoken dev set: key-phrase precision/recall and section-boundary error.

    .venv/bin/python -m bench.devset_eval [--cache DIR] [--verbose] [--unpunctuated] [--varied]

Builds (or reuses) the piper/espeak-spoken answers of tests/devset/answers.yaml, transcribes
each with the default model and prints one row per answer plus totals for clean (piper) and
robotic (espeak + noise) voices. `--unpunctuated` instead scores each transcript as tiny.en
sometimes writes one (no sentence ends, no gaps in the word times): sectioned without the heard
pauses (the old behaviour, baseline) and with them, in the same run.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
import time
from pathlib import Path

from tests.support import CACHE
from tests.support.devset import build_all
from tests.support.metrics import Score, flattened, score

from mockvoice.analysis import answer as analysis
from mockvoice.audio import files as audio
from mockvoice.scenario.catalog import find_scenario
from mockvoice.speech import asr

DEFAULT_CACHE = CACHE / "devset"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--beam", type=int, help="override the beam size (to compare settings)")
    ap.add_argument(
        "--native", action="store_true", help="faster-whisper's own whole-file pass instead of utterance cuts"
    )
    ap.add_argument("--only", help="comma-separated answer ids")
    ap.add_argument("--answers", type=Path, help="another answers file, e.g. tests/devset/heldout.yaml")
    ap.add_argument(
        "--varied", action="store_true", help="new piper takes with sampling noise (in a temp dir)"
    )
    ap.add_argument(
        "--unpunctuated", action="store_true", help="score flattened transcripts, without/with pauses"
    )
    args = ap.parse_args()
    if args.varied:
        os.environ["DEVSET_VARIED"] = "1"
        if args.cache == DEFAULT_CACHE:
            args.cache = Path(tempfile.mkdtemp(prefix="devset-varied-"))
    if args.beam:
        asr.TRANSCRIBE_OPTIONS["beam_size"] = args.beam
    scenario = find_scenario("leadership-without-title")
    transcriber = asr.Transcriber()
    totals = {"joe": Score(), "espeak": Score()}
    print(
        f"{'answer':<22} {'voice':<7} {'dur':>6} {'P':>5} {'R':>5} {'bound.med':>9} {'WER':>5} {'asr s':>6}"
    )
    extra = {"answers_path": args.answers} if args.answers else {}
    for path, truth in build_all(args.cache, **extra):
        if args.only and truth["id"] not in args.only.split(","):
            continue
        t0 = time.perf_counter()
        if args.native:
            transcript = transcriber.transcribe(audio.load(path))
        else:  # as `mockvoice analyze` and the live path do
            from mockvoice.speech.streaming import transcribe_in_utterances

            transcript = transcribe_in_utterances(transcriber, audio.load(path))
        elapsed = time.perf_counter() - t0
        if args.unpunctuated:
            flat = flattened(transcript)
            for key, variant in (("no pauses", dataclasses.replace(flat, pauses=())), ("pauses", flat)):
                totals.setdefault(f"{truth['voice']} flat, {key}", Score()).add(
                    score(analysis.analyze(variant, scenario), truth)
                )
        doc = analysis.analyze(transcript, scenario)
        s = score(doc, truth)
        totals[truth["voice"]].add(s)
        print(
            f"{truth['id']:<22} {truth['voice']:<7} {truth['duration_s']:>6.1f} {s.precision:>5.2f} "
            f"{s.recall:>5.2f} {s.median_boundary_error:>9.2f} {s.wer:>5.3f} {elapsed:>6.1f}"
        )
        if args.verbose:
            for e in s.errors:
                print("    " + e)
    print()
    for voice, s in totals.items():
        print(
            f"{voice:<20} precision {s.precision:.3f}  recall {s.recall:.3f}  "
            f"median boundary error {s.median_boundary_error:.2f} s over {len(s.boundary_errors)} "
            f"boundaries  missing sections agreed {s.missing_agree}/{s.missing_total}  WER {s.wer:.3f}"
        )


if __name__ == "__main__":
    main()
