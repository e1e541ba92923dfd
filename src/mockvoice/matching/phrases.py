"""Find key phrases in a transcript the way a fair listener would tick them off.

A phrase counts as said when all its meaningful tokens appear close together: words may be
inflected ("recovering" for "recovered"), a few words may be inserted ("persistent 0.3%
webhook delivery drop rate"), a phrase of three or more tokens may be reordered within a short
window ("recovering $8K in weekly revenue"), and a long word may be misheard ("webbook" for
"webhook"; rapidfuzz ratio, or the same jellyfish metaphone code). Numbers must match exactly and
negations ("no", "not", "nobody") must be present: those change the meaning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import TypeVar

from mockvoice.matching import paraphrase
from mockvoice.matching.numbers import same_number
from mockvoice.matching.textnorm import Token, normalize_text

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
T = TypeVar("T")
STRICT_SLACK = 2


@dataclass(frozen=True)
class Pattern:
    """One way of saying a phrase, as normalized tokens."""

    text: str
    tokens: tuple[Token, ...]
    # A rule's paraphrase fixes the word order it was written in: its words must come in order
    # with at most STRICT_SLACK others among them ("there was no issue with the tickets" is not
    # "there was no ticket").
    strict: bool = False
    # Made by a rule, not written in the scenario: every word must be heard (none may be
    # misheard away), and within one clause.
    ruled: bool = False

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


class Heard:
    """The transcript's tokens with, per phrase token, the positions it matches: built once per
    transcript, so hundreds of paraphrase patterns cost a set lookup per word, not a fuzzy
    comparison."""

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = tokens
        self._by_form: dict[tuple[str, bool, str], list[int]] = {}
        for i, t in enumerate(tokens):
            self._by_form.setdefault((t.norm, t.is_number, t.unit), []).append(i)
        self._positions: dict[tuple[str, bool, str], frozenset[int]] = {}

    def positions(self, p: Token) -> frozenset[int]:
        """Indexes of the heard tokens that phrase token `p` matches."""
        key = (p.norm, p.is_number, p.unit)
        found = self._positions.get(key)
        if found is None:
            found = frozenset(
                i for form, idx in self._by_form.items() if _same(p, self.tokens[idx[0]]) for i in idx
            )
            self._positions[key] = found
        return found


def find(patterns: Sequence[Pattern], tokens: Sequence[Token] | Heard) -> list[Occurrence]:
    """All non-overlapping occurrences of any of the patterns, in transcript order."""
    heard = tokens if isinstance(tokens, Heard) else Heard(tokens)
    found: list[Occurrence] = []
    for pattern in patterns:
        found.extend(_find_pattern(pattern, heard))
    # Keep the best of overlapping occurrences (a label and its variant often both match).
    found.sort(key=lambda o: (-o.score, o.first_token))
    return _keep_apart(found, lambda o: o)


def _find_pattern(pattern: Pattern, heard: Heard, shared: list[Occurrence] | None = None) -> list[Occurrence]:
    """Occurrences of one pattern; those that share the credit ("a colleague and I traced")
    are left out, or collected in `shared` when given."""
    tokens = heard.tokens
    required = pattern.required
    n = len(required)
    ordered = n <= 2 or pattern.strict  # "I pulled" must not match "... pulled the logs, I ..."
    slack = STRICT_SLACK if pattern.strict else 1 if n <= 2 else min(4, n)
    if n <= 2 and any(t.is_number for t in required):
        slack = 4  # a number is specific enough: "from 0.3% all the way to zero"
    width = len(pattern.tokens) + slack
    allowed_missing = 1 if n >= 5 and not pattern.ruled else 0
    results: list[Occurrence] = []
    starts = sorted(set().union(*(heard.positions(p) for p in required)))
    for start in starts:  # every occurrence starts on one of its own tokens
        window = range(start, min(len(tokens), start + width))
        matched = _assign(required, heard, window, ordered)
        if matched is None:
            continue
        missing = [p for p, pos in zip(required, matched, strict=True) if pos is None]
        if len(missing) > allowed_missing or any(_essential(p) for p in missing):
            continue
        positions = [p for p in matched if p is not None]
        if start not in positions:
            continue
        first, last = min(positions), max(positions)
        span_penalty = 0.02 * (last - first + 1 - len(positions))
        score = len(positions) / n - span_penalty
        occ = Occurrence(first, last, tokens[first].word_index, tokens[last].word_index, score, pattern.text)
        if not _shared_credit(required, matched, tokens):
            results.append(occ)
        elif shared is not None:
            shared.append(occ)
    return results


def _assign(required: Sequence[Token], heard: Heard, window: range, ordered: bool) -> list[int | None] | None:
    """Greedy: each phrase token takes the first free window token it matches. A phrase word
    may also match two heard tokens run together ("take it" for "ticket")."""
    tokens = heard.tokens
    used: set[int] = set()
    out: list[int | None] = []
    floor = window.start
    for p in required:
        pos, width = None, 1
        matches = heard.positions(p)
        for i in window:
            if i < floor or i in used:
                continue
            if i in matches:
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
    return _same_norm(
        phrase_tok.norm, phrase_tok.is_number, heard.norm, heard.is_number, phrase_tok.unit, heard.unit
    )


@cache
def _same_norm(a: str, a_num: bool, b: str, b_num: bool, a_unit: str = "", b_unit: str = "") -> bool:
    if a_num or b_num:  # by value; "1 retry" is "one retry" (mockvoice.numbers.same_number)
        return same_number(a, a_num, a_unit, b, b_num, b_unit)
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
    return _sounds_like(phrase_tok.norm, a.norm + b.norm)


@cache
def _sounds_like(word: str, joined: str) -> bool:
    if joined == word:
        return True
    import jellyfish

    return jellyfish.metaphone(joined) == jellyfish.metaphone(word)


# --- judging one key phrase: said, said in other words, or a near-hit -----------------------

COUNTED = ("exact", "variant", "paraphrase")  # the matches that tick a phrase
# Which of two overlapping hits a listener believes: a denial beats the words it denies, a
# counted match beats a near-hit, the scenario's own wording beats a rule's.
_RANK = {
    "negated": 0,
    "exact": 1,
    "variant": 2,
    "paraphrase": 3,
    "reversed": 4,
    "someone-else": 5,
    "shared": 6,
}


@dataclass(frozen=True)
class Tagged:
    """A pattern and what hearing it means: a match kind and the rule that made it."""

    pattern: Pattern
    match: str
    rule: str = ""


@dataclass(frozen=True)
class Hit:
    """Where a key phrase, or something close to it, was heard.

    `match` is exact, variant or paraphrase (counted), or a near-hit that is not: negated ("did
    not adopt my pattern"), reversed ("rejected my pattern"), someone-else ("we traced") or
    shared ("my teammate and I traced"). `why` names the rule that decided it; a negated hit
    keeps the word index of its negation instead, so the quote and the reason can show it."""

    occurrence: Occurrence
    match: str
    why: str = ""
    negation_word: int | None = None

    @property
    def counted(self) -> bool:
        return self.match in COUNTED

    @property
    def first_word(self) -> int:
        """The first word to quote: the negation when it comes before the phrase."""
        if self.negation_word is None:
            return self.occurrence.first_word
        return min(self.negation_word, self.occurrence.first_word)

    @property
    def last_word(self) -> int:
        return self.occurrence.last_word


@cache
def phrase_patterns(label: str, variants: tuple[str, ...] = ()) -> tuple[Tagged, ...]:
    """The label, its variants, the rules' paraphrases of both, then the near-hit shapes;
    a token sequence appears once, under its first (most literal) meaning."""

    texts = [(label, "exact", "", False), *((v, "variant", "", False) for v in variants)]
    for base in (label, *variants):
        texts += [(r.text, "paraphrase", r.rule, r.shaped) for r in paraphrase.paraphrases(base)]
    for base in (label, *variants):
        texts += [(r.text, r.kind, r.rule, r.shaped) for r in paraphrase.near_misses(base)]
    seen: set[tuple[tuple[str, bool], ...]] = set()
    out = []
    short = all(len(p.required) <= 2 for p in compile_patterns(label))  # matched in order: keep it
    for text, match, rule, shaped in texts:
        for pattern in compile_patterns(text):
            ruled = match not in ("exact", "variant")
            pattern = replace(pattern, strict=shaped or (short and ruled), ruled=ruled)
            key = tuple((t.norm, t.is_number) for t in pattern.tokens)
            if key not in seen:
                seen.add(key)
                out.append(Tagged(pattern, match, rule))
    return tuple(out)


def judge(
    label: str,
    variants: Sequence[str],
    tokens: Sequence[Token] | Heard,
    breaks: frozenset[int] = frozenset(),
) -> list[Hit]:
    """Every place the phrase (or a near-hit of it) was heard, in transcript order, overlaps
    resolved by `_RANK`. `breaks` holds the indexes of words that end a clause (punctuation):
    a negation does not reach past them. Pass a `Heard` to judge many phrases on one transcript."""
    heard = tokens if isinstance(tokens, Heard) else Heard(tokens)
    tokens = heard.tokens
    hits: list[Hit] = []
    for tagged in phrase_patterns(label, tuple(variants)):
        if tagged.match not in ("exact", "variant") and not _possible(tagged.pattern, heard):
            continue
        shared: list[Occurrence] = []
        for occ in _find_pattern(tagged.pattern, heard, shared):
            if tagged.pattern.ruled and _crosses(breaks, occ.first_word, occ.last_word):
                continue  # a rule's words belong to one clause
            denial = _denial(occ, tagged.pattern, tokens, breaks) if tagged.match in COUNTED else None
            if denial is not None:
                hits.append(Hit(occ, "negated", tagged.rule, negation_word=denial))
            else:
                hits.append(Hit(occ, tagged.match, tagged.rule))
        if tagged.match in COUNTED:
            hits += [Hit(o, "shared", "the credit is shared: say what you did") for o in shared]
    hits.sort(key=lambda h: (_RANK[h.match], -h.occurrence.score, h.occurrence.first_token))
    return _keep_apart(hits, lambda h: h.occurrence)


def _keep_apart(ranked: Sequence[T], occurrence: Callable[[T], Occurrence]) -> list[T]:
    """The items, best first, that overlap no better one; in transcript order."""
    kept: list[T] = []
    for item in ranked:
        o = occurrence(item)
        if all(o.last_token < k.first_token or o.first_token > k.last_token for k in map(occurrence, kept)):
            kept.append(item)
    return sorted(kept, key=lambda item: occurrence(item).first_token)


def _possible(pattern: Pattern, heard: Heard) -> bool:
    """False when too many of a rule's pattern's tokens were never heard at all (a cheap test
    that keeps hundreds of paraphrase patterns from being searched word by word)."""
    required = pattern.required
    missing = 0
    for p in required:
        if heard.positions(p):
            continue
        if _essential(p) or len(required) < 5:
            return False
        missing += 1
    return missing <= 1


@cache
def _negation_rules() -> tuple[int, tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...], frozenset[str]]:
    """(window, negation token sequences, exceptions, clause words), normalized like speech."""

    rules = paraphrase.rules().negation

    def seqs(texts: Sequence[str]) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(t.norm for t in normalize_text(x)) for x in texts)

    clause = frozenset(t.norm for w in rules.clause_words for t in normalize_text(w))
    return rules.window, seqs(rules.words), seqs(rules.except_), clause


def _denial(occ: Occurrence, pattern: Pattern, tokens: Sequence[Token], breaks: frozenset[int]) -> int | None:
    """The word index of a negation that denies this occurrence, if any: inside its span, or up
    to `window` meaningful tokens before it in the same clause. None when the phrase itself is
    negative ("nobody asked me")."""
    window, negations, exceptions, clause = _negation_rules()
    own = {t.norm for t in pattern.tokens}
    if any(seq[0] in own for seq in negations) or own & NEGATIONS or not makes_claim(pattern.text):
        return None
    norms = [t.norm for t in tokens]
    last_word = tokens[occ.last_token].word_index
    candidates = [  # inside the span, in the clause of the phrase's last word
        i
        for i in range(occ.first_token, occ.last_token + 1)
        if not _same_any(tokens[i], pattern) and not _crosses(breaks, tokens[i].word_index, last_word)
    ]
    j, counted = occ.first_token - 1, 0
    while j >= 0 and counted < window:
        if tokens[j].word_index in breaks and tokens[j].word_index < tokens[occ.first_token].word_index:
            break
        candidates.append(j)
        if norms[j] in clause:
            break
        if norms[j] not in OPTIONAL:
            counted += 1
        j -= 1
    for i in sorted(candidates):
        for seq in negations:
            if tuple(norms[i : i + len(seq)]) == seq and not _excepted(norms, i, exceptions):
                return tokens[i].word_index
    return None


# Words after a verb that show it is one ("adopted my pattern"), not a participle describing
# the noun after it ("shared visibility", "tested fix").
_DETERMINERS = frozenset(["my", "the", "a", "an", "our", "their", "his", "her", "it", "them", "this", "that"])


@cache
def makes_claim(text: str) -> bool:
    """Whether a phrase claims that something was done, so that a negation can deny it: it says
    "I", or holds a verb in a verb's place. A phrase that names a concept ("shared visibility",
    "organizational gap") is still said in "nobody had shared visibility": naming the gap is
    the point of a reflection."""
    from lemminflect import getAllLemmas

    words = [w.strip(',.;:!?"“”').lower() for w in text.replace("’", "'").split()]
    if "i" in words:
        return True
    for i, w in enumerate(words):
        lemmas = getAllLemmas(w)
        if "VERB" in lemmas and i > 0 and words[i - 1].endswith("ly"):  # "proactively monitoring"
            return True
        if "VERB" not in lemmas or "ADJ" in lemmas:
            continue
        nxt = words[i + 1] if i + 1 < len(words) else None
        inflected = w.endswith(("ed", "en", "ing"))
        if nxt is None:
            if inflected and i > 0:  # "$8K weekly revenue recovered"
                return True
        elif nxt in _DETERMINERS or nxt.endswith("ly") or (i == 0 and not w.endswith(("ed", "en"))):
            return True
    return False


def _crosses(breaks: frozenset[int], first_word: int, last_word: int) -> bool:
    return any(b in breaks for b in range(first_word, last_word))


def _same_any(token: Token, pattern: Pattern) -> bool:
    return any(_same(p, token) for p in pattern.tokens)


def _excepted(norms: Sequence[str], i: int, exceptions: Sequence[tuple[str, ...]]) -> bool:
    return any(tuple(norms[i : i + len(e)]) == e for e in exceptions)
