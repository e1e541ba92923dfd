"""What the candidate reads (issue 15, points 4 and 8): transcript text joined as the recognizer
wrote it ("0.3%", "cross-team", "$8K"), and verdict and follow-up text written for the
candidate (no jargon for options not given, no repeated words, whole-clause quotes, no hard
newlines)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from tests.support.docs import WEAK_FLAGS, framing, make_doc

from mockvoice.analysis import answer as analysis
from mockvoice.analysis import followups, verdict
from mockvoice.analysis.results import FollowupResult
from mockvoice.session import archive, export
from mockvoice.session import store as session
from mockvoice.session.document import TimedWord, spacing
from mockvoice.speech.transcript import Transcript, Word, join

# How whisper (faster-whisper's word timestamps) splits numbers, money and hyphenated words:
# a word with no leading space belongs to the one before it.
RESULT_TOKENS = (
    " The drop rate went from",
    " 0",
    ".3",
    "%",
    " to zero, and we recovered",
    " $8",
    "K",
    " a week with a",
    " cross",
    "-team",
    " alert",
    " the",
    " team's",
    " owners",
    " adopted.",
)


def whisper_words(tokens: tuple[str, ...], start_s: float = 0.0, per_word: float = 0.3) -> list[Word]:
    """Words as the recognizer writes them: each token split on its spaces, keeping the space
    before each word, and a token that starts without one kept glued to the word before."""
    pieces = [(" " if k or t.startswith(" ") else "") + w for t in tokens for k, w in enumerate(t.split())]
    return [
        Word(text, start_s + i * per_word, start_s + (i + 0.8) * per_word, 0.9)
        for i, text in enumerate(pieces)
    ]


def test_join_glues_the_recognizers_tokens() -> None:
    assert join(w.text for w in whisper_words((" 0", ".3", "%", " cross", "-team", " $8", "K"))) == (
        "0.3% cross-team $8K"
    )


def test_spacing_recovers_the_glue_of_stripped_words() -> None:
    words = whisper_words(RESULT_TOKENS)
    text = join(w.text for w in words)
    stored = [
        TimedWord(text=w.text.strip(), start=w.start, end=w.end, probability=w.probability) for w in words
    ]
    gaps = spacing(stored, text)
    assert "".join(g + w.text for g, w in zip(gaps, stored, strict=True)) == text
    # Without the text (or a text that differs), a word that starts like a word's tail is glued.
    guessed = spacing(stored, "")
    spelled = "".join(g + w.text for g, w in zip(guessed, stored, strict=True))
    assert "0.3%" in spelled and "cross-team" in spelled and "team's" in spelled


def test_the_markdown_and_subtitle_exports_keep_numbers_and_hyphens_whole(scenario, tmp_path: Path) -> None:
    before = " ".join(s.strong_example for s in scenario.sections[:3])
    opening = whisper_words(tuple(" " + w for w in before.split()))
    result = whisper_words(RESULT_TOKENS, start_s=opening[-1].end + 0.2)
    words = (*opening, *result)
    transcript = Transcript(tuple(words), words[-1].end + 1.0, model="tiny.en (test)")
    folder, _ = archive.save(
        tmp_path / "recordings", analysis.analyze(transcript, scenario), mode="analyze", audio_src=None
    )
    doc = session.load_document(folder)
    md = export.export(doc, "md")
    srt = export.export(doc, "srt")
    for text in (md, srt):
        assert "0.3%" in text and "cross-team" in text and "$8K" in text and "team's" in text, text
        assert "0 .3" not in text and ".3 %" not in text and "cross -team" not in text and "$8 K" not in text


# --- the verdict, written for the candidate ---------------------------------------------------


def weak_followup(scenario) -> FollowupResult:
    probe = next(f for f in scenario.followups if f.id == "influence")
    said = whisper_words(tuple(" " + w for w in probe.weak.answer.split()))
    return followups.judge(Transcript(tuple(said), said[-1].end + 0.5), probe)


def test_no_lp_given_names_no_principle_and_one_given_is_named(scenario) -> None:
    doc = make_doc(scenario, found={"I noticed"}, flags=WEAK_FLAGS, missing=("task", "reflection"))
    plain = verdict.final(doc, [], scenario)
    assert "LP" not in plain.summary and plain.summary.endswith(f"{plain.verdict}.")
    framed = verdict.final(doc.with_parts(principle_framing=framing("Ownership")), [], scenario)
    assert framed.summary.endswith(f"{framed.verdict} for Ownership.")


def test_no_repeated_word_in_a_follow_up_reason(scenario) -> None:
    doc = make_doc(scenario, found={"I noticed"}, flags=WEAK_FLAGS, missing=("task", "reflection"))
    judged = weak_followup(scenario)
    assert judged.verdict == "weak" and not judged.reasons[0].startswith("weak")
    result = verdict.final(doc, [judged], scenario)
    fu = next(r for r in result.reasons if r.startswith('Follow-up "influence"'))
    assert fu.startswith('Follow-up "influence" (weak): 0 of ') and "weak: weak" not in fu
    for text in (result.summary, *result.reasons):
        words = [w.lower().strip('",.:;()') for w in text.split()]
        assert all(a != b or not a.isalpha() for a, b in itertools.pairwise(words)), text


def test_no_newline_inside_a_reason_or_the_summary(scenario) -> None:
    flags = (("we-in-action", "They looked into it\nand fixed the problem.", 5.2, "action"), *WEAK_FLAGS[1:])
    doc = make_doc(scenario, found={"I noticed"}, flags=flags, missing=("task",))
    result = verdict.final(doc, [weak_followup(scenario)], scenario)
    for text in (result.summary, *result.reasons):
        assert "\n" not in text and "  " not in text, text


# --- quotes are whole clauses ----------------------------------------------------------------


def quotes_in(texts) -> list[str]:
    return [q for t in texts for q in re.findall(r'"([^"]+)"', t)]


def test_a_quote_cut_at_a_doubted_word_does_not_end_on_the() -> None:
    words = whisper_words((" He approved it and they merged it the same day.",))
    doubted = tuple(w if w.text != " same" else Word(w.text, w.start, w.end, 0.2) for w in words)
    said = Transcript(doubted, doubted[-1].end)
    assert followups.clause_quote(said, 4, 6) == "they merged it"  # not "they merged it the"


def test_the_verdict_quotes_flags_and_fragments_by_their_whole_clause(scenario) -> None:
    """The analysis keeps a window of words for some flags ("… the team was happy with") and
    the matched words for a phrase ("team, not my"); the verdict quotes their clauses."""
    text = (
        "I noticed payment webhooks failing. It was the Platform team, not my team, so I took it on. "
        "They looked into it and fixed the problem. I think it improved the system and the team was "
        "happy with the result."
    )
    words = whisper_words(tuple(" " + w for w in text.split()))
    doc = analysis.analyze(Transcript(tuple(words), words[-1].end + 0.5), scenario)
    windows = [f.quote for f in doc.flags]
    assert any(q and q.split()[-1] in followups.DANGLING for q in windows), windows  # the analysis' window
    boundary = next(kp for kp in doc.key_phrases if kp.phrase == "not my team")
    i = next(k for k, w in enumerate(doc.transcript.words) if w.text == "team,")
    at = doc.transcript.words[i].start
    heard = boundary.with_parts(found=True, heard="team, not my", at_s=at)
    doc = doc.with_parts(key_phrases=[heard if kp is boundary else kp for kp in doc.key_phrases])
    result = verdict.final(doc, [], scenario)
    quotes = quotes_in([result.summary, *result.reasons])
    assert "team, not my" not in quotes and "It was the Platform team, not my team" in quotes, quotes
    for q in quotes:
        assert q.split()[-1].lower().strip(",") not in followups.DANGLING, q
        assert "\n" not in q
