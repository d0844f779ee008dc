# Laget — the two commands: `make demo` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test test-sqlite test-postgresql bench install translations catalog clean

demo: install ## install, migrate the SQLite database, load demo data and serve on http://127.0.0.1:5000
	$(BIN)/laget demo

test: install ## type-check the domain, then the whole suite on SQLite, then on PostgreSQL (needs local PostgreSQL, Redis, Chromium)
	$(BIN)/mypy
	$(BIN)/pytest
	LAGET_TEST_DB=postgresql $(BIN)/pytest

test-sqlite: install
	$(BIN)/pytest

test-postgresql: install
	LAGET_TEST_DB=postgresql $(BIN)/pytest

bench: install ## run the benchmarks and write docs/benchmarks.md
	$(BIN)/python -m bench

install: $(STAMP) translations

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d webapp/translations -f > /dev/null

catalog: $(STAMP) ## re-extract UI strings and update the nb/nn/en catalogs
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --project Laget -o webapp/translations/messages.pot .
	$(BIN)/pybabel update -i webapp/translations/messages.pot -d webapp/translations --no-wrap

clean:
	rm -rf $(VENV) instance tests/artifacts
