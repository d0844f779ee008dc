"""The course forms: shape only. Numbers, codes and funding are checked by the course rules
(webapp.domain.courses), the same as for an import, and come back as errors on their fields."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, TextAreaField, widgets

from webapp.domain.courses import ONGOING, ONLINE, share_as_percent
from webapp.domain.vocabulary import Vocabulary


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as checkboxes (a select box of 15 areas is hard to use on a phone)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CourseForm(FlaskForm):
    code = StringField(_l("Code"), description=_l("Letters, digits and . _ - only, e.g. PALS-2027. "
                                                  "It names the course in imports and cannot be changed."))
    title = StringField(_l("Title"))
    provider = StringField(_l("Provider"))
    description = TextAreaField(_l("Description"))
    areas = CheckboxesField(_l("Competence areas"), choices=[])
    yrkesgrupper = CheckboxesField(_l("Meant for"), choices=[],
                                   description=_l("Tick none when the course is for everyone."))
    format = RadioField(_l("Format"), choices=[], validate_choice=False)
    hours = StringField(_l("Hours in all"))
    credits = StringField(_l("Credits (studiepoeng)"), description=_l("0 or empty when it gives none."))
    fee_nok = StringField(_l("Fee per participant (NOK)"))
    seats = StringField(_l("Seats per run"), description=_l("Empty when there is no limit."))
    substitute_hours = StringField(_l("Substitute hours per participant"),
                                   description=_l("Hours taken from work time; a substitute covers them."))
    start = StringField(_l("Start"), description=_l("Empty when there is no fixed start (løpende)."))
    online = BooleanField(_l("Online course: taken on the web, with no place to travel to"))
    place = StringField(_l("Place"), description=_l("The town where the course is held."))
    url = StringField(_l("Link"), description=_l("The offer's web page, starting with https://."))
    funding_percent = StringField(_l("Share of the fee paid by others (%)"), description=_l(
        "From 0 to 100: 50 when someone else pays half. Empty when nobody does."))
    funder = StringField(_l("Funder"), description=_l("Who pays that share, e.g. Fagforbundet."))

    # The fields whose text goes to the course rules as it is.
    TEXTS = ("code", "title", "provider", "description", "place", "url", "funder", "hours", "credits",
             "fee_nok", "seats", "substitute_hours", "funding_percent")

    def offer_choices(self, terms: Vocabulary, language: str) -> None:
        self.areas.choices = [(t.code, t.text(language)) for t in terms.areas]
        self.yrkesgrupper.choices = [(t.code, t.text(language)) for t in terms.yrkesgrupper]
        self.format.choices = [(t.code, t.text(language)) for t in terms.formats]

    def values(self) -> dict[str, str]:
        """The form's content as the texts of an import row."""
        texts = {name: (self[name].data or "") for name in self.TEXTS}
        texts["areas"] = "|".join(self.areas.data or [])
        texts["yrkesgrupper"] = "|".join(self.yrkesgrupper.data or [])
        texts["format"] = self.format.data or ""
        texts["start"] = (self.start.data or "").strip() or ONGOING
        if self.online.data:
            texts["place"] = ONLINE
        return texts

    def fill(self, values: dict[str, str]) -> None:
        """Show a stored course's texts (from courses.course_values)."""
        for name in self.TEXTS:
            if name != "funding_percent":
                self[name].data = values[name]
        share = float(values["funding_share"] or 0)
        self.funding_percent.data = share_as_percent(share) if share else ""
        self.online.data = values["place"] == ONLINE
        if self.online.data:
            self.place.data = ""
        self.start.data = "" if values["start"] == ONGOING else values["start"]
        self.areas.data = [c for c in values["areas"].split("|") if c]
        self.yrkesgrupper.data = [c for c in values["yrkesgrupper"].split("|") if c]
        self.format.data = values["format"]


class CourseFileForm(FlaskForm):
    file = FileField(_l("CSV or Excel file (.csv, .xlsx)"),
                     validators=[FileRequired(message=_l("Choose a file to import."))])
