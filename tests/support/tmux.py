"""A detached tmux pane of a given size: a real terminal emulator whose screen can be read.

`tmux capture-pane` gives the screen, scrollback included, as a user sees it (the raw byte
stream alone would still hold every erased status line). tmux rather than an emulator from
PyPI: it is what people run, reflows and wraps like their terminals do, and needs no Python
dependency. Used by tests/test_live_screen.py (this process writes to the pane's terminal) and
bench/screens.py (a real `mockvoice mock` runs in the pane).
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from tests.support import need


class Pane:
    """A detached tmux pane `columns` wide on a private server. With no `command` it runs `sleep`
    and `stream` is its terminal, to write to; with one, the command runs in the pane."""

    def __init__(
        self,
        folder: Path,
        columns: int,
        rows: int = 40,
        command: list[str] | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        need("tmux")
        self.columns = columns
        self._socket = str(folder / f"tmux-{columns}.sock")
        self._env = {**(env or os.environ), "LANG": "C.UTF-8", "TERM": "xterm-256color"}
        shell = shlex.join(command) if command else "sleep 600"
        self._tmux("new-session", "-d", "-x", str(columns), "-y", str(rows), shell)
        self._tmux("set-option", "-g", "history-limit", "10000")
        self._tmux("set-option", "-g", "remain-on-exit", "on")  # the last screen stays readable
        self.stream = None
        if command is None:
            tty = self._tmux("display-message", "-p", "#{pane_tty}").strip()
            self.stream = open(tty, "w", encoding="utf-8")  # noqa: SIM115 (closed in close())

    def _tmux(self, *args: str) -> str:
        command = ["tmux", "-u", "-f", "/dev/null", "-S", self._socket, *args]
        return subprocess.run(command, env=self._env, capture_output=True, text=True, check=True).stdout

    def screen(self, *, joined: bool = False) -> list[str]:
        """The rows on screen and in the scrollback, trailing blanks dropped (`joined`: rows the
        terminal wrapped joined back into one line)."""
        rows = self._tmux("capture-pane", "-p", "-S", "-", *(["-J"] if joined else [])).split("\n")
        rows = [row.rstrip() for row in rows]
        while rows and not rows[-1]:
            rows.pop()
        return rows

    def visible(self) -> list[str]:
        """The rows on screen now (no scrollback), as the candidate sees them at this moment."""
        return [row.rstrip() for row in self._tmux("capture-pane", "-p").split("\n")]

    def keys(self, *keys: str) -> None:
        """Type keys into the pane (tmux key names: "Enter", "Space", "Escape", or text)."""
        self._tmux("send-keys", *keys)

    def dead(self) -> bool:
        """Whether the command in the pane has exited."""
        return self._tmux("display-message", "-p", "#{pane_dead}").strip() == "1"

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
        subprocess.run(
            ["tmux", "-S", self._socket, "kill-server"], env=self._env, capture_output=True, check=False
        )
