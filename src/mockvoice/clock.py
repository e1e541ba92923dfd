"""Times as the candidate reads them (m:ss), shared by every layer that shows a time."""

from __future__ import annotations


def clock(seconds: float) -> str:
    m, s = divmod(round(seconds), 60)
    return f"{m}:{s:02d}"
