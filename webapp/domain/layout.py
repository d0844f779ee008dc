"""A round's units: its schools with their kommune and fylke, and the round itself (pure)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Layout:
    """The round's units: schools with their kommune and fylke."""

    schools: tuple[int, ...]
    kommune_of: dict[int, int]
    fylke_of: dict[int, int]

    def parent(self, level: str, unit_id: int) -> tuple[str, int] | None:
        if level == "school":
            return "kommune", self.kommune_of[unit_id]
        if level == "kommune":
            return "fylke", self.fylke_of[unit_id]
        if level == "fylke":
            return "round", 0
        return None

    def has(self, level: str, unit_id: int) -> bool:
        """Whether the unit takes part in the round (the round itself always does)."""
        if level == "round":
            return True
        if level == "school":
            return unit_id in self.kommune_of
        return unit_id in (self.kommune_of.values() if level == "kommune" else self.fylke_of.values())

    def holds(self, level: str, unit_id: int, school_id: int) -> bool:
        """Whether the school is (in) the unit."""
        if level == "round":
            return True
        if level == "school":
            return school_id == unit_id
        kommune = self.kommune_of[school_id]
        return kommune == unit_id if level == "kommune" else self.fylke_of[kommune] == unit_id

    def children(self, level: str, unit_id: int) -> tuple[str, list[int]] | None:
        if level == "round":
            return "fylke", sorted(set(self.fylke_of.values()))
        if level == "fylke":
            return "kommune", sorted(k for k, f in self.fylke_of.items() if f == unit_id)
        if level == "kommune":
            return "school", [s for s in self.schools if self.kommune_of[s] == unit_id]
        return None

    @property
    def kommuner(self) -> list[int]:
        return sorted(set(self.kommune_of.values()))

    @property
    def fylker(self) -> list[int]:
        return sorted(set(self.fylke_of.values()))

    def units(self) -> list[tuple[str, int]]:
        """Every unit, the round first and schools last: (level, id)."""
        return ([("round", 0)] + [("fylke", f) for f in self.fylker] + [("kommune", k) for k in self.kommuner]
                + [("school", s) for s in self.schools])

    def parent_index(self, units: list[tuple[str, int]]) -> np.ndarray:
        """For each unit of `units`, the position of its parent there (-1 for the round)."""
        position = {u: i for i, u in enumerate(units)}
        parents = [self.parent(*u) for u in units]
        return np.array([-1 if p is None else position[p] for p in parents], dtype=np.int64)

    def roll_up_index(self) -> tuple[np.ndarray, np.ndarray]:
        """Which kommune each school (in `schools` order) and which fylke each kommune belongs to."""
        kommuner, fylker = self.kommuner, self.fylker
        k_index = np.array([kommuner.index(self.kommune_of[s]) for s in self.schools], dtype=np.int64)
        f_index = np.array([fylker.index(self.fylke_of[k]) for k in kommuner], dtype=np.int64)
        return k_index, f_index
