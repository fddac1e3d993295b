# Two commands do all the set-up on a fresh machine with Python 3.11+ and make:
#   make run   - create .venv if missing, install, plan the default scenario
#   make test  - the same with the dev extras, then ruff and the tests
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SCENARIO ?= scenarios/2022-presidential.yaml
OUT ?= out/2022-presidential

.PHONY: run test test-fast bench bench-country data install install-dev clean

# pip reports errors only: `make run` prints the plan, not the install.
PIP := $(BIN)/python -m pip -qq --disable-pip-version-check

$(BIN)/python:
	@echo "creating $(VENV) and installing election-ops (a minute or two, once)"
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) install --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	@$(PIP) install -e .
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	@$(PIP) install -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	@$(BIN)/election-ops solve $(SCENARIO) --out $(OUT)

test: install-dev
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/python -m pytest

# The quick loop while working: skips the tests marked slow (whole-unit solves, the Dask cluster, the browser).
test-fast: install-dev
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/python -m pytest -m "not slow" -q

bench: install-dev
	$(BIN)/python bench/bench.py

# All 250 count units through Dask (about 5 minutes on 2 cores), then the engine's overhead on 16 units.
bench-country: install-dev
	$(BIN)/python bench/country_bench.py --overhead 16

# Regenerate data/precincts/geumcheon/ and the national tables data/korea/ from ../shared (needs ../shared).
SHARED ?= ../shared/data
data: install
	$(BIN)/python scripts/derive_data.py district --source $(SHARED)/geumcheon --out data/precincts/geumcheon \
		--counting-site-name 금나래문화체육센터 --counting-site-dong 독산1동 \
		--points $(SHARED)/korea/admdong_centroids_epsg5179.csv
	$(BIN)/python scripts/derive_data.py korea --source $(SHARED)/korea --out data/korea
	$(BIN)/python scripts/derive_admdong.py --source $(SHARED)/korea --out data/korea/admdong.csv

clean:
	rm -rf $(VENV) out .pytest_cache
