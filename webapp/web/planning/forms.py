"""The planner's forms: shape only (numbers a person types, in Norwegian or English style); what the
planner cannot plan for comes back from it as a refusal."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, StringField
from wtforms.validators import ValidationError

from webapp.services.planning import PlanRequest, Rate

PIN, EXCLUDE = "fest", "fjern"
# «50 000», «50 000 kr», «50.000», «312,50»: spaces (also non-breaking) and a trailing «kr» are dropped
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_number(text: str | None) -> float | None:
    """A number as people type it; None for an empty field; ValueError for anything else."""
    cleaned = _SPACES.sub("", (text or "")).lower().removesuffix("kr").removesuffix("nok").rstrip(",-")
    if not cleaned:
        return None
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    value = float(cleaned.replace(",", "."))
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


def _number(field: Field, message: str) -> float | None:
    try:
        return parse_number(field.data)
    except ValueError:
        raise ValidationError(message) from None


def plain(value: float | None) -> str:
    """A number back into the form: «300», «312,5»."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


class PlanForm(FlaskForm):
    budget = StringField(_l("Budget (NOK)"), description=_l("What the courses, their fees and the "
                                                            "substitutes may cost in all, in whole kroner."))
    substitute_rate = StringField(
        _l("Substitute cost per hour (NOK)"),
        description=_l("Source: an estimate based on the guaranteed wage of an assistant, 2024."))
    hours = StringField(_l("Substitute hours available"),
                        description=_l("Empty when there is no limit."))

    def validate_budget(self, field: Field) -> None:
        value = _number(field, _l("Give the budget as a number of kroner, e.g. 50 000."))
        if value is None:
            raise ValidationError(_l("Give a budget."))
        if value <= 0:
            raise ValidationError(_l("The budget must be more than 0 kroner."))
        if not value.is_integer():
            raise ValidationError(_l("Give the budget in whole kroner."))
        if value > 1e12:
            raise ValidationError(_l("The budget is too large."))

    def validate_substitute_rate(self, field: Field) -> None:
        value = _number(field, _l("Give the cost per hour as a number of kroner, e.g. 300."))
        if value is not None and value < 0:
            raise ValidationError(_l("The cost per hour cannot be negative."))
        if value is not None and value > 100_000:
            raise ValidationError(_l("The cost per hour is too large."))

    def validate_hours(self, field: Field) -> None:
        value = _number(field, _l("Give the hours as a number, e.g. 120, or leave the field empty."))
        if value is not None and value < 0:
            raise ValidationError(_l("The hours cannot be negative."))

    def show_default(self, default: Rate) -> None:
        """Say where the default rate comes from: the kommune's administrator, or the estimate."""
        if default.source == "kommune":
            self.substitute_rate.description = _l("Set by an administrator for %(kommune)s.",
                                                  kommune=default.kommune)

    def fill(self, request: PlanRequest, default: Rate) -> None:
        self.budget.data = plain(request.budget_nok)
        self.substitute_rate.data = plain(request.substitute_rate if request.substitute_rate is not None
                                          else default.nok)
        self.hours.data = plain(request.hours)

    def plan_request(self, round_id: int, level: str, unit_id: int, pins: Sequence[str],
                     excludes: Sequence[str], default: Rate) -> PlanRequest:
        """The request of a validated form; the default rate (or none) leaves the rate to the kommune."""
        rate = parse_number(self.substitute_rate.data)
        return PlanRequest(round_id, level, unit_id, int(parse_number(self.budget.data) or 0),
                           None if rate is None or rate == default.nok else rate,
                           parse_number(self.hours.data), tuple(pins), tuple(excludes))


def course_choices(form: Mapping[str, str], codes: Sequence[str]) -> tuple[list[str], list[str]]:
    """The courses to pin and to drop, from the per-course choices `kurs-<code>` of the form."""
    pins = [c for c in codes if form.get(f"kurs-{c}") == PIN]
    excludes = [c for c in codes if form.get(f"kurs-{c}") == EXCLUDE]
    return pins, excludes


class BudgetForm(FlaskForm):
    """«Compare with another budget»."""

    budget = StringField(_l("Other budget (NOK)"))
    validate_budget = PlanForm.validate_budget


class SaveForm(FlaskForm):
    name = StringField(_l("Name of the plan"), description=_l("E.g. «Budget meeting in March»."))

    def validate_name(self, field: Field) -> None:
        if not " ".join((field.data or "").split()):
            raise ValidationError(_l("Give the plan a name."))
        if len(" ".join(field.data.split())) > 100:
            raise ValidationError(_l("The name can be at most 100 characters long."))
