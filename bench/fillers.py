"""Hesitations found: filler words in the transcript (BASELINE) vs `heard_fillers` (CANDIDATE).

    .venv/bin/python -m bench.fillers [--fresh] [--verbose] [--alternatives]

Voices: the filler dev set (tests/support/fillers.py: piper steady and espeak voices, with and
without "um"/"uh", cached in .cache/fillers/) and the real voices of tests/data/real/ (24 LJ
Speech clips read aloud, no hesitation; a phone call with one "uh"). Each recording is
transcribed as `mockvoice analyze` does (`transcribe_in_utterances`); transcripts are cached in
.cache/fillers/transcripts/ by audio, model and options (`--fresh` ignores the cache).

- BASELINE: the "um"/"uh"/"er"/"erm"/"ah"/"hmm" words in `delivery_stats(...).filler_counts`,
  at their word times.
- CANDIDATE: those words (each at the time of the hesitation heard it pairs with, if any) plus
  `heard_fillers(audio, transcript)`.
- `--alternatives` adds the stretches that Silero VAD hears as speech and no word covers
  (>= 0.2 s): the gap method measured before choosing the acoustic one.

A detection matches a known filler when their times overlap, ±0.3 s (in order, one to one).
"extra" is false detections as a % of known fillers; "inv/min" false detections per minute.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import time
from dataclasses import dataclass, field

import numpy as np
from tests.support.fillers import (
    DEFAULT_OUT,
    build_all,
    matches,
    real_clips,
    with_heard,
    written_fillers,
)

from mockvoice.audio import files as audio
from mockvoice.speech import asr, fillers
from mockvoice.speech.transcript import Transcript, Word

GROUPS = {
    "joe": "piper steady",
    "espeak": "espeak (+noise)",
    "real-read": "real: LJ read",
    "real-call": "real: phone call",
}


@dataclass
class Tally:
    recordings: int = 0
    seconds: float = 0.0
    known: int = 0
    found: dict[str, int] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)
    labels_right: int = 0
    labels_checked: int = 0

    def add(self, method: str, found: int, matched: int) -> None:
        self.found[method] = self.found.get(method, 0) + found
        self.matched[method] = self.matched.get(method, 0) + matched

    def cells(self, method: str) -> str:
        found, matched = self.found.get(method, 0), self.matched.get(method, 0)
        recall = f"{matched / self.known:.2f}" if self.known else "-"
        false = found - matched
        extra = f"{100 * false / self.known:.0f} %" if self.known else "-"
        per_min = false / (self.seconds / 60) if self.seconds else 0.0
        return f"{found} | {recall} | {extra} | {per_min:.2f}"


def transcript_of(transcriber, samples: np.ndarray, fresh: bool) -> Transcript:
    """`transcribe_in_utterances`, cached on disk by audio, model and options."""
    from mockvoice.speech.streaming import transcribe_in_utterances

    key = hashlib.sha256(samples.tobytes())
    key.update(repr(sorted(asr.TRANSCRIBE_OPTIONS.items())).encode() + transcriber.name.encode())
    path = DEFAULT_OUT / "transcripts" / f"{key.hexdigest()[:16]}.json"
    if path.is_file() and not fresh:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Transcript(
            words=tuple(Word(*w) for w in data["words"]),
            duration_s=data["duration_s"],
            pauses=tuple(tuple(p) for p in data["pauses"]),
        )
    transcript = transcribe_in_utterances(transcriber, samples)
    path.parent.mkdir(parents=True, exist_ok=True)
    words = [[w.text, w.start, w.end, w.probability] for w in transcript.words]
    payload = {"words": words, "duration_s": transcript.duration_s, "pauses": transcript.pauses}
    path.write_text(json.dumps(payload), encoding="utf-8")
    return transcript


def vad_gaps(samples: np.ndarray, transcript: Transcript, shortest_s: float = 0.2) -> list[tuple]:
    """Alternative: speech (Silero probability >= 0.5) that no word covers, >= shortest_s."""
    from faster_whisper.vad import get_vad_model

    frame = 512
    padded = np.pad(samples, (0, (-len(samples)) % frame))
    speech = np.asarray(get_vad_model()(padded)).reshape(-1) >= 0.5
    frame_s = frame / 16000
    covered = np.zeros_like(speech)
    for w in transcript.words:
        covered[int(w.start / frame_s) : int(np.ceil(w.end / frame_s))] = True
    return [
        (i * frame_s, j * frame_s, "?")
        for i, j in fillers.runs(speech & ~covered)
        if (j - i) * frame_s >= shortest_s
    ]


def three_minute_cost(recordings: list[np.ndarray]) -> float:
    """Best of 3: heard_fillers on 3 minutes of dev-set answers joined end to end."""
    joined = np.concatenate(recordings)
    joined = np.tile(joined, int(np.ceil(180 * 16000 / len(joined))))[: 180 * 16000]
    empty = Transcript(words=(), duration_s=180.0)
    times = []
    for _ in range(3):
        began = time.perf_counter()
        fillers.heard_fillers(joined, empty)
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fresh", action="store_true", help="transcribe again, ignoring the cache")
    ap.add_argument("--verbose", "-v", action="store_true", help="print misses and false detections")
    ap.add_argument("--alternatives", action="store_true", help="also the VAD-gap method")
    args = ap.parse_args()
    methods = ["baseline", "candidate"] + ["vad gaps"] * args.alternatives
    transcriber = asr.Transcriber()
    fillers.heard_fillers(np.zeros(16000, np.float32), Transcript(words=(), duration_s=1.0))  # imports
    tallies: dict[str, Tally] = {}
    splits = {"fresh": Tally(), "fluent": Tally()}  # reported on their own lines too
    spent = 0.0
    synthetic: list[np.ndarray] = []
    for path, truth in build_all() + real_clips():
        samples = audio.load(path)
        if truth["voice"] in ("joe", "espeak"):
            synthetic.append(samples)
        transcript = transcript_of(transcriber, samples, args.fresh)
        found, seconds = with_heard(samples, transcript)
        spent += seconds
        detections = {"baseline": written_fillers(transcript), "candidate": found}
        if args.alternatives:
            detections["vad gaps"] = vad_gaps(samples, transcript)
        known = truth["fillers"]
        for group in (tallies.setdefault(truth["voice"], Tally()), tallies.setdefault("all", Tally())):
            group.recordings += 1
            group.seconds += len(samples) / 16000
            group.known += len(known)
        split = splits.get(truth["split"])
        if split is not None:
            split.known += len(known)
            split.seconds += len(samples) / 16000
        for method in methods:
            paired = matches(detections[method], known)
            for group in (tallies[truth["voice"]], tallies["all"]):
                group.add(method, len(detections[method]), len(paired))
            if split is not None:
                split.add(method, len(detections[method]), len(paired))
            if method == "candidate":
                for k, t in paired.items():
                    label = "um" if found[k][2] in ("um", "umm", "erm") else "uh"
                    for group in (tallies[truth["voice"]], tallies["all"]):
                        group.labels_checked += 1
                        group.labels_right += label == known[t]["text"]
            if args.verbose and method == "candidate":
                missed = [
                    f"{f['spelling']}@{f['start_s']:.2f}"
                    for i, f in enumerate(known)
                    if i not in paired.values()
                ]
                false = [f"{a:.2f}-{b:.2f}" for k, (a, b, _) in enumerate(found) if k not in paired]
                if missed or false:
                    print(f"  {truth['id']}: missed {missed} false {false}")

    minutes = tallies["all"].seconds / 60
    header = "| voice | rec. | min | known | " + " | ".join(
        f"{m}: found | recall | extra | inv/min" for m in methods
    )
    print(header + " | um/uh label |")
    print("|" + "---|" * (4 + 4 * len(methods) + 1))
    for key in [*GROUPS, "all"]:
        t = tallies.get(key)
        if t is None:
            continue
        label = f"{t.labels_right}/{t.labels_checked}" if t.labels_checked else "-"
        cells = " | ".join(t.cells(m) for m in methods)
        name = GROUPS.get(key, "all")
        print(f"| {name} | {t.recordings} | {t.seconds / 60:.1f} | {t.known} | {cells} | {label} |")
    print()
    titles = {
        "fresh": "fresh answers (written after the thresholds were frozen)",
        "fluent": "fluent answers (short hesitations at the words' tempo)",
    }
    for name, tally in splits.items():
        for method in methods:
            print(f"{titles[name]}, {method}: {tally.cells(method)} (found | recall | extra | inv/min)")
    print(
        f"heard_fillers: {spent / minutes:.3f} s per minute of audio ({spent:.2f} s for {minutes:.1f} min); "
        f"3-minute answer: {three_minute_cost(synthetic):.2f} s (best of 3); "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (with the model)"
    )


if __name__ == "__main__":
    main()
