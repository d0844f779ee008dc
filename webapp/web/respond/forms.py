"""Reading a questionnaire page's form data into answer values.

Page forms are generated from the definition and validated by the domain (`apply_section` checks
every option, range and length, and answers in the user's language), so no WTForms class is built
per page: that validated everything twice and cost a third of a page POST's CPU (docs/benchmarks.md).
CSRF is checked for every POST by Flask-WTF's CSRFProtect before the view runs.
"""
from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from webapp.domain.questionnaire import Section


def page_answers(section: Section, form: MultiDict) -> dict[str, Any]:
    """Return the posted values of a page's items: codes, lists of codes, whole numbers or text.

    A number that is not a whole number is kept as typed, so the domain reports «not a number».
    """
    out: dict[str, Any] = {}
    for item in section.items:
        if item.type == "multi":
            out[item.key] = form.getlist(item.key)
            continue
        raw = form.get(item.key, "").strip()
        if item.type == "integer" and raw:
            compact = raw.replace(" ", "")
            out[item.key] = int(compact) if compact.isdigit() else raw
        else:
            out[item.key] = raw or None
    return out
