"""Skip logic, validation, screening and derived variables on the shipped questionnaire."""
import random

from webapp.domain import answers as domain
from webapp.domain.simulate import simulate_answers


def test_a2_is_asked_only_for_groups_worked_with_at_least_3(questionnaire):
    behov = questionnaire.section("elevgrupper_behov")
    answers = {"arbeid_fravaer": "3", "arbeid_nyankomne": "2"}
    visible = [i.key for i in behov.items if domain.is_visible(i, answers)]
    assert visible == ["behov_fravaer"]
    assert behov not in domain.visible_sections(questionnaire, {"arbeid_fravaer": "1"})


def test_stillingsprosent_only_for_part_time_and_between_1_and_100(questionnaire):
    section = questionnaire.section("bakgrunn")
    base = {"b_elevrettet": "ja", "b_heltid": "deltid"}
    _, errors = domain.apply_section(section, {**base, "b_stillingsprosent": 140}, {})
    assert [(e.key, e.code) for e in errors] == [("b_stillingsprosent", "out_of_range")]
    merged, errors = domain.apply_section(section, {**base, "b_heltid": "heltid", "b_stillingsprosent": 140},
                                          {})
    assert errors == [] and "b_stillingsprosent" not in merged


def test_ingen_cannot_be_combined_and_effect_question_follows_activities(questionnaire):
    section = questionnaire.section("utvikling")
    _, errors = domain.apply_section(section, {"utvikling_aktiviteter": ["kurs", "ingen"]}, {})
    assert ([(e.key, e.code, e.params["option"]) for e in errors]
            == [("utvikling_aktiviteter", "exclusive", "ingen")])
    merged, _ = domain.apply_section(section, {"utvikling_aktiviteter": ["ingen"], "utvikling_effekt": "4"},
                                     {})
    assert "utvikling_effekt" not in merged
    merged, _ = domain.apply_section(
        section, {"utvikling_aktiviteter": ["nettkurs", "kurs"], "utvikling_effekt": "4"}, {})
    assert merged["utvikling_aktiviteter"] == ["kurs", "nettkurs"] and merged["utvikling_effekt"] == "4"


def test_at_most_three_wished_areas(questionnaire):
    section = questionnaire.section("onsker")
    _, errors = domain.apply_section(section, {"onsket_omrade": ["atferd", "mobbing", "fravaer", "relasjon"]},
                                     {})
    assert [(e.key, e.code) for e in errors] == [("onsket_omrade", "too_many")]


def test_changing_an_earlier_answer_drops_answers_it_hides(questionnaire):
    answers = {"arbeid_fravaer": "4", "behov_fravaer": "5"}
    assert domain.prune_hidden(questionnaire, {**answers, "arbeid_fravaer": "2"}) == {"arbeid_fravaer": "2"}


def test_screening_answers_end_the_questionnaire(questionnaire):
    assert domain.screen_out_reason(questionnaire, {"b_samtykke": "nei"}) == "refused"
    assert domain.screen_out_reason(questionnaire,
                                    {"b_samtykke": "ja", "b_elevrettet": "drift"}) == "out_of_scope"
    assert domain.screen_out_reason(questionnaire, {"b_samtykke": "ja", "b_elevrettet": "ja"}) is None


def test_consent_is_required(questionnaire):
    _, errors = domain.apply_section(questionnaire.section("samtykke"), {}, {})
    assert [(e.key, e.code) for e in errors] == [("b_samtykke", "required")]


def test_derived_variables_follow_the_spec(questionnaire):
    derived = domain.derive(questionnaire, {"b_rolle": "vernepleier", "b_utdanning": "vgo_studieforb",
                                            "b_trinn": "vgs"})
    assert derived == {"yrkesgruppe": "miljoterapeut_bsv", "ufaglaert": "ja", "skoleslag": "vgs"}
    assert domain.derive(questionnaire, {"b_rolle": "miljoarbeider", "b_trinn": "barnetrinn",
                                         "b_utdanning": "fagbrev"}) == {
        "yrkesgruppe": "assistent", "ufaglaert": "nei", "skoleslag": "grunnskole"}
    assert domain.derive(questionnaire, {})["yrkesgruppe"] is None


def test_strict_validation_rejects_unknown_and_hidden_answers(questionnaire):
    answers = {"b_samtykke": "ja", "b_elevrettet": "ja", "arbeid_fravaer": "1", "behov_fravaer": "3",
               "ukjent": "1", "utnytte": "9"}
    _, errors = domain.validate_response(questionnaire, answers, strict=True)
    assert {(e.key, e.code) for e in errors} == {("ukjent", "unknown_item"), ("behov_fravaer", "hidden"),
                                                ("utnytte", "invalid_option")}


def test_simulated_answers_are_always_valid(questionnaire):
    rng = random.Random(7)
    for _ in range(200):
        answers = simulate_answers(questionnaire, rng)
        cleaned, errors = domain.validate_response(questionnaire, answers, strict=True)
        assert errors == [] and cleaned == answers
