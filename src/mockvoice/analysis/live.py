"""The live section clock: which STAR section the candidate is in and how their time stands,
said only when the words heard so far make it sure.

Pure: it reads the in-progress analyses the live checklist makes (`AnswerAnalysis`, the
analysis part of `session.json`) and the answer clock, and returns what the status line shows.

Why so careful: the live section label trails the speaker (a section is only known once its
words are heard), so a clock that trusted it showed "Task 0:16 over" in the middle of the
Action, and the final scorecard had that section ok. A false "over" pushes a candidate to rush.
So:

- **The section only moves forward**, on evidence: a mark (Space/Enter), or the in-progress
  analysis placing words in a later section (it holds the current one until the words show
  the next: its cue, phrases or signals). Its start is fixed when it is entered.
- **The countdown never goes back up** within a section: it counts from that fixed start.
- **"over" is shown only when sure**, by the measure the final scorecard uses (the section's
  span against target x `over_ratio`): with marks, the time since the mark; without, the time
  from the section's start to the last of its own key phrases heard (a section is at least
  that long, whatever comes next). Past the target but not yet surely over, the clock says
  "wrap up" instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mockvoice.analysis.results import AnswerAnalysis
from mockvoice.scenario.model import Section


@dataclass(frozen=True)
class ClockReading:
    """What the status line says about the current section."""

    section: Section | None
    elapsed_s: float  # in this section, from its fixed start
    left_s: float | None  # target minus elapsed (negative: past the target)
    over: bool  # surely over its target by the scorecard's measure
    sure_s: float  # how long the section surely is (its last own evidence minus its start)


class SectionClock:
    """Follows the sections of one answer in progress; see the module docstring."""

    def __init__(self, sections: Sequence[Section], over_ratio: float) -> None:
        self.sections = list(sections)
        self.over_ratio = over_ratio
        self.index = 0
        self.start_s = 0.0
        self.evidence_s = 0.0  # end of the last evidence that the current section goes on

    @property
    def section(self) -> Section:
        return self.sections[self.index]

    def follow(self, answer: AnswerAnalysis) -> None:
        """Take in the analysis of the words so far (`analysis.analyze(..., in_progress=True)`)."""
        ids = [s.id for s in self.sections]
        present = [(ids.index(sec.id), sec.start_s) for sec in answer.sections if sec.start_s is not None]
        if present and present[-1][0] > self.index:
            self.index, start = present[-1]
            self.start_s = max(self.start_s, start)
            self.evidence_s = self.start_s
        own = [
            kp.at_s
            for kp in answer.key_phrases
            if kp.found and kp.said_in == self.section.id and kp.at_s is not None
        ]
        later = [t for t in own if t >= self.start_s]
        if later:
            self.evidence_s = max(self.evidence_s, *later)

    def mark(self, index: int, at_s: float) -> None:
        """The candidate marked the next section: sure by definition."""
        if index > self.index or at_s > self.start_s:
            self.index = min(index, len(self.sections) - 1)
            self.start_s = at_s
            self.evidence_s = at_s

    def read(self, now_s: float, marked: bool = False) -> ClockReading:
        """The clock at `now_s` on the answer clock. `marked`: the section was entered by a mark,
        so everything said since belongs to it."""
        section = self.section
        elapsed = max(0.0, now_s - self.start_s)
        sure = elapsed if marked else max(0.0, self.evidence_s - self.start_s)
        return ClockReading(
            section=section,
            elapsed_s=elapsed,
            left_s=section.target_s - elapsed,
            over=sure > section.target_s * self.over_ratio,
            sure_s=sure,
        )
