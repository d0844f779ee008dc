"""Reading CSV imports line by line: header checks and problems named by line and column.

A file is read as a stream (`open_csv`), never whole, so a large import needs little memory. What
cannot be stored — bytes that are not UTF-8, control characters such as NUL, a field over the csv
module's size limit — comes back as an ImportProblem with its line (and column), never a traceback.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from flask_babel import gettext as _

from webapp.domain.inputs import LINE_CONTROLS, character_code, control_character

# The stand-ins of undecodable bytes; a line is looked at cell by cell only when it holds one of them
# or a control character that text with lines may not hold (webapp.domain.inputs).
_UNDECODABLE = re.compile(r"[\udc80-\udcff]")
_SUSPECT = re.compile(rf"[{LINE_CONTROLS}\udc80-\udcff]")


@dataclass(frozen=True)
class ImportProblem:
    line: int
    column: int | None
    column_name: str | None
    message: str

    def __str__(self) -> str:
        if self.column is None:
            return _("line %(line)d: %(message)s", line=self.line, message=self.message)
        return _("line %(line)d, column %(column)d (%(name)s): %(message)s",
                 line=self.line, column=self.column, name=self.column_name, message=self.message)


class ImportFailed(Exception):
    """Nothing may be imported; `problems` says every reason, by line and column.

    An import that writes in chunks may already have written rows when it raises this: the caller
    rolls the transaction back (the CLI does), which keeps the import all or nothing.
    """

    def __init__(self, problems: Sequence[ImportProblem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]
    header: tuple[str, ...]
    # Why the row cannot be used as it is (wrong width, control characters …); `values` may be empty then.
    unreadable: tuple[ImportProblem, ...] = ()

    def problem(self, column: str, message: str) -> ImportProblem:
        return ImportProblem(self.line, self.header.index(column) + 1, column, message)

    def too_long(self, column: str, limit: int | None) -> ImportProblem | None:
        """A problem when the column's value would not fit a database column of `limit` characters."""
        if limit is None or len(self.values[column]) <= limit:
            return None
        return self.problem(column, _("at most %(count)d characters", count=limit))

    def not_one_line(self, column: str) -> ImportProblem | None:
        """A problem when a value that must be one line (a name, a code) holds a tab or a line break."""
        found = control_character(self.values[column])
        return None if found is None else self.control_problem(column, found)

    def control_problem(self, column: str, char: str) -> ImportProblem:
        return self.problem(column, _("contains the control character %(code)s, which cannot be stored; "
                                      "remove it", code=character_code(char)))


def open_csv(path: Path) -> TextIO:
    """Open an import file as UTF-8 text (with or without BOM), to be read line by line."""
    # Bytes that are not UTF-8 become lone surrogates, reported with their line by read_rows.
    return path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")


class _Lines:
    """The physical lines of a source; remembers those of the record being read, and whether they
    hold anything suspect (a control character or undecodable bytes)."""

    def __init__(self, source: str | Iterable[str]):
        self._lines = iter(io.StringIO(source, newline="") if isinstance(source, str) else source)
        self.first = next(self._lines, "")
        self._pending = [self.first] if self.first else []
        self.count = 0
        self.record: list[str] = []
        self.suspect = False

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._pending.pop() if self._pending else next(self._lines)
        self.count += 1
        self.record.append(line)
        if _SUSPECT.search(line):
            self.suspect = True
            if _UNDECODABLE.search(line):
                raise _NotUtf8(self.count)
        return line

    def start_record(self) -> int:
        """Forget the previous record; return the line the next one starts on."""
        self.record.clear()
        self.suspect = False
        return self.count + 1


class _NotUtf8(Exception):
    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


def read_rows(source: str | Iterable[str], required: Sequence[str],
              optional: Sequence[str] = ()) -> Iterator[CsvRow]:
    """Yield the data rows of a CSV text or stream of lines; raise ImportFailed when the header is wrong.

    A row that cannot be read as it is carries its problems in `unreadable`. When the file cannot be
    parsed further (not UTF-8, a field over the csv module's limit), that row is the last one.
    """
    lines = _Lines(source)
    delimiter = ";" if lines.first.count(";") > lines.first.count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    header = _header(lines, reader, delimiter, required, optional)
    while True:
        start = lines.start_record()
        try:
            cells = next(reader)
        except StopIteration:
            return
        except (_NotUtf8, csv.Error) as exc:
            yield CsvRow(start, {}, header, (_unparsable(exc, lines, start, delimiter, header),))
            return
        if not any(c.strip() for c in cells):
            continue
        line = reader.line_num
        if len(cells) != len(header):
            yield CsvRow(line, {}, header, (ImportProblem(line, None, None, _(
                "expected %(expected)d columns, found %(found)s", expected=len(header), found=len(cells))),))
            continue
        row = CsvRow(line, {h: c.strip() for h, c in zip(header, cells)}, header)
        if lines.suspect:
            row = CsvRow(line, row.values, header, tuple(_control_characters(row, cells)))
        yield row


def _header(lines: _Lines, reader, delimiter: str, required: Sequence[str],  # noqa: ANN001
            optional: Sequence[str]) -> tuple[str, ...]:
    try:
        header = tuple(h.strip() for h in next(reader))
    except StopIteration:
        raise ImportFailed([ImportProblem(1, None, None, _("the file is empty"))]) from None
    except (_NotUtf8, csv.Error) as exc:
        raise ImportFailed([_unparsable(exc, lines, 1, delimiter, ())]) from None
    problems = header_problems(header, required, optional)
    if lines.suspect:
        problems.append(ImportProblem(1, None, None, _("the header contains a control character")))
    if problems:
        raise ImportFailed(problems)
    return header


def header_problems(header: Sequence[str], required: Sequence[str],
                    optional: Sequence[str]) -> list[ImportProblem]:
    """What is wrong with a header line: a required column missing, an unknown one, one twice."""
    problems = []
    for name in required:
        if name not in header:
            problems.append(ImportProblem(1, None, None, _(
                "the column «%(name)s» is missing from the header", name=name)))
    for index, name in enumerate(header, start=1):
        if name not in required and name not in optional:
            problems.append(ImportProblem(1, index, name, _("unknown column")))
        elif header.count(name) > 1 and header.index(name) != index - 1:
            problems.append(ImportProblem(1, index, name, _("the column appears twice")))
    return problems


def _control_characters(row: CsvRow, cells: list[str]) -> Iterator[ImportProblem]:
    for name, cell in zip(row.header, cells):
        found = control_character(cell, lines=True)
        if found:
            yield row.control_problem(name, found)


def _unparsable(exc: Exception, lines: _Lines, start: int, delimiter: str,
                header: tuple[str, ...]) -> ImportProblem:
    """The problem that stops reading: bytes that are not UTF-8, or a field the csv module refuses."""
    if isinstance(exc, _NotUtf8):
        return ImportProblem(exc.line, None, None, _(
            "the file is not UTF-8 text; save it as «CSV UTF-8» and try again"))
    limit = csv.field_size_limit()
    if "field larger than field limit" not in str(exc):
        return ImportProblem(start, None, None, _("the line cannot be read as CSV (%(reason)s)", reason=exc))
    column = _long_field_column("".join(lines.record), delimiter)
    name = header[column - 1] if column <= len(header) else None
    return ImportProblem(start, column if name else None, name, _(
        "a value is longer than %(limit)d characters; nothing after it can be read", limit=limit))


def _long_field_column(record: str, delimiter: str) -> int:
    """The 1-based column of the longest field of a raw CSV record (the one the csv module refused)."""
    lengths, quoted = [0], False
    for char in record:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            lengths.append(0)
        else:
            lengths[-1] += 1
    return lengths.index(max(lengths)) + 1
