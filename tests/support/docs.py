"""Hand-made analysis documents in the session.json shape, for tests of the verdict, the
follow-ups and the text the candidate reads (no model, no audio)."""

from __future__ import annotations


def make_doc(scenario, found=None, flags=(), missing=(), principle=None) -> dict:
    """An analysis document in the session.json shape. `found`: phrase labels said (default:
    all); `flags`: (id, quote, at_s, section) tuples; `missing`: section ids not found."""
    labels = {kp.phrase for s in scenario.sections for kp in s.key_phrases}
    found = labels if found is None else set(found)
    sections, key_phrases, t = [], [], 0.0
    for s in scenario.sections:
        gone = s.id in missing
        sections.append(
            {
                "id": s.id,
                "name": s.name,
                "start_s": None if gone else t,
                "end_s": None if gone else t + s.target_s,
                "duration_s": None if gone else s.target_s,
                "target_s": s.target_s,
                "verdict": "missing" if gone else "ok",
            }
        )
        for k, kp in enumerate(s.key_phrases):
            said = kp.phrase in found
            key_phrases.append(
                {
                    "phrase": kp.phrase,
                    "section": s.id,
                    "found": said,
                    "said_in": s.id if said else None,
                    "at_s": t + 2 * k if said else None,
                    "heard": kp.phrase if said else None,
                }
            )
        t += 0 if gone else s.target_s
    return {
        "sections": sections,
        "key_phrases": key_phrases,
        "flags": [
            {"id": fid, "message": fid, "at_s": at, "quote": quote, "section": section}
            for fid, quote, at, section in flags
        ],
        "delivery": {"words": 300, "wpm": 150.0, "fillers": 0, "filler_counts": {}},
        "total": {"speaking_s": t, "budget_max_s": 180.0, "budget_text": "", "verdict": "ok"},
        "principle_framing": {"name": principle} if principle else None,
    }


WEAK_FLAGS = (
    ("we-in-action", "They looked into it and fixed the problem.", 5.2, "action"),
    ("no-number-in-result", "I think it improved the system and the team was happy with", 7.1, "result"),
    ("vague-ending", "team was happy", 8.8, "result"),
)
