"""What the app takes in from people: text without control characters, whole numbers in ASCII digits.

One rule for every way in (the answering pages, the log-in form, the command line, CSV imports).
Free-text answers lose their control characters silently, since nobody typed them on purpose; names,
codes and addresses are refused with a message instead, since a changed name would be a surprise.
PostgreSQL refuses NUL in text, and the other C0 characters are invisible on every page.
"""
from __future__ import annotations

import re

# C0 control characters and DEL; text with lines (free text, a CSV cell) may hold tab, LF and CR.
# LINE_CONTROLS is a regular expression's character class, for a reader that scans whole lines.
LINE_CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_LINES = re.compile(f"[{LINE_CONTROLS}]")
# What a free-text answer loses once its newlines are LF: every C0 character but tab and LF, and DEL.
_STRIPPED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# The answering page's number field says pattern="[0-9]*" inputmode="numeric": ASCII digits only,
# not ² ⁵ ① or Arabic-Indic digits, which str.isdigit() accepts and int() refuses or reads.
# Eighteen digits keep int() far from its limit on digit strings; nobody works more than that.
_WHOLE_NUMBER = re.compile(r"0*([0-9]{1,18})")
# Spaces people put between groups of digits (1 000): space, no-break space, narrow no-break space.
_GROUPING = str.maketrans("", "", " \u00a0\u202f")


def clean_text(text: str) -> str:
    """Return free text with newlines as LF and no control characters but tab and LF."""
    return _STRIPPED.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def control_character(text: str, lines: bool = False) -> str | None:
    """Return the first control character `text` may not hold (with `lines`, tab and newlines are allowed)."""
    found = (_CONTROL_IN_LINES if lines else _CONTROL).search(text)
    return found.group() if found else None


def character_code(char: str) -> str:
    """Name a character as U+XXXX, and NUL as such (the one people are told about)."""
    return f"U+{ord(char):04X}" + (" (NUL)" if char == "\x00" else "")


def whole_number(text: str) -> int | None:
    """Return the whole number written in ASCII digits (spaces between groups allowed), else None."""
    found = _WHOLE_NUMBER.fullmatch(text.strip().translate(_GROUPING))
    return int(found.group(1)) if found else None
