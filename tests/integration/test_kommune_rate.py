"""The substitute cost per hour an administrator sets per kommune: a plan's own rate, else its kommune's,
else 300 kr; `laget kommune rate`, the admin's kommune pages, and the planner's form and plans."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import csrf_token, publish_closed_round
from tests.integration.test_plan_pages import PASSWORD, form_url, log_in, work
from webapp.extensions import db
from webapp.models import Course, Kommune, OutboxEvent, PlanRun, Round, School
from webapp.services import matching, org, planning
from webapp.services.demo import load_demo_courses
from webapp.services.planning import PlanRequest, Rate
from webapp.services.substitute_rates import RateRefused, set_kommune_rate
from webapp.services.users import create_user

ORG = ("kommune,fylke,school_code,school_name,skoleslag,kommunenummer\n"
       "Fjordvik,Vestland,S1,Breivika skole,grunnskole,4699\n"
       "Fjordvik,Vestland,S2,Haugen skole,grunnskole,4699\n"
       "Elvdal,Vestland,S3,Elvdal skole,grunnskole,4698\n"
       "Herøy,Nordland,N1,Herøy skole,grunnskole,1818\n"
       "Herøy,Møre og Romsdal,M1,Bergsøy skule,grunnskole,1515\n")


def ids(code: str) -> int:
    return db.session.scalar(select(School.id).filter_by(code=code))


def kommune(name: str) -> Kommune:
    return db.session.scalars(select(Kommune).filter_by(name=name)).one()


def rate_of(app, number: str) -> int | None:
    with app.app_context():
        return db.session.scalar(select(Kommune.substitute_rate_nok).filter_by(number=number))


@pytest.fixture()
def schools(app):
    with app.app_context():  # not kept: a request would share its g, and so the language, with the test
        org.import_org(db.session, ORG)
        db.session.commit()


@pytest.fixture()
def planned(app, settings):
    """A closed round with published gaps at Breivika (Fjordvik) and Elvdal, the demo catalogue, a leader
    of each school and an administrator."""
    with app.app_context():
        round_id = publish_closed_round(settings, ORG, "Høst 2026", {"S1": 40, "S3": 30}, seed=5)
        load_demo_courses(db.session, settings)
        matching.recompute_round(db.session, db.session.get(Round, round_id), settings.surveys_dir)
        db.session.execute(delete(OutboxEvent))  # the matching asked for by the close: done just above
        create_user(db.session, "leder@example.org", PASSWORD, "skoleleder", school="S1")
        create_user(db.session, "leder3@example.org", PASSWORD, "skoleleder", school="S3")
        create_user(db.session, "tv@example.org", PASSWORD, "tillitsvalgt", kommune="Fjordvik")
        db.session.commit()
        return {"round": round_id, "S1": ids("S1"), "S3": ids("S3"), "Fjordvik": kommune("Fjordvik").id}


# The rule

def test_a_plans_rate_is_its_own_else_its_kommunes_else_300(app, schools):
    with app.app_context():
        # Given Fjordvik at 350 kr and Elvdal with nothing set
        set_kommune_rate(db.session, kommune("Fjordvik"), 350)
        s1, s3, fjordvik = ids("S1"), ids("S3"), kommune("Fjordvik").id
        # Then a school plan and a kommune plan in Fjordvik take Fjordvik's rate
        assert planning.resolve_rate(db.session, PlanRequest(1, "school", s1, 1000)) == \
            Rate(350, "kommune", "Fjordvik")
        assert planning.resolve_rate(db.session, PlanRequest(1, "kommune", fjordvik, 1000)) == \
            Rate(350, "kommune", "Fjordvik")
        # a plan's own rate wins, also one below the kommune's and 0
        for own in (280.0, 450.5, 0.0):
            assert planning.resolve_rate(db.session, PlanRequest(1, "school", s1, 1000, own)) == \
                Rate(own, "plan")
        # and Elvdal's school gets the default
        assert planning.resolve_rate(db.session, PlanRequest(1, "school", s3, 1000)) == Rate(300, "default")
        # When Fjordvik's rate is cleared, Then its plans get the default again
        set_kommune_rate(db.session, kommune("Fjordvik"), None)
        assert planning.default_rate(db.session, "school", s1) == Rate(300, "default")


@pytest.mark.parametrize(("value", "message"), [
    (0, "Vikarkostnaden per time må være mer enn 0 kroner."),
    (-5, "Vikarkostnaden per time må være mer enn 0 kroner."),
    (2001, "Vikarkostnaden per time kan være høyst 2\u00a0000 kroner."),
    (float("inf"), "høyst"),
    (float("nan"), "mer enn 0 kroner"),
    (312.5, "Oppgi vikarkostnaden per time i hele kroner."),
])
def test_the_service_refuses_a_rate_out_of_range_and_stores_nothing(app, schools, value, message):
    with app.app_context():
        with pytest.raises(RateRefused, match=message):
            set_kommune_rate(db.session, kommune("Fjordvik"), value)
        assert kommune("Fjordvik").substitute_rate_nok is None


@pytest.mark.parametrize("value", [0, 2001])
def test_the_database_refuses_a_rate_out_of_range_too(app, schools, value):
    with app.app_context():
        with pytest.raises(IntegrityError):
            db.session.execute(text("UPDATE kommune SET substitute_rate_nok = :v"), {"v": value})
        db.session.rollback()


def test_a_plan_run_uses_its_kommunes_rate(app, planned):
    with app.app_context():
        # Given Fjordvik at 600 kr an hour (a rate HiGHS proves at once: an equal plan needs no time limit)
        set_kommune_rate(db.session, kommune("Fjordvik"), 600)
        db.session.commit()
        # When a plan for Breivika gives no rate
        asked = PlanRequest(planned["round"], "school", planned["S1"], 60_000)
        problem, _context = planning.problem_for(db.session, asked)
        snapshot = planning.run_plan(db.session, asked)
        # Then it is planned at 600, and the snapshot says where the rate came from
        assert problem.substitute_rate == 600
        assert (snapshot["substitute_rate"], snapshot["substitute_rate_source"],
                snapshot["substitute_rate_kommune"]) == (600, "kommune", "Fjordvik")
        hours = dict(db.session.execute(select(Course.code, Course.substitute_hours)).all())
        assert any(hours[ln["course"]] for ln in snapshot["lines"])
        for ln in snapshot["lines"]:
            assert ln["substitute_nok"] == ln["participants"] * round(hours[ln["course"]] * 600)
        # and the same plan as one that gives 600 itself
        own = planning.run_plan(db.session, PlanRequest(asked.round_id, "school", asked.unit_id, 60_000, 600))
        assert own["lines"] == snapshot["lines"] and own["substitute_rate_source"] == "plan"


def test_laget_plan_uses_the_kommunes_rate_unless_given_one(app, laget, planned):
    base = ("plan", "--round", "Høst 2026", "--school", "S1", "--budget", "60000")
    at_300 = laget(*base).output
    assert laget("kommune", "rate", "Fjordvik", "600").exit_code == 0
    at_kommune = laget(*base)
    assert at_kommune.exit_code == 0, at_kommune.output
    assert json.loads(at_kommune.output) == json.loads(laget(*base, "--substitute-rate", "600").output)
    assert at_kommune.output != at_300
    assert laget(*base, "--substitute-rate", "300").output == at_300


# The command line

def test_laget_kommune_rate_sets_shows_and_clears_the_rate(app, laget, schools):
    result = laget("kommune", "rate", "Fjordvik", "350")
    assert result.exit_code == 0, result.output
    assert "Fjordvik (Vestland, 4699): substitute cost 350 kr per hour." in result.output
    assert rate_of(app, "4699") == 350
    # by kommunenummer, and «kr» or a decimal comma that is a whole number are fine
    assert laget("kommune", "rate", "4698", "420 kr").exit_code == 0 and rate_of(app, "4698") == 420
    assert laget("kommune", "rate", "1818", "375,0").exit_code == 0 and rate_of(app, "1818") == 375
    # without a rate it shows the rate; --clear goes back to the default
    assert "350 kr per hour" in laget("kommune", "rate", "Fjordvik").output
    cleared = laget("kommune", "rate", "Fjordvik", "--clear")
    assert cleared.exit_code == 0 and "the default substitute cost, 300 kr per hour" in cleared.output
    assert rate_of(app, "4699") is None and rate_of(app, "4698") == 420


@pytest.mark.parametrize(("args", "message"), [
    (("Fjordvik", "0"), "Vikarkostnaden per time må være mer enn 0 kroner."),
    (("Fjordvik", "-5"), "Vikarkostnaden per time må være mer enn 0 kroner."),
    (("Fjordvik", "2001"), "Vikarkostnaden per time kan være høyst 2\u00a0000 kroner."),
    (("Fjordvik", "312,5"), "Oppgi vikarkostnaden per time i hele kroner."),
    (("Fjordvik", "mye"), "Oppgi timeprisen som et antall kroner, for eksempel 300."),
    (("Fjordvik", "nan"), "Oppgi timeprisen som et antall kroner"),
    (("Fjordvik", "350", "--clear"), "Oppgi enten en timepris eller --clear, ikke begge."),
    (("Nowhere", "350"), "Det finnes ingen kommune"),
    (("Herøy", "350"), "Herøy (Møre og Romsdal, 1515); Herøy (Nordland, 1818)"),
])
def test_laget_kommune_rate_refuses_a_bad_value_with_a_clear_message(app, laget, schools, args, message):
    result = laget("kommune", "rate", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        assert db.session.scalars(select(Kommune.substitute_rate_nok)).all() == [None] * 4


# The admin's pages

@pytest.fixture()
def admin(app, client, schools):
    with app.app_context():
        create_user(db.session, "boss@example.org", PASSWORD, "admin")
        create_user(db.session, "leder@example.org", PASSWORD, "skoleleder", school="S1")
        create_user(db.session, "tv@example.org", PASSWORD, "tillitsvalgt", kommune="Fjordvik")
        db.session.commit()
        fjordvik = kommune("Fjordvik").id
    log_in(client, "boss@example.org")
    return f"/admin/kommuner/{fjordvik}"


def set_rate(client, url: str, value: str, lang: str = ""):
    page = client.get(url + lang).get_data(as_text=True)
    return client.post(url + lang, data={"csrf_token": csrf_token(page), "substitute_rate": value})


def test_only_administrators_reach_the_kommune_pages(app, client, admin):
    assert client.get("/admin/kommuner/").status_code == 200 and client.get(admin).status_code == 200
    page = client.get("/resultater/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(page)})
    assert client.get(admin).status_code == 302  # to the log-in page
    for email in ("leder@example.org", "tv@example.org"):
        log_in(client, email)
        assert client.get("/admin/kommuner/").status_code == 403 and client.get(admin).status_code == 403
        token = csrf_token(client.get("/resultater/").get_data(as_text=True))
        assert client.post(admin, data={"csrf_token": token, "substitute_rate": "350"}).status_code == 403
        client.post("/logout", data={"csrf_token": token})
    assert rate_of(app, "4699") is None


def test_an_administrator_sets_and_clears_a_kommunes_rate(app, client, admin):
    overview = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/kommuner/"' in overview
    listing = client.get("/admin/kommuner/").get_data(as_text=True)
    assert "Fjordvik" in listing and "Elvdal" in listing and "standard" in listing
    # When the administrator sets 350, Then it is stored, said and listed
    answer = set_rate(client, admin, "350")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/admin/kommuner/")
    assert rate_of(app, "4699") == 350
    listing = client.get("/admin/kommuner/").get_data(as_text=True)
    assert "Fjordvik: vikarkostnaden er 350 kr per time." in listing
    assert 'value="350"' in client.get(admin).get_data(as_text=True)
    # When the field is emptied, Then the kommune goes back to the default
    assert set_rate(client, admin, "").status_code == 302 and rate_of(app, "4699") is None
    assert "Fjordvik bruker standard vikarkostnad igjen, 300 kr per time." in \
        client.get("/admin/kommuner/").get_data(as_text=True)


@pytest.mark.parametrize(("value", "lang", "message"), [
    ("0", "", "Vikarkostnaden per time må være mer enn 0 kroner."),
    ("2500", "", "Vikarkostnaden per time kan være høyst 2\u00a0000 kroner."),
    ("312,5", "", "Oppgi vikarkostnaden per time i hele kroner."),
    ("mye", "", "Oppgi timeprisen som et antall kroner, for eksempel 300."),
    ("0", "?lang=nn", "Vikarkostnaden per time må vere meir enn 0 kroner."),
    ("2500", "?lang=nn", "Vikarkostnaden per time kan vere høgst 2\u00a0000 kroner."),
    ("-1", "?lang=en", "The substitute cost per hour must be more than 0 kroner."),
    ("2500", "?lang=en", "The substitute cost per hour can be at most 2,000 kroner."),
])
def test_a_bad_rate_on_the_admin_form_gets_a_clear_message_and_stores_nothing(app, client, admin, value, lang,
                                                                             message):
    answer = set_rate(client, admin, value, lang)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert message in page and 'aria-invalid="true"' in page and 'id="error-summary"' in page
    assert rate_of(app, "4699") is None


def test_the_admin_form_needs_its_csrf_token(app, client, admin):
    assert client.post(admin, data={"substitute_rate": "350"}).status_code == 400
    assert rate_of(app, "4699") is None


# The planner's form and plans

def test_the_plan_form_starts_from_the_kommunes_rate_and_says_who_set_it(app, client, planned):
    log_in(client, "leder@example.org")
    url = form_url(planned)
    assert "Kilde: anslag ut fra garantilønn for assistent, 2024." in client.get(url).get_data(as_text=True)
    with app.app_context():
        set_kommune_rate(db.session, kommune("Fjordvik"), 600)
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert 'name="substitute_rate" type="text" value="600"' in page
    assert "Satt av administrator for Fjordvik." in page and "Kilde: anslag" not in page
    assert "Sett av administrator for Fjordvik." in client.get(url + "?lang=nn").get_data(as_text=True)
    assert "Set by an administrator for Fjordvik." in client.get(url + "?lang=en").get_data(as_text=True)
    client.get(url + "?lang=nb")
    # When the leader keeps 600, Then the plan follows the kommune's rate; 300 is the plan's own
    for typed, stored in (("600", None), ("300", 300)):
        answer = client.post(url, data={"csrf_token": csrf_token(page), "budget": "60000",
                                        "substitute_rate": typed})
        assert answer.status_code == 302
        with app.app_context():
            run = db.session.scalars(select(PlanRun).order_by(PlanRun.id.desc())).first()
            assert run.request["substitute_rate"] == stored
    work(app)
    with app.app_context():
        runs = db.session.scalars(select(PlanRun).order_by(PlanRun.id)).all()
        assert [(r.result["substitute_rate"], r.result["substitute_rate_source"]) for r in runs] == \
            [(600, "kommune"), (300, "plan")]
    shown = client.get(f"/planlegging/plan/{runs[0].id}").get_data(as_text=True)
    assert "Satt av administrator for Fjordvik." in shown
    own = client.get(f"/planlegging/plan/{runs[1].id}").get_data(as_text=True)
    assert "Satt av administrator" not in own and "Kilde: anslag" not in own


def test_a_school_in_another_kommune_keeps_the_default(app, client, planned):
    with app.app_context():
        set_kommune_rate(db.session, kommune("Fjordvik"), 600)
        db.session.commit()
    log_in(client, "leder3@example.org")
    page = client.get(form_url(planned, "S3")).get_data(as_text=True)
    assert 'name="substitute_rate" type="text" value="300"' in page
    assert "Kilde: anslag ut fra garantilønn for assistent, 2024." in page and "Fjordvik" not in page
