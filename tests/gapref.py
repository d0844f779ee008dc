"""An independent reading of the gap model's need flag, from raw answers, for tests to check against.

Written from the rule in docs/gaps.md, not from webapp/domain/needs.py: a respondent needs area a when
they answered the one item that asks about it with the answer that says so — the A2 item `behov_<group>`
with 4 or 5; for `fagbrev_bua`, `fagbrev` ticked in `onsket_format`; for an area no item feeds, a chosen
in `onsket_omrade` — and they are in a's denominator when they answered that item.
"""
from __future__ import annotations


def need_flags(questionnaire, answers: dict) -> dict[str, str]:
    """{"trenger_<area>": "ja" | "nei"} for every area whose denominator the respondent is in."""
    out = {}
    for area in questionnaire.areas:
        key, option = area.fed_by[0] if area.fed_by else ("onsket_omrade", area.code)
        value = answers.get(key)
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            out[f"trenger_{area.code}"] = "ja" if option in value else "nei"
        elif not any(o.code == value and o.na for o in questionnaire.items[key].options):
            needs = value == option if option is not None else value in ("4", "5")
            out[f"trenger_{area.code}"] = "ja" if needs else "nei"
    return out
