# gonghui: the two commands are `make run` and `make test`; `make help` lists the rest.
# Needs only python3 (3.11+) and make; Debian packages are installed when missing and root.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.NOTPARALLEL:

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LISTEN ?= 127.0.0.1
PORT ?= 8000
DEMO_SCALE ?= 20000
DEMO_SEED ?= 1
PG_PORT ?= 5432
PG_URL ?= postgres://gonghui:gonghui@127.0.0.1:$(PG_PORT)/gonghui
PYTEST_ARGS ?=
# Test processes per pass (pytest-xdist; 0 runs in one process). Each process has a
# database of its own; the PostgreSQL pass waits mostly on round trips, so two
# processes halve it even on two cores.
PYTEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -p no:cacheprovider -n $(PYTEST_WORKERS)

export PIP_DISABLE_PIP_VERSION_CHECK := 1
# `make run GONGHUI_VAR_DIR=/tmp/other` keeps the database and files elsewhere.
ifdef GONGHUI_VAR_DIR
export GONGHUI_VAR_DIR
endif

.PHONY: help run demo test test-packages check test-sqlite test-pg bench messages clean

help:
	@echo "make run       install into $(VENV), migrate, load demo data, serve http://$(LISTEN):$(PORT)/"
	@echo "make test      ruff, migration check, the test suite on SQLite, then on PostgreSQL"
	@echo "make demo      rebuild the demo data (gonghui demo --force)"
	@echo "make messages  refresh and compile the Chinese catalogue (needs gettext)"
	@echo "make bench     run bench/run.py on the demo county under GONGHUI_VAR_DIR (BENCH_ARGS=--list)"
	@echo "make clean     remove $(VENV), caches and collected static files (keeps var/ data)"

# --- virtualenv ---------------------------------------------------------------
# A stamp per extra: pip runs again only when pyproject.toml is newer than it.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "Installing gonghui into $(VENV) ..."
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	@echo "Installing gonghui with its test extras into $(VENV) ..."
	$(BIN)/pip install -q -e '.[test]'
	@touch $@ $(VENV)/.installed

# --- run ------------------------------------------------------------------------
run: $(VENV)/.installed
	$(BIN)/gonghui migrate --no-input -v 0
	$(BIN)/gonghui collectstatic --no-input -v 0
	@out=$$(mktemp); \
	$(BIN)/gonghui demo --if-empty --scale $(DEMO_SCALE) --seed $(DEMO_SEED) | tee $$out; \
	if [ ! -s $$out ]; then \
	  echo "Demo data already loaded; the sign-in names and password are in README.md."; \
	  echo "To rebuild it: make demo  (= $(BIN)/gonghui demo --force --scale $(DEMO_SCALE) --seed $(DEMO_SEED))"; \
	fi; \
	rm -f $$out
	BIN=$(BIN) LISTEN=$(LISTEN) bash scripts/serve.sh $(PORT)

demo: $(VENV)/.installed
	$(BIN)/gonghui migrate --no-input -v 0
	$(BIN)/gonghui demo --force --scale $(DEMO_SCALE) --seed $(DEMO_SEED)

# --- test -----------------------------------------------------------------------
# Both passes run the browser tests (a few seconds each): a page can fail on one
# engine only. Tests marked `postgres` run in the PostgreSQL pass only.
# Every step runs even after one fails, so that one run shows all that is wrong.
test: $(VENV)/.installed-test
	@failed=""; \
	for step in check test-sqlite test-pg; do \
	  $(MAKE) --no-print-directory $$step || failed="$$failed $$step"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test: FAILED in:$$failed"; exit 1; fi; \
	echo "make test: ruff, migrations, the SQLite pass and the PostgreSQL pass all passed."

# Debian packages the tests need, installed when missing (as root).
test-packages:
	@bash scripts/system-packages.sh chromium postgresql

check: $(VENV)/.installed-test test-packages
	$(BIN)/ruff check gonghui
	DATABASE_URL= $(BIN)/gonghui makemigrations --check --dry-run

test-sqlite: $(VENV)/.installed-test test-packages
	@echo "=== test suite on SQLite ==="
	DATABASE_URL= $(PYTEST) -m "not postgres" $(PYTEST_ARGS)

test-pg: $(VENV)/.installed-test test-packages
	@echo "=== test suite on PostgreSQL ==="
	GONGHUI_PG_PORT=$(PG_PORT) bash scripts/pg.sh
	DATABASE_URL=$(PG_URL) $(PYTEST) $(PYTEST_ARGS)

# --- other ----------------------------------------------------------------------
bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py $(BENCH_ARGS)

messages: $(VENV)/.installed
	@bash scripts/system-packages.sh gettext
	$(BIN)/gonghui makemessages -l zh_Hans --ignore='.venv/*' --ignore='var/*'
	$(BIN)/gonghui compilemessages -l zh_Hans --ignore='.venv/*' --ignore='var/*'

clean:
	rm -rf $(VENV) build gonghui.egg-info .pytest_cache .ruff_cache .hypothesis test-results
	rm -rf var/static var/test-results
	find gonghui -name __pycache__ -type d -prune -exec rm -rf {} +
