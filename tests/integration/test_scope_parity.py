"""Outside a reader's scope, a round or unit answers exactly as one that does not exist."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.integration.test_dashboards import fill, log_in
from webapp.extensions import db
from webapp.models import Kommune, School
from webapp.services import rounds
from webapp.services.users import create_user

PASSWORD = "correct horse battery"
MISSING = 99999
CSRF_VALUE = re.compile(r'name="csrf_token" value="[^"]*"')


@pytest.fixture()
def scoped(app, settings, open_round):
    """Høst 2026 at S1, S2 (Fjordvik) and S3 (Elvdal); «Elvdal vår» at S3 only; a draft; three accounts."""
    main = fill(app, open_round, {"S1": 8, "S2": 7, "S3": 6}, 4)
    with app.app_context():
        rounds.create_round(db.session, settings.surveys_dir, "kompetanse-og-anerkjennelse", "Elvdal vår",
                            ["S3"])
        rounds.set_status(db.session, "Elvdal vår", "open")
        rounds.create_round(db.session, settings.surveys_dir, "kompetanse-og-anerkjennelse", "Utkast høst")
        db.session.commit()
    elvdal_round = fill(app, "Elvdal vår", {"S3": 6}, 5)
    with app.app_context():
        schools = {s.code: s.id for s in db.session.scalars(select(School))}
        kommuner = {k.name: k.id for k in db.session.scalars(select(Kommune))}
        create_user(db.session, "admin@example.org", PASSWORD, "admin")
        create_user(db.session, "tv@example.org", PASSWORD, "tillitsvalgt").kommune_id = kommuner["Fjordvik"]
        create_user(db.session, "leder@example.org", PASSWORD, "skoleleder").school_id = schools["S1"]
        db.session.commit()
        draft = rounds.get_round(db.session, "Utkast høst").id
    return {"main": main, "elvdal": elvdal_round, "draft": draft, "schools": schools, "kommuner": kommuner}


def answer(client, path: str) -> tuple[int, str]:
    """Status and body, without what differs between any two requests: their own path and the CSRF token."""
    response = client.get(path)
    body = response.get_data(as_text=True).replace(path.split("?")[0], "<path>")
    return response.status_code, CSRF_VALUE.sub("<csrf>", body)


def assert_same_as_missing(client, pairs: list[tuple[str, str]]) -> None:
    for out_of_scope, missing in pairs:
        status, body = answer(client, out_of_scope)
        assert status == 404, out_of_scope
        assert (status, body) == answer(client, missing), out_of_scope


def test_a_tillitsvalgt_cannot_tell_other_schools_and_rounds_from_missing_ones(client, scoped):
    main, other, s3 = scoped["main"], scoped["elvdal"], scoped["schools"]["S3"]
    elvdal = scoped["kommuner"]["Elvdal"]
    log_in(client, "tv@example.org")

    # Given a tillitsvalgt for Fjordvik, Then Elvdal's school and kommune answer like missing ones …
    assert_same_as_missing(client, [
        (f"/resultater/{main}/skole/{s3}", f"/resultater/{main}/skole/{MISSING}"),
        (f"/resultater/{main}/kommune/{elvdal}", f"/resultater/{main}/kommune/{MISSING}"),
        (f"/resultater/{main}/skole/{s3}/d.csv", f"/resultater/{main}/skole/{MISSING}/d.csv"),
        (f"/resultater/{main}/skole/{s3}/d.xlsx", f"/resultater/{main}/skole/{MISSING}/d.xlsx"),
        (f"/api/v1/rounds/{main}/aggregates?level=school&unit=S3",
         f"/api/v1/rounds/{main}/aggregates?level=school&unit=S9"),
        (f"/api/v1/rounds/{main}/aggregates?level=kommune&unit=Elvdal",
         f"/api/v1/rounds/{main}/aggregates?level=kommune&unit=Nowhere"),
        # … and so do a round without Fjordvik in it, and a draft, at every level
        (f"/resultater/{other}/", f"/resultater/{MISSING}/"),
        (f"/resultater/{other}/skole/{s3}", f"/resultater/{MISSING}/skole/{s3}"),
        (f"/resultater/{other}/runde/0/d.csv", f"/resultater/{MISSING}/runde/0/d.csv"),
        (f"/api/v1/rounds/{other}/aggregates", f"/api/v1/rounds/{MISSING}/aggregates"),
        (f"/resultater/{scoped['draft']}/", f"/resultater/{MISSING}/"),
    ])

    # … while their own kommune, its schools and the round they take part in are open to them
    assert client.get(f"/resultater/{main}/skole/{scoped['schools']['S2']}").status_code == 200
    assert client.get(f"/resultater/{main}/").status_code == 200
    assert client.get(f"/api/v1/rounds/{main}/aggregates?level=kommune&unit=Fjordvik").status_code == 200


def test_a_school_leader_cannot_tell_other_schools_from_missing_ones(client, scoped):
    main, schools = scoped["main"], scoped["schools"]
    log_in(client, "leder@example.org")
    assert_same_as_missing(client, [
        (f"/resultater/{main}/skole/{schools['S2']}", f"/resultater/{main}/skole/{MISSING}"),
        (f"/resultater/{main}/kommune/{scoped['kommuner']['Elvdal']}",
         f"/resultater/{main}/kommune/{MISSING}"),
        (f"/resultater/{main}/skole/{schools['S2']}/d.xlsx", f"/resultater/{main}/skole/{MISSING}/d.xlsx"),
        (f"/api/v1/rounds/{main}/aggregates?level=school&unit=S2",
         f"/api/v1/rounds/{main}/aggregates?level=school&unit=S9"),
        (f"/resultater/{scoped['elvdal']}/", f"/resultater/{MISSING}/"),
    ])
    assert client.get(f"/resultater/{main}/skole/{schools['S1']}/d.csv").status_code == 200


def test_the_round_list_and_the_trend_show_only_rounds_in_scope(app, client, scoped):
    # Given a tillitsvalgt for Fjordvik, whose kommune is not in «Elvdal vår»
    log_in(client, "tv@example.org")

    # Then the list offers only Høst 2026, and its trend does not name the other round
    listed = client.get("/resultater/").get_data(as_text=True)
    assert "Høst 2026" in listed and "Elvdal vår" not in listed and "Utkast høst" not in listed
    assert "Elvdal vår" not in client.get(f"/resultater/{scoped['main']}/").get_data(as_text=True)

    # Given an administrator, Then every round with results is listed and the trend covers both
    client = app.test_client()
    log_in(client, "admin@example.org")
    listed = client.get("/resultater/").get_data(as_text=True)
    assert "Høst 2026" in listed and "Elvdal vår" in listed and "Utkast høst" not in listed
    assert "Elvdal vår" in client.get(f"/resultater/{scoped['main']}/").get_data(as_text=True)
