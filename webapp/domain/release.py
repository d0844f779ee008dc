"""Answers reach the published figures in blocks of at least k, never one by one (pure).

While a round is open, each school's answers are released per occupational group (and one more group
for those who gave none) and per column — the group's respondents, and each item — when at least k
new ones have come in since that cell was last released; then the cell takes all of them. Everything
published during the round is a sum of such blocks: a school is the sum of its groups, a kommune the
sum of its schools, and so on. So every difference a reader can form — between two publications,
between a parent and its children, between a unit and its groups — is a sum of whole blocks, each
holding at least k people. That is the argument in docs/privacy.md, and why no cell is ever hidden
while the round is open: a cell shows its released answers or, until the first block, nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from webapp.domain.slots import SlotLayout


@dataclass(frozen=True)
class Cells:
    """Counts of units × groups: respondents (U, G) and stored columns (U, G, C), in which each
    item's missing slot holds the respondents who did not answer it."""

    respondents: np.ndarray
    counts: np.ndarray

    @classmethod
    def zeros(cls, units: int, groups: int, columns: int) -> "Cells":
        return cls(np.zeros((units, groups), dtype=np.int64), np.zeros((units, groups, columns), dtype=np.int64))

    def answered(self, layout: SlotLayout) -> np.ndarray:
        """(U, G, items): who answered each item, `na` answers included."""
        return self.respondents[..., None] - self.counts[..., layout.missing]

    def sizes(self, layout: SlotLayout) -> np.ndarray:
        """(U, G, 1 + items): respondents, then each item's n — answered, `na` («har ikke samarbeidet»)
        aside: the people whose answers a figure shows, so a block is counted in them."""
        shown = self.answered(layout)
        np.subtract.at(shown, (..., layout.na_items), self.counts[..., layout.na_columns])
        return np.concatenate([self.respondents[..., None], shown], axis=-1)

    def total(self) -> "Cells":
        """Every group of each unit added up: (U, 1)."""
        return Cells(self.respondents.sum(axis=1, keepdims=True), self.counts.sum(axis=1, keepdims=True))

    def roll_up(self, parent_of: np.ndarray, parents: int) -> "Cells":
        """Sum units into their parents."""
        respondents = np.zeros((parents,) + self.respondents.shape[1:], dtype=np.int64)
        counts = np.zeros((parents,) + self.counts.shape[1:], dtype=np.int64)
        np.add.at(respondents, parent_of, self.respondents)
        np.add.at(counts, parent_of, self.counts)
        return Cells(respondents, counts)


def due(live: Cells, released: Cells, layout: SlotLayout, threshold: int) -> np.ndarray:
    """(U, G, 1 + items): the cells with at least `threshold` new members since their last release."""
    return live.sizes(layout) - released.sizes(layout) >= threshold


def release(live: Cells, released: Cells, layout: SlotLayout, threshold: int) -> Cells:
    """Release every due cell: it takes the live counts; the others keep theirs.

    An item's cell is its option slots and its number of answers; a due item always comes with a due
    respondents cell (whoever answered is a respondent), so the released respondents never fall below
    an item's released answers, and the missing slot is worked out from the two.
    """
    return published(live, due(live, released, layout, threshold), released, layout)


def published(cells: Cells, take: np.ndarray, earlier: Cells, layout: SlotLayout) -> Cells:
    """Per cell the new counts where `take` (U, G, 1 + items) says so, else the earlier ones; the
    missing slots follow from the respondents and answers shown."""
    respondents = np.where(take[..., 0], cells.respondents, earlier.respondents)
    answered = np.where(take[..., 1:], cells.answered(layout), earlier.answered(layout))
    counts = np.where(take[..., 1:][..., layout.items], cells.counts, earlier.counts)
    counts[..., layout.missing] = respondents[..., None] - answered
    return Cells(respondents, counts)
