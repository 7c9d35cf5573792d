# One task runner for the README, .ci/run and the GitHub workflows.
# Every target sets up what it needs from nothing: a Python 3.12 venv from the hashed lock, and MathJax from npm.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# `python3` resolves to 3.12 through .python-version (pyenv); on GitHub, setup-python reads the same file.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_DIR := site
MATHJAX_DIR := docs/assets/vendor/mathjax
export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup serve build test lint bench lock clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt .python-version
	@$(PYTHON) -c 'import sys; want = open(".python-version").read().strip(); have = "%d.%d" % sys.version_info[:2]; \
	  sys.exit(0 if have == want else f"$(PYTHON) is Python {have}; this project needs {want} (see .python-version)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.txt
	touch $@

# MathJax is installed from npm (pinned in package-lock.json) and copied into the docs, never committed.
# Only what docs/assets/javascripts/mathjax-config.js loads: the loader, core, TeX input with its autoloaded
# extensions, CHTML output with its fonts, and assistive MathML.
$(MATHJAX_DIR)/startup.js: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(MATHJAX_DIR) && mkdir -p $(MATHJAX_DIR)/input $(MATHJAX_DIR)/output $(MATHJAX_DIR)/a11y
	cp node_modules/mathjax/es5/{startup.js,core.js} $(MATHJAX_DIR)/
	cp -r node_modules/mathjax/es5/input/{tex.js,tex} $(MATHJAX_DIR)/input/
	cp -r node_modules/mathjax/es5/output/{chtml.js,chtml} $(MATHJAX_DIR)/output/
	cp node_modules/mathjax/es5/a11y/assistive-mml.js $(MATHJAX_DIR)/a11y/
	touch $@

setup: $(BIN)/.installed $(MATHJAX_DIR)/startup.js ## Create the venv and fetch MathJax (other targets do this)

serve: setup ## Serve the site with live reload at http://127.0.0.1:8000
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: setup ## Build the site into site/ (strict)
	$(BIN)/mkdocs build --strict --site-dir $(SITE_DIR)

lint: $(BIN)/.installed ## Check the GitHub workflows offline: zizmor (security) and their JSON schemas
	$(BIN)/zizmor --offline --persona=pedantic --no-progress .github/
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml

# The tests serve the site on 127.0.0.1 at the address it was built for (instant navigation needs it).
test: export SITE_URL := http://127.0.0.1:8001/
test: lint build ## Lint the workflows, build, then run the whole test suite against the built site
	QA_SITE_DIR=$(SITE_DIR) $(BIN)/pytest

bench: setup ## Print build times and the bytes a reader loads
	$(BIN)/python tests/bench.py

lock: ## Re-resolve requirements.in into the hashed requirements.txt
	$(PYTHON) -m venv .lock-venv && .lock-venv/bin/pip install --quiet uv
	.lock-venv/bin/uv pip compile --python-version 3.12 --generate-hashes --quiet -o requirements.txt requirements.in
	rm -rf .lock-venv

clean: ## Remove everything the targets create
	rm -rf $(VENV) node_modules $(SITE_DIR) .cache docs/assets/vendor .pytest_cache
