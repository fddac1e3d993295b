# Two commands do all the set-up on a fresh machine with Python 3.11+ and make:
#   make run   - create .venv if missing, install, plan the default scenario
#   make test  - the same with the dev extras, then ruff and the tests
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SCENARIO ?= scenarios/2022-presidential.yaml
OUT ?= out/2022-presidential

.PHONY: run test bench data install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/election-ops solve $(SCENARIO) --out $(OUT)

test: install-dev
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/python -m pytest

bench: install-dev
	$(BIN)/python bench/bench.py

# Regenerate data/precincts/geumcheon/ from ../shared/data/geumcheon (needs ../shared).
data: install
	$(BIN)/python scripts/derive_data.py --source ../shared/data/geumcheon --out data/precincts/geumcheon

clean:
	rm -rf $(VENV) out .pytest_cache
