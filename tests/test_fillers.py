"""Hesitations that the transcript leaves out (issue 11): `mockvoice.fillers.heard_fillers`.

The audio tests transcribe the filler dev set (tests/support/fillers.py, cached in
.cache/fillers/) and the real voices of tests/data/real/ with the real model, as `mockvoice
analyze` does, and score "filler words in the transcript + heard_fillers" against the known
hesitations (bench/fillers.py prints the same as a table). The unit tests below them use
numpy-made voices: a held central vowel among changing "syllables".
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from tests.support import CACHE, need

from mockvoice.speech import fillers
from mockvoice.speech.fillers import Stretch, heard_fillers, hesitations, merge, pair_in_order, runs
from mockvoice.speech.transcript import Hesitation, Transcript, Word

SR = 16_000


@pytest.fixture(scope="module")
def scored(transcriber) -> list[dict]:
    """Per recording: truth, detections (transcript fillers + heard) and their matches, the
    transcript's filler words' matches alone (baseline), minutes."""
    need("espeak-ng")
    need("sox")
    from tests.support.fillers import build_all, matches, real_clips, with_heard, written_fillers

    from mockvoice.audio import files as audio
    from mockvoice.speech.streaming import transcribe_in_utterances

    out = []
    for path, truth in build_all(CACHE / "fillers") + real_clips():
        samples = audio.load(path)
        transcript = transcribe_in_utterances(transcriber, samples)
        found, _ = with_heard(samples, transcript)
        out.append(
            {
                "truth": truth,
                "found": found,
                "pairs": matches(found, truth["fillers"]),
                "baseline": matches(written_fillers(transcript), truth["fillers"]),
                "minutes": len(samples) / SR / 60,
            }
        )
    return out


def _totals(rows: list[dict]) -> tuple[int, int, int, float]:
    known = sum(len(r["truth"]["fillers"]) for r in rows)
    matched = sum(len(r["pairs"]) for r in rows)
    false = sum(len(r["found"]) - len(r["pairs"]) for r in rows)
    return known, matched, false, sum(r["minutes"] for r in rows)


def _held(rows: list[dict], voices: tuple[str, ...] = ("joe", "espeak")) -> list[dict]:
    """Synthetic answers whose hesitations are held as people's are (0.25-0.7 s): not the
    "fluent" split's clipped 0.1 s "uh" at the words' tempo, a known limit (docs/analysis.md)."""
    return [r for r in rows if r["truth"]["voice"] in voices and r["truth"]["split"] != "fluent"]


@pytest.mark.audio
def test_most_known_hesitations_are_counted(scored):
    known, matched, false, _ = _totals(_held(scored))
    assert known >= 70
    assert matched / known >= 0.80, f"recall {matched}/{known}"
    assert false / known <= 0.20, f"{false} false detections for {known} known"


@pytest.mark.audio
@pytest.mark.parametrize("voice", ["joe", "espeak"])
def test_each_voice_is_heard(scored, voice):
    known, matched, false, _ = _totals(_held(scored, (voice,)))
    assert matched / known >= 0.80, f"{voice}: recall {matched}/{known}"
    assert false / known <= 0.20, f"{voice}: {false} false for {known} known"


@pytest.mark.audio
def test_fluent_speech_gets_no_invented_hesitations(scored):
    """Clipped hesitations at a fast speaker's tempo are mostly missed (a known limit), but the
    detector must not make up for it by hearing words as hesitations."""
    fluent = [r for r in scored if r["truth"]["split"] == "fluent"]
    known, _, false, minutes = _totals(fluent)
    assert known >= 15 and minutes > 1
    assert false / minutes <= 1.0, f"{false} invented in {minutes:.1f} min of fluent speech"


@pytest.mark.audio
def test_few_hesitations_invented_on_real_voices(scored):
    real = [r for r in scored if r["truth"]["voice"].startswith("real")]
    _, _, false, minutes = _totals(real)
    assert minutes > 3
    assert false / minutes <= 0.5, f"{false} invented in {minutes:.1f} min of real speech"


@pytest.mark.audio
def test_detections_lie_on_the_known_hesitation(scored):
    """Each matched detection's middle is inside its known stretch (±0.15 s), not merely near."""
    for row in scored:
        for k, t in row["pairs"].items():
            start, end, _ = row["found"][k]
            known = row["truth"]["fillers"][t]
            middle = (start + end) / 2
            assert known["start_s"] - 0.15 <= middle <= known["end_s"] + 0.15, (row["truth"]["id"], known)


@pytest.mark.audio
def test_counting_written_words_alone_misses_most(scored):
    """The count this adds to: the transcript's own "um"/"uh" words find a minority."""
    synthetic = [r for r in scored if r["truth"]["voice"] in ("joe", "espeak")]
    known = sum(len(r["truth"]["fillers"]) for r in synthetic)
    written = sum(len(r["baseline"]) for r in synthetic)
    heard = sum(len(r["pairs"]) for r in synthetic)
    assert written / known < 0.5
    assert heard / known >= written / known + 0.4


# --- numpy-made voices ----------------------------------------------------------------------


def _voice(segments: list[tuple], seed: int = 0) -> np.ndarray:
    """Additive harmonic synthesis. Segments: (seconds, f0 from, f0 to, [formant Hz], level);
    level 0 is silence. Phase runs on across segments."""
    rng = np.random.default_rng(seed)
    out, phase = [], 0.0
    for seconds, f0a, f0b, formants, level in segments:
        n = int(seconds * SR)
        if level == 0:
            out.append(np.zeros(n))
            continue
        f0 = np.geomspace(f0a, f0b, n)
        ph = phase + 2 * np.pi * np.cumsum(f0) / SR
        phase = float(ph[-1])
        k = np.arange(1, 40)
        freqs = np.outer(f0, k)
        amp = np.zeros_like(freqs)
        for f in formants:
            width = 50 + 0.05 * f
            amp += 1.0 / np.sqrt((1 - (freqs / f) ** 2) ** 2 + (freqs * width / f**2) ** 2)
        amp *= (freqs < 3800) / np.sqrt(k)  # a voice's source, pre-emphasized
        piece = (amp * np.sin(np.outer(ph, k))).sum(1)
        out.append(level * piece / np.abs(piece).max())
    x = np.concatenate(out) + 0.001 * rng.standard_normal(sum(len(p) for p in out))
    return (0.5 * x / np.abs(x).max()).astype(np.float32)


VOWELS = [(300, 2300), (700, 1100), (500, 1700), (350, 900), (650, 1900), (450, 1400)]


def _syllables(seconds: float, seed: int) -> list[tuple]:
    """Speech-like: 40-90 ms sounds, each with other formants than the last, a wandering
    pitch, short gaps."""
    rng = np.random.default_rng(seed)
    out, t, f0, last = [], 0.0, 120.0, 0
    while t < seconds:
        d = rng.uniform(0.04, 0.09)
        nxt = f0 * 2 ** rng.uniform(-0.15, 0.15)
        last = (last + rng.integers(1, len(VOWELS))) % len(VOWELS)
        out.append((d, f0, nxt, [*VOWELS[last], 2800], 1.0))
        f0, t = float(np.clip(nxt, 90, 180)), t + d
        if rng.random() < 0.25:
            out.append((0.05, 100, 100, [500], 0))
            t += 0.05
    return out


PAUSE = [(0.3, 100, 100, [500], 0)]
BEFORE, AFTER = [*_syllables(3, 1), *PAUSE], [*PAUSE, *_syllables(3, 2)]
HELD_AT = sum(s[0] for s in BEFORE)


def _with(held: list[tuple]) -> np.ndarray:
    return _voice([*BEFORE, *held, *AFTER])


def test_held_central_vowel_is_an_uh():
    found = hesitations(_with([(0.45, 110, 105, [620, 1250, 2500], 1.0)]))
    assert len(found) == 1
    assert found[0].text == "uh"
    assert found[0].start >= HELD_AT - 0.05 and found[0].end <= HELD_AT + 0.5


def test_vowel_closing_on_a_nasal_is_an_um():
    found = hesitations(_with([(0.35, 110, 106, [620, 1250, 2500], 1.0), (0.2, 106, 104, [250], 0.5)]))
    assert [h.text for h in found] == ["um"]
    assert found[0].end >= HELD_AT + 0.45  # the [m] is part of it


def test_held_front_vowel_is_a_drawn_out_word_not_a_hesitation():
    assert hesitations(_with([(0.45, 110, 105, [300, 2300, 3000], 1.0)])) == ()


def test_pitch_glide_is_not_a_hesitation():
    assert hesitations(_with([(0.45, 90, 200, [620, 1250, 2500], 1.0)])) == ()


def test_changing_speech_has_no_hesitation():
    assert hesitations(_voice([*BEFORE, *AFTER])) == ()


def test_silence_and_scraps_give_nothing():
    empty = Transcript(words=(), duration_s=1.0)
    assert heard_fillers(np.zeros(SR, np.float32), empty) == ()
    assert heard_fillers(np.zeros(100, np.float32), empty) == ()
    assert heard_fillers(np.random.default_rng(0).standard_normal(SR).astype(np.float32) * 0.1, empty) == ()


def test_a_written_uh_accounts_for_the_hesitation_heard():
    audio = _with([(0.45, 110, 105, [620, 1250, 2500], 1.0)])
    at = HELD_AT + 0.6  # tiny.en puts a written "uh" late, at the next word
    written = Transcript(words=(Word(" uh,", at, at),), duration_s=len(audio) / SR)
    assert len(hesitations(audio)) == 1
    assert heard_fillers(audio, written) == ()


def test_a_held_vowel_inside_a_word_with_no_time_to_spare_is_that_word():
    audio = _with([(0.45, 110, 105, [620, 1250, 2500], 1.0)])
    word = Word(" underestimated", HELD_AT - 0.1, HELD_AT + 0.55)  # 0.65 s for 14 letters
    assert heard_fillers(audio, Transcript(words=(word,), duration_s=len(audio) / SR)) == ()
    stretched = Word(" was", HELD_AT - 0.3, HELD_AT + 0.6)  # 0.9 s for 3 letters
    assert len(heard_fillers(audio, Transcript(words=(stretched,), duration_s=len(audio) / SR))) == 1


# --- helpers --------------------------------------------------------------------------------


def test_runs_bridge_short_gaps():
    mask = np.array([0, 1, 1, 0, 1, 0, 0, 0, 1, 1], bool)
    assert runs(mask) == [(1, 3), (4, 5), (8, 10)]
    assert runs(mask, gap=1) == [(1, 5), (8, 10)]
    assert runs(np.zeros(4, bool)) == []


def test_pairing_keeps_time_order_and_one_to_one():
    heard = [Hesitation(1.0, 1.4, "um"), Hesitation(1.6, 1.9, "uh")]
    # "um, uh" heard; tiny.en wrote "Um" on the "uh" and "uh" 0.7 s late: both accounted for.
    assert pair_in_order([(1.6, 1.7), (2.6, 2.6)], heard, 1.0) == {0: 0, 1: 1}
    # one written for two heard: the other is still a hesitation of its own.
    assert pair_in_order([(1.6, 1.7)], heard, 1.0) == {1: 0}
    assert pair_in_order([(5.0, 5.1)], heard, 1.0) == {}
    assert pair_in_order([], heard, 1.0) == {}


def test_merge_joins_a_vowel_and_its_close():
    a = Stretch(1.0, 1.3, 0.4, 0.9, 1.0, False)
    b = Stretch(1.35, 1.5, 0.5, 0.8, 2.0, True)
    c = Stretch(2.0, 2.3, 0.4, 0.9, 1.0, False)
    joined = merge([c, b, a])
    assert [(s.start, s.end, s.nasal) for s in joined] == [(1.0, 1.5, True), (2.0, 2.3, False)]


def test_hesitation_thresholds():
    ok = Stretch(1.0, 1.3, 0.4, 0.9, 1.0, False)
    assert ok.is_hesitation
    assert not Stretch(1.0, 1.1, 0.4, 0.9, 1.0, False).is_hesitation  # too short
    assert not Stretch(1.0, 3.0, 0.4, 0.9, 1.0, False).is_hesitation  # a hum
    assert not Stretch(1.0, 1.3, 0.9, 0.9, 1.0, False).is_hesitation  # changing sound
    assert not Stretch(1.0, 1.3, 0.4, 1.4, 1.0, False).is_hesitation  # front vowel
    assert not Stretch(1.0, 1.3, 0.4, 0.9, 12.0, False).is_hesitation  # glide
    assert not Stretch(1.0, 1.3, 0.4, float("nan"), 1.0, False).is_hesitation


def test_formants_and_pitch_of_synthetic_vowels():
    """The smoothed-envelope LPC reads a central vowel's F1/F2 near their values (F1 a little
    low) and ranks a front vowel's F2 well above it: enough to tell [ə] from [i]."""
    measured = {}
    for name, formants in (("central", [700, 1200, 2600]), ("front", [300, 2300, 3000])):
        frames = fillers.analyze(_voice([(0.5, 120, 120, formants, 1.0)]))
        f1, f2 = fillers.formants(frames.ceps[frames.voiced])
        measured[name] = (np.median(f1), np.median(f2))
        assert abs(np.median(frames.f0[frames.voiced]) - 120) < 3
    assert 500 <= measured["central"][0] <= 750
    assert abs(measured["central"][1] - 1200) < 150
    assert measured["front"][1] > measured["central"][1] + 400


@pytest.mark.audio
def test_an_answer_with_hesitations_shows_them_everywhere(transcriber, scenario):
    """Through the real pipeline (as `mockvoice analyze` runs it): the hesitations Whisper
    drops are in session.json, the delivery count, the filler flag, the report and the export."""
    need("espeak-ng")
    need("sox")
    from tests.support.fillers import build_all

    from mockvoice.analysis import answer as analysis
    from mockvoice.audio import files as audio
    from mockvoice.session import export, report
    from mockvoice.session import store as session
    from mockvoice.session.document import new_document
    from mockvoice.speech.streaming import transcribe_in_utterances

    answers = build_all(CACHE / "fillers")
    path, truth = next((p, t) for p, t in answers if t["voice"] == "joe" and t["fillers"])
    transcript = transcribe_in_utterances(transcriber, audio.load(path))
    doc = analysis.analyze(transcript, scenario)
    typed = new_document(session.header(mode="analyze", created=datetime(2026, 11, 30, 20, 0)), doc)
    heard = doc.transcript.fillers
    assert heard, "no hesitation heard"
    written = sum(doc.delivery.filler_counts.values())
    assert doc.delivery.fillers == written + len(heard) >= 0.8 * len(truth["fillers"])
    flags = [f for f in doc.flags if f.id == "filler" and "heard, not transcribed" in f.message]
    assert flags and f"({heard[0].text})" in flags[0].quote
    html = report.render(typed)
    assert f'title="heard, not transcribed">({heard[0].text})</span>' in html
    times = sum(h.text == heard[0].text for h in heard)
    assert f"{heard[0].text} ×{times} heard" in html  # the delivery breakdown counts them too
    assert f"({heard[0].text})" in export.markdown(typed)


@pytest.mark.audio
def test_the_live_view_counts_hesitations_while_the_answer_goes_on(transcriber, scenario):
    """The live status line shows the fillers heard so far, as the scorecard will count them."""
    from tests.support.fillers import ANSWERS, build

    from mockvoice.analysis import answer as analysis
    from mockvoice.audio import files as audio
    from mockvoice.audio.vad import SpeechTracker
    from mockvoice.rehearse.flows import Checklist
    from mockvoice.speech.streaming import LiveTranscriber

    class Quiet:
        def live_phrase(self, event) -> None: ...

    path, truth = build(next(a for a in ANSWERS if a["id"] == "webhook-joe"), CACHE / "fillers")
    samples = audio.load(path)
    checklist = Checklist(scenario, Quiet(), [], show=True)
    shown = []  # (audio heard, fillers shown) after each update

    def update(transcript) -> None:
        checklist.update(transcript)
        shown.append((transcript.meta["heard_s"], checklist.fillers))

    tracker = SpeechTracker()
    live = LiveTranscriber(transcriber, tracker, on_words=update, background=False, preview=False)
    for i in range(0, len(samples), 1600):
        tracker.feed(samples[i : i + 1600])
        live.feed(samples[i : i + 1600])
    final = analysis.analyze(live.finish(), scenario).delivery.fillers
    known = len(truth["fillers"])
    before_end = [n for heard, n in shown if heard < len(samples) / SR - 5]
    assert before_end and max(before_end) >= known // 2, (shown, known)
    assert max(n for _, n in shown) <= final + 1, (shown, final)
