"""An independent reading of the gap model's need flag, from raw answers, for tests to check against.

Written from the rule in docs/gaps.md, not from webapp/domain/needs.py: a respondent needs area a when
they answered the item that feeds it (`behov_<group>`) with 4 or 5, chose a in `onsket_omrade`, or (for
an area fed through an option, `fagbrev_bua`) ticked that option; they are in a's denominator when they
answered at least one of those items.
"""
from __future__ import annotations


def need_flags(questionnaire, answers: dict) -> dict[str, str]:
    """{"trenger_<area>": "ja" | "nei"} for every area whose denominator the respondent is in."""
    out = {}
    for area in questionnaire.areas:
        answered, needs = False, False
        wishes = answers.get("onsket_omrade") or []
        if wishes:
            answered = True
            needs = area.code in wishes
        for key, option in area.fed_by:
            value = answers.get(key)
            if value in (None, "", []):
                continue
            if isinstance(value, list):
                answered = True
                needs = needs or option in value
            else:
                item = questionnaire.items[key]
                if any(o.code == value and o.na for o in item.options):
                    continue
                answered = True
                needs = needs or (value == option if option is not None else value in ("4", "5"))
        if answered:
            out[f"trenger_{area.code}"] = "ja" if needs else "nei"
    return out
