"""The recognizer adapter: a decoder loop must not reach the transcript."""

from __future__ import annotations

import zlib
from pathlib import Path
from types import SimpleNamespace

from mockvoice.speech.asr import COMPRESSION_LIMIT, TRANSCRIBE_OPTIONS, collapse_repeats, words_of
from mockvoice.speech.transcript import Word

LOOP_CLIP = Path(__file__).parent / "data" / "loop-take.flac"


def timed(text: str) -> list[Word]:
    return [Word(" " + t, i * 0.3, i * 0.3 + 0.25) for i, t in enumerate(text.split())]


def said(words: list[Word]) -> str:
    return "".join(w.text for w in words).strip()


def gzip_ratio(text: str) -> float:
    """Whisper's repetition measure, computed here independently of mockvoice."""
    data = text.encode()
    return len(data) / len(zlib.compress(data))


def test_a_loop_keeps_one_copy_and_the_words_after_it() -> None:
    words = timed(
        "so I want to add a little bit of a little bit of a little bit of a little bit of the retry"
    )
    kept = collapse_repeats(words)
    assert said(kept) == "so I want to add a little bit of the retry"
    assert kept[-1] is words[-1]  # the real words after the loop keep their times


def test_case_and_punctuation_do_not_hide_a_loop() -> None:
    words = timed("I can't believe it, I can't believe it, I can't believe it. Then I left.")
    assert said(collapse_repeats(words)) == "I can't believe it, Then I left."


def test_a_word_said_twice_is_not_a_loop() -> None:
    words = timed("it was very very slow and the the logs were empty")
    assert collapse_repeats(words) == words


def test_repeats_are_cut_only_in_a_window_that_failed_the_repetition_test() -> None:
    text = "no no no I mean yes"
    passed = SimpleNamespace(
        words=[SimpleNamespace(word=w.text, start=w.start, end=w.end, probability=0.9) for w in timed(text)],
        compression_ratio=1.3,
    )
    looped = SimpleNamespace(words=passed.words, compression_ratio=COMPRESSION_LIMIT + 1)
    assert said(words_of(passed)) == text
    assert said(words_of(looped)) == "no I mean yes"


def test_a_clip_that_makes_tiny_en_loop_gives_a_transcript_without_the_loop(transcriber) -> None:
    """tests/data/loop-take.flac is a dev-set line in espeak with noise, played 1.8 times too fast
    (so also pitched up). Greedy decoding loops on it ("... a pretty nice and nice and nice and
    ..."), the failure that once wiped 10 s of a real answer in CI. The transcript must carry no
    loop, and the same one on every pass (the retry is beam search, not sampling)."""
    from mockvoice.audio import files as audio

    clip = audio.load(LOOP_CLIP)
    greedy, _ = transcriber._model.transcribe(clip, **TRANSCRIBE_OPTIONS)
    greedy_text = " ".join(seg.text for seg in greedy)
    assert gzip_ratio(greedy_text) > COMPRESSION_LIMIT, greedy_text  # the clip still loops greedily

    passes = {transcriber.transcribe(clip).text for _ in range(2)}
    assert len(passes) == 1, passes
    text = passes.pop()
    assert gzip_ratio(text) <= COMPRESSION_LIMIT, text
    assert len(text.split()) < len(greedy_text.split()) / 3, text
