"""One module of mockvoice under today's name or under the flat name it had before the
subpackages (issue 13), so a bench can run a baseline commit's tree in its own process."""

from __future__ import annotations

import importlib
from types import ModuleType


def module(today: str, flat: str) -> ModuleType:
    """`mockvoice.<today>` (e.g. "analysis.answer"), else the baseline's `mockvoice.<flat>`."""
    try:
        return importlib.import_module(f"mockvoice.{today}")
    except ImportError:
        return importlib.import_module(f"mockvoice.{flat}")
