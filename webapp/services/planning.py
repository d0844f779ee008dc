"""The course budget planner as a use case: a unit's stored gaps and the active catalogue in, a plan out.

The needs come from `unit_gap` only: the gaps matching stored from the unit's published figures
(services/matching.py). A school's groups are its published yrkesgrupper that have a gap in every area
the school has one in; everyone else is `planning.OTHER` («øvrige yrkesgrupper»), whose need is the
school's published need less that of those groups — a difference of published figures, never broken
down further. So every number of a plan follows from figures already published.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain import gaps, plan_reasons, planning, who_needs
from webapp.domain.courses import Course
from webapp.models import Kommune, Round, School, UnitGap
from webapp.services.aggregates import codebook_of
from webapp.services.courses import active_courses
from webapp.services.round_units import layout

LEVELS = ("school", "kommune")


@dataclass(frozen=True)
class PlanRequest:
    round_id: int
    level: str  # "school" or "kommune" (all its schools, one budget)
    unit_id: int
    budget_nok: int
    substitute_rate: float | None = None  # NOK per hour; None: the kommune's (resolve_rate)
    hours: float | None = None  # substitute hours available; None: no limit
    pins: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    max_runs: int | None = None  # runs of a seat-limited course; None: one per school planned for

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "pins": list(self.pins), "excludes": list(self.excludes)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PlanRequest:
        return cls(round_id=int(data["round_id"]), level=str(data["level"]), unit_id=int(data["unit_id"]),
                   budget_nok=int(data["budget_nok"]), substitute_rate=data.get("substitute_rate"),
                   hours=data.get("hours"), pins=tuple(data.get("pins") or ()),
                   excludes=tuple(data.get("excludes") or ()),
                   max_runs=int(data["max_runs"]) if data.get("max_runs") else None)


@dataclass(frozen=True)
class Rate:
    """A plan's substitute cost per hour and where it comes from."""

    nok: float
    source: str  # "plan": given with the plan; "kommune": set for the kommune; "default": the planner's
    kommune: str | None = None  # the kommune's name, when it is the kommune's rate


def plan_kommune(session: Session, level: str, unit_id: int) -> Kommune | None:
    """The kommune of a plan: the kommune planned for, or the school's."""
    if level == "kommune":
        return session.get(Kommune, unit_id)
    school = session.get(School, unit_id)
    return school.kommune if school else None


def default_rate(session: Session, level: str, unit_id: int) -> Rate:
    """The rate of a plan that gives none: the one an administrator set for its kommune, else 300 kr."""
    kommune = plan_kommune(session, level, unit_id)
    if kommune is not None and kommune.substitute_rate_nok is not None:
        return Rate(kommune.substitute_rate_nok, "kommune", kommune.name)
    return Rate(planning.DEFAULT_SUBSTITUTE_RATE, "default")


def resolve_rate(session: Session, request: PlanRequest) -> Rate:
    """The plan's own rate if it gives one; else its kommune's; else planning.DEFAULT_SUBSTITUTE_RATE."""
    if request.substitute_rate is not None:
        return Rate(request.substitute_rate, "plan")
    return default_rate(session, request.level, request.unit_id)


@dataclass(frozen=True)
class Context:
    """What a plan's numbers are read against: the schools by code, when the figures were published, and the
    substitute cost per hour used."""

    school_names: Mapping[str, str]
    figures_at: datetime | None
    courses: Mapping[str, Course]
    rate: Rate
    unpublished: tuple[str, ...] = ()  # areas no school of the plan has a published need figure for


def schools_of(session: Session, request: PlanRequest) -> list[School]:
    """The schools a request plans for: the school, or the kommune's schools in the round."""
    if request.level not in LEVELS:
        raise ValueError(f"cannot plan for level {request.level!r}")
    if request.level == "school":
        ids = [request.unit_id]
    else:
        units = layout(session, request.round_id)
        ids = [s for s in units.schools if units.kommune_of.get(s) == request.unit_id]
    return list(session.scalars(select(School).where(School.id.in_(ids)).order_by(School.code)))


def school_needs(code: str, rows: list[UnitGap]) -> planning.SchoolNeeds:
    """One school's planner input from its stored gap rows (`grp` "all" and one per published group), read
    through the model the course suggestions read too (domain/who_needs.py)."""
    overall = {r.area: r for r in rows if r.grp == "all"}
    per_group: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        if r.grp != "all":
            per_group[r.grp][r.area] = r.need
    needs, groups = who_needs.by_group({a: r.need for a, r in overall.items()}, per_group)
    weights = {a: gaps.weight(r.strength, r.reach) for a, r in overall.items() if r.need > 0}
    return planning.SchoolNeeds(code, needs, weights, groups)


def plan_course(course: Course) -> planning.PlanCourse:
    return planning.PlanCourse(course.code, course.areas, course.yrkesgrupper, course.fee_nok,
                               course.funding_share, course.substitute_hours, course.seats)


def problem_for(session: Session, request: PlanRequest) -> tuple[planning.Problem, Context]:
    schools = schools_of(session, request)
    by_id = {s.id: s for s in schools}
    rows: dict[int, list[UnitGap]] = defaultdict(list)
    if by_id:
        for row in session.scalars(select(UnitGap).where(
                UnitGap.round_id == request.round_id, UnitGap.level == "school",
                UnitGap.unit_id.in_(list(by_id)))):
            rows[row.unit_id].append(row)
    needs = tuple(school_needs(by_id[i].code, rows[i]) for i in sorted(rows, key=lambda i: by_id[i].code))
    courses = {c.code: c for c in active_courses(session)}
    rate = resolve_rate(session, request)
    problem = planning.Problem(
        schools=needs, courses=tuple(plan_course(c) for c in courses.values()),
        budget_nok=request.budget_nok, substitute_rate=rate.nok, hours=request.hours,
        pins=request.pins, excludes=request.excludes, max_runs=request.max_runs or max(len(needs), 1))
    figures_at = max((r.figures_at for rs in rows.values() for r in rs), default=None)
    return problem, Context({s.code: s.name for s in schools}, figures_at, courses, rate,
                            _unpublished(session, request.round_id, rows))


def _unpublished(session: Session, round_id: int, rows: Mapping[int, list[UnitGap]]) -> tuple[str, ...]:
    """The questionnaire's areas without a stored gap at any school of the plan: their need figure is not
    published there, so the planner cannot count them (the page says so)."""
    found = session.get(Round, round_id)
    if found is None:
        return ()
    questionnaire, _codebook = codebook_of(session, found)
    seen = {r.area for rs in rows.values() for r in rs}
    return tuple(a.code for a in questionnaire.areas if a.code not in seen)


def run_plan(session: Session, request: PlanRequest,
             time_limit: float = planning.TIME_LIMIT) -> dict[str, Any]:
    """Plan for a request and return the plan as a JSON-able snapshot; PlanRefused for input it refuses."""
    found = session.get(Round, request.round_id)
    if found is None:
        raise planning.PlanRefused("no_gaps")
    problem, context = problem_for(session, request)
    result = planning.plan(problem, time_limit=time_limit)
    return {**snapshot(request, result, context), **reasons(problem, result.outcome, context)}


def reasons(problem: planning.Problem, outcome: planning.Outcome, context: Context) -> dict[str, Any]:
    """Why need is left per area, why money is left, and the areas the planner cannot count."""
    left = plan_reasons.why_left(problem, outcome)
    unspent = plan_reasons.why_unspent(problem, outcome, left)
    return {
        "left": [{"school": x.school, "school_name": context.school_names.get(x.school, x.school),
                  "area": x.area, "reason": x.reason, "groups": list(x.groups), "cheapest": x.cheapest}
                 for x in left],
        "unspent": asdict(unspent) if unspent else None,
        "unpublished_areas": list(context.unpublished)}


def _lines(outcome: planning.Outcome, context: Context) -> list[dict[str, Any]]:
    lines = []
    for ln in outcome.lines:
        course = context.courses[ln.course]
        lines.append({
            "course": ln.course, "title": course.title, "provider": course.provider, "url": course.url,
            "school": ln.school, "school_name": context.school_names.get(ln.school, ln.school),
            "yrkesgruppe": ln.group, "participants": ln.participants,
            "fee_nok": ln.participants * ln.cost.fee, "funding_nok": ln.participants * ln.cost.funding,
            "substitute_nok": ln.participants * ln.cost.substitute, "cost_nok": ln.cost_nok,
            "closes": [{"area": a, "closed": round(v, 4)} for a, v in ln.closes]})
    return lines


def snapshot(request: PlanRequest, result: planning.Plan, context: Context) -> dict[str, Any]:
    out = result.outcome
    lines = _lines(out, context)
    return {
        **result.as_json(), "lines": lines, "request": request.as_json(),
        "figures_at": context.figures_at.isoformat() if context.figures_at else None,
        "areas": [{"school": a.school, "school_name": context.school_names.get(a.school, a.school),
                   "area": a.area, "need": a.need, "trained": a.trained, "gap": round(a.gap, 4),
                   "closed": round(a.closed, 4), "left": round(a.left, 4)} for a in out.areas],
        "fee_nok": sum(ln["fee_nok"] for ln in lines), "funding_nok": sum(ln["funding_nok"] for ln in lines),
        "substitute_nok": sum(ln["substitute_nok"] for ln in lines),
        "gap_total": round(out.gap_total, 4),
        "greedy": {"objective": round(result.greedy.objective, 4),
                   "total_cost_nok": result.greedy.total_cost_nok,
                   "lines": _lines(result.greedy, context)},
        "runs": dict(result.runs), "substitute_rate": context.rate.nok,
        "substitute_rate_source": context.rate.source, "substitute_rate_kommune": context.rate.kommune,
        "source": result.source,
        "bound": round(result.bound, 4), "seconds": round(result.seconds, 3),
    }


def group_label(code: str, words: Any, locale: str) -> str:
    if code == planning.OTHER:
        return _("Other yrkesgrupper")
    return str(words.yrkesgruppe(code).text(locale))


def kroner(value: float) -> str:
    return format_decimal(round(value), format="#,##0")


def refusal_message(exc: planning.PlanRefused) -> str:
    """Why the planner refused, in the current locale."""
    p = exc.params
    messages = {
        "budget_not_positive": lambda: _("The budget must be more than 0 kroner."),
        "rate_negative": lambda: _("The substitute cost per hour cannot be negative."),
        "hours_negative": lambda: _("The substitute hours available cannot be negative."),
        "empty_catalogue": lambda: _("The course catalogue is empty: there is nothing to plan with."),
        "all_excluded": lambda: _("Every course in the catalogue is dropped: there is nothing to plan with."),
        "unknown_course": lambda: _("«%(course)s» is not an active course in the catalogue.",
                                    course=p.get("course")),
        "pin_excluded": lambda: _("«%(course)s» is both fixed and dropped; choose one.",
                                  course=p.get("course")),
        "no_gaps": lambda: _("There are no published gaps to plan for yet: the unit needs more answers "
                             "first."),
        "pin_no_need": lambda: _("«%(course)s» covers no published need here, so it cannot be fixed in the "
                                 "plan.", course=p.get("course")),
        "no_course_for_needs": lambda: _("No active course covers the published needs here."),
        "budget_below_cheapest": lambda: _(
            "The budget (%(budget)s kr) is less than the cheapest course that covers a need here "
            "(%(cheapest)s kr per participant).",
            budget=kroner(float(p.get("budget", 0))), cheapest=kroner(float(p.get("cheapest", 0)))),
        "pins_over_budget": lambda: _(
            "The fixed courses cost %(pinned)s kr for one participant each, more than the budget "
            "(%(budget)s kr).", pinned=kroner(float(p.get("pinned", 0))),
            budget=kroner(float(p.get("budget", 0)))),
        "pins_over_hours": lambda: _(
            "The fixed courses need more substitute hours (%(pinned)s) than there are (%(hours)s).",
            pinned=format_decimal(float(p.get("pinned", 0))), hours=format_decimal(float(p.get("hours", 0)))),
        "infeasible": lambda: _("No plan fits all the limits at once; loosen the budget, the hours or the "
                                "fixed courses."),
    }
    return messages.get(exc.code, lambda: _("The plan could not be made (%(code)s).", code=exc.code))()


def kommune_name(session: Session, kommune_id: int) -> str:
    found = session.get(Kommune, kommune_id)
    return found.name if found else str(kommune_id)
