"""The privacy audit's view of the outputs issue 18 added on top of the published figures, recorded at a
ScriptedRound's snapshots and checked against that snapshot's published figures:

- the summary at the top of every unit's dashboard: the three largest gaps (share and n), the answers in
  the published figures and the response rate (services/dashboard_contents.py, dashboard_units.py);
- the «Kompetansebehov» panel's rows, where an area hidden at the unit holds «–» and no number
  (services/panels/gaps.py `overall`);
- a plan's new keys: why need is left (the groups it names), why money is left, and the areas it cannot
  count (services/planning.py `reasons`, domain/plan_reasons.py).

Each is built by the service the page calls, from the same figures the page reads.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from webapp.domain import planning as domain_planning
from webapp.domain.texts import pick

# (level, unit id, grouping, group, item) → n, as publishing.Snapshot
Snapshot = dict[tuple[str, int, str, str, str], Any]
DASH = "–"


@dataclass(frozen=True)
class Summary:
    """What one unit's dashboard shows above its panels, and its «Kompetansebehov» rows (area code first)."""

    level: str
    unit: int
    top: tuple[tuple[str, float, int], ...]  # (area code, share, n) as top_gaps gives them
    answered: int | None
    invited: int
    rate: int | None
    rows: tuple[tuple, ...]  # the overall panel's rows: (area, need, n, share, interval, score) or «–»s


def summary(session, page_of, level: str, unit_id: int, unit, by_group) -> Summary:
    """The unit's summary and gap rows, built as the dashboard builds them: the gap panels from the unit's
    figures and its yrkesgruppe breakdown, top_gaps and response_rate from a page holding those panels.
    `page_of(level, unit_id, unit, panels)` makes that page."""
    from webapp.services import dashboard_contents, dashboard_units
    from webapp.services.panels import gaps as gap_panels
    from webapp.services.panels.common import Context

    empty = page_of(level, unit_id, unit, [])
    ctx = Context(empty.questionnaire, empty.config, "nb", unit, None, by_group, (), "", None)
    panels = gap_panels.build(ctx) or []
    page = page_of(level, unit_id, unit, panels)
    codes = {pick(a.label, "nb"): a.code for a in page.questionnaire.areas}
    top = tuple((codes[g.area], g.share, g.n) for g in dashboard_contents.top_gaps(page, "nb"))
    rate = dashboard_units.response_rate(session, page)
    overall = next((p for p in panels if p.key == dashboard_contents.GAPS_PANEL), None)
    rows = tuple((codes[row[0]], *row[1:]) for row in overall.rows) if overall is not None else ()
    return Summary(level, unit_id, top, rate.answered, rate.invited, rate.rate, rows)


def check_summaries(snapshots: list[tuple[str, Snapshot]], summaries: list[list[Summary]],
                    areas: tuple[str, ...], respondents: str) -> list[str]:
    """At every step and unit: every gap row holds the unit's published need flag (need, n, share) or,
    for an area whose flag is not published there, «–» and nothing else; every area has its row; the
    summary's largest gaps are the first three shown rows, so published figures; the answers are the
    unit's published respondents (none where nothing is published) and the rate those over the invited."""
    problems = []
    for (label, snapshot), units in zip(snapshots, summaries):
        for s in units:
            cell = (s.level, s.unit, "all", "all")
            where = f"«{label}» {s.level} {s.unit}"
            published = {a: (snapshot.get((*cell, f"trenger_{a}=ja"), 0), snapshot[(*cell, f"trenger_{a}")])
                         for a in areas if snapshot.get((*cell, f"trenger_{a}"))}
            if sorted(row[0] for row in s.rows) != sorted(areas):
                problems.append(f"{where}: gap rows for {[row[0] for row in s.rows]}, areas {list(areas)}")
            for row in s.rows:
                if row[0] not in published:
                    if any(value != DASH for value in row[1:]):
                        problems.append(f"{where} {row[0]}: hidden (no published flag), but shows {row[1:]}")
                    continue
                need, n = published[row[0]]
                if tuple(row[1:4]) != (need, n, round(100 * need / n, 1)):
                    problems.append(f"{where} {row[0]}: row {row[1:4]}, published {need} of {n}")
            shown = [(row[0], row[3], row[2]) for row in s.rows if row[0] in published]
            if list(s.top) != shown[:3]:
                problems.append(f"{where}: summary {s.top}, the panel's largest published {shown[:3]}")
            answered = snapshot.get((*cell, respondents)) or None
            rate = round(100 * answered / s.invited) if answered and s.invited else None
            if (s.answered, s.rate) != (answered, rate):
                problems.append(f"{where}: summary {s.answered} answers, {s.rate} %; published {answered} "
                                f"of {s.invited} invited")
    return problems


def plan_courses(courses) -> tuple[domain_planning.PlanCourse, ...]:
    """The audit's courses (publishing.audit_courses) as the planner takes them, some with substitute hours
    and limited seats, so a plan leaves need for several reasons."""
    return tuple(domain_planning.PlanCourse(c.code, c.areas, c.yrkesgrupper, c.fee_nok, c.funding_share,
                                            float(k % 3), 2 if k % 4 == 0 else None)
                 for k, c in enumerate(courses))


def plan_runs(session, found, units, courses: tuple[domain_planning.PlanCourse, ...],
              budget_nok: int = 10_000) -> dict[tuple[str, int], dict]:
    """A plan for every school and kommune, now, as services/planning.run_plan makes it, but with the
    audit's courses in place of the (empty) catalogue: the problem and context from the stored gaps, the
    plan, and its reasons. A refused plan keeps its code and the areas it cannot count."""
    from webapp.services import planning

    out: dict[tuple[str, int], dict] = {}
    kommuner = sorted(set(units.kommune_of.values()))
    for level, unit_id in [("school", s) for s in units.schools] + [("kommune", k) for k in kommuner]:
        request = planning.PlanRequest(found.id, level, unit_id, budget_nok)
        problem, context = planning.problem_for(session, request)
        problem = replace(problem, courses=courses)
        try:
            result = domain_planning.plan(problem, time_limit=2.0)
        except domain_planning.PlanRefused as exc:
            out[(level, unit_id)] = {"refused": exc.code, "left": [], "unspent": None,
                                     "unpublished_areas": list(context.unpublished)}
            continue
        out[(level, unit_id)] = planning.reasons(problem, result.outcome, context)
    return out


def check_plan_runs(snapshots: list[tuple[str, Snapshot]], runs: dict[int, dict], units,
                    school_ids: dict[str, int], areas: tuple[str, ...]) -> list[str]:
    """At every snapshot planned at: the areas a plan says it cannot count are exactly those no school of
    the plan has a published need flag for (so they tell nothing the figures don't); every reason is for
    an area with published need at its school, and names only groups whose need flag for that area is
    published there, or «øvrige yrkesgrupper» (planning.OTHER)."""
    problems = []
    for index, plans in runs.items():
        label, snapshot = snapshots[index]
        for (level, unit_id), plan in plans.items():
            schools = [unit_id] if level == "school" else [s for s in units.schools
                                                           if units.kommune_of.get(s) == unit_id]
            counted = {a for a in areas for s in schools
                       if snapshot.get(("school", s, "all", "all", f"trenger_{a}"))}
            if sorted(plan["unpublished_areas"]) != sorted(set(areas) - counted):
                problems.append(f"«{label}» {level} {unit_id}: cannot count {plan['unpublished_areas']}, "
                                f"published there {sorted(counted)}")
            for left in plan["left"]:
                school, area = school_ids[left["school"]], left["area"]
                if not snapshot.get(("school", school, "all", "all", f"trenger_{area}=ja")):
                    problems.append(f"«{label}» {level} {unit_id}: need left in {area} at {left['school']}, "
                                    "which publishes none")
                for group in left["groups"]:
                    cell = ("school", school, "yrkesgruppe", group, f"trenger_{area}")
                    if group != domain_planning.OTHER and not snapshot.get(cell):
                        problems.append(f"«{label}» {level} {unit_id}: a reason names {group} for {area} at "
                                        f"{left['school']}, whose figure is not published")
    return problems
