"""Aggregates: a rebuild counts every answer; per-school refreshes in any order equal a rebuild."""
from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from webapp.domain.simulate import simulate_answers
from webapp.extensions import db
from webapp.models import Aggregate, Response, Round, School
from webapp.services import aggregates, answering, publication
from webapp.services.rounds import get_round


def store_many(app, invite, per_school: dict[str, int], seed: int = 1, **fixed) -> None:
    rng = random.Random(seed)
    for code, count in per_school.items():
        for token in invite(code, count):
            with app.app_context():
                link = answering.open_link(db.session, token)
                answers = {**simulate_answers(link.questionnaire, rng), **fixed}
                answering.store_response(db.session, link.questionnaire, link.round.id,
                                         link.invitation.school_id, answers)
                db.session.commit()


def refresh_as_the_worker_does(found, school_id: int, at=None) -> None:
    """aggregate_school, then publish_round when it asks for one (each commits, as the actors do)."""
    due = aggregates.refresh_school(db.session, found, school_id, at=at)
    db.session.commit()
    if due:
        publication.publish(db.session, found, at=at)
        db.session.commit()


def snapshot(kind: str = "live") -> dict:
    """Every non-empty aggregate row (a unit without rows and one with only zeros mean the same)."""
    rows = db.session.scalars(
        select(Aggregate).where(Aggregate.kind == kind, Aggregate.respondents > 0)).all()
    return {(r.level, r.unit_id, r.grouping): (r.respondents, r.group_respondents, r.counts) for r in rows}


def test_rebuild_counts_every_answer_at_every_level(app, open_round, invite):
    store_many(app, invite, {"S1": 4, "S2": 3, "S3": 2})
    with app.app_context():
        found = get_round(db.session, open_round)
        result = aggregates.rebuild(db.session, found)
        db.session.commit()
        assert result.responses == 9
        live = snapshot()
        schools = {s.code: s.id for s in db.session.scalars(select(School))}
        assert live[("school", schools["S1"], "all")][0] == 4
        assert live[("round", 0, "all")][0] == 9
        kommune_rows = [v for k, v in live.items() if k[0] == "kommune" and k[2] == "all"]
        assert sorted(v[0] for v in kommune_rows) == [2, 7]
        yrke = live[("round", 0, "yrkesgruppe")]
        roles = [r.yrkesgruppe for r in db.session.scalars(select(Response))]
        assert sum(yrke[1]) == sum(1 for r in roles if r is not None)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(arrivals=st.lists(st.sampled_from(["S1", "S2", "S3"]), min_size=1, max_size=8), chance=st.randoms())
def test_refreshes_in_any_order_with_duplicates_equal_a_rebuild(app, open_round, invite, arrivals, chance):
    """Responses arrive one by one; each one's refresh message comes later, maybe out of order, maybe
    twice."""
    with app.app_context():  # hypothesis runs many examples in one test: start each from no responses
        db.session.execute(Aggregate.__table__.delete())
        db.session.execute(Response.__table__.delete())
        db.session.commit()
        found = get_round(db.session, open_round)
        ids = {s.code: s.id for s in db.session.scalars(select(School))}
    pending: list[str] = []
    for n, code in enumerate(arrivals):
        # Given a response stored at a school, whose message joins the queue …
        store_many(app, invite, {code: 1}, seed=n)
        pending.append(code)
        # … When the worker takes some messages in a random order, some of them twice
        with app.app_context():
            found = db.session.merge(found)
            for _ in range(chance.randint(0, len(pending))):
                message = pending.pop(chance.randrange(len(pending)))
                aggregates.refresh_school(db.session, found, ids[message])
                if chance.random() < 0.3:
                    aggregates.refresh_school(db.session, found, ids[message])
            db.session.commit()
    with app.app_context():
        found = db.session.merge(found)
        for message in chance.sample(pending, len(pending)):
            aggregates.refresh_school(db.session, found, ids[message])
        db.session.commit()
        incremental = snapshot()
        # Then a rebuild from scratch gives identical figures at every level
        aggregates.rebuild(db.session, found)
        db.session.commit()
        assert snapshot() == incremental
        assert incremental[("round", 0, "all")][0] == len(arrivals)


def test_export_shows_released_blocks_then_the_final_figures(app, open_round, invite, settings, monkeypatch):
    import json

    from click.testing import CliRunner

    from webapp.cli import cli

    # Given 6 school assistants and 3 child and youth workers at S1, 3 answers at S2 (same kommune)
    store_many(app, invite, {"S1": 6}, seed=4, b_rolle="skoleassistent")
    store_many(app, invite, {"S1": 3, "S2": 3}, seed=5, b_rolle="bua")
    with app.app_context():
        aggregates.rebuild(db.session, get_round(db.session, open_round))
        db.session.commit()
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SECRET_KEY", settings.secret_key)
    runner = CliRunner()

    def export(*args):
        result = runner.invoke(cli, ["export-aggregates", "--round", open_round, *args],
                               catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    # Then while the round is open only the assistants' block is out: S1 and Fjordvik show 6, S2 nothing
    small = json.loads(export("--school", "S2"))
    assert small["respondents"]["all"] is None and not small["final"]
    assert all(entry == {"item": entry["item"], "group": "all", "suppressed": True}
               for entry in small["items"])
    assert json.loads(export("--school", "S1"))["respondents"]["all"] == 6
    assert json.loads(export("--kommune", "Fjordvik"))["respondents"]["all"] == 6
    by_group = json.loads(export("--school", "S1", "--by", "yrkesgruppe"))
    assert by_group["respondents"]["assistent"] == 6 and by_group["respondents"]["bua"] is None

    # When the round closes
    runner.invoke(cli, ["round", "close", open_round], catch_exceptions=False)
    # Then the 3 + 3 child and youth workers left at the two schools are a block in Fjordvik: the
    # kommune shows all 12 and its 6 barne- og ungdomsarbeidere, while the schools cannot show theirs
    kommune = json.loads(export("--kommune", "Fjordvik"))
    assert kommune["final"] and kommune["respondents"]["all"] == 12
    assert json.loads(export("--kommune", "Fjordvik", "--by", "yrkesgruppe"))["respondents"]["bua"] == 6
    utnytte = next(e for e in kommune["items"] if e["item"] == "utnytte")
    assert abs(sum(utnytte["percent"].values()) - 100) < 0.6
    assert sum(utnytte["counts"].values()) == utnytte["n"]
    assert json.loads(export("--school", "S1"))["respondents"]["all"] == 6
    assert json.loads(export("--school", "S2"))["respondents"]["all"] is None
    # and a CSV line per option, none with numbers for a suppressed group
    lines = export("--kommune", "Fjordvik", "--by", "yrkesgruppe", "--format", "csv").splitlines()
    assert lines[0] == "round,level,unit,by,item,group,n,option,count,percent,suppressed"
    assert all(line.endswith(",,,,,true") for line in lines if line.endswith("true"))


def test_one_new_answer_never_moves_a_figure(app, open_round, invite):
    from datetime import timedelta

    from webapp.services.results import unit_figures
    from webapp.services.rounds import now

    store_many(app, invite, {"S1": 8}, seed=2, b_rolle="skoleassistent")
    with app.app_context():
        found = get_round(db.session, open_round)
        school = db.session.scalar(select(School).filter_by(code="S1"))
        aggregates.rebuild(db.session, found)
        db.session.commit()

        def shown() -> int | None:
            return unit_figures(db.session, found, "school", school.id, school.name).respondents["all"]
        assert shown() == 8

    # When one more person answers and the worker refreshes the school, Then the page still shows 8
    store_many(app, invite, {"S1": 1}, seed=3, b_rolle="miljoarbeider")
    with app.app_context():
        found = get_round(db.session, open_round)
        refresh_as_the_worker_does(found, school.id)
        assert shown() == 8
    # … and only when 5 in the same group have come in since does it move (to 13)
    store_many(app, invite, {"S1": 4}, seed=4, b_rolle="skoleassistent")
    with app.app_context():
        found = get_round(db.session, open_round)
        refresh_as_the_worker_does(found, school.id)
        assert shown() == 13
    # … and a day passing changes nothing
    store_many(app, invite, {"S1": 1}, seed=5, b_rolle="skoleassistent")
    with app.app_context():
        found = get_round(db.session, open_round)
        refresh_as_the_worker_does(found, school.id, at=now() + timedelta(days=1, minutes=1))
        db.session.commit()
        assert shown() == 13


def test_reconciliation_finds_and_repairs_figures_that_missed_an_update(app, open_round, invite, caplog):
    import logging

    from workers import actors

    store_many(app, invite, {"S1": 6, "S2": 5}, seed=7)
    with app.app_context():
        found = get_round(db.session, open_round)
        aggregates.rebuild(db.session, found)
        db.session.commit()
    # Given a response whose message was lost (stored, but never refreshed) …
    store_many(app, invite, {"S2": 1}, seed=8)
    with app.app_context(), caplog.at_level(logging.INFO, logger="webapp.services.aggregates"):
        # … When the scheduled reconciliation runs (the actor, called as the worker does)
        actors.reconcile_round.fn(get_round(db.session, open_round).id)
        # Then it logs the difference and the live figures count the response
        assert "aggregate rows differed from a rebuild" in caplog.text
        assert snapshot()[("round", 0, "all")][0] == 12
        caplog.clear()
        aggregates.reconcile(db.session, get_round(db.session, open_round))
        assert "incremental figures equal a rebuild" in caplog.text


def test_the_round_lock_is_taken_before_anything_is_read(app, open_round):
    """Two publications (worker threads) must not both find a unit due from the same old figures: the
    round's lock is held from the start of the transaction, so another writer waits for it."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    with app.app_context():
        found = get_round(db.session, open_round)
        publication.lock_round(db.session, found)
        other = db.engine.connect()  # another connection, as another worker thread has
        try:
            if db.engine.dialect.name == "postgresql":
                held = other.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                          "AND granted AND pid <> pg_backend_pid()")).scalar()
                assert held == 1
            else:
                other.exec_driver_sql("PRAGMA busy_timeout = 200")
                try:
                    other.execute(text("UPDATE round SET status = status WHERE id = :id"), {"id": found.id})
                    blocked = False
                except OperationalError as error:
                    blocked = "locked" in str(error)
                assert blocked
        finally:
            other.rollback()
            other.close()
            db.session.rollback()


def test_a_closed_round_without_published_figures_gets_them_from_the_workers(app, open_round, invite):
    """After an upgrade that deleted figures made under an earlier rule, the scheduled reconciliation
    publishes a closed round's final figures again."""
    from webapp.services import rounds
    from workers import actors
    from workers.scheduler import enqueue_reconciliations

    store_many(app, invite, {"S1": 7}, seed=6)
    with app.app_context():
        found = get_round(db.session, open_round)
        rounds.set_status(db.session, open_round, "closed")
        aggregates.rebuild(db.session, found)
        db.session.commit()
        published = snapshot("published")
        assert published[("round", 0, "all")][0] == 7
        # as the upgrade to final_published_at did: figures gone, the final publication not made
        db.session.execute(Aggregate.__table__.delete().where(Aggregate.kind == "published"))
        found.final_published_at = None
        db.session.commit()
        round_id = found.id
    # When the scheduler runs, Then it asks for the closed round too, and the actor publishes it again
    assert enqueue_reconciliations(app) == 1
    with app.app_context():
        actors.reconcile_round.fn(round_id)
        assert snapshot("published") == published
    # and once it has, the closed round is left alone
    assert enqueue_reconciliations(app) == 0


def test_a_close_whose_publish_message_was_lost_is_published_by_the_scheduler(app, open_round, invite):
    """The round is closed, but its publish_round message never ran (the broker lost it): the figures
    still shown are the open round's blocks, and the scheduled reconciliation publishes the final ones."""
    from webapp.services import rounds
    from workers import actors
    from workers.scheduler import enqueue_reconciliations

    store_many(app, invite, {"S1": 5}, seed=6, b_rolle="skoleassistent")
    with app.app_context():
        aggregates.rebuild(db.session, get_round(db.session, open_round))
        db.session.commit()
    store_many(app, invite, {"S1": 2, "S2": 3}, seed=7, b_rolle="skoleassistent")
    with app.app_context():
        found = get_round(db.session, open_round)
        aggregates.rebuild(db.session, found)
        db.session.commit()
        assert snapshot("published")[("round", 0, "all")][0] == 5  # one block of 5 at S1 while open
        rounds.set_status(db.session, open_round, "closed")
        db.session.commit()
        round_id = found.id
    assert enqueue_reconciliations(app) == 1
    with app.app_context():
        actors.reconcile_round.fn(round_id)
        assert db.session.get(Round, round_id).final_published_at is not None
        # the 2 left at S1 and the 3 at S2 go out as one block of their kommune
        assert snapshot("published")[("round", 0, "all")][0] == 10
    assert enqueue_reconciliations(app) == 0
