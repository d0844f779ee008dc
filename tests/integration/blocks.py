"""The release rule stated per respondent, to check the product against (docs/privacy.md).

`Reference` follows a scripted round answer by answer and knows, for every published figure at every
step, *which* respondents' answers it adds up — the product stores only the sums. Two checks follow:

- the product publishes exactly those sums (n, and each option's count of every choice item), at every
  level and breakdown, after every step;
- for every column (the respondents, each item), the respondents split into classes that every
  published figure ever made either wholly contains or wholly leaves out: every linear combination of
  published numbers, whatever the reader combines, is constant on a class. No class may hold 1 … k−1
  respondents — then no reader, with any number of saved pages and any identity, can pin down fewer
  than k people's answers (beyond what the whole class shares).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from tests.gapref import need_flags
from webapp.domain.answers import derive
from webapp.domain.codebook import Codebook

RESPONDENTS = "_respondents"
REST = None  # respondents without an occupational group
LEVELS = ("school", "kommune", "fylke", "round")


@dataclass
class Reference:
    questionnaire: Any
    units: Any                  # domain.layout.Layout
    threshold: int
    responses: list[tuple[int, str | None, dict]] = field(default_factory=list)  # school id, group, answers
    released: dict[tuple[int, str], tuple[int, str, int, object]] = field(default_factory=dict)
    step: int = 0

    def __post_init__(self) -> None:
        self.items = list(Codebook.of(self.questionnaire).items)
        self.item_of = {item.key: item for item in self.items}
        self.columns = [RESPONDENTS] + [item.key for item in self.items]

    # -- what is in a figure -------------------------------------------------------------------

    def add(self, school_id: int, answers: dict) -> None:
        group = derive(self.questionnaire, answers).get("yrkesgruppe")
        self.responses.append((school_id, group, {**answers, **need_flags(self.questionnaire, answers)}))

    def shows(self, rid: int, column: str) -> bool:
        """Whether the respondent is among the people a figure of this column counts (n)."""
        if column == RESPONDENTS:
            return True
        item = self.item_of[column]
        value = self.responses[rid][2].get(column)
        if value is None or value == "" or value == []:
            return False
        return not (item.type == "choice" and any(o.na and o.code == value for o in item.options))

    def _unit(self, level: str, school_id: int) -> int:
        if level == "school":
            return school_id
        if level == "kommune":
            return self.units.kommune_of[school_id]
        if level == "fylke":
            return self.units.fylke_of[self.units.kommune_of[school_id]]
        return 0

    # -- the rule -----------------------------------------------------------------------------

    def release_open(self, counted: set[int]) -> None:
        """A publication while the round is open, of the responses the worker has `counted`: per school
        and group, a block of respondents when at least k are new, and with it each item with at least
        k new answers."""
        self.step += 1
        cells = defaultdict(list)
        for rid, (school, group, _a) in enumerate(self.responses):
            if rid in counted:
                cells[(school, group)].append(rid)
        for (school, group), rids in cells.items():
            people = [r for r in rids if (r, RESPONDENTS) not in self.released]
            if len(people) < self.threshold:
                continue
            for column in self.columns:
                new = [r for r in rids if (r, column) not in self.released and self.shows(r, column)]
                if column == RESPONDENTS or len(new) >= self.threshold:
                    for r in new:
                        self.released[(r, column)] = (self.step, "school", school, group)

    def close(self) -> None:
        """The close: what is left per group, level by level; then what is still left, across the
        groups, level by level."""
        self.step += 1
        for target in ("group", "across"):
            for level in LEVELS:
                pending = defaultdict(list)
                for rid, (school, group, _a) in enumerate(self.responses):
                    for column in self.columns:
                        if (rid, column) not in self.released and self.shows(rid, column):
                            key = (self._unit(level, school), group if target == "group" else "across",
                                   column)
                            pending[key].append(rid)
                for (unit, target_group, column), rids in pending.items():
                    if len(rids) >= self.threshold:
                        for r in rids:
                            self.released[(r, column)] = (self.step, level, unit, target_group)

    # -- who is where -------------------------------------------------------------------------

    def inside(self, block_level: str, block_unit: int, level: str, unit: int) -> bool:
        if LEVELS.index(block_level) > LEVELS.index(level):
            return False
        here = (block_level, block_unit)
        while here[0] != level:
            here = self.units.parent(*here)
        return here == (level, unit)

    def members(self, released: dict, level: str, unit: int, grouping: str, group: str,
                column: str) -> list[int]:
        out = []
        for (rid, col), (_step, block_level, block_unit, block_group) in released.items():
            if col != column or not self.inside(block_level, block_unit, level, unit):
                continue
            if grouping == "all" or (block_group == group and block_group not in (REST, "across")):
                out.append(rid)
        return out

    def figures(self, released: dict) -> dict:
        """Every published n and choice-option count as the rule makes them, keyed as the snapshots."""
        out: dict = defaultdict(int)
        for (rid, column), (_step, block_level, block_unit, block_group) in released.items():
            school, _g, answers = self.responses[rid]
            for level in LEVELS:
                unit = self._unit(level, school)
                if not self.inside(block_level, block_unit, level, unit):
                    continue
                places = [("all", "all")]
                if block_group not in (REST, "across"):
                    places.append(("yrkesgruppe", block_group))
                for grouping, group in places:
                    out[(level, unit, grouping, group, column)] += 1
                    if column != RESPONDENTS and self.item_of[column].type == "choice":
                        out[(level, unit, grouping, group, f"{column}={answers[column]}")] += 1
        return out

    def small_classes(self, snapshots: list[dict]) -> list[str]:
        """Classes of respondents no published figure tells apart, with 1 … k−1 members."""
        out = []
        for column in self.columns:
            signature: dict[int, set] = defaultdict(set)
            for t, released in enumerate(snapshots):
                for (rid, col), (_s, block_level, block_unit, block_group) in released.items():
                    if col == column:
                        signature[rid].add((t, block_level, block_unit, block_group))
            classes = defaultdict(list)
            for rid, seen in signature.items():
                classes[frozenset(seen)].append(rid)
            out.extend(f"{column}: respondents {sorted(rids)} only ever counted together"
                       for rids in classes.values() if 0 < len(rids) < self.threshold)
        return out


def compare(reference: Reference, released: dict, snapshot: dict, label: str) -> list[str]:
    """Where the product's published numbers differ from the sums the rule makes."""
    expected = reference.figures(released)
    choice = {i.key for i in reference.items if i.type == "choice"}
    out = []
    for key, value in snapshot.items():
        column = key[4].split("=")[0]
        if column != RESPONDENTS and (column not in reference.item_of or
                                      ("=" in key[4] and column not in choice)):
            continue
        if value != expected.get(key, 0):
            out.append(f"«{label}» {key}: published {value}, blocks add up to {expected.get(key, 0)}")
    return out
