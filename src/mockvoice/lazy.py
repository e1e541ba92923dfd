"""Modules whose body runs on first use, for the command line's edge.

The commands' modules import what they need at the top of the file, so a reader (and the layer
test) sees every dependency; but `mockvoice --help` must not pay for numpy, pydantic and the
analysis tables. `lazy(name)` returns the module at once and runs it when an attribute is first
read (importlib's LazyLoader). `load_all` runs every pending one on the main thread before a
command starts, so no worker thread is ever the one to trigger a module's first run.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

_PENDING: list[ModuleType] = []


def lazy(name: str) -> ModuleType:
    """The module `name`, its body run on first attribute access (at once if already imported)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(name)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)
    _PENDING.append(module)
    return module


def load_all() -> None:
    """Run every lazy module now (a command is about to run: --help and usage errors are past)."""
    while _PENDING:
        module = _PENDING.pop()
        _ = module.__name__  # reading any attribute runs the module's body
