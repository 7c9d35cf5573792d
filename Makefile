# One task runner for the README, .ci/run and the GitHub workflows.
# Every target sets up what it needs from nothing: a Python 3.12 venv from the hashed lock, and the npm packages
# (MathJax, which renders every formula at build time; Lighthouse for `make bench`) from package-lock.json.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# `python3` resolves to 3.12 through .python-version (pyenv); on GitHub, setup-python reads the same file.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_DIR := site
NODE_MODULES := node_modules/.package-lock.json
export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup system-packages serve build pdf test lint bench lock clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt .python-version
	@$(PYTHON) -c 'import sys; want = open(".python-version").read().strip(); have = "%d.%d" % sys.version_info[:2]; \
	  sys.exit(0 if have == want else f"$(PYTHON) is Python {have}; this project needs {want} (see .python-version)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.txt
	touch $@

# npm packages, pinned in package-lock.json, never committed. hooks/render_math.py runs tools/render-math.mjs
# (mathjax-full) once per build: every formula becomes SVG, so no font is copied or loaded for math.
$(NODE_MODULES): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(BIN)/.installed $(NODE_MODULES) ## Create the venv and install the npm packages (other targets do this)

# The browser that tests the site and prints its PDFs (Debian's chromium, unless $$QA_CHROMIUM names another) and
# poppler-utils, which reads the PDFs back in the tests; apt-get as root, or through sudo.
system-packages: ## Install Chromium and poppler-utils from the distribution's packages, where missing
	@missing=""; \
	if [ -z "$${QA_CHROMIUM:-}" ] && ! command -v chromium >/dev/null; then missing="$$missing chromium"; fi; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  echo "installing:$$missing"; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

serve: setup ## Serve the site with live reload at http://127.0.0.1:8000
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: setup ## Build the site into site/ (strict)
	$(BIN)/mkdocs build --strict --site-dir $(SITE_DIR)

# Chromium prints the one-page bank and the short-answers page (tools/make_pdf.py): $QA_CHROMIUM, else `chromium`.
pdf: build ## Build the site, then print the whole bank and the short answers to site/pdf/ (needs Chromium)
	$(BIN)/python tools/make_pdf.py $(SITE_DIR)

lint: $(BIN)/.installed ## Spell-check docs/ and notebooks/ (codespell), check the Python (ruff) and the GitHub workflows offline: zizmor (security), their JSON schemas
	$(BIN)/codespell docs notebooks
	$(BIN)/ruff check hooks tests tools
	$(BIN)/zizmor --offline --persona=pedantic --no-progress .github/
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml

# The tests serve the site on 127.0.0.1 at the address it was built for (instant navigation needs it).
test: export SITE_URL := http://127.0.0.1:8001/
test: lint pdf ## Lint, build, print the PDFs, then run the whole test suite against the built site
	QA_SITE_DIR=$(SITE_DIR) $(BIN)/pytest

bench: setup ## Print build times, the bytes a reader loads and Lighthouse scores
	$(BIN)/python tests/bench.py

lock: ## Re-resolve requirements.in into the hashed requirements.txt
	$(PYTHON) -m venv .lock-venv && .lock-venv/bin/pip install --quiet uv
	.lock-venv/bin/uv pip compile --python-version 3.12 --generate-hashes --quiet -o requirements.txt requirements.in
	rm -rf .lock-venv

clean: ## Remove everything the targets create
	rm -rf $(VENV) node_modules $(SITE_DIR) .cache .pytest_cache
