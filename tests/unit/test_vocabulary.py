"""The shared vocabulary: one file that survey versions and courses both refer to."""
from pathlib import Path

import pytest

from webapp.config import PROJECT_ROOT
from webapp.domain.questionnaire import content_hash, parse_definition
from webapp.domain.vocabulary import VocabularyError, compose_areas
from webapp.services import surveys, vocabulary

SURVEYS = PROJECT_ROOT / "surveys"
V1 = SURVEYS / "kompetanse-og-anerkjennelse" / "v1.yaml"


def test_v1_takes_its_areas_from_the_vocabulary_and_keeps_its_published_hash():
    data = surveys.read_file(V1).data
    # The hash v1 was published with before its areas moved to the vocabulary file.
    assert content_hash(data) == "cc7c9c44e4c38334ed6caed7e500ce750e6baee3dcab3b5af74991fef1767307"
    questionnaire = parse_definition(data)
    words = vocabulary.load(SURVEYS)
    assert tuple(a.code for a in questionnaire.areas) == words.area_codes
    assert dict(questionnaire.areas[1].fed_by) == {"behov_utagerende": None}
    assert questionnaire.areas[-1].fed_by == (("onsket_format", "fagbrev"),)


def test_the_vocabulary_names_the_questionnaires_yrkesgrupper_and_formats():
    words = vocabulary.load(SURVEYS)
    questionnaire = parse_definition(surveys.read_file(V1).data)
    assert set(questionnaire.derived["yrkesgruppe"].labels) == set(words.yrkesgruppe_codes)
    wishes = set(questionnaire.items["onsket_format"].codes)
    assert {f.wish for f in words.formats} <= wishes
    assert words.format_codes == ("kurs", "nettkurs", "studiepoeng", "fagbrev", "veiledning", "nettverk")


def test_an_area_the_vocabulary_does_not_know_is_named():
    words = vocabulary.load(SURVEYS)
    with pytest.raises(VocabularyError, match="'telepati'"):
        compose_areas({"vocabulary": "competence-areas", "fed_by": {"telepati": []}}, words)


def test_a_missing_vocabulary_is_a_definition_error(tmp_path: Path):
    folder = tmp_path / "kompetanse-og-anerkjennelse"
    folder.mkdir()
    (folder / "v1.yaml").write_text(V1.read_text(encoding="utf-8"), encoding="utf-8")
    result = surveys.read_file(folder / "v1.yaml")
    assert result.errors and "no such vocabulary" in result.errors[0]
