"""The one place that turns an OSError into a plain message with a fix (pure)."""

from __future__ import annotations

import errno

import pytest

from mockvoice.errors import ExitCode, StorageError, os_error_message


@pytest.mark.parametrize(
    ("code", "said"),
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EROFS, "read-only"),
        (errno.ENAMETOOLONG, "name is too long"),
        (errno.EACCES, "permission denied"),
    ],
)
def test_each_common_disk_error_has_its_own_words_and_a_fix(code: int, said: str) -> None:
    message = os_error_message(OSError(code, "raw"), "/r/s", "save the session")
    assert message.startswith("/r/s: cannot save the session: ") and said in message
    assert "\n" not in message and " — " in message


def test_other_errors_keep_the_system_words() -> None:
    message = os_error_message(OSError(errno.EIO, "Input/output error"), "x.html", "write the report")
    assert message == "x.html: cannot write the report: Input/output error — check the path and try again"


def test_storage_errors_have_their_own_exit_code() -> None:
    assert StorageError("x").exit_code == ExitCode.STORAGE == 7
