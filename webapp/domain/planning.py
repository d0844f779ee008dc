"""The course budget planner (pure): which courses, and how many from which yrkesgruppe at which school,
close the most weighted gap within the money and the hours there are.

docs/planning.md explains the model with a worked example. In short:

- A participant costs fee × (1 − funding share) + substitute hours × the hourly substitute cost, each part
  in whole kroner.
- At school s, `need[s, g, a]` people of group g need area a (published gap figures only; `OTHER` stands
  for the people outside the school's published groups). A participant from g on a course covering a
  trains one of them, as long as any is left: a person counts once per area.
- Closing area a at school s for k of its n people is worth w · k · (2n − k) / n: the first person closes
  almost twice an average person's share, the last almost nothing, and all n close the whole gap w · n.
  w (0.5…1) is the gap model's weight of the area at the school (domain/gaps.py).
- The plan maximises the sum over schools and areas, with a MILP (HiGHS, through scipy.optimize.milp).
  A greedy baseline (best gain per krone first) runs on the same input; the plan returned is never worse
  than it. At the time limit the best plan found is returned with its proven gap to the optimum.
"""
from __future__ import annotations

import heapq
import math
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from webapp.domain import who_needs

DEFAULT_SUBSTITUTE_RATE = 300  # NOK per hour; ../shared/design/courses.md «Substitute cost» (range 250–400)
KOMMUNE_RATE_MAX = 2000  # NOK per hour at most for a kommune's rate: far above every wage case there
OTHER = who_needs.OTHER  # the school's people outside its published yrkesgrupper (never broken down further)
TIME_LIMIT = 10.0  # seconds the solver may take before it returns the best plan found
MIP_REL_GAP = 1e-3  # a plan proven within 0.1 % of the best possible is called optimal (docs/planning.md)


def kommune_rate_problem(value: float) -> str | None:
    """Why `value` cannot be a kommune's substitute cost per hour (None: it can); NaN is never one."""
    if not value > 0:
        return "rate_not_positive"
    if not value <= KOMMUNE_RATE_MAX:
        return "rate_too_high"
    if not float(value).is_integer():
        return "rate_not_whole"
    return None


class PlanRefused(ValueError):
    """An input the planner will not plan for: `code` names why, `params` the values a message needs."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class PlanCourse:
    code: str
    areas: tuple[str, ...]
    groups: tuple[str, ...]  # empty: meant for every yrkesgruppe
    fee_nok: int
    funding_share: float
    substitute_hours: float
    seats: int | None  # per run; None: no limit


@dataclass(frozen=True)
class SchoolNeeds:
    """One school's published gaps: who needs which area, and each area's weight."""

    code: str
    needs: Mapping[tuple[str, str], int]  # (group, area) -> people who need it; group may be OTHER
    weights: Mapping[str, float]  # area -> w
    published_groups: frozenset[str] = frozenset()  # the groups named in `needs` besides OTHER


@dataclass(frozen=True)
class Problem:
    schools: tuple[SchoolNeeds, ...]
    courses: tuple[PlanCourse, ...]
    budget_nok: float
    substitute_rate: float = DEFAULT_SUBSTITUTE_RATE
    hours: float | None = None  # substitute hours available in all; None: no limit
    pins: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    max_runs: int = 1  # runs of a course with limited seats the plan may book


@dataclass(frozen=True)
class Cost:
    """What one participant on a course costs, in whole kroner."""

    fee: int
    funding: int  # the part of the fee the funder pays
    substitute: int

    @property
    def total(self) -> int:
        return self.fee - self.funding + self.substitute


def participant_cost(course: PlanCourse, rate: float) -> Cost:
    return Cost(fee=course.fee_nok, funding=round(course.fee_nok * course.funding_share),
                substitute=round(course.substitute_hours * rate))


def area_value(k: float, n: int) -> float:
    """The share of an area's gap w · n that training k of its n people closes, in people: k (2n − k) / n."""
    if n <= 0:
        return 0.0
    k = min(max(k, 0.0), n)
    return k * (2 * n - k) / n


@dataclass(frozen=True)
class Line:
    course: str
    school: str
    group: str
    participants: int
    cost: Cost  # per participant
    closes: tuple[tuple[str, float], ...]  # (area, weighted gap this line closes), largest first

    @property
    def cost_nok(self) -> int:
        return self.participants * self.cost.total


@dataclass(frozen=True)
class AreaOutcome:
    school: str
    area: str
    need: int
    trained: int  # people who need the area and are trained in it
    gap: float  # w · need
    closed: float

    @property
    def left(self) -> float:
        return self.gap - self.closed


@dataclass(frozen=True)
class Outcome:
    """One choice of participants, evaluated."""

    lines: tuple[Line, ...]
    objective: float
    gap_total: float
    areas: tuple[AreaOutcome, ...]

    @property
    def total_cost_nok(self) -> int:
        return sum(line.cost_nok for line in self.lines)

    @property
    def gap_left(self) -> float:
        return self.gap_total - self.objective


@dataclass(frozen=True)
class Plan:
    outcome: Outcome
    greedy: Outcome
    optimal: bool  # proven within the relative gap asked for (MIP_REL_GAP unless told)
    mip_gap: float  # proven relative gap between the plan and the best possible
    bound: float  # the best objective any plan could reach, as proven by the solver
    runs: Mapping[str, int]  # course -> runs booked
    seconds: float
    greedy_seconds: float
    source: str = "milp"  # the best plan's origin: "milp", "lp" (the LP relaxation rounded down, then
    #                       filled greedily) or "greedy"

    def as_json(self) -> dict:
        """The `laget plan --format json` contract."""
        return {
            "lines": [{"course": ln.course, "school": ln.school, "yrkesgruppe": ln.group,
                       "participants": ln.participants, "cost_nok": ln.cost_nok}
                      for ln in self.outcome.lines],
            "total_cost_nok": self.outcome.total_cost_nok,
            "objective": round(self.outcome.objective, 4),
            "gap_left": round(self.outcome.gap_left, 4),
            "greedy_objective": round(self.greedy.objective, 4),
            "optimal": self.optimal,
            "mip_gap": round(self.mip_gap, 6),
        }


Choice = Mapping[tuple[str, str, str], int]  # (course, school, group) -> participants


@dataclass(frozen=True)
class _Flat:
    sga: np.ndarray  # every candidate's needs, one after another
    start: np.ndarray  # where each candidate's begin in `sga`
    owner: np.ndarray  # the candidate of each entry of `sga`
    course: np.ndarray  # each candidate's course


@dataclass
class _Model:
    """The problem prepared, in integer ids: the needs per (school, group, area) and per (school, area),
    and the (course, school, group) choices worth considering (candidates)."""

    problem: Problem
    courses: list[PlanCourse]  # not excluded, by code
    cost: list[int]  # per participant, whole kroner
    hours: list[float]
    seats: list[float]  # seats × runs; inf: no limit
    sga_key: list[tuple[str, str, str]] = field(default_factory=list)  # (school, group, area)
    sga_need: list[int] = field(default_factory=list)
    sga_sa: list[int] = field(default_factory=list)  # its (school, area) id
    sa_key: list[tuple[str, str]] = field(default_factory=list)
    sa_n: list[int] = field(default_factory=list)  # people of every group who need the area there
    sa_w: list[float] = field(default_factory=list)
    cand_key: list[tuple[str, str, str]] = field(default_factory=list)  # (course code, school, group)
    cand_course: list[int] = field(default_factory=list)
    cand_sga: list[tuple[int, ...]] = field(default_factory=list)  # the needs a participant is trained in
    cand_cap: list[int] = field(default_factory=list)
    _flat: _Flat | None = None

    def flat(self) -> _Flat:
        """The candidates' needs as flat arrays, made once."""
        if self._flat is None:
            sizes = np.fromiter((len(t) for t in self.cand_sga), dtype=np.int64, count=len(self.cand_sga))
            start = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
            sga = np.fromiter((i for t in self.cand_sga for i in t), dtype=np.int64, count=int(sizes.sum()))
            self._flat = _Flat(sga, start, np.repeat(np.arange(len(sizes)), sizes),
                               np.array(self.cand_course, dtype=np.int64))
        return self._flat

    def choice(self, counts: Mapping[int, int]) -> dict[tuple[str, str, str], int]:
        return {self.cand_key[k]: n for k, n in sorted(counts.items()) if n > 0}


def _eligible(course: PlanCourse, group: str, published: frozenset[str]) -> bool:
    return who_needs.eligible(course.groups, group, published)


def _checked_courses(problem: Problem) -> list[PlanCourse]:
    """The courses the plan may use, after the refusals the input alone decides."""
    if problem.budget_nok <= 0:
        raise PlanRefused("budget_not_positive", budget=problem.budget_nok)
    if problem.substitute_rate < 0:
        raise PlanRefused("rate_negative", rate=problem.substitute_rate)
    if problem.hours is not None and problem.hours < 0:
        raise PlanRefused("hours_negative", hours=problem.hours)
    known = {c.code for c in problem.courses}
    if not known:
        raise PlanRefused("empty_catalogue")
    for code in (*problem.pins, *problem.excludes):
        if code not in known:
            raise PlanRefused("unknown_course", course=code)
    both = sorted(set(problem.pins) & set(problem.excludes))
    if both:
        raise PlanRefused("pin_excluded", course=both[0])
    if not any(n > 0 for s in problem.schools for n in s.needs.values()):
        raise PlanRefused("no_gaps")
    dropped = set(problem.excludes)
    courses = sorted((c for c in problem.courses if c.code not in dropped), key=lambda c: c.code)
    if not courses:
        raise PlanRefused("all_excluded")
    return courses


def _prepare(problem: Problem) -> _Model:
    courses = _checked_courses(problem)
    costs = [participant_cost(c, problem.substitute_rate).total for c in courses]
    model = _Model(problem, courses, costs, [c.substitute_hours for c in courses],
                   [c.seats * problem.max_runs if c.seats is not None else math.inf for c in courses])
    _index_needs(model)
    _lift_seats_that_never_bind(model)
    _add_candidates(model)
    _check_limits(model)
    return model


def _lift_seats_that_never_bind(model: _Model) -> None:
    """A seat limit no plan can reach is no limit: not more people need the course's areas, or the budget
    cannot pay for more. Such a course then also beats others in `_undominated`, as an open one does."""
    need_of: dict[str, int] = defaultdict(int)
    for (_, _, a), n in zip(model.sga_key, model.sga_need, strict=True):
        need_of[a] += n
    budget = model.problem.budget_nok
    for ci, course in enumerate(model.courses):
        if model.seats[ci] == math.inf:
            continue
        most = sum(need_of[a] for a in set(course.areas))
        if model.cost[ci] > 0:
            most = min(most, int(budget // model.cost[ci]))
        if model.seats[ci] >= most:
            model.seats[ci] = math.inf


def _index_needs(model: _Model) -> None:
    sa_id: dict[tuple[str, str], int] = {}
    for school in sorted(model.problem.schools, key=lambda s: s.code):
        for (g, a), n in sorted(school.needs.items()):
            if n <= 0:
                continue
            sa = sa_id.get((school.code, a))
            if sa is None:
                sa = sa_id[(school.code, a)] = len(model.sa_key)
                model.sa_key.append((school.code, a))
                model.sa_n.append(0)
                model.sa_w.append(school.weights.get(a, 0.0))
            model.sa_n[sa] += n
            model.sga_key.append((school.code, g, a))
            model.sga_need.append(n)
            model.sga_sa.append(sa)


def _add_candidates(model: _Model) -> None:
    """For each school and group, the courses that train someone there in an area they need, less those
    another course beats (`_undominated`)."""
    areas = sorted({a for _, _, a in model.sga_key} | {a for c in model.courses for a in c.areas})
    bit = {a: 1 << i for i, a in enumerate(areas)}
    masks = np.array([sum(bit[a] for a in set(c.areas)) for c in model.courses], dtype=np.int64)
    cost = np.array(model.cost, dtype=float)
    hours = np.array(model.hours if model.problem.hours is not None else [0.0] * len(model.courses))
    unlimited = np.array([seats == math.inf for seats in model.seats])
    pinned = np.array([c.code in set(model.problem.pins) for c in model.courses])
    eligible: dict[object, np.ndarray] = {}
    kept: dict[tuple[object, int], np.ndarray] = {}
    schools = {s.code: s for s in model.problem.schools}
    by_school_group: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for i, (s, g, a) in enumerate(model.sga_key):
        by_school_group[(s, g)][a] = i
    course_areas = [tuple(dict.fromkeys(c.areas)) for c in model.courses]
    for (s, g), needed in by_school_group.items():
        published = schools[s].published_groups
        who: object = (g, published) if g == OTHER else g
        if who not in eligible:
            eligible[who] = np.array([_eligible(c, g, published) for c in model.courses])
        need_mask = sum(bit[a] for a in needed)
        if (who, need_mask) not in kept:
            kept[(who, need_mask)] = _undominated(masks & need_mask, eligible[who], cost, hours, unlimited,
                                                  pinned)
        need = model.sga_need
        for ci in kept[(who, need_mask)].tolist():
            sgas = tuple(needed[a] for a in course_areas[ci] if a in needed)
            model.cand_key.append((model.courses[ci].code, s, g))
            model.cand_course.append(ci)
            model.cand_sga.append(sgas)
            model.cand_cap.append(max(need[i] for i in sgas))


def _undominated(rel: np.ndarray, eligible: np.ndarray, cost: np.ndarray, hours: np.ndarray,
                 unlimited: np.ndarray, pinned: np.ndarray) -> np.ndarray:
    """The courses (ids) worth considering for one group at one school: those that train someone in an
    area they need (`rel`, a bit per area), less each that another course beats: one covering at least
    the same needed areas, costing no more, taking no more substitute hours (when hours are limited) and
    with no seat limit. Moving participants to it never costs more or closes less, so the optimum stays."""
    ids = np.flatnonzero(eligible & (rel != 0))
    if len(ids) == 0:
        return ids
    r, c, h = rel[ids], cost[ids], hours[ids]
    size = np.array([int(x).bit_count() for x in r])
    order = np.lexsort((ids, -size, h, c))  # cheapest first; among equals the widest, then by code
    ids, r, h, free = ids[order], r[order], h[order], unlimited[ids[order]]
    subset = (r[:, None] & ~r[None, :]) == 0  # [i, j]: i's needed areas are among j's
    beaten = subset & free[None, :] & (h[None, :] <= h[:, None]) & np.tri(len(ids), k=-1, dtype=bool)
    return ids[~beaten.any(axis=1) | pinned[ids]]


def _check_limits(model: _Model) -> None:
    p = model.problem
    usable = {model.courses[ci].code for ci in model.cand_course}
    for code in p.pins:
        if code not in usable:
            raise PlanRefused("pin_no_need", course=code)
    if not usable:
        raise PlanRefused("no_course_for_needs")
    cheapest = min(model.cost[ci] for ci in model.cand_course)
    if cheapest > p.budget_nok:
        raise PlanRefused("budget_below_cheapest", budget=p.budget_nok, cheapest=cheapest)
    by_code = {c.code: i for i, c in enumerate(model.courses)}
    pinned = sum(model.cost[by_code[c]] for c in p.pins)
    if pinned > p.budget_nok:
        raise PlanRefused("pins_over_budget", budget=p.budget_nok, pinned=pinned)
    pinned_hours = sum(model.hours[by_code[c]] for c in p.pins)
    if p.hours is not None and pinned_hours > p.hours:
        raise PlanRefused("pins_over_hours", hours=p.hours, pinned=pinned_hours)


def evaluate(problem: Problem, choice: Choice) -> Outcome:  # noqa: C901
    """The objective of a choice and what each line closes: the one definition both solvers are held to."""
    costs = {c.code: participant_cost(c, problem.substitute_rate) for c in problem.courses}
    course_areas = {c.code: c.areas for c in problem.courses}
    schools = {s.code: s for s in problem.schools}
    trained: dict[tuple[str, str, str], int] = defaultdict(int)  # (school, group, area) -> trained
    for (c, s, g), k in choice.items():
        if k > 0:
            for a in course_areas[c]:
                if schools[s].needs.get((g, a), 0) > 0:
                    trained[(s, g, a)] += k
    covered: dict[tuple[str, str], int] = defaultdict(int)  # (school, area) -> people trained
    for (s, g, a), k in trained.items():
        covered[(s, a)] += min(k, schools[s].needs[(g, a)])
    areas = []
    gap_total = objective = 0.0
    closed_of: dict[tuple[str, str], float] = {}
    for school in problem.schools:
        need_of: dict[str, int] = defaultdict(int)
        for (_, a), n in school.needs.items():
            need_of[a] += max(n, 0)
        for a, n in sorted(need_of.items()):
            if n <= 0:
                continue
            w = school.weights.get(a, 0.0)
            k = covered.get((school.code, a), 0)
            closed = w * area_value(k, n)
            closed_of[(school.code, a)] = closed
            gap_total += w * n
            objective += closed
            areas.append(AreaOutcome(school.code, a, n, k, w * n, closed))
    lines = []
    for (c, s, g), k in sorted(choice.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2])):
        if k <= 0:
            continue
        closes = []
        for a in course_areas[c]:
            need = schools[s].needs.get((g, a), 0)
            if need > 0 and covered[(s, a)] > 0:
                # this line's people among those trained in the area, each trained person alike
                mine = k * min(trained[(s, g, a)], need) / trained[(s, g, a)]
                closes.append((a, closed_of[(s, a)] * mine / covered[(s, a)]))
        closes.sort(key=lambda ac: (-ac[1], ac[0]))
        lines.append(Line(c, s, g, k, costs[c], tuple(closes)))
    return Outcome(tuple(lines), objective, gap_total, tuple(areas))


def greedy(problem: Problem) -> Outcome:
    """The baseline alone: one participant at a time, the best gain per krone first (pins first)."""
    model = _prepare(problem)
    return evaluate(problem, model.choice(_greedy(model)))


class _Greedy:
    """State of the greedy baseline, in the model's ids."""

    def __init__(self, model: _Model):
        self.m = model
        self.count = [0] * len(model.cand_key)
        self.trained = [0] * len(model.sga_key)
        self.covered = [0] * len(model.sa_key)
        self.seats = list(model.seats)
        self.money = float(model.problem.budget_nok)
        self.hours = math.inf if model.problem.hours is None else float(model.problem.hours)

    def gain(self, k: int) -> float:
        m = self.m
        if self.count[k] >= m.cand_cap[k]:
            return 0.0
        total = 0.0
        for i in m.cand_sga[k]:
            if self.trained[i] < m.sga_need[i]:
                sa = m.sga_sa[i]
                n = m.sa_n[sa]
                total += m.sa_w[sa] * (2 * n - 2 * self.covered[sa] - 1) / n
        return total

    def fits(self, k: int) -> bool:
        ci = self.m.cand_course[k]
        return self.m.cost[ci] <= self.money and self.m.hours[ci] <= self.hours and self.seats[ci] >= 1

    def add(self, k: int) -> None:
        m, ci = self.m, self.m.cand_course[k]
        for i in m.cand_sga[k]:
            if self.trained[i] < m.sga_need[i]:
                self.covered[m.sga_sa[i]] += 1
            self.trained[i] += 1
        self.count[k] += 1
        self.seats[ci] -= 1
        self.money -= m.cost[ci]
        self.hours -= m.hours[ci]

    def start_from(self, counts: Mapping[int, int]) -> None:
        """The state after adding `counts` participants (as `add` would, one by one)."""
        m, flat = self.m, self.m.flat()
        count = np.zeros(len(m.cand_key))
        for k, n in counts.items():
            count[k] = n
        trained = np.bincount(flat.sga, weights=count[flat.owner], minlength=len(m.sga_key))
        useful = np.minimum(trained, np.array(m.sga_need))
        covered = np.bincount(np.array(m.sga_sa, dtype=np.int64), weights=useful, minlength=len(m.sa_key))
        per_course = np.bincount(flat.course, weights=count, minlength=len(m.courses))
        self.count = count.astype(int).tolist()
        self.trained = trained.astype(int).tolist()
        self.covered = covered.astype(int).tolist()
        self.seats = [s - int(n) for s, n in zip(self.seats, per_course, strict=True)]
        self.money -= float(np.dot(per_course, m.cost))
        self.hours -= float(np.dot(per_course, m.hours))

    def ratios(self) -> np.ndarray:
        """`ratio` of every candidate at once (the heap's start)."""
        m, flat = self.m, self.m.flat()
        trained, covered = np.array(self.trained), np.array(self.covered)
        n, w = np.array(m.sa_n, dtype=float), np.array(m.sa_w)
        sa = np.array(m.sga_sa)
        marginal = w[sa] * (2 * n[sa] - 2 * covered[sa] - 1) / n[sa]
        per_sga = np.where(trained < np.array(m.sga_need), marginal, 0.0)
        gains = np.add.reduceat(per_sga[flat.sga], flat.start) if len(flat.sga) else np.zeros(0)
        gains[np.array(self.count) >= np.array(m.cand_cap)] = 0.0
        cost = np.array(m.cost, dtype=float)[flat.course]
        return np.where(cost > 0, gains / np.where(cost > 0, cost, 1.0), gains * 1e12)

    def ratio(self, k: int) -> float:
        cost = self.m.cost[self.m.cand_course[k]]
        g = self.gain(k)
        return g / cost if cost > 0 else g * 1e12


def _greedy(model: _Model, start: Mapping[int, int] | None = None) -> dict[int, int]:
    """The baseline, or (from `start`, a plan within the limits) the same rule filling what money is left."""
    state = _Greedy(model)
    if start:
        state.start_from(start)
    of_course: dict[int, list[int]] = defaultdict(list)
    for k, ci in enumerate(model.cand_course):
        of_course[ci].append(k)
    by_code = {c.code: i for i, c in enumerate(model.courses)}
    for code in model.problem.pins:  # each pinned course gets its best first participant
        ks = of_course[by_code[code]]
        if not any(state.count[k] for k in ks):
            state.add(max(ks, key=lambda k: (state.gain(k), -k)))
    heap = [(-r, k) for k, r in enumerate(state.ratios().tolist())]
    heapq.heapify(heap)
    while heap:
        _, k = heapq.heappop(heap)
        if not state.fits(k):
            continue  # money, hours and seats only shrink: it never fits again
        r = state.ratio(k)
        if r <= 0:
            continue  # gains only fall: it never helps again
        if heap and r < -heap[0][0] - 1e-12:  # its gain fell since it was queued: queue it again
            heapq.heappush(heap, (-r, k))
            continue
        state.add(k)
        heapq.heappush(heap, (-state.ratio(k), k))
    return {k: n for k, n in enumerate(state.count) if n > 0}


def _bound(model: _Model) -> float:
    """An upper bound on any plan's objective, fast: every (school, group, area) person is bought alone at
    the lowest price a participant there pays per needed area the course covers, and the money is spent
    on the best value per krone, the last one in part. Any plan is such a purchase costing no more (a
    participant's cost covers its areas at at least that price each), so none can close more.
    Seats, hours and pins only restrict plans further."""
    m = model
    price = [math.inf] * len(m.sga_key)
    for k, sgas in enumerate(m.cand_sga):
        each = m.cost[m.cand_course[k]] / len(sgas)
        for i in sgas:
            price[i] = min(price[i], each)
    slots: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for i, q in enumerate(price):
        if q < math.inf:
            slots[m.sga_sa[i]].append((q, m.sga_need[i]))
    values, prices = [], []
    for sa, offers in slots.items():
        n, w, j = m.sa_n[sa], m.sa_w[sa], 0
        for q, count in sorted(offers):  # the cheapest people first: the j-th person is worth less
            for _ in range(count):
                j += 1
                values.append(w * (2 * n - 2 * j + 1) / n)
                prices.append(q)
    value, cost = np.array(values), np.array(prices)
    free = cost <= 0
    total = float(value[free].sum())
    value, cost = value[~free], cost[~free]
    order = np.argsort(-value / cost, kind="stable")
    value, cost = value[order], cost[order]
    spent = np.cumsum(cost)
    whole = int(np.searchsorted(spent, model.problem.budget_nok, side="right"))
    total += float(value[:whole].sum())
    if whole < len(value):
        left = model.problem.budget_nok - (spent[whole - 1] if whole else 0.0)
        total += float(value[whole] * left / cost[whole])
    return total


def plan(problem: Problem, time_limit: float = TIME_LIMIT, mip_rel_gap: float = MIP_REL_GAP) -> Plan:
    """The plan that closes the most weighted gap within the limits; PlanRefused for input it cannot plan.

    The greedy baseline first, then the bound: when the baseline is already within `mip_rel_gap` of it,
    that is the plan; else the MILP gets the time left and the better of the two is the plan."""
    started = time.perf_counter()
    model = _prepare(problem)
    greedy_counts = _greedy(model)
    greedy_outcome = evaluate(problem, model.choice(greedy_counts))
    greedy_seconds = time.perf_counter() - started
    best, counts, source = greedy_outcome, greedy_counts, "greedy"
    bound = _bound(model)
    if _gap(bound, best.objective) > mip_rel_gap:  # the LP relaxation: a tighter bound, a plan rounded off
        relaxed, lp_bound = _solve(model, _left(started, time_limit), mip_rel_gap, integers=False)
        bound = min(bound, lp_bound + 1e-6)  # the MILP's cheaper-plan term is worth ≤ 1e-6
        if relaxed is not None:
            rounded = _greedy(model, _rounded_down(model, relaxed))
            outcome = evaluate(problem, model.choice(rounded))
            if outcome.objective > best.objective + 1e-9:
                best, counts, source = outcome, rounded, "lp"
    if _gap(bound, best.objective) > mip_rel_gap:
        found, milp_bound = _solve(model, _left(started, time_limit), mip_rel_gap)
        bound = min(bound, milp_bound + 1e-6)
        if found is not None:
            whole = {k: int(n) for k, n in found.items()}
            outcome = evaluate(problem, model.choice(whole))
            if outcome.objective > best.objective + 1e-9:
                best, counts, source = outcome, whole, "milp"
    if not best.lines:  # money for a course, but the hours (or seats) let no participant in
        raise PlanRefused("infeasible")
    mip_gap = _gap(bound, best.objective)
    used: dict[int, int] = defaultdict(int)
    for k, n in counts.items():
        used[model.cand_course[k]] += n
    runs = {model.courses[ci].code: _runs(n, model.courses[ci].seats) for ci, n in sorted(used.items())}
    # HiGHS stops within an absolute 1e-6 of its bound too, which is a large relative gap on a tiny objective
    proven = mip_gap <= mip_rel_gap or bound - best.objective <= 1e-5
    return Plan(best, greedy_outcome, proven, mip_gap, max(bound, best.objective), runs,
                time.perf_counter() - started, greedy_seconds, source)


def _left(started: float, time_limit: float) -> float:
    return max(time_limit - (time.perf_counter() - started), 0.1)


def _rounded_down(model: _Model, relaxed: Mapping[int, float]) -> dict[int, int]:
    """The LP's participants rounded down: within money, hours and seats still (pins are added back by the
    greedy fill, which starts from it)."""
    return {k: int(math.floor(x + 1e-9)) for k, x in relaxed.items() if x >= 1 - 1e-9}


def _gap(bound: float, objective: float) -> float:
    return max(bound - objective, 0.0) / bound if bound > 1e-12 else 0.0


def _runs(participants: int, seats: int | None) -> int:
    return math.ceil(participants / seats) if seats else 1


class _Rows:
    """The constraint rows of the MILP, gathered as sparse entries."""

    def __init__(self) -> None:
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.vals: list[np.ndarray] = []
        self.lo: list[float] = []
        self.hi: list[float] = []

    def add(self, columns: Sequence[int] | range, values: Sequence[float] | np.ndarray, low: float,
            high: float) -> None:
        self.rows.append(np.full(len(columns), len(self.lo)))
        self.cols.append(np.asarray(columns, dtype=int))
        self.vals.append(np.asarray(values, dtype=float))
        self.lo.append(low)
        self.hi.append(high)

    def add_block(self, rows: np.ndarray, columns: np.ndarray, values: np.ndarray, low: np.ndarray,
                  high: np.ndarray) -> None:
        """Rows at once: `rows` numbers them from 0 within the block."""
        self.rows.append(rows + len(self.lo))
        self.cols.append(columns)
        self.vals.append(values)
        self.lo.extend(low.tolist())
        self.hi.extend(high.tolist())

    def constraint(self, nvar: int) -> LinearConstraint:
        where = (np.concatenate(self.rows), np.concatenate(self.cols))
        matrix = coo_array((np.concatenate(self.vals), where), shape=(len(self.lo), nvar)).tocsr()
        return LinearConstraint(matrix, self.lo, self.hi)


def _course_rows(m: _Model, rows: _Rows) -> None:
    """Seats per course (runs × seats) and a participant on each pinned course."""
    of_course: dict[int, list[int]] = defaultdict(list)
    for k, ci in enumerate(m.cand_course):
        of_course[ci].append(k)
    for ci, ks in sorted(of_course.items()):
        if m.seats[ci] < math.inf:
            rows.add(ks, [1.0] * len(ks), -np.inf, m.seats[ci])
        if m.courses[ci].code in m.problem.pins:
            rows.add(ks, [1.0] * len(ks), 1.0, np.inf)


def _variables(model: _Model, integers: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The MILP's objective (to minimise), upper bounds, integrality, and where each area's y start."""
    m, p = model, model.problem
    nx, nt = len(m.cand_key), len(m.sga_key)
    y_start = np.concatenate(([0], np.cumsum(m.sa_n)))[:-1].astype(int) + nx + nt
    nvar = nx + nt + int(sum(m.sa_n))
    obj, upper = np.zeros(nvar), np.ones(nvar)
    integrality = np.zeros(nvar, dtype=np.uint8)
    cost = np.array([m.cost[ci] for ci in m.cand_course], dtype=float)
    obj[:nx] = 1e-6 * cost / p.budget_nok  # among equally good plans, the cheaper (worth ≤ 1e-6 in all)
    upper[:nx] = m.cand_cap
    integrality[:nx] = 1 if integers else 0
    upper[nx:nx + nt] = m.sga_need
    for sa, start in enumerate(y_start):
        n = m.sa_n[sa]
        j = np.arange(1, n + 1)
        obj[start:start + n] = -m.sa_w[sa] * (2 * n - 2 * j + 1) / n
    return obj, upper, integrality, y_start


def _solve(model: _Model, time_limit: float, mip_rel_gap: float, integers: bool = True
           ) -> tuple[dict[int, float] | None, float]:
    """The MILP (or with `integers` false its LP relaxation): the participants and the proven bound.

    Variables: x[k] participants of candidate k (integer, ≤ the most people of its group needing one of
    the course's areas); t[i] people of a (school, group, area) trained (≤ need, ≤ Σ x over the candidates
    training it); y[sa, j] the j-th person trained in an area at a school (0…1), worth
    w · (2n − 2j + 1) / n, which falls with j, so the solver fills them in order and Σ_j y is worth
    w · k (2n − k) / n exactly. Subject to money, hours, seats and pins.
    """
    m, p = model, model.problem
    nx, nt = len(m.cand_key), len(m.sga_key)
    obj, upper, integrality, _ = _variables(model, integers)
    nvar, cost = len(obj), np.array([m.cost[ci] for ci in m.cand_course], dtype=float)
    rows = _Rows()
    flat = m.flat()
    sga_sa = np.array(m.sga_sa, dtype=np.int64)
    # t[i] − Σ x of the candidates training i ≤ 0, one row per (school, group, area)
    rows.add_block(np.concatenate((np.arange(nt), flat.sga)),
                   np.concatenate((nx + np.arange(nt), flat.owner)),
                   np.concatenate((np.ones(nt), -np.ones(len(flat.sga)))), np.full(nt, -np.inf), np.zeros(nt))
    # Σ_j y[sa, j] − Σ_g t[sa, g] ≤ 0, one row per (school, area)
    sizes = np.array(m.sa_n, dtype=np.int64)
    y_rows = np.repeat(np.arange(len(sizes)), sizes)
    rows.add_block(np.concatenate((y_rows, sga_sa)),
                   np.concatenate((nx + nt + np.arange(len(y_rows)), nx + np.arange(nt))),
                   np.concatenate((np.ones(len(y_rows)), -np.ones(nt))),
                   np.full(len(sizes), -np.inf), np.zeros(len(sizes)))
    rows.add(range(nx), cost, -np.inf, float(p.budget_nok))
    if p.hours is not None:
        rows.add(range(nx), [m.hours[ci] for ci in m.cand_course], -np.inf, float(p.hours))
    _course_rows(m, rows)
    result = milp(obj, constraints=rows.constraint(nvar), integrality=integrality,
                  bounds=Bounds(np.zeros(nvar), upper),
                  options={"time_limit": time_limit, "mip_rel_gap": mip_rel_gap, "disp": False})
    return _read(result, nx, integers)


def _read(result: Any, nx: int, integers: bool) -> tuple[dict[int, float] | None, float]:
    """The participants of a solver result and the bound it proves (inf: none)."""
    if result.status == 2:
        raise PlanRefused("infeasible")
    if not integers:  # an LP solved to optimality is its own bound; one stopped early is neither
        if result.status != 0 or result.x is None:
            return None, math.inf
        x = result.x[:nx]
        return {int(k): float(x[k]) for k in np.flatnonzero(x > 1e-9)}, -float(result.fun)
    dual = getattr(result, "mip_dual_bound", None)
    bound = -float(dual) if dual is not None and np.isfinite(dual) else math.inf
    if result.x is None:
        return None, bound
    x = np.round(result.x[:nx]).astype(int)
    return {int(k): float(x[k]) for k in np.flatnonzero(x > 0)}, bound
