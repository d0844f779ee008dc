"""Translated texts from questionnaire definitions."""
from __future__ import annotations

from collections.abc import Mapping

LOCALES = ("nb", "nn", "en")
FALLBACK = {"nn": ("nn", "nb"), "nb": ("nb",), "en": ("en", "nb")}


def pick(texts: Mapping[str, str] | None, locale: str) -> str:
    """Return the text in `locale`, falling back to bokmål."""
    if not texts:
        return ""
    for candidate in FALLBACK.get(locale, ("nb",)):
        if texts.get(candidate):
            return texts[candidate]
    return next(iter(texts.values()))
