"""Privacy: primary and complementary suppression of small groups (pure).

A *margin* is a set of cells that add up, with the cells' complement, to a published total: the
groups of a breakdown within a unit (their total is the unit's `all` figure), or the child units of a
parent (their total is the parent's figure). Whatever is not shown in a margin can be worked out by
subtraction as one sum, so a margin is safe only when the hidden sum is 0 or at least the threshold
and no small cell is the only hidden one with respondents in it. Respondents without a value for the
breakdown (e.g. no yrkesgruppe) form an implicit hidden cell of their own.
"""
from __future__ import annotations

from collections.abc import Mapping


def suppress_margin(cells: Mapping[str, int], total: int, threshold: int,
                    already: frozenset[str] | set[str] = frozenset()) -> set[str]:
    """Return the cells to hide in one margin: the small ones, plus complements so none can be derived."""
    hidden = {key for key, n in cells.items() if 0 < n < threshold} | set(already)
    unknown = total - sum(cells.values())  # respondents outside every shown group: never shown
    while True:
        residual = unknown + sum(cells[k] for k in hidden if k in cells)
        hidden_with_people = [k for k in hidden if cells.get(k, 0) > 0] + (["?"] if unknown > 0 else [])
        exposed = 0 < residual < threshold or (
            len(hidden_with_people) == 1 and hidden_with_people[0] != "?"
            and cells[hidden_with_people[0]] < threshold) or (
            len(hidden_with_people) == 1 and hidden_with_people[0] != "?" and hidden_with_people[0] in already)
        if not exposed:
            return hidden
        candidates = sorted((n, k) for k, n in cells.items() if k not in hidden and n > 0)
        if not candidates:
            return hidden
        hidden.add(candidates[0][1])
