"""Finding one's way through the questionnaire: asking before a link is used up, progress, «Endre»."""
import random
import re

from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.integration.test_answering import answer_all, confirm_end, location, post_page
from webapp.domain.simulate import simulate_answers
from webapp.models import Invitation, ScreenOutCount

ARBEID = ("saerskilte_behov", "utagerende", "psykiske_vansker", "vanskelig_hjemme", "mobbing_utsatt",
          "fravaer", "nyankomne")


def progress(html: str) -> tuple[int, int]:
    """Return the progress bar's (value, max) on a page."""
    match = re.search(r'<progress max="(\d+)" value="(\d+)"', html)
    assert match, "page has no progress bar"
    return int(match.group(2)), int(match.group(1))


def few_needs(questionnaire, seed: int = 5) -> dict:
    """Answers that work with no pupil group «i noen grad» or more, so the needs page is not asked."""
    answers = simulate_answers(questionnaire, random.Random(seed))
    answers.update({f"arbeid_{g}": "2" for g in ARBEID})
    return {k: v for k, v in answers.items() if not k.startswith("behov_")}


def test_declining_consent_asks_first_and_going_back_keeps_the_link(client, invite, db_session):
    token = invite("S1")[0]

    # When they answer «Nei» to consent
    response = post_page(client, token, "samtykke", {"b_samtykke": "nei"})

    # Then they are asked before anything ends, with their answer shown and a way back to it
    assert response.status_code == 302 and location(response).endswith("/avslutt")
    page = client.get(f"/s/{token}/avslutt").get_data(as_text=True)
    assert "Vil du avslutte undersøkelsen?" in page and "Nei" in page
    assert f'href="/s/{token}/side/samtykke#q-b_samtykke"' in page
    assert db_session.scalars(select(Invitation)).one().state == "open"

    # When they go back, their answer is still chosen; they change it and go on
    back = client.get(f"/s/{token}/side/samtykke").get_data(as_text=True)
    assert 'value="nei" checked' in back
    assert location(post_page(client, token, "samtykke", {"b_samtykke": "ja"})).endswith("/side/bakgrunn")

    # Then the link is still usable, nothing was counted as declined, and the question is not asked again
    assert db_session.scalars(select(Invitation)).one().state == "open"
    assert db_session.scalar(select(func.count()).select_from(ScreenOutCount)) == 0
    assert location(client.get(f"/s/{token}/avslutt")).endswith("/side/bakgrunn")
    assert client.get(f"/s/{token}").status_code == 302


def test_a_role_outside_the_survey_ends_it_only_when_confirmed(client, invite, db_session):
    token = invite("S1")[0]
    post_page(client, token, "samtykke", {"b_samtykke": "ja"})
    response = post_page(client, token, "bakgrunn", {"b_elevrettet": "drift"})
    assert location(response).endswith("/avslutt")
    page = client.get(f"/s/{token}/avslutt").get_data(as_text=True)
    assert "arbeider med elever" in page and "Nei, med drift og vedlikehold" in page
    assert f'href="/s/{token}/side/bakgrunn#q-b_elevrettet"' in page

    # Given a reload of the link in between: it still waits for the answer, on the same question
    assert location(client.get(f"/s/{token}")).endswith("/side/bakgrunn")
    assert db_session.scalars(select(Invitation)).one().state == "open"

    # When they confirm, the survey ends and the link is used
    assert location(confirm_end(client, token)).endswith("/slutt")
    db_session.expire_all()
    assert db_session.scalars(select(Invitation)).one().state == "out_of_scope"
    assert db_session.scalars(select(ScreenOutCount)).one().reason == "out_of_scope"
    assert client.get(f"/s/{token}").status_code == 410


def test_confirming_an_end_needs_an_answer_that_ends(client, invite, db_session):
    token = invite("S1")[0]
    post_page(client, token, "samtykke", {"b_samtykke": "ja"})
    page = client.get(f"/s/{token}/side/bakgrunn").get_data(as_text=True)
    response = client.post(f"/s/{token}/avslutt", data={"csrf_token": csrf_token(page)})
    assert location(response).endswith("/side/bakgrunn")
    assert db_session.scalars(select(Invitation)).one().state == "open"


def test_progress_never_moves_backwards_when_skip_logic_adds_a_page(client, invite, questionnaire):
    token = invite("S1")[0]
    answers = simulate_answers(questionnaire, random.Random(7))
    answers.update({f"arbeid_{g}": "2" for g in ARBEID})
    answers["arbeid_nyankomne"] = "4"  # the needs page is added once this page is sent
    answers["behov_nyankomne"] = "3"

    # When they walk through every page, reading the progress on each
    seen = []
    key = "samtykke"
    while key != "oppsummering":
        page = client.get(f"/s/{token}/side/{key}").get_data(as_text=True)
        seen.append((key, progress(page), re.search(r'class="progress-text">([^<]+)<', page).group(1)))
        section = questionnaire.section(key)
        response = post_page(client, token, key,
                             {i.key: answers[i.key] for i in section.items if i.key in answers})
        key = location(response).rsplit("/", 1)[-1]

    # Then the needs page was asked, the bar's total never changed and every page is further on
    assert "elevgrupper_behov" in [k for k, _, _ in seen]
    assert {total for _, (_, total), _ in seen} == {100}
    values = [value for _, (value, _), _ in seen]
    assert values == sorted(set(values)), seen
    assert seen[0][2] == "0 % ferdig" and values[-1] > 80


def test_progress_of_a_page_is_the_same_whether_or_not_a_page_is_skipped(client, invite, questionnaire):
    with_needs, without_needs = invite("S1", 2)
    answers = few_needs(questionnaire)
    answer_all(client, without_needs, answers, questionnaire)
    answers.update({"arbeid_fravaer": "5", "behov_fravaer": "4"})
    answer_all(client, with_needs, answers, questionnaire)
    for key in ("tema", "onsker"):
        assert progress(client.get(f"/s/{with_needs}/side/{key}").get_data(as_text=True)) == \
            progress(client.get(f"/s/{without_needs}/side/{key}").get_data(as_text=True))


def change_from_summary(client, token, key, answers):
    """Follow «Endre» for page `key` on the summary and send the page with `answers`."""
    summary = client.get(f"/s/{token}/oppsummering").get_data(as_text=True)
    href = re.search(rf'href="(/s/{re.escape(token)}/side/{key}\?[^"]+)"', summary).group(1)
    page = client.get(href.replace("&amp;", "&"))
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(page.get_data(as_text=True)), "nav": "next", **answers}
    return client.post(href.replace("&amp;", "&"), data=data)


def test_change_from_the_summary_comes_back_to_the_summary(client, invite, db_session, questionnaire):
    token = invite("S1")[0]
    answers = few_needs(questionnaire)
    answer_all(client, token, answers, questionnaire)

    # When they change their background from the summary
    section = questionnaire.section("bakgrunn")
    changed = {i.key: answers[i.key] for i in section.items if i.key in answers}
    changed["b_tillitsvalgt"] = "ja" if answers.get("b_tillitsvalgt") != "ja" else "nei"
    response = change_from_summary(client, token, "bakgrunn", changed)

    # Then the next page is the summary, showing the change
    assert response.status_code == 302 and location(response).endswith("/oppsummering")
    summary = client.get(location(response)).get_data(as_text=True)
    assert "Se over svarene dine" in summary


def test_change_from_the_summary_asks_a_page_it_adds_first(client, invite, questionnaire):
    token = invite("S1")[0]
    answers = few_needs(questionnaire)
    answer_all(client, token, answers, questionnaire)

    # When a change from the summary makes the needs page apply
    section = questionnaire.section("elevgrupper_arbeid")
    changed = {i.key: answers[i.key] for i in section.items if i.key in answers}
    changed["arbeid_fravaer"] = "5"
    response = change_from_summary(client, token, "elevgrupper_arbeid", changed)

    # Then that page is asked, and after it the summary comes next again
    assert re.search(r"/side/elevgrupper_behov\?til=oppsummering$", location(response)), location(response)
    needs = client.get(location(response))
    assert 'name="behov_fravaer"' in needs.get_data(as_text=True)
    after = client.post(location(response), data={"csrf_token": csrf_token(needs.get_data(as_text=True)),
                                                  "nav": "next", "behov_fravaer": "4"})
    assert after.status_code == 302 and location(after).endswith("/oppsummering")


def test_change_link_in_the_middle_of_the_walk_does_not_skip_pages(client, invite):
    token = invite("S1")[0]
    post_page(client, token, "samtykke", {"b_samtykke": "ja"})
    page = client.get(f"/s/{token}/side/samtykke?til=oppsummering")
    response = client.post(f"/s/{token}/side/samtykke?til=oppsummering", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "nav": "next", "b_samtykke": "ja"})
    assert location(response).endswith("/side/bakgrunn?til=oppsummering") or \
        location(response).endswith("/side/bakgrunn")
    assert location(client.get(f"/s/{token}/oppsummering")).endswith("/side/bakgrunn")
