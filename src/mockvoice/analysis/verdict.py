"""The overall verdict, in the voice of the bar raiser's note:

    "Sounds competent but fails on content. Uses 'we' and 'they' throughout Action. Zero
    quantification. Leaning No Hire for Ownership."

(the principle is named only when one was given with `--lp`)

Pure and rule-based: the analyzed answer (`analysis.answer.analyze`'s `AnswerAnalysis`) and the
judged follow-ups (`followups.judge`) in, a `FinalVerdict` with the evidence for it out. No score is hidden:
every reason quotes the flags, phrases, section verdicts or follow-up answers it rests on.

The rules
---------

Two **content checks** carry the verdict (the note's complaints):

- *Ownership* fails when none of the Task's key phrases was said (no scope boundary, no
  "nobody asked me"), or fewer than `OWNERSHIP_ACTION_SHARE` of the Action's "I" phrases were
  said, or the Action has more than `WE_FLAGS_TOLERATED` `we-in-action` flags.
- *Quantification* fails when the Result is missing or has a `no-number-in-result` flag.

A follow-up answer judged `strong` whose probe is triggered by a failed check's ids
(`CHECK_SIGNALS`) *recovers* that check; one judged `weak` *confirms* the failure.

**Fair to a strong main answer.** One follow-up rating must not sink an answer that passed
both checks: a `weak` follow-up on a point the main answer had covered only blocks Strong Hire
when it is a *real* gap — the work handed off ("I sent them a Slack message and they handled
it"), or none of the strong answer's ideas heard at all (`_real_gap`). A thin one (some of the
ideas, no hand-off) is reported, not counted as a concern. Follow-ups judged before ideas existed
carry no such detail, and each `weak` among them counts as a real gap, as it always did.

**Minor concerns**, one per kind however many flags it has: a vague ending (`vague-ending`), a
generic reflection, a missing Reflection, a missing Situation, each section over its time, the
whole answer over its budget, delivery (fillers, long pauses, slow start, pace), weak
follow-ups that are a real gap on probes whose check passed, and each content check recovered
only in a follow-up (the candidate needed prompting). A section `under` its target is reported,
not counted.

The **verdict**, first rule that applies:

1. *No Hire*: fewer than `MIN_CORE_SECTIONS` of Situation/Task/Action/Result were found (no
   story to judge); or both content checks fail and a weak follow-up confirms one; or a
   content check fails and `NO_HIRE_WEAK_FOLLOWUPS` or more follow-ups were weak.
2. *Leaning No Hire*: a content check fails, or there are `MINORS_LEANING_NO_HIRE` or more
   minor concerns.
3. *Strong Hire*: both checks pass on the main answer alone, key-phrase coverage is at least
   `STRONG_HIRE_COVERAGE`, at most `STRONG_HIRE_MAX_MINORS` minor concerns, no follow-up that
   is a real gap.
4. *Leaning Hire*: otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from mockvoice.analysis.flags import FlagId
from mockvoice.analysis.followups import DANGLING, NO_OWNERSHIP, clause_quote
from mockvoice.analysis.results import (
    AnswerAnalysis,
    FinalVerdict,
    FlagResult,
    FollowupResult,
    HireVerdict,
    KeyPhraseResult,
    SectionResult,
)
from mockvoice.clock import clock
from mockvoice.matching.textnorm import plain_words
from mockvoice.scenario.model import Scenario
from mockvoice.speech.transcript import Transcript, Word

OWNERSHIP_ACTION_SHARE = 0.5  # of the Action's key phrases ("I pulled", "I traced", …)
WE_FLAGS_TOLERATED = 1  # one "we" sentence in the Action is a slip; two is a pattern
MIN_CORE_SECTIONS = 2  # of situation/task/action/result found, or there is no story
NO_HIRE_WEAK_FOLLOWUPS = 2
MINORS_LEANING_NO_HIRE = 4
STRONG_HIRE_COVERAGE = 0.75  # share of all key phrases said
STRONG_HIRE_MAX_MINORS = 1
MAX_QUOTED = 3  # flags quoted per kind; the rest are counted

CORE_SECTIONS = ("situation", "task", "action", "result")
# Which analysis signals (flag ids, section ids; see followups.signals) each check is about:
# a follow-up whose triggers name one of them probes that check.
CHECK_SIGNALS = {
    "ownership": frozenset(["task", "action", NO_OWNERSHIP, FlagId.WE_IN_ACTION]),
    "quantification": frozenset(["result", FlagId.NO_NUMBER_IN_RESULT]),
}
FLUENCY_FLAGS = (FlagId.FILLER, FlagId.LONG_PAUSE, FlagId.SLOW_START)
PACE_FLAGS = (FlagId.PACE_SLOW, FlagId.PACE_FAST)
PLURAL = frozenset(["we", "we're", "we've", "we'd", "our", "us", "they", "they're", "them", "their"])


@dataclass
class _Check:
    name: str
    failed: bool
    evidence: list[str] = field(default_factory=list)
    recovered_by: list[str] = field(default_factory=list)
    confirmed_by: list[str] = field(default_factory=list)

    @property
    def fails(self) -> bool:
        return self.failed and not self.recovered_by


def final(
    answer: AnswerAnalysis, followup_results: Sequence[FollowupResult], scenario: Scenario
) -> FinalVerdict:
    """An overall verdict for a rehearsal, with its summary and reasons (see the module docstring
    for the rules)."""
    answer = _whole_clauses(answer)
    sections = {s.id: s for s in answer.sections}
    names = {s.id: s.name for s in scenario.sections} | {k: s.name for k, s in sections.items()}

    def present(section_id: str) -> bool:
        s = sections.get(section_id)
        return s is not None and s.verdict != "missing"

    ownership = _ownership(answer, names)
    quant = _quantification(answer, present("result"), "result" in sections)
    checks = [ownership, quant]

    triggers = {f.id: set(f.triggers) for f in scenario.followups}
    fu_reasons, loose_weak, loose_real = [], 0, 0
    for r in followup_results:
        probed = [c for c in checks if triggers.get(r.id, set()) & CHECK_SIGNALS[c.name]]
        label = f'Follow-up "{r.id}" ({r.verdict})'  # the evidence does not repeat the verdict
        fu_reasons.append(f"{label}: {_followup_evidence(r)}")
        for c in probed:
            if c.failed and r.verdict == "strong":
                c.recovered_by.append(r.id)
            elif c.failed and r.verdict == "weak":
                c.confirmed_by.append(r.id)
        if r.verdict == "weak" and not any(c.failed for c in probed):
            loose_weak += 1
            loose_real += _real_gap(r)

    minors = _minor_concerns(answer, sections, present)
    if loose_real:
        minors.append(f"{_count(loose_real, 'weak follow-up answer')} on points the main answer had covered")
    thin = loose_weak - loose_real
    noted = [f"{_count(thin, 'thin follow-up answer')} on points the main answer had covered"] if thin else []
    # A check recovered in a follow-up is a minor concern too (its reason is with the check).
    n_minor = len(minors) + sum(bool(c.recovered_by) for c in checks)

    found, listed = answer.found_count(), answer.phrase_count()
    coverage = found / listed if listed else 0.0
    core_present = sum(present(s) for s in CORE_SECTIONS if s in sections)
    weak_fus = sum(r.verdict == "weak" for r in followup_results)
    real_gaps = sum(_real_gap(r) for r in followup_results)
    failing = [c for c in checks if c.fails]

    no_story = bool(sections) and core_present < MIN_CORE_SECTIONS
    all_fail_confirmed = len(failing) == len(checks) and any(c.confirmed_by for c in failing)
    fail_and_weak_followups = bool(failing) and weak_fus >= NO_HIRE_WEAK_FOLLOWUPS
    verdict: HireVerdict
    if no_story or all_fail_confirmed or fail_and_weak_followups:
        verdict = "No Hire"
    elif failing or n_minor >= MINORS_LEANING_NO_HIRE:
        verdict = "Leaning No Hire"
    elif (
        not any(c.failed for c in checks)
        and coverage >= STRONG_HIRE_COVERAGE
        and n_minor <= STRONG_HIRE_MAX_MINORS
        and real_gaps == 0
    ):
        verdict = "Strong Hire"
    else:
        verdict = "Leaning Hire"

    reasons = []
    for c in sorted(checks, key=lambda c: not c.fails):
        reasons += c.evidence
        if c.recovered_by:
            reasons.append(f"{c.name.title()} came out only when asked: {_probes(c.recovered_by)}")
        if c.confirmed_by:
            reasons.append(f"{c.name.title()} gap confirmed by {_probes(c.confirmed_by)}")
    reasons += fu_reasons
    reasons += minors + noted
    reasons.append(_coverage_reason(answer, names))
    if sections:
        reasons.append(_sections_reason(answer.sections))

    return FinalVerdict(
        verdict=verdict,
        summary=_one_line(_summary(verdict, answer, checks, minors)),
        reasons=[_one_line(r) for r in reasons],
    )


# --- checks ------------------------------------------------------------------------------


def _ownership(answer: AnswerAnalysis, names: dict[str, str]) -> _Check:
    task = answer.phrases_of("task")
    action = answer.phrases_of("action")
    we = answer.flags_of(FlagId.WE_IN_ACTION)
    task_found = [kp for kp in task if kp.found]
    action_found = [kp for kp in action if kp.found]
    action_share = len(action_found) / len(action) if action else 1.0
    no_boundary = bool(task) and not task_found
    thin_action = action_share < OWNERSHIP_ACTION_SHARE
    too_plural = len(we) > WE_FLAGS_TOLERATED
    check = _Check("ownership", no_boundary or thin_action or too_plural)

    if no_boundary:
        listed = ", ".join(f'"{kp.phrase}"' for kp in task)
        check.evidence.append(
            f"No ownership proof: none of the {names.get('task', 'Task')} phrases said ({listed})"
        )
    elif task_found:
        check.evidence.append(f"Ownership stated: {_said(task_found)}")
    for f in we[:MAX_QUOTED]:
        check.evidence.append(f'Says "{_plural_word(f)}" in the Action at {clock(f.at_s)}: "{f.quote}"')
    if len(we) > MAX_QUOTED:
        check.evidence.append(f"… and {len(we) - MAX_QUOTED} more Action sentences with we/they")
    if action:
        where = names.get("action", "Action")
        if action_found:
            detail = f"{len(action_found)} of {len(action)} 'I' phrases said, e.g. {_said(action_found[:2])}"
        else:
            missed = ", ".join(f'"{kp.phrase}"' for kp in action[:4])
            detail = f"none of its {len(action)} 'I' phrases said ({missed}…)"
        check.evidence.append(f"{where}: {detail}")
    return check


def _quantification(answer: AnswerAnalysis, present: bool, known: bool) -> _Check:
    no_number = answer.flags_of(FlagId.NO_NUMBER_IN_RESULT)
    check = _Check("quantification", bool(no_number) or (known and not present))
    if known and not present:
        check.evidence.append("Zero quantification: no Result section found")
    for f in no_number[:1]:
        check.evidence.append(f'Zero quantification: no number in the Result at {clock(f.at_s)}: "{f.quote}"')
    if not check.failed:
        found = [kp for kp in answer.phrases_of("result") if kp.found]
        if found:
            check.evidence.append(f"Impact quantified: {_said(found)}")
        else:
            check.evidence.append("The Result has a number, but none of its key phrases was said")
    return check


def _minor_concerns(answer: AnswerAnalysis, sections: dict[str, SectionResult], present) -> list[str]:
    """One entry per concern (several flags of one kind are one concern, quoted together)."""
    out = []
    for fid, what in (
        (FlagId.VAGUE_ENDING, "Vague ending"),
        (FlagId.GENERIC_REFLECTION, "Generic reflection"),
    ):
        if flags := answer.flags_of(fid):
            out.append(f"{what}: {_quotes(flags)}")
    for sid in ("situation", "reflection"):
        if sid in sections and not present(sid):
            out.append(f"{sections[sid].name} missing")
    for s in answer.sections:
        if s.verdict == "over":
            out.append(f"{s.name} runs long: {s.duration_s:.0f} s of {s.target_s:.0f} s")
    total = answer.total
    if total.verdict == "over":
        out.append(f"Over time: {clock(total.speaking_s)} ({total.budget_text})".strip())
    delivery = [f for fid in (*FLUENCY_FLAGS, *PACE_FLAGS) for f in answer.flags_of(fid)]
    if delivery:
        shown = "; ".join(
            f.message + (f' at {clock(f.at_s)}: "{f.quote}"' if f.quote else "")
            for f in delivery[:MAX_QUOTED]
        )
        out.append(f"Delivery: {shown}")
    return out


# --- wording -----------------------------------------------------------------------------


def _whole_clauses(answer: AnswerAnalysis) -> AnswerAnalysis:
    """The answer with each flag's quote and each key phrase's words widened or cut to their
    whole clause in the answer's transcript (a flag keeps a window of words, "team, not my";
    a phrase only the words matched). Without words (a hand-made analysis) the quotes are kept
    as they are."""
    said = _spoken(answer)
    if said is None:
        return answer

    def clause(at_s: float | None, words: str | None, whole: bool) -> str | None:
        if at_s is None or not words:
            return words
        first = _word_at(said, at_s)
        last = min(len(said.words) - 1, first + len(words.split()) - 1) if whole else first
        return clause_quote(said, first, last)

    flags = [f.model_copy(update={"quote": clause(f.at_s, f.quote, False)}) for f in answer.flags]
    phrases = [
        kp.model_copy(update={"heard": clause(kp.at_s, kp.heard, True)}) if _fragment(kp.heard) else kp
        for kp in answer.key_phrases
    ]
    return answer.model_copy(update={"flags": flags, "key_phrases": phrases})


def _fragment(heard: str | None) -> bool:
    """Whether a key phrase's matched words are a piece of two clauses ("team, not my") or end
    leading into words left out; a whole phrase ("0.3% to zero") is quoted as heard."""
    if not heard:
        return False
    words = heard.rstrip(".!?").split()
    return any(w.endswith((",", ";", ":")) for w in words[:-1]) or words[-1].lower() in DANGLING


def _spoken(answer: AnswerAnalysis) -> Transcript | None:
    """The answer's stored transcript (words without their spacing) as the recognizer wrote it."""
    words = answer.transcript.words
    if not words:
        return None
    gaps = answer.transcript.gaps()
    return Transcript(
        tuple(Word(gap + w.text, w.start, w.end, w.probability) for gap, w in zip(gaps, words, strict=True)),
        words[-1].end,
    )


def _word_at(said: Transcript, at_s: float) -> int:
    """The word being said at `at_s` (a flag's or phrase's time), else the nearest one."""
    return min(
        range(len(said.words)),
        key=lambda i: (not said.words[i].start <= at_s <= said.words[i].end, abs(said.words[i].start - at_s)),
    )


def _probes(ids: Sequence[str]) -> str:
    """'the follow-up "impact"' / 'the follow-ups "impact" and "influence"'."""
    named = " and ".join(f'"{i}"' for i in ids)
    return f"the follow-up{'s' if len(ids) > 1 else ''} {named}"


def _quotes(flags: list[FlagResult]) -> str:
    shown = ", ".join(f'"{f.quote}" at {clock(f.at_s)}' for f in flags[:MAX_QUOTED])
    more = len(flags) - MAX_QUOTED
    return shown + (f" and {more} more" if more > 0 else "")


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _said(kps: list[KeyPhraseResult]) -> str:
    # the words as heard, without the punctuation that ended their clause ("not my team,")
    return ", ".join(f'"{(kp.heard or kp.phrase).rstrip(",;:.")}" at {clock(kp.at_s)}' for kp in kps)


def _plural_word(flag: FlagResult) -> str:
    for w in plain_words(flag.quote):
        if w in PLURAL:
            return w
    return "we"


def _real_gap(result: FollowupResult) -> bool:
    """A weak follow-up that shows a real gap: the work handed off, or none of the strong
    answer's ideas heard. A result judged before ideas existed (no `ideas`) counts as one."""
    if result.verdict != "weak":
        return False
    if result.handed_off or result.ideas is None:
        return True
    return not any(i.found for i in result.ideas)


# Which reasons of a follow-up to quote as evidence, most telling first: what was said for a
# strong answer (✓ lines; "said …" in sessions from before ideas), what was missing otherwise.
STRONG_EVIDENCE = ("✓", "said")
WEAK_EVIDENCE = ("hands it off", "passes it on", "sounds like", "✗")


def _followup_evidence(result: FollowupResult) -> str:
    reasons = result.reasons
    prefer = WEAK_EVIDENCE if result.verdict != "strong" else STRONG_EVIDENCE
    ranked = sorted(
        (r for r in reasons[1:] if r.startswith(prefer)),
        key=lambda r: next(k for k, p in enumerate(prefer) if r.startswith(p)),
    )
    headline = [_without_verdict(r, result.verdict) for r in reasons[:1]]
    return "; ".join([h for h in headline if h] + ranked[:2]) or result.verdict


def _without_verdict(headline: str, verdict: str) -> str:
    """A follow-up's headline without a leading "weak: " (sessions saved before issue 15 began
    with it), as the verdict already names it: never "(weak): weak: 0 of 4"."""
    prefix = f"{verdict}:"
    return headline[len(prefix) :].strip() if headline.lower().startswith(prefix.lower()) else headline


def _one_line(text: str) -> str:
    """Text as one line: the terminal, the report and Markdown wrap it to their own width."""
    return " ".join(text.split())


def _coverage_reason(answer: AnswerAnalysis, names: dict[str, str]) -> str:
    parts = [
        f"{names.get(sid, sid)} {answer.found_count(sid)}/{answer.phrase_count(sid)}"
        for sid in answer.phrase_sections()
    ]
    return f"Key phrases said: {answer.found_count()} of {answer.phrase_count()} ({', '.join(parts)})"


def _sections_reason(sections: list[SectionResult]) -> str:
    parts = []
    for s in sections:
        if s.verdict == "missing":
            parts.append(f"{s.name} missing")
        else:
            parts.append(f"{s.name} {s.duration_s:.0f} s of {s.target_s:.0f} s ({s.verdict})")
    return "Sections: " + ", ".join(parts)


def _summary(verdict: HireVerdict, answer: AnswerAnalysis, checks: list[_Check], minors: list[str]) -> str:
    """One or two sentences: the impression and the gaps, then the verdict (for the principle
    given with `--lp`; no principle is named when none was)."""
    ownership, quant = checks
    lp = answer.principle_framing.name if answer.principle_framing else None
    closing = f"{verdict} for {lp}." if lp else f"{verdict}."
    fluent = not any(answer.flags_of(fid) for fid in FLUENCY_FLAGS)

    gaps = []
    we = answer.flags_of(FlagId.WE_IN_ACTION)
    if ownership.fails:
        if we:
            said = {_pronoun_family(_plural_word(f)) for f in we}
            quoted = " and ".join(f"'{w}'" for w in ("we", "they") if w in said)
            where = "throughout the Action" if len(we) > WE_FLAGS_TOLERATED else "in the Action"
            gaps.append(f"uses {quoted} {where}")
        task = answer.phrases_of("task")
        if task and not any(kp.found for kp in task):
            gaps.append("no scope boundary or proof of initiative")
        elif not we:
            gaps.append("the Action does not say what you did yourself")
    if quant.fails:
        gaps.append("zero quantification")
    vague = answer.flags_of(FlagId.VAGUE_ENDING)
    if vague:
        gaps.append(f"ends on '{vague[-1].quote}'")
    recovered = [c.name for c in checks if c.recovered_by]
    if recovered:
        gaps.append(f"{' and '.join(recovered)} only came out in the follow-up")
    confirmed = [c.name for c in checks if c.fails and c.confirmed_by]
    if confirmed:
        gaps.append(
            f"the follow-up confirms the {' and '.join(confirmed)} gap{'s' if len(confirmed) > 1 else ''}"
        )

    if any(c.fails for c in checks):
        opener = (
            "Sounds competent but fails on content" if fluent else "Fails on content, with a halting delivery"
        )
    elif recovered:
        opener = "Gets there only when probed"
    elif verdict == "Strong Hire":
        opener = "Clear ownership and quantified impact"
        gaps = ["scope boundary stated, 'I' through the Action, numbers in the Result", *gaps]
    elif verdict == "Leaning Hire":
        opener = "Ownership and impact come through, with gaps"
    else:
        opener = "The content holds, but too many rough edges"
    if not gaps and minors:
        gaps = [minors[0][0].lower() + minors[0][1:]]
    body = f"{opener}: {', '.join(gaps)}." if gaps else f"{opener}."
    return f"{body} {closing}"


def _pronoun_family(word: str) -> str:
    return "we" if word in ("we", "we're", "we've", "we'd", "our", "us") else "they"
