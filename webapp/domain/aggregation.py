"""Aggregation maths: counts per unit × group × item × option from encoded answers (pure, NumPy).

A tally has shape (units, groups, items, slots). Slot 0 counts respondents who did not answer the
item; slot k + 1 counts option k (for a multi-select: respondents who ticked it; for an integer item:
the k-th of its bins). Counts are additive, so a kommune's tally is the sum of its schools'.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from webapp.domain.codebook import MAX_MULTI_OPTIONS, Codebook
from webapp.domain.questionnaire import Item

SLOTS = MAX_MULTI_OPTIONS + 2  # missing + up to 16 options + one scratch slot (dropped)
SCRATCH = SLOTS - 1
INTEGER_BINS = 5


def integer_bins(item: Item) -> list[tuple[int, int]]:
    """Split an integer item's range into equal bins, e.g. 1–20, 21–40 … 81–100."""
    low, high = item.minimum or 0, item.maximum or 100
    edges = np.linspace(low, high + 1, INTEGER_BINS + 1).round().astype(int)
    return [(int(edges[k]), int(edges[k + 1]) - 1) for k in range(INTEGER_BINS)]


def option_codes(item: Item) -> tuple[str, ...]:
    """The codes of an item's count slots 1…: its options, or its bins for an integer item."""
    if item.type == "integer":
        return tuple(f"{a}-{b}" for a, b in integer_bins(item))
    return item.codes


@dataclass(frozen=True)
class Tally:
    """Respondents and item counts for units × groups."""

    respondents: np.ndarray  # (units, groups) int64
    counts: np.ndarray  # (units, groups, items, SLOTS) int64

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.respondents + other.respondents, self.counts + other.counts)

    def __sub__(self, other: "Tally") -> "Tally":
        return Tally(self.respondents - other.respondents, self.counts - other.counts)


@dataclass(frozen=True)
class Encoded:
    """Respondents' answers mapped to count slots once, to tally under any number of breakdowns."""

    slots: np.ndarray          # (respondents, items): the slot each answer counts in (multi-selects: scratch)
    ticks: np.ndarray          # (respondents, ticked options of every multi-select) 0/1
    tick_columns: np.ndarray   # the item of each tick column
    tick_slots: np.ndarray     # the count slot of each tick column (option k → slot k + 1)


def encode(codebook: Codebook, cells: np.ndarray) -> Encoded:
    """Map encoded cells to count slots and unpack multi-select bits into tick columns."""
    slots = cells.astype(np.int64)
    tick_columns, tick_slots, ticks = [], [], []
    for column, item in enumerate(codebook.items):
        if item.type == "multi":
            slots[:, column] = np.where(cells[:, column] > 0, SCRATCH, 0)
            for k in range(len(item.options)):
                tick_columns.append(column)
                tick_slots.append(k + 1)
                ticks.append((cells[:, column] >> k) & 1)
        elif item.type == "integer":
            values = cells[:, column].astype(np.int64) - 1
            edges = [b for _a, b in integer_bins(item)]
            slots[:, column] = np.where(cells[:, column] > 0, np.searchsorted(edges, values) + 1, 0)
    tick_matrix = (np.stack(ticks, axis=1).astype(np.int64) if ticks
                   else np.zeros((len(cells), 0), dtype=np.int64))
    return Encoded(slots, tick_matrix, np.array(tick_columns, dtype=np.int64),
                   np.array(tick_slots, dtype=np.int64))


def tally(codebook: Codebook, cells: np.ndarray | Encoded, unit: np.ndarray, n_units: int,
          group: np.ndarray, n_groups: int) -> Tally:
    """Count answers per (unit, group); a respondent whose group is -1 is left out of that breakdown.

    `cells` may be the raw encoded matrix or, to tally several breakdowns, `encode(codebook, cells)`.
    """
    encoded = cells if isinstance(cells, Encoded) else encode(codebook, cells)
    keep = group >= 0
    slots, ticks, unit, group = encoded.slots[keep], encoded.ticks[keep], unit[keep], group[keep]
    width = codebook.width
    base = unit.astype(np.int64) * n_groups + group
    cells_count = n_units * n_groups
    respondents = np.bincount(base, minlength=cells_count).reshape(n_units, n_groups)
    flat = ((base[:, None] * width + np.arange(width)) * SLOTS + slots).ravel()
    counts = np.bincount(flat, minlength=cells_count * width * SLOTS).reshape(cells_count, width, SLOTS)
    if ticks.shape[1] and len(base):
        # Ticks summed per (unit, group): sort once, then add each run of equal cells.
        order = np.argsort(base, kind="stable")
        present, starts = np.unique(base[order], return_index=True)
        summed = np.zeros((cells_count, ticks.shape[1]), dtype=np.int64)
        summed[present] = np.add.reduceat(ticks[order], starts, axis=0)
        counts[:, encoded.tick_columns, encoded.tick_slots] = summed
    counts[..., SCRATCH] = 0
    return Tally(respondents, counts.reshape(n_units, n_groups, width, SLOTS))


def roll_up(child: Tally, parent_of_child: np.ndarray, n_parents: int) -> Tally:
    """Sum child units into their parents (schools → kommuner → fylker → the round)."""
    respondents = np.zeros((n_parents,) + child.respondents.shape[1:], dtype=np.int64)
    counts = np.zeros((n_parents,) + child.counts.shape[1:], dtype=np.int64)
    np.add.at(respondents, parent_of_child, child.respondents)
    np.add.at(counts, parent_of_child, child.counts)
    return Tally(respondents, counts)


@dataclass(frozen=True)
class Distribution:
    """One item's answers in one group: n answered (missing and `na` excluded) and counts per code."""

    item: str
    n: int
    counts: dict[str, int]
    na: int = 0

    def percent(self) -> dict[str, float]:
        return {code: round(100 * c / self.n, 1) if self.n else 0.0 for code, c in self.counts.items()}

    def share(self, codes: tuple[str, ...]) -> float | None:
        """Share (0–1) of n in the given option codes; None when nobody answered."""
        return sum(self.counts.get(c, 0) for c in codes) / self.n if self.n else None


def distribution(item: Item, respondents: int, slots: np.ndarray) -> Distribution:
    """Read one item's Distribution from its count slots."""
    codes = option_codes(item)
    counts = {code: int(slots[k + 1]) for k, code in enumerate(codes)}
    na = sum(counts.pop(o.code) for o in item.options if o.na)
    answered = respondents - int(slots[0])
    return Distribution(item.key, answered - na, counts, na)
