"""Use cases: take a session and ids, call the domain, read and write models; never commit."""
