"""Find key phrases in a transcript the way a fair listener would tick them off.

A phrase counts as said when all its meaningful tokens appear close together: words may be
inflected ("recovering" for "recovered"), a few words may be inserted ("persistent 0.3%
webhook delivery drop rate"), a phrase of three or more tokens may be reordered within a short
window ("recovering $8K in weekly revenue"), and a long word may be misheard ("webbook" for
"webhook"; rapidfuzz ratio, or the same jellyfish metaphone code). Numbers must match exactly and
negations ("no", "not", "nobody") must be present: those change the meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from mockvoice.textnorm import Token, normalize_text

# Tokens a speaker can drop or swap without changing what the phrase claims.
OPTIONAL = frozenset(["a", "an", "the", "of", "in", "on", "at", "for", "to", "and", "be"])
# Tokens that flip the meaning; never optional, never fuzzy.
NEGATIONS = frozenset(["no", "not", "nobodi", "never", "without", "none"])
# Whose action it was: "adopted our pattern" is not "adopted my pattern".
OWNERS = frozenset(["i", "my", "me"])
# "<partner> and I <verb>": stems of who else can share the credit.
PARTNERS = frozenset(
    [
        "colleagu",
        "coworker",
        "teammat",
        "partner",
        "manag",
        "lead",
        "engin",
        "he",
        "she",
        "they",
        "him",
        "her",
        "friend",
        "peer",
        "mentor",
        "intern",
        "boss",
        "team",
        "someon",
        "develop",
    ]
)
FUZZY_MIN_LEN = 5  # shorter words must match exactly (or by sound, see `_same`)
FUZZY_RATIO = 80.0


@dataclass(frozen=True)
class Pattern:
    """One way of saying a phrase, as normalized tokens."""

    text: str
    tokens: tuple[Token, ...]

    @property
    def required(self) -> tuple[Token, ...]:
        return tuple(t for t in self.tokens if t.norm not in OPTIONAL) or self.tokens


@dataclass(frozen=True)
class Occurrence:
    """Where a pattern was heard: transcript token span [first, last] and the words it covers."""

    first_token: int
    last_token: int
    first_word: int
    last_word: int
    score: float
    pattern: str


def compile_patterns(label: str, variants: Sequence[str] = ()) -> list[Pattern]:
    out = []
    for text in (label, *variants):
        tokens = tuple(normalize_text(text))
        if tokens:
            out.append(Pattern(text, tokens))
    return out


def find(patterns: Sequence[Pattern], tokens: Sequence[Token]) -> list[Occurrence]:
    """All non-overlapping occurrences of any of the patterns, in transcript order."""
    found: list[Occurrence] = []
    for pattern in patterns:
        found.extend(_find_pattern(pattern, tokens))
    # Keep the best of overlapping occurrences (a label and its variant often both match).
    found.sort(key=lambda o: (-o.score, o.first_token))
    kept: list[Occurrence] = []
    for occ in found:
        if all(occ.last_token < k.first_token or occ.first_token > k.last_token for k in kept):
            kept.append(occ)
    return sorted(kept, key=lambda o: o.first_token)


def _find_pattern(pattern: Pattern, tokens: Sequence[Token]) -> list[Occurrence]:
    required = pattern.required
    n = len(required)
    ordered = n <= 2  # "I pulled" must not match "... pulled the logs, I ..."
    slack = 1 if n <= 2 else min(4, n)
    width = len(pattern.tokens) + slack
    allowed_missing = 1 if n >= 5 else 0
    results: list[Occurrence] = []
    for start in range(len(tokens)):
        if not any(_same(p, tokens[start]) for p in required):
            continue  # every occurrence starts on one of its own tokens
        window = range(start, min(len(tokens), start + width))
        matched = _assign(required, tokens, window, ordered)
        if matched is None:
            continue
        missing = [p for p, pos in zip(required, matched, strict=True) if pos is None]
        if len(missing) > allowed_missing or any(_essential(p) for p in missing):
            continue
        positions = [p for p in matched if p is not None]
        if start not in positions or _shared_credit(required, matched, tokens):
            continue
        first, last = min(positions), max(positions)
        span_penalty = 0.02 * (last - first + 1 - len(positions))
        score = len(positions) / n - span_penalty
        results.append(
            Occurrence(first, last, tokens[first].word_index, tokens[last].word_index, score, pattern.text)
        )
    return results


def _assign(
    required: Sequence[Token], tokens: Sequence[Token], window: range, ordered: bool
) -> list[int | None] | None:
    """Greedy: each phrase token takes the first free window token it matches. A phrase word
    may also match two heard tokens run together ("take it" for "ticket")."""
    used: set[int] = set()
    out: list[int | None] = []
    floor = window.start
    for p in required:
        pos, width = None, 1
        for i in window:
            if i < floor or i in used:
                continue
            if _same(p, tokens[i]):
                pos = i
                break
            if i + 1 < window.stop and i + 1 not in used and _same_joined(p, tokens[i], tokens[i + 1]):
                pos, width = i, 2
                break
        if pos is None:
            if ordered:
                return None
            out.append(None)
            continue
        used.update(range(pos, pos + width))
        out.append(pos)
        if ordered:
            floor = pos + width
    return out


def _essential(token: Token) -> bool:
    return token.is_number or token.norm in NEGATIONS or token.norm in OWNERS


def _shared_credit(required: Sequence[Token], matched: Sequence[int | None], tokens: Sequence[Token]) -> bool:
    """ "A colleague and I reproduced it" does not claim "I reproduced": the credit is shared.
    ("…the retry, and I added an alert" is two claims of one speaker and still counts.)"""
    for p, pos in zip(required, matched, strict=True):
        if (
            p.norm == "i"
            and pos is not None
            and pos > 1
            and tokens[pos - 1].norm == "and"
            and tokens[pos - 2].norm in PARTNERS
        ):
            return True
    return False


def _same(phrase_tok: Token, heard: Token) -> bool:
    return _same_norm(phrase_tok.norm, phrase_tok.is_number, heard.norm, heard.is_number)


@cache
def _same_norm(a: str, a_num: bool, b: str, b_num: bool) -> bool:
    if a_num or b_num:
        return a_num and b_num and a == b
    if a == b:
        return True
    if a in NEGATIONS or b in NEGATIONS:
        return False
    from rapidfuzz import fuzz

    if min(len(a), len(b)) >= FUZZY_MIN_LEN and fuzz.ratio(a, b) >= FUZZY_RATIO:
        return True
    if min(len(a), len(b)) >= 3 and fuzz.ratio(a, b) >= 70:
        import jellyfish

        return jellyfish.metaphone(a) == jellyfish.metaphone(b)
    return False


def _same_joined(phrase_tok: Token, a: Token, b: Token) -> bool:
    """Two heard words that sound like one phrase word: "take it" ~ "ticket" (same metaphone)."""
    if phrase_tok.is_number or a.is_number or b.is_number or len(phrase_tok.norm) < 5:
        return False
    joined = a.norm + b.norm
    if joined == phrase_tok.norm:
        return True
    import jellyfish

    return jellyfish.metaphone(joined) == jellyfish.metaphone(phrase_tok.norm)
