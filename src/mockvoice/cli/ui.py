"""The terminal adapter: what the candidate sees, and the keys they press.

On a terminal: a live status (elapsed, section countdown, level meter, the section's phrases,
warnings) redrawn in place under the checklist and fitted to the terminal's width, long lines
wrapped between words, and a rich scorecard; keys are read one at a time in cbreak mode.
Without a terminal (scripts, tests): plain lines only and no keys, so answers end on silence.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import sys
import threading
import unicodedata
from contextlib import AbstractContextManager
from functools import partial

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


# --- the live screen ---------------------------------------------------------------------------
# The status is redrawn in place under the lines already printed (the checklist). It is built
# to fit the terminal's width: what does not fit on one row moves to a row of its own (the
# section's phrases, summarized when even that row is too narrow; a warning, always whole), then
# the section name is cut with "…", so nothing is cut by the terminal and no row wraps (a
# wrapped row could not be erased and would stay behind as a frozen copy).

METER_CELLS = (20, 10)  # on terminals at least WIDE_METER_COLUMNS wide, and narrower ones
WIDE_METER_COLUMNS = 100
SHORT_NAME_CELLS = 12
WARNINGS = {  # warning → its short form, for terminals too narrow for the whole one
    "clipping": ("CLIPPING — move back from the mic", "CLIPPING"),
    "silent": ("no input? check the microphone", "no input?"),
}
_BULLET = re.compile(r"^(\s*)([✓+\-·•○] )")


def cells(text: str) -> int:
    """Terminal cells `text` takes: wide (CJK) characters take two, combining marks none."""
    return sum(_char_cells(ch) for ch in text)


def _char_cells(ch: str) -> int:
    if unicodedata.combining(ch) or ch in "\u200b\u200d\ufe0f":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def cut(text: str, width: int) -> str:
    """`text` in at most `width` cells, ending in "…" when something was cut."""
    if cells(text) <= width:
        return text
    kept, used = [], 0
    for ch in text:
        if used + _char_cells(ch) > width - 1:
            break
        kept.append(ch)
        used += _char_cells(ch)
    return "".join(kept).rstrip() + "…"


def wrap(text: str, width: int) -> str:
    """`text` with each line longer than `width` cells broken between words (a continuation is
    indented under the first word after a bullet): the terminal would break it mid-word. A word
    longer than the whole line is the only thing ever broken inside."""
    return "\n".join(row for line in text.split("\n") for row in _wrap_line(line, max(width, 10)))


def _wrap_line(line: str, width: int) -> list[str]:
    if cells(line) <= width:
        return [line]
    indent = line[: len(line) - len(line.lstrip(" "))]
    bullet = _BULLET.match(line)
    hang = " " * len(bullet.group(0)) if bullet else indent
    hang = hang if cells(hang) <= width // 2 else ""
    rows: list[str] = []
    row = indent
    for word in line.split():
        longer = row + (" " if row.strip() else "") + word
        if row.strip() and cells(longer) > width:
            rows.append(row)
            longer = hang + word
        row = longer
        while cells(row) > width:  # one word wider than a row: broken, nothing else can be done
            head = _take_cells(row, width)
            rows.append(head)
            row = hang + row[len(head) :]
    rows.append(row)
    return rows


def _take_cells(text: str, width: int) -> str:
    used = 0
    for i, ch in enumerate(text):
        used += _char_cells(ch)
        if used > width:
            return text[:i]
    return text


def _one_line(text: str) -> str:
    """Text from a file (a section name, a phrase) for the status line: clean and on one line."""
    return " ".join(clean(text).split())


def phrase_forms(heard: tuple[str, ...], missing: tuple[str, ...]) -> list[str]:
    """The section's phrases, from all of them written out to the counts alone: what is still
    to say is kept longest ("✓2 ○outside my team +2 more"), then only "✓2 ○3" remains."""
    heard = tuple(_one_line(p) for p in heard)
    missing = tuple(_one_line(p) for p in missing)
    counts = " ".join(
        c for c in (f"✓{len(heard)}" if heard else "", f"○{len(missing)}" if missing else "") if c
    )
    forms = [" ".join([*(f"✓{p}" for p in heard), *(f"○{p}" for p in missing)])]
    if heard and missing:
        forms.append(" ".join([f"✓{len(heard)}", *(f"○{p}" for p in missing)]))
    for shown in range(len(missing) - 1, 0, -1):
        more = len(missing) - shown
        forms.append(
            " ".join(
                [f"✓{len(heard)}" if heard else "", *(f"○{p}" for p in missing[:shown]), f"+{more} more"]
            ).strip()
        )
    forms.append(counts)
    return list(dict.fromkeys(f for f in forms if f))  # in order, each once


def _meter(level_dbfs: float, width: int) -> str:
    full = max(0, min(width, int((level_dbfs + 60) / 60 * width)))
    return "▮" * full + "·" * (width - full)


def _row(
    s: LiveStatus, *, phrases: str | None, meter: int, name: str | None, fillers: bool, warning: str | None
) -> str:
    parts = [f"● {clock(s.elapsed_s)}"]
    if s.section:
        parts.append(f"{name} {section_time(s)}" if name else section_time(s))
    if meter:
        parts.append(_meter(s.level_dbfs, meter))
    if fillers and s.fillers:
        parts.append(f"fillers {s.fillers}")
    if phrases:
        parts.append(phrases)
    if warning:
        parts.append(warning)
    return "  ".join(parts)


def _heads(s: LiveStatus, warning: str | None, meter: int, *, all_steps: bool):
    """Candidate first rows (clock, section, meter, fillers, `warning`), richest first: the
    section name cut; with `all_steps`, then fillers, meter and section name left out in turn."""
    full = _one_line(s.section or "")
    short = cut(full, SHORT_NAME_CELLS)
    row = partial(_row, s, phrases=None, warning=warning)
    yield row(meter=meter, name=full, fillers=True)
    yield row(meter=meter, name=short, fillers=True)
    if all_steps:
        yield row(meter=meter, name=short, fillers=False)
        yield row(meter=0, name=short, fillers=False)
        yield row(meter=0, name=None, fillers=False)


def _first_fitting(rows, room: int, last: str) -> str:
    return next((r for r in rows if cells(r) <= room), None) or cut(last, room)


def status_rows(s: LiveStatus, width: int) -> list[str]:
    """The status for a terminal `width` columns wide, no row reaching the last column: all on
    one row while it fits; else the section's phrases on a row of their own (summarized when
    even that is too narrow), and a warning that does not fit whole beside the clock on its own
    row (shortened only on a terminal narrower than the warning). The meter's size depends on
    the width alone, so it does not jump while the candidate speaks."""
    room = max(width - 1, 1)
    meter = METER_CELLS[0] if width >= WIDE_METER_COLUMNS else METER_CELLS[1]
    kind = "clipping" if s.clipping else "silent" if s.silent else None
    whole, short = WARNINGS[kind] if kind else (None, None)
    forms = phrase_forms(s.heard, s.missing)
    name = _one_line(s.section or "")
    one = _row(s, phrases=forms[0] if forms else None, meter=meter, name=name, fillers=True, warning=whole)
    if cells(one) <= room:
        return [one]
    clock_only = f"● {clock(s.elapsed_s)}"
    head = (
        next((r for r in _heads(s, whole, meter, all_steps=False) if cells(r) <= room), None)
        if kind
        else None
    )
    rows = [head or _first_fitting(_heads(s, None, meter, all_steps=True), room, clock_only)]
    if forms:
        rows.append(_first_fitting(forms, room, forms[-1]))
    if kind and head is None:
        rows.append(whole if cells(whole) <= room else cut(short, room))
    return rows


class TerminalOutput:
    """What the candidate sees. On a terminal, lines (the interviewer, the checklist) scroll up
    while the live status stays redrawn in place below them; every write holds one lock, as the
    checklist's lines come from the transcription worker while the status comes from the
    recording loop. Without a terminal: plain lines only."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty()
        self._lock = threading.RLock()
        self._live: LiveStatus | None = None  # the status being shown, redrawn after a line
        self._shown: list[str] = []  # its rows as on the screen now

    def width(self) -> int:
        """The terminal's columns now (it may have been resized since the last row)."""
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            columns = 0
        return columns or shutil.get_terminal_size((120, 20)).columns  # 0: a terminal of unknown size

    # --- plain lines ---------------------------------------------------------------------
    def line(self, text: str = "") -> None:
        text = clean(text)
        if not self.tty:
            print(text, file=self.stream, flush=True)
            return
        with self._lock:
            rows = self._status_rows() if self._live else []
            self._write(self._erase() + wrap(text, self.width() - 1) + "\n" + self._draw(rows))

    def info(self, text: str) -> None:
        self.line(text)

    def interviewer(self, text: str) -> None:
        self.line(f"Interviewer: {text}")

    # --- live status ----------------------------------------------------------------------
    def status(self, s: LiveStatus) -> None:
        if not self.tty:
            return
        with self._lock:
            self._live = s
            rows = self._status_rows()
            if rows != self._shown:
                self._write(self._erase() + self._draw(rows))

    def end_status(self) -> None:
        with self._lock:
            self._live = None
            if self._shown:
                self._write(self._erase())

    def live_phrase(self, event: document.LiveEvent) -> None:
        """A key phrase was just heard (called from the transcription worker)."""
        where = "" if event.said_in == event.section else f", said in {event.said_in}"
        self.line(f"  ✓ “{event.phrase}” ({event.section}{where}, {clock(event.at_s)})")

    def _status_rows(self) -> list[str]:
        return [clean(r) for r in status_rows(self._live, self.width())]

    def _erase(self) -> str:
        """Back to the start of the status's first row, its rows blank (nothing when none)."""
        if not self._shown:
            return ""
        up = "\x1b[1A\x1b[2K" * (len(self._shown) - 1)
        self._shown = []
        return "\r\x1b[2K" + up

    def _draw(self, rows: list[str]) -> str:
        """The status rows from the start of an empty row; the cursor stays at the end of the
        last one, so the next line or redraw starts from there."""
        self._shown = rows
        return ("\r\x1b[2K" + "\n".join(rows)) if rows else ""

    def _write(self, text: str) -> None:
        if text:
            self.stream.write(text)
            self.stream.flush()

    # --- results -----------------------------------------------------------------------------
    # The flows hand over the typed parts they save (`session.document`).
    def scorecard(self, doc: document.SessionDocument) -> None:

        typed = clean_doc(doc)  # text from files and the recognizer, cleaned
        if self.tty:
            from rich.console import Console

            with self._lock:
                self.end_status()
                Console(file=self.stream, width=self.width()).print(scorecard.rich_renderable(typed))
        else:
            self.line(scorecard.plain(typed))

    def drill_feedback(self, attempt: document.DrillAttempt) -> None:
        self.line(scorecard.drill_plain(attempt))

    def followup(self, result: document.FollowupResult) -> None:
        self.line(scorecard.followup_plain(result))

    def verdict(self, verdict: document.FinalVerdict) -> None:
        self.line(scorecard.verdict_plain(verdict))


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
