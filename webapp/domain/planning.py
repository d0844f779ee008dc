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
  w (0.375…1) is the gap model's weight of the area at the school (domain/gaps.py).
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

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

DEFAULT_SUBSTITUTE_RATE = 300  # NOK per hour; ../shared/design/courses.md «Substitute cost» (range 250–400)
OTHER = "ovrige"  # the school's people outside its published yrkesgrupper (never broken down further)
TIME_LIMIT = 10.0  # seconds the solver may take before it returns the best plan found
MIP_REL_GAP = 1e-4  # the relative gap to the proven optimum the solver may stop at


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
    optimal: bool  # proven optimal (within MIP_REL_GAP)
    mip_gap: float  # proven relative gap between the plan and the best possible
    bound: float  # the best objective any plan could reach, as proven by the solver
    runs: Mapping[str, int]  # course -> runs booked
    seconds: float
    greedy_seconds: float
    source: str = "milp"  # "milp", or "greedy" when the solver's best was not better

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


@dataclass
class _Model:
    """The problem prepared: costs, and the (course, school, group) choices worth considering."""

    problem: Problem
    courses: dict[str, PlanCourse]
    cost: dict[str, Cost]
    schools: dict[str, SchoolNeeds]
    # candidate (course, school, group) -> (areas of the course the group needs there, cap)
    candidates: dict[tuple[str, str, str], tuple[tuple[str, ...], int]] = field(default_factory=dict)


def _eligible(course: PlanCourse, group: str, published: frozenset[str]) -> bool:
    if not course.groups:
        return True
    if group == OTHER:  # someone outside the published groups: any group the course names that is not one
        return any(g not in published for g in course.groups)
    return group in course.groups


def _prepare(problem: Problem) -> _Model:  # noqa: C901  (split in the next commit)
    if problem.budget_nok <= 0:
        raise PlanRefused("budget_not_positive", budget=problem.budget_nok)
    if problem.substitute_rate < 0:
        raise PlanRefused("rate_negative", rate=problem.substitute_rate)
    if problem.hours is not None and problem.hours < 0:
        raise PlanRefused("hours_negative", hours=problem.hours)
    active = {c.code: c for c in problem.courses}
    if not active:
        raise PlanRefused("empty_catalogue")
    for code in (*problem.pins, *problem.excludes):
        if code not in active:
            raise PlanRefused("unknown_course", course=code)
    both = sorted(set(problem.pins) & set(problem.excludes))
    if both:
        raise PlanRefused("pin_excluded", course=both[0])
    schools = {s.code: s for s in problem.schools if any(v > 0 for v in s.needs.values())}
    if not schools:
        raise PlanRefused("no_gaps")
    courses = {code: c for code, c in active.items() if code not in set(problem.excludes)}
    if not courses:
        raise PlanRefused("all_excluded")
    cost = {code: participant_cost(c, problem.substitute_rate) for code, c in courses.items()}
    model = _Model(problem, courses, cost, schools)
    pins = set(problem.pins)
    for s in schools.values():
        by_group: dict[str, dict[str, int]] = defaultdict(dict)
        for (g, a), n in s.needs.items():
            if n > 0:
                by_group[g][a] = n
        for g, needed in sorted(by_group.items()):
            found = []
            for c in courses.values():
                areas = tuple(a for a in c.areas if a in needed)
                if areas and _eligible(c, g, s.published_groups):
                    found.append((c, areas))
            for c, areas in _undominated(found, cost, pins, problem.hours is not None):
                model.candidates[(c.code, s.code, g)] = (areas, max(needed[a] for a in areas))
    usable = {c for c, _, _ in model.candidates}
    for code in problem.pins:
        if code not in usable:
            raise PlanRefused("pin_no_need", course=code)
    cheapest = min(cost[c].total for c in usable) if usable else None
    if cheapest is None:
        raise PlanRefused("no_course_for_needs")
    if cheapest > problem.budget_nok:
        raise PlanRefused("budget_below_cheapest", budget=problem.budget_nok, cheapest=cheapest)
    pinned = sum(cost[c].total for c in problem.pins)
    if pinned > problem.budget_nok:
        raise PlanRefused("pins_over_budget", budget=problem.budget_nok, pinned=pinned)
    if problem.hours is not None:
        pinned_hours = sum(courses[c].substitute_hours for c in problem.pins)
        if pinned_hours > problem.hours:
            raise PlanRefused("pins_over_hours", hours=problem.hours, pinned=pinned_hours)
    return model


def _undominated(found: list[tuple[PlanCourse, tuple[str, ...]]], cost: Mapping[str, Cost],
                 pins: set[str], hours_limited: bool) -> list[tuple[PlanCourse, tuple[str, ...]]]:
    """Drop a course another one beats for this group at this school: it covers at least the same needed
    areas, costs no more (and takes no more substitute hours when hours are limited) and has no seat limit.
    Moving its participants to the other course never costs more or closes less, so the optimum is kept."""
    order = sorted(found, key=lambda ca: (cost[ca[0].code].total, ca[0].substitute_hours, -len(ca[1]),
                                          ca[0].code))
    kept: list[tuple[PlanCourse, tuple[str, ...]]] = []
    beaters: list[tuple[frozenset[str], float]] = []  # unlimited kept courses: (areas, hours)
    for c, areas in order:
        covered = frozenset(areas)
        hours = c.substitute_hours if hours_limited else 0.0
        if c.code not in pins and any(covered <= a and h <= hours for a, h in beaters):
            continue
        kept.append((c, areas))
        if c.seats is None:
            beaters.append((covered, hours))
    return kept


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
    """The baseline: one participant at a time, the best gain per krone first (pins first)."""
    model = _prepare(problem)
    return evaluate(problem, _greedy(model))


def _greedy(model: _Model) -> dict[tuple[str, str, str], int]:  # noqa: C901
    p = model.problem
    choice: dict[tuple[str, str, str], int] = defaultdict(int)
    trained: dict[tuple[str, str, str], int] = defaultdict(int)
    covered: dict[tuple[str, str], int] = defaultdict(int)
    need_sa: dict[tuple[str, str], int] = defaultdict(int)
    for s in model.schools.values():
        for (_, a), n in s.needs.items():
            need_sa[(s.code, a)] += max(n, 0)
    seats_left = {c: (x.seats * p.max_runs if x.seats is not None else math.inf)
                  for c, x in model.courses.items()}
    money, hours = float(p.budget_nok), (math.inf if p.hours is None else p.hours)

    def gain(key: tuple[str, str, str]) -> float:
        c, s, g = key
        areas, cap = model.candidates[key]
        if choice[key] >= cap:
            return 0.0
        total = 0.0
        for a in areas:
            if trained[(s, g, a)] < model.schools[s].needs[(g, a)]:
                n, k = need_sa[(s, a)], covered[(s, a)]
                total += model.schools[s].weights.get(a, 0.0) * (2 * n - 2 * k - 1) / n
        return total

    def add(key: tuple[str, str, str]) -> None:
        nonlocal money, hours
        c, s, g = key
        for a in model.candidates[key][0]:
            if trained[(s, g, a)] < model.schools[s].needs[(g, a)]:
                covered[(s, a)] += 1
            trained[(s, g, a)] += 1
        choice[key] += 1
        seats_left[c] -= 1
        money -= model.cost[c].total
        hours -= model.courses[c].substitute_hours

    for c in p.pins:  # each pinned course gets its best first participant
        keys = [k for k in model.candidates if k[0] == c]
        add(max(keys, key=lambda k: (gain(k), k)))

    def ratio(g: float, c: str) -> float:
        return g / model.cost[c].total if model.cost[c].total > 0 else g * 1e12

    heap = [(-ratio(gain(k), k[0]), k) for k in sorted(model.candidates)]
    heapq.heapify(heap)
    while heap:
        neg, key = heapq.heappop(heap)
        c = key[0]
        if (model.cost[c].total > money or model.courses[c].substitute_hours > hours
                or seats_left[c] < 1):
            continue  # money, hours and seats only shrink: it never fits again
        g = gain(key)
        if g <= 1e-12:
            continue
        r = ratio(g, c)
        if heap and r < -heap[0][0] - 1e-12:  # stale: gains only fall as others are trained
            heapq.heappush(heap, (-r, key))
            continue
        add(key)
        heapq.heappush(heap, (-ratio(gain(key), c), key))
    return dict(choice)


def plan(problem: Problem, time_limit: float = TIME_LIMIT, mip_rel_gap: float = MIP_REL_GAP) -> Plan:
    """The plan that closes the most weighted gap within the limits; PlanRefused for input it cannot plan."""
    model = _prepare(problem)
    started = time.perf_counter()
    greedy_choice = _greedy(model)
    greedy_outcome = evaluate(problem, greedy_choice)
    greedy_seconds = time.perf_counter() - started
    choice, bound, status = _solve(model, time_limit, mip_rel_gap)
    outcome = evaluate(problem, choice) if choice is not None else None
    source = "milp"
    if outcome is None or outcome.objective < greedy_outcome.objective - 1e-9:
        outcome, choice, source = greedy_outcome, greedy_choice, "greedy"
    assert choice is not None
    bound = max(bound, outcome.objective)
    mip_gap = (bound - outcome.objective) / bound if bound > 1e-12 else 0.0
    optimal = status == 0 and mip_gap <= max(mip_rel_gap, 1e-9) + 1e-9
    used: dict[str, int] = defaultdict(int)
    for (c, _, _), k in choice.items():
        used[c] += k
    runs = {c: _runs(k, model.courses[c].seats) for c, k in sorted(used.items()) if k > 0}
    return Plan(outcome, greedy_outcome, optimal, max(mip_gap, 0.0), bound, runs,
                time.perf_counter() - started, greedy_seconds, source)


def _runs(participants: int, seats: int | None) -> int:
    return math.ceil(participants / seats) if seats else 1


def _solve(model: _Model, time_limit: float, mip_rel_gap: float  # noqa: C901
           ) -> tuple[dict[tuple[str, str, str], int] | None, float, int]:
    """The MILP: maximise Σ w · value over segments, subject to money, hours, seats and pins.

    Variables: x[c, s, g] participants (integer, ≤ the most people of g needing one of c's areas);
    t[s, g, a] people of g at s trained in a (≤ need, ≤ Σ x over the courses covering a);
    y[s, a, j] the j-th person trained in a at s (0…1), worth w · (2n − 2j + 1) / n, which falls with j,
    so the solver fills them in order and Σ_j y = the concave value k (2n − k) / n exactly.
    """
    p = model.problem
    keys = sorted(model.candidates)
    xi = {k: i for i, k in enumerate(keys)}
    nvar = len(keys)
    t_index: dict[tuple[str, str, str], int] = {}
    for (c, s, g) in keys:
        for a in model.candidates[(c, s, g)][0]:
            if (s, g, a) not in t_index:
                t_index[(s, g, a)] = nvar
                nvar += 1
    t_keys = sorted(t_index)
    need_sa: dict[tuple[str, str], int] = defaultdict(int)
    for school in model.schools.values():
        for (_, a), n in school.needs.items():
            need_sa[(school.code, a)] += max(n, 0)
    sa_keys = sorted({(s, a) for (s, _, a) in t_keys})
    y_start: dict[tuple[str, str], int] = {}
    for sa in sa_keys:
        y_start[sa] = nvar
        nvar += need_sa[sa]
    obj = np.zeros(nvar)
    lower, upper = np.zeros(nvar), np.zeros(nvar)
    integrality = np.zeros(nvar, dtype=np.uint8)
    budget = float(p.budget_nok)
    for k, i in xi.items():
        upper[i] = model.candidates[k][1]
        integrality[i] = 1
        obj[i] = 1e-6 * model.cost[k[0]].total / budget  # among equal plans, the cheaper (≤ 1e-6 in all)
    for (s, g, a), i in t_index.items():
        upper[i] = model.schools[s].needs[(g, a)]
    for (s, a), start in y_start.items():
        n, w = need_sa[(s, a)], model.schools[s].weights.get(a, 0.0)
        j = np.arange(1, n + 1)
        obj[start:start + n] = -w * (2 * n - 2 * j + 1) / n
        upper[start:start + n] = 1.0
    rows, cols, vals, lo, hi = [], [], [], [], []
    r = 0

    def row(entries: Sequence[tuple[int, float]], low: float, high: float) -> None:
        nonlocal r
        for col, val in entries:
            rows.append(r)
            cols.append(col)
            vals.append(val)
        lo.append(low)
        hi.append(high)
        r += 1

    covering: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for (c, s, g), i in xi.items():
        for a in model.candidates[(c, s, g)][0]:
            covering[(s, g, a)].append(i)
    for sga in t_keys:  # t ≤ Σ x of the courses covering the area
        row([(t_index[sga], 1.0)] + [(i, -1.0) for i in covering[sga]], -np.inf, 0.0)
    groups_of: dict[tuple[str, str], list[int]] = defaultdict(list)
    for (s, g, a), i in t_index.items():
        groups_of[(s, a)].append(i)
    for sa in sa_keys:  # Σ_j y ≤ Σ_g t
        n = need_sa[sa]
        row([(y_start[sa] + j, 1.0) for j in range(n)] + [(i, -1.0) for i in groups_of[sa]], -np.inf, 0.0)
    row([(i, float(model.cost[k[0]].total)) for k, i in xi.items()], -np.inf, budget)
    if p.hours is not None:
        row([(i, float(model.courses[k[0]].substitute_hours)) for k, i in xi.items()], -np.inf, p.hours)
    per_course: dict[str, list[int]] = defaultdict(list)
    for k, i in xi.items():
        per_course[k[0]].append(i)
    for c, idx in sorted(per_course.items()):
        seats = model.courses[c].seats
        if seats is not None:
            row([(i, 1.0) for i in idx], -np.inf, float(seats * p.max_runs))
    for c in p.pins:
        row([(i, 1.0) for i in per_course[c]], 1.0, np.inf)
    matrix = coo_array((vals, (rows, cols)), shape=(r, nvar)).tocsr()
    result = milp(obj, constraints=LinearConstraint(matrix, lo, hi), integrality=integrality,
                  bounds=Bounds(lower, upper),
                  options={"time_limit": time_limit, "mip_rel_gap": mip_rel_gap, "disp": False})
    if result.x is None:
        if result.status == 2:
            raise PlanRefused("infeasible")
        return None, math.inf, result.status
    x = np.round(result.x[:len(keys)]).astype(int)
    choice = {k: int(x[i]) for k, i in xi.items() if x[i] > 0}
    dual = getattr(result, "mip_dual_bound", None)
    bound = -float(dual) if dual is not None and np.isfinite(dual) else math.inf
    return choice, bound, result.status
