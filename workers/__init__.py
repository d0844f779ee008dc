"""Background work: broker setup, app-context middleware, actors, outbox relay."""

# How long (ms) an idle worker waits before it looks for messages again. Dramatiq's default, 1000 ms,
# was up to a second of every submit → figures delay. Dramatiq reads it from the environment when it
# is imported, before our code runs, so `dramatiq` processes get it as dramatiq_worker_timeout
# (compose.yaml, tests/processes.py, bench/latency.py); the embedded worker passes it directly.
IDLE_POLL_MS = 100
