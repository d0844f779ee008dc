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
from tests.integration.test_plan_pages import ask, form_url, planned, work  # noqa: F401  (planned: a fixture)
from tests.integration.test_plan_pages import log_in as log_in_planner
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

    rows = read_people_csv(client.get(base + ".csv").get_data())
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


# The dialect for people (services/spreadsheet.people_csv): what Excel set to Norwegian opens as a table.
HEADERS = {
    "nb": ["Kompetanseområde", "Trenger mer", "n", "Andel (%)", "Intervall (95 %)", "Behovspoeng"],
    "nn": ["Kompetanseområde", "Treng meir", "n", "Del (%)", "Intervall (95 %)", "Behovspoeng"],
    "en": ["Competence area", "Need more", "n", "Share (%)", "Interval (95 %)", "Gap score"],
}
DECIMAL = {"nb": ",", "nn": ",", "en": "."}


def read_people_csv(data: bytes) -> list[list[str]]:
    """The bytes as Excel reads them: a byte order mark, then semicolon-separated UTF-8 lines."""
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert ";" in text.splitlines()[0]
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_a_dashboard_csv_is_for_excel_in_the_readers_language(client, published, lang):
    round_id, school_id = published
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"csrf_token": csrf_token(page), "email": "admin@example.org",
                                "password": PASSWORD})
    answer = client.get(f"/resultater/{round_id}/skole/{school_id}/kompetansebehov.csv?lang={lang}")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    rows = read_people_csv(answer.get_data())
    assert rows[0] == HEADERS[lang] and all(len(row) == len(HEADERS[lang]) for row in rows)
    shown = [row for row in rows[1:] if row[1:] != ["–"] * 5]  # an area hidden here is «–» throughout
    shares = [row[3] for row in shown]
    assert shares and all(s.replace(DECIMAL[lang], "", 1).isdigit() for s in shares), shares
    assert any(DECIMAL[lang] in s for s in shares)  # 12 answers: not every share is whole
    low, high = rows[1][4].split("–")
    assert DECIMAL[lang] in low and DECIMAL[lang] in high


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_plan_csv_is_the_same_dialect_in_the_readers_language(app, client, planned, lang):  # noqa: F811
    log_in_planner(client, "leder@example.org")
    run_url = ask(client, form_url(planned), budget="60000")
    work(app)
    answer = client.get(f"{run_url}.csv?lang={lang}")
    assert answer.status_code == 200
    rows = read_people_csv(answer.get_data())
    assert rows[0][:3] == {"nb": ["Kurskode", "Kurs", "Tilbyder"], "nn": ["Kurskode", "Kurs", "Tilbydar"],
                           "en": ["Course code", "Course", "Provider"]}[lang]
    gap_header = rows.index([]) + 1
    areas = rows[gap_header + 1:]
    assert areas and all(DECIMAL[lang] in row[5] for row in areas)  # share of the need met, one decimal
    assert rows[0][-1] == {"nb": "Behov dekket (%)", "nn": "Behov dekt (%)", "en": "Need met (%)"}[lang]
    other = {",": ".", ".": ","}[DECIMAL[lang]]
    assert not any(other in cell for row in areas for cell in row[5:])


def test_the_cli_csvs_stay_machine_format(app, published, settings, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SECRET_KEY", settings.secret_key)
    for command in (["export-aggregates", "--round", "R", "--school", "X1", "--format", "csv"],
                    ["gaps", "--round", "R", "--school", "X1", "--format", "csv"]):
        result = CliRunner().invoke(cli, command, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert not result.output.startswith("\ufeff")
        header = result.output.splitlines()[0]
        assert "," in header and ";" not in header, header
        rows = list(csv.DictReader(io.StringIO(result.output)))
        numbers = [row["percent" if "percent" in row else "share"] for row in rows]
        numbers = [value for value in numbers if value]
        assert numbers and all("," not in value for value in numbers)
        assert any("." in value for value in numbers)
