"""End to end over HTTP: gunicorn → database + outbox → relay → Redis → dramatiq worker → count."""
from __future__ import annotations

import random

import requests
from sqlalchemy import func, select

from tests.pipeline.phone import reach_summary, send_form
from tests.processes import wait_until
from webapp.domain.simulate import simulate_answers
from webapp.models import Aggregate, OutboxEvent, PooledResponse, Response, School



def answer_over_http(base_url: str, token: str, questionnaire, seed: int, **fixed) -> requests.Response:
    """Answer every page and submit, like a phone would; returns the submit's response."""
    answers = {**simulate_answers(questionnaire, random.Random(seed)), **fixed}
    http = reach_summary(base_url, token, questionnaire, answers)
    return http.post(f"{base_url}/s/{token}/oppsummering", data=send_form(http, base_url, token),
                     allow_redirects=False)


def counted(db_session, code: str) -> int | None:
    """The school's respondents in the live figures the worker keeps."""
    db_session.expire_all()
    school_id = db_session.scalar(select(School.id).filter_by(code=code))
    live = db_session.scalar(select(Aggregate).filter_by(kind="live", level="school", unit_id=school_id,
                                                         grouping="all"))
    db_session.rollback()
    return live.respondents if live else None


def outbox_rows(db_session) -> int:
    db_session.expire_all()
    found = db_session.scalar(select(func.count()).select_from(OutboxEvent))
    db_session.rollback()
    return found


def pooled(db_session) -> int:
    db_session.expire_all()
    found = db_session.scalar(select(func.count()).select_from(PooledResponse))
    db_session.rollback()
    return found


def test_submitted_responses_are_stored_together_and_counted_by_the_worker(web, worker, invite, db_session,
                                                                          questionnaire):
    """The worker's mover stores a school's responses once the threshold (5) of them wait in the pool."""
    tokens = invite("S2", 5)
    for seed, token in enumerate(tokens):
        submitted = answer_over_http(web.base_url, token, questionnaire, seed)
        assert submitted.status_code == 302 and submitted.headers["Location"].endswith("/takk")
    wait_until(lambda: counted(db_session, "S2") == 5, timeout=20, what="the worker to count 5 responses")
    # the events go once the work is done (the publication the school may have asked for too)
    wait_until(lambda: outbox_rows(db_session) == 0, timeout=20, what="the outbox to empty")
    assert pooled(db_session) == 0


def published_respondents(db_session, code: str) -> int | None:
    db_session.expire_all()
    school_id = db_session.scalar(select(School.id).filter_by(code=code))
    row = db_session.scalar(select(Aggregate).filter_by(kind="published", level="school", unit_id=school_id,
                                                        grouping="all"))
    found = row.respondents if row is not None and row.respondents else None
    db_session.rollback()
    return found


def test_the_worker_publishes_a_school_once_the_threshold_is_reached(web, worker, invite, db_session,
                                                                     questionnaire):
    """aggregate_school asks for publish_round when a block of answers is due, and the worker runs it."""
    tokens = invite("S3", 5)
    for seed, token in enumerate(tokens[:4]):
        answer_over_http(web.base_url, token, questionnaire, 10 + seed, b_rolle="miljoarbeider")
    # Four responses wait in the pool: nothing of the school is stored, counted or published yet
    assert pooled(db_session) == 4
    assert counted(db_session, "S3") is None and published_respondents(db_session, "S3") is None
    answer_over_http(web.base_url, tokens[4], questionnaire, 14, b_rolle="miljoarbeider")
    wait_until(lambda: published_respondents(db_session, "S3") == 5, timeout=20,
               what="the worker to release the school's block of 5 answers")


def stored(db_session) -> int:
    db_session.expire_all()
    found = db_session.scalar(select(func.count()).select_from(Response))
    db_session.rollback()
    return found


def test_redis_down_during_submit_loses_nothing(web, worker, redis_server, invite, db_session, questionnaire):
    # Given a running pipeline that has counted a first batch of five responses
    tokens = invite("S1", 10)
    for seed, token in enumerate(tokens[:5]):
        answer_over_http(web.base_url, token, questionnaire, seed)
    wait_until(lambda: counted(db_session, "S1") == 5, timeout=20, what="the first count")

    # When Redis dies and five more people submit
    redis_server.stop()
    for seed, token in enumerate(tokens[5:]):
        submitted = answer_over_http(web.base_url, token, questionnaire, 5 + seed)
        assert submitted.status_code == 302 and submitted.headers["Location"].endswith("/takk")

    # Then the submits succeed, the mover stores the responses and their events wait in the outbox
    wait_until(lambda: stored(db_session) == 10, timeout=20, what="the mover to store the second batch")
    wait_until(lambda: "outbox relay: broker or database unavailable" in worker.output(), timeout=20,
               what="the relay to notice that Redis is down")
    assert outbox_rows(db_session) == 5
    assert counted(db_session, "S1") == 5

    # When Redis comes back on the same port, Then the events go out and the count moves
    redis_server.start()
    wait_until(lambda: counted(db_session, "S1") == 10, timeout=40, what="the count after Redis is back")
    assert worker.alive(), worker.output()[-3000:]
    wait_until(lambda: outbox_rows(db_session) == 0, timeout=20, what="the outbox to empty")


def test_concurrent_submits_of_one_link_store_one_response(web, invite, db_session, questionnaire):
    """A frantic double (or sextuple) tap on «Send» from the same browser: one response, every tap thanked."""
    from concurrent.futures import ThreadPoolExecutor

    token = invite("S3")[0]
    answers = simulate_answers(questionnaire, random.Random(9))
    http = reach_summary(web.base_url, token, questionnaire, answers)
    form = send_form(http, web.base_url, token)

    def send(_n):
        return http.post(f"{web.base_url}/s/{token}/oppsummering", data=form,
                         allow_redirects=False).status_code
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(send, range(6)))

    assert statuses == [302] * 6, statuses
    assert pooled(db_session) == 1
