"""Benchmarks of Laget against a real PostgreSQL and the real HTTP stack.

Run them with `make bench` (or `.venv/bin/python -m bench`); the results are written to
docs/benchmarks.md. Each benchmark is a module with a `run(env) -> Section` function, listed in
`bench.__main__.BENCHMARKS`.
"""
