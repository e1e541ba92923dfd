"""Follow-up probes: which to ask after an answer, and how a spoken follow-up answer did.

Pure: data in, data out. `signals` and `choose` read an analysis document (the shape of
`session.json`, see README); `judge` reads the transcript of a follow-up answer.

How `judge` decides (every number is a named constant below):

- **Key phrases**: the probe's `key_phrases`, found with the same matcher as the main
  answer (`mockvoice.phrases`). `phrase_share` = found / listed.
- **Overlap with the example answers**: the content words (stems, stopwords and one-letter
  words left out) of the probe's strong and weak example answers. A word counts fully when it
  is specific to that example; a word both examples use, or that the question itself uses
  ("drop rate" in "beyond just the drop rate metric"), counts `SHARED_WEIGHT`. Each example's
  word is looked up in the answer with the phrase matcher (so "webbook" still counts as
  "webhook"). `strong_overlap` / `weak_overlap` = weight heard / total weight, 0..1.
- **Ownership**: "I" statements ("I", "I'm", "I'd", …) against hand-off subjects ("they",
  "we", "someone", …). The answer owns the work when it has at least one "I" statement and
  no more hand-offs than "I"s.
- **Verdict**:
  `strong` when there is strong evidence (phrase_share >= STRONG_PHRASE_SHARE or
  strong_overlap >= STRONG_OVERLAP), the answer owns the work, and it is not closer to the
  weak example (weak_overlap <= strong_overlap);
  `weak` when there is no strong content (phrase_share < WEAK_PHRASE_SHARE and
  strong_overlap < WEAK_STRONG_OVERLAP), or when it is closer to the weak example than to the
  strong one without strong evidence;
  `partial` otherwise (e.g. the right content told as "we"/"they", or only part of it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mockvoice.analysis import phrase_result
from mockvoice.phrases import Occurrence, Pattern, find
from mockvoice.phrases import judge as judge_phrase
from mockvoice.scenario import Followup, Scenario
from mockvoice.sections import STOPWORDS
from mockvoice.session import clock
from mockvoice.textnorm import Token, normalize, normalize_text, plain_words
from mockvoice.transcript import Transcript, clause_breaks, units

# --- signals -----------------------------------------------------------------------------

TASK_SECTION = "task"  # whose key phrases prove ownership (scope boundary, no assignment)
NO_OWNERSHIP = "no-ownership"
MIN_PHRASE_SHARE = 0.5  # a section with fewer than this share of its phrases found is a signal

# --- judge -------------------------------------------------------------------------------

STRONG_PHRASE_SHARE = 0.5  # half the probe's key phrases said → strong content
STRONG_OVERLAP = 0.45  # or this share of the strong example's (weighted) words said
WEAK_PHRASE_SHARE = 0.25  # below this share of phrases …
WEAK_STRONG_OVERLAP = 0.2  # … and below this overlap with the strong example: no strong content
SHARED_WEIGHT = 0.25  # weight of a word both examples (or the question) use
MAX_WORDS_SHOWN = 5  # words named in an overlap reason
MAX_QUOTE_WORDS = 20  # a longer sentence is quoted from its first to its last telling word

# Stems that carry no content here, on top of the sectioner's stopwords.
EXTRA_STOPWORDS = frozenset(
    [
        *("someon", "somebodi", "one", "thing", "sinc", "even", "though", "some", "ani", "all"),
        *("such", "other", "more", "i'd", "i'm", "i'v", "i'll"),
    ]
)
FIRST_PERSON = frozenset(["i", "i'm", "i've", "i'd", "i'll"])
HAND_OFF = frozenset(
    ["we", "we're", "we've", "we'd", "they", "they're", "they've", "they'd", "someone", "somebody"]
)


def signals(doc: dict, scenario: Scenario) -> set[str]:
    """What the answer lacked, as ids a follow-up's `triggers` can name:

    - every flag id in the document (`we-in-action`, `no-number-in-result`, …);
    - every section id whose verdict is `missing`, or which has fewer than half of its key
      phrases found (said anywhere in the answer);
    - `no-ownership` when none of the task section's key phrases was found.
    """
    out = {f["id"] for f in doc.get("flags", [])}
    phrases: dict[str, list[bool]] = {}
    for kp in doc.get("key_phrases", []):
        phrases.setdefault(kp["section"], []).append(bool(kp["found"]))
    for section in doc.get("sections", []):
        if section.get("verdict") == "missing":
            out.add(section["id"])
    for section_id, found in phrases.items():
        if found and sum(found) < MIN_PHRASE_SHARE * len(found):
            out.add(section_id)
    task_ids = {s.id for s in scenario.sections}
    if TASK_SECTION in task_ids and phrases.get(TASK_SECTION) and not any(phrases[TASK_SECTION]):
        out.add(NO_OWNERSHIP)
    return out


def choose(doc: dict, scenario: Scenario, n: int) -> list[tuple[Followup, list[str]]]:
    """The `n` probes to ask, each with the trigger ids that matched (why it is asked).

    Probes whose triggers match come first, most matching triggers first, ties in scenario
    order; then, if fewer than `n` matched, the other probes in scenario order (reason `[]`).
    No probe is returned twice.
    """
    sig = signals(doc, scenario)
    scored = [(f, [t for t in dict.fromkeys(f.triggers) if t in sig]) for f in scenario.followups]
    matched = sorted((item for item in scored if item[1]), key=lambda item: -len(item[1]))
    rest = [item for item in scored if not item[1]]
    return (matched + rest)[: max(0, n)]


# --- judge -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Vocab:
    """Content words of an example answer: stem → its token (for matching) and its weight."""

    tokens: dict[str, Token]
    weights: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.weights.values())


def judge(transcript: Transcript, followup: Followup, *, start_s: float = 0.0) -> dict:
    """Judge a spoken answer to one follow-up probe (see the module docstring for the rules).

    `start_s` is where this answer starts on the session's clock: it is added to every time
    reported (phrase times, reasons, words), so a follow-up recorded after the main answer
    can point into the session's timeline. The words judged are all of `transcript`'s.
    """
    words = transcript.words
    tokens = normalize([w.text for w in words])

    phrases = []
    reasons_said, missed = [], []
    breaks = clause_breaks(transcript)
    for kp in followup.key_phrases:
        hits = judge_phrase(kp.phrase, kp.variants, tokens, breaks)
        hit = next((h for h in hits if h.counted), hits[0] if hits else None)
        result = {"phrase": kp.phrase, **phrase_result(hit, transcript)}
        if result["at_s"] is not None:
            result["at_s"] = round(start_s + result["at_s"], 2)
        result.pop("said_in")
        phrases.append(result)
        if result["found"]:
            reasons_said.append(f'said "{_trim(result["heard"])}" at {clock(result["at_s"])}')
        else:
            missed.append(kp.phrase)
    n_found = sum(p["found"] for p in phrases)
    phrase_share = n_found / len(phrases) if phrases else 0.0

    strong_vocab, weak_vocab = _vocabularies(followup)
    strong_hits = _heard(strong_vocab, tokens)
    weak_hits = _heard(weak_vocab, tokens)
    strong_overlap = _overlap(strong_vocab, strong_hits)
    weak_overlap = _overlap(weak_vocab, weak_hits)

    owners, hand_offs = _pronouns(transcript)
    owns = bool(owners) and len(hand_offs) <= len(owners)

    strong_content = phrase_share >= STRONG_PHRASE_SHARE or strong_overlap >= STRONG_OVERLAP
    closer_to_weak = weak_overlap > strong_overlap
    no_content = phrase_share < WEAK_PHRASE_SHARE and strong_overlap < WEAK_STRONG_OVERLAP
    if not words:
        verdict = "weak"
    elif strong_content and owns and not closer_to_weak:
        verdict = "strong"
    elif no_content or (closer_to_weak and not strong_content):
        verdict = "weak"
    else:
        verdict = "partial"

    reasons = [_headline(verdict, n_found, len(phrases), strong_overlap, weak_overlap, owns, bool(words))]
    reasons += reasons_said
    if missed:
        reasons.append("missed " + ", ".join(f'"{m}"' for m in missed))
    if strong_hits:
        shown = _top_words(strong_vocab, strong_hits, transcript)
        reasons.append(f"{strong_overlap:.0%} of the strong answer's telling words: {shown}")
    weak_specific = {s: o for s, o in weak_hits.items() if weak_vocab.weights[s] == 1.0}
    if weak_specific and (closer_to_weak or verdict != "strong"):
        quote, at = _best_sentence(transcript, weak_specific)
        reasons.append(f'sounds like the weak answer: "{quote}" at {clock(start_s + at)}')
    reasons += _ownership_reasons(transcript, owners, hand_offs, start_s)

    return {
        "id": followup.id,
        "question": followup.question,
        "probes": followup.probes,
        "phrases": phrases,
        "strong_overlap": round(strong_overlap, 3),
        "weak_overlap": round(weak_overlap, 3),
        "verdict": verdict,
        "reasons": reasons,
        "takeaway": followup.takeaway,
        "transcript": {
            "text": transcript.text,
            "words": [
                {
                    "text": w.text.strip(),
                    "start": round(start_s + w.start, 2),
                    "end": round(start_s + w.end, 2),
                    "probability": round(w.probability, 3),
                }
                for w in words
            ],
        },
    }


def _content(tokens: Iterable[Token]) -> dict[str, Token]:
    out: dict[str, Token] = {}
    for t in tokens:
        if t.norm in STOPWORDS or t.norm in EXTRA_STOPWORDS:
            continue
        if not t.is_number and len(t.norm) < 2:
            continue
        out.setdefault(t.norm, t)
    return out


def _vocabularies(followup: Followup) -> tuple[_Vocab, _Vocab]:
    strong = _content(normalize_text(followup.strong.answer))
    weak = _content(normalize_text(followup.weak.answer))
    question = _content(normalize_text(followup.question))

    def vocab(own: dict[str, Token], other: dict[str, Token]) -> _Vocab:
        weights = {s: SHARED_WEIGHT if (s in other or s in question) else 1.0 for s in own}
        return _Vocab(own, weights)

    return vocab(strong, weak), vocab(weak, strong)


def _heard(vocab: _Vocab, tokens: Sequence[Token]) -> dict[str, Occurrence]:
    """Example words said in the answer (matched like phrases: inflection, mishearing)."""
    out = {}
    for stem, tok in vocab.tokens.items():
        occs = find([Pattern(stem, (tok,))], tokens)
        if occs:
            out[stem] = occs[0]
    return out


def _overlap(vocab: _Vocab, hits: dict[str, Occurrence]) -> float:
    total = vocab.total
    return sum(vocab.weights[s] for s in hits) / total if total else 0.0


def _pronouns(transcript: Transcript) -> tuple[list[int], list[int]]:
    """Indices of words that are "I" statements, and of hand-off subjects."""
    owners, hand_offs = [], []
    for i, w in enumerate(transcript.words):
        said = plain_words(w.text)
        if not said:
            continue
        if said[0] in FIRST_PERSON:
            owners.append(i)
        elif said[0] in HAND_OFF:
            hand_offs.append(i)
    return owners, hand_offs


def _headline(
    verdict: str, found: int, listed: int, strong: float, weak: float, owns: bool, spoken: bool
) -> str:
    if not spoken:
        return "weak: no answer heard"
    phrases = f"{found} of {listed} key phrases" if listed else "no key phrases to check"
    who = "told with 'I'" if owns else "no clear 'I' ownership"
    return f"{verdict}: {phrases}, {strong:.0%} like the strong answer vs {weak:.0%} like the weak one, {who}"


def _top_words(vocab: _Vocab, hits: dict[str, Occurrence], transcript: Transcript) -> str:
    ranked = sorted(hits.items(), key=lambda kv: (-vocab.weights[kv[0]], kv[1].first_token))
    shown = []
    for _, occ in ranked:
        word = _trim(transcript.quote(occ.first_word, occ.last_word))
        if word and word.lower() not in (w.lower() for w in shown):
            shown.append(word)
        if len(shown) == MAX_WORDS_SHOWN:
            break
    return ", ".join(f'"{w}"' for w in shown)


def _best_sentence(transcript: Transcript, hits: dict[str, Occurrence]) -> tuple[str, float]:
    """The sentence with the most weak-answer words, quoted (trimmed when long)."""
    best, best_score = None, -1
    for u in units(transcript):
        inside = [o for o in hits.values() if u.first <= o.first_word <= u.last]
        if len(inside) > best_score:
            best, best_score = (u, inside), len(inside)
    assert best is not None
    unit, inside = best
    first, last = unit.first, unit.last
    if last - first + 1 > MAX_QUOTE_WORDS and inside:
        first = max(unit.first, min(o.first_word for o in inside) - 1)  # a word of context
        last = min(unit.last, max(o.last_word for o in inside) + 1)
    return _trim(transcript.quote(first, last)), transcript.words[first].start


def _ownership_reasons(
    transcript: Transcript, owners: list[int], hand_offs: list[int], start_s: float
) -> list[str]:
    words = transcript.words
    out = []
    if owners:
        at = start_s + words[owners[0]].start
        out.append(f'owns it: "{_trim(_clause(transcript, owners[0]))}" at {clock(at)}')
    elif words:
        out.append('no "I" statement: say what you did yourself')
    for i in hand_offs[:2]:
        at = start_s + words[i].start
        out.append(f'hands it off: "{_trim(_clause(transcript, i))}" at {clock(at)}')
    return out


def _clause(transcript: Transcript, i: int, length: int = 3) -> str:
    """The pronoun and up to `length` following words of its sentence."""
    last = i
    for j in range(i, min(len(transcript.words), i + length + 1)):
        last = j
        if transcript.words[j].text.rstrip().endswith((".", "?", "!", ",")):
            break
    return transcript.quote(i, last)


def _trim(text: str) -> str:
    return text.strip().rstrip(".,;:!?").strip()
