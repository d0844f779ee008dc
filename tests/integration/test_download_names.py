"""Downloads of units whose names are not Latin-1 (an en dash, Sámi letters, a quote): a file name that
every client can read, with the round, unit and date; the Excel sheet says what it holds."""
from __future__ import annotations

import io
import re
from datetime import date
from urllib.parse import unquote

import pytest
from flask import Response
from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import ADMIN_PASSWORD as PASSWORD
from tests.conftest import csrf_token, publish_closed_round
from webapp.extensions import db
from webapp.models import Kommune, School

ORG = ("kommune,fylke,school_code,school_name,skoleslag\n"
       "Porsáŋgu,Finnmárku,N1,Nesset 1–10-skole,grunnskole\n"
       'Porsáŋgu,Finnmárku,C1,"Čáhcesullo ""nye"" skuvla",grunnskole\n')


@pytest.fixture()
def published(app, settings):
    """«Høst 2026 – Sámi» closed with 12 answers at each school; an administrator logged in can read it."""
    with app.app_context():
        round_id = publish_closed_round(settings, ORG, "Høst 2026", {"N1": 12, "C1": 12}, seed=8)
        schools = {s.code: s.id for s in db.session.scalars(select(School))}
        return round_id, schools, db.session.scalar(select(Kommune.id))


def log_in(client) -> None:
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"csrf_token": csrf_token(page), "email": "admin@example.org",
                                "password": PASSWORD})


def offered_name(response) -> tuple[str, str]:
    """The name a browser saves the download under (`filename*`, RFC 5987), and the ASCII fallback."""
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")  # else the server cannot send it at all
    fallback = re.search(r'filename="([^"\\]*)"', header)
    encoded = re.search(r"filename\*=UTF-8''([^;\s]+)", header)
    assert fallback, header
    return (unquote(encoded.group(1)) if encoded else fallback.group(1)), fallback.group(1)


def test_downloads_of_units_with_non_latin1_names_offer_their_names(client, published):
    round_id, schools, kommune_id = published
    log_in(client)
    today = date.today().isoformat()

    for path, expected in [
        (f"skole/{schools['N1']}/sammenligning.csv",
         f"laget-Høst_2026-Nesset_1–10-skole-sammenligning-{today}.csv"),
        (f"skole/{schools['C1']}/sammenligning.xlsx",
         f"laget-Høst_2026-Čáhcesullo__nye__skuvla-sammenligning-{today}.xlsx"),
        (f"kommune/{kommune_id}/sammenligning.csv", f"laget-Høst_2026-Porsáŋgu-sammenligning-{today}.csv"),
        ("runde/0/sammenligning.csv", f"laget-Høst_2026-sammenligning-{today}.csv"),
    ]:
        response = client.get(f"/resultater/{round_id}/{path}")
        assert response.status_code == 200, path
        name, fallback = offered_name(response)
        assert name == expected
        assert fallback.isascii() and '"' not in fallback

    name, fallback = offered_name(
        client.get(f"/resultater/{round_id}/skole/{schools['N1']}/sammenligning.csv"))
    assert fallback == f"laget-Host_2026-Nesset_1-10-skole-sammenligning-{today}.csv"


def test_the_excel_sheet_names_round_unit_date_and_threshold_above_its_table(client, published):
    round_id, schools, _kommune = published
    log_in(client)
    csv_rows = client.get(f"/resultater/{round_id}/skole/{schools['N1']}/sammenligning.csv").get_data()
    workbook = client.get(f"/resultater/{round_id}/skole/{schools['N1']}/sammenligning.xlsx").get_data()
    book = load_workbook(io.BytesIO(workbook))
    rows = [row for row in book.active.iter_rows(values_only=True)]
    block = {row[0]: row[1] for row in rows[:5]}
    assert block["Runde"] == "Høst 2026"
    assert block["Enhet"] == "Nesset 1–10-skole (skole)"
    assert block["Tallene publisert"] == block["Lastet ned"] == date.today().strftime("%d.%m.%Y")
    assert "5" in block["Personvernterskel"]
    assert all(cell is None for cell in rows[5])
    header = csv_rows.decode("utf-8-sig").splitlines()[0].split(";")
    assert [cell for cell in rows[9] if cell is not None] == header  # the table follows as before


def test_a_header_the_server_cannot_send_gives_the_error_page_in_the_readers_language(app):
    from webapp.web.errors import refuse_unsendable_headers

    with app.test_request_context("/", headers={"Accept-Language": "nn"}):
        answer = refuse_unsendable_headers(
            Response("x", headers={"Content-Disposition": 'filename="Nesset 1–10"'}))
        assert answer.status_code == 500
        assert "Noko gjekk gale" in answer.get_data(as_text=True)
