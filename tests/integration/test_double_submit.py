"""The same Send twice is thanked twice and stored once; another device's Send on a used link is told so."""
from __future__ import annotations

import random
import re

from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.integration.test_answering import answer_all, location
from webapp.domain.simulate import simulate_answers
from webapp.models import Invitation, PooledResponse


def send_form(client, token: str) -> dict[str, str]:  # noqa: ANN001
    """Open the summary and return what its Send button posts."""
    page = client.get(f"/s/{token}/oppsummering")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    send_id = re.search(r'name="send_id" value="([^"]*)"', html).group(1)
    return {"csrf_token": csrf_token(html), "send_id": send_id}


def pooled(app) -> int:  # noqa: ANN001
    """Count the pooled responses in an app context of its own: requests made while one is pushed share
    its `g`, where Flask-WTF keeps the CSRF token, so two clients would get the same one."""
    from webapp.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PooledResponse))


def test_the_same_send_twice_is_thanked_twice_and_stored_once(app, client, invite, questionnaire):
    token = invite("S1")[0]
    answer_all(client, token, simulate_answers(questionnaire, random.Random(2)), questionnaire)
    # Given a second device that opened the summary too, before anything was sent
    other = app.test_client()
    other_form = send_form(other, token)
    form = send_form(client, token)
    assert form["send_id"] != other_form["send_id"]

    # When Send is pressed twice (a double tap, or a browser repeating the POST)
    first = client.post(f"/s/{token}/oppsummering", data=form)
    second = client.post(f"/s/{token}/oppsummering", data=form)

    # Then both end at «thanks», and one response waits in the pool
    assert location(first).endswith("/takk") and location(second).endswith("/takk")
    assert "Takk for svarene" in client.get(location(second)).get_data(as_text=True)
    assert pooled(app) == 1
    # And the other device's Send is not told that its answers were stored: they were not
    refused = other.post(f"/s/{token}/oppsummering", data=other_form)
    assert refused.status_code == 410 and "Du har allerede svart" in refused.get_data(as_text=True)
    # A Send without a send id (a summary page from before) is told the same
    plain = client.post(f"/s/{token}/oppsummering", data={"csrf_token": form["csrf_token"]})
    assert plain.status_code == 410
    assert pooled(app) == 1


def test_the_send_hash_is_forgotten_when_the_round_closes(client, invite, db_session, questionnaire):
    from webapp.services.rounds import set_status

    token = invite("S1")[0]
    answer_all(client, token, simulate_answers(questionnaire, random.Random(4)), questionnaire)
    form = send_form(client, token)
    assert location(client.post(f"/s/{token}/oppsummering", data=form)).endswith("/takk")
    invitation = db_session.scalars(select(Invitation)).one()
    assert len(invitation.send_hash) == 64 and form["send_id"] not in invitation.send_hash
    set_status(db_session, "Høst 2026", "closed")
    db_session.commit()
    db_session.refresh(invitation)
    assert invitation.send_hash is None
