"""The Dramatiq broker: Redis when REDIS_URL is set, else an in-process stub (embedded mode).

The one module that acts at import time: Dramatiq needs its broker before any actor is declared.
"""
import os

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker


def _make_broker() -> dramatiq.Broker:
    url = os.environ.get("REDIS_URL")
    if url:
        return RedisBroker(url=url)
    return StubBroker()


broker = _make_broker()
dramatiq.set_broker(broker)
