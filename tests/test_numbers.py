"""Numbers by value (pure functions, no audio): the normalizer in `mockvoice.numbers`, as the
matcher sees it, over the table in tests/devset/numbers.yaml and on single forms."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mockvoice.matching.numbers import same_number
from mockvoice.matching.phrases import compile_patterns, find
from mockvoice.matching.textnorm import normalize, normalize_text
from mockvoice.scenario.extract import number_variants

TABLE = Path(__file__).parent / "devset" / "numbers.yaml"
ROWS: list[dict] = yaml.safe_load(TABLE.read_text(encoding="utf-8"))


def matches(phrase: str, heard: str) -> bool:
    return bool(find(compile_patterns(phrase), normalize_text(heard)))


def numbers(text: str) -> list[tuple[str, str]]:
    """(value, unit) of each number token."""
    return [(t.norm, t.unit) for t in normalize_text(text) if t.is_number]


def words(text: str) -> list[str]:
    return [t.norm for t in normalize_text(text) if not t.is_number]


# --- the table -------------------------------------------------------------------------------


def test_table_shape() -> None:
    assert len(ROWS) >= 150
    assert sum(not r["match"] for r in ROWS) * 3 >= len(ROWS)  # at least a third must not match
    assert all(set(r) <= {"phrase", "heard", "match", "known_miss"} for r in ROWS)
    assert len({(r["phrase"], r["heard"]) for r in ROWS}) == len(ROWS)


def test_table_must_not_match() -> None:
    must_not = [r for r in ROWS if not r["match"]]
    wrong = [f"{r['phrase']!r} ~ {r['heard']!r}" for r in must_not if matches(r["phrase"], r["heard"])]
    assert not wrong, "matched but must not:\n" + "\n".join(wrong)


def test_table_should_match() -> None:
    should = [r for r in ROWS if r["match"]]
    missed = [r for r in should if not matches(r["phrase"], r["heard"])]
    unexpected = [f"{r['phrase']!r} ~ {r['heard']!r}" for r in missed if not r.get("known_miss")]
    assert not unexpected, "should match but did not:\n" + "\n".join(unexpected)
    assert len(should) - len(missed) >= 0.95 * len(should)


# --- the normalizer: value and unit of each form ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # digits, separators, number words, decimals
        ("2,500,000", [("2500000", "")]),
        ("two hundred and fifty thousand", [("250000", "")]),
        ("twelve hundred", [("1200", "")]),
        ("zero point three", [("0.3", "")]),
        ("point three percent", [("0.3", "%")]),
        (".3%", [("0.3", "%")]),
        ("one point two million", [("1200000", "")]),
        ("ninety nine point nine percent", [("99.9", "%")]),
        ("point zero five percent", [("0.05", "%")]),
        # fractions
        ("two and a half million", [("2500000", "")]),
        ("one and a half", [("1.5", "")]),
        ("half a million", [("500000", "")]),
        ("a million and a half", [("1500000", "")]),
        ("a quarter of a million", [("250000", "")]),
        ("a tenth of a percent", [("0.1", "%")]),
        ("a quarter of the traffic", [("25", "%")]),
        ("half of the tickets", [("50", "%")]),
        ("two thirds of the alerts", [("66.6666666667", "%")]),
        ("a half percent", [("0.5", "%")]),
        # scales and suffixes
        ("$1.2M", [("1200000", "usd")]),
        ("$200 thousand", [("200000", "usd")]),
        ("200K", [("200000", "")]),
        ("8 K", [("8000", "")]),
        ("eight grand", [("8000", "usd")]),
        ("a hundred", [("100", "")]),
        ("a dozen", [("12", "")]),
        ("2.5 bn", [("2500000000", "")]),
        # percent
        ("40 per cent", [("40", "%")]),
        ("3 percentage points", [("3", "%")]),
        ("50 basis points", [("0.5", "%")]),
        # currency
        ("1.2 million dollars", [("1200000", "usd")]),
        ("$1,200,000", [("1200000", "usd")]),
        ("50 cents", [("0.5", "usd")]),
        ("$0.50", [("0.5", "usd")]),
        ("two hundred bucks", [("200", "usd")]),
        ("€3M", [("3000000", "eur")]),
        ("three million euros", [("3000000", "eur")]),
        ("£500K", [("500000", "gbp")]),
        ("500 pounds", [("500", "gbp")]),
        # multipliers
        ("10x", [("10", "x")]),
        ("10 x", [("10", "x")]),
        ("10×", [("10", "x")]),
        ("ten times", [("10", "x")]),
        ("tenfold", [("10", "x")]),
        ("10-fold", [("10", "x")]),
        ("twice", [("2", "x")]),
        ("a factor of three", [("3", "x")]),
        # durations (seconds), months, sizes
        ("200ms", [("0.2", "s")]),
        ("200 milliseconds", [("0.2", "s")]),
        ("0.2 seconds", [("0.2", "s")]),
        ("5 mins", [("300", "s")]),
        ("3 hrs", [("10800", "s")]),
        ("an hour and a half", [("5400", "s")]),
        ("2 weeks", [("1209600", "s")]),
        ("14 days", [("1209600", "s")]),
        ("18 months", [("18", "mo")]),
        ("a year and a half", [("18", "mo")]),
        ("5GB", [("5000000000", "byte")]),
        ("five gigabytes", [("5000000000", "byte")]),
        ("2 TB", [("2000000000000", "byte")]),
        # ordinals
        ("3rd", [("3", "ord")]),
        ("21st", [("21", "ord")]),
        ("third", [("3", "ord")]),
        ("twenty first", [("21", "ord")]),
        # years
        ("in 2019", [("2019", "year")]),
        ("in twenty nineteen", [("2019", "year")]),
        ("nineteen ninety nine", [("1999", "year")]),
        ("since two thousand nineteen", [("2019", "year")]),
        ("twenty twenty-one", [("2021", "year")]),
        ("the 1990s", [("1990", "year")]),
        ("Q3 2021", [("3", "id"), ("2021", "year")]),
        ("2019 requests", [("2019", "")]),  # no year word before it: a count
        # names
        ("p99", [("99", "id")]),
        ("SDE2", [("2", "id")]),
        # "one"
        ("one hundred", [("100", "")]),
        ("one million", [("1000000", "")]),
        ("one percent", [("1", "%")]),
        ("one point two", [("1.2", "")]),
        ("under one second", [("1", "s")]),
    ],
)
def test_value_and_unit(text: str, expected: list[tuple[str, str]]) -> None:
    assert numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("from 4% to under 0.1%", [("4", "%"), ("0.1", "%")]),
        ("4 to 10 percent", [("4", "%"), ("10", "%")]),
        ("from 900 to 250 milliseconds", [("0.9", "s"), ("0.25", "s")]),
        ("from 45 minutes to eight", [("2700", "s"), ("480", "s")]),
        ("between 2 and 3 million", [("2000000", ""), ("3000000", "")]),
        ("from 500 to 2 million", [("500", ""), ("2000000", "")]),  # 500, not 500 million
        ("I had 3 engineers and 5 percent", [("3", ""), ("5", "%")]),  # not a range
        ("from 6 weeks to 2 days", [("3628800", "s"), ("172800", "s")]),
    ],
)
def test_ranges(text: str, expected: list[tuple[str, str]]) -> None:
    assert numbers(text) == expected


def test_unit_words_are_folded_into_the_number() -> None:
    assert words("we saved 1.2 million dollars") == ["we", "save"]
    assert words("a 0.3 percent drop rate") == ["a", "drop", "rate"]
    assert words("cut latency by 200 milliseconds") == ["cut", "latenc", "by"]


def test_different_values_stay_different() -> None:
    assert numbers("0.3%") != numbers("3%")
    assert numbers("$8K") != numbers("$80,000")
    assert numbers("10x") != numbers("2x")
    assert numbers("200ms") != numbers("200 s")
    assert numbers("in 2019") != numbers("in 2018")


# --- ordinary words stay words ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("first I pulled the logs", []),
        ("no one asked me", []),
        ("within a week", []),
        ("a second look", []),
        ("one of the engineers", []),
        ("one day the pager went off", []),
        ("hold on one second", []),
        ("we added a retry", []),
        ("in a quarter", []),
        ("cut it in half", []),
        ("at one point two teams merged", [("2", "")]),  # not 1.2
        ("at that point three people left", [("3", "")]),  # not 0.3
        ("a third party vendor", [("3", "ord")]),  # not a fraction
    ],
)
def test_ordinary_words_stay_words(text: str, expected: list[tuple[str, str]]) -> None:
    assert numbers(text) == expected


def test_word_one_stands_for_a_plain_1_only() -> None:
    assert matches("1 retry", "one retry")
    assert matches("no one asked me", "no 1 asked me")
    assert not matches("1% error rate", "no one saw the error rate")
    assert same_number("2", True, "ord", "second", False, "")
    assert not same_number("2", True, "s", "second", False, "")


# --- word indexes and quantities -------------------------------------------------------------


def test_word_index_is_where_the_number_starts() -> None:
    tokens = normalize_text("we saved two and a half million dollars in a quarter")
    assert [(t.norm, t.unit, t.word_index) for t in tokens if t.is_number] == [("2500000", "usd", 2)]
    assert [t.word_index for t in tokens if t.norm == "quarter"] == [10]
    tokens = normalize([" from", " 0", ".3", "%", " to", " 0."])  # faster-whisper's pieces
    assert [(t.norm, t.unit, t.word_index) for t in tokens] == [
        ("from", "", 0),
        ("0.3", "%", 1),
        ("to", "", 4),
        ("0", "%", 5),
    ]
    tokens = normalize_text("it went from a tenth of a percent to zero")
    assert [(t.norm, t.word_index) for t in tokens if t.is_number] == [("0.1", 3), ("0", 9)]


def test_quantities_are_not_years_ordinals_or_names() -> None:
    def quantities(text: str) -> list[str]:
        return [t.norm for t in normalize_text(text) if t.is_quantity]

    assert quantities("in 2019 the 3rd outage hit p99") == []
    assert quantities("we cut p99 by 200ms in 2019") == ["0.2"]
    assert quantities("errors fell by half of the baseline") == ["50"]


def test_number_variants_only_add_what_the_normalizer_does_not_read() -> None:
    assert number_variants("10x faster") == []
    assert number_variants("bill by $1.2M a year") == []
    assert number_variants("p99 from 900ms to 250ms") == []
    assert number_variants("in 2.5 days") == []
    assert number_variants("took two weeks") == []
    assert number_variants("10k rps at peak") == ["10k requests per second at peak"]
