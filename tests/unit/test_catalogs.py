"""The UI catalogs compile: every translation keeps its placeholders (a broken one fails `make install`)."""
from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from webapp.config import PROJECT_ROOT

CATALOGS = sorted((PROJECT_ROOT / "webapp" / "translations").glob("*/LC_MESSAGES/messages.po"))


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_translation_keeps_the_placeholders_of_its_source(path):
    with path.open("rb") as source:
        catalog = read_po(source)
    problems = [f"{message.id!r}: {errors}" for message, errors in catalog.check()]
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    assert problems == [] and fuzzy == []
