"""Numbers by value: every number said or written in a word sequence, with its unit, as one quantity.

A listener hears one amount in "$1.2M", "1.2 million dollars", "one point two million bucks" and
"$1,200,000"; the matcher must too. `read` turns the pieces of a phrase or transcript (textnorm's
regex tokens) into `Quantity`s: a value (exact, `Fraction`) in a base unit, and a unit code.
text2num reads integer word runs ("two hundred and fifty thousand"); the glue around them
(decimals, fractions, scales, units, ranges, years, ordinals, "one" and "a") is here.

Unit codes:
  ""      a plain count: "12,000", "twelve thousand", "12k", "a dozen"
  "%"     percent: "%", "percent", "per cent", "percentage points"; "basis points" (0.01 %);
          "a quarter of" / "half of" the traffic (25 %, 50 %); "a tenth of a percent" (0.1 %)
  "usd" "eur" "gbp"   money in whole units: "$1.2M", "1.2 million dollars", "eight grand",
          "bucks", "50 cents" (0.5 usd), "€3M", "three million euros", "£500K", "pounds"
  "x"     a multiplier: "10x", "10 x", "10×", "ten times", "tenfold", "10-fold", "twice",
          "a factor of three"
  "s"     a duration up to weeks, in seconds: ms, s/sec/second, min/minute, h/hr/hour, day, week
  "mo"    months and years, in months ("a year and a half" is "18 months"): they have no fixed
          length in days, so they do not convert to "s"
  "byte"  KB/MB/GB/TB/PB, kilobytes…, "gigs", decimal (1 GB = 10^9 bytes)
  "ord"   an ordinal: "3rd", "third", "twenty first"
  "year"  a calendar year: "twenty nineteen", "nineteen ninety nine", "2019" after in/since/…
  "id"    a number inside a name: "p99", "SDE2", "Q3" (not a quantity)

Choices a listener would make, documented because they are choices:
- "a"/"an" is 1 only before a scale or a fraction ("a hundred", "a quarter of a million", "a half
  percent") or in "a day and a half"; "within a week" keeps its words, so it is not "7 days".
- "one" is a number only before a scale, a decimal point, "and a half", percent, money, "times"
  or a unit; "one day" and "one second" only after from/to/under/within…; never "no one",
  "one of". The matcher lets a word "one" stand for 1 (see `word_number`).
- "first" and "second" alone stay words ("first, I pulled"; "a second look"); "twenty first"
  is the 21st; "twenty second" is 20 seconds. "third" and up are ordinals.
- weeks and days convert to seconds (2 weeks is 14 days); "percentage points" are percent.
- a range's unitless left side takes the right side's unit ("4 to 10 percent", "from 900 to
  250 milliseconds"), and its scale when below 1000 ("2 to 3 million").
- a 1900–2099 integer is a year after in/since/until/during/… or when said in pairs ("twenty
  nineteen"); "2,019", "2019 requests" and "two thousand tickets" stay counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from functools import cache
from itertools import pairwise
from typing import NamedTuple

# Units that do not quantify a result: "in 2019", "the 3rd retry", "p99" are not metrics.
NOT_QUANTITIES = frozenset(["year", "ord", "id"])


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_CURRENCY_SYMBOLS = {"$": "usd", "€": "eur", "£": "gbp"}
_ONE = Fraction(1)


def _units() -> dict[tuple[str, ...], tuple[str, Fraction]]:
    """Unit words (one or two) after a number → (unit code, factor to the base unit)."""
    table: dict[str, tuple[str, Fraction]] = {}

    def add(words: str, unit: str, factor: Fraction | int = 1) -> None:
        for w in words.split():
            table[w] = (unit, Fraction(factor))

    add("% percent pct", "%")
    add("dollar dollars buck bucks usd", "usd")
    add("cent cents", "usd", Fraction(1, 100))
    add("euro euros eur", "eur")
    add("pound pounds gbp quid", "gbp")
    add("pence", "gbp", Fraction(1, 100))
    add("x × times fold", "x")
    add("nanosecond nanoseconds", "s", Fraction(1, 10**9))
    add("microsecond microseconds", "s", Fraction(1, 10**6))
    add("ms msec msecs millisecond milliseconds", "s", Fraction(1, 1000))
    add("s sec secs second seconds", "s")
    add("min mins minute minutes", "s", 60)
    add("h hr hrs hour hours", "s", 3600)
    add("d day days", "s", 86400)
    add("wk wks week weeks", "s", 7 * 86400)
    add("mo mos month months", "mo")
    add("yr yrs year years", "mo", 12)
    add("byte bytes", "byte")
    add("kb kilobyte kilobytes", "byte", 10**3)
    add("mb megabyte megabytes meg megs", "byte", 10**6)
    add("gb gigabyte gigabytes gig gigs", "byte", 10**9)
    add("tb terabyte terabytes", "byte", 10**12)
    add("pb petabyte petabytes", "byte", 10**15)
    out: dict[tuple[str, ...], tuple[str, Fraction]] = {(w,): u for w, u in table.items()}
    for first, second, unit in [
        ("per", "cent", ("%", _ONE)),
        ("percentage", "point", ("%", _ONE)),
        ("percentage", "points", ("%", _ONE)),
        ("basis", "point", ("%", Fraction(1, 100))),
        ("basis", "points", ("%", Fraction(1, 100))),
    ]:
        out[(first, second)] = unit
    return out


UNITS = _units()
# Units a bare "one" may take only in a numeric context: "one day", "one second" are idioms.
_IDIOM_UNITS = frozenset(["day", "second"])
_ORDINAL_SUFFIXES = frozenset(["st", "nd", "rd", "th"])

SCALES = {
    "hundred": 100,
    "thousand": 1000,
    "k": 1000,
    "grand": 1000,
    "million": 10**6,
    "m": 10**6,
    "mil": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "dozen": 12,
}
# The scale words text2num reads inside a run ("two hundred and fifty thousand").
_RUN_SCALES = frozenset(["hundred", "thousand", "million", "billion", "trillion"])
_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = _set("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen")
_TENS = _set("twenty thirty forty fifty sixty seventy eighty ninety")
RUN_WORDS = frozenset([*_ONES, *_TEENS, *_TENS, *_RUN_SCALES])
_DIGIT_WORDS = {w: str(i) for i, w in enumerate(_ONES)} | {"oh": "0", "o": "0"}

_ORDINAL_ONES = {
    "first": 1,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
}
# Ordinal words that stand alone; "first" and "second" do not ("first, I pulled the logs").
ORDINALS = {k: v for k, v in _ORDINAL_ONES.items() if k != "first"} | {
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
    "hundredth": 100,
}
_FRACTIONS = {
    "half": Fraction(1, 2),
    "quarter": Fraction(1, 4),
    "third": Fraction(1, 3),
    "fourth": Fraction(1, 4),
    "fifth": Fraction(1, 5),
    "tenth": Fraction(1, 10),
    "hundredth": Fraction(1, 100),
    "thousandth": Fraction(1, 1000),
}
_PLURAL_FRACTIONS = {
    "halves": Fraction(1, 2),
    "quarters": Fraction(1, 4),
    "thirds": Fraction(1, 3),
    "fourths": Fraction(1, 4),
    "fifths": Fraction(1, 5),
    "tenths": Fraction(1, 10),
}
# Words after which a bare "one" or "point three" is a number ("under one second").
NUMERIC_LEADS = _set(
    "to from under over below above about around roughly approximately nearly almost only just than "
    "by within exactly least most"
)
# Words a range's two numbers may have between them: "from 4 to under 0.1 percent".
_RANGE_JOINERS = frozenset(["to", "through", "thru", "or", "and"])
_RANGE_FILLERS = _set(
    "under over below above about around roughly nearly almost just only less more than down up all the way"
)
_YEAR_LEADS = _set(
    "in since until till during before after early late mid spring summer fall autumn winter january "
    "february march april may june july august september october november december year back"
)


class Piece(NamedTuple):
    """One regex token of the input: digits ("num"), a word, or a symbol ($ € £ % ×)."""

    kind: str
    text: str
    index: int  # the input word it came from
    gap: str = " "  # the text between the previous piece and this one ("" = glued: "200ms")

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def pause(self) -> bool:
        """Punctuation before it: "at one point, two teams" is not 1.2."""
        return any(ch in ".,;:!?/()" for ch in self.gap)


@dataclass(frozen=True)
class Quantity:
    """A number as heard: its exact value in the unit's base, the unit code, its first word."""

    value: Fraction
    unit: str
    index: int

    @property
    def norm(self) -> str:
        return canonical(self.value)

    @property
    def quantifies(self) -> bool:
        return quantifies(self.unit)


@dataclass
class _Read:
    """A number being read: pieces [start, end) and what a range or year check needs later."""

    value: Fraction
    start: int
    end: int
    unit: str = ""
    factor: Fraction = _ONE  # the unit word's factor ("minutes": 60), for a range's left side
    scale: Fraction = _ONE  # the scale word's ("million"), for a range's left side
    last: Fraction = _ONE  # what "and a half" is half of: 1, the scale or the unit
    plain: bool = False  # an integer said plainly: may be a year
    weak: bool = False  # a bare "one": a number only if something numeric follows
    decimal: bool = False


def canonical(value: Fraction) -> str:
    """1200000, 0.3, 0.333333333333: the same string for the same value, however it was said."""
    if value.denominator == 1:
        return str(value.numerator)
    with localcontext(prec=12):
        text = format((Decimal(value.numerator) / Decimal(value.denominator)).normalize(), "f")
    return text


def quantifies(unit: str) -> bool:
    """Whether a number with this unit quantifies a result (not a year, an ordinal or a name)."""
    return unit not in NOT_QUANTITIES


def same_number(a: str, a_num: bool, a_unit: str, b: str, b_num: bool, b_unit: str) -> bool:
    """Same value, and the same unit unless one side said none ("from 0.3 to zero" is 0.3 %).
    A word kept as a word ("one", "first") is its value with exactly its unit: "one" before
    "percent" would have been read as 1 %, so the word "one" is not 1 %."""
    if a_num and b_num:
        return a == b and (a_unit == b_unit or not a_unit or not b_unit)
    word = word_number(b if a_num else a)
    return word is not None and word == ((a, a_unit) if a_num else (b, b_unit))


def word_number(stem: str) -> tuple[str, str] | None:
    """The value of a word kept as a word because it is often not a number ("no one")."""
    return {"one": ("1", ""), "first": ("1", "ord"), "second": ("2", "ord")}.get(stem)


# --- reading -----------------------------------------------------------------------------


def read(pieces: Sequence[Piece]) -> list[Piece | Quantity]:
    """The pieces with every number (and the unit words folded into it) as one Quantity."""
    reads: list[_Read] = []
    i = 0
    while i < len(pieces):
        r = _quantity(pieces, i)
        if r is None:
            i += 1
            continue
        reads.append(r)
        i = r.end
    _ranges(pieces, reads)
    _years(pieces, reads)
    out: list[Piece | Quantity] = []
    starts = {r.start: r for r in reads}
    i = 0
    while i < len(pieces):
        if i in starts:
            r = starts[i]
            out.append(Quantity(r.value, r.unit, pieces[i].index))
            i = r.end
        else:
            out.append(pieces[i])
            i += 1
    return out


def _low(ps: Sequence[Piece], i: int) -> str:
    return ps[i].low if 0 <= i < len(ps) else ""


def _next(ps: Sequence[Piece], i: int) -> str:
    """The word at i if it continues the phrase (no punctuation before it)."""
    return ps[i].low if i < len(ps) and not ps[i].pause else ""


def _quantity(ps: Sequence[Piece], i: int) -> _Read | None:
    """The number starting at piece i with its scale and unit, or None."""
    p = ps[i]
    if p.kind == "num" and p.text[0].isdigit() and p.gap == "" and i > 0 and ps[i - 1].kind == "word":
        return _Read(_digits(p.text), i, i + 1, unit="id")  # p99, SDE2, Q3
    if p.low == "twice":
        return _Read(Fraction(2), i, i + 1, unit="x")
    if p.low.endswith("fold") and (n := _word_int(p.low[: -len("fold")])) is not None:
        return _Read(Fraction(n), i, i + 1, unit="x")  # tenfold
    prefix, j = "", i
    if p.kind == "sym" and p.text in _CURRENCY_SYMBOLS:
        prefix, j = _CURRENCY_SYMBOLS[p.text], i + 1
    elif p.low == "factor" and _next(ps, i + 1) == "of":
        prefix, j = "x", i + 2
    if j >= len(ps) or (j > i and ps[j].pause):
        return None
    r = _value(ps, j)
    if r is None:
        return None
    r.start = i
    if not _suffixes(ps, r, prefix):
        return None
    if prefix:
        r.unit = prefix
    return None if r.weak else r


def _value(ps: Sequence[Piece], j: int) -> _Read | None:
    """The bare number at piece j: digits, number words, a decimal, a fraction, "a hundred"."""
    p = ps[j]
    low = p.low
    if p.kind == "num":
        plain = "," not in p.text and "." not in p.text
        return _Read(_digits(p.text), j, j + 1, plain=plain, decimal="." in p.text)
    if p.kind != "word":
        return None
    if low == "point":
        return _bare_point(ps, j)
    if low in ("a", "an") or (low == "one" and _next(ps, j + 1) in _FRACTIONS):
        return _article(ps, j)
    if low in ("half", "quarter"):
        return _bare_fraction(ps, j)
    if low in RUN_WORDS:
        return _run(ps, j)
    if low in ORDINALS:
        return _Read(Fraction(ORDINALS[low]), j, j + 1, unit="ord")
    return None


def _digits(text: str) -> Fraction:
    return Fraction(text.replace(",", ""))


@cache
def _word_int(words: str) -> int | None:
    """text2num's reading of an integer said in words, or None."""
    from text_to_num import text2num

    if not words or any(w not in RUN_WORDS and w != "and" for w in words.split()):
        return None
    try:
        return text2num(words, "en")
    except ValueError:
        return None


def _run(ps: Sequence[Piece], j: int, lead_one: bool = False) -> _Read | None:
    """An integer said in words ("two hundred and fifty thousand"), a year said in pairs
    ("twenty nineteen"), or a compound ordinal ("twenty first")."""
    words = _run_words(ps, j)
    said = ["one", *words] if lead_one else words
    value, used = _longest(said)
    if value is None:
        return None
    end = j + used - (1 if lead_one else 0)
    r = _Read(Fraction(value), j - (1 if lead_one else 0), end, plain=True, weak=said == ["one"])
    if said[used - 1] in _RUN_SCALES - {"hundred"}:
        r.scale = r.last = Fraction(SCALES[said[used - 1]])
    if used < len(said) and said[:used] in (["nineteen"], ["twenty"]):
        rest, more = _longest(said[used:])
        if rest is not None and 10 <= rest <= 99:
            return _Read(Fraction(value * 100 + rest), r.start, end + more, unit="year")
    if said[used - 1] in _TENS and (ones := _ORDINAL_ONES.get(_next(ps, end))):
        return _Read(Fraction(value + ones), r.start, end + 1, unit="ord")
    return r


def _run_words(ps: Sequence[Piece], j: int) -> list[str]:
    words: list[str] = []
    k = j
    while k < len(ps) and ps[k].kind == "word" and (k == j or not ps[k].pause):
        w = ps[k].low
        if w in RUN_WORDS:
            words.append(w)
        elif w == "and" and words and words[-1] in _RUN_SCALES and _next(ps, k + 1) in RUN_WORDS:
            words.append(w)  # "two hundred and fifty"
        else:
            break
        k += 1
    return words


def _longest(words: list[str]) -> tuple[int | None, int]:
    """The longest prefix of the words that text2num reads, and its length."""
    for n in range(len(words), 0, -1):
        if words[n - 1] != "and" and (value := _word_int(" ".join(words[:n]))) is not None:
            return value, n
    return None, 0


def _decimals(ps: Sequence[Piece], k: int) -> tuple[str, int] | None:
    """The digits said after "point" at piece k-1 ("three", "zero five", "3", "twenty five")."""
    if k >= len(ps) or ps[k].pause:
        return None
    p = ps[k]
    if p.kind == "num":
        text = p.text.lstrip(".")
        return (text, k + 1) if text.isdigit() else None
    digits = ""
    while k < len(ps) and ps[k].low in _DIGIT_WORDS and not (digits and ps[k].pause):
        digits += _DIGIT_WORDS[ps[k].low]
        k += 1
    if digits:
        return digits, k
    if p.low in _TENS or p.low in _TEENS:
        value, used = _longest(_run_words(ps, k)[:2])
        if value is not None:
            return str(value), k + used
    return None


def _bare_point(ps: Sequence[Piece], j: int) -> _Read | None:
    """ "point three percent": a decimal without its zero, when the context is numeric (not
    "at that point two engineers quit")."""
    dec = _decimals(ps, j + 1)
    if dec is None:
        return None
    digits, end = dec
    numeric_after = _unit_at(ps, end) is not None or _next(ps, end) in SCALES
    if not numeric_after and _low(ps, j - 1) not in NUMERIC_LEADS:
        return None
    return _Read(Fraction("0." + digits), j, end, decimal=True)


def _article(ps: Sequence[Piece], j: int) -> _Read | None:
    """ "a hundred", "a million", "a dozen", "a half percent", "a tenth of a percent", "a day
    and a half"; "a" alone is no number ("within a week", "a retry")."""
    nxt = _next(ps, j + 1)
    if nxt in _RUN_SCALES:
        return _run(ps, j + 1, lead_one=True)
    if nxt == "dozen":
        return _Read(_ONE, j, j + 1)
    if nxt in _FRACTIONS:
        return _fraction_of(ps, _Read(_FRACTIONS[nxt], j, j + 2))
    unit = _unit_at(ps, j + 1)
    if unit and unit[0] in ("s", "mo") and _and_fraction(ps, j + 1 + unit[2]):
        return _Read(_ONE, j, j + 1)  # "a day and a half": the suffixes read the rest
    return None


def _bare_fraction(ps: Sequence[Piece], j: int) -> _Read | None:
    """ "half a million", "half an hour", "quarter million", "half of the tickets" (50 %)."""
    frac = _FRACTIONS[ps[j].low]
    nxt = _next(ps, j + 1)
    if nxt in ("a", "an") and _measure_at(ps, j + 2):
        return _Read(frac, j, j + 2)
    if nxt in _RUN_SCALES:
        return _Read(frac, j, j + 1)
    if ps[j].low == "half" and nxt in ("of", "the"):
        return _Read(frac * 100, j, j + 1, unit="%")
    return None


def _fraction_of(ps: Sequence[Piece], r: _Read) -> _Read | None:
    """A fraction's context: "… of a percent" / "… million" multiply; "… of the traffic" is a
    percentage; anything else is no fraction ("a third party", "in a quarter")."""
    k = r.end
    nxt = _next(ps, k)
    if nxt == "of" and _next(ps, k + 1) in ("a", "an") and _measure_at(ps, k + 2):
        r.end = k + 2
        return r
    if _measure_at(ps, k):
        return r
    if nxt == "of":
        r.value, r.unit = r.value * 100, "%"
        return r
    return None


def _measure_at(ps: Sequence[Piece], k: int) -> bool:
    """A scale or a unit at piece k: what "half a …" or "a tenth of a …" can be of."""
    return _scale_at(ps, k) is not None or _unit_at(ps, k) is not None


def _scale_at(ps: Sequence[Piece], k: int) -> Fraction | None:
    """A scale word at piece k; a letter ("8 K", "$1.2M") only glued or after a plain space."""
    if k >= len(ps) or ps[k].low not in SCALES or ps[k].pause:
        return None
    if len(ps[k].low) == 1 and ps[k].gap not in ("", " "):
        return None
    return Fraction(SCALES[ps[k].low])


def _unit_at(ps: Sequence[Piece], k: int) -> tuple[str, Fraction, int] | None:
    """The unit word(s) at piece k: (unit, factor, pieces used)."""
    if k >= len(ps) or ps[k].pause:
        return None
    pair = (ps[k].low, _next(ps, k + 1))
    if pair in UNITS:
        return (*UNITS[pair], 2)
    single = (ps[k].low,)
    if single in UNITS and (ps[k].kind == "word" or ps[k].text in "%×"):
        return (*UNITS[single], 1)
    return None


def _and_fraction(ps: Sequence[Piece], k: int) -> Fraction | None:
    """ "and a half" / "and a quarter" at piece k."""
    if _next(ps, k) == "and" and _next(ps, k + 1) in ("a", "an") and _next(ps, k + 2) in ("half", "quarter"):
        return _FRACTIONS[ps[k + 2].low]
    return None


def _suffixes(ps: Sequence[Piece], r: _Read, prefix: str) -> bool:
    """Read what follows the bare number: ".5", "and a half", a scale, a unit, "two thirds of".
    False when the number turns out to be a word ("one day" in running speech)."""
    while r.end < len(ps):
        k = r.end
        nxt = _next(ps, k)
        if not r.decimal and r.value.denominator == 1 and nxt == "point" and not r.unit and r.scale == 1:
            dec = _decimals(ps, k + 1)
            if dec is None or (r.weak and _low(ps, r.start - 1) == "at"):  # "at one point"
                break
            r.value += Fraction("0." + dec[0])
            r.end, r.decimal, r.weak, r.plain = dec[1], True, False, False
        elif frac := _and_fraction(ps, k):
            r.value += frac * r.last
            r.end, r.weak, r.plain = k + 3, False, False
        elif r.scale == 1 and not r.unit and (scale := _scale_at(ps, k)):
            r.value *= scale
            r.scale = r.last = scale
            r.end, r.weak, r.plain = k + 1, False, False
            if nxt == "grand" and not prefix:
                r.unit = "usd"  # "eight grand" is money
        elif nxt in _PLURAL_FRACTIONS and not r.unit and _next(ps, k + 1) == "of":
            r.value *= _PLURAL_FRACTIONS[nxt]
            r.end, r.weak, r.plain = k + 1, False, False
            if _fraction_of(ps, r) is None:
                return False
        elif not r.unit and (unit := _suffix_unit(ps, r, k)):
            code, factor, used = unit
            if prefix and code != prefix:
                break  # "$5/month", "a factor of 3": the prefix is the unit
            if r.weak and ps[k].low in _IDIOM_UNITS and _low(ps, r.start - 1) not in NUMERIC_LEADS:
                return False  # "one day the pager went off", "one second, let me think"
            r.value *= factor
            r.unit, r.factor, r.last = code, factor, factor
            r.end, r.weak, r.plain = k + used, False, r.plain and code == "year"
        else:
            break
    return True


def _suffix_unit(ps: Sequence[Piece], r: _Read, k: int) -> tuple[str, Fraction, int] | None:
    """The unit right after a number; "21st" and "1990s" are read from the glued letters."""
    p = ps[k]
    if p.gap == "" and p.low in _ORDINAL_SUFFIXES and r.value.denominator == 1:
        return ("ord", _ONE, 1)
    if p.gap == "" and p.low == "s" and r.plain and 1900 <= r.value <= 2090 and r.value % 10 == 0:
        return ("year", _ONE, 1)  # the 1990s
    if p.gap.strip() not in ("", "-"):
        return None
    return _unit_at(ps, k)


def _ranges(ps: Sequence[Piece], reads: list[_Read]) -> None:
    """ "4 to 10 percent", "from 900 to 250 milliseconds", "between 2 and 3 million": the
    unitless left side takes the right side's unit (and scale); "from 45 minutes to eight": the
    unitless right side takes the left's."""
    for left, right in pairwise(reads):
        if not _range(ps, left, right) or NOT_QUANTITIES & {left.unit, right.unit}:
            continue
        if not left.unit:
            if right.scale > 1 and left.scale == 1 and left.value <= 10 * right.value / right.scale:
                left.value *= right.scale  # "2 to 3 million", not "from 500 to 2 million"
            left.value *= right.factor
            left.unit, left.factor = right.unit, right.factor
        elif not right.unit and right.scale == 1:
            right.value *= left.factor
            right.unit, right.factor = left.unit, left.factor


def _range(ps: Sequence[Piece], left: _Read, right: _Read) -> bool:
    """Whether two numbers are the ends of one range: "to", "or", "between … and", with only
    hedges between ("from 4% to under 0.1%"), and no punctuation."""
    between = [p.low for p in ps[left.end : right.start]]
    if not between or len(between) > 4 or any(p.pause for p in ps[left.end : right.start + 1]):
        return False
    if not any(w in _RANGE_JOINERS for w in between):
        return False
    if any(w not in _RANGE_JOINERS | _RANGE_FILLERS for w in between):
        return False
    return between[0] != "and" or _low(ps, left.start - 1) == "between"


def _years(ps: Sequence[Piece], reads: list[_Read]) -> None:
    """ "in 2019", "since two thousand nineteen", "Q3 2021", "2019 to 2020" after a year word: a
    plain 1900–2099 integer after a year word, a quarter's name, or a year and "to"."""
    previous: _Read | None = None
    for r in reads:
        if r.unit == "" and r.plain and r.value.denominator == 1 and 1900 <= r.value <= 2099:
            before = _low(ps, r.start - 1)
            touching = previous is not None and previous.end >= r.start - 1
            after_year = touching and previous.unit == "year" and before in _RANGE_JOINERS
            after_quarter = touching and previous.unit == "id" and previous.end == r.start
            if before in _YEAR_LEADS or after_year or after_quarter:
                r.unit = "year"
        previous = r
