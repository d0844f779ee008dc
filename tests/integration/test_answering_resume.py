"""Leaving the questionnaire anywhere and opening the personal link again, in a new browser (no cookies):
every page, the summary, a screening question's confirmation, a page opened with «Endre»."""
import re

from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.integration.test_answering import location, post_page, submit
from tests.integration.test_answering_navigation import change_from_summary, few_needs
from webapp.extensions import db
from webapp.services.rounds import set_status
from webapp.models import Invitation, PooledResponse


def reopen(app, token):
    """Open the personal link in a new browser (no cookies) and follow its redirects; return the
    browser, the path it ends on and the page."""
    client = app.test_client()
    response = client.get(f"/s/{token}")
    path = f"/s/{token}"
    while response.status_code in (301, 302, 303):
        path = location(response)
        response = client.get(path)
    return client, path, response


def stored(app) -> tuple[list[str], int]:
    """Return the invitations' states and how many responses wait in the pool.

    Read in an app context of its own: the test holds none open, since Flask-WTF keeps a request's CSRF
    token in `g`, which an app context held open by the test would share between two browsers.
    """
    with app.app_context():
        return (sorted(db.session.scalars(select(Invitation.state))),
                db.session.scalar(select(func.count()).select_from(PooledResponse)))


def walk_to_summary(app, token, answers, questionnaire):
    """Answer page after page, leaving after each and coming back with the link; return a browser
    on the summary."""
    visited = []
    key = "samtykke"
    while key != "oppsummering":
        client, path, page = reopen(app, token)
        assert page.status_code == 200 and path == f"/s/{token}/side/{key}", (path, page.status_code)
        section = questionnaire.section(key)
        for item in section.items:  # the answers given before leaving are in the page again
            if item.key in visited and item.type == "choice":
                assert f'value="{answers[item.key]}" checked' in page.get_data(as_text=True)
        response = post_page(client, token, key, {i.key: answers[i.key] for i in section.items
                                                  if i.key in answers})
        assert response.status_code == 302, (key, response.get_data(as_text=True)[-1500:])
        visited.extend(i.key for i in section.items)
        key = location(response).rsplit("/", 1)[-1]
    return client


def test_the_link_brings_back_to_every_page_and_to_the_summary_where_send_works(
        app, invite, questionnaire):
    token = invite("S1")[0]
    answers = few_needs(questionnaire)
    client = walk_to_summary(app, token, answers, questionnaire)

    # When they close the browser on the summary and open their link again
    client, path, summary = reopen(app, token)

    # Then they are on the summary with their answers, and Send stores them
    assert summary.status_code == 200 and path == f"/s/{token}/oppsummering", (path, summary.status_code)
    html = summary.get_data(as_text=True)
    assert "Se over svarene dine" in html and "Send svarene" in html
    assert location(submit(client, token)).endswith("/takk")
    assert stored(app) == (["responded"], 1)


def test_the_link_brings_back_to_the_summary_from_a_page_opened_with_change(
        app, invite, questionnaire):
    token = invite("S1")[0]
    answers = few_needs(questionnaire)
    client = walk_to_summary(app, token, answers, questionnaire)

    # Given a page opened with «Endre» and left without pressing anything
    summary = client.get(f"/s/{token}/oppsummering").get_data(as_text=True)
    href = re.search(rf'href="(/s/{token}/side/bakgrunn\?[^"]+)"', summary).group(1).replace("&amp;", "&")
    assert client.get(href).status_code == 200
    client, path, page = reopen(app, token)
    assert page.status_code == 200 and path.endswith("/oppsummering")

    # Given a change that adds the needs page, left on that page
    section = questionnaire.section("elevgrupper_arbeid")
    changed = {i.key: answers[i.key] for i in section.items if i.key in answers}
    changed["arbeid_fravaer"] = "5"
    response = change_from_summary(client, token, "elevgrupper_arbeid", changed)
    assert "/side/elevgrupper_behov" in location(response)

    # Then the link brings them to the summary, with the change and the question it added, and Send works
    client, path, page = reopen(app, token)
    assert page.status_code == 200 and path.endswith("/oppsummering")
    html = page.get_data(as_text=True)
    assert "Behov for mer kompetanse" in html and "Ikke besvart" in html
    assert location(submit(client, token)).endswith("/takk")
    assert stored(app) == (["responded"], 1)


def test_the_link_brings_back_to_a_screening_confirmation_asked_after_change(
        app, invite, questionnaire):
    keep, end = invite("S1", 2)
    answers = few_needs(questionnaire)
    for token in (keep, end):
        client = walk_to_summary(app, token, answers, questionnaire)
        # When they change their consent to «Nei» from the summary, and leave at the question it asks
        response = change_from_summary(client, token, "samtykke", {"b_samtykke": "nei"})
        assert location(response).endswith("/avslutt")

        # Then the link brings them back to that question, still open
        client, path, page = reopen(app, token)
        assert page.status_code == 200 and path.endswith("/avslutt"), (path, page.status_code)
        assert "Vil du avslutte undersøkelsen?" in page.get_data(as_text=True)

    # And one who changes the answer back comes back to the summary and can send
    client, path, page = reopen(app, keep)
    post_page(client, keep, "samtykke", {"b_samtykke": "ja"})
    client, path, page = reopen(app, keep)
    assert page.status_code == 200 and path.endswith("/oppsummering")
    assert location(submit(client, keep)).endswith("/takk")

    # And one who confirms has ended the survey; the link says so
    client, path, page = reopen(app, end)
    assert location(client.post(path, data={"csrf_token": csrf_token(page.get_data(as_text=True))})) \
        .endswith("/slutt")
    assert reopen(app, end)[2].status_code == 410
    assert stored(app) == (["refused", "responded"], 1)


def test_the_thank_you_page_says_when_and_where_results_are_shown(app, invite, questionnaire, open_round):
    token = invite("S1")[0]
    client = walk_to_summary(app, token, few_needs(questionnaire), questionnaire)
    assert location(submit(client, token)).endswith("/takk")

    # While the round is open: the school's figures once the threshold is reached, the final ones at the close
    page = client.get(f"/s/{token}/takk").get_data(as_text=True)
    assert "Når og hvor resultatene vises" in page
    assert ("vises for skolelederen og de tillitsvalgte på Lagets dashbord når minst 5 personer ved skolen "
            "har svart") in page
    assert "De endelige tallene publiseres når undersøkelsen stenges." in page

    # Once the round is closed: the day it closed, written as elsewhere (dd.mm.yyyy)
    with app.app_context():
        closed = set_status(db.session, open_round, "closed").closed_at
        db.session.commit()
    page = client.get(f"/s/{token}/takk").get_data(as_text=True)
    assert f"Undersøkelsen ble stengt {closed.strftime('%d.%m.%Y')}, og de endelige tallene" in page
    assert re.search(r"\d{4}-\d{2}-\d{2}", page) is None
