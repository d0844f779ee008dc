"""The one rule for what people type or import: control characters and whole numbers."""
from __future__ import annotations

import pytest

from webapp.domain.inputs import character_code, clean_text, control_character, whole_number


@pytest.mark.parametrize("typed", ["²", "①", "⁵", "٣٠", "۶۰", "６０", "-3", "+5", "5_0", "6.0", "60%",
                                   "6 0 %", ""])
def test_only_ascii_digits_are_a_whole_number(typed):
    # str.isdigit() says yes to the first three, and int() reads the next three as numbers
    assert whole_number(typed) is None


@pytest.mark.parametrize(("typed", "number"), [("60", 60), (" 60 ", 60), ("1 000", 1000),
                                               ("1\u00a0000", 1000), ("007", 7), ("0", 0),
                                               ("0" * 40 + "5", 5)])
def test_whole_numbers_as_people_write_them(typed, number):
    assert whole_number(typed) == number


def test_a_number_too_long_to_be_meant_is_not_a_number_rather_than_an_error():
    assert whole_number("9" * 5000) is None


def test_free_text_loses_control_characters_and_keeps_tabs_and_lines():
    assert clean_text("a\x00b\x1bc\x7fd") == "abcd"
    assert clean_text("one\r\ntwo\rthree\nfour\tfive") == "one\ntwo\nthree\nfour\tfive"
    assert clean_text("Bra, takk! ø å 🙂") == "Bra, takk! ø å 🙂"


def test_names_may_hold_no_control_character_and_text_with_lines_only_tab_and_newlines():
    assert control_character("Alfa skole") is None
    assert control_character("Alfa\tskole") == "\t" and control_character("Alfa\nskole") == "\n"
    assert control_character("Alfa\tskole\r\n", lines=True) is None
    assert control_character("Alfa\x00skole", lines=True) == "\x00"
    assert control_character("Alfa\x7f", lines=True) == "\x7f"
    assert (character_code("\x00"), character_code("\n")) == ("U+0000 (NUL)", "U+000A")
