"""Hold a dashboard file against a version of its questionnaire: every key it names must exist (pure)."""
from __future__ import annotations

from collections.abc import Iterable

from webapp.domain.dashboard_config import DashboardConfig, GroupItems
from webapp.domain.questionnaire import Matrix, Questionnaire


def check_against(config: DashboardConfig, questionnaire: Questionnaire) -> list[str]:
    """Every scale, section, block, item, option and breakdown the file names that the questionnaire lacks,
    as 'path: message'."""
    return [*_scales(config, questionnaire), *_sections(config, questionnaire),
            *_blocks(config, questionnaire), *_pupil_groups(config, questionnaire),
            *_items(config, questionnaire), *_groupings(config, questionnaire),
            *_perception_gap(config, questionnaire)]


def _missing(path: str, what: str, key: str, known: Iterable[str]) -> list[str]:
    return [] if key in list(known) else [f"{path}: no {what} {key!r} in the questionnaire"]


def _codes(path: str, codes: Iterable[str], known: Iterable[str]) -> list[str]:
    options = list(known)
    unknown = [c for c in codes if c not in options]
    return [f"{path}: options {unknown} are not among {options}"] if unknown else []


def _scales(config: DashboardConfig, questionnaire: Questionnaire) -> list[str]:
    errors = []
    for key, view in config.scales.items():
        if key not in questionnaire.scales:
            errors += _missing(f"scales.{key}", "scale", key, questionnaire.scales)
        else:
            errors += _codes(f"scales.{key}.share", view.codes, (o.code for o in questionnaire.scales[key]))
    return errors


def _sections(config: DashboardConfig, questionnaire: Questionnaire) -> list[str]:
    keys = [s.key for s in questionnaire.sections]
    named = [(f"questions.skip_sections[{i}]", k) for i, k in enumerate(config.skip_sections)]
    named += [(f"comparison.sections[{i}]", k) for i, k in enumerate(config.compared_sections)]
    return [e for path, key in named for e in _missing(path, "section", key, keys)]


def _blocks(config: DashboardConfig, questionnaire: Questionnaire) -> list[str]:
    """A block is a matrix, or a run of items named by its first item."""
    matrices = [e.key for s in questionnaire.sections for e in s.elements if isinstance(e, Matrix)]
    known = [*matrices, *questionnaire.items]
    return [e for key in config.titles for e in _missing(f"questions.titles.{key}", "block", key, known)]


def _pupil_groups(config: DashboardConfig, questionnaire: Questionnaire) -> list[str]:
    groups = config.pupil_groups
    if groups is None:
        return []
    errors = _side("pupil_groups.work", groups.work, questionnaire)
    errors += _side("pupil_groups.need", groups.need, questionnaire)
    work = questionnaire.section(groups.work.section)
    if work is not None and not any(f"{groups.need.prefix}{i.key.removeprefix(groups.work.prefix)}"
                                    in questionnaire.items for i in work.items):
        errors.append(f"pupil_groups.need.prefix: no {groups.need.prefix}<group> item for any "
                      f"{groups.work.prefix}<group> item")
    return errors


def _side(path: str, side: GroupItems, questionnaire: Questionnaire) -> list[str]:
    section = questionnaire.section(side.section)
    if section is None:
        return _missing(f"{path}.section", "section", side.section, ())
    errors = [f"{path}.prefix: {item.key!r} does not start with {side.prefix!r}"
              for item in section.items if not item.key.startswith(side.prefix)]
    for item in section.items:
        errors += _codes(f"{path}.share ({item.key})", side.codes, item.codes)
    return errors


def _items(config: DashboardConfig, questionnaire: Questionnaire) -> list[str]:
    errors = []
    if config.wishes is not None:
        errors += _missing("areas.wishes", "item", config.wishes, questionnaire.items)
    for i, indicator in enumerate(config.trend):
        item = questionnaire.items.get(indicator.item)
        if item is None:
            errors += _missing(f"trend[{i}].item", "item", indicator.item, ())
        else:
            errors += _codes(f"trend[{i}]", indicator.codes, item.codes)
    multi = [i for i in questionnaire.items.values()
             if i.type == "multi" and i.section in config.compared_sections]
    for item in multi:
        errors += _codes(f"comparison.multi_codes ({item.key})", config.compared_multi_codes, item.codes)
    return errors


def _groupings(config: DashboardConfig, questionnaire: Questionnaire) -> list[str]:
    errors = []
    named = [("pupil_groups.by", config.pupil_groups.by)] if config.pupil_groups else []
    named += [(f"group_labels.{k}", k) for k in config.group_labels]
    for path, grouping in named:
        groups = _group_codes(questionnaire, grouping)
        if groups is None:
            errors.append(f"{path}: no breakdown {grouping!r} in the questionnaire")
        elif grouping in config.group_labels:
            errors += _codes(path, config.group_labels[grouping], groups)
    return errors


def _perception_gap(config: DashboardConfig, questionnaire: Questionnaire) -> list[str]:
    """The mirrored staff items must exist and have the share's options; the breakdown must exist."""
    gap = config.perception_gap
    if gap is None:
        return []
    errors = []
    if _group_codes(questionnaire, gap.by) is None:
        errors.append(f"perception_gap.by: no breakdown {gap.by!r} in the questionnaire")
    for i, pair in enumerate(gap.pairs):
        item = questionnaire.items.get(pair.staff)
        if item is None:
            errors += _missing(f"perception_gap.pairs[{i}].staff", "item", pair.staff, ())
        else:
            errors += _codes(f"perception_gap.pairs[{i}].staff ({pair.staff})", gap.codes, item.codes)
    if gap.national_staff is not None:
        item = questionnaire.items.get(gap.national_staff.item)
        if item is None:
            errors += _missing("perception_gap.national_staff.item", "item", gap.national_staff.item, ())
        else:
            errors += _codes("perception_gap.national_staff", gap.national_staff.codes, item.codes)
    return errors


def _group_codes(questionnaire: Questionnaire, grouping: str) -> tuple[str, ...] | None:
    if grouping in questionnaire.derived:
        return tuple(questionnaire.derived[grouping].labels)
    if grouping in questionnaire.items:
        return questionnaire.items[grouping].codes
    return None
