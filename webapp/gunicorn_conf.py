"""gunicorn's settings wherever Laget is served: `gunicorn -c python:webapp.gunicorn_conf …`.

compose.yaml, the tests (tests/processes.py) and the embedded server (webapp/serve.py) all use it.
"""
from __future__ import annotations

import logging
import os
import threading
import time

from webapp import logscrub

# Request lines carry personal link tokens: no access log. Should one be switched on, it is scrubbed.
accesslog = None
# Nothing here uses gunicornc, and every master on a machine would otherwise share one socket path.
control_socket_disable = True

# How often a worker looks whether its master is still there.
MASTER_CHECK_SECONDS = 0.2


def on_starting(server) -> None:  # noqa: ANN001  (gunicorn's arbiter)
    """Scrub link tokens and e-mail addresses from the logs of the master and every worker."""
    logscrub.install()


def post_fork(server, worker) -> None:  # noqa: ANN001
    """Start the worker's watch on its master (see follow_master)."""
    threading.Thread(target=follow_master, args=(worker,), name="follow-master", daemon=True).start()


def follow_master(worker) -> None:  # noqa: ANN001  (gunicorn's worker)
    """Close the listeners and exit as soon as the master is gone.

    After a `kill -9` of the master, gunicorn's own check lets its workers finish their requests for
    up to the graceful timeout (30 s) with the listening socket still open, and a new master on the
    same port fails with «Address already in use». Nobody can stop or replace an orphan, so its
    requests are cut short: their transactions roll back, and the clients try again.
    """
    while os.getppid() == worker.ppid:
        time.sleep(MASTER_CHECK_SECONDS)
    logging.getLogger("gunicorn.error").warning("master %s is gone: worker %s lets go of the port and exits",
                                                worker.ppid, os.getpid())
    for listener in worker.sockets:
        listener.close()
    os._exit(1)
