"""The course rules' problems (webapp.domain.courses), in the user's language."""
from __future__ import annotations

from flask_babel import gettext as _

from webapp.domain.courses import CourseProblem
from webapp.domain.inputs import character_code


def _known(problem: CourseProblem) -> str:
    known = problem.params.get("known", ())
    return ", ".join(str(code) for code in known) if isinstance(known, tuple) else ""


def _unknown_code(problem: CourseProblem) -> str:
    value, known = problem.params.get("value"), _known(problem)
    if problem.column == "areas":
        return _("«%(value)s» is not a competence area; use one of %(known)s", value=value, known=known)
    if problem.column == "yrkesgrupper":
        return _("«%(value)s» is not a yrkesgruppe; use one of %(known)s, or leave it empty for everyone",
                 value=value, known=known)
    return _("«%(value)s» is not a course format; use one of %(known)s", value=value, known=known)


def problem_message(problem: CourseProblem) -> str:
    """One sentence saying what is wrong with the value of the problem's column."""
    p = problem.params
    messages = {
        "empty": lambda: _("must not be empty"),
        "bad_code": lambda: _("use only letters, digits and . _ - (for example PALS-2027)"),
        "control_character": lambda: _(
            "contains the control character %(code)s, which cannot be stored; remove it",
            code=character_code(str(p.get("char", "")))),
        "too_long": lambda: _("at most %(count)d characters", count=p.get("max", 0)),
        "unknown_code": lambda: _unknown_code(problem),
        "repeated_code": lambda: _("«%(value)s» is listed twice", value=p.get("value")),
        "not_a_number": lambda: _("«%(value)s» is not a number; write for example 7.5", value=p.get("value")),
        "negative": lambda: _("must not be negative"),
        "not_a_whole_number": lambda: _("«%(value)s» is not a whole number; write for example 900",
                                        value=p.get("value")),
        "too_small": lambda: _("must be at least %(min)d, or empty when there is no limit",
                               min=p.get("min", 1)),
        "more_than_hours": lambda: _("cannot be more than the course's hours (%(hours)s)",
                                     hours=_number(p.get("hours"))),
        "bad_date": lambda: _("«%(value)s» is not a date; write it as YYYY-MM-DD (for example 2027-01-15), "
                              "or lopende when there is no fixed start", value=p.get("value")),
        "bad_url_scheme": lambda: _("«%(value)s» is not a web address; it must start with https:// or http://",
                                    value=p.get("value")),
        "bad_url": lambda: _("«%(value)s» is not a complete web address", value=p.get("value")),
        "share_above_one": lambda: _("«%(value)s» is more than 1; write the share as a fraction from 0 to 1, "
                                     "for example 0.5 for half", value=p.get("value")),
        "not_a_percent": lambda: _("«%(value)s» is not a percent; write a number from 0 to 100, for "
                                   "example 50 for half", value=p.get("value")),
        "percent_above_100": lambda: _("«%(value)s» is more than 100 %%; write the part of the fee that "
                                       "others pay, from 0 to 100", value=p.get("value")),
        "funder_missing": lambda: _("a funding share needs the name of the funder"),
        "share_missing": lambda: _("a funder needs a funding share above 0"),
        "duplicate_code": lambda: _("the code %(code)s is also on line %(other)d", code=p.get("code"),
                                    other=p.get("other", 0)),
        "code_taken": lambda: _("the catalogue already has a course with the code %(code)s",
                                code=p.get("code")),
    }
    return messages.get(problem.code, lambda: _("this value cannot be used"))()


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
