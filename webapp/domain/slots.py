"""How counts are stored: per group, each item's respondents without an answer, then one count per
option (pure).

A stored row holds, for each of its groups, `len(columns)` int32 counts: for item j its missing slot
followed by one slot per option (or integer bin). From those and the group's respondents follow the
n of every item — answered, without missing and `na` answers — and everything a page shows.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from webapp.domain import aggregation
from webapp.domain.codebook import Codebook


@dataclass(frozen=True)
class SlotLayout:
    """Where each item's stored slots are."""

    items: np.ndarray      # the item of each stored column
    slots: np.ndarray      # the tally slot of each stored column (0 = missing, k + 1 = option k)
    missing: np.ndarray    # each item's first stored column (its missing slot)
    na_columns: np.ndarray  # the stored columns of `na` options …
    na_items: np.ndarray    # … and their items

    @property
    def width(self) -> int:
        return len(self.items)


_LAYOUTS: dict[int, SlotLayout] = {}  # keyed by the codebook's identity: Codebook.of keeps one per version


def slot_layout(codebook: Codebook) -> SlotLayout:
    if id(codebook) not in _LAYOUTS:
        _LAYOUTS[id(codebook)] = _build(codebook)
    return _LAYOUTS[id(codebook)]


def _build(codebook: Codebook) -> SlotLayout:
    items: list[int] = []
    slots: list[int] = []
    for column, item in enumerate(codebook.items):
        width = len(aggregation.option_codes(item)) + 1
        items.extend([column] * width)
        slots.extend(range(width))
    items_array = np.array(items, dtype=np.int64)
    missing = np.array([int(np.argmax(items_array == j)) for j in range(codebook.width)], dtype=np.int64)
    na_columns: list[int] = []
    na_items: list[int] = []
    for j, item in enumerate(codebook.items):
        if item.type != "integer":
            na_columns.extend(missing[j] + 1 + k for k, option in enumerate(item.options) if option.na)
            na_items.extend(j for option in item.options if option.na)
    return SlotLayout(items_array, np.array(slots, dtype=np.int64), missing,
                      np.array(na_columns, dtype=np.int64), np.array(na_items, dtype=np.int64))


def stored(codebook: Codebook, counts: np.ndarray) -> np.ndarray:
    """From tally counts (…, items, SLOTS) to stored columns (…, columns)."""
    layout = slot_layout(codebook)
    return counts[..., layout.items, layout.slots]


def item_ns(codebook: Codebook, counts: np.ndarray, group_respondents) -> np.ndarray:
    """n per group (rows) for the respondents (column 0) and every item (columns 1…): answered,
    without missing and `na` answers. `counts` is (groups, stored columns)."""
    layout = slot_layout(codebook)
    respondents = np.asarray(group_respondents, dtype=np.int64)
    out = np.empty((len(respondents), codebook.width + 1), dtype=np.int64)
    out[:, 0] = respondents
    answered = respondents[:, None] - counts[:, layout.missing]
    np.subtract.at(answered.T, layout.na_items, counts[:, layout.na_columns].T)  # .T: a view, items first
    out[:, 1:] = answered
    return out


def row_counts(codebook: Codebook, blob: bytes, group_respondents) -> np.ndarray:
    """Stored counts as (groups, stored columns) int64.

    A row written before the codebook gained its derived columns (the need flags) is narrower: it gets
    them as answered by nobody (every respondent in the missing slot), so it shows no flag figures until
    the next release writes the row whole."""
    layout = slot_layout(codebook)
    respondents = np.asarray(group_respondents, dtype=np.int64)
    flat = np.frombuffer(blob, dtype="<i4").astype(np.int64)
    if flat.size == len(respondents) * layout.width:
        return flat.reshape(len(respondents), layout.width)
    old = flat.size // max(len(respondents), 1)
    out = np.zeros((len(respondents), layout.width), dtype=np.int64)
    out[:, :old] = flat.reshape(len(respondents), old)
    for j in range(codebook.stored_width, codebook.width):
        if layout.missing[j] >= old:
            out[:, layout.missing[j]] = respondents
    return out


def decode_counts(codebook: Codebook, row) -> np.ndarray:
    """A stored row's counts as (groups, stored columns) int64."""
    return row_counts(codebook, row.counts, row.group_respondents)


def row_ns(codebook: Codebook, row) -> np.ndarray:
    """A stored row's n per group (rows) for the respondents and every item (columns), as item_ns."""
    groups = len(row.group_respondents)
    if row.item_n is not None and len(row.item_n) == 4 * groups * (codebook.width + 1):
        return np.frombuffer(row.item_n, dtype="<i4").reshape(groups, codebook.width + 1).astype(np.int64)
    return item_ns(codebook, decode_counts(codebook, row), row.group_respondents)
