"""Render a session document as a scorecard: rich on a terminal, plain lines otherwise.

Both renderings are built from the same rows (`rows`), so a pipe and a terminal say the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockvoice.clock import clock
from mockvoice.errors import SessionError
from mockvoice.lazy import lazy

# The document model brings pydantic and the analysis' flag ids: the command line imports this
# module for its scorecard printer, so the model is loaded on first use (`--help` stays instant).
document = lazy("mockvoice.session.document")

BAR_WIDTH = 12  # cells for the target; up to as many again for overtime
VERDICT_STYLE = {"ok": "green", "over": "red", "under": "yellow", "missing": "red"}


@dataclass(frozen=True)
class SectionRow:
    name: str
    duration: str
    target: str
    verdict: str
    bar_fill: int  # cells up to the target (BAR_WIDTH = on target)
    bar_over: int  # cells past the target, capped at BAR_WIDTH (twice the target)
    hits: list[str]
    misses: list[str]
    elsewhere: list[str]


def rows(doc: document.SessionDocument) -> list[SectionRow]:
    out = []
    for s in doc.sections or []:
        phrases = doc.phrases_of(s.id)
        dur = s.duration_s or 0.0
        ratio = dur / s.target_s
        out.append(
            SectionRow(
                name=s.name,
                duration="—" if s.duration_s is None else f"{dur:.0f}s",
                target=f"{s.target_s:.0f}s",
                verdict=s.verdict,
                bar_fill=round(min(ratio, 1.0) * BAR_WIDTH),
                bar_over=round(min(max(ratio - 1.0, 0.0), 1.0) * BAR_WIDTH),
                hits=[
                    f"{k.phrase} ({clock(k.at_s)}){in_other_words(k)}"
                    for k in phrases
                    if k.found and k.said_in == s.id
                ],
                misses=[f"{k.phrase}{near_hit(k)}" for k in phrases if not k.found],
                elsewhere=[
                    f"{k.phrase} (said in {k.said_in} at {clock(k.at_s)}){in_other_words(k)}"
                    for k in phrases
                    if k.found and k.said_in != s.id
                ],
            )
        )
    return out


def in_other_words(k: document.KeyPhraseResult | document.FollowupPhrase) -> str:
    """For a phrase counted through a paraphrase rule: what was heard, and the rule."""
    if k.match != "paraphrase":
        return ""
    return f" — said as “{k.heard}”, {k.why or 'in other words'}"


def near_hit(k: document.KeyPhraseResult | document.FollowupPhrase) -> str:
    """For a phrase not counted: the near-hit heard and why it does not count."""
    if k.heard is None or k.at_s is None:
        return ""
    return f" — heard “{k.heard}” ({clock(k.at_s)}), not counted: {k.why or k.match}"


def phrase_status(k: document.KeyPhraseResult) -> str:
    """One key phrase as a sentence: said, said in other words, or missed (with the near-hit)."""
    if k.found:
        kind = "said in other words" if k.match == "paraphrase" else "said"
        why = f" ({k.why})" if k.match == "paraphrase" and k.why else ""
        return f"{kind}: {k.phrase} at {clock(k.at_s)} — “{k.heard}”{why}"
    return f"missed: {k.phrase}{near_hit(k)}"


def total_text(total: document.TotalTime) -> str:
    """'Total 0:19 — short: aim for 1:02–3:00': the time, its verdict and the level's range, so a
    short answer is told how long to aim for (a session saved before floors existed: '≤3:00')."""
    aim = budget_range(total.budget_min_s, total.budget_max_s, "–")
    return f"Total {clock(total.speaking_s)} — {total.verdict}: aim for {aim}"


def budget_range(low: float | None, high: float, dash: str) -> str:
    """'1:02–3:00', or '≤3:00' for a session saved before every level had a floor."""
    return f"{clock(low)}{dash}{clock(high)}" if low is not None else f"≤{clock(high)}"


def summary_line(doc: document.SessionDocument) -> str:
    total, d = analyzed(doc)
    return (
        f"{total_text(total)} (level {doc.level}: {total.budget_text}) · "
        f"phrases {doc.found_count()}/{doc.phrase_count()} · {d.wpm:.0f} wpm · "
        f"{d.fillers} fillers · longest pause {d.longest_pause_s:.1f}s"
    )


def analyzed(doc: document.SessionDocument) -> tuple[document.TotalTime, document.DeliveryStats]:
    """The total and delivery of an analyzed answer (`doc.is_analyzed`): what the summaries show."""
    if doc.total is None or doc.delivery is None:
        raise SessionError(
            f"{doc.mode} session of {doc.scenario}: the answer was not analyzed — no scorecard"
        )
    return doc.total, doc.delivery


def plain(doc: document.SessionDocument) -> str:
    """Plain lines for pipes and logs."""
    lines = [f"{doc.scenario_title} — {doc.question}", ""]
    for r in rows(doc):
        bar = "#" * r.bar_fill + "." * (BAR_WIDTH - r.bar_fill) + "!" * r.bar_over
        lines.append(f"{r.name:<11} {r.duration:>5} / {r.target:<4} {r.verdict:<8} {bar}")
        lines += [f"    + {h}" for h in r.hits]
        lines += [f"    ~ {e}" for e in r.elsewhere]
        lines += [f"    - {m}" for m in r.misses]
    lines.append("")
    if doc.flags:
        lines.append("Flags:")
        lines += [f"  {flag_line(f)}" for f in doc.flags]
        lines.append("")
    lines.append(summary_line(doc))
    if doc.principle_framing:
        p = doc.principle_framing
        lines += [
            "",
            f"Framing for {p.name}: lead with — {p.lead_with}",
            f"  emphasize: {p.emphasize}",
            f"  downplay: {p.downplay}",
        ]
    return "\n".join(lines)


def flag_line(f: document.FlagResult) -> str:
    """'0:42 Vague ending — say what changed — "and so on"': a flag, when, and its words."""
    quote = f' — "{f.quote}"' if f.quote else ""
    return f"{clock(f.at_s)} {f.message}{quote}"


def rich_renderable(doc: document.SessionDocument):
    """A rich Group for terminals (imported lazily: rich is only needed here)."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"{doc.scenario_title}", caption=doc.question, expand=False)
    for col in ("Section", "Time", "Target", "", "Key phrases"):
        table.add_column(col)
    for r in rows(doc):
        bar = (
            Text("█" * r.bar_fill, style="green")
            + Text("░" * (BAR_WIDTH - r.bar_fill), style="dim")
            + Text("█" * r.bar_over, style="red")
        )
        phrases = Text()
        for h in r.hits:
            phrases.append(f"✓ {h}\n", style="green")
        for e in r.elsewhere:
            phrases.append(f"~ {e}\n", style="yellow")
        for m in r.misses:
            phrases.append(f"✗ {m}\n", style="red")
        verdict = Text(r.verdict, style=VERDICT_STYLE.get(r.verdict, ""))
        phrases.rstrip()  # in place: Text.rstrip returns None
        table.add_row(
            r.name, r.duration, r.target, Text.assemble(bar, " ", verdict), phrases if phrases.plain else "—"
        )
    parts: list = [table]
    if doc.flags:
        flags = Table(title="Flags", show_header=False, expand=False)
        flags.add_column("at")
        flags.add_column("flag")
        for f in doc.flags:
            text = Text(f.message, style="bold")
            if f.quote:
                text.append(f"\n“{f.quote}”", style="dim")
            flags.add_row(clock(f.at_s), text)
        parts.append(flags)
    parts.append(Text(summary_line(doc)))
    if doc.principle_framing:
        p = doc.principle_framing
        parts.append(
            Text(
                f"Framing for {p.name}: lead with — {p.lead_with}\n"
                f"  emphasize: {p.emphasize}\n  downplay: {p.downplay}"
            )
        )
    return Group(*parts)


def drill_plain(attempt: document.DrillAttempt) -> str:
    """Feedback on one drilled section."""
    name = attempt.section.title()
    if attempt.transcript is None:
        return f"{name}: {attempt.error or 'no answer'}"
    lines = [f"{name}: {attempt.duration_s:.0f}s / {attempt.target_s:.0f}s — {attempt.verdict}"]
    for k in attempt.key_phrases or []:
        if k.found:
            why = f", {k.why}" if k.match == "paraphrase" and k.why else ""
            mark = f"+ {k.phrase} ({clock(k.at_s)}: “{k.heard}”{why})"
        else:
            mark = f"- {k.phrase}{near_hit(k)}"
        lines.append("    " + mark)
    lines += [f"  {flag_line(f)}" for f in attempt.flags or []]
    return "\n".join(lines)


def followup_plain(result: document.FollowupResult) -> str:
    lines = [f"Follow-up — {result.verdict}: {result.question}"]
    for p in result.phrases or []:
        said = f"    + {p.phrase} (“{p.heard}”)"
        lines.append(said if p.found else f"    - {p.phrase}{near_hit(p)}")
    lines += [f"  · {reason}" for reason in result.reasons]
    if result.takeaway:
        lines.append(f"  Takeaway: {result.takeaway}")
    return "\n".join(lines)


def verdict_plain(verdict: document.FinalVerdict) -> str:
    lines = [f"Bar raiser: {verdict.verdict} — {verdict.summary}"]
    lines += [f"  · {reason}" for reason in verdict.reasons]
    return "\n".join(lines)
