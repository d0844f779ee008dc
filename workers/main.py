"""Entry module for `dramatiq workers.main`: builds the app once and wires the middleware."""
from webapp import create_app
from workers import actors  # noqa: F401  (declares the actors on the broker)
from workers.broker import broker
from workers.context import AppContextMiddleware
from workers.relay import RelayMiddleware
from workers.scheduler import SchedulerMiddleware

app = create_app()
broker.add_middleware(AppContextMiddleware(app))
broker.add_middleware(RelayMiddleware(app))
broker.add_middleware(SchedulerMiddleware(app))
