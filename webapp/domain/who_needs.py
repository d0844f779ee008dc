"""Who needs which competence area at a unit, and whom a course may take: the one model that both the
course suggestions (domain/matching.py) and the course budget planner (domain/planning.py) read (pure).

It is built from a unit's stored gaps only (`unit_gap`, from published figures):

- a yrkesgruppe counts as published here only if it has a gap in every area the unit has one in; the
  people who need area a in it are its gap's `need`;
- everyone else is one group, `OTHER` («øvrige yrkesgrupper»), whose need is the unit's published need
  less that of the published groups: a difference of published figures, never broken down further;
- a course meant for some yrkesgrupper takes only those; `OTHER` may take it if it names a group that is
  not published at the unit (such people may be among «øvrige»). A course for nobody in particular
  takes everyone.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

OTHER = "ovrige"  # the unit's people outside its published yrkesgrupper (never broken down further)

Needs = Mapping[tuple[str, str], int]  # (group, area) -> people who need it; group may be OTHER


def by_group(overall: Mapping[str, int], per_group: Mapping[str, Mapping[str, int]]
             ) -> tuple[dict[tuple[str, str], int], frozenset[str]]:
    """The people who need each area per group, and the groups counted as published.

    `overall`: area -> need of the whole unit (every area with a stored gap, also those with need 0);
    `per_group`: group -> area -> need, for the groups with stored gaps."""
    groups = frozenset(g for g, areas in per_group.items() if set(overall) <= set(areas))
    needs: dict[tuple[str, str], int] = {}
    for area, total in overall.items():
        if total <= 0:
            continue
        rest = total
        for g in sorted(groups):
            need = per_group[g][area]
            if need > 0:
                needs[(g, area)] = need
            rest -= need
        if rest > 0:
            needs[(OTHER, area)] = rest
    return needs, groups


def eligible(course_groups: Sequence[str], group: str, published: frozenset[str]) -> bool:
    """Whether a course meant for `course_groups` (empty: everyone) may take someone of `group`."""
    if not course_groups:
        return True
    if group == OTHER:
        return any(g not in published for g in course_groups)
    return group in course_groups


def eligible_need(areas: Iterable[str], course_groups: Sequence[str], needs: Needs,
                  published: frozenset[str]) -> dict[str, int]:
    """Per area of a course, the people who need it whom the course may take (areas with none left out)."""
    wanted = set(areas)
    out: dict[str, int] = {}
    for (g, a), n in needs.items():
        if a in wanted and n > 0 and eligible(course_groups, g, published):
            out[a] = out.get(a, 0) + n
    return out


def groups_needing(area: str, needs: Needs) -> tuple[str, ...]:
    """The groups (published ones, then OTHER) with people who need `area`."""
    found = sorted(g for (g, a), n in needs.items() if a == area and n > 0 and g != OTHER)
    return (*found, OTHER) if needs.get((OTHER, area), 0) > 0 else tuple(found)
