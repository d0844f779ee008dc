"""The gap model: from a unit's published figures to a gap per competence area (pure).

Everything here reads published numbers only (counts of a unit's published rows), so a gap can never
show more than the figures it is built from; docs/gaps.md explains the model with a worked example.

- need and n: the area's need flag (domain/needs.py): n respondents answered an item that feeds the
  area, `need` of them need it.
- share: need / n, with a 95 % Wilson interval.
- score (0–100): the share weighted by how strongly those asked need it and how much the staff work
  with the pupil group the area is about:
      score = 100 · share · (0.5 + 0.25 · strength + 0.25 · reach)
  strength = the mean answer to the area's `behov_<group>` item on 0…1 (1 «ikke i det hele tatt» → 0,
  5 «i svært stor grad» → 1); reach = the share of those asked `arbeid_<group>` who answered 4 or 5.
  An area no pupil-group item feeds (chosen in `onsket_omrade` only) takes the middle weight 0.75.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054
MIDDLE_WEIGHT = 0.75
REACH_CODES = ("4", "5")


@dataclass(frozen=True)
class Counts:
    """One published figure: n answered and the count per option code."""

    n: int
    counts: Mapping[str, int]

    def share(self, codes: Sequence[str]) -> float | None:
        return sum(self.counts.get(c, 0) for c in codes) / self.n if self.n else None


@dataclass(frozen=True)
class AreaInput:
    """What a unit's published figures say about one area in one group."""

    area: str
    flag: Counts | None          # the need flag: options "ja"/"nei"; None when not published
    behov: Counts | None = None  # the area's A2 item (grad5, codes "1"…"5"), when one feeds it
    arbeid: Counts | None = None  # the matching A1 item


@dataclass(frozen=True)
class Gap:
    area: str
    group: str
    n: int
    need: int
    share: float        # percent, one decimal
    low: float          # 95 % Wilson interval, percent
    high: float
    score: float        # 0–100, one decimal
    strength: float | None
    reach: float | None


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (0…1); (0, 1) when n is 0."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def strength_of(behov: Counts | None) -> float | None:
    """The mean answer on 0…1 (codes "1"…"5"), or None without answers."""
    if behov is None or not behov.n:
        return None
    total = sum((int(code) - 1) / 4 * count for code, count in behov.counts.items() if code.isdigit())
    return total / behov.n


def weight(strength: float | None, reach: float | None) -> float:
    if strength is None and reach is None:
        return MIDDLE_WEIGHT
    return 0.5 + 0.25 * (strength if strength is not None else 0.5) + 0.25 * (reach if reach is not None
                                                                            else 0.5)


def gap(data: AreaInput, group: str = "all") -> Gap | None:
    """The area's gap in one group, or None when its flag has no published answers."""
    if data.flag is None or not data.flag.n:
        return None
    n, need = data.flag.n, data.flag.counts.get("ja", 0)
    share = need / n
    low, high = wilson(need, n)
    strength = strength_of(data.behov)
    reach = data.arbeid.share(REACH_CODES) if data.arbeid is not None else None
    score = 100 * share * weight(strength, reach)
    return Gap(data.area, group, n, need, round(100 * share, 1), round(100 * low, 1), round(100 * high, 1),
               round(score, 1), None if strength is None else round(strength, 3),
               None if reach is None else round(reach, 3))
