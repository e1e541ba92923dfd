"""Render a session document as a scorecard: rich on a terminal, plain lines otherwise.

Both renderings are built from the same rows (`rows`), so a pipe and a terminal say the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mockvoice.clock import clock
from mockvoice.errors import SessionError
from mockvoice.lazy import lazy
from mockvoice.session.store import REPORT_FILE

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
    ratio: float  # time spoken / target
    hits: list[str]
    misses: list[str]
    elsewhere: list[str]

    def bar(self, cells: int = BAR_WIDTH) -> tuple[int, int]:
        """(cells filled up to the target, cells past it): `cells` is on target, and the
        overtime is capped at as many again (twice the target)."""
        fill = round(min(self.ratio, 1.0) * cells)
        return fill, round(min(max(self.ratio - 1.0, 0.0), 1.0) * cells)


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
                ratio=ratio,
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


TOTAL_WORD = {"ok": "on time", "short": "short", "under": "short", "over": "long"}


def total_text(total: document.TotalTime) -> str:
    """'1:31 of a 2:30–3:00 answer — short': the time against the level's range in plain words,
    so a short answer is told how long to aim for (a session saved before floors existed: 'an
    answer up to 3:00')."""
    if total.budget_min_s is None:
        of = f"an answer up to {clock(total.budget_max_s)}"
    else:
        of = f"a {budget_range(total.budget_min_s, total.budget_max_s, '–')} answer"
    return f"{clock(total.speaking_s)} of {of} — {TOTAL_WORD.get(total.verdict, total.verdict)}"


def budget_range(low: float | None, high: float, dash: str) -> str:
    """'1:02–3:00', or '≤3:00' for a session saved before every level had a floor."""
    return f"{clock(low)}{dash}{clock(high)}" if low is not None else f"≤{clock(high)}"


def summary_line(doc: document.SessionDocument) -> str:
    """The total line, then the counts: phrases said, pace, fillers, the longest pause."""
    total, d = analyzed(doc)
    level = f" (level {doc.level})" if doc.level else ""
    return (
        f"Total: {total_text(total)}{level}\n"
        f"Phrases {doc.found_count()}/{doc.phrase_count()} · {d.wpm:.0f} wpm · "
        f"{d.fillers} fillers · longest pause {d.longest_pause_s:.1f}s"
    )


NOTHING_TO_FIX = "Nothing to fix first: every section there and near its target, every key phrase said."
LEGEND = "Marks: + said in its section · ~ said in another section · - not said"
WIDTH = 80  # plain lines fit an 80-column terminal


def fix_lines(doc: document.SessionDocument, session: str | None = None, width: int = WIDTH) -> list[str]:
    """'Fix first:' and the top fixes, each: where and what, the words that show it (and when),
    the command that plays them. A strong answer: one line saying there is nothing to fix first."""
    found, session = doc.fixes(), session or doc.handle
    if not found:
        return wrapped(NOTHING_TO_FIX, "", "  ", width)
    lines = ["Fix first:"]
    for n, f in enumerate(found, 1):
        lines += wrapped(f"{f.where}: {f.problem}", f"  {n}. ", "     ", width)
        if f.quote:
            lines += wrapped(f"“{f.quote}” at {clock(f.at_s)}", "     ", "     ", width)
        lines += wrapped(play_command(session, f.play), "     ", "       ", width)
    return lines


def play_command(session: str, part: str) -> str:
    """The command that plays a part of the session: what a fix or the ending points to."""
    return f"mockvoice review {session} --play {part}"


def wrapped(text: str, first: str, rest: str, width: int = WIDTH) -> list[str]:
    """`text` wrapped to `width` with a hanging indent, words kept whole (a word longer than the
    line, such as a path, is left for the terminal to fold)."""
    import textwrap

    return textwrap.wrap(
        text,
        max(20, width),
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def worst_part(doc: document.SessionDocument) -> str:
    """What `--play` should hear first: the first fix's part, else the first section found."""
    found = doc.fixes(1)
    if found:
        return found[0].play
    present = [s.id for s in doc.sections or [] if s.start_s is not None]
    return present[0] if present else "answer"


def ending_lines(
    doc: document.SessionDocument, session: str | None, folder: Path | None, width: int = WIDTH
) -> list[str]:
    """Where the session is and what to do next: hear the worst part, open the report, see the
    progress over attempts. Each command stays on one line: on a narrow terminal it goes under
    what it does rather than beside it."""
    session = session or doc.handle
    lines = [] if folder is None else [f"Session: {folder}", f"Report: {folder / REPORT_FILE}"]
    play = play_command(session, worst_part(doc))
    steps = [
        (play, "hear it again"),
        (f"mockvoice review {session} --open", "open the report"),
        ("mockvoice progress", "see progress"),
    ]
    side = [f"  {what:<15}  {cmd}" for cmd, what in steps]
    if max(len(line) for line in side) <= width:
        return [*lines, "Next:", *side]
    return [*lines, "Next:", *(line for cmd, what in steps for line in (f"  {what}:", f"    {cmd}"))]


def verdict_headline(doc: document.SessionDocument) -> str | None:
    """The bar raiser's verdict in one line, when the session has one (a finished mock)."""
    if doc.verdict is None:
        return None
    return f"Bar raiser: {doc.verdict.title()} — {doc.verdict.body()}"


def analyzed(doc: document.SessionDocument) -> tuple[document.TotalTime, document.DeliveryStats]:
    """The total and delivery of an analyzed answer (`doc.is_analyzed`): what the summaries show."""
    if doc.total is None or doc.delivery is None:
        raise SessionError(
            f"{doc.mode} session of {doc.scenario}: the answer was not analyzed — no scorecard"
        )
    return doc.total, doc.delivery


def plain(doc: document.SessionDocument, session: str | None = None, folder: Path | None = None) -> str:
    """Plain lines for pipes and logs: the verdict and what to fix first, the sections, the
    legend, the total, then where the session is and what to do next. `session` is the handle
    the commands shown take (default: the session's own time stamp, `doc.handle`)."""
    lines = [*wrapped(f"{doc.scenario_title} — {doc.question}", "", "  "), ""]
    headline = verdict_headline(doc)
    if headline:
        lines += [*wrapped(headline, "", "  "), ""]
    lines += [*fix_lines(doc, session), ""]
    for r in rows(doc):
        fill, over = r.bar()
        bar = "#" * fill + "." * (BAR_WIDTH - fill) + "!" * over
        lines.append(f"{r.name:<11} {r.duration:>5} / {r.target:<4} {r.verdict:<8} {bar}")
        lines += [f"    + {h}" for h in r.hits]
        lines += [f"    ~ {e}" for e in r.elsewhere]
        lines += [f"    - {m}" for m in r.misses]
    lines += [LEGEND, ""]
    if doc.flags:
        lines.append("Flags:")
        lines += [line for f in doc.flags for line in wrapped(flag_line(f), "  ", "       ")]
        lines.append("")
    lines.append(summary_line(doc))
    if doc.principle_framing:
        p = doc.principle_framing
        lines += [
            "",
            *wrapped(f"Framing for {p.name}: lead with — {p.lead_with}", "", "  "),
            *wrapped(f"emphasize: {p.emphasize}", "  ", "    "),
            *wrapped(f"downplay: {p.downplay}", "  ", "    "),
        ]
    lines += ["", *ending_lines(doc, session, folder)]
    return "\n".join(lines)


def flag_line(f: document.FlagResult) -> str:
    """'0:42 Vague ending — say what changed — "and so on"': a flag, when, and its words."""
    quote = f' — "{f.quote}"' if f.quote else ""
    return f"{clock(f.at_s)} {f.message}{quote}"


def rich_renderable(doc: document.SessionDocument, session: str | None = None, folder: Path | None = None):
    """A rich Group for terminals (imported lazily: rich is only needed here), in the order of
    `plain`: verdict, fixes, sections, legend, total, next steps."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list = []
    headline = verdict_headline(doc)
    if headline:
        parts.append(Text(headline + "\n", style="bold"))
    parts.append(Wrapped(lambda width: [*fix_lines(doc, session, width), ""]))
    table = SectionTable(doc)
    legend = LEGEND.replace(" + ", " ✓ ").replace(" - ", " ✗ ")
    parts += [table, Wrapped(lambda width: wrapped(legend, "", "  ", width), style="dim")]
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
    parts.append(Wrapped(lambda width: ["", *ending_lines(doc, session, folder, width)]))
    return Group(*parts)


class SectionTable:
    """The sections table, laid out for the width rich renders it at: below 80 columns the time
    and its target share a column and the bar is half as long, so the key phrases keep room
    enough not to break "✗ I reproduced" over two rows on a 60-column terminal."""

    NARROW = 80

    def __init__(self, doc: document.SessionDocument) -> None:
        self._doc = doc

    def __rich_console__(self, console, options):
        yield self._table(narrow=options.max_width < self.NARROW)

    def _table(self, narrow: bool):
        from rich.table import Table
        from rich.text import Text

        cells = BAR_WIDTH // 2 if narrow else BAR_WIDTH
        table = Table(title=self._doc.scenario_title, caption=self._doc.question, expand=False)
        for col in ("Section", "Time") if narrow else ("Section", "Time", "Target"):
            table.add_column(col)
        table.add_column("", no_wrap=narrow)
        table.add_column("Key phrases")
        for r in rows(self._doc):
            fill, over = r.bar(cells)
            bar = Text("█" * fill, style="green") + Text("░" * (cells - fill), style="dim")
            bar += Text("█" * over, style="red")
            phrases = Text()
            for h in r.hits:
                phrases.append(f"✓ {h}\n", style="green")
            for e in r.elsewhere:
                phrases.append(f"~ {e}\n", style="yellow")
            for m in r.misses:
                phrases.append(f"✗ {m}\n", style="red")
            phrases.rstrip()  # in place: Text.rstrip returns None
            verdict = Text(r.verdict, style=VERDICT_STYLE.get(r.verdict, ""))
            times = [f"{r.duration}/{r.target}"] if narrow else [r.duration, r.target]
            meter = Text.assemble(bar, "\n" if narrow else " ", verdict)
            table.add_row(r.name, *times, meter, phrases if phrases.plain else "—")
        return table


class Wrapped:
    """Lines made for the width rich renders them at: hanging indents kept and commands whole on
    a 60-column terminal, where rich's own wrapping of pre-wrapped lines would start each
    continuation at the left edge."""

    def __init__(self, make: Callable[[int], list[str]], style: str = "") -> None:
        self._make = make
        self._style = style

    def __rich_console__(self, console, options):
        from rich.text import Text

        yield Text("\n".join(self._make(options.max_width)), style=self._style)


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
    lines = [f"Bar raiser: {verdict.title()} — {verdict.body()}"]
    lines += [f"  · {reason}" for reason in verdict.reasons]
    return "\n".join(lines)
