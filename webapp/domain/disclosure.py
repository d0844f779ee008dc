"""Which cells the final publication of a round holds back, decided for the whole round at once (pure).

While a round is open, answers reach the figures in blocks of at least k (domain/release.py), so
nothing needs hiding. When it closes, the last answers — fewer than k in most cells — would be read
off by comparing a cell's final figure with the one shown before. So the close works on the
*residual* table, what each cell gained since its last release: a cell whose residual holds 1 … k−1
people keeps its earlier figure, and so does whatever would give such a cell away by subtraction.

Cells are (unit, column) for every unit of the round — the round, its fylker, kommuner and schools —
where column 0 is the unit's total and columns 1… the groups of the breakdown. Two kinds of equations
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


def hold(residual: np.ndarray, parent: np.ndarray, threshold: int) -> np.ndarray:
    """Cells (units × columns × (respondents, items…)) whose residual must not be shown: the
    respondents first, then every item, where a group whose respondents are held holds every item."""
    respondents = suppress(residual[:, :, :1], parent, threshold)
    items = suppress(residual[:, :, 1:], parent, threshold,
                     np.broadcast_to(respondents, residual[:, :, 1:].shape).copy())
    return np.concatenate([respondents, items], axis=2)


def suppress(n: np.ndarray, parent: np.ndarray, threshold: int, forced: np.ndarray | None = None) -> np.ndarray:
    """Return a boolean mask of cells to hide.

    `n` is (units × columns) or (units × columns × items) — items are independent tables decided in
    one pass; `parent[u]` is the index of u's parent unit, -1 for the round.
    """
    flat = n.ndim == 2
    n = n[:, :, None] if flat else n
    hidden = (n > 0) & (n < threshold)
    if forced is not None:
        hidden |= forced[:, :, None] if forced.ndim == 2 else forced
    incidence = _Children(parent)
    while True:
        before = hidden.copy()
        hidden |= hidden[:, :1, :]  # a unit whose total is hidden shows nothing at all
        _rows(n, hidden, threshold)
        _columns(n, hidden, threshold, incidence, parent)
        if np.array_equal(before, hidden):
            return hidden[:, :, 0] if flat else hidden


class _Children:
    """Children grouped by parent, for summing each parent's children in one pass."""

    def __init__(self, parent: np.ndarray):
        children = np.where(parent >= 0)[0]
        self.order = children[np.argsort(parent[children], kind="stable")]
        self.parents, self.starts = np.unique(parent[self.order], return_index=True)
        self.units = len(parent)

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Per unit (as a parent): the sum of its children's rows (zeros for units without children)."""
        out = np.zeros((self.units,) + values.shape[1:], dtype=np.int64)
        if self.order.size:
            out[self.parents] = np.add.reduceat(values[self.order], self.starts, axis=0)
        return out


def _exposed(parts_sum, hidden_sum, hidden_people, unknown, total_hidden, threshold) -> np.ndarray:
    """Which equations pin down a hidden cell (vectorised over every equation at once)."""
    when_total_shown = ((hidden_sum + unknown > 0) & (hidden_sum + unknown < threshold)) | (
        (hidden_people == 1) & (unknown == 0))
    when_total_hidden = (hidden_people == 0) & (unknown == 0) & (parts_sum > 0)
    return np.where(total_hidden, when_total_hidden, when_total_shown)


def _rows(n: np.ndarray, hidden: np.ndarray, threshold: int) -> None:
    """Each unit's groups (columns 1…) plus its people without a group make its total (column 0)."""
    if n.shape[1] == 1:
        return
    parts, mask = n[:, 1:, :], hidden[:, 1:, :]
    unknown = n[:, 0, :] - parts.sum(axis=1)
    exposed = _exposed(parts.sum(axis=1), (parts * mask).sum(axis=1), ((parts > 0) & mask).sum(axis=1),
                       unknown, hidden[:, 0, :], threshold)
    _hide_smallest(parts, mask, exposed, axis=1, out=hidden[:, 1:, :])


def _columns(n: np.ndarray, hidden: np.ndarray, threshold: int, incidence: "_Children", parent: np.ndarray) -> None:
    """A parent's children make the parent, column by column."""
    units, columns, items = n.shape
    as_2d = n.reshape(units, -1)
    mask_2d = hidden.reshape(units, -1)
    parts_sum = incidence.sum(as_2d)
    hidden_sum = incidence.sum(as_2d * mask_2d)
    hidden_people = incidence.sum(((as_2d > 0) & mask_2d).astype(np.int64))
    has_children = np.zeros(units, dtype=bool)
    has_children[incidence.parents] = True
    unknown = as_2d - parts_sum
    exposed = _exposed(parts_sum, hidden_sum, hidden_people, unknown, mask_2d, threshold)
    exposed &= has_children[:, None] & ((hidden_sum > 0) | mask_2d)
    exposed = exposed.reshape(units, columns, items)
    shown_people = incidence.sum(((as_2d > 0) & ~mask_2d).astype(np.int64)).reshape(units, columns, items)
    for p in np.unique(parent[parent >= 0]):
        if not exposed[p].any():
            continue
        # With no child left to hide, the parent itself must go (its value is the hidden children's sum).
        lift = exposed[p] & (shown_people[p] == 0) & ~hidden[p]
        hidden[p] |= lift
        children = np.where(parent == p)[0]
        chosen = np.zeros((children.size, columns, items), dtype=bool)
        _hide_smallest(n[children], hidden[children], (exposed[p] & ~lift)[None], axis=0, out=chosen)
        hidden[children] |= chosen


def _hide_smallest(values: np.ndarray, mask: np.ndarray, exposed: np.ndarray, axis: int, out: np.ndarray) -> None:
    """In every exposed equation (the cells along `axis`), hide its smallest shown cell with people."""
    candidates = np.where(~mask & (values > 0), values, np.iinfo(np.int64).max)
    pick = np.expand_dims(np.argmin(candidates, axis=axis), axis)
    usable = np.take_along_axis(candidates, pick, axis) < np.iinfo(np.int64).max
    chosen = np.zeros_like(mask)
    np.put_along_axis(chosen, pick, usable & (exposed if exposed.ndim == mask.ndim else
                                               np.expand_dims(exposed, axis)), axis)
    out |= chosen
