"""`laget import-courses` (CSV and XLSX) and `laget courses list`: all or nothing, updated by code."""
from __future__ import annotations

import json

import pytest
from openpyxl import Workbook

from webapp.extensions import db
from webapp.services import courses
from webapp.services.demo import COURSES_FILE, load_demo_courses
from webapp.services.vocabulary import load

HEADER = ("code,title,provider,areas,yrkesgrupper,format,hours,credits,fee_nok,seats,substitute_hours,start,"
          "place,url")
PALS = "PALS,PALS,NUBU,atferd|klassemiljo,,veiledning,40,0,0,,20,2027-08-01,på skolen,https://nubu.no/"
FRAVAER = ("RBUP-FRAVAER,Bekymringsfullt skolefravær,RBUP,fravaer,bua|assistent,kurs,7,0,900,80,7,lopende,"
           "Oslo,https://www.rbup.no/kurs/529898")


def write(tmp_path, *lines: str, name: str = "kurs.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stored(app) -> dict[str, courses.Course]:
    with app.app_context():
        return {c.code: courses.to_course(c) for c in courses.all_courses(db.session)}


def test_a_csv_file_imports_and_lists_as_json(laget, app, tmp_path):
    result = laget("import-courses", str(write(tmp_path, HEADER, PALS, FRAVAER)))
    assert result.exit_code == 0, result.output
    assert "Imported 2 new and updated 0 existing course(s)." in result.output
    listed = json.loads(laget("courses", "list", "--format", "json").output)
    assert [c["code"] for c in listed] == ["PALS", "RBUP-FRAVAER"]
    pals = listed[0]
    assert pals["areas"] == ["atferd", "klassemiljo"] and pals["yrkesgrupper"] == [] and pals["seats"] is None
    assert pals["start"] == "2027-08-01" and listed[1]["start"] is None and listed[1]["place"] == "Oslo"
    assert pals["active"] is True and pals["example"] is False
    table = laget("courses", "list").output
    assert "RBUP-FRAVAER" in table and "løpende" in table and "2 course(s)." in table


def test_a_reimport_updates_a_course_by_its_code(laget, app, tmp_path):
    laget("import-courses", str(write(tmp_path, HEADER, PALS, FRAVAER)))
    cheaper = FRAVAER.replace(",900,", ",750,")
    path = write(tmp_path, HEADER + ",funding_share,funder", cheaper + ",0.5,KS", name="ny.csv")
    result = laget("import-courses", str(path))
    assert "Imported 0 new and updated 1 existing course(s)." in result.output
    catalogue = stored(app)
    assert catalogue["RBUP-FRAVAER"].fee_nok == 750 and catalogue["RBUP-FRAVAER"].funder == "KS"
    assert catalogue["PALS"].fee_nok == 0 and len(catalogue) == 2


def test_a_file_with_one_bad_row_stores_nothing_and_names_every_problem(laget, app, tmp_path):
    laget("import-courses", str(write(tmp_path, HEADER, PALS)))
    bad = FRAVAER.replace("fravaer", "fravaer|tull").replace(",900,", ",-900,").replace("https", "ftp")
    changed_pals = PALS.replace(",40,", ",41,")
    path = write(tmp_path, HEADER + ",funding_share,funder", changed_pals + ",,", bad + ",1.5,",
                 PALS + ",0.2,", name="feil.csv")
    result = laget("import-courses", str(path))
    assert result.exit_code == 1
    errors = result.output
    assert "linje 3, kolonne 4 (areas): «tull» er ikke et kompetanseområde" in errors
    assert "linje 3, kolonne 9 (fee_nok): kan ikke være negativ" in errors
    assert "linje 3, kolonne 14 (url)" in errors and "https://" in errors
    assert "linje 3, kolonne 15 (funding_share)" in errors
    assert "linje 4, kolonne 1 (code): koden PALS står også på linje 2" in errors
    assert "linje 4, kolonne 16 (funder): en andel trenger navnet på den som betaler" in errors
    assert "Nothing was imported (6 problem(s))." in errors
    assert stored(app)["PALS"].hours == 40 and set(stored(app)) == {"PALS"}


def test_a_missing_required_column_is_named_on_the_header_line(laget, app, tmp_path):
    result = laget("import-courses", str(write(tmp_path, HEADER.replace(",fee_nok", ""),
                                               PALS.replace(",0,0,,", ",0,,"))))
    assert result.exit_code == 1
    assert "linje 1: kolonnen «fee_nok» mangler i overskriftsraden" in result.output


def test_problems_come_in_the_users_language_bokmal_on_the_command_line(laget, app, tmp_path):
    result = laget("import-courses", str(write(tmp_path, HEADER, PALS.replace("veiledning", "seminar"))))
    assert "linje 2, kolonne 6 (format): «seminar» er ikke et kursformat" in result.output


def xlsx(path, rows) -> None:
    book = Workbook()
    sheet = book.active
    for values in rows:
        sheet.append(values)
    book.save(path)


def test_an_xlsx_file_imports_by_its_extension_with_dates_and_numbers_as_cells(laget, app, tmp_path):
    from datetime import datetime

    path = tmp_path / "kurs.xlsx"
    xlsx(path, [HEADER.split(","),
                ["ABC", "ABC førstehjelp", "Røde Kors", "helse_forebygging", None, "kurs", 3, 0, 400.0, 20, 3,
                 datetime(2027, 1, 20), "Bergen", "https://www.rodekors.no/"],
                [None] * 14,
                ["NETT", "Snakke med barn", "RVTS", "omsorgssvikt", "bua|assistent", "nettkurs", 2.5, None, 0,
                 None, 2.5, "lopende", "nett", "https://www.snakkemedbarn.no/"]])
    result = laget("import-courses", str(path))
    assert result.exit_code == 0, result.output
    catalogue = stored(app)
    assert catalogue["ABC"].fee_nok == 400 and catalogue["ABC"].start.isoformat() == "2027-01-20"
    assert catalogue["NETT"].online and catalogue["NETT"].hours == 2.5 and catalogue["NETT"].yrkesgrupper == (
        "bua", "assistent")


def test_an_xlsx_file_with_a_bad_row_names_its_spreadsheet_row_and_stores_nothing(laget, app, tmp_path):
    path = tmp_path / "kurs.xlsx"
    xlsx(path, [HEADER.split(","),
                ["OK", "Et kurs", "X", "atferd", None, "kurs", 3, 0, 0, None, 3, "lopende", "nett", ""],
                ["FEIL", "Et kurs", "X", "atferd", None, "kurs", 3, 0, 0, None, 3, "i morgen", "nett", ""]])
    result = laget("import-courses", str(path))
    assert result.exit_code == 1
    assert "linje 3, kolonne 12 (start): «i morgen» er ikke en dato" in result.output
    assert stored(app) == {}


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(laget, app, tmp_path):
    path = write(tmp_path, HEADER, PALS, name="kurs.xlsx")
    result = laget("import-courses", str(path))
    assert result.exit_code == 1 and "kan ikke leses som en Excel-arbeidsbok" in result.output


def test_the_demo_catalogue_imports_cleanly_and_covers_every_area_and_format(app, settings):
    vocabulary = load(settings.surveys_dir)
    with app.app_context():
        assert load_demo_courses(db.session, settings) >= 30
        db.session.commit()
        catalogue = courses.active_courses(db.session)
        assert [c.code for c in catalogue] == sorted(c.code for c in catalogue)
        assert {a for c in catalogue for a in c.areas} == set(vocabulary.area_codes)
        assert {c.format for c in catalogue} == set(vocabulary.format_codes)
        assert all("Eksempel i demo-katalogen" in c.description for c in catalogue)
        assert courses.example_count(db.session) == len(catalogue)
        # a second run leaves a catalogue the administrator has started on alone
        assert load_demo_courses(db.session, settings) == 0


@pytest.mark.parametrize("path", [COURSES_FILE], ids=["webapp/demo/courses.csv"])
def test_the_demo_catalogue_file_has_the_contract_columns(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == HEADER + ",funding_share,funder,description"
