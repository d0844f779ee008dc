"""Skip-logic conditions (`show_if`) and their evaluation against answers."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from webapp.domain.inputs import whole_number

OPERATORS = ("equals", "in", "at_least", "any_except")
Answers = Mapping[str, Any]


@dataclass(frozen=True)
class Condition:
    item: str
    operator: str
    values: tuple[str, ...] = ()
    threshold: int | None = None

    def holds(self, answers: Answers) -> bool:
        """Return whether the condition is true for these answers (missing → false)."""
        answer = answers.get(self.item)
        if answer is None or answer == "" or answer == []:
            return False
        if self.operator in ("equals", "in"):
            return str(answer) in self.values
        if self.operator == "at_least":
            try:
                return int(answer) >= (self.threshold or 0)
            except (TypeError, ValueError):
                return False
        ticked = answer if isinstance(answer, list) else [answer]
        return any(str(code) not in self.values for code in ticked)

    def problems(self, target_type: str, target_codes: tuple[str, ...]) -> list[str]:
        """Return what is wrong with this condition given the item it refers to."""
        out = []
        if self.operator == "any_except" and target_type != "multi":
            out.append(f"'any_except' needs a multi-select item, {self.item} is {target_type}")
        if self.operator in ("equals", "in") and target_type == "multi":
            out.append(f"use 'any_except' for the multi-select item {self.item}")
        if self.operator == "at_least":
            numeric = target_type == "integer" or all(whole_number(c) is not None for c in target_codes)
            if not numeric:
                out.append(f"'at_least' needs a numeric item, {self.item} has non-numeric options")
        elif target_codes:
            for value in self.values:
                if value not in target_codes:
                    out.append(f"{value!r} is not an option of {self.item}")
        return out


def parse_condition(raw: Any, path: str, errors: list[str]) -> Condition | None:
    """Parse a `show_if` mapping; append problems to `errors`."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("item"), str):
        errors.append(f"{path}: needs 'item' and one of {', '.join(OPERATORS)}")
        return None
    operators = [op for op in OPERATORS if op in raw]
    if len(operators) != 1 or set(raw) - {"item", *OPERATORS}:
        errors.append(f"{path}: needs 'item' and exactly one of {', '.join(OPERATORS)}")
        return None
    op = operators[0]
    value = raw[op]
    if op == "at_least":
        if not isinstance(value, int) or isinstance(value, bool):
            errors.append(f"{path}.at_least: must be a whole number")
            return None
        return Condition(raw["item"], op, threshold=value)
    values = value if isinstance(value, list) else [value]
    if op in ("in", "any_except") and not isinstance(value, list):
        errors.append(f"{path}.{op}: must be a list")
        return None
    return Condition(raw["item"], op, values=tuple(str(v) for v in values))
