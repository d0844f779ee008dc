"""Background work: broker setup, app-context middleware, actors, outbox relay."""
