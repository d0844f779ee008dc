"""Course budget plans asked for, worked out by the worker, and saved: who may, and what is stored.

A plan is asked for by storing a `PlanRun` and a `plan.due` outbox event in one transaction; the
`make_plan` actor (workers/actors.py) works it out with services/planning.py and stores the snapshot or
the planner's refusal. A dead broker only delays it. Who may:

- plan (ask for plans, read and save them): an administrator, for any school or kommune of the round
  (the «kommune administrator» who plans across its schools with one budget), and a skoleleder for
  their own schools;
- read saved plans: those who may plan, and a tillitsvalgt for the schools they may see and, with a
  kommune, for the kommune itself (a kommune plan names every school's courses and participants).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from webapp.domain.layout import Layout
from webapp.domain.planning import TIME_LIMIT, PlanRefused
from webapp.models import Kommune, PlanRun, Round, SavedPlan, School, User
from webapp.services import access, outbox
from webapp.services.planning import PlanRequest
from webapp.services.round_units import layout
from webapp.services.rounds import now

LEVELS = ("school", "kommune")
WAITING = ("queued", "running")
# A run «running» for longer than the solver's time limit and a margin was left by a worker that died;
# a message that finds it running for less is a resend while another worker solves it
STALE_RUN = timedelta(seconds=TIME_LIMIT + 50)
NAME_LENGTH = 100


class PlanNameTaken(ValueError):
    """The unit already has a saved plan of this name in the round."""


@dataclass(frozen=True)
class PlanUnit:
    """A unit plans are made for, with what the user may do there."""

    round: Round
    level: str
    unit_id: int
    name: str
    may_plan: bool


def may_plan(user: User, units: Layout, level: str, unit_id: int) -> bool:
    if level not in LEVELS or not units.has(level, unit_id):
        return False
    if user.role == "admin":
        return True
    return user.role == "skoleleder" and level == "school" and unit_id in user.school_ids


def may_read_saved(session: Session, user: User, units: Layout, level: str, unit_id: int) -> bool:
    if may_plan(user, units, level, unit_id):
        return True
    if user.role != "tillitsvalgt" or level not in LEVELS or not units.has(level, unit_id):
        return False
    if level == "kommune":
        return user.kommune_id == unit_id
    return access.may_see(session, user, units, level, unit_id)


def plan_unit(session: Session, user: User, round_id: int, level: str, unit_id: int,
              planning: bool) -> PlanUnit | None:
    """The unit if the user may plan for it (`planning`) or read its saved plans; None alike for a missing
    round or unit and one out of scope, so that callers answer both the same way."""
    found = session.get(Round, round_id)
    if found is None or found.status == "draft" or level not in LEVELS:
        return None
    units = layout(session, round_id)
    allowed = may_plan(user, units, level, unit_id)
    if not allowed and (planning or not may_read_saved(session, user, units, level, unit_id)):
        return None
    return PlanUnit(found, level, unit_id, unit_name(session, level, unit_id), allowed)


@dataclass(frozen=True)
class PlanAccess:
    """What a dashboard offers: the unit's saved plans (`read`) and the planner (`plan`)."""

    read: bool
    plan: bool


def plan_access(session: Session, user: User, found: Round, level: str, unit_id: int) -> PlanAccess:
    if level not in LEVELS or found.status == "draft":
        return PlanAccess(False, False)
    units = layout(session, found.id)
    return PlanAccess(may_read_saved(session, user, units, level, unit_id),
                      may_plan(user, units, level, unit_id))


def unit_name(session: Session, level: str, unit_id: int) -> str:
    row = session.get(School if level == "school" else Kommune, unit_id)
    return row.name if row is not None else ""


def request_plan(session: Session, request: PlanRequest, user_id: int | None) -> PlanRun:
    """Store a run and the outbox event that asks the worker for it, in the caller's transaction."""
    run = PlanRun(round_id=request.round_id, level=request.level, unit_id=request.unit_id,
                  request=request.as_json(), status="queued", requested_by=user_id, created_at=now())
    session.add(run)
    session.flush()
    outbox.add_event(session, outbox.PLAN_DUE, {"run_id": run.id})
    return run


class RunBusy(Exception):
    """Another worker is solving the run now: the message should come again later, not be dropped."""


def being_solved(run: PlanRun) -> bool:
    return run.status == "running" and run.started_at is not None and now() - run.started_at < STALE_RUN


def start_run(session: Session, run_id: int) -> PlanRequest | None:
    """Mark a run running and return its request; None when it is gone or already finished (a message
    delivered again). RunBusy while another worker solves it; a run left running longer than STALE_RUN
    (its worker died) is started again."""
    run = session.get(PlanRun, run_id)
    if run is None or run.status not in WAITING:
        return None
    if being_solved(run):
        raise RunBusy(run_id)
    run.status, run.started_at = "running", now()
    return PlanRequest.from_json(run.request)


def finish_run(session: Session, run_id: int, result: dict[str, Any] | None = None,
               refusal: PlanRefused | None = None) -> bool:
    """Store the plan, or the refusal, or (neither) that it failed; False when another delivery of the
    message finished the run first, whose outcome then stays."""
    values: dict[str, Any] = {"finished_at": now()}
    if result is not None:
        values.update(status="done", result=result)
    elif refusal is not None:
        values.update(status="refused", refusal_code=refusal.code, refusal_params=_plain(refusal.params))
    else:
        values.update(status="failed")
    done = session.execute(update(PlanRun).where(PlanRun.id == run_id, PlanRun.status.in_(WAITING))
                           .values(**values))
    return bool(done.rowcount)


def _plain(params: dict[str, object]) -> dict[str, Any]:
    """The refusal's values as JSON keeps them (numbers stay numbers)."""
    return {k: v if v is None or isinstance(v, (int, float, str, bool)) else str(v)
            for k, v in params.items()}


def refusal_of(run: PlanRun) -> PlanRefused | None:
    if run.status != "refused" or run.refusal_code is None:
        return None
    return PlanRefused(run.refusal_code, **(run.refusal_params or {}))


def save_plan(session: Session, run: PlanRun, name: str, user_id: int | None) -> SavedPlan:
    """Save a finished run's plan under a name (unique per unit and round)."""
    if run.status != "done" or run.result is None:
        raise ValueError("only a finished plan can be saved")
    name = " ".join(name.split())[:NAME_LENGTH]
    taken = session.scalar(select(SavedPlan.id).where(
        SavedPlan.round_id == run.round_id, SavedPlan.level == run.level, SavedPlan.unit_id == run.unit_id,
        SavedPlan.name == name))
    if taken is not None:
        raise PlanNameTaken(name)
    saved = SavedPlan(round_id=run.round_id, level=run.level, unit_id=run.unit_id, name=name,
                      snapshot=run.result, saved_by=user_id, saved_at=now())
    session.add(saved)
    session.flush()
    return saved


def saved_plans(session: Session, round_id: int, level: str, unit_id: int) -> list[SavedPlan]:
    """The unit's saved plans in the round, newest first."""
    return list(session.scalars(select(SavedPlan).where(
        SavedPlan.round_id == round_id, SavedPlan.level == level, SavedPlan.unit_id == unit_id)
        .order_by(SavedPlan.saved_at.desc(), SavedPlan.id.desc())))


@dataclass(frozen=True)
class SchoolPlan:
    plan: SavedPlan
    school: str  # the school's name


def school_plans(session: Session, user: User, round_id: int, kommune_id: int) -> list[SchoolPlan]:
    """The saved plans of a kommune's schools that the user may read, newest first, each with its school."""
    units = layout(session, round_id)
    ids = [s for s in units.schools if units.kommune_of.get(s) == kommune_id
           and may_read_saved(session, user, units, "school", s)]
    if not ids:
        return []
    names = dict(session.execute(select(School.id, School.name).where(School.id.in_(ids))).all())
    plans = session.scalars(select(SavedPlan).where(
        SavedPlan.round_id == round_id, SavedPlan.level == "school", SavedPlan.unit_id.in_(ids))
        .order_by(SavedPlan.saved_at.desc(), SavedPlan.id.desc()))
    return [SchoolPlan(p, names.get(p.unit_id, "")) for p in plans]


def recent_runs(session: Session, round_id: int, level: str, unit_id: int, limit: int = 10) -> list[PlanRun]:
    """The unit's latest plans asked for in the round, newest first."""
    return list(session.scalars(select(PlanRun).where(
        PlanRun.round_id == round_id, PlanRun.level == level, PlanRun.unit_id == unit_id)
        .order_by(PlanRun.id.desc()).limit(limit)))


CHANGES = ("fest", "losne", "fjern", "ta-med")  # pin, unpin, drop, take back


def with_change(request: PlanRequest, course: str, change: str) -> PlanRequest:
    """The same request with one course pinned, unpinned, dropped or taken back."""
    pins = [c for c in request.pins if c != course]
    excludes = [c for c in request.excludes if c != course]
    if change == "fest":
        pins.append(course)
    elif change == "fjern":
        excludes.append(course)
    elif change not in CHANGES:
        raise ValueError(change)
    return replace(request, pins=tuple(pins), excludes=tuple(excludes))


def with_budget(request: PlanRequest, budget_nok: int) -> PlanRequest:
    return replace(request, budget_nok=budget_nok)
