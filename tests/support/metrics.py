"""Score analyses of dev-set answers against their truth (used by the tests and bench/)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    boundary_errors: list[float] = field(default_factory=list)
    missing_agree: int = 0  # sections absent in truth and reported missing
    missing_total: int = 0  # sections absent in truth
    errors: list[str] = field(default_factory=list)  # human-readable mistakes
    word_errors: int = 0
    ref_words: int = 0

    @property
    def wer(self) -> float:
        return self.word_errors / self.ref_words if self.ref_words else 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def median_boundary_error(self) -> float:
        return statistics.median(self.boundary_errors) if self.boundary_errors else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.boundary_errors += other.boundary_errors
        self.missing_agree += other.missing_agree
        self.missing_total += other.missing_total
        self.errors += other.errors
        self.word_errors += other.word_errors
        self.ref_words += other.ref_words


def score(doc, truth: dict) -> Score:
    """Phrase hits against `truth["said"]`; section starts against the truth's (first excluded:
    the answer's start is not a boundary). `doc`: an analysis (`AnswerAnalysis`) or a session
    document, typed or as saved (a dict: what bench/'s baseline, an older mockvoice, makes)."""
    doc = doc if isinstance(doc, dict) else doc.to_dict()
    s = Score()
    ref = _wer_tokens(" ".join(sec["text"] for sec in truth["sections"]))
    hyp = _wer_tokens(doc["transcript"]["text"])
    s.word_errors, s.ref_words = word_errors(ref, hyp), len(ref)
    said = {item["phrase"] for item in truth["said"]}
    for kp in doc["key_phrases"]:
        label = kp["phrase"]
        if kp["found"] and label in said:
            s.tp += 1
        elif kp["found"]:
            s.fp += 1
            s.errors.append(f"{truth['id']}: false hit {label!r} heard {kp['heard']!r} at {kp['at_s']}")
        elif label in said:
            s.fn += 1
            s.errors.append(f"{truth['id']}: missed {label!r}")
    truth_start = {sec["id"]: sec["start_s"] for sec in truth["sections"]}
    first = truth["sections"][0]["id"] if truth["sections"] else None
    for sec in doc["sections"]:
        if sec["id"] not in truth_start:
            s.missing_total += 1
            if sec["start_s"] is None:
                s.missing_agree += 1
            else:
                s.errors.append(f"{truth['id']}: {sec['id']} reported at {sec['start_s']} but absent")
            continue
        if sec["id"] == first:
            continue
        if sec["start_s"] is None:
            s.errors.append(f"{truth['id']}: {sec['id']} reported missing (truth {truth_start[sec['id']]})")
            s.boundary_errors.append(float(truth["duration_s"]))  # worst case
            continue
        err = abs(sec["start_s"] - truth_start[sec["id"]])
        s.boundary_errors.append(err)
        if err > 2.0:
            s.errors.append(
                f"{truth['id']}: {sec['id']} starts {sec['start_s']} (truth {truth_start[sec['id']]})"
            )
    return s


def _wer_tokens(text: str) -> list[str]:
    from mockvoice.matching.textnorm import normalize_text

    return [t.norm for t in normalize_text(text)]


def word_errors(ref: list[str], hyp: list[str]) -> int:
    """Word-level edit distance (after the analysis' own normalization)."""
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(ref, hyp)


def times_said(heard: str, phrase: str) -> int:
    """How often `phrase` occurs in an ASR transcript, read as the analysis reads key phrases
    (case, punctuation, "webbook", "twenty"/"20", inflection): exact substrings of ASR text
    differ from one synthesis or machine to the next."""
    from mockvoice.matching.phrases import compile_patterns, find
    from mockvoice.matching.textnorm import normalize_text

    return len(find(compile_patterns(phrase), normalize_text(heard)))


def flattened(transcript):
    """The transcript as tiny.en sometimes writes it (seen in CI): lower case, no sentence ends,
    and each word starting where the one before ended, so no pause shows in the word times."""
    import dataclasses

    from mockvoice.speech.transcript import Word

    words, prev_end = [], None
    for w in transcript.words:
        text = w.text if w.text.strip() == "I" else w.text.rstrip(".?!,").lower()
        words.append(Word(text, w.start if prev_end is None else prev_end, w.end, w.probability))
        prev_end = w.end
    return dataclasses.replace(transcript, words=tuple(words))
