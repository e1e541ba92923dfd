"""The scenario's quiz: grade chosen answers, and read a typed or spoken choice.

Pure: data in, data out. Choices are 0-based indices into `QuizQuestion.choices`, like the
scenario's own `answer` field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mockvoice.analysis.results import QuizItem, QuizResult
from mockvoice.scenario.model import Scenario

# "b", "B", "2", " c) ", "(c)", "b.", "2:" — one letter or a number, optionally bracketed.
_CHOICE_RE = re.compile(r"^\(?\s*(?:(?P<letter>[a-z])|(?P<number>\d+))\s*[).:]?$", re.IGNORECASE)


def parse_choice(text: str, n_choices: int) -> int | None:
    """The 0-based choice a typed answer names: a letter ("a", "B", " c) ") or a 1-based
    number ("2"). None for anything else, including a choice out of range."""
    if not isinstance(text, str):
        return None
    m = _CHOICE_RE.match(text.strip())
    if m is None:
        return None
    letter, number = m.group("letter"), m.group("number")
    index = ord(letter.lower()) - ord("a") if letter else int(number) - 1
    return index if 0 <= index < n_choices else None


def grade(scenario: Scenario, answers: Sequence[int | None]) -> QuizResult:
    """Grade answers to `scenario.quiz`, in order: the score, the total and one item per question.

    Each item: `question`, `chosen` (the chosen choice's text, None if unanswered), `correct`
    (the right choice's text), `right`, `explanation`, plus `chosen_index` / `correct_index`.
    Fewer answers than questions leave the rest unanswered (wrong); more is a ValueError, as
    is an index that is not one of the question's choices.
    """
    quiz = scenario.quiz
    if len(answers) > len(quiz):
        raise ValueError(f"{len(answers)} answers for {len(quiz)} quiz questions")
    items = []
    for i, q in enumerate(quiz):
        chosen = answers[i] if i < len(answers) else None
        if chosen is not None and (
            isinstance(chosen, bool) or not isinstance(chosen, int) or not 0 <= chosen < len(q.choices)
        ):
            raise ValueError(f"answer {i + 1}: {chosen!r} is not a choice index 0..{len(q.choices) - 1}")
        items.append(
            QuizItem(
                question=q.question,
                chosen=q.choices[chosen] if chosen is not None else None,
                correct=q.choices[q.answer],
                right=chosen == q.answer,
                explanation=q.explanation,
                chosen_index=chosen,
                correct_index=q.answer,
            )
        )
    return QuizResult(score=sum(item.right for item in items), total=len(quiz), items=items)
