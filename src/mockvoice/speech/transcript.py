"""The transcript as data: timed words from any recognizer, and sentence-like units."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

SENTENCE_END = (".", "?", "!")
CLAUSE_END = (",", ";", ":", *SENTENCE_END)
UNIT_GAP_S = 0.8  # a pause this long ends a unit even without punctuation
# tiny.en now and then writes a stretch with no punctuation and word times that leave no gaps;
# a unit that long is split where the voice-activity detector heard the speaker pause.
LONG_UNIT_S = 10.0


# A word stored without its spacing that starts with one of these belongs to the word before
# it (".3" after "0", "%", "-team", "'s", ","): what `spacing` assumes when the text is no help.
GLUED_START = (".", ",", ";", ":", "!", "?", "%", ")", "]", "}", "'", "’", "-")


@dataclass(frozen=True)
class Word:
    text: str  # as the recognizer wrote it, with its leading space
    start: float
    end: float
    probability: float = 1.0


@dataclass(frozen=True)
class Hesitation:
    """An "um" or "uh" heard in the audio that the recognizer wrote no word for
    (`mockvoice.fillers`): counted and shown as heard, not transcribed."""

    start: float
    end: float
    text: str  # "um" or "uh"


@dataclass(frozen=True)
class Transcript:
    words: tuple[Word, ...]
    duration_s: float  # of the whole recording, silence included
    language: str = "en"
    model: str = ""
    meta: dict = field(default_factory=dict, compare=False)
    pauses: tuple[tuple[float, float], ...] = ()  # (start_s, end_s) of silences the VAD heard
    fillers: tuple[Hesitation, ...] = ()  # hesitations heard in the audio, not in `words`

    @property
    def text(self) -> str:
        return join(w.text for w in self.words)

    def quote(self, first: int, last: int) -> str:
        return join(w.text for w in self.words[first : last + 1])

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
    """Sentences: cut at sentence ends and long gaps, and long stretches also at heard pauses."""
    return [piece for unit in _sentences(transcript) for piece in _split_at_pauses(unit, transcript)]


def _sentences(transcript: Transcript) -> list[Unit]:
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


def _split_at_pauses(unit: Unit, transcript: Transcript) -> list[Unit]:
    """A unit of LONG_UNIT_S or more, cut before the word that starts nearest each pause inside
    it. Such words' times are smeared over the pause, so a piece starts where the speech resumed."""
    inside = range(unit.first + 1, unit.last + 1)
    if unit.end - unit.start < LONG_UNIT_S or not transcript.pauses or not inside:
        return [unit]
    words = transcript.words
    resumes: dict[int, float] = {}  # word index → end of the pause before it
    for a, b in transcript.pauses:
        if unit.start < (a + b) / 2 < unit.end:
            resumes[min(inside, key=lambda i: abs(words[i].start - (a + b) / 2))] = b
    cuts = sorted(resumes)
    firsts, lasts = [unit.first, *cuts], [c - 1 for c in cuts] + [unit.last]
    return [
        Unit(f, last, min(max(words[f].start, resumes.get(f, 0.0)), words[f].end), words[last].end)
        for f, last in zip(firsts, lasts, strict=True)
    ]


def clause_breaks(transcript: Transcript) -> frozenset[int]:
    """Indexes of words that end a clause (a comma or a sentence end): a negation heard before
    one does not reach the words after it."""
    return frozenset(i for i, w in enumerate(transcript.words) if w.text.rstrip().endswith(CLAUSE_END))


def word_key(text: str) -> str:
    """A transcript word as it is compared: lower case, letters and digits only."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def join(words: Iterable[str]) -> str:
    """The words as the recognizer wrote them, each with the space before it or none: whisper
    writes "0.3%" as " 0.3", "%" and "cross-team" as " cross", "-team", so words are never
    joined with spaces of their own. Every transcript text shown or exported is built here."""
    return "".join(words).strip()


def spacing(words: Sequence[str], text: str) -> list[str]:
    """What went before each word (" " or ""), for words stored stripped of their spacing:
    recovered from the transcript `text` they were written in, so "0.3%" is not shown as
    "0 .3 %". A word not found where expected gets a space, unless it starts like the tail of
    a word (`GLUED_START`: ".3", "%", "-team")."""
    out, pos = [], 0
    for w in words:
        found = text.find(w, pos) if w else -1
        if found < 0 or text[pos:found].strip():
            out.append("" if _glued(w) else " ")
            continue
        out.append(" " if found > pos else "")
        pos = found + len(w)
    if out:
        out[0] = ""
    return out


def _glued(word: str) -> bool:
    return (len(word) > 1 and word.startswith(GLUED_START)) or word[:1] in ".,;:!?%)]}"
