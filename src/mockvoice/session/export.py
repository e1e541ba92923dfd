"""Exports of a session document: Markdown, JSON, and SubRip/WebVTT subtitles.

Subtitle cues carry the section name (`[Action] I wrote a script…`) and never cross a section
boundary, so an answer can be replayed section by section in any media player. Pure: a
document in, text out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from mockvoice.errors import UsageError
from mockvoice.session import history, scorecard
from mockvoice.session import markdown as session_markdown

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


def export(doc: dict, fmt: str, part: str | None = None) -> str:
    """The document as `fmt`; subtitles are for one recorded part (default: the answer)."""
    if fmt == "json":
        return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if fmt == "md":
        return markdown(doc)
    if fmt in ("srt", "vtt"):
        cues = cues_for(subtitle_part(doc, part))
        return srt(cues) if fmt == "srt" else vtt(cues)
    raise UsageError(f"--format: unknown format {fmt!r} — use one of: {', '.join(FORMATS)}")


def subtitle_part(doc: dict, spec: str | None) -> history.Part:
    """The part subtitles are made for: a whole recording, so cue times match its audio file."""
    whole = [p for p in history.parts(doc) if p.start_s is None]
    if spec is not None:
        chosen = history.find_part(doc, spec)
        if chosen.start_s is not None:  # a section: subtitle the answer, keep that section's cues
            answer = whole[0]
            return history.Part(
                chosen.id, chosen.label, chosen.audio, None, None, chosen.words, answer.sections
            )
        return chosen
    if not whole:
        raise UsageError(f"{doc.get('mode', 'this')} session has no recorded answer — nothing to subtitle")
    if whole[0].id != "answer" and len(whole) > 1:
        ids = ", ".join(p.id for p in whole)
        raise UsageError(f"this session has one recording per attempt — pick one with --part ({ids})")
    return whole[0]


def section_of(sections: Sequence[dict], t: float) -> dict | None:
    """The section a word starting at `t` belongs to; words after the last section go to it,
    words before the first one to the first (as the analysis counts them)."""
    present = [s for s in sections if s.get("start_s") is not None]
    for s in present:
        if s["start_s"] <= t < s["end_s"]:
            return s
    if not present:
        return None
    return present[-1] if t >= present[-1]["end_s"] else present[0]


def cues_for(part: history.Part) -> list[Cue]:
    """Sentence-ish cues of at most CUE_WORDS words, each inside one section."""
    cues: list[Cue] = []
    chunk: list[dict] = []
    name = ""
    for i, w in enumerate(part.words):
        sec = section_of(part.sections, w["start"])
        sec_name = str(sec["name"]) if sec else part.label
        if chunk and sec_name != name:
            cues.append(_cue(chunk, name))
            chunk = []
        name = sec_name
        chunk.append(w | {"gap": part.gaps[i] if i < len(part.gaps) else " "})
        nxt = part.words[i + 1] if i + 1 < len(part.words) else None
        ends = w["text"].rstrip().endswith(SENTENCE_END) or len(chunk) >= CUE_WORDS
        if ends or nxt is None or nxt["start"] - w["end"] >= CUE_GAP_S:
            cues.append(_cue(chunk, name))
            chunk = []
    return cues


def _cue(words: list[dict], section: str) -> Cue:
    text = "".join(w["gap"] + w["text"].strip() for w in words).strip()
    return Cue(words[0]["start"], max(words[-1]["end"], words[0]["start"] + 0.01), section, text)


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


def markdown(doc: dict) -> str:
    """transcript.md with a summary table in front of the transcript."""
    text = session_markdown.transcript_markdown(doc)
    summary = summary_markdown(doc)
    if not summary:
        return text
    head, sep, rest = text.partition("\n## ")
    return f"{head}\n{summary}{sep}{rest}" if sep else f"{text}\n{summary}"


def summary_markdown(doc: dict) -> str:
    if not history.is_answer(doc):
        return ""
    lines = [
        "## Summary",
        "",
        "| section | time | target | verdict | key phrases |",
        "| --- | --- | --- | --- | --- |",
    ]
    for s in doc["sections"]:
        mine = [k for k in doc["key_phrases"] if k["section"] == s["id"]]
        found = sum(1 for k in mine if k["found"])
        time = "—" if s["duration_s"] is None else f"{s['duration_s']:.0f} s"
        lines.append(
            f"| {s['name']} | {time} | {s['target_s']:.0f} s | {s['verdict']} | {found}/{len(mine)} |"
        )
    total, d = doc["total"], doc["delivery"]
    found = sum(1 for k in doc["key_phrases"] if k["found"])
    lines += [
        "",
        f"{scorecard.total_text(total)} (budget {total['budget_text']}) · "
        f"phrases {found}/{len(doc['key_phrases'])} · {d['wpm']:.0f} wpm · {d['fillers']} fillers · "
        f"{len(doc['flags'])} flags",
        "",
        "### Key phrases",
        "",
        *(f"- {scorecard.phrase_status(k)}" for k in doc["key_phrases"]),
        "",
    ]
    return "\n".join(lines)
