"""The breakdowns figures are shown by: which groups each has, and who belongs where (pure)."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from webapp.domain.questionnaire import Questionnaire

# The breakdowns published besides the total. Only one: several breakdowns of the same people, next
# to each other and to the grouping items' own distributions, give small groups away by their
# cross-identities (docs/privacy.md); yrkesgruppe is the one the dashboards and NIFU 2023:15 use.
GROUPINGS = ("all", "yrkesgruppe")


def group_values(questionnaire: Questionnaire, grouping: str) -> tuple[str, ...]:
    """Return the groups of a breakdown, in the definition's order."""
    if grouping == "all":
        return ("all",)
    if grouping in questionnaire.derived:
        return tuple(questionnaire.derived[grouping].labels)
    if grouping in questionnaire.items:
        return questionnaire.items[grouping].codes
    raise ValueError(f"unknown breakdown {grouping!r}; use one of {', '.join(GROUPINGS)}")


def group_labels(questionnaire: Questionnaire, grouping: str) -> dict[str, dict[str, str]]:
    """Translation maps of the groups' names."""
    if grouping == "all":
        return {"all": {"nb": "Alle", "nn": "Alle", "en": "All"}}
    if grouping in questionnaire.derived:
        return {code: dict(texts) for code, texts in questionnaire.derived[grouping].labels.items()}
    return {o.code: dict(o.label) for o in questionnaire.items[grouping].options}


def group_index(values: tuple[str, ...], memberships: Sequence[str | None]) -> np.ndarray:
    """Map each respondent's group value to its position; -1 when they have none."""
    position = {v: i for i, v in enumerate(values)}
    if values == ("all",):
        return np.zeros(len(memberships), dtype=np.int64)
    return np.fromiter((position.get(m, -1) if m is not None else -1 for m in memberships),
                       dtype=np.int64, count=len(memberships))
