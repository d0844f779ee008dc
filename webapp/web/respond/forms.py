"""Page forms built from the questionnaire definition (shape only; meaning is the domain's)."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from webapp.domain.questionnaire import Item, Questionnaire, Section


class WholeNumberField(StringField):
    """A number typed on a phone keypad; blank is allowed, anything else must be a whole number."""

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = (valuelist[0] if valuelist else "").strip().replace(" ", "")
        if not raw:
            self.data = None
            return
        try:
            self.data = int(raw)
        except ValueError:
            self.data = None
            raise ValueError(_l("Write a whole number, for example 60.")) from None


class PageForm(FlaskForm):
    """Base of every questionnaire page form; the fields are the page's items."""

    def answers(self, items: tuple[Item, ...]) -> dict[str, Any]:
        """Return the submitted values of the fields that passed the shape checks."""
        out: dict[str, Any] = {}
        for item in items:
            field = self[item.key]
            if field.errors:
                continue
            data = field.data
            if item.type == "multi":
                data = list(data or [])
            elif item.type == "text":
                data = (data or "").strip()
            out[item.key] = data
        return out


def _field(item: Item) -> Field:
    choices = list(item.codes)
    if item.type == "choice":
        return RadioField(choices=choices, validators=[Optional()])
    if item.type == "multi":
        return SelectMultipleField(choices=choices, validators=[Optional()])
    if item.type == "integer":
        return WholeNumberField(validators=[Optional()])
    return TextAreaField(validators=[Optional(), Length(max=item.max_length or 2000, message=_l(
        "At most %(max)d characters.", max=item.max_length or 2000))])


_CLASSES: dict[tuple[str, int, str], type[PageForm]] = {}


def page_form_class(questionnaire: Questionnaire, section: Section) -> type[PageForm]:
    """Return the (cached) form class of a page; definitions are immutable so classes are too."""
    key = (questionnaire.slug, questionnaire.version, section.key)
    if key not in _CLASSES:
        _CLASSES[key] = type(f"Page_{section.key}", (PageForm,),
                             {item.key: _field(item) for item in section.items})
    return _CLASSES[key]


class SubmitForm(FlaskForm):
    """The summary page's submit: CSRF only."""
