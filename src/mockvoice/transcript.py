"""The transcript as data: timed words from any recognizer, and sentence-like units."""

from __future__ import annotations

from dataclasses import dataclass, field

SENTENCE_END = (".", "?", "!")
UNIT_GAP_S = 0.8  # a pause this long ends a unit even without punctuation


@dataclass(frozen=True)
class Word:
    text: str  # as the recognizer wrote it, with its leading space
    start: float
    end: float
    probability: float = 1.0


@dataclass(frozen=True)
class Transcript:
    words: tuple[Word, ...]
    duration_s: float  # of the whole recording, silence included
    language: str = "en"
    model: str = ""
    meta: dict = field(default_factory=dict, compare=False)

    @property
    def text(self) -> str:
        return "".join(w.text for w in self.words).strip()

    def quote(self, first: int, last: int) -> str:
        return "".join(w.text for w in self.words[first : last + 1]).strip()

    def words_between(self, start_s: float, end_s: float) -> range:
        """Indices of words whose start lies in [start_s, end_s)."""
        idx = [i for i, w in enumerate(self.words) if start_s <= w.start < end_s]
        return range(idx[0], idx[-1] + 1) if idx else range(0)


@dataclass(frozen=True)
class Unit:
    """A sentence (or pause-delimited stretch) of words: the grain of automatic sectioning."""

    first: int
    last: int
    start: float
    end: float


def units(transcript: Transcript) -> list[Unit]:
    out: list[Unit] = []
    words = transcript.words
    first = 0
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        ends = w.text.rstrip().endswith(SENTENCE_END)
        gap = nxt is not None and nxt.start - w.end >= UNIT_GAP_S
        if nxt is None or ends or gap:
            out.append(Unit(first, i, words[first].start, w.end))
            first = i + 1
    return out
