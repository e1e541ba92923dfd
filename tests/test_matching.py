"""Unit tests for text normalization and key-phrase matching (pure functions, no audio)."""

from __future__ import annotations

import pytest

from mockvoice.matching.phrases import compile_patterns, find
from mockvoice.matching.textnorm import normalize, normalize_text


def norms(text: str) -> list[str]:
    """Norms, with a number's unit after a colon ("8000:usd"): units are folded into numbers."""
    return [f"{t.norm}:{t.unit}" if t.unit else t.norm for t in normalize_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("persistent 0.3% drop rate", ["persist", "0.3:%", "drop", "rate"]),
        ("zero point three percent to zero", ["0.3:%", "to", "0:%"]),
        ("point three percent", ["0.3:%"]),
        ("$8K recovered weekly", ["8000:usd", "recov", "week"]),
        ("8,000 dollars", ["8000:usd"]),
        ("eight thousand dollars", ["8000:usd"]),
        ("eight K a week", ["8000", "a", "week"]),
        ("eight grand a week", ["8000:usd", "a", "week"]),
        ("8,000 bucks", ["8000:usd"]),
        ("outside my team’s scope", ["outsid", "my", "team", "scope"]),
        ("shared S L O", ["share", "slo"]),
        ("I took ownership", ["i", "take", "ownership"]),
        ("it wasn't my team", ["it", "be", "not", "my", "team"]),
    ],
)
def test_normalize(text: str, expected: list[str]) -> None:
    assert norms(text) == expected


def test_asr_word_pieces_join_into_one_number() -> None:
    # faster-whisper splits "0.3%" into " 0", ".3", "%" words.
    tokens = normalize([" from", " 0", ".3", "%", " to", " 0."])
    assert [(t.norm, t.unit, t.word_index) for t in tokens] == [
        ("from", "", 0),
        ("0.3", "%", 1),
        ("to", "", 4),
        ("0", "%", 5),  # a range's bare end takes the unit of its other end
    ]


def heard(label: str, said: str, variants: tuple[str, ...] = ()) -> list[str]:
    words = said.split()
    occs = find(compile_patterns(label, variants), normalize(words))
    return [" ".join(words[o.first_word : o.last_word + 1]) for o in occs]


@pytest.mark.parametrize(
    ("label", "said", "expected"),
    [
        ("I noticed", "so I noticed that", "I noticed"),
        ("$8K recovered weekly", "recovering $8K in weekly revenue", "recovering $8K in weekly"),
        (
            "$8K recovered weekly",
            "we recovered eight thousand dollars every week",
            "recovered eight thousand dollars every week",
        ),
        (
            "persistent 0.3% drop rate",
            "a persistent 0.3% webhook delivery drop rate",
            "persistent 0.3% webhook delivery drop rate",
        ),
        (
            "persistent 0.3% drop rate",
            "a persistent zero point three percent drop rate",
            "persistent zero point three percent drop rate",
        ),
        ("0.3% to zero", "it fell from 0.3% to 0.", "0.3% to 0."),
        (
            "shared webhook reliability SLO",
            "no shared webbook reliability S.L.O.",
            "shared webbook reliability S.L.O.",
        ),
        ("take ownership", "so I took ownership of it", "took ownership"),
        ("I added", "I wrote the retry, and I added an alert", "I added"),
        ("no ticket existed", "and no take it existed", "no take it existed"),
        ("0.3% to zero", "drops went from 0.3% all the way to zero", "0.3% all the way to zero"),
        (
            "shared webhook reliability SLO",
            "shared web hook reliability SLO",
            "shared web hook reliability SLO",
        ),
    ],
)
def test_phrase_found(label: str, said: str, expected: str) -> None:
    assert heard(label, said) == [expected]


@pytest.mark.parametrize(
    ("label", "said"),
    [
        ("I pulled", "we pulled the logs and I looked"),  # "I" belongs to another clause
        ("0.3% to zero", "it went from 0.3% to 0.1%"),  # numbers must match exactly
        ("$8K recovered weekly", "we recovered $9K weekly"),
        ("no ticket existed", "a ticket existed"),  # negation is essential
        ("not my team", "it was my team"),
        ("nobody asked me", "everybody asked me"),
        ("I traced", "I raced to fix it"),
        ("I reproduced", "a colleague and I reproduced it"),  # shared credit
        (
            "adopted my pattern",
            "they adopted our alert pattern",
        ),
    ],
)
def test_phrase_not_found(label: str, said: str) -> None:
    assert heard(label, said) == []


def test_long_variant_may_lose_one_word_but_never_the_owner() -> None:
    variant = ("adopted my dead letter queue alert pattern",)
    assert heard("adopted my pattern", "they adopted my dead letter key alert pattern", variant) == [
        "adopted my dead letter key alert pattern"
    ]
    assert heard("adopted my pattern", "they adopted our dead letter queue alert pattern", variant) == []


def test_variant_counts_as_the_label() -> None:
    assert heard("$8K recovered weekly", "about eight grand a week", ("eight grand a week",)) == [
        "eight grand a week"
    ]


def test_a_long_stretch_without_sentence_ends_is_cut_at_the_heard_pauses() -> None:
    from mockvoice.speech.transcript import Transcript, Word, units

    # 30 words, 0.5 s each, no gaps in the word times; the speaker paused around 5.0 s and 11.0 s
    words = tuple(Word(f" w{i}", i * 0.5, (i + 1) * 0.5) for i in range(30))
    heard = Transcript(words, duration_s=15.0, pauses=((4.8, 5.3), (10.9, 11.2)))
    cut = units(heard)
    assert [(u.first, u.last) for u in cut] == [(0, 9), (10, 21), (22, 29)]
    assert [u.start for u in cut] == [0.0, 5.3, 11.2]  # where the speech resumed
    assert len(units(Transcript(words, duration_s=15.0))) == 1  # no pauses known: one unit


def test_a_short_stretch_is_not_cut_at_pauses() -> None:
    from mockvoice.speech.transcript import Transcript, Word, units

    words = tuple(Word(f" w{i}", i * 0.5, (i + 1) * 0.5) for i in range(10))  # 5 s
    assert len(units(Transcript(words, duration_s=5.0, pauses=((2.4, 2.9),)))) == 1
