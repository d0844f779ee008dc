"""Formula injection: every text cell we write that a spreadsheet would run is defused, numbers are not."""
import csv
import io

from openpyxl import load_workbook

from webapp.services.panels import Panel
from webapp.services.spreadsheet import safe_cell

FORMULAS = ['=HYPERLINK("http://x.example/","klikk")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_formula_like_text_is_quoted_and_numbers_are_left_alone():
    assert [safe_cell(text) for text in FORMULAS] == ["'" + text for text in FORMULAS]
    untouched = (-3, -2.5, 0, "-12.5", "+4", "12", "Herøy", "", None, "a=b", "–")
    assert [safe_cell(value) for value in untouched] == list(untouched)


def panel() -> Panel:
    header = ["Spørsmål", '=HYPERLINK("http://x.example/")', "n"]
    return Panel("d", "=1+1", "@SUM(A1:A3)", "n = 5", {}, header, [["-2+3", -2.5, 7], ["\t=cmd", "–", -4]])


def test_a_panel_as_excel_keeps_formula_like_text_as_text_and_numbers_as_numbers():
    sheet = load_workbook(io.BytesIO(panel().xlsx())).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "'=1+1" and rows[1][0] == "'@SUM(A1:A3)"
    assert rows[3] == ["Spørsmål", '\'=HYPERLINK("http://x.example/")', "n"]
    assert rows[4] == ["'-2+3", -2.5, 7] and rows[5] == ["'\t=cmd", "–", -4]


def test_a_panel_as_csv_quotes_formula_like_text_and_keeps_negative_numbers():
    for locale, minus_two_and_a_half in (("nb", "-2,5"), ("nn", "-2,5"), ("en", "-2.5")):
        data = panel().csv(locale)
        assert data.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        assert rows == [["Spørsmål", '\'=HYPERLINK("http://x.example/")', "n"],
                        ["'-2+3", minus_two_and_a_half, "7"], ["'\t=cmd", "–", "-4"]]
