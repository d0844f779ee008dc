"""The course budget plan from a round's stored published gaps: the needs it reads are published figures
(the unit's total less its published groups for «øvrige»), `laget plan` prints the contract, the same input
gives the same plan, a refused input exits non-zero with the message on stderr, and a kommune plan spends
one budget across its schools."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.conftest import publish_closed_round
from webapp.config import PROJECT_ROOT
from webapp.domain.planning import OTHER
from webapp.extensions import db
from webapp.models import Round, School, UnitGap
from webapp.services import courses, matching, planning, vocabulary
from webapp.services.gaps import BY
from webapp.services.results import unit_figures

ORG = ("kommune,fylke,school_code,school_name,skoleslag\n"
       "Indre,Vestland,S1,Stor skole,grunnskole\n"
       "Indre,Vestland,S2,Mellom skole,grunnskole\n"
       "Indre,Vestland,L1,Liten skole,grunnskole\n")


@pytest.fixture()
def found(app, settings):
    with app.app_context():
        round_id = publish_closed_round(settings, ORG, "Vår 2027", {"S1": 60, "S2": 40, "L1": 3}, seed=11)
        courses.import_course_file(db.session, PROJECT_ROOT / "webapp" / "demo" / "courses.csv",
                                   vocabulary.load(settings.surveys_dir), example=True)
        db.session.commit()
        found = db.session.get(Round, round_id)
        matching.recompute(db.session, found, courses.active_courses(db.session), settings.surveys_dir)
        db.session.commit()
        yield found


def school_id(code: str) -> int:
    return db.session.scalar(select(School.id).where(School.code == code))


def test_the_needs_are_the_published_figures_and_the_rest_is_never_broken_down(found):
    request = planning.PlanRequest(found.id, "school", school_id("S1"), 50_000)
    problem, context = planning.problem_for(db.session, request)
    (needs,) = problem.schools
    figures = unit_figures(db.session, found, "school", school_id("S1"), "", BY)
    assert needs.needs and context.figures_at is not None
    areas = {a for _, a in needs.needs}
    for area in areas:
        total = figures.figure(f"trenger_{area}")
        assert sum(n for (_, a), n in needs.needs.items() if a == area) == total.counts["ja"]
        for group in needs.published_groups:
            shown = figures.figure(f"trenger_{area}", group)
            assert not shown.suppressed
            assert needs.needs.get((group, area), 0) == shown.counts["ja"]
    named = {g for g, _ in needs.needs} - {OTHER}
    assert named <= needs.published_groups
    # A school with too few answers has no stored gaps, so nothing to plan for.
    assert not db.session.scalars(select(UnitGap).where(UnitGap.unit_id == school_id("L1"),
                                                        UnitGap.level == "school")).first()


def test_laget_plan_prints_the_contract_and_the_same_plan_twice(laget, found):
    args = ("plan", "--round", found.name, "--school", "S1", "--budget", "60000", "--format", "json")
    first = laget(*args)
    assert first.exit_code == 0, first.output
    shown = json.loads(first.output)
    assert set(shown) == {"lines", "total_cost_nok", "objective", "gap_left", "greedy_objective", "optimal",
                          "mip_gap"}
    assert shown["lines"] and shown["total_cost_nok"] <= 60000
    assert shown["total_cost_nok"] == sum(line["cost_nok"] for line in shown["lines"])
    for line in shown["lines"]:
        assert set(line) == {"course", "school", "yrkesgruppe", "participants", "cost_nok"}
        assert line["school"] == "S1" and line["participants"] > 0
    assert shown["objective"] >= shown["greedy_objective"]
    assert shown["optimal"] is True and shown["mip_gap"] <= 1e-3, shown
    assert laget(*args).output == first.output


def test_pins_excludes_and_the_substitute_rate_shape_the_plan(laget, found):
    base = ("plan", "--round", found.name, "--school", "S1", "--budget", "60000")
    plain = json.loads(laget(*base).output)
    used = sorted({line["course"] for line in plain["lines"]})
    dropped = json.loads(laget(*base, "--exclude", used[0]).output)
    assert used[0] not in {line["course"] for line in dropped["lines"]}
    assert dropped["objective"] <= plain["objective"] + 1e-9
    dearer = json.loads(laget(*base, "--substitute-rate", "600").output)
    assert dearer["objective"] <= plain["objective"] + 1e-9


@pytest.mark.parametrize(("extra", "message"), [
    (("--budget", "0"), "Budsjettet må være mer enn 0 kroner"),
    (("--budget", "60000", "--pin", "PALS", "--exclude", "PALS"), "«PALS» er både låst og valgt bort"),
    (("--budget", "60000", "--pin", "NOPE"), "«NOPE» er ikke et aktivt kurs"),
])
def test_a_refused_input_exits_non_zero_with_the_message(laget, found, extra, message):
    result = laget("plan", "--round", found.name, "--school", "S1", *extra)
    assert result.exit_code == 1
    assert message in result.output  # click's runner mixes stderr into output
    assert "{" not in result.output


def test_a_school_without_published_gaps_is_refused_in_english_too(laget, found):
    result = laget("plan", "--round", found.name, "--school", "L1", "--budget", "60000", "--lang", "en")
    assert result.exit_code == 1
    assert "There are no published gaps to plan for yet" in result.output


def test_a_kommune_plan_spends_one_budget_across_its_schools(found):
    kommune = db.session.scalar(select(School.kommune_id).where(School.code == "S1"))
    request = planning.PlanRequest(found.id, "kommune", kommune, 150_000)
    snapshot = planning.run_plan(db.session, request)
    schools = {line["school"] for line in snapshot["lines"]}
    assert schools == {"S1", "S2"}  # L1 has no published gaps
    assert snapshot["total_cost_nok"] <= 150_000
    parts = snapshot["fee_nok"] - snapshot["funding_nok"] + snapshot["substitute_nok"]
    assert snapshot["total_cost_nok"] == parts
    assert snapshot["objective"] >= snapshot["greedy"]["objective"]
    assert snapshot["request"]["max_runs"] is None and all(0 < n <= 2 for n in snapshot["runs"].values())
    for area in snapshot["areas"]:
        assert area["left"] == pytest.approx(area["gap"] - area["closed"], abs=1e-3)


def test_every_suggested_course_can_be_pinned_in_the_plan(found):
    # The suggestions and the planner read one model of who needs what: a course suggested for a school
    # takes someone there who needs one of its areas, so the planner never refuses to pin it
    from webapp.domain.planning import PlanRefused, plan

    for code in ("S1", "S2"):
        stored = matching.stored_matches(db.session, found, "school", school_id(code))
        suggested = [m.course_code for m in stored]
        assert suggested
        for course in suggested:
            request = planning.PlanRequest(found.id, "school", school_id(code), 10_000_000, pins=(course,))
            problem, _context = planning.problem_for(db.session, request)
            try:
                plan(problem, time_limit=0.2)
            except PlanRefused as refused:
                pytest.fail(f"{course} is suggested at {code} but the planner refuses it: {refused.code}")


def test_the_demo_school_where_suggestions_and_plan_disagreed(app, settings):
    # Elvdal sentrum in the demo: everyone who answered there is in one published yrkesgruppe, and three
    # of them need the fagbrev that «Fagbrev på jobb» (for assistants and «annet») gives
    from webapp.domain.planning import PlanRefused, plan
    from webapp.services.demo import load_demo

    with app.app_context():
        load_demo(db.session, settings, "demo password 1")
        db.session.commit()
        found = db.session.scalar(select(Round))
        elvdal = db.session.scalar(select(School).filter_by(name="Elvdal sentrum skole"))
        suggested = [m.course_code for m in matching.stored_matches(db.session, found, "school", elvdal.id)]
        assert suggested and "FAGBREV-PAA-JOBB" not in suggested
        for course in suggested:  # each suggestion can be pinned
            request = planning.PlanRequest(found.id, "school", elvdal.id, 1_000_000, pins=(course,))
            problem, _context = planning.problem_for(db.session, request)
            try:
                plan(problem, time_limit=0.2)
            except PlanRefused as refused:
                pytest.fail(f"{course} is suggested but the planner refuses it: {refused.code}")
        # the 50 000 kr plan says why money and the fagbrev need are left, and which areas it cannot count
        shown = planning.run_plan(db.session, planning.PlanRequest(found.id, "school", elvdal.id, 50_000))
        assert shown["unspent"]["reason"] == "nothing_to_buy" and shown["unspent"]["amount"] > 0
        assert [(x["area"], x["reason"], x["groups"]) for x in shown["left"]] == [
            ("fagbrev_bua", "not_for_groups", ["miljoterapeut_bsv"])]
        assert "psykisk_helse" in shown["unpublished_areas"]
