"""The row codec of aggregates: tallies to the columns of stored rows, and stored rows back (pure).

A row is one unit's counts by one breakdown: its groups' respondents and, per group, the stored slots
of every item (domain/slots.py). Rows go in as plain mappings and come out as objects with `counts`
and `group_respondents`, whatever stores them.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

import numpy as np

from webapp.domain import aggregation
from webapp.domain.breakdowns import group_values
from webapp.domain.codebook import Codebook
from webapp.domain.questionnaire import Questionnaire
from webapp.domain.slots import item_ns, row_counts, slot_layout, stored


class StoredRow(Protocol):
    counts: bytes
    group_respondents: list[Any]


def to_rows(codebook: Codebook, questionnaire: Questionnaire, round_id: int, level: str,
            unit_ids: list[int], tallies: dict[str, aggregation.Tally], at: datetime) -> list[dict]:
    """The live rows of the units, one per breakdown, from their tallies."""
    rows = []
    for grouping, t in tallies.items():
        values = list(group_values(questionnaire, grouping))
        total = tallies["all"].respondents[:, 0]
        for u, unit_id in enumerate(unit_ids):
            kept = stored(codebook, t.counts[u])
            rows.append({
                "round_id": round_id, "kind": "live", "level": level, "unit_id": unit_id,
                "grouping": grouping,
                "respondents": int(total[u]), "groups": values,
                "group_respondents": [int(x) for x in t.respondents[u]],
                "counts": kept.astype("<i4").tobytes(), "computed_at": at,
                "item_n": item_ns(codebook, kept, t.respondents[u]).astype("<i4").tobytes()})
    return rows


def from_rows(codebook: Codebook, rows: Iterable[StoredRow], n_groups: int) -> aggregation.Tally:
    """A one-unit tally from stored rows' sums (for rolling children up into a parent)."""
    layout = slot_layout(codebook)
    counts = np.zeros((1, n_groups, codebook.width, aggregation.SLOTS), dtype=np.int64)
    respondents = np.zeros((1, n_groups), dtype=np.int64)
    for row in rows:
        kept = row_counts(codebook, row.counts, row.group_respondents)
        counts[0][:, layout.items, layout.slots] += kept
        respondents[0] += np.array(row.group_respondents, dtype=np.int64)
    return aggregation.Tally(respondents, counts)
