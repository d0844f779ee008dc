"""What a questionnaire's dashboards show and how: its `dashboard.yaml`, parsed into plain values (pure).

The panels read which option codes make a share, how each scale is drawn, which sections the pupil-group
panels use and which items the trend and the comparison show from here, not from Python literals, so a
new questionnaire needs a data file, not new code. `check_against` holds the file against a version of
the questionnaire.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from webapp.domain.leader import LEADER_ITEMS

FORMAT_VERSION = 1
ROLES = ("admin", "tillitsvalgt", "skoleleder")  # the accounts' roles (models/user.py)
PANEL_KINDS = ("share", "agreement", "stacked")
COLOURS = ("diverging", "most_first", "qualitative")


class DashboardConfigError(ValueError):
    """A dashboard file is invalid; `errors` lists every problem as 'path: message'."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ScaleView:
    """How a block of items on one scale is drawn, and the option codes of its share."""

    panel: str
    codes: tuple[str, ...] = ()
    colours: str = "qualitative"


@dataclass(frozen=True)
class Indicator:
    item: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class GroupItems:
    """One side of the pupil groups: the section of its items, their key prefix, the share shown."""

    section: str
    prefix: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class PupilGroups:
    work: GroupItems
    need: GroupItems
    by: str  # the breakdown the need heatmap's columns are


@dataclass(frozen=True)
class Mirror:
    """A statement of the leader questionnaire (domain/leader.py) and the staff item it mirrors."""

    leader: str
    staff: str


@dataclass(frozen=True)
class PerceptionGap:
    """The leaders' yes beside the staff's share `codes` of the mirrored items, per group of `by`."""

    codes: tuple[str, ...]
    by: str
    pairs: tuple[Mirror, ...]
    # The staff share the national leader figures are set against in the report (context, not a pair)
    national_staff: Indicator | None = None


STACKED = ScaleView("stacked")


@dataclass(frozen=True)
class DashboardConfig:
    shares: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    scales: Mapping[str, ScaleView] = field(default_factory=dict)
    skip_sections: tuple[str, ...] = ()
    titles: Mapping[str, str] = field(default_factory=dict)  # block key -> the code's title key
    pupil_groups: PupilGroups | None = None
    wishes: str | None = None  # the item where respondents choose the areas they want to learn about
    group_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    trend: tuple[Indicator, ...] = ()
    compared_sections: tuple[str, ...] = ()
    compared_multi_codes: tuple[str, ...] = ()
    plain_shares: tuple[tuple[str, ...], ...] = ()
    perception_gap: PerceptionGap | None = None
    # role -> the panels that start open for it (the others start folded); a role not named: all open
    open_panels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def opens(self, role: str) -> frozenset[str] | None:
        """The panel keys that start open for `role`; None when every panel does."""
        return frozenset(self.open_panels[role]) if role in self.open_panels else None

    def scale(self, key: str | None) -> ScaleView:
        """How items on scale `key` are drawn; stacked in qualitative colours when the file says nothing."""
        return self.scales.get(key or "", STACKED)


def parse_dashboard_config(data: Any) -> DashboardConfig:
    """Parse a dashboard file's content; raise DashboardConfigError listing every problem."""
    parser = _Parser()
    config = parser.parse(data)
    if parser.errors or config is None:
        raise DashboardConfigError(parser.errors)
    return config


class _Parser:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.shares: dict[str, tuple[str, ...]] = {}

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def parse(self, data: Any) -> DashboardConfig | None:
        if not isinstance(data, Mapping):
            self.error("(root)", "the dashboard file must be a mapping")
            return None
        if data.get("format") != FORMAT_VERSION:
            self.error("format", f"must be {FORMAT_VERSION}, got {data.get('format')!r}")
        self.shares = {str(k): self.codes(v, f"shares.{k}") for k, v in self.mapping(data, "shares").items()}
        questions, comparison = self.mapping(data, "questions"), self.mapping(data, "comparison")
        areas, labels = self.mapping(data, "areas"), self.mapping(data, "group_labels")
        scales = self.mapping(data, "scales")
        return DashboardConfig(
            shares=self.shares,
            scales={str(k): self.scale_view(v, f"scales.{k}") for k, v in scales.items()},
            skip_sections=self.keys(questions.get("skip_sections"), "questions.skip_sections"),
            titles=self.names(questions, "titles", "questions.titles"),
            pupil_groups=self.pupil_groups(data.get("pupil_groups")),
            wishes=self.name(areas.get("wishes"), "areas.wishes") if "wishes" in areas else None,
            group_labels={str(k): self.names(labels, k, f"group_labels.{k}") for k in labels},
            trend=self.trend(data.get("trend", [])),
            compared_sections=self.keys(comparison.get("sections"), "comparison.sections"),
            compared_multi_codes=(self.codes(comparison["multi_codes"], "comparison.multi_codes")
                                  if "multi_codes" in comparison else ()),
            plain_shares=tuple(self.share(s, f"comparison.plain_shares[{i}]")
                               for i, s in enumerate(self.entries(comparison, "plain_shares", "comparison"))),
            perception_gap=self.perception_gap(data.get("perception_gap")),
            open_panels=self.open_panels(self.mapping(data, "open_panels")))

    def mapping(self, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, Mapping):
            self.error(key, "must be a mapping")
            return {}
        return value

    def entries(self, data: Mapping[str, Any], key: str, path: str) -> list[Any]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.error(f"{path}.{key}", "must be a list")
            return []
        return value

    def name(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value:
            self.error(path, f"must be a non-empty text, got {value!r}")
            return ""
        return value

    def keys(self, value: Any, path: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(path, "must be a list of keys")
            return ()
        return tuple(self.name(v, f"{path}[{i}]") for i, v in enumerate(value))

    def names(self, data: Mapping[str, Any], key: str, path: str) -> dict[str, str]:
        value = data.get(key, {})
        if not isinstance(value, Mapping):
            self.error(path, "must map keys to names")
            return {}
        return {str(k): self.name(v, f"{path}.{k}") for k, v in value.items()}

    def codes(self, value: Any, path: str) -> tuple[str, ...]:
        """Option codes as text: YAML reads 4 as a number, the answers store "4"."""
        if not isinstance(value, list) or not value:
            self.error(path, "must be a non-empty list of option codes")
            return ()
        return tuple(str(v) for v in value)

    def share(self, value: Any, path: str) -> tuple[str, ...]:
        if value not in self.shares:
            self.error(path, f"unknown share {value!r}; the shares are {', '.join(self.shares) or 'none'}")
            return ()
        return self.shares[value]

    def scale_view(self, value: Any, path: str) -> ScaleView:
        if not isinstance(value, Mapping) or value.get("panel") not in PANEL_KINDS:
            self.error(f"{path}.panel", f"must be one of {', '.join(PANEL_KINDS)}")
            return STACKED
        colours = value.get("colours", "qualitative")
        if colours not in COLOURS:
            self.error(f"{path}.colours", f"must be one of {', '.join(COLOURS)}, got {colours!r}")
        codes = self.share(value.get("share"), f"{path}.share") if value["panel"] != "stacked" else ()
        return ScaleView(value["panel"], codes, str(colours))

    def pupil_groups(self, value: Any) -> PupilGroups | None:
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.error("pupil_groups", "must be a mapping with work, need and by")
            return None
        work, need = (self.group_items(value.get(side), f"pupil_groups.{side}") for side in ("work", "need"))
        return PupilGroups(work, need, self.name(value.get("by"), "pupil_groups.by"))

    def group_items(self, value: Any, path: str) -> GroupItems:
        if not isinstance(value, Mapping):
            self.error(path, "needs section, prefix and share")
            return GroupItems("", "", ())
        return GroupItems(self.name(value.get("section"), f"{path}.section"),
                          self.name(value.get("prefix"), f"{path}.prefix"),
                          self.share(value.get("share"), f"{path}.share"))

    def trend(self, value: Any) -> tuple[Indicator, ...]:
        if not isinstance(value, list):
            self.error("trend", "must be a list of {item, share} or {item, codes}")
            return ()
        out = []
        for i, entry in enumerate(value):
            path = f"trend[{i}]"
            if not isinstance(entry, Mapping) or ("share" in entry) == ("codes" in entry):
                self.error(path, "needs an item and either a share or codes")
                continue
            codes = (self.share(entry["share"], f"{path}.share") if "share" in entry
                     else self.codes(entry["codes"], f"{path}.codes"))
            out.append(Indicator(self.name(entry.get("item"), f"{path}.item"), codes))
        return tuple(out)

    def open_panels(self, value: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
        for role in value:
            if role not in ROLES:
                self.error(f"open_panels.{role}", f"must be a role: {', '.join(ROLES)}")
        return {str(k): self.keys(v, f"open_panels.{k}") for k, v in value.items() if k in ROLES}

    def perception_gap(self, value: Any) -> PerceptionGap | None:
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.error("perception_gap", "must be a mapping with share, by and pairs")
            return None
        pairs, seen = [], set()
        for i, entry in enumerate(self.entries(value, "pairs", "perception_gap")):
            path = f"perception_gap.pairs[{i}]"
            if not isinstance(entry, Mapping):
                self.error(path, "needs a leader statement and a staff item")
                continue
            leader = self.name(entry.get("leader"), f"{path}.leader")
            if leader and leader not in LEADER_ITEMS:
                self.error(f"{path}.leader", f"must be one of {', '.join(LEADER_ITEMS)}, got {leader!r}")
            elif leader in seen:
                self.error(f"{path}.leader", f"{leader!r} is paired twice")
            seen.add(leader)
            pairs.append(Mirror(leader, self.name(entry.get("staff"), f"{path}.staff")))
        if not pairs:
            self.error("perception_gap.pairs", "must name at least one pair")
        national = value.get("national_staff")
        if national is not None and not isinstance(national, Mapping):
            self.error("perception_gap.national_staff", "must be an item and a share")
            national = None
        path = "perception_gap.national_staff"
        return PerceptionGap(self.share(value.get("share"), "perception_gap.share"),
                             self.name(value.get("by"), "perception_gap.by"), tuple(pairs),
                             Indicator(self.name(national.get("item"), f"{path}.item"),
                                       self.share(national.get("share"), f"{path}.share"))
                             if national is not None else None)
