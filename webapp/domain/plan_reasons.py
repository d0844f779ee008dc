"""Why a plan leaves a need uncovered or money unspent, one reason per area (pure).

For every school and area where people who need it are left untrained, the first of these that holds:

- `no_course`: no course the plan may use (active, not dropped) covers the area;
- `not_for_groups`: courses cover it, but none is meant for the yrkesgrupper whose people need it here
  (domain/who_needs.py says whom a course may take);
- `seats`: the courses that may take them are full (seats × the runs the plan may book);
- `hours`: each of those with seats left needs more substitute hours per participant than are left;
- `money`: each of those costs more per participant than the money left;
- `little`: one more participant would fit, but would close too little to change the plan (it is within
  the solver's proven gap of the best).

The money left is explained by the same reasons: by `money` when a course that covers a need left costs
more than what is left, else by the others (nothing the plan may use can take more of those who need it).
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from webapp.domain import who_needs
from webapp.domain.planning import Outcome, PlanCourse, Problem, participant_cost


@dataclass(frozen=True)
class Left:
    school: str
    area: str
    reason: str  # one of REASONS
    groups: tuple[str, ...]  # the groups with people left who need the area (OTHER last)
    cheapest: int | None = None  # `money`: what one more participant costs at least, whole kroner


REASONS = ("no_course", "not_for_groups", "seats", "hours", "money", "little")


@dataclass(frozen=True)
class Unspent:
    amount: int  # kroner of the budget not used
    reason: str  # "all_covered", "money" (less than one more participant costs), "little" or
    #              "nothing_to_buy" (no course the plan may use can take more of those who need it)
    cheapest: int | None = None


@dataclass
class _Room:
    """What the plan leaves: money, hours and seats per course."""

    money: float
    hours: float
    seats: dict[str, float]


def _room(problem: Problem, outcome: Outcome, courses: list[PlanCourse]) -> _Room:
    used: dict[str, int] = defaultdict(int)
    for line in outcome.lines:
        used[line.course] += line.participants
    hours = {c.code: c.substitute_hours for c in courses}
    spent_hours = sum(line.participants * hours.get(line.course, 0.0) for line in outcome.lines)
    seats = {c.code: (c.seats * problem.max_runs if c.seats is not None else math.inf) - used[c.code]
             for c in courses}
    left_hours = math.inf if problem.hours is None else problem.hours - spent_hours
    return _Room(problem.budget_nok - outcome.total_cost_nok, left_hours, seats)


def _reason(area: str, groups: tuple[str, ...], published: frozenset[str], courses: list[PlanCourse],
            room: _Room, rate: float) -> tuple[str, int | None]:
    covering = [c for c in courses if area in c.areas]
    if not covering:
        return "no_course", None
    usable = [c for c in covering if any(who_needs.eligible(c.groups, g, published) for g in groups)]
    if not usable:
        return "not_for_groups", None
    usable = [c for c in usable if room.seats[c.code] >= 1]
    if not usable:
        return "seats", None
    usable = [c for c in usable if c.substitute_hours <= room.hours + 1e-9]
    if not usable:
        return "hours", None
    cheapest = min(participant_cost(c, rate).total for c in usable)
    return ("money", cheapest) if cheapest > room.money else ("little", cheapest)


def why_left(problem: Problem, outcome: Outcome) -> tuple[Left, ...]:
    """One reason for every school and area with people left untrained, in the outcome's order."""
    dropped = set(problem.excludes)
    courses = [c for c in problem.courses if c.code not in dropped]
    room = _room(problem, outcome, courses)
    areas_of = {c.code: c.areas for c in problem.courses}
    schools = {s.code: s for s in problem.schools}
    trained: dict[tuple[str, str, str], int] = defaultdict(int)
    for line in outcome.lines:
        for a in areas_of[line.course]:
            trained[(line.school, line.group, a)] += line.participants
    out = []
    for area in outcome.areas:
        if area.trained >= area.need:
            continue
        school = schools[area.school]
        groups = tuple(g for g in who_needs.groups_needing(area.area, school.needs)
                       if school.needs[(g, area.area)] > trained[(area.school, g, area.area)])
        reason, cheapest = _reason(area.area, groups, school.published_groups, courses, room,
                                   problem.substitute_rate)
        out.append(Left(area.school, area.area, reason, groups, cheapest))
    return tuple(out)


def why_unspent(problem: Problem, outcome: Outcome, left: tuple[Left, ...]) -> Unspent | None:
    """Why money is left (None when the plan spends it all)."""
    amount = int(problem.budget_nok - outcome.total_cost_nok)
    if amount <= 0:
        return None
    if not left:
        return Unspent(amount, "all_covered")
    prices = [x.cheapest for x in left if x.reason == "money" and x.cheapest is not None]
    if prices:
        return Unspent(amount, "money", min(prices))
    if any(x.reason == "little" for x in left):
        return Unspent(amount, "little")
    return Unspent(amount, "nothing_to_buy")
