"""transcript.md: the answer by section with its key phrases, then the follow-ups or drill
attempts, for reading in any editor.
"""

from __future__ import annotations

from collections.abc import Sequence

from mockvoice.clock import clock
from mockvoice.session.document import KeyPhraseResult, SessionDocument, Transcript
from mockvoice.session.scorecard import NOTHING_TO_FIX, play_command
from mockvoice.speech import transcript as speech


def transcript_markdown(doc: SessionDocument) -> str:
    """Readable transcript: the answer by section, then follow-ups or drill attempts."""
    lines = [f"# {doc.scenario_title}", "", f"> {doc.question}", ""]
    meta = [f"Recorded {doc.created}", f"mode {doc.mode}"]
    if doc.level:
        meta.append(f"level {doc.level}")
    if doc.sectioning:
        meta.append(f"{doc.sectioning} sections")
    if doc.partial:
        meta.append("PARTIAL (interrupted or in progress)")
    lines += [" · ".join(meta), ""]
    if doc.verdict:  # the verdict and what to fix first lead, before the sections
        v = doc.verdict
        lines += ["## Verdict", "", f"**{v.title()}** — {v.body()}", ""]
        lines += [f"- {reason}" for reason in v.reasons]
        lines.append("")
    if doc.is_analyzed:
        lines += _fixes_markdown(doc)
    if doc.sections is not None and doc.transcript is not None:  # the analysis: all of it or none
        lines += _answer_markdown(doc, doc.transcript)
    for n, fu in enumerate(doc.followups or [], 1):
        lines += [f"## Follow-up {n}: {fu.question}", "", f"_verdict: {fu.verdict}_", ""]
        if fu.transcript:
            lines += [fu.transcript.text or "_(no words)_", ""]
        lines += [f"- {reason}" for reason in fu.reasons]
        lines.append("")
    for att in doc.attempts or []:
        lines += [f"## Drill: {att.section} (attempt {att.attempt})", ""]
        if att.transcript is not None:
            lines += [
                f"_{att.duration_s:.0f} s (target {att.target_s:.0f} s, {att.verdict})_",
                "",
                att.transcript.text or "_(no words)_",
                "",
            ]
            lines += _phrase_lines(att.key_phrases or [], att.section)
        else:
            lines.append(f"_{att.error or 'no answer'}_")
        lines.append("")
    return "\n".join(lines)


def _fixes_markdown(doc: SessionDocument) -> list[str]:
    """'## Fix first': each fix with its words, their time and the command that plays them."""
    found = doc.fixes()
    if not found:
        return ["## Fix first", "", NOTHING_TO_FIX, "", MD_LEGEND, ""]
    lines = ["## Fix first", ""]
    for n, f in enumerate(found, 1):
        lines.append(f"{n}. **{f.where}**: {f.problem}")
        if f.quote:
            lines.append(f"   “{f.quote}” at {clock(f.at_s)}")
        lines.append(f"   `{play_command(doc.handle, f.play)}`")
    return [*lines, "", MD_LEGEND, ""]


MD_LEGEND = "Key phrases: [x] said (and where, when heard in another section) · [ ] not said"


def _answer_markdown(doc: SessionDocument, transcript: Transcript) -> list[str]:
    # Hesitations heard but not transcribed go back in where they were heard, as "(um)".
    heard = [(h.start, f" ({h.text})") for h in transcript.fillers or []]
    said = [(w.start, gap + w.text) for w, gap in zip(transcript.words, transcript.gaps(), strict=True)]
    words = sorted([*said, *heard], key=lambda w: w[0])
    lines: list[str] = []
    for sec in doc.sections or []:
        lines.append(f"## {sec.name}")
        if sec.start_s is None or sec.end_s is None:
            lines += ["", "_not found in the answer_", ""]
        else:
            text = speech.join(w for start, w in words if sec.start_s <= start < sec.end_s)
            lines += [
                f"_{clock(sec.start_s)}–{clock(sec.end_s)} · {sec.duration_s:.0f} s "
                f"(target {sec.target_s:.0f} s, {sec.verdict})_",
                "",
                text or "_(no words)_",
                "",
            ]
        lines += _phrase_lines(doc.phrases_of(sec.id), sec.id)
        lines.append("")
    if doc.flags:
        lines += ["## Flags", ""]
        lines += [
            f"- {clock(f.at_s)} {f.message}" + (f" — “{f.quote}”" if f.quote else "") for f in doc.flags
        ]
        lines.append("")
    return lines


def _phrase_lines(key_phrases: Sequence[KeyPhraseResult], section_id: str) -> list[str]:
    """The key phrases that belong to `section_id`, ticked when found (and where, if elsewhere)."""
    lines = []
    for kp in (k for k in key_phrases if k.section == section_id):
        if kp.found:
            where = "" if kp.said_in == section_id else f" — said in {kp.said_in}"
            lines.append(f"- [x] {kp.phrase} — “{kp.heard}” at {clock(kp.at_s)}{where}")
        else:
            lines.append(f"- [ ] {kp.phrase}")
    return lines
