"""The short leader questionnaire and the leader side of the perception gap (pure).

A school leader says, per yrkesgruppe at the school, yes or no to three statements that mirror
Section D of the staff questionnaire. At the school those are the management's signed statements and
are shown as they are. Above the school they are counted in *blocks*, as the staff answers are at the
close (domain/release.py): per kommune, a cell (statement, group) whose schools' leaders number at
least k is a block; what is left of the kommune's statements, across the groups, is a block when at
least k schools' leaders gave it. A fylke or the round shows the sum of its kommuner's blocks. So
every leader figure is a sum of disjoint blocks of at least k leaders, published once (the round is
closed), and any difference a reader can form between them covers no leader or at least k.
docs/privacy.md, «Leader answers», has the argument.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

LEADER_ITEMS = ("leder_plan", "leder_roller", "leder_felles")
ALL = "all"


@dataclass(frozen=True)
class Statement:
    """One leader's yes or no to one statement about one group at their school."""

    school: int
    group: str
    item: str
    yes: bool


@dataclass(frozen=True)
class LeaderShare:
    """How many of the leaders' statements in a figure said yes, of how many."""

    yes: int
    n: int

    @property
    def share(self) -> float | None:
        return self.yes / self.n if self.n else None

    def __add__(self, other: LeaderShare) -> LeaderShare:
        return LeaderShare(self.yes + other.yes, self.n + other.n)


EMPTY = LeaderShare(0, 0)
Cell = tuple[str, str]  # (leader item, group or ALL)


def _count(statements: Iterable[Statement]) -> LeaderShare:
    found = list(statements)
    return LeaderShare(sum(s.yes for s in found), len(found))


def kommune_blocks(statements: Iterable[Statement], kommune_of: Mapping[int, int],
                   threshold: int) -> dict[int, dict[Cell, LeaderShare]]:
    """Per kommune, the blocks its leaders' statements make: a (item, group) cell when at least
    `threshold` schools' leaders answered it, then (item, ALL) for what is left across the groups when
    at least `threshold` schools gave it. The (item, ALL) figure holds the group blocks too."""
    by_cell: dict[int, dict[Cell, list[Statement]]] = defaultdict(lambda: defaultdict(list))
    for s in statements:
        by_cell[kommune_of[s.school]][(s.item, s.group)].append(s)
    out: dict[int, dict[Cell, LeaderShare]] = {}
    for kommune, cells in by_cell.items():
        blocks: dict[Cell, LeaderShare] = {}
        left: dict[str, list[Statement]] = defaultdict(list)
        for (item, group), found in cells.items():
            if len({s.school for s in found}) >= threshold:
                blocks[(item, group)] = _count(found)
            else:
                left[item].extend(found)
        for item in {item for item, _group in cells}:
            groups = [share for (i, g), share in blocks.items() if i == item and g != ALL]
            rest = left[item]
            across = _count(rest) if len({s.school for s in rest}) >= threshold else EMPTY
            total = sum(groups, EMPTY) + across
            if total.n:
                blocks[(item, ALL)] = total
        out[kommune] = blocks
    return out


def unit_shares(blocks: Mapping[int, Mapping[Cell, LeaderShare]],
                kommuner: Iterable[int]) -> dict[Cell, LeaderShare]:
    """A unit's leader figures: the sum of the blocks of its kommuner (a cell without any is left out)."""
    out: dict[Cell, LeaderShare] = {}
    for kommune in kommuner:
        for cell, share in blocks.get(kommune, {}).items():
            out[cell] = out.get(cell, EMPTY) + share
    return out
