"""Turn transcript words (or a scenario phrase) into comparable tokens.

Speech recognition writes the same thing many ways: "0.3%", "zero point three percent",
"$8K", "8,000 dollars", "recovering" for "recovered". Both the transcript and the scenario's
phrases go through `normalize`, so matching compares like with like:

- numbers said in words become digits (text2num), "$8K" becomes "8000 dollar";
- words are lemmatized (lemminflect, for irregular verbs: "took" → "take") and stemmed
  (Snowball: "recovering" → "recov");
- spelled-out acronyms ("S L O", "S.L.O.") are joined ("slo").

Every token remembers which input word it came from, so a match can be quoted and timed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

# Words text2num reads as (parts of) numbers. "one" is left out: "no one asked me" is a
# pronoun far more often than a count in an interview answer.
_NUMBER_WORDS = frozenset(
    [
        "zero",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
        "point",
    ]
)
_SMALL = {"zero": "0"}
_MAGNITUDE = {
    "grand": 1_000,
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "million": 1_000_000,
    "b": 1_000_000_000,
    "billion": 1_000_000_000,
}
_CURRENCY_SLANG = {"buck": "dollar", "bucks": "dollar"}
_UNIT_WORDS = {"%": "percent", "$": "dollar", "€": "euro", "£": "pound"}

_TOKEN_RE = re.compile(
    r"""(?P<num>[$€£]?\d[\d,]*(?:\.\d+)?(?:\s?[kKmMbB](?![a-zA-Z]))?%?)   # 8,000  $8K  0.3%
      |(?P<dec>\.\d+%?)                                                # .3 (as in "point 3")
      |(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)                           # words, team's
      |(?P<sym>[$%€£])""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    norm: str  # the comparable form: a stem, or a number like "8000" / "0.3"
    is_number: bool
    word_index: int  # index of the input word this token came from


@cache
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@cache
def stem(word: str) -> str:
    """Lemma (for irregular verbs) then Snowball stem; both sides of a match use this."""
    from lemminflect import getLemma

    lemma = getLemma(word, upos="VERB", lemmatize_oov=False)
    base = lemma[0] if lemma and lemma[0] != word and len(lemma[0]) > 1 else word
    return _stemmer().stemWord(base)


def canonical_number(text: str) -> str:
    """'8,000' → '8000', '0.30' → '0.3', '3.0' → '3'."""
    value = float(text.replace(",", ""))
    if value.is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def normalize(words: list[str]) -> list[Token]:
    """Tokens of a sequence of words (ASR words with their spacing, or a phrase split on spaces)."""
    text, starts = _join(words)
    raw = _raw_tokens(text, starts)
    raw = _digitize_number_words(raw)
    return _to_tokens(raw)


def normalize_text(text: str) -> list[Token]:
    """Tokens of a plain string, e.g. a scenario phrase."""
    return normalize(text.split())


def plain_words(text: str) -> list[str]:
    """Lowercased words of a string without punctuation (for simple word lists such as fillers)."""
    return [m.group(0).lower().replace("’", "'") for m in re.finditer(r"[^\W_]+(?:['’][^\W_]+)*", text)]


# --- steps -------------------------------------------------------------------------------


def _join(words: list[str]) -> tuple[str, list[int]]:
    """Concatenate words, keeping each word's start offset. ASR words carry their own leading
    space (" 0", ".3", "%"), so pieces of one number join back together; plain words get one."""
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for w in words:
        piece = w if (w[:1].isspace() or not parts or w[:1] in ".,%") else " " + w
        starts.append(pos + (len(piece) - len(piece.lstrip())))
        parts.append(piece)
        pos += len(piece)
    return "".join(parts), starts


def _raw_tokens(text: str, starts: list[int]) -> list[tuple[str, str, int]]:
    """(kind, text, word_index) for each regex token; kind is num, word or sym."""
    out: list[tuple[str, str, int]] = []
    for m in _TOKEN_RE.finditer(text):
        idx = max(0, bisect.bisect_right(starts, m.start()) - 1)
        kind = m.lastgroup or "word"
        value = m.group(0)
        if kind == "dec":
            # "point 3" after text2num, or a number split across ASR words.
            if out and out[-1][0] == "word" and out[-1][1].lower() == "point":
                out[-1] = ("num", "0" + value, out[-1][2])
                continue
            kind, value = "num", "0" + value
        out.append((kind, value, idx))
    return out


def _digitize_number_words(raw: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """Runs of number words ("zero point three", "eight thousand") become digits via text2num."""
    from text_to_num import alpha2digit

    out: list[tuple[str, str, int]] = []
    i = 0
    while i < len(raw):
        kind, value, idx = raw[i]
        low = value.lower()
        if kind == "word" and (low in _NUMBER_WORDS or (low == "and" and out and out[-1][0] == "num")):
            j = i
            while j < len(raw) and raw[j][0] == "word" and raw[j][1].lower() in _NUMBER_WORDS | {"and"}:
                j += 1
            run = [r[1].lower() for r in raw[i:j]]
            while run and run[-1] == "and":  # "eight thousand and" → keep the trailing "and"
                run.pop()
                j -= 1
            converted = alpha2digit(" ".join(run), "en")
            for piece in _raw_tokens(converted, [0]):
                pk, pv, _ = piece
                if pk == "word" and pv in _SMALL:
                    pk, pv = "num", _SMALL[pv]
                out.append((pk, pv, idx))
            i = max(j, i + 1)
            continue
        out.append((kind, value, idx))
        i += 1
    return out


def _to_tokens(raw: list[tuple[str, str, int]]) -> list[Token]:
    tokens: list[Token] = []
    pending_letters: list[tuple[str, int]] = []

    def flush_letters() -> None:
        if len(pending_letters) >= 2:  # "S L O" → "slo"
            tokens.append(Token("".join(c for c, _ in pending_letters), False, pending_letters[0][1]))
        else:
            tokens.extend(Token(stem(c), False, i) for c, i in pending_letters)
        pending_letters.clear()

    for kind, value, idx in raw:
        low = value.lower().replace("’", "'")
        if low in ("k", "m", "b", "grand") and not pending_letters and tokens and tokens[-1].is_number:
            last = tokens.pop()  # "8 K" → 8000; "eight grand" → 8000 dollar
            scaled = canonical_number(str(float(last.norm) * _MAGNITUDE[low]))
            tokens.append(Token(scaled, True, last.word_index))
            if low == "grand":
                tokens.append(Token("dollar", False, idx))
            continue
        if low in _CURRENCY_SLANG:
            tokens.append(Token(_CURRENCY_SLANG[low], False, idx))
            continue
        if kind == "word" and len(low) == 1 and low not in ("i", "a"):
            pending_letters.append((low, idx))
            continue
        flush_letters()
        if kind == "num":
            if tokens and tokens[-1].norm == "point" and low.isdigit():
                tokens.pop()  # "point 3" → 0.3
                low = "0." + low
            tokens.extend(_number_tokens(low, idx))
        elif kind == "sym":
            tokens.append(Token(_UNIT_WORDS[low], False, idx))
        elif low.endswith("n't") and len(low) > 3:  # "wasn't" → be not
            base = {"wo": "will", "ca": "can", "sha": "shall"}.get(low[:-3], low[:-3])
            tokens.extend((Token(stem(base), False, idx), Token("not", False, idx)))
        else:
            tokens.append(Token(stem(low.removesuffix("'s")), False, idx))
    flush_letters()
    return tokens


def _number_tokens(text: str, idx: int) -> list[Token]:
    """'$8K' → [8000, dollar]; '0.3%' → [0.3, percent]; '8,000' → [8000]."""
    unit = _UNIT_WORDS.get(text[0]) if text[0] in _UNIT_WORDS else None
    body = text[1:] if unit else text
    percent = body.endswith("%")
    body = body.rstrip("%").strip()
    scale = 1
    if body and body[-1] in "kmb":
        scale = _MAGNITUDE[body[-1]]
        body = body[:-1].strip()
    value = (
        canonical_number(str(float(body.replace(",", "")) * scale)) if scale != 1 else canonical_number(body)
    )
    out = [Token(value, True, idx)]
    if percent:
        out.append(Token("percent", False, idx))
    if unit:
        out.append(Token(stem(unit), False, idx))
    return out
