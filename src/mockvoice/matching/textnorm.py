"""Turn transcript words (or a scenario phrase) into comparable tokens.

Speech recognition writes the same thing many ways: "0.3%", "zero point three percent",
"$8K", "8,000 dollars", "recovering" for "recovered". Both the transcript and the scenario's
phrases go through `normalize`, so matching compares like with like:

- every number, said or written, becomes one number token with its value in a base unit and a
  unit code (`mockvoice.numbers`): "$8K" and "eight thousand dollars" are both 8000 "usd"; the
  unit words are folded into it;
- words are lemmatized (lemminflect, for irregular verbs: "took" → "take") and stemmed
  (Snowball: "recovering" → "recov");
- spelled-out acronyms ("S L O", "S.L.O.") are joined ("slo").

Every token remembers which input word it came from, so a match can be quoted and timed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

from mockvoice.matching.numbers import Piece, Quantity, canonical, quantifies, read

_CURRENCY_SLANG = {"buck": "dollar", "bucks": "dollar"}
_UNIT_WORDS = {"%": "percent", "$": "dollar", "€": "euro", "£": "pound", "×": "x"}

_TOKEN_RE = re.compile(
    r"""(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)   # 2,500,000  0.3  .3 ("point 3")
      |(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)                  # words, team's
      |(?P<sym>[$%€£×])""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    norm: str  # the comparable form: a stem, or a number's value like "8000" / "0.3"
    is_number: bool
    word_index: int  # index of the input word this token came from (a number's first word)
    unit: str = ""  # a number's unit code ("%", "usd", "s", "year"…; see mockvoice.numbers)

    @property
    def is_quantity(self) -> bool:
        """A number that quantifies a result: not a year, an ordinal or the digits of a name."""
        return self.is_number and quantifies(self.unit)


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
    return canonical(Fraction(text.replace(",", "")))


def normalize(words: list[str]) -> list[Token]:
    """Tokens of a sequence of words (ASR words with their spacing, or a phrase split on spaces)."""
    text, starts = _join(words)
    return _to_tokens(read(_pieces(text, starts)))


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


def _pieces(text: str, starts: list[int]) -> list[Piece]:
    """The regex tokens, each with its input word and the text between it and the previous one
    (empty when glued: "200ms", "p99", "0.3%")."""
    out: list[Piece] = []
    end = 0
    for m in _TOKEN_RE.finditer(text):
        idx = max(0, bisect.bisect_right(starts, m.start()) - 1)
        gap = text[end : m.start()] if out else " "
        out.append(Piece(m.lastgroup or "word", m.group(0), idx, gap))
        end = m.end()
    return out


def _to_tokens(items: list[Piece | Quantity]) -> list[Token]:
    tokens: list[Token] = []
    pending_letters: list[tuple[str, int]] = []

    def flush_letters() -> None:
        if len(pending_letters) >= 2:  # "S L O" → "slo"
            tokens.append(Token("".join(c for c, _ in pending_letters), False, pending_letters[0][1]))
        else:
            tokens.extend(Token(stem(c), False, i) for c, i in pending_letters)
        pending_letters.clear()

    for item in items:
        if isinstance(item, Quantity):
            flush_letters()
            tokens.append(Token(item.norm, True, item.index, item.unit))
            continue
        kind, idx = item.kind, item.index
        low = item.text.lower().replace("’", "'")
        if kind == "word" and len(low) == 1 and low not in ("i", "a"):
            pending_letters.append((low, idx))
            continue
        flush_letters()
        if low in _CURRENCY_SLANG:
            tokens.append(Token(_CURRENCY_SLANG[low], False, idx))
        elif kind == "num":  # digits numbers.read did not take as a quantity (their suffix refused)
            tokens.append(Token(canonical_number(low), True, idx))
        elif kind == "sym":
            tokens.append(Token(_UNIT_WORDS[low], False, idx))
        elif low.endswith("n't") and len(low) > 3:  # "wasn't" → be not
            base = {"wo": "will", "ca": "can", "sha": "shall"}.get(low[:-3], low[:-3])
            tokens.extend((Token(stem(base), False, idx), Token("not", False, idx)))
        else:
            tokens.append(Token(stem(low.removesuffix("'s")), False, idx))
    flush_letters()
    return tokens


STOPWORDS = frozenset(
    [
        "i",
        "me",
        "my",
        "we",
        "our",
        "us",
        "you",
        "your",
        "he",
        "she",
        "it",
        "its",
        "they",
        "them",
        "their",
        "this",
        "that",
        "these",
        "those",
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "so",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "as",
        "is",
        "be",
        "have",
        "do",
        "was",
        "were",
        "been",
        "has",
        "had",
        "did",
        "not",
        "no",
        "there",
        "here",
        "what",
        "which",
        "who",
        "when",
        "where",
        "how",
        "then",
        "than",
        "also",
        "just",
        "very",
        "about",
        "into",
        "out",
        "up",
        "down",
        "over",
        "after",
        "before",
        "because",
        "if",
        "while",
        "would",
        "could",
        "should",
        "will",
        "can",
    ]
)
