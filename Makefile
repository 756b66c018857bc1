# The two commands of the README:
#   make run   — set up, fill the demo province if the database is empty, start everything
#   make test  — set up, then lint, type-check and run the tests on SQLite and PostgreSQL
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test venv lint typecheck pytest browser clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/motcua up

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check monitor alerts surveys nlp console app.py bench tests

typecheck: $(STAMP)
	$(BIN)/mypy

# Debian's Chromium for the browser tests (never a downloaded browser build).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

pytest: $(STAMP) browser
	$(BIN)/pytest -q

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
