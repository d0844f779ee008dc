"""Courses ranked by how much of a unit's gap they address, with the published numbers behind each (pure).

score(course) = Σ over the course's areas of the unit's gap score (domain/gaps.py)
                × the share of the area's need the course may take × format fit
- who needs what, and whom a course may take, is the model the planner reads too (domain/who_needs.py):
  a course for some yrkesgrupper takes the people of those groups who need the area, and «øvrige» when it
  names a group not published here. A course that may take nobody who needs its areas is not suggested,
  so every suggested course can be put in a plan.
- format fit = 0.5 + 0.5 · the share of the unit's respondents who said the course's format suits them
  (`onsket_format`); 0.75 when that figure is not published.
Ties go to the cheaper course for the school (fee less the funded share), then to the code.

A reason quotes only published numbers: the unit's need in the area, the need of each target group
whose figures are published, and how many said the format suits them. A hidden group is never named.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from webapp.domain import who_needs
from webapp.domain.gaps import Counts, Gap

FORMAT_MIDDLE = 0.75


class Course(Protocol):
    """What ranking reads of a course (webapp/domain/courses.Course has it)."""

    code: str
    areas: tuple[str, ...]
    yrkesgrupper: tuple[str, ...]   # empty: everyone
    format: str
    fee_nok: int
    funding_share: float
    active: bool


@dataclass(frozen=True)
class UnitNeeds:
    """A unit's published gaps: overall per area, per yrkesgruppe per area (published groups only),
    and the `onsket_format` figure."""

    areas: Mapping[str, Gap]                       # area → gap of the whole unit
    groups: Mapping[str, Mapping[str, Gap]]        # yrkesgruppe → area → gap
    formats: Counts | None                         # onsket_format of the whole unit


@dataclass(frozen=True)
class AreaReason:
    area: str
    need: int
    n: int
    groups: tuple[tuple[str, int, int], ...]       # (yrkesgruppe, need, n), published groups only


@dataclass(frozen=True)
class Match:
    course: str
    score: float
    areas: tuple[str, ...]                         # the course's areas with a gap, largest first
    reasons: tuple[AreaReason, ...]
    format: str
    format_yes: int | None                         # how many said the format suits them, of …
    format_n: int | None

    def as_json(self) -> dict:
        return {"course": self.course, "score": self.score, "areas": list(self.areas),
                "reasons": [{"area": r.area, "need": r.need, "n": r.n,
                             "groups": [{"group": g, "need": need, "n": n} for g, need, n in r.groups]}
                            for r in self.reasons],
                "format": self.format, "format_yes": self.format_yes, "format_n": self.format_n}


def _format_fit(course_format: str, wishes: Mapping[str, str],
                formats: Counts | None) -> tuple[float, int | None]:
    wish = wishes.get(course_format)
    if formats is None or not formats.n or wish is None:
        return FORMAT_MIDDLE, None
    yes = formats.counts.get(wish, 0)
    return 0.5 + 0.5 * yes / formats.n, yes


def who_needs_what(needs: UnitNeeds) -> tuple[dict[tuple[str, str], int], frozenset[str]]:
    """The unit's needs per group (who_needs.by_group), from its gaps."""
    per_group = {g: {a: gap.need for a, gap in by_area.items()} for g, by_area in needs.groups.items()}
    return who_needs.by_group({a: gap.need for a, gap in needs.areas.items()}, per_group)


def _reasons(course: Course, needs: UnitNeeds, areas: Sequence[str]) -> tuple[AreaReason, ...]:
    out = []
    groups = course.yrkesgrupper or tuple(needs.groups)
    for area in areas:
        gap = needs.areas[area]
        shown = [needs.groups[g][area] for g in groups if area in needs.groups.get(g, {})]
        shown = sorted((gap for gap in shown if gap.need), key=lambda gap: (-gap.need / gap.n, gap.group))
        parts = tuple((gap.group, gap.need, gap.n) for gap in shown)
        out.append(AreaReason(area, gap.need, gap.n, parts))
    return tuple(out)


def rank(courses: Sequence[Course], needs: UnitNeeds, wishes: Mapping[str, str],
         limit: int | None = None) -> list[Match]:
    """The active courses that address a gap of the unit, best first. `wishes`: course format →
    the `onsket_format` option that asks for it (the vocabulary's formats). Reasons are written for
    the courses returned only."""
    area_codes = sorted(needs.areas)
    if not area_codes or not courses:
        return []
    column = {a: j for j, a in enumerate(area_codes)}
    scores = np.array([needs.areas[a].score for a in area_codes])
    covers = np.zeros((len(courses), len(area_codes)))
    for i, course in enumerate(courses):
        for area in course.areas:
            if area in column:
                covers[i, column[area]] = 1.0
    by_group, published = who_needs_what(needs)
    fits = {fmt: _format_fit(fmt, wishes, needs.formats) for fmt in {c.format for c in courses}}
    scored = []
    for i in (int(k) for k in np.flatnonzero(covers @ scores > 0)):
        course = courses[i]
        if not course.active:
            continue
        taken = who_needs.eligible_need(course.areas, course.yrkesgrupper, by_group, published)
        areas = [a for a in course.areas if a in column and needs.areas[a].score > 0 and taken.get(a)]
        if not areas:  # nobody it may take needs its areas here: the planner could not use it either
            continue
        base = sum(needs.areas[a].score * taken[a] / needs.areas[a].need for a in areas)
        score = round(base * fits[course.format][0], 1)
        cost = round(course.fee_nok * (1 - course.funding_share))  # whole kroner: no float noise in ties
        scored.append((-score, cost, course.code, i, areas))
    scored.sort()
    out = []
    for negative, _cost, _code, i, areas in scored[:limit]:
        course = courses[i]
        areas.sort(key=lambda a: (-needs.areas[a].score, a))
        fit, yes = fits[course.format]
        format_n = needs.formats.n if yes is not None and needs.formats is not None else None
        out.append(Match(course.code, -negative, tuple(areas), _reasons(course, needs, areas), course.format,
                         yes, format_n))
    return out
