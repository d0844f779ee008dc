"""A course budget plan asked for while the broker is down is made once it is back, by a real worker
process on the `planning` queue (real Redis): a dead broker delays a plan but never loses the request."""
from __future__ import annotations

from sqlalchemy import select

from tests.conftest import publish_closed_round
from tests.processes import dramatiq_worker, wait_until
from webapp.config import PROJECT_ROOT
from webapp.models import PlanRun, Round, School
from webapp.services import courses, matching, plan_runs, vocabulary
from webapp.services.planning import PlanRequest

ORG = ("kommune,fylke,school_code,school_name,skoleslag\n"
       "Indre,Vestland,S1,Stor skole,grunnskole\n")


def run_status(db_session, run_id: int) -> str:  # noqa: ANN001
    db_session.expire_all()
    status = db_session.get(PlanRun, run_id).status
    db_session.rollback()
    return status


def test_a_plan_asked_for_while_redis_is_down_is_made_when_it_is_back(app, settings, database_url,
                                                                     redis_server, db_session):
    # Given a closed round with published gaps at a school and the demo catalogue ranked for it
    round_id = publish_closed_round(settings, ORG, "Vår 2027", {"S1": 40}, seed=5)
    courses.import_course_file(db_session, PROJECT_ROOT / "webapp" / "demo" / "courses.csv",
                               vocabulary.load(settings.surveys_dir), example=True)
    matching.recompute(db_session, db_session.get(Round, round_id), courses.active_courses(db_session),
                       settings.surveys_dir)
    db_session.commit()
    school = db_session.scalar(select(School.id).where(School.code == "S1"))
    # When the leader asks for a plan while Redis is down
    redis_server.stop()
    run = plan_runs.request_plan(db_session, PlanRequest(round_id, "school", school, 30_000), None)
    db_session.commit()
    assert run_status(db_session, run.id) == "queued"
    # Then, once Redis is back, a worker that consumes only the planning queue makes the plan
    redis_server.start()
    worker = dramatiq_worker(database_url, redis_server.url, queues=["planning"]).start()
    try:
        wait_until(lambda: run_status(db_session, run.id) not in ("queued", "running"), timeout=60,
                   what="the plan to be made")
        assert worker.alive(), worker.output()[-3000:]
    finally:
        worker.stop()
    made = db_session.get(PlanRun, run.id)
    assert made.status == "done", (made.status, worker.output()[-3000:])
    assert made.result["lines"] and made.result["total_cost_nok"] <= 30_000
    assert made.result["objective"] >= made.result["greedy"]["objective"]
