# Two entry points: `make build` (set up, build the default pack into site/)
# and `make test` (set up, lint, run every test). Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HASH := $(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
# The site needs only packgen's own dependencies; tests add pytest, Playwright and ruff.
STAMP := $(VENV)/.installed-$(HASH)
TEST_STAMP := $(VENV)/.installed-test-$(HASH)
# axe-core checks the built pages' accessibility in the browser tests (npm, pinned).
AXE_VERSION := 4.14.1
NODE_DIR := tests/.node
AXE := $(NODE_DIR)/node_modules/axe-core/axe.min.js
export NO_MKDOCS_2_WARNING := 1

.PHONY: build test lint check serve setup system-build system-test clean benchmark

build: system-build $(STAMP)
	$(BIN)/packgen build

test: system-test $(TEST_STAMP) $(AXE)
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest

check: $(STAMP)
	$(BIN)/packgen check

serve: $(STAMP)
	$(BIN)/packgen serve

benchmark: $(TEST_STAMP)
	$(BIN)/python benchmarks/build_speed.py $(BENCH_ARGS)

setup: system-test $(TEST_STAMP) $(AXE)

system-build:
	@scripts/system-deps.sh build

system-test:
	@scripts/system-deps.sh test

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e .
	@touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	@touch $@

$(AXE):
	npm install --silent --no-save --no-audit --no-fund --prefix $(NODE_DIR) axe-core@$(AXE_VERSION)

clean:
	rm -rf $(VENV) site build .pytest_cache .ruff_cache $(NODE_DIR)
