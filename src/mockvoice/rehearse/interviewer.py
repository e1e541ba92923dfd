"""The interviewer: speaks prompts with the piper voice (cached by text), or prints them.

Both kinds also print what is said, so a transcript of the interview is always on screen.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from mockvoice.audio import player
from mockvoice.speech import tts


class Interviewer(Protocol):
    def say(self, text: str, *, echo: bool = True) -> None:
        """Say `text` and return when it has been said. `echo=False`: the caller already showed
        it under another label (an example answer read aloud in `study`)."""


def voice_cache_dir() -> Path:
    """Synthesized prompts are kept between runs ($MOCKVOICE_CACHE or the user cache dir)."""
    env = os.environ.get("MOCKVOICE_CACHE")
    if env:
        return Path(env) / "voice"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("mockvoice")) / "voice"


class TextInterviewer:
    """--no-voice: the prompts are only printed."""

    def __init__(self, show: Callable[[str], None]) -> None:
        self._show = show

    def say(self, text: str, *, echo: bool = True) -> None:
        if echo:
            self._show(text)


class VoiceInterviewer:
    """Speaks through an output device; the voice loads lazily on the first uncached prompt."""

    def __init__(self, show: Callable[[str], None], device: int | str | None = None) -> None:

        self._show = show
        self._device = device
        self._voice: tts.Voice | None = None
        self._cache = voice_cache_dir()
        tts.voice_paths()  # fail early, with the install hint, if the voice is missing

    def prepare(self, texts: list[str]) -> None:
        """Synthesize prompts ahead of time so speaking them later has no delay."""
        for text in texts:
            self._wav(text)

    def say(self, text: str, *, echo: bool = True) -> None:
        if echo:
            self._show(text)
        player.play_file(self._wav(text), device=self._device)

    def _wav(self, text: str) -> Path:

        self._cache.mkdir(parents=True, exist_ok=True)
        if self._voice is None:
            self._voice = tts.Voice()  # ~0.3 s, once per run
        return tts.cached_wav(text, self._cache, voice=self._voice)
