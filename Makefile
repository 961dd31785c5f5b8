# Two entry points (see README): `make ask` installs and answers; `make test` installs and tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
Q ?= What did Dalton say?
CORE := $(VENV)/.core-installed
FULL := $(VENV)/.test-installed

.PHONY: ask install install-test test ingest eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Pinned dependencies; the stamp is rebuilt only when a lock file or pyproject.toml changes.
$(CORE): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

# Tests add torch (CPU build, pinned) for the sentence-transformers backend, pytest and pexpect.
$(FULL): requirements-test.lock $(CORE)
	$(BIN)/pip install -q -r requirements-test.lock
	touch $@

install: $(CORE)
install-test: $(FULL)

ask: $(CORE)
	$(BIN)/warta ask "$(Q)"

ingest: $(CORE)
	$(BIN)/warta ingest

test: $(FULL)
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .warta .pytest_cache
