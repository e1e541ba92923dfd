"""Exports of a session document: Markdown, JSON, and SubRip/WebVTT subtitles.

Subtitle cues carry the section name (`[Action] I wrote a script…`) and never cross a section
boundary, so an answer can be replayed section by section in any media player. Pure: a
document in, text out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace

from mockvoice.errors import UsageError
from mockvoice.session import history, scorecard
from mockvoice.session import markdown as session_markdown
from mockvoice.session.document import AnswerPart, SessionDocument, TimedWord, section_at
from mockvoice.speech import transcript as speech

FORMATS = ("md", "json", "srt", "vtt")
CUE_WORDS = 7  # at most this many words per cue
CUE_GAP_S = 1.0  # a pause this long ends a cue
SENTENCE_END = (".", "?", "!")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    section: str  # the section name shown in the cue
    text: str

    @property
    def line(self) -> str:
        return f"[{self.section}] {self.text}"


def export(doc: SessionDocument, fmt: str, part: str | None = None) -> str:
    """The document as `fmt`; subtitles are for one recorded part (default: the answer)."""
    if fmt == "json":
        return json.dumps(doc.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if fmt == "md":
        return markdown(doc)
    if fmt in ("srt", "vtt"):
        cues = cues_for(subtitle_part(doc, part))
        return srt(cues) if fmt == "srt" else vtt(cues)
    raise UsageError(f"--format: unknown format {fmt!r} — use one of: {', '.join(FORMATS)}")


def subtitle_part(doc: SessionDocument, spec: str | None) -> AnswerPart:
    """The part subtitles are made for: a whole recording, so cue times match its audio file."""
    whole = [p for p in doc.answer_parts() if p.start_s is None]
    if spec is not None:
        chosen = history.find_part(doc, spec)
        if chosen.start_s is not None:  # a section: subtitle the answer, keep that section's cues
            return replace(chosen, start_s=None, end_s=None, sections=whole[0].sections)
        return chosen
    if not whole:
        raise UsageError(f"{doc.mode} session has no recorded answer — nothing to subtitle")
    if whole[0].id != "answer" and len(whole) > 1:
        ids = ", ".join(p.id for p in whole)
        raise UsageError(f"this session has one recording per attempt — pick one with --part ({ids})")
    return whole[0]


def cues_for(part: AnswerPart) -> list[Cue]:
    """Sentence-ish cues of about CUE_WORDS words (a word is never split from its glued tail:
    "0.3%"), each inside one section."""
    cues: list[Cue] = []
    chunk: list[tuple[TimedWord, str]] = []  # each word with what goes before it
    name = ""
    for i, w in enumerate(part.words):
        sec = section_at(part.sections, w.start)
        sec_name = sec.name if sec else part.name
        if chunk and sec_name != name:
            cues.append(_cue(chunk, name))
            chunk = []
        name = sec_name
        chunk.append((w, part.gaps[i] if i < len(part.gaps) else " "))
        nxt = part.words[i + 1] if i + 1 < len(part.words) else None
        glued = nxt is not None and i + 1 < len(part.gaps) and part.gaps[i + 1] == ""  # "$8" "K"
        ends = w.text.rstrip().endswith(SENTENCE_END) or (len(chunk) >= CUE_WORDS and not glued)
        if ends or nxt is None or nxt.start - w.end >= CUE_GAP_S:
            cues.append(_cue(chunk, name))
            chunk = []
    return cues


def _cue(words: list[tuple[TimedWord, str]], section: str) -> Cue:
    text = speech.join(gap + w.text.strip() for w, gap in words)
    first, last = words[0][0], words[-1][0]
    return Cue(first.start, max(last.end, first.start + 0.01), section, text)


def srt(cues: Sequence[Cue]) -> str:
    blocks = [
        f"{n}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{c.line}\n" for n, c in enumerate(cues, 1)
    ]
    return "\n".join(blocks)


def vtt(cues: Sequence[Cue]) -> str:
    blocks = ["WEBVTT\n"]
    for n, c in enumerate(cues, 1):
        text = c.line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        blocks.append(f"{n}\n{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n{text}\n")
    return "\n".join(blocks)


def _stamp(seconds: float, sep: str) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


NL = "\n"


def markdown(doc: SessionDocument) -> str:
    """transcript.md with a summary table in front of the transcript."""
    text = session_markdown.transcript_markdown(doc)
    summary = summary_markdown(doc)
    if not summary:
        return text
    head, sep, rest = text.partition(session_markdown.MD_LEGEND + "\n")  # after the verdict and fixes
    if sep:
        return f"{head}{sep}\n{summary}\n{rest.removeprefix(NL)}"
    head, sep, rest = text.partition("\n## ")
    return f"{head}\n{summary}{sep}{rest}" if sep else f"{text}\n{summary}"


def summary_markdown(doc: SessionDocument) -> str:
    if not doc.is_analyzed:
        return ""
    total, d = scorecard.analyzed(doc)
    lines = [
        "## Summary",
        "",
        "| section | time | target | verdict | key phrases |",
        "| --- | --- | --- | --- | --- |",
    ]
    for s in doc.sections or []:
        time = "—" if s.duration_s is None else f"{s.duration_s:.0f} s"
        lines.append(
            f"| {s.name} | {time} | {s.target_s:.0f} s | {s.verdict} | "
            f"{doc.found_count(s.id)}/{doc.phrase_count(s.id)} |"
        )
    lines += [
        "",
        f"Total: {scorecard.total_text(total)} · "
        f"phrases {doc.found_count()}/{doc.phrase_count()} · {d.wpm:.0f} wpm · {d.fillers} fillers · "
        f"{len(doc.flags or [])} flags",
        "",
        "### Key phrases",
        "",
        *(f"- {scorecard.phrase_status(k)}" for k in doc.key_phrases or []),
        "",
    ]
    return "\n".join(lines)
