"""Spoken answers with known "um"/"uh" hesitations, and their exact times.

    python -m tests.support.fillers [OUT_DIR]     # from the repository root: build every answer
                                                  # (default .cache/fillers)

Whisper writes fluent text and leaves hesitations out, so the truth cannot come from a
transcript: each answer is voiced piece by piece (words, then the filler alone, then words...)
and concatenated, so every filler's sample span is known exactly.

Script markup, in `ANSWERS` below:
    {um}      a filler, voiced alone ("Um,"). Spellings: um, umm, erm → "um" (nasal ending);
              uh, er → "uh". ("Uhh" is not used: both engines read it "ooh", not a hesitation.)
    <0.4>     a pause of 0.4 s; pieces without one between them are joined with 30 ms
    . ! ?     sentence ends: a pause from SENTENCE_PAUSE_S (seeded by the answer id)

Each filler is voiced slower than the words (piper `length_scale` 1.3-3.0, espeak 85-140 wpm,
seeded), so hesitations last 0.25-0.7 s as people's do; "fluent" answers instead voice them at
the words' own tempo (`filler_scale`, `filler_wpm`), with no pause around them, as a fast
speaker's short "uh" (0.17-0.28 s with its edges) between words (`wpm`: espeak's word tempo).
espeak answers get the dev set's white noise (tests/support/devset.py); `variant` picks another
espeak voice ("f3": a woman's pitch and formants). `build` returns (wav path, truth):
    {"id", "voice", "split", "duration_s", "text",
     "fillers": [{"text": "um"|"uh", "spelling", "start_s", "end_s"}, ...]}
Results are cached in OUT_DIR by a hash of the answer and BUILD_VERSION.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf
import soxr
from tests.support import ROOT
from tests.support.devset import (
    SAMPLE_RATE,
    add_noise,
    cached_take,
    joe_voice,
    speakable,
    speech_bounds,
)

BUILD_VERSION = "1"
DEFAULT_OUT = ROOT / ".cache" / "fillers"
LEAD_IN_S = 0.8
TAIL_S = 1.0
JOIN_S = 0.03
SENTENCE_PAUSE_S = (0.5, 0.9)
FILLER_KIND = {"um": "um", "umm": "um", "erm": "um", "uh": "uh", "er": "uh"}
PIPER_FILLER_SCALE = (1.3, 3.0)
ESPEAK_FILLER_WPM = (85, 140)

# Behavioral-interview answers as people say them. split "dev" tunes the detector, "held" only
# checks it; "none" answers have no filler at all (invented detections on synthetic voices).
ANSWERS: list[dict[str, Any]] = [
    {
        "id": "webhook-joe",
        "voice": "joe",
        "split": "dev",
        "script": """
            So, {um} <0.3> this was at my last company, on the payments team. We had a webhook
            integration with a partner, and {uh} about zero point three percent of the events were
            just getting dropped. {um} <0.4> Nobody had an alert on it, because, <0.1> {uh} <0.2>
            it wasn't really anyone's service. So I pulled the delivery logs, and I traced the
            failures to <0.15> {um} <0.5> a retry queue that gave up after one attempt. I wrote a
            fix with backoff, <0.2> {um} <0.15> {uh} <0.3> and I got the partner team to review it.
            After that the drop rate went to zero.
        """,
    },
    {
        "id": "ownership-joe",
        "voice": "joe",
        "split": "dev",
        "length_scale": 1.1,
        "script": """
            {uh} <0.5> The situation was that two teams both thought the other one owned the
            billing alerts. And {umm} <0.3> it kept falling through the cracks. I wasn't the
            manager of either team, <0.2> {er} <0.2> but I set up a meeting with both leads. We
            wrote down, {um} every alert we had, and who would get paged for it. {uh} <0.6> It
            took maybe two weeks. The on call load went down, and <0.1> {erm} <0.4> people stopped
            arguing about it in the channel.
        """,
    },
    {
        "id": "conflict-joe",
        "voice": "joe",
        "split": "held",
        "length_scale": 0.95,
        "script": """
            I had a disagreement with a senior engineer about the rollout plan. He wanted to ship
            everything at once, and I thought, {uh} <0.3> that was risky, because the migration
            touched every customer. {um} <0.5> So I asked if we could, {uh} try it on one region
            first. <0.3> {um} <0.2> He wasn't convinced at first. I showed him the numbers from the
            last incident, <0.25> {uh} <0.1> {um} <0.35> and he agreed to a staged rollout. The
            first region found a bug, {um} <0.2> which would have hit everyone.
        """,
    },
    {
        "id": "deadline-joe",
        "voice": "joe",
        "split": "held",
        "script": """
            {um} <0.3> Let me think. {uh} <0.7> Okay, so we had a launch date that marketing had
            already announced. About a week before, {er} <0.25> we realized the export feature
            wasn't going to be ready. I went through the backlog with the product manager, and we
            cut, {umm} <0.2> three of the smaller stories. I took the, {uh} <0.3> the hardest one
            myself. We made the date, {um} and the export shipped a week later.
        """,
    },
    {
        "id": "webhook-espeak",
        "voice": "espeak",
        "split": "dev",
        "script": """
            So the problem was, {um} <0.3> our webhooks to the partner were failing silently.
            {uh} <0.5> About one in three hundred events never arrived. I noticed it, {um} because
            a customer complained about a missing invoice. I traced it to a timeout, <0.2> {uh}
            <0.3> in the retry worker. Then I, {um} <0.2> {uh} <0.4> wrote a patch and added an
            alert on the drop rate. It has been at zero since then.
        """,
    },
    {
        "id": "mentoring-espeak",
        "voice": "espeak",
        "split": "dev",
        "script": """
            {uh} <0.4> A new engineer joined the team, and she was, {um} <0.2> pretty
            overwhelmed by the codebase. I offered to pair with her twice a week. {er} <0.5> We
            started with small bugs, and then, {umm} a feature she could own end to end. {uh} <0.3>
            After two months she was reviewing my code. {um} <0.6> I learned a lot from that too.
        """,
    },
    {
        "id": "failure-espeak",
        "voice": "espeak",
        "split": "held",
        "script": """
            One time I, {uh} <0.2> pushed a config change on a Friday afternoon. {um} <0.5> It
            broke logins for about twenty minutes. I rolled it back, and {um} <0.3> then I wrote
            the incident report myself. {uh} <0.4> The fix was, {erm} <0.25> a check in the deploy
            pipeline, so that config changes get validated first. {um} <0.2> {uh} <0.5> That check
            has caught three bad changes since.
        """,
    },
    {
        "id": "handoff-joe-fast",
        "voice": "joe",
        "split": "held",
        "length_scale": 0.85,
        "script": """
            The handoff between support and engineering was, {um} <0.2> basically a spreadsheet.
            {uh} <0.4> Tickets sat there for days. I built a small bot that, {uh} posted new
            tickets into the on call channel, and {um} <0.3> tagged the owner. {er} <0.5> Response
            time went from three days to, {um} <0.1> about four hours.
        """,
    },
    {
        "id": "migration-espeak-f",
        "voice": "espeak",
        "variant": "f3",
        "split": "held",
        "script": """
            {um} <0.4> So we were migrating the billing database, and {uh} <0.2> nobody had
            tested the rollback. I wrote a runbook, {um} and I ran the rollback twice in staging.
            {uh} <0.5> On the night of the migration, {um} <0.3> something did go wrong, <0.2> {uh}
            <0.2> and we rolled back in ten minutes instead of, {erm} <0.3> maybe hours.
        """,
    },
    {
        "id": "calm-espeak-f",
        "voice": "espeak",
        "variant": "f3",
        "split": "none",
        "script": """
            I led the effort to document our webhook contracts. Every team had its own format,
            and partners kept asking the same questions. <0.5> I collected the formats, wrote one
            shared schema, and reviewed it with each team. Partner questions dropped by half in
            the next quarter.
        """,
    },
    # "fluent": a fast speaker's short hesitations, voiced at the words' tempo, no pause around
    # them (written after a 198 wpm mock answer lost 3 of its 5 "um"/"uh").
    {
        "id": "fluent-rollout-joe",
        "voice": "joe",
        "split": "fluent",
        "length_scale": 0.85,
        "filler_scale": (0.8, 1.0),
        "script": """
            So the rollout had been stuck for, {uh} two sprints, and nobody really knew why. I
            went through the, {um} the deploy logs myself and found that the canary checks were
            timing out. I, {uh} rewrote the health check so it only looked at the new pods, and
            then {um} I ran it against staging for a day. After that the rollout went through in,
            {uh} under an hour, and we used the same check for the next, {um} four services.
        """,
    },
    {
        "id": "fluent-budget-joe",
        "voice": "joe",
        "split": "fluent",
        "length_scale": 0.9,
        "filler_scale": (0.85, 1.1),
        "script": """
            Our cloud bill had gone up by, {um} almost forty percent in one quarter. I, {uh}
            pulled the billing export and grouped it by team, and most of it was, {um} one batch
            job that never scaled down. I talked to the owner, {uh} showed them the numbers, and
            we, {um} we added a schedule to it. The bill came back down the next month, and, {uh}
            I set up a weekly report so it would not happen again.
        """,
    },
    {
        "id": "fluent-incident-espeak",
        "voice": "espeak",
        "split": "fluent",
        "wpm": 185,
        "filler_wpm": (160, 190),
        "script": """
            During the incident I was, {uh} the one who noticed the queue was backing up. I
            paged the, {um} database team and shared the graph with them. While they looked at
            it I, {uh} drained the queue by hand, so customers, {um} mostly did not notice. The
            next week I wrote, {uh} an alert for the queue depth.
        """,
    },
    # "fresh": written after the detector's thresholds were frozen, to check they generalize.
    {
        "id": "oncall-joe",
        "voice": "joe",
        "split": "fresh",
        "length_scale": 1.05,
        "script": """
            So our on call rotation was, {uh} <0.3> honestly burning people out. {um} <0.5> I
            pulled the pager data for the last six months, and, {uh} most of the pages were
            from two noisy alerts. I proposed, {um} <0.2> deleting one and tuning the other.
            {er} <0.4> My manager was worried, {um} so we tried it for two weeks first. Pages
            dropped by sixty percent.
        """,
    },
    {
        "id": "review-espeak-m",
        "voice": "espeak",
        "variant": "m3",
        "split": "fresh",
        "script": """
            {uh} <0.3> Code reviews on our team took, {um} <0.2> three or four days. I started a
            rotation, <0.2> {uh} <0.2> where one person reviews first thing every morning. {um}
            <0.5> Some people pushed back, because, {uh} they liked reviewing in the evening.
            We kept it anyway, and {erm} <0.3> review time went down to one day.
        """,
    },
    {
        "id": "priorities-espeak-f2",
        "voice": "espeak",
        "variant": "f2",
        "split": "fresh",
        "script": """
            I had two stakeholders asking for, {um} <0.3> opposite things in the same sprint.
            {uh} <0.4> Instead of picking one, I set up a call with both of them. {um} We looked
            at the, {uh} <0.2> the customer impact of each request. {um} <0.3> {uh} <0.3> In the
            end they agreed that the billing fix should go first.
        """,
    },
    {
        "id": "calm-fresh-joe",
        "voice": "joe",
        "split": "fresh",
        "length_scale": 0.95,
        "script": """
            The most useful thing I did last year was write down how our deploys actually work.
            New people kept breaking the staging environment, and nobody knew the right order of
            steps. I wrote a one page guide, and I walked three new hires through it. After that,
            staging breakages went from weekly to almost never.
        """,
    },
    {
        "id": "calm-joe",
        "voice": "joe",
        "split": "none",
        "script": """
            When I joined the platform team, nobody owned the webhook retry service. The failure
            rate was small, but it was growing every month. I wrote a short proposal, and I
            shared it with the two teams that depended on the service. We agreed that my team
            would own it, and I added dashboards and an alert. Within a quarter the failures went
            down to almost zero, and the other teams started using the same pattern.
        """,
    },
    {
        "id": "calm-slow-joe",
        "voice": "joe",
        "split": "none",
        "length_scale": 1.2,
        "script": """
            I think the hardest part was getting people to agree. <0.6> Everyone was busy, and the
            problem was not on anyone's roadmap. <0.8> So I booked thirty minutes with each lead,
            and I listened first. <0.5> Then I came back with a plan that, <0.4> honestly, <0.3>
            asked very little of them. They said yes, and we shipped it in three weeks.
        """,
    },
    {
        "id": "calm-espeak",
        "voice": "espeak",
        "split": "none",
        "script": """
            Our deploys used to take about forty minutes, and they failed often. I measured where
            the time went, <0.4> and most of it was in the integration tests. <0.6> I split them
            into groups that could run in parallel. Now a deploy takes twelve minutes, and the
            failure rate dropped by half.
        """,
    },
]

# Real voices (copied from shared/data/speech, see tests/data/real/README.md). LJ Speech is read
# aloud: no hesitation. The phone call has one, found by ear-equivalent means: tiny.en writes
# "At least, um/uh, you know" when that stretch is decoded with a hesitant prompt (and nothing
# else in the call), and 24.55-24.85 s is a 0.3 s held central vowel at a flat pitch between
# "least" and "you" (the plain transcript stretches "you" over it).
REAL_DIR = ROOT / "tests" / "data" / "real"
REAL_FILLERS: dict[str, list[dict[str, Any]]] = {
    "conversation-2speakers": [{"text": "uh", "spelling": "uh", "start_s": 24.55, "end_s": 24.85}],
}

_TOKEN = re.compile(r"\{(\w+)\}|<(\d+(?:\.\d+)?)>")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def pieces(script: str) -> list[tuple[str, str | float]]:
    """The script as ("words", text) / ("filler", spelling) / ("pause", seconds) pieces; a
    sentence end inside words becomes a ("pause", None) to draw from SENTENCE_PAUSE_S."""
    out: list[tuple[str, Any]] = []
    pos = 0
    text = " ".join(script.split())
    for m in _TOKEN.finditer(text):
        _words(text[pos : m.start()], out)
        if m.group(1):
            if m.group(1) not in FILLER_KIND:
                raise ValueError(f"unknown filler {m.group(1)!r}")
            out.append(("filler", m.group(1)))
        else:
            out.append(("pause", float(m.group(2))))
        pos = m.end()
    _words(text[pos:], out)
    return out


def _words(text: str, out: list) -> None:
    parts = [p.strip() for p in _SENTENCE_END.split(text)]
    for i, part in enumerate(parts):
        if i:
            out.append(("pause", None))
        if part.strip(" ,"):
            out.append(("words", part))


def plain_text(script: str) -> str:
    """What was said, fillers included (spelled as written)."""
    text = _TOKEN.sub(lambda m: m.group(1) or "", script)
    return " ".join(text.split())


def answer_hash(answer: dict[str, Any]) -> str:
    payload = json.dumps(answer, sort_keys=True) + BUILD_VERSION
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


def _voice(
    text: str, voice: str, workdir: Path, scale: float | None, wpm: int | None, variant: str | None
) -> np.ndarray:
    if voice == "joe":
        audio, rate = joe_voice().synthesize(text, scale)
    else:
        import subprocess

        wav = workdir / "espeak.wav"
        name = "en-us" + (f"+{variant}" if variant else "")
        cmd = ["espeak-ng", "-v", name, "-s", str(wpm or 155), "-w", str(wav), text]
        subprocess.run(cmd, check=True, capture_output=True)
        audio, rate = sf.read(wav, dtype="float32", always_2d=True)
        audio = audio.mean(axis=1)
        audio = audio * (0.8 / (float(np.abs(audio).max()) or 1.0))
    audio = np.clip(soxr.resample(audio, rate, SAMPLE_RATE), -1.0, 1.0).astype(np.float32)
    start, end = speech_bounds(audio, SAMPLE_RATE)
    return audio[start:end]


def synthesize(answer: dict[str, Any]) -> tuple[np.ndarray, list[dict[str, Any]]]:
    rng = random.Random(answer["id"])
    voice, variant = answer["voice"], answer.get("variant")
    track: list[np.ndarray] = [np.zeros(int(LEAD_IN_S * SAMPLE_RATE), np.float32)]
    cursor = len(track[0])
    fillers: list[dict[str, Any]] = []
    previous = "pause"
    with tempfile.TemporaryDirectory(prefix="fillers-") as tmp:
        for kind, value in pieces(answer["script"]):
            if kind == "pause":
                seconds = value if value is not None else rng.uniform(*SENTENCE_PAUSE_S)
                audio = np.zeros(int(seconds * SAMPLE_RATE), np.float32)
            else:
                if previous != "pause":
                    track.append(np.zeros(int(JOIN_S * SAMPLE_RATE), np.float32))
                    cursor += len(track[-1])
                if kind == "filler":
                    scale = rng.uniform(*answer.get("filler_scale", PIPER_FILLER_SCALE))
                    wpm = rng.randint(*answer.get("filler_wpm", ESPEAK_FILLER_WPM))
                    audio = _voice(value.capitalize() + ",", voice, Path(tmp), scale, wpm, variant)
                    fillers.append(
                        {
                            "text": FILLER_KIND[value],
                            "spelling": value,
                            "start_s": round(cursor / SAMPLE_RATE, 3),
                            "end_s": round((cursor + len(audio)) / SAMPLE_RATE, 3),
                        }
                    )
                else:
                    text = speakable(value)
                    scale, wpm = answer.get("length_scale"), answer.get("wpm")
                    audio = _voice(text, voice, Path(tmp), scale, wpm, variant)
            track.append(audio)
            cursor += len(audio)
            previous = kind
        track.append(np.zeros(int(TAIL_S * SAMPLE_RATE), np.float32))
        audio = np.concatenate(track)
        if voice == "espeak":
            audio = add_noise(audio, Path(tmp))
    return audio.astype(np.float32), fillers


def build(answer: dict[str, Any], out_dir: Path = DEFAULT_OUT) -> tuple[Path, dict[str, Any]]:
    """Voice one answer into out_dir (cached); return the WAV path and its truth."""

    def make() -> tuple[np.ndarray, dict[str, Any]]:
        audio, fillers = synthesize(answer)
        return audio, {
            "id": answer["id"],
            "voice": answer["voice"],
            "split": answer["split"],
            "duration_s": round(len(audio) / SAMPLE_RATE, 3),
            "text": plain_text(answer["script"]),
            "fillers": fillers,
        }

    return cached_take(answer["id"], answer_hash(answer), Path(out_dir), make)


def build_all(out_dir: Path = DEFAULT_OUT) -> list[tuple[Path, dict[str, Any]]]:
    return [build(answer, out_dir) for answer in ANSWERS]


def real_clips() -> list[tuple[Path, dict[str, Any]]]:
    """Real voices in tests/data/real/, with the same truth keys as `build` (times unknown to
    the second for "duration_s": read from the file by the caller)."""
    clips = [(p, "real-read") for p in sorted((REAL_DIR / "ljspeech").glob("*.flac"))]
    clips.append((REAL_DIR / "conversation-2speakers.flac", "real-call"))
    return [
        (
            path,
            {
                "id": path.stem,
                "voice": voice,
                "split": "real",
                "fillers": REAL_FILLERS.get(path.stem, []),
            },
        )
        for path, voice in clips
    ]


# --- scoring (tests/test_fillers.py and bench/fillers.py) ---------------------------------------

TOLERANCE_S = 0.3  # a detection matches a known filler when their times overlap within this


def written_fillers(transcript) -> list[tuple[float, float, str]]:
    """What mockvoice counts today: the hesitation words among `delivery_stats(...).filler_counts`
    ("um", "uh", "er", "erm", "ah", "hmm"), with their word times."""
    from mockvoice.analysis.flags import delivery_stats
    from mockvoice.scenario.rules import default_rules
    from mockvoice.speech.transcript import word_key

    counts = delivery_stats(transcript, default_rules()).filler_counts
    wanted = {k for k in counts if k in default_rules().hesitations}
    out = [(w.start, w.end, word_key(w.text)) for w in transcript.words if word_key(w.text) in wanted]
    assert len(out) == sum(counts[k] for k in wanted)
    return out


def with_heard(samples: np.ndarray, transcript) -> tuple[list[tuple[float, float, str]], float]:
    """(the written fillers plus `heard_fillers`, seconds spent in `heard_fillers`). A written
    filler is placed at the hesitation it pairs with (tiny.en times them up to 0.7 s off)."""
    import time

    from mockvoice.speech import fillers

    began = time.perf_counter()
    heard = fillers.heard_fillers(samples, transcript)
    spent = time.perf_counter() - began
    written = written_fillers(transcript)
    others = [h for h in fillers.hesitations(samples) if h not in heard]
    pairs = {w: h for h, w in fillers.pair_in_order([(a, b) for a, b, _ in written], others).items()}
    placed = [
        (others[pairs[i]].start, others[pairs[i]].end, text) if i in pairs else (a, b, text)
        for i, (a, b, text) in enumerate(written)
    ]
    return placed + [(h.start, h.end, h.text) for h in heard], spent


def matches(found: list[tuple], known: list[dict[str, Any]]) -> dict[int, int]:
    """{found index: known index}: the most pairs in time order whose times overlap within
    TOLERANCE_S, one to one."""
    from mockvoice.speech.fillers import pair_in_order
    from mockvoice.speech.transcript import Hesitation

    order = sorted(range(len(found)), key=lambda k: found[k][:2])
    spans = [Hesitation(found[k][0], found[k][1], found[k][2]) for k in order]
    pairs = pair_in_order([(f["start_s"], f["end_s"]) for f in known], spans, TOLERANCE_S)
    return {order[k]: t for k, t in pairs.items()}


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    print(f"{'id':<18} {'voice':<7} {'split':<5} {'dur_s':>6} fillers (start-end s)")
    for _, truth in build_all(out):
        spans = " ".join(f"{f['spelling']}@{f['start_s']:.1f}-{f['end_s']:.1f}" for f in truth["fillers"])
        row = f"{truth['id']:<18} {truth['voice']:<7} {truth['split']:<5} {truth['duration_s']:>6.1f}"
        print(f"{row} {spans}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
