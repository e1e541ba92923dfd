"""A scenario as readable text, for `mockvoice scenarios show` (and later the study mode)."""

from __future__ import annotations

import textwrap

from mockvoice.scenario.model import KeyPhrase, Scenario

WIDTH = 88


def _wrap(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent) or [indent]


def _phrases(phrases: list[KeyPhrase]) -> list[str]:
    out = []
    for kp in phrases:
        alt = f"  (also: {'; '.join(kp.variants)})" if kp.variants else ""
        out.append(f"    • {kp.phrase}{alt}")
    return out


def describe(s: Scenario) -> str:
    lines = [f"{s.title}  [{s.id}]"]
    if s.category:
        lines.append(s.category)
    lines += [
        "",
        "Question:",
        *_wrap(s.question),
        "",
        "Overview:",
        *_wrap(s.overview.scenario),
        "",
        *_wrap(s.overview.walkthrough),
        "",
    ]
    lines.append(f"Sections (targets add up to {s.total_target_s:.0f} s):")
    for sec in s.sections:
        lines += [
            "",
            f"  {sec.name} [{sec.id}] — target {sec.target_s:.0f} s",
            f"    Cue: {sec.cue}",
            "    Strong example:",
            *_wrap(sec.strong_example, "      "),
            "    Key phrases:",
            *_phrases(sec.key_phrases),
            "    Coaching:",
            *_wrap(sec.coaching, "      "),
            "    Common mistake:",
            *_wrap(sec.common_mistake, "      "),
        ]
    if s.followups:
        lines += ["", "Follow-up probes:"]
        for f in s.followups:
            lines += [
                "",
                f"  [{f.id}] {f.question}",
                f"    Probes: {f.probes}",
                "    Weak:",
                *_wrap(f.weak.answer, "      "),
                *_wrap(f.weak.comment, "      → "),
                "    Strong:",
                *_wrap(f.strong.answer, "      "),
                *_wrap(f.strong.comment, "      → "),
                f"    Takeaway: {f.takeaway}",
                "    Key phrases:",
                *_phrases(f.key_phrases),
            ]
    if s.weak_answer:
        w = s.weak_answer
        lines += ["", "Weak answer:", *_wrap(w.text), "  Faults:"]
        lines += [f"    • {fault}" for fault in w.faults]
        lines += ["  Bar raiser thinks:", *_wrap(w.bar_raiser, "    ")]
    if s.quiz:
        lines += ["", "Quiz:"]
        for n, q in enumerate(s.quiz, 1):
            lines.append(f"  {n}. {q.question}")
            lines += [
                f"     {'*' if i == q.answer else ' '} {chr(97 + i)}) {c}" for i, c in enumerate(q.choices)
            ]
            lines += _wrap(q.explanation, "       ")
    if s.principles:
        lines += ["", "Framing by leadership principle:"]
        for p in s.principles:
            lines += [
                f"  {p.name} [{p.id}]",
                *_wrap(f"Lead with: {p.lead_with}", "    "),
                *_wrap(f"Emphasize: {p.emphasize}", "    "),
                *_wrap(f"Downplay: {p.downplay}", "    "),
            ]
    lines += ["", "Levels:"]
    for lv in s.levels:
        default = " (default)" if lv.id == s.default_level else ""
        lines += [
            f"  {lv.name} [{lv.id}]{default} — {lv.budget.text}",
            *_wrap(lv.focus, "    "),
            *_wrap(f"Reflection: {lv.reflection}", "    "),
            *_wrap(f"Bar: {lv.bar}", "    "),
        ]
        example = getattr(lv, "example_reflection", None)
        if example:
            lines += _wrap(f"Example reflection: {example}", "    ")
        for section_id, phrases in lv.key_phrases.items():
            lines += [f"    Key phrases added to the {s.section(section_id).name}:", *_phrases(phrases)]
    return "\n".join(lines)
