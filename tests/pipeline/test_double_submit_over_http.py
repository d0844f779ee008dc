"""Sends at the same moment, over HTTP against gunicorn: one response stored, every repeat thanked."""
from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import func, select

from tests.pipeline import phone
from tests.pipeline.phone import send_form
from webapp.domain.simulate import simulate_answers
from webapp.models import Invitation, PooledResponse

LINKS, REPEATS = 4, 8


def reach_summary(base_url: str, token: str, questionnaire, seed: int) -> requests.Session:  # noqa: ANN001
    answers = simulate_answers(questionnaire, random.Random(seed))
    return phone.reach_summary(base_url, token, questionnaire, answers)


def press_send_at_once(base_url: str, token: str, cookies,  # noqa: ANN001
                       form: dict[str, str]) -> list[tuple[int, str]]:
    """POST the same Send from REPEATS threads released together; returns (status, Location) of each."""
    start = threading.Barrier(REPEATS)

    def press(_n: int) -> tuple[int, str]:
        with requests.Session() as http:
            http.cookies.update(cookies)
            start.wait()
            sent = http.post(f"{base_url}/s/{token}/oppsummering", data=form, allow_redirects=False,
                             timeout=60)
            return sent.status_code, sent.headers.get("Location", "")
    with ThreadPoolExecutor(REPEATS) as pool:
        return list(pool.map(press, range(REPEATS)))


def test_concurrent_repeats_of_one_send_are_all_thanked_and_stored_once(web, invite, db_session,
                                                                         questionnaire):
    tokens = invite("S1", LINKS)
    phones = {token: reach_summary(web.base_url, token, questionnaire, n) for n, token in enumerate(tokens)}
    # A second phone of the first person, which opened the summary too but does not send first
    other = reach_summary(web.base_url, tokens[0], questionnaire, 99)
    other_form = send_form(other, web.base_url, tokens[0])

    for token, http in phones.items():
        results = press_send_at_once(web.base_url, token, http.cookies, send_form(http, web.base_url, token))
        assert all(status == 302 and where.endswith("/takk") for status, where in results), results

    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(PooledResponse)) == LINKS
    assert all(i.state == "responded" for i in db_session.scalars(select(Invitation)))
    db_session.rollback()
    late = other.post(f"{web.base_url}/s/{tokens[0]}/oppsummering", data=other_form, allow_redirects=False)
    assert late.status_code == 410 and "Du har allerede svart" in late.text
