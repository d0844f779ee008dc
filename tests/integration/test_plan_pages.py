"""The course budget planner's pages: who may plan and read, a plan asked for and worked out by the
worker (its actor called as the worker calls it), refusals, pin and drop, compare, save, CSV and print."""
from __future__ import annotations

import csv
import io
import re

import pytest
from dramatiq import Message
from dramatiq.brokers.stub import StubBroker
from sqlalchemy import delete, func, select

from tests.conftest import csrf_token, publish_closed_round
from webapp.extensions import db
from webapp.models import Kommune, OutboxEvent, PlanRun, Round, SavedPlan, School
from webapp.services import matching, outbox
from webapp.services.demo import load_demo_courses
from webapp.services.users import create_user
from workers import actors
from workers.broker import broker
from workers.relay import send_event

PASSWORD = "correct horse battery"
ORG = ("kommune,fylke,school_code,school_name,skoleslag\n"
       "Fjordvik,Vestland,S1,Breivika skole,grunnskole\n"
       "Fjordvik,Vestland,S2,Haugen skole,grunnskole\n"
       "Elvdal,Vestland,S3,Elvdal skole,grunnskole\n")


@pytest.fixture()
def planned(app, settings):
    """A closed round with published gaps at three schools in two kommuner, the demo catalogue, and one
    account of each kind."""
    with app.app_context():
        round_id = publish_closed_round(settings, ORG, "Høst 2026", {"S1": 40, "S2": 30, "S3": 30}, seed=5)
        load_demo_courses(db.session, settings)
        matching.recompute_round(db.session, db.session.get(Round, round_id), settings.surveys_dir)
        db.session.execute(delete(OutboxEvent))  # the matching asked for by the close: done just above
        create_user(db.session, "leder@example.org", PASSWORD, "skoleleder", school="S1")
        create_user(db.session, "leder3@example.org", PASSWORD, "skoleleder", school="S3")
        create_user(db.session, "tv@example.org", PASSWORD, "tillitsvalgt", kommune="Fjordvik")
        create_user(db.session, "tv3@example.org", PASSWORD, "tillitsvalgt", kommune="Elvdal")
        create_user(db.session, "boss@example.org", PASSWORD, "admin")
        db.session.commit()
        ids = {code: db.session.scalar(select(School.id).filter_by(code=code)) for code in ("S1", "S2", "S3")}
        ids["Fjordvik"] = db.session.scalar(select(Kommune.id).filter_by(name="Fjordvik"))
        return {"round": round_id, **ids}


def log_in(client, email: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert client.post("/login", data={"csrf_token": csrf_token(page), "email": email,
                                       "password": PASSWORD}).status_code == 302


def form_url(p: dict, school: str = "S1", level: str = "skole") -> str:
    return f"/planlegging/{p['round']}/{level}/{p[school]}/ny"


def ask(client, url: str, **fields) -> str:
    """Post the planner's form; returns where it redirected."""
    page = client.get(url).get_data(as_text=True)
    answer = client.post(url, data={"csrf_token": csrf_token(page), "substitute_rate": "300", **fields})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    return answer.headers["Location"]


def work(app) -> None:
    """Relay the waiting plan events and run their messages as the planning worker does."""
    with app.app_context():
        outbox.relay_batch(db.session, send_event, 60)
        db.session.commit()
    assert isinstance(broker, StubBroker)
    queue = broker.queues["planning"]
    while not queue.empty():
        message = Message.decode(queue.get_nowait())
        with app.app_context():
            broker.get_actor(message.actor_name).fn(*message.args)


def post(client, url: str, page_url: str, **fields):
    page = client.get(page_url).get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf_token(page), **fields})


def test_a_leader_asks_for_a_plan_and_the_worker_works_it_out(app, client, planned):
    # Given the leader of Breivika skole, When they ask for a plan of 60 000 kr
    log_in(client, "leder@example.org")
    run_url = ask(client, form_url(planned), budget="60 000")
    # Then the run and its outbox event are stored together, and the page says it is waiting
    with app.app_context():
        run = db.session.scalar(select(PlanRun))
        assert (run.status, run.request["budget_nok"]) == ("queued", 60000)
        assert run.request["substitute_rate"] is None  # the default rate
        assert db.session.scalar(select(OutboxEvent.key)) == f"plan:{run.id}"
    waiting = client.get(run_url).get_data(as_text=True)
    assert "data-reload" in waiting and "venter" in waiting
    # When the worker has run, Then the page shows the plan, within the budget, with the greedy baseline
    work(app)
    page = client.get(run_url).get_data(as_text=True)
    with app.app_context():
        run = db.session.scalar(select(PlanRun))
        assert run.status == "done" and 0 < run.result["total_cost_nok"] <= 60000
        assert run.result["objective"] >= run.result["greedy"]["objective"] - 1e-9
        assert db.session.scalar(select(func.count()).select_from(OutboxEvent)) == 0
    assert "data-reload" not in page
    assert "billigste kurset per dekket behov, én deltaker om gangen" in page
    # in a leader's words: a share of the need met, the best plan in plain words, the day as dd.mm.yyyy
    assert "av behovet for kompetanse dekkes av planen" in page and "vektet behov lukket" not in page
    assert "Dette er den beste planen innenfor disse rammene" in page and "0,1 prosent" not in page
    day = run.result["figures_at"][:10]
    assert f"{day[8:10]}.{day[5:7]}.{day[:4]}" in page and day not in page
    assert run.result["lines"][0]["title"] in page
    assert "Fest" in page and "Fjern" in page
    # A message delivered again does not work it out again
    with app.app_context():
        actors.make_plan.fn(run.id)
        assert db.session.get(PlanRun, run.id).finished_at == run.finished_at


def test_bad_input_gets_a_clear_message_and_no_run(app, client, planned):
    log_in(client, "leder@example.org")
    url = form_url(planned)
    page = client.get(url).get_data(as_text=True)
    assert "Kilde: anslag ut fra garantilønn for assistent, 2024" in page
    for budget, message in (("0", "Budsjettet må være mer enn 0 kroner."),
                            ("-5000", "Budsjettet må være mer enn 0 kroner."),
                            ("mye", "Oppgi budsjettet som et antall kroner"), ("", "Oppgi et budsjett.")):
        answer = client.post(url, data={"csrf_token": csrf_token(page), "budget": budget,
                                        "substitute_rate": "300"})
        assert answer.status_code == 422
        assert message in answer.get_data(as_text=True)
    answer = client.post(url, data={"csrf_token": csrf_token(page), "budget": "1000", "substitute_rate": "-1",
                                    "hours": "-2"})
    text = answer.get_data(as_text=True)
    assert "Timeprisen kan ikke være negativ." in text and "Timene kan ikke være negative." in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PlanRun)) == 0


def test_a_refusal_is_shown_in_the_readers_language(app, client, planned):
    # Given a plan, When a course retired since is pinned (a page older than the catalogue)
    log_in(client, "leder@example.org")
    first_url = ask(client, form_url(planned), budget="60000")
    first_id = int(first_url.rsplit("/", 1)[1])
    run_url = post(client, f"/planlegging/plan/{first_id}/endre", first_url, course="GONE-2020",
                   change="fest").headers["Location"]
    work(app)
    # Then the planner refuses, and the page says why in the reader's language
    with app.app_context():
        run = db.session.get(PlanRun, int(run_url.rsplit("/", 1)[1]))
        assert (run.status, run.refusal_code, run.refusal_params) == ("refused", "unknown_course",
                                                                      {"course": "GONE-2020"})
    page = client.get(run_url).get_data(as_text=True)
    assert "Ingen plan for disse valgene" in page and "GONE-2020" in page
    assert "is not an active course" not in page
    english = client.get(run_url + "?lang=en").get_data(as_text=True)
    assert "«GONE-2020» is not an active course in the catalogue." in english
    assert f"/planlegging/{planned['round']}/skole/{planned['S1']}/ny?fra={run.id}" in page


def test_pin_and_drop_run_again_with_that_change(app, client, planned):
    log_in(client, "leder@example.org")
    run_url = ask(client, form_url(planned), budget="60000")
    work(app)
    with app.app_context():
        first = db.session.scalar(select(PlanRun))
        course = first.result["lines"][0]["course"]
    # When they drop the first course of the plan, Then a new plan without it is asked for
    answer = post(client, f"/planlegging/plan/{first.id}/endre", run_url, course=course, change="fjern")
    assert answer.status_code == 302
    work(app)
    with app.app_context():
        dropped = db.session.scalars(select(PlanRun).order_by(PlanRun.id.desc())).first()
        assert dropped.request["excludes"] == [course] and dropped.status == "done"
        assert course not in {ln["course"] for ln in dropped.result["lines"]}
        assert {k: v for k, v in dropped.request.items() if k != "excludes"} == \
            {k: v for k, v in first.request.items() if k != "excludes"}
    # and taking it back and pinning it puts it in
    post(client, f"/planlegging/plan/{dropped.id}/endre", run_url, course=course, change="fest")
    work(app)
    with app.app_context():
        pinned = db.session.scalars(select(PlanRun).order_by(PlanRun.id.desc())).first()
        assert (pinned.request["pins"], pinned.request["excludes"]) == ([course], [])
        assert course in {ln["course"] for ln in pinned.result["lines"]}
    assert "festet" in client.get(f"/planlegging/plan/{pinned.id}").get_data(as_text=True)


def test_compare_two_budgets_shows_what_the_extra_money_buys(app, client, planned):
    log_in(client, "leder@example.org")
    run_url = ask(client, form_url(planned), budget="20000")
    work(app)
    run_id = int(run_url.rsplit("/", 1)[1])
    answer = post(client, f"/planlegging/plan/{run_id}/sammenlign", run_url, budget="80 000")
    assert answer.status_code == 302
    compare_url = answer.headers["Location"]
    assert "data-reload" in client.get(compare_url).get_data(as_text=True)
    work(app)
    page = client.get(compare_url).get_data(as_text=True)
    assert "Hva 60 000 kr ekstra gir" in page.replace("\xa0", " ")
    with app.app_context():
        small, large = db.session.scalars(select(PlanRun).order_by(PlanRun.id)).all()
        assert large.result["objective"] >= small.result["objective"]
    # a bad budget is a clear message
    answer = post(client, f"/planlegging/plan/{run_id}/sammenlign", run_url, budget="0")
    assert answer.status_code == 422
    assert "Budsjettet må være mer enn 0 kroner." in answer.get_data(as_text=True)


def test_save_list_open_csv_and_print(app, client, planned):
    log_in(client, "leder@example.org")
    run_url = ask(client, form_url(planned), budget="60000")
    work(app)
    run_id = int(run_url.rsplit("/", 1)[1])
    answer = post(client, f"/planlegging/plan/{run_id}/lagre", run_url, name="  Budsjettmøte   mars ")
    assert answer.status_code == 302
    saved_url = answer.headers["Location"]
    # the same name again is refused with a message
    again = post(client, f"/planlegging/plan/{run_id}/lagre", run_url, name="Budsjettmøte mars")
    assert again.status_code == 422
    assert "har allerede en lagret plan med det navnet" in again.get_data(as_text=True)
    empty = post(client, f"/planlegging/plan/{run_id}/lagre", run_url, name="  ")
    assert empty.status_code == 422 and "Gi planen et navn." in empty.get_data(as_text=True)
    listing = client.get(f"/planlegging/{planned['round']}/skole/{planned['S1']}/").get_data(as_text=True)
    assert "Budsjettmøte mars" in listing and saved_url in listing
    page = client.get(saved_url).get_data(as_text=True)
    assert "Budsjettmøte mars" in page and "billigste kurset per dekket behov" in page
    # CSV: semicolons, UTF-8 with a byte order mark, one row per line, numbers that add up
    download = client.get(saved_url + ".csv")
    assert download.mimetype == "text/csv" and download.data.startswith("\ufeff".encode())
    assert "attachment" in download.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Kurskode", "Kurs", "Tilbyder"]
    with app.app_context():
        saved = db.session.scalar(select(SavedPlan))
        lines = saved.snapshot["lines"]
    body = rows[1:1 + len(lines)]
    assert [r[0] for r in body] == [ln["course"] for ln in lines]
    assert sum(int(r[10]) for r in body) == saved.snapshot["total_cost_nok"]
    assert rows[1 + len(lines)][0] == "Sum"
    assert client.get(f"/planlegging/plan/{run_id}.csv").status_code == 200
    # the printable page has the plan and no forms
    printable = client.get(saved_url + "/utskrift").get_data(as_text=True)
    assert lines[0]["title"] in printable and "<form method=\"post\" action=\"/planlegging" not in printable
    assert client.get(f"/planlegging/plan/{run_id}/utskrift").status_code == 200


def _saved_plan(app, client, planned, school: str = "S1",
                email: str = "leder@example.org") -> tuple[int, str]:
    log_in(client, email)
    run_url = ask(client, form_url(planned, school), budget="60000")
    work(app)
    run_id = int(run_url.rsplit("/", 1)[1])
    saved_url = post(client, f"/planlegging/plan/{run_id}/lagre", run_url, name="Plan A").headers["Location"]
    client.post("/logout", data={"csrf_token": csrf_token(client.get(run_url).get_data(as_text=True))})
    return run_id, saved_url


def test_the_tillitsvalgt_of_the_kommune_reads_saved_plans_only(app, client, planned):
    run_id, saved_url = _saved_plan(app, client, planned)
    log_in(client, "tv@example.org")
    # reads the saved plan, its list, CSV and printable page, without the leader's buttons
    page = client.get(saved_url)
    assert page.status_code == 200
    assert "Fest" not in page.get_data(as_text=True) and "/endre" not in page.get_data(as_text=True)
    assert client.get(f"/planlegging/{planned['round']}/skole/{planned['S1']}/").status_code == 200
    assert client.get(saved_url + ".csv").status_code == 200
    assert client.get(saved_url + "/utskrift").status_code == 200
    # but neither plans nor runs nor changes
    assert client.get(form_url(planned)).status_code == 404
    assert client.get(f"/planlegging/plan/{run_id}").status_code == 404
    assert client.get(f"/planlegging/plan/{run_id}.csv").status_code == 404
    token = csrf_token(client.get(saved_url).get_data(as_text=True))
    assert client.post(saved_url + "/endre", data={"csrf_token": token, "course": "X",
                                                   "change": "fjern"}).status_code == 404
    # and the dashboard links to the saved plans, not to the planner
    dashboard = client.get(f"/resultater/{planned['round']}/skole/{planned['S1']}").get_data(as_text=True)
    assert f"/planlegging/{planned['round']}/skole/{planned['S1']}/" in dashboard
    assert "/ny\"" not in dashboard


def test_everyone_else_gets_the_same_404(app, client, planned):
    run_id, saved_url = _saved_plan(app, client, planned)
    saved_id = int(saved_url.rsplit("/", 1)[1])
    own = [form_url(planned), f"/planlegging/{planned['round']}/skole/{planned['S1']}/", saved_url,
           saved_url + ".csv", saved_url + "/utskrift", f"/planlegging/plan/{run_id}",
           f"/planlegging/plan/{run_id}.csv", f"/planlegging/plan/{run_id}/utskrift"]
    for email in ("leder3@example.org", "tv3@example.org"):
        log_in(client, email)
        for url in own:
            assert client.get(url).status_code == 404, (email, url)
        client.get("/")
    # a missing unit, round or plan answers the same
    log_in(client, "leder@example.org")
    for url in (f"/planlegging/{planned['round']}/skole/999999/ny",
                f"/planlegging/999/skole/{planned['S1']}/ny",
                f"/planlegging/lagret/{saved_id + 99}", "/planlegging/plan/999999",
                f"/planlegging/{planned['round']}/fylke/1/ny",
                f"/planlegging/{planned['round']}/kommune/{planned['Fjordvik']}/ny"):
        assert client.get(url).status_code == 404, url
    # a leader of two schools plans for their own only
    assert client.get(form_url(planned, "S2")).status_code == 404


def test_the_admin_plans_for_a_whole_kommune_with_one_budget(app, client, planned):
    log_in(client, "boss@example.org")
    run_url = ask(client, form_url(planned, "Fjordvik", "kommune"), budget="150000")
    work(app)
    with app.app_context():
        run = db.session.scalar(select(PlanRun))
        assert run.status == "done" and run.level == "kommune"
        schools = {ln["school"] for ln in run.result["lines"]}
        assert schools <= {"S1", "S2"}
    page = client.get(run_url).get_data(as_text=True)
    assert re.search(r"<th scope=\"col\">Skole</th>", page)  # a kommune plan names the school of each line
    # and the kommune's tillitsvalgt reads it once saved
    post(client, f"/planlegging/plan/{run.id}/lagre", run_url, name="Kommuneplan")
    client.post("/logout", data={"csrf_token": csrf_token(client.get(run_url).get_data(as_text=True))})
    log_in(client, "tv@example.org")
    listing = client.get(f"/planlegging/{planned['round']}/kommune/{planned['Fjordvik']}/")
    assert listing.status_code == 200 and "Kommuneplan" in listing.get_data(as_text=True)


def test_a_run_another_worker_is_solving_waits_and_one_left_by_a_dead_worker_is_made_again(app, client,
                                                                                           planned):
    from datetime import timedelta

    from webapp.services.plan_runs import STALE_RUN
    from webapp.services.rounds import now

    log_in(client, "leder@example.org")
    ask(client, form_url(planned), budget="60 000")
    with app.app_context():
        run = db.session.scalar(select(PlanRun))
        # Given a run another worker started a moment ago, When its key is sent again
        run.status, run.started_at = "running", now()
        db.session.commit()
        actors.make_plan.fn(run.id, 10**9)
        # Then it is left to that worker, and its outbox event stays for a later resend
        assert db.session.get(PlanRun, run.id).status == "running"
        assert db.session.scalar(select(func.count()).select_from(OutboxEvent)) == 1
        # When the worker that started it died long ago, Then the resend makes the plan
        db.session.get(PlanRun, run.id).started_at = now() - STALE_RUN - timedelta(seconds=1)
        db.session.commit()
        actors.make_plan.fn(run.id, 10**9)
        assert db.session.get(PlanRun, run.id).status == "done"
        assert db.session.scalar(select(func.count()).select_from(OutboxEvent)) == 0


# The planner's old words, per language: a weighted score instead of a share of the need, «closes»,
# a solver's «proven optimal», and a count in the plural for one.
OLD_WORDS = {
    "nb": ("vektet behov", "vektede behov", "bevist optimal", "lukk", "enkle regelen", "1 deltakere"),
    "nn": ("vekta behov", "vekta behovet", "prova optimal", "lukk", "enkle regelen", "1 deltakarar"),
    "en": ("weighted need", "proven optimal", "closes", "need closed", "simple rule", "1 participants"),
}
ISO_DAY = re.compile(r"\b20\d\d-\d\d-\d\d\b")


def _visible(page: str) -> str:
    """The text a reader sees: without scripts, tags and attributes, spaces made plain."""
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace("\xa0", " ")


def _assert_in_plain_words(client, urls: list[str]) -> None:
    for url in urls:
        for lang, words in OLD_WORDS.items():
            answer = client.get(f"{url}?lang={lang}")
            assert answer.status_code == 200, (url, lang)
            text = _visible(answer.get_data(as_text=True)).lower()
            for word in words:
                assert word not in text, (url, lang, word)
            assert not ISO_DAY.search(text), (url, lang, ISO_DAY.search(text))


def test_every_planner_page_speaks_plainly_in_nb_nn_and_en(app, client, planned):
    # Given a school's plan, saved, and compared with a larger budget and with the same plan again
    log_in(client, "leder@example.org")
    run_url = ask(client, form_url(planned), budget="20000")
    work(app)
    run_id = int(run_url.rsplit("/", 1)[1])
    base = f"/planlegging/plan/{run_id}"
    saved_url = post(client, f"{base}/lagre", run_url, name="Plan A").headers["Location"]
    larger = post(client, f"{base}/sammenlign", run_url, budget="80000").headers["Location"]
    same = post(client, f"{base}/sammenlign", run_url, budget="20000").headers["Location"]
    work(app)
    listing = f"/planlegging/{planned['round']}/skole/{planned['S1']}/"
    # Then no page uses the old words, in any language, nor writes a day as 2026-12-07
    _assert_in_plain_words(client, [form_url(planned), run_url, run_url + "/utskrift", saved_url,
                                    saved_url + "/utskrift", larger, same, listing])
    # The comparison gives the share of the need met by each, and the difference in percentage points
    page = _visible(client.get(larger + "?lang=nb").get_data(as_text=True))  # the language is kept
    with app.app_context():
        small, large = db.session.scalars(select(PlanRun).where(PlanRun.id.in_(
            [run_id, int(larger.rsplit("/", 1)[1])])).order_by(PlanRun.id)).all()
        shares = [round(100 * r.result["objective"] / r.result["gap_total"]) for r in (small, large)]
    more = shares[1] - shares[0]
    assert f"Planen med 80 000 kr dekker {shares[1]} % av behovet: {more} prosentpoeng mer " \
           "enn planen med 20 000 kr." in page
    assert "Hver av dem er den beste planen innenfor disse rammene" in page
    # and two equal plans are said to be the same, in one sentence, without a table of equal numbers
    equal = _visible(client.get(same + "?lang=nb").get_data(as_text=True))
    assert "Planen med 20 000 kr er den samme som planen med 20 000 kr: de samme kursene og deltakerne" \
        in equal
    assert "Side om side" not in equal and "prosentpoeng" not in equal
    assert "Hva den andre planen endrer" in equal and "Hva 0 kr ekstra gir" not in equal


def test_a_kommune_plan_and_its_list_speak_plainly(app, client, planned):
    _saved_plan(app, client, planned)  # a school's plan, listed on the kommune's page
    log_in(client, "boss@example.org")
    listing = f"/planlegging/{planned['round']}/kommune/{planned['Fjordvik']}/"
    # Before the kommune has a plan of its own, its list says the missing plan is the whole kommune's
    page = _visible(client.get(listing).get_data(as_text=True))
    assert "Ingen plan for hele kommunen er lagret ennå." in page
    assert "Ingen plan er lagret her ennå" not in page and "Plan A" in page
    school_page = _visible(client.get(f"/planlegging/{planned['round']}/skole/{planned['S2']}/")
                           .get_data(as_text=True))
    assert "Ingen plan er lagret her ennå." in school_page and "hele kommunen" not in school_page
    run_url = ask(client, form_url(planned, "Fjordvik", "kommune"), budget="150000")
    work(app)
    run_id = int(run_url.rsplit("/", 1)[1])
    saved_url = post(client, f"/planlegging/plan/{run_id}/lagre", run_url,
                     name="Kommuneplan").headers["Location"]
    _assert_in_plain_words(client, [form_url(planned, "Fjordvik", "kommune"), run_url, saved_url,
                                    saved_url + "/utskrift", listing])
