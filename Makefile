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

.PHONY: help run demo test test-packages check test-sqlite test-pg bench load messages lock clean

help:
	@echo "make run       install into $(VENV), migrate, load demo data, serve http://$(LISTEN):$(PORT)/"
	@echo "make test      ruff, migration check, the test suite on SQLite, then on PostgreSQL"
	@echo "make demo      rebuild the demo data (gonghui demo --force)"
	@echo "make messages  refresh and compile the Chinese catalogue (needs gettext)"
	@echo "make bench     run bench/run.py on the demo county under GONGHUI_VAR_DIR (BENCH_ARGS=--list)"
	@echo "make load      many users at once against scripts/serve.sh for LOAD_SECONDS (600; 60 in CI)"
	@echo "make lock      upgrade the pinned dependencies: regenerate requirements.lock and requirements-test.lock"
	@echo "make clean     remove $(VENV), caches and collected static files (keeps var/ data)"

# --- virtualenv ---------------------------------------------------------------
# The virtualenv holds exactly what the lock files pin, each file checked against its
# sha256 (--require-hashes); --no-deps because a lock lists every distribution, so pip
# resolves nothing itself. gonghui is installed editable on top, the one thing without a
# hash. A stamp per extra: pip runs again only when the lock (or pyproject.toml, which
# names the commands) is newer than it.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	@echo "Installing gonghui and requirements.lock into $(VENV) ..."
	$(BIN)/pip install -q --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	@touch $@

$(VENV)/.installed-test: requirements-test.lock pyproject.toml | $(BIN)/python
	@echo "Installing gonghui and requirements-test.lock into $(VENV) ..."
	$(BIN)/pip install -q --require-hashes --no-deps -r requirements-test.lock
	$(BIN)/pip install -q --no-deps -e .
	@touch $@ $(VENV)/.installed

# --- lock -----------------------------------------------------------------------
# `make lock` upgrades every pin to the newest release pyproject.toml allows and writes
# both locks, with the sha256 of every file of each pinned version (wheels for every
# platform), so they install on any Linux machine. The test lock is resolved under the
# runtime lock's pins, so both agree. pip-compile runs in a virtualenv of its own
# ($(LOCK_VENV)) against pip's default index, or LOCK_INDEX_URL (a mirror) when set: this
# machine's pip configuration (find-links, extra indexes, constraints) is ignored, so no
# local path reaches a lock.
# `make lock LOCK_ARGS=` keeps the current pins and only adds what pyproject.toml added;
# `make lock LOCK_ARGS="--upgrade-package django"` upgrades one.
LOCK_VENV ?= $(VENV)-lock
LOCK_INDEX_URL ?=
INDEX_OPTION := $(if $(LOCK_INDEX_URL),--index-url $(LOCK_INDEX_URL))
LOCK_ARGS ?= --upgrade
PIP_TOOLS ?= pip-tools==7.7.0
LOCK_ENV := env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT \
	-u PIP_NO_INDEX PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock"
PIP_COMPILE := $(LOCK_ENV) $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes \
	--strip-extras $(INDEX_OPTION) --no-emit-index-url --no-emit-find-links \
	$(LOCK_ARGS)

$(LOCK_VENV)/bin/pip-compile:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_ENV) $(LOCK_VENV)/bin/pip install -q $(INDEX_OPTION) '$(PIP_TOOLS)'

lock: $(LOCK_VENV)/bin/pip-compile
	$(PIP_COMPILE) --output-file requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra test --constraint requirements.lock \
	  --output-file requirements-test.lock pyproject.toml
	@if grep -nE 'file:|find-links|^-' requirements.lock requirements-test.lock; then \
	  echo "make lock: a lock names a local location or an option (above)"; exit 1; fi
	@echo "Wrote requirements.lock and requirements-test.lock; review with git diff, then make test."

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
	for step in check test-sqlite test-pg $(if $(filter true,$(CI)),load); do \
	  $(MAKE) --no-print-directory $$step || failed="$$failed $$step"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test: FAILED in:$$failed"; exit 1; fi; \
	echo "make test: ruff, migrations, the SQLite pass and the PostgreSQL pass all passed."

# Debian packages the tests need, installed when missing (as root).
test-packages:
	@bash scripts/system-packages.sh chromium postgresql

check: $(VENV)/.installed-test test-packages
	$(BIN)/pip check
	$(BIN)/ruff check gonghui
	DATABASE_URL= $(BIN)/gonghui makemigrations --check --dry-run

test-sqlite: $(VENV)/.installed-test test-packages
	@echo "=== test suite on SQLite ==="
	DATABASE_URL= $(PYTEST) -m "not postgres" $(PYTEST_ARGS)

test-pg: $(VENV)/.installed-test test-packages
	@echo "=== test suite on PostgreSQL ==="
	GONGHUI_PG_PORT=$(PG_PORT) bash scripts/pg.sh
	DATABASE_URL=$(PG_URL) $(PYTEST) -m "not cluster_restart" $(PYTEST_ARGS)
	@echo "=== PostgreSQL restarted under load (a drill run alone: it cuts every connection) ==="
	GONGHUI_PG_PORT=$(PG_PORT) GONGHUI_PG_RESTART_DRILL=1 DATABASE_URL=$(PG_URL) \
	  $(BIN)/pytest -p no:cacheprovider -n 0 -m cluster_restart gonghui/core/tests/test_fault_drills.py

# --- other ----------------------------------------------------------------------
bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# A mixed workload from LOAD_USERS accounts at once against scripts/serve.sh on a copy of
# a small demo county (built once under LOAD_VAR_DIR), then a bare Django view the same
# way; fails on any error. CI runs it for 60 s after the suite (figures: docs/benchmarks.md).
LOAD_SECONDS ?= $(if $(filter true,$(CI)),60,600)
LOAD_USERS ?= 20
LOAD_VAR_DIR ?= /tmp/gonghui-load
load: $(VENV)/.installed
	$(BIN)/python bench/load.py --seconds $(LOAD_SECONDS) --users $(LOAD_USERS) \
	  --var-dir $(LOAD_VAR_DIR) --scale $(DEMO_SCALE) --seed $(DEMO_SEED) $(LOAD_ARGS)

messages: $(VENV)/.installed
	@bash scripts/system-packages.sh gettext
	$(BIN)/gonghui makemessages -l zh_Hans --ignore='.venv/*' --ignore='var/*'
	$(BIN)/gonghui compilemessages -l zh_Hans --ignore='.venv/*' --ignore='var/*'

clean:
	rm -rf $(VENV) $(LOCK_VENV) build gonghui.egg-info .pytest_cache .ruff_cache .hypothesis test-results
	rm -rf var/static var/test-results
	find gonghui -name __pycache__ -type d -prune -exec rm -rf {} +
