"""Follow-up probes: which to ask after an answer, and how a spoken follow-up answer did.

Pure: data in, data out. `signals` and `choose` read the analyzed answer (`AnswerAnalysis`,
a part of the session document); `judge` reads the transcript of a follow-up answer.

How `judge` decides (every number is a named constant below):

- **Ideas**: the elements of the probe's strong answer, written as ideas with the many ways of
  saying each (`Followup.ideas` in the scenario: "evidence brought" — logs, a design note,
  reproduced it…). Each way is found with the key-phrase matcher (`mockvoice.phrases.judge`:
  inflections, numbers by value, the phrase rules' paraphrases). An idea does not count when
  its words are denied ("I didn't have any tests"), or when the recognizer was unsure of them
  (a word's probability below `LOW_CONFIDENCE`: tiny.en wrote "They're lead approved it").
- **Ownership**: who did the work, clause by clause. An "I" clause is the candidate's own
  action unless it is denied ("I did not have"), a hedge ("I think") or only routes the problem
  ("I sent them a Slack message", "I told their lead"; routing that hands over a fix — "I sent
  them a PR" — is an action). "They"/"someone"/"the team" doing the work ("they handled it")
  is a **hand-off** only when no own action of the candidate's came before it: after "I wrote
  the fix", "they merged it" is the outcome the candidate worked for (as is "they adopted my
  alert"). "We" doing the work shares the credit. The answer *owns* the work when it is told
  with "I" (routing alone is fine when nothing is handed off: "I sent a weekly update"), hands
  nothing off, and has no more "we" actions than "I" ones.
- **Verdict** (a probe with ideas): `weak` for a hand-off, or when fewer than
  `WEAK_IDEA_SHARE` of the ideas were heard; `strong` when at least `STRONG_IDEA_SHARE` were
  heard and the answer owns the work; `partial` otherwise (the right ideas told as "we", or
  only some of them).
- A probe written without ideas (a user's scenario, the question bank) is judged as before on
  its `key_phrases`, each one an idea of its own, together with the overlap with its example
  answers: the content words (stems, stopwords and one-letter words left out) of the strong
  and weak example answers, a word both examples or the question use counting
  `SHARED_WEIGHT`. `strong` when half the key phrases were said (`STRONG_PHRASE_SHARE`) or
  `STRONG_OVERLAP` of the strong example's words, the answer owns the work and is not closer to
  the weak example; `weak` for a hand-off, no strong content, or closer to the weak example
  without strong content; `partial` otherwise.

Every quote used as evidence is a whole clause (`mockvoice.transcript.clause_breaks`, and a
new subject after "and"/"but"/"so"), cut to the words the recognizer was sure of.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from mockvoice.analysis.answer import explain
from mockvoice.analysis.results import (
    AnswerAnalysis,
    FollowupResult,
    FollowupTranscript,
    IdeaResult,
    IdeaStatus,
    saved_words,
)
from mockvoice.clock import clock
from mockvoice.matching import paraphrase
from mockvoice.matching.phrases import OPTIONAL, Heard, Hit, Occurrence, Pattern, find
from mockvoice.matching.phrases import judge as judge_phrase
from mockvoice.matching.textnorm import STOPWORDS, Token, normalize, normalize_text, plain_words, stem
from mockvoice.scenario.model import Followup, Idea, Scenario
from mockvoice.scenario.rules import ownership_words
from mockvoice.speech.transcript import Transcript, clause_breaks, units, word_key

# --- signals -----------------------------------------------------------------------------

TASK_SECTION = "task"  # whose key phrases prove ownership (scope boundary, no assignment)
NO_OWNERSHIP = "no-ownership"
MIN_PHRASE_SHARE = 0.5  # a section with fewer than this share of its phrases found is a signal

# --- judge -------------------------------------------------------------------------------

STRONG_IDEA_SHARE = 0.6  # 3 of 5 ideas (3 of 4) of the strong answer, owned → strong
WEAK_IDEA_SHARE = 0.35  # fewer than this share (1 of 5, 1 of 4) → weak
# Below this word probability the recognizer was unsure: such words are never quoted, and an
# idea heard only in them does not count. On the dev-set transcripts (tiny.en, 7,025 words
# aligned to their scripts) 2.3 % of the correctly heard words fall below 0.5, and 25 % of the
# misheard ones ("Q" for "queue", "webic" for "webhook", "ladder" for "letter").
LOW_CONFIDENCE = 0.5
FUZZY_STEM_LEN = 7  # a way's word this long (as a stem) may be heard misheard
MAX_QUOTE_WORDS = 10  # a longer clause is cut at its joining words ("and", "but", "so") …
LONGEST_QUOTE = 24  # … and one still longer than this to QUOTE_CONTEXT words around its telling ones
QUOTE_CONTEXT = 3
# Words a quote never ends on when it is cut short: they lead into words left out.
_DANGLING_WORDS = """a an the my our their his her its your this these those to of with for in on at by
from into about than as and but or so because which who whose not"""
DANGLING = frozenset(_DANGLING_WORDS.split())

# Probes without ideas: today's key-phrase rules.
STRONG_PHRASE_SHARE = 0.5  # half the probe's key phrases said → strong content
STRONG_OVERLAP = 0.45  # or this share of the strong example's (weighted) words said
WEAK_PHRASE_SHARE = 0.25  # below this share of phrases …
WEAK_STRONG_OVERLAP = 0.2  # … and below this overlap with the strong example: no strong content
SHARED_WEIGHT = 0.25  # weight of a word both examples (or the question) use
MAX_WORDS_SHOWN = 5  # words named in an overlap reason

# Who did the work: the words are data (data/ownership.yaml), read once.
_OWN = ownership_words()


def _stems(words: frozenset[str]) -> frozenset[str]:
    return frozenset(stem(w) for w in words)


EXTRA_STOPWORDS = _OWN.extra_stopwords
FIRST_PERSON = _OWN.first_person
SHARED = _OWN.shared
OTHERS = _OWN.others
AUX = _OWN.aux
MODALS = _OWN.modals
MODAL_TO = _OWN.modal_to
NOT_WORDS = _OWN.negations
CONJUNCTIONS = _OWN.conjunctions
OBJECTS = _OWN.objects


@dataclass(frozen=True)
class _VerbStems:
    routing: frozenset[str]
    fix_words: frozenset[str]
    hedges: frozenset[str]
    work: frozenset[str]


@functools.cache
def _verb_stems() -> _VerbStems:
    """The verb lists as stems, made on first use: stemming loads the lemmatizer's tables
    (about 40 MB), which `mockvoice analyze` must not hold while the recognizer peaks."""
    return _VerbStems(_stems(_OWN.routing), _stems(_OWN.fix_words), _stems(_OWN.hedges), _stems(_OWN.work))


def signals(answer: AnswerAnalysis, scenario: Scenario) -> set[str]:
    """What the answer lacked, as ids a follow-up's `triggers` can name:

    - every flag id raised on the answer (`we-in-action`, `no-number-in-result`, …);
    - every section id whose verdict is `missing`, or which has fewer than half of its key
      phrases found (said anywhere in the answer);
    - `no-ownership` when none of the task section's key phrases was found.
    """
    out = {str(fid) for fid in answer.flag_ids()}
    out |= {s.id for s in answer.sections if s.verdict == "missing"}
    for section_id in answer.phrase_sections():
        if answer.found_count(section_id) < MIN_PHRASE_SHARE * answer.phrase_count(section_id):
            out.add(section_id)
    task_ids = {s.id for s in scenario.sections}
    if (
        TASK_SECTION in task_ids
        and answer.phrase_count(TASK_SECTION)
        and not answer.found_count(TASK_SECTION)
    ):
        out.add(NO_OWNERSHIP)
    return out


def choose(answer: AnswerAnalysis, scenario: Scenario, n: int) -> list[tuple[Followup, list[str]]]:
    """The `n` probes to ask, each with the trigger ids that matched (why it is asked).

    Probes whose triggers match come first, most matching triggers first, ties in scenario
    order; then, if fewer than `n` matched, the other probes in scenario order (reason `[]`).
    No probe is returned twice.
    """
    sig = signals(answer, scenario)
    scored = [(f, [t for t in dict.fromkeys(f.triggers) if t in sig]) for f in scenario.followups]
    matched = sorted((item for item in scored if item[1]), key=lambda item: -len(item[1]))
    rest = [item for item in scored if not item[1]]
    return (matched + rest)[: max(0, n)]


# --- judge -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Said:
    """The words of one answer, as the judging steps need them."""

    transcript: Transcript
    heard: Heard
    breaks: frozenset[int]
    plain: tuple[str, ...]  # each word's first plain word, lowercased ("" for "-")
    start_s: float

    def sure(self, i: int) -> bool:
        return self.transcript.words[i].probability >= LOW_CONFIDENCE

    def at(self, i: int) -> float:
        return round(self.start_s + self.transcript.words[i].start, 2)


def judge(transcript: Transcript, followup: Followup, *, start_s: float = 0.0) -> FollowupResult:
    """Judge a spoken answer to one follow-up probe (see the module docstring for the rules).

    `start_s` is where this answer starts on the session's clock: it is added to every time
    reported (idea times, reasons, words), so a follow-up recorded after the main answer can
    point into the session's timeline. The words judged are all of `transcript`'s.
    """
    words = transcript.words
    said = _said(transcript, start_s)
    ideas = [_judge_idea(idea, said) for idea in followup.judged_ideas()]
    who = _ownership(said)
    found = sum(i.found for i in ideas)
    share = found / len(ideas) if ideas else 0.0
    written = bool(followup.ideas)
    if written:
        verdict, overlaps, overlap_reasons = _idea_verdict(share, who.owns), {}, []
    else:
        verdict, overlaps, overlap_reasons = _phrase_verdict(followup, said, share, who.owns)
    if not words or who.handed_off:
        verdict = "weak"

    what = "ideas of a strong answer" if written else "key phrases"
    reasons = [_headline(f"{found} of {len(ideas)} {what}", who, bool(words))]
    reasons += [_idea_reason(i) for i in ideas]
    reasons += overlap_reasons
    reasons += _ownership_reasons(who, said)
    return FollowupResult(
        id=followup.id,
        question=followup.question,
        probes=followup.probes,
        judged_on="ideas" if written else "key phrases",
        ideas=ideas,
        **overlaps,
        owns=who.owns,
        handed_off=who.handed_off,
        verdict=verdict,
        reasons=reasons,
        takeaway=followup.takeaway,
        transcript=FollowupTranscript(text=transcript.text, words=saved_words(words, start_s)),
    )


def _said(transcript: Transcript, start_s: float = 0.0) -> _Said:
    words = transcript.words
    return _Said(
        transcript,
        Heard(normalize([w.text for w in words])),
        clause_breaks(transcript),
        tuple((plain_words(w.text) or [""])[0] for w in words),
        start_s,
    )


def clause_quote(transcript: Transcript, first: int, last: int) -> str:
    """The whole clause holding words first..last, as follow-up evidence is quoted (cut at
    joining words when long, never ending on a dangling "the"): how the verdict quotes the
    main answer too, where a flag keeps only a window of words ("team, not my")."""
    return _quote(_said(transcript), first, last)[0]


def _idea_verdict(share: float, owns: bool) -> str:
    if share >= STRONG_IDEA_SHARE and owns:
        return "strong"
    return "weak" if share < WEAK_IDEA_SHARE else "partial"


def _headline(counted: str, who: _Who, spoken: bool) -> str:
    """The first reason: what was heard and whose work it was. The verdict is shown beside it
    (the scorecard's "Follow-up — weak: …"), so it is not repeated here."""
    if not spoken:
        return "no answer heard"
    if who.handed_off:
        how = "hands the work off"
    else:
        how = "told with 'I'" if who.owns else "no clear 'I' ownership"
    return f"{counted}, {how}"


# --- ideas ---------------------------------------------------------------------------------


def _judge_idea(idea: Idea, said: _Said) -> IdeaResult:
    """Whether one idea was said: the first clearly heard, undenied way of saying it, quoted by
    its clause (preferring a clause the recognizer was sure of throughout); else a denial or an
    unclear hearing of it, so the candidate sees why it did not count."""
    hits = judge_phrase(idea.ways[0], idea.ways[1:], said.heard, said.breaks)
    counted, near = _sort_hits(hits, said)
    if counted:
        quotes = [(_quote(said, h.first_word, h.last_word), h) for h in counted]
        (quote, _, first), hit = min(quotes, key=lambda q: q[0][1])  # untrimmed first, then earliest
        return _idea(idea, "said", _hit_fields(hit, said) | {"quote": quote, "quote_at_s": said.at(first)})
    if not near:
        return _idea(idea, "missed", {})
    hit, negation = near[0]
    fields = _hit_fields(hit, said)
    if negation is None:
        return _idea(
            idea, "unclear", fields | {"why": "the recognizer was unsure of these words", "heard": None}
        )
    if hit.counted:  # denied here, not by the matcher: say by which word
        word = said.transcript.words[negation].text.strip(" ,.;:!?")
        fields |= {"match": "negated", "why": f"“{word}” denies it"}
    quote, _, first = _quote(said, min(negation, hit.first_word), hit.last_word)
    return _idea(idea, "denied", fields | {"quote": quote, "quote_at_s": said.at(first)})


def _idea(idea: Idea, status: IdeaStatus, heard: dict) -> IdeaResult:
    """One idea's result: its status and what was heard of it (`_hit_fields`, the quote that
    shows it); what was not heard is None."""
    nothing = dict.fromkeys(("match", "why", "at_s", "heard", "quote", "quote_at_s"))
    return IdeaResult(id=idea.id, name=idea.name, found=status == "said", status=status, **(nothing | heard))


def _sort_hits(hits: Sequence[Hit], said: _Said) -> tuple[list[Hit], list[tuple[Hit, int | None]]]:
    """(hits that count, near ones): a near one is (hit, the word that denies it), or (hit, None)
    when the recognizer was unsure of its words. Other near-hits of the matcher ("reversed",
    "someone-else") are one way's noise for an idea, and left out."""
    counted: list[Hit] = []
    near: list[tuple[Hit, int | None]] = []
    for hit in hits:
        if not _exact_enough(hit, said):
            continue
        if hit.match == "negated":
            near.append((hit, hit.first_word))
        elif not hit.counted:
            continue
        elif (negation := _denial(hit, said)) is not None:
            near.append((hit, negation))
        elif not all(said.sure(i) for i in range(hit.first_word, hit.last_word + 1)):
            near.append((hit, None))
        else:
            counted.append(hit)
    return counted, near


def _exact_enough(hit: Hit, said: _Said) -> bool:
    """Whether the words of a way were heard as themselves. The matcher forgives a misheard
    word, which on short words invents ideas ("revenue" in "eventually", "other teams" in
    "their team"), so a short word must be heard as that word (its inflections; a number by
    value), and only long words keep the tolerance ("webbook" for "webhook"). A rule's
    paraphrase of a way must keep two words: one swapped word says too little ("took" for
    "took on" for "adopted")."""
    occ = hit.occurrence
    required = [t for t in normalize_text(occ.pattern) if t.norm not in OPTIONAL]
    if hit.match == "paraphrase" and len(required) < 2:
        return False
    heard = {t.norm for t in said.heard.tokens[occ.first_token : occ.last_token + 1]}
    return all(t.is_number or t.norm in heard or len(t.norm) >= FUZZY_STEM_LEN for t in required)


def _hit_fields(hit: Hit, said: _Said) -> dict:
    """How a way of saying an idea was heard: the fields of `IdeaResult` it gives."""
    t = said.transcript
    return {
        "match": hit.match,
        "why": explain(hit, t),
        "at_s": said.at(hit.first_word),
        "heard": t.quote(hit.first_word, hit.last_word),
    }


def _idea_reason(idea: IdeaResult) -> str:
    """One line per idea: ✓ with the clause that says it, or ✗ with what was heard instead."""
    if idea.found:
        return f'✓ {idea.name}: "{idea.quote}" at {clock(idea.quote_at_s)}'
    if idea.status == "unclear":
        return f"✗ {idea.name}: heard at {clock(idea.at_s)}, but the recognizer was unsure of the words"
    if idea.quote:
        return f'✗ {idea.name}: "{idea.quote}" at {clock(idea.quote_at_s)} does not count ({idea.why})'
    return f"✗ {idea.name}"


@cache
def _negation_seqs() -> tuple[int, tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...], frozenset[str]]:
    """(window, negations, exceptions, clause words) of the phrase rules, normalized like speech;
    plus the matcher's own negation words ("no tests", "none")."""

    rules = paraphrase.rules().negation

    def seqs(texts: Iterable[str]) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(t.norm for t in normalize_text(x)) for x in texts)

    negations = seqs([*rules.words, "no", "none"])
    clause = frozenset(t.norm for w in rules.clause_words for t in normalize_text(w))
    return rules.window, negations, seqs(rules.except_), clause


def _denial(hit: Hit, said: _Said) -> int | None:
    """The word index of a negation that denies a counted hit ("I didn't have any tests"), if
    any: up to the rules' window of meaningful tokens before it, in its clause. The matcher
    denies only phrases that claim an action; an idea's way is always a claim. A way that holds
    a negation itself ("nobody owned it") is never denied."""
    window, negations, exceptions, clause = _negation_seqs()
    way = {t.norm for t in normalize_text(hit.occurrence.pattern)}
    if any(seq[0] in way for seq in negations):
        return None
    tokens = said.heard.tokens
    norms = [t.norm for t in tokens]
    first = hit.occurrence.first_token
    j, counted, candidates = first - 1, 0, []
    while j >= 0 and counted < window:
        if tokens[j].word_index in said.breaks and tokens[j].word_index < tokens[first].word_index:
            break
        candidates.append(j)
        if norms[j] in clause:
            break
        counted += norms[j] not in OPTIONAL and norms[j] != "ani"  # "any" carries no meaning here
        j -= 1
    for i in sorted(candidates):
        for seq in negations:
            excepted = any(tuple(norms[i : i + len(e)]) == e for e in exceptions)
            if tuple(norms[i : i + len(seq)]) == seq and not excepted:
                return tokens[i].word_index
    return None


# --- quotes --------------------------------------------------------------------------------


def _quote(said: _Said, first: int, last: int) -> tuple[str, bool, int]:
    """(quote, trimmed for confidence, first word) of the clause holding words first..last:
    the whole clause, or its stretch around them when long, cut to the words the recognizer
    was sure of (so a misheard "They're" is never quoted)."""
    a, b = _clause_span(said, first, last)
    if b - a + 1 > MAX_QUOTE_WORDS:
        a, b = _narrow(said, a, b, first, last)
    lo, hi = first, last
    while lo > a and said.sure(lo - 1):
        lo -= 1
    while hi < b and said.sure(hi + 1):
        hi += 1
    trimmed = (lo, hi) != (a, b)
    while last < hi < b and word_key(said.transcript.words[hi].text) in DANGLING:  # "it the [doubted]"
        hi -= 1
    while lo < first and said.plain[lo] in CONJUNCTIONS | {""}:
        lo += 1
    return _trim(said.transcript.quote(lo, hi)), trimmed, lo


def _narrow(said: _Said, a: int, b: int, first: int, last: int) -> tuple[int, int]:
    """A long clause cut to the part around words first..last: between the joining words
    ("and", "but", …) nearest them, then to a few words either side if still too long."""
    joins = [k for k in range(a, b + 1) if said.plain[k] in CONJUNCTIONS]
    a = max([k + 1 for k in joins if k < first], default=a)
    b = min([k - 1 for k in joins if k > last], default=b)
    if b - a + 1 > LONGEST_QUOTE:
        a, b = max(a, first - QUOTE_CONTEXT), min(b, last + QUOTE_CONTEXT)
    return a, b


def _clause_span(said: _Said, first: int, last: int) -> tuple[int, int]:
    """The clause around words first..last: from the previous clause break (or a new subject
    after "and"/"but"/"so", or a dash) to the next, without a conjunction at either end."""
    a, b, n = first, last, len(said.plain)
    while a > 0 and a - 1 not in said.breaks and not _new_clause(said, a):
        a -= 1
    while b < n - 1 and b not in said.breaks and not _new_clause(said, b + 1):
        b += 1
    while b > max(a, last) and said.plain[b] in CONJUNCTIONS | {""}:
        b -= 1
    while a < min(b, first) and said.plain[a] in CONJUNCTIONS | {""}:
        a += 1
    return a, b


def _new_clause(said: _Said, k: int) -> bool:
    before, word = said.plain[k - 1], said.plain[k]
    subject = word in FIRST_PERSON | SHARED | OTHERS
    return before == "" or (subject and before in CONJUNCTIONS)


def _trim(text: str) -> str:
    return text.strip().strip("-–— ").rstrip(".,;:!?").strip()


# --- ownership -----------------------------------------------------------------------------


@dataclass
class _Who:
    """Subject word indexes of each kind of clause, in transcript order."""

    own: list[int] = field(default_factory=list)
    routed: list[int] = field(default_factory=list)
    hand_offs: list[int] = field(default_factory=list)
    shared: list[int] = field(default_factory=list)
    outcomes: list[int] = field(default_factory=list)

    @property
    def handed_off(self) -> bool:
        return bool(self.hand_offs)

    @property
    def owns(self) -> bool:
        """Told with "I" (an action, or passing something on: "I sent a weekly update"), nothing
        handed off, and no more "we" actions than "I" ones."""
        mine = len(self.own) + len(self.routed)
        return mine > 0 and not self.hand_offs and len(self.shared) <= mine


def _ownership(said: _Said) -> _Who:
    """Who did the work, clause by clause (see the module docstring). Words the recognizer
    was unsure of are not read as subjects ("They're lead approved it")."""
    who = _Who()
    for i, word in enumerate(said.plain):
        if not said.sure(i):
            continue
        kind = _clause_kind(said, i, word, has_own=bool(who.own))
        if kind is not None:
            getattr(who, kind).append(i)
    return who


def _clause_kind(said: _Said, i: int, word: str, has_own: bool) -> str | None:
    """The `_Who` list a subject at word i belongs to, or None (not a subject, a hedge, a denial,
    "they would merge it")."""
    if word not in FIRST_PERSON | SHARED | OTHERS:
        return None
    verb = _verb(said, i)
    if verb.stem is None or verb.negated:
        return None
    if word in FIRST_PERSON:  # "I would automate it" answers "what would you do?"
        if verb.stem in _verb_stems().hedges and said.plain[verb.at + 1 : verb.at + 2] != (
            "out",
        ):  # "I figured out"
            return None
        if verb.stem in _verb_stems().routing and not _carries_fix(said, i):
            return "routed"
        return "own"
    if verb.modal or verb.stem not in _verb_stems().work:
        return None
    if word in SHARED:
        return "shared"
    return "outcomes" if has_own or _takes_up_mine(said, i) else "hand_offs"


@dataclass
class _Verb:
    """A subject's verb: its stem (None when the subject has no verb in reach), word index, and
    whether it is denied ("I did not have") or modal ("they'd merge it", "someone had to do it")."""

    stem: str | None = None
    at: int = -1
    negated: bool = False
    modal: bool = False


def _verb(said: _Said, i: int) -> _Verb:
    """The first word after subject i, in its clause, that is not an auxiliary or an adverb
    ("I did escalate", "I was able to reproduce", "I mostly passed")."""
    from lemminflect import getAllLemmas

    out, plain = _Verb(), said.plain
    for j in range(i + 1, min(len(plain), i + 7)):
        w, nxt = plain[j], plain[j + 1] if j + 1 < len(plain) else ""
        if w in NOT_WORDS or w.endswith("n't"):
            out.negated = True
            out.modal = out.modal or w[:-3] in MODALS | {"wo", "ca"}
        elif w in MODALS or (w in MODAL_TO and nxt == "to"):
            out.modal = True
        elif not _skipped(w, nxt):
            out.stem, out.at = (stem(w) if "VERB" in getAllLemmas(w) else None), j
            return out
        if j in said.breaks:
            break
    return out


def _skipped(word: str, nxt: str) -> bool:
    """Auxiliaries and adverbs between a subject and its verb; "did"/"had" before an object is
    the verb itself ("their team did the analysis")."""
    from lemminflect import getAllLemmas

    if word in AUX:
        return not (word in ("did", "do", "does", "had", "have", "has") and nxt in OBJECTS)
    return word.endswith("ly") and "VERB" not in getAllLemmas(word)


def _takes_up_mine(said: _Said, i: int) -> bool:
    """Whether others work on the candidate's own thing ("the team rolled out my alert"): the
    outcome of the work, not a hand-off of it."""
    _, last = _clause_span(said, i, i)
    return "my" in said.plain[i : last + 1]


def _carries_fix(said: _Said, i: int) -> bool:
    """Whether the clause of a routing verb hands over a fix ("I sent them a PR with tests")."""
    _, last = _clause_span(said, i, i)
    return any(stem(w) in _verb_stems().fix_words for w in said.plain[i : last + 1])


def _ownership_reasons(who: _Who, said: _Said) -> list[str]:
    if not said.transcript.words:
        return []

    def quoted(i: int) -> str:
        quote, _, first = _quote(said, i, i)
        return f'"{quote}" at {clock(said.at(first))}'

    out = []
    if who.own:
        out.append(f"owns it: {quoted(who.own[0])}")
    elif who.routed and who.hand_offs:
        out.append(f"passes it on: {quoted(who.routed[0])} (say what you did about it yourself)")
    elif who.routed:
        out.append(f"owns it: {quoted(who.routed[0])}")
    else:
        out.append('no "I" action: say what you did yourself')
    out += [f"hands it off: {q}" for q in list(dict.fromkeys(map(quoted, who.hand_offs)))[:2]]
    if who.shared and not who.owns:
        out.append(f'"we" for the work: {quoted(who.shared[0])}')
    return out


# --- probes without ideas: key phrases and the example answers --------------------------------


@dataclass(frozen=True)
class _Vocab:
    """Content words of an example answer: stem → its token (for matching) and its weight."""

    tokens: dict[str, Token]
    weights: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.weights.values())


def _phrase_verdict(
    followup: Followup, said: _Said, share: float, owns: bool
) -> tuple[str, dict[str, float], list[str]]:
    """Today's rule for a probe with key phrases only: the phrase share and the overlap with
    the example answers. Returns the verdict, the overlap fields of `FollowupResult` and the
    reasons for them."""
    tokens = said.heard.tokens
    strong_vocab, weak_vocab = _vocabularies(followup)
    strong_hits = _heard(strong_vocab, tokens)
    weak_hits = _heard(weak_vocab, tokens)
    strong = _overlap(strong_vocab, strong_hits)
    weak = _overlap(weak_vocab, weak_hits)
    strong_content = share >= STRONG_PHRASE_SHARE or strong >= STRONG_OVERLAP
    closer_to_weak = weak > strong
    no_content = share < WEAK_PHRASE_SHARE and strong < WEAK_STRONG_OVERLAP
    if strong_content and owns and not closer_to_weak:
        verdict = "strong"
    elif no_content or (closer_to_weak and not strong_content):
        verdict = "weak"
    else:
        verdict = "partial"
    reasons = [f"{strong:.0%} like the strong answer vs {weak:.0%} like the weak one"]
    if strong_hits:
        shown = _top_words(strong_vocab, strong_hits, said.transcript)
        reasons.append(f"{strong:.0%} of the strong answer's telling words: {shown}")
    weak_specific = {s: o for s, o in weak_hits.items() if weak_vocab.weights[s] == 1.0}
    if weak_specific and (closer_to_weak or verdict != "strong"):
        quote, at = _best_sentence(said, weak_specific)
        reasons.append(f'sounds like the weak answer: "{quote}" at {clock(at)}')
    return verdict, {"strong_overlap": round(strong, 3), "weak_overlap": round(weak, 3)}, reasons


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
    for stem_, tok in vocab.tokens.items():
        occs = find([Pattern(stem_, (tok,))], tokens)
        if occs:
            out[stem_] = occs[0]
    return out


def _overlap(vocab: _Vocab, hits: dict[str, Occurrence]) -> float:
    total = vocab.total
    return sum(vocab.weights[s] for s in hits) / total if total else 0.0


def _top_words(vocab: _Vocab, hits: dict[str, Occurrence], transcript: Transcript) -> str:
    ranked = sorted(hits.items(), key=lambda kv: (-vocab.weights[kv[0]], kv[1].first_token))
    shown: list[str] = []
    for _, occ in ranked:
        word = _trim(transcript.quote(occ.first_word, occ.last_word))
        if word and word.lower() not in (w.lower() for w in shown):
            shown.append(word)
        if len(shown) == MAX_WORDS_SHOWN:
            break
    return ", ".join(f'"{w}"' for w in shown)


def _best_sentence(said: _Said, hits: dict[str, Occurrence]) -> tuple[str, float]:
    """The clause of the sentence with the most weak-answer words, quoted, and its time."""
    best, best_score = None, -1
    for u in units(said.transcript):
        inside = [o for o in hits.values() if u.first <= o.first_word <= u.last]
        if len(inside) > best_score:
            best, best_score = inside, len(inside)
    assert best is not None
    first = min(o.first_word for o in best)
    last = max(o.last_word for o in best)
    quote, _, at = _quote(said, first, last)
    return quote, said.at(at)
