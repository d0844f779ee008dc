"""Content-Disposition for any file name: Latin-1 safe, the UTF-8 name in `filename*`, an ASCII fallback."""
from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from webapp.web.content_disposition import attachment


def parts(header: str) -> tuple[str, str | None]:
    fallback = re.fullmatch(r'attachment; filename="([^"\\]*)"(?:; filename\*=UTF-8\'\'([^;\s]+))?', header)
    assert fallback, header
    return fallback.group(1), fallback.group(2) and unquote(fallback.group(2))


@pytest.mark.parametrize(("name", "saved", "ascii_name"), [
    ("laget-Breivika skole-d.csv", "laget-Breivika_skole-d.csv", None),
    ("Nesset 1–10-skole.csv", "Nesset_1–10-skole.csv", "Nesset_1-10-skole.csv"),
    ("Porsáŋgu.xlsx", "Porsáŋgu.xlsx", "Porsangu.xlsx"),
    ("Čáhcesullo.csv", "Čáhcesullo.csv", "Cahcesullo.csv"),
    ("Ærøy Åsen Øvre.csv", "Ærøy_Åsen_Øvre.csv", "AEroy_Asen_Ovre.csv"),
    ('Skolen "Vest".csv', "Skolen__Vest_.csv", None),
    ("a\\b/c:d*e?f<g>h|i\r\nj.csv", "a_b_c_d_e_f_g_h_i__j.csv", None),
    ("Skule 日本.csv", "Skule_日本.csv", "Skule___.csv"),
])
def test_any_name_is_offered_as_it_is_and_as_ascii(name, saved, ascii_name):
    header = attachment(name)
    assert header.isascii()
    fallback, utf8 = parts(header)
    assert (utf8 or fallback) == saved
    assert fallback == (ascii_name or saved)
