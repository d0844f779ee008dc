"""The faults, each under the load of virtual respondents, each ending in the same promise checks."""
from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable

from bench.faults import malformed
from bench.faults.load import Browser, Outcome, _start, send, summary_form, walk_pages
from bench.faults.run import Result, Run
from bench.faults.stack import children, kill_group

Fault = Callable[[Run, Result], None]


def under_load(run: Run, name: str, fault: Fault, prepare: Callable[[Run], None] | None = None,
               last_traffic: bool = False) -> Result:
    """Start respondents, strike with `fault` (which returns when the fault is over), then settle.

    With `last_traffic`, no new respondent starts once the fault is about to strike: messages lost
    then must be made good by the system, not hidden by the next school batch's message."""
    if prepare is not None:
        prepare(run)
    result = Result(name.format(outage=f"{run.knobs.outage:.0f} s"))
    since = (run.ledger.stored(), run.log_marks())
    crowd = run.crowd()
    time.sleep(run.knobs.lead)
    run.last_traffic = crowd.stop_new if last_traffic else (lambda: None)
    fault(run, result)
    fault_end = time.monotonic()
    time.sleep(2)  # answers keep coming in after the recovery too
    outcomes = crowd.finish(grace=30)
    return run.settle(result, outcomes, since, fault_end)


def when_busy(run: Run, result: Result, waiting: bool, window: float = 20.0) -> None:
    """Wait (up to `window` s) until Redis holds messages no worker has fetched (`waiting`) or
    acknowledged, so that the fault meets work in flight; a light load mostly leaves the queue idle."""
    what = "waiting in Redis" if waiting else "unacknowledged in Redis"
    until = time.monotonic() + window
    while time.monotonic() < until:
        if run.stack.redis.messages(waiting):
            result.errors[f"struck with messages {what}"] += 1
            return
        time.sleep(0.005)
    result.errors[f"struck with no message {what} ({window:.0f} s without one)"] += 1


# --- a. the Dramatiq worker ---------------------------------------------------------------------

def kill_worker(run: Run, result: Result) -> None:
    """kill -9 the worker process group (its consumer, relay and pool mover), then start it again."""
    process = run.stack.worker.process
    when_busy(run, result, waiting=False)
    run.last_traffic()
    kill_group(process.pid)
    process.wait()
    run.stack.start_worker()


# --- b. gunicorn --------------------------------------------------------------------------------

def kill_web(run: Run, result: Result) -> None:
    """kill -9 one gunicorn worker; later kill -9 the master alone and restart gunicorn at once."""
    stack = run.stack
    master = stack.web.process
    workers = children(master.pid)
    if workers:
        os.kill(workers[0], signal.SIGKILL)
    time.sleep(run.knobs.lead)
    master.kill()
    master.wait()
    mark = len(stack.web.output())
    if not stack.start_web(timeout=30):
        said = stack.web.output()[mark:]
        why = "Address already in use" if "Address already in use" in said else "it did not answer /healthz"
        result.broken.append(f"gunicorn restarted at once after kill -9 of its master failed: {why}")
        stack.web.stop()
        kill_group(master.pid)  # the old master's orphaned workers, still holding the port
        if not stack.start_web(timeout=60):
            raise RuntimeError("gunicorn does not come back even without the old workers")
    kill_group(master.pid)


# --- c, d. Redis --------------------------------------------------------------------------------

def redis_mode(appendonly: bool) -> Callable[[Run], None]:
    """Before a scenario, while nothing is in flight: run Redis with or without its append-only file."""
    def prepare(run: Run) -> None:
        if run.stack.redis.appendonly != appendonly:
            run.stack.redis.kill()
            run.stack.start_redis(appendonly, wipe=True)
    return prepare


def redis_outage(run: Run, result: Result) -> None:
    """kill -9 Redis, keep it away for the outage, then start it again (empty when it had no AOF)."""
    redis = run.stack.redis
    when_busy(run, result, waiting=True)
    run.last_traffic()
    redis.kill()
    time.sleep(run.knobs.outage)
    run.stack.start_redis(redis.appendonly, wipe=not redis.appendonly)


# --- e. PostgreSQL connections ------------------------------------------------------------------

def terminate_connections(run: Run, result: Result) -> None:
    """pg_terminate_backend the app's connections every two seconds for a while."""
    until = time.monotonic() + min(run.knobs.outage, 10)
    while time.monotonic() < until:
        result.errors["PostgreSQL connections terminated"] += run.stack.terminate_connections()
        time.sleep(2)
    with run.fixture.app.app_context():
        run.fixture.db.engine.dispose()  # the suite's own pooled connections were terminated too


# --- f. one Send, ten times at once -------------------------------------------------------------

def replay_send(run: Run) -> Result:
    """Walk to the summary, then press Send ten times at once over ten connections."""
    result = Result("f. one Send replayed ten times at once")
    since = (run.ledger.stored(), run.log_marks())
    outcomes = []
    for job in run.jobs(run.knobs.replays):
        first = Browser(run.stack.port)
        csrf = _start(first, job["token"])
        walk_pages(first, job["token"], csrf, job["pages"])
        form = summary_form(first, job["token"])
        answers: list[tuple[int, str]] = []
        barrier = threading.Barrier(10)

        def press(cookies=dict(first.cookies), token=job["token"], form=form) -> None:
            browser = Browser(run.stack.port)
            browser.cookies = cookies
            barrier.wait()
            answers.append(send(browser, token, form))
        threads = [threading.Thread(target=press) for _n in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        thanked = sum(status == 302 and location.endswith("/takk") for status, location in answers)
        outcomes.append(Outcome(job["token"], receipt=thanked > 0))
        result.errors.update(f"replayed Send: HTTP {status}" + (" (link used)" if status == 410 else "")
                             for status, location in answers if not location.endswith("/takk"))
        if thanked < 10:
            result.broken.append(f"replayed Send: {10 - thanked} of 10 answered other than thanks")
    return run.settle(result, outcomes, since, time.monotonic())


# --- g. malformed input -------------------------------------------------------------------------

def malformed_posts(run: Run) -> Result:
    """Malformed page POSTs from respondents who then finish properly; none may get a 500."""
    result = Result(f"g. {run.knobs.malformed} malformed POSTs to answering pages")
    since = (run.ledger.stored(), run.log_marks())
    answers, outcomes = malformed.send_all(run, result)
    fives = {kind: n for (kind, status), n in answers.items() if status >= 500}
    for (kind, status), n in sorted(answers.items()):
        result.errors[f"{kind}: HTTP {status}"] += n
    if fives:
        result.broken.append("malformed input answered 5xx: "
                             + ", ".join(f"{kind} ×{n}" for kind, n in fives.items()))
    return run.settle(result, outcomes, since, time.monotonic())


SCENARIOS: list[tuple[str, Callable[[Run], Result]]] = [
    ("a", lambda run: under_load(run, "a. Dramatiq worker killed (-9) and restarted", kill_worker,
                                 last_traffic=True)),
    ("b", lambda run: under_load(run, "b. gunicorn worker killed; master killed (-9), restarted", kill_web)),
    ("c", lambda run: under_load(run, "c. Redis without persistence killed, away {outage}",
                                 redis_outage, redis_mode(False), last_traffic=True)),
    ("d", lambda run: under_load(run, "d. Redis with appendonly killed, away {outage}",
                                 redis_outage, redis_mode(True), last_traffic=True)),
    ("e", lambda run: under_load(run, "e. PostgreSQL connections terminated under load",
                                 terminate_connections)),
    ("f", replay_send),
    ("g", malformed_posts),
]
