# Default target: lint and test. `make run` starts the daemon on the default config; `make test` runs the suite.
# Each target creates the virtualenv first if it is missing.
PYTHON ?= python3.11
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed

.PHONY: all run test lint format bench clean

all: lint test

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "needs $(PYTHON) (set PYTHON=...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/wirewatch run

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python bench/crawl.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/extraction.py --fixturesite 20
	$(BIN)/python bench/matching.py
	$(BIN)/python bench/alerting.py
	$(BIN)/python bench/daemon.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
