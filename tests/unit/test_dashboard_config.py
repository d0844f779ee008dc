"""The dashboard file: questionnaire knowledge the panels read, held against the questionnaire it shows."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from webapp.config import PROJECT_ROOT
from webapp.domain.dashboard_check import check_against
from webapp.domain.dashboard_config import DashboardConfig, DashboardConfigError, parse_dashboard_config
from webapp.domain.questionnaire import parse_definition
from webapp.services import dashboard_config, surveys
from webapp.services.panels import agreement, common

SURVEYS = PROJECT_ROOT / "surveys"
SLUG = "kompetanse-og-anerkjennelse"


def test_every_key_the_dashboard_file_names_exists_in_every_version_of_its_questionnaire(questionnaire):
    config = dashboard_config.load(SURVEYS, SLUG)
    versions = [p for p in surveys.definition_files(SURVEYS) if p.parent.name == SLUG]
    assert versions
    for path in versions:
        assert check_against(config, parse_definition(surveys.read_file(path).data)) == [], path
    # and what it names says what the dashboards showed before the file: the v1 contract's shares
    assert config.scale("grad5").codes == ("4", "5") and config.scale("enig4").codes == ("3", "4")
    assert config.pupil_groups is not None and config.pupil_groups.by == "yrkesgruppe"


def test_the_title_and_label_keys_of_the_file_are_texts_of_the_code():
    config = dashboard_config.load(SURVEYS, SLUG)
    assert set(config.titles.values()) <= set(agreement.titles())
    named = {key for labels in config.group_labels.values() for key in labels.values()}
    assert named <= set(common.written_out_labels())


def test_a_key_the_questionnaire_lacks_is_named_with_its_path(questionnaire):
    data = yaml.safe_load((SURVEYS / SLUG / "dashboard.yaml").read_text(encoding="utf-8"))
    data["trend"].append({"item": "telepati", "share": "high"})
    data["comparison"]["sections"].append("astrologi")
    data["scales"]["enig4"] = {"panel": "agreement", "share": "some_or_more"}
    data["pupil_groups"]["need"]["prefix"] = "trenger_"
    errors = check_against(parse_dashboard_config(data), questionnaire)
    assert "trend[5].item: no item 'telepati' in the questionnaire" in errors
    assert "comparison.sections[4]: no section 'astrologi' in the questionnaire" in errors
    assert any(e.startswith("scales.enig4.share: options ['5']") for e in errors)
    assert any(e.startswith("pupil_groups.need.prefix: 'behov_saerskilte_behov'") for e in errors)


def test_the_parser_reports_every_problem_with_its_path():
    with pytest.raises(DashboardConfigError) as caught:
        parse_dashboard_config({"format": 2, "shares": {"high": ["4", "5"]},
                                "scales": {"grad5": {"panel": "pie"}, "enig4": {"panel": "share",
                                                                                "share": "most"}},
                                "trend": [{"item": "utnytte"}]})
    assert caught.value.errors == [
        "format: must be 1, got 2",
        "scales.grad5.panel: must be one of share, agreement, stacked",
        "scales.enig4.share: unknown share 'most'; the shares are high",
        "trend[0]: needs an item and either a share or codes",
    ]


def test_a_wrong_file_is_named_and_a_missing_one_gives_the_plain_dashboard(tmp_path: Path):
    assert dashboard_config.load(tmp_path, "uten-fil") == DashboardConfig()
    (tmp_path / "feil").mkdir()
    (tmp_path / "feil" / "dashboard.yaml").write_text("format: 1\nshares: [4, 5]\n", encoding="utf-8")
    with pytest.raises(DashboardConfigError, match=r"feil/dashboard.yaml: shares: must be a mapping"):
        dashboard_config.load(tmp_path, "feil")


def test_the_perception_gap_pairs_each_leader_statement_with_the_staff_item_it_mirrors():
    gap = dashboard_config.load(SURVEYS, SLUG).perception_gap
    assert gap is not None and gap.by == "yrkesgruppe" and gap.codes == ("4", "5")
    assert gap.national_staff is not None and gap.national_staff.codes == ("3", "4", "5")
    assert [(p.leader, p.staff) for p in gap.pairs] == [
        ("leder_plan", "plan_kompetanse"), ("leder_roller", "roller_avklart"),
        ("leder_felles", "felles_kompetanseheving")]


def test_a_wrong_perception_gap_is_named_with_its_path(questionnaire):
    data = yaml.safe_load((SURVEYS / SLUG / "dashboard.yaml").read_text(encoding="utf-8"))
    data["perception_gap"]["pairs"].append({"leader": "leder_lonn", "staff": "lonn"})
    data["perception_gap"]["pairs"].append({"leader": "leder_plan", "staff": "plan_kompetanse"})
    with pytest.raises(DashboardConfigError) as caught:
        parse_dashboard_config(data)
    assert caught.value.errors == [
        "perception_gap.pairs[3].leader: must be one of leder_plan, leder_roller, leder_felles, "
        "got 'leder_lonn'",
        "perception_gap.pairs[4].leader: 'leder_plan' is paired twice"]
    data["perception_gap"]["pairs"] = [{"leader": "leder_plan", "staff": "telepati"},
                                       {"leader": "leder_felles", "staff": "samsvar_innhold"}]
    data["perception_gap"]["by"] = "stjernetegn"
    errors = check_against(parse_dashboard_config(data), questionnaire)
    assert "perception_gap.by: no breakdown 'stjernetegn' in the questionnaire" in errors
    assert "perception_gap.pairs[0].staff: no item 'telepati' in the questionnaire" in errors
    assert any(e.startswith("perception_gap.pairs[1].staff (samsvar_innhold): options ['4', '5']")
               for e in errors)
