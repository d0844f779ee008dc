"""A match's reason in plain words, in the reader's language, from the published numbers it carries."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from webapp.domain.vocabulary import Vocabulary

AREAS, GROUPS = 2, 2  # a reason quotes the largest gaps the course covers, and the groups most in need


def reason_text(detail: Mapping[str, Any], words: Vocabulary, locale: str) -> str:
    """E.g. «Dekker Utagerende og truende atferd, konflikthåndtering: 9 av 14 som svarte, trenger mer
    kompetanse (Barne- og ungdomsarbeider: 6 av 8). Kurs passer for 7 av 14.»"""
    sentences = []
    for part in detail["reasons"][:AREAS]:
        text = _("Covers %(area)s: %(need)d of %(n)d who answered need more competence",
                 area=words.area(part["area"]).text(locale), need=part["need"], n=part["n"])
        groups = [_("%(group)s: %(need)d of %(n)d", group=words.yrkesgruppe(g["group"]).text(locale),
                    need=g["need"], n=g["n"]) for g in part["groups"][:GROUPS]]
        sentences.append(f"{text} ({'; '.join(groups)})" if groups else text)
    if detail.get("format_yes") is not None:
        name = words.format(detail["format"]).text(locale)
        sentences.append(_("%(format)s suits %(yes)d of %(n)d", format=name, yes=detail["format_yes"],
                           n=detail["format_n"]))
    return ". ".join(sentences) + "."
