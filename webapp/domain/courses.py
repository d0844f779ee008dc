"""The course catalogue: a course as plain values, and the rules that turn a row of text into one (pure).

A row is a mapping of column name to text, as a CSV or XLSX line or the admin form gives it. The rules
report every problem of a row with its column and a code; the services put the words to it in the
user's language. Area, yrkesgruppe and format codes are checked against the shared vocabulary.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from webapp.domain.inputs import control_character
from webapp.domain.vocabulary import Vocabulary

REQUIRED_COLUMNS = ("code", "title", "provider", "areas", "yrkesgrupper", "format", "hours", "credits",
                    "fee_nok", "seats", "substitute_hours", "start", "place", "url")
OPTIONAL_COLUMNS = ("funding_share", "funder", "description")
ONLINE = "nett"  # the `place` of a course taken online
ONGOING = "lopende"  # the `start` of a course with no fixed start («løpende opptak»)
LIST_SEPARATOR = "|"
# The longest text each column may hold (the database columns are as wide).
MAX_LENGTH = {"code": 40, "title": 200, "provider": 200, "place": 100, "url": 500, "funder": 200,
              "description": 2000}
# A code names the course in URLs and files: letters, digits, and . _ - inside.
_CODE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_GROUPING = str.maketrans("", "", " \u00a0\u202f")  # 1 000 or 1 000: spaces between digit groups


@dataclass(frozen=True)
class Course:
    code: str
    title: str
    provider: str
    description: str
    areas: tuple[str, ...]
    yrkesgrupper: tuple[str, ...]  # empty: meant for every yrkesgruppe
    format: str
    hours: float
    credits: float
    fee_nok: int
    seats: int | None  # None: no limit given
    substitute_hours: float  # hours per participant taken from work time, which a vikar covers
    start: date | None  # None: løpende (no fixed start)
    place: str  # ONLINE for a course taken online
    url: str
    funding_share: float = 0.0  # the fraction of the fee that `funder` pays
    funder: str | None = None
    active: bool = True  # a retired course stays in the catalogue, and matching skips it

    @property
    def online(self) -> bool:
        return self.place == ONLINE

    @property
    def everyone(self) -> bool:
        """Whether the course is meant for every yrkesgruppe."""
        return not self.yrkesgrupper


@dataclass(frozen=True)
class CourseProblem:
    """Why a value of a row cannot be used: its column, a code and the values the message needs."""

    column: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedRow:
    line: int
    course: Course | None
    problems: tuple[CourseProblem, ...]


def parse_course(values: Mapping[str, str],
                 vocabulary: Vocabulary) -> tuple[Course | None, list[CourseProblem]]:
    """Turn one row's texts into a Course, or say every problem with it (then the course is None)."""
    reader = _Reader(values)
    texts = {name: reader.text(name) for name in ("code", "title", "provider", "place", "description")}
    for name in ("code", "title", "provider", "place"):
        reader.require(name)
    if texts["code"] and not _CODE.fullmatch(texts["code"]):
        reader.fail("code", "bad_code")
    areas = reader.codes("areas", vocabulary.area_codes, required=True)
    yrkesgrupper = reader.codes("yrkesgrupper", vocabulary.yrkesgruppe_codes, required=False)
    form = reader.choice("format", vocabulary.format_codes)
    hours, credits = reader.number("hours"), reader.number("credits", empty=0.0)
    substitute_hours = reader.number("substitute_hours", empty=0.0)
    if hours is not None and substitute_hours is not None and substitute_hours > hours:
        reader.fail("substitute_hours", "more_than_hours", hours=hours)
    fee, seats = reader.whole("fee_nok"), reader.whole("seats", empty=None, minimum=1)
    start, url = reader.start(), reader.url()
    share, funder = reader.funding()
    if reader.problems:
        return None, reader.problems
    place = ONLINE if texts["place"].lower() == ONLINE else texts["place"]
    return Course(
        code=texts["code"], title=texts["title"], provider=texts["provider"],
        description=texts["description"],
        areas=areas, yrkesgrupper=yrkesgrupper, format=form, hours=_f(hours), credits=_f(credits),
        fee_nok=int(fee or 0), seats=seats, substitute_hours=_f(substitute_hours), start=start, place=place,
        url=url, funding_share=share, funder=funder), []


def parse_rows(rows: Iterable[tuple[int, Mapping[str, str]]], vocabulary: Vocabulary) -> list[ParsedRow]:
    """Parse numbered rows; a code that an earlier line of the same file had is a problem too."""
    seen: dict[str, int] = {}
    parsed = []
    for line, values in rows:
        course, problems = parse_course(values, vocabulary)
        code = (values.get("code") or "").strip()
        if code in seen:
            problems.append(CourseProblem("code", "duplicate_code", {"code": code, "other": seen[code]}))
            course = None
        elif code:
            seen[code] = line
        parsed.append(ParsedRow(line, course, tuple(problems)))
    return parsed


def _f(value: float | int | None) -> float:
    return float(value or 0)


class _Reader:
    """Reads the values of one row, collecting a problem per bad column."""

    def __init__(self, values: Mapping[str, str]):
        self.values = values
        self.problems: list[CourseProblem] = []

    def fail(self, column: str, code: str, **params: object) -> None:
        self.problems.append(CourseProblem(column, code, params))

    def raw(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def text(self, column: str) -> str:
        value = self.raw(column)
        found = control_character(value, lines=column == "description")
        if found is not None:
            self.fail(column, "control_character", char=found)
        elif len(value) > MAX_LENGTH[column]:
            self.fail(column, "too_long", max=MAX_LENGTH[column])
        return value

    def require(self, column: str) -> None:
        if not self.raw(column):
            self.fail(column, "empty")

    def codes(self, column: str, known: tuple[str, ...], required: bool) -> tuple[str, ...]:
        """A `|`-separated list of known codes, each once."""
        codes = [c.strip() for c in self.raw(column).split(LIST_SEPARATOR)] if self.raw(column) else []
        if required and not codes:
            self.fail(column, "empty")
        for code in codes:
            if code not in known:
                self.fail(column, "unknown_code", value=code, known=known)
        repeated = sorted({c for c in codes if codes.count(c) > 1 and c})
        if repeated:
            self.fail(column, "repeated_code", value=repeated[0])
        return tuple(dict.fromkeys(codes))

    def choice(self, column: str, known: tuple[str, ...]) -> str:
        value = self.raw(column)
        if not value:
            self.fail(column, "empty")
        elif value not in known:
            self.fail(column, "unknown_code", value=value, known=known)
        return value

    def number(self, column: str, empty: float | None = None) -> float | None:
        """A number of zero or more, with a decimal point or comma; `empty` when the cell is empty."""
        value = self.raw(column).translate(_GROUPING)
        if not value:
            if empty is None:
                self.fail(column, "empty")
            return empty
        return self._non_negative(column, value, "not_a_number")

    def _non_negative(self, column: str, value: str, malformed: str) -> float | None:
        """`value` (the cell without grouping) read as a number of zero or more; None after a failure."""
        if not _NUMBER.fullmatch(value):
            self.fail(column, malformed, value=self.raw(column))
            return None
        number = float(value.replace(",", "."))
        if number < 0:
            self.fail(column, "negative")
            return None
        return number

    def whole(self, column: str, empty: int | None = -1, minimum: int = 0) -> int | None:
        """A whole number of at least `minimum`; empty gives `empty`, and -1 there means it is required."""
        value = self.raw(column).translate(_GROUPING)
        if not value:
            if empty == -1:
                self.fail(column, "empty")
            return None if empty == -1 else empty
        if value.endswith((".0", ",0")):  # what a spreadsheet makes of a whole number
            value = value[:-2]
        if not re.fullmatch(r"-?[0-9]{1,12}", value):
            self.fail(column, "not_a_whole_number", value=self.raw(column))
            return None
        number = int(value)
        if number < 0:
            self.fail(column, "negative")
        elif number < minimum:
            self.fail(column, "too_small", min=minimum)
        return number if number >= minimum else None

    def start(self) -> date | None:
        value = self.raw("start")
        if value.lower() in (ONGOING, "løpende"):
            return None
        if not value:
            self.fail("start", "empty")
            return None
        try:
            if not _ISO_DATE.fullmatch(value):
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            self.fail("start", "bad_date", value=value)
            return None

    def url(self) -> str:
        value = self.text("url")
        if not value:
            return ""
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https"):
            self.fail("url", "bad_url_scheme", value=value)
        elif not parts.netloc or " " in value:
            self.fail("url", "bad_url", value=value)
        return value

    def funding(self) -> tuple[float, str | None]:
        """The share of the fee someone else pays, and who: each needs the other. A file gives the share
        as a fraction (`funding_share`, 0–1); the admin form as a percent (`funding_percent`, 0–100)."""
        column = "funding_percent" if "funding_percent" in self.values else "funding_share"
        share = self.percent(column) if column == "funding_percent" else self.number(column, empty=0.0)
        funder = self.text("funder") or None
        if share is not None and share > 1:
            self.fail(column, "share_above_one", value=self.raw(column))
            return 0.0, funder
        if share and not funder:
            self.fail("funder", "funder_missing")
        if funder and not share and share is not None:
            self.fail(column, "share_missing")
        return share or 0.0, funder

    def percent(self, column: str) -> float | None:
        """A percent from 0 to 100 as a fraction: «50», «50 %», «12,5» (0.0 when empty)."""
        value = self.raw(column).translate(_GROUPING).removesuffix("%")
        if not value:
            return 0.0
        number = self._non_negative(column, value, "not_a_percent")
        if number is None:
            return None
        if number > 100:
            self.fail(column, "percent_above_100", value=self.raw(column))
            return None
        return number / 100


def share_as_percent(share: float) -> str:
    """A stored funding share (0.5) as the admin form shows it («50»)."""
    return f"{round(100 * share, 4):g}"
