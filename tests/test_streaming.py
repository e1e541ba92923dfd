"""Streaming transcription must give what a pass over the finished file gives.

Live, a worker thread transcribes each utterance while the candidate goes on speaking; the
cuts depend only on the voice-activity frames, so the words must come out the same as when
`mockvoice analyze` transcribes the saved file afterwards. Here six dev-set answers (both voices,
the fast speaker, the longest and the most casual) are fed in 100 ms blocks, paced faster than
real time, through the threaded path, and compared with the file pass. (The end-to-end mock test
checks the same through the virtual microphone; the other answers take the same path and prove
nothing more, at two minutes of the suite's time.)
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from tests.support.metrics import word_errors

pytestmark = pytest.mark.audio
BLOCK = 1600  # 100 ms, as the recorder delivers
SPEED = 12.0  # times real time: the worker still has to keep up with the writer thread
ANSWERS = (
    "strong-verbatim",
    "paraphrase-casual",
    "long-situation",
    "missing-sections",
    "espeak-paraphrase",
    "fast-speaker",
)


def streamed_live(transcriber, audio: np.ndarray):
    from mockvoice.audio.vad import SpeechTracker
    from mockvoice.speech.streaming import LiveTranscriber

    tracker = SpeechTracker()
    live = LiveTranscriber(transcriber, tracker)  # background worker thread
    t0 = time.perf_counter()
    for i in range(0, len(audio), BLOCK):
        block = audio[i : i + BLOCK]
        tracker.feed(block)
        live.feed(block)
        delay = t0 + (i + BLOCK) / 16000 / SPEED - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
    return live.finish(), live.chunks


@pytest.fixture(scope="module")
def both(devset, analyzed, transcriber, scenario):
    """answer id → (file-pass analysis, live analysis, chunks). The file pass is the session's
    `analyzed` fixture (tests/conftest.py): `transcribe_in_utterances` + `analyze` of the same
    file, as `mockvoice analyze` does, computed once per test session."""
    from mockvoice.analysis import answer as analysis
    from mockvoice.audio import files as audio

    out = {}
    for path, truth in devset:
        if truth["id"] not in ANSWERS:
            continue
        whole, _ = analyzed[truth["id"]]
        live, chunks = streamed_live(transcriber, audio.load(path))
        out[truth["id"]] = (whole, analysis.analyze(live, scenario), chunks)
    return out


def test_streamed_transcript_matches_the_file_pass(both) -> None:
    from mockvoice.matching.textnorm import normalize_text

    errors = words = 0
    worst = []  # per answer, to diagnose a take that diverges
    for answer_id, (whole, live, chunks) in both.items():
        ref = [t.norm for t in normalize_text(whole.transcript.text)]
        hyp = [t.norm for t in normalize_text(live.transcript.text)]
        e = word_errors(ref, hyp)
        errors += e
        words += len(ref)
        texts = (whole.transcript.text, live.transcript.text)
        worst.append((e / max(1, len(ref)), answer_id, *texts))
        assert len(chunks) >= 2 or whole.duration_s < 30, "long answers are cut into utterances"
    assert len(both) == len(ANSWERS) and words > 1200
    assert errors / words <= 0.03, max(worst)


def test_streamed_key_phrases_are_identical(both) -> None:
    differences = []
    for answer_id, (whole, live, _) in both.items():
        a = [(k.phrase, k.found, k.said_in) for k in whole.key_phrases]
        b = [(k.phrase, k.found, k.said_in) for k in live.key_phrases]
        differences += [(answer_id, x, y) for x, y in zip(a, b, strict=True) if x != y]
    assert differences == []


def test_cuts_fall_in_pauses_and_respect_the_limits() -> None:
    from mockvoice.speech.streaming import LONG_PAUSE_S, MAX_CHUNK_S, MIN_CHUNK_S, PAUSE_S, next_cut

    rate = 16000 / 512  # frames per second
    speech, pause = b"\x01", b"\x00"
    short = speech * int(2 * rate) + pause * int((PAUSE_S + 0.1) * rate)
    assert next_cut(short, 0, 512) is None  # a short utterance waits for more
    long_pause = speech * int(2 * rate) + pause * int((LONG_PAUSE_S + 0.1) * rate)
    cut = next_cut(long_pause, 0, 512)
    assert cut is not None and int(2 * rate) < cut < len(long_pause)
    enough = speech * int((MIN_CHUNK_S + 1) * rate) + pause * int((PAUSE_S + 0.1) * rate)
    cut = next_cut(enough, 0, 512)
    assert cut is not None and cut > int((MIN_CHUNK_S + 1) * rate)
    endless = speech * int((MAX_CHUNK_S + 5) * rate)
    cut = next_cut(endless, 0, 512)
    assert cut is not None and cut <= int((MAX_CHUNK_S + 0.1) * rate)
    assert next_cut(pause * 100, 0, 512) is None


def test_the_same_audio_always_gives_the_same_words(transcriber) -> None:
    """Streamed and whole-file transcripts can only agree if decoding is a function of the audio.

    tests/data/fallback-take.flac is a 12-second stretch of one piper take of the dev-set answer
    `fast-speaker` whose last words made tiny.en fall back to sampling at temperature > 0; with
    that fallback, four passes over it ended "thumbs.", "Thanks very much.", "Thanks so much."
    and "temps.", so a streamed transcript could differ from the file pass of the same audio.
    """
    from pathlib import Path

    from mockvoice.audio import files as audio

    clip = audio.load(Path(__file__).parent / "data" / "fallback-take.flac")
    passes = {transcriber.transcribe(clip).text for _ in range(4)}
    assert len(passes) == 1, passes
    assert "root cause" in passes.pop()


def test_pauses_are_the_silences_between_speech() -> None:
    from mockvoice.speech.streaming import pauses

    frame = 1600  # 0.1 s at 16 kHz
    flags = bytes([0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0])
    # leading and trailing silence are not pauses; 0.2 s is shorter than a pause
    assert pauses(flags, frame) == ((0.5, 1.0),)
    assert pauses(flags, frame, shortest_s=0.2) == ((0.5, 1.0), (1.2, 1.4))


def test_the_live_view_gets_the_pauses_heard_so_far(devset, transcriber) -> None:
    """The live checklist sections an answer in progress, so it needs the pauses too (a stretch
    heard without punctuation is cut there). Finished utterances only: the words agreed on while
    one is still spoken are tests/test_live.py's."""
    from mockvoice.audio import files as audio
    from mockvoice.audio.vad import SpeechTracker
    from mockvoice.speech.streaming import LiveTranscriber

    path = next(p for p, truth in devset if truth["id"] == "missing-sections")
    samples = audio.load(path)
    seen = []
    tracker = SpeechTracker()
    live = LiveTranscriber(transcriber, tracker, on_words=seen.append, background=False, preview=False)
    for i in range(0, len(samples), 1600):
        tracker.feed(samples[i : i + 1600])
        live.feed(samples[i : i + 1600])
    final = live.finish()
    assert len(seen) >= 2
    counts = [len(t.pauses) for t in seen]
    assert counts == sorted(counts) and counts[-1] >= 3, counts
    for t in seen:
        assert t.pauses == final.pauses[: len(t.pauses)]  # the same pauses, only fewer
        assert t.pauses[-1][1] <= t.words[-1].end + 1.0  # nothing heard after the words so far
