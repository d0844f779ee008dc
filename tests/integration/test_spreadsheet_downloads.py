"""Downloads and exports of a school and kommune whose names look like formulas: read back as text."""
from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import ADMIN_PASSWORD as PASSWORD
from tests.conftest import csrf_token, publish_closed_round
from webapp.cli import cli
from webapp.extensions import db
from webapp.models import School

SCHOOL = '=HYPERLINK("http://x.example/","klikk")'
KOMMUNE = "@SUM(1+1)"
ORG = ("kommune,fylke,school_code,school_name,skoleslag\n"
       '"@SUM(1+1)",-Vest,X1,"=HYPERLINK(""http://x.example/"",""klikk"")",grunnskole\n')


@pytest.fixture()
def published(app, settings):
    """A round with 12 answers at the one school X1, closed and published; returns (round id, school id)."""
    with app.app_context():
        round_id = publish_closed_round(settings, ORG, "R", {"X1": 12}, seed=3)
        return round_id, db.session.scalar(select(School.id).filter_by(code="X1"))


def test_panel_downloads_read_back_with_the_names_as_text(client, published):
    round_id, school_id = published
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"csrf_token": csrf_token(page), "email": "admin@example.org",
                                "password": PASSWORD})
    base = f"/resultater/{round_id}/skole/{school_id}/sammenligning"

    rows = list(csv.reader(io.StringIO(client.get(base + ".csv").get_data().decode("utf-8-sig"))))
    assert rows[0][1:3] == ["'" + SCHOOL, "'" + KOMMUNE]

    sheet = load_workbook(io.BytesIO(client.get(base + ".xlsx").get_data())).active
    header = [cell.value for cell in sheet[10]]  # below the title block and the panel's title
    assert header[1:3] == ["'" + SCHOOL, "'" + KOMMUNE]
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    figures = [c.value for row in sheet.iter_rows(min_row=11) for c in row[1:3] if c.value != "–"]
    assert figures and all(isinstance(value, (int, float)) for value in figures)  # numbers stay numbers


def test_export_aggregates_csv_quotes_the_unit_name(app, published, settings, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SECRET_KEY", settings.secret_key)
    command = ["export-aggregates", "--round", "R", "--school", "X1", "--format", "csv"]
    result = CliRunner().invoke(cli, command, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {row["unit"] for row in rows} == {"'" + SCHOOL}
    assert all(row["n"] == "" or row["n"].isdigit() for row in rows)
