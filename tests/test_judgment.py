"""How a key phrase is judged: said, said in other words, or a near-hit that is not counted
(pure functions, no audio). The tables in tests/devset/ are written the way candidates talk;
bench/trust.py prints the same figures against the code before issue 11."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml

from mockvoice.analysis import answer as analysis
from mockvoice.matching import paraphrase
from mockvoice.matching.phrases import judge, makes_claim
from mockvoice.matching.textnorm import normalize
from mockvoice.session import scorecard
from mockvoice.session import store as session
from mockvoice.session.document import new_document
from mockvoice.speech.transcript import Transcript, Word

TABLES = Path(__file__).parent / "devset"
PARAPHRASES = yaml.safe_load((TABLES / "paraphrases.yaml").read_text(encoding="utf-8"))
NEGATIONS = yaml.safe_load((TABLES / "negations.yaml").read_text(encoding="utf-8"))


def judged(phrase: str, heard: str) -> tuple[bool, str | None, str]:
    """(counted, match kind or near-hit kind, quoted words), judged as `analyze` does."""
    words = heard.split()
    breaks = frozenset(i for i, w in enumerate(words) if w[-1] in ",;:.?!")
    hits = judge(phrase, (), normalize(words), breaks)
    counted = [h for h in hits if h.counted]
    hit = counted[0] if counted else (hits[0] if hits else None)
    if hit is None:
        return False, None, ""
    return hit.counted, hit.match, " ".join(words[hit.first_word : hit.last_word + 1])


def test_tables_are_big_enough() -> None:
    assert sum(r["expect"] == "paraphrase" for r in PARAPHRASES) >= 40
    assert sum(r["expect"] == "denied" for r in NEGATIONS) >= 30


def test_close_paraphrases_count_and_most_show_as_in_other_words() -> None:
    close = [r for r in PARAPHRASES if r["expect"] == "paraphrase"]
    results = [(r, *judged(r["phrase"], r["heard"])) for r in close]
    missed = [f"{r['phrase']!r} in {r['heard']!r}" for r, counted, _, _ in results if not counted]
    assert len(missed) <= 0.2 * len(close), "not counted:\n" + "\n".join(missed)
    as_paraphrase = sum(kind == "paraphrase" for _, _, kind, _ in results)
    assert as_paraphrase >= 0.8 * len(close), f"{as_paraphrase} of {len(close)} shown as in other words"


@pytest.mark.parametrize("row", [r for r in PARAPHRASES if r["expect"] == "missed"], ids=lambda r: r["heard"])
def test_a_vaguer_claim_is_not_counted(row: dict) -> None:
    counted, kind, quote = judged(row["phrase"], row["heard"])
    assert not counted, f"{row['phrase']!r} counted as {kind} from {quote!r}"


@pytest.mark.parametrize("row", [r for r in NEGATIONS if r["expect"] == "denied"], ids=lambda r: r["heard"])
def test_a_denied_phrase_is_a_near_hit_with_its_quote(row: dict) -> None:
    counted, kind, quote = judged(row["phrase"], row["heard"])
    assert not counted, f"{row['phrase']!r} counted ({kind}) in {row['heard']!r}"
    assert kind == row["near"], f"{row['heard']!r}: near-hit {kind!r}, expected {row['near']!r}"
    assert quote and quote in row["heard"]


@pytest.mark.parametrize("row", [r for r in NEGATIONS if r["expect"] == "counted"], ids=lambda r: r["heard"])
def test_a_negation_nearby_that_does_not_deny_still_counts(row: dict) -> None:
    counted, kind, quote = judged(row["phrase"], row["heard"])
    assert counted, f"{row['phrase']!r} not counted in {row['heard']!r} ({kind}: {quote!r})"


def test_synonyms_never_chain_from_group_to_group() -> None:
    # "submitted" → "raised" is one group, "raised" → "improved" another: no "I improved".
    texts = {r.text for r in paraphrase.paraphrases("I submitted")}
    assert "i raised" in texts
    assert not any("improved" in t or "boosted" in t for t in texts)


def test_a_concept_is_not_a_claim_an_action_is() -> None:
    assert makes_claim("adopted my pattern")
    assert makes_claim("I traced")
    assert makes_claim("take ownership")
    assert makes_claim("$8K recovered weekly")
    assert makes_claim("proactively monitoring")
    assert not makes_claim("shared visibility")
    assert not makes_claim("organizational gap")
    assert not makes_claim("shared webhook reliability SLO")


def _transcript(text: str) -> Transcript:
    words = [Word(f" {w}", i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(text.split())]
    return Transcript(tuple(words), duration_s=len(words) * 0.4)


def test_session_document_says_how_each_phrase_was_judged(scenario) -> None:
    text = (
        "I noticed a persistent 0.3% drop rate. There was no alerting. Nobody told me to look at it. "
        "I was able to reproduce it locally. We traced it to timeouts. "
        "They did not adopt my pattern."
    )
    doc = analysis.analyze(_transcript(text), scenario)
    by = {k.phrase: k for k in doc.key_phrases}
    assert (by["I noticed"].found, by["I noticed"].match) == (True, "exact")
    assert by["nobody asked me"].match == "paraphrase" and by["nobody asked me"].found
    assert by["I reproduced"].match == "paraphrase"
    assert "was able to" in by["I reproduced"].why
    traced = by["I traced"]
    assert (traced.found, traced.match, traced.heard) == (False, "someone-else", "We traced")
    adopted = by["adopted my pattern"]
    assert (adopted.found, adopted.match) == (False, "negated")
    assert adopted.heard.startswith("not adopt my pattern")
    assert adopted.why == "“not” denies it"
    assert (by["proactively monitoring"].found, by["proactively monitoring"].match) == (False, None)

    plain = scorecard.plain(
        new_document(session.header(mode="analyze", created=datetime.now().astimezone()), doc)
    )
    assert "said as “Nobody told me”" in plain
    assert "adopted my pattern — heard “not adopt my pattern.”" in plain
    assert "not counted: “not” denies it" in plain
    assert "I traced — heard “We traced”" in plain


def test_a_denied_phrase_does_not_place_a_section(scenario) -> None:
    """Only counted phrases steer automatic sectioning: a near-hit is not evidence."""
    doc = analysis.analyze(_transcript("They never adopted my pattern."), scenario)
    adopted = next(k for k in doc.key_phrases if k.phrase == "adopted my pattern")
    assert adopted.match == "negated"
    assert not doc.found_count()


def test_rules_file_loads_and_every_form_has_slots_it_fills() -> None:
    rules = paraphrase.rules()
    assert rules.synonyms and rules.forms and rules.negation.words
    for form in [*rules.forms, *rules.negation.forms]:
        slots = set(paraphrase._form_regex(form.from_).groupindex)
        for to in form.to:
            to.format(**dict.fromkeys(slots, "x"))  # a slot used in `to` but not in `from` raises
