"""The front page, and where each role lands after logging in: on its own units, in the newest round."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import ORG_CSV, csrf_token
from webapp.extensions import db
from webapp.models import Kommune, Round, School
from webapp.services import org, rounds
from webapp.services.users import create_user

PASSWORD = "correct horse battery"


def log_in(client, email: str):
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data={"csrf_token": csrf_token(page), "email": email, "password": PASSWORD},
                       follow_redirects=True)


@pytest.fixture()
def accounts(app, open_round):
    """A tillitsvalgt in Fjordvik, a leader of S1 and one of S3, and an administrator."""
    with app.app_context():
        create_user(db.session, "tv@example.org", PASSWORD, "tillitsvalgt", kommune="Fjordvik")
        create_user(db.session, "leder@example.org", PASSWORD, "skoleleder", school="S1")
        create_user(db.session, "elvdal@example.org", PASSWORD, "skoleleder", school="S3")
        create_user(db.session, "admin@example.org", PASSWORD, "admin")
        db.session.commit()


def ids(*, school: str | None = None, kommune: str | None = None) -> int:
    if school:
        return db.session.scalar(select(School.id).filter_by(code=school))
    return db.session.scalar(select(Kommune.id).filter_by(name=kommune))


def test_the_front_page_says_what_laget_is_and_offers_log_in_in_every_language(client, app):
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "personlige lenken" in html and 'href="/login"' in html and "Logg inn" in html
    assert "Logg inn" in client.get("/?lang=nn").get_data(as_text=True)
    assert "personal link" in client.get("/?lang=en").get_data(as_text=True)


def test_each_role_lands_on_its_own_unit_in_the_newest_round_it_may_see(app, settings, client, accounts):
    # Given a newer round for Elvdal only, so that Fjordvik's newest round is the older one …
    with app.app_context():
        older = rounds.get_round(db.session, "Høst 2026")
        newer = rounds.create_round(db.session, settings.surveys_dir, "kompetanse-og-anerkjennelse",
                                    "Vår 2027", school_codes=["S3"])
        newer.created_at = older.created_at + timedelta(days=90)
        rounds.set_status(db.session, "Vår 2027", "open")
        db.session.commit()
        old_id, new_id = older.id, newer.id
        s1, s3, fjordvik = ids(school="S1"), ids(school="S3"), ids(kommune="Fjordvik")

    # Then each role lands on its own unit, in the newest round that holds it
    landings = {}
    for email in ("tv@example.org", "leder@example.org", "elvdal@example.org", "admin@example.org"):
        other = app.test_client()
        landed = log_in(other, email)
        assert landed.status_code == 200, email
        landings[email] = landed.request.path
        assert other.get("/").headers["Location"] == "/start"  # logged in, the front page leads on
    assert landings == {"tv@example.org": f"/resultater/{old_id}/kommune/{fjordvik}",
                        "leder@example.org": f"/resultater/{old_id}/skole/{s1}",
                        "elvdal@example.org": f"/resultater/{new_id}/skole/{s3}",
                        "admin@example.org": "/admin/"}


def test_a_leader_whose_school_has_no_results_gets_a_clear_page(app, client, accounts):
    with app.app_context():
        db.session.execute(Round.__table__.update().values(status="draft"))
        db.session.commit()
    landed = log_in(client, "leder@example.org")
    assert landed.status_code == 200 and landed.request.path == "/start"
    assert "Ingen resultater for Breivika skole ennå" in landed.get_data(as_text=True)


def test_an_account_without_a_unit_is_told_why_it_sees_nothing(app, client, accounts):
    with app.app_context():
        # the CLI refuses such an account now, but an older database may hold one
        create_user(db.session, "old@example.org", PASSWORD, "tillitsvalgt")
        db.session.commit()
    landed = log_in(client, "old@example.org")
    assert "Kontoen din har ingen kommune eller skole" in landed.get_data(as_text=True)


def test_logging_out_shows_the_front_page(client, accounts):
    log_in(client, "tv@example.org")
    page = client.get("/start", follow_redirects=True).get_data(as_text=True)
    out = client.post("/logout", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert out.request.path == "/" and "Du er logget ut" in out.get_data(as_text=True)


def test_a_leader_of_two_schools_lands_on_the_first_the_round_holds_and_sees_both(app, settings, client):
    # Given a round that holds S2 and S3 but not S1, and a leader of all three …
    with app.app_context():
        org.import_org(db.session, ORG_CSV)
        found = rounds.create_round(db.session, settings.surveys_dir, "kompetanse-og-anerkjennelse", "R",
                                    school_codes=["S2", "S3"])
        rounds.set_status(db.session, "R", "open")
        create_user(db.session, "leder@example.org", PASSWORD, "skoleleder", school="S1,S3,S2")
        db.session.commit()
        round_id, s1, s2, s3 = found.id, ids(school="S1"), ids(school="S2"), ids(school="S3")
        fjordvik, elvdal = ids(kommune="Fjordvik"), ids(kommune="Elvdal")

    # Then they land on one of theirs that the round holds, and the results list names both
    landed = log_in(client, "leder@example.org")
    assert landed.request.path == f"/resultater/{round_id}/skole/{s2}"
    listed = client.get("/resultater/").get_data(as_text=True)
    assert "R: Haugen skole" in listed and "R: Elvdal vgs" in listed and "Breivika" not in listed
    assert client.get(f"/resultater/{round_id}/skole/{s3}").status_code == 200
    assert client.get(f"/resultater/{round_id}/skole/{s1}").status_code == 404
    assert client.get(f"/resultater/{round_id}/kommune/{fjordvik}").status_code == 200  # above their schools
    assert client.get(f"/resultater/{round_id}/kommune/{elvdal}").status_code == 200
