"""Answers reach the published figures in blocks of at least k, never one by one (pure).

While a round is open, each school's answers are released per occupational group (and one more group,
the *rest*, for those who gave none). A group's respondents are released when at least k new ones
have come in since its last block; at that moment each of the group's items is released too if at
least k new answers to it have come in (an item never moves on its own, so what makes a block go out
is a count of people, not what anyone answered, and an item never shows more answers than people).

When the round closes, what is left — fewer than k in most cells — is released the same way (`close`):
first per group, one level up at a time — a school's own group if it has k left, else pooled with the
same group's answers at the kommune's other schools, then the fylke's, then the round's; then what is
still left (groups with fewer than k even in the whole round) in blocks across the groups, school,
kommune, fylke, round, shown only in the unit's total. Whatever is still under k at the round is never
shown. Groups first, because the breakdown by yrkesgruppe is what the upper levels are read for; a
school's total then counts its leftovers only where they could not go into a group.

A need flag (domain/needs.py) is the recode of one item: in every cell it has that item's answers, so it
is taken exactly when the item is, here and at the close, and never tells more than the item's figure.

So every published number is a sum of blocks, each the answers of at least k people (to one item, or
as respondents), and no block is in part of another's figure. Any difference a reader can form —
between two publications, a parent and its children, a total and its groups, over any number of
saved pages — is a sum of whole blocks: it covers no one, or at least k. docs/privacy.md has the
argument.
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
        return cls(np.zeros((units, groups), dtype=np.int64),
                   np.zeros((units, groups, columns), dtype=np.int64))

    def answered(self, layout: SlotLayout) -> np.ndarray:
        """(U, G, items): who answered each item, `na` answers included."""
        return self.respondents[..., None] - self.counts[..., layout.missing]

    def sizes(self, layout: SlotLayout) -> np.ndarray:
        """(U, G, 1 + items): respondents, then each item's n — answered, `na` («har ikke samarbeidet»)
        aside: the people whose answers a figure shows, so a block is counted in them."""
        return _sizes(self.respondents, self.answered(layout), self.counts, layout)

    def total(self) -> "Cells":
        """Every group of each unit added up: (U, 1)."""
        return Cells(self.respondents.sum(axis=1, keepdims=True), self.counts.sum(axis=1, keepdims=True))

    def roll_up(self, parent_of: np.ndarray, parents: int) -> "Cells":
        """Sum units into their parents."""
        return Cells(_roll_up(self.respondents, parent_of, parents),
                     _roll_up(self.counts, parent_of, parents))

    def __add__(self, other: "Cells") -> "Cells":
        return Cells(self.respondents + other.respondents, self.counts + other.counts)


def _sizes(respondents: np.ndarray, answered: np.ndarray, counts: np.ndarray,
           layout: SlotLayout) -> np.ndarray:
    shown = answered.copy()
    np.subtract.at(np.moveaxis(shown, -1, 0), layout.na_items,  # a view with the items first
                   np.moveaxis(counts[..., layout.na_columns], -1, 0))
    return np.concatenate([respondents[..., None], shown], axis=-1)


def _roll_up(values: np.ndarray, parent_of: np.ndarray, parents: int) -> np.ndarray:
    out = np.zeros((parents,) + values.shape[1:], dtype=np.int64)
    np.add.at(out, parent_of, values)
    return out


def due(live: Cells, released: Cells, layout: SlotLayout, threshold: int) -> np.ndarray:
    """(U, G, 1 + items): the cells a release takes now — a group's respondents when at least
    `threshold` new ones have come in, and with them each item with at least `threshold` new answers."""
    new = live.sizes(layout) - released.sizes(layout)
    people = new[..., 0] >= threshold
    return np.concatenate([people[..., None], people[..., None] & (new[..., 1:] >= threshold)], axis=-1)


def release(live: Cells, released: Cells, layout: SlotLayout, threshold: int) -> Cells:
    """Release every due cell: it takes the live counts; the others keep theirs."""
    return published(live, due(live, released, layout, threshold), released, layout)


def published(cells: Cells, take: np.ndarray, earlier: Cells, layout: SlotLayout) -> Cells:
    """Per cell the new counts where `take` (U, G, 1 + items) says so, else the earlier ones; the
    missing slots follow from the respondents and answers shown."""
    respondents = np.where(take[..., 0], cells.respondents, earlier.respondents)
    answered = np.where(take[..., 1:], cells.answered(layout), earlier.answered(layout))
    counts = np.where(take[..., 1:][..., layout.items], cells.counts, earlier.counts)
    counts[..., layout.missing] = respondents[..., None] - answered
    return Cells(respondents, counts)


@dataclass
class Parts:
    """Counts kept apart while blocks are cut at the close: respondents (U, G), who answered each item
    (U, G, items) and the option counts (U, G, C, missing slots unused). A block can take an item's
    answers without its respondents, so the missing slots are worked out only for the figures."""

    respondents: np.ndarray
    answered: np.ndarray
    counts: np.ndarray

    @classmethod
    def of(cls, cells: Cells, layout: SlotLayout) -> "Parts":
        return cls(cells.respondents, cells.answered(layout), cells.counts)

    def sizes(self, layout: SlotLayout) -> np.ndarray:
        return _sizes(self.respondents, self.answered, self.counts, layout)

    def __sub__(self, other: "Parts") -> "Parts":
        return Parts(self.respondents - other.respondents, self.answered - other.answered,
                     self.counts - other.counts)

    def __add__(self, other: "Parts") -> "Parts":
        return Parts(self.respondents + other.respondents, self.answered + other.answered,
                     self.counts + other.counts)

    def take(self, columns: np.ndarray, layout: SlotLayout) -> "Parts":
        """Remove and return the columns marked (U, G, 1 + items)."""
        taken = Parts(np.where(columns[..., 0], self.respondents, 0),
                      np.where(columns[..., 1:], self.answered, 0),
                      np.where(columns[..., 1:][..., layout.items], self.counts, 0))
        rest = self - taken
        self.respondents, self.answered, self.counts = rest.respondents, rest.answered, rest.counts
        return taken

    def roll_up(self, parent_of: np.ndarray, parents: int) -> "Parts":
        return Parts(_roll_up(self.respondents, parent_of, parents),
                     _roll_up(self.answered, parent_of, parents),
                     _roll_up(self.counts, parent_of, parents))

    def total(self) -> "Parts":
        return Parts(self.respondents.sum(axis=1, keepdims=True), self.answered.sum(axis=1, keepdims=True),
                     self.counts.sum(axis=1, keepdims=True))

    def cells(self, layout: SlotLayout) -> Cells:
        """As figures: the missing slots follow from the respondents and answers."""
        counts = self.counts.copy()
        counts[..., layout.missing] = self.respondents[..., None] - self.answered
        return Cells(self.respondents, counts)


@dataclass(frozen=True)
class Level:
    """One level of the round for the close: each school's position among the level's units."""

    name: str
    unit_of_school: np.ndarray
    units: int


@dataclass(frozen=True)
class Closing:
    """The blocks the close releases at each level (by its name): per group (U, G), and across the
    groups (U, 1) — shown only in the unit's total."""

    by_group: dict[str, Parts]
    across: dict[str, Parts]


def close(final: Cells, released: Cells, levels: list[Level], layout: SlotLayout, threshold: int) -> Closing:
    """Release what is left when a round closes: per group, level by level (schools, kommuner, fylker,
    the round), a block of what the unit's schools have left in the group; then, level by level, a
    block of what is still left across the groups. A column goes out when at least `threshold` are
    left in it, and what a block takes is gone from the levels above. Schools × groups in, per level
    out."""
    pending = Parts.of(final, layout) - Parts.of(released, layout)
    by_group, across = {}, {}
    for level in levels:
        here = level.unit_of_school
        full = (pending.roll_up(here, level.units).sizes(layout) >= threshold)[here]
        by_group[level.name] = pending.take(full, layout).roll_up(here, level.units)
    for level in levels:
        here = level.unit_of_school
        whole = pending.total().roll_up(here, level.units).sizes(layout)[:, 0, :] >= threshold
        full = np.broadcast_to(whole[here][:, None, :], pending.sizes(layout).shape)
        across[level.name] = pending.take(full, layout).roll_up(here, level.units).total()
    return Closing(by_group, across)
