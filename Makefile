# The report's commands. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JB := $(BIN)/jupyter-book
TEST_PACKAGES := chromium poppler-utils fonts-dejavu-core
ICS ?=

.PHONY: help venv book html pdf test lint data data-raw refresh changes lab clean bench workflow-check briefing briefings lock test-deps

help: ## list the commands (this list is made from the comments on the targets)
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@if [ -x $(BIN)/python ]; then echo; echo "make briefing ICS=<code or name> takes one of these boards:"; \
	  $(BIN)/python scripts/briefing.py --list 2>/dev/null || echo "  (the list needs the processed data: make data)"; fi

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)  ## create .venv with the pinned dependencies

# HTML first (it needs only Python), then the PDF, then a quick HTML rebuild that publishes the
# PDF for download (all three share the execution cache, so nothing executes twice)
book: $(STAMP)  ## build the HTML book (_build/html) and the PDF book (_build/pdf/nhs-integration-report.pdf)
	$(MAKE) html
	$(MAKE) pdf
	$(MAKE) html

# jupyter-book build with Sphinx reading and writing in parallel (nhsreport/publish/book/build.py)
html: $(STAMP)  ## HTML book only (needs nothing but Python)
	$(BIN)/python -m nhsreport.publish.book.build . --builder html -W --keep-going

# the PDF book is the HTML book on one page (_build/print/_build/singlehtml, its own Sphinx environment) printed by Chromium: a tagged PDF
# (language, headings, lists, tables, figures with their charts' descriptions, outline)
pdf: $(STAMP) test-deps  ## PDF book only, tagged (installs Chromium with apt-get when run as root)
	$(JB) build . --builder singlehtml --path-output _build/print -W --keep-going
	$(BIN)/python -m nhsreport.publish.book.printbook

test-deps:  ## install chromium and poppler for the browser and PDF tests (as root)
	@missing=""; command -v chromium >/dev/null || missing="$$missing chromium"; \
	 command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	 if [ -n "$$missing" ]; then \
	   if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	     apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEST_PACKAGES); \
	   else echo "The browser and PDF tests need:  sudo apt-get install $(TEST_PACKAGES)"; exit 1; fi; \
	 fi

test: $(STAMP) test-deps  ## run the whole test suite, lint included
	$(MAKE) lint
	@if [ -d ../shared/raw ] || [ -n "$$NHSREPORT_MIRROR" ]; then $(BIN)/python scripts/fetch_data.py; \
	 else echo "No offline mirror of the official files: the tests that rebuild data from them will be skipped."; fi
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/python -m pytest

lint: $(STAMP)  ## ruff: lint and formatting check of the package, scripts, tests and chapters
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

data-raw: $(STAMP)  ## fetch the official files into data/raw/ (mirror, else pinned addresses), checking sha256 (FETCH_ARGS=--online)
	$(BIN)/python scripts/fetch_data.py $(FETCH_ARGS)

data: data-raw  ## rebuild data/processed/ and data/datapackage.json from data/raw/
	$(BIN)/python scripts/build_data.py

refresh: $(STAMP)  ## look for newer editions of the official files; download and register them (REFRESH_ARGS=--check: report only)
	$(BIN)/python scripts/refresh.py $(REFRESH_ARGS)

changes: $(STAMP)  ## after make data: every glued figure and claim whose value or evidence moved (_build/changes.md)
	$(BIN)/python scripts/changes.py $(CHANGES_ARGS)

lab: $(STAMP)  ## open the chapters in JupyterLab
	env -u NHSREPORT_BOOK $(BIN)/jupyter lab --notebook-dir=book $(if $(filter 0,$(shell id -u)),--allow-root,)

briefing: $(STAMP)  ## PDF briefing for England, or one board of 1 April 2026 with ICS=<code or name, e.g. S1Y5D>
	$(BIN)/python scripts/briefing.py $(if $(ICS),--board "$(ICS)",)

briefings: $(STAMP)  ## the 36 briefings of the boards of 1 April 2026 (_build/briefing/boards/)
	$(BIN)/python scripts/briefing.py --boards

workflow-check: $(STAMP)  ## run the publishing workflow's steps on a fresh clone with no mirror, files served from their pinned addresses
	$(BIN)/python scripts/workflow_check.py

bench: $(STAMP)  ## benchmark builds, data pipeline and briefings (_build/bench.json)
	$(BIN)/python scripts/bench.py

lock:  ## regenerate requirements.txt from the direct dependencies in pyproject.toml
	rm -rf _build/lockenv && $(PYTHON) -m venv _build/lockenv
	_build/lockenv/bin/pip install --quiet -e .[test]
	(echo "# Full lock of the Python environment (generated with pip freeze from the direct"; \
	 echo "# requirements listed in pyproject.toml; regenerate with: make lock)."; \
	 _build/lockenv/bin/pip freeze --exclude-editable) > requirements.txt

clean:  ## remove _build/ (keeps .venv and data)
	rm -rf _build
