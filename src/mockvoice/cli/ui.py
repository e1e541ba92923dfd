"""The terminal adapter: what the candidate sees, and the keys they press.

On a terminal: a live status line (elapsed, section countdown, level meter, warnings) and a
rich scorecard; keys are read one at a time in cbreak mode. Without a terminal (scripts,
tests): plain lines only and no keys, so answers end on silence.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import sys
import threading
from contextlib import AbstractContextManager

from mockvoice.clock import clock
from mockvoice.lazy import lazy
from mockvoice.rehearse.flows import LiveStatus
from mockvoice.session import scorecard

# Terminal control in text that came from a file or the recognizer (a scenario title, a story, a
# transcript) could retitle, clear or reprogram the user's terminal; only our own output may.
_CONTROL_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: cursor, erase ("\x1b[2J"), colors
    r"|(?:\x1b[]P^_X]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"  # OSC/DCS/APC…: title
    r"|\x1b[ -/]*[0-~]"  # any other escape (charset switches, reset "\x1bc")
)
_CONTROL_CHAR = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but tab and newline, DEL, C1


def clean(text: str) -> str:
    """`text` safe to print: escape sequences and control characters removed, newlines and tabs
    kept (a carriage return becomes a newline: it could otherwise overwrite what was printed)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHAR.sub("", _CONTROL_SEQUENCE.sub("", text))


def clean_doc(value):
    """A session document (or any JSON-like value) with `clean` applied to every string in it,
    for printers that build their own layout from it (the scorecard)."""
    if isinstance(value, document.SessionDocument):
        return document.as_document(clean_doc(value.to_dict()))
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {key: clean_doc(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_doc(item) for item in value]
    return value


document = lazy("mockvoice.session.document")  # pydantic: loaded on first use


def section_time(s: LiveStatus) -> str:
    """ "0:42 left", then "wrap up" once past the target, and "0:16 over" only when the section
    is surely over (`mockvoice.live`): the clock never counts back up and never cries wolf."""
    left = (s.target_s or 0) - s.section_elapsed_s
    if left >= 0:
        return f"{clock(left)} left"
    if s.over:
        return f"{clock(-left)} over"
    return "wrap up"


class TerminalOutput:
    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty()
        self._status_shown = False

    # --- plain lines ---------------------------------------------------------------------
    def line(self, text: str = "") -> None:
        self._clear_status()
        print(clean(text), file=self.stream, flush=True)

    def info(self, text: str) -> None:
        self.line(text)

    def interviewer(self, text: str) -> None:
        self.line(f"Interviewer: {text}")

    # --- live status ----------------------------------------------------------------------
    def status(self, s: LiveStatus) -> None:
        if not self.tty:
            return
        meter_cells = max(0, min(20, int((s.level_dbfs + 60) / 3)))
        meter = "▮" * meter_cells + "·" * (20 - meter_cells)
        parts = [f"● {clock(s.elapsed_s)}"]
        if s.section:
            parts.append(f"{s.section} {section_time(s)}")
        parts.append(meter)
        if s.fillers:
            parts.append(f"fillers {s.fillers}")
        if s.heard or s.missing:
            parts.append(" ".join([*(f"✓{p}" for p in s.heard), *(f"○{p}" for p in s.missing)]))
        if s.clipping:
            parts.append("CLIPPING — move back from the mic")
        elif s.silent:
            parts.append("no input? check the microphone")
        width = shutil.get_terminal_size((120, 20)).columns
        text = clean("  ".join(parts))[: width - 1]  # section names and phrases come from the file
        self.stream.write("\r\x1b[2K" + text)
        self.stream.flush()
        self._status_shown = True

    def end_status(self) -> None:
        self._clear_status()

    def live_phrase(self, event: dict) -> None:
        """A key phrase was just heard (called from the transcription worker)."""
        where = "" if event["said_in"] == event["section"] else f", said in {event['said_in']}"
        self.line(f"  ✓ “{event['phrase']}” ({event['section']}{where}, {clock(event['at_s'])})")

    def _clear_status(self) -> None:
        if self._status_shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._status_shown = False

    # --- results -----------------------------------------------------------------------------
    # The flows hand over the dicts they save; each is read as the document's part once, here.
    def scorecard(self, doc: dict) -> None:

        typed = document.as_document(clean_doc(doc))  # text from files and the recognizer, cleaned
        self._clear_status()
        if self.tty:
            from rich.console import Console

            Console(file=self.stream).print(scorecard.rich_renderable(typed))
        else:
            self.line(scorecard.plain(typed))

    def drill_feedback(self, attempt: dict) -> None:

        self.line(scorecard.drill_plain(document.as_model(document.DrillAttempt, attempt)))

    def followup(self, result: dict) -> None:

        self.line(scorecard.followup_plain(document.as_model(document.FollowupResult, result)))

    def verdict(self, verdict: dict) -> None:

        self.line(scorecard.verdict_plain(document.as_model(document.FinalVerdict, verdict)))


class TerminalKeys(AbstractContextManager):
    """Single keypresses from a terminal on stdin (cbreak mode, restored on exit)."""

    def __init__(self) -> None:
        self.interactive = sys.stdin.isatty()
        self._queue: queue.Queue[str] = queue.Queue()
        self._saved = None
        self._stop = threading.Event()

    def __enter__(self) -> TerminalKeys:
        if self.interactive:
            import termios
            import tty

            fd = sys.stdin.fileno()
            self._saved = termios.tcgetattr(fd)
            tty.setcbreak(fd)
            threading.Thread(target=self._read, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._saved is not None:
            import termios

            termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, self._saved)
            self._saved = None

    def _read(self) -> None:
        import select

        fd = sys.stdin.fileno()
        while not self._stop.is_set():
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                ch = os.read(fd, 1).decode(errors="ignore")
                if ch:
                    self._queue.put(ch)

    def poll(self) -> str | None:
        try:
            return self._queue.get_nowait()
        except queue.Empty:
            return None

    def ask(self, prompt: str) -> str:
        """Wait for one key (after a prompt line)."""
        print(prompt, flush=True)
        while True:
            key = self.poll()
            if key is not None:
                return key.lower()
            self._stop.wait(0.05)
