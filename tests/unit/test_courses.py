"""The course rules: a row of texts becomes a Course, or every problem with it is named by its column."""
from __future__ import annotations

from datetime import date

import pytest

from webapp.config import PROJECT_ROOT
from webapp.domain.courses import ONLINE, parse_course, parse_rows
from webapp.services.vocabulary import load

VOCABULARY = load(PROJECT_ROOT / "surveys")


def row(**changes: str) -> dict[str, str]:
    values = {
        "code": "RBUP-FRAVAER", "title": "Bekymringsfullt skolefravær", "provider": "RBUP",
        "areas": "fravaer|tverrfaglig", "yrkesgrupper": "bua|assistent", "format": "kurs", "hours": "7",
        "credits": "0", "fee_nok": "900", "seats": "80", "substitute_hours": "7", "start": "2027-03-10",
        "place": "Oslo", "url": "https://www.rbup.no/kurs/529898"}
    values.update(changes)
    return values


def problems(**changes: str) -> set[tuple[str, str]]:
    course, found = parse_course(row(**changes), VOCABULARY)
    assert course is None
    return {(p.column, p.code) for p in found}


def test_a_complete_row_becomes_a_course_with_plain_values():
    course, found = parse_course(row(description="Én dag.", funding_share="0,25", funder="Fagforbundet"),
                                 VOCABULARY)
    assert found == []
    assert course.areas == ("fravaer", "tverrfaglig") and course.yrkesgrupper == ("bua", "assistent")
    assert (course.hours, course.credits, course.fee_nok, course.seats) == (7.0, 0.0, 900, 80)
    assert course.start == date(2027, 3, 10) and course.place == "Oslo" and not course.online
    assert (course.funding_share, course.funder, course.description) == (0.25, "Fagforbundet", "Én dag.")
    assert course.active


def test_lopende_nett_an_empty_yrkesgruppe_list_and_left_out_optional_columns():
    course, found = parse_course(row(start="lopende", place="Nett", yrkesgrupper="", seats="", credits="",
                                     substitute_hours=""), VOCABULARY)
    assert found == []
    assert course.start is None and course.place == ONLINE and course.online
    assert course.yrkesgrupper == () and course.everyone
    assert course.seats is None and course.credits == 0 and course.substitute_hours == 0
    assert (course.funding_share, course.funder, course.description) == (0.0, None, "")


def test_numbers_may_use_a_decimal_comma_and_spaces_between_digit_groups():
    course, _ = parse_course(row(hours="7,5", substitute_hours="7.5", fee_nok="18 500", seats="20.0"),
                             VOCABULARY)
    assert (course.hours, course.substitute_hours, course.fee_nok, course.seats) == (7.5, 7.5, 18500, 20)


@pytest.mark.parametrize(("changes", "expected"), [
    ({"areas": "fravaer|stjernekikking"}, ("areas", "unknown_code")),
    ({"areas": ""}, ("areas", "empty")),
    ({"areas": "fravaer|fravaer"}, ("areas", "repeated_code")),
    ({"yrkesgrupper": "bua|rektor"}, ("yrkesgrupper", "unknown_code")),
    ({"format": "seminar"}, ("format", "unknown_code")),
    ({"format": ""}, ("format", "empty")),
    ({"fee_nok": "-900"}, ("fee_nok", "negative")),
    ({"fee_nok": "ni hundre"}, ("fee_nok", "not_a_whole_number")),
    ({"fee_nok": ""}, ("fee_nok", "empty")),
    ({"hours": "-1"}, ("hours", "negative")),
    ({"hours": "mange"}, ("hours", "not_a_number")),
    ({"seats": "0"}, ("seats", "too_small")),
    ({"substitute_hours": "8"}, ("substitute_hours", "more_than_hours")),
    ({"start": "10.03.2027"}, ("start", "bad_date")),
    ({"start": "2027-02-30"}, ("start", "bad_date")),
    ({"start": ""}, ("start", "empty")),
    ({"url": "ftp://rbup.no/kurs"}, ("url", "bad_url_scheme")),
    ({"url": "javascript:alert(1)"}, ("url", "bad_url_scheme")),
    ({"url": "https://"}, ("url", "bad_url")),
    ({"funding_share": "1.5", "funder": "Fagforbundet"}, ("funding_share", "share_above_one")),
    ({"funding_share": "-0.5", "funder": "Fagforbundet"}, ("funding_share", "negative")),
    ({"funding_share": "0.5"}, ("funder", "funder_missing")),
    ({"funder": "Fagforbundet"}, ("funding_share", "share_missing")),
    ({"code": ""}, ("code", "empty")),
    ({"code": "RBUP FRAVÆR"}, ("code", "bad_code")),
    ({"title": ""}, ("title", "empty")),
    ({"provider": "x" * 201}, ("provider", "too_long")),
    ({"place": "Oslo\tsentrum"}, ("place", "control_character")),
])
def test_every_kind_of_bad_value_is_named_by_its_column(changes, expected):
    assert expected in problems(**changes)


def test_a_row_with_many_bad_values_names_every_one():
    found = problems(areas="ukjent", format="seminar", fee_nok="-1", start="snart", url="www.rbup.no")
    assert {column for column, _ in found} == {"areas", "format", "fee_nok", "start", "url"}


def test_a_description_may_hold_lines_but_no_other_control_characters():
    course, _ = parse_course(row(description="Dag 1.\nDag 2."), VOCABULARY)
    assert course.description == "Dag 1.\nDag 2."
    assert ("description", "control_character") in problems(description="Dag\x001")


def test_a_code_twice_in_one_file_is_a_problem_on_the_later_line():
    parsed = parse_rows([(2, row()), (3, row(title="Annen tittel")), (4, row(code="ANNET"))], VOCABULARY)
    assert [p.line for p in parsed] == [2, 3, 4]
    assert parsed[0].course is not None and parsed[2].course is not None
    assert parsed[1].course is None
    [problem] = parsed[1].problems
    assert (problem.column, problem.code, problem.params["other"]) == ("code", "duplicate_code", 2)
