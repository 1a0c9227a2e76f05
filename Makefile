# Two commands on a fresh machine: `make report` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PERIOD ?= 2023-24-Q4
LA ?= 919
DEMO := outputs/demo-data/$(LA)
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: postgres report test test-fast lint format bench clean venv install install-dev demo-data quarterly-dry-run browser-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip $(PIP_FLAGS) install --upgrade "pip>=24"

# Optional speed-up: WeasyPrint subsets fonts with HarfBuzz when libharfbuzz-subset0 is
# present (about 2 s less per quarter) and falls back to fontTools when not. Installed when
# this machine allows it (root with apt-get); otherwise a note says how.
$(VENV)/.system-deps: | $(BIN)/python
	@if ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  { apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1 || \
	    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1; }; } || \
	  echo "note: could not install libharfbuzz-subset0 (optional: PDFs render a little slower)"; \
	else echo "note: optional libharfbuzz-subset0 is missing (sudo apt-get install libharfbuzz-subset0 speeds up PDFs)"; fi
	@touch $@

# Reinstall only when the dependency list changes.
# JupyterLab (the `lab` extra) comes with it: analysts open reports with `sendreport open`.
$(VENV)/.installed: pyproject.toml | $(BIN)/python $(VENV)/.system-deps
	$(BIN)/python -m pip $(PIP_FLAGS) install -e ".[lab]"
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip $(PIP_FLAGS) install -e ".[lab,dev]"
	touch $@

venv install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo-data: $(VENV)/.installed
	$(BIN)/sendreport demo-data --out $(DEMO) --la $(LA) --force

report: demo-data
	@build=$$($(BIN)/sendreport build --period $(PERIOD) --la $(LA) --data $(DEMO)) && \
	  echo "" && echo "Reports for LA $(LA), $(PERIOD), are in $$build" && \
	  for f in "$$build"/*.html; do r=$$(basename "$$f" .html); \
	    echo "  $$r.html, $$r.pdf, $$r.docx   (audit edition: audit/$$r.html)"; done && \
	  echo "  tables.xlsx (every table and chart's data), figures.json (every figure and the" && \
	  echo "  cell that made it), manifest.json, validation/" && \
	  echo "Another quarter or LA: make report PERIOD=2024-25-Q2 LA=884 (see README)"

# The scheduled workflow's steps (.ci/quarterly), end to end on demo data: period, demo
# extract, validate, build with kept inputs, verify without the extract, summary, sign-off,
# publish a site. Results in outputs/quarterly-dry-run/.
quarterly-dry-run: $(VENV)/.installed
	.ci/quarterly dry-run

# PostgreSQL for the database tests (they start their own server in a temporary folder).
# Idempotent: nothing happens when initdb is already there; apt-get needs root.
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get install -y -qq postgresql >/dev/null 2>&1 || \
	  { apt-get update -qq >/dev/null && apt-get install -y -qq postgresql >/dev/null; }; \
	else echo "note: PostgreSQL is missing (sudo apt-get install postgresql); database tests need it"; fi

# The browser tests (tests/e2e/test_browser.py): Debian's chromium, and axe-core with
# puppeteer-core from tests/browser/package-lock.json. Nothing downloads a browser. Installed
# as root with apt-get where possible; otherwise a note says how, and the tests skip (or, in
# CI, fail).
BROWSER := tests/browser
$(BROWSER)/node_modules/.installed: $(BROWSER)/package-lock.json
	@if ! command -v chromium >/dev/null || ! command -v npm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    pkgs="chromium"; command -v npm >/dev/null || pkgs="$$pkgs nodejs npm"; \
	    apt-get install -y -qq $$pkgs >/dev/null 2>&1 || \
	      { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq $$pkgs >/dev/null; } || \
	      echo "note: could not install $$pkgs (the browser tests need them)"; \
	  else echo "note: the browser tests need chromium and npm (sudo apt-get install chromium nodejs npm)"; fi; \
	fi
	@if command -v npm >/dev/null; then \
	  cd $(BROWSER) && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --silent && touch node_modules/.installed; \
	fi

browser-deps: $(BROWSER)/node_modules/.installed

# pytest keeps its assertion-rewritten test modules, and Python the package's bytecode, in
# git-ignored __pycache__ folders. Where the environment sets PYTHONDONTWRITEBYTECODE (some
# sandboxes and CI images do), every test process would compile them again: about 3 CPU-s
# each. --dist loadgroup keeps each xdist_group's tests on one worker (shared builds, one
# Great Expectations import).
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 2 --dist loadgroup

test: $(VENV)/.installed-dev postgres browser-deps
	$(BIN)/ruff check sendreport tests benchmarks
	$(BIN)/ruff format --check sendreport tests benchmarks
	$(PYTEST)

# Everything but the end-to-end builds (tests marked slow): for the edit-test loop.
test-fast: $(VENV)/.installed-dev
	$(PYTEST) -q -m "not slow"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check sendreport tests benchmarks
	$(BIN)/ruff format --check sendreport tests benchmarks

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix sendreport tests benchmarks
	$(BIN)/ruff format sendreport tests benchmarks

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) outputs/*/ .pytest_cache .ruff_cache
