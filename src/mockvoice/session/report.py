"""The HTML report of a session: one self-contained page, for reviewing a rehearsal afterwards.

The page has no network references at all (inline CSS, JS and SVG, and a Content-Security-Policy
that forbids fetching anything but the recordings): the audio is referenced by a path relative
to the page, so the report works from the session folder, offline, in any browser. Every word
of a transcript is a `<span data-t=START>` that seeks its recording when clicked.

All scenario and transcript text goes through `html.escape`. Pure: a document in, text out.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mockvoice.analysis.flags import FlagId
from mockvoice.clock import clock
from mockvoice.errors import SessionError
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
    QuizResult,
    SectionResult,
    SessionDocument,
    TimedWord,
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
FOLLOWUP_COLOUR = ("#334155", "#e2e8f0")
VAGUE_FLAGS = (FlagId.VAGUE_ENDING, FlagId.GENERIC_REFLECTION)
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "media-src 'self' file: blob:; img-src data:"
)
VERDICT_COLOUR = {"ok": "#15803d", "over": "#b91c1c", "under": "#a16207", "missing": "#b91c1c"}
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
    dict (a rehearsal being saved) is read as the document it will be (`as_document`)."""
    doc = as_document(doc)
    colours = section_colours(doc)
    body = [_header(doc)]
    if doc.verdict is not None:  # the verdict and what to fix first lead the page
        body.append(_verdict(doc.verdict))
    if doc.is_analyzed:
        body.append(_fixes(doc))
        body.append(_answer(doc, colours, base))
    elif doc.audio:
        body.append(_audio_block("a-answer", base, doc.audio, "Answer (not analyzed yet)"))
    body += [_followup(n, fu, base) for n, fu in enumerate(doc.followups or [], 1)]
    if doc.attempts:
        body.append(_attempts(doc.attempts, colours, base))
    if doc.quiz is not None:
        body.append(_quiz(doc.quiz))
    title = f"{doc.scenario_title} — {doc.created}"
    return _page(title, "\n".join(body))


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
    meta = [f"recorded {doc.created}", f"mode {doc.mode}"]
    for value, label in (
        (doc.level, "level"),
        (doc.principle, "leadership principle"),
        (doc.sectioning, "sections:"),
    ):
        if value:
            meta.append(f"{label} {value}")
    if doc.partial:
        meta.append("INTERRUPTED" if doc.interrupted else "PARTIAL")
    parts = [
        f"<header><h1>{escape(doc.scenario_title)}</h1>",
        f'<p class="question">{escape(doc.question)}</p>',
        f'<p class="meta">{escape(" · ".join(meta))}</p>',
    ]
    if doc.is_analyzed:
        parts.append(f'<p class="summary">{escape(_summary(doc))}</p>')
    return "\n".join(parts) + "</header>"


def _summary(doc: SessionDocument) -> str:
    total, d = analyzed(doc)
    return (
        f"{total_text(total)} · "
        f"key phrases {doc.found_count()}/{doc.phrase_count()} · {d.wpm:.0f} wpm · {d.fillers} fillers · "
        f"longest pause {d.longest_pause_s:.1f} s · {len(doc.flags or [])} flags"
    )


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
        _audio_block("a-answer", base, doc.audio, "Answer"),
        "<h2>Timeline</h2>",
        timeline_svg(doc, colours),
        _legend(),
        '<h2 id="transcript">Transcript</h2>',
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
    blocks.append(_delivery(doc, delivery))
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
) -> str:
    """The words as clickable spans; the words of one key phrase share one highlight."""
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
            note = escape(f"key phrase: {group.phrase}{in_other_words(group)}", quote=True)
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
    """The answer on its clock (clickable), then each section's duration against its target."""
    width, label_w, row_h = 760, 120, 26
    chart_w = width - label_w - 110
    sections = doc.sections or []
    duration = max(doc.duration_s or 0.0, *(s.end_s or 0.0 for s in sections), 1.0)
    scale = max(max(s.duration_s or 0.0, s.target_s) for s in sections) * 1.05 if sections else 1.0
    height = 44 + row_h * len(sections) + 10
    out = [
        f'<svg class="timeline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'role="img" aria-label="Section durations against targets">',
        f'<text x="0" y="22" class="lbl">answer {escape(clock(duration))}</text>',
        f'<rect x="{label_w}" y="8" width="{chart_w + 100}" height="20" fill="#f1f5f9"/>',
    ]
    for s in sections:
        if s.start_s is None or s.end_s is None:
            continue
        strong, _ = colours.get(s.id, PALETTE[-1])
        x = label_w + s.start_s / duration * (chart_w + 100)
        w = max(1.0, (s.end_s - s.start_s) / duration * (chart_w + 100))
        out.append(
            f'<rect class="seek" data-t="{s.start_s:.2f}" x="{x:.1f}" y="8" width="{w:.1f}" height="20" '
            f'fill="{strong}"><title>{escape(s.name)} {clock(s.start_s)}–{clock(s.end_s)}'
            "</title></rect>"
        )
    for row, s in enumerate(sections):
        out.append(_duration_row(s, colours, 44 + row * row_h, label_w, chart_w, scale))
    out.append("</svg>")
    return "\n".join(out)


def _duration_row(s: SectionResult, colours: dict, y: int, label_w: int, chart_w: int, scale: float) -> str:
    strong, light = colours.get(s.id, PALETTE[-1])
    target_x = label_w + s.target_s / scale * chart_w
    parts = [f'<text x="0" y="{y + 14}" class="lbl">{escape(s.name)}</text>']
    parts.append(
        f'<rect x="{label_w}" y="{y + 2}" width="{target_x - label_w:.1f}" height="16" fill="{light}"/>'
    )
    if s.duration_s is not None:
        w = s.duration_s / scale * chart_w
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="12" fill="{strong}"/>')
        text = f"{s.duration_s:.0f} s / {s.target_s:.0f} s {s.verdict}"
    else:
        text = f"missing / {s.target_s:.0f} s"
    colour = VERDICT_COLOUR.get(s.verdict, "#334155")
    parts.append(
        f'<line x1="{target_x:.1f}" x2="{target_x:.1f}" y1="{y}" y2="{y + 20}" stroke="#0f172a" '
        f'stroke-width="2" stroke-dasharray="3 2"><title>target {s.target_s:.0f} s</title></line>'
    )
    parts.append(
        f'<text x="{label_w + chart_w + 6}" y="{y + 14}" class="lbl" fill="{colour}">{escape(text)}</text>'
    )
    return "".join(parts)


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


def _delivery(doc: SessionDocument, d: DeliveryStats) -> str:
    items = [
        f"{d.words} words at {d.wpm:.0f} words/min",
        f"{d.fillers} fillers" + (f" ({', '.join(counts)})" if (counts := _filler_breakdown(d)) else ""),
        f"longest pause {d.longest_pause_s:.1f} s",
        f"first word after {d.time_to_first_word_s:.1f} s",
    ]
    if doc.level_expectations:
        items.append(f"{doc.level_expectations.name}: {doc.level_expectations.reflection}")
    if doc.principle_framing:
        items.append(f"{doc.principle_framing.name}: lead with — {doc.principle_framing.lead_with}")
    lis = "".join(f"<li>{escape(i)}</li>" for i in items)
    return f"<h2>Delivery</h2><ul>{lis}</ul>"


# --- follow-ups, drill attempts, quiz, verdict ----------------------------------------------------------


def _followup(n: int, fu: FollowupResult, base: str) -> str:
    player = f"a-followup-{n}"
    words = fu.transcript.words if fu.transcript else []
    ideas = fu.ideas  # judged on ideas: each ✓/✗ with its quote is among the reasons
    phrases = fu.phrases or []  # sessions from before ideas: key phrases
    marks = word_marks(words, phrases or _idea_marks(ideas or []), [], {})
    reasons = "".join(f"<li>{escape(r)}</li>" for r in fu.reasons)
    gaps = fu.transcript.gaps() if fu.transcript else []
    body = _words(words, range(len(words)), marks, {}, gaps) or "<em>(no words)</em>"
    takeaway = f'<p class="takeaway">Takeaway: {escape(fu.takeaway)}</p>' if fu.takeaway else ""
    found = [p.phrase for p in phrases if p.found]
    said = f"<p>Key phrases said: {escape(', '.join(found))}</p>" if found else ""
    lists = "" if ideas is not None else said + _phrase_lists(phrases, None)
    return (
        f'<section class="followup" id="followup-{n}" data-audio="{player}"><h2>Follow-up {n} '
        f'<span class="badge v-{escape(fu.verdict, quote=True)}">{escape(fu.verdict)}</span></h2>'
        f'<p class="question">{escape(fu.question)}</p>'
        f"{_audio_block(player, base, fu.audio, f'Follow-up {n}')}"
        f'<p class="words">{body}</p>{lists}'
        f"<ul>{reasons}</ul>{takeaway}</section>"
    )


def _idea_marks(ideas: Sequence[IdeaResult]) -> list[FollowupPhrase]:
    """The ideas heard, shaped like key phrases so the words that said them are highlighted."""
    return [
        FollowupPhrase(phrase=i.name, found=True, match=i.match, at_s=i.at_s, heard=i.heard)
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
        quote = f" <q>{escape(f.quote)}</q>" if f.quote else ""
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
    reasons = "".join(f"<li>{escape(r)}</li>" for r in v.reasons)
    return (
        f'<section id="verdict"><h2>Bar raiser: {escape(v.verdict)}</h2>'
        f"<p>{escape(v.summary)}</p><ul>{reasons}</ul></section>"
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
padding:0 18px 60px;color:#0f172a;background:#fff}
h1{font-size:1.5em;margin:.8em 0 .2em}h2{font-size:1.15em;margin:1.4em 0 .4em}h3{margin:.2em 0}
.question{font-style:italic;color:#334155}.meta,.summary{color:#475569;margin:.2em 0}
.player{position:sticky;top:0;z-index:2;background:#fff;padding:6px 0;display:flex;gap:10px;
align-items:center;border-bottom:1px solid #e2e8f0}.player audio{flex:1;min-width:240px}
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
cursor:pointer;padding:0 6px}
rect.seek{cursor:pointer}table.flags{border-collapse:collapse}table.flags td,table.flags th{
padding:3px 8px;border-bottom:1px solid #e2e8f0;vertical-align:top;text-align:left}
.quote{color:#475569;font-style:italic}.legend{color:#475569;font-size:.9em}
svg text.lbl{font-size:12px}svg text.ttl{font-size:13px;font-weight:600}
svg text.ax{font-size:10px;fill:#64748b}
.badge{font-size:.75em;padding:1px 8px;border-radius:10px;background:#e2e8f0;vertical-align:middle}
.v-strong{background:#dcfce7}.v-weak{background:#fee2e2}.v-partial{background:#fef9c3}
.charts{display:flex;flex-wrap:wrap;gap:12px}.right{color:#15803d}.wrong{color:#b91c1c}
.noaudio{color:#64748b}small{color:#475569;font-weight:normal}
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
