"""Voice the dev set's answers into 16 kHz mono WAVs with truth section times.

    python -m tests.support.devset OUT_DIR     # from the repository root: build every answer, print a table

`build` returns (wav path, truth) where truth is
    {"id", "voice", "tags", "duration_s",
     "sections": [{"id", "start_s", "end_s", "text"}, ...],   # spoken order, present only
     "said": [{"phrase", "in"}, ...],                         # everything else: not said
     "all_labels_by_section": {section id: [labels]}}
Section times span the first sentence's speech onset to the last sentence's speech end
(pauses excluded). An answer may set `sentence_pause_s: [lo, hi]` and `section_pause_s` (a
fluent speaker's short pauses). Results are cached in OUT_DIR by a hash of the answer and
BUILD_VERSION.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf
import soxr
import yaml
from tests.support import CACHE, DEVSET

BUILD_VERSION = "3"  # 3: steady piper voice
ANSWERS_PATH = DEVSET / "answers.yaml"
SAMPLE_RATE = 16_000
LEAD_IN_S = 1.0
TAIL_S = 1.0
SECTION_PAUSE_S = 1.2
SENTENCE_PAUSE_S = (0.6, 1.0)
ESPEAK_WPM = 155
ESPEAK_NOISE_VOL = 0.02  # white noise amplitude under speech normalized to a 0.8 peak

# The scenario's key phrase labels (leadership-without-title), exactly as shown to the user.
LABELS: dict[str, list[str]] = {
    "situation": [
        "I noticed",
        "persistent 0.3% drop rate",
        "no alerting",
        "outside my team’s scope",
    ],
    "task": ["not my team", "no ticket existed", "nobody asked me", "take ownership"],
    "action": ["I pulled", "I traced", "I reproduced", "I wrote", "I added", "I submitted"],
    "result": [
        "0.3% to zero",
        "$8K recovered weekly",
        "adopted my pattern",
        "improving reliability",
    ],
    "reflection": [
        "proactively monitoring",
        "shared webhook reliability SLO",
        "organizational gap",
        "shared visibility",
    ],
}
VOICES = ("joe", "espeak")
_ANSWER_KEYS = {"id", "tags", "voice", "length_scale", "sections", "said"}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def load_answers(path: Path = ANSWERS_PATH) -> list[dict[str, Any]]:
    """Load and validate answers.yaml (unknown keys, labels or sections are errors)."""
    answers = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(answers, list):
        raise ValueError(f"{path}: expected a list of answers")
    all_labels = {label for labels in LABELS.values() for label in labels}
    seen: set[str] = set()
    for answer in answers:
        where = f"{path}: answer {answer.get('id')!r}"
        if extra := set(answer) - _ANSWER_KEYS:
            raise ValueError(f"{where}: unknown keys {sorted(extra)}")
        if answer["id"] in seen:
            raise ValueError(f"{where}: duplicate id")
        seen.add(answer["id"])
        if answer.get("voice") not in VOICES:
            raise ValueError(f"{where}: voice must be one of {VOICES}")
        section_ids = [s["id"] for s in answer["sections"]]
        if len(set(section_ids)) != len(section_ids) or not set(section_ids) <= set(LABELS):
            raise ValueError(f"{where}: bad section ids {section_ids}")
        said = [(s["phrase"], s["in"]) for s in answer.get("said") or []]
        if len(set(said)) != len(said):
            raise ValueError(f"{where}: duplicate said entries")
        for phrase, section in said:
            if phrase not in all_labels:
                raise ValueError(f"{where}: unknown label {phrase!r}")
            if section not in section_ids:
                raise ValueError(f"{where}: {phrase!r} said in absent section {section!r}")
    return answers


def sentences(text: str) -> list[str]:
    """Split a section's text into sentences (one TTS call each)."""
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def speakable(text: str) -> str:
    """Rewrite what both TTS engines misread: "$8K" would be spoken "dollar eight K"."""
    return re.sub(r"\$(\d+)K\b", r"\1 thousand dollars", text)


def varied() -> bool:
    """DEVSET_VARIED=1 (`bench/devset_eval.py --varied`): piper with its sampling noise, a new
    take per build, to measure how much results move from take to take."""
    return os.environ.get("DEVSET_VARIED") == "1"


def answer_hash(answer: dict[str, Any]) -> str:
    payload = json.dumps(answer, sort_keys=True, ensure_ascii=False) + BUILD_VERSION + " varied" * varied()
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


@functools.cache
def joe_voice() -> Any:
    from mockvoice.speech.tts import Voice

    return Voice(steady=not varied())  # steady: the same takes on every run and machine


def _espeak(text: str, workdir: Path) -> tuple[np.ndarray, int]:
    wav = workdir / "espeak.wav"
    subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", str(ESPEAK_WPM), "-w", str(wav), text],
        check=True,
        capture_output=True,
    )
    audio, sample_rate = sf.read(wav, dtype="float32", always_2d=True)
    audio = audio.mean(axis=1)
    peak = float(np.abs(audio).max()) or 1.0
    return audio * (0.8 / peak), sample_rate


def speech_bounds(audio: np.ndarray, sample_rate: int) -> tuple[int, int]:
    """First and last sample of speech (10 ms frames above 1% of the peak, 20 ms margin)."""
    frame = sample_rate // 100
    n = len(audio) // frame
    if n == 0:
        return 0, len(audio)
    env = np.abs(audio[: n * frame]).reshape(n, frame).max(axis=1)
    loud = np.flatnonzero(env > max(0.01 * float(env.max()), 1e-4))
    if len(loud) == 0:
        return 0, len(audio)
    margin = 2 * frame
    return max(0, loud[0] * frame - margin), min(len(audio), (loud[-1] + 1) * frame + margin)


def _sentence_audio(text: str, answer: dict[str, Any], workdir: Path) -> np.ndarray:
    if answer["voice"] == "joe":
        audio, sample_rate = joe_voice().synthesize(text, answer.get("length_scale"))
    else:
        audio, sample_rate = _espeak(text, workdir)
    audio = np.clip(soxr.resample(audio, sample_rate, SAMPLE_RATE), -1.0, 1.0).astype(np.float32)
    start, end = speech_bounds(audio, SAMPLE_RATE)
    return audio[start:end]


def add_noise(audio: np.ndarray, workdir: Path) -> np.ndarray:
    """Mix white noise under the whole track with sox (repeatable: -R)."""
    clean, noise, noisy = (workdir / n for n in ("clean.wav", "noise.wav", "noisy.wav"))
    sf.write(clean, audio, SAMPLE_RATE, subtype="FLOAT")
    duration = f"{len(audio) / SAMPLE_RATE:.4f}"
    synth = ["synth", duration, "whitenoise", "vol", str(ESPEAK_NOISE_VOL)]
    subprocess.run(
        ["sox", "-R", "-n", "-r", str(SAMPLE_RATE), "-c", "1", "-e", "floating-point",
         str(noise), *synth],
        check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        ["sox", "-R", "-m", "-v", "1", str(clean), "-v", "1", str(noise), str(noisy)],
        check=True, capture_output=True,
    )  # fmt: skip
    mixed, _ = sf.read(noisy, dtype="float32")
    return np.clip(mixed[: len(audio)], -1.0, 1.0)


def _synthesize(answer: dict[str, Any]) -> tuple[np.ndarray, list[dict[str, Any]]]:
    rng = random.Random(answer["id"])
    pieces: list[np.ndarray] = [np.zeros(int(LEAD_IN_S * SAMPLE_RATE), np.float32)]
    cursor = len(pieces[0])
    spans: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="devset-") as tmp:
        workdir = Path(tmp)
        for i, section in enumerate(answer["sections"]):
            if i:
                seconds = answer.get("section_pause_s", SECTION_PAUSE_S)
                pause = np.zeros(int(seconds * SAMPLE_RATE), np.float32)
                pieces.append(pause)
                cursor += len(pause)
            start = cursor
            for j, sentence in enumerate(sentences(section["text"])):
                if j:
                    seconds = rng.uniform(*answer.get("sentence_pause_s", SENTENCE_PAUSE_S))
                    pause = np.zeros(int(seconds * SAMPLE_RATE), np.float32)
                    pieces.append(pause)
                    cursor += len(pause)
                audio = _sentence_audio(speakable(sentence), answer, workdir)
                pieces.append(audio)
                cursor += len(audio)
            spans.append(
                {
                    "id": section["id"],
                    "start_s": round(start / SAMPLE_RATE, 3),
                    "end_s": round(cursor / SAMPLE_RATE, 3),
                    "text": " ".join(section["text"].split()),
                }
            )
        pieces.append(np.zeros(int(TAIL_S * SAMPLE_RATE), np.float32))
        track = np.concatenate(pieces)
        if answer["voice"] == "espeak":
            track = add_noise(track, workdir)
    return track.astype(np.float32), spans


def _write_atomic(path: Path, write: Any) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)  # mkstemp makes 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build(answer: dict[str, Any], out_dir: Path) -> tuple[Path, dict[str, Any]]:
    """Voice one answer into out_dir (cached); return the WAV path and its truth dict."""

    def make() -> tuple[np.ndarray, dict[str, Any]]:
        track, spans = _synthesize(answer)
        return track, {
            "id": answer["id"],
            "voice": answer["voice"],
            "tags": list(answer.get("tags") or []),
            "duration_s": round(len(track) / SAMPLE_RATE, 3),
            "sections": spans,
            "said": [{"phrase": s["phrase"], "in": s["in"]} for s in answer.get("said") or []],
            "all_labels_by_section": LABELS,
        }

    return cached_take(answer["id"], answer_hash(answer), Path(out_dir), make)


def cached_take(answer_id: str, digest: str, out_dir: Path, make: Any) -> tuple[Path, dict[str, Any]]:
    """`out_dir/<id>-<digest>.wav` and its truth `.json`, made by `make()` → (16 kHz audio,
    truth) when missing; older takes of the same id are removed."""
    stem = f"{answer_id}-{digest}"
    wav, meta = out_dir / f"{stem}.wav", out_dir / f"{stem}.json"
    if wav.is_file() and meta.is_file():
        return wav, json.loads(meta.read_text(encoding="utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    # `make test` runs two pytest processes at once (scripts/test.sh): the second one to want a
    # take waits for the first to speak it, rather than speaking it again
    with open(out_dir / f".{answer_id}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if wav.is_file() and meta.is_file():
            return wav, json.loads(meta.read_text(encoding="utf-8"))
        return _take(answer_id, stem, wav, meta, make)


def _take(answer_id: str, stem: str, wav: Path, meta: Path, make: Any) -> tuple[Path, dict[str, Any]]:
    out_dir = wav.parent
    track, truth = make()
    stale = re.compile(rf"^{re.escape(answer_id)}-[0-9a-f]{{12}}\.(wav|json)$")
    for old in out_dir.iterdir():
        if stale.match(old.name) and old.stem != stem:
            old.unlink(missing_ok=True)
    _write_atomic(wav, lambda p: sf.write(p, track, SAMPLE_RATE, subtype="PCM_16", format="WAV"))
    text = json.dumps(truth, indent=2, ensure_ascii=False)
    _write_atomic(meta, lambda p: p.write_text(text, encoding="utf-8"))
    return wav, truth


def five_short_sections(out_dir: Path | None = None) -> tuple[Path, dict[str, Any]]:
    """The dev set's no-number-result answer cut to its first sentence or two per section: all
    five sections in about 40 s, for tests and benches where the keys or the screen, not the
    content, are under test (tests/test_keys_e2e.py, bench/screens.py)."""
    answer = next(a for a in load_answers() if a["id"] == "no-number-result")
    keep = {"action": 2}  # "I pulled" and "I traced"; one sentence elsewhere
    parts = {s["id"]: sentences(s["text"]) for s in answer["sections"]}
    kept = {sid: " ".join(p[: keep.get(sid, 1)]) for sid, p in parts.items()}
    left_out = {sid: " ".join(p[keep.get(sid, 1) :]).lower() for sid, p in parts.items()}
    cut = [{**s, "text": kept[s["id"]]} for s in answer["sections"]]
    said = [k for k in answer["said"] if k["phrase"].lower() not in left_out[k["in"]]]
    short = {**answer, "id": "keys-five-short", "sections": cut, "said": said}
    return build(short, out_dir or CACHE / "devset")


def build_all(out_dir: Path, answers_path: Path = ANSWERS_PATH) -> list[tuple[Path, dict[str, Any]]]:
    """Build every answer in answers_path (default answers.yaml) into out_dir."""
    return [build(answer, out_dir) for answer in load_answers(answers_path)]


def _require_tools() -> None:
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        raise SystemExit(f"missing {', '.join(missing)}: apt-get install -y espeak-ng sox")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.support.devset OUT_DIR", file=sys.stderr)
        return 2
    _require_tools()
    print(f"{'id':<20} {'voice':<7} {'dur_s':>6}  sections (start-end s)")
    for _, truth in build_all(Path(argv[0])):
        spans = "  ".join(f"{s['id'][:4]} {s['start_s']:.0f}-{s['end_s']:.0f}" for s in truth["sections"])
        print(f"{truth['id']:<20} {truth['voice']:<7} {truth['duration_s']:>6.1f}  {spans}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
