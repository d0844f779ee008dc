"""The fault suite (python -m bench.chaos): processes, load, scenarios, checks, report."""
