"""Why a plan leaves need uncovered or money unspent: one reason per area (domain/plan_reasons.py)."""
from __future__ import annotations

from webapp.domain import plan_reasons
from webapp.domain.planning import OTHER, PlanCourse, Problem, SchoolNeeds, plan


def course(code: str, areas: tuple[str, ...], fee: int = 0, hours: float = 0, groups: tuple[str, ...] = (),
           seats: int | None = None) -> PlanCourse:
    return PlanCourse(code, areas, groups, fee, 0.0, hours, seats)


# Elvdal sentrum in the demo: all who answered are miljøterapeuter; three need fagbrev, four mobbing
ELVDAL = SchoolNeeds("S1", {("miljoterapeut_bsv", "fagbrev_bua"): 3, ("miljoterapeut_bsv", "mobbing"): 4},
                     {"fagbrev_bua": 0.75, "mobbing": 0.8}, frozenset({"miljoterapeut_bsv"}))
FAGBREV = course("FAGBREV", ("fagbrev_bua",), hours=75, groups=("assistent", "annet"))
MOBBING = course("MOBBING", ("mobbing",), fee=1000)


def reasons(problem: Problem) -> tuple[tuple[tuple[str, str], ...], plan_reasons.Unspent | None]:
    outcome = plan(problem).outcome
    left = plan_reasons.why_left(problem, outcome)
    return tuple((x.area, x.reason) for x in left), plan_reasons.why_unspent(problem, outcome, left)


def test_money_left_because_no_course_is_for_the_group_that_needs_it():
    problem = Problem((ELVDAL,), (FAGBREV, MOBBING), budget_nok=50_000)
    left, unspent = reasons(problem)
    assert left == (("fagbrev_bua", "not_for_groups"),)
    assert unspent == plan_reasons.Unspent(46_000, "nothing_to_buy")
    [why] = plan_reasons.why_left(problem, plan(problem).outcome)
    assert why.groups == ("miljoterapeut_bsv",)  # a published group: it may be named


def test_an_area_no_course_covers_and_one_limited_by_the_money():
    problem = Problem((ELVDAL,), (MOBBING,), budget_nok=2_500)
    left, unspent = reasons(problem)
    assert left == (("fagbrev_bua", "no_course"), ("mobbing", "money"))
    assert unspent == plan_reasons.Unspent(500, "money", 1000)


def test_seats_and_hours_are_named_when_they_stop_the_plan():
    full = course("MOBBING", ("mobbing",), fee=1000, seats=2)
    assert reasons(Problem((ELVDAL,), (full,), budget_nok=50_000))[0][-1] == ("mobbing", "seats")
    long = course("MOBBING", ("mobbing",), fee=1000, hours=10)
    assert reasons(Problem((ELVDAL,), (long,), budget_nok=50_000, hours=25))[0][-1] == ("mobbing", "hours")


def test_everything_covered_leaves_money_that_is_not_needed():
    only = SchoolNeeds("S1", {(OTHER, "mobbing"): 2}, {"mobbing": 0.8})
    left, unspent = reasons(Problem((only,), (MOBBING,), budget_nok=10_000))
    assert left == () and unspent == plan_reasons.Unspent(8_000, "all_covered")
