"""Two kommuner called Herøy: a kommune is named by its kommunenummer or by a name only one kommune has."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token
from webapp.models import Kommune, Round, School, User

HEADER = "kommune,fylke,school_code,school_name,skoleslag,kommunenummer\n"
ORG = HEADER + ("Herøy,Nordland,N1,Herøy skole,grunnskole,1818\n"
                "Herøy,Møre og Romsdal,M1,Herøy vidaregåande skule,vgs,1515\n"
                "Herøy,Møre og Romsdal,M2,Bergsøy skule,grunnskole,\n"
                "Bodø,Nordland,B1,Bodø skole,grunnskole,1804\n")
PASSWORD = "correct horse battery"


def org_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "org.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture()
def two_heroy(laget, tmp_path):
    assert laget("import-org", org_file(tmp_path, ORG)).exit_code == 0
    created = laget("round", "create", "--survey", "kompetanse-og-anerkjennelse", "--name", "R")
    assert created.exit_code == 0, created.output
    assert laget("round", "open", "R").exit_code == 0  # a draft round has no results for anyone


CANDIDATES = "Herøy (Møre og Romsdal, 1515); Herøy (Nordland, 1818)"


def test_import_org_stores_the_kommunenummer_and_keeps_the_two_heroy_apart(two_heroy, db_session):
    kommuner = db_session.execute(select(Kommune.name, Kommune.number, func.count(School.id))
                                  .join(School).group_by(Kommune.id).order_by(Kommune.number)).all()
    assert [tuple(k) for k in kommuner] == [("Herøy", "1515", 2), ("Bodø", "1804", 1), ("Herøy", "1818", 1)]


def test_a_number_added_later_names_a_kommune_imported_without_one(laget, tmp_path, db_session):
    old = "kommune,fylke,school_code,school_name,skoleslag\nHerøy,Nordland,N1,Herøy skole,grunnskole\n"
    assert laget("import-org", org_file(tmp_path, old)).exit_code == 0
    assert laget("import-org", org_file(tmp_path, ORG)).exit_code == 0
    nordland = db_session.scalars(select(Kommune).join(School).where(School.code == "N1")).one()
    assert nordland.number == "1818" and db_session.scalar(select(func.count()).select_from(Kommune)) == 3


def test_import_org_refuses_numbers_that_contradict_each_other(laget, tmp_path, two_heroy, db_session):
    bad = HEADER + ("Vega,Nordland,V1,Vega skole,grunnskole,1815\n"
                    "Vega,Nordland,V2,Gladstad skole,grunnskole,1816\n"
                    "Vevelstad,Nordland,V3,Vevelstad skole,grunnskole,1815\n"
                    "Rødøy,Nordland,R1,Rødøy skole,grunnskole,18x6\n"
                    "Meløy,Nordland,R2,Meløy skole,grunnskole,1818\n")
    result = laget("import-org", org_file(tmp_path, bad))
    assert result.exit_code == 1
    assert "linje 3, kolonne 6 (kommunenummer): Vega (Nordland) har kommunenummeret 1815 på linje 2" \
        in result.output
    assert "linje 4, kolonne 6 (kommunenummer): kommunenummeret 1815 er Vega (Nordland) på linje 2" \
        in result.output
    assert "linje 5, kolonne 6 (kommunenummer): «18x6» er ikke et kommunenummer" in result.output
    assert "linje 6" not in result.output  # checked against the database only once the file is sound

    clash = laget("import-org",
                  org_file(tmp_path, HEADER + "Meløy,Nordland,R2,Meløy skole,grunnskole,1818\n"))
    assert clash.exit_code == 1
    assert ("linje 2, kolonne 6 (kommunenummer): kommunenummeret 1818 tilhører allerede Herøy "
            "(Nordland, 1818)") in clash.output
    assert db_session.scalar(select(func.count()).select_from(School)) == 4


def test_round_create_takes_a_number_and_refuses_an_ambiguous_name(laget, two_heroy, db_session):
    ambiguous = laget("round", "create", "--survey", "kompetanse-og-anerkjennelse", "--name", "H",
                      "--kommune", "Herøy")
    assert ambiguous.exit_code == 1
    assert (f"«Herøy» er navnet på 2 kommuner: {CANDIDATES}. Oppgi kommunenummeret i stedet."
            in ambiguous.output)
    assert db_session.scalar(select(func.count()).select_from(Round)) == 1

    by_number = laget("round", "create", "--survey", "kompetanse-og-anerkjennelse", "--name", "H",
                      "--kommune", "1515")
    assert by_number.exit_code == 0, by_number.output
    status = laget("round", "status", "H", "--format", "json").output
    assert '"M1"' in status and '"M2"' in status and '"N1"' not in status
    assert laget("round", "create", "--survey", "kompetanse-og-anerkjennelse", "--name", "B",
                 "--kommune", "Bodø").exit_code == 0


def test_export_aggregates_takes_a_number_and_refuses_an_ambiguous_name(laget, two_heroy):
    ambiguous = laget("export-aggregates", "--round", "R", "--kommune", "Herøy")
    assert ambiguous.exit_code == 1 and CANDIDATES in ambiguous.output
    exported = laget("export-aggregates", "--round", "R", "--kommune", "1818")
    assert exported.exit_code == 0
    assert '"name": "Herøy"' in exported.output and '"key": "1818"' in exported.output
    unknown = laget("export-aggregates", "--round", "R", "--kommune", "9999")
    assert unknown.exit_code == 1 and "«9999» (kommune) er ikke med i runden «R»" in unknown.output


def test_user_accounts_are_scoped_by_number_or_unambiguous_name(laget, two_heroy, db_session):
    def create(email: str, role: str, *scope: str):
        return laget("user", "create", "--email", email, "--role", role, "--password", PASSWORD, *scope)

    assert CANDIDATES in create("tv@example.org", "tillitsvalgt", "--kommune", "Herøy").output
    refused = {"tillitsvalgt": [(), ("--kommune", "1515", "--school", "M1")],
               "skoleleder": [(), ("--kommune", "1515"), ("--school", "N1", "--kommune", "1818")],
               "admin": [("--kommune", "1818"), ("--school", "N1")]}
    for role, scopes in refused.items():
        for scope in scopes:
            result = create("x@example.org", role, *scope)
            assert result.exit_code == 1 and result.output.startswith("Error: "), (role, scope, result.output)
    refused = create("leder@example.org", "skoleleder", "--school", "X9,N1,Y8")
    assert "ingen skole med koden X9, Y8" in refused.output
    assert create("tv@example.org", "tillitsvalgt", "--kommune", "1515").exit_code == 0
    assert create("tv2@example.org", "tillitsvalgt", "--kommune", "Bodø").exit_code == 0
    assert create("tv3@example.org", "tillitsvalgt", "--school", "M2, B1").exit_code == 0
    assert create("leder@example.org", "skoleleder", "--school", "N1").exit_code == 0
    assert create("leder2@example.org", "skoleleder", "--school", "N1,M1").exit_code == 0
    assert create("admin@example.org", "admin").exit_code == 0
    assert db_session.scalar(select(func.count()).select_from(User)) == 6  # nothing refused was stored
    tv = db_session.scalar(select(User).filter_by(email="tv@example.org"))
    assert db_session.get(Kommune, tv.kommune_id).number == "1515" and tv.school_ids == []

    listed = laget("user", "list").output.splitlines()
    assert [line.split()[:2] for line in listed] == [
        ["admin@example.org", "admin"], ["leder2@example.org", "skoleleder"],
        ["leder@example.org", "skoleleder"], ["tv2@example.org", "tillitsvalgt"],
        ["tv3@example.org", "tillitsvalgt"], ["tv@example.org", "tillitsvalgt"]]
    assert listed[0].endswith("alt")
    assert listed[1].endswith("skoler M1 Herøy vidaregåande skule, N1 Herøy skole")
    assert listed[2].endswith("skole N1 Herøy skole")
    assert listed[4].endswith("skoler B1 Bodø skole, M2 Bergsøy skule")
    assert listed[5].endswith("kommune Herøy (Møre og Romsdal, 1515)")


def test_the_api_takes_a_number_and_refuses_an_ambiguous_name(laget, two_heroy, client, db_session):
    assert laget("user", "create", "--email", "tv@example.org", "--role", "tillitsvalgt", "--kommune", "1515",
                 "--password", PASSWORD).exit_code == 0
    round_id = db_session.scalar(select(Round.id).filter_by(name="R"))
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"csrf_token": csrf_token(page), "email": "tv@example.org",
                                "password": PASSWORD})
    url = f"/api/v1/rounds/{round_id}/aggregates?level=kommune&unit="

    ambiguous = client.get(url + "Herøy")
    assert ambiguous.status_code == 400
    assert ambiguous.json["candidates"] == [{"name": "Herøy", "fylke": "Møre og Romsdal", "number": "1515"},
                                            {"name": "Herøy", "fylke": "Nordland", "number": "1818"}]
    own = client.get(url + "1515")
    assert own.status_code == 200 and own.json["unit"] == {"level": "kommune", "key": "1515", "name": "Herøy"}
    assert client.get(url + "1818").status_code == 404  # the other Herøy is not this tillitsvalgt's
    assert client.get(url + "Bodø").status_code == 404
    assert client.get(url + "9999").status_code == 404
