"""transcript.md: the answer by section with its key phrases, then the follow-ups or drill
attempts, for reading in any editor.
"""

from __future__ import annotations

from mockvoice.clock import clock


def transcript_markdown(doc: dict) -> str:
    """Readable transcript: the answer by section, then follow-ups or drill attempts."""
    lines = [f"# {doc['scenario_title']}", "", f"> {doc['question']}", ""]
    meta = [f"Recorded {doc['created']}", f"mode {doc['mode']}"]
    if doc.get("level"):
        meta.append(f"level {doc['level']}")
    if doc.get("sectioning"):
        meta.append(f"{doc['sectioning']} sections")
    if doc.get("partial"):
        meta.append("PARTIAL (interrupted or in progress)")
    lines += [" · ".join(meta), ""]
    if "sections" in doc:
        lines += _answer_markdown(doc)
    for n, fu in enumerate(doc.get("followups") or [], 1):
        lines += [f"## Follow-up {n}: {fu['question']}", "", f"_verdict: {fu.get('verdict', '?')}_", ""]
        if fu.get("transcript"):
            lines += [fu["transcript"]["text"] or "_(no words)_", ""]
        lines += [f"- {reason}" for reason in fu.get("reasons", [])]
        lines.append("")
    for att in doc.get("attempts") or []:
        lines += [f"## Drill: {att['section']} (attempt {att['attempt']})", ""]
        if "transcript" in att:
            lines += [
                f"_{att['duration_s']:.0f} s (target {att['target_s']:.0f} s, {att['verdict']})_",
                "",
                att["transcript"]["text"] or "_(no words)_",
                "",
            ]
            lines += _phrase_lines(att["key_phrases"], att["section"])
        else:
            lines.append(f"_{att.get('error', 'no answer')}_")
        lines.append("")
    if doc.get("verdict"):
        v = doc["verdict"]
        lines += ["## Verdict", "", f"**{v['verdict']}** — {v['summary']}", ""]
        lines += [f"- {reason}" for reason in v.get("reasons", [])]
        lines.append("")
    return "\n".join(lines)


def _answer_markdown(doc: dict) -> list[str]:
    # Hesitations heard but not transcribed go back in where they were heard, as "(um)".
    heard = [{"text": f"({h['text']})", "start": h["start"]} for h in doc["transcript"].get("fillers", [])]
    words = sorted([*doc["transcript"]["words"], *heard], key=lambda w: w["start"])
    lines: list[str] = []
    for sec in doc["sections"]:
        lines.append(f"## {sec['name']}")
        if sec["start_s"] is None:
            lines += ["", "_not found in the answer_", ""]
        else:
            text = " ".join(w["text"] for w in words if sec["start_s"] <= w["start"] < sec["end_s"])
            lines += [
                f"_{clock(sec['start_s'])}–{clock(sec['end_s'])} · {sec['duration_s']:.0f} s "
                f"(target {sec['target_s']:.0f} s, {sec['verdict']})_",
                "",
                text or "_(no words)_",
                "",
            ]
        lines += _phrase_lines(doc["key_phrases"], sec["id"])
        lines.append("")
    if doc["flags"]:
        lines += ["## Flags", ""]
        lines += [
            f"- {clock(f['at_s'])} {f['message']}" + (f" — “{f['quote']}”" if f["quote"] else "")
            for f in doc["flags"]
        ]
        lines.append("")
    return lines


def _phrase_lines(key_phrases: list[dict], section_id: str) -> list[str]:
    lines = []
    for kp in (k for k in key_phrases if k["section"] == section_id):
        if kp["found"]:
            where = "" if kp["said_in"] == section_id else f" — said in {kp['said_in']}"
            lines.append(f"- [x] {kp['phrase']} — “{kp['heard']}” at {clock(kp['at_s'])}{where}")
        else:
            lines.append(f"- [ ] {kp['phrase']}")
    return lines
