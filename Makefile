# Klynge — every target sets up what it needs itself (fresh machine: Python 3.11+, make, git).
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
export PICCOLO_CONF := klynge.piccolo_conf

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) ## create .venv and install Klynge with its dev tools

run: $(STAMP) ## migrate a SQLite file under var/, load the demo cluster, serve on :8000
	KLYNGE_DEMO=1 $(BIN)/klynge demo
	KLYNGE_DEMO=1 $(BIN)/klynge run

browser-deps: ## Debian's chromium (apt) and axe-core (npm) for the browser tests
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends chromium; }
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --silent

lint: $(STAMP) ## ruff (lint + format check)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=platform:. $(BIN)/lint-imports --no-cache

typecheck: $(STAMP) ## mypy (strict) on the core package klynge
	$(BIN)/mypy

wheel-check: $(STAMP) ## build sdist + wheel, install in a fresh venv, migrate/demo/run it (SQLite; + PostgreSQL with DATABASE_URL)
	.ci/wheel-check

# The embedding cache the test sessions share (keyed by model version and text: never stale).
TEST_EMBED_CACHE ?= $(CURDIR)/var/test-embeddings.sqlite3

test: $(STAMP) browser-deps lint typecheck wheel-check ## lint + mypy + installed-wheel check + all tests on SQLite; also PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set
	@start=$$(date +%s); covered="SQLite (incl. browser + axe)"; \
	export KLYNGE_EMBED_CACHE="$${KLYNGE_EMBED_CACHE:-$(TEST_EMBED_CACHE)}"; \
	KLYNGE_TEST_DB=sqlite $(BIN)/python -m pytest -q -p no:cacheprovider || exit 1; \
	if [ -n "$$DATABASE_URL" ]; then \
	  KLYNGE_TEST_DB=postgres $(BIN)/python -m pytest -q -p no:cacheprovider -m "not browser" || exit 1; \
	  covered="$$covered, PostgreSQL (tests that use the database)"; \
	else covered="$$covered; PostgreSQL not covered (DATABASE_URL unset)"; fi; \
	if [ -n "$$REDIS_URL" ]; then covered="$$covered, Redis + arq workers"; \
	else covered="$$covered; Redis not covered (REDIS_URL unset: jobs tested in-process)"; fi; \
	echo "Backends covered: $$covered. Wall time: $$(( $$(date +%s) - start )) s"

bench: $(STAMP) ## benchmarks (print figures; never part of make test)
	@for b in bench/bench_*.py; do [ -e "$$b" ] && $(BIN)/python "$$b"; done; true

bench-load: $(STAMP) ## load benchmark: PostgreSQL + Redis + 2 app processes + 2 workers vs hello-world (LOAD=national|0.1 loads first)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[bench]"
	$(BIN)/python bench/load/run.py $(if $(LOAD),--load $(LOAD))

lock: $(STAMP) ## refresh constraints.txt from the installed environment
	@{ echo "# Pinned versions for reproducible installs (used as pip constraints). Refresh: make lock"; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^klynge'; } > constraints.txt

clean: ## remove the virtualenv, node_modules and var/
	rm -rf $(VENV) node_modules var

.PHONY: help install run browser-deps lint typecheck wheel-check test bench bench-load lock clean
