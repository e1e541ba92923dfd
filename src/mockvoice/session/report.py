"""The HTML report of a session: one self-contained page, for reviewing a rehearsal afterwards.

The page has no network references at all (inline CSS, JS and SVG, and a Content-Security-Policy
that forbids fetching anything but the recordings): the audio is referenced by a path relative
to the page, so the report works from the session folder, offline, in any browser. Every word
of a transcript is a `<span data-t=START>` that seeks its recording when clicked.

All scenario and transcript text goes through `html.escape`. Pure: a document in, text out.
"""

from __future__ import annotations

import math
import os
import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mockvoice.analysis.flags import FlagId
from mockvoice.clock import clock
from mockvoice.errors import SessionError
from mockvoice.scenario.rules import default_rules
from mockvoice.session import history
from mockvoice.session.document import (
    DeliveryStats,
    DrillAttempt,
    FinalVerdict,
    FlagResult,
    FollowupPhrase,
    FollowupResult,
    HeardFiller,
    IdeaResult,
    KeyPhraseResult,
    LevelExpectations,
    PrincipleFraming,
    QuizResult,
    SectionResult,
    SessionDocument,
    TimedWord,
    TotalTime,
    as_document,
)
from mockvoice.session.scorecard import NOTHING_TO_FIX, analyzed, in_other_words, near_hit, total_text
from mockvoice.session.store import REPORT_FILE

PALETTE = [  # (strong, light) per section, in the order the document lists sections
    ("#2563eb", "#dbeafe"),
    ("#15803d", "#dcfce7"),
    ("#c2410c", "#ffedd5"),
    ("#7e22ce", "#f3e8ff"),
    ("#0e7490", "#cffafe"),
    ("#be185d", "#fce7f3"),
    ("#a16207", "#fef9c3"),
    ("#475569", "#e2e8f0"),
]
FOLLOWUP_COLOUR = ("#0f766e", "#ccfbf1")  # the ideas heard in a follow-up answer
VAGUE_FLAGS = (FlagId.VAGUE_ENDING, FlagId.GENERIC_REFLECTION)
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "media-src 'self' file: blob:; img-src data:"
)
VERDICT_COLOUR = {"ok": "#15803d", "over": "#b91c1c", "under": "#a16207", "missing": "#b91c1c"}
MODE_WORDS = {"analyze": "recording analyzed", "mock": "mock interview", "drill": "drill", "study": "study"}
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip
TICK_STEPS_S = (15, 30, 60)  # the time axis: the first step that gives at most MAX_TICKS intervals
MAX_TICKS = 8
Phrase = KeyPhraseResult | FollowupPhrase  # a highlighted phrase: of the answer, or of a follow-up


def media_base(page: Path, folder: Path) -> str:
    """URL prefix that reaches the session folder's files from a page written at `page`."""
    page_dir, folder = page.resolve().parent, folder.resolve()
    if page_dir == folder:
        return ""
    try:
        rel = Path(os.path.relpath(folder, page_dir)).as_posix()
    except ValueError:  # another drive (Windows): no relative path exists
        return folder.as_uri() + "/"
    return quote(rel, safe="/") + "/"


def _src(base: str, name: str) -> str:
    return escape(base + quote(name), quote=True)


# --- the session page --------------------------------------------------------------------------------


def render(doc: SessionDocument | Mapping[str, Any], *, base: str = "") -> str:
    """The whole page for a session document of any mode; `base` prefixes audio file names. A
    dict (a rehearsal being saved) is read as the document it will be (`as_document`).

    The order is what a candidate reads first: the header (the question, when, the level), the
    bar raiser's verdict and what to fix first, the timeline, the transcript by section, flags
    and delivery, what the level expects, then the follow-ups, drill attempts and quiz."""
    doc = as_document(doc)
    colours = section_colours(doc)
    body = [_header(doc)]
    if doc.verdict is not None:
        body.append(_verdict(doc.verdict))
    if doc.is_analyzed:
        body.append(_fixes(doc))
        body.append(_answer(doc, colours, base))
    elif doc.audio:
        body.append(_audio_block("a-answer", base, doc.audio, "Answer (not analyzed yet)"))
    body += [_level(doc.level_expectations), _framing(doc.principle_framing)]
    body += [_followup(n, fu, base) for n, fu in enumerate(doc.followups or [], 1)]
    if doc.attempts:
        body.append(_attempts(doc.attempts, colours, base))
    if doc.quiz is not None:
        body.append(_quiz(doc.quiz))
    title = f"{doc.scenario_title} — {date_in_words(doc.created)}"
    return _page(title, "\n".join(part for part in body if part))


def section_colours(doc: SessionDocument) -> dict[str, tuple[str, str]]:
    """Section id → (strong, light) colour, from the document's own section order."""
    ids = [s.id for s in doc.sections or []]
    ids += [a.section for a in doc.attempts or [] if a.section not in ids]
    return {sid: PALETTE[i % len(PALETTE)] for i, sid in enumerate(dict.fromkeys(ids))}


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"{body}\n<script>{JS}</script>\n</body>\n</html>\n"
    )


def _header(doc: SessionDocument) -> str:
    """The question as the title (the scenario's name above it, small), then when, which mode,
    level and principle, and how long the answer was."""
    meta = [
        f'<time datetime="{escape(doc.created, quote=True)}">{escape(date_in_words(doc.created))}</time>',
        escape(MODE_WORDS.get(doc.mode, doc.mode)),
    ]
    level = doc.level_expectations.name if doc.level_expectations else doc.level
    if level:
        meta.append(f"level {escape(level)}")
    principle = doc.principle_framing.name if doc.principle_framing else doc.principle
    if principle:
        meta.append(escape(principle))
    if doc.total is not None:
        meta.append(f"answer {_length(doc.total)}")
    if doc.partial:
        meta.append(f'<b class="partial">{"interrupted" if doc.interrupted else "partial"}</b>')
    return (
        f'<header><p class="kicker">{escape(doc.scenario_title)}</p>'
        f'<h1 class="question">{escape(doc.question)}</h1>'
        f'<p class="meta">{" · ".join(meta)}</p></header>'
    )


def date_in_words(created: str) -> str:
    """'Tuesday 1 December 2026, 09:42': the session's own (local) time as people write it, in
    English whatever the machine's locale, like the rest of the page."""
    d = datetime.fromisoformat(created)
    return f"{DAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}, {d:%H:%M}"


def _length(total: TotalTime) -> str:
    """The answer's length, the one figure the page prints for it (header, timeline, total line):
    the spoken time that the total line judges against the level, first word to last. Not the
    recording's length, which has silence around the answer (the browser's player shows that)."""
    return f'<span class="length">{clock(total.speaking_s)}</span>'


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _total_line(doc: SessionDocument) -> str:
    """'Total: 1:31 of a 2:30–3:00 answer — short', then the counts, under the timeline."""
    total, d = analyzed(doc)
    text, head = total_text(total), clock(total.speaking_s)
    rest = text[len(head) :] if text.startswith(head) else f" — {text}"
    counts = (
        f"key phrases {doc.found_count()}/{doc.phrase_count()} · {d.wpm:.0f} words/min · "
        f"{_count(d.fillers, 'filler')} · longest pause {d.longest_pause_s:.1f} s · "
        f"{_count(len(doc.flags or []), 'flag')}"
    )
    return f'<p class="total"><b>Total: {_length(total)}{escape(rest)}</b><br>{escape(counts)}</p>'


def _audio_block(player_id: str, base: str, name: str | None, label: str) -> str:
    if not name:
        return f'<p class="noaudio">{escape(label)}: no audio saved.</p>'
    return (
        f'<div class="player"><span>{escape(label)}</span>'
        f'<audio id="{player_id}" controls preload="auto" src="{_src(base, name)}"></audio></div>'
    )


# --- the main answer -------------------------------------------------------------------------------------


def _answer(doc: SessionDocument, colours: dict, base: str) -> str:
    transcript, (_, delivery) = doc.transcript, analyzed(doc)
    if transcript is None:  # never: the analysis is written whole (the document's validator)
        raise SessionError(f"{doc.mode} session of {doc.scenario}: an analyzed answer without its transcript")
    words = transcript.words
    flags = doc.flags or []
    marks = word_marks(words, doc.key_phrases or [], flags, delivery.filler_counts, transcript.fillers or [])
    gaps = transcript.gaps()
    blocks = [
        '<section class="answer" data-audio="a-answer">',
        _audio_block("a-answer", base, doc.audio, "Recording"),  # its player shows the recording's length
        "<h2>Timeline</h2>",
        timeline_svg(doc, colours),
        '<p class="legend">Each bar is where its section was said (click it to hear it); the dashed box '
        "behind it is the section's target, from the same start.</p>",
        _total_line(doc),
        '<h2 id="transcript">Transcript</h2>',
        _legend(),
    ]
    by_section: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        sec = doc.section_at(w.start)
        by_section.setdefault(sec.id if sec else "", []).append(i)
    if "" in by_section:  # no section found at all: the words in one block
        blocks.append(f'<p class="words">{_words(words, by_section[""], marks, colours, gaps)}</p>')
    for sec in doc.sections or []:
        blocks.append(_section(doc, sec, words, by_section.get(sec.id, []), marks, colours, gaps))
    blocks.append(_flags(flags))
    blocks.append(_delivery(delivery))
    blocks.append("</section>")
    return "\n".join(blocks)


def _section(doc: SessionDocument, sec: SectionResult, words, indices, marks, colours, gaps) -> str:
    strong, light = colours.get(sec.id, PALETTE[-1])
    if sec.start_s is None or sec.end_s is None:
        times = "not found in the answer"
    else:
        times = (
            f"{clock(sec.start_s)}–{clock(sec.end_s)} · {sec.duration_s:.0f} s "
            f"of {sec.target_s:.0f} s · {sec.verdict}"
        )
    head = (
        f'<h3 style="color:{strong}"><span class="dot" style="background:{strong}"></span>'
        f"{escape(sec.name)} <small>{escape(times)}</small>"
    )
    if sec.start_s is not None:
        head += f' <button class="seek" data-t="{sec.start_s:.2f}">▶ {escape(clock(sec.start_s))}</button>'
    return (
        f'<div class="sec" style="border-color:{strong};--light:{light}">{head}</h3>'
        f'<p class="words">{_words(words, indices, marks, colours, gaps) or "<em>(no words)</em>"}</p>'
        f"{_phrase_lists(doc.phrases_of(sec.id), sec.id)}</div>"
    )


def _phrase_lists(phrases: Sequence[Phrase], section_id: str | None) -> str:
    """Missing phrases, and phrases of this section said in another one (`section_id` None: the
    phrases of a follow-up or a drill attempt, which are not placed in sections)."""
    missing = [f"{k.phrase}{near_hit(k)}" for k in phrases if not k.found]
    elsewhere = [
        f"{k.phrase} (in {k.said_in} at {clock(k.at_s)})"
        for k in phrases
        if k.found
        and isinstance(k, KeyPhraseResult)
        and section_id is not None
        and k.said_in not in (None, section_id)
    ]
    out = ""
    if missing:
        items = "".join(f"<li>{escape(p)}</li>" for p in missing)
        out += f'<div class="missing"><b>Missing key phrases</b><ul>{items}</ul></div>'
    if elsewhere:
        items = "".join(f"<li>{escape(p)}</li>" for p in elsewhere)
        out += f'<div class="elsewhere"><b>Said in another section</b><ul>{items}</ul></div>'
    if phrases and not missing:
        out += '<p class="allfound">All key phrases said.</p>'
    return out


@dataclass
class Mark:
    """How one word is shown: a key phrase (with its section), and/or flagged."""

    phrase: Phrase | None = None
    classes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    heard_before: list[str] = field(default_factory=list)  # "um"/"uh" heard just before the word


def word_marks(
    words: Sequence[TimedWord],
    phrases: Sequence[Phrase],
    flags: Sequence[FlagResult],
    filler_counts: Mapping[str, int],
    heard: Sequence[HeardFiller] = (),
) -> list[Mark]:
    """Per word: the key phrase it belongs to, and "we"/filler/vague marks, found from the
    document's own `at_s` + quoted words (so the page shows exactly what the analysis heard)."""
    marks = [Mark() for _ in words]
    starts = [w.start for w in words]
    for k in phrases:
        if k.found and k.at_s is not None:
            for i in _span(words, starts, k.at_s, k.heard):
                marks[i].phrase = k
    for f in flags:
        if f.id == FlagId.WE_IN_ACTION:
            for i in _span(words, starts, f.at_s, None):  # the flag's time is the pronoun's own
                marks[i].classes.append("we")
                marks[i].notes.append(f.message)
        elif f.id in VAGUE_FLAGS:
            for i in _span(words, starts, f.at_s, f.quote):
                marks[i].classes.append("vague")
                marks[i].notes.append(f.message)
    for h in heard:
        after = bisect_left(starts, h.start)
        if after < len(marks):
            marks[after].heard_before.append(h.text)
    for i in filler_indices(words, filler_counts):
        marks[i].classes.append("filler")
        marks[i].notes.append("filler")
    return marks


def _span(words: Sequence[TimedWord], starts: Sequence[float], at_s: float, quote_text: str | None) -> range:
    """The words from the one starting at `at_s` that make up `quote_text` (quotes are the words
    joined with the recognizer's spacing, so "0.3%" may be three words)."""
    i = bisect_left(starts, at_s - 0.005)
    if i >= len(starts) or abs(starts[i] - at_s) > 0.02:
        return range(0)
    wanted = len(re.sub(r"\s+", "", quote_text or "")) or 1
    end, covered = i, 0
    while end < len(words) and covered < wanted:
        covered += len(re.sub(r"\s+", "", words[end].text)) or 1
        end += 1
    return range(i, end)


def _plain(text: str) -> str:
    return re.sub(r"[^\w']+", "", text.lower())


def filler_indices(words: Sequence[TimedWord], filler_counts: Mapping[str, int]) -> list[int]:
    """Every occurrence of the fillers the analysis counted (multi-word ones in sequence)."""
    plain = [_plain(w.text) for w in words]
    out: list[int] = []
    for filler in filler_counts:
        parts = filler.lower().split()
        for i in range(len(plain) - len(parts) + 1):
            if plain[i : i + len(parts)] == parts:
                out.extend(range(i, i + len(parts)))
    return out


def _words(
    words: Sequence[TimedWord],
    indices: Iterable[int],
    marks: Sequence[Mark],
    colours: dict,
    gaps: Sequence[str],
    noun: str = "key phrase",
) -> str:
    """The words as clickable spans; the words of one key phrase (or idea: `noun`) share one
    highlight."""
    out: list[str] = []
    group: Phrase | None = None
    for i in indices:
        w, m = words[i], marks[i]
        if group is not None and m.phrase is not group:
            out.append("</span>")
            group = None
        out.append(gaps[i] if out else "")
        if m.phrase is not None and group is None:
            group = m.phrase
            section = group.section if isinstance(group, KeyPhraseResult) else None
            strong, light = colours.get(section, FOLLOWUP_COLOUR)
            note = escape(f"{noun}: {group.phrase}{in_other_words(group)}", quote=True)
            style = f"background:{light};box-shadow:inset 0 -2px {strong}"
            out.append(f'<span class="kp" style="{style}" title="{note}">')
        title = f' title="{escape(" · ".join(m.notes), quote=True)}"' if m.notes else ""
        out += [
            f'<span class="filler heard" title="heard, not transcribed">({escape(h)})</span> '
            for h in m.heard_before
        ]
        out.append(
            f'<span class="{" ".join(["w", *m.classes])}" data-i="{i}" data-t="{w.start:.2f}"{title}>'
            f"{escape(w.text)}</span>"
        )
    if group is not None:
        out.append("</span>")
    return "".join(out)


def _legend() -> str:
    return (
        '<p class="legend">Click a word to hear it. '
        '<span class="kp" style="background:#e2e8f0">key phrase</span> (in its section’s colour) · '
        '<span class="we">“we” in the Action</span> · <span class="filler">filler</span> · '
        '<span class="filler heard">(um)</span> heard, not transcribed · '
        '<span class="vague">vague or generic</span></p>'
    )


def timeline_svg(doc: SessionDocument, colours: dict) -> str:
    """The answer on its clock at the page's full width: a track of the whole recording with the
    sections in their colours (click one to hear it), then one row per section, its bar where it
    was said and a dashed box as long as its target from the same start, over a time axis.

    Positions are percentages of the width and heights are pixels, so the chart fills any width
    and its text keeps its size (a scaled viewBox would shrink the text to 4 px on a phone)."""
    sections, transcript = doc.sections or [], doc.transcript
    words = transcript.words if transcript else []
    end = max(
        doc.duration_s or 0.0,
        *(s.end_s or 0.0 for s in sections),
        *(s.start_s + s.target_s for s in sections if s.start_s is not None),
        1.0,
    )
    row_h, top = 40, 44
    height = top + row_h * len(sections) + 24
    out = [
        f'<svg class="timeline" width="100%" height="{height}" role="img" '
        'aria-label="The answer on its clock, each section against its target">',
        _axis(end, top - 6, height - 18),
        f'<text x="0" y="12" class="lbl">Whole answer · {_spoken(doc)} spoken</text>',
        f'<rect x="0" y="18" width="{_pct(doc.duration_s or end, end)}" height="18" fill="#e2e8f0"/>',
    ]
    if words:
        spoken = _pct(words[-1].end - words[0].start, end)
        out.append(
            f'<rect x="{_pct(words[0].start, end)}" y="18" width="{spoken}" height="18" fill="#94a3b8"/>'
        )
    for s in sections:
        if s.start_s is not None and s.end_s is not None:
            out.append(_segment(s, colours, end, 18, 18))
    out += [_section_row(s, colours, end, top + row * row_h) for row, s in enumerate(sections)]
    out.append("</svg>")
    return "\n".join(out)


def _spoken(doc: SessionDocument) -> str:
    """The answer's length as an SVG text part (the same figure as `_length`)."""
    if doc.total is None:
        return "—"
    return f'<tspan class="length">{clock(doc.total.speaking_s)}</tspan>'


def _pct(t: float, end: float) -> str:
    return f"{max(0.0, t) / end * 100:.2f}%"


def tick_step(end_s: float) -> int:
    """Seconds between the axis's ticks: 15, 30 or 60, the first that gives at most MAX_TICKS
    intervals; a longer recording ticks every few minutes."""
    for step in TICK_STEPS_S:
        if end_s / step <= MAX_TICKS:
            return step
    return 60 * math.ceil(end_s / 60 / MAX_TICKS)


def _axis(end: float, y_top: int, y_axis: int) -> str:
    """Grid lines through the rows and m:ss labels under them, the last one kept inside."""
    step = tick_step(end)
    parts = [f'<line x1="0" x2="100%" y1="{y_axis}" y2="{y_axis}" stroke="#94a3b8"/>']
    for t in range(0, int(end) + 1, step):
        x = _pct(t, end)
        anchor = "start" if t == 0 else "end" if t / end > 0.96 else "middle"
        parts.append(
            f'<line x1="{x}" x2="{x}" y1="{y_top}" y2="{y_axis + 4}" stroke="#e2e8f0"/>'
            f'<text x="{x}" y="{y_axis + 16}" class="ax" text-anchor="{anchor}">{clock(t)}</text>'
        )
    return '<g class="axis">' + "".join(parts) + "</g>"


def _segment(s: SectionResult, colours: dict, end: float, y: int, h: int) -> str:
    """A section's span on the clock: click it to hear the section."""
    strong, _ = colours.get(s.id, PALETTE[-1])
    start, stop = s.start_s or 0.0, s.end_s or 0.0
    return (
        f'<rect class="seek" data-t="{start:.2f}" x="{_pct(start, end)}" y="{y}" '
        f'width="{_pct(max(stop - start, 0.2), end)}" height="{h}" fill="{strong}">'
        f"<title>{escape(s.name)} {clock(start)}–{clock(stop)}: click to hear it</title></rect>"
    )


def _section_row(s: SectionResult, colours: dict, end: float, y: int) -> str:
    """'Action 0:40–1:20 · 40 s of 45 s · ok' over the section's bar and its target's box."""
    strong, light = colours.get(s.id, PALETTE[-1])
    colour = VERDICT_COLOUR.get(s.verdict, "#334155")
    if s.start_s is None or s.end_s is None:
        return (
            f'<text x="0" y="{y + 12}" class="lbl">{escape(s.name)} · '
            f'<tspan fill="{colour}">missing</tspan> · target {s.target_s:.0f} s</text>'
        )
    times = f"{clock(s.start_s)}–{clock(s.end_s)} · {s.duration_s or 0:.0f} s of {s.target_s:.0f} s"
    return (
        f'<text x="0" y="{y + 12}" class="lbl">{escape(s.name)} {times} · '
        f'<tspan fill="{colour}">{escape(s.verdict)}</tspan></text>'
        f'<rect x="{_pct(s.start_s, end)}" y="{y + 17}" width="{_pct(s.target_s, end)}" height="16" '
        f'fill="{light}" stroke="{strong}" stroke-dasharray="4 3">'
        f"<title>target {s.target_s:.0f} s</title></rect>" + _segment(s, colours, end, y + 20, 10)
    )


def _flags(flags: Sequence[FlagResult]) -> str:
    if not flags:
        return "<h2>Flags</h2><p>No flags.</p>"
    rows = []
    for f in flags:
        quote_text = f"“{f.quote}”" if f.quote else ""
        rows.append(
            f'<tr><td><button class="seek" data-t="{f.at_s:.2f}">{escape(clock(f.at_s))}</button></td>'
            f'<td>{escape(f.message)}</td><td class="quote">{escape(quote_text)}</td></tr>'
        )
    return f'<h2>Flags</h2><table class="flags">{"".join(rows)}</table>'


def _filler_breakdown(d: DeliveryStats) -> list[str]:
    """ "um ×1", and the hesitations heard but not transcribed: "uh ×2 heard"."""
    written = [f"{k} ×{v}" for k, v in d.filler_counts.items()]
    return written + [f"{k} ×{v} heard" for k, v in (d.heard_fillers or {}).items()]


def _delivery(d: DeliveryStats) -> str:
    items = [
        f"{d.words} words at {d.wpm:.0f} words/min",
        _count(d.fillers, "filler") + (f" ({', '.join(counts)})" if (counts := _filler_breakdown(d)) else ""),
        f"longest pause {d.longest_pause_s:.1f} s",
        f"first word after {d.time_to_first_word_s:.1f} s",
    ]
    lis = "".join(f"<li>{escape(i)}</li>" for i in items)
    return f'<h2 id="delivery">Delivery</h2><ul>{lis}</ul>'


def _level(lvl: LevelExpectations | None) -> str:
    """What the level asks for, each part named: its focus, its bar and its model reflection."""
    if lvl is None:
        return ""
    return (
        f'<section id="level" class="expect"><h2>What an answer at {escape(lvl.name)} shows</h2><dl>'
        f"<dt>Focus</dt><dd>{escape(lvl.focus)}</dd>"
        f"<dt>The bar</dt><dd>{escape(lvl.bar)}</dd>"
        f"<dt>A model reflection at {escape(lvl.name)}</dt>"
        f"<dd><blockquote>{escape(lvl.reflection)}</blockquote></dd>"
        "</dl></section>"
    )


def _framing(p: PrincipleFraming | None) -> str:
    """How to frame the story for the principle given with `--lp`."""
    if p is None:
        return ""
    return (
        f'<section id="framing" class="expect"><h2>Framing for {escape(p.name)}</h2><dl>'
        f"<dt>Lead with</dt><dd>{escape(p.lead_with)}</dd>"
        f"<dt>Emphasize</dt><dd>{escape(p.emphasize)}</dd>"
        f"<dt>Downplay</dt><dd>{escape(p.downplay)}</dd></dl></section>"
    )


# --- follow-ups, drill attempts, quiz, verdict ----------------------------------------------------------


def _followup(n: int, fu: FollowupResult, base: str) -> str:
    """A follow-up, marked like the main answer: the clause that said each idea of a strong answer
    highlighted (older sessions: the key phrases heard), fillers struck through."""
    player = f"a-followup-{n}"
    words = fu.transcript.words if fu.transcript else []
    ideas = fu.ideas  # judged on ideas: each ✓/✗ with its quote is among the reasons
    phrases = fu.phrases or []  # sessions from before ideas: key phrases
    marks = word_marks(words, phrases or _idea_marks(ideas or []), [], _filler_words())
    reasons = "".join(f"<li>{escape(r)}</li>" for r in fu.reasons)
    gaps = fu.transcript.gaps() if fu.transcript else []
    noun = "key phrase" if phrases else "idea of a strong answer"
    body = _words(words, range(len(words)), marks, {}, gaps, noun) or "<em>(no words)</em>"
    takeaway = f'<p class="takeaway">Takeaway: {escape(fu.takeaway)}</p>' if fu.takeaway else ""
    found = [p.phrase for p in phrases if p.found]
    said = f"<p>Key phrases said: {escape(', '.join(found))}</p>" if found else ""
    lists = "" if ideas is not None else said + _phrase_lists(phrases, None)
    legend = (
        f'<p class="legend"><span class="kp" style="background:{FOLLOWUP_COLOUR[1]}">{escape(noun)}</span>, '
        'heard · <span class="filler">filler</span></p>'
        if words
        else ""
    )
    return (
        f'<section class="followup" id="followup-{n}" data-audio="{player}"><h2>Follow-up {n} '
        f'<span class="badge v-{escape(fu.verdict, quote=True)}">{escape(fu.verdict)}</span></h2>'
        f'<p class="question">{escape(fu.question)}</p>'
        f"{_audio_block(player, base, fu.audio, f'Follow-up {n}')}"
        f'{legend}<p class="words">{body}</p>{lists}'
        f"<ul>{reasons}</ul>{takeaway}</section>"
    )


def _filler_words() -> dict[str, int]:
    """The filler words and hesitations the analysis counts (data/delivery.yaml), to mark them in
    a follow-up answer, which has no delivery counts of its own."""
    rules = default_rules()
    return dict.fromkeys([*rules.hesitations, *rules.fillers], 0)


def _idea_marks(ideas: Sequence[IdeaResult]) -> list[FollowupPhrase]:
    """The ideas heard, shaped like key phrases so the words that said them are highlighted: the
    clause quoted as the evidence when there is one, else the words the idea was heard in."""
    return [
        FollowupPhrase(
            phrase=i.name,
            found=True,
            match=i.match,
            why=i.why,
            at_s=i.quote_at_s if i.quote else i.at_s,
            heard=i.quote or i.heard,
        )
        for i in ideas
        if i.found
    ]


def _attempts(attempts: Sequence[DrillAttempt], colours: dict, base: str) -> str:
    out = ['<h2 id="drill">Drill attempts</h2>']
    for att in attempts:
        player = f"a-{att.section}-{att.attempt}"
        strong, _ = colours.get(att.section, PALETTE[-1])
        label = f"{att.section.title()}, attempt {att.attempt}"
        head = f'<h3 style="color:{strong}">{escape(label)}'
        if att.transcript is None:
            out.append(
                f'<div class="sec" style="border-color:{strong}">{head}</h3>'
                f"<p>{escape(att.error or 'no answer')}</p></div>"
            )
            continue
        words = att.transcript.words
        flags = att.flags or []
        fillers = att.delivery.filler_counts if att.delivery else {}
        marks = word_marks(words, att.key_phrases or [], flags, fillers, att.transcript.fillers or [])
        gaps = att.transcript.gaps()
        head += f" <small>{att.duration_s:.0f} s of {att.target_s:.0f} s · {escape(str(att.verdict))}</small>"
        text = _words(words, range(len(words)), marks, colours, gaps) or "<em>(no words)</em>"
        player = escape(player, quote=True)
        out.append(
            f'<div class="sec" style="border-color:{strong}" data-audio="{player}">{head}</h3>'
            f"{_audio_block(player, base, att.audio, label)}"
            f'<p class="words">{text}</p>'
            f"{_phrase_lists(att.key_phrases or [], None)}{_flags_list(flags)}</div>"
        )
    return "\n".join(out)


def _flags_list(flags: Sequence[FlagResult]) -> str:
    items = "".join(
        f'<li><button class="seek" data-t="{f.at_s:.2f}">{escape(clock(f.at_s))}</button> '
        f"{escape(f.message)}</li>"
        for f in flags
    )
    return f'<ul class="flags">{items}</ul>' if items else ""


def _quiz(quiz: QuizResult) -> str:
    rows = "".join(
        f'<li class="{"right" if it.right else "wrong"}">{escape(it.question)}'
        f"<br>your answer: {escape(it.chosen or '—')}"
        f" · right: {escape(it.correct)}"
        f"<br><small>{escape(it.explanation)}</small></li>"
        for it in quiz.items
    )
    return f"<section><h2>Quiz {quiz.score}/{quiz.total}</h2><ol>{rows}</ol></section>"


def _fixes(doc: SessionDocument) -> str:
    """'Fix first': the top fixes, each with its words and a button that plays them in the
    answer's player (a missing section: the answer from its start)."""
    items = []
    for f in doc.fixes():
        quote = f"<br><q>{escape(f.quote)}</q>" if f.quote else ""  # the words, on their own line
        at = f.at_s if f.at_s is not None else 0.0
        label = clock(f.at_s) if f.at_s is not None else "the answer"
        items.append(
            f'<li class="fix" data-kind="{escape(f.kind, quote=True)}"><strong>{escape(f.where)}</strong>: '
            f"{escape(f.problem)}{quote} "
            f'<button class="seek" data-play data-t="{at:.2f}">▶ {escape(label)}</button></li>'
        )
    if not items:
        return f'<section id="fixes"><h2>Fix first</h2><p>{escape(NOTHING_TO_FIX)}</p></section>'
    return f'<section id="fixes" data-audio="a-answer"><h2>Fix first</h2><ol>{"".join(items)}</ol></section>'


def _verdict(v: FinalVerdict) -> str:
    """The bar raiser's verdict, coloured by how it leans, with the reasons it rests on."""
    reasons = "".join(f"<li>{escape(r)}</li>" for r in v.reasons)
    lean = v.verdict.lower().replace(" ", "-")
    return (
        f'<section id="verdict" class="{escape(lean, quote=True)}"><h2>Bar raiser: {escape(v.title())}</h2>'
        f'<p class="summary">{escape(v.body())}</p><ul>{reasons}</ul></section>'
    )


# --- progress across attempts ---------------------------------------------------------------------------


def render_progress(p: history.Progress, *, link_base: str | None = None) -> str:
    """Charts of one scenario over its attempts; `link_base` (URL of the recordings root, relative
    to the page) links each attempt to its own report."""
    labels = [a.created.strftime("%m-%d %H:%M") for a in p.attempts]
    charts = [
        line_chart(s.name, [a.durations.get(s.id) for a in p.attempts], labels, target=s.target_s, unit="s")
        for s in p.sections
    ]
    charts += [
        line_chart("Total speaking time", [a.speaking_s for a in p.attempts], labels, target=p.budget[1],
                   low_target=p.budget[0], unit="s"),
        line_chart("Key phrases said (%)", [round(a.coverage * 100, 1) for a in p.attempts], labels,
                   target=100, unit="%"),
        line_chart("Fillers per minute", [a.fillers_per_min for a in p.attempts], labels, unit="/min"),
        line_chart("Pace (words per minute)", [a.wpm for a in p.attempts], labels, unit=" wpm"),
    ]  # fmt: skip
    rows = []
    for n, a in enumerate(p.attempts, 1):
        name = escape(a.name)
        if link_base is not None:
            name = f'<a href="{escape(link_base + quote(a.name) + "/" + REPORT_FILE, quote=True)}">{name}</a>'
        rows.append(
            f"<tr><td>{n}</td><td>{name}</td><td>{clock(a.speaking_s)}</td>"
            f"<td>{len(a.found)}/{a.phrases_total}</td><td>{a.fillers_per_min:.1f}</td><td>{a.wpm:.0f}</td></tr>"
        )
    table = (
        '<table class="flags"><tr><th>#</th><th>session</th><th>time</th><th>phrases</th>'
        f"<th>fillers/min</th><th>wpm</th></tr>{''.join(rows)}</table>"
    )
    body = (
        f"<header><h1>Progress: {escape(p.title)}</h1>"
        f'<p class="meta">{len(p.attempts)} attempts of {escape(p.scenario)}</p></header>'
        f'{table}<div class="charts">{"".join(charts)}</div>'
    )
    return _page(f"Progress — {p.title}", body)


def line_chart(
    title: str,
    values: Sequence[float | None],
    labels: Sequence[str],
    *,
    target: float | None = None,
    low_target: float | None = None,
    unit: str = "",
) -> str:
    """A small inline-SVG line chart, one point per attempt, with dashed target lines."""
    w, h, left, top, bottom = 340, 170, 44, 26, 30
    present = [v for v in values if v is not None]
    high = max([*present, target or 0.0, low_target or 0.0, 1.0]) * 1.15
    plot_w, plot_h = w - left - 12, h - top - bottom

    def x(i: int) -> float:
        return left + (plot_w * i / (len(values) - 1) if len(values) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / high)

    out = [
        f'<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        f'aria-label="{escape(title, quote=True)}"><text x="4" y="16" class="ttl">{escape(title)}</text>',
        f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#94a3b8"/>',
        f'<text x="{left - 4}" y="{top + 4}" class="ax" text-anchor="end">{high:.0f}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" class="ax" text-anchor="end">0</text>',
    ]
    for t in (target, low_target):
        if t is not None:
            out.append(
                f'<line x1="{left}" x2="{left + plot_w}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#0f172a" '
                f'stroke-dasharray="4 3"><title>target {t:.0f}{escape(unit)}</title></line>'
            )
    for run in _runs(values):
        pts = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in run)
        out.append(f'<polyline points="{pts}" fill="none" stroke="#2563eb" stroke-width="2"/>')
    for i, v in enumerate(values):
        if v is not None:
            out.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="#2563eb">'
                f"<title>attempt {i + 1} ({escape(labels[i])}): {v:g}{escape(unit)}</title></circle>"
            )
    out.append(f'<text x="{left}" y="{h - 10}" class="ax">{escape(labels[0]) if labels else ""}</text>')
    if len(labels) > 1:
        out.append(
            f'<text x="{left + plot_w}" y="{h - 10}" class="ax" text-anchor="end">{escape(labels[-1])}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """Consecutive present values (a missing section breaks the line)."""
    runs: list[list[tuple[int, float]]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            runs.append([])
        else:
            runs[-1].append((i, v))
    return [r for r in runs if r]


CSS = """
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:980px;
padding:0 18px 60px;color:#0f172a;background:#fff;overflow-wrap:break-word}
h1{font-size:1.5em;margin:.8em 0 .2em}h2{font-size:1.15em;margin:1.4em 0 .4em}h3{margin:.2em 0}
header{padding-top:.6em}.kicker{margin:0;color:#475569;font-size:.85em;text-transform:uppercase;
letter-spacing:.04em}h1.question{font-size:1.3em;line-height:1.35;font-weight:600;font-style:normal;
color:#0f172a;margin:.2em 0 .3em}
.question{font-style:italic;color:#334155}.meta{color:#475569;margin:.2em 0}.partial{color:#b91c1c}
#verdict,#fixes{border:1px solid #e2e8f0;border-left:6px solid #94a3b8;border-radius:6px;padding:2px 16px;
margin:14px 0}#verdict h2,#fixes h2{margin:.5em 0 .3em}#verdict .summary{font-weight:600}
#verdict.strong-hire{border-left-color:#15803d}#verdict.leaning-hire{border-left-color:#65a30d}
#verdict.leaning-no-hire{border-left-color:#d97706}#verdict.no-hire{border-left-color:#b91c1c}
#fixes{border-left-color:#2563eb}#fixes li{margin:.3em 0}#verdict ul,#fixes ol{padding-left:1.3em}
.player{position:sticky;top:0;z-index:2;background:#fff;padding:6px 0;display:flex;flex-wrap:wrap;
gap:4px 10px;align-items:center;border-bottom:1px solid #e2e8f0}.player audio{flex:1;min-width:220px;
max-width:100%}
svg.timeline{display:block;width:100%;overflow:visible;margin:4px 0 2px}
.total{margin:.4em 0;color:#334155}.total b{color:#0f172a}
.sec{border-left:5px solid #94a3b8;padding:4px 12px;margin:12px 0}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px}
.words{line-height:1.9}.w{cursor:pointer;border-radius:3px;padding:0 1px}.w:hover{outline:1px solid #64748b}
.w.now{outline:2px solid #f59e0b}.kp{border-radius:3px;padding:0 2px}
.we{text-decoration:underline wavy #dc2626;text-underline-offset:3px}
.filler{color:#94a3b8;text-decoration:line-through}
.filler.heard{text-decoration:none;font-style:italic}
.vague{text-decoration:underline dotted #a16207 2px;text-underline-offset:3px}
.missing b{color:#b91c1c}.missing ul,.elsewhere ul{margin:.2em 0 .4em;padding-left:1.4em}
.missing li{color:#b91c1c}.elsewhere b{color:#a16207}.allfound{color:#15803d}
button.seek{font:inherit;font-size:.85em;border:1px solid #cbd5e1;background:#f8fafc;border-radius:4px;
cursor:pointer;padding:0 6px;color:#0f172a}
rect.seek{cursor:pointer}table.flags{border-collapse:collapse}table.flags td,table.flags th{
padding:3px 8px;border-bottom:1px solid #e2e8f0;vertical-align:top;text-align:left}
.quote{color:#475569;font-style:italic}.legend{color:#475569;font-size:.9em}
svg text.lbl{font-size:12px;fill:#0f172a}svg text.ttl{font-size:13px;font-weight:600}
svg text.ax{font-size:10px;fill:#64748b}
.expect dl{margin:.2em 0}.expect dt{font-weight:600;color:#334155;margin-top:.5em}
.expect dd{margin:0 0 0 1.2em}.expect blockquote{margin:.2em 0;padding:2px 12px;border-left:3px solid #cbd5e1;
font-style:italic;color:#334155}
.followup{border-top:1px solid #e2e8f0;margin-top:1.6em}
.badge{font-size:.75em;padding:1px 8px;border-radius:10px;background:#e2e8f0;vertical-align:middle}
.v-strong{background:#dcfce7}.v-weak{background:#fee2e2}.v-partial{background:#fef9c3}
.charts{display:flex;flex-wrap:wrap;gap:12px}.right{color:#15803d}.wrong{color:#b91c1c}
.noaudio{color:#64748b}small{color:#475569;font-weight:normal}
@media (max-width:600px){body{font-size:14px;padding:0 12px 40px}
table.flags td,table.flags th{padding:3px 4px}.sec{padding:4px 8px}}
@media print{
@page{margin:16mm}
body{max-width:none;padding:0;font-size:11pt;color:#000;background:#fff}
*{color:#000!important;box-shadow:none!important}
audio,.player{display:none!important}
button.seek{border:0;background:none;padding:0;font-size:inherit}
a{text-decoration:none}
.w.now{outline:none}.kp{text-decoration:underline;text-decoration-thickness:2px}
.filler{text-decoration:line-through}
#verdict,#fixes,.sec,.expect,table.flags tr,li,svg.timeline,.followup>.words{break-inside:avoid;
page-break-inside:avoid}
h1,h2,h3{break-after:avoid;page-break-after:avoid}
}
"""

JS = """
(function () {
  function player(el) {
    var box = el.closest('[data-audio]');
    return box ? document.getElementById(box.getAttribute('data-audio')) : null;
  }
  document.addEventListener('click', function (e) {
    var el = e.target.closest('[data-t]');
    if (!el) return;
    var audio = player(el);
    if (!audio) return;
    e.preventDefault();
    audio.currentTime = parseFloat(el.getAttribute('data-t'));
    if (el.hasAttribute('data-play')) { var p = audio.play(); if (p && p.catch) p.catch(function () {}); }
  });
  Array.prototype.forEach.call(document.querySelectorAll('audio'), function (audio) {
    var words = Array.prototype.slice.call(
      document.querySelectorAll('[data-audio="' + audio.id + '"] .w'));
    var times = words.map(function (w) { return parseFloat(w.getAttribute('data-t')); });
    var current = null;
    audio.addEventListener('timeupdate', function () {
      var lo = 0, hi = times.length - 1, found = -1, t = audio.currentTime;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1;
        if (times[mid] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
      }
      var next = found >= 0 ? words[found] : null;
      if (next === current) return;
      if (current) current.classList.remove('now');
      if (next) next.classList.add('now');
      current = next;
    });
  });
})();
"""
