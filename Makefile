# Laget — the two commands: `make demo` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 5000

.PHONY: demo test test-sqlite test-postgresql bench chaos install translations catalog clean

demo: install ## install, migrate the SQLite database, load demo data and serve on http://127.0.0.1:$(PORT)
	@$(BIN)/laget demo --port $(PORT)

test: install ## lint, type-check the domain, run the suite on SQLite and PostgreSQL (needs PostgreSQL, Redis, Chromium)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest
	LAGET_TEST_DB=postgresql $(BIN)/pytest
	$(BIN)/python -m bench.chaos --quick --no-report

test-sqlite: install
	$(BIN)/pytest

test-postgresql: install
	LAGET_TEST_DB=postgresql $(BIN)/pytest

bench: install ## run the benchmarks and write docs/benchmarks.md
	$(BIN)/python -m bench

chaos: install ## run the fault suite under load, check the promises, write docs/faults.md
	$(BIN)/python -m bench.chaos

install: $(STAMP) translations

# One line per step and per package pip fetches, so a first run that takes minutes shows it is moving;
# pip's whole log goes to $(VENV)/install.log and is printed in full when the install fails.
$(STAMP): pyproject.toml
	@echo "Installing Laget and its dependencies into $(VENV) (the first time only; a minute or two) ..."
	@$(PYTHON) -m venv $(VENV)
	@rm -f $(VENV)/install.log $(VENV)/install.status
	@echo "  upgrading pip"
	@$(BIN)/pip install --upgrade pip > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@echo "  installing the packages (pip's whole log: $(VENV)/install.log)"
	@{ $(BIN)/pip install --progress-bar off -e ".[test]" 2>&1; echo $$? > $(VENV)/install.status; } \
		| tee -a $(VENV)/install.log | grep --line-buffered -E '^(Collecting|Installing collected)' \
		| sed -e 's/^Collecting \([^ ]*\).*/    \1/' -e 's/^Installing collected.*/  unpacking them .../'
	@test "$$(cat $(VENV)/install.status)" = 0 || { echo "pip failed; its log:"; cat $(VENV)/install.log; exit 1; }
	@touch $(STAMP)
	@echo "  done"

translations: $(STAMP)
	@$(BIN)/pybabel -q compile --use-fuzzy -d webapp/translations -f

catalog: $(STAMP) ## re-extract UI strings and update the nb/nn/en catalogs
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --project Laget -o webapp/translations/messages.pot .
	$(BIN)/pybabel update -i webapp/translations/messages.pot -d webapp/translations --no-wrap

clean:
	rm -rf $(VENV) instance tests/artifacts
