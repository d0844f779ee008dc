"""Which cells of a unit's breakdown to hide, looking at every margin that could give them away (pure).

The table of one item: rows are the sibling units (children of one parent), columns the groups of a
breakdown plus `all`. A row's groups add up (with people outside every group) to its `all`; a column's
siblings add up to the parent's figure. Hiding repeats over rows and columns until nothing changes.
"""
from __future__ import annotations

from collections.abc import Mapping

from webapp.domain.suppression import suppress_margin

ALL = "all"
Cell = tuple[int, str]  # (unit id, group)


def hidden_cells(table: Mapping[Cell, int], parent: Mapping[str, int] | None, threshold: int,
                 forced: set[Cell] | frozenset[Cell] = frozenset()) -> set[Cell]:
    """Return the cells to hide; `parent` maps each group (and `all`) to the parent unit's figure.

    `forced` cells are hidden whatever their size (an item of a group whose respondents are hidden).
    """
    units = sorted({u for u, _g in table})
    groups = sorted({g for _u, g in table if g != ALL})
    hidden = {cell for cell, n in table.items() if 0 < n < threshold} | (set(forced) & set(table))
    changed = True
    while changed:
        before = set(hidden)
        for unit in units:
            if (unit, ALL) in hidden:
                hidden |= {(unit, g) for g in groups if table.get((unit, g), 0) > 0}
                continue
            row = {g: table.get((unit, g), 0) for g in groups}
            already = {g for g in groups if (unit, g) in hidden}
            hidden |= {(unit, g) for g in suppress_margin(row, table.get((unit, ALL), 0), threshold, already)}
        if parent is not None:
            for group in groups + [ALL]:
                column = {u: table.get((u, group), 0) for u in units}
                already = {u for u in units if (u, group) in hidden}
                total = max(parent.get(group, 0), sum(column.values()))
                hidden |= {(u, group) for u in suppress_margin(column, total, threshold, already)}
        changed = hidden != before
    return hidden
