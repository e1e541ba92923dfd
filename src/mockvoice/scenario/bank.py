"""The question bank: common behavioral questions to rehearse your own stories against.

`data/questions.yaml` holds the questions, the leadership principles they probe, generic
follow-up probes (in the shape of a scenario's `followups`, so `mockvoice.followups` chooses and
judges them as it does a scenario's) and what each level is expected to show. It lives in the
package data, not among the scenarios, so `scenarios list` never mistakes it for one.

`merge` turns a question and a story's scenario into the scenario a mock runs: the bank's
question is asked, the story's key phrases judge the answer, the question's probes follow.
"""

from __future__ import annotations

import difflib
import random
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationInfo, field_validator

from mockvoice.errors import UsageError
from mockvoice.scenario.files import load_model
from mockvoice.scenario.model import Followup, Principle, Scenario, StrictModel

BANK_FILE = "data/questions.yaml"
RANDOM = "random"


class LevelText(StrictModel):
    """What a level is expected to show in any story; its time budget is the seed scenario's."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    focus: str
    reflection: str
    bar: str


class LevelExpectations(StrictModel):
    sde1: str
    sde2: str
    senior: str


class Question(StrictModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    text: str = Field(min_length=1)
    principles: list[str] = Field(min_length=1)
    # A probe id from the bank's `probes`, or a whole probe written for this question.
    probes: list[Followup | str] = Field(min_length=2, max_length=3)
    levels: LevelExpectations


class Bank(StrictModel):
    schema_version: int = Field(1, alias="schema")
    principles: list[Principle] = Field(min_length=1)
    levels: list[LevelText] = Field(min_length=1)
    probes: list[Followup] = Field(default_factory=list)
    default_probes: list[str] = Field(default_factory=list)
    questions: list[Question] = Field(min_length=1)

    @field_validator("default_probes")
    @classmethod
    def _known_default_probes(cls, ids: list[str], info: ValidationInfo) -> list[str]:
        known = sorted(p.id for p in info.data.get("probes") or [])
        return require_known(ids, known, "probe", f"use one of: {', '.join(known)}")

    @field_validator("questions")
    @classmethod
    def _consistent(cls, questions: list[Question], info: ValidationInfo) -> list[Question]:
        principles = {p.id for p in info.data.get("principles") or []}
        probes = {p.id for p in info.data.get("probes") or []}
        problems, seen = [], set()
        for q in questions:
            if q.id in seen:
                problems.append(f"question {q.id!r} is listed twice — give each question its own id")
            seen.add(q.id)
            problems += [
                f"question {q.id!r}: unknown principle {p!r} — use one of: {', '.join(sorted(principles))}"
                for p in q.principles
                if p not in principles
            ]
            problems += [
                f"question {q.id!r}: unknown probe {p!r} — use one of: {', '.join(sorted(probes))}"
                for p in q.probes
                if isinstance(p, str) and p not in probes
            ]
        if problems:
            raise ValueError("; ".join(problems))
        return questions

    # --- lookups -------------------------------------------------------------------------

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        ids = [q.id for q in self.questions]
        close = difflib.get_close_matches(question_id, ids, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "see 'mockvoice questions list'"
        raise UsageError(f"--question: unknown question {question_id!r} — {hint}")

    def probe(self, probe_id: str) -> Followup:
        return next(p for p in self.probes if p.id == probe_id)

    def principle(self, principle_id: str) -> Principle:
        return next(p for p in self.principles if p.id == principle_id)

    def probes_of(self, question: Question) -> list[Followup]:
        return [self.probe(p) if isinstance(p, str) else p for p in question.probes]


@cache
def _shipped() -> Bank:
    path = resources.files("mockvoice").joinpath(BANK_FILE)
    return load_model(Path(str(path)), Bank)


def require_known(ids: list[str], known, what: str, fix: str) -> list[str]:
    """Validator body shared by every list of ids that must exist elsewhere (probes, principles,
    questions): the first unknown id is a ValueError naming it and the fix."""
    for i in ids:
        if i not in known:
            raise ValueError(f"unknown {what} {i!r} — {fix}")
    return ids


def load_bank(path: Path | None = None) -> Bank:
    """The shipped bank (loaded once), or the bank file at `path`; problems raise ScenarioError."""
    return _shipped() if path is None else load_model(Path(path), Bank)


# --- choosing a question ---------------------------------------------------------------------


def pick(
    bank: Bank,
    ref: str,
    *,
    answers: Sequence[str] = (),
    principles: Sequence[str] = (),
    seed: int | None = None,
) -> Question:
    """A question by id, or `random`: among the questions the story says it `answers`, else
    those probing one of its `principles`, else the whole bank. The same seed, the same pick."""
    if ref != RANDOM:
        return bank.question(ref)
    pool = [bank.question(a) for a in answers]
    if not pool:
        pool = [q for q in bank.questions if set(q.principles) & set(principles)]
    pool = pool or list(bank.questions)
    return random.Random(seed).choice(pool)


# --- merging a question with a story -------------------------------------------------------


def merge(scenario: Scenario, question: Question, bank: Bank | None = None) -> Scenario:
    """The scenario a mock runs when a bank question is asked about this story: the question's
    text, its probes as the follow-ups, its level expectations as each level's focus and its
    principles' framings first; sections, targets and key phrases stay the story's."""
    bank = bank or load_bank()
    levels = [
        lv.model_copy(update={"focus": getattr(question.levels, lv.id)})
        if lv.id in LevelExpectations.model_fields
        else lv
        for lv in scenario.levels
    ]
    own = [bank.principle(p) for p in question.principles]
    others = [p for p in scenario.principles if p.id not in question.principles]
    update: dict[str, Any] = {
        "question": question.text,
        "category": f"Question bank: {question.id}",
        "followups": bank.probes_of(question),
        "levels": levels,
        "principles": own + others,
    }
    return scenario.model_copy(update=update)


def story_probes(bank: Bank, answers: Sequence[str]) -> list[Followup]:
    """The follow-ups of a story rehearsed on its own question: the probes of the bank questions
    it answers, then the bank's default probes, each once."""
    out: dict[str, Followup] = {}
    for question_id in answers:
        for probe in bank.probes_of(bank.question(question_id)):
            out.setdefault(probe.id, probe)
    for probe_id in bank.default_probes:
        out.setdefault(probe_id, bank.probe(probe_id))
    return list(out.values())


# --- what `mockvoice questions` prints ---------------------------------------------------------


def listing(bank: Bank, principle: str | None = None) -> list[str]:
    """One line per question (optionally only those probing `principle`)."""
    if principle is not None and principle not in {p.id for p in bank.principles}:
        known = ", ".join(p.id for p in bank.principles)
        raise UsageError(f"--lp: unknown leadership principle {principle!r} — use one of: {known}")
    width = max(len(q.id) for q in bank.questions)
    return [
        f"{q.id:<{width}}  {q.text}  [{', '.join(q.principles)}]"
        for q in bank.questions
        if principle is None or principle in q.principles
    ]


def describe(bank: Bank, question: Question) -> str:
    """Everything about one question: principles and their framing, probes, level expectations."""
    out = [question.text, "", f"id: {question.id}", ""]
    for p in (bank.principle(p) for p in question.principles):
        out += [f"{p.name}: {p.lead_with}", f"  emphasize: {p.emphasize}", f"  downplay: {p.downplay}"]
    out += ["", "Follow-up probes:"]
    for f in bank.probes_of(question):
        out += [
            f"  {f.question}",
            f"    probes: {f.probes}",
            f"    weak: {f.weak.answer}",
            f"    strong: {f.strong.answer}",
            f"    takeaway: {f.takeaway}",
        ]
    names = {lv.id: lv.name for lv in bank.levels}
    out += ["", "What each level shows:"]
    out += [f"  {names.get(lv, lv)}: {getattr(question.levels, lv)}" for lv in LevelExpectations.model_fields]
    return "\n".join(out)
