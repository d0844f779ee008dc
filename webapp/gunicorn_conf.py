"""gunicorn's settings wherever Laget is served: `gunicorn -c python:webapp.gunicorn_conf …`.

compose.yaml, the tests (tests/processes.py) and the embedded server (webapp/serve.py) all use it.
"""
from __future__ import annotations

from webapp import logscrub

# Request lines carry personal link tokens: no access log. Should one be switched on, it is scrubbed.
accesslog = None
# Nothing here uses gunicornc, and every master on a machine would otherwise share one socket path.
control_socket_disable = True


def on_starting(server) -> None:  # noqa: ANN001  (gunicorn's arbiter)
    """Scrub link tokens and e-mail addresses from the logs of the master and every worker."""
    logscrub.install()
