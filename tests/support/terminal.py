"""A real mockvoice process on a pseudo-terminal, as a candidate meets it: keys typed into it,
its screen kept (raw, with the control sequences the program wrote). Used by the key and
screen tests."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import termios
import threading
import time

from tests.support.e2e import EXE


def _own_terminal() -> None:
    """In the child: a new session whose controlling terminal is the pseudo-terminal on stdin."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """A process on a pseudo-terminal (120x40 unless told): keys are typed into it, its screen
    is kept."""

    def __init__(self, args: list[str], env: dict[str, str], columns: int = 120, rows: int = 40) -> None:
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.before = termios.tcgetattr(self.slave)
        self.proc = subprocess.Popen(
            [EXE, *args],
            env={**env, "TERM": "xterm-256color", "COLUMNS": str(columns)},
            stdin=self.slave,
            stdout=self.slave,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_own_terminal,  # Ctrl-C typed into it interrupts the program, as in a shell
        )
        self.screen = bytearray()
        self._done = threading.Event()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while not self._done.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                self.screen += os.read(self.master, 4096)

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def wait(self, timeout: float) -> tuple[int, str, str]:
        _, err = self.proc.communicate(timeout=timeout)
        time.sleep(0.3)  # the last of the screen
        self._done.set()
        self._reader.join(timeout=5)
        return self.proc.returncode, self.screen.decode(errors="replace"), err

    def modes_restored(self) -> bool:
        """The terminal's line mode and echo are as before the program put it in cbreak mode."""
        after = termios.tcgetattr(self.slave)
        return after[3] & (termios.ICANON | termios.ECHO) == self.before[3] & (termios.ICANON | termios.ECHO)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._done.set()
        self._reader.join(timeout=5)
        os.close(self.master)
        os.close(self.slave)
