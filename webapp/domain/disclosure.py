"""Which published cells to hide, decided once for a whole round so no output can give one away (pure).

Cells are (unit, column) for every unit of the round — the round, its fylker, kommuner and schools —
where column 0 is the unit's total and columns 1… the groups of one breakdown. Two kinds of equations
tie them together, and anyone holding the published numbers can use both:

- a row: a unit's groups plus its people without a group (never shown) make the unit's total;
- a column: the children of a unit make the unit, group by group (a parent is never older than its
  children, so any difference is people not yet in the children's figures, never shown either).

A cell is primary-suppressed when 0 < n < threshold. Then, until nothing changes, an equation that
would pin down a hidden cell — one hidden cell with people and nothing else unknown in it, or hidden
cells whose sum with the unknowns is below the threshold — gets its smallest visible cell hidden too.
"""
from __future__ import annotations

import numpy as np


def suppress(n: np.ndarray, parent: np.ndarray, threshold: int, forced: np.ndarray | None = None) -> np.ndarray:
    """Return a boolean mask of cells to hide; `n` is (units × columns), `parent[u]` is -1 for the round."""
    hidden = (n > 0) & (n < threshold)
    if forced is not None:
        hidden |= forced
    units = np.arange(n.shape[0])
    children_of = [units[parent == p] for p in range(n.shape[0])]
    while True:
        before = hidden.copy()
        hidden[hidden[:, 0]] = True  # a unit whose total is hidden shows nothing at all
        _rows(n, hidden, threshold)
        _columns(n, hidden, threshold, children_of)
        if np.array_equal(before, hidden):
            return hidden


def _protect(values: np.ndarray, mask: np.ndarray, unknown: int, threshold: int, total_hidden: bool) -> int | None:
    """For one equation (parts `values`, hidden `mask`, never-shown `unknown` people, total shown or not),
    return the index of a part to hide as well, or None when nothing can be worked out."""
    hidden_people = int(((values > 0) & mask).sum())
    if total_hidden:
        # total − Σ hidden parts = Σ shown parts + unknown: the total is pinned when no part is hidden
        exposed = hidden_people == 0 and unknown == 0 and values.sum() > 0
    else:
        residual = int(values[mask].sum()) + unknown
        exposed = 0 < residual < threshold or (hidden_people == 1 and unknown == 0)
    if not exposed:
        return None
    candidates = np.where(~mask & (values > 0))[0]
    if candidates.size == 0:
        return None
    return int(candidates[np.argmin(values[candidates])])


def _rows(n: np.ndarray, hidden: np.ndarray, threshold: int) -> None:
    if n.shape[1] == 1:
        return
    parts_hidden = (hidden[:, 1:] & (n[:, 1:] > 0)).any(axis=1)
    for u in np.where(parts_hidden & ~hidden[:, 0])[0]:
        while (pick := _protect(n[u, 1:], hidden[u, 1:], int(n[u, 0] - n[u, 1:].sum()), threshold, False)) is not None:
            hidden[u, 1 + pick] = True


def _columns(n: np.ndarray, hidden: np.ndarray, threshold: int, children_of: list[np.ndarray]) -> None:
    for p, children in enumerate(children_of):
        if children.size == 0:
            continue
        for c in range(n.shape[1]):
            parts, mask = n[children, c], hidden[children, c]
            if not mask.any() and not hidden[p, c]:
                continue
            unknown = int(n[p, c] - parts.sum())
            while (pick := _protect(parts, mask, unknown, threshold, bool(hidden[p, c]))) is not None:
                hidden[children[pick], c] = True
                mask = hidden[children, c]
