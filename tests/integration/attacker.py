"""The attacker of the privacy tests: everything ever published, every identity, linear programming.

The reader keeps every snapshot (every number of every unit and breakdown after every step of a
round) and knows how the numbers hang together:

- within a snapshot, a unit's groups plus its people without a group make its total, and the
  children of a unit make the unit (each snapshot is one consistent table);
- a derived breakdown is a coarsening of its source (skoleslag from b_trinn), and the counts of a
  grouping item's options (b_rolle, b_trinn, b_utdanning) are the sizes of the groups built from it;
- over time, counts never shrink.

A cell without a number is an unknown. Linear programming (HiGHS) finds the smallest and largest value
each unknown — and each difference of a cell between two snapshots — can take. Something that covers
1 … k−1 respondents must never be pinned down: not a cell, not a difference between two snapshots
shown both times, not a parent minus its children. The same equations hold for every option's count
as for n, so n stands for all of them.

Cells that are counts inside a distribution rather than groups of people whose answers are added up —
a group's number of respondents, a grouping item's option counts — are unknowns and equations for the
attacker but not targets: "2 of the 7 new respondents are barne- og ungdomsarbeidere" is a count within
a group of 7, as "2 of 7 answered «i stor grad»" is.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from tests.integration.publishing import RESPONDENTS, Snapshot

Key = tuple[str, int, str, str, str]  # level, unit, grouping, group, item


@dataclass(frozen=True)
class Derived:
    """A breakdown derived from a grouping item: group ← the item's options."""

    name: str
    source: str                      # the item it is computed from
    groups_of: dict[str, str]        # option code → group


@dataclass
class Attacker:
    snapshots: list[tuple[str, Snapshot]]
    units: object                    # aggregates.Layout
    threshold: int
    derived: list[Derived] = field(default_factory=list)
    ceiling: int = 10_000
    fail_fast: bool = True  # stop at the first finding (a failing test needs one, not all)
    # Snapshots of a closed round's final figures: the close releases blocks at every level, so there
    # a parent may show more than its children, and a total more than its groups, by whole blocks.
    final_labels: tuple[str, ...] = ("closed",)

    # -- what is read off directly -------------------------------------------------------------

    def differences(self) -> list[str]:
        """A cell shown in two snapshots with different numbers covers the people in between."""
        values: dict[Key, dict[int, str]] = defaultdict(dict)
        for label, snapshot in self.snapshots:
            for key, n in snapshot.items():
                if n is not None and _target(key):
                    values[key].setdefault(n, label)
        out = []
        for key, seen in values.items():
            ns = sorted(seen)
            for low, high in zip(ns, ns[1:]):
                if high - low < self.threshold:
                    out.append(f"difference {high - low} in {key} between «{seen[low]}» and «{seen[high]}»")
        return out

    # -- what linear programming pins down ------------------------------------------------------

    def pinned(self, items: list[str]) -> list[str]:
        by_item = []
        for _label, snapshot in self.snapshots:
            index: dict[str, dict[Key, int | None]] = defaultdict(dict)
            for key, value in snapshot.items():
                index[key[4]][key] = value
            by_item.append(index)
        out = []
        for item in items:
            out.extend(self._pinned_item(item, by_item))
            if out and self.fail_fast:
                break
        return out

    def _pinned_item(self, item: str, by_item: list[dict]) -> list[str]:
        labels = [label for label, _s in self.snapshots]
        system = self._system(item, by_item, labels)
        if system.inconsistent:
            return [f"{item}: published numbers break an identity the reader knows: {system.inconsistent[0]}"]
        unknown = [v for v in system.variables if v[0] != "outside" and _target(v[1])]
        out = self._pinned_cells(system, item, labels, unknown)
        if out and self.fail_fast:
            return out
        return out + self._pinned_growth(system, item, labels, unknown)

    def _system(self, item: str, by_item: list[dict], labels: list[str]) -> "_System":
        """Every equation the reader knows for one item, over all snapshots."""
        system = _System(self.ceiling)
        cells = [self._cells(index, item) for index in by_item]
        for t, snapshot_cells in enumerate(cells):
            self._equations(system, t, snapshot_cells, item, labels[t] in self.final_labels)
        for t in range(1, len(cells)):  # counts never shrink
            for key in cells[t].keys() & cells[t - 1].keys():
                system.at_least(_term(cells[t], t, key), _term(cells[t - 1], t - 1, key))
        return system

    def _pinned_cells(self, system: "_System", item: str, labels: list[str], unknown: list) -> list[str]:
        """Unknown cells that can take only one value, and that value covers 1 … k−1 people."""
        out = []
        for t, key in unknown:
            low, high = system.range({(t, key): 1})
            if high - low < 0.5 and 1 <= round(low) < self.threshold:
                out.append(f"{item}: {key} in «{labels[t]}» pinned at {round(low)}")
                if self.fail_fast:
                    break
        return out

    def _pinned_growth(self, system: "_System", item: str, labels: list[str], unknown: list) -> list[str]:
        """Unknown cells whose growth between two snapshots is pinned at 1 … k−1 people."""
        by_key: dict[Key, list[int]] = defaultdict(list)
        for t, key in unknown:
            by_key[key].append(t)
        out = []
        for key, times in by_key.items():
            for a, b in zip(times, times[1:]):
                low, high = system.range({(b, key): 1, (a, key): -1})
                if high - low < 0.5 and 1 <= round(low) < self.threshold:
                    out.append(f"{item}: {key} grew by {round(low)} between «{labels[a]}» and «{labels[b]}»")
                    if self.fail_fast:
                        return out
        return out

    def _cells(self, index: dict[str, dict[Key, int | None]], item: str) -> dict[Key, int | None]:
        wanted = {item}
        if item == RESPONDENTS:  # group sizes are the counts of the grouping items' options
            sources = {d.source for d in self.derived}
            wanted |= sources | {i for i in index if "=" in i and i.split("=")[0] in sources}
        return {k: v for i in wanted for k, v in index.get(i, {}).items()}

    def _equations(self, system: "_System", t: int, cells: dict[Key, int | None], item: str,
                   final: bool) -> None:
        def term(key: Key):
            return _term(cells, t, key)

        groupings = {k[2] for k in cells if k[4] == item and k[2] != "all"}
        units = {(k[0], k[1]) for k in cells}
        for level, unit in units:
            total = term((level, unit, "all", "all", item))
            if total is None:
                continue
            for grouping in groupings:
                self._grouping(system, cells, term, level, unit, grouping, item, total, t, final)
            self._children(system, cells, term, level, unit, t, final)
            if not final:
                for derived in self.derived:
                    self._derived(system, cells, term, level, unit, item, derived, t)

    def _grouping(self, system, cells, term, level, unit, grouping: str, item: str, total, t: int,
                  final: bool) -> None:
        """A unit's groups plus its people without a group make its total."""
        parts = [term(k) for k in cells if k[:3] == (level, unit, grouping) and k[4] == item]
        outside = ("var", ("outside", t, level, unit, grouping))
        system.equal(parts + [outside], [total], f"{level} {unit} {grouping} rows in snapshot {t}")
        source = next((d.source for d in self.derived if d.name == grouping), None)
        if item == RESPONDENTS and source and term((level, unit, "all", "all", source)) and not final:
            # people without a group are the respondents who did not answer the grouping item
            system.equal([outside, term((level, unit, "all", "all", source))], [total],
                         f"{level} {unit} {grouping} outside in snapshot {t}")

    def _children(self, system, cells, term, level, unit, t: int, final: bool) -> None:
        """The children of a unit make the unit (in final figures, up to whole blocks more)."""
        below = self.units.children(level, unit) if level != "school" else None
        if below is None:
            return
        child_level, children = below
        for key in [k for k in cells if k[:2] == (level, unit)]:
            kids = [term((child_level, c, *key[2:])) for c in children]
            if all(k is not None for k in kids):
                system.equal(kids, [term(key)], f"{key} = its children in snapshot {t}", slack=final,
                             threshold=self.threshold if "=" not in key[4] else 1)

    def _derived(self, system, cells, term, level, unit, item, derived: Derived, t: int) -> None:
        groups = set(derived.groups_of.values())
        for group in groups:
            target = term((level, unit, derived.name, group, item))
            if target is None:
                continue
            options = [o for o, g in derived.groups_of.items() if g == group]
            source_cells = [term((level, unit, derived.source, o, item)) for o in options]
            if all(c is not None for c in source_cells):  # the source is a breakdown too
                system.equal(source_cells, [target], f"{derived.name} {group} from {derived.source} in {t}")
            if item == RESPONDENTS:
                counts = [term((level, unit, "all", "all", f"{derived.source}={o}")) for o in options]
                if all(c is not None for c in counts):
                    system.equal(counts, [target], f"size of {derived.name} {group} in {t}")


def _target(key: Key) -> bool:
    """Whether a cell is a group of people whose answers are added up (see the module's docstring)."""
    return "=" not in key[4] and (key[4] != RESPONDENTS or key[2] == "all")


def _term(cells: dict, t: int, key: Key):
    """A published number, or the unknown it stands for (None: the snapshot has no such cell)."""
    if key not in cells:
        return None
    value = cells[key]
    return ("value", value) if value is not None else ("var", (t, key))


class _System:
    """Linear equalities and inequalities over unknown cells, x ≥ 0."""

    def __init__(self, ceiling: int):
        self.ceiling = ceiling
        self.variables: dict[object, int] = {}
        self.rows: list[tuple[dict[int, float], float]] = []   # Σ c·x = b
        self.upper: list[tuple[dict[int, float], float]] = []  # Σ c·x ≤ b
        self.inconsistent: list[str] = []

    def _index(self, var) -> int:
        return self.variables.setdefault(var, len(self.variables))

    def _linear(self, terms, sign: float, coeffs: dict[int, float]) -> float:
        constant = 0.0
        for kind, payload in terms:
            if kind == "value":
                constant += sign * payload
            else:
                index = self._index(payload)
                coeffs[index] = coeffs.get(index, 0.0) + sign
        return constant

    def equal(self, left, right, what: str, slack: bool = False, threshold: int = 5) -> None:
        """Σ left = Σ right; with `slack`, Σ left ≤ Σ right by whole blocks the reader cannot see."""
        if any(t is None for t in left + right):
            return
        coeffs: dict[int, float] = {}
        constant = self._linear(left, 1.0, coeffs) + self._linear(right, -1.0, coeffs)
        if not coeffs:
            remainder = -constant
            if remainder < -1e-9 or (remainder > 1e-9 and not slack) or (slack and 0 < remainder < threshold):
                self.inconsistent.append(f"{what}: off by {remainder:g}")
            return
        if slack:
            coeffs[self._index(("outside", "slack", what))] = 1.0
        self.rows.append((coeffs, -constant))

    def at_least(self, later, earlier) -> None:
        """later ≥ earlier (terms as in `equal`); nothing to add when both are known numbers."""
        if later[0] == "value" and earlier[0] == "value":
            return
        coeffs: dict[int, float] = {}
        constant = self._linear([earlier], 1.0, coeffs) + self._linear([later], -1.0, coeffs)
        self.upper.append((coeffs, -constant))

    def _matrix(self, rows):
        if not rows:
            return None, None
        data, r, c, b = [], [], [], []
        for i, (coeffs, constant) in enumerate(rows):
            for j, value in coeffs.items():
                data.append(value)
                r.append(i)
                c.append(j)
            b.append(constant)
        return coo_matrix((data, (r, c)), shape=(len(rows), len(self.variables))).tocsr(), np.array(b)

    def range(self, objective: dict) -> tuple[float, float]:
        c = np.zeros(len(self.variables))
        for var, weight in objective.items():
            c[self.variables[var]] = weight
        a_eq, b_eq = self._matrix(self.rows)
        a_ub, b_ub = self._matrix(self.upper)
        bounds = [(0, self.ceiling)] * len(self.variables)
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
        high = linprog(-c, A_eq=a_eq, b_eq=b_eq, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
        if low.status != 0 or high.status != 0:
            raise AssertionError(f"the published numbers admit no solution ({low.message})")
        return low.fun, -high.fun
