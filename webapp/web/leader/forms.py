"""The leader questionnaire's form: per group, «not at the school» or yes/no to each statement (shape only;
who may answer and whether the round is open are the service's to say)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FormField, RadioField
from wtforms.form import Form

from webapp.domain.leader import LEADER_ITEMS
from webapp.services.leader import GroupAnswer



def yes_no() -> list[tuple[str, str]]:
    """The options of every statement (the fields carry none: WTForms warns of tuples as choices)."""
    return [("ja", _("Yes")), ("nei", _("No"))]


class GroupForm(Form):
    """One group: a plain Form inside the page's FlaskForm, which carries the one CSRF token."""

    absent = BooleanField(_l("The group is not at the school"))
    leder_plan = RadioField(choices=[], validate_choice=False)
    leder_roller = RadioField(choices=[], validate_choice=False)
    leder_felles = RadioField(choices=[], validate_choice=False)
    group_name = ""  # set per group by leader_form

    def items(self) -> list[RadioField]:
        return [self[item] for item in LEADER_ITEMS]

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001  (WTForms' signature)
        ok = super().validate(extra_validators)
        for field in self.items():
            if field.data not in (None, "", "ja", "nei"):
                field.errors.append(_("Choose yes or no."))
                ok = False
        answered = [f for f in self.items() if f.data in ("ja", "nei")]
        if self.absent.data and answered:
            self.form_errors.append(_("You ticked that %(group)s is not at the school, but also answered "
                                      "about the group. Remove one of them.", group=self.group_name))
            return False
        if answered and len(answered) < len(LEADER_ITEMS):
            self.form_errors.append(_("Answer all three statements for %(group)s, or tick that the group "
                                      "is not at the school.", group=self.group_name))
            return False
        return ok

    def answer(self) -> GroupAnswer | None:
        """What the leader said about the group; None when they left it out."""
        if self.absent.data:
            return GroupAnswer(False)
        values = {item: {"ja": True, "nei": False}.get(self[item].data or "") for item in LEADER_ITEMS}
        return GroupAnswer(True, values) if any(v is not None for v in values.values()) else None

    def fill(self, answer: GroupAnswer) -> None:
        self.absent.data = not answer.present
        for item in LEADER_ITEMS:
            value = answer.answers.get(item)
            self[item].data = None if value is None else ("ja" if value else "nei")


class LeaderFormBase(FlaskForm):
    groups: list[str] = []

    def group_forms(self) -> list[GroupForm]:
        return [self[g].form for g in self.groups]

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        ok = super().validate(extra_validators)
        if ok and not any(f.answer() is not None for f in self.group_forms()):
            self.form_errors.append(_("Answer for at least one group, or tick the groups that are not at "
                                      "the school."))
            return False
        return ok

    def answers(self) -> dict[str, GroupAnswer]:
        found = {g: f.answer() for g, f in zip(self.groups, self.group_forms())}
        return {g: a for g, a in found.items() if a is not None}


def leader_form(groups: dict[str, str], **kwargs) -> LeaderFormBase:  # noqa: ANN003
    """A form with one part per group (code -> name, in the questionnaire's order)."""
    fields = {}
    for code, name in groups.items():
        named = type(f"GroupForm_{code}", (GroupForm,), {"group_name": name})
        fields[code] = FormField(named, label=name)
    form_class = type("LeaderForm", (LeaderFormBase,), {**fields, "groups": list(groups)})
    return form_class(**kwargs)
