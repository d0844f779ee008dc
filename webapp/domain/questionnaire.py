"""Questionnaire definitions: typed model and a parser that reports every error with its path."""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from webapp.domain.conditions import Condition, parse_condition

FORMAT_VERSION = 1
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
ITEM_TYPES = ("choice", "multi", "integer", "text", "matrix")
Texts = Mapping[str, str]


class DefinitionError(ValueError):
    """A definition is invalid; `errors` lists every problem as 'path: message'."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Option:
    code: str
    label: Texts
    na: bool = False


@dataclass(frozen=True)
class Item:
    """One answer key: a question, or one row of a matrix."""

    key: str
    type: str
    text: Texts
    section: str
    options: tuple[Option, ...] = ()
    scale: str | None = None
    required: bool = False
    show_if: Condition | None = None
    screen_out_unless: tuple[str, ...] = ()
    screen_out_reason: str | None = None
    exclusive: tuple[str, ...] = ()
    min_choices: int | None = None
    max_choices: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    help: Texts | None = None
    matrix: str | None = None
    group: str | None = None
    reverse: bool = False

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.options)


@dataclass(frozen=True)
class Matrix:
    """Choice items sharing a stem and a scale, shown as one block of rows."""

    key: str
    text: Texts
    scale: str
    options: tuple[Option, ...]
    rows: tuple[Item, ...]
    groups: Mapping[str, Texts] = field(default_factory=dict)
    help: Texts | None = None


Element = Item | Matrix


@dataclass(frozen=True)
class Section:
    key: str
    title: Texts
    elements: tuple[Element, ...]
    intro: Texts | None = None

    @property
    def items(self) -> tuple[Item, ...]:
        out: list[Item] = []
        for element in self.elements:
            out.extend(element.rows if isinstance(element, Matrix) else (element,))
        return tuple(out)


@dataclass(frozen=True)
class Area:
    code: str
    label: Texts
    fed_by: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class Derived:
    key: str
    source: str
    mapping: Mapping[str, str]
    default: str | None
    labels: Mapping[str, Texts]

    def value(self, answer: object) -> str | None:
        if answer is None or answer == "" or answer == []:
            return None
        return self.mapping.get(str(answer), self.default)


@dataclass(frozen=True)
class Questionnaire:
    slug: str
    version: int
    title: Texts
    intro: Texts
    consent: Texts
    scales: Mapping[str, tuple[Option, ...]]
    areas: tuple[Area, ...]
    derived: Mapping[str, Derived]
    sections: tuple[Section, ...]
    items: Mapping[str, Item]
    content_hash: str

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def section_index(self, key: str) -> int:
        return next(i for i, s in enumerate(self.sections) if s.key == key)


def content_hash(data: Mapping[str, Any]) -> str:
    """Hash the definition's content independent of key order and formatting."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_definition(data: Any) -> Questionnaire:
    """Parse and validate a definition; raise DefinitionError listing every problem."""
    parser = _Parser()
    questionnaire = parser.parse(data)
    if parser.errors or questionnaire is None:
        raise DefinitionError(parser.errors)
    return questionnaire


class _Parser:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.scales: dict[str, tuple[Option, ...]] = {}
        self.areas: tuple[Area, ...] = ()
        self.items: dict[str, Item] = {}
        self.matrix_keys: set[str] = set()
        self._condition_paths: dict[str, str] = {}

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def parse(self, data: Any) -> Questionnaire | None:
        if not isinstance(data, Mapping):
            self.error("(root)", "the definition must be a mapping")
            return None
        if data.get("format") != FORMAT_VERSION:
            self.error("format", f"must be {FORMAT_VERSION}, got {data.get('format')!r}")
        slug = data.get("slug")
        if not isinstance(slug, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
            self.error("slug", "must be lower-case letters, digits and dashes")
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            self.error("version", "must be a whole number ≥ 1")
        title = self.texts(data.get("title"), "title")
        intro = self.texts(data.get("intro"), "intro")
        consent = self.texts(data.get("consent"), "consent")
        self.scales = self.parse_scales(data.get("scales"))
        self.areas = self.parse_areas(data.get("areas", []))
        sections = self.parse_sections(data.get("sections"))
        derived = self.parse_derived(data.get("derived", {}))
        self.check_conditions(sections)
        return Questionnaire(
            slug=str(slug), version=version if isinstance(version, int) else 0, title=title,
            intro=intro, consent=consent, scales=self.scales, areas=self.areas, derived=derived,
            sections=tuple(sections), items=dict(self.items), content_hash=content_hash(data),
        )

    def texts(self, value: Any, path: str, required: bool = True) -> Texts:
        if value is None and not required:
            return {}
        if not isinstance(value, Mapping) or not isinstance(value.get("nb"), str) or not value["nb"].strip():
            self.error(path, "needs a text map with at least a non-empty 'nb'")
            return {}
        unknown = set(value) - {"nb", "nn", "en"}
        if unknown:
            self.error(path, f"unknown language(s) {sorted(unknown)}; use nb, nn, en")
        return {k: str(v) for k, v in value.items() if isinstance(v, str)}

    def parse_options(self, raw: Any, path: str) -> tuple[Option, ...]:
        if not isinstance(raw, list) or not raw:
            self.error(path, "needs a non-empty list of options")
            return ()
        options: list[Option] = []
        seen: set[str] = set()
        for i, entry in enumerate(raw):
            p = f"{path}[{i}]"
            if not isinstance(entry, Mapping):
                self.error(p, "an option needs 'code' and 'label'")
                continue
            code = entry.get("code")
            if not isinstance(code, str) or not code:
                self.error(f"{p}.code", f"must be a non-empty string (quote it), got {code!r}")
                continue
            if code in seen:
                self.error(f"{p}.code", f"duplicate option code {code!r}")
            seen.add(code)
            options.append(Option(code, self.texts(entry.get("label"), f"{p}.label"), bool(entry.get("na"))))
        return tuple(options)

    def parse_scales(self, raw: Any) -> dict[str, tuple[Option, ...]]:
        if not isinstance(raw, Mapping):
            self.error("scales", "must be a mapping of scale name to options")
            return {}
        scales = {}
        for name, body in raw.items():
            if not isinstance(body, Mapping):
                self.error(f"scales.{name}", "needs 'options'")
                continue
            scales[str(name)] = self.parse_options(body.get("options"), f"scales.{name}.options")
        return scales

    def parse_areas(self, raw: Any) -> tuple[Area, ...]:
        if not isinstance(raw, list):
            self.error("areas", "must be a list")
            return ()
        areas, seen = [], set()
        for i, entry in enumerate(raw):
            p = f"areas[{i}]"
            code = entry.get("code") if isinstance(entry, Mapping) else None
            if not isinstance(code, str) or not KEY_RE.match(code):
                self.error(f"{p}.code", "must be a lower-case code")
                continue
            if code in seen:
                self.error(f"{p}.code", f"duplicate area {code!r}")
            seen.add(code)
            fed_by = []
            for j, source in enumerate(entry.get("fed_by") or []):
                if not isinstance(source, Mapping) or not isinstance(source.get("item"), str):
                    self.error(f"{p}.fed_by[{j}]", "needs 'item'")
                    continue
                fed_by.append((source["item"], source.get("option")))
            areas.append(Area(code, self.texts(entry.get("label"), f"{p}.label"), tuple(fed_by)))
        return tuple(areas)

    def parse_sections(self, raw: Any) -> list[Section]:
        if not isinstance(raw, list) or not raw:
            self.error("sections", "needs a non-empty list of sections")
            return []
        sections, seen = [], set()
        for i, entry in enumerate(raw):
            p = f"sections[{i}]"
            if not isinstance(entry, Mapping):
                self.error(p, "a section needs 'key', 'title' and 'items'")
                continue
            key = self.key(entry.get("key"), f"{p}.key")
            if key in seen:
                self.error(f"{p}.key", f"duplicate section key {key!r}")
            seen.add(key)
            raw_items = entry.get("items")
            if not isinstance(raw_items, list) or not raw_items:
                self.error(f"{p}.items", "needs a non-empty list of items")
                raw_items = []
            elements = [self.parse_element(it, f"{p}.items[{j}]", key) for j, it in enumerate(raw_items)]
            sections.append(Section(
                key=key, title=self.texts(entry.get("title"), f"{p}.title"),
                elements=tuple(e for e in elements if e is not None),
                intro=self.texts(entry.get("intro"), f"{p}.intro", required=False) or None,
            ))
        return sections

    def key(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not KEY_RE.match(value):
            self.error(path, f"must match {KEY_RE.pattern}, got {value!r}")
            return str(value)
        return value

    def register(self, item: Item, path: str) -> None:
        if item.key in self.items or item.key in self.matrix_keys:
            self.error(path, f"duplicate item key {item.key!r}")
        self.items[item.key] = item

    def choice_options(self, entry: Mapping[str, Any], path: str) -> tuple[str | None, tuple[Option, ...]]:
        scale, inline, source = entry.get("scale"), entry.get("options"), entry.get("options_from")
        if sum(x is not None for x in (scale, inline, source)) != 1:
            self.error(path, "needs exactly one of 'scale', 'options' or 'options_from'")
            return None, ()
        if scale is not None:
            if scale not in self.scales:
                self.error(f"{path}.scale", f"unknown scale {scale!r}")
                return None, ()
            return str(scale), self.scales[scale]
        if source is not None:
            if source != "areas":
                self.error(f"{path}.options_from", "only 'areas' is supported")
                return None, ()
            return None, tuple(Option(a.code, a.label) for a in self.areas)
        return None, self.parse_options(inline, f"{path}.options")

    def parse_element(self, entry: Any, path: str, section: str) -> Element | None:
        if not isinstance(entry, Mapping):
            self.error(path, "an item must be a mapping")
            return None
        kind = entry.get("type")
        if kind not in ITEM_TYPES:
            self.error(f"{path}.type", f"must be one of {', '.join(ITEM_TYPES)}, got {kind!r}")
            return None
        if kind == "matrix":
            return self.parse_matrix(entry, path, section)
        return self.parse_item(entry, path, section)

    def parse_item(self, entry: Mapping[str, Any], path: str, section: str, **extra: Any) -> Item:
        kind = extra.pop("type", entry.get("type"))
        key = self.key(entry.get("key"), f"{path}.key")
        kwargs: dict[str, Any] = dict(extra)
        if kind in ("choice", "multi") and "options" not in kwargs:
            kwargs["scale"], kwargs["options"] = self.choice_options(entry, path)
        if kind == "integer":
            kwargs["minimum"], kwargs["maximum"] = self.bounds(entry, path)
        if kind == "text":
            kwargs["max_length"] = self.positive(entry.get("max_length", 2000), f"{path}.max_length")
        if kind == "multi":
            kwargs.update(self.multi_rules(entry, path, kwargs.get("options", ())))
        screen = entry.get("screen_out")
        if screen is not None:
            kwargs.update(self.screen_rule(screen, f"{path}.screen_out", kwargs.get("options", ())))
        show_if = entry.get("show_if")
        item = Item(
            key=key, type=str(kind), text=self.texts(entry.get("text"), f"{path}.text"), section=section,
            required=bool(entry.get("required", False)),
            show_if=parse_condition(show_if, f"{path}.show_if", self.errors) if show_if is not None else None,
            help=self.texts(entry.get("help"), f"{path}.help", required=False) or None,
            **kwargs,
        )
        self.register(item, f"{path}.key")
        self._condition_paths[key] = f"{path}.show_if"
        return item

    def bounds(self, entry: Mapping[str, Any], path: str) -> tuple[int | None, int | None]:
        low, high = entry.get("min"), entry.get("max")
        for name, value in (("min", low), ("max", high)):
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                self.error(f"{path}.{name}", "must be a whole number")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            self.error(path, f"min {low} is greater than max {high}")
        return low, high

    def positive(self, value: Any, path: str) -> int | None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.error(path, "must be a whole number ≥ 1")
            return None
        return value

    def multi_rules(self, entry: Mapping[str, Any], path: str, options: tuple[Option, ...]) -> dict[str, Any]:
        codes = {o.code for o in options}
        exclusive = tuple(str(c) for c in entry.get("exclusive") or ())
        for code in exclusive:
            if code not in codes:
                self.error(f"{path}.exclusive", f"unknown option {code!r}")
        rules: dict[str, Any] = {"exclusive": exclusive}
        for name in ("min_choices", "max_choices"):
            if entry.get(name) is not None:
                rules[name] = self.positive(entry[name], f"{path}.{name}")
        return rules

    def screen_rule(self, raw: Any, path: str, options: tuple[Option, ...]) -> dict[str, Any]:
        if not isinstance(raw, Mapping) or raw.get("reason") not in ("refused", "out_of_scope"):
            self.error(path, "needs 'unless' (option list) and 'reason' (refused or out_of_scope)")
            return {}
        unless = tuple(str(c) for c in raw.get("unless") or ())
        for code in unless:
            if code not in {o.code for o in options}:
                self.error(f"{path}.unless", f"unknown option {code!r}")
        return {"screen_out_unless": unless, "screen_out_reason": raw["reason"]}

    def parse_matrix(self, entry: Mapping[str, Any], path: str, section: str) -> Matrix | None:
        key = self.key(entry.get("key"), f"{path}.key")
        if key in self.matrix_keys or key in self.items:
            self.error(f"{path}.key", f"duplicate item key {key!r}")
        self.matrix_keys.add(key)
        scale = entry.get("scale")
        if scale not in self.scales:
            self.error(f"{path}.scale", f"unknown scale {scale!r}")
            return None
        groups_raw = entry.get("groups") or {}
        groups = {str(g): self.texts(t, f"{path}.groups.{g}") for g, t in groups_raw.items()}
        rows_raw = entry.get("rows")
        if not isinstance(rows_raw, list) or not rows_raw:
            self.error(f"{path}.rows", "a matrix needs a non-empty list of rows")
            rows_raw = []
        rows = []
        for j, row in enumerate(rows_raw):
            p = f"{path}.rows[{j}]"
            if not isinstance(row, Mapping):
                self.error(p, "a row needs 'key' and 'text'")
                continue
            group = row.get("group")
            if group is not None and group not in groups:
                self.error(f"{p}.group", f"unknown group {group!r}")
            rows.append(self.parse_item(
                row, p, section, type="choice", scale=str(scale), options=self.scales[scale],
                matrix=key, group=group, reverse=bool(row.get("reverse", False))))
        return Matrix(key=key, text=self.texts(entry.get("text"), f"{path}.text"), scale=str(scale),
                      options=self.scales[scale], rows=tuple(rows), groups=groups,
                      help=self.texts(entry.get("help"), f"{path}.help", required=False) or None)

    def parse_derived(self, raw: Any) -> dict[str, Derived]:
        if not isinstance(raw, Mapping):
            self.error("derived", "must be a mapping")
            return {}
        derived = {}
        for name, body in raw.items():
            p = f"derived.{name}"
            source = body.get("from") if isinstance(body, Mapping) else None
            if source not in self.items:
                self.error(f"{p}.from", f"unknown item {source!r}")
                continue
            mapping = {str(k): str(v) for k, v in (body.get("map") or {}).items()}
            default = body.get("default")
            codes = set(self.items[source].codes)
            for code in set(mapping) - codes:
                self.error(f"{p}.map", f"{code!r} is not an option of {source}")
            if default is None and codes - set(mapping):
                self.error(f"{p}.map",
                           f"options {sorted(codes - set(mapping))} are not mapped and no default")
            values = set(mapping.values()) | ({str(default)} if default is not None else set())
            labels = {str(v): self.texts(t, f"{p}.labels.{v}") for v, t in (body.get("labels") or {}).items()}
            for value in values - set(labels):
                self.error(f"{p}.labels", f"no label for value {value!r}")
            derived[str(name)] = Derived(str(name), source, mapping,
                                         str(default) if default is not None else None, labels)
        return derived

    def check_conditions(self, sections: list[Section]) -> None:
        order = {item.key: n for n, item in enumerate(i for s in sections for i in s.items)}
        for item in self.items.values():
            cond = item.show_if
            if cond is None:
                continue
            path = self._condition_paths.get(item.key, item.key)
            target = self.items.get(cond.item)
            if target is None:
                self.error(f"{path}.item", f"unknown item {cond.item!r}")
            elif order[cond.item] >= order[item.key]:
                self.error(f"{path}.item", f"{cond.item!r} must come before {item.key!r}")
            else:
                for problem in cond.problems(target.type, target.codes):
                    self.error(path, problem)
        for i, area in enumerate(self.areas):
            for j, (key, option) in enumerate(area.fed_by):
                if key not in self.items:
                    self.error(f"areas[{i}].fed_by[{j}].item", f"unknown item {key!r}")
                elif option is not None and option not in self.items[key].codes:
                    self.error(f"areas[{i}].fed_by[{j}].option", f"{option!r} is not an option of {key}")
