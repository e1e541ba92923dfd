"""Is the process that left a file behind still running? Shared by the recorder (its `.recording`
sidecar) and the session store (staging folders, temporary files), so `doctor` never repairs a
recording or removes a save that a live process is still writing."""

from __future__ import annotations

import os
from pathlib import Path


def boot_id() -> str | None:
    """This boot's id: a pid written before a reboot belongs to someone else now."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return None


def owner_alive(owner: dict) -> bool:
    """Is the process named in an owner file or a recording's sidecar (`pid`, `boot_id`) running
    here, in this boot?"""
    pid = owner.get("pid")
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False
    if owner.get("boot_id") and owner["boot_id"] != boot_id():
        return False  # the machine rebooted: the pid is someone else's now
    return pid_alive(pid)


def pid_alive(pid: int) -> bool:
    """Running and not a zombie (a zombie has finished)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    except OSError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"
