"""Reading CSV imports: header checks and problems named by line and column."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _


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
    """Nothing was imported; `problems` says every reason, by line and column."""

    def __init__(self, problems: Sequence[ImportProblem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]
    header: tuple[str, ...]

    def problem(self, column: str, message: str) -> ImportProblem:
        return ImportProblem(self.line, self.header.index(column) + 1, column, message)


def decode(raw: bytes) -> str:
    """Decode an uploaded file as UTF-8 (with or without BOM) or raise ImportFailed."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFailed([ImportProblem(line, None, None, _(
            "the file is not UTF-8 text; save it as «CSV UTF-8» and try again"))]) from None


def read_rows(text: str, required: Sequence[str], optional: Sequence[str] = ()) -> Iterator[CsvRow]:
    """Yield the data rows of a CSV text; raise ImportFailed when the header is wrong."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = tuple(h.strip() for h in next(reader))
    except StopIteration:
        raise ImportFailed([ImportProblem(1, None, None, _("the file is empty"))]) from None
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
    if problems:
        raise ImportFailed(problems)
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        line = reader.line_num
        if len(cells) != len(header):
            yield CsvRow(line, {"__width__": str(len(cells))}, header)
            continue
        yield CsvRow(line, {h: c.strip() for h, c in zip(header, cells)}, header)


def width_problem(row: CsvRow) -> ImportProblem | None:
    """Return a problem when the row has the wrong number of cells."""
    if "__width__" not in row.values:
        return None
    return ImportProblem(row.line, None, None, _(
        "expected %(expected)d columns, found %(found)s", expected=len(row.header),
        found=row.values["__width__"]))
