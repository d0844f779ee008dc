"""Reading a questionnaire page's form data into answer values.

Page forms are generated from the definition and validated by the domain (`apply_section` checks
every option, range and length, and answers in the user's language), so no WTForms class is built
per page: that validated everything twice and cost a third of a page POST's CPU (docs/benchmarks.md).
CSRF is checked for every POST by Flask-WTF's CSRFProtect before the view runs.
"""
from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from webapp.domain.inputs import clean_text, whole_number
from webapp.domain.questionnaire import Section


def page_answers(section: Section, form: MultiDict) -> dict[str, Any]:
    """Return the posted values of a page's items: codes, lists of codes, whole numbers or text.

    Control characters are dropped and newlines made LF. A number that is not a whole number in ASCII
    digits is kept as typed, so the domain reports «not a number» and the page is shown again.
    """
    out: dict[str, Any] = {}
    for item in section.items:
        if item.type == "multi":
            out[item.key] = [clean_text(code) for code in form.getlist(item.key)]
            continue
        raw = clean_text(form.get(item.key, "")).strip()
        if item.type == "integer" and raw:
            number = whole_number(raw)
            out[item.key] = raw if number is None else number
        else:
            out[item.key] = raw or None
    return out
